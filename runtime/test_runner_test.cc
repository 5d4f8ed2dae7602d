// The test runner's session semantics (docs/language.md §14, docs/testing.md): what an allowed
// call commits for the requests after it, what a denied one does not, where a failing test
// stops, and what coverage counts.
#include "runtime/test_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TestReport RunAll(const ir::Policy& policy, const TestOptions& options = {}) {
  return RunTests(
      policy,
      [&policy](ir::PackageId package) -> std::unique_ptr<Evaluator> {
        return std::make_unique<Interpreter>(policy, InterpreterOptions{.package = package});
      },
      options);
}

std::unique_ptr<ir::Policy> Compile(const std::string& tests) {
  std::string source = R"(package s

agent Bot { team: string }

tool pay(amount: money)
tool ping(n: int) -> { ok: bool }

permit call pay, ping for Bot

per_task: limit spend pay.amount per task <= 100 USD because "task spend cap"
ping_rate: rate ping 2 per 1m because "two pings a minute"
hourly: budget calls per hour 3 because "three calls an hour"
many: forbid call ping when session.tool_calls >= 5 because "unreachable here"

)" + tests;
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(source, &errors);
  EXPECT_NE(policy, nullptr) << errors;
  return policy;
}

TEST(TestRunner, AllowedCallsCommitSpendRateAndBudgetCounts) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(
test "a session" {
  entity Bot::"b" { team: "t" }
  call pay(amount: 60 USD) as Bot::"b"
  expect allow
  call pay(amount: 60 USD) as Bot::"b"
  expect deny because "task spend cap"
  call ping(n: 1) as Bot::"b"
  expect allow
  result ping(n: 1) returns { ok: true } as Bot::"b"
  expect allow
  call ping(n: 2) as Bot::"b"
  expect allow
  call ping(n: 3) as Bot::"b"
  expect deny because "two pings a minute" because "three calls an hour"
}
)");
  ASSERT_NE(policy, nullptr);
  TestReport report = RunAll(*policy);
  ASSERT_EQ(report.results.size(), 1u);
  const TestResult& result = report.results[0];
  for (const TestStep& step : result.steps) EXPECT_THAT(step.failures, ElementsAre());
  EXPECT_TRUE(result.passed());
  ASSERT_EQ(result.steps.size(), 6u);
  // The denied payment was not charged: the first one's 60 USD is all the cap saw.
  EXPECT_EQ(result.steps[0].decision.obligations.charges.size(), 1u);
  EXPECT_EQ(report.passed(), 1u);
}

TEST(TestRunner, AFailingStepEndsItsTestWithExpectedAndActual) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(
test "wrong" {
  entity Bot::"b" { team: "t" }
  call pay(amount: 500 USD) as Bot::"b"
  expect allow because "nothing"
  call pay(amount: 1 USD) as Bot::"b"
  expect allow
}

test "right" {
  entity Bot::"b" { team: "t" }
  call pay(amount: 1 USD) as Bot::"b"
  expect allow warn "a warning that never comes"
}
)");
  ASSERT_NE(policy, nullptr);
  TestReport report = RunAll(*policy);
  ASSERT_EQ(report.results.size(), 2u);
  const TestResult& wrong = report.results[0];
  EXPECT_FALSE(wrong.passed());
  ASSERT_EQ(wrong.steps.size(), 1u) << "the second request of a failed test must not run";
  EXPECT_THAT(wrong.steps[0].failures,
              ElementsAre("expected allow, got deny because \"task spend cap\"",
                          "missing reason \"nothing\""));
  EXPECT_THAT(report.results[1].steps[0].failures,
              ElementsAre("missing warning \"a warning that never comes\""));
  EXPECT_EQ(report.failed(), 2u);
}

TEST(TestRunner, CoverageCountsWhatTookPart) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(
test "one small payment" {
  entity Bot::"b" { team: "t" }
  call pay(amount: 1 USD) as Bot::"b"
  expect allow
}
)");
  ASSERT_NE(policy, nullptr);
  TestReport report = RunAll(*policy);
  std::map<std::string, bool> covered;
  for (const CoveredDecl& decl : report.coverage) covered[decl.id] = decl.covered;
  EXPECT_TRUE(covered.at("s:8"));        // the permit held
  EXPECT_FALSE(covered.at("per_task"));  // charged, never reached
  EXPECT_FALSE(covered.at("ping_rate"));  // no ping was made
  EXPECT_FALSE(covered.at("hourly"));     // counted, never exhausted
  EXPECT_FALSE(covered.at("many"));
}

TEST(TestRunner, FilterRunsOnlyMatchingTests) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(
test "alpha" {
  entity Bot::"b" { team: "t" }
  call pay(amount: 1 USD) as Bot::"b"
  expect allow
}

test "beta" {
  entity Bot::"b" { team: "t" }
  call ping(n: 1) as Bot::"b"
  expect allow
}
)");
  ASSERT_NE(policy, nullptr);
  TestReport report = RunAll(*policy, {.filter = "bet"});
  ASSERT_EQ(report.results.size(), 1u);
  EXPECT_EQ(report.results[0].test->name, "beta");
  std::map<std::string, bool> covered;
  for (const CoveredDecl& decl : report.coverage) covered[decl.id] = decl.covered;
  EXPECT_TRUE(covered.at("ping_rate"));  // a call it counts: rates are covered by calls
  EXPECT_FALSE(covered.at("per_task"));
}

}  // namespace
}  // namespace writ::runtime
