#include "runtime/store/verify_log.h"

#include <fmt/format.h>

#include <string>
#include <utility>

namespace writ::runtime::store {
namespace {

constexpr size_t kChunk = 4096;

// The writer's head against the rows that verified: a log cut, extended or rewritten together
// with its signed heads still disagrees with it.
void Compare(const AuditHead& stored, audit::VerifyResult& result) {
  if (stored.size > result.events_checked) {
    result.problem = audit::Problem::kTruncated;
    result.position = result.events_checked;
    result.message = fmt::format(
        "the log ends after {} events but the store's head says {}: events were deleted",
        result.events_checked, stored.size);
  } else if (stored.size < result.events_checked) {
    result.problem = audit::Problem::kInserted;
    result.position = stored.size;
    result.message = fmt::format(
        "the store's head says {} events but the log holds {}: events from position {} on were "
        "added behind the writer's back",
        stored.size, result.events_checked, stored.size);
  } else if (stored.chain != result.chain || stored.root != result.root) {
    result.problem = audit::Problem::kTreeHeadMismatch;
    result.position = result.covered;
    result.message = fmt::format(
        "the events do not have the chain head and root the store's writer recorded: the log was "
        "rewritten at or after position {}",
        result.covered);
  }
}

}  // namespace

absl::StatusOr<LogCheck> VerifyStoredLog(Transaction& tx, std::vector<audit::PublicKey> keys,
                                         std::vector<audit::SignedTreeHead> extra_heads) {
  LogCheck check;
  absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
  if (!heads.ok()) {
    // A stored head that does not decode is tampering too.
    check.result = audit::VerifyResult{.problem = audit::Problem::kBadTreeHead,
                                       .message = std::string(heads.status().message())};
    return check;
  }
  extra_heads.insert(extra_heads.begin(), heads->begin(), heads->end());
  check.tree_heads = extra_heads.size();
  if (keys.empty()) {
    absl::StatusOr<std::vector<audit::PublicKey>> stored = tx.ListAuditKeys();
    if (!stored.ok()) return stored.status();
    keys = std::move(*stored);
    check.keys_from_store = true;
  }
  check.keys = keys;
  audit::LogVerifier verifier(std::move(keys), std::move(extra_heads));
  int64_t after = -1;
  for (bool more = true; more;) {
    absl::StatusOr<std::vector<AuditRow>> rows = tx.ReadAudit(after, kChunk);
    if (!rows.ok()) return rows.status();
    for (const AuditRow& row : *rows) {
      if (!verifier.Add(row.event)) {
        more = false;
        break;
      }
    }
    if (rows->size() < kChunk) more = false;
    if (!rows->empty()) after = rows->back().key;
  }
  check.result = verifier.Finish();
  if (!check.result.ok()) return check;
  absl::StatusOr<AuditHead> stored = tx.ReadStoredAuditHead();
  if (!stored.ok()) {
    check.result.problem = audit::Problem::kTruncated;
    check.result.position = check.result.events_checked;
    check.result.message = std::string(stored.status().message());
    return check;
  }
  Compare(*stored, check.result);
  return check;
}

}  // namespace writ::runtime::store
