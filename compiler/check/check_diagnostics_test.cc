// One case per diagnostic the checker emits, through driver::CompileSources: each asserts the
// complete list of diagnostics (code, line:column of the primary span, message, labels, notes
// and help), so a case also proves that one mistake gives one diagnostic.
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "compiler/check/check_test_util.h"
#include "compiler/check/checker.h"
#include "compiler/syntax/parser.h"

namespace writ::check {
namespace {

using ::testing::ElementsAre;
using test_util::Diagnose;
using test_util::kSchema;

struct Case {
  const char* name;
  const char* snippet;
  std::vector<std::string> expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class DiagnosticTest : public ::testing::TestWithParam<Case> {};

TEST_P(DiagnosticTest, ReportsExactlyTheseDiagnostics) {
  EXPECT_THAT(Diagnose({{"t.writ", std::string(kSchema) + GetParam().snippet}}),
              ::testing::ElementsAreArray(GetParam().expected));
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

const Case kNameCases[] = {
    {"UnknownName", "forbid call db.query when foo > 1 because \"x\"\n",
     {"W0201 12:27 unknown name `foo`"}},
    {"UnknownNameDidYouMean", "forbid call db.query when principl.region == Region.us because \"x\"\n",
     {"W0201 12:27 unknown name `principl` [help: did you mean `principal`?]"}},
    {"UnknownType", "entity Team { name: strng }\n",
     {"W0202 12:21 unknown type `strng` [help: did you mean `string`?]"}},
    {"UnknownTool", "permit call payments.tranfer\n",
     {"W0203 12:13 unknown tool `payments.tranfer` [help: did you mean `payments.transfer`?]"}},
    {"UnknownAttribute",
     "forbid call payments.transfer for Bot\n  when args.amount > principal.acts_for.aproval_limit\n  because \"over\"\n",
     {"W0204 13:41 `User` has no attribute `aproval_limit` [help: did you mean `approval_limit`?]"}},
    {"UnknownParameter", "forbid call payments.transfer when args.amout > 5 USD because \"x\"\n",
     {"W0205 12:41 tool `payments.transfer` has no parameter `amout` [help: did you mean `amount`?]"}},
    {"DuplicateDecl", "entity Team\nentity Team\n",
     {"W0207 13:8 `Team` is declared more than once [label 12:8 first declared here]"}},
    {"DuplicateTool", "tool db.query(sql: string)\n",
     {"W0207 12:6 `db.query` is declared more than once [label 11:6 first declared here]"}},
    {"DuplicateAttribute", "entity Team { name: string, name: string }\n",
     {"W0208 12:29 attribute `name` is declared more than once [label 12:15 first declared here]"}},
    {"UnknownFunction", "forbid call db.query when sql.is_dll(args.sql) because \"x\"\n",
     {"W0210 12:31 module `std.sql` has no member `is_dll` [help: did you mean `is_ddl`?]"}},
    {"UnknownEnumMember", "forbid call db.query for Bot when principal.region == Region.ue because \"x\"\n",
     {"W0211 12:62 enum `Region` has no member `ue` [help: did you mean `us`?]"}},
    {"NotAnAgent", "permit call db.query for User\n",
     {"W0212 12:26 `User` is not an agent"}},
    {"UnknownCredential", "permit call db.query for Bot grant erq\n",
     {"W0213 12:36 agent `Bot` declares no credential `erq` [help: did you mean `erp`?]"}},
    {"PatternMatchesNothing", "rate salesforce.* 500 per 1h\n",
     {"W0214 12:6 tool pattern `salesforce.*` matches no declared tool"}},
    {"CyclicHierarchy", "entity A in B\nentity B in A\n",
     {"W0215 13:13 entity hierarchy has a cycle through `A`"}},
    {"ModuleNotImported", "forbid call db.query when net.is_private(args.sql) because \"x\"\n",
     {"W0217 12:27 `std.net` is not imported [help: add `import std.net`]"}},
    {"DuplicateLabel", "no_ddl: forbid call db.query because \"a\"\nno_ddl: forbid call db.query because \"b\"\n",
     {"W0218 13:1 rule label `no_ddl` is used more than once [label 12:1 first used here]"}},
    {"NotAType", "entity Team { t: payments.transfer }\n",
     {"W0220 12:18 `payments.transfer` is not a type"}},
    {"NotAnEntityTypeParent", "entity Team in Region\n",
     {"W0221 12:16 `Region` is not an entity type"}},
    {"NotAnEntityTypeLiteral", "forbid call db.query when principal in Region::\"x\" because \"x\"\n",
     {"W0221 12:40 `Region` is not an entity type"}},
    {"DuplicateParameter", "tool mail.send(to: string, to: string)\n",
     {"W0222 12:28 parameter `to` is declared more than once [label 12:16 first declared here]"}},
    {"DuplicateEnumMember", "enum Color { red, red }\n",
     {"W0223 12:19 enum member `red` is declared more than once [label 12:14 first declared here]"}},
    {"ReservedName", "entity principal\n",
     {"W0224 12:8 `principal` is a reserved name"}},
};
INSTANTIATE_TEST_SUITE_P(Names, DiagnosticTest, ::testing::ValuesIn(kNameCases), CaseName);

const Case kTypeCases[] = {
    {"TypeMismatchArgument", "forbid call db.query when txt.length(5) > 1 because \"x\"\n",
     {"W0301 12:38 expected `string`, found `int`"}},
    {"BadOperands", "forbid call payments.transfer when args.to + 1 > 2 because \"x\"\n",
     {"W0302 12:36 operator `+` cannot be applied to `string` and `int`"}},
    {"BadOperandsEquality", "forbid call payments.transfer when args.to == 1 because \"x\"\n",
     {"W0302 12:36 operator `==` cannot be applied to `string` and `int`"}},
    {"ConditionNotBool", "forbid call payments.transfer when args.amount because \"x\"\n",
     {"W0303 12:36 condition must be `bool`, found `money`"}},
    {"CurrencyMismatch", "forbid call payments.transfer when args.amount > 5 USD + 3 EUR because \"x\"\n",
     {"W0304 12:50 cannot combine amounts in `USD` and `EUR`"}},
    {"BadInOperand", "forbid call payments.transfer when args.to in 5 because \"x\"\n",
     {"W0305 12:47 `in` needs an entity or a set on the right, found `int`"}},
    {"HasOnNonRecord", "forbid call payments.transfer when args.to has length because \"x\"\n",
     {"W0306 12:36 `has` needs an entity or record, found `string`"}},
    {"QuantifierNotSet", "forbid call payments.transfer when any t in args.to: t == \"x\" because \"x\"\n",
     {"W0307 12:45 `any` ranges over a set, found `string`"}},
    {"WrongArgumentCount", "forbid call db.query when sql.is_ddl() because \"x\"\n",
     {"W0308 12:27 `sql.is_ddl` takes 1 argument(s), 0 given"}},
    {"NotCallable", "forbid call payments.transfer when args.to(1) because \"x\"\n",
     {"W0309 12:36 `args.to` is not a function"}},
    {"OptionalAttribute",
     "forbid call payments.transfer for Bot\n  when principal.acts_for.manager == principal.acts_for because \"x\"\n",
     {"W0310 13:27 attribute `manager` is optional and may be absent [help: guard it: `principal.acts_for has manager and ...`]"}},
    {"OptionalAttributeGuardInOrDoesNotCount",
     "forbid call db.query for Bot\n  when principal.acts_for has manager or principal.acts_for.manager == principal.acts_for\n  because \"x\"\n",
     {"W0310 13:61 attribute `manager` is optional and may be absent [help: guard it: `principal.acts_for has manager and ...`]"}},
    {"MixedSetElements", "forbid call payments.transfer when args.to in [\"a\", 1] because \"x\"\n",
     {"W0311 12:53 set elements must share one type: `string` and `int`"}},
    {"BadUnaryOperand", "forbid call payments.transfer when not args.to because \"x\"\n",
     {"W0312 12:36 operator `not` cannot be applied to `string`"}},
    {"ResultInCallPhase", "forbid call db.query when result.rows_affected > 5 because \"x\"\n",
     {"W0313 12:27 `result` is not available in a `call` rule [help: write a `result` rule to inspect what the tool returned]"}},
    {"AmbiguousArgs", "forbid call * when args.sql == \"x\" because \"x\"\n",
     {"W0314 12:25 `args.sql` is not a parameter of every tool this rule matches [note: `payments.transfer` has no parameter `sql`] [help: narrow the rule's tool patterns to tools that share `sql`]"}},
    {"NotAValue", "forbid call db.query when User == 1 because \"x\"\n",
     {"W0315 12:27 `User` is not a value"}},
    {"NotComparable", "forbid call db.query when true < false because \"x\"\n",
     {"W0316 12:27 values of type `bool` cannot be compared with `bool`"}},
    {"ConstantOverflow", "forbid call db.query when 9223372036854775807 + 1 > 0 because \"x\"\n",
     {"W0317 12:27 arithmetic on constants overflows"}},
    {"ConstantOverflowMoney", "forbid call payments.transfer when args.amount > 922337203685477 USD * 10 because \"x\"\n",
     {"W0317 12:50 arithmetic on constants overflows"}},
    {"DivisionByZero", "forbid call db.query when 10 / 0 > 0 because \"x\"\n",
     {"W0318 12:27 division by the constant zero"}},
    {"NoMembers", "forbid call db.query when session.tool_calls.count > 0 because \"x\"\n",
     {"W0319 12:46 values of type `int` have no attributes"}},
    {"NotConstantTimestamp", "forbid call db.query when session.now > timestamp(args.sql) because \"x\"\n",
     {"W0320 12:51 the argument of `timestamp` must be a constant [help: write an RFC 3339 timestamp such as \"2026-01-01T00:00:00Z\"]"}},
    {"NotConstantRegex", "forbid call db.query when txt.matches(args.sql, args.sql) because \"x\"\n",
     {"W0320 12:49 the `regex` argument of `txt.matches` must be a constant [help: write it as a string literal, so it is compiled once]"}},
    {"NotConstantLikePattern", "forbid call payments.transfer when args.to like args.to because \"x\"\n",
     {"W0320 12:49 the pattern of `like` must be a constant [help: write it as a string literal, so it is compiled once]"}},
    {"LikePatternNotString", "forbid call payments.transfer when args.to like 5 because \"x\"\n",
     {"W0302 12:36 operator `like` cannot be applied to `string` and `int`"}},
    {"BadTypeArguments", "entity Team { names: set<string, int> }\n",
     {"W0321 12:22 type `set` takes 1 type argument(s), 2 given"}},
    {"BadTypeArgumentsScalar", "entity Team { names: int<string> }\n",
     {"W0321 12:22 type `int` takes 0 type argument(s), 1 given"}},
    {"ArgsWithoutTool", "budget time per task 48h then require_approval by args.sql\n",
     {"W0322 12:51 `args` and `result` are only available inside a rule"}},
    {"NotAvailableHere", "limit spend payments.transfer.amount per task <= session.spent\n",
     {"W0325 12:50 `session` is not available in a spending limit's bound"}},
    {"InvalidRegex", "forbid call db.query when txt.matches(args.sql, \"(\") because \"x\"\n",
     {"W0326 12:49 invalid regular expression: missing ): ( [help: regular expressions use RE2 syntax]"}},
    {"InvalidRegexParenthesized", "forbid call db.query when txt.matches(args.sql, (\"[a-\")) because \"x\"\n",
     {"W0326 12:49 invalid regular expression: missing ]: [a- [help: regular expressions use RE2 syntax]"}},
    {"BadTimestamp", "forbid call db.query when session.now > timestamp(\"yesterday\") because \"x\"\n",
     {"W0327 12:51 `yesterday` is not an RFC 3339 timestamp such as `2026-01-01T00:00:00Z`"}},
    {"BadTimestampDay", "forbid call db.query when session.now > timestamp(\"2026-02-30T00:00:00Z\") because \"x\"\n",
     {"W0327 12:51 `2026-02-30T00:00:00Z` is not an RFC 3339 timestamp such as `2026-01-01T00:00:00Z`"}},
    {"IntTimesDurationIsDuration", "forbid call db.query when 2 * 1h > 5 because \"x\"\n",
     {"W0316 12:27 values of type `duration` cannot be compared with `int`"}},
    {"UnionPrincipalAttribute", "forbid call db.query when principal.level > 1 because \"x\"\n",
     {"W0204 12:37 `Bot | Helper` has no attribute `level`"}},
};
INSTANTIATE_TEST_SUITE_P(Types, DiagnosticTest, ::testing::ValuesIn(kTypeCases), CaseName);

const Case kRuleCases[] = {
    {"ForbidWithoutReason", "forbid call db.query\n",
     {"W0401 12:1 `forbid` needs a `because` reason [help: say why the call is refused: add `because \"...\"` to the rule]"}},
    {"DuplicateClause", "forbid call db.query when true when false because \"x\"\n",
     {"W0402 12:32 `when` is given more than once [label 12:22 first given here]"}},
    {"DuplicateGrant", "permit call db.query for Bot grant erp grant erp\n",
     {"W0402 12:40 `grant erp` is given more than once [label 12:30 first given here]"}},
    {"ClauseNotAllowed", "permit call db.query timeout 1h\n",
     {"W0403 12:22 `timeout` is not allowed on a `permit` rule"}},
    {"GrantOnPermitResult", "permit result db.query for Bot grant erp\n",
     {"W0403 12:32 `grant` is not allowed on a `permit result` rule [help: grant the credential in a `permit call` rule]"}},
    {"ApprovalWithoutApprover", "require_approval call payments.transfer timeout 24h\n",
     {"W0404 12:1 `require_approval` needs `by` to say who may approve [help: add `by` with an entity, a set of entities or a group name]"}},
    {"ApprovalWithoutTimeout", "require_approval call payments.transfer for Bot by principal.acts_for\n",
     {"W0405 12:1 `require_approval` needs a `timeout` [help: add `timeout` with how long the approval may take, e.g. `timeout 24h`]"}},
    {"LevelOnPermit", "soft permit call db.query\n",
     {"W0415 12:1 `soft` has no effect on a `permit` rule [help: a `permit` stops nothing, so it has no level to enforce; remove the modifier]"}},
    {"LevelOnShadowPermit", "shadow hard permit result db.query\n",
     {"W0415 12:8 `hard` has no effect on a `permit` rule [help: a `permit` stops nothing, so it has no level to enforce; remove the modifier]"}},
    {"ConflictingLevelsOnPermit", "advisory soft permit call db.query\n",
     {"W0406 12:10 `soft` conflicts with `advisory` [label 12:1 the enforcement level is set here]",
      "W0415 12:1 `advisory` has no effect on a `permit` rule [help: a `permit` stops nothing, so it has no level to enforce; remove the modifier]"}},
    {"ConflictingModifiers", "advisory hard forbid call db.query because \"x\"\n",
     {"W0406 12:10 `hard` conflicts with `advisory` [label 12:1 the enforcement level is set here]"}},
    {"DuplicateModifier", "shadow shadow forbid call db.query because \"x\"\n",
     {"W0407 12:8 `shadow` is given more than once [label 12:1 first given here]"}},
    {"UnknownScope", "permit call db.query for Bot grant erp [\"po.wirte\"]\n",
     {"W0408 12:41 credential `erp` declares no scope `po.wirte` [help: did you mean `po.write`?]"}},
    {"TtlTooLong", "permit call db.query for Bot grant erp [\"po.read\"] ttl 1h\n",
     {"W0409 12:56 ttl 1h is longer than the 15m the agent's credential allows [label 8:59 declared here]"}},
    {"GrantWithoutAgent", "permit call db.query grant erp\n",
     {"W0410 12:22 `grant` needs the rule to name its agents with `for` [help: name the agents whose credential is granted: `for Agent`]"}},
    {"BadApprover", "require_approval call payments.transfer by 5 timeout 1h\n",
     {"W0411 12:44 approvers must be an entity, a set of entities or a string, found `int`"}},
    {"ToolHasNoResult", "forbid result payments.transfer because \"x\"\n",
     {"W0412 12:15 tool `payments.transfer` declares no result [help: `result` rules apply to tools declared with `-> type`]"}},
    {"NonPositiveDuration", "require_approval call payments.transfer by \"finance\" timeout 0s\n",
     {"W0413 12:62 duration must be greater than zero"}},
    {"EmptyReason", "forbid call db.query because \"\"\n",
     {"W0414 12:30 reason must not be empty"}},
};
INSTANTIATE_TEST_SUITE_P(Rules, DiagnosticTest, ::testing::ValuesIn(kRuleCases), CaseName);

const Case kBudgetCases[] = {
    {"UnknownPeriod", "limit spend payments.transfer.amount per weak <= 5 USD\n",
     {"W0501 12:42 unknown period `weak` [help: did you mean `week`?]"}},
    {"SpendNotMoney", "limit spend payments.transfer.to per task <= 5 USD\n",
     {"W0502 12:31 `payments.transfer.to` is `string`, but spending limits need `money`"}},
    {"LimitBoundNotMoney", "limit spend payments.transfer.amount per task <= 5\n",
     {"W0301 12:50 expected `money`, found `int`"}},
    {"UnknownBudgetKind", "budget tokns per task 1000\n",
     {"W0503 12:8 unknown budget `tokns` [help: did you mean `tokens`?]"}},
    {"BadBudgetAmount", "budget time per task 1000\n",
     {"W0504 12:22 a `time` budget takes a duration"}},
    {"BadThreshold", "budget tokens per task 1000 warn at 80%, 50%\n",
     {"W0505 12:42 warning threshold 50% must be below 100% and above the previous one"}},
    {"BadThresholdHundred", "budget tokens per task 1000 warn at 100%\n",
     {"W0505 12:37 warning threshold 100% must be below 100% and above the previous one"}},
    {"UnknownBudgetAction", "budget tokens per task 1000 then terminat\n",
     {"W0506 12:34 unknown action `terminat` after `then` [help: did you mean `terminate`?]"}},
    {"UnknownPoolAction", "pool db 20 calls db.* then queu\n",
     {"W0507 12:28 unknown action `queu` for a full pool [help: did you mean `queue`?]"}},
    {"OutputNotText", "output payments.transfer.amount { redact pii.email }\n",
     {"W0508 12:26 output rules apply to text, but `payments.transfer.amount` is `money`"}},
    {"OutputResultField", "output result db.query.rows_affected { redact pii.email }\n",
     {"W0508 12:24 output rules apply to text, but `db.query.rows_affected` is `int`"}},
    {"NonPositiveCountRate", "rate db.query 0 per 1h\n",
     {"W0509 12:15 the number of calls must be greater than zero"}},
    {"NonPositiveCountPool", "pool db 0 calls db.*\n",
     {"W0509 12:9 the size of a pool must be greater than zero"}},
    {"NonPositiveCountBudget", "budget calls per task 0\n",
     {"W0509 12:23 a budget's amount must be greater than zero"}},
    {"UnknownDetector", "output db.query.sql { redact pii.emal }\n",
     {"W0510 12:30 `pii.emal` is not a detector of std.pii [help: did you mean `email`?]"}},
    {"DuplicatePool", "pool db 20 calls db.*\npool db 10 calls db.*\n",
     {"W0511 13:6 pool `db` is declared more than once [label 12:6 first declared here]"}},
    {"TimeBudgetPerDay", "budget time per day 8h\n",
     {"W0513 12:17 a `time` budget cannot be counted `per day` [help: a `time` budget measures the task's own time (`session.elapsed`); write `per task` or leave the period out]"}},
    {"BudgetPerCall", "budget tokens per call 1000\n",
     {"W0513 12:19 a `tokens` budget cannot be counted `per call` [help: a budget counts over the task or a calendar period: `per task`, `hour`, `day`, `week` or `month`]"}},
    {"BudgetApproverMissing", "budget time per task 48h then require_approval\n",
     {"W0512 12:31 `then require_approval` needs `by` to say who may approve [help: add `by` with an entity, a set of entities or a group name]"}},
    {"OutputForbidWithoutReason", "output db.query.sql { forbid pii.card }\n",
     {"W0401 12:23 `forbid` needs a `because` reason [help: say why the output is refused: add `because \"...\"`]"}},
};
INSTANTIATE_TEST_SUITE_P(Budgets, DiagnosticTest, ::testing::ValuesIn(kBudgetCases), CaseName);

// A test's usual entities, lines 13 and 14 of a case.
#define ENTITIES                                                              \
  "  entity User::\"u\" { department: \"x\", approval_limit: 5 USD }\n"       \
  "  entity Bot::\"b\" { acts_for: User::\"u\", region: Region.us }\n"

const Case kTestCases[] = {
    {"TestWithoutExpect", "test \"t\" {\n" ENTITIES "  call db.query(sql: \"x\") as Bot::\"b\"\n}\n",
     {"W0601 15:3 request in test `t` has no `expect` [help: say what the decision must be: `expect allow`, `expect deny` or `expect approval_required`]"}},
    {"ExpectWithoutRequest", "test \"t\" {\n" ENTITIES "  expect allow\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0602 15:3 `expect` must follow a `call` or `result` [help: write the `call` or `result` it checks before it]"}},
    {"TestUnknownEntity", "test \"t\" {\n" ENTITIES "  call db.query(sql: \"x\") as Bot::\"nobody\"\n  expect allow\n}\n",
     {"W0603 15:30 entity `Bot::\"nobody\"` is not declared in this test [help: declare it in the test: `entity Bot::\"nobody\" { ... }`]"}},
    {"TestDuplicateEntity", "test \"t\" {\n" ENTITIES "  entity User::\"u\" { department: \"y\", approval_limit: 1 USD }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0604 15:10 entity `User::\"u\"` is declared more than once in this test [label 13:10 first declared here]"}},
    {"TestMissingArgument", "test \"t\" {\n" ENTITIES "  call payments.transfer(amount: 5 USD, tags: []) as Bot::\"b\"\n  expect allow\n}\n",
     {"W0605 15:8 missing argument `to` of tool `payments.transfer`"}},
    {"TestMissingAttribute", "test \"t\" {\n  entity User::\"u\" { department: \"x\" }\n  entity Bot::\"b\" { acts_for: User::\"u\", region: Region.us }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0606 13:10 entity `User::\"u\"` needs attribute `approval_limit`"}},
    {"TestPrincipalNotAgent", "test \"t\" {\n" ENTITIES "  call db.query(sql: \"x\") as User::\"u\"\n  expect allow\n}\n",
     {"W0607 15:30 `User::\"u\"` is not an agent, so it cannot make calls"}},
    {"DuplicateTestName", "test \"t\" {\n" ENTITIES "  call db.query(sql: \"x\") as Bot::\"b\"\n  expect deny\n}\ntest \"t\" {\n" ENTITIES "  call db.query(sql: \"y\") as Bot::\"b\"\n  expect deny\n}\n",
     {"W0608 18:6 test `t` is declared more than once [label 12:6 first declared here]"}},
    {"UnknownSessionFact", "test \"t\" {\n" ENTITIES "  session { tokens: 5 }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0609 15:13 unknown session fact `tokens`"}},
    {"TestEmpty", "test \"t\" {\n" ENTITIES "}\n",
     {"W0610 12:6 test `t` makes no request [help: add a `call` or `result` request and its `expect`]"}},
    {"BadParentType", "test \"t\" {\n  entity User::\"u\" { department: \"x\", approval_limit: 5 USD } in User::\"v\"\n  entity User::\"v\" { department: \"x\", approval_limit: 5 USD }\n  entity Bot::\"b\" { acts_for: User::\"u\", region: Region.us }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0611 13:66 `User::\"v\"` cannot be a parent of `User::\"u\"` [help: `User` may be in `Department`]"}},
    {"TestTypeMismatch", "test \"t\" {\n" ENTITIES "  call payments.transfer(amount: \"ten\", to: \"x\", tags: []) as Bot::\"b\"\n  expect deny\n}\n",
     {"W0301 15:34 expected `money`, found `string`"}},
    {"TestMissingField", "test \"t\" {\n" ENTITIES "  result db.query(sql: \"x\") returns { rows_affected: 1 } as Bot::\"b\"\n  expect allow\n}\n",
     {"W0323 15:37 missing field `text` of type `string`"}},
    {"TestUnknownField", "test \"t\" {\n" ENTITIES "  result db.query(sql: \"x\") returns { rows_affected: 1, text: \"\", rows: 3 } as Bot::\"b\"\n  expect allow\n}\n",
     {"W0324 15:67 `{rows_affected: int, text: string}` has no field `rows`"}},
    {"TestUnknownTool", "test \"t\" {\n" ENTITIES "  call db.qury(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0203 15:8 unknown tool `db.qury` [help: did you mean `db.query`?]"}},
    {"TestUnknownArgument", "test \"t\" {\n" ENTITIES "  call db.query(sql: \"x\", sq: \"y\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0205 15:27 tool `db.query` has no parameter `sq` [help: did you mean `sql`?]"}},
    {"TestValueNotConstant", "test \"t\" {\n" ENTITIES "  call db.query(sql: txt.lower(\"X\")) as Bot::\"b\"\n  expect allow\n}\n",
     {"W0320 15:22 a test value must be a constant [help: write a literal, a set, a record, an enum member or an entity of this test]"}},
    {"TestEntityValueNotDeclared", "test \"t\" {\n" ENTITIES "  entity Helper::\"h\" { acts_for: User::\"w\", region: Region.eu, level: 1 }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0603 15:34 entity `User::\"w\"` is not declared in this test [help: declare it in the test: `entity User::\"w\" { ... }`]"}},
    {"TestUnknownEntityAttribute", "test \"t\" {\n  entity User::\"u\" { department: \"x\", approval_limit: 5 USD, departmnt: \"y\" }\n  entity Bot::\"b\" { acts_for: User::\"u\", region: Region.us }\n  call db.query(sql: \"x\") as Bot::\"b\"\n  expect allow\n}\n",
     {"W0204 13:62 `User` has no attribute `departmnt` [help: did you mean `department`?]"}},
    {"TestResultOfToolWithoutResult", "test \"t\" {\n" ENTITIES "  result payments.transfer(amount: 5 USD, to: \"x\", tags: []) returns 1 as Bot::\"b\"\n  expect allow\n}\n",
     {"W0412 15:10 tool `payments.transfer` declares no result"}},
};
INSTANTIATE_TEST_SUITE_P(Tests, DiagnosticTest, ::testing::ValuesIn(kTestCases), CaseName);

#undef ENTITIES

// ---- packages and imports --------------------------------------------------------------------

TEST(DiagnosticsTest, UnknownPackage) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a\nimport nothere\nimport std.sqll\n"}}),
              ElementsAre("W0206 2:8 no package named `nothere`",
                          "W0206 3:8 no package named `std.sqll` [help: did you mean `std.sql`?]"));
}

TEST(DiagnosticsTest, DuplicateImport) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a\nimport std.sql\nimport std.sql\n"}}),
              ElementsAre("W0209 3:8 `sql` is imported more than once [label 2:8 first imported here]"));
}

TEST(DiagnosticsTest, ImportCycleIsReportedOnce) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a\nimport b\nentity A\n"},
                        {"b.writ", "package b\nimport c\nentity B\n"},
                        {"c.writ", "package c\nimport a\nentity C\n"}}),
              ElementsAre("W0216 2:8 import cycle through package `a`"));
}

TEST(DiagnosticsTest, SelfImport) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a.b\nimport a.b\n"}}),
              ElementsAre("W0219 2:8 package `a.b` imports itself"));
}

TEST(DiagnosticsTest, ReservedImportAliasAndPackage) {
  EXPECT_THAT(
      Diagnose({{"a.writ", "package std.mine\nimport std.sql as args\n"}}),
      ElementsAre("W0224 1:9 `std` is a reserved name [help: `std` holds the standard library; "
                  "choose another package name]",
                  "W0224 2:19 `args` is a reserved name [help: import it under another name: "
                  "`import std.sql as ...`]"));
}

TEST(DiagnosticsTest, DetectorsNeedTheirModule) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a\ntool mail.send(body: string)\n"
                                   "output mail.send.body { redact pii.email }\n"}}),
              ElementsAre("W0217 3:32 `std.pii` is not imported [help: add `import std.pii`]"));
}

// A call names its tool as the agent runtime does, without a package, and every package that
// declares the tool governs it: the declarations must agree.
TEST(DiagnosticsTest, PackagesDeclareOneToolAlike) {
  EXPECT_THAT(Diagnose({{"a.writ", "package a\ntool db.query(sql: string, max?: int) -> { rows: int }\n"
                                   "tool mail.send(to: string)\ntool web.get(url: string)\n"},
                        {"b.writ", "package b\ntool db.query(sql: string, max: int) -> { rows: int }\n"
                                   "tool mail.send(to: string) -> string\ntool web.get(url: string)\n"},
                        {"c.writ", "package c\nentity User\ntool db.query(sql: User)\n"
                                   "tool mail.send(to: string, cc: string)\n"}}),
              ElementsAre("W0226 2:6 tool `db.query` is declared differently in package `a` "
                          "[label 2:6 declared here] [note: parameter `max` is optional in "
                          "package `a` and required here]",
                          "W0226 3:6 tool `db.query` is declared differently in package `a` "
                          "[label 2:6 declared here] [note: parameter `sql` is `string` in package "
                          "`a` and `User` here]",
                          "W0226 3:6 tool `mail.send` is declared differently in package `a` "
                          "[label 3:6 declared here] [note: the result is not declared in package "
                          "`a` and `string` here]",
                          "W0226 4:6 tool `mail.send` is declared differently in package `a` "
                          "[label 3:6 declared here] [note: parameter `cc` is declared here but "
                          "not in package `a`]"));
}

// ---- expressions ---------------------------------------------------------------------------

TEST(DiagnosticsTest, OneMistakeGivesOneDiagnostic) {
  std::string source = std::string(kSchema) +
                       "forbid call payments.transfer for Bot\n"
                       "  when principal.acts_for.aproval_limit.units > 5 and args.amount + 1 USD > "
                       "principal.acts_for.aproval_limit * 2\n"
                       "    or [principal.acts_for.aproval_limit] == [args.amount]\n"
                       "  because \"x\"\n";
  EXPECT_THAT(Diagnose({{"t.writ", source}}),
              ElementsAre("W0204 13:27 `User` has no attribute `aproval_limit` [help: did you mean `approval_limit`?]",
                          "W0204 13:96 `User` has no attribute `aproval_limit` [help: did you mean `approval_limit`?]",
                          "W0204 14:28 `User` has no attribute `aproval_limit` [help: did you mean `approval_limit`?]"));
}

TEST(DiagnosticsTest, UnknownAttributeInsideAComparisonIsTheOnlyError) {
  std::string source = std::string(kSchema) +
                       "forbid call payments.transfer for Bot\n"
                       "  when principal.acts_for.departmnt.size > 5 and not (principal.region == Region.eu)\n"
                       "  because \"x\"\n";
  EXPECT_THAT(Diagnose({{"t.writ", source}}),
              ElementsAre("W0204 13:27 `User` has no attribute `departmnt` [help: did you mean `department`?]"));
}

TEST(DiagnosticsTest, HasGuardsMakeOptionalAttributesReadable) {
  std::string source = std::string(kSchema) + R"(forbid call payments.transfer for Bot
  when principal.acts_for has manager and (principal.acts_for.manager == principal.acts_for
    or principal.acts_for.manager.approval_limit < args.amount)
  because "x"
forbid call payments.transfer for Bot
  when (principal.acts_for has department and principal.acts_for has manager)
    and principal.acts_for.manager has manager and principal.acts_for.manager.manager == principal.acts_for
  because "x"
forbid call payments.transfer for Bot
  when any u in [principal.acts_for]: u has manager and u.manager == u
  because "x"
forbid call payments.transfer for Bot
  when not (principal.acts_for has manager) or principal.acts_for.manager == principal.acts_for
  because "x"
)";
  EXPECT_THAT(Diagnose({{"t.writ", source}}),
              ElementsAre("W0310 24:67 attribute `manager` is optional and may be absent [help: guard it: "
                          "`principal.acts_for has manager and ...`]"));
}

TEST(DiagnosticsTest, ArithmeticFollowsTheTypingRules) {
  std::string source = std::string(kSchema) + R"(forbid call payments.transfer
  when args.amount * 2 > 3 * args.amount - 100 USD / 4 + 1.5 USD
    and session.now - session.started_at > 1h * 2 - 30m
    and session.now + 1d > session.started_at - 1h
    and -session.elapsed < -(5m) and 7 % 3 == 1 and -args.amount < 0 USD
    and "a" < "b" and args.to like "*@acme.com"
  because "x"
forbid call payments.transfer when 2 * 1h > 30m and 3 * args.amount > 0 USD because "x"
forbid call payments.transfer when session.now + session.now > session.now because "x"
forbid call payments.transfer when args.amount / args.amount > 0 because "x"
forbid call payments.transfer when 5 % 0 == 0 because "x"
)";
  EXPECT_THAT(Diagnose({{"t.writ", source}}),
              ElementsAre("W0302 20:36 operator `+` cannot be applied to `timestamp` and `timestamp`",
                          "W0302 21:36 operator `/` cannot be applied to `money` and `money`",
                          "W0318 22:36 division by the constant zero"));
}

TEST(DiagnosticsTest, FailedDeclarationsDoNotCascade) {
  const char source[] = R"(package a
import nothere as n
entity User { manager?: User, name: string }
agent Bot { acts_for: Usr, home: n.Place }
tool t.run(x: n.Thing)
forbid call t.run when args.x == n.Zone::"z" or principal.acts_for.name == "x" because "x"
forbid call n.tools.* because "x"
forbid call t.run for Bot when principal.acts_for has nam and principal.acts_for.manager == principal
  because "x"
test "t" {
  entity Userr::"u" { name: "x" }
  entity Bot::"b" { home: "x" } in User::"u"
  call t.run(x: 1) as Bot::"b"
  expect deny
}
)";
  EXPECT_THAT(Diagnose({{"a.writ", source}}),
              ElementsAre("W0206 2:8 no package named `nothere`",
                          "W0202 4:23 unknown type `Usr` [help: did you mean `User`?]",
                          "W0202 11:10 unknown type `Userr` [help: did you mean `User`?]"));
}

// ---- the schema ------------------------------------------------------------------------------

TEST(DiagnosticsTest, SchemaMistakes) {
  const char source[] = R"(package a
entity User { name: string }
agent Bot in User {
  acts_for: User,
  acts_for: User,
  credentials { erp: ["x"] ttl 0s, erp: ["y"] ttl 1m },
}
)";
  EXPECT_THAT(Diagnose({{"a.writ", source}}),
              ElementsAre("W0208 5:3 attribute `acts_for` is declared more than once [label 4:3 first declared here]",
                          "W0413 6:32 duration must be greater than zero",
                          "W0207 6:36 `erp` is declared more than once [label 6:17 first declared here]"));
}


// The parser reports a decimal without a currency itself; the checker still refuses one in an
// AST built some other way rather than guess its type.
TEST(DiagnosticsTest, DecimalWithoutCurrency) {
  driver::Compilation c;
  FileId id = c.sources.Add("t.writ", "package a\ntool db.query(sql: string)\n"
                                      "forbid call db.query when 1 > 0 because \"x\"\n");
  c.files.push_back(syntax::Parse(c.sources, id, c.diagnostics));
  ASSERT_FALSE(c.diagnostics.has_errors());
  for (syntax::Expr& e : c.files[0].exprs) {
    if (std::holds_alternative<syntax::IntLit>(e.kind) && c.sources.Text(e.span) == "1") {
      e.kind = syntax::DecimalLit{"1.5"};
    }
  }
  c.program = Check(c.sources, c.files, c.diagnostics);
  EXPECT_THAT(test_util::Render(c),
              ElementsAre("W0109 3:27 decimal number `1.5` needs a currency [help: write the amount "
                          "with its currency, e.g. `1.5 USD`]"));
}

}  // namespace
}  // namespace writ::check
