#include "runtime/audit/verifier.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runtime/audit/event_encoding.h"

namespace writ::runtime::audit {

std::string_view Spelling(Problem problem) {
  switch (problem) {
    case Problem::kNone:
      return "ok";
    case Problem::kMalformed:
      return "malformed";
    case Problem::kEdited:
      return "edited";
    case Problem::kDeleted:
      return "deleted";
    case Problem::kInserted:
      return "inserted";
    case Problem::kReordered:
      return "reordered";
    case Problem::kTruncated:
      return "truncated";
    case Problem::kTreeHeadMismatch:
      return "tree_head_mismatch";
    case Problem::kBadTreeHead:
      return "bad_tree_head";
  }
  return "unknown";
}

LogVerifier::LogVerifier(std::vector<PublicKey> keys, std::vector<SignedTreeHead> heads) {
  // The heads are the trust anchor: a head that is not the key's, or two that contradict each
  // other, make every later comparison meaningless, so they are checked before any row.
  for (size_t i = 0; i < heads.size(); ++i) {
    const bool signed_by_a_key = std::any_of(keys.begin(), keys.end(), [&](const PublicKey& key) {
      return VerifyTreeHead(heads[i], key).ok();
    });
    if (!signed_by_a_key) {
      Fail(Problem::kBadTreeHead, heads[i].head.size,
           absl::StrCat("tree head ", i, " (size ", heads[i].head.size, "): the signature does ",
                        "not verify with ", keys.size() == 1 ? "this key" : "any of the keys"),
           i);
      return;
    }
    heads_.push_back({std::move(heads[i]), i});
  }
  std::stable_sort(heads_.begin(), heads_.end(), [](const Head& a, const Head& b) {
    const TreeHead& x = a.signed_head.head;
    const TreeHead& y = b.signed_head.head;
    return x.size != y.size ? x.size < y.size : x.timestamp < y.timestamp;
  });
  for (size_t i = 1; i < heads_.size(); ++i) {
    const TreeHead& before = heads_[i - 1].signed_head.head;
    const TreeHead& after = heads_[i].signed_head.head;
    if (before.size == after.size && before.root != after.root) {
      Fail(Problem::kBadTreeHead, after.size,
           absl::StrCat("tree heads ", heads_[i - 1].index, " and ", heads_[i].index,
                        " sign different roots for size ", after.size),
           heads_[i].index);
      return;
    }
    if (before.size < after.size && after.timestamp < before.timestamp) {
      Fail(Problem::kBadTreeHead, after.size,
           absl::StrCat("tree head ", heads_[i].index, " (size ", after.size,
                        ") is older than the smaller head ", heads_[i - 1].index),
           heads_[i].index);
      return;
    }
  }
  CheckHeadsCovered();  // heads of size 0
}

void LogVerifier::Fail(Problem problem, uint64_t position, std::string message,
                       std::optional<size_t> head) {
  done_ = true;
  result_.problem = problem;
  result_.position = position;
  result_.message = std::move(message);
  result_.tree_head = head;
}

void LogVerifier::CheckHeadsCovered() {
  while (!done_ && next_head_ < heads_.size() &&
         heads_[next_head_].signed_head.head.size == frontier_.size()) {
    const Head& head = heads_[next_head_];
    if (head.signed_head.head.root != frontier_.Root()) {
      Fail(Problem::kTreeHeadMismatch, covered_,
           absl::StrCat("the events before position ", head.signed_head.head.size,
                        " do not have the root of tree head ", head.index,
                        ": an event at or after position ", covered_, " was changed"),
           head.index);
      return;
    }
    covered_ = frontier_.size();
    ++result_.tree_heads_checked;
    ++next_head_;
  }
}

void LogVerifier::ResolveGap() {
  const uint64_t at = pending_position_;
  if (missing_found_at_ && gap_seq_repeated_) {
    Fail(Problem::kInserted, at,
         absl::StrCat("an event was inserted at position ", at, " (it claims seq ", gap_seq_,
                      ", which appears again later)"));
  } else if (missing_found_at_) {
    Fail(Problem::kReordered, at,
         absl::StrCat("position ", at, " holds the event of position ", gap_seq_,
                      ", and the event of position ", at, " is at position ",
                      *missing_found_at_));
  } else if (gap_seq_repeated_) {
    Fail(Problem::kEdited, at,
         absl::StrCat("the event at position ", at, " was replaced by one claiming seq ",
                      gap_seq_, ", which appears again later"));
  } else {
    Fail(Problem::kDeleted, at, absl::StrCat("the event at position ", at, " was deleted"));
  }
}

bool LogVerifier::Add(const StoredEvent& row) {
  if (done_) return false;
  const uint64_t position = position_++;
  absl::StatusOr<AuditEvent> event = Decode(row.encoding);
  if (pending_ == Pending::kChainMismatch) {
    // The row after a mismatch tells an insertion (it carries the position the mismatching row
    // claimed) from an edit.
    const bool inserted = event.ok() && event->seq == pending_position_;
    Fail(inserted ? Problem::kInserted : Problem::kEdited, pending_position_,
         inserted ? absl::StrCat("an event was inserted at position ", pending_position_)
                  : absl::StrCat("the chain breaks at position ", pending_position_,
                                 ": this event was changed (or the one before it, together "
                                 "with its chain link)"));
    return false;
  }
  if (pending_ == Pending::kDuplicate) {
    // The writer linked this row to the chain of the genuine one of the two.
    const Hash leaf = LeafHash(row.encoding);
    const bool later_genuine = ChainLink(duplicate_chain_, leaf) == row.chain &&
                               ChainLink(chain_, leaf) != row.chain;
    const uint64_t at = later_genuine ? pending_position_ - 1 : pending_position_;
    Fail(Problem::kInserted, at,
         absl::StrCat("an event was inserted at position ", at, " (positions ",
                      pending_position_ - 1, " and ", pending_position_, " both claim seq ",
                      pending_position_ - 1, ")"));
    return false;
  }
  if (pending_ == Pending::kGap) {
    if (event.ok() && event->seq == pending_position_ && !missing_found_at_) {
      missing_found_at_ = position;
    }
    if (event.ok() && event->seq == gap_seq_) gap_seq_repeated_ = true;
    // An insertion is certain once both are seen; the other outcomes need the whole log.
    if (missing_found_at_ && gap_seq_repeated_) {
      ResolveGap();
      return false;
    }
    return true;
  }
  if (!event.ok()) {
    Fail(Problem::kMalformed, position,
         absl::StrCat("position ", position, ": ", event.status().message()));
    return false;
  }
  if (event->seq > position) {
    pending_ = Pending::kGap;
    pending_position_ = position;
    gap_seq_ = event->seq;
    return true;
  }
  const Hash leaf = LeafHash(row.encoding);
  if (event->seq < position) {
    // The seq repeats an earlier one. When it is the previous row's, this row is not a copy of
    // it, and both link to the chain before the previous row, either may be the one slipped in
    // (with a link forged to fit); the next row decides.
    if (event->seq + 1 == position && leaf != last_leaf_ &&
        ChainLink(chain_before_last_, leaf) == row.chain) {
      pending_ = Pending::kDuplicate;
      pending_position_ = position;
      duplicate_chain_ = row.chain;
      return true;
    }
    Fail(Problem::kInserted, position,
         absl::StrCat("an event was inserted at position ", position, " (seq ", event->seq,
                      " appears twice)"));
    return false;
  }
  const Hash link = ChainLink(chain_, leaf);
  if (link != row.chain) {
    pending_ = Pending::kChainMismatch;
    pending_position_ = position;
    return true;
  }
  chain_before_last_ = chain_;
  chain_ = link;
  last_leaf_ = leaf;
  frontier_.Append(leaf);
  result_.events_checked = frontier_.size();
  CheckHeadsCovered();
  return !done_;
}

VerifyResult LogVerifier::Finish() {
  if (!done_ && pending_ == Pending::kChainMismatch) {
    Fail(Problem::kEdited, pending_position_,
         absl::StrCat("the chain breaks at position ", pending_position_,
                      ": this event was changed (or the one before it, together with its chain "
                      "link)"));
  }
  if (!done_ && pending_ == Pending::kDuplicate) {
    // No later row to decide: the earlier of the two is reported, the first that may be bad.
    Fail(Problem::kInserted, pending_position_ - 1,
         absl::StrCat("positions ", pending_position_ - 1, " and ", pending_position_,
                      " both claim seq ", pending_position_ - 1, ": one of them was inserted"));
  }
  if (!done_ && pending_ == Pending::kGap) ResolveGap();
  if (!done_ && next_head_ < heads_.size()) {
    const Head& largest = heads_.back();
    Fail(Problem::kTruncated, frontier_.size(),
         absl::StrCat("the log ends after ", frontier_.size(), " events but tree head ",
                      largest.index, " signs ", largest.signed_head.head.size),
         largest.index);
  }
  if (!done_) {
    result_.message = absl::StrCat(frontier_.size(), " events and ", result_.tree_heads_checked,
                                   " tree heads verified");
    result_.chain = chain_;
    result_.covered = covered_;
    result_.root = frontier_.Root();
  }
  done_ = true;
  return result_;
}

VerifyResult VerifyLog(std::span<const StoredEvent> rows, std::span<const SignedTreeHead> heads,
                       const PublicKey& key) {
  LogVerifier verifier(key, std::vector<SignedTreeHead>(heads.begin(), heads.end()));
  for (const StoredEvent& row : rows) {
    if (!verifier.Add(row)) break;
  }
  return verifier.Finish();
}

}  // namespace writ::runtime::audit
