// The audit tables of the SQLite store (docs/audit.md, "In the store"): the log's rows, the
// writer's state beside them, signed tree heads and the keys that signed them. One object per
// transaction; the writer's state is read on the first use and written back by Finish, so a
// transaction that rolls back leaves the log and its head as they were.
#ifndef WRIT_RUNTIME_STORE_INTERNAL_SQLITE_AUDIT_H_
#define WRIT_RUNTIME_STORE_INTERNAL_SQLITE_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/audit/log.h"
#include "runtime/store/internal/sqlite_statement.h"
#include "runtime/store/store.h"

namespace writ::runtime::store::internal {

// The schema the audit tables add (migration 3).
extern const char* const kAuditSchema;

// Prepares a statement once per connection and hands it out reset.
class StatementSource {
 public:
  virtual ~StatementSource() = default;
  virtual absl::StatusOr<Statement*> Prepare(const char* sql) = 0;
};

class SqliteAudit {
 public:
  // `path` names the store in messages.
  SqliteAudit(StatementSource& statements, std::string_view path)
      : statements_(statements), path_(path) {}

  absl::StatusOr<uint64_t> Append(audit::AuditEvent event);
  absl::StatusOr<AuditHead> Head();
  // The head row decoded, without the check against the rows.
  absl::StatusOr<AuditHead> StoredHead();
  // Writes the writer's state back when this transaction appended.
  absl::Status Finish();

  absl::StatusOr<std::vector<AuditRow>> Read(int64_t after, size_t limit);
  absl::StatusOr<std::vector<AuditRow>> ReadSession(std::string_view session);
  absl::Status AddTreeHead(const audit::SignedTreeHead& head);
  absl::StatusOr<std::vector<audit::SignedTreeHead>> ListTreeHeads();
  absl::Status AddKey(const audit::PublicKey& key, int64_t at);
  absl::StatusOr<std::vector<audit::PublicKey>> ListKeys();

 private:
  // The writer, read from the store the first time; checked against the rows it describes.
  absl::StatusOr<audit::LogWriter*> Writer();
  absl::StatusOr<audit::LogWriter> ReadState();
  absl::StatusOr<std::vector<AuditRow>> ReadRows(Statement& statement);

  StatementSource& statements_;
  std::string_view path_;
  std::optional<audit::LogWriter> writer_;
  bool appended_ = false;
};

}  // namespace writ::runtime::store::internal

#endif  // WRIT_RUNTIME_STORE_INTERNAL_SQLITE_AUDIT_H_
