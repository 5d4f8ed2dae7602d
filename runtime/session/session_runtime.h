// The session runtime (docs/runtime.md): governs agent tasks over many tool calls against one
// policy and one store. Every decision, what it reserves and its audit events are committed in
// one transaction; a step id already seen returns its recorded outcome, so a restarted agent
// never executes or pays for a step twice. Thread-safe: the store serializes transactions.
#ifndef WRIT_RUNTIME_SESSION_SESSION_RUNTIME_H_
#define WRIT_RUNTIME_SESSION_SESSION_RUNTIME_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/policy.h"
#include "runtime/audit/event.h"
#include "runtime/audit/tree_head.h"
#include "runtime/credentials/lease.h"
#include "runtime/credentials/secrets.h"
#include "runtime/decision.h"
#include "runtime/evaluator.h"
#include "runtime/store/store.h"

namespace writ::runtime {
namespace session_internal {
class AuditTrail;
class Broker;
class WorldCache;
}  // namespace session_internal

// One lifecycle event (docs/runtime.md, "Events"). `detail` is a JSON object.
struct Event {
  std::string kind;  // spawned, decided, warned, suspended, completed, checkpointed, resumed,
                     // terminated, credential_minted, credential_revoked
  std::string session;
  std::string step;
  int64_t at = 0;
  std::string detail;
};

// The audit trail the runtime keeps in its store (docs/audit.md, "What the runtime records").
struct AuditOptions {
  // The Ed25519 key that signs tree heads. Absent: the runtime makes one when it starts; its
  // public half is kept in the store with the heads it signed.
  std::optional<audit::SecretKey> signing_key;
  // A signed tree head after every this many events (0: none but those on terminate).
  uint64_t sign_every = 1024;
  // Keep SHA-256 digests of tool arguments and results instead of the payloads.
  bool digest_payloads = false;
  // A payload longer than this is kept as its digest anyway.
  size_t max_payload_bytes = 64 << 10;
};

// The credential broker (docs/credentials.md, "In the runtime").
struct CredentialOptions {
  // The Ed25519 key that signs leases. Absent: the runtime makes one when it starts; its public
  // half is kept in the store beside the leases it signed.
  std::optional<credentials::SecretKey> signing_key;
  // The upstream secrets RedeemLease hands out, by credential name. Absent: none are.
  std::shared_ptr<credentials::SecretVault> vault;
};

struct SessionRuntimeOptions {
  // ms since the epoch; null means the system clock.
  std::function<int64_t()> clock;
  // Called after each event's transaction committed, on the calling thread.
  std::function<void(const Event&)> on_event;
  // How long a pending step waits when its decision names no timeout (a `soft` stop).
  int64_t approval_timeout_millis = 24 * 3600 * 1000;
  AuditOptions audit;
  CredentialOptions credentials;
};

struct SpawnRequest {
  std::string session;     // the caller's id for the session; unique in the store
  std::string agent_type;  // qualified: "procurement.ProcurementBot"
  std::string agent_id;
  std::string task;
  // The entities of the session's world as a JSON array, as docs/requests.md writes them; it
  // must hold the agent.
  std::string entities_json;
  // Among spawns queued for a full `then queue` pool, higher priorities are admitted first.
  int priority = 0;
};

struct SpawnResult {
  bool spawned = false;
  // A full `then queue` pool: the spawn waits in the queue and is admitted (a `spawned` event)
  // when a session ends and frees a slot. Terminate cancels a queued spawn.
  bool queued = false;
  std::string reason;   // why it was not spawned
};

// A lease the broker minted for an allowed call: its claims and the signed token to present.
struct IssuedLease {
  credentials::LeaseClaims claims;
  std::string token;
};

// The outcome of a step as recorded: Authorize, Approve, Reject, Complete and Fail return it.
struct StepResult {
  store::StepState state = store::StepState::kDenied;
  DecisionEffect effect = DecisionEffect::kDeny;
  std::string decision_json;  // the call-phase decision (docs/requests.md)
  std::string result_json;    // the result-phase decision, once completed
  bool replayed = false;      // the step id was seen before; nothing happened now
  bool session_ended = false;  // the decision ended the session (a `then terminate` budget)
  // An allowed step: a lease per grant of its decision. A replayed step that is still allowed
  // gets its live leases again (the same claims and tokens).
  std::vector<IssuedLease> leases;
};

struct ResumePoint {
  int64_t version = 0;
  std::string state;
  int64_t position = 0;  // steps recorded when the checkpoint was taken
};

class SessionRuntime {
 public:
  // `policy` and `evaluator` (which decides for `policy`) and `store` outlive the runtime.
  SessionRuntime(const ir::Policy& policy, const Evaluator& evaluator, store::Store& store,
                 SessionRuntimeOptions options = {});
  ~SessionRuntime();

  // Starts a session. A second spawn with the same id fails (AlreadyExists); an unknown agent
  // type or a world that does not decode is InvalidArgument. Full pools are not errors: see
  // SpawnResult.
  absl::StatusOr<SpawnResult> Spawn(const SpawnRequest& request);

  // Decides a tool call (`args_json` is the call's arguments as a JSON object) and reserves
  // what it consumes when allowed. Malformed arguments are a recorded deny, not an error.
  // Errors: NotFound (no such session), FailedPrecondition (the session ended, or the step id
  // was used for another tool), and the store's own.
  absl::StatusOr<StepResult> Authorize(std::string_view session, std::string_view step,
                                       std::string_view tool, std::string_view args_json);

  // A pending step's approval: decided again against the current counters; approval_required
  // now counts as approved. Reject denies it. FailedPrecondition unless the step is pending.
  absl::StatusOr<StepResult> Approve(std::string_view session, std::string_view step,
                                     std::string_view by);
  absl::StatusOr<StepResult> Reject(std::string_view session, std::string_view step,
                                    std::string_view by);
  // Approving or rejecting a step after its approval timeout passed denies it as timed out
  // (`timed_out` in its decision). ExpireApprovals does so for every such pending step of the
  // session and returns how many there were; call it periodically.
  absl::StatusOr<int> ExpireApprovals(std::string_view session);

  // The call of an allowed step returned `result_json` (null or empty for a tool without a
  // result) and used `tokens`; the result-phase rules decide its release. FailedPrecondition
  // unless the step is allowed; a completed step returns its outcome again (replayed).
  absl::StatusOr<StepResult> Complete(std::string_view session, std::string_view step,
                                      std::string_view result_json, int64_t tokens);
  // The call of an allowed step failed: its reservations are released.
  absl::StatusOr<StepResult> Fail(std::string_view session, std::string_view step);

  // Stores the agent's state as the session's next checkpoint version.
  absl::StatusOr<int64_t> Checkpoint(std::string_view session, std::string_view state);
  // The latest checkpoint, or the named version. NotFound if there is none.
  absl::StatusOr<ResumePoint> Resume(std::string_view session,
                                     std::optional<int64_t> version = std::nullopt);

  // Ends the session: allowed steps that never completed release their reservations, pending
  // ones are denied. Returns the terminal report (JSON). Ending an ended session returns its
  // report again.
  absl::StatusOr<std::string> Terminate(std::string_view session, std::string_view reason);

  // The report of a session (JSON): its state, totals and steps by state.
  absl::StatusOr<std::string> Report(std::string_view session);

  // Leases (docs/credentials.md, "In the runtime"). A step's leases are revoked when it
  // completes or fails, and a session's when it ends. RevokeLease revokes one (NotFound if the
  // store has no such lease; false if it was revoked already); RevokeLeases every live lease
  // of a running session, returning how many.
  absl::StatusOr<bool> RevokeLease(std::string_view lease_id, std::string_view reason);
  absl::StatusOr<int> RevokeLeases(std::string_view session, std::string_view reason);
  // Replaces the leases of the session's calls in progress that are past two thirds of their
  // lifetime (or expired): the successors, each with a new id; their predecessors are revoked.
  // Call it periodically for long calls.
  absl::StatusOr<std::vector<IssuedLease>> RotateLeases(std::string_view session);
  // Verifies `token` as the store's verifier would: signed by this runtime's key or one the
  // store kept, not expired, and neither it nor its session revoked (a lease the store does not
  // know counts as revoked). The errors of credentials::VerifyLease.
  absl::StatusOr<credentials::LeaseClaims> VerifyLease(std::string_view token);
  // Exchanges a lease that verifies for the upstream secret of its credential, from the vault.
  // VerifyLease's errors; FailedPrecondition without a vault; the vault's errors (NotFound
  // when it holds no secret of that name).
  absl::StatusOr<std::string> RedeemLease(std::string_view token);
  // The public key of the runtime's leases.
  const credentials::PublicKey& lease_public_key() const;

  // Signs the audit log's current head and stores it (also done every `sign_every` events and
  // on terminate); returns its size. A caller ending a run signs once more here.
  absl::StatusOr<uint64_t> SignAuditHead();
  // The public key of the runtime's tree heads.
  const audit::PublicKey& audit_public_key() const;

 private:
  int64_t Now() const;
  void Emit(std::vector<Event> events) const;
  // Whether a pending step's approval timeout has passed at `now`.
  bool Expired(const store::StepRow& step, int64_t now) const;
  // Denies `step` as timed out; the event to emit once stored.
  Event TimeOut(store::StepRow& step, int64_t now) const;
  // Admits queued spawns a session's end made room for, with their events.
  absl::Status AdmitQueued(store::Transaction& tx, int64_t now, std::vector<Event>& events,
                           std::vector<audit::AuditEvent>& trail) const;

  const ir::Policy& policy_;
  const Evaluator& evaluator_;
  store::Store& store_;
  SessionRuntimeOptions options_;
  std::unique_ptr<session_internal::WorldCache> worlds_;  // sessions' decoded worlds
  std::unique_ptr<session_internal::AuditTrail> audit_;
  std::unique_ptr<session_internal::Broker> broker_;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_SESSION_SESSION_RUNTIME_H_
