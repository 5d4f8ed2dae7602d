#include "runtime/store/internal/group_commit.h"

#include <utility>

namespace writ::runtime::store::internal {

GroupCommit::GroupCommit(BatchConnection& connection, int max_batch)
    : connection_(connection), max_batch_(max_batch < 1 ? 1 : max_batch) {}

GroupCommitStats GroupCommit::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void GroupCommit::Finish(std::unique_lock<std::mutex>& lock, absl::Status failure) {
  std::shared_ptr<Batch> batch = std::move(batch_);
  batch_ = nullptr;
  absl::Status status = std::move(failure);
  if (status.ok() && !poisoned_.ok()) status = poisoned_;
  if (status.ok() && batch->members == 0) {
    // Every body in it failed and was undone: there is nothing to commit or to make durable.
    connection_.Rollback();
    batch->done = true;
    done_.notify_all();
    lock.unlock();
    return;
  }
  if (status.ok()) status = connection_.Commit();
  if (!status.ok() && connection_.InTransaction()) connection_.Rollback();
  int64_t number = status.ok() ? ++committed_ : 0;
  // The next batch may begin now: its bodies run while this one's sync waits for the disk.
  lock.unlock();
  if (status.ok()) status = SyncThrough(number);
  lock.lock();
  if (status.ok()) {
    stats_.transactions += batch->members;
    ++stats_.commits;
  }
  batch->status = std::move(status);
  batch->done = true;
  done_.notify_all();
  lock.unlock();
}

bool GroupCommit::ReadyToCommit() const {
  if (!poisoned_.ok()) return true;  // to fail at once
  return committed_ == synced_ && arriving_.load(std::memory_order_acquire) == 0;
}

absl::Status GroupCommit::SyncThrough(int64_t batch) {
  std::lock_guard<std::mutex> sync(sync_mutex_);
  int64_t covered = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!poisoned_.ok()) return poisoned_;
    // A sync that began after this batch committed covered it.
    if (synced_ >= batch) return absl::OkStatus();
    covered = committed_;
  }
  absl::Status status = connection_.Sync();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status.ok()) {
    poisoned_ = absl::Status(status.code(), "the store could not make its writes durable (" +
                                                std::string(status.message()) +
                                                "); reopen it to go on");
    done_.notify_all();  // a batch gathered meanwhile fails now, rather than wait
    return poisoned_;
  }
  synced_ = covered;
  ++stats_.syncs;
  // The disk is free: a batch that gathered while it worked may commit now.
  done_.notify_all();
  return absl::OkStatus();
}

absl::Status GroupCommit::Run(absl::FunctionRef<absl::Status()> body) {
  arriving_.fetch_add(1, std::memory_order_acq_rel);
  std::unique_lock<std::mutex> lock(mutex_);
  arriving_.fetch_sub(1, std::memory_order_acq_rel);
  if (!poisoned_.ok()) return poisoned_;
  if (batch_ == nullptr) {
    if (absl::Status begun = connection_.Begin(); !begun.ok()) {
      if (connection_.InTransaction()) connection_.Rollback();
      return begun;
    }
    batch_ = std::make_shared<Batch>();
  }
  std::shared_ptr<Batch> mine = batch_;

  absl::Status status = connection_.BeginMember();
  if (!status.ok()) {
    Finish(lock, status);
    return status;
  }
  status = body();
  if (!connection_.InTransaction()) {
    // The database abandoned the whole batch: every member's writes are gone, so every
    // member fails, not only the one whose statement hit the error.
    absl::Status lost = status.ok() ? absl::InternalError("the store abandoned the transaction")
                                    : status;
    Finish(lock, lost);
    return lost;
  }
  if (absl::Status ended = connection_.EndMember(status.ok()); !ended.ok()) {
    Finish(lock, ended);
    return status.ok() ? ended : status;
  }
  if (status.ok()) ++mine->members;

  if (mine->members >= max_batch_ || ReadyToCommit()) {
    Finish(lock, absl::OkStatus());
  } else if (status.ok()) {
    // The last member to see the disk idle and nobody arriving commits the batch; a sync that
    // ends wakes the waiting members to check.
    done_.wait(lock, [&] { return mine->done || (batch_ == mine && ReadyToCommit()); });
    if (!mine->done) Finish(lock, absl::OkStatus());
  } else if (mine->members == 0 && arriving_.load(std::memory_order_acquire) == 0) {
    // Nobody waits on this batch and nobody is coming to join it: close it rather than leave
    // an empty transaction open.
    Finish(lock, absl::OkStatus());
  }
  // A body that failed has nothing in the batch: its error is its outcome, whatever the batch's.
  if (!status.ok()) return status;
  return mine->status;
}

}  // namespace writ::runtime::store::internal
