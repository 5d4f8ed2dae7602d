#include "runtime/audit/proof.h"

#include "absl/strings/str_cat.h"
#include "runtime/audit/merkle.h"

// Both verifiers walk the same decomposition of the tree that generated the proof (RFC 6962
// section 2.1): at each level the tree of n leaves splits at k, the largest power of two below
// n, and the proof's last hash is the sibling at the top. The expected length is computed first,
// without hashing, so every later step may index the proof freely.
namespace writ::runtime::audit {
namespace {

using internal::SplitPoint;

size_t PathLength(uint64_t index, uint64_t size) {
  size_t length = 0;
  while (size > 1) {
    const uint64_t k = SplitPoint(size);
    if (index < k) {
      size = k;
    } else {
      index -= k;
      size -= k;
    }
    ++length;
  }
  return length;
}

Hash PathRoot(const Hash& leaf_hash, uint64_t index, uint64_t size, std::span<const Hash> proof) {
  if (size == 1) return leaf_hash;
  const uint64_t k = SplitPoint(size);
  const Hash& sibling = proof.back();
  std::span<const Hash> rest = proof.first(proof.size() - 1);
  if (index < k) return NodeHash(PathRoot(leaf_hash, index, k, rest), sibling);
  return NodeHash(sibling, PathRoot(leaf_hash, index - k, size - k, rest));
}

size_t SubProofLength(uint64_t m, uint64_t n, bool whole) {
  size_t length = 0;
  while (m != n) {
    const uint64_t k = SplitPoint(n);
    if (m <= k) {
      n = k;
    } else {
      m -= k;
      n -= k;
      whole = false;
    }
    ++length;
  }
  return whole ? length : length + 1;
}

struct Roots {
  Hash old_root;
  Hash new_root;
};

// The roots of the old and the new tree restricted to the subtree D[0:n] that SUBPROOF(m, D[n],
// whole) describes. In a `whole` subtree equal to the old tree, its hash is the old root the
// verifier was given.
Roots SubRoots(uint64_t m, uint64_t n, bool whole, std::span<const Hash> proof,
               const Hash& old_root) {
  if (m == n) {
    if (whole) return {old_root, old_root};
    return {proof[0], proof[0]};
  }
  const uint64_t k = SplitPoint(n);
  const Hash& last = proof.back();
  std::span<const Hash> rest = proof.first(proof.size() - 1);
  if (m <= k) {
    // The old tree lies entirely in the left subtree; the right one is new.
    Roots left = SubRoots(m, k, whole, rest, old_root);
    return {left.old_root, NodeHash(left.new_root, last)};
  }
  // The left subtree is complete in both trees; they differ on the right.
  Roots right = SubRoots(m - k, n - k, false, rest, old_root);
  return {NodeHash(last, right.old_root), NodeHash(last, right.new_root)};
}

}  // namespace

absl::Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t size,
                             std::span<const Hash> proof, const Hash& root) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("inclusion proof: no leaf ", index, " in a tree of ", size));
  }
  const size_t expected = PathLength(index, size);
  if (proof.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("inclusion proof: ", proof.size(),
                                                   " hashes where leaf ", index, " of ", size,
                                                   " needs ", expected));
  }
  if (PathRoot(leaf_hash, index, size, proof) != root) {
    return absl::DataLossError(absl::StrCat("inclusion proof: leaf ", index, " of ", size,
                                            " does not lead to the root"));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                               const Hash& new_root, std::span<const Hash> proof) {
  if (old_size == 0 || old_size > new_size) {
    return absl::InvalidArgumentError(absl::StrCat("consistency proof: no proof from ", old_size,
                                                   " to ", new_size, " leaves"));
  }
  const size_t expected = SubProofLength(old_size, new_size, true);
  if (proof.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("consistency proof: ", proof.size(),
                                                   " hashes where ", old_size, " to ", new_size,
                                                   " needs ", expected));
  }
  Roots roots = SubRoots(old_size, new_size, true, proof, old_root);
  if (roots.old_root != old_root || roots.new_root != new_root) {
    return absl::DataLossError(absl::StrCat("consistency proof: the tree of ", old_size,
                                            " leaves is not a prefix of the tree of ", new_size));
  }
  return absl::OkStatus();
}

}  // namespace writ::runtime::audit
