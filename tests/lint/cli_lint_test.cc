// `writ lint` end to end: exit codes, the failing severity, output formats and SARIF rule
// metadata from the lint catalogue.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

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
  EXPECT_GE(described, 11);
}

TEST_F(LintCliTest, HelpListsTheExitCodes) {
  Result r = Run({"lint", "--help"});
  EXPECT_EQ(r.exit, 0);
  EXPECT_THAT(r.out, HasSubstr("--fail-on"));
  EXPECT_THAT(r.out, HasSubstr("1  findings at or above the --fail-on severity"));
  EXPECT_THAT(r.out, HasSubstr("docs/lint.md"));
}

TEST_F(LintCliTest, ExamplePoliciesLintClean) {
  Result r = Run({"lint", std::string(WRIT_SOURCE_DIR) + "/policies"});
  EXPECT_EQ(r.exit, 0) << r.err;
}

}  // namespace
}  // namespace writ::testing
