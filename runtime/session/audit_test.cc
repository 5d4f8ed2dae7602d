// The audit trail as the session runtime writes it (docs/audit.md, "What the runtime
// records"): each lifecycle step appends its events in the step's own transaction, in a fixed
// order; tree heads are signed on terminate; the log verifies. And never drop: when the log
// cannot be written, the runtime returns an error instead of a decision, and stores nothing of
// the step.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runtime/audit/event_encoding.h"
#include "runtime/audit/verifier.h"
#include "runtime/interpreter.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using store::StepState;

constexpr const char* kPolicy = R"(package shop

entity User

agent Buyer {
  acts_for: User
  credentials {
    erp: ["po.write"] ttl 15m
  }
}

tool pay(amount: money)
tool order(item: string) -> { id: string }

permit call pay, order for Buyer
grant_erp: permit call order for Buyer grant erp

big: require_approval call pay when args.amount > 50 USD
  because "big payments need approval" by principal.acts_for timeout 1h

tokens: budget tokens per task 1000 for Buyer warn at 50% then terminate because "token cap"
)";

constexpr const char* kWorld = R"([
  {"type": "shop.Buyer", "id": "b1", "attrs": {"acts_for": {"type": "shop.User", "id": "u1"}}},
  {"type": "shop.User", "id": "u1"}
])";

class SessionAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string errors;
    policy_ = testing::CompilePolicy(kPolicy, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
    interpreter_ = std::make_unique<Interpreter>(*policy_);
    std::string pattern = (fs::temp_directory_path() / "writ_session_audit_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(Path());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    runtime_ = std::make_unique<SessionRuntime>(
        *policy_, *interpreter_, *store_,
        SessionRuntimeOptions{.clock = [this] { return now_; },
                              .audit = {.sign_every = 0}});
  }
  void TearDown() override {
    runtime_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string Path() const { return (dir_ / "writ.db").string(); }

  // "kind step" for every stored event, in log order.
  std::vector<std::string> Log() {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->Transact([&](store::Transaction& tx) -> absl::Status {
                      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(-1, 1000);
                      if (!rows.ok()) return rows.status();
                      for (const store::AuditRow& row : *rows) {
                        absl::StatusOr<audit::AuditEvent> event = audit::Decode(row.event.encoding);
                        if (!event.ok()) return event.status();
                        out.push_back(std::string(audit::Spelling(event->kind)) +
                                      (event->step.empty() ? "" : " " + event->step));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  audit::VerifyResult Verify() {
    audit::VerifyResult result;
    EXPECT_TRUE(store_
                    ->Transact([&](store::Transaction& tx) -> absl::Status {
                      absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
                      if (!heads.ok()) return heads.status();
                      audit::LogVerifier verifier(runtime_->audit_public_key(), *heads);
                      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(-1, 1000);
                      if (!rows.ok()) return rows.status();
                      for (const store::AuditRow& row : *rows) verifier.Add(row.event);
                      result = verifier.Finish();
                      return absl::OkStatus();
                    })
                    .ok());
    return result;
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(db);
  }

  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<Interpreter> interpreter_;
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SessionRuntime> runtime_;
  int64_t now_ = 1767225600000;
};

TEST_F(SessionAuditTest, EveryLifecycleStepAppendsItsEventsInOrderAndTheLogVerifies) {
  ASSERT_TRUE(runtime_->Spawn({"s1", "shop.Buyer", "b1", "restock", kWorld}).ok());
  ASSERT_EQ(runtime_->Authorize("s1", "1", "order", R"({"item": "pallets"})")->state,
            StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("s1", "1", R"({"id": "po-9"})", 600).ok());
  ASSERT_EQ(runtime_->Authorize("s1", "2", "pay", R"({"amount": "80 USD"})")->state,
            StepState::kPending);
  ASSERT_EQ(runtime_->Approve("s1", "2", "u1")->state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Fail("s1", "2").ok());
  ASSERT_TRUE(runtime_->Checkpoint("s1", "state-1").ok());
  ASSERT_TRUE(runtime_->Resume("s1").ok());
  // A replayed step appends nothing: it was recorded when it was decided.
  ASSERT_TRUE(runtime_->Authorize("s1", "1", "order", R"({"item": "pallets"})")->replayed);
  ASSERT_TRUE(runtime_->Terminate("s1", "done").ok());

  // 600 of 1000 tokens is past the 50% warning: each later decision carries it.
  EXPECT_THAT(Log(), ElementsAre("spawned", "decided 1", "tool_called 1", "credential_minted 1",
                                 "tool_result 1", "output_verdict 1", "credential_revoked 1",
                                 "decided 2", "budget_warning 2", "suspended 2", "approved 2",
                                 "decided 2", "tool_called 2", "budget_warning 2",
                                 "tool_result 2", "checkpointed", "resumed", "terminated"));
  audit::VerifyResult verified = Verify();
  EXPECT_TRUE(verified.ok()) << verified.message;
  EXPECT_EQ(verified.events_checked, 18u);
  EXPECT_EQ(verified.covered, 18u);  // the head signed on terminate covers the whole log
}

TEST_F(SessionAuditTest, WarningsAndABudgetThatTerminatesAreRecorded) {
  ASSERT_TRUE(runtime_->Spawn({"s1", "shop.Buyer", "b1", "restock", kWorld}).ok());
  ASSERT_TRUE(runtime_->Authorize("s1", "1", "pay", R"({"amount": "5 USD"})").ok());
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 600).ok());
  ASSERT_TRUE(runtime_->Authorize("s1", "2", "pay", R"({"amount": "5 USD"})").ok());
  ASSERT_TRUE(runtime_->Complete("s1", "2", "", 600).ok());
  absl::StatusOr<StepResult> over = runtime_->Authorize("s1", "3", "pay", R"({"amount": "5 USD"})");
  ASSERT_TRUE(over.ok()) << over.status();
  EXPECT_TRUE(over->session_ended);
  std::vector<std::string> log = Log();
  EXPECT_THAT(log, ::testing::Contains("budget_warning 2"));
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back(), "terminated 3");
  EXPECT_TRUE(Verify().ok());
}

TEST_F(SessionAuditTest, ALogThatCannotBeWrittenDeniesByErrorAndStoresNothingOfTheStep) {
  ASSERT_TRUE(runtime_->Spawn({"s1", "shop.Buyer", "b1", "restock", kWorld}).ok());
  ASSERT_TRUE(runtime_->Authorize("s1", "1", "pay", R"({"amount": "5 USD"})").ok());
  runtime_.reset();
  store_.reset();
  // The log's last event is deleted under the writer: appending would extend a log that is no
  // longer the one its head describes.
  Sql("DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)");
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
  runtime_ = std::make_unique<SessionRuntime>(
      *policy_, *interpreter_, *store_, SessionRuntimeOptions{.clock = [this] { return now_; }});

  absl::StatusOr<StepResult> refused = runtime_->Authorize("s1", "2", "pay", R"({"amount": "5 USD"})");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss) << refused.status();
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("writ audit verify"));
  ASSERT_TRUE(store_
                  ->Transact([](store::Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::optional<store::StepRow>> step = tx.GetStep("s1", "2");
                    EXPECT_TRUE(step.ok() && !step->has_value());
                    absl::StatusOr<std::optional<store::SessionRow>> row = tx.GetSession("s1");
                    EXPECT_TRUE(row.ok() && row->has_value() && (*row)->tool_calls == 1);
                    return absl::OkStatus();
                  })
                  .ok());
  // Nor can the session end quietly.
  EXPECT_EQ(runtime_->Terminate("s1", "done").status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(SessionAuditTest, AFullDiskDeniesByErrorAndLosesNothingStored) {
  runtime_.reset();
  store_.reset();
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(Path(), {.max_bytes = 256 << 10});
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
  runtime_ = std::make_unique<SessionRuntime>(
      *policy_, *interpreter_, *store_, SessionRuntimeOptions{.clock = [this] { return now_; }});
  ASSERT_TRUE(runtime_->Spawn({"s1", "shop.Buyer", "b1", "restock", kWorld}).ok());
  // Arguments large enough that the cap is reached within a few hundred steps.
  const std::string item(2000, 'x');
  int allowed = 0;
  absl::Status failure;
  for (int i = 0; i < 1000 && failure.ok(); ++i) {
    absl::StatusOr<StepResult> step = runtime_->Authorize(
        "s1", std::to_string(i), "order", R"({"item": ")" + item + R"("})");
    if (!step.ok()) {
      failure = step.status();
    } else {
      ++allowed;
    }
  }
  ASSERT_FALSE(failure.ok()) << "the cap was never reached";
  EXPECT_EQ(failure.code(), absl::StatusCode::kResourceExhausted) << failure;
  EXPECT_GT(allowed, 0);
  // Every step that was answered is stored with its events, and the log still verifies.
  ASSERT_TRUE(store_
                  ->Transact([&](store::Transaction& tx) -> absl::Status {
                    absl::StatusOr<std::vector<store::StepRow>> steps = tx.ListSteps("s1");
                    EXPECT_TRUE(steps.ok());
                    if (steps.ok()) {
                      EXPECT_EQ(steps->size(), static_cast<size_t>(allowed));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(Log().size(), 1u + 3u * static_cast<size_t>(allowed));
  EXPECT_TRUE(Verify().ok());
}

}  // namespace
}  // namespace writ::runtime
