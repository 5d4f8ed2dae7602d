// Holds docs/lint.md and the example policies to the linter. Every rule of the catalogue has a
// section in the document naming its code, title, category and default severity, and at least
// one ```writ-lint-bad CODE block (which must check clean and produce findings of CODE and
// nothing else) and one ```writ-lint-good CODE block (which must check and lint clean). The
// packages under policies/ must lint clean as one policy set, as CI would lint them.
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/driver/driver.h"
#include "compiler/lint/lint.h"
#include "tools/lint_coverage.h"

namespace writ {
namespace {

namespace fs = std::filesystem;

constexpr char kDocPath[] = "docs/lint.md";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Example {
  int line = 0;
  bool bad = false;
  std::string code;
  std::string text;
};

void PrintTo(const Example& example, std::ostream* os) {
  *os << kDocPath << ":" << example.line << (example.bad ? " bad " : " good ") << example.code;
}

std::vector<std::string> Lines() {
  std::vector<std::string> lines;
  std::istringstream in(ReadAll(kDocPath));
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<Example> Examples() {
  std::vector<Example> out;
  std::vector<std::string> lines = Lines();
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& fence = lines[i];
    bool bad = fence.rfind("```writ-lint-bad ", 0) == 0;
    bool good = fence.rfind("```writ-lint-good ", 0) == 0;
    if (!bad && !good) continue;
    Example e;
    e.line = static_cast<int>(i + 1);
    e.bad = bad;
    e.code = fence.substr(fence.find(' ') + 1);
    for (++i; i < lines.size() && lines[i] != "```"; ++i) e.text += lines[i] + "\n";
    out.push_back(e);
  }
  return out;
}

struct Linted {
  std::vector<std::string> check_messages;
  std::vector<std::string> findings;  // "L0001 message"
};

Linted LintFiles(driver::Compilation& c) {
  Linted out;
  for (const diag::Diagnostic& d : c.diagnostics.diagnostics()) {
    out.check_messages.push_back(std::string(d.info().id) + " " + d.message);
  }
  if (c.program == nullptr || c.diagnostics.has_errors()) return out;
  lint::Coverage coverage = cli::TestCoverage(c);
  lint::Options options;
  options.coverage = &coverage;
  diag::Collector findings;
  lint::Lint(*c.program, c.files, findings, options);
  for (const diag::Diagnostic& d : findings.diagnostics()) {
    out.findings.push_back(std::string(d.info().id) + " " + d.message);
  }
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "  " + line + "\n";
  return out;
}

class LintDocExample : public testing::TestWithParam<Example> {};

TEST_P(LintDocExample, BehavesAsDocumented) {
  const Example& example = GetParam();
  driver::Compilation c;
  std::vector<std::pair<std::string, std::string>> sources = {
      {"lint.md:" + std::to_string(example.line), example.text}};
  driver::CompileSources(sources, c);
  Linted linted = LintFiles(c);
  ASSERT_TRUE(linted.check_messages.empty()) << "the example must check clean:\n"
                                             << Join(linted.check_messages);
  if (!example.bad) {
    EXPECT_TRUE(linted.findings.empty()) << "a good example must lint clean:\n" << Join(linted.findings);
    return;
  }
  EXPECT_FALSE(linted.findings.empty()) << "a bad example must fire " << example.code;
  for (const std::string& finding : linted.findings) {
    EXPECT_EQ(finding.substr(0, 5), example.code) << "unexpected finding: " << finding;
  }
}

INSTANTIATE_TEST_SUITE_P(LintMd, LintDocExample, testing::ValuesIn(Examples()),
                         [](const testing::TestParamInfo<Example>& info) {
                           return "line_" + std::to_string(info.param.line);
                         });

TEST(LintDoc, EveryRuleIsDocumentedWithABadAndAGoodExample) {
  std::vector<std::string> lines = Lines();
  std::vector<Example> examples = Examples();
  for (const lint::RuleInfo& rule : lint::Rules()) {
    std::string id(diag::Info(rule.code).id);
    std::string heading = "### " + id + " " + std::string(rule.title);
    size_t at = 0;
    while (at < lines.size() && lines[at] != heading) ++at;
    ASSERT_LT(at, lines.size()) << "docs/lint.md has no heading `" << heading << "`";
    std::string facts = at + 2 < lines.size() ? lines[at + 2] : "";
    std::string want = "**Category:** " + std::string(lint::Spelling(rule.category)) +
                       " · **Default severity:** " +
                       std::string(diag::SeverityName(diag::Info(rule.code).severity));
    EXPECT_EQ(facts, want) << "the line after the heading of " << id;
    bool bad = false;
    bool good = false;
    for (const Example& e : examples) {
      if (e.code != id) continue;
      (e.bad ? bad : good) = true;
    }
    EXPECT_TRUE(bad) << id << " has no ```writ-lint-bad example";
    EXPECT_TRUE(good) << id << " has no ```writ-lint-good example";
  }
}

TEST(LintPolicies, ExamplePoliciesLintClean) {
  std::vector<std::string> roots = {"policies"};
  absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(roots);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_FALSE(files->empty());
  driver::Compilation c;
  ASSERT_TRUE(driver::Compile(*files, c).ok());
  Linted linted = LintFiles(c);
  ASSERT_TRUE(linted.check_messages.empty()) << Join(linted.check_messages);
  EXPECT_TRUE(linted.findings.empty()) << "policies/ has lint findings:\n" << Join(linted.findings);
}

}  // namespace
}  // namespace writ
