// `writ eval`: decides one request (docs/requests.md) against a policy set with the JIT or the
// reference interpreter (`--engine`) and prints the decision as JSON. A request that does not decode still gets a
// decision (a deny with its errors), so exit 0 means "a decision was printed".
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/request.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/engine.h"
#include "tools/exit_codes.h"
#include "tools/explain_output.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct EvalOptions {
  std::vector<std::string> policies;
  std::string request;
  bool batch = false;
  bool explain = false;
  runtime::Engine engine = runtime::Engine::kJit;
  ColorMode color = ColorMode::kAuto;
};

// Reads the request from a file or stdin (`-`), marking it too large past `max_bytes`.
absl::StatusOr<Input> ReadRequest(const std::string& path, uint64_t max_bytes) {
  if (path == "-") return ReadStdin(max_bytes);
  return ReadInput(path, max_bytes);
}

// Decodes and decides one request.
runtime::Decision Decide(const ir::Policy& policy, const runtime::Evaluator& evaluator,
                         std::string_view text, const runtime::RequestLimits& limits) {
  runtime::DecodeResult decoded = runtime::DecodeRequest(policy, text, limits);
  if (!decoded.ok()) return runtime::RequestErrorDecision(decoded.errors);
  return evaluator.Evaluate(*decoded.request);
}

// --batch: one request per line in, one decision per line out, as each line arrives.
int RunBatch(const ir::Policy& policy, const EvalOptions& options) {
  std::ifstream file;
  if (options.request != "-") {
    file.open(options.request, std::ios::binary);
    if (!file) {
      PrintError(fmt::format("{}: cannot open the request file", options.request));
      return kExitUsage;
    }
  }
  std::istream& in = options.request == "-" ? std::cin : file;
  runtime::RequestLimits limits;
  std::unique_ptr<runtime::Evaluator> evaluator = LoadEngine(policy, options.engine).Make();
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    runtime::Decision decision = Decide(policy, *evaluator, line, limits);
    if (absl::Status status = WriteStdout(runtime::EncodeDecision(policy, decision, -1) + "\n");
        !status.ok()) {
      PrintError(status);
      return kExitUsage;
    }
    std::fflush(stdout);
  }
  if (in.bad()) {
    PrintError(fmt::format("{}: cannot read the requests", options.request));
    return kExitUsage;
  }
  return kExitOk;
}

int RunEval(const EvalOptions& options) {
  driver::Compilation compilation;
  if (absl::StatusOr<size_t> compiled = CompilePaths(options.policies, false, compilation);
      !compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }
  Report(compilation.sources, compilation.diagnostics.diagnostics(), ReportFormat::kText,
         options.color);
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) return kExitFindings;
  std::optional<ir::Policy> lowered = LowerVerified(compilation);
  if (!lowered) return kExitInternal;
  const ir::Policy& policy = *lowered;

  if (options.batch) return RunBatch(policy, options);
  runtime::RequestLimits limits;
  absl::StatusOr<Input> input = ReadRequest(options.request, limits.max_bytes);
  if (!input.ok()) {
    PrintError(input.status());
    return kExitUsage;
  }
  runtime::Decision decision;
  std::string out;
  if (input->too_large) {
    decision = runtime::RequestErrorDecision(
        {{"$", "request.limit", fmt::format("a request is at most {} bytes", limits.max_bytes)}});
  } else if (options.explain) {
    runtime::DecodeResult decoded = runtime::DecodeRequest(policy, input->text, limits);
    if (decoded.ok()) {
      runtime::Explanation explanation;
      decision = runtime::Interpreter(policy).Explain(*decoded.request, explanation);
      out = ExplainText(policy, compilation.sources, *decoded.request, explanation, decision);
    } else {
      decision = runtime::RequestErrorDecision(decoded.errors);
    }
  } else {
    decision = Decide(policy, *LoadEngine(policy, options.engine).Make(), input->text, limits);
  }
  if (out.empty()) {
    out = options.explain ? ExplainRequestErrors(decision)
                          : runtime::EncodeDecision(policy, decision) + "\n";
  }
  if (absl::Status status = WriteStdout(out); !status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Command AddEvalCommand(CLI::App& root) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* app = root.add_subcommand("eval", "Decide one request against policies");
  app->add_option("--policy", options->policies, "Policy files or folders (repeatable)")
      ->required();
  app->add_option("--request", options->request, "The request as JSON, or `-` for stdin")
      ->required();
  app->add_flag("--batch", options->batch,
                "Read JSON Lines (one request per line) and write one decision per line");
  app->add_flag("--explain", options->explain,
                "Print a readable account instead of JSON: every declaration considered, held or "
                "not and why, with source excerpts")
      ->excludes("--batch");
  AddEngineOption(*app, options->engine);
  AddColorOption(*app, options->color);
  app->footer(std::string(
      "Compiles the policies, decodes the request (docs/requests.md) against them and prints\n"
      "the decision as JSON on stdout. Policy diagnostics go to stderr. With --batch, every\n"
      "line of the input is a request and every output line its decision, written as soon as\n"
      "the line is decided (for replaying recorded agent traces). With --explain, the output\n"
      "is an account for people instead (docs/explain.md): stable enough to read, not to parse;\n"
      "it comes from the interpreter, whichever the engine.\n\n") +
      kEngineHelp +
      "Exit codes:\n"
      "  0  a decision was printed, whatever its effect (a malformed request is denied)\n"
      "  1  errors in the policies; no decision\n"
      "  2  usage or I/O error: a missing or unreadable policy or request\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunEval(*options); }};
}

}  // namespace writ::cli
