// Holds the language specification and the example policies to the compiler. Every ```writ
// block of docs/language.md must check without a single diagnostic, every ```writ-error CODE
// block must report CODE and nothing else, and the packages under policies/ must compile clean
// and be formatted canonically. Each documentation block is its own test case, named by the
// line of its fence, so a failure points straight at the example to fix.
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "compiler/driver/driver.h"
#include "compiler/format/format.h"

namespace writ {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSpecPath = "docs/language.md";
constexpr std::string_view kPoliciesPath = "policies";
// The specification promises an example for every construct; fewer blocks than this means
// examples were lost (or the fences were mangled so the extractor no longer sees them).
constexpr int kMinCleanExamples = 20;

// ctest runs the tests in the project root. Run by hand from elsewhere, the binary falls back
// to the checkout it was compiled from, so it never silently tests nothing.
fs::path ProjectRoot() {
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  while (!ec && !dir.empty()) {
    if (fs::exists(dir / kSpecPath, ec)) return dir;
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return fs::path(__FILE__).parent_path().parent_path();
}

// The whole file, or nullopt if it cannot be read.
std::optional<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One fenced Writ block of the specification.
struct DocExample {
  int line = 0;               // 1-based line of the opening fence
  std::string expected_code;  // "W0401" for ```writ-error W0401; empty for ```writ
  std::string text;           // the block's lines, each ending in '\n'
};

// How GoogleTest names a parameter in its output and in ctest's list: where the block is.
void PrintTo(const DocExample& example, std::ostream* os) {
  *os << kSpecPath << ":" << example.line;
}

struct Extraction {
  std::vector<DocExample> examples;
  std::vector<std::string> problems;  // malformed fences, with their lines
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsDiagnosticCode(std::string_view code) {
  if (code.size() != 5 || code[0] != 'W') return false;
  for (char c : code.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Finds the fenced blocks of a Markdown text. Only fences at the start of a line count (the
// specification does not indent them); blocks of other languages are skipped whole, so Writ
// text quoted inside a ```text block is never mistaken for an example.
Extraction ExtractExamples(std::string_view markdown) {
  Extraction out;
  std::istringstream lines{std::string(markdown)};
  std::string raw;
  int line_no = 0;
  bool in_block = false;
  bool is_writ = false;
  DocExample current;
  while (std::getline(lines, raw)) {
    ++line_no;
    std::string_view line = Trim(raw);
    bool is_fence = raw.starts_with("```");
    if (!in_block) {
      if (!is_fence) continue;
      std::string_view info = Trim(line.substr(3));
      in_block = true;
      current = DocExample{.line = line_no};
      if (info == "writ") {
        is_writ = true;
      } else if (info.starts_with("writ-error")) {
        is_writ = true;
        std::string_view code = Trim(info.substr(std::string_view("writ-error").size()));
        if (!IsDiagnosticCode(code)) {
          out.problems.push_back("line " + std::to_string(line_no) +
                                 ": ```writ-error needs one diagnostic code such as W0401, found `" +
                                 std::string(code) + "`");
        }
        current.expected_code = std::string(code);
      } else if (info.starts_with("writ")) {
        // A misspelt tag such as ```writ-err would silently drop the example from the tests.
        out.problems.push_back("line " + std::to_string(line_no) + ": unknown block tag `" +
                               std::string(info) + "`");
      }
      continue;
    }
    if (is_fence && line == "```") {
      if (is_writ) out.examples.push_back(std::move(current));
      in_block = false;
      is_writ = false;
      continue;
    }
    if (is_writ) current.text.append(raw).push_back('\n');
  }
  if (in_block) {
    out.problems.push_back("line " + std::to_string(current.line) + ": block is never closed");
  }
  return out;
}

// Extracted once: the parameter generators and the plain tests share it.
const Extraction& SpecExamples() {
  static const Extraction extraction = [] {
    std::optional<std::string> text = ReadText(ProjectRoot() / kSpecPath);
    if (!text) return Extraction{.problems = {std::string(kSpecPath) + " cannot be read"}};
    return ExtractExamples(*text);
  }();
  return extraction;
}

// One line per diagnostic: "  W0201 path:12:9 unknown name `x` (help: ...)". Line numbers are
// counted from `first_line`, so an example's diagnostics can point into the specification.
std::string Describe(const driver::Compilation& compilation, int first_line = 1) {
  std::string out;
  for (const diag::Diagnostic& d : compilation.diagnostics.diagnostics()) {
    out += "  ";
    out += d.info().id;
    if (d.span.valid()) {
      const SourceFile& file = compilation.sources.file(d.span.file);
      LineCol at = file.Locate(d.span.begin);
      out += " " + file.path() + ":" + std::to_string(at.line + first_line - 1) + ":" +
             std::to_string(at.column);
    }
    out += " " + d.message;
    if (!d.help.empty()) out += " (help: " + d.help + ")";
    out += "\n";
  }
  return out;
}

// The 1-based number of the first line where `formatted` differs from `text`, with that line of
// `formatted` (empty past its end).
uint32_t FirstDifferentLine(std::string_view text, std::string_view formatted,
                            std::string_view& line) {
  uint32_t line_no = 1;
  size_t i = 0;
  size_t line_start = 0;
  while (i < text.size() && i < formatted.size() && text[i] == formatted[i]) {
    if (text[i] == '\n') {
      ++line_no;
      line_start = i + 1;
    }
    ++i;
  }
  size_t line_end = formatted.find('\n', line_start);
  line = line_start < formatted.size() ? formatted.substr(line_start, line_end - line_start)
                                       : std::string_view();
  return line_no;
}

// ---- the extractor itself ---------------------------------------------------------------------

TEST(ExtractExamplesTest, FindsWritBlocksAndSkipsOthers) {
  Extraction e = ExtractExamples(
      "# Title\n"
      "```writ\n"
      "package a\n"
      "```\n"
      "```text\n"
      "```writ\n"  // inside a text block, so not an example
      "```\n"
      "```writ-error W0401\n"
      "package b\n"
      "forbid call *\n"
      "```\n");
  ASSERT_TRUE(e.problems.empty());
  ASSERT_EQ(e.examples.size(), 2u);
  EXPECT_EQ(e.examples[0].line, 2);
  EXPECT_EQ(e.examples[0].expected_code, "");
  EXPECT_EQ(e.examples[0].text, "package a\n");
  EXPECT_EQ(e.examples[1].line, 8);
  EXPECT_EQ(e.examples[1].expected_code, "W0401");
  EXPECT_EQ(e.examples[1].text, "package b\nforbid call *\n");
}

TEST(ExtractExamplesTest, ReportsMalformedFences) {
  EXPECT_EQ(ExtractExamples("```writ-error\npackage a\n```\n").problems.size(), 1u);
  EXPECT_EQ(ExtractExamples("```writ-err W0101\npackage a\n```\n").problems.size(), 1u);
  EXPECT_EQ(ExtractExamples("```writ\npackage a\n").problems.size(), 1u);
}

// ---- docs/language.md -------------------------------------------------------------------------

TEST(SpecTest, FencesAreWellFormed) {
  for (const std::string& problem : SpecExamples().problems) ADD_FAILURE() << problem;
}

TEST(SpecTest, HasAnExampleForEveryConstruct) {
  int clean = 0;
  for (const DocExample& example : SpecExamples().examples) {
    if (example.expected_code.empty()) ++clean;
  }
  EXPECT_GE(clean, kMinCleanExamples) << "```writ examples in " << kSpecPath;
}

class SpecExampleTest : public testing::TestWithParam<DocExample> {};

TEST_P(SpecExampleTest, ChecksAsDocumented) {
  const DocExample& example = GetParam();
  driver::Compilation compilation;
  std::vector<std::pair<std::string, std::string>> sources = {
      {std::string(kSpecPath), example.text}};
  driver::CompileSources(sources, compilation);
  // Lines in messages are lines of the specification: the block starts after its fence.
  std::string found = Describe(compilation, example.line + 1);

  if (example.expected_code.empty()) {
    EXPECT_TRUE(compilation.diagnostics.diagnostics().empty())
        << "the ```writ block at " << kSpecPath << ":" << example.line
        << " must check clean, but got:\n"
        << found;
    return;
  }
  // Only that code: an example of one mistake must not hide a second, unintended one.
  bool reported = false;
  bool others = false;
  for (const diag::Diagnostic& d : compilation.diagnostics.diagnostics()) {
    (d.info().id == example.expected_code ? reported : others) = true;
  }
  EXPECT_TRUE(reported && !others)
      << "the ```writ-error block at " << kSpecPath << ":" << example.line << " must report "
      << example.expected_code << " and nothing else, but got:\n"
      << (found.empty() ? "  (no diagnostics)\n" : found);
}

std::string ExampleName(const testing::TestParamInfo<DocExample>& info) {
  return "line_" + std::to_string(info.param.line);
}

INSTANTIATE_TEST_SUITE_P(LanguageMd, SpecExampleTest,
                         testing::ValuesIn(SpecExamples().examples), ExampleName);

// The specification shows policies the way `writ fmt` writes them, so a reader copying an
// example gets canonical text. Only the ```writ blocks: an error example may not parse.
class SpecFormatTest : public testing::TestWithParam<DocExample> {};

TEST_P(SpecFormatTest, IsCanonical) {
  const DocExample& example = GetParam();
  driver::Compilation compilation;
  std::vector<std::pair<std::string, std::string>> sources = {{"example.writ", example.text}};
  driver::CompileSources(sources, compilation);
  if (compilation.diagnostics.has_errors()) GTEST_SKIP() << "does not check; see SpecExampleTest";
  std::string formatted = format::Format(compilation.sources, compilation.files.front());
  if (formatted == example.text) return;
  std::string_view line;
  uint32_t line_no = FirstDifferentLine(example.text, formatted, line);
  ADD_FAILURE() << kSpecPath << ":" << example.line + line_no
                << " is not in canonical form; `writ fmt` writes this line as:\n  " << line;
}

std::vector<DocExample> CleanExamples() {
  std::vector<DocExample> clean;
  for (const DocExample& example : SpecExamples().examples) {
    if (example.expected_code.empty()) clean.push_back(example);
  }
  return clean;
}

INSTANTIATE_TEST_SUITE_P(LanguageMd, SpecFormatTest, testing::ValuesIn(CleanExamples()),
                         ExampleName);

// ---- README.md ----------------------------------------------------------------------------------

TEST(ReadmeTest, ExamplesCheckClean) {
  std::ifstream in("README.md", std::ios::binary);
  ASSERT_TRUE(in) << "README.md not found from " << std::filesystem::current_path();
  std::ostringstream text;
  text << in.rdbuf();
  Extraction readme = ExtractExamples(text.str());
  for (const std::string& problem : readme.problems) ADD_FAILURE() << problem;
  ASSERT_FALSE(readme.examples.empty());
  for (const DocExample& example : readme.examples) {
    driver::Compilation compilation;
    std::vector<std::pair<std::string, std::string>> sources = {{"README.md", example.text}};
    driver::CompileSources(sources, compilation);
    EXPECT_TRUE(compilation.diagnostics.diagnostics().empty())
        << "the ```writ block at README.md:" << example.line << " must check clean, but got:\n"
        << Describe(compilation, example.line + 1);
  }
}

// ---- policies/ --------------------------------------------------------------------------------

std::vector<std::string> PolicyFiles() {
  std::vector<std::string> roots = {(ProjectRoot() / kPoliciesPath).string()};
  absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(roots);
  if (!files.ok()) {
    ADD_FAILURE() << files.status();
    return {};
  }
  return *std::move(files);
}

TEST(PoliciesTest, CompileClean) {
  std::vector<std::string> files = PolicyFiles();
  ASSERT_FALSE(files.empty()) << "no .writ files under " << kPoliciesPath;
  driver::Compilation compilation;
  absl::Status status = driver::Compile(files, compilation);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(compilation.diagnostics.diagnostics().empty())
      << "the example policies must compile clean, but got:\n"
      << Describe(compilation);
  EXPECT_NE(compilation.program, nullptr);
}

// `writ fmt --check policies/` must pass: each file is already in canonical form.
TEST(PoliciesTest, AreFormatted) {
  std::vector<std::string> files = PolicyFiles();
  driver::Compilation compilation;
  ASSERT_TRUE(driver::Compile(files, compilation).ok());
  ASSERT_FALSE(compilation.diagnostics.has_errors()) << Describe(compilation);
  for (const syntax::File& file : compilation.files) {
    const SourceFile& source = compilation.sources.file(file.id);
    std::string formatted = format::Format(compilation.sources, file);
    if (formatted == source.text()) continue;
    std::string_view line;
    uint32_t line_no = FirstDifferentLine(source.text(), formatted, line);
    ADD_FAILURE() << source.path() << ":" << line_no
                  << " is not formatted; `writ fmt` writes this line as:\n  " << line
                  << "\nrun `writ fmt " << source.path() << "`";
  }
}

}  // namespace
}  // namespace writ

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SpecExampleTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SpecFormatTest);
