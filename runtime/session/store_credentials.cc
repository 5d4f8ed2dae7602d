#include "runtime/session/store_credentials.h"

#include <chrono>

#include "compiler/base/status.h"

namespace writ::runtime {

absl::StatusOr<std::optional<std::string>> StoreSecretTable::GetSealed(std::string_view name) {
  std::optional<std::string> sealed;
  WRIT_RETURN_IF_ERROR(store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(sealed, tx.GetSecret(name));
    return absl::OkStatus();
  }));
  return sealed;
}

absl::Status StoreSecretTable::PutSealed(std::string_view name, std::string_view blob) {
  const int64_t now = clock_ ? clock_()
                             : std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  return store_.Transact(
      [&](store::Transaction& tx) { return tx.PutSecret(name, blob, now); });
}

bool StoreRevocations::IsLeaseRevoked(std::string_view lease_id) const {
  bool revoked = true;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(std::optional<store::LeaseRow> row, tx.GetLease(lease_id));
    revoked = !row || row->revoked_at != 0;
    return absl::OkStatus();
  });
  return !status.ok() || revoked;
}

bool StoreRevocations::IsSessionRevoked(std::string_view session) const {
  bool revoked = true;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(std::optional<store::SessionRow> row, tx.GetSession(session));
    revoked = !row || row->state != store::SessionState::kRunning;
    return absl::OkStatus();
  });
  return !status.ok() || revoked;
}

}  // namespace writ::runtime
