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
  if (status.ok()) status = connection_.Commit();
  if (!status.ok() && connection_.InTransaction()) connection_.Rollback();
  if (status.ok()) {
    stats_.transactions += batch->members;
    ++stats_.commits;
  }
  batch->status = std::move(status);
  batch->done = true;
  (void)lock;  // held: the next batch cannot begin before this one is settled
  done_.notify_all();
}

absl::Status GroupCommit::Run(absl::FunctionRef<absl::Status()> body) {
  arriving_.fetch_add(1, std::memory_order_acq_rel);
  std::unique_lock<std::mutex> lock(mutex_);
  arriving_.fetch_sub(1, std::memory_order_acq_rel);
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

  if (arriving_.load(std::memory_order_acquire) == 0 || mine->members >= max_batch_) {
    Finish(lock, absl::OkStatus());
  } else if (status.ok()) {
    done_.wait(lock, [&] { return mine->done; });
  }
  // A body that failed has nothing in the batch: its error is its outcome, whatever the batch's.
  if (!status.ok()) return status;
  return mine->status;
}

}  // namespace writ::runtime::store::internal
