// Lowering: the checked policy set (the files' ASTs and the checker's Program) becomes the
// decision IR (compiler/ir), which is all the runtime reads. docs/ir.md describes the result.
#ifndef WRIT_COMPILER_LOWER_LOWER_H_
#define WRIT_COMPILER_LOWER_LOWER_H_

#include <span>

#include "compiler/base/source.h"
#include "compiler/check/program.h"
#include "compiler/ir/policy.h"
#include "compiler/syntax/ast.h"

namespace writ::lower {

// Lowers `program`, which must be the result of checking `files` without a single error (a
// program with errors is a broken invariant, not an input to report on). Source locations are
// resolved through `sources`. The result always verifies (ir::Verify); builds without NDEBUG
// check that before returning.
ir::Policy Lower(const SourceManager& sources, std::span<const syntax::File> files,
                 const check::Program& program);

}  // namespace writ::lower

#endif  // WRIT_COMPILER_LOWER_LOWER_H_
