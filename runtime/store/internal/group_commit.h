// Group commit (docs/runtime.md, "Group commit"): the transactions of concurrent callers share
// one database transaction and one durable commit. Each caller's body runs alone, inside a
// savepoint of the open batch, so a failing body undoes only its own writes; a caller returns
// only once the batch that holds its writes is durable, or with the error that lost it. A lone
// caller gets a batch of one, so single-threaded use commits exactly as before.
//
// Commit and sync are two stages: a batch commits (its writes reach the file) under the lock,
// and is made durable (the disk flush) outside it, so the next batch's bodies run while the
// disk works; that batch commits when the flush ends (or when it is full), so a batch gathers
// all the callers that came during one flush. One sync covers every batch committed before it
// began, so leaders waiting for it share it. A failed sync leaves the file's durability unknown: it fails every batch it was to cover
// and every later transaction, until the store is opened again.
#ifndef WRIT_RUNTIME_STORE_INTERNAL_GROUP_COMMIT_H_
#define WRIT_RUNTIME_STORE_INTERNAL_GROUP_COMMIT_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace writ::runtime::store::internal {

// What group commit needs of a database connection. Calls never overlap.
class BatchConnection {
 public:
  virtual ~BatchConnection() = default;
  virtual absl::Status Begin() = 0;   // opens the batch's transaction
  virtual absl::Status Commit() = 0;  // ends the batch's transaction; its writes are in the file
  // Makes every committed batch durable. Unlike the other calls, it may run while another
  // thread uses the connection.
  virtual absl::Status Sync() = 0;
  virtual void Rollback() = 0;        // abandons the open batch
  // Whether a transaction is open: false after the database abandoned the batch on its own
  // (SQLite does for some I/O errors and a full disk).
  virtual bool InTransaction() = 0;
  // One caller's part of the batch: opened before its body runs, then kept or undone.
  virtual absl::Status BeginMember() = 0;
  virtual absl::Status EndMember(bool keep) = 0;
};

struct GroupCommitStats {
  int64_t transactions = 0;  // bodies that committed
  int64_t commits = 0;       // durable commits they took
  int64_t syncs = 0;         // disk flushes those commits shared
};

class GroupCommit {
 public:
  // A batch commits when no other caller is waiting to join it and no earlier batch is still
  // being flushed, or when it holds `max_batch` transactions.
  GroupCommit(BatchConnection& connection, int max_batch);

  // Runs `body` in the open batch (opening one if needed) and returns once its writes are
  // durable: OK, the body's own error (its writes undone), or the error that lost the batch.
  absl::Status Run(absl::FunctionRef<absl::Status()> body);

  GroupCommitStats stats() const;
  // Callers that entered Run and wait to run their body (for tests and metrics).
  int arriving() const { return arriving_.load(std::memory_order_acquire); }

 private:
  struct Batch {
    bool done = false;
    absl::Status status;
    int members = 0;  // bodies kept in the batch
  };

  // Commits (or, after `failure`, abandons) the open batch, makes it durable and wakes its
  // waiting members. Returns with `lock` released.
  void Finish(std::unique_lock<std::mutex>& lock, absl::Status failure);
  // Whether the open batch should commit now: nobody is arriving to join it and the disk is
  // idle (or a failed sync means it must fail at once). Called with mutex_ held.
  bool ReadyToCommit() const;
  // Returns once batch number `batch` (counted by `committed_`) is durable, or why it is not.
  absl::Status SyncThrough(int64_t batch);

  BatchConnection& connection_;
  const int max_batch_;
  std::atomic<int> arriving_ = 0;  // callers between entering Run and running their body
  mutable std::mutex mutex_;       // held while a body runs or a batch commits
  std::condition_variable done_;
  std::shared_ptr<Batch> batch_;  // the open batch; null when none is open
  GroupCommitStats stats_;
  // Guarded by mutex_, as is all of the above.
  int64_t committed_ = 0;  // batches committed so far
  int64_t synced_ = 0;     // every batch up to this number is durable
  absl::Status poisoned_;  // a sync failed: nothing written since can be promised durable

  // Held while the disk flushes, so that leaders wait for a running sync and then find their
  // batch covered by it. Taken before mutex_, never while holding it.
  std::mutex sync_mutex_;
};

}  // namespace writ::runtime::store::internal

#endif  // WRIT_RUNTIME_STORE_INTERNAL_GROUP_COMMIT_H_
