#include "runtime/interpreter.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

using Json = nlohmann::json;

constexpr const char* kPolicy = R"(package t

import std.pii

entity Org
entity Team in Org
entity User in Team { authority: money, manager: User }

agent Bot {
  acts_for: User
  credentials {
    api: ["read", "write"] ttl 15m
  }
}

agent Other { x: int }

tool pay.send(amount: money, to: string, count?: int)
tool db.query(sql: string) -> { rows: int, notes: string }
tool mail.send(body: string)
tool locked.open(door: string)

send: permit call pay.send for Bot grant api ["read"] ttl 5m
  warn "payments are logged"

blocked: forbid call pay.send when args.to == "mallory" because "mallory is blocked"

big: require_approval call pay.send for Bot when args.amount > 1000 USD
  because "big payments need the manager" by principal.acts_for.manager timeout 2h

bigger: require_approval call pay.send when args.amount > 5000 USD
  because "bigger payments need finance" by "finance" timeout 1h

night: soft forbid call pay.send when args.to == "night" because "after hours"

peek: advisory forbid call pay.send when args.to == "peek" because "worth a look"

cap: shadow forbid call pay.send when args.amount > 500 USD because "proposed cap"

broken: forbid call pay.send when args has count and 10 / (args.count - args.count) > 1
  because "division by zero fails closed"

currency: require_approval call pay.send when args.to == "euro" and args.amount > 1 EUR
  because "euro payments" by "treasury" timeout 4h

team: forbid call pay.send for Bot when principal.acts_for in Org::"sanctioned"
  because "the team is sanctioned"

query: permit call db.query

other_big: require_approval call pay.send for Other when args.amount > 1000 USD
  because "others need finance" by "finance" timeout 1h

rows: forbid result db.query when result.rows > 100 because "too many rows"

other_permit: permit call mail.send for Bot when principal.acts_for.authority * 9223372036854775807 > 1 USD

mail: permit call mail.send

output mail.send.body {
  forbid pii.card because "no card numbers"
  redact pii.email
}

per_call: limit spend pay.send.amount per call <= principal.acts_for.authority for Bot
  because "over the user's limit"

per_task: limit spend pay.send.amount per task <= 10000 USD because "task spend cap"

pacing: rate pay.send 3 per 1m because "three payments a minute"

pool vault 2 calls locked.open

tokens: budget tokens per task 1000 warn at 50%, 80% because "token budget"
)";

const ir::Policy& Policy() {
  static const std::unique_ptr<ir::Policy> policy = [] {
    std::string errors;
    auto result = testing::CompilePolicy(kPolicy, &errors);
    EXPECT_NE(result, nullptr) << errors;
    return result;
  }();
  return *policy;
}

Json Request(const std::string& tool, Json args) {
  Json json = Json::parse(R"({
    "version": 1, "phase": "call",
    "principal": { "type": "t.Bot", "id": "bot" },
    "entities": [
      { "type": "t.Bot", "id": "bot", "attrs": { "acts_for": { "type": "t.User", "id": "alice" } } },
      { "type": "t.User", "id": "alice",
        "attrs": { "authority": "2000 USD", "manager": { "type": "t.User", "id": "bob" } },
        "parents": [ { "type": "t.Team", "id": "ops" } ] },
      { "type": "t.User", "id": "bob",
        "attrs": { "authority": "9000 USD", "manager": { "type": "t.User", "id": "bob" } } },
      { "type": "t.Team", "id": "ops", "parents": [ { "type": "t.Org", "id": "all" } ] },
      { "type": "t.Org", "id": "all" },
      { "type": "t.Org", "id": "sanctioned" }
    ],
    "session": { "now": "2026-11-26T10:30:00Z" }
  })");
  json["tool"] = tool;
  json["args"] = std::move(args);
  return json;
}

Json Pay(const std::string& amount, const std::string& to = "acme") {
  return Request("pay.send", {{"amount", amount}, {"to", to}});
}

Decision Decide(const Json& json) {
  DecodeResult decoded = DecodeRequest(Policy(), json.dump());
  if (!decoded.ok()) {
    ADD_FAILURE() << decoded.errors[0].code << " " << decoded.errors[0].path << ": "
                  << decoded.errors[0].message;
    return RequestErrorDecision(decoded.errors);
  }
  Interpreter interpreter(Policy(), {.clock = [] { return int64_t{1795689000000}; }});
  return interpreter.Evaluate(*decoded.request);
}

std::vector<std::string> ReasonRules(const Decision& decision) {
  std::vector<std::string> rules;
  for (const Reason& reason : decision.reasons) rules.push_back(reason.rule);
  return rules;
}

using Rules = std::vector<std::string>;

TEST(InterpreterTest, PermitAllowsWithObligations) {
  Decision d = Decide(Pay("100 USD"));
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  EXPECT_EQ(ReasonRules(d), Rules{"send"});
  ASSERT_EQ(d.obligations.grants.size(), 1u);
  EXPECT_EQ(d.obligations.grants[0].credential, "api");
  EXPECT_EQ(d.obligations.grants[0].scopes, std::vector<std::string>{"read"});
  EXPECT_EQ(d.obligations.grants[0].ttl_millis, 5 * 60 * 1000);
  ASSERT_EQ(d.obligations.charges.size(), 1u);
  EXPECT_EQ(d.obligations.charges[0].limit, "per_task");
  EXPECT_EQ(d.obligations.warnings, std::vector<std::string>{"payments are logged"});
  EXPECT_TRUE(d.errors.empty());
  EXPECT_EQ(d.matched, Rules{"send"});
}

TEST(InterpreterTest, DefaultDeny) {
  Decision d = Decide(Request("locked.open", {{"door", "front"}}));
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0].rule, "");
  EXPECT_EQ(d.reasons[0].message, "no rule permits this call");
}

TEST(InterpreterTest, ForbidOverridesPermitAndApproval) {
  Decision d = Decide(Pay("1500 USD", "mallory"));
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"blocked"});
  EXPECT_TRUE(d.obligations.grants.empty());
  EXPECT_TRUE(d.obligations.charges.empty());
  EXPECT_EQ(d.matched, (Rules{"send", "blocked", "big"}));
}

TEST(InterpreterTest, ApprovalOverridesPermit) {
  Decision d = Decide(Pay("1500 USD"));
  EXPECT_EQ(d.effect, DecisionEffect::kApprovalRequired);
  EXPECT_EQ(ReasonRules(d), Rules{"big"});
  ASSERT_TRUE(d.approval.has_value());
  ASSERT_EQ(d.approval->approvers.size(), 1u);
  EXPECT_EQ(d.approval->approvers[0].value.text, "bob");
  EXPECT_EQ(d.approval->timeout_millis, 2 * 3600 * 1000);
  EXPECT_EQ(d.obligations.grants.size(), 1u);  // kept, to apply once approved
}

TEST(InterpreterTest, ApprovalAloneDoesNotPermit) {
  Json json = Pay("1500 USD");
  json["principal"] = {{"type", "t.Other"}, {"id", "o"}};
  json["entities"].push_back({{"type", "t.Other"}, {"id", "o"}, {"attrs", {{"x", 1}}}});
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(d.reasons[0].message, "no rule permits this call");
  EXPECT_EQ(d.matched, Rules{"other_big"});
}

TEST(InterpreterTest, SoftForbidAsksForApproval) {
  Decision d = Decide(Pay("100 USD", "night"));
  EXPECT_EQ(d.effect, DecisionEffect::kApprovalRequired);
  EXPECT_EQ(d.enforcement, ir::Enforcement::kSoft);
  EXPECT_EQ(ReasonRules(d), Rules{"night"});
}

TEST(InterpreterTest, AdvisoryForbidOnlyWarns) {
  Decision d = Decide(Pay("100 USD", "peek"));
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  EXPECT_NE(std::find(d.obligations.warnings.begin(), d.obligations.warnings.end(), "worth a look"),
            d.obligations.warnings.end());
}

TEST(InterpreterTest, ShadowIsKeptApart) {
  Decision d = Decide(Pay("600 USD"));
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  ASSERT_EQ(d.shadow.size(), 1u);
  EXPECT_EQ(d.shadow[0].rule, "cap");
  EXPECT_EQ(d.shadow[0].effect, DecisionEffect::kDeny);
  EXPECT_EQ(d.matched, Rules{"send"});
}

TEST(InterpreterTest, FailingForbidMatches) {
  Json json = Pay("100 USD");
  json["args"]["count"] = 3;
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"broken"});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].rule, "broken");
  EXPECT_EQ(d.errors[0].code, "eval.division_by_zero");
  EXPECT_NE(d.errors[0].location.find("test.writ:"), std::string::npos);
}

TEST(InterpreterTest, FailingApprovalConditionMatches) {
  Decision d = Decide(Pay("2 USD", "euro"));
  EXPECT_EQ(d.effect, DecisionEffect::kApprovalRequired);
  EXPECT_EQ(ReasonRules(d), Rules{"currency"});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].code, "eval.currency");
  EXPECT_EQ(d.errors[0].rule, "currency");
}

TEST(InterpreterTest, FailingPermitDoesNotMatch) {
  Decision d = Decide(Request("mail.send", {{"body", "hello"}}));
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  EXPECT_EQ(ReasonRules(d), Rules{"mail"});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].rule, "other_permit");
}

TEST(InterpreterTest, HierarchyMembership) {
  Json json = Pay("100 USD");
  json["entities"][3]["parents"].push_back({{"type", "t.Org"}, {"id", "sanctioned"}});
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"team"});
}

TEST(InterpreterTest, SpendingLimits) {
  Decision d = Decide(Pay("2500 USD"));
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"per_call"});

  Json json = Pay("100 USD");
  json["counters"] = {{"spend", {{"per_task", "9950 USD"}}}};
  d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"per_task"});
}

TEST(InterpreterTest, RateLimit) {
  Json json = Pay("100 USD");
  json["counters"] = {{"calls_in_window", {{"pacing", 2}}}};
  EXPECT_EQ(Decide(json).effect, DecisionEffect::kAllow);
  json["counters"] = {{"calls_in_window", {{"pacing", 3}}}};
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"pacing"});
}

TEST(InterpreterTest, PoolFull) {
  Json json = Request("locked.open", {{"door", "front"}});
  json["counters"] = {{"pools", {{"vault", 2}}}};
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"vault"});
  EXPECT_EQ(d.reasons[0].message, "pool vault is full");
}

TEST(InterpreterTest, BudgetWarnsThenDenies) {
  Json json = Pay("100 USD");
  json["session"]["tokens_used"] = 850;
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  EXPECT_NE(std::find(d.obligations.warnings.begin(), d.obligations.warnings.end(),
                      "tokens budget at 80%"),
            d.obligations.warnings.end());
  json["session"]["tokens_used"] = 1000;
  d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"tokens"});
}

TEST(InterpreterTest, ResultPhaseReleasesByDefault) {
  Json json = Request("db.query", {{"sql", "select 1"}});
  json["phase"] = "result";
  json["result"] = {{"rows", 5}, {"notes", ""}};
  EXPECT_EQ(Decide(json).effect, DecisionEffect::kAllow);
  json["result"]["rows"] = 500;
  Decision d = Decide(json);
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(ReasonRules(d), Rules{"rows"});
}

TEST(InterpreterTest, OutputRules) {
  Decision d = Decide(Request("mail.send", {{"body", "write to alice@example.com"}}));
  EXPECT_EQ(d.effect, DecisionEffect::kAllow);
  ASSERT_EQ(d.obligations.redactions.size(), 1u);
  EXPECT_EQ(d.obligations.redactions[0].detector, "email");
  EXPECT_EQ(d.obligations.redactions[0].start, 9u);
  d = Decide(Request("mail.send", {{"body", "card 4111 1111 1111 1111"}}));
  EXPECT_EQ(d.effect, DecisionEffect::kDeny);
  EXPECT_EQ(d.reasons[0].message, "no card numbers");
}

TEST(InterpreterTest, EncodesTheDecision) {
  Decision d = Decide(Pay("1500 USD"));
  Json json = Json::parse(EncodeDecision(Policy(), d));
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["effect"], "approval_required");
  EXPECT_EQ(json["approval"]["approvers"][0], (Json{{"type", "t.User"}, {"id", "bob"}}));
  EXPECT_EQ(json["approval"]["timeout"], "2h");
  EXPECT_EQ(json["obligations"]["charges"][0]["amount"], "1500 USD");
  EXPECT_EQ(json["enforcement"], "hard");
  EXPECT_EQ(json["reasons"][0]["rule"], "big");
}

TEST(InterpreterTest, EncodesRequestErrors) {
  DecodeResult decoded = DecodeRequest(Policy(), "{\"version\": 1}");
  ASSERT_FALSE(decoded.ok());
  Json json = Json::parse(EncodeDecision(Policy(), RequestErrorDecision(decoded.errors)));
  EXPECT_EQ(json["effect"], "deny");
  EXPECT_EQ(json["errors"][0]["code"], "request.missing");
  EXPECT_TRUE(json["errors"][0].contains("path"));
  EXPECT_FALSE(json["errors"][0].contains("rule"));
}

// Expressions: quantifiers, money arithmetic and overflow, time, sets and session facts.
constexpr const char* kExprPolicy = R"(package e

import std.time
import std.text

agent Bot { tags: set<string> }

tool x.run(n: int, items: set<string>, price: money, fee: money, at?: timestamp)

go: permit call x.run

no_bad_item: forbid call x.run when any i in args.items: text.starts_with(i, "bad")
  because "a bad item"

all_short: forbid call x.run when args.n == 1 and all i in args.items: text.length(i) < 3
  because "all items are short"

total: forbid call x.run when args.price + args.fee > 100 USD because "too expensive"

scaled: forbid call x.run when args.price * args.n > 1000000 USD because "scaled too far"

late: forbid call x.run when args has at and args.at - session.now > 1h
  because "scheduled too far ahead"

night: forbid call x.run when time.hour(session.now) >= 22 because "not at night"

busy: forbid call x.run when session.calls_in(1m) >= 5 because "busy"

rate x.run 100 per 1m

tagged: forbid call x.run when "blocked" in principal.tags because "the bot is blocked"

old: forbid call x.run when session.elapsed > 8h because "the task is too old"
)";

const ir::Policy& ExprPolicy() {
  static const std::unique_ptr<ir::Policy> policy = [] {
    std::string errors;
    auto result = testing::CompilePolicy(kExprPolicy, &errors);
    EXPECT_NE(result, nullptr) << errors;
    return result;
  }();
  return *policy;
}

Decision DecideExpr(Json args, Json session = Json::object(), Json counters = Json::object(),
                    Json tags = Json::array()) {
  Json json = {{"version", 1},
               {"tool", "x.run"},
               {"phase", "call"},
               {"principal", {{"type", "e.Bot"}, {"id", "b"}}},
               {"entities", {{{"type", "e.Bot"}, {"id", "b"}, {"attrs", {{"tags", tags}}}}}},
               {"args", std::move(args)},
               {"session", std::move(session)},
               {"counters", std::move(counters)}};
  if (!json["session"].contains("now")) json["session"]["now"] = "2026-11-26T10:30:00Z";
  DecodeResult decoded = DecodeRequest(ExprPolicy(), json.dump());
  if (!decoded.ok()) {
    ADD_FAILURE() << decoded.errors[0].code << " " << decoded.errors[0].path << ": "
                  << decoded.errors[0].message;
    return RequestErrorDecision(decoded.errors);
  }
  return Interpreter(ExprPolicy()).Evaluate(*decoded.request);
}

Json Args(int64_t n, Json items, const std::string& price = "10 USD",
          const std::string& fee = "1 USD") {
  return {{"n", n}, {"items", std::move(items)}, {"price", price}, {"fee", fee}};
}

TEST(InterpreterExprTest, Quantifiers) {
  EXPECT_EQ(DecideExpr(Args(2, {"apple", "pear"})).effect, DecisionEffect::kAllow);
  Decision d = DecideExpr(Args(2, {"apple", "bad pear"}));
  EXPECT_EQ(ReasonRules(d), Rules{"no_bad_item"});
  d = DecideExpr(Args(1, {"ab", "cd"}));
  EXPECT_EQ(ReasonRules(d), Rules{"all_short"});
  EXPECT_EQ(DecideExpr(Args(1, {"ab", "long"})).effect, DecisionEffect::kAllow);
  // `all` over the empty set holds.
  EXPECT_EQ(ReasonRules(DecideExpr(Args(1, Json::array()))), Rules{"all_short"});
}

TEST(InterpreterExprTest, MoneyArithmetic) {
  EXPECT_EQ(ReasonRules(DecideExpr(Args(2, {"apple"}, "99.50 USD", "0.51 USD"))), Rules{"total"});
  EXPECT_EQ(DecideExpr(Args(2, {"apple"}, "99.49 USD", "0.51 USD")).effect, DecisionEffect::kAllow);
  // Two currencies in one sum: the forbid fails closed.
  Decision d = DecideExpr(Args(2, {"apple"}, "10 USD", "1 EUR"));
  EXPECT_EQ(ReasonRules(d), Rules{"total"});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].code, "eval.currency");
  // Overflow of money times int fails closed too.
  d = DecideExpr(Args(int64_t{1} << 62, {"apple"}, "1 USD"));
  EXPECT_EQ(ReasonRules(d), Rules{"scaled"});
  ASSERT_EQ(d.errors.size(), 1u);
  EXPECT_EQ(d.errors[0].code, "eval.overflow");
}

TEST(InterpreterExprTest, TimeAndSession) {
  Json args = Args(2, {"apple"});
  args["at"] = "2026-11-26T11:00:00Z";
  EXPECT_EQ(DecideExpr(args).effect, DecisionEffect::kAllow);
  args["at"] = "2026-11-26T12:00:00+01:00";  // 11:00Z
  EXPECT_EQ(DecideExpr(args).effect, DecisionEffect::kAllow);
  args["at"] = "2026-11-26T13:00:00Z";
  EXPECT_EQ(ReasonRules(DecideExpr(args)), Rules{"late"});
  EXPECT_EQ(ReasonRules(DecideExpr(Args(2, {"a1"}), {{"now", "2026-11-26T22:15:00Z"}})),
            Rules{"night"});
  EXPECT_EQ(ReasonRules(DecideExpr(Args(2, {"a1"}), {{"started_at", "2026-11-26T01:00:00Z"}})),
            Rules{"old"});
}

TEST(InterpreterExprTest, CallsInWindowAndSetMembership) {
  std::string rate_id;
  for (const ir::Rate& rate : ExprPolicy().rates) rate_id = rate.head.id;
  EXPECT_EQ(
      DecideExpr(Args(2, {"a1"}), Json::object(), {{"calls_in_window", {{rate_id, 4}}}}).effect,
      DecisionEffect::kAllow);
  EXPECT_EQ(ReasonRules(
                DecideExpr(Args(2, {"a1"}), Json::object(), {{"calls_in_window", {{rate_id, 5}}}})),
            Rules{"busy"});
  EXPECT_EQ(
      ReasonRules(DecideExpr(Args(2, {"a1"}), Json::object(), Json::object(), {"x", "blocked"})),
      Rules{"tagged"});
}

}  // namespace
}  // namespace writ::runtime
