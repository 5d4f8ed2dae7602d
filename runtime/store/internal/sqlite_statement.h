// A prepared SQLite statement with typed binds and columns, and the mapping of SQLite's result
// codes to absl::Status, for the SQLite store only.
#ifndef WRIT_RUNTIME_STORE_INTERNAL_SQLITE_STATEMENT_H_
#define WRIT_RUNTIME_STORE_INTERNAL_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace writ::runtime::store::internal {

// The status for SQLite result code `rc` while doing `what`: Unavailable for a locked or busy
// database, ResourceExhausted for a full disk, DataLoss for a corrupt file or one that is not a
// database, Internal otherwise; the message has SQLite's own words.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  // Takes ownership of `stmt`.
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Ready to bind and run again.
  void Reset();
  // 1-based parameters, as SQLite numbers them.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);

  // Steps once: true with a row to read, false when done.
  absl::StatusOr<bool> Step();
  // Steps to the end (for statements without rows).
  absl::Status Run();

  // Columns of the current row, 0-based.
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  absl::Status bind_status_;
};

}  // namespace writ::runtime::store::internal

#endif  // WRIT_RUNTIME_STORE_INTERNAL_SQLITE_STATEMENT_H_
