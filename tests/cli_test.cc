// The `writ` binary end to end: exit codes, where output goes, output formats, and that `fmt`
// never damages a file. Runs the real executable (WRIT_BINARY) on files in a temporary folder.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;

// Checks clean and is in canonical form.
constexpr std::string_view kClean =
    "package demo\n"
    "\n"
    "entity User { approval_limit: money }\n"
    "\n"
    "agent Bot {\n"
    "  acts_for: User\n"
    "}\n"
    "\n"
    "tool payments.transfer(amount: money, to: string)\n"
    "\n"
    "permit call payments.transfer for Bot\n"
    "\n"
    "forbid call payments.transfer for Bot\n"
    "  when args.amount > principal.acts_for.approval_limit\n"
    "  because \"over the limit\"\n";

// kClean with a misspelled attribute: a checker error (W0204), not a syntax error.
constexpr std::string_view kTypo =
    "package demo\n"
    "\n"
    "entity User { approval_limit: money }\n"
    "agent Bot { acts_for: User }\n"
    "tool payments.transfer(amount: money, to: string)\n"
    "\n"
    "forbid call payments.transfer for Bot\n"
    "  when args.amount > principal.acts_for.aproval_limit\n"
    "  because \"over the limit\"\n";

// Valid, with a comment, but not in canonical form.
constexpr std::string_view kUnformatted =
    "package    demo\n"
    "// who acts\n"
    "entity User {approval_limit:money}\n"
    "agent Bot {acts_for:User}\n"
    "tool payments.transfer(amount:money,to:string)\n"
    "permit   call payments.transfer   for Bot\n";

constexpr std::string_view kSyntaxError =
    "package demo\n"
    "entity User { approval_limit: }\n";

using testing::CliTest;
using testing::Result;
using testing::ReadAll;
using testing::WriteAll;

// ---- check ----------------------------------------------------------------------------------

TEST_F(CliTest, CheckCleanFileExitsZero) {
  Write("clean.writ", kClean);
  Result r = Run({"check", "clean.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "checked 1 file: no problems\n");
}

TEST_F(CliTest, CheckErrorExitsOneWithCodeAndLocation) {
  Write("bad.writ", kTypo);
  Result r = Run({"check", "bad.writ"});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("error[W0204]"));
  EXPECT_THAT(r.err, HasSubstr("--> bad.writ:8:"));
  EXPECT_THAT(r.err, HasSubstr("^~~~~~~~~~~~~"));
  EXPECT_THAT(r.err, HasSubstr("error: 1 error in 1 file\n"));
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "no color unless asked";
}

TEST_F(CliTest, CheckColorAlways) {
  Write("bad.writ", kTypo);
  Result r = Run({"check", "--color=always", "bad.writ"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.err, HasSubstr("\x1b[1;31merror[W0204]"));
}

TEST_F(CliTest, CheckFolderFindsWritFilesRecursively) {
  Write("policies/deep/clean.writ", kClean);
  Write("policies/notes.txt", "not a policy");
  Result r = Run({"check", "policies"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_EQ(r.err, "checked 1 file: no problems\n");
}

TEST_F(CliTest, CheckMissingPathExitsTwo) {
  Result r = Run({"check", "nowhere.writ"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, StartsWith("writ: error: nowhere.writ"));
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, CheckJsonIsOneDocumentOnStdout) {
  Write("bad.writ", kTypo);
  Result r = Run({"check", "--format", "json", "bad.writ"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_EQ(r.err, "");
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["version"], 1);
  ASSERT_GE(doc["diagnostics"].size(), 1u);
  EXPECT_EQ(doc["diagnostics"][0]["code"], "W0204");
  EXPECT_EQ(doc["diagnostics"][0]["file"], "bad.writ");
  EXPECT_EQ(doc["diagnostics"][0]["range"]["start"]["line"], 8);
  EXPECT_EQ(doc["summary"]["errors"], doc["diagnostics"].size());

  Write("clean.writ", kClean);
  Result clean = Run({"check", "--format=json", "clean.writ"});
  EXPECT_EQ(clean.exit, 0);
  EXPECT_EQ(json::parse(clean.out)["diagnostics"], json::array());
}

TEST_F(CliTest, CheckSarif) {
  Write("bad.writ", kTypo);
  Result r = Run({"check", "--format", "sarif", "bad.writ"});
  EXPECT_EQ(r.exit, 1);
  json log = json::parse(r.out);
  EXPECT_EQ(log["version"], "2.1.0");
  const json& run = log["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "writ");
  ASSERT_GE(run["results"].size(), 1u);
  const json& result = run["results"][0];
  EXPECT_EQ(result["ruleId"], "W0204");
  EXPECT_EQ(run["tool"]["driver"]["rules"][result["ruleIndex"].get<size_t>()]["id"], "W0204");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "bad.writ");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 8);
}

TEST_F(CliTest, CheckStdin) {
  Result clean = Run({"check", "-"}, kClean);
  EXPECT_EQ(clean.exit, 0) << clean.err;
  Result bad = Run({"check", "-"}, kTypo);
  EXPECT_EQ(bad.exit, 1);
  EXPECT_THAT(bad.err, HasSubstr("--> <stdin>:8:"));
}

TEST_F(CliTest, StdinCannotBeMixedWithPaths) {
  Write("clean.writ", kClean);
  EXPECT_EQ(Run({"check", "-", "clean.writ"}).exit, 2);
  EXPECT_EQ(Run({"fmt", "clean.writ", "-"}).exit, 2);
}

// ---- usage ----------------------------------------------------------------------------------

TEST_F(CliTest, HelpAndVersionExitZero) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"--help"}, {"check", "--help"}, {"fmt", "--help"}}) {
    Result r = Run(args);
    EXPECT_EQ(r.exit, 0) << args[0];
    EXPECT_THAT(r.out, HasSubstr("Exit codes:")) << args[0];
  }
  Result version = Run({"--version"});
  EXPECT_EQ(version.exit, 0);
  EXPECT_THAT(version.out, StartsWith("writ "));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  Result unknown = Run({"chek", "x.writ"});
  EXPECT_EQ(unknown.exit, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command `chek`; did you mean `check`?"));

  Result flag = Run({"check", "--frobnicate", "x.writ"});
  EXPECT_EQ(flag.exit, 2);
  EXPECT_THAT(flag.err, HasSubstr("--frobnicate"));

  Result format = Run({"check", "--format", "xml", "x.writ"});
  EXPECT_EQ(format.exit, 2);
  EXPECT_THAT(format.err, HasSubstr("--format"));

  EXPECT_EQ(Run({"check"}).exit, 2);
  EXPECT_EQ(Run({}).exit, 2);
}

// ---- fmt ------------------------------------------------------------------------------------

TEST_F(CliTest, FmtCheckListsUnformattedFilesAndWritesNothing) {
  fs::path path = Write("messy.writ", kUnformatted);
  Write("clean.writ", kClean);
  Result r = Run({"fmt", "--check", "."});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_EQ(r.out, "messy.writ\n");
  EXPECT_EQ(ReadAll(path), kUnformatted);
}

TEST_F(CliTest, FmtRewritesThenCheckPasses) {
  fs::path path = Write("messy.writ", kUnformatted);
  ::chmod(path.c_str(), 0640);
  Result r = Run({"fmt", "messy.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  std::string formatted = ReadAll(path);
  EXPECT_NE(formatted, kUnformatted);
  EXPECT_THAT(formatted, HasSubstr("// who acts"));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);

  Result again = Run({"fmt", "--check", "messy.writ"});
  EXPECT_EQ(again.exit, 0) << again.out << again.err;
  EXPECT_EQ(again.out, "");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr("writ-fmt")))
        << "temporary file left behind";
  }

  Result stdin_run = Run({"fmt", "-"}, kUnformatted);
  EXPECT_EQ(stdin_run.exit, 0) << stdin_run.err;
  EXPECT_EQ(stdin_run.out, formatted);
}

TEST_F(CliTest, FmtDiffShowsTheChangeAndWritesNothing) {
  fs::path path = Write("messy.writ", kUnformatted);
  Result r = Run({"fmt", "--diff", "messy.writ"});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_THAT(r.out, StartsWith("--- messy.writ\n+++ messy.writ\n@@ -1,"));
  EXPECT_THAT(r.out, HasSubstr("\n-package    demo\n"));
  EXPECT_THAT(r.out, HasSubstr("\n+package demo\n"));
  EXPECT_EQ(ReadAll(path), kUnformatted);
}

TEST_F(CliTest, FmtRefusesFileWithSyntaxErrors) {
  fs::path path = Write("broken.writ", kSyntaxError);
  Result r = Run({"fmt", "broken.writ"});
  EXPECT_EQ(r.exit, 1);
  EXPECT_THAT(r.err, HasSubstr("--> broken.writ:2:"));
  EXPECT_THAT(r.err, HasSubstr("error[W01"));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(ReadAll(path), kSyntaxError);

  Result from_stdin = Run({"fmt", "-"}, kSyntaxError);
  EXPECT_EQ(from_stdin.exit, 1);
  EXPECT_EQ(from_stdin.out, "");
}

TEST_F(CliTest, FmtLeavesFormattedFilesAlone) {
  fs::path path = Write("clean.writ", kClean);
  Result first = Run({"fmt", "clean.writ"});
  ASSERT_EQ(first.exit, 0) << first.err;
  fs::file_time_type written = fs::last_write_time(path);
  std::string text = ReadAll(path);
  Result second = Run({"fmt", "clean.writ"});
  EXPECT_EQ(second.exit, 0);
  EXPECT_EQ(ReadAll(path), text);
  EXPECT_EQ(fs::last_write_time(path), written);
}

// Hostile inputs: each gets an error diagnostic and exit 1 from both commands, never a crash,
// a hang or a rewritten file.
TEST_F(CliTest, HostileInputsGetADiagnosticAndExitOne) {
  std::string junk;
  uint32_t state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245u + 12345u;
    junk.push_back(static_cast<char>(state >> 24));
  }
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"empty.writ", ""},
      {"junk.writ", junk},
      {"utf8.writ", "package demo\nentity \xC3\x28 {}\n"},
      {"parens.writ", "package demo\nforbid call t.u when " + std::string(10000, '(') + "true" +
                          std::string(10000, ')') + " because \"x\"\n"},
      {"huge.writ", "package demo\n" + std::string(50u << 20, ' ')},
      {"string.writ", "package demo\nforbid call t.u because \"never closed\n"},
      {"comment.writ", "package demo\n/* never closed\nentity A\n"},
  };
  for (const auto& [name, text] : inputs) {
    fs::path path = Write(name, text);
    Result check = Run({"check", name});
    EXPECT_EQ(check.exit, 1) << name << ": " << check.err;
    EXPECT_THAT(check.err, HasSubstr("error[W0")) << name;
    Result fmt = Run({"fmt", name});
    EXPECT_EQ(fmt.exit, 1) << name << ": " << fmt.err;
    EXPECT_EQ(ReadAll(path), text) << name << " was modified";
  }
}

TEST_F(CliTest, BuildEmitsTheDecisionIr) {
  Write("clean.writ", kClean);
  Result r = Run({"build", "--emit-ir", "clean.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("writ-ir 1\n"));
  EXPECT_THAT(r.out, HasSubstr("tool payments.transfer(amount: money, to: string)"));
  EXPECT_THAT(r.out, HasSubstr("hard forbid call"));
}

TEST_F(CliTest, BuildEmitsTheCostBound) {
  Write("clean.writ", kClean);
  Result r = Run({"build", "--emit-cost", "clean.writ"});
  EXPECT_EQ(r.exit, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("tool "));
  EXPECT_THAT(r.out, HasSubstr("at n=65536 s=10000"));
  // Two rules, one comparison of money: a bound independent of the request's sizes.
  EXPECT_THAT(r.out, ::testing::ContainsRegex("payments.transfer +call +2 +[0-9]+ +[0-9]+\n"));
}

TEST_F(CliTest, BuildReportsPolicyErrorsAndUsage) {
  Write("typo.writ", kTypo);
  Result errors = Run({"build", "--emit-ir", "typo.writ"});
  EXPECT_EQ(errors.exit, 1);
  EXPECT_THAT(errors.err, HasSubstr("error[W0204]"));
  EXPECT_TRUE(errors.out.empty());
  Write("clean.writ", kClean);
  EXPECT_EQ(Run({"build", "clean.writ"}).exit, 2);
  EXPECT_EQ(Run({"build", "--emit-ir", "missing.writ"}).exit, 2);
}

TEST_F(CliTest, FmtMissingPathExitsTwo) {
  Result r = Run({"fmt", "nowhere.writ"});
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, StartsWith("writ: error: nowhere.writ"));
}

}  // namespace
}  // namespace writ
