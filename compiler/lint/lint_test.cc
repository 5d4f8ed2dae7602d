// Unit tests of the linter: the catalogue agrees with kinds.def, and the condition reasoning
// handles the edges a golden file would not show (bounds at the ends of int64, negation,
// disjunctions, several currencies). tests/lint/ holds a golden case for every rule.
#include "compiler/lint/lint.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/driver/driver.h"
#include "compiler/lint/config.h"

namespace writ::lint {
namespace {

// The codes Lint reports for one policy file, which must check clean.
std::vector<std::string> Codes(const std::string& text) {
  driver::Compilation c;
  std::vector<std::pair<std::string, std::string>> sources = {{"t.writ", text}};
  driver::CompileSources(sources, c);
  EXPECT_FALSE(c.diagnostics.has_errors()) << text;
  if (c.program == nullptr || c.diagnostics.has_errors()) return {"<check failed>"};
  diag::Collector findings;
  Lint(*c.program, c.files, findings);
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : findings.diagnostics()) out.push_back(std::string(d.info().id));
  return out;
}

// A policy with one permit whose condition is `condition`, and nothing else to report.
std::vector<std::string> ConditionCodes(const std::string& condition) {
  return Codes("package t\n"
               "tool shop.buy(price: money, count: int, note: string, wait: duration)\n"
               "permit call shop.buy when " + condition + "\n"
               "limit spend shop.buy.price per task <= 100 USD\n");
}

const std::vector<std::string> kContradiction = {"L0001"};
const std::vector<std::string> kNothing = {};

TEST(Catalogue, EveryLintKindHasARuleAndEveryRuleALintKind) {
  std::set<std::string> kinds;
  for (const diag::KindInfo& kind : diag::AllKinds()) {
    if (kind.id.front() == 'L') kinds.insert(std::string(kind.id));
  }
  std::set<std::string> rules;
  std::string previous;
  for (const RuleInfo& rule : Rules()) {
    std::string id(diag::Info(rule.code).id);
    EXPECT_EQ(id.front(), 'L') << id;
    EXPECT_LT(previous, id) << "the catalogue is in code order";
    EXPECT_FALSE(rule.title.empty()) << id;
    EXPECT_GT(rule.rationale.size(), 40u) << id;
    EXPECT_EQ(FindRule(rule.code), &rule);
    rules.insert(id);
    previous = id;
  }
  EXPECT_EQ(kinds, rules);
  EXPECT_EQ(SarifHelp().size(), Rules().size());
  EXPECT_EQ(FindRule(diag::Code::kUnknownName), nullptr);
}

TEST(Conditions, IntervalsOfOneOperand) {
  EXPECT_EQ(ConditionCodes("args.count > 5 and args.count < 3"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.count > 5 and args.count < 7"), kNothing);
  EXPECT_EQ(ConditionCodes("args.count > 5 and args.count < 6"), kContradiction);  // ints
  EXPECT_EQ(ConditionCodes("args.count >= 5 and args.count <= 5"), kNothing);
  EXPECT_EQ(ConditionCodes("args.count >= 5 and args.count <= 5 and args.count != 5"), kContradiction);
  EXPECT_EQ(ConditionCodes("3 > args.count and args.count > 5"), kContradiction);  // mirrored
  EXPECT_EQ(ConditionCodes("args.count == 2 and args.count == 3"), kContradiction);
}

TEST(Conditions, MoneyDurationsAndStrings) {
  EXPECT_EQ(ConditionCodes("args.price > 100 USD and args.price < 50 USD"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.price > 0.0001 USD and args.price < 0.0002 USD"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.price > 0.0001 USD and args.price < 0.0003 USD"), kNothing);
  EXPECT_EQ(ConditionCodes("args.wait > 1h and args.wait < 30m"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.note == \"a\" and args.note == \"b\""), kContradiction);
  EXPECT_EQ(ConditionCodes("args.note == \"a\" and args.note != \"a\""), kContradiction);
  EXPECT_EQ(ConditionCodes("args.note != \"a\" and args.note != \"b\""), kNothing);
}

TEST(Conditions, NegationAndDisjunction) {
  EXPECT_EQ(ConditionCodes("not (args.count <= 5) and args.count < 3"), kContradiction);
  EXPECT_EQ(ConditionCodes("not (args.count > 5 or args.count < 10)"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.count > 5 and (args.count < 3 or args.count < 1)"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.count > 5 and (args.count < 3 or args.count > 8)"), kNothing);
  EXPECT_EQ(ConditionCodes("args.count > 5 or args.count < 3"), kNothing);
  EXPECT_EQ(ConditionCodes("false or args.count > 1"), kNothing);
  EXPECT_EQ(ConditionCodes("args.count > 1 and false"), kContradiction);
}

TEST(Conditions, ConstantsAndEdges) {
  EXPECT_EQ(ConditionCodes("1 > 2"), kContradiction);
  // A constant part that always holds adds nothing to the rest (L0013).
  EXPECT_EQ(ConditionCodes("2 > 1 and args.count > 0"), std::vector<std::string>{"L0013"});
  EXPECT_EQ(ConditionCodes("args.count > 9223372036854775807"), kContradiction);
  EXPECT_EQ(ConditionCodes("args.count >= 9223372036854775807"), kNothing);
  EXPECT_EQ(ConditionCodes("args.count > 2 * 3 and args.count < 6"), kContradiction);  // folded
  // Different operands never contradict each other.
  EXPECT_EQ(ConditionCodes("args.count > 5 and session.tool_calls < 3"), kNothing);
}

TEST(Ttl, ThresholdIsAnOption) {
  const std::string policy =
      "package t\n"
      "agent Bot { credentials { erp: [\"r\"] ttl 2h } }\n"
      "tool erp.read(id: string)\n"
      "permit call erp.read for Bot grant erp\n"
      "budget tokens per task 1000\n";
  EXPECT_EQ(Codes(policy), std::vector<std::string>{"L0008"});
  driver::Compilation c;
  std::vector<std::pair<std::string, std::string>> sources = {{"t.writ", policy}};
  driver::CompileSources(sources, c);
  diag::Collector findings;
  Lint(*c.program, c.files, findings, Options{.max_credential_ttl_millis = 3 * 3600 * 1000});
  EXPECT_TRUE(findings.diagnostics().empty());
}

TEST(Levels, OffDropsAndErrorRelevels) {
  const std::string policy =
      "package t\n"
      "import std.sql\n"
      "tool db.query(sql: string)\n"
      "permit call db.query\n";
  driver::Compilation c;
  std::vector<std::pair<std::string, std::string>> sources = {{"t.writ", policy}};
  driver::CompileSources(sources, c);
  Options options;
  options.levels[diag::Code::kUnusedImport] = Level::kError;
  diag::Collector findings;
  Lint(*c.program, c.files, findings, options);
  ASSERT_EQ(findings.diagnostics().size(), 1u);
  EXPECT_EQ(findings.diagnostics()[0].severity, diag::Severity::kError);
  options.levels[diag::Code::kUnusedImport] = Level::kOff;
  diag::Collector none;
  Lint(*c.program, c.files, none, options);
  EXPECT_TRUE(none.diagnostics().empty());
}

TEST(Config, ReadsLevelsAndThresholds) {
  Options options;
  EXPECT_FALSE(ParseConfig(R"({"rules": {"L0004": "off", "naming-convention": "error"},
                              "max_credential_ttl": "1h30m"})", options));
  EXPECT_EQ(options.levels[diag::Code::kWildcardPermit], Level::kOff);
  EXPECT_EQ(options.levels[diag::Code::kNamingConvention], Level::kError);
  EXPECT_EQ(options.max_credential_ttl_millis, 90 * 60 * 1000);
}

TEST(Config, ErrorsSayWhere) {
  Options options;
  std::optional<ConfigError> syntax = ParseConfig("{\n  \"rules\": {,\n}", options);
  ASSERT_TRUE(syntax);
  EXPECT_EQ(syntax->line, 2u);
  EXPECT_NE(syntax->message.find("invalid JSON"), std::string::npos) << syntax->message;
  std::optional<ConfigError> rule = ParseConfig("{\n\"rules\": {\"L9999\": \"off\"}}", options);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->line, 2u);
  EXPECT_EQ(rule->column, 11u);
  EXPECT_NE(rule->message.find("not a lint rule"), std::string::npos);
  EXPECT_TRUE(ParseConfig(R"({"rules": {"L0004": "loud"}})", options));
  EXPECT_TRUE(ParseConfig(R"({"max_credential_ttl": "0s"})", options));
  EXPECT_TRUE(ParseConfig(R"({"colour": 1})", options));
  EXPECT_TRUE(ParseConfig("[]", options));
}

}  // namespace
}  // namespace writ::lint
