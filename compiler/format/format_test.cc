#include "compiler/format/format.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/parser.h"

namespace writ::format {
namespace {

struct Parsed {
  SourceManager sources;
  syntax::File file;
  diag::Collector diagnostics;
};

std::unique_ptr<Parsed> ParseText(std::string_view text) {
  auto parsed = std::make_unique<Parsed>();
  FileId id = parsed->sources.Add("input.writ", std::string(text));
  parsed->file = syntax::Parse(parsed->sources, id, parsed->diagnostics);
  return parsed;
}

std::string Messages(const diag::Collector& collector) {
  std::string out;
  for (const diag::Diagnostic& d : collector.diagnostics()) out += d.message + "\n";
  return out;
}

// Formats `text`, which must parse; also checks the round trip and idempotence.
std::string Fmt(std::string_view text) {
  std::unique_ptr<Parsed> parsed = ParseText(text);
  if (parsed->diagnostics.has_errors()) {
    ADD_FAILURE() << "input does not parse:\n" << Messages(parsed->diagnostics) << text;
    return "";
  }
  std::string out = Format(parsed->sources, parsed->file);
  absl::Status verified = VerifyRoundTrip(parsed->file, out);
  EXPECT_TRUE(verified.ok()) << verified << "\noutput:\n" << out;
  std::unique_ptr<Parsed> again = ParseText(out);
  if (!again->diagnostics.has_errors()) {
    EXPECT_EQ(Format(again->sources, again->file), out) << "not a fixed point";
  }
  return out;
}

// The expected text is canonical: formatting it gives itself.
void ExpectCanonical(std::string_view text) { EXPECT_EQ(Fmt(text), text); }

// Most cases are declarations: they are formatted after the `package` line every file starts
// with, which the result leaves out again.
std::string FmtDecls(std::string_view decls) {
  std::string out = Fmt("package p\n" + std::string(decls));
  if (out == "package p\n") return "";
  constexpr std::string_view kPrefix = "package p\n\n";
  if (!out.starts_with(kPrefix)) {
    ADD_FAILURE() << "unexpected start of output:\n" << out;
    return out;
  }
  return out.substr(kPrefix.size());
}

void ExpectCanonicalDecls(std::string_view decls) { EXPECT_EQ(FmtDecls(decls), decls); }

// ---- schema ----------------------------------------------------------------------------------

TEST(FormatTest, PackageAndImports) {
  EXPECT_EQ(Fmt("package   procurement\nimport std.sql\nimport   std.pii  as p\n"
                "entity User { department: string, approval_limit: money, }\n"),
            "package procurement\n"
            "\n"
            "import std.sql\n"
            "import std.pii as p\n"
            "\n"
            "entity User { department: string, approval_limit: money }\n");
}

TEST(FormatTest, Entities) {
  EXPECT_EQ(FmtDecls("entity Team\nentity User in Team,Org{department:string}\nentity Empty { }\n"
                "entity Big { a: int, b: string, c: bool, d?: set<string> }"),
            "entity Team\n"
            "entity User in Team, Org { department: string }\n"
            "entity Empty {}\n"
            "\n"
            "entity Big {\n"
            "  a: int,\n"
            "  b: string,\n"
            "  c: bool,\n"
            "  d?: set<string>\n"
            "}\n");
}

TEST(FormatTest, LongEntityAndRecordAttribute) {
  EXPECT_EQ(FmtDecls("entity Account { owner_email_address: string, annual_revenue_in_dollars: money, "
                "region_name: string }\n"
                "entity Nested { limits: { daily: money, monthly: money } }\n"),
            "entity Account {\n"
            "  owner_email_address: string,\n"
            "  annual_revenue_in_dollars: money,\n"
            "  region_name: string\n"
            "}\n"
            "\n"
            "entity Nested { limits: { daily: money, monthly: money } }\n");
}

TEST(FormatTest, Enums) {
  EXPECT_EQ(FmtDecls("enum Level { low, medium, high, }\n"
                "enum Region { north_america_east, north_america_west, europe_central, "
                "europe_north, asia_pacific_south }\n"),
            "enum Level { low, medium, high }\n"
            "\n"
            "enum Region {\n"
            "  north_america_east,\n"
            "  north_america_west,\n"
            "  europe_central,\n"
            "  europe_north,\n"
            "  asia_pacific_south\n"
            "}\n");
}

TEST(FormatTest, AgentWithCredentials) {
  EXPECT_EQ(FmtDecls("agent ProcurementBot { acts_for: User, credentials { erp: [\"po.write\",\"po.read\"] "
                "ttl 15m, mail: [] ttl 1h } team: string, }\nagent Sub in Base, Other {}\n"),
            "agent ProcurementBot {\n"
            "  acts_for: User\n"
            "  credentials {\n"
            "    erp: [\"po.write\", \"po.read\"] ttl 15m\n"
            "    mail: [] ttl 1h\n"
            "  }\n"
            "  team: string\n"
            "}\n"
            "\n"
            "agent Sub in Base, Other {}\n");
}

TEST(FormatTest, AgentKeepsBlankLinesBetweenMembers) {
  ExpectCanonicalDecls(
      "agent Bot {\n"
      "  acts_for: User\n"
      "\n"
      "  credentials {}\n"
      "}\n");
  EXPECT_EQ(FmtDecls("agent Bot {\n\n\n  acts_for: User\n\n\n\n  team: string\n\n}\n"),
            "agent Bot {\n"
            "  acts_for: User\n"
            "\n"
            "  team: string\n"
            "}\n");
}

TEST(FormatTest, Tools) {
  ExpectCanonicalDecls(
      "tool payments.transfer(amount: money, to: string)\n"
      "tool db.query(sql: string) -> { rows_affected: int, rows: int }\n"
      "tool search.web(query: string, filters: map<string, string>) -> set<string>\n"
      "tool clock.now()\n");
  EXPECT_EQ(FmtDecls("tool payments.transfer ( amount : money , to : string , )"),
            "tool payments.transfer(amount: money, to: string)\n");
}

TEST(FormatTest, LongToolBreaksParameters) {
  EXPECT_EQ(FmtDecls("tool crm.update_account(account_id: string, owner_email: string, "
                "annual_revenue: money, region: string, notes: string) -> { updated: bool }"),
            "tool crm.update_account(\n"
            "  account_id: string,\n"
            "  owner_email: string,\n"
            "  annual_revenue: money,\n"
            "  region: string,\n"
            "  notes: string\n"
            ") -> { updated: bool }\n");
}

TEST(FormatTest, LongToolResultBreaksRecord) {
  EXPECT_EQ(FmtDecls("tool db.query(sql: string) -> { rows_affected: int, rows_returned: int, "
                "elapsed: duration, warnings: set<string>, plan: string }"),
            "tool db.query(sql: string) -> {\n"
            "  rows_affected: int,\n"
            "  rows_returned: int,\n"
            "  elapsed: duration,\n"
            "  warnings: set<string>,\n"
            "  plan: string\n"
            "}\n");
}

// ---- rules -----------------------------------------------------------------------------------

TEST(FormatTest, OneLineRules) {
  ExpectCanonicalDecls(
      "permit call payments.transfer for ProcurementBot\n"
      "permit call db.query, db.exec for Bot, Other when args.sql != \"\"\n"
      "forbid result db.query when result.rows_affected > 100\n"
      "permit call *\n"
      "permit call salesforce.* grant crm\n");
}

TEST(FormatTest, RuleWithSeveralClausesTakesOneClausePerLine) {
  EXPECT_EQ(FmtDecls("forbid call payments.transfer when args.amount > principal.acts_for.approval_limit "
                "because \"exceeds the delegating user's approval limit\""),
            "forbid call payments.transfer\n"
            "  when args.amount > principal.acts_for.approval_limit\n"
            "  because \"exceeds the delegating user's approval limit\"\n");
}

TEST(FormatTest, EveryClauseModifiersAndLabel) {
  EXPECT_EQ(FmtDecls("big: shadow  soft require_approval call payments.transfer,payments.refund "
                "for Bot,Other when args.amount >= 10000 USD by principal.acts_for.manager "
                "timeout 30m grant erp [\"po.write\"] ttl 5m grant mail grant audit ttl 1h "
                "warn \"large transfer\""),
            "big: shadow soft require_approval call payments.transfer, payments.refund for Bot, Other\n"
            "  when args.amount >= 10000 USD\n"
            "  by principal.acts_for.manager\n"
            "  timeout 30m\n"
            "  grant erp [\"po.write\"] ttl 5m\n"
            "  grant mail\n"
            "  grant audit ttl 1h\n"
            "  warn \"large transfer\"\n");
  ExpectCanonicalDecls("advisory hard permit result db.query grant erp []\n");
}

TEST(FormatTest, LongRuleWithOneClauseBreaks) {
  EXPECT_EQ(FmtDecls("forbid call payments.transfer for ProcurementBot when "
                "args.amount > principal.acts_for.approval_limit + 500 USD"),
            "forbid call payments.transfer for ProcurementBot\n"
            "  when args.amount > principal.acts_for.approval_limit + 500 USD\n");
}

TEST(FormatTest, LongConditionBreaksAtTopLevelAndOr) {
  EXPECT_EQ(FmtDecls("forbid call payments.transfer when args.amount > principal.acts_for.approval_limit "
                "and not (principal.acts_for.department == \"finance\" or args.amount < 1 USD) "
                "or args.to like \"*@external.example\" because \"x\""),
            "forbid call payments.transfer\n"
            "  when args.amount > principal.acts_for.approval_limit\n"
            "    and not (principal.acts_for.department == \"finance\" or args.amount < 1 USD)\n"
            "    or args.to like \"*@external.example\"\n"
            "  because \"x\"\n");
  // Breaking follows the tree: `a or b and c` is `a or (b and c)` and prints in source order.
  EXPECT_EQ(FmtDecls("forbid call x when principal.acts_for.department_name == \"finance_department\" or "
                "args.amount_in_dollars > 100 USD and args.destination_account != \"internal\""),
            "forbid call x\n"
            "  when principal.acts_for.department_name == \"finance_department\"\n"
            "    or args.amount_in_dollars > 100 USD\n"
            "    and args.destination_account != \"internal\"\n");
}

TEST(FormatTest, Expressions) {
  ExpectCanonicalDecls(
      "permit call t when f(a, b) and -x < 3 and not y\n"
      "permit call t when [1, 2] == [] and { a: 1, b: \"s\" } != {}\n"
      "permit call t when User::\"u\" in principal.teams and principal has email\n"
      "permit call t when any t in principal.teams: t.name like \"a*\"\n"
      "permit call t when all n in [1, 2]: n % 2 == 0 and n * 3 / 4 - 1 + 2 >= 0\n"
      "permit call t when 90m > 1h30m and true != false and (a or b) and ((c))\n"
      "permit call t when std.text.lower(args.to) <= \"m\" and args.amount > 12.50 EUR\n");
  EXPECT_EQ(FmtDecls("permit call t when f( a ,b )and-x<3 and[1,2,]==[ ]and{a:1,b:2,}!={ }\n"
                "permit call t when args.amount > 50000   USD and x.y :: \"id\" in ( z )\n"),
            "permit call t when f(a, b) and -x < 3 and [1, 2] == [] and { a: 1, b: 2 } != {}\n"
            "permit call t when args.amount > 50000 USD and x.y::\"id\" in (z)\n");
}

TEST(FormatTest, StringsAreRequoted) {
  EXPECT_EQ(FmtDecls("permit call t when args.s == \"a\\u{41}\\tb\" because \"q\\\"\""),
            FmtDecls("permit call t when args.s == \"aA\\tb\" because \"q\\\"\""));
}

// ---- limits, budgets, rates, pools, outputs -----------------------------------------------------

TEST(FormatTest, Limits) {
  EXPECT_EQ(FmtDecls("limit spend payments.transfer.amount per task <= 50000   USD for ProcurementBot\n"
                "cap: hard limit spend payments.transfer.amount per day <= 100000 USD for Bot "
                "because \"the daily cap for automated transfers is reached\""),
            "limit spend payments.transfer.amount per task <= 50000 USD for ProcurementBot\n"
            "\n"
            "cap: hard limit spend payments.transfer.amount per day <= 100000 USD for Bot\n"
            "  because \"the daily cap for automated transfers is reached\"\n");
}

TEST(FormatTest, TooWideHeadPutsPrincipalsOnTheirOwnLine) {
  EXPECT_EQ(FmtDecls("per_call: limit spend payments.transfer.amount per call <= "
                     "money.min(principal.acts_for.approval_limit, 20000 USD) for ProcurementBot "
                     "because \"over the limit\""),
            "per_call: limit spend payments.transfer.amount per call <= "
            "money.min(principal.acts_for.approval_limit, 20000 USD)\n"
            "  for ProcurementBot\n"
            "  because \"over the limit\"\n");
  EXPECT_EQ(FmtDecls("permit call erp.create_purchase_order, erp.get_purchase_order, "
                     "erp.cancel_purchase_order for ProcurementBot"),
            "permit call erp.create_purchase_order, erp.get_purchase_order, erp.cancel_purchase_order\n"
            "  for ProcurementBot\n");
}

TEST(FormatTest, Budgets) {
  EXPECT_EQ(FmtDecls("budget tokens per task 200000 warn at 80%\n"
                "budget time per session 2h then terminate\n"
                "budget spend per day 500 USD for Bot warn at 50%,90% then suspend by "
                "principal.acts_for.manager because \"daily spend\"\n"
                "budget calls 1000\n"),
            "budget tokens per task 200000 warn at 80%\n"
            "budget time per session 2h then terminate\n"
            "\n"
            "budget spend per day 500 USD for Bot\n"
            "  warn at 50%, 90%\n"
            "  then suspend by principal.acts_for.manager\n"
            "  because \"daily spend\"\n"
            "\n"
            "budget calls 1000\n");
}

TEST(FormatTest, RatesAndPools) {
  EXPECT_EQ(FmtDecls("rate salesforce.* 500 per 1h\n"
                "hard: rate db.query,db.exec 10 per 1m for Bot because \"slow down\"\n"
                "pool database 20 calls db.* then queue\n"
                "pool bots 50 sessions ProcurementBot,Other\n"),
            "rate salesforce.* 500 per 1h\n"
            "hard: rate db.query, db.exec 10 per 1m for Bot because \"slow down\"\n"
            "pool database 20 calls db.* then queue\n"
            "pool bots 50 sessions ProcurementBot, Other\n");
}

TEST(FormatTest, Outputs) {
  EXPECT_EQ(FmtDecls("output email.send.body { forbid pii.card because \"no card numbers\" "
                "redact pii.email,pii.phone }\noutput result db.query.rows { }\n"
                "soft: output call chat.post.text { redact pii.email }\n"),
            "output email.send.body {\n"
            "  forbid pii.card because \"no card numbers\"\n"
            "  redact pii.email, pii.phone\n"
            "}\n"
            "\n"
            "output result db.query.rows {}\n"
            "\n"
            "soft: output call chat.post.text {\n"
            "  redact pii.email\n"
            "}\n");
}

// ---- tests -----------------------------------------------------------------------------------

TEST(FormatTest, TestBlocks) {
  EXPECT_EQ(FmtDecls("test \"DDL is refused\" { entity User::\"alice\" {department:\"eng\", cap: 100 USD} "
                "in Team::\"t\",Org::\"o\" entity Team::\"t\" entity Org::\"o\" {} session {tokens: 10} "
                "call db.query(sql:\"DROP TABLE users\") as ProcurementBot::\"bot\" "
                "result db.query(sql: \"x\") returns {rows_affected: 500} as ProcurementBot::\"bot\" "
                "expect deny because \"DDL is not allowed\" warn \"w\" }\n"
                "test \"empty\" { }\n"),
            "test \"DDL is refused\" {\n"
            "  entity User::\"alice\" { department: \"eng\", cap: 100 USD } in Team::\"t\", "
            "Org::\"o\"\n"
            "  entity Team::\"t\"\n"
            "  entity Org::\"o\" {}\n"
            "  session { tokens: 10 }\n"
            "  call db.query(sql: \"DROP TABLE users\") as ProcurementBot::\"bot\"\n"
            "  result db.query(sql: \"x\") returns { rows_affected: 500 } as ProcurementBot::\"bot\"\n"
            "  expect deny because \"DDL is not allowed\" warn \"w\"\n"
            "}\n"
            "\n"
            "test \"empty\" {}\n");
}

TEST(FormatTest, LongTestStatementsBreakTheirFields) {
  EXPECT_EQ(FmtDecls("test \"t\" { session { tokens_used: 150000, spend_today: 420 USD, elapsed: 95m, "
                "calls_in_window: 12, validation_failures: 0 } call payments.transfer(amount: 60000 USD, to: "
                "\"acct-0042-external\", memo: \"quarterly\") as ProcurementBot::\"bot\" "
                "expect allow }"),
            "test \"t\" {\n"
            "  session {\n"
            "    tokens_used: 150000,\n"
            "    spend_today: 420 USD,\n"
            "    elapsed: 95m,\n"
            "    calls_in_window: 12,\n"
            "    validation_failures: 0\n"
            "  }\n"
            "  call payments.transfer(\n"
            "    amount: 60000 USD,\n"
            "    to: \"acct-0042-external\",\n"
            "    memo: \"quarterly\"\n"
            "  ) as ProcurementBot::\"bot\"\n"
            "  expect allow\n"
            "}\n");
}

// ---- blank lines and whitespace --------------------------------------------------------------

TEST(FormatTest, OneLinersOfTheSameGroupStayTogether) {
  ExpectCanonicalDecls(
      "entity Department\n"
      "enum Region { us, eu }\n"
      "entity User in Department { region: Region }\n"
      "\n"
      "tool a.b()\n"
      "\n"
      "limit spend a.b.amount per task <= 5 USD\n"
      "budget tokens 100\n"
      "rate a.* 5 per 1m\n"
      "pool p 2 calls a.*\n");
}

TEST(FormatTest, BlankLinesBetweenDeclarations) {
  EXPECT_EQ(FmtDecls("tool a.b()\n\n\n\ntool a.c()\ntool a.d()\nentity X\npermit call a.b\n"
                "\n\npermit call a.c\npermit call a.d\n"),
            "tool a.b()\n"
            "\n"
            "tool a.c()\n"
            "tool a.d()\n"
            "\n"
            "entity X\n"
            "\n"
            "permit call a.b\n"
            "\n"
            "permit call a.c\n"
            "permit call a.d\n");
}

TEST(FormatTest, CrlfTrailingBlanksAndFinalNewline) {
  EXPECT_EQ(Fmt("package p   \r\n\r\n\r\n\r\nentity A   \r\n// c  \r\n\r\n\r\n"),
            "package p\n\nentity A\n// c\n");
  EXPECT_EQ(FmtDecls(""), "");
  EXPECT_EQ(FmtDecls("\n\n  \n"), "");
  EXPECT_EQ(Fmt("package p\n// only a comment"), "package p\n// only a comment\n");
  EXPECT_EQ(FmtDecls("  entity A"), "entity A\n");
}

// ---- comments --------------------------------------------------------------------------------

TEST(FormatTest, CommentsInEveryPosition) {
  ExpectCanonical(
      "// File header.\n"
      "/* block header */\n"
      "\n"
      "package p // after package\n"
      "\n"
      "// Before import.\n"
      "import std.sql\n"
      "\n"
      "// Section: schema.\n"
      "\n"
      "entity User { department: string } // trailing on entity\n"
      "\n"
      "agent Bot {\n"
      "  // Inside agent body.\n"
      "  acts_for: User // after acts_for\n"
      "  credentials {\n"
      "    erp: [\"po.write\"] ttl 15m // after credential\n"
      "    // end of credentials\n"
      "  }\n"
      "  // end of agent\n"
      "}\n"
      "\n"
      "forbid call db.query\n"
      "  // before when\n"
      "  when sql.is_ddl(args.sql) // after condition\n"
      "    and /* inline */ args.sql != \"\"\n"
      "  because \"DDL\" // after because\n"
      "\n"
      "test \"t\" {\n"
      "  // first statement\n"
      "  call db.query(sql: \"x\") as Bot::\"b\" // after call\n"
      "  expect deny\n"
      "  // end of test\n"
      "}\n"
      "// End of file.\n");
}

TEST(FormatTest, CommentsAreReindented) {
  EXPECT_EQ(FmtDecls("agent Bot {\n"
                "// no indent\n"
                "       acts_for: User     // far\n"
                "            /* deep */\n"
                "}\n"
                "      // after\n"),
            "agent Bot {\n"
            "  // no indent\n"
            "  acts_for: User // far\n"
            "  /* deep */\n"
            "}\n"
            "// after\n");
}

TEST(FormatTest, CommentInsideOneLineConstructBreaksIt) {
  EXPECT_EQ(FmtDecls("entity User { department: string, /* why */ level: int }\n"),
            "entity User {\n"
            "  department: string, /* why */\n"
            "  level: int\n"
            "}\n");
  EXPECT_EQ(FmtDecls("entity User { department: string, // why\n level: int }\n"),
            "entity User {\n"
            "  department: string, // why\n"
            "  level: int\n"
            "}\n");
  // A rule with a comment in it never takes the one-line layout; nothing else changes.
  EXPECT_EQ(FmtDecls("permit call x /* why */ for Bot\npermit call y\n"),
            "permit call x /* why */ for Bot\n"
            "\n"
            "permit call y\n");
  // A line comment in the middle of a head continues the head on an indented line.
  ExpectCanonicalDecls(
      "permit call x // why\n"
      "    for Bot\n");
}

TEST(FormatTest, CommentsInsideAReflowedExpression) {
  EXPECT_EQ(FmtDecls("forbid call t when a // first\n and f(b, // inside a call\n c) and /* x */ d\n"),
            "forbid call t\n"
            "  when a // first\n"
            "    and f(b, // inside a call\n"
            "        c)\n"
            "    and /* x */ d\n");
  EXPECT_EQ(FmtDecls("forbid call t when a\n  // own line\n  or b"),
            "forbid call t\n"
            "  when a\n"
            "    // own line\n"
            "    or b\n");
}

TEST(FormatTest, CommentsInsideTestBlockAndLists) {
  ExpectCanonicalDecls(
      "test \"t\" {\n"
      "  session {\n"
      "    tokens: 10, // used so far\n"
      "    // the spend\n"
      "    spend: 5 USD\n"
      "    // last\n"
      "  }\n"
      "\n"
      "  // the call\n"
      "  call a.b() as Bot::\"b\"\n"
      "  expect /* the answer */ allow\n"
      "}\n");
  ExpectCanonicalDecls(
      "enum Level {\n"
      "  low, // lowest\n"
      "  high\n"
      "}\n");
}

TEST(FormatTest, CommentsInEmptyBodies) {
  ExpectCanonicalDecls(
      "agent Bot {\n"
      "  // nothing yet\n"
      "}\n");
  ExpectCanonicalDecls(
      "test \"t\" {\n"
      "  /* todo */\n"
      "}\n");
  EXPECT_EQ(FmtDecls("entity A { /* c */ }"), "entity A { /* c */\n}\n");
}

TEST(FormatTest, MultiLineBlockCommentKeepsItsText) {
  ExpectCanonical(
      "/*\n"
      " * Procurement policies.\n"
      " *   indented text stays\n"
      " */\n"
      "package p\n");
}

// ---- comments anywhere ----------------------------------------------------------------------

// Every construct of the language in canonical form.
constexpr std::string_view kAllConstructs =
    "package procurement\n"
    "\n"
    "import std.sql\n"
    "import std.pii as p\n"
    "\n"
    "entity User in Org { department: string, approval_limit: money, manager?: User }\n"
    "enum Level { low, high }\n"
    "\n"
    "agent Bot in Base {\n"
    "  acts_for: User\n"
    "  credentials {\n"
    "    erp: [\"po.write\", \"po.read\"] ttl 15m\n"
    "  }\n"
    "  level: Level\n"
    "}\n"
    "\n"
    "tool db.query(sql: string, opts: { dry: bool }) -> { rows_affected: int }\n"
    "\n"
    "big: shadow require_approval call payments.transfer, payments.*\n"
    "  when args.amount >= 10000 USD and not (args.to like \"*@x\") or f(a, [1, 2], { k: 1 })\n"
    "  by principal.acts_for.manager\n"
    "  timeout 30m\n"
    "  grant erp [\"po.write\"] ttl 5m\n"
    "  warn \"large\"\n"
    "\n"
    "permit result db.query for Bot when all r in result.rows: r has id and User::\"u\" in r.owners\n"
    "\n"
    "limit spend payments.transfer.amount per task <= 50000 USD for Bot because \"cap\"\n"
    "\n"
    "budget tokens per task 200000\n"
    "  warn at 80%, 90%\n"
    "  then suspend by principal.acts_for.manager\n"
    "\n"
    "rate salesforce.* 500 per 1h for Bot because \"slow\"\n"
    "\n"
    "pool database 20 calls db.* then queue\n"
    "\n"
    "output result db.query.text {\n"
    "  forbid pii.card because \"cards\"\n"
    "  redact pii.email\n"
    "}\n"
    "\n"
    "test \"t\" {\n"
    "  entity User::\"a\" { department: \"eng\" } in Org::\"o\"\n"
    "  session { tokens: -1 * 2 }\n"
    "  call db.query(sql: \"x\") as Bot::\"b\"\n"
    "  result db.query(sql: \"x\") returns { rows_affected: 5 } as Bot::\"b\"\n"
    "  expect approval_required because \"large\" warn \"w\"\n"
    "}\n";

// Constructs in their broken layouts.
constexpr std::string_view kBrokenLayouts =
    "package p\n"
    "\n"
    "entity Account {\n"
    "  owner: string,\n"
    "  revenue: money,\n"
    "  region: string,\n"
    "  limits: { daily: money }\n"
    "}\n"
    "\n"
    "tool crm.update_account(\n"
    "  account_id: string,\n"
    "  owner_email: string,\n"
    "  annual_revenue: money,\n"
    "  region: string,\n"
    "  notes: string\n"
    ") -> {\n"
    "  updated: bool,\n"
    "  previous_owner_email_address: string,\n"
    "  previous_annual_revenue_in_dollars: money\n"
    "}\n"
    "\n"
    "permit call erp.create_purchase_order, erp.get_purchase_order, erp.cancel_purchase_order\n"
    "  for ProcurementBot\n"
    "  when principal.acts_for.department_name == \"finance_department\"\n"
    "    or args.amount_in_dollars > 100 USD\n"
    "    and all r in args.lines: r.amount < 50 USD\n"
    "\n"
    "test \"t\" {\n"
    "  call payments.transfer(\n"
    "    amount: 60000 USD,\n"
    "    to: \"acct-0042-external\",\n"
    "    memo: \"quarterly\"\n"
    "  ) as ProcurementBot::\"bot\"\n"
    "  expect allow\n"
    "}\n";

TEST(FormatTest, AllConstructsAreCanonical) {
  ExpectCanonical(kAllConstructs);
  ExpectCanonical(kBrokenLayouts);
}

// Inserting a comment at any gap between tokens must keep the comment and the AST, and format
// to a fixed point. The comment's style rotates with the gap, so each style meets every kind
// of gap.
void CheckCommentsAtEveryTokenGap(std::string_view canonical) {
  std::string base(canonical);
  std::vector<size_t> gaps;
  bool in_string = false;
  for (size_t i = 0; i < base.size(); ++i) {
    char c = base[i];
    if (c == '"' && (i == 0 || base[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\n')) gaps.push_back(i);
  }
  constexpr std::string_view kStyles[] = {" /* c */ ", " // c\n", "\n// c\n",
                                          "\n\n/* c\n  c */\n\n"};
  int checked = 0;
  for (size_t i = 0; i < gaps.size(); ++i) {
    std::string text = base.substr(0, gaps[i]) + std::string(kStyles[i % std::size(kStyles)]) +
                       base.substr(gaps[i]);
    std::unique_ptr<Parsed> parsed = ParseText(text);
    if (parsed->diagnostics.has_errors()) continue;  // e.g. inside `50000 USD`
    ++checked;
    std::string out = Format(parsed->sources, parsed->file);
    absl::Status verified = VerifyRoundTrip(parsed->file, out);
    ASSERT_TRUE(verified.ok()) << verified << "\ninput:\n" << text << "\noutput:\n" << out;
    std::unique_ptr<Parsed> again = ParseText(out);
    ASSERT_EQ(Format(again->sources, again->file), out) << "input:\n" << text;
  }
  EXPECT_GT(checked, static_cast<int>(gaps.size()) * 3 / 4);
}

TEST(FormatTest, CommentsAtEveryTokenGapSurvive) {
  CheckCommentsAtEveryTokenGap(kAllConstructs);
  CheckCommentsAtEveryTokenGap(kBrokenLayouts);
}

// ---- corpus ----------------------------------------------------------------------------------

std::filesystem::path SourceDir() {
#ifdef WRIT_SOURCE_DIR
  if (std::filesystem::exists(WRIT_SOURCE_DIR)) return WRIT_SOURCE_DIR;
#endif
  return std::filesystem::current_path();
}

// Every example and golden file that parses must format to a fixed point with the same AST and
// comments. Files that must fail (`fail_*.writ`) and files that do not parse are skipped.
TEST(FormatTest, CorpusRoundTripsAndIsIdempotent) {
  std::vector<std::filesystem::path> files;
  for (const char* folder : {"policies", "tests/golden"}) {
    std::filesystem::path root = SourceDir() / folder;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".writ") {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  int formatted = 0;
  for (const std::filesystem::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::unique_ptr<Parsed> parsed = ParseText(text.str());
    if (parsed->diagnostics.has_errors()) continue;
    ++formatted;
    std::string out = Format(parsed->sources, parsed->file);
    absl::Status verified = VerifyRoundTrip(parsed->file, out);
    EXPECT_TRUE(verified.ok()) << path << ": " << verified;
    std::unique_ptr<Parsed> again = ParseText(out);
    ASSERT_FALSE(again->diagnostics.has_errors()) << path;
    EXPECT_EQ(Format(again->sources, again->file), out) << path << ": not a fixed point";
  }
  std::printf("formatted %d of %zu corpus files\n", formatted, files.size());
}

TEST(FormatTest, VerifyRoundTripReportsDifferences) {
  std::unique_ptr<Parsed> parsed = ParseText("package p\npermit call a // why\n");
  ASSERT_FALSE(parsed->diagnostics.has_errors());
  EXPECT_TRUE(VerifyRoundTrip(parsed->file, "package p\npermit call a // why\n").ok());
  EXPECT_FALSE(VerifyRoundTrip(parsed->file, "package p\npermit call a\n").ok());
  EXPECT_FALSE(VerifyRoundTrip(parsed->file, "package p\npermit call b // why\n").ok());
  EXPECT_FALSE(VerifyRoundTrip(parsed->file, "package p\npermit call // why\n").ok());
}

}  // namespace
}  // namespace writ::format
