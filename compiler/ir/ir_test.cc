// Tests of the decision IR on its own: values and their canonical text, the type interner, a
// policy built by hand (as a runtime or a fuzzer would see one) that verifies and prints, and
// the verifier rejecting that policy after each of many deliberate breakages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"
#include "compiler/ir/print.h"
#include "compiler/ir/verify.h"
#include "stdlib/declarations.h"

namespace writ::ir {
namespace {

using ::testing::HasSubstr;

// ---- values -------------------------------------------------------------------------------

TEST(Value, SetsAreCanonical) {
  Value a = Value::Set({Value::String("b"), Value::String("a"), Value::String("b")});
  Value b = Value::Set({Value::String("a"), Value::String("b")});
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.elements.size(), 2u);
  EXPECT_LT(Compare(Value::Int(1), Value::Int(2)), 0);
  EXPECT_GT(Compare(Value::Money(5, "USD"), Value::Money(5, "EUR")), 0);
  EXPECT_EQ(Compare(b, a), 0);
}

TEST(Value, CanonicalText) {
  EXPECT_EQ(FormatMoney(500000000, "USD"), "50000 USD");
  EXPECT_EQ(FormatMoney(125000, "EUR"), "12.50 EUR");
  EXPECT_EQ(FormatMoney(1, "BTC"), "0.0001 BTC");
  EXPECT_EQ(FormatMoney(-125500, "EUR"), "-12.55 EUR");
  EXPECT_EQ(FormatMoney(INT64_MIN, "USD"), "-922337203685477.5808 USD");
  EXPECT_EQ(FormatDuration(5400000), "1h30m");
  EXPECT_EQ(FormatDuration(0), "0ms");
  EXPECT_EQ(FormatDuration(-1500), "-1s500ms");
  EXPECT_EQ(FormatDuration(86400000 + 1), "1d1ms");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(1767225600000), "2026-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(951782400250), "2000-02-29T00:00:00.250Z");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(kMinTimestamp), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(kMaxTimestamp), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(kMaxTimestamp + 1), "253402300800000ms");
  EXPECT_EQ(Quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u{1}\"");
}

TEST(Types, InternedOnce) {
  std::vector<TypeData> table;
  TypeInterner types(table);
  EXPECT_EQ(table.size(), kScalarTypeCount);
  TypeId set = types.SetOf(kStringType);
  EXPECT_EQ(types.SetOf(kStringType), set);
  TypeId record = types.Record({{"b", kIntType, false}, {"a", set, true}});
  EXPECT_EQ(types.Record({{"a", set, true}, {"b", kIntType, false}}), record);
  EXPECT_EQ(table[record.index].fields[0].name, "a");
  EXPECT_NE(types.Record({{"a", set, false}, {"b", kIntType, false}}), record);
  EXPECT_EQ(types.Entity({EntityTypeId{2}, EntityTypeId{1}, EntityTypeId{2}}),
            types.Entity({EntityTypeId{1}, EntityTypeId{2}}));
  EXPECT_EQ(FindField(table[record.index], "b"), 1);
  EXPECT_EQ(FindField(table[record.index], "c"), -1);
}

// ---- a policy built by hand ---------------------------------------------------------------

// package hand
// entity User { limit_: money, manager?: User }
// agent Bot { acts_for: User }      agent Helper { acts_for: User }
// tool pay(amount: money, memo?: string)
// over: forbid call pay for Bot when args.amount > principal.acts_for.limit_ because "over"
// cap: limit spend pay.amount per task <= 100 USD
// test "t" { a User, a Bot acting for it, one call }
Policy HandPolicy() {
  Policy p;
  TypeInterner types(p.types);
  p.files = {"hand.writ"};
  p.packages = {{"hand"}};
  TypeId user = types.Entity({EntityTypeId{0}});
  TypeId bot = types.Entity({EntityTypeId{1}});
  p.entity_types.push_back({"hand.User",
                            PackageId{0},
                            {{"limit_", kMoneyType, false}, {"manager", user, true}},
                            {},
                            std::nullopt,
                            Loc{0, 2, 8}});
  p.entity_types.push_back(
      {"hand.Bot", PackageId{0}, {}, {}, AgentInfo{EntityTypeId{0}, {}}, Loc{0, 3, 7}});
  p.entity_types.push_back(
      {"hand.Helper", PackageId{0}, {}, {}, AgentInfo{EntityTypeId{0}, {}}, Loc{0, 4, 7}});

  Tool pay;
  pay.name = "pay";
  pay.args = types.Record({{"amount", kMoneyType, false}, {"memo", kStringType, true}});
  pay.packages = {PackageId{0}};
  pay.loc = Loc{0, 5, 6};
  p.tools.push_back(pay);

  p.attr_lookups.push_back({"limit_", {{EntityTypeId{0}, 0}}});
  p.constants.push_back({kMoneyType, Value::Money(1000000, "USD")});
  auto node = [&](Op op, TypeId type, uint32_t line, uint32_t col, ExprId a = {}, ExprId b = {},
                  uint32_t imm = 0, bool may_fail = false) {
    p.exprs.push_back(Expr{op, may_fail, type, Loc{0, line, col}, a, b, imm, {}});
    return ExprId{static_cast<uint32_t>(p.exprs.size() - 1)};
  };
  ExprId amount = node(Op::kArg, kMoneyType, 6, 36, {}, {}, 0);
  ExprId principal = node(Op::kPrincipal, bot, 6, 50);
  ExprId acts_for = node(Op::kActsFor, user, 6, 50, principal);
  ExprId limit = node(Op::kAttr, kMoneyType, 6, 50, acts_for, {}, 0);
  ExprId over = node(Op::kMoneyGt, kBoolType, 6, 36, amount, limit, 0, true);
  ExprId bound = node(Op::kConst, kMoneyType, 7, 41, {}, {}, 0);

  Rule rule;
  rule.head = DeclHead{"over", PackageId{0}, Enforcement::kHard, false, Loc{0, 6, 1}};
  rule.effect = Effect::kForbid;
  rule.principals = {EntityTypeId{1}};
  rule.instances = {RuleInstance{ToolId{0}, over, {}}};
  rule.reason = "over";
  p.rules.push_back(rule);

  Limit cap;
  cap.head = DeclHead{"cap", PackageId{0}, Enforcement::kHard, false, Loc{0, 7, 1}};
  cap.target = "pay.amount";
  cap.param = "amount";
  cap.tools = {ToolId{0}};
  cap.bound = bound;
  cap.reason = "spending limit pay.amount per task exceeded";
  p.limits.push_back(cap);

  Plan& plan = p.tools[0].plans[static_cast<size_t>(Phase::kCall)];
  plan.rules = {RuleRef{RuleId{0}, 0}};
  plan.limits = {LimitRef{LimitId{0}, 0}};

  Test test;
  test.package = PackageId{0};
  test.name = "t";
  test.loc = Loc{0, 9, 1};
  test.entities.push_back(
      {EntityTypeId{0}, "u", {Value::Money(50, "USD"), Value{}}, std::nullopt, {}, Loc{0, 10, 3}});
  test.entities.push_back({EntityTypeId{1}, "b", {}, 0, {}, Loc{0, 11, 3}});
  TestRequest request;
  request.tool = ToolId{0};
  request.args = Value::Record({Value::Money(10, "USD"), Value{}});
  request.principal = 1;
  request.session = {TestFact{SessionFact::kNow, Value::Timestamp(0)}};
  request.expected = Expected::kDeny;
  request.reasons = {"over"};
  request.loc = Loc{0, 12, 3};
  test.requests.push_back(request);
  p.tests.push_back(test);
  return p;
}

TEST(HandPolicy, VerifiesAndPrints) {
  Policy policy = HandPolicy();
  ASSERT_TRUE(Verify(policy).ok()) << Verify(policy);
  EXPECT_EQ(FindTool(policy, "pay"), ToolId{0});
  EXPECT_EQ(Print(policy), R"(writ-ir 1

file 0 "hand.writ"
package 0 hand

entity hand.User @hand.writ:2:8
  #0 limit_: money
  #1 manager?: hand.User

agent hand.Bot acts_for hand.User @hand.writ:3:7

agent hand.Helper acts_for hand.User @hand.writ:4:7

tool pay(amount: money, memo?: string) packages [hand] @hand.writ:5:6

rule over (hand): hard forbid call @hand.writ:6:1
  tools [pay]
  for [hand.Bot]
  reason "over"
  when [pay]:
    %0 = arg amount#0 : money @6:36
    %1 = principal : hand.Bot @6:50
    %2 = acts_for %1 : hand.User @6:50
    %3 = attr %2 .limit_[hand.User#0] : money @6:50
    %4 = money.gt %0, %3 : bool ! @6:36

limit cap (hand): hard spend pay.amount per task @hand.writ:7:1
  tools [pay] param amount
  reason "spending limit pay.amount per task exceeded"
  bound:
    %5 = const 100 USD : money @7:41

plan pay call
  rules [over]
  limits [cap amount#0]

test "t" (hand) @hand.writ:9:1
  entity 0 hand.User::"u" {limit_: 0.005 USD}
  entity 1 hand.Bot::"b" acts_for 0
  call pay as 1 @hand.writ:12:3
    args {amount: 0.001 USD}
    session {now: timestamp("1970-01-01T00:00:00Z")}
    expect deny because "over"
)");
}

// ---- the verifier rejects broken IR -------------------------------------------------------

struct Breakage {
  std::string name;
  std::function<void(Policy&)> mutate;
  std::string message;  // a part of the verifier's message
};

std::vector<Breakage> Breakages() {
  auto expr = [](Policy& p, uint32_t i) -> Expr& { return p.exprs[i]; };
  auto call_plan = [](Policy& p) -> Plan& {
    return p.tools[0].plans[static_cast<size_t>(Phase::kCall)];
  };
  return {
      {"format version", [](Policy& p) { p.format_version = 99; }, "format version 99"},
      {"missing scalars", [](Policy& p) { p.types.resize(3); }, "lacks the scalar types"},
      {"type of a node out of range", [&](Policy& p) { expr(p, 0).type = TypeId{999}; },
       "type out of range"},
      {"operand out of range", [&](Policy& p) { expr(p, 4).b = ExprId{99}; },
       "not defined before its use"},
      {"operand used before it is defined", [&](Policy& p) { expr(p, 2).a = ExprId{3}; },
       "not defined before its use"},
      {"operand the operation does not take", [&](Policy& p) { expr(p, 1).a = ExprId{0}; },
       "operands do not match"},
      {"wrong variant of an operation", [&](Policy& p) { expr(p, 4).op = Op::kIntGt; },
       "ill-typed"},
      {"string ordering of money", [&](Policy& p) { expr(p, 4).op = Op::kStringLt; }, "ill-typed"},
      {"fallible operation not marked", [&](Policy& p) { expr(p, 4).may_fail = false; },
       "not marked may_fail"},
      {"node typed differently from its constant", [&](Policy& p) { expr(p, 5).type = kIntType; },
       "the constant's type"},
      {"constant of the wrong kind", [](Policy& p) { p.constants[0].value = Value::Int(3); },
       "not money"},
      {"money without a currency", [](Policy& p) { p.constants[0].value = Value::Money(3, "usd"); },
       "not money with a currency"},
      {"constant out of range", [&](Policy& p) { expr(p, 5).imm = 7; }, "constant out of range"},
      {"argument slot of another type", [&](Policy& p) { expr(p, 0).imm = 1; },
       "parameter memo has type string"},
      {"argument slot out of range", [&](Policy& p) { expr(p, 0).imm = 5; },
       "no parameter at slot 5"},
      {"attribute lookup with a wrong slot", [](Policy& p) { p.attr_lookups[0].slots[0].slot = 1; },
       "has no attribute `limit_` at slot 1"},
      {"attribute lookup out of range", [&](Policy& p) { expr(p, 3).imm = 4; },
       "lookup out of range"},
      {"acts_for of a non-agent",
       [&](Policy& p) { p.entity_types[1].agent->acts_for = EntityTypeId{}; },
       "agents that act for one entity type"},
      {"principal of another agent", [](Policy& p) { p.rules[0].principals = {}; },
       "the declaration's principal may be another agent"},
      {"result read by a call rule", [&](Policy& p) { expr(p, 0).op = Op::kResult; },
       "reads the result outside a result rule"},
      {"session read by a limit's bound",
       [&](Policy& p) {
         expr(p, 5) = Expr{Op::kFact,
                           false,
                           kMoneyType,
                           Loc{},
                           {},
                           {},
                           static_cast<uint32_t>(SessionFact::kSpent),
                           {}};
       },
       "reads the session where it may not"},
      {"args read by a limit's bound",
       [&](Policy& p) { expr(p, 5) = Expr{Op::kArg, false, kMoneyType, Loc{}, {}, {}, 0, {}}; },
       "reads args where there is no tool"},
      {"local read outside its quantifier",
       [&](Policy& p) {
         p.max_locals = 1;
         expr(p, 0) = Expr{Op::kLocal, false, kMoneyType, Loc{}, {}, {}, 0, {}};
       },
       "reads local 0 outside its quantifier"},
      {"local slot beyond max_locals",
       [&](Policy& p) { expr(p, 0) = Expr{Op::kLocal, false, kMoneyType, Loc{}, {}, {}, 0, {}}; },
       "beyond max_locals"},
      {"condition that is not bool",
       [](Policy& p) { p.rules[0].instances[0].condition = ExprId{3}; },
       "has type money, expected bool"},
      {"condition out of range", [](Policy& p) { p.rules[0].instances[0].condition = ExprId{77}; },
       "expression out of range"},
      {"rule missing from its plan", [&](Policy& p) { call_plan(p).rules.clear(); },
       "not listed exactly once in the plan of pay"},
      {"rule listed twice",
       [&](Policy& p) {
         call_plan(p).rules.push_back({RuleId{0}, 0});
       },
       "not listed exactly once"},
      {"rule in the plan of the other phase",
       [&](Policy& p) {
         call_plan(p).rules.clear();
         p.tools[0].plans[static_cast<size_t>(Phase::kResult)].rules = {{RuleId{0}, 0}};
       },
       "lists rule over which does not apply to it"},
      {"plan entry out of range", [&](Policy& p) { call_plan(p).rules[0].rule = RuleId{3}; },
       "rule out of range"},
      {"limit with a wrong parameter slot",
       [&](Policy& p) { call_plan(p).limits[0].param_slot = 1; }, "wrong parameter slot"},
      {"limit missing from its plan", [&](Policy& p) { call_plan(p).limits.clear(); },
       "limit cap is not listed exactly once"},
      {"limits in the result phase",
       [&](Policy& p) {
         p.tools[0].plans[static_cast<size_t>(Phase::kResult)].limits = call_plan(p).limits;
       },
       "belong to the call phase"},
      {"declaration ids that repeat", [](Policy& p) { p.limits[0].head.id = "over"; },
       "id over is not unique"},
      {"forbid without a reason", [](Policy& p) { p.rules[0].reason.clear(); }, "no reason"},
      {"tools out of order",
       [](Policy& p) {
         Tool extra = p.tools[0];
         extra.name = "a.first";
         extra.plans = {};
         p.tools.push_back(extra);
       },
       "tools are not sorted by name"},
      {"record fields out of order",
       [](Policy& p) {
         std::swap(p.types[p.tools[0].args.index].fields[0],
                   p.types[p.tools[0].args.index].fields[1]);
       },
       "fields are not sorted"},
      {"repeated type", [](Policy& p) { p.types.push_back(p.types[6]); }, "repeats type 6"},
      {"test attribute of the wrong type",
       [](Policy& p) { p.tests[0].entities[0].attributes[0] = Value::String("x"); }, "not money"},
      {"test entity missing a required attribute",
       [](Policy& p) { p.tests[0].entities[0].attributes[0] = Value{}; },
       "required attribute limit_ is absent"},
      {"test arguments not aligned with the tool",
       [](Policy& p) { p.tests[0].requests[0].args = Value::Record({Value::Money(1, "USD")}); },
       "not a record with one value per field"},
      {"test entity value naming an undeclared entity",
       [](Policy& p) { p.tests[0].entities[0].attributes[1] = Value::Entity(0, "ghost"); },
       "names an entity the test does not declare"},
      {"test agent without acts_for", [](Policy& p) { p.tests[0].entities[1].acts_for.reset(); },
       "acts_for is required"},
      {"test principal that is not an agent",
       [](Policy& p) { p.tests[0].requests[0].principal = 0; }, "the principal is not an agent"},
      {"result value on a call request",
       [](Policy& p) { p.tests[0].requests[0].result = Value::Int(1); },
       "belongs exactly to result requests"},
      {"location in a file that does not exist", [](Policy& p) { p.rules[0].head.loc.file = 4; },
       "location's file out of range"},
  };
}

TEST(Verify, RejectsBrokenIr) {
  for (const Breakage& breakage : Breakages()) {
    SCOPED_TRACE(breakage.name);
    Policy policy = HandPolicy();
    breakage.mutate(policy);
    absl::Status status = Verify(policy);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(breakage.message));
  }
}

// Expressions built from scratch: each is the only condition of the hand policy's rule.
class VerifyExpr : public testing::Test {
 protected:
  void SetUp() override { policy_ = HandPolicy(); }

  ExprId Add(Op op, TypeId type, ExprId a = {}, ExprId b = {}, uint32_t imm = 0,
             bool may_fail = false, std::vector<ExprId> list = {}) {
    Expr e{op, may_fail, type, Loc{0, 6, 1}, a, b, imm, {}};
    e.list = ListRef{static_cast<uint32_t>(policy_.expr_lists.size()),
                     static_cast<uint32_t>(list.size())};
    policy_.expr_lists.insert(policy_.expr_lists.end(), list.begin(), list.end());
    policy_.exprs.push_back(e);
    return ExprId{static_cast<uint32_t>(policy_.exprs.size() - 1)};
  }
  ExprId Const(TypeId type, Value value) {
    policy_.constants.push_back({type, std::move(value)});
    return Add(Op::kConst, type, {}, {}, static_cast<uint32_t>(policy_.constants.size() - 1));
  }
  absl::Status VerifyCondition(ExprId root) {
    policy_.rules[0].instances[0].condition = root;
    return Verify(policy_);
  }

  Policy policy_;
};

TEST_F(VerifyExpr, QuantifiersBindTheirLocal) {
  TypeInterner types(policy_.types);
  TypeId strings = types.SetOf(kStringType);
  policy_.max_locals = 1;
  ExprId domain = Const(strings, Value::Set({Value::String("a")}));
  ExprId x = Add(Op::kLocal, kStringType, {}, {}, 0);
  ExprId pattern = Const(kStringType, Value::String("a*"));
  ExprId body = Add(Op::kLike, kBoolType, x, pattern);
  EXPECT_TRUE(VerifyCondition(Add(Op::kAny, kBoolType, domain, body, 0)).ok());

  // The local read at another type than the domain's elements.
  ExprId n = Add(Op::kLocal, kIntType, {}, {}, 0);
  ExprId zero = Const(kIntType, Value::Int(0));
  ExprId positive = Add(Op::kIntGt, kBoolType, n, zero);
  EXPECT_THAT(std::string(VerifyCondition(Add(Op::kAll, kBoolType, domain, positive, 0)).message()),
              HasSubstr("is read as int but bound to elements of set<string>"));
}

TEST_F(VerifyExpr, PatternsAreConstants) {
  ExprId memo = Add(Op::kArg, kStringType, {}, {}, 1, true);
  EXPECT_THAT(std::string(VerifyCondition(Add(Op::kLike, kBoolType, memo, memo)).message()),
              HasSubstr("a constant string pattern"));
}

TEST_F(VerifyExpr, StdCallsMatchTheirSignature) {
  uint32_t glob = *stdlib::FindFunction("std.text", "glob");
  // Each case on a fresh policy, so one broken node does not hide the next.
  auto check = [&](uint32_t function, bool may_fail,
                   const std::function<std::vector<ExprId>()>& args) {
    SetUp();
    std::vector<ExprId> list = args();
    return std::string(
        VerifyCondition(Add(Op::kCall, kBoolType, {}, {}, function, may_fail, list)).message());
  };
  auto memo = [&] { return Add(Op::kArg, kStringType, {}, {}, 1, true); };
  auto pattern = [&] { return Const(kStringType, Value::String("*x*")); };
  EXPECT_EQ(check(glob, true, [&] { return std::vector<ExprId>{memo(), pattern()}; }), "");
  EXPECT_THAT(check(glob, true, [&] { return std::vector<ExprId>{memo()}; }),
              HasSubstr("std.text.glob takes 2 arguments, not 1"));
  EXPECT_THAT(check(glob, true,
                    [&] {
                      return std::vector<ExprId>{memo(), memo()};
                    }),
              HasSubstr("not a constant"));
  EXPECT_THAT(check(glob, true,
                    [&] {
                      return std::vector<ExprId>{Add(Op::kArg, kMoneyType), pattern()};
                    }),
              HasSubstr("argument 1 of std.text.glob has type money"));
  EXPECT_THAT(check(9999, true, [] { return std::vector<ExprId>{}; }),
              HasSubstr("unknown function"));
  EXPECT_THAT(check(glob, false,
                    [&] {
                      return std::vector<ExprId>{memo(), pattern()};
                    }),
              HasSubstr("not marked may_fail"));
}

TEST_F(VerifyExpr, OptionalReadsMayFail) {
  // args.memo is optional: reading it unmarked is refused.
  ExprId memo = Add(Op::kArg, kStringType, {}, {}, 1, false);
  ExprId x = Const(kStringType, Value::String("x"));
  EXPECT_THAT(std::string(VerifyCondition(Add(Op::kEq, kBoolType, memo, x)).message()),
              HasSubstr("optional parameter but is not marked may_fail"));
}

TEST_F(VerifyExpr, ListsInRange) {
  ExprId amount = Add(Op::kArg, kMoneyType, {}, {}, 0);
  ExprId set =
      Add(Op::kMakeSet, TypeInterner(policy_.types).SetOf(kMoneyType), {}, {}, 0, false, {amount});
  policy_.exprs[set.index].list.count = 40;
  ExprId contains = Add(Op::kInSet, kBoolType, amount, set, 0, true);
  EXPECT_THAT(std::string(VerifyCondition(contains).message()),
              HasSubstr("operand list out of range"));
}

}  // namespace
}  // namespace writ::ir
