// Runs the `test` blocks of a policy (docs/language.md §14) against an evaluator and measures
// which declarations they exercised. `writ test` prints what this returns; the evaluation corpus
// and the JIT reuse it, so a test block means the same thing under every evaluator.
#ifndef WRIT_RUNTIME_TEST_RUNNER_H_
#define WRIT_RUNTIME_TEST_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/evaluator.h"

namespace writ::runtime {

// Builds the evaluator that decides the requests of tests in `package`: only that package's
// declarations may take part (docs/ir.md, "Tests").
using EvaluatorFactory = std::function<std::unique_ptr<Evaluator>(ir::PackageId package)>;

// The outcome of one `call` or `result` line and its `expect`.
struct TestStep {
  const ir::TestRequest* request = nullptr;
  Decision decision;
  // One line per unmet expectation ("expected deny, got allow", "missing reason \"...\"",
  // "evaluation error ..."); empty when the step passed.
  std::vector<std::string> failures;
};

struct TestResult {
  const ir::Test* test = nullptr;
  std::vector<TestStep> steps;  // stops after the first failing step
  double millis = 0;
  bool passed() const;
};

// A declaration that coverage counts (rules, limits, budgets, rates, pools, outputs).
struct CoveredDecl {
  std::string id;
  std::string kind;  // "permit", "forbid", "require_approval", "limit", "budget", ...
  ir::PackageId package;
  ir::Loc loc;
  bool covered = false;
};

struct TestReport {
  std::vector<TestResult> results;  // in the order of Policy::tests, after filtering
  // Every declaration of the tested packages, in source order.
  std::vector<CoveredDecl> coverage;
  size_t passed() const;
  size_t failed() const;
};

struct TestOptions {
  // Runs only tests whose name contains this text; empty runs all.
  std::string filter;
};

// Runs the tests of `policy`, each as one session (§14): allowed calls count toward tool calls,
// rate windows and spending, as if they completed. A declaration is covered when a test made it
// contribute to a decision: it is in the decision's `matched` or `shadow`. Rates and pools are
// covered by a call they count: their bound is reached only by repeating calls (a pool never
// fills in a test, which makes one call at a time), so a test can at best show they apply.
// Coverage lists every declaration of the policy, so a package without tests shows as uncovered.
TestReport RunTests(const ir::Policy& policy, const EvaluatorFactory& factory,
                    const TestOptions& options = {});

// The request that a test's `call` or `result` line describes, before session state is added.
Request RequestFromTest(const ir::Test& test, const ir::TestRequest& test_request);

// "allow", "deny", "approval_required": the spelling an expectation and a decision share.
DecisionEffect ExpectedEffect(ir::Expected expected);

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_TEST_RUNNER_H_
