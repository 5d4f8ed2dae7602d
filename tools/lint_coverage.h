// The coverage that lint rule L0020 (untested-rule) reads: the policy set's own tests run with
// the reference interpreter, as `writ test --coverage` runs them. Lives with the tools because
// it needs lowering and the runtime, which the linter itself must not depend on.
#ifndef WRIT_TOOLS_LINT_COVERAGE_H_
#define WRIT_TOOLS_LINT_COVERAGE_H_

#include "compiler/driver/driver.h"
#include "compiler/lint/lint.h"

namespace writ::cli {

// Lowers `compilation` (which must have checked without errors), runs its tests and returns the
// spans of the rules they exercised. A failing test still counts what it exercised.
lint::Coverage TestCoverage(const driver::Compilation& compilation);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_LINT_COVERAGE_H_
