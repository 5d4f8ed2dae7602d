#include "tools/lint_coverage.h"

#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "compiler/lower/lower.h"
#include "runtime/interpreter.h"
#include "runtime/test_runner.h"

namespace writ::cli {

lint::Coverage TestCoverage(const driver::Compilation& compilation) {
  lint::Coverage coverage;
  if (compilation.program == nullptr || compilation.program->tests.empty()) return coverage;
  ir::Policy policy = lower::Lower(compilation.sources, compilation.files, *compilation.program);
  runtime::TestReport report = runtime::RunTests(
      policy, [&policy](ir::PackageId package) -> std::unique_ptr<runtime::Evaluator> {
        return std::make_unique<runtime::Interpreter>(
            policy,
            runtime::InterpreterOptions{.clock = [] { return int64_t{0}; }, .package = package});
      });
  // Lowering numbers the files in the order of `compilation.files` and locates a declaration
  // by the start of its span, so the two meet on (file, line, column).
  std::map<uint32_t, uint32_t> file_index;
  for (size_t i = 0; i < compilation.files.size(); ++i) {
    file_index[compilation.files[i].id.index] = static_cast<uint32_t>(i);
  }
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, bool> covered;
  for (const runtime::CoveredDecl& decl : report.coverage) {
    if (decl.covered) covered[{decl.loc.file, decl.loc.line, decl.loc.column}] = true;
  }
  for (const check::Rule& rule : compilation.program->rules) {
    Span span = rule.head.span;
    LineCol at = compilation.sources.file(span.file).Locate(span.begin);
    if (covered.count({file_index[span.file.index], at.line, at.column})) {
      coverage.exercised.push_back(span);
    }
  }
  return coverage;
}

}  // namespace writ::cli
