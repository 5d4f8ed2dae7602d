// `writ test`: runs the `test` blocks of policies (docs/language.md §14) with the JIT or the
// reference interpreter (`--engine`), reports failures with expected and actual decisions, and measures which
// declarations the tests exercised.
#include <fmt/format.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "runtime/test_runner.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/engine.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"
#include "tools/test_output.h"

namespace writ::cli {
namespace {

enum class TestFormat { kText, kJson };

struct TestCommandOptions {
  std::vector<std::string> paths;
  bool coverage = false;
  std::optional<double> threshold;
  std::string junit;
  std::string run;
  TestFormat format = TestFormat::kText;
  bool verbose = false;
  runtime::Engine engine = runtime::Engine::kJit;
  ColorMode color = ColorMode::kAuto;
};

// Policies that do not compile have no tests to run: exit 2, as the issue of `writ test` fixes
// (1 is for failing tests).
constexpr int kExitPolicyErrors = kExitUsage;

int RunTestCommand(const TestCommandOptions& options) {
  std::optional<bool> from_stdin = ReadsStdin(options.paths);
  if (!from_stdin) return kExitUsage;
  driver::Compilation compilation;
  if (absl::StatusOr<size_t> compiled = CompilePaths(options.paths, *from_stdin, compilation);
      !compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }
  Report(compilation.sources, compilation.diagnostics.diagnostics(), ReportFormat::kText,
         options.color);
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) {
    return kExitPolicyErrors;
  }
  std::optional<ir::Policy> lowered = LowerVerified(compilation);
  if (!lowered) return kExitInternal;
  const ir::Policy& policy = *lowered;

  runtime::PolicyEngine engine = LoadEngine(policy, options.engine);
  runtime::TestReport report = runtime::RunTests(
      policy,
      [&engine](ir::PackageId package) {
        // Tests set the session's clock themselves (§14); the evaluator's is never read.
        return engine.Make({.clock = [] { return int64_t{0}; }, .package = package});
      },
      {.filter = options.run});

  bool coverage = options.coverage || options.threshold.has_value();
  std::string out = options.format == TestFormat::kJson
                        ? TestsJson(policy, report, coverage)
                        : TestsText(policy, report, options.verbose) +
                              (coverage ? CoverageText(policy, report) : "");
  if (absl::Status status = WriteStdout(out); !status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  if (!options.junit.empty()) {
    if (absl::Status status = WriteFileAtomically(options.junit, TestsJunit(policy, report));
        !status.ok()) {
      PrintError(status);
      return kExitUsage;
    }
  }
  if (!options.run.empty() && report.results.empty()) {
    PrintError(fmt::format("no test name contains `{}`", options.run));
    return kExitUsage;
  }
  if (report.failed() > 0) return kExitFindings;
  if (options.threshold && CoveragePercent(report) < *options.threshold) {
    PrintError(fmt::format("coverage {:.1f}% is below the threshold of {:.1f}%",
                           CoveragePercent(report), *options.threshold));
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

Command AddTestCommand(CLI::App& root) {
  auto options = std::make_shared<TestCommandOptions>();
  CLI::App* app = root.add_subcommand("test", "Run the test blocks of policies");
  app->add_option("paths", options->paths, "Policy files or folders, or `-` for stdin")
      ->required();
  app->add_flag("--coverage", options->coverage,
                "Report which declarations the tests exercised, and list those none did");
  app->add_option("--threshold", options->threshold,
                  "Fail (exit 1) when coverage is below this percentage; implies --coverage")
      ->check(CLI::Range(0.0, 100.0));
  app->add_option("--junit", options->junit, "Also write the results as JUnit XML to this file");
  app->add_option("--run", options->run, "Run only the tests whose name contains this text");
  app->add_option("--format", options->format, "Output format: text or json")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, TestFormat>{{"text", TestFormat::kText},
                                            {"json", TestFormat::kJson}},
          CLI::ignore_case));
  app->add_flag("-v,--verbose", options->verbose, "List passing tests too");
  AddEngineOption(*app, options->engine);
  AddColorOption(*app, options->color);
  app->footer(std::string(
      "Compiles the policies and runs every `test` block (docs/language.md §14): each test is\n"
      "one session, decided by the declarations of its own package. A failure shows the\n"
      "request's location, the expected and actual decision, and what was missing. A\n"
      "declaration counts as exercised when some test made it take part in a decision (rates\n"
      "and pools: when some test made a call they count).\n\n") +
      kEngineHelp +
      "Exit codes:\n"
      "  0  every test passed (and coverage met --threshold)\n"
      "  1  a test failed, or coverage is below --threshold\n"
      "  2  errors in the policies, or a usage or I/O error\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunTestCommand(*options); }};
}

}  // namespace writ::cli
