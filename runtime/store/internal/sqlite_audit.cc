#include "runtime/store/internal/sqlite_audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "compiler/base/status.h"

namespace writ::runtime::store::internal {

// The empty log's writer state: version 1, size 0, the chain's start, no peaks (41 bytes).
const char* const kAuditSchema = R"sql(
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY, session TEXT NOT NULL, encoding BLOB NOT NULL, chain BLOB NOT NULL);
CREATE INDEX audit_events_by_session ON audit_events (session, seq);
CREATE TABLE audit_state (id INTEGER PRIMARY KEY CHECK (id = 1), writer BLOB NOT NULL);
INSERT INTO audit_state VALUES (1, x'0100000000000000000000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE audit_tree_heads (id INTEGER PRIMARY KEY, head BLOB NOT NULL);
CREATE TABLE audit_keys (public_key BLOB PRIMARY KEY, added_at INTEGER NOT NULL);
)sql";

namespace {

template <size_t N>
std::optional<std::array<uint8_t, N>> Bytes(std::string_view blob) {
  if (blob.size() != N) return std::nullopt;
  std::array<uint8_t, N> out;
  std::copy_n(reinterpret_cast<const uint8_t*>(blob.data()), N, out.begin());
  return out;
}

template <size_t N>
std::string_view AsBlob(const std::array<uint8_t, N>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), N};
}

}  // namespace

absl::StatusOr<audit::LogWriter> SqliteAudit::ReadState() {
  WRIT_ASSIGN_OR_RETURN(Statement * state,
                        statements_.Prepare("SELECT writer FROM audit_state WHERE id = 1"));
  WRIT_ASSIGN_OR_RETURN(bool row, state->Step());
  if (!row) {
    return absl::DataLossError(
        fmt::format("{}: the audit log's head row is missing; run `writ audit verify`", path_));
  }
  absl::StatusOr<audit::LogWriter> writer = audit::DecodeWriterState(state->Blob(0));
  if (!writer.ok()) {
    return absl::DataLossError(fmt::format("{}: {}; run `writ audit verify`", path_,
                                           std::string(writer.status().message())));
  }
  return writer;
}

absl::StatusOr<AuditHead> SqliteAudit::StoredHead() {
  if (writer_) return AuditHead{writer_->size(), writer_->chain_head(), writer_->Root()};
  WRIT_ASSIGN_OR_RETURN(audit::LogWriter writer, ReadState());
  return AuditHead{writer.size(), writer.chain_head(), writer.Root()};
}

absl::StatusOr<audit::LogWriter*> SqliteAudit::Writer() {
  if (writer_) return &*writer_;
  absl::StatusOr<audit::LogWriter> writer = ReadState();
  if (!writer.ok()) return writer.status();
  WRIT_ASSIGN_OR_RETURN(Statement * next,
                        statements_.Prepare("SELECT coalesce(max(seq) + 1, 0) FROM audit_events"));
  WRIT_ASSIGN_OR_RETURN(bool row, next->Step());
  const int64_t rows = row ? next->Int(0) : 0;
  if (rows < 0 || static_cast<uint64_t>(rows) != writer->size()) {
    // Appending now would fork the chain or collide with a row: fail closed.
    return absl::DataLossError(fmt::format(
        "{}: the audit log's head says {} events but the last row is at {}: the log was edited; "
        "run `writ audit verify`",
        path_, writer->size(), rows - 1));
  }
  writer_ = *std::move(writer);
  return &*writer_;
}

absl::StatusOr<uint64_t> SqliteAudit::Append(audit::AuditEvent event) {
  WRIT_ASSIGN_OR_RETURN(audit::LogWriter * writer, Writer());
  std::string session = event.session;
  // Appending to a copy keeps the writer unchanged if the insert fails.
  audit::LogWriter next = *writer;
  WRIT_ASSIGN_OR_RETURN(audit::StoredEvent stored, next.Append(std::move(event)));
  const uint64_t seq = writer->size();
  WRIT_ASSIGN_OR_RETURN(Statement * insert,
                        statements_.Prepare("INSERT INTO audit_events (seq, session, encoding, "
                                            "chain) VALUES (?1, ?2, ?3, ?4)"));
  insert->Bind(1, static_cast<int64_t>(seq)).Bind(2, session).BindBlob(3, stored.encoding);
  insert->BindBlob(4, AsBlob(stored.chain));
  WRIT_RETURN_IF_ERROR(insert->Run());
  *writer = std::move(next);
  appended_ = true;
  return seq;
}

absl::StatusOr<AuditHead> SqliteAudit::Head() {
  WRIT_ASSIGN_OR_RETURN(audit::LogWriter * writer, Writer());
  return AuditHead{writer->size(), writer->chain_head(), writer->Root()};
}

absl::Status SqliteAudit::Finish() {
  if (!appended_) return absl::OkStatus();
  WRIT_ASSIGN_OR_RETURN(Statement * update,
                        statements_.Prepare("UPDATE audit_state SET writer = ?1 WHERE id = 1"));
  update->BindBlob(1, audit::EncodeWriterState(*writer_));
  WRIT_RETURN_IF_ERROR(update->Run());
  appended_ = false;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AuditRow>> SqliteAudit::ReadRows(Statement& statement) {
  std::vector<AuditRow> rows;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, statement.Step());
    if (!row) return rows;
    AuditRow out;
    out.key = statement.Int(0);
    out.session = statement.Text(1);
    out.event.encoding = statement.Blob(2);
    // A damaged link is the verifier's to report, not a read error: it then fails the chain.
    std::optional<audit::Hash> chain = Bytes<32>(statement.Blob(3));
    if (chain) out.event.chain = *chain;
    rows.push_back(std::move(out));
  }
}

absl::StatusOr<std::vector<AuditRow>> SqliteAudit::Read(int64_t after, size_t limit) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("SELECT seq, session, encoding, chain FROM "
                                            "audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  s->Bind(1, after).Bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  return ReadRows(*s);
}

absl::StatusOr<std::vector<AuditRow>> SqliteAudit::ReadSession(std::string_view session) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("SELECT seq, session, encoding, chain FROM "
                                            "audit_events WHERE session = ?1 ORDER BY seq"));
  s->Bind(1, session);
  return ReadRows(*s);
}

absl::Status SqliteAudit::AddTreeHead(const audit::SignedTreeHead& head) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("INSERT INTO audit_tree_heads (head) VALUES (?1)"));
  s->BindBlob(1, audit::EncodeTreeHead(head));
  return s->Run();
}

absl::StatusOr<std::vector<audit::SignedTreeHead>> SqliteAudit::ListTreeHeads() {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("SELECT id, head FROM audit_tree_heads ORDER BY id"));
  std::vector<audit::SignedTreeHead> heads;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return heads;
    absl::StatusOr<audit::SignedTreeHead> head = audit::DecodeTreeHead(s->Blob(1));
    if (!head.ok()) {
      return absl::DataLossError(fmt::format("{}: tree head {}: {}", path_, s->Int(0),
                                             std::string(head.status().message())));
    }
    heads.push_back(*head);
  }
}

absl::Status SqliteAudit::AddKey(const audit::PublicKey& key, int64_t at) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("INSERT INTO audit_keys (public_key, added_at) "
                                            "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
  s->BindBlob(1, AsBlob(key)).Bind(2, at);
  return s->Run();
}

absl::StatusOr<std::vector<audit::PublicKey>> SqliteAudit::ListKeys() {
  WRIT_ASSIGN_OR_RETURN(
      Statement * s,
      statements_.Prepare("SELECT public_key FROM audit_keys ORDER BY added_at, public_key"));
  std::vector<audit::PublicKey> keys;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return keys;
    std::optional<audit::PublicKey> key = Bytes<32>(s->Blob(0));
    if (!key) return absl::DataLossError(fmt::format("{}: a stored audit key is not 32 bytes", path_));
    keys.push_back(*key);
  }
}

}  // namespace writ::runtime::store::internal
