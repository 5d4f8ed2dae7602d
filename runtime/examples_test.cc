// Runs the `test` blocks of the example policies (policies/) through the reference interpreter:
// their expectations, written by the policies' authors, are an oracle for the semantics.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

// The request a test's `call` or `result` line describes.
Request FromTest(const ir::Test& test, const ir::TestRequest& test_request) {
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

DecisionEffect Expected(ir::Expected expected) {
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

TEST(ExamplesTest, ExamplePolicyTestsPass) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicyFiles({"policies"}, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  ASSERT_FALSE(policy->tests.empty());
  int requests = 0;
  for (const ir::Test& test : policy->tests) {
    Interpreter interpreter(*policy, {.clock = [] { return int64_t{0}; }, .package = test.package});
    // The requests of a test run in one session (docs/language.md §14): allowed calls count
    // toward tool calls and rate windows, and their spend is committed.
    Counters counters;
    int64_t tool_calls = 0;
    Value spent = Value::Money(0, "");
    for (const ir::TestRequest& test_request : test.requests) {
      ++requests;
      Request request = FromTest(test, test_request);
      request.counters = counters;
      auto fact = [&](ir::SessionFact f) -> std::optional<Value>& {
        return request.session[static_cast<size_t>(f)];
      };
      if (!fact(ir::SessionFact::kToolCalls)) {
        fact(ir::SessionFact::kToolCalls) = Value::Int(tool_calls);
      }
      if (!fact(ir::SessionFact::kSpent)) fact(ir::SessionFact::kSpent) = spent;
      if (!fact(ir::SessionFact::kStartedAt)) {
        fact(ir::SessionFact::kStartedAt) = Value::Timestamp(1767225600000);  // 2026-01-01
      }
      if (!fact(ir::SessionFact::kNow)) {
        const std::optional<Value>& given = fact(ir::SessionFact::kElapsed);
        int64_t elapsed = given ? given->number : 0;
        fact(ir::SessionFact::kNow) =
            Value::Timestamp(fact(ir::SessionFact::kStartedAt)->number + elapsed);
      }
      fact(ir::SessionFact::kElapsed).reset();
      Decision decision = interpreter.Evaluate(request);
      if (decision.effect == DecisionEffect::kAllow && test_request.phase == ir::Phase::kCall) {
        ++tool_calls;
        for (const Charge& charge : decision.obligations.charges) {
          Value& total = counters.spend[charge.limit];
          if (total.kind == Value::Kind::kAbsent) total = Value::Money(0, charge.amount.text);
          total.number += charge.amount.number;
        }
        if (!decision.obligations.charges.empty()) {
          spent.text = decision.obligations.charges[0].amount.text;
          spent.number += decision.obligations.charges[0].amount.number;
        }
        for (ir::RateId rate : policy->tool(test_request.tool).plan(ir::Phase::kCall).rates) {
          ++counters.calls_in_window[policy->rates[rate.index].head.id];
        }
      }
      std::string where = test.name + " @" + policy->files[test_request.loc.file] + ":" +
                          std::to_string(test_request.loc.line);
      EXPECT_EQ(Spelling(decision.effect), Spelling(Expected(test_request.expected))) << where;
      for (const std::string& reason : test_request.reasons) {
        bool found = std::any_of(decision.reasons.begin(), decision.reasons.end(),
                                 [&](const Reason& r) { return r.message == reason; });
        EXPECT_TRUE(found) << where << ": missing reason \"" << reason << "\"";
      }
      for (const std::string& warning : test_request.warnings) {
        const std::vector<std::string>& warnings = decision.obligations.warnings;
        EXPECT_NE(std::find(warnings.begin(), warnings.end(), warning), warnings.end())
            << where << ": missing warning \"" << warning << "\"";
      }
      for (const DecisionError& error : decision.errors) {
        ADD_FAILURE() << where << ": evaluation error " << error.code << " in " << error.rule
                      << ": " << error.message;
      }
    }
  }
  EXPECT_GT(requests, 10);
}

}  // namespace
}  // namespace writ::runtime
