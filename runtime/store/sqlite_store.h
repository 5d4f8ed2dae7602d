// The embedded store: one SQLite database file in WAL mode (docs/runtime.md, "Storage").
#ifndef WRIT_RUNTIME_STORE_SQLITE_STORE_H_
#define WRIT_RUNTIME_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/store/store.h"

namespace writ::runtime::store {

// The schema version this code writes; opening applies migrations up to it.
inline constexpr int kSqliteSchemaVersion = 4;

struct SqliteOptions {
  // FULL: a committed transaction survives power loss. NORMAL (in WAL mode) may lose the last
  // transactions on power loss but never corrupts the store; faster.
  bool synchronous_full = true;
  // How long a transaction waits for another process's lock before failing.
  int busy_timeout_ms = 5000;
  // Group commit: at most this many concurrent transactions share one durable commit.
  int max_batch = 64;
  // A cap on the database file (0: none). Past it, writes fail with ResourceExhausted, as they
  // do on a full disk; the transaction that hit it is rolled back and nothing stored is lost.
  int64_t max_bytes = 0;
};

// Opens (creating if needed) the store at `path` and migrates it to kSqliteSchemaVersion.
// Fails with FailedPrecondition for a store written by a newer version, DataLoss for a file
// that is not a Writ store or is corrupt, Unavailable when it stays locked.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                       const SqliteOptions& options = {});

}  // namespace writ::runtime::store

#endif  // WRIT_RUNTIME_STORE_SQLITE_STORE_H_
