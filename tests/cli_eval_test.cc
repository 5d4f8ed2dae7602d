// `writ eval` end to end: the decision as JSON, malformed requests, batches and --explain.
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;
using testing::EvalCliTest;
using testing::ReadAll;
using testing::Result;

TEST_F(EvalCliTest, PrintsTheDecision) {
  Result r = Eval({"--request", "-"}, Request());
  ASSERT_EQ(r.exit, 0) << r.err;
  json decision = json::parse(r.out);
  EXPECT_EQ(decision["version"], 1);
  EXPECT_EQ(decision["effect"], "approval_required");
  EXPECT_EQ(decision["reasons"][0]["rule"], "large_amount");
  EXPECT_EQ(decision["approval"]["approvers"][0]["id"], "bob");
}

TEST_F(EvalCliTest, MalformedRequestIsDeniedWithPaths) {
  Result r = Eval({"--request", "-"}, R"({"version": 1, "tool": "nope"})");
  ASSERT_EQ(r.exit, 0) << r.err;
  json decision = json::parse(r.out);
  EXPECT_EQ(decision["effect"], "deny");
  EXPECT_EQ(decision["errors"][0]["path"], "$.tool");
  EXPECT_EQ(decision["errors"][0]["code"], "request.unknown_tool");
  Result junk = Eval({"--request", "-"}, "not json at all");
  ASSERT_EQ(junk.exit, 0) << junk.err;
  EXPECT_EQ(json::parse(junk.out)["effect"], "deny");
}

TEST_F(EvalCliTest, BatchWritesOneDecisionPerLine) {
  std::string request = Request();
  std::string line;
  for (char c : request) {
    if (c != '\n') line.push_back(c);
  }
  Result r = Eval({"--batch", "--request", "-"}, line + "\n{}\n" + line + "\n");
  ASSERT_EQ(r.exit, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream out(r.out);
  for (std::string l; std::getline(out, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(json::parse(lines[0])["effect"], "approval_required");
  EXPECT_EQ(json::parse(lines[1])["effect"], "deny");
  EXPECT_EQ(json::parse(lines[2])["effect"], "approval_required");
}

TEST_F(EvalCliTest, MissingRequestFileExitsTwo) {
  EXPECT_EQ(Eval({"--request", "missing.json"}).exit, 2);
  EXPECT_EQ(Run({"eval", "--request", "-"}).exit, 2);  // --policy is required
}

// ---- --explain ----------------------------------------------------------------------------

// The example of docs/explain.md, between its markers.
std::string DocumentedExplanation() {
  std::string doc = ReadAll(std::filesystem::path(WRIT_SOURCE_DIR) / "docs/explain.md");
  const std::string begin = "<!-- explain-example:begin -->\n```text\n";
  const std::string end = "```\n<!-- explain-example:end -->";
  size_t from = doc.find(begin);
  size_t to = doc.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from) return "";
  from += begin.size();
  return doc.substr(from, to - from);
}

TEST_F(EvalCliTest, ExplainMatchesTheDocumentedExample) {
  std::string expected = DocumentedExplanation();
  ASSERT_FALSE(expected.empty()) << "docs/explain.md lost its example markers";
  Result r = Run({"eval", "--policy", "policies/procurement", "--policy", "policies/org",
                  "--request", "runtime/testdata/procurement_call.json", "--explain"},
                 "", WRIT_SOURCE_DIR);
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(r.out, expected) << "docs/explain.md is out of date; the output is now:\n" << r.out;
}

constexpr std::string_view kExplained =
    "package shop\n"
    "\n"
    "agent Bot {\n"
    "  quota: int\n"
    "}\n"
    "\n"
    "agent Other {\n"
    "  team: string\n"
    "}\n"
    "\n"
    "tool pay(amount: money, count: int)\n"
    "\n"
    "permit call pay for Bot\n"
    "\n"
    "others: forbid call pay for Other because \"not for others\"\n"
    "\n"
    "odd: forbid call pay\n"
    "  when args.count > 0 and 100 / (args.count - args.count) > 1\n"
    "  because \"odd counts\"\n";

std::string PayRequest(int count) {
  return R"({"version": 1, "tool": "pay", "phase": "call",
             "principal": {"type": "shop.Bot", "id": "b"},
             "entities": [{"type": "shop.Bot", "id": "b", "attrs": {"quota": 3}}],
             "args": {"amount": "5 USD", "count": )" +
         std::to_string(count) + "}}";
}

TEST_F(EvalCliTest, ExplainShowsVerdictsValuesAndFailClosedErrors) {
  Write("shop.writ", kExplained);
  Result r = Run({"eval", "--policy", "shop.writ", "--request", "-", "--explain"}, PayRequest(2));
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("request: call pay as shop.Bot::\"b\""));
  EXPECT_THAT(r.out, HasSubstr("permit shop:13 at shop.writ:13:1: held"));
  EXPECT_THAT(r.out, HasSubstr("forbid others at shop.writ:15:1: not applicable"));
  EXPECT_THAT(r.out, HasSubstr("applies to shop.Other only; the principal is a shop.Bot"));
  EXPECT_THAT(r.out, HasSubstr("forbid odd at shop.writ:17:1: error"));
  EXPECT_THAT(r.out, HasSubstr("^ true: 2 > 0"));
  EXPECT_THAT(r.out, HasSubstr("^ error: eval."));
  EXPECT_THAT(r.out, HasSubstr("the condition failed, so the rule holds (fail closed)"));
  EXPECT_THAT(r.out, HasSubstr("decision: deny (hard)"));
  EXPECT_THAT(r.out, HasSubstr("because \"odd counts\" [forbid odd at shop.writ:17:1]"));
  EXPECT_THAT(r.out, HasSubstr("error eval."));

  Result zero = Run({"eval", "--policy", "shop.writ", "--request", "-", "--explain"},
                    PayRequest(0));
  ASSERT_EQ(zero.exit, 0) << zero.err;
  EXPECT_THAT(zero.out, HasSubstr("forbid odd at shop.writ:17:1: not held"));
  EXPECT_THAT(zero.out, HasSubstr("^ false: 0 > 0"));
  EXPECT_THAT(zero.out, HasSubstr("^ not evaluated"));
  EXPECT_THAT(zero.out, HasSubstr("decision: allow (hard)"));
}

TEST_F(EvalCliTest, ExplainAMalformedRequestListsItsErrors) {
  Result r = Eval({"--request", "-", "--explain"}, R"({"version": 1, "tool": "nope"})");
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("the request did not decode"));
  EXPECT_THAT(r.out, HasSubstr("$.tool request.unknown_tool"));
  EXPECT_THAT(r.out, HasSubstr("decision: deny (hard)"));
}

TEST_F(EvalCliTest, ExplainExplainsOneRequestNotABatch) {
  EXPECT_EQ(Eval({"--request", "-", "--explain", "--batch"}, "{}\n").exit, 2);
}

}  // namespace
}  // namespace writ
