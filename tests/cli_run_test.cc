// `writ run` end to end: the example trace through the real runtime and store, replays against
// the same store, events as JSON Lines, and malformed traces.
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
using ::testing::Not;
using nlohmann::json;
using testing::CliTest;
using testing::ReadAll;
using testing::Result;

const std::string kTrace = std::string(WRIT_SOURCE_DIR) + "/policies/procurement/traces/restock.jsonl";
const std::string kPolicies = std::string(WRIT_SOURCE_DIR) + "/policies";

TEST_F(CliTest, RunDeniesAnApprovalThatCameTooLate) {
  Result r = Run({"run", "--policy", kPolicies, "--db", "late.db",
                  std::string(WRIT_SOURCE_DIR) + "/policies/procurement/traces/late_approval.jsonl"});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  // `large_amount` gives bob 24 hours; he approves the first payment after 25.
  EXPECT_THAT(r.out, HasSubstr("by bob -> deny because \"amounts over 10,000 USD need the "
                               "manager's approval\" [large_amount] (timed out: no approval in "
                               "time) (denied)"));
  EXPECT_THAT(r.out, HasSubstr("(approved by bob) (allowed)"));
  EXPECT_THAT(r.out, HasSubstr("1 tool calls, 700 tokens, spent 15000 USD"));
}

TEST_F(CliTest, RunReplaysTheExampleSession) {
  Result r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "--events", "events.jsonl",
                  kTrace});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("spawn      restock-q4       procurement.ProcurementBot::bot-7"));
  EXPECT_THAT(r.out, HasSubstr("approval_required because \"amounts over 10,000 USD need the "
                               "manager's approval\" [large_amount]"));
  EXPECT_THAT(r.out, HasSubstr("(approved by bob) (allowed)"));
  EXPECT_THAT(r.out, HasSubstr("crash"));
  EXPECT_THAT(r.out, HasSubstr("(allowed, replayed)"));
  EXPECT_THAT(r.out, HasSubstr("[per_task] (denied)"));
  EXPECT_THAT(r.out, HasSubstr("[gift_cards] (denied)"));
  EXPECT_THAT(r.out, HasSubstr("error request.type at $.args.amount"));
  EXPECT_THAT(r.out, HasSubstr("budget tokens [....................] 3900 of 200000 tokens"));
  EXPECT_THAT(r.out, HasSubstr("task complete: 3 tool calls, 3900 tokens, spent 23000 USD"));

  std::vector<std::string> kinds;
  std::istringstream events(ReadAll(dir_ / "events.jsonl"));
  for (std::string line; std::getline(events, line);) {
    json event = json::parse(line);
    EXPECT_EQ(event["session"], "restock-q4");
    kinds.push_back(event["event"]);
  }
  EXPECT_EQ(kinds.front(), "spawned");
  EXPECT_EQ(kinds.back(), "terminated");
  EXPECT_THAT(kinds, ::testing::Contains("suspended"));
  EXPECT_THAT(kinds, ::testing::Contains("checkpointed"));
  EXPECT_THAT(kinds, ::testing::Contains("resumed"));

  // The same trace against the same store: every step is replayed, nothing is decided or
  // charged again, and the refused spawn is reported (exit 1).
  Result again = Run({"run", "--policy", kPolicies, "--db", "writ.db", kTrace});
  EXPECT_EQ(again.exit, 1);
  EXPECT_THAT(again.out, HasSubstr("error: session `restock-q4` exists"));
  EXPECT_THAT(again.out, HasSubstr("(completed, replayed)"));
  EXPECT_THAT(again.out, Not(HasSubstr("(allowed)\n")));
  EXPECT_THAT(again.out, HasSubstr("spent 23000 USD"));
}

// The example timeline of docs/run.md, between its markers.
std::string DocumentedTimeline() {
  std::string doc = ReadAll(std::filesystem::path(WRIT_SOURCE_DIR) / "docs/run.md");
  const std::string begin = "<!-- run-example:begin -->\n```text\n";
  const std::string end = "```\n<!-- run-example:end -->";
  size_t from = doc.find(begin);
  size_t to = doc.find(end);
  if (from == std::string::npos || to == std::string::npos || to < from) return "";
  from += begin.size();
  return doc.substr(from, to - from);
}

TEST_F(CliTest, RunMatchesTheDocumentedTimeline) {
  std::string expected = DocumentedTimeline();
  ASSERT_FALSE(expected.empty()) << "docs/run.md lost its example markers";
  Result r = Run({"run", "--policy", kPolicies, "--db", "writ.db", kTrace});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(r.out, expected) << "docs/run.md is out of date; the timeline is now:\n" << r.out;
}

TEST_F(CliTest, RunRefusesMalformedTracesWithTheirLine) {
  Write("bad.jsonl", "{\"clock\": \"2026-01-01T00:00:00Z\"}\n\nnot json\n");
  Result r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "bad.jsonl"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.jsonl:3: not JSON"));
  Write("bad.jsonl", "{\"call\": {\"session\": \"s\", \"step\": 7, \"tool\": \"x\"}}\n");
  r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "bad.jsonl"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.jsonl:1: `step` must be a string"));
  Write("bad.jsonl", "{\"dance\": {}}\n");
  r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "bad.jsonl"});
  EXPECT_THAT(r.err, HasSubstr("unknown action `dance`"));
  Write("bad.jsonl", "{\"advance\": \"soon\"}\n");
  r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "bad.jsonl"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.jsonl:1: expected a duration"));
  EXPECT_EQ(Run({"run", "--policy", kPolicies, "--db", "writ.db", "missing.jsonl"}).exit, 2);
}

TEST_F(CliTest, RunRefusesAStoreThatIsNotOne) {
  Write("junk.db", std::string(4096, 'x'));
  Result r = Run({"run", "--policy", kPolicies, "--db", "junk.db", kTrace});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("junk.db"));
  EXPECT_EQ(ReadAll(dir_ / "junk.db"), std::string(4096, 'x'));
}

TEST_F(CliTest, SessionListAndShowReadTheStore) {
  ASSERT_EQ(Run({"run", "--policy", kPolicies, "--db", "writ.db", kTrace}).exit, 0);
  Result list = Run({"session", "list", "--db", "writ.db"});
  ASSERT_EQ(list.exit, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("restock-q4           ended        6       3900      23000 USD"));
  Result show = Run({"session", "show", "--db", "writ.db", "restock-q4"});
  ASSERT_EQ(show.exit, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("6 steps, 3 tool calls, 3900 tokens, spent 23000 USD; "
                                  "latest checkpoint 1"));
  EXPECT_THAT(show.out, HasSubstr("pay-4            payments.transfer            denied     deny"));
  Result shown = Run({"session", "show", "--db", "writ.db", "--json", "restock-q4"});
  ASSERT_EQ(shown.exit, 0) << shown.err;
  json doc = json::parse(shown.out);
  EXPECT_EQ(doc["state"], "ended");
  EXPECT_EQ(doc["step_list"].size(), 6u);
  EXPECT_EQ(doc["step_list"][2]["decision"]["approved_by"], "bob");
  EXPECT_EQ(json::parse(Run({"session", "list", "--db", "writ.db", "--json"}).out)[0]["spent"],
            "23000 USD");
  EXPECT_EQ(Run({"session", "show", "--db", "writ.db", "nobody"}).exit, 1);
  EXPECT_EQ(Run({"session", "list", "--db", "missing.db"}).exit, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "missing.db")) << "reading must not create a store";
  EXPECT_EQ(Run({"session"}).exit, 2);
}

TEST_F(CliTest, RunReportsRefusedActionsAndExitsOne) {
  Write("t.jsonl",
        "{\"call\": {\"session\": \"nobody\", \"step\": \"1\", \"tool\": \"payments.transfer\"}}\n");
  Result r = Run({"run", "--policy", kPolicies, "--db", "writ.db", "t.jsonl"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.out, HasSubstr("error: no session `nobody`"));
}

}  // namespace
}  // namespace writ
