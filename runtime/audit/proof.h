// Verification of the Merkle proofs of merkle.h (docs/audit.md, "Proofs"). A verifier needs only
// the hashes: a downstream auditor checks an event's inclusion, or that a later tree head extends
// an earlier one, without the log.
#ifndef WRIT_RUNTIME_AUDIT_PROOF_H_
#define WRIT_RUNTIME_AUDIT_PROOF_H_

#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "runtime/audit/hash.h"

namespace writ::runtime::audit {

// OK exactly when `proof` is the audit path of the leaf with `leaf_hash` at `index` in the tree
// of `size` leaves whose root is `root`. InvalidArgument when index >= size or the proof has the
// wrong length for them; DataLoss when the path does not lead to the root.
absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             std::span<const Hash> proof, const Hash& root);

// OK exactly when `proof` shows that the tree of `old_size` leaves with `old_root` is a prefix of
// the tree of `new_size` leaves with `new_root`. InvalidArgument unless
// 0 < old_size <= new_size, or when the proof has the wrong length; DataLoss when it does not
// reproduce both roots.
absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                               const Hash& new_root, std::span<const Hash> proof);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_PROOF_H_
