// The credential broker's tables of the SQLite store (docs/credentials.md, "In the store"): the
// leases it minted (their claims and revocation, never the tokens), the sealed upstream secrets
// and the public keys leases were signed with. One object per transaction.
#ifndef WRIT_RUNTIME_STORE_INTERNAL_SQLITE_CREDENTIALS_H_
#define WRIT_RUNTIME_STORE_INTERNAL_SQLITE_CREDENTIALS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/store/internal/sqlite_audit.h"
#include "runtime/store/store.h"

namespace writ::runtime::store::internal {

// The schema the credential tables add (migration 4).
extern const char* const kCredentialSchema;

class SqliteCredentials {
 public:
  // `path` names the store in messages.
  SqliteCredentials(StatementSource& statements, std::string_view path)
      : statements_(statements), path_(path) {}

  absl::Status PutLease(const LeaseRow& row);
  absl::StatusOr<std::optional<LeaseRow>> GetLease(std::string_view id);
  absl::StatusOr<std::vector<LeaseRow>> ListLeases(std::string_view session);
  absl::Status AddLeaseKey(const audit::PublicKey& key, int64_t at);
  absl::StatusOr<std::vector<audit::PublicKey>> ListLeaseKeys();

  absl::StatusOr<std::optional<std::string>> GetSecret(std::string_view name);
  absl::Status PutSecret(std::string_view name, std::string_view sealed, int64_t at);
  absl::StatusOr<std::vector<SecretRow>> ListSecrets();

 private:
  absl::StatusOr<LeaseRow> ReadLease(const Statement& s);

  StatementSource& statements_;
  std::string_view path_;
};

}  // namespace writ::runtime::store::internal

#endif  // WRIT_RUNTIME_STORE_INTERNAL_SQLITE_CREDENTIALS_H_
