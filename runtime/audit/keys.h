// The Ed25519 keys that sign tree heads (docs/audit.md, "Keys"): generating one, and the text
// form a key file holds. A public key is 32 bytes like a Hash, so ToHex and HashFromHex of
// hash.h spell it.
#ifndef WRIT_RUNTIME_AUDIT_KEYS_H_
#define WRIT_RUNTIME_AUDIT_KEYS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "runtime/audit/tree_head.h"

namespace writ::runtime::audit {

// A fresh key pair from libsodium's entropy source. Internal only if libsodium cannot start.
absl::StatusOr<SecretKey> GenerateSigningKey();

// The public half of a secret key (its last 32 bytes, which libsodium keeps there).
PublicKey PublicKeyOf(const SecretKey& key);

// 128 lower-case hex digits, and the strict inverse: nullopt unless the text is exactly 128 hex
// digits whose public half is the one the seed derives (a key file with a damaged half would
// sign heads nobody can verify).
std::string SecretKeyToHex(const SecretKey& key);
std::optional<SecretKey> SecretKeyFromHex(std::string_view hex);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_KEYS_H_
