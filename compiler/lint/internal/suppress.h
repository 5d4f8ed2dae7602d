// Inline suppressions: `// writ-lint: allow L0004, L0010 -- why this is acceptable` before a
// declaration or an import (or before a member of one: a credential, an attribute, a
// parameter, an enum member, an output line) suppresses those rules' findings in what it
// precedes. The justification after `--` is required.
#ifndef WRIT_COMPILER_LINT_INTERNAL_SUPPRESS_H_
#define WRIT_COMPILER_LINT_INTERNAL_SUPPRESS_H_

#include <map>
#include <span>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/lint/lint.h"
#include "compiler/syntax/ast.h"

namespace writ::lint::internal {

// Removes from `findings` those a justified suppression in `files` covers, and appends an
// L0022 finding for each malformed suppression and an L0023 finding for each suppressed code
// that matched nothing (unless `levels` turns that code off). The appended findings have
// their default severity.
void ApplySuppressions(std::span<const syntax::File> files, const std::map<diag::Code, Level>& levels,
                       std::vector<diag::Diagnostic>& findings);

}  // namespace writ::lint::internal

#endif  // WRIT_COMPILER_LINT_INTERNAL_SUPPRESS_H_
