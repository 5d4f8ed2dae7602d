#include "runtime/test_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

namespace writ::runtime {
namespace {

// 2026-01-01T00:00:00Z: where a test's session starts unless it sets `started_at` (§14).
constexpr int64_t kTestEpochMillis = 1767225600000;

bool AppliesTo(const std::vector<ir::EntityTypeId>& principals, ir::EntityTypeId principal) {
  return principals.empty() ||
         std::find(principals.begin(), principals.end(), principal) != principals.end();
}

// The state one test's session accumulates between its requests.
class Session {
 public:
  Session(const ir::Policy& policy, const ir::Test& test) : policy_(policy), test_(test) {}

  // The request of `line` with the session's state so far.
  Request Next(const ir::TestRequest& line) const {
    Request request = RequestFromTest(test_, line);
    request.counters = counters_;
    auto fact = [&](ir::SessionFact f) -> std::optional<Value>& {
      return request.session[static_cast<size_t>(f)];
    };
    if (!fact(ir::SessionFact::kToolCalls)) fact(ir::SessionFact::kToolCalls) = Value::Int(calls_);
    if (!fact(ir::SessionFact::kSpent)) fact(ir::SessionFact::kSpent) = spent_;
    if (!fact(ir::SessionFact::kStartedAt)) {
      fact(ir::SessionFact::kStartedAt) = Value::Timestamp(kTestEpochMillis);
    }
    if (!fact(ir::SessionFact::kNow)) {
      const std::optional<Value>& elapsed = fact(ir::SessionFact::kElapsed);
      fact(ir::SessionFact::kNow) = Value::Timestamp(fact(ir::SessionFact::kStartedAt)->number +
                                                     (elapsed ? elapsed->number : 0));
    }
    // A request never gives `elapsed`: the evaluator derives it from `now` and `started_at`.
    fact(ir::SessionFact::kElapsed).reset();
    return request;
  }

  // Records a decided request as if the call completed when it was allowed.
  void Commit(const Request& request, const Decision& decision) {
    if (decision.effect != DecisionEffect::kAllow || request.phase != ir::Phase::kCall) return;
    ++calls_;
    for (const Charge& charge : decision.obligations.charges) {
      Value& total = counters_.spend[charge.limit];
      if (total.kind == Value::Kind::kAbsent) total = Value::Money(0, charge.amount.text);
      total.number += charge.amount.number;
    }
    if (!decision.obligations.charges.empty()) {
      const Value& amount = decision.obligations.charges.front().amount;
      spent_.text = amount.text;
      spent_.number += amount.number;
    }
    const ir::Tool& tool = policy_.tool(request.tool);
    for (ir::RateId rate : tool.plan(ir::Phase::kCall).rates) {
      ++counters_.calls_in_window[policy_.rates[rate.index].head.id];
    }
    ir::EntityTypeId principal = request.entities[request.principal].type;
    for (const ir::Budget& budget : policy_.budgets) {
      if (budget.kind != ir::BudgetKind::kCalls || budget.period == ir::Period::kTask ||
          budget.head.package != test_.package || !AppliesTo(budget.principals, principal)) {
        continue;
      }
      Value& count = counters_.budgets[budget.head.id];
      if (count.kind == Value::Kind::kAbsent) count = Value::Int(0);
      ++count.number;
    }
  }

 private:
  const ir::Policy& policy_;
  const ir::Test& test_;
  Counters counters_;
  int64_t calls_ = 0;
  Value spent_ = Value::Money(0, "");
};

// What went wrong with one step, by the rules of §14: the effect must be the expected one, and
// each `because` and `warn` must be among the decision's reasons and warnings.
std::vector<std::string> Check(const ir::TestRequest& line, const Decision& decision) {
  std::vector<std::string> failures;
  DecisionEffect expected = ExpectedEffect(line.expected);
  if (decision.effect != expected) {
    std::string got = std::string(Spelling(decision.effect));
    if (!decision.reasons.empty()) {
      std::vector<std::string> messages;
      for (const Reason& reason : decision.reasons) messages.push_back(ir::Quote(reason.message));
      got += fmt::format(" because {}", fmt::join(messages, ", "));
    }
    failures.push_back(fmt::format("expected {}, got {}", Spelling(expected), got));
  }
  for (const std::string& reason : line.reasons) {
    bool found = std::any_of(decision.reasons.begin(), decision.reasons.end(),
                             [&](const Reason& r) { return r.message == reason; });
    if (!found) failures.push_back(fmt::format("missing reason {}", ir::Quote(reason)));
  }
  const std::vector<std::string>& warnings = decision.obligations.warnings;
  for (const std::string& warning : line.warnings) {
    if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) {
      failures.push_back(fmt::format("missing warning {}", ir::Quote(warning)));
    }
  }
  for (const DecisionError& error : decision.errors) {
    failures.push_back(fmt::format("evaluation error {} in {}: {}", error.code, error.rule,
                                   error.message));
  }
  return failures;
}

// Every declaration coverage counts, in source order.
std::vector<CoveredDecl> Declarations(const ir::Policy& policy) {
  std::vector<CoveredDecl> decls;
  auto add = [&](const ir::DeclHead& head, std::string kind) {
    decls.push_back({head.id, std::move(kind), head.package, head.loc, false});
  };
  for (const ir::Rule& rule : policy.rules) add(rule.head, std::string(ir::Spelling(rule.effect)));
  for (const ir::Limit& limit : policy.limits) add(limit.head, "limit");
  for (const ir::Budget& budget : policy.budgets) add(budget.head, "budget");
  for (const ir::Rate& rate : policy.rates) add(rate.head, "rate");
  for (const ir::Pool& pool : policy.pools) add(pool.head, "pool");
  for (const ir::Output& output : policy.outputs) add(output.head, "output");
  std::stable_sort(decls.begin(), decls.end(), [](const CoveredDecl& a, const CoveredDecl& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column) <
           std::tie(b.loc.file, b.loc.line, b.loc.column);
  });
  return decls;
}

}  // namespace

bool TestResult::passed() const {
  return std::all_of(steps.begin(), steps.end(),
                     [](const TestStep& step) { return step.failures.empty(); });
}

size_t TestReport::passed() const {
  return static_cast<size_t>(std::count_if(results.begin(), results.end(),
                                           [](const TestResult& r) { return r.passed(); }));
}

size_t TestReport::failed() const { return results.size() - passed(); }

DecisionEffect ExpectedEffect(ir::Expected expected) {
  switch (expected) {
    case ir::Expected::kAllow:
      return DecisionEffect::kAllow;
    case ir::Expected::kDeny:
      return DecisionEffect::kDeny;
    case ir::Expected::kApprovalRequired:
      return DecisionEffect::kApprovalRequired;
  }
  return DecisionEffect::kDeny;
}

Request RequestFromTest(const ir::Test& test, const ir::TestRequest& test_request) {
  Request request;
  request.tool = test_request.tool;
  request.phase = test_request.phase;
  request.principal = test_request.principal;
  for (const ir::TestEntity& test_entity : test.entities) {
    Entity entity;
    entity.type = test_entity.type;
    entity.id = test_entity.id;
    entity.attrs = test_entity.attributes;
    entity.acts_for = test_entity.acts_for;
    entity.parents = test_entity.parents;
    request.index.emplace(std::make_pair(entity.type.index, entity.id),
                          static_cast<uint32_t>(request.entities.size()));
    request.entities.push_back(std::move(entity));
  }
  request.args = test_request.args;
  request.result = test_request.result;
  for (const ir::TestFact& fact : test_request.session) {
    request.session[static_cast<size_t>(fact.fact)] = fact.value;
  }
  return request;
}

TestReport RunTests(const ir::Policy& policy, const EvaluatorFactory& factory,
                    const TestOptions& options) {
  TestReport report;
  std::set<std::string, std::less<>> covered;
  for (const ir::Test& test : policy.tests) {
    if (!options.filter.empty() && test.name.find(options.filter) == std::string::npos) continue;
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<Evaluator> evaluator = factory(test.package);
    Session session(policy, test);
    TestResult result;
    result.test = &test;
    for (const ir::TestRequest& line : test.requests) {
      Request request = session.Next(line);
      TestStep step;
      step.request = &line;
      step.decision = evaluator->Evaluate(request);
      step.failures = Check(line, step.decision);
      for (const std::string& id : step.decision.matched) covered.insert(id);
      for (const ShadowOutcome& shadow : step.decision.shadow) covered.insert(shadow.rule);
      if (line.phase == ir::Phase::kCall) {
        const ir::Plan& plan = policy.tool(line.tool).plan(ir::Phase::kCall);
        ir::EntityTypeId principal = test.entities[line.principal].type;
        for (ir::RateId id : plan.rates) {
          const ir::Rate& rate = policy.rates[id.index];
          if (rate.head.package == test.package && AppliesTo(rate.principals, principal)) {
            covered.insert(rate.head.id);
          }
        }
        for (ir::PoolId id : plan.pools) {
          if (policy.pools[id.index].head.package == test.package) {
            covered.insert(policy.pools[id.index].head.id);
          }
        }
      }
      session.Commit(request, step.decision);
      bool failed = !step.failures.empty();
      result.steps.push_back(std::move(step));
      // Later requests of a failed test run in a session that no longer means what its author
      // wrote, so their outcomes would only add noise.
      if (failed) break;
    }
    result.millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    report.results.push_back(std::move(result));
  }
  report.coverage = Declarations(policy);
  for (CoveredDecl& decl : report.coverage) decl.covered = covered.contains(decl.id);
  return report;
}

}  // namespace writ::runtime
