// `writ build`: compiles policies past the front end. For now its one output is the decision IR
// as text (`--emit-ir`), the contract the runtime evaluates (docs/ir.md).
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/print.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct BuildOptions {
  std::vector<std::string> paths;
  bool emit_ir = false;
  ColorMode color = ColorMode::kAuto;
};

int RunBuild(const BuildOptions& options) {
  if (!options.emit_ir) {
    PrintError("`writ build` needs an output to produce; `--emit-ir` is the only one so far");
    return kExitUsage;
  }
  std::optional<bool> from_stdin = ReadsStdin(options.paths);
  if (!from_stdin) return kExitUsage;

  driver::Compilation compilation;
  if (absl::StatusOr<size_t> compiled = CompilePaths(options.paths, *from_stdin, compilation);
      !compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }

  // Diagnostics go to stderr as text: stdout carries the IR.
  Report(compilation.sources, compilation.diagnostics.diagnostics(), ReportFormat::kText,
         options.color);
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) return kExitFindings;

  std::optional<ir::Policy> policy = LowerVerified(compilation);
  if (!policy) return kExitInternal;
  if (absl::Status status = WriteStdout(ir::Print(*policy)); !status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Command AddBuildCommand(CLI::App& root) {
  auto options = std::make_shared<BuildOptions>();
  CLI::App* app = root.add_subcommand("build", "Compile policy files to the decision IR");
  app->add_option("PATH", options->paths, "Files or folders to build, or `-` for stdin")
      ->required();
  app->add_flag("--emit-ir", options->emit_ir,
                "Print the decision IR as text on stdout (the only output so far)");
  AddColorOption(*app, options->color);
  app->footer(
      "PATH is a file, a folder (its .writ files, recursively) or `-` for one policy on\n"
      "standard input. All files are compiled together, as one policy set.\n\n"
      "Outputs: --emit-ir is the only one for now; it prints the verified decision IR\n"
      "(docs/ir.md) to stdout. Diagnostics go to stderr as text.\n\n"
      "Exit codes:\n"
      "  0  the IR was written (warnings may have been reported)\n"
      "  1  errors in the policies; nothing was written\n"
      "  2  usage or I/O error: no output asked for, a missing or unreadable path\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunBuild(*options); }};
}

}  // namespace writ::cli
