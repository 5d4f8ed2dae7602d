// The session runtime against a real SQLite store: reservations with decisions, idempotent
// steps across a reopened store, approvals, budgets that end a session, checkpoints, pools.
#include "runtime/session/session_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Json = nlohmann::json;
using store::StepState;

constexpr const char* kPolicy = R"(package shop

entity User { approval_limit: money }

agent Buyer {
  acts_for: User
}

tool pay(amount: money, to: string)
tool lookup(q: string) -> { hits: int }

permit call pay, lookup for Buyer

cap: limit spend pay.amount per task <= 100 USD because "task cap"

monthly: limit spend pay.amount per month <= 120 USD because "monthly cap"

big: require_approval call pay when args.amount > 50 USD
  because "big payments need approval" by principal.acts_for timeout 1h

lookups: rate lookup 2 per 1m because "two lookups a minute"

ceiling: budget calls per task 6 for Buyer then terminate because "too many calls"

hits: forbid result lookup when result.hits > 10 because "too many hits"

pool buyers 1 sessions Buyer then refuse
)";

constexpr const char* kWorld = R"([
  {"type": "shop.Buyer", "id": "b1", "attrs": {"acts_for": {"type": "shop.User", "id": "u1"}}},
  {"type": "shop.User", "id": "u1", "attrs": {"approval_limit": "1000 USD"}}
])";

class SessionRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string errors;
    policy_ = testing::CompilePolicy(kPolicy, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
    interpreter_ = std::make_unique<Interpreter>(*policy_);
    std::string pattern = (fs::temp_directory_path() / "writ_session_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    Reopen();
  }
  void TearDown() override {
    runtime_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // A new store handle and runtime on the same file, as a restarted process would have.
  void Reopen() {
    runtime_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore((dir_ / "writ.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    runtime_ = std::make_unique<SessionRuntime>(
        *policy_, *interpreter_, *store_,
        SessionRuntimeOptions{.clock = [this] { return now_; },
                              .on_event = [this](const Event& e) { events_.push_back(e.kind); }});
  }

  void Spawn(const std::string& id = "s1") {
    absl::StatusOr<SpawnResult> spawned =
        runtime_->Spawn({id, "shop.Buyer", "b1", "restock", kWorld});
    ASSERT_TRUE(spawned.ok()) << spawned.status();
    ASSERT_TRUE(spawned->spawned) << spawned->reason;
  }

  StepResult Call(const std::string& step, const std::string& tool, const std::string& args) {
    absl::StatusOr<StepResult> result = runtime_->Authorize("s1", step, tool, args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : StepResult{};
  }

  Json Report() {
    absl::StatusOr<std::string> report = runtime_->Report("s1");
    EXPECT_TRUE(report.ok()) << report.status();
    return Json::parse(report.ok() ? *report : "{}");
  }

  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<Interpreter> interpreter_;
  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SessionRuntime> runtime_;
  int64_t now_ = 1767225600000;  // 2026-01-01T00:00:00Z
  std::vector<std::string> events_;
};

TEST_F(SessionRuntimeTest, AllowedCallsReserveAndCompletedOnesCommit) {
  Spawn();
  StepResult first = Call("1", "pay", R"({"amount": "40 USD", "to": "acme"})");
  EXPECT_EQ(first.state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("1", "1", "", 0).status().code() == absl::StatusCode::kNotFound);
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 120).ok());
  // 40 + 40 = 80 within the task cap; 40 + 40 + 40 = 120 is not.
  EXPECT_EQ(Call("2", "pay", R"({"amount": "40 USD", "to": "acme"})").state, StepState::kAllowed);
  StepResult third = Call("3", "pay", R"({"amount": "40 USD", "to": "acme"})");
  EXPECT_EQ(third.state, StepState::kDenied);
  EXPECT_THAT(third.decision_json, HasSubstr("task cap"));
  Json report = Report();
  EXPECT_EQ(report["tool_calls"], 2);
  EXPECT_EQ(report["tokens_used"], 120);
  EXPECT_EQ(report["spent"], "40 USD");  // only the completed step is committed
  EXPECT_EQ(report["steps"]["allowed"], 1);
  EXPECT_EQ(report["steps"]["denied"], 1);
  EXPECT_EQ(report["steps"]["completed"], 1);
}

TEST_F(SessionRuntimeTest, AStepIdIsNeverDecidedOrChargedTwiceEvenAfterARestart) {
  Spawn();
  ASSERT_EQ(Call("1", "pay", R"({"amount": "40 USD", "to": "acme"})").state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 10).ok());
  Reopen();
  StepResult again = Call("1", "pay", R"({"amount": "40 USD", "to": "acme"})");
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.state, StepState::kCompleted);
  absl::StatusOr<StepResult> completed = runtime_->Complete("s1", "1", "", 10);
  ASSERT_TRUE(completed.ok());
  EXPECT_TRUE(completed->replayed);
  Json report = Report();
  EXPECT_EQ(report["tool_calls"], 1);
  EXPECT_EQ(report["tokens_used"], 10);
  EXPECT_EQ(report["spent"], "40 USD");
  absl::StatusOr<StepResult> other = runtime_->Authorize("s1", "1", "lookup", R"({"q": "x"})");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SessionRuntimeTest, FailedCallsReleaseTheirSpend) {
  Spawn();
  ASSERT_EQ(Call("1", "pay", R"({"amount": "50 USD", "to": "acme"})").state, StepState::kAllowed);
  ASSERT_EQ(Call("2", "pay", R"({"amount": "50 USD", "to": "acme"})").state, StepState::kAllowed);
  EXPECT_EQ(Call("3", "pay", R"({"amount": "10 USD", "to": "acme"})").state, StepState::kDenied);
  ASSERT_TRUE(runtime_->Fail("s1", "2").ok());
  EXPECT_EQ(Call("4", "pay", R"({"amount": "10 USD", "to": "acme"})").state, StepState::kAllowed);
  EXPECT_EQ(runtime_->Fail("s1", "3").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SessionRuntimeTest, MonthlyLimitsCountPerPrincipalAcrossSessions) {
  Spawn();
  ASSERT_EQ(Call("1", "pay", R"({"amount": "50 USD", "to": "a"})").state, StepState::kAllowed);
  ASSERT_EQ(Call("2", "pay", R"({"amount": "50 USD", "to": "a"})").state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Terminate("s1", "done").ok());
  absl::StatusOr<SpawnResult> second = runtime_->Spawn({"s2", "shop.Buyer", "b1", "more", kWorld});
  ASSERT_TRUE(second.ok() && second->spawned) << second.status();
  absl::StatusOr<StepResult> over =
      runtime_->Authorize("s2", "1", "pay", R"({"amount": "50 USD", "to": "a"})");
  ASSERT_TRUE(over.ok());
  // The first session's allowed calls were never completed, so terminating released them.
  EXPECT_EQ(over->state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("s2", "1", "", 0).ok());
  ASSERT_EQ(runtime_->Authorize("s2", "2", "pay", R"({"amount": "50 USD", "to": "a"})")->state,
            StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("s2", "2", "", 0).ok());
  ASSERT_TRUE(runtime_->Terminate("s2", "done").ok());
  ASSERT_TRUE(runtime_->Spawn({"s3", "shop.Buyer", "b1", "again", kWorld})->spawned);
  absl::StatusOr<StepResult> monthly =
      runtime_->Authorize("s3", "1", "pay", R"({"amount": "50 USD", "to": "a"})");
  ASSERT_TRUE(monthly.ok());
  EXPECT_EQ(monthly->state, StepState::kDenied);
  EXPECT_THAT(monthly->decision_json, HasSubstr("monthly cap"));
}

TEST_F(SessionRuntimeTest, ApprovalSuspendsThenAllowsOrDenies) {
  Spawn();
  StepResult big = Call("1", "pay", R"({"amount": "60 USD", "to": "acme"})");
  EXPECT_EQ(big.state, StepState::kPending);
  EXPECT_EQ(big.effect, DecisionEffect::kApprovalRequired);
  EXPECT_EQ(runtime_->Complete("s1", "1", "", 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<StepResult> rejected = runtime_->Reject("s1", "1", "u1");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, StepState::kDenied);
  EXPECT_THAT(rejected->decision_json, HasSubstr("\"rejected_by\":\"u1\""));
  // The rejected step reserved nothing, so the task cap still has room for 70 USD.
  ASSERT_EQ(Call("2", "pay", R"({"amount": "70 USD", "to": "acme"})").state, StepState::kPending);
  absl::StatusOr<StepResult> approved = runtime_->Approve("s1", "2", "u1");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->state, StepState::kAllowed) << approved->decision_json;
  EXPECT_THAT(approved->decision_json, HasSubstr("\"approved_by\":\"u1\""));
  EXPECT_EQ(runtime_->Approve("s1", "2", "u1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(runtime_->Complete("s1", "2", "", 0).ok());
  EXPECT_EQ(Report()["spent"], "70 USD");
  EXPECT_THAT(events_, ::testing::Contains("suspended"));
}

TEST_F(SessionRuntimeTest, ApprovalsTimeOutAsThePolicySays) {
  Spawn();
  // `big` gives approvers an hour.
  ASSERT_EQ(Call("1", "pay", R"({"amount": "60 USD", "to": "acme"})").state, StepState::kPending);
  ASSERT_EQ(Call("2", "pay", R"({"amount": "55 USD", "to": "acme"})").state, StepState::kPending);
  now_ += 3600 * 1000 - 1;  // one millisecond before the deadline
  absl::StatusOr<int> expired = runtime_->ExpireApprovals("s1");
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 0);
  now_ += 1;
  absl::StatusOr<StepResult> late = runtime_->Approve("s1", "1", "u1");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->state, StepState::kDenied);
  EXPECT_EQ(late->effect, DecisionEffect::kDeny);
  EXPECT_THAT(late->decision_json, HasSubstr("\"timed_out\""));
  // The sweep denies what is left, across a restart, and reserves nothing.
  Reopen();
  expired = runtime_->ExpireApprovals("s1");
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(runtime_->Approve("s1", "2", "u1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Report()["steps"]["denied"], 2);
  EXPECT_EQ(Call("3", "pay", R"({"amount": "40 USD", "to": "acme"})").state, StepState::kAllowed);
}

TEST_F(SessionRuntimeTest, SoftStopsWaitForTheRuntimesTimeout) {
  runtime_.reset();
  runtime_ = std::make_unique<SessionRuntime>(
      *policy_, *interpreter_, *store_,
      SessionRuntimeOptions{.clock = [this] { return now_; }, .approval_timeout_millis = 1000});
  store::StepRow soft;
  soft.decided_at = now_;
  soft.decision_json = R"({"effect":"approval_required","approval":{"approvers":[],"timeout":null}})";
  Spawn();
  ASSERT_TRUE(store_
                  ->Transact([&](store::Transaction& tx) {
                    soft.session = "s1";
                    soft.step_id = "soft";
                    soft.tool = "pay";
                    soft.state = StepState::kPending;
                    soft.args_json = R"({"amount": "1 USD", "to": "acme"})";
                    return tx.PutStep(soft);
                  })
                  .ok());
  now_ += 999;
  EXPECT_EQ(*runtime_->ExpireApprovals("s1"), 0);
  now_ += 1;
  EXPECT_EQ(*runtime_->ExpireApprovals("s1"), 1);
}

TEST_F(SessionRuntimeTest, RateWindowsSlideWithTheClock) {
  Spawn();
  EXPECT_EQ(Call("1", "lookup", R"({"q": "a"})").state, StepState::kAllowed);
  now_ += 30000;
  EXPECT_EQ(Call("2", "lookup", R"({"q": "b"})").state, StepState::kAllowed);
  now_ += 10000;
  EXPECT_EQ(Call("3", "lookup", R"({"q": "c"})").state, StepState::kDenied);
  now_ += 21000;  // the first call left the window
  EXPECT_EQ(Call("4", "lookup", R"({"q": "d"})").state, StepState::kAllowed);
}

TEST_F(SessionRuntimeTest, ResultRulesDecideTheRelease) {
  Spawn();
  ASSERT_EQ(Call("1", "lookup", R"({"q": "a"})").state, StepState::kAllowed);
  absl::StatusOr<StepResult> done = runtime_->Complete("s1", "1", R"({"hits": 50})", 5);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state, StepState::kCompleted);
  EXPECT_THAT(done->result_json, HasSubstr("too many hits"));
  EXPECT_THAT(done->result_json, HasSubstr("\"effect\":\"deny\""));
}

TEST_F(SessionRuntimeTest, ABudgetThatTerminatesEndsTheSession) {
  Spawn();
  for (int i = 1; i <= 6; ++i) {
    ASSERT_EQ(Call(std::to_string(i), "pay", R"({"amount": "1 USD", "to": "a"})").state,
              StepState::kAllowed)
        << i;
  }
  StepResult seventh = Call("7", "pay", R"({"amount": "1 USD", "to": "a"})");
  EXPECT_EQ(seventh.state, StepState::kDenied);
  EXPECT_TRUE(seventh.session_ended);
  Json report = Report();
  EXPECT_EQ(report["state"], "ended");
  EXPECT_EQ(report["end_reason"], "too many calls");
  EXPECT_EQ(report["steps"]["failed"], 6);  // allowed, never completed: released at the end
  EXPECT_EQ(runtime_->Authorize("s1", "8", "pay", R"({"amount": "1 USD", "to": "a"})")
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(events_, ::testing::Contains("terminated"));
}

TEST_F(SessionRuntimeTest, MalformedArgumentsAreARecordedDeny) {
  Spawn();
  StepResult junk = Call("1", "pay", "not json");
  EXPECT_EQ(junk.state, StepState::kDenied);
  EXPECT_THAT(junk.decision_json, HasSubstr("request.json"));
  StepResult typed = Call("2", "pay", R"({"amount": 12, "to": "a"})");
  EXPECT_EQ(typed.state, StepState::kDenied);
  EXPECT_THAT(typed.decision_json, HasSubstr("$.args.amount"));
  StepResult unknown = Call("3", "nope", "{}");
  EXPECT_EQ(unknown.state, StepState::kDenied);
  EXPECT_THAT(unknown.decision_json, HasSubstr("request.unknown_tool"));
  EXPECT_EQ(Report()["tool_calls"], 0);
}

TEST_F(SessionRuntimeTest, CheckpointsAreVersionedAndResumeNeverRollsCountersBack) {
  Spawn();
  ASSERT_EQ(*runtime_->Checkpoint("s1", "state one"), 1);
  ASSERT_EQ(Call("1", "pay", R"({"amount": "40 USD", "to": "a"})").state, StepState::kAllowed);
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 0).ok());
  ASSERT_EQ(*runtime_->Checkpoint("s1", "state two"), 2);
  Reopen();
  absl::StatusOr<ResumePoint> latest = runtime_->Resume("s1");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->state, "state two");
  EXPECT_EQ(latest->position, 1);
  absl::StatusOr<ResumePoint> first = runtime_->Resume("s1", 1);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->state, "state one");
  EXPECT_EQ(first->position, 0);
  // Resumed from version 1, the agent repeats step 1: it is not paid for again.
  EXPECT_TRUE(Call("1", "pay", R"({"amount": "40 USD", "to": "a"})").replayed);
  EXPECT_EQ(Report()["spent"], "40 USD");
  EXPECT_EQ(runtime_->Resume("s1", 9).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SessionRuntimeTest, SessionPoolsRefuseWhenFullAndFreeOnTermination) {
  Spawn();
  absl::StatusOr<SpawnResult> second = runtime_->Spawn({"s2", "shop.Buyer", "b1", "x", kWorld});
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->spawned);
  EXPECT_EQ(second->reason, "pool buyers is full");
  ASSERT_TRUE(runtime_->Terminate("s1", "done").ok());
  EXPECT_TRUE(runtime_->Spawn({"s2", "shop.Buyer", "b1", "x", kWorld})->spawned);
  EXPECT_EQ(runtime_->Spawn({"s2", "shop.Buyer", "b1", "x", kWorld}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(runtime_->Spawn({"s9", "shop.User", "u1", "x", kWorld}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(runtime_->Spawn({"s9", "shop.Buyer", "nobody", "x", kWorld}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SessionQueueTest, QueuedSpawnsAreAdmittedByPriorityWhenASlotFrees) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(R"(package q

agent Worker {
  team: string
}

tool work(n: int)

permit call work for Worker

pool workers 1 sessions Worker then queue
)",
                                                              &errors);
  ASSERT_NE(policy, nullptr) << errors;
  Interpreter interpreter(*policy);
  std::string pattern = (fs::temp_directory_path() / "writ_queue_test_XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  fs::path dir = pattern;
  std::vector<std::string> spawned;
  {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore((dir / "writ.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    SessionRuntime runtime(*policy, interpreter, **store,
                           {.on_event = [&](const Event& e) {
                             if (e.kind == "spawned") spawned.push_back(e.session);
                           }});
    const char* world = R"([{"type": "q.Worker", "id": "w", "attrs": {"team": "x"}}])";
    auto spawn = [&](const char* id, int priority) {
      absl::StatusOr<SpawnResult> result =
          runtime.Spawn({id, "q.Worker", "w", "job", world, priority});
      EXPECT_TRUE(result.ok()) << result.status();
      return result.ok() ? *result : SpawnResult{};
    };
    EXPECT_TRUE(spawn("a", 0).spawned);
    SpawnResult queued = spawn("b", 0);
    EXPECT_TRUE(queued.queued);
    EXPECT_FALSE(queued.spawned);
    EXPECT_THAT(queued.reason, HasSubstr("workers"));
    EXPECT_TRUE(spawn("c", 5).queued);
    EXPECT_TRUE(spawn("d", 9).queued);
    EXPECT_EQ(runtime.Spawn({"b", "q.Worker", "w", "job", world}).status().code(),
              absl::StatusCode::kAlreadyExists);
    // A queued session cannot act before it is admitted.
    EXPECT_EQ(runtime.Authorize("b", "1", "work", R"({"n": 1})").status().code(),
              absl::StatusCode::kNotFound);
    absl::StatusOr<std::string> cancelled = runtime.Terminate("d", "not needed");
    ASSERT_TRUE(cancelled.ok()) << cancelled.status();
    EXPECT_THAT(*cancelled, HasSubstr("\"cancelled\""));
    ASSERT_TRUE(runtime.Terminate("a", "done").ok());
    EXPECT_THAT(spawned, ::testing::ElementsAre("a", "c"));
  }
  {
    // The queue survives a restart.
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore((dir / "writ.db").string());
    ASSERT_TRUE(store.ok()) << store.status();
    SessionRuntime runtime(*policy, interpreter, **store,
                           {.on_event = [&](const Event& e) {
                             if (e.kind == "spawned") spawned.push_back(e.session);
                           }});
    ASSERT_TRUE(runtime.Terminate("c", "done").ok());
    EXPECT_THAT(spawned, ::testing::ElementsAre("a", "c", "b"));
    absl::StatusOr<StepResult> call = runtime.Authorize("b", "1", "work", R"({"n": 1})");
    ASSERT_TRUE(call.ok()) << call.status();
    EXPECT_EQ(call->state, StepState::kAllowed);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace writ::runtime
