// Helpers shared by the syntax layer's tests: parse a string, then look at the diagnostics as
// "line:column code message" strings and at the AST as DumpAst text.
#ifndef WRIT_COMPILER_SYNTAX_TEST_UTIL_H_
#define WRIT_COMPILER_SYNTAX_TEST_UTIL_H_

#include <fmt/format.h>

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/parser.h"

namespace writ::syntax::testing {

struct Parsed {
  SourceManager sources;
  FileId id;
  File file;
  std::vector<diag::Diagnostic> diagnostics;

  std::string dump() const { return DumpAst(file); }

  // "3:14 W0101 expected ..., found ..." for each diagnostic, in emission order.
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : diagnostics) {
      LineCol at = sources.file(id).Locate(d.span.begin);
      out.push_back(fmt::format("{}:{} {} {}", at.line, at.column, d.info().id, d.message));
    }
    return out;
  }

  // Just the codes, e.g. {"W0103", "W0101"}.
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const diag::Diagnostic& d : diagnostics) out.push_back(std::string(d.info().id));
    return out;
  }

  // The text a span covers.
  std::string_view text(Span span) const { return sources.Text(span); }
};

inline Parsed ParseText(std::string text, const ParseLimits& limits = {}) {
  Parsed parsed;
  parsed.id = parsed.sources.Add("test.writ", std::move(text));
  diag::Collector collector;
  parsed.file = Parse(parsed.sources, parsed.id, collector, limits);
  parsed.diagnostics = collector.Take();
  return parsed;
}

}  // namespace writ::syntax::testing

#endif  // WRIT_COMPILER_SYNTAX_TEST_UTIL_H_
