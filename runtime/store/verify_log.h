// Verification of a store's audit log as `writ audit verify` and the C ABI run it (docs/audit.md,
// "What verify detects"): the rows streamed once, in position order, into a LogVerifier with
// every signed tree head the store kept plus any held elsewhere, then the writer's own head
// compared with what the rows add up to.
#ifndef WRIT_RUNTIME_STORE_VERIFY_LOG_H_
#define WRIT_RUNTIME_STORE_VERIFY_LOG_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/audit/tree_head.h"
#include "runtime/audit/verifier.h"
#include "runtime/store/store.h"

namespace writ::runtime::store {

struct LogCheck {
  audit::VerifyResult result;
  std::vector<audit::PublicKey> keys;  // the keys the heads were checked with
  bool keys_from_store = false;        // no keys were given: the store's own were used
  size_t tree_heads = 0;               // heads checked: the store's and the extra ones
};

// Verifies the whole log read through `tx`. The heads are checked with `keys`, or with the
// keys the store kept when `keys` is empty. A problem with the log is a result, not an error;
// errors are the store's own (I/O).
absl::StatusOr<LogCheck> VerifyStoredLog(Transaction& tx, std::vector<audit::PublicKey> keys,
                                         std::vector<audit::SignedTreeHead> extra_heads = {});

}  // namespace writ::runtime::store

#endif  // WRIT_RUNTIME_STORE_VERIFY_LOG_H_
