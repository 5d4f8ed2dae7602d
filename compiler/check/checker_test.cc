// The checker end to end, through driver::CompileSources: a realistic policy set checks clean,
// and the checked Program records what lowering needs (resolved declarations, tests, and the
// facts of expressions); plus the checker's helpers (timestamps, types, the stdlib table).
#include "compiler/check/checker.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/check/check_test_util.h"
#include "compiler/check/internal/expr_checker.h"
#include "stdlib/declarations.h"

namespace writ::check {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using test_util::Compile;
using test_util::kSchema;
using test_util::Render;

// ---- a realistic policy set -------------------------------------------------------------------

const char kCommon[] = R"(package acme.common

entity Department
entity User in Department {
  department: string,
  approval_limit: money,
  manager?: User,
  email: string,
}
enum Region { us, eu }
)";

const char kProcurement[] = R"(package procurement

import acme.common
import std.sql
import std.pii
import std.text as txt
import std.time

agent ProcurementBot in common.Department {
  acts_for: common.User,
  region: common.Region,
  credentials { erp: ["po.write", "po.read"] ttl 15m }
}
agent ReportBot { acts_for: common.User, region: common.Region }

tool payments.transfer(amount: money, to: string, memo?: string)
tool payments.refund(amount: money, to: string)
tool db.query(sql: string) -> { rows_affected: int, text: string }
tool email.send(to: string, body: string, cc: set<string>)

permit call payments.transfer for ProcurementBot grant erp ["po.write"] ttl 10m
forbid call payments.transfer
  when principal.acts_for has manager and principal.acts_for.manager == principal.acts_for
  because "nobody approves their own payments"
forbid call payments.transfer
  when args.amount > principal.acts_for.approval_limit
  because "exceeds the delegating user's approval limit"
require_approval call payments.* for ProcurementBot
  when args.amount > 10000 USD
  because "large payment"
  by principal.acts_for
  timeout 24h
  warn "approval pending"
big_refund: soft shadow forbid call payments.refund
  when args.amount >= 2 * 500 USD and session.spent + args.amount > 20000 USD
  because "refunds are capped per session"
forbid call db.query when sql.is_ddl(args.sql) or sql.has_unbounded_write(args.sql)
  because "DDL and unbounded writes are not allowed"
forbid result db.query when result.rows_affected > 100 because "too many rows changed"
forbid call email.send
  when any r in args.cc: not txt.ends_with(r, "@acme.com")
  because "mail leaves the company"
forbid call *
  when session.calls_in(1m) > 30 or session.elapsed > 2h
    or session.now - session.started_at > 8h
    or time.weekday(session.now) > 5
    or session.now > timestamp("2030-01-01T00:00:00Z")
  because "outside the agent's working window"
forbid call email.send
  when pii.contains_kind(args.body, pii.card) or pii.card in pii.kinds(args.body)
    or size(sql.tables(args.body)) > 0 or args.body like "*password*"
  because "card numbers stay inside"
permit call db.query for ReportBot when principal.region == common.Region.eu
  and principal in common.Department::"finance"

limit spend payments.transfer.amount per task <= principal.acts_for.approval_limit
limit spend payments.*.amount per day <= 50000 USD for ProcurementBot
budget tokens per task 200000 warn at 50%, 80% then terminate
budget time 2h then require_approval by principal.acts_for
budget spend per month 1000 USD
rate payments.*, db.query 500 per 1h because "slow down"
pool database 20 calls db.* then queue
pool bots 50 sessions ProcurementBot, ReportBot
output email.send.body { forbid pii.card, pii.us_ssn because "no card numbers" redact pii.email }
output result db.query.text { redact pii.email, pii.phone }

test "large transfers need approval" {
  entity common.Department::"finance"
  entity common.User::"alice" {
    department: "finance", approval_limit: 50000 USD, email: "alice@acme.com",
  } in common.Department::"finance"
  entity ProcurementBot::"bot" { acts_for: common.User::"alice", region: common.Region.eu }
  session { tokens_used: 100, spent: 5 USD, now: timestamp("2026-03-02T10:00:00Z") }
  call payments.transfer(amount: 20000 USD, to: "acme") as ProcurementBot::"bot"
  expect approval_required because "large payment" warn "approval pending"
  result db.query(sql: "SELECT 1") returns { rows_affected: 0, text: "ok" }
    as ProcurementBot::"bot"
  expect allow
}
)";

TEST(CheckerTest, RealisticPolicySetChecksClean) {
  auto c = Compile({{"common.writ", kCommon}, {"procurement.writ", kProcurement}});
  EXPECT_THAT(Render(*c), IsEmpty());
  ASSERT_NE(c->program, nullptr);
  const Program& p = *c->program;
  EXPECT_EQ(p.packages.size(), 2u);
  EXPECT_EQ(p.tools.size(), 4u);
  EXPECT_EQ(p.rules.size(), 11u);
  EXPECT_EQ(p.limits.size(), 2u);
  EXPECT_EQ(p.budgets.size(), 3u);
  EXPECT_EQ(p.rates.size(), 1u);
  EXPECT_EQ(p.pools.size(), 2u);
  EXPECT_EQ(p.outputs.size(), 2u);
  ASSERT_EQ(p.tests.size(), 1u);
  EXPECT_EQ(p.tests[0].entities.size(), 3u);
  EXPECT_EQ(p.tests[0].requests.size(), 2u);
}


// Swapping one name of the realistic policy for another keeps it parseable but wrong in
// countless ways; the checker must report each variant with located errors and never crash.
TEST(CheckerTest, SurvivesMutatedPolicies) {
  std::string text = kProcurement;
  std::vector<std::pair<size_t, size_t>> names;  // offset and length of each identifier
  for (size_t i = 0; i < text.size();) {
    bool start = std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_';
    if (!start || (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '"'))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) ++j;
    names.emplace_back(i, j - i);
    i = j;
  }
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<size_t>(state >> 33);
  };
  int checked = 0;
  for (int round = 0; round < 400; ++round) {
    auto [at, length] = names[next() % names.size()];
    auto [from, from_length] = names[next() % names.size()];
    std::string mutated = text;
    mutated.replace(at, length, text.substr(from, from_length));
    auto c = Compile({{"common.writ", kCommon}, {"procurement.writ", mutated}});
    if (c->program == nullptr) continue;  // a syntax error stopped the pipeline
    ++checked;
    for (const diag::Diagnostic& d : c->diagnostics.diagnostics()) {
      EXPECT_TRUE(d.span.valid()) << d.message << "\n" << mutated;
    }
  }
  EXPECT_GT(checked, 100);
}

// ---- tool patterns and imports ---------------------------------------------------------------

TEST(CheckerTest, AliasesReachIntoImportedPackages) {
  const char common[] = R"(package acme.common
entity User { cap: money }
enum Region { us, eu }
tool crm.read(id: string)
tool crm.write(id: string, note: string)
)";
  const char main[] = R"(package app
import acme.common as c
agent Bot { acts_for: c.User, region: c.Region }
permit call c.crm.* for Bot when principal.region == c.Region.eu
forbid call c.crm.write when args.note == "" because "notes are required"
forbid call c.crm.wirte because "x"
forbid call db.* because "x"
)";
  auto compilation = Compile({{"common.writ", common}, {"main.writ", main}});
  EXPECT_THAT(Render(*compilation),
              ElementsAre("W0203 6:13 unknown tool `c.crm.wirte` [help: did you mean `c.crm.write`?]",
                          "W0214 7:13 tool pattern `db.*` matches no declared tool"));
  ASSERT_NE(compilation->program, nullptr);
  const Program& p = *compilation->program;
  ASSERT_GE(p.rules.size(), 2u);
  EXPECT_EQ(p.rules[0].tools.size(), 2u);
  ASSERT_EQ(p.rules[1].tools.size(), 1u);
  EXPECT_EQ(p.tool(p.rules[1].tools[0]).name, "crm.write");
  EXPECT_EQ(p.package(p.tool(p.rules[1].tools[0]).package).name, "acme.common");
}

TEST(CheckerTest, TrailingWildcardMatchesSeveralSegments) {
  const char source[] = R"(package a
tool cloud.s3.get(key: string)
tool cloud.s3.put(key: string)
tool cloud.ec2.start(id: string)
tool cloudy.x(id: string)
rate cloud.* 10 per 1m
rate cloud.*.put 10 per 1m
rate * 10 per 1m
)";
  auto compilation = Compile({{"a.writ", source}});
  EXPECT_THAT(Render(*compilation), IsEmpty());
  ASSERT_NE(compilation->program, nullptr);
  const Program& p = *compilation->program;
  ASSERT_EQ(p.rates.size(), 3u);
  EXPECT_EQ(p.rates[0].tools.size(), 3u);
  ASSERT_EQ(p.rates[1].tools.size(), 1u);
  EXPECT_EQ(p.tool(p.rates[1].tools[0]).name, "cloud.s3.put");
  EXPECT_EQ(p.rates[2].tools.size(), 4u);
}

// ---- the program -----------------------------------------------------------------------------

TEST(CheckerTest, RecordsTheFactsOfExpressions) {
  std::string source = std::string(kSchema) + R"(forbid call payments.transfer for Bot
  when args.amount > 2 * 5 USD and principal.region == Region.eu
    and session.now > timestamp("2026-01-01T00:00:00Z") and session.calls_in(1h) > 3
    and sql.is_ddl(args.to) and size(args.tags) > 0 and principal.acts_for.department == "x"
    and session.elapsed < 3 * 1h
  because "x"
)";
  auto compilation = Compile({{"t.writ", source}});
  ASSERT_THAT(Render(*compilation), IsEmpty());
  ASSERT_NE(compilation->program, nullptr);
  const Program& p = *compilation->program;
  const syntax::File& file = compilation->files[0];
  auto facts_of = [&](std::string_view text) -> const ExprFacts& {
    for (uint32_t i = 0; i < file.exprs.size(); ++i) {
      if (compilation->sources.Text(file.exprs[i].span) == text) {
        return p.facts(ExprRef{file.id, syntax::ExprId{i}});
      }
    }
    ADD_FAILURE() << "no expression " << text;
    static const ExprFacts none;
    return none;
  };
  const ExprFacts& amount = facts_of("args.amount");
  EXPECT_EQ(amount.type, TypeTable::Money());
  ASSERT_TRUE(std::holds_alternative<resolved::Param>(amount.resolution));
  EXPECT_EQ(std::get<resolved::Param>(amount.resolution).name, "amount");

  const ExprFacts& product = facts_of("2 * 5 USD");
  EXPECT_EQ(p.TypeName(product.type), "money");
  ASSERT_TRUE(product.constant.has_value());
  EXPECT_EQ(product.constant->value, 10 * syntax::MoneyValue::kScale);
  EXPECT_EQ(product.constant->currency, "USD");

  const ExprFacts& hours = facts_of("3 * 1h");
  EXPECT_EQ(hours.type, TypeTable::Duration());
  ASSERT_TRUE(hours.constant.has_value());
  EXPECT_EQ(hours.constant->kind, TypeKind::kDuration);
  EXPECT_EQ(hours.constant->value, 3 * 3600000);

  const ExprFacts& eu = facts_of("Region.eu");
  ASSERT_TRUE(std::holds_alternative<resolved::EnumMember>(eu.resolution));
  EXPECT_EQ(std::get<resolved::EnumMember>(eu.resolution).member, 1u);

  const ExprFacts& instant = facts_of("timestamp(\"2026-01-01T00:00:00Z\")");
  EXPECT_EQ(instant.type, TypeTable::Timestamp());
  ASSERT_TRUE(instant.constant.has_value());
  EXPECT_EQ(instant.constant->value, 1767225600000);

  EXPECT_TRUE(std::holds_alternative<resolved::CallsIn>(facts_of("session.calls_in(1h)").resolution));
  const ExprFacts& ddl = facts_of("sql.is_ddl(args.to)");
  ASSERT_TRUE(std::holds_alternative<resolved::StdFunction>(ddl.resolution));
  EXPECT_EQ(stdlib::Functions()[std::get<resolved::StdFunction>(ddl.resolution).index].name, "is_ddl");
  EXPECT_TRUE(std::holds_alternative<resolved::Prelude>(facts_of("size(args.tags)").resolution));
  EXPECT_TRUE(std::holds_alternative<resolved::ActsFor>(facts_of("principal.acts_for").resolution));
  const ExprFacts& dept = facts_of("principal.acts_for.department");
  ASSERT_TRUE(std::holds_alternative<resolved::Attribute>(dept.resolution));
  EXPECT_EQ(dept.type, TypeTable::String());

  ASSERT_EQ(p.rules.size(), 1u);
  ASSERT_TRUE(p.rules[0].condition.has_value());
  EXPECT_EQ(p.facts(*p.rules[0].condition).type, TypeTable::Bool());
}

TEST(CheckerTest, RecordsResolvedDeclarations) {
  std::string source = std::string(kSchema) + R"(big: soft shadow require_approval call payments.*, db.query for Bot
  when true because "big" by [principal.acts_for] timeout 1h30m warn "slow" warn "really"
permit call db.query for Bot grant erp ["po.read"] ttl 5m
limit spend payments.transfer.amount per day <= principal.acts_for.approval_limit for Bot because "cap"
budget spend per month 1000.50 EUR warn at 50%, 90% then require_approval by "finance"
pool bots 3 sessions Bot, Helper then queue
output result db.query.text { forbid pii.card, pii.iban because "no cards" redact pii.email }
)";
  auto compilation = Compile({{"t.writ", source}});
  ASSERT_THAT(Render(*compilation), IsEmpty());
  ASSERT_NE(compilation->program, nullptr);
  const Program& p = *compilation->program;

  const Rule& big = p.rules[0];
  EXPECT_EQ(big.head.label, "big");
  EXPECT_EQ(big.head.enforcement, Enforcement::kSoft);
  EXPECT_TRUE(big.head.shadow);
  EXPECT_EQ(big.effect, syntax::Effect::kRequireApproval);
  EXPECT_EQ(big.tools.size(), 2u);
  ASSERT_EQ(big.principals.size(), 1u);
  EXPECT_EQ(p.entity_type(big.principals[0]).name, "Bot");
  EXPECT_EQ(big.reason, "big");
  ASSERT_TRUE(big.approvers.has_value());
  EXPECT_EQ(big.approvers->kind, ApproverKind::kEntitySet);
  EXPECT_EQ(big.timeout_millis, 5400000);
  EXPECT_THAT(big.warnings, ElementsAre("slow", "really"));

  const Rule& grant = p.rules[1];
  ASSERT_EQ(grant.grants.size(), 1u);
  EXPECT_EQ(grant.grants[0].credential, "erp");
  EXPECT_THAT(*grant.grants[0].scopes, ElementsAre("po.read"));
  EXPECT_EQ(grant.grants[0].ttl_millis, 300000);

  ASSERT_EQ(p.limits.size(), 1u);
  EXPECT_EQ(p.limits[0].param, "amount");
  EXPECT_EQ(p.limits[0].period, Period::kDay);
  EXPECT_EQ(p.facts(p.limits[0].bound).type, TypeTable::Money());

  ASSERT_EQ(p.budgets.size(), 1u);
  EXPECT_EQ(p.budgets[0].kind, BudgetKind::kSpend);
  EXPECT_EQ(p.budgets[0].period, Period::kMonth);
  EXPECT_EQ(p.budgets[0].amount, 10005000);
  EXPECT_EQ(p.budgets[0].currency, "EUR");
  EXPECT_THAT(p.budgets[0].warn_at, ElementsAre(50, 90));
  EXPECT_EQ(p.budgets[0].then, BudgetAction::kRequireApproval);
  ASSERT_TRUE(p.budgets[0].approvers.has_value());
  EXPECT_EQ(p.budgets[0].approvers->kind, ApproverKind::kString);

  ASSERT_EQ(p.pools.size(), 1u);
  EXPECT_FALSE(p.pools[0].counts_calls);
  EXPECT_EQ(p.pools[0].agents.size(), 2u);
  EXPECT_EQ(p.pools[0].then, PoolAction::kQueue);

  ASSERT_EQ(p.outputs.size(), 1u);
  EXPECT_EQ(p.outputs[0].phase, syntax::Phase::kResult);
  EXPECT_EQ(p.outputs[0].field, "text");
  ASSERT_EQ(p.outputs[0].checks.size(), 2u);
  EXPECT_FALSE(p.outputs[0].checks[0].redact);
  EXPECT_EQ(p.outputs[0].checks[0].detectors.size(), 2u);
  EXPECT_EQ(p.outputs[0].checks[0].reason, "no cards");
  EXPECT_TRUE(p.outputs[0].checks[1].redact);

  const EntityType& bot = p.entity_type(big.principals[0]);
  ASSERT_TRUE(bot.is_agent());
  EXPECT_EQ(p.entity_type(bot.agent->acts_for).name, "User");
  ASSERT_EQ(bot.agent->credentials.size(), 1u);
  EXPECT_THAT(bot.agent->credentials[0].scopes, ElementsAre("po.write", "po.read"));
  EXPECT_EQ(bot.agent->credentials[0].ttl_millis, 900000);
  const Attribute* manager = p.entity_type(bot.agent->acts_for).FindAttribute("manager");
  ASSERT_NE(manager, nullptr);
  EXPECT_TRUE(manager->optional);
}

TEST(CheckerTest, RecordsTests) {
  std::string source = std::string(kSchema) + R"(test "t" {
  entity Department::"d"
  entity User::"u" { department: "x", approval_limit: 5 USD } in Department::"d"
  entity Bot::"b" { acts_for: User::"u", region: Region.us }
  session { tokens_used: 10 }
  call db.query(sql: "x") as Bot::"b"
  expect deny because "no" warn "careful"
  session { tokens_used: 20, spent: 1 USD }
  result db.query(sql: "x") returns { rows_affected: 1, text: "" } as Bot::"b"
  expect allow
}
)";
  auto compilation = Compile({{"t.writ", source}});
  ASSERT_THAT(Render(*compilation), IsEmpty());
  ASSERT_NE(compilation->program, nullptr);
  const Program& p = *compilation->program;
  ASSERT_EQ(p.tests.size(), 1u);
  const check::Test& test = p.tests[0];
  ASSERT_EQ(test.entities.size(), 3u);
  EXPECT_THAT(test.entities[1].parents, ElementsAre(0u));
  EXPECT_EQ(test.entities[2].acts_for, 1u);
  ASSERT_EQ(test.requests.size(), 2u);
  EXPECT_EQ(test.requests[0].principal, 2u);
  EXPECT_EQ(test.requests[0].expected, syntax::Expected::kDeny);
  EXPECT_THAT(test.requests[0].reasons, ElementsAre("no"));
  EXPECT_THAT(test.requests[0].warnings, ElementsAre("careful"));
  EXPECT_EQ(test.requests[0].session.size(), 1u);
  EXPECT_EQ(test.requests[1].phase, syntax::Phase::kResult);
  EXPECT_TRUE(test.requests[1].returns.has_value());
  EXPECT_EQ(test.requests[1].session.size(), 2u);
}

// ---- helpers -------------------------------------------------------------------------------

TEST(ParseTimestampTest, AcceptsRfc3339) {
  using internal::ParseTimestamp;
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseTimestamp("2026-01-01T00:00:00Z"), 1767225600000);
  EXPECT_EQ(ParseTimestamp("2024-02-29T12:00:00.5Z"), 1709208000500);
  EXPECT_EQ(ParseTimestamp("2026-01-01T02:00:00+02:00"), 1767225600000);
  EXPECT_EQ(ParseTimestamp("1969-12-31T23:59:59.999-00:00"), -1);
  EXPECT_EQ(ParseTimestamp("2000-03-01t00:00:00.123456z"), 951868800123);
}

TEST(ParseTimestampTest, RejectsMalformedDates) {
  using internal::ParseTimestamp;
  for (const char* text : {"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                           "2026-01-01T24:00:00Z", "2026-01-01T00:00:00", "2026-01-01",
                           "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+2:00", "2026-1-01T00:00:00Z",
                           "2026-01-01T00:00:00Zx", ""}) {
    EXPECT_EQ(ParseTimestamp(text), std::nullopt) << text;
  }
}

TEST(TypeTableTest, InternsAndPrints) {
  Program p;
  TypeTable& types = p.types;
  EXPECT_EQ(types.SetOf(TypeTable::Int()), types.SetOf(TypeTable::Int()));
  Type a = types.Record({{"b", TypeTable::Int(), false}, {"a", TypeTable::String(), true}});
  Type b = types.Record({{"a", TypeTable::String(), true}, {"b", TypeTable::Int(), false}});
  EXPECT_EQ(a, b);
  EXPECT_EQ(p.TypeName(a), "{a?: string, b: int}");
  EXPECT_EQ(p.TypeName(types.SetOf(types.MoneyIn("USD"))), "set<money>");
  EXPECT_TRUE(types.Compatible(types.MoneyIn("USD"), TypeTable::Money()));
  EXPECT_FALSE(types.Compatible(types.MoneyIn("USD"), types.MoneyIn("EUR")));
  EXPECT_TRUE(types.Compatible(TypeTable::Error(), types.SetOf(TypeTable::Bool())));
  EXPECT_EQ(types.Join(TypeTable::Money(), types.MoneyIn("USD")), types.MoneyIn("USD"));
  EXPECT_EQ(types.Join(types.SetOf(TypeTable::Error()), types.SetOf(TypeTable::Int())),
            types.SetOf(TypeTable::Int()));
}

TEST(StdlibDeclarationsTest, EveryModuleDeclaresItsMembersAndTypes) {
  for (const stdlib::Module& module : stdlib::Modules()) {
    EXPECT_FALSE(stdlib::MemberNames(module.path).empty()) << module.path;
  }
  for (const stdlib::Function& function : stdlib::Functions()) {
    EXPECT_NE(stdlib::FindModule(function.module), nullptr) << function.name;
    EXPECT_FALSE(function.doc.empty()) << function.name;
    std::vector<stdlib::TypeSpec> specs = {function.result};
    for (const stdlib::Param& param : function.params) specs.push_back(param.type);
    for (const stdlib::TypeSpec& spec : specs) {
      if (spec.base == stdlib::BaseType::kEnum) {
        EXPECT_TRUE(stdlib::FindEnum(function.module, spec.enum_name).has_value()) << function.name;
      }
    }
  }
  for (const stdlib::Constant& constant : stdlib::Constants()) {
    auto e = stdlib::FindEnum(constant.module, constant.enum_name);
    ASSERT_TRUE(e.has_value()) << constant.name;
    const auto& members = stdlib::Enums()[*e].members;
    EXPECT_NE(std::find(members.begin(), members.end(), constant.name), members.end());
  }
  EXPECT_TRUE(stdlib::FindConstant("std.pii", "card").has_value());
  EXPECT_TRUE(stdlib::FindFunction("std.sql", "has_unbounded_write").has_value());
  EXPECT_FALSE(stdlib::FindFunction("std.sql", "nope").has_value());
}

}  // namespace
}  // namespace writ::check
