// Group commit against a scripted connection: who shares a commit, what a failing body undoes,
// and that no caller is told OK about writes the batch lost.
#include "runtime/store/internal/group_commit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace writ::runtime::store::internal {
namespace {

using ::testing::ElementsAre;

// Records every call; can be told to fail a commit or a sync, to hold a sync until released, or
// to abandon the transaction.
class FakeConnection final : public BatchConnection {
 public:
  absl::Status Begin() override {
    in_tx_ = true;
    return Log("begin");
  }
  absl::Status Commit() override {
    if (fail_commit_) return Log("commit failed", absl::UnavailableError("disk I/O error"));
    in_tx_ = false;
    return Log("commit");
  }
  void Rollback() override {
    in_tx_ = false;
    Log("rollback").IgnoreError();
  }
  absl::Status Sync() override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++syncs_started_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hold_sync_; });
    log_.push_back(fail_sync_ ? "sync failed" : "sync");
    return fail_sync_ ? absl::DataLossError("fdatasync: I/O error") : absl::OkStatus();
  }
  bool InTransaction() override { return in_tx_; }

  // Syncs wait from now until Release().
  void Hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_sync_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_sync_ = false;
    changed_.notify_all();
  }
  void WaitForSyncs(int count) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return syncs_started_ >= count; });
  }
  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }
  absl::Status BeginMember() override { return Log("member"); }
  absl::Status EndMember(bool keep) override { return Log(keep ? "keep" : "undo"); }

  void Abandon() { in_tx_ = false; }  // what SQLite does on some I/O errors
  bool fail_commit_ = false;
  bool fail_sync_ = false;
  std::vector<std::string> log_;

 private:
  absl::Status Log(std::string what, absl::Status status = absl::OkStatus()) {
    std::lock_guard<std::mutex> lock(mutex_);
    log_.push_back(std::move(what));
    return status;
  }
  bool in_tx_ = false;
  std::mutex mutex_;  // a sync runs beside the other calls
  std::condition_variable changed_;
  bool hold_sync_ = false;
  int syncs_started_ = 0;
};

// Runs `first` and, once it waits for company, a second caller's `second`: the two bodies meet in
// one batch whenever the group commit lets them.
void Together(GroupCommit& group, absl::FunctionRef<absl::Status()> first,
              absl::FunctionRef<absl::Status()> second, absl::Status& first_out,
              absl::Status& second_out) {
  std::thread other;
  first_out = group.Run([&]() -> absl::Status {
    other = std::thread([&] { second_out = group.Run(second); });
    while (group.arriving() == 0) std::this_thread::yield();
    return first();
  });
  other.join();
}

TEST(GroupCommitTest, ALoneCallerCommitsAtOnce) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  EXPECT_TRUE(group.Run([] { return absl::OkStatus(); }).ok());
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "keep", "commit", "sync"));
  EXPECT_EQ(group.stats().commits, 1);
  EXPECT_EQ(group.stats().transactions, 1);
}

TEST(GroupCommitTest, ConcurrentCallersShareOneCommit) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  absl::Status a, b;
  Together(group, [] { return absl::OkStatus(); }, [] { return absl::OkStatus(); }, a, b);
  EXPECT_TRUE(a.ok()) << a;
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "keep", "member", "keep", "commit", "sync"));
  EXPECT_EQ(group.stats().commits, 1);
  EXPECT_EQ(group.stats().transactions, 2);
}

TEST(GroupCommitTest, AFailingBodyUndoesOnlyItself) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  absl::Status a, b;
  Together(group, [] { return absl::InvalidArgumentError("no"); },
           [] { return absl::OkStatus(); }, a, b);
  EXPECT_EQ(a.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(b.ok()) << b;
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "undo", "member", "keep", "commit", "sync"));
  EXPECT_EQ(group.stats().transactions, 1);
}

TEST(GroupCommitTest, ABatchTheDatabaseAbandonedFailsEveryMember) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  absl::Status a, b;
  Together(group, [] { return absl::OkStatus(); },
           [&] {
             connection.Abandon();
             return absl::ResourceExhaustedError("database or disk is full");
           },
           a, b);
  // The first body had succeeded, but its writes went with the batch: it must not hear OK.
  EXPECT_EQ(a.code(), absl::StatusCode::kResourceExhausted) << a;
  EXPECT_EQ(b.code(), absl::StatusCode::kResourceExhausted) << b;
  EXPECT_EQ(group.stats().transactions, 0);
  // The next caller starts a fresh batch.
  EXPECT_TRUE(group.Run([] { return absl::OkStatus(); }).ok());
}

TEST(GroupCommitTest, AFailedCommitFailsEveryMember) {
  FakeConnection connection;
  connection.fail_commit_ = true;
  GroupCommit group(connection, 64);
  absl::Status a, b;
  Together(group, [] { return absl::OkStatus(); }, [] { return absl::OkStatus(); }, a, b);
  EXPECT_EQ(a.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(b.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(connection.log_.back(), "rollback");
  EXPECT_EQ(group.stats().commits, 0);
}

TEST(GroupCommitTest, AFullBatchCommitsWithoutWaitingForMore) {
  FakeConnection connection;
  GroupCommit group(connection, 1);
  absl::Status a, b;
  Together(group, [] { return absl::OkStatus(); }, [] { return absl::OkStatus(); }, a, b);
  EXPECT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(group.stats().commits, 2);
}

// The disk flush happens outside the lock: while one batch waits for it, the next batch's bodies
// run (and the batch commits once the flush ends); nobody hears OK before the flush that covers
// their batch is done.
TEST(GroupCommitTest, TheNextBatchRunsWhileASyncWaitsForTheDisk) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  connection.Hold();
  std::atomic<bool> first_returned = false;
  absl::Status first;
  std::thread waiting([&] {
    first = group.Run([] { return absl::OkStatus(); });
    first_returned = true;
  });
  connection.WaitForSyncs(1);
  std::atomic<bool> second_ran = false;
  absl::Status second;
  std::thread next([&] {
    second = group.Run([&] {
      second_ran = true;
      return absl::OkStatus();
    });
  });
  // Bounded: were the flush inside the lock, the second body would wait for Release().
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!second_ran && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_TRUE(second_ran) << "the next batch waited for the flush";
  EXPECT_FALSE(first_returned) << "a caller heard OK before its batch was flushed";
  std::vector<std::string> held = connection.log();
  EXPECT_EQ(std::count(held.begin(), held.end(), "commit"), 1)
      << "the next batch committed while the disk was busy, instead of gathering callers";
  connection.Release();
  waiting.join();
  next.join();
  EXPECT_TRUE(first.ok()) << first;
  EXPECT_TRUE(second.ok()) << second;
  std::vector<std::string> log = connection.log();
  EXPECT_EQ(std::count(log.begin(), log.end(), "commit"), 2);
  EXPECT_EQ(group.stats().commits, 2);
  EXPECT_EQ(group.stats().syncs, 2);
}

// Every caller that comes while a flush runs joins one batch, which commits when the flush ends:
// under load a batch is as large as the callers one flush keeps waiting.
TEST(GroupCommitTest, CallersThatComeDuringAFlushShareTheNextCommit) {
  FakeConnection connection;
  GroupCommit group(connection, 64);
  connection.Hold();
  std::vector<std::thread> callers;
  std::vector<absl::Status> outcomes(4);
  callers.emplace_back([&] { outcomes[0] = group.Run([] { return absl::OkStatus(); }); });
  connection.WaitForSyncs(1);
  std::atomic<int> ran = 0;
  for (int i = 1; i < 4; ++i) {
    callers.emplace_back([&, i] {
      outcomes[i] = group.Run([&] {
        ++ran;
        return absl::OkStatus();
      });
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ran < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_EQ(ran, 3) << "bodies waited for the flush";
  connection.Release();
  for (std::thread& caller : callers) caller.join();
  for (const absl::Status& outcome : outcomes) EXPECT_TRUE(outcome.ok()) << outcome;
  EXPECT_EQ(group.stats().transactions, 4);
  EXPECT_EQ(group.stats().commits, 2);
  EXPECT_EQ(group.stats().syncs, 2);
}

// A flush covers every batch committed before it began: leaders that waited for a running flush
// share the next one.
TEST(GroupCommitTest, OneSyncCoversEveryBatchCommittedBeforeIt) {
  FakeConnection connection;
  GroupCommit group(connection, 1);  // every caller its own batch
  connection.Hold();
  std::vector<std::thread> callers;
  std::vector<absl::Status> outcomes(5);
  callers.emplace_back([&] { outcomes[0] = group.Run([] { return absl::OkStatus(); }); });
  connection.WaitForSyncs(1);
  for (int i = 1; i < 5; ++i) {
    callers.emplace_back([&, i] { outcomes[i] = group.Run([] { return absl::OkStatus(); }); });
  }
  // All four later batches commit while the first flush is held.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int commits = 0;
  while (commits < 5 && std::chrono::steady_clock::now() < deadline) {
    std::vector<std::string> log = connection.log();
    commits = static_cast<int>(std::count(log.begin(), log.end(), "commit"));
    std::this_thread::yield();
  }
  EXPECT_EQ(commits, 5) << "batches waited for a flush they did not need";
  connection.Release();
  for (std::thread& caller : callers) caller.join();
  for (const absl::Status& outcome : outcomes) EXPECT_TRUE(outcome.ok()) << outcome;
  EXPECT_EQ(group.stats().commits, 5);
  EXPECT_EQ(group.stats().syncs, 2);
}

// After a failed flush the file's durability is unknown: the batch fails, and so does every
// later caller, without its body running.
TEST(GroupCommitTest, AFailedSyncFailsItsBatchAndEveryLaterCaller) {
  FakeConnection connection;
  connection.fail_sync_ = true;
  GroupCommit group(connection, 64);
  absl::Status a, b;
  Together(group, [] { return absl::OkStatus(); }, [] { return absl::OkStatus(); }, a, b);
  EXPECT_EQ(a.code(), absl::StatusCode::kDataLoss) << a;
  EXPECT_EQ(b.code(), absl::StatusCode::kDataLoss) << b;
  EXPECT_EQ(group.stats().transactions, 0);
  connection.fail_sync_ = false;
  bool ran = false;
  absl::Status later = group.Run([&] {
    ran = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(later.code(), absl::StatusCode::kDataLoss) << later;
  EXPECT_THAT(std::string(later.message()), ::testing::HasSubstr("reopen"));
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace writ::runtime::store::internal
