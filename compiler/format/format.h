// The canonical formatter behind `writ fmt`.
#ifndef WRIT_COMPILER_FORMAT_FORMAT_H_
#define WRIT_COMPILER_FORMAT_FORMAT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "compiler/base/source.h"
#include "compiler/syntax/ast.h"

namespace writ::format {

// Renders a file that parsed without errors in canonical form, keeping every comment. The
// result is a fixed point (formatting it again gives the same text) and parses to the same AST.
std::string Format(const SourceManager& sources, const syntax::File& file);

// The safety net for writing formatted text back: checks that `formatted` parses without
// errors to the same AST as `original` (compared with syntax::DumpAst) and holds the same
// comments (as a multiset of texts, with CRLF as LF and line-end blanks dropped). Returns OK,
// or an Internal error describing the first difference; a caller must then keep the original.
absl::Status VerifyRoundTrip(const syntax::File& original, std::string_view formatted);

}  // namespace writ::format

#endif  // WRIT_COMPILER_FORMAT_FORMAT_H_
