// The secret store for upstream secrets (an ERP API key, a bank token), encrypted at rest with
// libsodium's secretbox (XSalsa20-Poly1305) under the master key (docs/credentials.md, "Secret
// storage"). Each secret's name is sealed with it, so a blob copied to another name does not
// open. Where the blobs live is a SecretTable: the store's SQLite table, or memory for tests.
#ifndef WRIT_RUNTIME_CREDENTIALS_SECRETS_H_
#define WRIT_RUNTIME_CREDENTIALS_SECRETS_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/credentials/master_key.h"

namespace writ::runtime::credentials {

inline constexpr uint8_t kSecretFormatVersion = 1;
inline constexpr size_t kMaxSecretNameBytes = 255;
inline constexpr size_t kMaxSecretBytes = 64 * 1024;

// Seals `plaintext` under `key` for the secret `name`: the version byte, a random 24-byte
// nonce, then the secretbox of (version, name, plaintext). InvalidArgument for an empty or
// over-long name or an over-long plaintext; Internal if libsodium cannot start.
absl::StatusOr<std::string> SealSecret(const MasterKey& key, std::string_view name,
                                       std::string_view plaintext);

// Opens a blob SealSecret made for `name`. DataLoss if it is not a sealed secret of a known
// version; Unauthenticated ("wrong master key or corrupted secret") if it does not open with
// this key, or if it was sealed for another name.
absl::StatusOr<std::string> OpenSecret(const MasterKey& key, std::string_view name,
                                       std::string_view blob);

// Where sealed blobs are kept. It only ever sees ciphertext.
class SecretTable {
 public:
  virtual ~SecretTable() = default;
  // The blob stored under `name`, nullopt if there is none; an error if the table fails.
  virtual absl::StatusOr<std::optional<std::string>> GetSealed(std::string_view name) = 0;
  // Stores `blob` under `name`, replacing any previous one.
  virtual absl::Status PutSealed(std::string_view name, std::string_view blob) = 0;
};

// A SecretTable in memory, for tests and for tools that do not persist secrets. Thread-safe.
class MemorySecretTable : public SecretTable {
 public:
  absl::StatusOr<std::optional<std::string>> GetSealed(std::string_view name) override;
  absl::Status PutSealed(std::string_view name, std::string_view blob) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> blobs_;
};

// A master key over a table: what the broker uses to store and fetch upstream secrets.
class SecretVault {
 public:
  // `table` must outlive the vault.
  SecretVault(MasterKey key, SecretTable& table) : key_(std::move(key)), table_(table) {}

  // Seals and stores the secret; SealSecret's errors, or the table's.
  absl::Status Put(std::string_view name, std::string_view plaintext);
  // The secret's plaintext. NotFound if no secret has this name; OpenSecret's errors, or the
  // table's.
  absl::StatusOr<std::string> Get(std::string_view name);

 private:
  MasterKey key_;
  SecretTable& table_;
};

}  // namespace writ::runtime::credentials

#endif  // WRIT_RUNTIME_CREDENTIALS_SECRETS_H_
