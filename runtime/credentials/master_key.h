// The master key that seals the secret store (docs/credentials.md, "Secret storage"). It is
// read from a key file or an environment variable, never stored next to the secrets, and its
// bytes are wiped when the key is destroyed. It can be moved but not copied, so exactly one
// object owns the bytes at a time.
#ifndef WRIT_RUNTIME_CREDENTIALS_MASTER_KEY_H_
#define WRIT_RUNTIME_CREDENTIALS_MASTER_KEY_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace writ::runtime::credentials {

class MasterKey {
 public:
  static constexpr size_t kBytes = 32;  // crypto_secretbox_KEYBYTES
  // A key file is read only up to this size; anything longer is the wrong file.
  static constexpr size_t kMaxFileBytes = 4096;

  // Reads a key file: 64 hex digits (either case) with optional surrounding whitespace, or
  // exactly 32 raw bytes. NotFound if the file does not exist, InvalidArgument for a wrong
  // length or a non-hex character, Internal for other I/O failures.
  static absl::StatusOr<MasterKey> FromFile(const std::filesystem::path& path);

  // Reads 64 hex digits (surrounding whitespace allowed) from the environment variable
  // `variable`, e.g. WRIT_MASTER_KEY. NotFound if it is unset, InvalidArgument otherwise.
  static absl::StatusOr<MasterKey> FromEnv(std::string_view variable);

  // Parses the text of a key file; `origin` names it in error messages.
  static absl::StatusOr<MasterKey> FromText(std::string_view text, std::string_view origin);

  // A fresh random key (for `writ cred init` and tests). Internal if libsodium cannot start.
  static absl::StatusOr<MasterKey> Generate();

  MasterKey(MasterKey&& other) noexcept;
  MasterKey& operator=(MasterKey&& other) noexcept;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;
  ~MasterKey();

  const std::array<uint8_t, kBytes>& bytes() const { return bytes_; }
  // The key as 64 lower-case hex digits, the form FromFile and FromEnv read.
  std::string ToHex() const;

 private:
  MasterKey() = default;
  std::array<uint8_t, kBytes> bytes_{};
};

}  // namespace writ::runtime::credentials

#endif  // WRIT_RUNTIME_CREDENTIALS_MASTER_KEY_H_
