// The Merkle tree against RFC 6962 section 2.1 written out literally in this file: MTH, PATH
// and PROOF as recursive definitions over the leaf data, with their own SHA-256 calls. The
// library's roots and proofs must equal them for every size and position up to 64, verify, and
// stop verifying when anything about them is changed.
#include <sodium.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/audit/hash.h"
#include "runtime/audit/merkle.h"
#include "runtime/audit/proof.h"

namespace writ::runtime::audit {
namespace {

using Leaves = std::vector<std::string>;

Hash RefSha(const std::string& bytes) {
  Hash out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return out;
}

std::string Str(const Hash& h) { return std::string(h.begin(), h.end()); }

uint64_t RefK(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Leaves Slice(const Leaves& d, size_t from, size_t to) {
  return Leaves(d.begin() + from, d.begin() + to);
}

Hash RefMth(const Leaves& d) {
  if (d.empty()) return RefSha("");
  if (d.size() == 1) return RefSha(std::string(1, '\0') + d[0]);
  const size_t k = RefK(d.size());
  return RefSha("\x01" + Str(RefMth(Slice(d, 0, k))) + Str(RefMth(Slice(d, k, d.size()))));
}

std::vector<Hash> RefPath(size_t m, const Leaves& d) {
  if (d.size() <= 1) return {};
  const size_t k = RefK(d.size());
  std::vector<Hash> out;
  if (m < k) {
    out = RefPath(m, Slice(d, 0, k));
    out.push_back(RefMth(Slice(d, k, d.size())));
  } else {
    out = RefPath(m - k, Slice(d, k, d.size()));
    out.push_back(RefMth(Slice(d, 0, k)));
  }
  return out;
}

std::vector<Hash> RefSubProof(size_t m, const Leaves& d, bool b) {
  if (m == d.size()) return b ? std::vector<Hash>{} : std::vector<Hash>{RefMth(d)};
  const size_t k = RefK(d.size());
  std::vector<Hash> out;
  if (m <= k) {
    out = RefSubProof(m, Slice(d, 0, k), b);
    out.push_back(RefMth(Slice(d, k, d.size())));
  } else {
    out = RefSubProof(m - k, Slice(d, k, d.size()), false);
    out.push_back(RefMth(Slice(d, 0, k)));
  }
  return out;
}

Hash RefNode(const Hash& left, const Hash& right) {
  return RefSha("\x01" + Str(left) + Str(right));
}

// RFC 9162 section 2.1.3.2: the iterative check of an inclusion proof, a different algorithm
// from the library's recursive one.
bool RefVerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                        const std::vector<Hash>& path, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = RefNode(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = RefNode(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// RFC 9162 section 2.1.4.2, for first < second.
bool RefVerifyConsistency(uint64_t first, uint64_t second, const Hash& first_hash,
                          const Hash& second_hash, std::vector<Hash> path) {
  if (path.empty() || first == 0 || first >= second) return false;
  if ((first & (first - 1)) == 0) path.insert(path.begin(), first_hash);
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = RefNode(c, fr);
      sr = RefNode(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = RefNode(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_hash && sr == second_hash && sn == 0;
}

// A source that keeps leaf hashes only, so every subtree comes from LeafSource's default.
class LeafOnly final : public LeafSource {
 public:
  explicit LeafOnly(const Leaves& d) {
    for (const std::string& leaf : d) hashes_.push_back(LeafHash(leaf));
  }
  uint64_t size() const override { return hashes_.size(); }
  absl::StatusOr<Hash> LeafHashAt(uint64_t i) const override { return hashes_.at(i); }

 private:
  std::vector<Hash> hashes_;
};

Leaves MakeLeaves(size_t n) {
  Leaves d;
  for (size_t i = 0; i < n; ++i) d.push_back("event " + std::to_string(i));
  return d;
}

MemoryTree MakeTree(const Leaves& d) {
  MemoryTree tree;
  for (const std::string& leaf : d) tree.Append(LeafHash(leaf));
  return tree;
}

constexpr size_t kMax = 64;

TEST(MerkleTest, EmptyAndSingleLeafRoots) {
  MemoryTree empty;
  EXPECT_EQ(ToHex(*TreeRoot(empty, 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  MemoryTree one = MakeTree({""});
  EXPECT_EQ(ToHex(*TreeRoot(one, 1)),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

// The roots of the first 1..8 leaves of the test vectors used across RFC 6962
// implementations, a check on this file's reading of the definition.
TEST(MerkleTest, RootsOfTheCommonTestVectors) {
  const Leaves d = {"",
                    std::string(1, '\0'),
                    "\x10",
                    "\x20\x21",
                    "\x30\x31",
                    "\x40\x41\x42\x43",
                    "\x50\x51\x52\x53\x54\x55\x56\x57",
                    "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  const std::vector<std::string> roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  const MemoryTree tree = MakeTree(d);
  for (size_t n = 1; n <= d.size(); ++n) {
    EXPECT_EQ(ToHex(*TreeRoot(tree, n)), roots[n - 1]) << n;
    EXPECT_EQ(ToHex(RefMth(Slice(d, 0, n))), roots[n - 1]) << n;
  }
  EXPECT_EQ(HashFromHex(roots[7]), *TreeRoot(tree, 8));
  EXPECT_FALSE(HashFromHex(roots[7].substr(1)).has_value());
  EXPECT_FALSE(HashFromHex("zz" + roots[7].substr(2)).has_value());
}

// The worked example of docs/audit.md: three leaves "a", "b", "c", their roots and proofs, with
// the hashes computed outside this library.
TEST(MerkleTest, TheDocumentedExample) {
  const MemoryTree tree = MakeTree({"a", "b", "c"});
  const Hash l0 = *HashFromHex("022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c");
  const Hash l1 = *HashFromHex("57eb35615d47f34ec714cacdf5fd74608a5e8e102724e80b24b287c0c27b6a31");
  const Hash l2 = *HashFromHex("597fcb31282d34654c200d3418fca5705c648ebf326ec73d8ddef11841f876d8");
  const Hash root2 =
      *HashFromHex("b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb");
  const Hash root3 =
      *HashFromHex("36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1");
  EXPECT_EQ(*tree.LeafHashAt(0), l0);
  EXPECT_EQ(*TreeRoot(tree, 2), root2);
  EXPECT_EQ(*TreeRoot(tree, 3), root3);
  EXPECT_EQ(*InclusionProof(tree, 1, 3), (std::vector<Hash>{l0, l2}));
  EXPECT_EQ(*InclusionProof(tree, 2, 3), (std::vector<Hash>{root2}));
  EXPECT_EQ(*ConsistencyProof(tree, 2, 3), (std::vector<Hash>{l2}));
  EXPECT_EQ(*ConsistencyProof(tree, 1, 3), (std::vector<Hash>{l1, l2}));
  EXPECT_TRUE(VerifyInclusion(l1, 1, 3, std::vector<Hash>{l0, l2}, root3).ok());
  EXPECT_TRUE(VerifyConsistency(2, 3, root2, root3, std::vector<Hash>{l2}).ok());
  EXPECT_TRUE(VerifyConsistency(1, 3, l0, root3, std::vector<Hash>{l1, l2}).ok());
  // The same hashes in the other order, or the proof of another leaf, do not verify.
  EXPECT_FALSE(VerifyInclusion(l1, 1, 3, std::vector<Hash>{l2, l0}, root3).ok());
  EXPECT_FALSE(VerifyConsistency(1, 3, l0, root3, std::vector<Hash>{l2, l1}).ok());
}

TEST(MerkleTest, RootsEqualTheDefinitionForEverySize) {
  const Leaves d = MakeLeaves(kMax);
  const MemoryTree tree = MakeTree(d);
  const LeafOnly leaf_only(d);
  TreeFrontier frontier;
  EXPECT_EQ(frontier.Root(), RefSha(""));
  for (size_t n = 1; n <= kMax; ++n) {
    frontier.Append(LeafHash(d[n - 1]));
    const Hash expected = RefMth(Slice(d, 0, n));
    EXPECT_EQ(*TreeRoot(tree, n), expected) << n;
    EXPECT_EQ(*TreeRoot(leaf_only, n), expected) << n;
    EXPECT_EQ(frontier.Root(), expected) << n;
  }
}

TEST(MerkleTest, InclusionProofsEqualTheDefinitionAndVerify) {
  const Leaves d = MakeLeaves(kMax);
  const MemoryTree tree = MakeTree(d);
  const LeafOnly leaf_only(d);
  for (size_t n = 1; n <= kMax; ++n) {
    const Leaves prefix = Slice(d, 0, n);
    const Hash root = RefMth(prefix);
    for (size_t m = 0; m < n; ++m) {
      absl::StatusOr<std::vector<Hash>> proof = InclusionProof(tree, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_EQ(*proof, RefPath(m, prefix)) << m << " of " << n;
      EXPECT_EQ(*InclusionProof(leaf_only, m, n), *proof);
      EXPECT_TRUE(VerifyInclusion(LeafHash(d[m]), m, n, *proof, root).ok()) << m << "/" << n;
      EXPECT_TRUE(RefVerifyInclusion(m, n, LeafHash(d[m]), *proof, root)) << m << "/" << n;
    }
  }
}

TEST(MerkleTest, ConsistencyProofsEqualTheDefinitionAndVerify) {
  const Leaves d = MakeLeaves(kMax);
  const MemoryTree tree = MakeTree(d);
  for (size_t n = 1; n <= kMax; ++n) {
    const Leaves prefix = Slice(d, 0, n);
    for (size_t m = 1; m <= n; ++m) {
      absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      EXPECT_EQ(*proof, RefSubProof(m, prefix, true)) << m << " to " << n;
      EXPECT_TRUE(
          VerifyConsistency(m, n, RefMth(Slice(d, 0, m)), RefMth(prefix), *proof).ok())
          << m << " to " << n;
      if (m < n) {
        EXPECT_TRUE(RefVerifyConsistency(m, n, RefMth(Slice(d, 0, m)), RefMth(prefix), *proof))
            << m << " to " << n;
      }
    }
  }
}

TEST(MerkleTest, ForgedInclusionProofsFail) {
  const Leaves d = MakeLeaves(kMax);
  const MemoryTree tree = MakeTree(d);
  for (size_t n : {2, 3, 7, 8, 13, 64}) {
    const Hash root = *TreeRoot(tree, n);
    for (size_t m = 0; m < n; ++m) {
      const std::vector<Hash> proof = *InclusionProof(tree, m, n);
      const Hash leaf = LeafHash(d[m]);
      for (size_t i = 0; i < proof.size(); ++i) {
        for (size_t byte : {size_t{0}, size_t{31}}) {
          std::vector<Hash> forged = proof;
          forged[i][byte] ^= 0x01;
          EXPECT_FALSE(VerifyInclusion(leaf, m, n, forged, root).ok()) << m << "/" << n;
        }
      }
      for (size_t other = 0; other < n; ++other) {
        if (other == m) continue;
        EXPECT_FALSE(VerifyInclusion(leaf, other, n, proof, root).ok()) << m << "->" << other;
      }
      // A path does not bind the size by itself (the path of leaf 0 is the same shape in trees
      // of 3 and 4 leaves); the root signed for the claimed size does.
      for (size_t other_n = m + 1; other_n <= std::min(n + 2, kMax); ++other_n) {
        if (other_n == n) continue;
        EXPECT_FALSE(VerifyInclusion(leaf, m, other_n, proof, *TreeRoot(tree, other_n)).ok())
            << m << "/" << other_n;
      }
      Hash wrong_root = root;
      wrong_root[5] ^= 0x80;
      EXPECT_FALSE(VerifyInclusion(leaf, m, n, proof, wrong_root).ok());
      EXPECT_FALSE(VerifyInclusion(LeafHash("forged"), m, n, proof, root).ok());
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      EXPECT_EQ(VerifyInclusion(leaf, m, n, longer, root).code(),
                absl::StatusCode::kInvalidArgument);
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        EXPECT_EQ(VerifyInclusion(leaf, m, n, shorter, root).code(),
                  absl::StatusCode::kInvalidArgument);
      }
    }
    EXPECT_EQ(VerifyInclusion(LeafHash(d[0]), n, n, {}, root).code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST(MerkleTest, ForgedConsistencyProofsFail) {
  const Leaves d = MakeLeaves(kMax);
  const MemoryTree tree = MakeTree(d);
  for (size_t n : {2, 3, 5, 8, 13, 64}) {
    const Hash new_root = *TreeRoot(tree, n);
    for (size_t m = 1; m <= n; ++m) {
      const Hash old_root = *TreeRoot(tree, m);
      const std::vector<Hash> proof = *ConsistencyProof(tree, m, n);
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Hash> forged = proof;
        forged[i][17] ^= 0x04;
        EXPECT_FALSE(VerifyConsistency(m, n, old_root, new_root, forged).ok()) << m << "->" << n;
      }
      Hash wrong = old_root;
      wrong[0] ^= 1;
      EXPECT_FALSE(VerifyConsistency(m, n, wrong, new_root, proof).ok()) << m << "->" << n;
      wrong = new_root;
      wrong[31] ^= 1;
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, wrong, proof).ok()) << m << "->" << n;
      // As with inclusion, the sizes are bound through the roots signed for them.
      for (size_t other = 1; other <= n; ++other) {
        if (other == m) continue;
        EXPECT_FALSE(VerifyConsistency(other, n, *TreeRoot(tree, other), new_root, proof).ok())
            << m << "~" << other << "->" << n;
      }
      EXPECT_EQ(VerifyConsistency(n + 1, n, old_root, new_root, proof).code(),
                absl::StatusCode::kInvalidArgument);
      if (n < kMax) {
        EXPECT_FALSE(VerifyConsistency(m, n + 1, old_root, *TreeRoot(tree, n + 1), proof).ok());
      }
    }
  }
  EXPECT_EQ(VerifyConsistency(0, 4, RefSha(""), *TreeRoot(tree, 4), {}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MerkleTest, BadArgumentsAreErrors) {
  const MemoryTree tree = MakeTree(MakeLeaves(5));
  EXPECT_EQ(TreeRoot(tree, 6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, 5, 5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, 0, 6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 0, 5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 4, 3).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 2, 6).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tree.SubtreeHash(3, 0).status().code(), absl::StatusCode::kOutOfRange);
}

// Sizes near 2^64 are arithmetic, not allocations: proofs of the wrong length for them are
// refused, and ones of the right length are checked without trouble.
TEST(MerkleTest, HugeSizesAreHandled) {
  constexpr uint64_t kHuge = ~uint64_t{0};
  const Hash leaf = LeafHash("x");
  EXPECT_EQ(VerifyInclusion(leaf, kHuge - 1, kHuge, {}, leaf).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(1, kHuge, leaf, leaf, {}).code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<Hash> path(64, leaf);
  for (uint64_t index : {uint64_t{0}, kHuge / 2, kHuge - 2}) {
    const absl::Status status = VerifyInclusion(leaf, index, kHuge, path, leaf);
    EXPECT_TRUE(status.code() == absl::StatusCode::kInvalidArgument ||
                status.code() == absl::StatusCode::kDataLoss)
        << status;
  }
  for (uint64_t old_size : {uint64_t{1}, uint64_t{1} << 63, kHuge - 1}) {
    const absl::Status status = VerifyConsistency(old_size, kHuge, leaf, leaf, path);
    EXPECT_TRUE(status.code() == absl::StatusCode::kInvalidArgument ||
                status.code() == absl::StatusCode::kDataLoss)
        << status;
  }
  const MemoryTree small = MakeTree(MakeLeaves(3));
  EXPECT_EQ(TreeRoot(small, kHuge).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(small, 0, kHuge).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(small, 1, kHuge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A large log costs O(log n) per root and proof with a MemoryTree; the frontier agrees with it.
TEST(MerkleTest, LargeTreeProofsVerify) {
  constexpr uint64_t kSize = 300'000;
  MemoryTree tree;
  TreeFrontier frontier;
  for (uint64_t i = 0; i < kSize; ++i) {
    const Hash leaf = LeafHash("event " + std::to_string(i));
    tree.Append(leaf);
    frontier.Append(leaf);
  }
  const Hash root = *TreeRoot(tree, kSize);
  EXPECT_EQ(frontier.Root(), root);
  for (uint64_t index : {uint64_t{0}, uint64_t{131'071}, uint64_t{262'144}, kSize - 1}) {
    const std::vector<Hash> proof = *InclusionProof(tree, index, kSize);
    EXPECT_TRUE(VerifyInclusion(*tree.LeafHashAt(index), index, kSize, proof, root).ok());
  }
  for (uint64_t old_size : {uint64_t{1}, uint64_t{65'536}, uint64_t{200'001}}) {
    const std::vector<Hash> proof = *ConsistencyProof(tree, old_size, kSize);
    EXPECT_TRUE(
        VerifyConsistency(old_size, kSize, *TreeRoot(tree, old_size), root, proof).ok());
  }
}

}  // namespace
}  // namespace writ::runtime::audit
