// Verification of a stored audit log against its signed tree heads (docs/audit.md, "What verify
// detects"): it reports the first position where the log stops being the one that was written,
// and what happened there. Streaming: a log of millions of events is read once, in O(log n)
// memory.
#ifndef WRIT_RUNTIME_AUDIT_VERIFIER_H_
#define WRIT_RUNTIME_AUDIT_VERIFIER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/audit/hash.h"
#include "runtime/audit/log.h"
#include "runtime/audit/merkle.h"
#include "runtime/audit/tree_head.h"

namespace writ::runtime::audit {

enum class Problem : uint8_t {
  kNone,
  kMalformed,         // the row does not decode as an event
  kEdited,            // the event's bytes are not those its chain link covers
  kDeleted,           // the event of this position is missing
  kInserted,          // an event that was never written: its position was already taken
  kReordered,         // the event of this position comes later in the log
  kTruncated,         // the log ends before a signed tree head's size
  kTreeHeadMismatch,  // a chain rewritten after an edit: a tree head's root differs
  kBadTreeHead,       // a tree head's signature fails, or heads contradict each other
};

// "ok", "malformed", "edited", ...
std::string_view Spelling(Problem problem);

struct VerifyResult {
  Problem problem = Problem::kNone;
  // The first bad event's position (0-based). For kTruncated, the first missing position; for
  // kTreeHeadMismatch, the first position no earlier matching head covers (the edit is at or
  // after it, before the head's size); for kBadTreeHead, the head's size.
  uint64_t position = 0;
  std::optional<size_t> tree_head;  // which head, for the tree head problems
  std::string message;              // one line for people
  uint64_t events_checked = 0;      // events that passed before the problem (all, when ok)
  uint64_t tree_heads_checked = 0;  // heads whose root matched
  uint64_t covered = 0;             // the size of the largest head that matched
  // When ok: the chain head and Merkle root of the events read, for comparing with a head the
  // store keeps beside them.
  Hash chain = kChainStart;
  Hash root{};

  bool ok() const { return problem == Problem::kNone; }
};

// Reads a log front to back. Construct with every tree head the store kept plus any held
// elsewhere (an exported or witnessed head, which makes truncation detectable even when the
// stored heads were deleted too); feed the rows in position order; Finish.
class LogVerifier {
 public:
  LogVerifier(const PublicKey& key, std::vector<SignedTreeHead> heads)
      : LogVerifier(std::vector<PublicKey>{key}, std::move(heads)) {}
  // Each head must verify with one of `keys` (a runtime whose key was rotated signed with
  // several).
  LogVerifier(std::vector<PublicKey> keys, std::vector<SignedTreeHead> heads);

  // Checks the next row. Returns false once the outcome is known, so the caller may stop
  // reading; further rows are then ignored.
  bool Add(const StoredEvent& row);
  // The outcome over the rows added.
  VerifyResult Finish();

 private:
  void Fail(Problem problem, uint64_t position, std::string message,
            std::optional<size_t> head = std::nullopt);
  void CheckHead(size_t index);
  void CheckHeadsCovered();

  struct Head {
    SignedTreeHead signed_head;
    size_t index;  // in the constructor's argument, for messages
  };
  std::vector<Head> heads_;            // by size, then timestamp
  size_t next_head_ = 0;               // the first head not checked against the events yet
  TreeFrontier frontier_;
  Hash chain_ = kChainStart;
  Hash chain_before_last_ = kChainStart;  // the chain before the last accepted row
  Hash last_leaf_{};                      // the last accepted row's leaf hash
  uint64_t covered_ = 0;                  // the size of the last head that matched
  uint64_t position_ = 0;              // of the next row
  // A problem whose kind depends on rows after it:
  // - a chain mismatch: edited, or inserted when the next row claims the same seq;
  // - a duplicate: two adjacent rows claim one seq and both link to the chain before them; the
  //   next row's link shows which one the writer wrote;
  // - a gap: the row claims a later seq. Deleted if the missing seq never turns up, reordered if
  //   it turns up later, inserted if it does and the row's seq also appears again, edited if
  //   only the row's seq appears again.
  enum class Pending : uint8_t { kNothing, kChainMismatch, kDuplicate, kGap };
  Pending pending_ = Pending::kNothing;
  uint64_t pending_position_ = 0;
  Hash duplicate_chain_{};           // kDuplicate: the later row's chain link
  uint64_t gap_seq_ = 0;             // kGap: the seq the row at pending_position_ claims
  std::optional<uint64_t> missing_found_at_;  // kGap: where the missing seq turned up
  bool gap_seq_repeated_ = false;    // kGap: gap_seq_ appeared again
  void ResolveGap();
  bool done_ = false;
  VerifyResult result_;
};

// The whole log at once.
VerifyResult VerifyLog(std::span<const StoredEvent> rows, std::span<const SignedTreeHead> heads,
                       const PublicKey& key);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_VERIFIER_H_
