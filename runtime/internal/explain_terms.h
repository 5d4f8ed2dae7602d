// The parts of an explanation that look inside expressions: a condition split into the operands
// of its top-level `and` / `or`, each with its value, and comparisons with both sides' values.
#ifndef WRIT_RUNTIME_INTERNAL_EXPLAIN_TERMS_H_
#define WRIT_RUNTIME_INTERNAL_EXPLAIN_TERMS_H_

#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/explanation.h"
#include "runtime/internal/expr_eval.h"

namespace writ::runtime::internal {

// The terms of `condition`: the operands of its top-level chain of one connective (`a and b and
// c` gives three), or the condition itself. Evaluates each term again, so it costs what the
// condition costs once more per term; only explanations call it.
std::vector<Term> ExplainCondition(const ir::Policy& policy, ExprEvaluator& exprs,
                                   ir::ExprId condition);

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_EXPLAIN_TERMS_H_
