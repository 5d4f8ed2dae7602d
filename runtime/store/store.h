// Where the session runtime keeps its state (docs/runtime.md, "Storage"): sessions, their steps
// with decisions and reservations, counters, rate windows and checkpoints. Everything goes
// through one transaction at a time, which commits entirely or leaves nothing, so a decision and
// every change it depends on are durable together. SQLite is the embedded implementation
// (sqlite_store.h); a shared PostgreSQL store implements the same interface later.
#ifndef WRIT_RUNTIME_STORE_STORE_H_
#define WRIT_RUNTIME_STORE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/audit/event.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/log.h"
#include "runtime/audit/tree_head.h"

namespace writ::runtime::store {

enum class SessionState : uint8_t { kRunning, kEnded };
enum class StepState : uint8_t {
  kDenied,     // decided deny; nothing reserved
  kPending,    // approval_required; nothing reserved until approved
  kAllowed,    // allowed, reservations held, not completed yet
  kCompleted,  // the call returned; reservations committed
  kFailed,     // the call failed or was abandoned; reservations released
};

// "running", "ended"; "denied", "pending", "allowed", "completed", "failed".
std::string_view Spelling(SessionState state);
std::string_view Spelling(StepState state);
std::optional<SessionState> ParseSessionState(std::string_view text);
std::optional<StepState> ParseStepState(std::string_view text);

struct SessionRow {
  std::string id;
  std::string agent_type;  // qualified entity type name
  std::string agent_id;
  std::string task;
  std::string world_json;  // the entities of the session's world, as a request writes them
  SessionState state = SessionState::kRunning;
  int64_t started_at = 0;  // ms since the epoch
  int64_t ended_at = 0;
  std::string end_reason;
  int64_t tokens_used = 0;
  int64_t tool_calls = 0;
  int64_t spent_units = 0;  // session.spent, committed spend in money units
  std::string spent_currency;
  int64_t steps = 0;  // steps recorded so far: the position of the next one
};

struct StepRow {
  std::string session;
  std::string step_id;
  int64_t seq = 0;  // 0-based position in the session
  std::string tool;
  StepState state = StepState::kDenied;
  std::string args_json;
  std::string decision_json;      // the call-phase decision as docs/requests.md writes it
  std::string reservations_json;  // what the step reserved, to commit or release later
  std::string result_json;        // after completion: the result-phase decision
  int64_t decided_at = 0;
  int64_t completed_at = 0;
};

// A counter's value: a count, or money units in `currency`.
struct Counter {
  int64_t value = 0;
  std::string currency;
};

struct CheckpointRow {
  std::string session;
  int64_t version = 0;  // 1, 2, ...
  int64_t created_at = 0;
  std::string state;          // the agent's opaque blob
  std::string session_json;   // the session row at that moment
  int64_t position = 0;       // steps recorded at that moment
};

// A spawn waiting for a slot in a full `then queue` pool (docs/runtime.md, "Spawn").
struct QueuedSpawnRow {
  std::string session;       // the id the session will have
  std::string pool;          // the pool it waits for
  int64_t priority = 0;      // higher is admitted first
  int64_t seq = 0;           // arrival order among equal priorities; assigned by the store
  std::string request_json;  // the spawn request, as the runtime wrote it
  int64_t queued_at = 0;
};

// One row of the audit log as stored (docs/audit.md): `key` orders the rows (the store's own
// column; a verifier reads the rows in key order and checks each event's position itself).
struct AuditRow {
  int64_t key = 0;
  std::string session;  // a copy of the event's session, to find a session's events quickly
  audit::StoredEvent event;
};

// The audit log's head as the writer keeps it: its size, chain head and Merkle root.
struct AuditHead {
  uint64_t size = 0;
  audit::Hash chain{};
  audit::Hash root{};
};

// A lease the credential broker minted (docs/credentials.md, "In the store"): its claims and
// its revocation. The token itself is never stored; the broker signs the claims again (Ed25519
// signatures are deterministic) when a replayed step asks for it.
struct LeaseRow {
  std::string id;  // 32 hex digits
  std::string session;
  std::string step;  // the step whose call granted it
  std::string agent;
  std::string acting_for;
  std::string tool;
  std::string credential;
  std::vector<std::string> scopes;
  int64_t issued_at = 0;  // ms since the epoch
  int64_t expires_at = 0;
  int64_t revoked_at = 0;  // 0 while the lease is not revoked
  std::string revoke_reason;
  friend bool operator==(const LeaseRow&, const LeaseRow&) = default;
};

// A sealed upstream secret as listed: its name and when it was last stored, never its bytes.
struct SecretRow {
  std::string name;
  int64_t updated_at = 0;
};

// One transaction. Reads see the transaction's own writes. Methods fail only for the store's
// own reasons (I/O, corruption, a full disk): the transaction is then rolled back.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual absl::StatusOr<std::optional<SessionRow>> GetSession(std::string_view id) = 0;
  // Inserts or replaces the row with this id.
  virtual absl::Status PutSession(const SessionRow& row) = 0;
  virtual absl::StatusOr<std::vector<SessionRow>> ListSessions() = 0;

  virtual absl::StatusOr<std::optional<StepRow>> GetStep(std::string_view session,
                                                         std::string_view step_id) = 0;
  // Inserts or replaces the row with this session and step id.
  virtual absl::Status PutStep(const StepRow& row) = 0;
  // The session's steps in order.
  virtual absl::StatusOr<std::vector<StepRow>> ListSteps(std::string_view session) = 0;

  // A counter by key ("spend/task/<session>/<limit>", "pool/<name>", ...); zero if absent.
  virtual absl::StatusOr<Counter> GetCounter(std::string_view key) = 0;
  // Adds `delta` (possibly negative) and sets the currency when the counter has none.
  virtual absl::Status AddCounter(std::string_view key, int64_t delta,
                                  std::string_view currency) = 0;

  // Calls counted for a rate: how many at or after `since` (ms).
  virtual absl::StatusOr<int64_t> CountRateEvents(std::string_view principal,
                                                  std::string_view rate, int64_t since) = 0;
  virtual absl::Status AddRateEvent(std::string_view principal, std::string_view rate,
                                    int64_t at) = 0;
  // Forgets events before `before`; windows never look back that far.
  virtual absl::Status PruneRateEvents(std::string_view rate, int64_t before) = 0;

  virtual absl::StatusOr<std::optional<QueuedSpawnRow>> GetQueuedSpawn(std::string_view session) = 0;
  // Adds the row with the next arrival number.
  virtual absl::Status AddQueuedSpawn(const QueuedSpawnRow& row) = 0;
  // Every queued spawn, highest priority first, then in arrival order.
  virtual absl::StatusOr<std::vector<QueuedSpawnRow>> ListQueuedSpawns() = 0;
  virtual absl::Status DeleteQueuedSpawn(std::string_view session) = 0;

  // Stores the next version of the session's checkpoint and returns it.
  virtual absl::StatusOr<int64_t> AddCheckpoint(const CheckpointRow& row) = 0;
  // The checkpoint of that version, or the latest when `version` is absent; nullopt if none.
  virtual absl::StatusOr<std::optional<CheckpointRow>> GetCheckpoint(
      std::string_view session, std::optional<int64_t> version) = 0;

  // The audit trail (docs/audit.md, "In the store"). Appends `event` as the log's next event,
  // linked to the chain, and returns its position. The event commits with the transaction, or
  // not at all. InvalidArgument for an event its kind refuses; DataLoss when the stored head
  // does not fit the log (the log was edited: nothing is appended until it is repaired).
  virtual absl::StatusOr<uint64_t> AppendAudit(audit::AuditEvent event) = 0;
  // The head after this transaction's own appends.
  virtual absl::StatusOr<AuditHead> GetAuditHead() = 0;
  // The head as stored, not checked against the rows (for a verifier, which compares the two
  // itself); DataLoss when the row is missing or does not decode.
  virtual absl::StatusOr<AuditHead> ReadStoredAuditHead() = 0;
  // Up to `limit` rows with key > `after`, in key order.
  virtual absl::StatusOr<std::vector<AuditRow>> ReadAudit(int64_t after, size_t limit) = 0;
  // The session's rows in key order.
  virtual absl::StatusOr<std::vector<AuditRow>> ReadSessionAudit(std::string_view session) = 0;
  // Signed tree heads, kept in the order they were added.
  virtual absl::Status AddTreeHead(const audit::SignedTreeHead& head) = 0;
  virtual absl::StatusOr<std::vector<audit::SignedTreeHead>> ListTreeHeads() = 0;
  // The public keys tree heads were signed with (a key added twice is kept once).
  virtual absl::Status AddAuditKey(const audit::PublicKey& key, int64_t at) = 0;
  virtual absl::StatusOr<std::vector<audit::PublicKey>> ListAuditKeys() = 0;

  // The credential broker (docs/credentials.md, "In the store"). Inserts or replaces the lease
  // with this id.
  virtual absl::Status PutLease(const LeaseRow& row) = 0;
  virtual absl::StatusOr<std::optional<LeaseRow>> GetLease(std::string_view id) = 0;
  // The session's leases in the order they were issued.
  virtual absl::StatusOr<std::vector<LeaseRow>> ListLeases(std::string_view session) = 0;
  // The public keys leases were signed with (a key added twice is kept once).
  virtual absl::Status AddLeaseKey(const audit::PublicKey& key, int64_t at) = 0;
  virtual absl::StatusOr<std::vector<audit::PublicKey>> ListLeaseKeys() = 0;
  // Sealed secrets (credentials/secrets.h): the store sees only ciphertext.
  virtual absl::StatusOr<std::optional<std::string>> GetSecret(std::string_view name) = 0;
  // Inserts or replaces the secret with this name.
  virtual absl::Status PutSecret(std::string_view name, std::string_view sealed, int64_t at) = 0;
  // Every secret's name, in name order.
  virtual absl::StatusOr<std::vector<SecretRow>> ListSecrets() = 0;
};

// What a store did since it was opened.
struct StoreStats {
  int64_t transactions = 0;  // transactions committed
  int64_t commits = 0;       // commits they took (fewer with group commit)
  int64_t syncs = 0;         // disk flushes those commits shared; none for a store not durable
};

class Store {
 public:
  virtual ~Store() = default;
  // Runs `body` in one transaction: commits when it returns OK, rolls back otherwise and
  // returns its status. Transactions of one store are serialized; a store may make several
  // concurrent ones durable in one commit, but returns from each only once it is durable.
  virtual absl::Status Transact(absl::FunctionRef<absl::Status(Transaction&)> body) = 0;
  virtual StoreStats Stats() const { return {}; }
};

}  // namespace writ::runtime::store

#endif  // WRIT_RUNTIME_STORE_STORE_H_
