// Leases outside a step (docs/credentials.md, "In the runtime"): revocation by lease or by
// session, rotation, verification against the store, and redemption for upstream secrets.
#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/session/internal/audit_trail.h"
#include "runtime/session/internal/broker.h"
#include "runtime/session/internal/rows.h"
#include "runtime/session/session_runtime.h"
#include "runtime/session/store_credentials.h"

namespace writ::runtime {

absl::StatusOr<bool> SessionRuntime::RevokeLease(std::string_view lease_id,
                                                 std::string_view reason) {
  int64_t now = Now();
  bool revoked = false;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    std::vector<audit::AuditEvent> trail;
    WRIT_ASSIGN_OR_RETURN(revoked, broker_->Revoke(tx, lease_id, reason, now, {trail, events}));
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return revoked;
}

absl::StatusOr<int> SessionRuntime::RevokeLeases(std::string_view session,
                                                 std::string_view reason) {
  int64_t now = Now();
  int revoked = 0;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_RETURN_IF_ERROR(session_internal::LoadRunning(tx, session).status());
    std::vector<audit::AuditEvent> trail;
    WRIT_ASSIGN_OR_RETURN(revoked,
                          broker_->RevokeAll(tx, session, "", reason, now, {trail, events}));
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return revoked;
}

absl::StatusOr<std::vector<IssuedLease>> SessionRuntime::RotateLeases(std::string_view session) {
  int64_t now = Now();
  std::vector<IssuedLease> successors;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_RETURN_IF_ERROR(session_internal::LoadRunning(tx, session).status());
    std::vector<audit::AuditEvent> trail;
    WRIT_ASSIGN_OR_RETURN(successors, broker_->Rotate(tx, session, now, {trail, events}));
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return successors;
}

absl::StatusOr<credentials::LeaseClaims> SessionRuntime::VerifyLease(std::string_view token) {
  std::vector<credentials::PublicKey> keys = {broker_->public_key()};
  WRIT_RETURN_IF_ERROR(store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(std::vector<credentials::PublicKey> stored, tx.ListLeaseKeys());
    for (const credentials::PublicKey& key : stored) {
      if (key != keys.front()) keys.push_back(key);
    }
    return absl::OkStatus();
  }));
  StoreRevocations revocations(store_);
  absl::StatusOr<credentials::LeaseClaims> verified;
  for (const credentials::PublicKey& key : keys) {
    verified = credentials::VerifyLease(token, key, Now(), &revocations);
    // Only a signature that does not fit this key is worth trying the next one.
    if (credentials::LeaseErrorOf(verified.status()) != credentials::LeaseError::kBadSignature) {
      break;
    }
  }
  return verified;
}

absl::StatusOr<std::string> SessionRuntime::RedeemLease(std::string_view token) {
  WRIT_ASSIGN_OR_RETURN(credentials::LeaseClaims claims, VerifyLease(token));
  if (options_.credentials.vault == nullptr) {
    return absl::FailedPreconditionError("this runtime holds no upstream secrets (no vault)");
  }
  return options_.credentials.vault->Get(claims.credential);
}

const credentials::PublicKey& SessionRuntime::lease_public_key() const {
  return broker_->public_key();
}

}  // namespace writ::runtime
