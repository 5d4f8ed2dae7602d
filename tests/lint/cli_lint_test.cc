// `writ lint` end to end: exit codes, the failing severity, output formats and SARIF rule
// metadata from the lint catalogue.
#include <filesystem>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
namespace fs = std::filesystem;

// Checks clean and lints clean.
constexpr char kClean[] = R"(package shop

tool shop.buy(price: money)

permit call shop.buy when args.price < 100 USD

limit spend shop.buy.price per task <= 500 USD
)";

// Checks clean; one L0001 finding (a permit that can never match).
constexpr char kContradiction[] = R"(package shop

tool shop.buy(price: money)

permit call shop.buy when args.price > 100 USD and args.price < 50 USD

limit spend shop.buy.price per task <= 500 USD
)";

constexpr char kTypeError[] = R"(package shop

tool shop.buy(price: money)

permit call shop.buy when args.price > 100
)";

class LintCliTest : public CliTest {};

TEST_F(LintCliTest, CleanPoliciesExitZero) {
  Write("clean.writ", kClean);
  Result r = Run({"lint", "clean.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("linted 1 file: no findings"));
}

TEST_F(LintCliTest, WarningsFailUnlessFailOnError) {
  Write("bad.writ", kContradiction);
  Result r = Run({"lint", "--color", "never", "bad.writ"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.err, HasSubstr("warning[L0001]: this condition can never hold: "
                               "`args.price > 100 USD` and `args.price < 50 USD` cannot both be true"));
  EXPECT_THAT(r.err, HasSubstr("bad.writ:5:27"));
  EXPECT_THAT(r.err, HasSubstr("warning: 1 warning in 1 file"));

  Result lenient = Run({"lint", "--fail-on", "error", "bad.writ"});
  EXPECT_EQ(lenient.exit, 0) << lenient.err;
  EXPECT_THAT(lenient.err, HasSubstr("L0001"));
}

TEST_F(LintCliTest, PolicyErrorsAndUsageErrorsExitTwo) {
  Write("broken.writ", kTypeError);
  Result broken = Run({"lint", "broken.writ"});
  EXPECT_EQ(broken.exit, 2);
  EXPECT_THAT(broken.err, HasSubstr("error[W0316]"));
  EXPECT_THAT(broken.err, HasSubstr("before linting"));

  EXPECT_EQ(Run({"lint", "missing.writ"}).exit, 2);
  EXPECT_EQ(Run({"lint"}).exit, 2);
  Write("clean.writ", kClean);
  EXPECT_EQ(Run({"lint", "--fail-on", "note", "clean.writ"}).exit, 2);
}

TEST_F(LintCliTest, ReadsStandardInput) {
  Result r = Run({"lint", "--format", "json", "-"}, kContradiction);
  EXPECT_EQ(r.exit, 1);
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["code"], "L0001");
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "warning");
  EXPECT_EQ(doc["summary"]["warnings"], 1);
}

TEST_F(LintCliTest, SarifCarriesTheCatalogue) {
  Write("bad.writ", kContradiction);
  Result r = Run({"lint", "--format", "sarif", "bad.writ"});
  EXPECT_EQ(r.exit, 1);
  json log = json::parse(r.out);
  EXPECT_EQ(log["version"], "2.1.0");
  const json& run = log["runs"][0];
  const json& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(run["results"].size(), 1u);
  const json& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "L0001");
  EXPECT_EQ(result["level"], "warning");
  const json& rule = rules[result["ruleIndex"].get<size_t>()];
  EXPECT_EQ(rule["id"], "L0001");
  EXPECT_EQ(rule["properties"]["tags"][0], "correctness");
  EXPECT_THAT(rule["fullDescription"]["text"].get<std::string>(), HasSubstr("can never be true"));
  EXPECT_EQ(rule["help"]["text"], rule["fullDescription"]["text"]);
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.writ");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
  // Every lint rule is described, checker kinds are not.
  int described = 0;
  for (const json& r2 : rules) {
    bool lint = r2["id"].get<std::string>().front() == 'L';
    EXPECT_EQ(r2.contains("fullDescription"), lint) << r2["id"];
    described += lint;
  }
  EXPECT_GE(described, 23);
}

TEST_F(LintCliTest, HelpListsTheExitCodes) {
  Result r = Run({"lint", "--help"});
  EXPECT_EQ(r.exit, 0);
  EXPECT_THAT(r.out, HasSubstr("--fail-on"));
  EXPECT_THAT(r.out, HasSubstr("1  findings at or above the --fail-on severity"));
  EXPECT_THAT(r.out, HasSubstr("docs/lint.md"));
}

// Checks clean; L0010 (an unused import, fixable) and L0019 (a name).
constexpr char kUntidy[] = R"(package shop

import std.sql

import std.text

tool shop.buy(price: money, itemName: string)

permit call shop.buy when text.length(args.itemName) < 10

limit spend shop.buy.price per task <= 500 USD
)";

TEST_F(LintCliTest, ConfigurationTurnsOffAndRelevels) {
  Write("shop.writ", kUntidy);
  Result before = Run({"lint", "--format", "json", "shop.writ"});
  EXPECT_EQ(before.exit, 1);
  EXPECT_EQ(json::parse(before.out)["diagnostics"].size(), 2u);

  // Found by walking up from the PATH's folder.
  Write(".writ-lint.json", R"({"rules": {"naming-convention": "off", "L0010": "error"}})");
  Result configured = Run({"lint", "--format", "json", "shop.writ"});
  EXPECT_EQ(configured.exit, 1);
  json doc = json::parse(configured.out);
  ASSERT_EQ(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["code"], "L0010");
  EXPECT_EQ(doc["diagnostics"][0]["severity"], "error");

  Write("lenient.json", R"({"rules": {"L0010": "warning", "L0019": "warning"}})");
  Result lenient = Run({"lint", "--config", "lenient.json", "--fail-on", "error", "shop.writ"});
  EXPECT_EQ(lenient.exit, 0) << lenient.err;
}

TEST_F(LintCliTest, BadConfigurationIsAUsageErrorWithItsPlace) {
  Write("shop.writ", kUntidy);
  Write("bad.json", "{\n  \"rules\": {\"L9999\": \"off\"}\n}\n");
  Result unknown = Run({"lint", "--config", "bad.json", "shop.writ"});
  EXPECT_EQ(unknown.exit, 2);
  EXPECT_THAT(unknown.err, HasSubstr("bad.json:2:13: `L9999` is not a lint rule"));

  Write("syntax.json", "{\"rules\": {\"L0004\": off}}");
  Result syntax = Run({"lint", "--config", "syntax.json", "shop.writ"});
  EXPECT_EQ(syntax.exit, 2);
  EXPECT_THAT(syntax.err, HasSubstr("syntax.json:1:"));
  EXPECT_THAT(syntax.err, HasSubstr("invalid JSON"));

  Write("ttl.json", R"({"max_credential_ttl": "forever"})");
  EXPECT_EQ(Run({"lint", "--config", "ttl.json", "shop.writ"}).exit, 2);
  EXPECT_EQ(Run({"lint", "--config", "missing.json", "shop.writ"}).exit, 2);
}

TEST_F(LintCliTest, ThresholdFromConfiguration) {
  Write("deploy.writ", R"(package deploys

agent Deployer {
  credentials {
    github: ["repo.write"] ttl 2h
  }
}

tool deploy.run(service: string)

permit call deploy.run for Deployer grant github

budget tokens per task 1000
)");
  EXPECT_EQ(Run({"lint", "deploy.writ"}).exit, 1);
  Write(".writ-lint.json", R"({"max_credential_ttl": "3h"})");
  Result r = Run({"lint", "deploy.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
}

TEST_F(LintCliTest, SuppressionsNeedAJustification) {
  std::string policy = kUntidy;
  std::string justified = "// writ-lint: allow L0010, L0019 -- the import is for the next rule\n";
  Write("shop.writ", policy.replace(policy.find("import std.sql"), 0, justified));
  Result ok = Run({"lint", "--format", "json", "shop.writ"});
  json doc = json::parse(ok.out);
  ASSERT_EQ(doc["diagnostics"].size(), 2u) << ok.out;
  // L0019 names nothing in the import, so that part of the suppression is stale.
  EXPECT_EQ(doc["diagnostics"][0]["code"], "L0023");
  EXPECT_EQ(doc["diagnostics"][1]["code"], "L0019");

  std::string bare = kUntidy;
  Write("shop.writ", bare.replace(bare.find("import std.sql"), 0, "// writ-lint: allow L0010\n"));
  Result unjustified = Run({"lint", "--color", "never", "shop.writ"});
  EXPECT_EQ(unjustified.exit, 1);
  EXPECT_THAT(unjustified.err, HasSubstr("error[L0022]: this suppression has no justification"));
  EXPECT_THAT(unjustified.err, HasSubstr("L0010"));
}

TEST_F(LintCliTest, FixRemovesTheUnusedImportAtomically) {
  fs::path path = Write("shop.writ", kUntidy);
  Result r = Run({"lint", "--fix", "--color", "never", "shop.writ"});
  EXPECT_EQ(r.exit, 1);  // L0019 has no mechanical fix and is still reported
  EXPECT_THAT(r.err, HasSubstr("fixed 1 file"));
  EXPECT_THAT(r.err, HasSubstr("L0019"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("L0010")));
  std::string fixed = ReadAll(path);
  EXPECT_EQ(fixed.find("import std.sql"), std::string::npos);
  EXPECT_NE(fixed.find("package shop\n\nimport std.text\n\ntool"), std::string::npos) << fixed;
  // What is left checks, and the fix is not applied twice.
  EXPECT_EQ(Run({"check", "shop.writ"}).exit, 0);
  Result again = Run({"lint", "--fix", "shop.writ"});
  EXPECT_THAT(again.err, ::testing::Not(HasSubstr("fixed")));
  EXPECT_EQ(Run({"lint", "--fix", "-"}, kUntidy).exit, 2);
}

TEST_F(LintCliTest, FixRewritesGlobsAndDeletesDuplicates) {
  fs::path path = Write("db.writ", R"(package db

tool db.query(sql: string)

permit call db.query

forbid call db.query when args.sql like "DROP TABLE users" because "never drop users"

permit call db.query
)");
  Result r = Run({"lint", "--fix", "db.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(ReadAll(path), R"(package db

tool db.query(sql: string)

permit call db.query

forbid call db.query when args.sql == "DROP TABLE users" because "never drop users"
)");
}

TEST_F(LintCliTest, BadSetTriggersEveryRule) {
  Result r = Run({"lint", "--format", "json", std::string(WRIT_SOURCE_DIR) + "/tests/lint/bad_set"});
  EXPECT_EQ(r.exit, 1) << r.err;
  std::set<std::string> codes;
  json doc = json::parse(r.out);
  for (const json& d : doc["diagnostics"]) codes.insert(d["code"].get<std::string>());
  for (int i = 1; i <= 23; ++i) {
    std::string code = std::string(i < 10 ? "L000" : "L00") + std::to_string(i);
    EXPECT_TRUE(codes.count(code)) << code;
  }
}

TEST_F(LintCliTest, ExamplePoliciesLintClean) {
  Result r = Run({"lint", std::string(WRIT_SOURCE_DIR) + "/policies"});
  EXPECT_EQ(r.exit, 0) << r.err;
}

}  // namespace
}  // namespace writ::testing
