// Fuzz target parse_check: policy text through the whole front end. A rejected input (no checked
// program) must have produced an error diagnostic; every diagnostic must have a span inside its
// file and render as text, JSON and SARIF; a policy that checks without errors must lower to IR
// that verifies, and its cost, IR printing, lint rules and `test` blocks (on the interpreter)
// must run to the end.
#include <memory>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/cost.h"
#include "compiler/ir/print.h"
#include "compiler/ir/verify.h"
#include "compiler/lint/lint.h"
#include "compiler/lower/lower.h"
#include "fuzz/corpus.h"
#include "fuzz/fuzz.h"
#include "fuzz/policy_sources.h"
#include "runtime/interpreter.h"
#include "runtime/test_runner.h"

namespace writ::fuzz {
namespace {

void CheckDiagnostics(const driver::Compilation& compilation,
                      std::span<const diag::Diagnostic> diagnostics) {
  for (const diag::Diagnostic& diagnostic : diagnostics) {
    auto check_span = [&](Span span) {
      if (!span.valid()) return;
      WRIT_FUZZ_CHECK(span.file.index < compilation.sources.size(), diagnostic.message);
      const size_t size = compilation.sources.file(span.file).text().size();
      WRIT_FUZZ_CHECK(span.begin <= span.end && span.end <= size,
                      Cat(diagnostic.message, " at ", span.begin, "..", span.end,
                                   " of ", size));
    };
    check_span(diagnostic.span);
    for (const diag::Label& label : diagnostic.labels) check_span(label.span);
    for (const diag::FixIt& fix : diagnostic.fixits) check_span(fix.span);
    WRIT_FUZZ_CHECK(!diagnostic.message.empty(), "a diagnostic without a message");
  }
  diag::RenderText(compilation.sources, diagnostics);
  const std::string json = diag::RenderJson(compilation.sources, diagnostics);
  WRIT_FUZZ_CHECK(nlohmann::json::accept(json), json);
  const std::string sarif = diag::RenderSarif(compilation.sources, diagnostics, {});
  WRIT_FUZZ_CHECK(nlohmann::json::accept(sarif), sarif);
}

void RunParseCheck(std::string_view input) {
  const std::vector<std::pair<std::string, std::string>> files = SplitFiles(input);
  driver::Compilation compilation;
  driver::CompileSources(files, compilation);
  const std::vector<diag::Diagnostic>& diagnostics = compilation.diagnostics.diagnostics();
  CheckDiagnostics(compilation, diagnostics);
  if (compilation.program == nullptr || compilation.diagnostics.has_errors()) {
    WRIT_FUZZ_CHECK(compilation.diagnostics.has_errors(),
                    "the input was rejected without an error diagnostic");
    return;
  }

  ir::Policy policy = lower::Lower(compilation.sources, compilation.files, *compilation.program);
  const absl::Status verified = ir::Verify(policy);
  WRIT_FUZZ_CHECK(verified.ok(), Cat(verified.message(), "\n", ir::Print(policy)));
  ir::PolicyCost(policy);
  ir::Print(policy);

  diag::Collector findings;
  lint::Lint(*compilation.program, compilation.files, findings);
  CheckDiagnostics(compilation, findings.diagnostics());

  runtime::RunTests(policy, [&](ir::PackageId package) -> std::unique_ptr<runtime::Evaluator> {
    return std::make_unique<runtime::Interpreter>(
        policy,
        runtime::InterpreterOptions{.clock = [] { return kClockMillis; }, .package = package});
  });
}

WRIT_FUZZ_TARGET("parse_check", RunParseCheck, PolicySeeds);

}  // namespace
}  // namespace writ::fuzz
