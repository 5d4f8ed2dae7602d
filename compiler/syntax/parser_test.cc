// The syntax layer on valid input: every construct of the grammar parses to the expected
// AST (compared as DumpAst text), literals decode exactly, comments are kept and spans point
// at the right bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "compiler/syntax/internal/lexical.h"
#include "compiler/syntax/test_util.h"

namespace writ::syntax {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Parsed;
using testing::ParseText;

// Parses `package p` followed by `source`, expects no diagnostics, and returns the dump
// without the package line.
std::string DumpOf(const std::string& source) {
  Parsed parsed = ParseText("package p\n" + source);
  EXPECT_THAT(parsed.messages(), IsEmpty()) << source;
  std::string dump = parsed.dump();
  const std::string package = "(package p)\n";
  EXPECT_EQ(dump.substr(0, package.size()), package);
  return dump.substr(package.size());
}

// The dump of one expression, written as the condition of a rule.
std::string ExprDump(const std::string& expr) {
  std::string dump = DumpOf("permit call t when " + expr + "\n");
  const std::string prefix = "(rule permit call (tools t) (when ";
  const std::string suffix = "))\n";
  if (dump.size() < prefix.size() + suffix.size() || dump.substr(0, prefix.size()) != prefix) return "bad: " + dump;
  return dump.substr(prefix.size(), dump.size() - prefix.size() - suffix.size());
}

// ---- declarations ---------------------------------------------------------------------------

TEST(ParseDecls, PackageAndImports) {
  Parsed parsed = ParseText("package acme.procurement\nimport std.sql\nimport std.pii as pii_checks\n");
  EXPECT_THAT(parsed.messages(), IsEmpty());
  EXPECT_EQ(parsed.dump(),
            "(package acme.procurement)\n"
            "(import std.sql)\n"
            "(import std.pii (as pii_checks))\n");
  ASSERT_EQ(parsed.file.imports.size(), 2u);
  EXPECT_EQ(parsed.file.imports[0].bound_name().text, "sql");
  EXPECT_EQ(parsed.file.imports[1].bound_name().text, "pii_checks");
  EXPECT_EQ(parsed.text(parsed.file.package->span), "package acme.procurement");
  EXPECT_EQ(parsed.text(parsed.file.imports[1].span), "import std.pii as pii_checks");
}

TEST(ParseDecls, Entities) {
  EXPECT_EQ(DumpOf("entity Department"), "(entity Department)\n");
  EXPECT_EQ(DumpOf("entity Empty {}"), "(entity Empty (body))\n");
  EXPECT_EQ(DumpOf("entity User in Department, org.Team {\n"
                   "  department: string,\n"
                   "  approval_limit: money,\n"
                   "  manager?: User,\n"
                   "  tags: set<string>,\n"
                   "  limits: map<string, int>,\n"
                   "  address: { city: string, zip?: string },\n"
                   "}"),
            "(entity User (in Department org.Team) (body (department string) (approval_limit money) "
            "(manager? User) (tags (set string)) (limits (map string int)) "
            "(address (record-type (city string) (zip? string)))))\n");
}

TEST(ParseDecls, Enum) {
  EXPECT_EQ(DumpOf("enum Region { us, eu, apac, }"), "(enum Region us eu apac)\n");
}

TEST(ParseDecls, Agents) {
  EXPECT_EQ(DumpOf("agent ProcurementBot in Bots {\n"
                   "  acts_for: common.User,\n"
                   "  credentials { erp: [\"po.write\", \"po.read\"] ttl 15m, crm: [] ttl 1h30m }\n"
                   "  region: Region\n"
                   "  spend_cap?: money,\n"
                   "}"),
            "(agent ProcurementBot (in Bots) (acts_for common.User) "
            "(credentials (erp (scopes \"po.write\" \"po.read\") (ttl (duration 900000 \"15m\"))) "
            "(crm (scopes) (ttl (duration 5400000 \"1h30m\")))) (region Region) (spend_cap? money))\n");
  EXPECT_EQ(DumpOf("agent Empty {}"), "(agent Empty)\n");
}

TEST(ParseDecls, Tools) {
  EXPECT_EQ(DumpOf("tool payments.transfer(amount: money, to: string, memo?: string)"),
            "(tool payments.transfer (params (amount money) (to string) (memo? string)))\n");
  EXPECT_EQ(DumpOf("tool db.query(sql: string) -> { rows_affected: int, text: string }"),
            "(tool db.query (params (sql string)) (result (record-type (rows_affected int) (text string))))\n");
  EXPECT_EQ(DumpOf("tool clock.now() -> timestamp"), "(tool clock.now (params) (result timestamp))\n");
}

TEST(ParseDecls, RulesWithEveryClause) {
  EXPECT_EQ(DumpOf("permit call payments.transfer for ProcurementBot"),
            "(rule permit call (tools payments.transfer) (for ProcurementBot))\n");
  EXPECT_EQ(DumpOf("big_payments: soft shadow require_approval call payments.transfer, crm.*, * for A, b.B\n"
                   "  when args.amount > 1000 USD\n"
                   "  by principal.acts_for.manager\n"
                   "  timeout 4h\n"
                   "  grant erp [\"po.write\"] ttl 5m\n"
                   "  grant crm\n"
                   "  warn \"large payment\"\n"
                   "  because \"needs a second pair of eyes\""),
            "(rule (label big_payments) (modifiers soft shadow) require_approval call "
            "(tools payments.transfer crm.* *) (for A b.B) "
            "(when (> (. args amount) (money 10000000 USD \"1000 USD\"))) "
            "(by (. (. principal acts_for) manager)) (timeout (duration 14400000 \"4h\")) "
            "(grant erp (scopes \"po.write\") (ttl (duration 300000 \"5m\"))) (grant crm) "
            "(warn \"large payment\") (because \"needs a second pair of eyes\"))\n");
  EXPECT_EQ(DumpOf("advisory hard forbid result db.query when result.rows_affected > 100 because \"too many\""),
            "(rule (modifiers advisory hard) forbid result (tools db.query) "
            "(when (> (. result rows_affected) (int 100))) (because \"too many\"))\n");
  EXPECT_EQ(DumpOf("grant_only: permit call erp.* grant erp []"),
            "(rule (label grant_only) permit call (tools erp.*) (grant erp (scopes)))\n");
}

TEST(ParseDecls, KeywordsUsableAsNames) {
  // Words that are keywords in one position stay usable as names elsewhere.
  EXPECT_EQ(DumpOf("entity Call { call: string, result: int, for: string, by: string, session: int }"),
            "(entity Call (body (call string) (result int) (for string) (by string) (session int)))\n");
  EXPECT_EQ(DumpOf("forbid call session.end when session.calls > 5 because \"r\""),
            "(rule forbid call (tools session.end) (when (> (. session calls) (int 5))) (because \"r\"))\n");
}

TEST(ParseDecls, Limits) {
  EXPECT_EQ(DumpOf("limit spend payments.transfer.amount per task <= 50000 USD"),
            "(limit payments.transfer.amount (per task) (<= (money 500000000 USD \"50000 USD\")))\n");
  EXPECT_EQ(DumpOf("cap: hard limit spend payments.*.amount per day <= principal.acts_for.approval_limit\n"
                   "  for ProcurementBot because \"over the user's limit\""),
            "(limit (label cap) (modifiers hard) payments.*.amount (per day) "
            "(<= (. (. principal acts_for) approval_limit)) (for ProcurementBot) "
            "(because \"over the user's limit\"))\n");
}

TEST(ParseDecls, Budgets) {
  EXPECT_EQ(DumpOf("budget tokens per task 200000 warn at 80%"),
            "(budget tokens (per task) (amount (int 200000)) (warn-at 80%))\n");
  EXPECT_EQ(DumpOf("budget time 2h for Bot warn at 50%, 90% then require_approval by principal.acts_for "
                   "because \"task ran long\""),
            "(budget time (amount (duration 7200000 \"2h\")) (for Bot) (warn-at 50% 90%) "
            "(then require_approval (by (. principal acts_for))) (because \"task ran long\"))\n");
  EXPECT_EQ(DumpOf("shadow budget spend per day 1_000.50 EUR then terminate"),
            "(budget (modifiers shadow) spend (per day) (amount (money 10005000 EUR \"1_000.50 EUR\")) "
            "(then terminate))\n");
}

TEST(ParseDecls, Rates) {
  EXPECT_EQ(DumpOf("rate salesforce.* 500 per 1h"),
            "(rate (tools salesforce.*) (count (int 500)) (per (duration 3600000 \"1h\")))\n");
  EXPECT_EQ(DumpOf("r: rate a.b, c.* 1_000 per 100ms for Bot because \"slow down\""),
            "(rate (label r) (tools a.b c.*) (count (int 1000 \"1_000\")) (per (duration 100 \"100ms\")) "
            "(for Bot) (because \"slow down\"))\n");
}

TEST(ParseDecls, Pools) {
  EXPECT_EQ(DumpOf("pool database 20 calls db.*, warehouse.query then queue"),
            "(pool database (size (int 20)) (calls db.* warehouse.query) (then queue))\n");
  EXPECT_EQ(DumpOf("pool bots 50 sessions ProcurementBot, ops.Bot"),
            "(pool bots (size (int 50)) (sessions ProcurementBot ops.Bot))\n");
}

TEST(ParseDecls, Outputs) {
  EXPECT_EQ(DumpOf("output email.send.body {\n"
                   "  forbid pii.card because \"no card numbers\"\n"
                   "  redact pii.email, pii.phone\n"
                   "}"),
            "(output email.send.body (forbid pii.card (because \"no card numbers\")) "
            "(redact pii.email pii.phone))\n");
  EXPECT_EQ(DumpOf("soft output result db.query.text { }"), "(output (modifiers soft) (phase result) db.query.text)\n");
  EXPECT_EQ(DumpOf("output call chat.*.text { redact pii.email }"),
            "(output (phase call) chat.*.text (redact pii.email))\n");
}

TEST(ParseDecls, Tests) {
  EXPECT_EQ(DumpOf("test \"DDL is refused\" {\n"
                   "  entity User::\"alice\" { department: \"ops\", approval_limit: 100 USD } in Dept::\"ops\", Org::\"acme\"\n"
                   "  entity Dept::\"ops\"\n"
                   "  entity Org::\"acme\" {}\n"
                   "  session { tokens_used: 1000, elapsed: 5m }\n"
                   "  call db.query(sql: \"DROP TABLE users\") as ProcurementBot::\"bot-1\"\n"
                   "  expect deny because \"DDL is not allowed\"\n"
                   "  result db.query(sql: \"SELECT 1\") returns { rows_affected: 0 } as common.Bot::\"b\"\n"
                   "  expect allow warn \"w\" because \"r\"\n"
                   "  call payments.transfer() as Bot::\"b\"\n"
                   "  expect approval_required\n"
                   "}"),
            "(test \"DDL is refused\" "
            "(entity (ref User \"alice\") (body (department \"ops\") (approval_limit (money 1000000 USD \"100 USD\"))) "
            "(in (ref Dept \"ops\") (ref Org \"acme\"))) "
            "(entity (ref Dept \"ops\")) "
            "(entity (ref Org \"acme\") (body)) "
            "(session (tokens_used (int 1000)) (elapsed (duration 300000 \"5m\"))) "
            "(call db.query (args (sql \"DROP TABLE users\")) (as (ref ProcurementBot \"bot-1\"))) "
            "(expect deny (because \"DDL is not allowed\")) "
            "(result db.query (args (sql \"SELECT 1\")) (returns (record (rows_affected (int 0)))) "
            "(as (ref common.Bot \"b\"))) "
            "(expect allow (warn \"w\") (because \"r\")) "
            "(call payments.transfer (args) (as (ref Bot \"b\"))) "
            "(expect approval_required))\n");
}

// ---- expressions ----------------------------------------------------------------------------

TEST(ParseExprs, Precedence) {
  EXPECT_EQ(ExprDump("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(ExprDump("a and b or c"), "(or (and a b) c)");
  EXPECT_EQ(ExprDump("not a in b"), "(not (in a b))");
  EXPECT_EQ(ExprDump("not a and b"), "(and (not a) b)");
  EXPECT_EQ(ExprDump("-x * y"), "(* (- x) y)");
  EXPECT_EQ(ExprDump("a + b * c - d"), "(- (+ a (* b c)) d)");
  EXPECT_EQ(ExprDump("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(ExprDump("a / b % c"), "(% (/ a b) c)");
  EXPECT_EQ(ExprDump("a + 1 < b * 2"), "(< (+ a (int 1)) (* b (int 2)))");
  EXPECT_EQ(ExprDump("a == b and c != d"), "(and (== a b) (!= c d))");
  EXPECT_EQ(ExprDump("a <= b or a >= b"), "(or (<= a b) (>= a b))");
  EXPECT_EQ(ExprDump("(a or b) and c"), "(and (paren (or a b)) c)");
  EXPECT_EQ(ExprDump("-a.b"), "(- (. a b))");
  EXPECT_EQ(ExprDump("not not a"), "(not (not a))");
  EXPECT_EQ(ExprDump("a in b == c"), "(in a (== b c))");
}

TEST(ParseExprs, MembersCallsAndEntities) {
  EXPECT_EQ(ExprDump("principal.acts_for.approval_limit"), "(. (. principal acts_for) approval_limit)");
  EXPECT_EQ(ExprDump("sql.is_ddl(args.sql)"), "(call (. sql is_ddl) (. args sql))");
  EXPECT_EQ(ExprDump("f()"), "(call f)");
  EXPECT_EQ(ExprDump("f(a, b)(c)"), "(call (call f a b) c)");
  EXPECT_EQ(ExprDump("principal in common.User::\"x\""), "(in principal (:: (. common User) \"x\"))");
  EXPECT_EQ(ExprDump("User::\"a\\\"b\""), "(:: User \"a\\\"b\")");
}

TEST(ParseExprs, QuantifiersSetsRecordsHasLike) {
  EXPECT_EQ(ExprDump("any t in args.tags: t like \"secret*\""),
            "(any t (. args tags) (like t \"secret*\"))");
  EXPECT_EQ(ExprDump("all r in result.rows: r.ok and r.size < 10"),
            "(all r (. result rows) (and (. r ok) (< (. r size) (int 10))))");
  EXPECT_EQ(ExprDump("a and any x in s: x or y"), "(and a (any x s (or x y)))");
  EXPECT_EQ(ExprDump("args.to in [\"a\", \"b\",]"), "(in (. args to) (set \"a\" \"b\"))");
  EXPECT_EQ(ExprDump("[] == [1]"), "(== (set) (set (int 1)))");
  EXPECT_EQ(ExprDump("{ a: 1, b: { c: true } } == {}"),
            "(== (record (a (int 1)) (b (record (c true)))) (record))");
  EXPECT_EQ(ExprDump("principal has manager and not (args has memo)"),
            "(and (has principal manager) (not (paren (has args memo))))");
  EXPECT_EQ(ExprDump("args.to like \"*@example.com\""), "(like (. args to) \"*@example.com\")");
}

TEST(ParseExprs, Literals) {
  EXPECT_EQ(ExprDump("x == 1_000_000"), "(== x (int 1000000 \"1_000_000\"))");
  EXPECT_EQ(ExprDump("x == 9223372036854775807"), "(== x (int 9223372036854775807))");
  EXPECT_EQ(ExprDump("x == 12.50 USD"), "(== x (money 125000 USD \"12.50 USD\"))");
  EXPECT_EQ(ExprDump("x == 0.0001 EUR"), "(== x (money 1 EUR \"0.0001 EUR\"))");
  EXPECT_EQ(ExprDump("x == 7\t  JPY"), "(== x (money 70000 JPY \"7 JPY\"))");
  EXPECT_EQ(ExprDump("x == 1h30m"), "(== x (duration 5400000 \"1h30m\"))");
  EXPECT_EQ(ExprDump("x == 100ms"), "(== x (duration 100 \"100ms\"))");
  EXPECT_EQ(ExprDump("x == 2d12h"), "(== x (duration 216000000 \"2d12h\"))");
  EXPECT_EQ(ExprDump("x == true or y == false"), "(or (== x true) (== y false))");
  EXPECT_EQ(ExprDump(R"(x == "tab\there \"q\" back\\slash nl\n cr\r nul\0 \u{48}\u{e9}\u{1F600}")"),
            R"((== x "tab\there \"q\" back\\slash nl\n cr\r nul\0 Hé😀"))");
}

TEST(Lexical, Strings) {
  std::string out, bad;
  EXPECT_TRUE(DecodeString(R"(a\"b\\c\nd\re\tf\0g\u{41}\u{10FFFF})", out, bad));
  EXPECT_EQ(out, std::string("a\"b\\c\nd\re\tf\0gA\xF4\x8F\xBF\xBF", 18));
  for (const char* body : {R"(\q)", R"(\u{D800})", R"(\u{110000})", R"(\u{})", R"(\u{1234567})", R"(\u41)", "\\"}) {
    EXPECT_FALSE(DecodeString(body, out, bad)) << body;
  }
  EXPECT_FALSE(DecodeString(R"(ok \x here)", out, bad));
  EXPECT_EQ(bad, R"(\x)");
  // QuoteString is the inverse of DecodeString for every byte string of valid UTF-8.
  for (std::string value : {std::string("plain"), std::string("q\"b\\n\n\r\t"), std::string("nul\0x", 5),
                            std::string("\x01\x1f\x7f"), std::string("h\xC3\xA9 \xF0\x9F\x98\x80")}) {
    std::string quoted = QuoteString(value);
    ASSERT_GE(quoted.size(), 2u);
    EXPECT_TRUE(DecodeString(quoted.substr(1, quoted.size() - 2), out, bad)) << quoted;
    EXPECT_EQ(out, value) << quoted;
  }
  EXPECT_EQ(QuoteString("a\x01"), R"("a\u{1}")");
}

TEST(Lexical, Numbers) {
  using namespace internal;
  EXPECT_EQ(ParseInt("0"), 0);
  EXPECT_EQ(ParseInt("1_000"), 1000);
  EXPECT_EQ(ParseInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseInt("9223372036854775808"), std::nullopt);
  EXPECT_EQ(ParseDuration("1h30m"), 5400000);
  EXPECT_EQ(ParseDuration("1m1ms"), 60001);
  EXPECT_EQ(ParseDuration("106751991167d"), 106751991167LL * 86400000);
  EXPECT_EQ(ParseDuration("106751991168d"), std::nullopt);
  EXPECT_EQ(ParseMoney("12.5 USD")->units, 125000);
  EXPECT_EQ(ParseMoney("12.5 USD")->currency, "USD");
  EXPECT_EQ(ParseMoney("922337203685477.5807 USD")->units, INT64_MAX);
  EXPECT_EQ(ParseMoney("922337203685477.5808 USD"), std::nullopt);
  EXPECT_EQ(ParseMoney("1.00000 USD"), std::nullopt);
  EXPECT_EQ(ParsePercent("80%"), 80);
}

TEST(Lexical, Utf8) {
  using namespace internal;
  EXPECT_EQ(FindInvalidUtf8("plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), kValidUtf8);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xE0\x80\xAF"), 1u);      // overlong, three bytes
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);     // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);   // U+110000
  EXPECT_EQ(FindInvalidUtf8("abc\xE2\x82"), 3u);        // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82z"), 0u);          // truncated before ASCII
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);               // stray continuation
}

// ---- comments and spans ---------------------------------------------------------------------

TEST(Parse, CommentsAreKeptInOrderWithExactText) {
  std::string source =
      "// header comment\n"
      "package p /* inline */\n"
      "/* block\n   over lines */ entity A // trailing \xC3\xA9\n";
  Parsed parsed = ParseText(source);
  EXPECT_THAT(parsed.messages(), IsEmpty());
  ASSERT_EQ(parsed.file.comments.size(), 4u);
  EXPECT_EQ(parsed.file.comments[0].text, "// header comment");
  EXPECT_EQ(parsed.file.comments[1].text, "/* inline */");
  EXPECT_EQ(parsed.file.comments[2].text, "/* block\n   over lines */");
  EXPECT_EQ(parsed.file.comments[3].text, "// trailing \xC3\xA9");
  for (const Comment& comment : parsed.file.comments) EXPECT_EQ(parsed.text(comment.span), comment.text);
  EXPECT_EQ(parsed.file.comments[1].span.begin, source.find("/* inline"));
}

TEST(Parse, SpansAreByteOffsets) {
  // Multi-byte characters before the declarations shift code point indexes away from bytes.
  std::string source =
      "package p // \xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\n"
      "entity User { name: string, manager?: User }\n"
      "forbid call payments.transfer for Bot\n"
      "  when args.amount > principal.cap and \"\xC3\xA9t\xC3\xA9\" in args.tags\n"
      "  because \"too much\"\n";
  Parsed parsed = ParseText(source);
  ASSERT_THAT(parsed.messages(), IsEmpty());
  ASSERT_EQ(parsed.file.decls.size(), 2u);
  EXPECT_EQ(parsed.text(parsed.file.decls[0].span), "entity User { name: string, manager?: User }");
  const auto& entity = std::get<EntityDecl>(parsed.file.decls[0].kind);
  EXPECT_EQ(parsed.text(entity.name.span), "User");
  EXPECT_EQ(parsed.text(entity.attrs[1].span), "manager?: User");
  EXPECT_EQ(parsed.text(parsed.file.type(entity.attrs[1].type).span), "User");

  const Decl& decl = parsed.file.decls[1];
  EXPECT_EQ(parsed.text(decl.span),
            "forbid call payments.transfer for Bot\n"
            "  when args.amount > principal.cap and \"\xC3\xA9t\xC3\xA9\" in args.tags\n"
            "  because \"too much\"");
  const auto& rule = std::get<RuleDecl>(decl.kind);
  EXPECT_EQ(parsed.text(rule.effect_span), "forbid");
  EXPECT_EQ(parsed.text(rule.tools[0].span), "payments.transfer");
  EXPECT_EQ(parsed.text(rule.tools[0].parts[1].span), "transfer");
  EXPECT_EQ(parsed.text(rule.principals[0].span), "Bot");
  ASSERT_EQ(rule.clauses.size(), 2u);
  EXPECT_EQ(parsed.text(rule.clauses[0].span),
            "when args.amount > principal.cap and \"\xC3\xA9t\xC3\xA9\" in args.tags");
  EXPECT_EQ(parsed.text(rule.clauses[1].span), "because \"too much\"");
  const Expr& condition = parsed.file.expr(std::get<WhenClause>(rule.clauses[0].kind).condition);
  const auto& conjunction = std::get<BinaryExpr>(condition.kind);
  EXPECT_EQ(parsed.text(parsed.file.expr(conjunction.lhs).span), "args.amount > principal.cap");
  const Expr& in = parsed.file.expr(conjunction.rhs);
  EXPECT_EQ(parsed.text(in.span), "\"\xC3\xA9t\xC3\xA9\" in args.tags");
  EXPECT_EQ(parsed.text(parsed.file.expr(std::get<BinaryExpr>(in.kind).lhs).span), "\"\xC3\xA9t\xC3\xA9\"");
  const auto& reason = std::get<BecauseClause>(rule.clauses[1].kind).reason;
  EXPECT_EQ(reason.value, "too much");
  EXPECT_EQ(parsed.text(reason.span), "\"too much\"");
}

TEST(Parse, SpansOfOtherNodes) {
  Parsed parsed = ParseText(
      "package p\n"
      "agent Bot { acts_for: User, credentials { erp: [\"a\"] ttl 15m } }\n"
      "budget tokens 100 warn at 80% then stop\n"
      "soft: shadow output db.query.text { redact pii.email because \"x\" }\n"
      "test \"t\" {\n  call db.query(sql: \"q\") as Bot::\"b\"\n  expect deny because \"r\"\n}\n");
  ASSERT_THAT(parsed.messages(), IsEmpty());
  ASSERT_EQ(parsed.file.decls.size(), 4u);
  const auto& agent = std::get<AgentDecl>(parsed.file.decls[0].kind);
  EXPECT_EQ(parsed.text(std::get<ActsForMember>(agent.members[0]).span), "acts_for: User");
  const auto& credentials = std::get<CredentialsMember>(agent.members[1]);
  EXPECT_EQ(parsed.text(credentials.span), "credentials { erp: [\"a\"] ttl 15m }");
  EXPECT_EQ(parsed.text(credentials.credentials[0].span), "erp: [\"a\"] ttl 15m");
  EXPECT_EQ(parsed.text(credentials.credentials[0].ttl.span), "15m");
  const auto& budget = std::get<BudgetDecl>(parsed.file.decls[1].kind);
  EXPECT_EQ(parsed.text(budget.amount.span), "100");
  EXPECT_EQ(parsed.text(budget.clauses[0].span), "warn at 80%");
  EXPECT_EQ(parsed.text(std::get<WarnAtClause>(budget.clauses[0].kind).thresholds[0].span), "80%");
  EXPECT_EQ(parsed.text(budget.clauses[1].span), "then stop");
  const Decl& output_decl = parsed.file.decls[2];
  EXPECT_EQ(parsed.text(output_decl.span), "soft: shadow output db.query.text { redact pii.email because \"x\" }");
  const auto& output = std::get<OutputDecl>(output_decl.kind);
  EXPECT_EQ(output.head.label->text, "soft");
  EXPECT_EQ(parsed.text(output.head.modifiers[0].span), "shadow");
  EXPECT_EQ(parsed.text(output.rules[0].span), "redact pii.email because \"x\"");
  const auto& test = std::get<TestDecl>(parsed.file.decls[3].kind);
  EXPECT_EQ(parsed.text(test.name.span), "\"t\"");
  EXPECT_EQ(parsed.text(test.stmts[0].span), "call db.query(sql: \"q\") as Bot::\"b\"");
  EXPECT_EQ(parsed.text(std::get<TestCall>(test.stmts[0].kind).args[0].span), "sql: \"q\"");
  EXPECT_EQ(parsed.text(std::get<TestCall>(test.stmts[0].kind).principal.span), "Bot::\"b\"");
  EXPECT_EQ(parsed.text(test.stmts[1].span), "expect deny because \"r\"");
}

TEST(Parse, ByteOrderMarkAndCrLf) {
  Parsed parsed = ParseText("\xEF\xBB\xBFpackage p\r\nentity A\r\n// c\r\n");
  EXPECT_THAT(parsed.messages(), IsEmpty());
  EXPECT_EQ(parsed.dump(), "(package p)\n(entity A)\n(comment \"// c\")\n");
  EXPECT_EQ(parsed.text(parsed.file.decls[0].span), "entity A");
}

// ---- DumpAst as an equality ------------------------------------------------------------------

TEST(DumpAst, EqualExactlyWhenTheAstIsEqual) {
  std::string a = ParseText("package p\nforbid call x when a+b>1 because \"r\"\n").dump();
  std::string b = ParseText("package  p\n\nforbid   call x\n  when a + b > 1\n  because \"\\u{72}\"\n").dump();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, ParseText("package p\nforbid call x when (a+b)>1 because \"r\"\n").dump());
  EXPECT_NE(a, ParseText("package p\nforbid call x when a+b>2 because \"r\"\n").dump());
  EXPECT_NE(ParseText("package p\nentity A").dump(), ParseText("package p\nentity A {}").dump());
  EXPECT_NE(ParseText("package p\npermit call x when a == 01").dump(),
            ParseText("package p\npermit call x when a == 1").dump());
}

// ---- a whole policy, and a large one ---------------------------------------------------------

TEST(Parse, BriefExample) {
  Parsed parsed = ParseText(R"(package procurement
import std.sql
import std.pii

entity User { department: string, approval_limit: money }
agent ProcurementBot { acts_for: User, credentials { erp: ["po.write"] ttl 15m } }
tool payments.transfer(amount: money, to: string)
tool db.query(sql: string) -> { rows_affected: int }

permit call payments.transfer for ProcurementBot
forbid call payments.transfer when args.amount > principal.acts_for.approval_limit
    because "exceeds the delegating user's approval limit"
limit spend payments.transfer.amount per task <= 50000 USD
forbid call db.query when sql.is_ddl(args.sql) because "DDL is not allowed"
forbid result db.query when result.rows_affected > 100 because "too many rows changed"
budget tokens per task 200000 warn at 80%
rate salesforce.* 500 per 1h

test "DDL is refused" {
  call db.query(sql: "DROP TABLE users") as ProcurementBot::"bot"
  expect deny because "DDL is not allowed"
}
)");
  EXPECT_THAT(parsed.messages(), IsEmpty());
  EXPECT_EQ(parsed.file.imports.size(), 2u);
  EXPECT_EQ(parsed.file.decls.size(), 12u);
}

TEST(Parse, FiveThousandRules) {
  std::string source = "package big\ntool t.run(n: int, s: string)\n";
  for (int i = 0; i < 5000; ++i) {
    source += fmt::format("r{0}: forbid call t.run for Bot{1} when args.n > {0} and args.s like \"x{0}*\" "
                          "or args.n in [1, 2, {0}] because \"rule {0}\"\n",
                          i, i % 7);
  }
  auto begin = std::chrono::steady_clock::now();
  Parsed parsed = ParseText(source);
  auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_THAT(parsed.messages(), IsEmpty());
  ASSERT_EQ(parsed.file.decls.size(), 5001u);
  const auto& last = std::get<RuleDecl>(parsed.file.decls.back().kind);
  EXPECT_EQ(last.head.label->text, "r4999");
  EXPECT_EQ(last.clauses.size(), 2u);
  // Not a benchmark: only a guard against accidentally quadratic parsing.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 60);
}

}  // namespace
}  // namespace writ::syntax
