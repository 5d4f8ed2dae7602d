#include "runtime/credentials/master_key.h"

#include <sodium.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/audit/hash.h"
#include "runtime/credentials/internal/codec.h"

namespace writ::runtime::credentials {
namespace {

static_assert(MasterKey::kBytes == crypto_secretbox_KEYBYTES);

std::string_view StripWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\n\v\f\r";
  const size_t begin = text.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kWhitespace) + 1 - begin);
}

// The file's bytes, at most kMaxFileBytes + 1 of them (enough to tell that it is too long).
absl::StatusOr<std::string> ReadKeyFile(const std::filesystem::path& path) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!ec && !exists) {
    return absl::NotFoundError(fmt::format("master key file '{}' does not exist", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InternalError(fmt::format("master key file '{}' cannot be read: {}",
                                           path.string(), std::strerror(errno)));
  }
  std::string bytes(MasterKey::kMaxFileBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (in.bad()) {
    internal::Wipe(bytes);
    return absl::InternalError(fmt::format("master key file '{}' cannot be read", path.string()));
  }
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

}  // namespace

absl::StatusOr<MasterKey> MasterKey::FromText(std::string_view text, std::string_view origin) {
  MasterKey key;
  if (text.size() == kBytes) {
    std::memcpy(key.bytes_.data(), text.data(), kBytes);
    return key;
  }
  const std::string_view hex = StripWhitespace(text);
  if (hex.size() != 2 * kBytes) {
    return absl::InvalidArgumentError(
        fmt::format("{}: expected 64 hex digits or 32 raw bytes, found {} bytes{}", origin,
                    hex.size(), hex.size() == text.size() ? "" : " besides whitespace"));
  }
  std::optional<std::string> decoded = internal::HexDecode(hex);
  if (!decoded) {
    const size_t bad = hex.find_first_not_of("0123456789abcdefABCDEF");
    return absl::InvalidArgumentError(fmt::format(
        "{}: not a hex key (the character at offset {} is not a hex digit)", origin, bad));
  }
  std::memcpy(key.bytes_.data(), decoded->data(), kBytes);
  internal::Wipe(*decoded);
  return key;
}

absl::StatusOr<MasterKey> MasterKey::FromFile(const std::filesystem::path& path) {
  WRIT_ASSIGN_OR_RETURN(std::string bytes, ReadKeyFile(path));
  absl::StatusOr<MasterKey> key =
      FromText(bytes, fmt::format("master key file '{}'", path.string()));
  internal::Wipe(bytes);
  return key;
}

absl::StatusOr<MasterKey> MasterKey::FromEnv(std::string_view variable) {
  const std::string name(variable);
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    return absl::NotFoundError(
        fmt::format("master key: the environment variable {} is not set", name));
  }
  const std::string_view text(value);
  const std::string origin = fmt::format("master key in {}", name);
  // The environment cannot hold raw bytes reliably, so only hex is accepted there.
  if (text.size() == kBytes) {
    return absl::InvalidArgumentError(fmt::format("{}: expected 64 hex digits, found 32 bytes",
                                                  origin));
  }
  return FromText(text, origin);
}

absl::StatusOr<MasterKey> MasterKey::Generate() {
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  MasterKey key;
  crypto_secretbox_keygen(key.bytes_.data());
  return key;
}

MasterKey::MasterKey(MasterKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

MasterKey& MasterKey::operator=(MasterKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

MasterKey::~MasterKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::string MasterKey::ToHex() const {
  return internal::HexEncode(
      std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size()));
}

}  // namespace writ::runtime::credentials
