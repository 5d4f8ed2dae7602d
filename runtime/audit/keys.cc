#include "runtime/audit/keys.h"

#include <sodium.h>

#include <algorithm>

#include "runtime/audit/hash.h"

namespace writ::runtime::audit {

absl::StatusOr<SecretKey> GenerateSigningKey() {
  if (absl::Status ready = EnsureSodium(); !ready.ok()) return ready;
  PublicKey public_key;
  SecretKey secret;
  crypto_sign_keypair(public_key.data(), secret.data());
  return secret;
}

PublicKey PublicKeyOf(const SecretKey& key) {
  PublicKey out;
  crypto_sign_ed25519_sk_to_pk(out.data(), key.data());
  return out;
}

std::string SecretKeyToHex(const SecretKey& key) {
  char out[2 * 64 + 1];
  sodium_bin2hex(out, sizeof(out), key.data(), key.size());
  std::string text(out, 2 * 64);
  sodium_memzero(out, sizeof(out));
  return text;
}

std::optional<SecretKey> SecretKeyFromHex(std::string_view hex) {
  if (hex.size() != 128 || !EnsureSodium().ok()) return std::nullopt;
  SecretKey key;
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
      written != key.size() || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  // Re-derive the pair from the seed: the stored public half must be the seed's.
  PublicKey derived;
  SecretKey rebuilt;
  crypto_sign_seed_keypair(derived.data(), rebuilt.data(), key.data());
  const bool consistent = std::equal(rebuilt.begin(), rebuilt.end(), key.begin());
  sodium_memzero(rebuilt.data(), rebuilt.size());
  if (!consistent) {
    sodium_memzero(key.data(), key.size());
    return std::nullopt;
  }
  return key;
}

}  // namespace writ::runtime::audit
