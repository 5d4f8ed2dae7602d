// SHA-256 digests of the audit trail (docs/audit.md). Every hash the trail computes starts with a
// prefix that names its purpose, so a leaf, an interior node of the Merkle tree and a link of the
// hash chain can never be mistaken for one another: 0x00 for leaves and 0x01 for nodes (RFC 6962),
// the ASCII tag "writ.audit.chain.v1" for chain links.
#ifndef WRIT_RUNTIME_AUDIT_HASH_H_
#define WRIT_RUNTIME_AUDIT_HASH_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace writ::runtime::audit {

using Hash = std::array<uint8_t, 32>;

// Initializes libsodium once; every function of this library that needs it calls this first.
// Fails only if the library cannot initialize (no entropy source).
absl::Status EnsureSodium();

// SHA-256 of `bytes` (the empty tree's root is Sha256("")).
Hash Sha256(std::string_view bytes);

// RFC 6962: SHA-256(0x00 || leaf) and SHA-256(0x01 || left || right).
Hash LeafHash(std::string_view leaf);
Hash NodeHash(const Hash& left, const Hash& right);

// The chain link of an event: SHA-256("writ.audit.chain.v1" || previous || leaf_hash). The
// first event's `previous` is kChainStart.
Hash ChainLink(const Hash& previous, const Hash& leaf_hash);
inline constexpr Hash kChainStart{};

// Lower-case hex, and its strict inverse (exactly 64 hex digits); nullopt on anything else.
std::string ToHex(const Hash& hash);
std::optional<Hash> HashFromHex(std::string_view hex);
// The same for any byte string (an exported tree head, an event's encoding in a proof).
std::string BytesToHex(std::string_view bytes);
std::optional<std::string> BytesFromHex(std::string_view hex);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_HASH_H_
