// Golden-file tests: each case under tests/golden/ is a `.writ` file (or a folder of them,
// checked together) that carries its expected diagnostics inline, next to the lines they refer
// to. A case named `fail_*` must produce at least one error; any other case must check clean.
//
// Expectation comments (see tests/golden/README.md):
//   //     ^~~~ W0204: `User` has no attribute `aproval_limit`
//       a diagnostic on the nearest line above that is not an expectation; the caret is its
//       column and the carets/tildes its length (up to the end of that line)
//   // expect W0103 at 1:1: file does not start with a `package` declaration
//       a diagnostic at an explicit line:column (or `at end` for the end of the file)
//
// Run with WRIT_GOLDEN_AUTOUPDATE=1 (scripts/golden-autoupdate) to rewrite the expectations
// from what the compiler now reports; review the diff before committing.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/driver.h"
#include "tests/golden_expectations.h"

namespace writ {
namespace {

namespace fs = std::filesystem;

const char kGoldenRoot[] = "tests/golden";

using golden::CaseFiles;
using golden::CodePoints;
using golden::Expectation;
using golden::ReadAll;
using golden::SplitLines;

std::vector<Expectation> ParseExpectations(const std::string& path) {
  return golden::ParseExpectations(path, 'W');
}

std::vector<Expectation> Actual(const driver::Compilation& compilation) {
  std::vector<Expectation> out;
  for (const diag::Diagnostic& d : compilation.diagnostics.diagnostics()) {
    Expectation e;
    e.code = std::string(d.info().id);
    e.message = d.message;
    if (!d.span.valid()) {
      e.file = "<none>";
      out.push_back(e);
      continue;
    }
    const SourceFile& file = compilation.sources.file(d.span.file);
    e.file = file.path();
    if (d.span.begin >= file.text().size()) {
      e.at_end = true;
      out.push_back(e);
      continue;
    }
    LineCol start = file.Locate(d.span.begin);
    e.line = start.line;
    e.column = start.column;
    uint32_t line_end = file.LineStart(start.line) + static_cast<uint32_t>(file.Line(start.line).size());
    uint32_t end = std::min(std::max(d.span.end, d.span.begin + 1), std::max(line_end, d.span.begin + 1));
    e.length = CodePoints(file.text().substr(d.span.begin, end - d.span.begin));
    if (e.length == 0) e.length = 1;
    out.push_back(e);
  }
  return out;
}

// Rewrites a file's expectation comments from `actual`: caret lines after the line they refer
// to (explicit lines where a caret cannot point: at the end or inside an expectation line).
void Rewrite(const std::string& path, const std::vector<Expectation>& actual) {
  std::vector<std::string> original = SplitLines(ReadAll(path));
  std::vector<std::string> kept;
  std::vector<uint32_t> new_number;  // original line (1-based) -> line in `kept`
  new_number.push_back(0);
  for (const std::string& line : original) {
    new_number.push_back(static_cast<uint32_t>(kept.size() + 1));
    if (!golden::IsExpectationLine(line, 'W')) kept.push_back(line);
  }
  std::map<uint32_t, std::vector<Expectation>> after;  // kept line -> expectations after it
  std::vector<Expectation> at_end;
  for (const Expectation& e : actual) {
    if (e.file != path) continue;
    (e.at_end ? at_end : after[new_number[e.line]]).push_back(e);
  }
  // Explicit positions count the lines of the rewritten file, so they are written once the
  // final number of the line they refer to is known.
  std::ostringstream out;
  uint32_t written = 0;
  auto emit = [&](const std::string& line) {
    out << line << "\n";
    ++written;
  };
  for (uint32_t i = 0; i < kept.size(); ++i) {
    emit(kept[i]);
    uint32_t final_line = written;
    for (const Expectation& e : after[i + 1]) {
      if (e.column < 3) {
        emit("// expect " + e.code + " at " + std::to_string(final_line) + ":" +
             std::to_string(e.column) + ": " + e.message);
      } else {
        emit("//" + std::string(e.column - 3, ' ') + "^" + std::string(e.length - 1, '~') + " " +
             e.code + ": " + e.message);
      }
    }
  }
  for (const Expectation& e : at_end) emit("// expect " + e.code + " at end: " + e.message);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << out.str();
}

std::vector<std::string> GoldenCases() {
  std::vector<std::string> cases;
  if (!fs::exists(kGoldenRoot)) return cases;
  for (const auto& entry : fs::directory_iterator(kGoldenRoot)) {
    if (entry.is_directory() || entry.path().extension() == ".writ") {
      cases.push_back(entry.path().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class GoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, DiagnosticsMatchExpectations) {
  const std::string& case_path = GetParam();
  std::vector<std::string> files = CaseFiles(case_path);
  ASSERT_FALSE(files.empty()) << case_path << " holds no .writ file";

  driver::Compilation compilation;
  ASSERT_TRUE(driver::Compile(files, compilation).ok());
  std::vector<Expectation> actual = Actual(compilation);

  if (std::getenv("WRIT_GOLDEN_AUTOUPDATE") != nullptr) {
    for (const std::string& file : files) Rewrite(file, actual);
    return;
  }

  // Caret expectations state a length; explicit ones do not, so they match on position only.
  std::multiset<std::string> unmatched_actual;
  for (const Expectation& e : actual) unmatched_actual.insert(e.Key());
  std::vector<std::string> missing;
  std::vector<Expectation> positional;
  for (const std::string& file : files) {
    for (const Expectation& e : ParseExpectations(file)) {
      if (e.length == 0) {
        positional.push_back(e);
      } else if (auto it = unmatched_actual.find(e.Key()); it != unmatched_actual.end()) {
        unmatched_actual.erase(it);
      } else {
        missing.push_back(e.Key());
      }
    }
  }
  for (const Expectation& e : positional) {
    auto it = std::find_if(actual.begin(), actual.end(), [&](const Expectation& a) {
      Expectation stripped = a;
      stripped.length = 0;
      return stripped.Key() == e.Key() && unmatched_actual.count(a.Key()) > 0;
    });
    if (it == actual.end()) {
      missing.push_back(e.Key());
    } else {
      unmatched_actual.erase(unmatched_actual.find(it->Key()));
    }
  }
  std::vector<std::string> unexpected(unmatched_actual.begin(), unmatched_actual.end());
  std::ostringstream report;
  for (const std::string& m : missing) report << "  expected but not reported: " << m << "\n";
  for (const std::string& u : unexpected) report << "  reported but not expected: " << u << "\n";
  EXPECT_TRUE(missing.empty() && unexpected.empty())
      << case_path << "\n" << report.str()
      << "(if the new output is right, run scripts/golden-autoupdate and review the diff)";

  bool must_fail = fs::path(case_path).filename().string().rfind("fail_", 0) == 0;
  EXPECT_EQ(must_fail, compilation.diagnostics.has_errors())
      << case_path << (must_fail ? ": a fail_ case must report an error"
                                 : ": only fail_ cases may report errors");
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, testing::ValuesIn(GoldenCases()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenTest);

// Every diagnostic the front end can emit has a golden case, except those listed here with the
// test that covers them instead (inputs a golden file cannot hold).
TEST(GoldenCoverage, EveryDiagnosticCodeHasAFailingCase) {
  const std::set<std::string> covered_elsewhere = {
      "W0001",  // file over the size limit: robustness_test (a 50 MB input)
      "W0002",  // invalid UTF-8: robustness_test (expectation comments must be valid text)
      "W0003",  // nesting limit: robustness_test (10,000 parentheses)
      "W0004",  // error cap: robustness_test
      "W0005",  // declaration count limit: robustness_test
  };
  std::set<std::string> seen;
  for (const std::string& case_path : GoldenCases()) {
    for (const std::string& file : CaseFiles(case_path)) {
      for (const Expectation& e : ParseExpectations(file)) seen.insert(e.code);
    }
  }
  std::vector<std::string> uncovered;
  for (const diag::KindInfo& kind : diag::AllKinds()) {
    std::string id(kind.id);
    if (id.front() == 'L') continue;  // lint findings: tests/lint/lint_golden_test.cc
    if (!seen.count(id) && !covered_elsewhere.count(id)) uncovered.push_back(id + " " + std::string(kind.name));
  }
  std::ostringstream list;
  for (const std::string& u : uncovered) list << "  " << u << "\n";
  EXPECT_TRUE(uncovered.empty()) << "diagnostic kinds without a golden case:\n" << list.str();
}

TEST(GoldenCoverage, AtLeastFortyFailingCases) {
  int failing = 0;
  for (const std::string& case_path : GoldenCases()) {
    failing += fs::path(case_path).filename().string().rfind("fail_", 0) == 0;
  }
  EXPECT_GE(failing, 40);
}

}  // namespace
}  // namespace writ
