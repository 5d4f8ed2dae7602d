// Making committed SQLite transactions durable outside the connection (docs/runtime.md, "Group
// commit"). With `synchronous = FULL`, SQLite flushes its write-ahead log inside COMMIT, while the
// connection, and so every other caller, waits for the disk. The store instead commits with
// `synchronous = NORMAL` and then flushes the log here, from a file descriptor of its own: the
// same flush FULL does after each commit, moved to where the next transaction can run beside it.
//
// Why this is the same guarantee: in WAL mode the only difference between NORMAL and FULL is
// that flush after each commit (a checkpoint flushes the log before copying it, and the database
// after, in both modes). fdatasync(2) acts on the file, whichever descriptor names it, and waits
// for writeback already under way, so one flush covers every frame written before it began.
#ifndef WRIT_RUNTIME_STORE_INTERNAL_WAL_SYNC_H_
#define WRIT_RUNTIME_STORE_INTERNAL_WAL_SYNC_H_

#include <string>

#include "absl/status/status.h"

namespace writ::runtime::store::internal {

class WalSync {
 public:
  // `database` is the database file's path; its log is `database` + "-wal".
  explicit WalSync(std::string database);
  ~WalSync();
  WalSync(const WalSync&) = delete;
  WalSync& operator=(const WalSync&) = delete;

  // Flushes the log to the disk; OK at once while there is no log. The first flush also flushes
  // the folder, so that the log's own directory entry survives a power loss. Calls must not
  // overlap.
  absl::Status Sync();

 private:
  std::string database_;
  int fd_ = -1;  // the log, opened at the first sync (SQLite creates it at the first write)
};

}  // namespace writ::runtime::store::internal

#endif  // WRIT_RUNTIME_STORE_INTERNAL_WAL_SYNC_H_
