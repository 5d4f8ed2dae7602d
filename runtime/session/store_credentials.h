// The store behind the credential library's interfaces (docs/credentials.md, "In the store"):
// the table of sealed secrets, and the revocation list a verifier with access to the store
// consults. Each call is one transaction of its own.
#ifndef WRIT_RUNTIME_SESSION_STORE_CREDENTIALS_H_
#define WRIT_RUNTIME_SESSION_STORE_CREDENTIALS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "runtime/credentials/secrets.h"
#include "runtime/credentials/verify.h"
#include "runtime/store/store.h"

namespace writ::runtime {

// Sealed secrets in the store's `secrets` table. `store` outlives the table.
class StoreSecretTable : public credentials::SecretTable {
 public:
  // `clock` (ms since the epoch) stamps what is stored; null means the system clock.
  explicit StoreSecretTable(store::Store& store, std::function<int64_t()> clock = nullptr)
      : store_(store), clock_(std::move(clock)) {}
  absl::StatusOr<std::optional<std::string>> GetSealed(std::string_view name) override;
  absl::Status PutSealed(std::string_view name, std::string_view blob) override;

 private:
  store::Store& store_;
  std::function<int64_t()> clock_;
};

// The revocations the store records. It fails closed: a lease the store did not mint, one of
// a session that ended or that the store does not know, and any lease while the store cannot be
// read, all count as revoked.
class StoreRevocations : public credentials::RevocationSource {
 public:
  explicit StoreRevocations(store::Store& store) : store_(store) {}
  bool IsLeaseRevoked(std::string_view lease_id) const override;
  bool IsSessionRevoked(std::string_view session) const override;

 private:
  store::Store& store_;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_SESSION_STORE_CREDENTIALS_H_
