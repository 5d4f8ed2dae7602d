#include "runtime/audit/merkle.h"

#include <bit>
#include <utility>

#include "absl/strings/str_cat.h"
#include "compiler/base/status.h"

namespace writ::runtime::audit {

namespace internal {
uint64_t SplitPoint(uint64_t n) { return uint64_t{1} << (std::bit_width(n - 1) - 1); }
}  // namespace internal

namespace {

using internal::SplitPoint;

// MTH of the `count` leaves starting at `start`. The recursion of RFC 6962 only ever splits off
// complete, aligned left subtrees, which the source may answer in one read; the depth is at most
// 64.
absl::StatusOr<Hash> RangeHash(const LeafSource& source, uint64_t start, uint64_t count) {
  if (std::has_single_bit(count) && start % count == 0) {
    return source.SubtreeHash(std::countr_zero(count), start / count);
  }
  const uint64_t k = SplitPoint(count);
  WRIT_ASSIGN_OR_RETURN(Hash left, RangeHash(source, start, k));
  WRIT_ASSIGN_OR_RETURN(Hash right, RangeHash(source, start + k, count - k));
  return NodeHash(left, right);
}

// PATH(index, D[start:start+count]) appended to `out`, deepest sibling first.
absl::Status Path(const LeafSource& source, uint64_t index, uint64_t start, uint64_t count,
                  std::vector<Hash>& out) {
  if (count == 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(count);
  if (index < k) {
    WRIT_RETURN_IF_ERROR(Path(source, index, start, k, out));
    WRIT_ASSIGN_OR_RETURN(Hash right, RangeHash(source, start + k, count - k));
    out.push_back(right);
  } else {
    WRIT_RETURN_IF_ERROR(Path(source, index - k, start + k, count - k, out));
    WRIT_ASSIGN_OR_RETURN(Hash left, RangeHash(source, start, k));
    out.push_back(left);
  }
  return absl::OkStatus();
}

// SUBPROOF(m, D[start:start+count], whole) appended to `out`. `whole` says the subtree's left
// edge is the old tree's, whose root the verifier already has.
absl::Status SubProof(const LeafSource& source, uint64_t m, uint64_t start, uint64_t count,
                      bool whole, std::vector<Hash>& out) {
  if (m == count) {
    if (!whole) {
      WRIT_ASSIGN_OR_RETURN(Hash hash, RangeHash(source, start, count));
      out.push_back(hash);
    }
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(count);
  if (m <= k) {
    WRIT_RETURN_IF_ERROR(SubProof(source, m, start, k, whole, out));
    WRIT_ASSIGN_OR_RETURN(Hash right, RangeHash(source, start + k, count - k));
    out.push_back(right);
  } else {
    WRIT_RETURN_IF_ERROR(SubProof(source, m - k, start + k, count - k, false, out));
    WRIT_ASSIGN_OR_RETURN(Hash left, RangeHash(source, start, k));
    out.push_back(left);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Hash> LeafSource::SubtreeHash(int level, uint64_t index) const {
  if (level < 0 || level >= 63 || index >= (size() >> level)) {
    return absl::OutOfRangeError(
        absl::StrCat("merkle: no complete subtree at level ", level, " index ", index));
  }
  if (level == 0) return LeafHashAt(index);
  WRIT_ASSIGN_OR_RETURN(Hash left, SubtreeHash(level - 1, 2 * index));
  WRIT_ASSIGN_OR_RETURN(Hash right, SubtreeHash(level - 1, 2 * index + 1));
  return NodeHash(left, right);
}

void MemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // Each level that now ends in a complete pair gains their parent one level up.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    const std::vector<Hash>& row = levels_[level];
    Hash parent = NodeHash(row[row.size() - 2], row[row.size() - 1]);
    if (level + 1 == levels_.size()) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
  }
}

uint64_t MemoryTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

absl::StatusOr<Hash> MemoryTree::LeafHashAt(uint64_t index) const {
  return SubtreeHash(0, index);
}

absl::StatusOr<Hash> MemoryTree::SubtreeHash(int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
      index >= levels_[level].size()) {
    return absl::OutOfRangeError(
        absl::StrCat("merkle: no complete subtree at level ", level, " index ", index));
  }
  return levels_[level][index];
}

std::optional<TreeFrontier> TreeFrontier::FromPeaks(uint64_t size, std::vector<Hash> peaks) {
  if (static_cast<size_t>(std::popcount(size)) != peaks.size()) return std::nullopt;
  TreeFrontier frontier;
  frontier.peaks_ = std::move(peaks);
  frontier.size_ = size;
  return frontier;
}

void TreeFrontier::Append(const Hash& leaf_hash) {
  peaks_.push_back(leaf_hash);
  // Each trailing one bit of the old size is a subtree of the new leaf's size that it completes.
  for (int merges = std::countr_one(size_); merges > 0; --merges) {
    Hash right = peaks_.back();
    peaks_.pop_back();
    peaks_.back() = NodeHash(peaks_.back(), right);
  }
  ++size_;
}

Hash TreeFrontier::Root() const {
  if (peaks_.empty()) return Sha256("");
  // RFC 6962 splits off the largest complete subtree first, so the smaller ones nest to the
  // right.
  Hash root = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) root = NodeHash(peaks_[i], root);
  return root;
}

absl::StatusOr<Hash> TreeRoot(const LeafSource& source, uint64_t size) {
  if (size > source.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("merkle: size ", size, " beyond the log's ", source.size(), " leaves"));
  }
  if (size == 0) return Sha256("");
  return RangeHash(source, 0, size);
}

absl::StatusOr<std::vector<Hash>> InclusionProof(const LeafSource& source, uint64_t index,
                                                 uint64_t size) {
  if (index >= size || size > source.size()) {
    return absl::InvalidArgumentError(absl::StrCat("merkle: no leaf ", index, " in a tree of ",
                                                   size, " (the log has ", source.size(), ")"));
  }
  std::vector<Hash> out;
  WRIT_RETURN_IF_ERROR(Path(source, index, 0, size, out));
  return out;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(const LeafSource& source, uint64_t old_size,
                                                   uint64_t new_size) {
  if (old_size == 0 || old_size > new_size || new_size > source.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("merkle: no consistency proof from ", old_size, " to ", new_size,
                     " leaves (the log has ", source.size(), ")"));
  }
  std::vector<Hash> out;
  WRIT_RETURN_IF_ERROR(SubProof(source, old_size, 0, new_size, true, out));
  return out;
}

}  // namespace writ::runtime::audit
