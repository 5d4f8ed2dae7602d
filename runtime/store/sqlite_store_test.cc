// The SQLite store: rows round-trip, transactions are all or nothing, versions only grow, and
// bad files are refused with a clear error without touching what is stored.
#include "runtime/store/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "compiler/base/status.h"

namespace writ::runtime::store {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_store_test_XXXXXX").string();
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

  fs::path dir_;
  std::string path_;
};

std::string ThreadKey(int thread) { return "thread/" + std::to_string(thread); }

SessionRow Session(std::string id) {
  SessionRow row;
  row.id = std::move(id);
  row.agent_type = "procurement.ProcurementBot";
  row.agent_id = "bot-7";
  row.task = "restock";
  row.world_json = "[]";
  row.started_at = 1000;
  row.spent_units = 120000;
  row.spent_currency = "USD";
  return row;
}

TEST_F(SqliteStoreTest, RowsRoundTripAcrossReopening) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    absl::Status status = store->Transact([](Transaction& tx) -> absl::Status {
      SessionRow session = Session("s1");
      session.tokens_used = 42;
      if (absl::Status s = tx.PutSession(session); !s.ok()) return s;
      StepRow step{"s1", "step-1", 0, "payments.transfer", StepState::kAllowed,
                   R"({"amount":"5 USD"})", R"({"effect":"allow"})", "[]", "", 1001, 0};
      if (absl::Status s = tx.PutStep(step); !s.ok()) return s;
      if (absl::Status s = tx.AddCounter("spend/task/s1/cap", 50000, "USD"); !s.ok()) return s;
      if (absl::Status s = tx.AddCounter("spend/task/s1/cap", 25000, ""); !s.ok()) return s;
      return tx.AddRateEvent("bot", "post_rate", 5000);
    });
    ASSERT_TRUE(status.ok()) << status;
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  absl::Status status = store->Transact([](Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<SessionRow>> session = tx.GetSession("s1");
    EXPECT_TRUE(session.ok() && session->has_value());
    EXPECT_EQ((*session)->tokens_used, 42);
    EXPECT_EQ((*session)->spent_currency, "USD");
    absl::StatusOr<std::optional<StepRow>> step = tx.GetStep("s1", "step-1");
    EXPECT_TRUE(step.ok() && step->has_value());
    EXPECT_EQ((*step)->state, StepState::kAllowed);
    EXPECT_EQ((*step)->args_json, R"({"amount":"5 USD"})");
    absl::StatusOr<Counter> counter = tx.GetCounter("spend/task/s1/cap");
    EXPECT_EQ(counter->value, 75000);
    EXPECT_EQ(counter->currency, "USD");
    EXPECT_EQ(tx.GetCounter("absent")->value, 0);
    EXPECT_EQ(*tx.CountRateEvents("bot", "post_rate", 5000), 1);
    EXPECT_EQ(*tx.CountRateEvents("bot", "post_rate", 5001), 0);
    EXPECT_EQ(*tx.CountRateEvents("other", "post_rate", 0), 0);
    EXPECT_TRUE(tx.PruneRateEvents("post_rate", 6000).ok());
    EXPECT_EQ(*tx.CountRateEvents("bot", "post_rate", 0), 0);
    EXPECT_EQ(tx.ListSessions()->size(), 1u);
    EXPECT_EQ(tx.ListSteps("s1")->size(), 1u);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, AFailedTransactionLeavesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  absl::Status status = store->Transact([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.PutSession(Session("s1")); !s.ok()) return s;
    if (absl::Status s = tx.AddCounter("calls", 1, ""); !s.ok()) return s;
    return absl::AbortedError("the decision failed");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) -> absl::Status {
                    EXPECT_FALSE(tx.GetSession("s1")->has_value());
                    EXPECT_EQ(tx.GetCounter("calls")->value, 0);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, CountersRefuseToOverflow) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  absl::Status status = store->Transact([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.AddCounter("big", INT64_MAX, ""); !s.ok()) return s;
    return tx.AddCounter("big", 1, "");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(status.message(), HasSubstr("big"));
  // Downwards too, and the counters that fit keep their sums and their first currency.
  status = store->Transact([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.AddCounter("low", INT64_MIN + 1, ""); !s.ok()) return s;
    return tx.AddCounter("low", -2, "");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kOutOfRange);
  status = store->Transact([](Transaction& tx) -> absl::Status {
    if (absl::Status s = tx.AddCounter("usd", 5, "USD"); !s.ok()) return s;
    if (absl::Status s = tx.AddCounter("usd", -3, "EUR"); !s.ok()) return s;
    if (absl::Status s = tx.AddCounter("edge", INT64_MAX - 1, ""); !s.ok()) return s;
    if (absl::Status s = tx.AddCounter("edge", 1, ""); !s.ok()) return s;
    if (absl::Status s = tx.AddCounter("floor", INT64_MIN, ""); !s.ok()) return s;
    absl::StatusOr<Counter> usd = tx.GetCounter("usd");
    EXPECT_TRUE(usd.ok() && usd->value == 2 && usd->currency == "USD");
    absl::StatusOr<Counter> edge = tx.GetCounter("edge");
    EXPECT_TRUE(edge.ok() && edge->value == INT64_MAX);
    absl::StatusOr<Counter> floor = tx.GetCounter("floor");
    EXPECT_TRUE(floor.ok() && floor->value == INT64_MIN);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, CheckpointVersionsOnlyGrow) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::string blob("state\0with a zero byte", 22);
  absl::Status status = store->Transact([&](Transaction& tx) -> absl::Status {
    EXPECT_EQ(*tx.AddCheckpoint({"s1", 0, 10, blob, "{}", 3}), 1);
    EXPECT_EQ(*tx.AddCheckpoint({"s1", 0, 20, "second", "{}", 5}), 2);
    EXPECT_EQ(*tx.AddCheckpoint({"s2", 0, 20, "other", "{}", 0}), 1);
    absl::StatusOr<std::optional<CheckpointRow>> latest = tx.GetCheckpoint("s1", std::nullopt);
    EXPECT_EQ((*latest)->version, 2);
    EXPECT_EQ((*latest)->position, 5);
    absl::StatusOr<std::optional<CheckpointRow>> first = tx.GetCheckpoint("s1", 1);
    EXPECT_EQ((*first)->state, blob);
    EXPECT_FALSE(tx.GetCheckpoint("s1", 3)->has_value());
    EXPECT_FALSE(tx.GetCheckpoint("none", std::nullopt)->has_value());
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, AStoreFromANewerWriterIsRefusedAndKept) {
  ASSERT_NE(Open(), nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("schema version 99"));
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 99);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, AFileThatIsNotAStoreIsRefused) {
  {
    std::ofstream junk(path_, std::ios::binary);
    junk << std::string(8192, 'x');
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
  EXPECT_THAT(store.status().message(), HasSubstr(path_));
  std::ifstream kept(path_, std::ios::binary);
  std::string contents((std::istreambuf_iterator<char>(kept)), {});
  EXPECT_EQ(contents, std::string(8192, 'x'));
}

TEST_F(SqliteStoreTest, ALockedStoreFailsWithUnavailable) {
  ASSERT_NE(Open(), nullptr);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenSqliteStore(path_, {.synchronous_full = true, .busy_timeout_ms = 50});
  if (store.ok()) {
    absl::Status status = (*store)->Transact(
        [](Transaction& tx) -> absl::Status { return tx.PutSession(Session("s")); });
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  } else {
    EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
  }
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
}

TEST_F(SqliteStoreTest, ConcurrentTransactionsShareCommitsAndLoseNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 8;
  constexpr int kEach = 100;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::Status status = store->Transact([&](Transaction& tx) -> absl::Status {
          // One body in ten fails after writing: group commit must undo it alone.
          if (absl::Status added = tx.AddCounter("c", 1, ""); !added.ok()) return added;
          if (i % 10 == 9) return absl::AbortedError("changed its mind");
          return tx.AddCounter(ThreadKey(t), 1, "");
        });
        if (!status.ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  constexpr int kKept = kThreads * kEach * 9 / 10;
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], kEach / 10);
  store.reset();
  store = Open();  // what was acknowledged is what is on disk
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([&](Transaction& tx) -> absl::Status {
                    absl::StatusOr<Counter> total = tx.GetCounter("c");
                    EXPECT_TRUE(total.ok());
                    if (total.ok()) {
                      EXPECT_EQ(total->value, kKept);
                    }
                    for (int t = 0; t < kThreads; ++t) {
                      absl::StatusOr<Counter> mine = tx.GetCounter(ThreadKey(t));
                      if (mine.ok()) {
                        EXPECT_EQ(mine->value, kEach * 9 / 10);
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, BatchesCommitManyTransactionsAtOnce) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        EXPECT_TRUE(store->Transact([](Transaction& tx) { return tx.AddCounter("c", 1, ""); }).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  StoreStats stats = store->Stats();
  EXPECT_EQ(stats.transactions, 400);
  // Eight writers waiting on durable commits always find company.
  EXPECT_LT(stats.commits, stats.transactions);
}

TEST_F(SqliteStoreTest, AFullDiskFailsTheTransactionAndKeepsWhatWasStored) {
  {
    absl::StatusOr<std::unique_ptr<Store>> store =
        OpenSqliteStore(path_, {.max_bytes = 256 << 10});
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->Transact([](Transaction& tx) { return tx.PutSession(Session("kept")); })
                    .ok());
    std::string big(1 << 20, 'x');
    absl::Status full = (*store)->Transact([&](Transaction& tx) -> absl::Status {
      if (absl::Status put = tx.PutSession(Session("lost")); !put.ok()) return put;
      return tx.AddCheckpoint({"kept", 0, 1, big, "{}", 0}).status();
    });
    EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
    EXPECT_THAT(full.message(), HasSubstr("full"));
    // The store still works for what fits.
    EXPECT_TRUE((*store)
                    ->Transact([](Transaction& tx) { return tx.PutSession(Session("after")); })
                    .ok());
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::vector<SessionRow>> rows = tx.ListSessions();
                    EXPECT_TRUE(rows.ok());
                    std::vector<std::string> ids;
                    if (rows.ok()) {
                      for (const SessionRow& row : *rows) ids.push_back(row.id);
                    }
                    EXPECT_THAT(ids, ::testing::UnorderedElementsAre("kept", "after"));
                    absl::StatusOr<std::optional<CheckpointRow>> checkpoint =
                        tx.GetCheckpoint("kept", std::nullopt);
                    EXPECT_TRUE(checkpoint.ok() && !checkpoint->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, ACorruptCheckpointIsReportedAndTheOthersStayReadable) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Transact([](Transaction& tx) -> absl::Status {
                      for (int i = 0; i < 2; ++i) {
                        absl::StatusOr<int64_t> v =
                            tx.AddCheckpoint({"s", 0, 1, std::string(5000, 'a' + i), "{}", i});
                        if (!v.ok()) return v.status();
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // One flipped byte in the latest state, as a bad disk or a hand edit would leave it.
  ASSERT_EQ(sqlite3_exec(db,
                         "UPDATE checkpoints SET state = CAST(substr(state, 1, 4999) || 'x' AS BLOB) "
                         "WHERE version = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([&](Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<CheckpointRow>> latest =
                        tx.GetCheckpoint("s", std::nullopt);
                    EXPECT_EQ(latest.status().code(), absl::StatusCode::kDataLoss);
                    EXPECT_THAT(latest.status().message(), HasSubstr("checkpoint 2"));
                    EXPECT_THAT(latest.status().message(), HasSubstr(path_));
                    absl::StatusOr<std::optional<CheckpointRow>> first = tx.GetCheckpoint("s", 1);
                    EXPECT_TRUE(first.ok() && first->has_value()) << first.status();
                    if (first.ok() && first->has_value()) {
                      EXPECT_EQ((*first)->state, std::string(5000, 'a'));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, AVersionOneStoreIsMigratedAndKeepsItsCheckpoints) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  // The part of schema version 1 that migration 2 changes, with a checkpoint in it.
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE checkpoints (session TEXT NOT NULL, version INTEGER NOT "
                         "NULL, created_at INTEGER NOT NULL, state BLOB NOT NULL, session_row "
                         "TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (session, "
                         "version));"
                         "INSERT INTO checkpoints VALUES ('s', 1, 5, CAST('old' AS BLOB), '{}', 3);"
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<CheckpointRow>> old =
                        tx.GetCheckpoint("s", std::nullopt);
                    EXPECT_TRUE(old.ok() && old->has_value()) << old.status();
                    if (old.ok() && old->has_value()) {
                      EXPECT_EQ((*old)->state, "old");
                    }
                    return tx.AddQueuedSpawn({"q", "pool", 0, 0, "{}", 1});
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, QueuedSpawnsComeOutByPriorityThenArrival) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) -> absl::Status {
                    for (auto [id, priority] : {std::pair{"a", 0}, {"b", 5}, {"c", 0}, {"d", 5}}) {
                      absl::Status added = tx.AddQueuedSpawn({id, "p", priority, 0, "{}", 1});
                      if (!added.ok()) return added;
                    }
                    return tx.DeleteQueuedSpawn("c");
                  })
                  .ok());
  ASSERT_TRUE(store
                  ->Transact([](Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::vector<QueuedSpawnRow>> rows = tx.ListQueuedSpawns();
                    EXPECT_TRUE(rows.ok());
                    std::vector<std::string> order;
                    if (rows.ok()) {
                      for (const QueuedSpawnRow& row : *rows) order.push_back(row.session);
                    }
                    EXPECT_THAT(order, ::testing::ElementsAre("b", "d", "a"));
                    absl::StatusOr<std::optional<QueuedSpawnRow>> d = tx.GetQueuedSpawn("d");
                    EXPECT_TRUE(d.ok() && d->has_value() && (*d)->priority == 5);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, LeasesKeysAndSecretsRoundTripAcrossReopening) {
  LeaseRow lease{"00112233445566778899aabbccddeeff", "s1", "step-1", "shop.Buyer::b1",
                 "shop.User::u1", "erp.create_po", "erp", {"a:b", "", "po.write"}, 100, 900};
  LeaseRow other = lease;
  other.id = "ffeeddccbbaa99887766554433221100";
  other.scopes = {};
  other.issued_at = 50;
  const audit::PublicKey key = {1, 2, 3};
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Transact([&](Transaction& tx) -> absl::Status {
                      WRIT_RETURN_IF_ERROR(tx.PutLease(lease));
                      WRIT_RETURN_IF_ERROR(tx.PutLease(other));
                      WRIT_RETURN_IF_ERROR(tx.AddLeaseKey(key, 7));
                      WRIT_RETURN_IF_ERROR(tx.AddLeaseKey(key, 8));
                      WRIT_RETURN_IF_ERROR(tx.PutSecret("erp", std::string("\0sealed", 7), 3));
                      return tx.PutSecret("bank", "older", 4);
                    })
                    .ok());
  }
  lease.revoked_at = 950;
  lease.revoke_reason = "the session ended";
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Transact([&](Transaction& tx) -> absl::Status {
                    WRIT_RETURN_IF_ERROR(tx.PutLease(lease));
                    absl::StatusOr<std::optional<LeaseRow>> got = tx.GetLease(lease.id);
                    EXPECT_TRUE(got.ok() && got->has_value() && **got == lease);
                    absl::StatusOr<std::optional<LeaseRow>> none = tx.GetLease("nope");
                    EXPECT_TRUE(none.ok() && !none->has_value());
                    absl::StatusOr<std::vector<LeaseRow>> listed = tx.ListLeases("s1");
                    EXPECT_TRUE(listed.ok());
                    if (listed.ok()) {
                      EXPECT_THAT(*listed, ::testing::ElementsAre(other, lease));
                    }
                    absl::StatusOr<std::vector<audit::PublicKey>> keys = tx.ListLeaseKeys();
                    EXPECT_TRUE(keys.ok());
                    if (keys.ok()) {
                      EXPECT_THAT(*keys, ::testing::ElementsAre(key));
                    }
                    absl::StatusOr<std::optional<std::string>> erp = tx.GetSecret("erp");
                    EXPECT_TRUE(erp.ok() && erp->has_value() &&
                                **erp == std::string("\0sealed", 7));
                    absl::StatusOr<std::vector<SecretRow>> secrets = tx.ListSecrets();
                    EXPECT_TRUE(secrets.ok() && secrets->size() == 2 &&
                                (*secrets)[0].name == "bank" && (*secrets)[1].updated_at == 3);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(SqliteStoreTest, ALeaseWhoseScopesDoNotDecodeIsDataLoss) {
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Transact([](Transaction& tx) {
                      return tx.PutLease({"id1", "s1", "k", "a", "", "t", "c", {"x"}, 1, 2});
                    })
                    .ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE leases SET scopes = '9:x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  absl::Status status = store->Transact([](Transaction& tx) -> absl::Status {
    return tx.GetLease("id1").status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_THAT(status.message(), HasSubstr("lease id1"));
}

}  // namespace
}  // namespace writ::runtime::store
