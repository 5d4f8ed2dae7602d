// One decision, combined from what each declaration contributes (docs/language.md §7-13). Every
// evaluator decides through Decide, so the combining cannot drift between them; they differ only
// in the ExprEngine that gives conditions, limit bounds and approvers their values.
#ifndef WRIT_RUNTIME_INTERNAL_EVALUATION_H_
#define WRIT_RUNTIME_INTERNAL_EVALUATION_H_

#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/explanation.h"
#include "runtime/internal/expr_eval.h"
#include "runtime/request.h"

namespace writ::runtime::internal {

// Decides `request` by the declarations of the tool's plan (only those of `package` when it is
// valid). `roots` evaluates every expression root the declarations name; `exprs` (over the same
// request) gives session facts and, when `explanation` is not null, the terms of conditions.
// Never throws; evaluation errors are in the decision.
Decision Decide(const ir::Policy& policy, const Request& request, ir::PackageId package,
                ExprEvaluator& exprs, ExprEngine& roots, Explanation* explanation);

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_EVALUATION_H_
