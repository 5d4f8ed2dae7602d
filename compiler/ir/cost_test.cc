// The compile-time cost bound: the polynomial arithmetic, and the bound of real conditions by
// the cost model of docs/language.md §15.
#include "compiler/ir/cost.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <utility>

#include "compiler/driver/driver.h"
#include "compiler/lower/lower.h"

namespace writ::ir {
namespace {

Policy LowerText(const std::string& text) {
  driver::Compilation compilation;
  std::pair<std::string, std::string> source{"test.writ", text};
  driver::CompileSources(std::span(&source, 1), compilation);
  EXPECT_FALSE(compilation.diagnostics.has_errors());
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) return Policy{};
  return lower::Lower(compilation.sources, compilation.files, *compilation.program);
}

// The cost of the condition of the one rule of `tool` in the call phase.
Cost ConditionCost(const Policy& policy, std::string_view tool) {
  const Tool& t = policy.tool(FindTool(policy, tool));
  const RuleRef& ref = t.plan(Phase::kCall).rules.at(0);
  return ExprCost(policy, policy.rules[ref.rule.index].instances[ref.instance].condition);
}

TEST(Cost, PolynomialArithmetic) {
  Cost a = Cost::Constant(3) + Cost::N(2);
  Cost b = Cost::S() + Cost::Constant(1);
  EXPECT_EQ(a.ToString(), "3 + 2·n");
  EXPECT_EQ((a * b).ToString(), "3 + 2·n + 3·s + 2·n·s");
  EXPECT_EQ((Cost::S() * Cost::S() * Cost::N()).ToString(), "n·s^2");
  EXPECT_EQ((a * b).At(10, 100), 3u + 20u + 300u + 2000u);
  EXPECT_EQ(Cost::Max(Cost::N(5), Cost::N(2) + Cost::Constant(7)).ToString(), "7 + 5·n");
  EXPECT_EQ(Cost().ToString(), "0");
  EXPECT_EQ(Cost().At(1000, 1000), 0u);
}

TEST(Cost, SaturatesInsteadOfOverflowing) {
  Cost huge = Cost::N(UINT64_MAX / 2) * Cost::N(4);
  EXPECT_EQ(huge.At(1, 1), UINT64_MAX);
  EXPECT_EQ((Cost::Constant(UINT64_MAX) + Cost::Constant(1)).At(0, 0), UINT64_MAX);
  EXPECT_EQ(Cost::N(1).At(UINT64_MAX, 0), UINT64_MAX);
}

constexpr const char* kPolicy = R"(package c

import std.sql
import std.text

agent Bot { groups: set<string> }

tool pay(amount: money)
tool db.query(sql: string)
tool chat.say(text: string)
tool tag(labels: set<string>)

forbid call pay when args.amount > 10 USD because "a"
forbid call db.query when sql.is_ddl(args.sql) because "b"
forbid call chat.say when text.matches(args.text, "abc+") because "c"
forbid call tag when any label in args.labels: label in principal.groups because "d"
)";

TEST(Cost, ConstantWorkIsIndependentOfTheRequest) {
  Policy policy = LowerText(kPolicy);
  Cost cost = ConditionCost(policy, "pay");
  EXPECT_EQ(cost.terms().size(), 1u) << cost.ToString();
  EXPECT_EQ(cost.At(1, 1), cost.At(1 << 16, 10000));
}

TEST(Cost, StandardLibraryCallsFollowTheirDeclaredClass) {
  Policy policy = LowerText(kPolicy);
  // sql.is_ddl parses: six lexical readings per byte at most.
  Cost ddl = ConditionCost(policy, "db.query");
  EXPECT_EQ(ddl.terms().at({1, 0}), 6u) << ddl.ToString();
  // A regular expression of m bytes: n·m.
  Cost regex = ConditionCost(policy, "chat.say");
  EXPECT_EQ(regex.terms().at({1, 0}), 4u) << regex.ToString();
}

TEST(Cost, QuantifiersMultiplyByTheCollection) {
  Policy policy = LowerText(kPolicy);
  // For each label (s), a membership test in a set (s) of strings (n): n·s^2.
  Cost cost = ConditionCost(policy, "tag");
  EXPECT_TRUE(cost.terms().contains({1, 2})) << cost.ToString();
  EXPECT_EQ(cost.terms().rbegin()->first.second, 2u);
}

TEST(Cost, EveryPlanOfAPolicyHasABound) {
  Policy policy = LowerText(kPolicy);
  std::vector<PlanCost> plans = PolicyCost(policy);
  ASSERT_EQ(plans.size(), 4u);
  for (const PlanCost& plan : plans) {
    EXPECT_EQ(plan.phase, Phase::kCall);
    EXPECT_EQ(plan.declarations, 1u);
    EXPECT_GT(plan.cost.At(1, 1), 0u);
    EXPECT_LT(plan.cost.At(1 << 16, 10000), UINT64_MAX);
  }
}

}  // namespace
}  // namespace writ::ir
