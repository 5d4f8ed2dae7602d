// The canonical formatter behind `writ fmt`.
#ifndef WRIT_COMPILER_FORMAT_FORMAT_H_
#define WRIT_COMPILER_FORMAT_FORMAT_H_

#include <string>

#include "compiler/base/source.h"
#include "compiler/syntax/ast.h"

namespace writ::format {

// Renders a file that parsed without errors in canonical form, keeping every comment. The
// result is a fixed point (formatting it again gives the same text) and parses to the same AST.
std::string Format(const SourceManager& sources, const syntax::File& file);

}  // namespace writ::format

#endif  // WRIT_COMPILER_FORMAT_FORMAT_H_
