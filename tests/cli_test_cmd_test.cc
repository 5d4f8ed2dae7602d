// `writ test` end to end: exit codes, failure reports, coverage, JSON and JUnit output.
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;
using testing::CliTest;
using testing::ReadAll;
using testing::Result;

// Two rules and two tests; the second test expects the wrong effect when `broken`.
std::string Policy(bool broken, bool test_the_forbid = true) {
  std::string text =
      "package shop\n"
      "\n"
      "agent Bot {\n"
      "  team: string\n"
      "}\n"
      "\n"
      "tool pay(amount: money)\n"
      "\n"
      "permit call pay for Bot\n"
      "\n"
      "big: forbid call pay when args.amount > 100 USD because \"too big\"\n"
      "\n"
      "test \"small is fine\" {\n"
      "  entity Bot::\"b\" { team: \"x\" }\n"
      "  call pay(amount: 5 USD) as Bot::\"b\"\n"
      "  expect allow\n"
      "}\n";
  if (test_the_forbid) {
    text += std::string("\n"
                        "test \"big is refused\" {\n"
                        "  entity Bot::\"b\" { team: \"x\" }\n"
                        "  call pay(amount: 500 USD) as Bot::\"b\"\n"
                        "  expect ") +
            (broken ? "allow" : "deny because \"too big\"") + "\n}\n";
  }
  return text;
}

TEST_F(CliTest, TestPassingExitsZero) {
  Write("shop.writ", Policy(false));
  Result r = Run({"test", "shop.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 tests: 2 passed, 0 failed"));
}

TEST_F(CliTest, TestFailureShowsExpectedActualAndLocation) {
  Write("shop.writ", Policy(true));
  Result r = Run({"test", "shop.writ"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.out, HasSubstr("FAIL  shop \"big is refused\" at shop.writ:19:1"));
  EXPECT_THAT(r.out, HasSubstr("shop.writ:21:3: call pay as shop.Bot::\"b\""));
  EXPECT_THAT(r.out, HasSubstr("expected allow, got deny because \"too big\""));
  EXPECT_THAT(r.out, HasSubstr("2 tests: 1 passed, 1 failed"));
}

TEST_F(CliTest, TestPolicyErrorsExitTwo) {
  Write("bad.writ", "package shop\nagent Bot { team: }\n");
  Result r = Run({"test", "bad.writ"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.writ:2"));
  EXPECT_EQ(Run({"test", "missing.writ"}).exit, 2);
  EXPECT_EQ(Run({"test"}).exit, 2);
}

TEST_F(CliTest, TestCoverageListsWhatNoTestExercised) {
  Write("shop.writ", Policy(false, /*test_the_forbid=*/false));
  Result r = Run({"test", "--coverage", "shop.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("coverage: 1/2 declarations exercised by tests (50.0%)"));
  EXPECT_THAT(r.out, HasSubstr("shop.writ:11:1 forbid big"));
  Result below = Run({"test", "--threshold", "80", "shop.writ"});
  EXPECT_EQ(below.exit, 1);
  EXPECT_THAT(below.err, HasSubstr("below the threshold"));

  Write("shop.writ", Policy(false));
  Result full = Run({"test", "--threshold", "100", "shop.writ"});
  EXPECT_EQ(full.exit, 0) << full.err;
  EXPECT_THAT(full.out, HasSubstr("(100.0%)"));
  EXPECT_THAT(full.out, Not(HasSubstr("not exercised")));
}

TEST_F(CliTest, TestJsonCarriesResultsAndCoverage) {
  Write("shop.writ", Policy(true));
  Result r = Run({"test", "--format", "json", "--coverage", "shop.writ"});
  EXPECT_EQ(r.exit, 1);
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["summary"]["total"], 2);
  EXPECT_EQ(doc["summary"]["failed"], 1);
  const json& failed = doc["tests"][1];
  EXPECT_EQ(failed["name"], "big is refused");
  EXPECT_EQ(failed["passed"], false);
  EXPECT_EQ(failed["failures"][0]["expected"], "allow");
  EXPECT_EQ(failed["failures"][0]["actual"], "deny");
  EXPECT_EQ(failed["failures"][0]["location"], "shop.writ:21:3");
  EXPECT_EQ(doc["coverage"]["total"], 2);
  EXPECT_EQ(doc["coverage"]["files"][0]["declarations"][1]["id"], "big");
}

TEST_F(CliTest, TestJunitReportsEachTest) {
  Write("shop.writ", Policy(true));
  Result r = Run({"test", "--junit", "out/results.xml", "shop.writ"});
  EXPECT_EQ(r.exit, 2) << "a folder that does not exist is an I/O error";
  std::filesystem::create_directories(dir_ / "out");
  r = Run({"test", "--junit", "out/results.xml", "shop.writ"});
  EXPECT_EQ(r.exit, 1);
  std::string xml = ReadAll(dir_ / "out/results.xml");
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"writ test\" tests=\"2\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"shop\" tests=\"2\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"small is fine\" classname=\"shop\" "
                             "file=\"shop.writ\" line=\"13\""));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"expected allow, got deny because "
                             "&quot;too big&quot;\" type=\"expectation\">"));
}

TEST_F(CliTest, TestRunSelectsByName) {
  Write("shop.writ", Policy(true));
  Result r = Run({"test", "--run", "small", "-v", "shop.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("PASS  shop \"small is fine\""));
  EXPECT_THAT(r.out, HasSubstr("1 test: 1 passed, 0 failed"));
  EXPECT_EQ(Run({"test", "--run", "no such test", "shop.writ"}).exit, 2);
}

TEST_F(CliTest, TestTheExamplePoliciesCoverEverything) {
  Result r = Run({"test", "--threshold", "100", std::string(WRIT_SOURCE_DIR) + "/policies"});
  EXPECT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("(100.0%)"));
}

}  // namespace
}  // namespace writ
