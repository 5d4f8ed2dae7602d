#include "runtime/store/sqlite_store.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>

#include "compiler/base/status.h"
#include "runtime/store/internal/group_commit.h"
#include "runtime/store/internal/sqlite_audit.h"
#include "runtime/store/internal/sqlite_credentials.h"
#include "runtime/store/internal/sqlite_statement.h"
#include "runtime/store/internal/wal_sync.h"

namespace writ::runtime::store {
namespace {

using internal::SqliteError;
using internal::Statement;

// The columns of a session and of a step, in the order ReadSession and ReadStep read them.
#define WRIT_SELECT_SESSION                                                                       \
  "SELECT id, agent_type, agent_id, task, world, state, started_at, ended_at, end_reason, " \
  "tokens_used, tool_calls, spent_units, spent_currency, steps FROM sessions"
#define WRIT_SELECT_STEP                                                                          \
  "SELECT session, step_id, seq, tool, state, args, decision, reservations, result, "       \
  "decided_at, completed_at FROM steps"
#define WRIT_SELECT_QUEUED \
  "SELECT session, pool, priority, seq, request, queued_at FROM spawn_queue"

// Migration i takes the schema from version i to i + 1.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE sessions (
  id TEXT PRIMARY KEY, agent_type TEXT NOT NULL, agent_id TEXT NOT NULL, task TEXT NOT NULL,
  world TEXT NOT NULL, state TEXT NOT NULL, started_at INTEGER NOT NULL,
  ended_at INTEGER NOT NULL, end_reason TEXT NOT NULL, tokens_used INTEGER NOT NULL,
  tool_calls INTEGER NOT NULL, spent_units INTEGER NOT NULL, spent_currency TEXT NOT NULL,
  steps INTEGER NOT NULL);
CREATE TABLE steps (
  session TEXT NOT NULL, step_id TEXT NOT NULL, seq INTEGER NOT NULL, tool TEXT NOT NULL,
  state TEXT NOT NULL, args TEXT NOT NULL, decision TEXT NOT NULL, reservations TEXT NOT NULL,
  result TEXT NOT NULL, decided_at INTEGER NOT NULL, completed_at INTEGER NOT NULL,
  PRIMARY KEY (session, step_id));
CREATE INDEX steps_in_order ON steps (session, seq);
CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL, currency TEXT NOT NULL);
CREATE TABLE rate_events (principal TEXT NOT NULL, rate TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX rate_events_by_window ON rate_events (rate, principal, at);
CREATE TABLE checkpoints (
  session TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL,
  state BLOB NOT NULL, session_row TEXT NOT NULL, position INTEGER NOT NULL,
  PRIMARY KEY (session, version));
)sql",
    // 2: the spawn queue of `then queue` pools, and a digest that tells a corrupt checkpoint.
    R"sql(
CREATE TABLE spawn_queue (
  session TEXT PRIMARY KEY, pool TEXT NOT NULL, priority INTEGER NOT NULL,
  seq INTEGER NOT NULL, request TEXT NOT NULL, queued_at INTEGER NOT NULL);
CREATE INDEX spawn_queue_in_order ON spawn_queue (priority DESC, seq);
ALTER TABLE checkpoints ADD COLUMN digest BLOB;
)sql",
    // 3: the audit trail.
    internal::kAuditSchema,
    // 4: the credential broker's leases, sealed secrets and lease keys.
    internal::kCredentialSchema,
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kSqliteSchemaVersion);

class SqliteTransaction;

class SqliteStore final : public Store,
                          public internal::StatementSource,
                          private internal::BatchConnection {
 public:
  SqliteStore(sqlite3* db, std::string path, int max_batch)
      : db_(db), path_(std::move(path)), group_(*this, max_batch) {}
  // From now on every batch is flushed to the disk before its callers return.
  void SyncWith(std::unique_ptr<internal::WalSync> wal) { wal_ = std::move(wal); }
  ~SqliteStore() override {
    statements_.clear();  // finalized before the connection closes
    sqlite3_close_v2(db_);
  }

  absl::Status Transact(absl::FunctionRef<absl::Status(Transaction&)> body) override;
  StoreStats Stats() const override {
    internal::GroupCommitStats stats = group_.stats();
    return {stats.transactions, stats.commits, stats.syncs};
  }

  // A prepared statement for `sql`, prepared once per store.
  absl::StatusOr<Statement*> Prepare(const char* sql) override {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        rc != SQLITE_OK) {
      return SqliteError(db_, rc, "prepare");
    }
    auto [inserted, ok] = statements_.emplace(sql, std::make_unique<Statement>(db_, stmt));
    return inserted->second.get();
  }

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  // internal::BatchConnection: the batch is one SQLite transaction, each member a savepoint.
  absl::Status Begin() override { return Run("BEGIN IMMEDIATE"); }
  absl::Status Commit() override { return Run("COMMIT"); }
  absl::Status Sync() override { return wal_ == nullptr ? absl::OkStatus() : wal_->Sync(); }
  void Rollback() override { Run("ROLLBACK").IgnoreError(); }
  bool InTransaction() override { return sqlite3_get_autocommit(db_) == 0; }
  absl::Status BeginMember() override { return Run("SAVEPOINT member"); }
  absl::Status EndMember(bool keep) override {
    // No statement may still hold a cursor when its part of the transaction ends.
    for (auto& [sql, statement] : statements_) statement->Reset();
    if (!keep) WRIT_RETURN_IF_ERROR(Run("ROLLBACK TO member"));
    return Run("RELEASE member");
  }
  // Runs a statement without parameters or rows, prepared once.
  absl::Status Run(const char* sql) {
    WRIT_ASSIGN_OR_RETURN(Statement * statement, Prepare(sql));
    return statement->Run();
  }

  sqlite3* db_;
  std::string path_;
  std::map<const char*, std::unique_ptr<Statement>> statements_;
  std::unique_ptr<internal::WalSync> wal_;  // null: commits are not flushed (NORMAL)
  internal::GroupCommit group_;  // serializes the transactions on this connection
};

// The BLAKE2b-256 digest of a checkpoint's state, stored beside it.
std::string Digest(std::string_view state) {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(state.data()), state.size(), nullptr,
                     0);
  return out;
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  std::string text = message != nullptr ? message : "";
  sqlite3_free(message);
  if (rc != SQLITE_OK) return SqliteError(db, rc, text.empty() ? sql : text);
  return absl::OkStatus();
}

absl::StatusOr<int> UserVersion(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "read the schema version");
  rc = sqlite3_step(stmt);
  int version = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  if (version < 0) return SqliteError(db, rc, "read the schema version");
  return version;
}

absl::Status Migrate(sqlite3* db, const std::string& path) {
  WRIT_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  absl::StatusOr<int> version = UserVersion(db);
  absl::Status status = version.status();
  if (status.ok() && *version > kSqliteSchemaVersion) {
    status = absl::FailedPreconditionError(fmt::format(
        "{}: the store has schema version {}, written by a newer writ; this one knows up to {}",
        path, *version, kSqliteSchemaVersion));
  }
  for (int v = status.ok() ? *version : kSqliteSchemaVersion; v < kSqliteSchemaVersion; ++v) {
    status = Exec(db, kMigrations[v]);
    if (status.ok()) status = Exec(db, fmt::format("PRAGMA user_version = {}", v + 1).c_str());
    if (!status.ok()) break;
  }
  if (!status.ok()) {
    Exec(db, "ROLLBACK").IgnoreError();
    return status;
  }
  return Exec(db, "COMMIT");
}


// Every row `statement` yields, each read by `read` (which returns a StatusOr<Row>).
template <typename Row, typename Read>
absl::StatusOr<std::vector<Row>> ReadAll(Statement& statement, Read&& read) {
  std::vector<Row> rows;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, statement.Step());
    if (!row) return rows;
    WRIT_ASSIGN_OR_RETURN(Row value, read(statement));
    rows.push_back(std::move(value));
  }
}

// A transaction on the store's connection, open between BEGIN IMMEDIATE and COMMIT.
class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SqliteStore& store)
      : store_(store), audit_(store, store.path()), credentials_(store, store.path()) {}
  // What the transaction keeps until its body is done: the audit writer's state.
  absl::Status Finish() { return audit_.Finish(); }

  absl::StatusOr<std::optional<SessionRow>> GetSession(std::string_view id) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s, store_.Prepare(WRIT_SELECT_SESSION " WHERE id = ?1"));
    s->Bind(1, id);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<SessionRow>();
    return ReadSession(*s);
  }

  absl::Status PutSession(const SessionRow& r) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        // An upsert updates the row in place; the world, fixed at spawn, is written once.
        store_.Prepare("INSERT INTO sessions (id, agent_type, agent_id, task, world, "
                       "state, started_at, ended_at, end_reason, tokens_used, tool_calls, "
                       "spent_units, spent_currency, steps) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                       "ON CONFLICT (id) DO UPDATE SET agent_type = ?2, agent_id = ?3, task = ?4, "
                       "world = iif(world = ?5, world, ?5), state = ?6, started_at = ?7, "
                       "ended_at = ?8, end_reason = ?9, tokens_used = ?10, tool_calls = ?11, "
                       "spent_units = ?12, spent_currency = ?13, steps = ?14"));
    s->Bind(1, r.id).Bind(2, r.agent_type).Bind(3, r.agent_id).Bind(4, r.task);
    s->Bind(5, r.world_json).Bind(6, Spelling(r.state)).Bind(7, r.started_at);
    s->Bind(8, r.ended_at).Bind(9, r.end_reason).Bind(10, r.tokens_used);
    s->Bind(11, r.tool_calls).Bind(12, r.spent_units).Bind(13, r.spent_currency);
    s->Bind(14, r.steps);
    return s->Run();
  }

  absl::StatusOr<std::vector<SessionRow>> ListSessions() override {
    WRIT_ASSIGN_OR_RETURN(Statement * s, store_.Prepare(WRIT_SELECT_SESSION " ORDER BY started_at, id"));
    return ReadAll<SessionRow>(*s, [&](const Statement& r) { return ReadSession(r); });
  }

  absl::StatusOr<std::optional<StepRow>> GetStep(std::string_view session,
                                                 std::string_view step_id) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare(WRIT_SELECT_STEP " WHERE session = ?1 AND step_id = ?2"));
    s->Bind(1, session).Bind(2, step_id);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<StepRow>();
    return ReadStep(*s);
  }

  absl::Status PutStep(const StepRow& r) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare("INSERT INTO steps (session, step_id, seq, tool, state, args, "
                       "decision, reservations, result, decided_at, completed_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                       "ON CONFLICT (session, step_id) DO UPDATE SET seq = ?3, tool = ?4, "
                       "state = ?5, args = ?6, decision = ?7, reservations = ?8, result = ?9, "
                       "decided_at = ?10, completed_at = ?11"));
    s->Bind(1, r.session).Bind(2, r.step_id).Bind(3, r.seq).Bind(4, r.tool);
    s->Bind(5, Spelling(r.state)).Bind(6, r.args_json).Bind(7, r.decision_json);
    s->Bind(8, r.reservations_json).Bind(9, r.result_json).Bind(10, r.decided_at);
    s->Bind(11, r.completed_at);
    return s->Run();
  }

  absl::StatusOr<std::vector<StepRow>> ListSteps(std::string_view session) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare(WRIT_SELECT_STEP " WHERE session = ?1 ORDER BY seq"));
    s->Bind(1, session);
    return ReadAll<StepRow>(*s, [&](const Statement& r) { return ReadStep(r); });
  }

  absl::StatusOr<Counter> GetCounter(std::string_view key) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare("SELECT value, currency FROM counters WHERE key = ?1"));
    s->Bind(1, key);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return Counter{};
    return Counter{s->Int(0), s->Text(1)};
  }

  absl::Status AddCounter(std::string_view key, int64_t delta, std::string_view currency) override {
    // One statement: the sum happens in place, guarded so that it can never overflow (SQLite
    // would turn an overflowing sum into a float); a guarded-out update changes no row.
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare("INSERT INTO counters (key, value, currency) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (key) DO UPDATE SET value = value + excluded.value, "
                       "currency = iif(currency = '', excluded.currency, currency) "
                       "WHERE iif(excluded.value >= 0, "
                       "value <= 9223372036854775807 - excluded.value, "
                       "value >= -9223372036854775807 - 1 - excluded.value)"));
    s->Bind(1, key).Bind(2, delta).Bind(3, currency);
    WRIT_RETURN_IF_ERROR(s->Run());
    if (sqlite3_changes(store_.db()) == 0) {
      return absl::OutOfRangeError(fmt::format("counter {} would overflow", key));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> CountRateEvents(std::string_view principal, std::string_view rate,
                                          int64_t since) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare("SELECT count(*) FROM rate_events WHERE rate = ?1 AND "
                                         "principal = ?2 AND at >= ?3"));
    s->Bind(1, rate).Bind(2, principal).Bind(3, since);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    return row ? s->Int(0) : 0;
  }

  absl::Status AddRateEvent(std::string_view principal, std::string_view rate,
                            int64_t at) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare("INSERT INTO rate_events (principal, rate, at) VALUES (?1, ?2, ?3)"));
    s->Bind(1, principal).Bind(2, rate).Bind(3, at);
    return s->Run();
  }

  absl::Status PruneRateEvents(std::string_view rate, int64_t before) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare("DELETE FROM rate_events WHERE rate = ?1 AND at < ?2"));
    s->Bind(1, rate).Bind(2, before);
    return s->Run();
  }

  absl::StatusOr<std::optional<QueuedSpawnRow>> GetQueuedSpawn(std::string_view session) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare(WRIT_SELECT_QUEUED " WHERE session = ?1"));
    s->Bind(1, session);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<QueuedSpawnRow>();
    return ReadQueued(*s);
  }

  absl::Status AddQueuedSpawn(const QueuedSpawnRow& r) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare("INSERT INTO spawn_queue (session, pool, priority, seq, request, queued_at) "
                       "VALUES (?1, ?2, ?3, (SELECT coalesce(max(seq), 0) + 1 FROM spawn_queue), "
                       "?4, ?5)"));
    s->Bind(1, r.session).Bind(2, r.pool).Bind(3, r.priority).Bind(4, r.request_json);
    s->Bind(5, r.queued_at);
    return s->Run();
  }

  absl::StatusOr<std::vector<QueuedSpawnRow>> ListQueuedSpawns() override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare(WRIT_SELECT_QUEUED " ORDER BY priority DESC, seq"));
    return ReadAll<QueuedSpawnRow>(
        *s, [](const Statement& r) -> absl::StatusOr<QueuedSpawnRow> { return ReadQueued(r); });
  }

  absl::Status DeleteQueuedSpawn(std::string_view session) override {
    WRIT_ASSIGN_OR_RETURN(Statement * s,
                          store_.Prepare("DELETE FROM spawn_queue WHERE session = ?1"));
    s->Bind(1, session);
    return s->Run();
  }

  absl::StatusOr<int64_t> AddCheckpoint(const CheckpointRow& r) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * latest,
        store_.Prepare("SELECT coalesce(max(version), 0) FROM checkpoints WHERE session = ?1"));
    latest->Bind(1, r.session);
    WRIT_ASSIGN_OR_RETURN(bool row, latest->Step());
    int64_t version = (row ? latest->Int(0) : 0) + 1;
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare("INSERT INTO checkpoints (session, version, created_at, state, "
                       "session_row, position, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    s->Bind(1, r.session).Bind(2, version).Bind(3, r.created_at).BindBlob(4, r.state);
    s->Bind(5, r.session_json).Bind(6, r.position).BindBlob(7, Digest(r.state));
    WRIT_RETURN_IF_ERROR(s->Run());
    return version;
  }

  absl::StatusOr<std::optional<CheckpointRow>> GetCheckpoint(
      std::string_view session, std::optional<int64_t> version) override {
    WRIT_ASSIGN_OR_RETURN(
        Statement * s,
        store_.Prepare(version ? "SELECT session, version, created_at, state, session_row, "
                                 "position, digest FROM checkpoints "
                                 "WHERE session = ?1 AND version = ?2"
                               : "SELECT session, version, created_at, state, session_row, "
                                 "position, digest FROM checkpoints WHERE session = ?1 "
                                 "ORDER BY version DESC LIMIT 1"));
    s->Bind(1, session);
    if (version) s->Bind(2, *version);
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<CheckpointRow>();
    CheckpointRow out{s->Text(0), s->Int(1), s->Int(2), s->Blob(3), s->Text(4), s->Int(5)};
    // Checkpoints written before schema version 2 have no digest to check.
    if (!s->IsNull(6) && s->Blob(6) != Digest(out.state)) {
      return absl::DataLossError(fmt::format(
          "{}: checkpoint {} of session `{}` is corrupt: its state does not match its digest",
          store_.path(), out.version, out.session));
    }
    return out;
  }

  absl::StatusOr<uint64_t> AppendAudit(audit::AuditEvent event) override {
    return audit_.Append(std::move(event));
  }
  absl::StatusOr<AuditHead> GetAuditHead() override { return audit_.Head(); }
  absl::StatusOr<AuditHead> ReadStoredAuditHead() override { return audit_.StoredHead(); }
  absl::StatusOr<std::vector<AuditRow>> ReadAudit(int64_t after, size_t limit) override {
    return audit_.Read(after, limit);
  }
  absl::StatusOr<std::vector<AuditRow>> ReadSessionAudit(std::string_view session) override {
    return audit_.ReadSession(session);
  }
  absl::Status AddTreeHead(const audit::SignedTreeHead& head) override {
    return audit_.AddTreeHead(head);
  }
  absl::StatusOr<std::vector<audit::SignedTreeHead>> ListTreeHeads() override {
    return audit_.ListTreeHeads();
  }
  absl::Status AddAuditKey(const audit::PublicKey& key, int64_t at) override {
    return audit_.AddKey(key, at);
  }
  absl::StatusOr<std::vector<audit::PublicKey>> ListAuditKeys() override {
    return audit_.ListKeys();
  }

  absl::Status PutLease(const LeaseRow& row) override { return credentials_.PutLease(row); }
  absl::StatusOr<std::optional<LeaseRow>> GetLease(std::string_view id) override {
    return credentials_.GetLease(id);
  }
  absl::StatusOr<std::vector<LeaseRow>> ListLeases(std::string_view session) override {
    return credentials_.ListLeases(session);
  }
  absl::Status AddLeaseKey(const audit::PublicKey& key, int64_t at) override {
    return credentials_.AddLeaseKey(key, at);
  }
  absl::StatusOr<std::vector<audit::PublicKey>> ListLeaseKeys() override {
    return credentials_.ListLeaseKeys();
  }
  absl::StatusOr<std::optional<std::string>> GetSecret(std::string_view name) override {
    return credentials_.GetSecret(name);
  }
  absl::Status PutSecret(std::string_view name, std::string_view sealed, int64_t at) override {
    return credentials_.PutSecret(name, sealed, at);
  }
  absl::StatusOr<std::vector<SecretRow>> ListSecrets() override {
    return credentials_.ListSecrets();
  }

 private:
  absl::StatusOr<SessionRow> ReadSession(const Statement& s) {
    SessionRow r;
    r.id = s.Text(0);
    r.agent_type = s.Text(1);
    r.agent_id = s.Text(2);
    r.task = s.Text(3);
    r.world_json = s.Text(4);
    std::optional<SessionState> state = ParseSessionState(s.Text(5));
    if (!state) return Corrupt("sessions.state", s.Text(5));
    r.state = *state;
    r.started_at = s.Int(6);
    r.ended_at = s.Int(7);
    r.end_reason = s.Text(8);
    r.tokens_used = s.Int(9);
    r.tool_calls = s.Int(10);
    r.spent_units = s.Int(11);
    r.spent_currency = s.Text(12);
    r.steps = s.Int(13);
    return r;
  }

  absl::StatusOr<StepRow> ReadStep(const Statement& s) {
    StepRow r;
    r.session = s.Text(0);
    r.step_id = s.Text(1);
    r.seq = s.Int(2);
    r.tool = s.Text(3);
    std::optional<StepState> state = ParseStepState(s.Text(4));
    if (!state) return Corrupt("steps.state", s.Text(4));
    r.state = *state;
    r.args_json = s.Text(5);
    r.decision_json = s.Text(6);
    r.reservations_json = s.Text(7);
    r.result_json = s.Text(8);
    r.decided_at = s.Int(9);
    r.completed_at = s.Int(10);
    return r;
  }

  static QueuedSpawnRow ReadQueued(const Statement& s) {
    return {s.Text(0), s.Text(1), s.Int(2), s.Int(3), s.Text(4), s.Int(5)};
  }

  absl::Status Corrupt(std::string_view column, std::string_view value) {
    return absl::DataLossError(fmt::format("{}: {} holds `{}`, which this writ does not know",
                                           store_.path(), column, value));
  }

  SqliteStore& store_;
  internal::SqliteAudit audit_;
  internal::SqliteCredentials credentials_;
};

// Switches the database to WAL and returns the journal mode it is in: "wal", or "memory" for an
// in-memory database.
absl::StatusOr<std::string> JournalMode(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &stmt, nullptr);
  std::string mode;
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    mode = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "PRAGMA journal_mode = WAL");
  return mode;
}

absl::Status SqliteStore::Transact(absl::FunctionRef<absl::Status(Transaction&)> body) {
  return group_.Run([&]() -> absl::Status {
    SqliteTransaction transaction(*this);
    WRIT_RETURN_IF_ERROR(body(transaction));
    return transaction.Finish();
  });
}
}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       const SqliteOptions& options) {
  if (sodium_init() < 0) return absl::InternalError("libsodium cannot be initialized");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db, rc, fmt::format("open {}", path));
    sqlite3_close_v2(db);
    return status;
  }
  auto store = std::make_unique<SqliteStore>(db, path, options.max_batch);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  absl::StatusOr<std::string> mode = JournalMode(db);
  absl::Status status = mode.status();
  // In WAL mode a durable store commits with NORMAL and flushes the log itself, outside the
  // connection (internal/wal_sync.h); a database SQLite keeps elsewhere (in memory) uses FULL.
  bool wal = mode.ok() && *mode == "wal";
  if (status.ok()) {
    status = Exec(db, options.synchronous_full && !wal ? "PRAGMA synchronous = FULL"
                                                       : "PRAGMA synchronous = NORMAL");
  }
  if (status.ok() && options.max_bytes > 0) {
    // SQLite refuses to grow the file past this many pages with SQLITE_FULL, as on a full disk.
    status = Exec(db, fmt::format("PRAGMA max_page_count = {}",
                                  std::max<int64_t>(1, options.max_bytes / 4096))
                          .c_str());
  }
  if (status.ok()) status = Migrate(db, path);
  if (status.ok() && options.synchronous_full && wal) {
    auto sync = std::make_unique<internal::WalSync>(sqlite3_db_filename(db, "main"));
    status = sync->Sync();  // what a migration wrote
    store->SyncWith(std::move(sync));
  }
  if (!status.ok()) {
    // Every failure names the file; Migrate's own messages already do.
    if (status.message().find(path) == std::string_view::npos) {
      return absl::Status(status.code(), path + ": " + std::string(status.message()));
    }
    return status;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace writ::runtime::store
