// The SQLite store's audit tables: events are appended in the transaction that records them,
// so a rolled-back transaction leaves no event; the chain goes on across reopening and across
// concurrent callers sharing a group commit; a log edited under the writer stops the writer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/audit/log.h"
#include "runtime/audit/verifier.h"
#include "runtime/store/sqlite_store.h"

namespace writ::runtime::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

audit::AuditEvent Terminated(std::string session, std::string reason) {
  audit::AuditEvent event;
  event.kind = audit::EventKind::kTerminated;
  event.at = 1'000;
  event.session = std::move(session);
  event.SetField("reason", std::move(reason));
  return event;
}

class SqliteAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_audit_store_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = (dir_ / "writ.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> Open() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::vector<AuditRow> AllRows(Store& store) {
    std::vector<AuditRow> rows;
    EXPECT_TRUE(store.Transact([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<AuditRow>> read = tx.ReadAudit(-1, 1'000'000);
      if (!read.ok()) return read.status();
      rows = *std::move(read);
      return absl::OkStatus();
    }).ok());
    return rows;
  }

  void RawSql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error != nullptr ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteAuditTest, AppendsChainAcrossTransactionsAndReopening) {
  audit::LogWriter expected;
  for (int round = 0; round < 3; ++round) {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < 5; ++i) {
      std::string reason = "r" + std::to_string(round * 5 + i);
      ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
        absl::StatusOr<uint64_t> seq = tx.AppendAudit(Terminated("s", reason));
        if (!seq.ok()) return seq.status();
        EXPECT_EQ(*seq, static_cast<uint64_t>(round * 5 + i));
        return absl::OkStatus();
      }).ok());
      ASSERT_TRUE(expected.Append(Terminated("s", reason)).ok());
    }
    ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
      absl::StatusOr<AuditHead> head = tx.GetAuditHead();
      if (!head.ok()) return head.status();
      EXPECT_EQ(head->size, expected.size());
      EXPECT_EQ(head->chain, expected.chain_head());
      EXPECT_EQ(head->root, expected.Root());
      return absl::OkStatus();
    }).ok());
  }
  std::unique_ptr<Store> store = Open();
  std::vector<AuditRow> rows = AllRows(*store);
  ASSERT_EQ(rows.size(), 15u);
  std::vector<audit::StoredEvent> events;
  for (const AuditRow& row : rows) events.push_back(row.event);
  audit::VerifyResult result = audit::VerifyLog(events, {}, audit::PublicKey{});
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.events_checked, 15u);
}

TEST_F(SqliteAuditTest, ARolledBackTransactionLeavesNoEvent) {
  std::unique_ptr<Store> store = Open();
  absl::Status failed = store->Transact([&](Transaction& tx) -> absl::Status {
    EXPECT_TRUE(tx.AppendAudit(Terminated("s", "lost")).ok());
    return absl::AbortedError("the body gave up");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<uint64_t> seq = tx.AppendAudit(Terminated("s", "kept"));
    EXPECT_TRUE(seq.ok() && *seq == 0) << "the rolled-back event's position is reused";
    return seq.status();
  }).ok());
  std::vector<AuditRow> rows = AllRows(*store);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].session, "s");
}

TEST_F(SqliteAuditTest, AnEventItsKindRefusesIsAnErrorAndAppendsNothing) {
  std::unique_ptr<Store> store = Open();
  audit::AuditEvent bad;
  bad.kind = audit::EventKind::kDecided;  // without its required fields
  bad.session = "s";
  absl::Status status = store->Transact(
      [&](Transaction& tx) -> absl::Status { return tx.AppendAudit(bad).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(AllRows(*store).empty());
}

TEST_F(SqliteAuditTest, ConcurrentCallersShareCommitsAndTheLogVerifies) {
  std::unique_ptr<Store> store = Open();
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string session = "s" + std::to_string(t);
        EXPECT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
          return tx.AppendAudit(Terminated(session, std::to_string(i))).status();
        }).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<AuditRow> rows = AllRows(*store);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kThreads * kEach));
  std::vector<audit::StoredEvent> events;
  for (const AuditRow& row : rows) events.push_back(row.event);
  EXPECT_TRUE(audit::VerifyLog(events, {}, audit::PublicKey{}).ok());
  ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<AuditRow>> mine = tx.ReadSessionAudit("s3");
    EXPECT_TRUE(mine.ok() && mine->size() == static_cast<size_t>(kEach));
    return mine.status();
  }).ok());
}

TEST_F(SqliteAuditTest, TreeHeadsAndKeysRoundTrip) {
  ASSERT_GE(sodium_init(), 0);
  audit::PublicKey pk;
  audit::SecretKey sk;
  crypto_sign_keypair(pk.data(), sk.data());
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.AppendAudit(Terminated("s", "done")).status(); !s.ok()) return s;
    absl::StatusOr<AuditHead> head = tx.GetAuditHead();
    if (!head.ok()) return head.status();
    absl::StatusOr<audit::SignedTreeHead> signed_head =
        audit::SignTreeHead({head->size, head->root, 2'000}, sk);
    if (!signed_head.ok()) return signed_head.status();
    if (absl::Status s = tx.AddTreeHead(*signed_head); !s.ok()) return s;
    if (absl::Status s = tx.AddAuditKey(pk, 2'000); !s.ok()) return s;
    return tx.AddAuditKey(pk, 3'000);  // kept once
  }).ok());
  store = Open();
  ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
    absl::StatusOr<std::vector<audit::PublicKey>> keys = tx.ListAuditKeys();
    EXPECT_TRUE(heads.ok() && heads->size() == 1u);
    EXPECT_TRUE(keys.ok() && keys->size() == 1u && (*keys)[0] == pk);
    if (heads.ok() && !heads->empty()) {
      EXPECT_TRUE(audit::VerifyTreeHead((*heads)[0], pk).ok());
      EXPECT_EQ((*heads)[0].head.size, 1u);
    }
    return absl::OkStatus();
  }).ok());
}

TEST_F(SqliteAuditTest, ALogEditedUnderTheWriterStopsAppendsWithDataLoss) {
  {
    std::unique_ptr<Store> store = Open();
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(store->Transact([&](Transaction& tx) -> absl::Status {
        return tx.AppendAudit(Terminated("s", std::to_string(i))).status();
      }).ok());
    }
  }
  RawSql("DELETE FROM audit_events WHERE seq = 2");
  std::unique_ptr<Store> store = Open();
  absl::Status status = store->Transact(
      [&](Transaction& tx) -> absl::Status { return tx.AppendAudit(Terminated("s", "x")).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(status.message(), HasSubstr("writ audit verify"));
  EXPECT_EQ(AllRows(*store).size(), 2u) << "nothing was appended";

  RawSql("UPDATE audit_state SET writer = x'00'");
  status = store->Transact(
      [&](Transaction& tx) -> absl::Status { return tx.GetAuditHead().status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace writ::runtime::store
