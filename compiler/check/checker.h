// The checker: name resolution across files and imports and static typing against the schema.
#ifndef WRIT_COMPILER_CHECK_CHECKER_H_
#define WRIT_COMPILER_CHECK_CHECKER_H_

#include <memory>
#include <span>

#include "compiler/base/source.h"
#include "compiler/check/program.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace writ::check {

// Checks `files` as one policy set. Every mistake is reported to `consumer`, once (a failed
// expression gets the error type, which silences follow-on errors). Returns the checked program;
// it is complete only if no error was reported.
std::unique_ptr<Program> Check(const SourceManager& sources, std::span<const syntax::File> files,
                               diag::Consumer& consumer);

}  // namespace writ::check

#endif  // WRIT_COMPILER_CHECK_CHECKER_H_
