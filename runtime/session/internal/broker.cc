#include "runtime/session/internal/broker.h"

#include <fmt/format.h>

#include <utility>

#include "compiler/base/status.h"
#include "compiler/ir/print.h"
#include "runtime/audit/keys.h"
#include "runtime/session/internal/accounting.h"

namespace writ::runtime::session_internal {
namespace {

using credentials::LeaseClaims;
using store::LeaseRow;

LeaseClaims ClaimsOf(const LeaseRow& row) {
  return {row.id,   row.session,    row.agent,      row.acting_for,
          row.tool, row.credential, row.scopes,     row.issued_at,
          row.expires_at};
}

LeaseRow RowOf(const LeaseClaims& claims, std::string_view step) {
  LeaseRow row;
  row.id = claims.id;
  row.session = claims.session;
  row.step = std::string(step);
  row.agent = claims.agent;
  row.acting_for = claims.acting_for;
  row.tool = claims.tool;
  row.credential = claims.credential;
  row.scopes = claims.scopes;
  row.issued_at = claims.issued_at_ms;
  row.expires_at = claims.expires_at_ms;
  return row;
}

bool Live(const LeaseRow& row, int64_t now) { return row.revoked_at == 0 && now < row.expires_at; }

void Minted(const LeaseRow& row, int64_t now, BrokerEvents out) {
  audit::AuditEvent event;
  event.kind = audit::EventKind::kCredentialMinted;
  event.session = row.session;
  event.step = row.step;
  event.at = now;
  event.SetField("lease_id", row.id);
  event.SetField("tool", row.tool);
  event.SetField("credential", row.credential);
  event.SetField("scopes", row.scopes);
  event.SetField("expires_at", row.expires_at);
  out.trail.push_back(std::move(event));
  out.events.push_back({"credential_minted", row.session, row.step, now,
                        Json{{"lease_id", row.id},
                             {"credential", row.credential},
                             {"scopes", row.scopes},
                             {"expires_at", ir::FormatTimestamp(row.expires_at)}}
                            .dump()});
}

// Marks `row` revoked and stores it, with its events.
absl::Status RevokeRow(store::Transaction& tx, LeaseRow& row, std::string_view reason,
                       int64_t now, BrokerEvents out) {
  row.revoked_at = now;
  row.revoke_reason = std::string(reason);
  WRIT_RETURN_IF_ERROR(tx.PutLease(row));
  audit::AuditEvent event;
  event.kind = audit::EventKind::kCredentialRevoked;
  event.session = row.session;
  event.step = row.step;
  event.at = now;
  event.SetField("lease_id", row.id);
  event.SetField("credential", row.credential);
  event.SetField("reason", std::string(reason));
  out.trail.push_back(std::move(event));
  out.events.push_back({"credential_revoked", row.session, row.step, now,
                        Json{{"lease_id", row.id},
                             {"credential", row.credential},
                             {"reason", std::string(reason)}}
                            .dump()});
  return absl::OkStatus();
}

}  // namespace

LeaseHolder HolderOf(const ir::Policy& policy, const store::SessionRow& row,
                     std::string_view step, std::string_view tool, const Request& request) {
  LeaseHolder holder{row.id, step, PrincipalKey(row.agent_type, row.agent_id), "", tool};
  if (request.principal < request.entities.size()) {
    const Entity& agent = request.entities[request.principal];
    if (agent.acts_for && *agent.acts_for < request.entities.size()) {
      const Entity& user = request.entities[*agent.acts_for];
      holder.acting_for = PrincipalKey(policy.entity_type(user.type).name, user.id);
    }
  }
  return holder;
}

void DenyForCredential(Decision& decision, std::string_view message) {
  decision.effect = DecisionEffect::kDeny;
  decision.reasons = {Reason{"", "credential", std::string(message), ""}};
  decision.approval.reset();
  std::vector<std::string> warnings = std::move(decision.obligations.warnings);
  decision.obligations = {};
  decision.obligations.warnings = std::move(warnings);
}

absl::StatusOr<Broker> Broker::Create(CredentialOptions options) {
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  if (!options.signing_key) {
    WRIT_ASSIGN_OR_RETURN(options.signing_key, audit::GenerateSigningKey());
  }
  const credentials::PublicKey public_key = audit::PublicKeyOf(*options.signing_key);
  return Broker(std::move(options), public_key);
}

absl::StatusOr<IssuedLease> Broker::Sign(LeaseClaims claims) const {
  WRIT_ASSIGN_OR_RETURN(std::string token, credentials::MintLease(claims, *options_.signing_key));
  return IssuedLease{std::move(claims), std::move(token)};
}

absl::StatusOr<std::vector<IssuedLease>> Broker::Mint(const LeaseHolder& holder,
                                                      const std::vector<GrantObligation>& grants,
                                                      int64_t now) const {
  std::vector<IssuedLease> leases;
  for (const GrantObligation& grant : grants) {
    credentials::LeaseSubject subject{std::string(holder.session), holder.agent,
                                      holder.acting_for,           std::string(holder.tool),
                                      grant.credential,            grant.scopes};
    absl::StatusOr<LeaseClaims> claims =
        credentials::NewLeaseClaims(std::move(subject), now, grant.ttl_millis);
    if (!claims.ok()) {
      if (claims.status().code() != absl::StatusCode::kInvalidArgument) return claims.status();
      return absl::InvalidArgumentError(fmt::format("credential {} cannot be granted: {}",
                                                    grant.credential,
                                                    std::string(claims.status().message())));
    }
    WRIT_ASSIGN_OR_RETURN(IssuedLease lease, Sign(*std::move(claims)));
    leases.push_back(std::move(lease));
  }
  return leases;
}

absl::Status Broker::Record(store::Transaction& tx, std::string_view step,
                            const std::vector<IssuedLease>& leases, BrokerEvents out) const {
  if (leases.empty()) return absl::OkStatus();
  WRIT_RETURN_IF_ERROR(tx.AddLeaseKey(public_key_, leases.front().claims.issued_at_ms));
  for (const IssuedLease& lease : leases) {
    LeaseRow row = RowOf(lease.claims, step);
    WRIT_RETURN_IF_ERROR(tx.PutLease(row));
    Minted(row, lease.claims.issued_at_ms, out);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<IssuedLease>> Broker::Reissue(store::Transaction& tx,
                                                         std::string_view session,
                                                         std::string_view step,
                                                         int64_t now) const {
  WRIT_ASSIGN_OR_RETURN(std::vector<LeaseRow> rows, tx.ListLeases(session));
  std::vector<IssuedLease> leases;
  for (const LeaseRow& row : rows) {
    if (row.step != step || !Live(row, now)) continue;
    // Signed with this runtime's key: a restart with another key gives a token that this key
    // verifies, for the same claims.
    WRIT_ASSIGN_OR_RETURN(IssuedLease lease, Sign(ClaimsOf(row)));
    leases.push_back(std::move(lease));
  }
  if (!leases.empty()) WRIT_RETURN_IF_ERROR(tx.AddLeaseKey(public_key_, now));
  return leases;
}

absl::StatusOr<int> Broker::RevokeAll(store::Transaction& tx, std::string_view session,
                                      std::string_view step, std::string_view reason,
                                      int64_t now, BrokerEvents out) const {
  WRIT_ASSIGN_OR_RETURN(std::vector<LeaseRow> rows, tx.ListLeases(session));
  int revoked = 0;
  for (LeaseRow& row : rows) {
    if ((!step.empty() && row.step != step) || !Live(row, now)) continue;
    WRIT_RETURN_IF_ERROR(RevokeRow(tx, row, reason, now, out));
    ++revoked;
  }
  return revoked;
}

absl::StatusOr<bool> Broker::Revoke(store::Transaction& tx, std::string_view lease_id,
                                    std::string_view reason, int64_t now,
                                    BrokerEvents out) const {
  WRIT_ASSIGN_OR_RETURN(std::optional<LeaseRow> row, tx.GetLease(lease_id));
  if (!row) return absl::NotFoundError(fmt::format("no lease `{}`", lease_id));
  if (row->revoked_at != 0) return false;
  WRIT_RETURN_IF_ERROR(RevokeRow(tx, *row, reason, now, out));
  return true;
}

absl::StatusOr<std::vector<IssuedLease>> Broker::Rotate(store::Transaction& tx,
                                                        std::string_view session, int64_t now,
                                                        BrokerEvents out) const {
  WRIT_ASSIGN_OR_RETURN(std::vector<LeaseRow> rows, tx.ListLeases(session));
  std::vector<IssuedLease> successors;
  for (LeaseRow& row : rows) {
    if (row.revoked_at != 0) continue;
    const LeaseClaims claims = ClaimsOf(row);
    if (!credentials::NeedsRotation(claims, now)) continue;
    // Only a call still in progress keeps its authority; a finished step's lease lapses.
    WRIT_ASSIGN_OR_RETURN(std::optional<store::StepRow> step, tx.GetStep(session, row.step));
    if (!step || step->state != store::StepState::kAllowed) continue;
    WRIT_ASSIGN_OR_RETURN(LeaseClaims next, credentials::Rotate(claims, now));
    WRIT_ASSIGN_OR_RETURN(IssuedLease lease, Sign(std::move(next)));
    WRIT_RETURN_IF_ERROR(RevokeRow(tx, row, "rotated", now, out));
    WRIT_RETURN_IF_ERROR(Record(tx, row.step, {lease}, out));
    successors.push_back(std::move(lease));
  }
  return successors;
}

}  // namespace writ::runtime::session_internal
