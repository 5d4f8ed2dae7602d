// `writ lint`: checks policy files, then runs the lint rules (docs/lint.md) over the checked
// program and reports their findings like any diagnostics.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "compiler/lint/lint.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct LintOptions {
  std::vector<std::string> paths;
  ReportFormat format = ReportFormat::kText;
  ColorMode color = ColorMode::kAuto;
  diag::Severity fail_on = diag::Severity::kWarning;
};

// Whether a finding of `severity` fails the run at the chosen level; severities are ordered
// error < warning < note, most severe first.
bool Fails(diag::Severity severity, diag::Severity fail_on) {
  return static_cast<int>(severity) <= static_cast<int>(fail_on);
}

int RunLint(const LintOptions& options) {
  std::optional<bool> stdin_only = ReadsStdin(options.paths);
  if (!stdin_only) return kExitUsage;

  driver::Compilation compilation;
  absl::StatusOr<size_t> compiled = CompilePaths(options.paths, *stdin_only, compilation);
  if (!compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }
  size_t file_count = *compiled;

  // A policy that does not check has no program to lint: its errors are the report.
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) {
    Report(compilation.sources, compilation.diagnostics.diagnostics(), options.format,
           options.color, lint::SarifHelp());
    if (options.format == ReportFormat::kText) {
      PrintError("the policies have errors; fix them (see `writ check`) before linting");
    }
    return kExitUsage;
  }

  std::vector<diag::Diagnostic> findings = compilation.diagnostics.Take();
  diag::Collector lint_findings;
  lint::Lint(*compilation.program, compilation.files, lint_findings);
  for (diag::Diagnostic& finding : lint_findings.Take()) findings.push_back(std::move(finding));

  Report(compilation.sources, findings, options.format, options.color, lint::SarifHelp());
  if (options.format == ReportFormat::kText && findings.empty()) {
    PrintStatus(file_count == 0 ? std::string("no .writ files found: nothing to lint")
                                : fmt::format("linted {} file{}: no findings", file_count,
                                              file_count == 1 ? "" : "s"),
                options.color);
  }
  bool failed = std::any_of(findings.begin(), findings.end(), [&](const diag::Diagnostic& d) {
    return Fails(d.severity, options.fail_on);
  });
  return failed ? kExitFindings : kExitOk;
}

}  // namespace

Command AddLintCommand(CLI::App& root) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* app = root.add_subcommand("lint", "Find dangerous, dead or untidy policy rules");
  app->add_option("PATH", options->paths, "Files or folders to lint, or `-` for stdin")
      ->required();
  AddFormatOption(*app, options->format);
  AddColorOption(*app, options->color);
  // Parsed as a word and checked with IsMember, so an error names the valid words.
  app->add_option_function<std::string>(
         "--fail-on",
         [options](const std::string& value) {
           options->fail_on = value == "error" ? diag::Severity::kError : diag::Severity::kWarning;
         },
         "The least severe finding that fails the run: warning (the default) or error")
      ->check(CLI::IsMember({"warning", "error"}))
      ->option_text("warning|error");
  app->footer(
      "PATH is a file, a folder (its .writ files, recursively) or `-` for one policy on\n"
      "standard input. All files are checked together, as one policy set, and then linted.\n"
      "The rules, with their codes, categories and rationales, are listed in docs/lint.md.\n"
      "Text findings go to stderr; json and sarif documents go to stdout.\n\n"
      "Exit codes:\n"
      "  0  no findings at or above the --fail-on severity\n"
      "  1  findings at or above the --fail-on severity\n"
      "  2  usage or I/O error, or the policies do not check (their errors are reported)\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunLint(*options); }};
}

}  // namespace writ::cli
