// `writ build`: compiles policies past the front end. Its outputs are the decision IR as text
// (`--emit-ir`), the contract the runtime evaluates (docs/ir.md), and the compile-time cost
// bound of each tool's decisions (`--emit-cost`, docs/language.md §15).
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/cost.h"
#include "compiler/ir/print.h"
#include "runtime/request.h"
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
  bool emit_cost = false;
  ColorMode color = ColorMode::kAuto;
};

// One line per tool and phase: its declarations, the bound as a polynomial in n (the longest
// string of a request) and s (its largest set or entity count), and the bound's value at the
// request limits the runtime enforces (docs/requests.md).
std::string CostTable(const ir::Policy& policy) {
  runtime::RequestLimits limits;
  uint64_t n = limits.max_string_bytes;
  uint64_t s = std::max(limits.max_set_elements, limits.max_entities);
  std::vector<ir::PlanCost> plans = ir::PolicyCost(policy);
  size_t width = 4;
  for (const ir::PlanCost& plan : plans) width = std::max(width, policy.tool(plan.tool).name.size());
  std::string out = fmt::format("{:<{}}  {:<6}  {:>5}  {:>22}  {}\n", "tool", width, "phase",
                                "decls", fmt::format("at n={} s={}", n, s), "bound");
  for (const ir::PlanCost& plan : plans) {
    uint64_t at = plan.cost.At(n, s);
    out += fmt::format("{:<{}}  {:<6}  {:>5}  {:>22}  {}\n", policy.tool(plan.tool).name, width,
                       ir::Spelling(plan.phase), plan.declarations,
                       at == UINT64_MAX ? std::string("overflow") : fmt::format("{}", at),
                       plan.cost.ToString());
  }
  return out;
}

int RunBuild(const BuildOptions& options) {
  if (!options.emit_ir && !options.emit_cost) {
    PrintError("`writ build` needs an output to produce: `--emit-ir` or `--emit-cost`");
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
  std::string out;
  if (options.emit_ir) out += ir::Print(*policy);
  if (options.emit_cost) out += CostTable(*policy);
  if (absl::Status status = WriteStdout(out); !status.ok()) {
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
  app->add_flag("--emit-ir", options->emit_ir, "Print the decision IR as text on stdout");
  app->add_flag("--emit-cost", options->emit_cost,
                "Print the compile-time cost bound of each tool's decisions on stdout");
  AddColorOption(*app, options->color);
  app->footer(
      "PATH is a file, a folder (its .writ files, recursively) or `-` for one policy on\n"
      "standard input. All files are compiled together, as one policy set.\n\n"
      "Outputs (to stdout; diagnostics go to stderr as text):\n"
      "  --emit-ir    the verified decision IR (docs/ir.md)\n"
      "  --emit-cost  per tool and phase, the worst-case cost of a decision as a polynomial in\n"
      "               n (bytes of the longest request string) and s (the largest set or\n"
      "               entity count), and its value at the request limits (language.md §15)\n\n"
      "Exit codes:\n"
      "  0  the IR was written (warnings may have been reported)\n"
      "  1  errors in the policies; nothing was written\n"
      "  2  usage or I/O error: no output asked for, a missing or unreadable path\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunBuild(*options); }};
}

}  // namespace writ::cli
