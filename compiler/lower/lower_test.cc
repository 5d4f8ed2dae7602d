// Lowering tests. The golden cases in tests/golden_ir/ assert the lowering of every construct
// through the printer: each `NAME.writ` (or folder `NAME/` of files checked together) is lowered
// and printed, and must equal `NAME.ir`. Run with WRIT_GOLDEN_AUTOUPDATE=1 to rewrite the `.ir`
// files from what lowering now produces; review the diff, since it is the test.
//
// The other tests check properties no golden file shows at a glance: every policy in policies/
// and every example of docs/language.md lowers and verifies, the per-tool plans list exactly
// the rules whose patterns match, conditions are shared between tools exactly when their
// argument layouts agree, and fallible operations are marked.
#include "compiler/lower/lower.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/ir/print.h"
#include "compiler/ir/verify.h"

namespace writ::lower {
namespace {

namespace fs = std::filesystem;

const char kGoldenRoot[] = "tests/golden_ir";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Compiles and lowers; fails the test (and returns an empty policy) on any diagnostic error.
ir::Policy LowerCompilation(const driver::Compilation& compilation) {
  std::string errors;
  for (const diag::Diagnostic& d : compilation.diagnostics.diagnostics()) {
    errors += std::string(d.info().id) + " " + d.message + "\n";
  }
  EXPECT_FALSE(compilation.diagnostics.has_errors()) << errors;
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) return ir::Policy{};
  ir::Policy policy = Lower(compilation.sources, compilation.files, *compilation.program);
  absl::Status verified = ir::Verify(policy);
  EXPECT_TRUE(verified.ok()) << verified;
  return policy;
}

ir::Policy LowerFiles(const std::vector<std::string>& files) {
  driver::Compilation compilation;
  EXPECT_TRUE(driver::Compile(files, compilation).ok());
  return LowerCompilation(compilation);
}

ir::Policy LowerText(const std::string& text) {
  driver::Compilation compilation;
  std::pair<std::string, std::string> source{"test.writ", text};
  driver::CompileSources(std::span(&source, 1), compilation);
  return LowerCompilation(compilation);
}

// ---- golden files -------------------------------------------------------------------------

std::vector<std::string> GoldenCases() {
  std::vector<std::string> cases;
  if (!fs::exists(kGoldenRoot)) return cases;
  for (const auto& entry : fs::directory_iterator(kGoldenRoot)) {
    if (entry.is_directory() || entry.path().extension() == ".writ")
      cases.push_back(entry.path().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::vector<std::string> CaseFiles(const std::string& case_path) {
  if (!fs::is_directory(case_path)) return {case_path};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(case_path)) {
    if (entry.path().extension() == ".writ") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ExpectedPath(const std::string& case_path) {
  fs::path path(case_path);
  return (path.parent_path() / (path.stem().string() + ".ir")).string();
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// The first line where two texts differ, for a readable failure.
std::string FirstDifference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string x, y;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(a, x));
    bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "";
    if (!more_a || !more_b || x != y) {
      return "line " + std::to_string(line) + ":\n  expected: " + (more_a ? x : "<end>") +
             "\n  actual:   " + (more_b ? y : "<end>");
    }
  }
}

class GoldenIrTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenIrTest, PrintedIrMatches) {
  const std::string& case_path = GetParam();
  std::vector<std::string> files = CaseFiles(case_path);
  ASSERT_FALSE(files.empty()) << case_path << " holds no .writ file";
  std::string actual = ir::Print(LowerFiles(files));
  std::string expected_path = ExpectedPath(case_path);
  if (std::getenv("WRIT_GOLDEN_AUTOUPDATE") != nullptr) {
    std::ofstream(expected_path, std::ios::binary | std::ios::trunc) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run with WRIT_GOLDEN_AUTOUPDATE=1 to create it";
  std::string expected = ReadAll(expected_path);
  EXPECT_TRUE(expected == actual)
      << case_path << " lowers differently from " << expected_path << ", first at "
      << FirstDifference(expected, actual)
      << "\n(if the new output is right, rerun with WRIT_GOLDEN_AUTOUPDATE=1 and review the diff)";
}

INSTANTIATE_TEST_SUITE_P(GoldenIr, GoldenIrTest, testing::ValuesIn(GoldenCases()), CaseName);

TEST(GoldenIrCoverage, EveryExpectationHasACase) {
  std::set<std::string> expected;
  for (const std::string& case_path : GoldenCases()) expected.insert(ExpectedPath(case_path));
  for (const auto& entry : fs::directory_iterator(kGoldenRoot)) {
    if (entry.path().extension() == ".ir") {
      EXPECT_TRUE(expected.contains(entry.path().string())) << entry.path() << " has no .writ case";
    }
  }
  EXPECT_GE(GoldenCases().size(), 8u);
}

// Every operation of ops.def appears in some golden case, so the printer and the lowering of
// each one is pinned down.
TEST(GoldenIrCoverage, EveryOperationIsLowered) {
  std::set<std::string> seen;
  for (const std::string& case_path : GoldenCases()) {
    ir::Policy policy = LowerFiles(CaseFiles(case_path));
    for (const ir::Expr& e : policy.exprs) seen.insert(std::string(ir::Info(e.op).spelling));
  }
  for (size_t i = 0; i < ir::OpCount(); ++i) {
    std::string op(ir::Info(static_cast<ir::Op>(i)).spelling);
    EXPECT_TRUE(seen.contains(op)) << "no golden case lowers to `" << op << "`";
  }
}

// ---- the whole corpus ---------------------------------------------------------------------

TEST(LowerCorpus, ExamplePoliciesLowerAndVerify) {
  absl::StatusOr<std::vector<std::string>> files =
      driver::FindPolicyFiles(std::vector<std::string>{"policies"});
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_FALSE(files->empty());
  ir::Policy policy = LowerFiles(*files);
  EXPECT_FALSE(policy.rules.empty());
  EXPECT_FALSE(policy.tests.empty());
  // Each package on its own, too: a package's IR does not need the others beyond its imports.
  for (const auto& entry : fs::directory_iterator("policies")) {
    if (!entry.is_directory() || entry.path().filename() == "org") continue;
    absl::StatusOr<std::vector<std::string>> package =
        driver::FindPolicyFiles(std::vector<std::string>{entry.path().string(), "policies/org"});
    ASSERT_TRUE(package.ok());
    LowerFiles(*package);
  }
}

TEST(LowerCorpus, DocumentationExamplesLowerAndVerify) {
  std::string doc = ReadAll("docs/language.md");
  std::regex block("```writ\n([\\s\\S]*?)```");
  int count = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator();
       ++it) {
    SCOPED_TRACE((*it)[1].str());
    LowerText((*it)[1].str());
    ++count;
  }
  EXPECT_GE(count, 20);
}

// docs/ir.md shows an excerpt of `writ build --emit-ir policies/procurement policies/org`: each of
// its paragraphs must appear, as written, in what lowering prints for those packages.
TEST(LowerCorpus, DocumentedExcerptIsCurrent) {
  std::string doc = ReadAll("docs/ir.md");
  size_t section = doc.find("## The printed form");
  ASSERT_NE(section, std::string::npos);
  size_t begin = doc.find("```text\n", section);
  ASSERT_NE(begin, std::string::npos);
  begin += 8;
  std::string excerpt = doc.substr(begin, doc.find("```", begin) - begin);
  absl::StatusOr<std::vector<std::string>> files =
      driver::FindPolicyFiles(std::vector<std::string>{"policies/procurement", "policies/org"});
  ASSERT_TRUE(files.ok());
  std::string printed = ir::Print(LowerFiles(*files));
  size_t start = 0;
  while (start < excerpt.size()) {
    size_t end = excerpt.find("\n\n", start);
    std::string paragraph =
        excerpt.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
    EXPECT_NE(printed.find(paragraph), std::string::npos)
        << "docs/ir.md shows, but lowering prints no:\n"
        << paragraph;
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

// ---- the per-tool index -------------------------------------------------------------------

// The ids of the rules a tool's plan lists for one phase.
std::vector<std::string> PlanRules(const ir::Policy& policy, std::string_view tool,
                                   ir::Phase phase) {
  ir::ToolId id = ir::FindTool(policy, tool);
  EXPECT_TRUE(id.valid()) << tool;
  std::vector<std::string> out;
  if (!id.valid()) return out;
  for (const ir::RuleRef& ref : policy.tool(id).plan(phase).rules)
    out.push_back(policy.rules[ref.rule.index].head.id);
  return out;
}

using Ids = std::vector<std::string>;

TEST(LowerIndex, PlansListExactlyTheMatchingRules) {
  ir::Policy policy = LowerText(R"(package idx
tool db.query(sql: string) -> { rows: int }
tool db.admin.drop(table: string) -> { rows: int }
tool salesforce.query(soql: string)
tool salesforce.update(id: string)
tool search(query: string)

any_tool: permit call *
db_any: forbid call db.* when session.tool_calls > 5 because "db"
db_one: forbid call db.*.drop because "drops"
exact: forbid call search, db.query because "exact"
sf: require_approval call salesforce.* by "ops" timeout 1h
rows: forbid result db.* when result.rows > 10 because "rows"
)");
  EXPECT_EQ(PlanRules(policy, "db.query", ir::Phase::kCall), (Ids{"any_tool", "db_any", "exact"}));
  EXPECT_EQ(PlanRules(policy, "db.query", ir::Phase::kResult), (Ids{"rows"}));
  EXPECT_EQ(PlanRules(policy, "db.admin.drop", ir::Phase::kCall),
            (Ids{"any_tool", "db_any", "db_one"}));
  EXPECT_EQ(PlanRules(policy, "db.admin.drop", ir::Phase::kResult), (Ids{"rows"}));
  EXPECT_EQ(PlanRules(policy, "salesforce.query", ir::Phase::kCall), (Ids{"any_tool", "sf"}));
  EXPECT_EQ(PlanRules(policy, "salesforce.update", ir::Phase::kCall), (Ids{"any_tool", "sf"}));
  EXPECT_EQ(PlanRules(policy, "search", ir::Phase::kCall), (Ids{"any_tool", "exact"}));
  EXPECT_FALSE(ir::FindTool(policy, "db").valid());
  EXPECT_FALSE(ir::FindTool(policy, "nothing").valid());
}

// Against an independent oracle: a rule is in a tool's plan exactly when one of its patterns
// matches the tool's name (`*` last matches one or more parts, elsewhere exactly one).
bool PatternMatches(const std::vector<std::string>& pattern, const std::vector<std::string>& name) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == "*" && i + 1 == pattern.size()) return name.size() > i;
    if (i >= name.size() || (pattern[i] != "*" && pattern[i] != name[i])) return false;
  }
  return pattern.size() == name.size();
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  return parts;
}

TEST(LowerIndex, PlansAgreeWithPatternMatching) {
  const std::vector<std::string> tools = {"a",     "a.b", "a.c",   "a.b.c",
                                          "a.b.d", "b.b", "b.a.c", "c.c.c.c"};
  const std::vector<std::string> patterns = {"*",   "a",     "a.*",   "a.b.*", "*.b",    "*.*.c",
                                             "b.*", "*.a.*", "a.b.c", "c.*",   "*.c.*.c"};
  std::string text = "package oracle\n";
  for (const std::string& tool : tools) text += "tool " + tool + "(x: int)\n";
  for (size_t i = 0; i < patterns.size(); ++i) {
    text += "r" + std::to_string(i) + ": forbid call " + patterns[i] + " when args.x > " +
            std::to_string(i) + " because \"r" + std::to_string(i) + "\"\n";
  }
  ir::Policy policy = LowerText(text);
  for (const std::string& tool : tools) {
    Ids expected;
    for (size_t i = 0; i < patterns.size(); ++i) {
      if (PatternMatches(Split(patterns[i]), Split(tool)))
        expected.push_back("r" + std::to_string(i));
    }
    EXPECT_EQ(PlanRules(policy, tool, ir::Phase::kCall), expected) << tool;
  }
}

TEST(LowerIndex, ToolsDeclaredByTwoPackagesAreOnePlan) {
  driver::Compilation compilation;
  std::vector<std::pair<std::string, std::string>> sources = {
      {"a.writ",
       "package a\ntool files.read(path: string)\nforbid call files.* when args.path like \"/a*\" "
       "because \"a\"\n"},
      {"b.writ", "package b\ntool files.read(path: string)\npermit call files.read\n"},
  };
  driver::CompileSources(sources, compilation);
  ir::Policy policy = LowerCompilation(compilation);
  ASSERT_EQ(policy.tools.size(), 1u);
  EXPECT_EQ(policy.tools[0].packages.size(), 2u);
  EXPECT_EQ(PlanRules(policy, "files.read", ir::Phase::kCall), (Ids{"a:3", "b:3"}));
}

// ---- expressions --------------------------------------------------------------------------

TEST(LowerExprs, ConditionsAreSharedExactlyWhenArgumentLayoutsAgree) {
  ir::Policy policy = LowerText(R"(package share
tool pay.send(amount: money, to: string)
tool pay.refund(amount: money, order: string)
tool pay.split(amount: money, adjust: int)
forbid call pay.* when args.amount > 100 USD because "too much"
)");
  ASSERT_EQ(policy.rules.size(), 1u);
  const auto& instances = policy.rules[0].instances;
  ASSERT_EQ(instances.size(), 3u);
  std::map<std::string, ir::ExprId> by_tool;
  for (const ir::RuleInstance& instance : instances)
    by_tool[policy.tool(instance.tool).name] = instance.condition;
  // `amount` is slot 0 of refund's and send's arguments (sorted by name), but slot 1 of split's.
  EXPECT_EQ(by_tool["pay.send"], by_tool["pay.refund"]);
  EXPECT_NE(by_tool["pay.send"], by_tool["pay.split"]);
}

// The operation of the root of a rule's only condition.
const ir::Expr& Root(const ir::Policy& policy, size_t rule = 0) {
  return policy.expr(policy.rules.at(rule).instances.at(0).condition);
}

TEST(LowerExprs, FallibleOperationsAreMarked) {
  ir::Policy policy = LowerText(R"(package fail
entity User { manager?: User, limit_: money }
agent Bot { acts_for: User }
tool t(n: int, memo?: string, m: money, s: string)
permit call t when args.n + 1 > 2
permit call t when args has memo and args.memo == "x"
permit call t when args.m < 5 USD
permit call t when args.s < "x"
permit call t for Bot
  when principal.acts_for has manager and principal.acts_for.manager.limit_ > 1 USD
permit call t when args.n > 2
)");
  auto op = [&](size_t rule, size_t from_root) -> const ir::Expr& {
    return policy.expr(ir::ExprId{policy.rules.at(rule).instances.at(0).condition.index -
                                  static_cast<uint32_t>(from_root)});
  };
  EXPECT_EQ(op(0, 2).op, ir::Op::kIntAdd);
  EXPECT_TRUE(op(0, 2).may_fail);
  EXPECT_EQ(op(1, 3).op, ir::Op::kArg);  // args.memo
  EXPECT_TRUE(op(1, 3).may_fail);
  EXPECT_EQ(Root(policy, 2).op, ir::Op::kMoneyLt);
  EXPECT_TRUE(Root(policy, 2).may_fail);
  EXPECT_EQ(Root(policy, 3).op, ir::Op::kStringLt);
  EXPECT_FALSE(Root(policy, 3).may_fail);
  EXPECT_EQ(Root(policy, 5).op, ir::Op::kIntGt);
  EXPECT_FALSE(Root(policy, 5).may_fail);
  // principal.acts_for.manager is optional; .limit_ on it is not.
  int optional_reads = 0;
  for (const ir::Expr& e : policy.exprs) optional_reads += e.op == ir::Op::kAttr && e.may_fail;
  EXPECT_EQ(optional_reads, 1);
}

TEST(LowerExprs, ConstantsAreFoldedAndInterned) {
  ir::Policy policy = LowerText(R"(package fold
tool t(n: int, s: set<string>)
permit call t when args.n > 2 * 3 + 1 and args.s == ["b", "a", "b"] and args.n > 7
)");
  std::vector<std::string> constants;
  for (const ir::Constant& c : policy.constants)
    constants.push_back(ir::FormatValue(policy, c.value, c.type));
  EXPECT_EQ(constants, (std::vector<std::string>{"7", "[\"a\", \"b\"]"}));
}

TEST(LowerExprs, EmptySetsTakeTheirTypeFromUse) {
  ir::Policy policy = LowerText(R"(package empty
entity User
tool t(u: User, tags: set<string>)
permit call t
  when not (args.u in []) and args.tags != [] and not (any x in []: x == 1) and (all y in []: y)
)");
  // `args.u in []` tests membership in a set of entities.
  bool entity_set = false;
  for (const ir::Expr& e : policy.exprs) entity_set = entity_set || e.op == ir::Op::kInEntitySet;
  EXPECT_TRUE(entity_set);
  EXPECT_EQ(policy.max_locals, 0u) << "quantifiers over [] fold to constants";
}

TEST(LowerExprs, NestedQuantifiersUseOneSlotPerDepth) {
  ir::Policy policy = LowerText(R"(package quant
tool t(a: set<string>, b: set<string>)
permit call t when (any x in args.a: all y in args.b: x == y) and (any z in args.b: z == "q")
)");
  EXPECT_EQ(policy.max_locals, 2u);
}

// ---- declarations -------------------------------------------------------------------------

TEST(LowerDecls, IdsAreLabelsOrPackageLineAndUnique) {
  driver::Compilation compilation;
  std::vector<std::pair<std::string, std::string>> sources = {
      {"dir1/x.writ", "package p\ntool t(n: int)\npermit call t\nl: forbid call t because \"a\"\n"},
      {"dir2/x.writ", "package p\n\npermit call t\n"},
      {"q.writ", "package q\ntool t(n: int)\nl: forbid call t because \"b\"\npool l 2 calls t\n"},
  };
  driver::CompileSources(sources, compilation);
  ir::Policy policy = LowerCompilation(compilation);
  std::vector<std::string> ids;
  for (const ir::Rule& rule : policy.rules) ids.push_back(rule.head.id);
  for (const ir::Pool& pool : policy.pools) ids.push_back(pool.head.id);
  EXPECT_EQ(ids, (Ids{"p:dir1/x.writ:3:1", "p.l", "p:dir2/x.writ:3:1", "q.l:q.writ:3:1",
                      "q.l:q.writ:4:1"}));
}

TEST(LowerDecls, GeneratedReasons) {
  ir::Policy policy = LowerText(R"(package reasons
tool pay(amount: money)
permit call pay
ask: require_approval call pay by "ops" timeout 1h
limit spend pay.amount per day <= 10 USD
budget tokens per week 100
rate pay 3 per 90s
pool payers 1 calls pay
)");
  EXPECT_EQ(policy.rules[0].reason, "");
  EXPECT_EQ(policy.rules[1].reason, "rule ask requires approval");
  EXPECT_EQ(policy.limits[0].reason, "spending limit pay.amount per day exceeded");
  EXPECT_EQ(policy.budgets[0].reason, "tokens budget per week exhausted");
  EXPECT_EQ(policy.rates[0].reason, "rate limit of 3 calls per 1m30s reached");
  EXPECT_EQ(policy.pools[0].reason, "pool payers is full");
}

TEST(LowerTests, ValuesAreAlignedWithTheirTypes) {
  ir::Policy policy = LowerText(R"(package values
entity User { b: int, a?: string, c: set<int> }
agent Bot { acts_for: User }
tool t(z: int, y?: string)
permit call t
test "values" {
  entity User::"u" { c: [3, 1, 3], b: 2 }
  entity Bot::"x" { acts_for: User::"u" }
  call t(z: 1) as Bot::"x"
  expect allow
}
)");
  ASSERT_EQ(policy.tests.size(), 1u);
  const ir::Test& test = policy.tests[0];
  const ir::TestEntity& user = test.entities[0];
  ASSERT_EQ(user.attributes.size(), 3u);  // b, a, c: declaration order
  EXPECT_EQ(user.attributes[0], ir::Value::Int(2));
  EXPECT_EQ(user.attributes[1].kind, ir::Value::Kind::kAbsent);
  EXPECT_EQ(user.attributes[2], ir::Value::Set({ir::Value::Int(1), ir::Value::Int(3)}));
  EXPECT_EQ(test.entities[1].acts_for, 0u);
  const ir::TestRequest& call = test.requests[0];
  // Arguments follow the tool's args record, sorted by name: y (absent), z.
  EXPECT_EQ(call.args, ir::Value::Record({ir::Value{}, ir::Value::Int(1)}));
  EXPECT_EQ(call.principal, 1u);
  EXPECT_EQ(call.expected, ir::Expected::kAllow);
}

}  // namespace
}  // namespace writ::lower
