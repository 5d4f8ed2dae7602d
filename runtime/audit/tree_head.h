// Signed tree heads (docs/audit.md, "Tree heads"): the log's size and Merkle root at a moment,
// signed with the runtime's Ed25519 key. A tree head kept outside the log (exported, or held by
// an auditor) is what makes truncation and a rewritten chain detectable.
#ifndef WRIT_RUNTIME_AUDIT_TREE_HEAD_H_
#define WRIT_RUNTIME_AUDIT_TREE_HEAD_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/audit/hash.h"

namespace writ::runtime::audit {

// libsodium's Ed25519 layouts: the 64-byte secret key is the seed followed by the public key.
using PublicKey = std::array<uint8_t, 32>;
using SecretKey = std::array<uint8_t, 64>;
using Signature = std::array<uint8_t, 64>;

struct TreeHead {
  uint64_t size = 0;
  Hash root{};
  int64_t timestamp = 0;  // ms since the epoch
  friend bool operator==(const TreeHead&, const TreeHead&) = default;
};

struct SignedTreeHead {
  TreeHead head;
  Signature signature{};
  friend bool operator==(const SignedTreeHead&, const SignedTreeHead&) = default;
};

// What is signed: "writ.audit.tree_head.v1", the size and timestamp as 8 big-endian bytes each,
// then the root (71 bytes in all).
std::string TreeHeadMessage(const TreeHead& head);

// Signs the head. Internal only if libsodium cannot initialize.
absl::StatusOr<SignedTreeHead> SignTreeHead(const TreeHead& head, const SecretKey& key);

// OK when the signature is `key`'s over the head; Unauthenticated otherwise.
absl::Status VerifyTreeHead(const SignedTreeHead& signed_head, const PublicKey& key);

// A signed tree head as 113 bytes for storage or export: a version byte (1), the message's
// fields in its order, then the signature. Decode is DataLoss for anything else.
inline constexpr size_t kTreeHeadBytes = 1 + 8 + 8 + 32 + 64;
std::string EncodeTreeHead(const SignedTreeHead& signed_head);
absl::StatusOr<SignedTreeHead> DecodeTreeHead(std::string_view bytes);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_TREE_HEAD_H_
