#include "runtime/credentials/secrets.h"

#include <sodium.h>

#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/audit/hash.h"
#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/wire.h"

namespace writ::runtime::credentials {
namespace {

constexpr size_t kNonceBytes = crypto_secretbox_NONCEBYTES;
constexpr size_t kMacBytes = crypto_secretbox_MACBYTES;
// The version byte and nonce in clear, then the MAC and the sealed version and name length.
constexpr size_t kMinBlobBytes = 1 + kNonceBytes + kMacBytes + 2;

absl::Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSecretNameBytes) {
    return absl::InvalidArgumentError(fmt::format("secret name must be 1 to {} bytes, not {}",
                                                  kMaxSecretNameBytes, name.size()));
  }
  return absl::OkStatus();
}

absl::Status WrongKey(std::string_view name) {
  return absl::UnauthenticatedError(
      fmt::format("secret '{}': wrong master key or corrupted secret", name));
}

}  // namespace

absl::StatusOr<std::string> SealSecret(const MasterKey& key, std::string_view name,
                                       std::string_view plaintext) {
  WRIT_RETURN_IF_ERROR(CheckName(name));
  if (plaintext.size() > kMaxSecretBytes) {
    return absl::InvalidArgumentError(fmt::format("secret '{}' is {} bytes; the limit is {}",
                                                  name, plaintext.size(), kMaxSecretBytes));
  }
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  internal::ByteWriter inner;
  inner.U8(kSecretFormatVersion);
  inner.ShortString(name);
  inner.Raw(plaintext);

  std::string blob(1 + kNonceBytes + kMacBytes + inner.bytes().size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  out[0] = kSecretFormatVersion;
  randombytes_buf(out + 1, kNonceBytes);
  crypto_secretbox_easy(out + 1 + kNonceBytes,
                        reinterpret_cast<const unsigned char*>(inner.bytes().data()),
                        inner.bytes().size(), out + 1, key.bytes().data());
  internal::Wipe(inner.bytes());
  return blob;
}

absl::StatusOr<std::string> OpenSecret(const MasterKey& key, std::string_view name,
                                       std::string_view blob) {
  WRIT_RETURN_IF_ERROR(CheckName(name));
  if (blob.size() < kMinBlobBytes) {
    return absl::DataLossError(
        fmt::format("secret '{}': not a sealed secret ({} bytes)", name, blob.size()));
  }
  const uint8_t version = static_cast<uint8_t>(blob[0]);
  if (version != kSecretFormatVersion) {
    return absl::DataLossError(
        fmt::format("secret '{}': unknown format version {}", name, static_cast<int>(version)));
  }
  if (blob.size() > 1 + kNonceBytes + kMacBytes + 2 + kMaxSecretNameBytes + kMaxSecretBytes) {
    return absl::DataLossError(fmt::format("secret '{}': the blob is too long", name));
  }
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  const auto* in = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t sealed_bytes = blob.size() - 1 - kNonceBytes;
  std::string inner(sealed_bytes - kMacBytes, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(inner.data()),
                                 in + 1 + kNonceBytes, sealed_bytes, in + 1,
                                 key.bytes().data()) != 0) {
    return WrongKey(name);
  }
  internal::ByteReader reader(inner);
  uint8_t inner_version = 0;
  std::string_view sealed_name;
  if (!reader.U8(inner_version) || inner_version != version || !reader.ShortString(sealed_name)) {
    internal::Wipe(inner);
    return WrongKey(name);
  }
  if (sealed_name != name) {
    internal::Wipe(inner);
    return absl::UnauthenticatedError(
        fmt::format("secret '{}': the blob was sealed for another secret", name));
  }
  std::string plaintext(reader.rest());
  internal::Wipe(inner);
  return plaintext;
}

absl::StatusOr<std::optional<std::string>> MemorySecretTable::GetSealed(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto it = blobs_.find(name);
  if (it == blobs_.end()) return std::nullopt;
  return it->second;
}

absl::Status MemorySecretTable::PutSealed(std::string_view name, std::string_view blob) {
  std::lock_guard lock(mutex_);
  blobs_.insert_or_assign(std::string(name), std::string(blob));
  return absl::OkStatus();
}

absl::Status SecretVault::Put(std::string_view name, std::string_view plaintext) {
  WRIT_ASSIGN_OR_RETURN(std::string blob, SealSecret(key_, name, plaintext));
  return table_.PutSealed(name, blob);
}

absl::StatusOr<std::string> SecretVault::Get(std::string_view name) {
  WRIT_ASSIGN_OR_RETURN(std::optional<std::string> blob, table_.GetSealed(name));
  if (!blob) return absl::NotFoundError(fmt::format("secret '{}' is not stored", name));
  return OpenSecret(key_, name, *blob);
}

}  // namespace writ::runtime::credentials
