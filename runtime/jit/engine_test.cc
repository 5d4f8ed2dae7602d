// PolicyEngine: evaluators of either engine decide alike, and a policy LLVM cannot compile
// (here: code for a target this host cannot run) falls back to the interpreter with a warning.
#include "runtime/jit/engine.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/test_policies.h"
#include "runtime/test_runner.h"

namespace writ::runtime {
namespace {

std::unique_ptr<ir::Policy> Examples() {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  EXPECT_NE(policy, nullptr) << errors;
  return policy;
}

// Runs the policy's test blocks with evaluators of `engine`.
TestReport RunWith(const ir::Policy& policy, const PolicyEngine& engine) {
  return RunTests(policy, [&](ir::PackageId package) {
    return engine.Make({.clock = [] { return int64_t{0}; }, .package = package});
  });
}

TEST(EngineTest, SpellingsRoundTrip) {
  for (Engine engine : {Engine::kJit, Engine::kInterpreter}) {
    EXPECT_EQ(ParseEngine(Spelling(engine)), engine);
  }
  EXPECT_EQ(ParseEngine("llvm"), std::nullopt);
}

TEST(EngineTest, BothEnginesPassTheExampleTests) {
  std::unique_ptr<ir::Policy> policy = Examples();
  ASSERT_NE(policy, nullptr);
  PolicyEngine interp(*policy, Engine::kInterpreter);
  EXPECT_EQ(interp.program(), nullptr);
  EXPECT_TRUE(interp.warnings().empty());
  EXPECT_NE(dynamic_cast<Interpreter*>(interp.Make().get()), nullptr);
  PolicyEngine jit(*policy, Engine::kJit);
  ASSERT_NE(jit.program(), nullptr);
  EXPECT_TRUE(jit.warnings().empty());
  EXPECT_GT(jit.program()->stats().compiled, 0u);
  EXPECT_NE(dynamic_cast<JitEvaluator*>(jit.Make().get()), nullptr);
  EXPECT_EQ(RunWith(*policy, interp).failed(), 0u);
  EXPECT_EQ(RunWith(*policy, jit).failed(), 0u);
}

TEST(EngineTest, LlvmFailingFallsBackToTheInterpreterWithAWarning) {
  std::unique_ptr<ir::Policy> policy = Examples();
  ASSERT_NE(policy, nullptr);
  PolicyEngine engine(*policy, Engine::kJit, {.triple = "nonexistent-unknown-none"});
  ASSERT_NE(engine.program(), nullptr);
  ASSERT_EQ(engine.warnings().size(), 1u);
  EXPECT_NE(engine.warnings()[0].find("every expression is interpreted"), std::string::npos)
      << engine.warnings()[0];
  EXPECT_EQ(engine.program()->stats().compiled, 0u);
  TestReport report = RunWith(*policy, engine);
  EXPECT_EQ(report.failed(), 0u);
  EXPECT_FALSE(report.results.empty());
}

}  // namespace
}  // namespace writ::runtime
