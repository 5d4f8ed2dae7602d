// The RFC 6962 Merkle tree over the audit log's leaves (docs/audit.md, "Merkle tree"): the root
// of the first n leaves, inclusion proofs (audit paths) and consistency proofs between two
// sizes, computed from leaf hashes that a `LeafSource` provides. Verification needs no source
// and lives in proof.h.
#ifndef WRIT_RUNTIME_AUDIT_MERKLE_H_
#define WRIT_RUNTIME_AUDIT_MERKLE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/audit/hash.h"

namespace writ::runtime::audit {

// The leaf hashes of a log (LeafHash of each event's encoding), by position. A store implements
// it over its table of events; a failed read is returned as is.
class LeafSource {
 public:
  virtual ~LeafSource() = default;
  virtual uint64_t size() const = 0;
  // The hash of leaf `index` < size().
  virtual absl::StatusOr<Hash> LeafHashAt(uint64_t index) const = 0;
  // The root of the complete subtree of the 2^level leaves starting at leaf index * 2^level,
  // which lies within size(). The default computes it from the leaves (2^level reads); a source
  // that keeps interior nodes answers in one read, which makes every function below cost
  // O(log^2 n) reads instead of O(n).
  virtual absl::StatusOr<Hash> SubtreeHash(int level, uint64_t index) const;
};

// A log held in memory with every complete subtree's hash (about 64 bytes per leaf): appending
// is amortized O(1) and SubtreeHash one lookup. The verifier builds one as it reads a log.
class MemoryTree final : public LeafSource {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const override;
  absl::StatusOr<Hash> LeafHashAt(uint64_t index) const override;
  absl::StatusOr<Hash> SubtreeHash(int level, uint64_t index) const override;

 private:
  // levels_[l][i] is the hash of the complete subtree of 2^l leaves starting at i * 2^l.
  std::vector<std::vector<Hash>> levels_;
};

// The roots of the complete subtrees that make up a tree of size() leaves, largest first:
// O(log n) hashes, enough to append and to compute the root. A writer keeps one to sign tree
// heads without reading the log back; the verifier keeps one as it reads.
class TreeFrontier {
 public:
  TreeFrontier() = default;
  // The frontier of a tree of `size` leaves whose complete subtrees' roots are `peaks`, largest
  // first, as peaks() returned them; nullopt unless there is one peak per set bit of `size`.
  static std::optional<TreeFrontier> FromPeaks(uint64_t size, std::vector<Hash> peaks);

  void Append(const Hash& leaf_hash);
  const std::vector<Hash>& peaks() const { return peaks_; }
  uint64_t size() const { return size_; }
  // TreeRoot of the leaves appended so far.
  Hash Root() const;

 private:
  // One hash per set bit of size_, the largest subtree first.
  std::vector<Hash> peaks_;
  uint64_t size_ = 0;
};

// MTH(D[0:size]) of RFC 6962 section 2.1; SHA-256 of nothing for size 0. InvalidArgument when
// size exceeds the source's.
absl::StatusOr<Hash> TreeRoot(const LeafSource& source, uint64_t size);

// PATH(index, D[0:size]): the sibling hashes from the leaf up to the root. InvalidArgument
// unless index < size <= source.size().
absl::StatusOr<std::vector<Hash>> InclusionProof(const LeafSource& source, uint64_t index,
                                                 uint64_t size);

// PROOF(old_size, D[0:new_size]): what shows that the tree of old_size leaves is a prefix of the
// tree of new_size leaves; empty when the sizes are equal. InvalidArgument unless
// 0 < old_size <= new_size <= source.size().
absl::StatusOr<std::vector<Hash>> ConsistencyProof(const LeafSource& source, uint64_t old_size,
                                                   uint64_t new_size);

namespace internal {
// The largest power of two strictly below n, for n >= 2: RFC 6962's k.
uint64_t SplitPoint(uint64_t n);
}  // namespace internal

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_MERKLE_H_
