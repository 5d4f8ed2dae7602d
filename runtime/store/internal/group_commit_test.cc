// Group commit against a scripted connection: who shares a commit, what a failing body undoes,
// and that no caller is told OK about writes the batch lost.
#include "runtime/store/internal/group_commit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace writ::runtime::store::internal {
namespace {

using ::testing::ElementsAre;

// Records every call; can be told to fail a commit or to abandon the transaction.
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
  bool InTransaction() override { return in_tx_; }
  absl::Status BeginMember() override { return Log("member"); }
  absl::Status EndMember(bool keep) override { return Log(keep ? "keep" : "undo"); }

  void Abandon() { in_tx_ = false; }  // what SQLite does on some I/O errors
  bool fail_commit_ = false;
  std::vector<std::string> log_;

 private:
  absl::Status Log(std::string what, absl::Status status = absl::OkStatus()) {
    log_.push_back(std::move(what));
    return status;
  }
  bool in_tx_ = false;
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
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "keep", "commit"));
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
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "keep", "member", "keep", "commit"));
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
  EXPECT_THAT(connection.log_, ElementsAre("begin", "member", "undo", "member", "keep", "commit"));
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

}  // namespace
}  // namespace writ::runtime::store::internal
