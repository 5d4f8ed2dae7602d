// The session runtime's credential broker (docs/credentials.md, "In the runtime"): it mints a
// lease for each grant of an allowed call, keeps the lease's claims in the store in the
// transaction of the decision, revokes leases when their step finishes or their session ends,
// rotates the leases of long calls, and signs a replayed step's leases again. Every mint and
// revocation is an audit event of the same transaction.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_BROKER_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_BROKER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/audit/event.h"
#include "runtime/credentials/lease.h"
#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/request.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

// Who a step's leases are for.
struct LeaseHolder {
  std::string_view session;
  std::string_view step;
  std::string agent;       // "type::id"
  std::string acting_for;  // "type::id", or empty
  std::string_view tool;
};

// The holder of a call's leases: the session's agent, and the user it acts for as the call's
// request names it.
LeaseHolder HolderOf(const ir::Policy& policy, const store::SessionRow& row,
                     std::string_view step, std::string_view tool, const Request& request);

// Turns an allowed decision into the deny of a call whose grant cannot be a lease: one reason
// of kind `credential` with `message`; only the warnings of its obligations are kept.
void DenyForCredential(Decision& decision, std::string_view message);

// What a mint, a revocation or a rotation adds to its transaction: audit events, and the
// runtime's events to emit once it committed.
struct BrokerEvents {
  std::vector<audit::AuditEvent>& trail;
  std::vector<Event>& events;
};

class Broker {
 public:
  // Makes a signing key when `options` has none. Fails only if libsodium cannot initialize.
  static absl::StatusOr<Broker> Create(CredentialOptions options);

  const credentials::PublicKey& public_key() const { return public_key_; }

  // The signed leases `grants` ask for, not stored yet. InvalidArgument when a grant cannot be
  // a lease (a claim over the format's limits, a ttl past 30 days): the call is then denied.
  absl::StatusOr<std::vector<IssuedLease>> Mint(const LeaseHolder& holder,
                                                const std::vector<GrantObligation>& grants,
                                                int64_t now) const;
  // Stores what Mint made, with a `credential_minted` event each.
  absl::Status Record(store::Transaction& tx, std::string_view step,
                      const std::vector<IssuedLease>& leases, BrokerEvents out) const;

  // The live leases of a step (neither revoked nor expired at `now`), signed again.
  absl::StatusOr<std::vector<IssuedLease>> Reissue(store::Transaction& tx,
                                                   std::string_view session,
                                                   std::string_view step, int64_t now) const;

  // Revokes the live leases of the session, or only of `step` when it is not empty, with a
  // `credential_revoked` event each; returns how many.
  absl::StatusOr<int> RevokeAll(store::Transaction& tx, std::string_view session,
                                std::string_view step, std::string_view reason, int64_t now,
                                BrokerEvents out) const;
  // Revokes one lease. NotFound when the store has no such lease; false when it was revoked
  // already.
  absl::StatusOr<bool> Revoke(store::Transaction& tx, std::string_view lease_id,
                              std::string_view reason, int64_t now, BrokerEvents out) const;
  // Replaces the leases of the session's allowed steps that need rotation (credentials::
  // NeedsRotation): each successor is minted and stored, and its predecessor revoked.
  absl::StatusOr<std::vector<IssuedLease>> Rotate(store::Transaction& tx,
                                                  std::string_view session, int64_t now,
                                                  BrokerEvents out) const;

 private:
  Broker(CredentialOptions options, const credentials::PublicKey& public_key)
      : options_(std::move(options)), public_key_(public_key) {}
  absl::StatusOr<IssuedLease> Sign(credentials::LeaseClaims claims) const;

  CredentialOptions options_;
  credentials::PublicKey public_key_{};
};

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_BROKER_H_
