#include "runtime/audit/hash.h"

#include <sodium.h>

namespace writ::runtime::audit {
namespace {

constexpr std::string_view kChainTag = "writ.audit.chain.v1";

// A SHA-256 over several pieces, without copying them into one buffer.
class Hasher {
 public:
  Hasher() { crypto_hash_sha256_init(&state_); }
  Hasher& Add(std::string_view bytes) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
    return *this;
  }
  Hasher& Add(const Hash& hash) {
    crypto_hash_sha256_update(&state_, hash.data(), hash.size());
    return *this;
  }
  Hash Finish() {
    Hash out;
    crypto_hash_sha256_final(&state_, out.data());
    return out;
  }

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace

absl::Status EnsureSodium() {
  // sodium_init is thread-safe and idempotent; the static runs it once.
  static const bool ok = sodium_init() >= 0;
  if (!ok) return absl::InternalError("libsodium cannot be initialized");
  return absl::OkStatus();
}

Hash Sha256(std::string_view bytes) { return Hasher().Add(bytes).Finish(); }

Hash LeafHash(std::string_view leaf) {
  return Hasher().Add(std::string_view("\x00", 1)).Add(leaf).Finish();
}

Hash NodeHash(const Hash& left, const Hash& right) {
  return Hasher().Add(std::string_view("\x01", 1)).Add(left).Add(right).Finish();
}

Hash ChainLink(const Hash& previous, const Hash& leaf_hash) {
  return Hasher().Add(kChainTag).Add(previous).Add(leaf_hash).Finish();
}

std::string ToHex(const Hash& hash) {
  char out[2 * 32 + 1];
  sodium_bin2hex(out, sizeof(out), hash.data(), hash.size());
  return std::string(out, 2 * 32);
}

std::optional<Hash> HashFromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Hash out;
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
      written != out.size() || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  return out;
}

std::string BytesToHex(std::string_view bytes) {
  std::string out(2 * bytes.size() + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> BytesFromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &written, &end) != 0 ||
      written != out.size() || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace writ::runtime::audit
