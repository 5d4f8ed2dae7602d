// Golden tests of the lint rules: each case under tests/lint/cases/ is a `.writ` file (or a
// folder of them, linted together) that must check clean and carries its expected lint
// findings inline, in the form of tests/golden/README.md with `L` codes:
//   //     ^~~~ L0001: this condition can never hold: ...
//   // expect L0010 at 3:1: import `std.sql` is never used
// Every finding must be expected and every expectation reported, so the near misses a case
// holds next to its firing examples are checked not to fire. WRIT_GOLDEN_AUTOUPDATE=1
// rewrites the expectations from what the linter now reports; review the diff.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/driver.h"
#include "compiler/lint/config.h"
#include "compiler/lint/lint.h"
#include "tests/golden_expectations.h"
#include "tools/lint_coverage.h"

namespace writ {
namespace {

namespace fs = std::filesystem;

const char kCasesRoot[] = "tests/lint/cases";

using golden::CaseFiles;
using golden::CodePoints;
using golden::Expectation;
using golden::ReadAll;
using golden::SplitLines;

std::vector<Expectation> ParseExpectations(const std::string& path) {
  return golden::ParseExpectations(path, 'L');
}

std::vector<std::string> Cases() {
  std::vector<std::string> cases;
  if (!fs::exists(kCasesRoot)) return cases;
  for (const auto& entry : fs::directory_iterator(kCasesRoot)) {
    if (entry.is_directory() || entry.path().extension() == ".writ") {
      cases.push_back(entry.path().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

// The findings in expectation form; spans longer than their first line are clipped to it, as
// a caret comment can only underline one line.
std::vector<Expectation> Actual(const driver::Compilation& c,
                                const std::vector<diag::Diagnostic>& findings) {
  std::vector<Expectation> out;
  for (const diag::Diagnostic& d : findings) {
    Expectation e;
    e.code = std::string(d.info().id);
    e.message = d.message;
    const SourceFile& file = c.sources.file(d.span.file);
    e.file = file.path();
    LineCol start = file.Locate(d.span.begin);
    e.line = start.line;
    e.column = start.column;
    uint32_t line_end = file.LineStart(start.line) + static_cast<uint32_t>(file.Line(start.line).size());
    uint32_t end = std::min(std::max(d.span.end, d.span.begin + 1), std::max(line_end, d.span.begin + 1));
    e.length = std::max<uint32_t>(1, CodePoints(file.text().substr(d.span.begin, end - d.span.begin)));
    out.push_back(e);
  }
  return out;
}

void Rewrite(const std::string& path, const std::vector<Expectation>& actual) {
  std::vector<std::string> kept;
  std::vector<uint32_t> new_number = {0};
  for (const std::string& line : SplitLines(ReadAll(path))) {
    new_number.push_back(static_cast<uint32_t>(kept.size() + 1));
    if (!golden::IsExpectationLine(line, 'L')) kept.push_back(line);
  }
  std::map<uint32_t, std::vector<Expectation>> after;
  for (const Expectation& e : actual) {
    if (e.file == path) after[new_number[e.line]].push_back(e);
  }
  std::ostringstream out;
  uint32_t written = 0;
  for (uint32_t i = 0; i < kept.size(); ++i) {
    out << kept[i] << "\n";
    uint32_t final_line = ++written;
    for (const Expectation& e : after[i + 1]) {
      if (e.column < 3) {
        out << "// expect " << e.code << " at " << final_line << ":" << e.column << ": " << e.message << "\n";
      } else {
        out << "//" << std::string(e.column - 3, ' ') << "^" << std::string(e.length - 1, '~') << " "
            << e.code << ": " << e.message << "\n";
      }
      ++written;
    }
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << out.str();
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class LintGoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(LintGoldenTest, FindingsMatchExpectations) {
  std::vector<std::string> files = CaseFiles(GetParam());
  ASSERT_FALSE(files.empty());
  driver::Compilation compilation;
  ASSERT_TRUE(driver::Compile(files, compilation).ok());
  ASSERT_TRUE(compilation.diagnostics.diagnostics().empty())
      << GetParam() << ": a lint case must check clean, but the checker reported "
      << compilation.diagnostics.diagnostics().front().message;
  ASSERT_NE(compilation.program, nullptr);
  // A case folder may carry its own configuration; the tests' coverage feeds L0020.
  lint::Options options;
  fs::path config = fs::path(GetParam()) / lint::kConfigFileName;
  if (fs::is_directory(GetParam()) && fs::exists(config)) {
    std::optional<lint::ConfigError> error = lint::ParseConfig(ReadAll(config.string()), options);
    ASSERT_FALSE(error.has_value()) << config << ": " << error->message;
  }
  lint::Coverage coverage = cli::TestCoverage(compilation);
  options.coverage = &coverage;
  diag::Collector findings;
  lint::Lint(*compilation.program, compilation.files, findings, options);
  std::vector<Expectation> actual = Actual(compilation, findings.diagnostics());

  if (std::getenv("WRIT_GOLDEN_AUTOUPDATE") != nullptr) {
    for (const std::string& file : files) Rewrite(file, actual);
    return;
  }
  std::multiset<std::string> unmatched;
  for (const Expectation& e : actual) unmatched.insert(e.Key(true));
  std::vector<std::string> missing;
  for (const std::string& file : files) {
    for (const Expectation& e : ParseExpectations(file)) {
      auto it = unmatched.find(e.Key(true));
      if (e.length == 0) {
        it = std::find_if(unmatched.begin(), unmatched.end(), [&](const std::string& key) {
          auto a = std::find_if(actual.begin(), actual.end(),
                                [&](const Expectation& x) { return x.Key(true) == key; });
          return a != actual.end() && a->Key(false) == e.Key(false);
        });
      }
      if (it == unmatched.end()) {
        missing.push_back(e.Key(true));
      } else {
        unmatched.erase(it);
      }
    }
  }
  std::ostringstream report;
  for (const std::string& m : missing) report << "  expected but not reported: " << m << "\n";
  for (const std::string& u : unmatched) report << "  reported but not expected: " << u << "\n";
  EXPECT_TRUE(missing.empty() && unmatched.empty())
      << GetParam() << "\n" << report.str()
      << "(if the new output is right, rerun with WRIT_GOLDEN_AUTOUPDATE=1 and review the diff)";
}

INSTANTIATE_TEST_SUITE_P(Lint, LintGoldenTest, testing::ValuesIn(Cases()), CaseName);

// Every rule has its own case (`lNNNN_*.writ` or a folder of that name) with a firing example,
// a near miss (a comment starting `// Near miss`) and a suppressed example (a justified
// `writ-lint: allow` of the rule, which the harness checks leaves no finding behind). The
// suppression rules themselves cannot be suppressed.
TEST(LintGoldenCoverage, EveryRuleFiresIsMissedAndIsSuppressed) {
  for (const lint::RuleInfo& rule : lint::Rules()) {
    std::string id(diag::Info(rule.code).id);
    std::string prefix = "l" + id.substr(1) + "_";
    bool fires = false, near_miss = false, suppressed = false;
    bool has_case = false;
    for (const std::string& case_path : Cases()) {
      if (fs::path(case_path).filename().string().rfind(prefix, 0) != 0) continue;
      has_case = true;
      for (const std::string& file : CaseFiles(case_path)) {
        for (const Expectation& e : ParseExpectations(file)) fires |= e.code == id;
        std::string text = ReadAll(file);
        near_miss |= text.find("// Near miss") != std::string::npos;
        suppressed |= text.find("writ-lint: allow " + id + " --") != std::string::npos;
      }
    }
    EXPECT_TRUE(has_case) << id << " (" << rule.title << ") has no golden case " << prefix << "*";
    EXPECT_TRUE(fires) << id << " has no firing example in its case";
    EXPECT_TRUE(near_miss) << id << " has no `// Near miss` example in its case";
    if (rule.code != diag::Code::kMalformedSuppression && rule.code != diag::Code::kUnusedSuppression) {
      EXPECT_TRUE(suppressed) << id << " has no suppressed example (`writ-lint: allow " << id << " --`)";
    }
  }
}

// tests/lint/bad_set breaks every rule: linted as one policy set, as CI would, it has a
// finding of every code of the catalogue.
TEST(LintBadSet, TriggersEveryRule) {
  std::vector<std::string> roots = {"tests/lint/bad_set"};
  absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(roots);
  ASSERT_TRUE(files.ok()) << files.status();
  driver::Compilation compilation;
  ASSERT_TRUE(driver::Compile(*files, compilation).ok());
  ASSERT_FALSE(compilation.diagnostics.has_errors())
      << compilation.diagnostics.diagnostics().front().message;
  lint::Coverage coverage = cli::TestCoverage(compilation);
  lint::Options options;
  options.coverage = &coverage;
  diag::Collector findings;
  lint::Lint(*compilation.program, compilation.files, findings, options);
  std::set<diag::Code> seen;
  for (const diag::Diagnostic& d : findings.diagnostics()) seen.insert(d.code);
  for (const lint::RuleInfo& rule : lint::Rules()) {
    EXPECT_TRUE(seen.count(rule.code)) << diag::Info(rule.code).id << " (" << rule.title
                                       << ") has no finding in tests/lint/bad_set";
  }
}

}  // namespace
}  // namespace writ
