// Runs the `test` blocks of the example policies (policies/) through the reference interpreter:
// their expectations, written by the policies' authors, are an oracle for the semantics. The
// examples must also exercise every declaration they make (the acceptance bar for `writ test
// --coverage`).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/test_policies.h"
#include "runtime/test_runner.h"

namespace writ::runtime {
namespace {

std::unique_ptr<ir::Policy> ExamplePolicies() {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  EXPECT_NE(policy, nullptr) << errors;
  return policy;
}

TestReport RunWithInterpreter(const ir::Policy& policy, const TestOptions& options = {}) {
  return RunTests(
      policy,
      [&policy](ir::PackageId package) -> std::unique_ptr<Evaluator> {
        return std::make_unique<Interpreter>(
            policy, InterpreterOptions{.clock = [] { return int64_t{0}; }, .package = package});
      },
      options);
}

TEST(ExamplesTest, ExamplePolicyTestsPass) {
  std::unique_ptr<ir::Policy> policy = ExamplePolicies();
  ASSERT_NE(policy, nullptr);
  TestReport report = RunWithInterpreter(*policy);
  ASSERT_EQ(report.results.size(), policy->tests.size());
  size_t steps = 0;
  for (const TestResult& result : report.results) {
    for (const TestStep& step : result.steps) {
      ++steps;
      for (const std::string& failure : step.failures) {
        ADD_FAILURE() << result.test->name << " @" << policy->files[step.request->loc.file] << ":"
                      << step.request->loc.line << ": " << failure;
      }
    }
  }
  EXPECT_EQ(report.failed(), 0u);
  EXPECT_GT(steps, 10u);
}

TEST(ExamplesTest, ExamplePolicyTestsCoverEveryDeclaration) {
  std::unique_ptr<ir::Policy> policy = ExamplePolicies();
  ASSERT_NE(policy, nullptr);
  TestReport report = RunWithInterpreter(*policy);
  ASSERT_FALSE(report.coverage.empty());
  for (const CoveredDecl& decl : report.coverage) {
    EXPECT_TRUE(decl.covered) << decl.kind << " " << decl.id << " at "
                              << policy->files[decl.loc.file] << ":" << decl.loc.line
                              << " is exercised by no test";
  }
}

TEST(ExamplesTest, FilterSelectsTestsAndNarrowsCoverage) {
  std::unique_ptr<ir::Policy> policy = ExamplePolicies();
  ASSERT_NE(policy, nullptr);
  TestReport report = RunWithInterpreter(*policy, {.filter = "DDL"});
  ASSERT_FALSE(report.results.empty());
  EXPECT_LT(report.results.size(), policy->tests.size());
  for (const TestResult& result : report.results) {
    EXPECT_NE(result.test->name.find("DDL"), std::string::npos);
  }
  size_t covered = 0;
  for (const CoveredDecl& decl : report.coverage) covered += decl.covered ? 1 : 0;
  EXPECT_GT(covered, 0u);
  EXPECT_LT(covered, report.coverage.size());
}

}  // namespace
}  // namespace writ::runtime
