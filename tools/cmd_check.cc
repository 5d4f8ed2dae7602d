// `writ check`: runs the front end (parse and type-check) over policy files and reports.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  ReportFormat format = ReportFormat::kText;
  ColorMode color = ColorMode::kAuto;
};

int RunCheck(const CheckOptions& options) {
  std::optional<bool> stdin_only = ReadsStdin(options.paths);
  if (!stdin_only) return kExitUsage;
  bool from_stdin = *stdin_only;

  driver::Compilation compilation;
  absl::StatusOr<size_t> compiled = CompilePaths(options.paths, from_stdin, compilation);
  if (!compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }
  size_t file_count = *compiled;

  const std::vector<diag::Diagnostic>& diagnostics = compilation.diagnostics.diagnostics();
  Report(compilation.sources, diagnostics, options.format, options.color);
  if (options.format == ReportFormat::kText && diagnostics.empty()) {
    PrintStatus(file_count == 0 ? std::string("no .writ files found: nothing to check")
                                : fmt::format("checked {} file{}: no problems", file_count,
                                              file_count == 1 ? "" : "s"),
                options.color);
  }
  return compilation.diagnostics.has_errors() ? kExitFindings : kExitOk;
}

}  // namespace

Command AddCheckCommand(CLI::App& root) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* app = root.add_subcommand("check", "Parse and type-check policy files");
  app->add_option("PATH", options->paths, "Files or folders to check, or `-` for stdin")
      ->required();
  AddFormatOption(*app, options->format);
  AddColorOption(*app, options->color);
  app->footer(
      "PATH is a file, a folder (its .writ files, recursively) or `-` for one policy on\n"
      "standard input. All files are checked together, as one policy set. Text diagnostics\n"
      "go to stderr; json and sarif documents go to stdout.\n\n"
      "Exit codes:\n"
      "  0  no errors (warnings may have been reported)\n"
      "  1  errors in the policies\n"
      "  2  usage or I/O error: bad arguments, a missing or unreadable path\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunCheck(*options); }};
}

}  // namespace writ::cli
