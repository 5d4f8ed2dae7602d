// The JIT evaluator against its oracle, the interpreter: the example policies' test blocks run on
// both, decision by decision; most of their roots must be native, so that the interpreter's
// fallback cannot silently take over; and roots outside the compiled subset, evaluation errors
// and concurrent callers are decided exactly as the interpreter decides them.
#include "runtime/jit/jit_evaluator.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/test_policies.h"
#include "runtime/test_runner.h"

namespace writ::runtime {
namespace {

constexpr int64_t kClock = 1795689000000;  // 2026-11-26T10:30:00Z

std::unique_ptr<ir::Policy> Compile(const std::string& source) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(source, &errors);
  EXPECT_NE(policy, nullptr) << errors;
  return policy;
}

// Decides `json` on both engines and expects the same decision, which it returns.
Decision DecideBoth(const ir::Policy& policy, const JitProgram& program, std::string_view json) {
  DecodeResult decoded = DecodeRequest(policy, json);
  EXPECT_TRUE(decoded.ok()) << (decoded.errors.empty() ? "" : decoded.errors[0].message);
  if (!decoded.ok()) return {};
  Decision interpreted =
      Interpreter(policy, {.clock = [] { return kClock; }}).Evaluate(*decoded.request);
  std::shared_ptr<const JitProgram> shared(&program, [](const JitProgram*) {});
  Decision compiled =
      JitEvaluator(shared, {.clock = [] { return kClock; }}).Evaluate(*decoded.request);
  EXPECT_EQ(EncodeDecision(policy, compiled, -1), EncodeDecision(policy, interpreted, -1));
  EXPECT_EQ(program.disagreements(), 0u);
  return compiled;
}

TEST(JitEvaluatorTest, ExamplePolicyTestsAgreeWithTheInterpreter) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  std::shared_ptr<const JitProgram> program = JitProgram::Compile(*policy);
  ASSERT_TRUE(program->warnings().empty()) << program->warnings().front();

  TestReport jit = RunTests(*policy, [&](ir::PackageId package) -> std::unique_ptr<Evaluator> {
    return std::make_unique<JitEvaluator>(
        program, JitOptions{.clock = [] { return int64_t{0}; }, .package = package});
  });
  TestReport interpreted =
      RunTests(*policy, [&](ir::PackageId package) -> std::unique_ptr<Evaluator> {
        return std::make_unique<Interpreter>(
            *policy, InterpreterOptions{.clock = [] { return int64_t{0}; }, .package = package});
      });
  EXPECT_EQ(jit.failed(), 0u);
  ASSERT_EQ(jit.results.size(), interpreted.results.size());
  size_t steps = 0;
  for (size_t i = 0; i < jit.results.size(); ++i) {
    const TestResult& mine = jit.results[i];
    const TestResult& oracle = interpreted.results[i];
    ASSERT_EQ(mine.steps.size(), oracle.steps.size()) << mine.test->name;
    for (size_t s = 0; s < mine.steps.size(); ++s, ++steps) {
      EXPECT_EQ(EncodeDecision(*policy, mine.steps[s].decision, -1),
                EncodeDecision(*policy, oracle.steps[s].decision, -1))
          << mine.test->name << " step " << s;
      EXPECT_EQ(mine.steps[s].failures, oracle.steps[s].failures);
    }
  }
  EXPECT_GT(steps, 10u);
  EXPECT_EQ(program->disagreements(), 0u);
  for (size_t i = 0; i < jit.coverage.size(); ++i) {
    EXPECT_EQ(jit.coverage[i].covered, interpreted.coverage[i].covered) << jit.coverage[i].id;
  }

  // Most of the examples' roots are native; the fallback must not silently take over.
  const JitStats& stats = program->stats();
  std::string reasons;
  for (const auto& [reason, count] : stats.reasons) {
    reasons += "\n  " + std::to_string(count) + "x " + reason;
  }
  std::cout << "policies/: " << stats.roots << " roots, " << stats.compiled << " native, "
            << stats.interpreted << " interpreted" << reasons << "\n";
  EXPECT_EQ(stats.compiled + stats.interpreted, stats.roots);
  EXPECT_GE(stats.compiled * 10, stats.roots * 8) << reasons;
}

TEST(JitEvaluatorTest, RootsOutsideTheSubsetAreInterpreted) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(package p
import std.text
agent Bot {}
tool t(tags: set<string>, n: int)
permit call t for Bot when args.n > 0
forbid call t when any tag in args.tags: text.upper(tag) == "SECRET" because "secret tag"
)");
  ASSERT_NE(policy, nullptr);
  std::shared_ptr<const JitProgram> program = JitProgram::Compile(*policy);
  EXPECT_EQ(program->stats().roots, 2u);
  EXPECT_EQ(program->stats().compiled, 1u);
  EXPECT_EQ(program->stats().interpreted, 1u);
  const std::string base = R"({"version": 1, "tool": "t", "phase": "call",
    "principal": {"type": "p.Bot", "id": "b"},
    "entities": [{"type": "p.Bot", "id": "b", "attrs": {}}],)";
  EXPECT_EQ(DecideBoth(*policy, *program, base + R"("args": {"tags": ["a"], "n": 1}})").effect,
            DecisionEffect::kAllow);
  EXPECT_EQ(DecideBoth(*policy, *program, base + R"("args": {"tags": ["secret"], "n": 1}})").effect,
            DecisionEffect::kDeny);
}

TEST(JitEvaluatorTest, ErrorsAreTheInterpretersAndFailClosed) {
  std::unique_ptr<ir::Policy> policy = Compile(R"(package p
agent Bot {}
tool t(n: int, d: int, amount: money, cap: money)
permit call t for Bot when args.n * 2 > 0 or args.n / args.d == 1
forbid call t when args.amount + args.cap > 100 USD because "too much"
)");
  ASSERT_NE(policy, nullptr);
  std::shared_ptr<const JitProgram> program = JitProgram::Compile(*policy);
  EXPECT_EQ(program->stats().interpreted, 0u);
  const std::string base = R"({"version": 1, "tool": "t", "phase": "call",
    "principal": {"type": "p.Bot", "id": "b"},
    "entities": [{"type": "p.Bot", "id": "b", "attrs": {}}],)";
  // Overflow in the permit's left operand: the permit fails and does not hold.
  Decision overflow = DecideBoth(
      *policy, *program,
      base + R"("args": {"n": 9223372036854775807, "d": 1, "amount": "1 USD", "cap": "1 USD"}})");
  EXPECT_EQ(overflow.effect, DecisionEffect::kDeny);
  ASSERT_FALSE(overflow.errors.empty());
  EXPECT_EQ(overflow.errors[0].code, "eval.overflow");
  // The short-circuit: a true left operand skips the division by zero.
  EXPECT_EQ(DecideBoth(*policy, *program,
                       base + R"("args": {"n": 1, "d": 0, "amount": "1 USD", "cap": "1 USD"}})")
                .effect,
            DecisionEffect::kAllow);
  EXPECT_EQ(DecideBoth(*policy, *program,
                       base + R"("args": {"n": -1, "d": 0, "amount": "1 USD", "cap": "1 USD"}})")
                .errors.at(0)
                .code,
            "eval.division_by_zero");
  // Money in two currencies: the forbid fails, so it holds.
  Decision currency = DecideBoth(
      *policy, *program, base + R"("args": {"n": 1, "d": 1, "amount": "1 EUR", "cap": "1 USD"}})");
  EXPECT_EQ(currency.effect, DecisionEffect::kDeny);
  EXPECT_EQ(currency.errors.at(0).code, "eval.currency");
}

TEST(JitEvaluatorTest, WithoutTheJitEverythingIsInterpretedAndSaysSo) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  std::shared_ptr<const JitProgram> program =
      JitProgram::Interpreting(*policy, absl::InternalError("no native target"));
  ASSERT_EQ(program->warnings().size(), 1u);
  EXPECT_NE(program->warnings()[0].find("no native target"), std::string::npos);
  EXPECT_EQ(program->stats().compiled, 0u);
  EXPECT_EQ(program->stats().interpreted, program->stats().roots);
  TestReport report = RunTests(*policy, [&](ir::PackageId package) -> std::unique_ptr<Evaluator> {
    return std::make_unique<JitEvaluator>(
        program, JitOptions{.clock = [] { return int64_t{0}; }, .package = package});
  });
  EXPECT_EQ(report.failed(), 0u);
  EXPECT_FALSE(report.results.empty());
}

TEST(JitEvaluatorTest, ManyThreadsShareOneProgram) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  std::shared_ptr<const JitProgram> program = JitProgram::Compile(*policy);
  auto run = [&] {
    return RunTests(*policy, [&](ir::PackageId package) -> std::unique_ptr<Evaluator> {
             return std::make_unique<JitEvaluator>(
                 program, JitOptions{.clock = [] { return int64_t{0}; }, .package = package});
           })
        .failed();
  };
  std::vector<size_t> failed(2, 1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < failed.size(); ++i) threads.emplace_back([&, i] { failed[i] = run(); });
  for (std::thread& thread : threads) thread.join();
  for (size_t f : failed) EXPECT_EQ(f, 0u);
}

}  // namespace
}  // namespace writ::runtime
