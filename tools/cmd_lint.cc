// `writ lint`: checks policy files, then runs the lint rules (docs/lint.md) over the checked
// program and reports their findings like any diagnostics.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "compiler/lint/config.h"
#include "compiler/lint/lint.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/lint_coverage.h"
#include "tools/lint_fix.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct LintOptions {
  std::vector<std::string> paths;
  ReportFormat format = ReportFormat::kText;
  ColorMode color = ColorMode::kAuto;
  diag::Severity fail_on = diag::Severity::kWarning;
  std::string config;  // --config; empty looks for kConfigFileName
  bool fix = false;
};

constexpr uint64_t kMaxConfigBytes = 1 << 20;

// The configuration file: --config, else the first `.writ-lint.json` in the folder of the first
// PATH (the working directory for stdin) or one above it; empty if there is none.
std::string FindConfig(const LintOptions& options, bool from_stdin) {
  namespace fs = std::filesystem;
  if (!options.config.empty()) return options.config;
  std::error_code error;
  fs::path start = from_stdin ? fs::current_path(error) : fs::absolute(options.paths.front(), error);
  if (error) return "";
  if (!fs::is_directory(start, error)) start = start.parent_path();
  for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
    fs::path candidate = dir / lint::kConfigFileName;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
    if (dir == dir.parent_path()) break;
  }
  return "";
}

// Reads the configuration into `lint_options`; prints the problem (with its place) and returns
// false when the file cannot be read or is not a valid configuration.
bool LoadConfig(const std::string& path, lint::Options& lint_options) {
  if (path.empty()) return true;
  absl::StatusOr<Input> input = ReadInput(path, kMaxConfigBytes);
  if (!input.ok()) {
    PrintError(input.status());
    return false;
  }
  if (input->too_large) {
    PrintError(fmt::format("{}: the lint configuration is over {} bytes", path, kMaxConfigBytes));
    return false;
  }
  std::optional<lint::ConfigError> error = lint::ParseConfig(input->text, lint_options);
  if (!error) return true;
  std::string place = error->line > 0 ? fmt::format("{}:{}:{}", path, error->line, error->column) : path;
  PrintError(fmt::format("{}: {}", place, error->message));
  return false;
}

// Whether a finding of `severity` fails the run at the chosen level; severities are ordered
// error < warning < note, most severe first.
bool Fails(diag::Severity severity, diag::Severity fail_on) {
  return static_cast<int>(severity) <= static_cast<int>(fail_on);
}

int RunLint(const LintOptions& options) {
  std::optional<bool> stdin_only = ReadsStdin(options.paths);
  if (!stdin_only) return kExitUsage;
  if (options.fix && *stdin_only) {
    PrintError("--fix rewrites files, so it cannot be used with `-` (standard input)");
    return kExitUsage;
  }

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

  lint::Options lint_options;
  if (!LoadConfig(FindConfig(options, *stdin_only), lint_options)) return kExitUsage;
  lint::Coverage coverage = TestCoverage(compilation);
  lint_options.coverage = &coverage;

  std::vector<diag::Diagnostic> findings = compilation.diagnostics.Take();
  diag::Collector lint_findings;
  lint::Lint(*compilation.program, compilation.files, lint_findings, lint_options);
  for (diag::Diagnostic& finding : lint_findings.Take()) findings.push_back(std::move(finding));

  if (options.fix) {
    absl::StatusOr<size_t> fixed = FixFiles(compilation.sources, findings);
    if (!fixed.ok()) {
      PrintError(fixed.status());
      return kExitUsage;
    }
    if (*fixed > 0) {
      if (options.format == ReportFormat::kText) {
        PrintStatus(fmt::format("fixed {} file{}", *fixed, *fixed == 1 ? "" : "s"), options.color);
      }
      // What is left after the fixes is the report.
      LintOptions again = options;
      again.fix = false;
      return RunLint(again);
    }
  }

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
  app->add_option("--config", options->config,
                  "The lint configuration (default: the first .writ-lint.json in the folder of "
                  "the first PATH or above it)")
      ->option_text("FILE");
  app->add_flag("--fix", options->fix,
                "Apply the safe mechanical fixes (e.g. removing an unused import) to the files, "
                "then report what is left");
  app->footer(
      "PATH is a file, a folder (its .writ files, recursively) or `-` for one policy on\n"
      "standard input. All files are checked together, as one policy set, and then linted.\n"
      "The rules, with their codes, categories and rationales, are listed in docs/lint.md.\n"
      "A .writ-lint.json turns rules off or re-levels them and sets thresholds; a comment\n"
      "`// writ-lint: allow L0004 -- why` before a declaration suppresses a finding in it.\n"
      "Text findings go to stderr; json and sarif documents go to stdout.\n\n"
      "Exit codes:\n"
      "  0  no findings at or above the --fail-on severity\n"
      "  1  findings at or above the --fail-on severity\n"
      "  2  usage or I/O error, a bad configuration, or the policies do not check\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunLint(*options); }};
}

}  // namespace writ::cli
