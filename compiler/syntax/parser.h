// The syntax layer's entry point: source text in, AST and diagnostics out. This is the wall
// around ANTLR: no ANTLR type or exception crosses it.
#ifndef WRIT_COMPILER_SYNTAX_PARSER_H_
#define WRIT_COMPILER_SYNTAX_PARSER_H_

#include <cstddef>
#include <string>

#include "compiler/base/source.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace writ::syntax {

// Limits on what the parser accepts; inputs beyond them get a limit diagnostic, never a crash.
struct ParseLimits {
  size_t max_file_bytes = 8u << 20;  // 8 MiB
  int max_nesting = 200;             // brackets, braces and parentheses
  int max_errors = 25;               // syntax errors reported per file before giving up
  size_t max_decls = 100000;
  int max_expr_depth = 1000;  // depth of one expression's tree: `a or b or ...` nests too
};

// Parses one file of `sources`. Always returns a File; declarations that had syntax errors are
// left out of it. Every problem is reported to `consumer` with a span. Never throws.
File Parse(const SourceManager& sources, FileId file, diag::Consumer& consumer,
           const ParseLimits& limits = {});

// A canonical, span-free rendering of the AST (an S-expression per node), used to compare two
// parses for equality (formatter round trips) and for debugging.
std::string DumpAst(const File& file);

// Decodes the escapes of a string literal's body (without quotes). Returns false, with the
// offending escape in `bad_escape`, if an escape is unknown or not a valid code point.
bool DecodeString(std::string_view body, std::string& out, std::string& bad_escape);

// Writes a value as a string literal with quotes and escapes, the inverse of DecodeString.
std::string QuoteString(std::string_view value);

}  // namespace writ::syntax

#endif  // WRIT_COMPILER_SYNTAX_PARSER_H_
