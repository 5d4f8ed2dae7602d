#include "runtime/internal/explain_terms.h"

#include <fmt/format.h>

#include "compiler/ir/print.h"

namespace writ::runtime::internal {
namespace {

using ir::Op;

// The operator a comparison is written with, or empty for an operation that is not one.
std::string_view ComparisonSymbol(Op op) {
  switch (op) {
    case Op::kEq: return "==";
    case Op::kNe: return "!=";
    case Op::kIntLt: case Op::kMoneyLt: case Op::kStringLt: return "<";
    case Op::kIntLe: case Op::kMoneyLe: case Op::kStringLe: return "<=";
    case Op::kIntGt: case Op::kMoneyGt: case Op::kStringGt: return ">";
    case Op::kIntGe: case Op::kMoneyGe: case Op::kStringGe: return ">=";
    case Op::kInSet: case Op::kInEntity: case Op::kInEntitySet: return "in";
    default: return "";
  }
}

// Collects the operands of a chain of `connective` rooted at `id`, left to right.
void Flatten(const ir::Policy& policy, ir::ExprId id, Op connective, std::vector<ir::ExprId>& out) {
  const ir::Expr& e = policy.expr(id);
  if (e.op == connective) {
    Flatten(policy, e.a, connective, out);
    Flatten(policy, e.b, connective, out);
    return;
  }
  out.push_back(id);
}

// The value of `id` as the language writes it, or the error that evaluating it gave.
std::string Show(const ir::Policy& policy, ExprEvaluator& exprs, ir::ExprId id) {
  Outcome outcome = exprs.Eval(id);
  if (!outcome.ok) return fmt::format("<error: {}>", outcome.error.message);
  return ir::FormatValue(policy, outcome.value, policy.expr(id).type);
}

}  // namespace

std::vector<Term> ExplainCondition(const ir::Policy& policy, ExprEvaluator& exprs,
                                   ir::ExprId condition) {
  const ir::Expr& root = policy.expr(condition);
  std::vector<ir::ExprId> ids;
  if (root.op == Op::kAnd || root.op == Op::kOr) {
    Flatten(policy, condition, root.op, ids);
  } else {
    ids.push_back(condition);
  }
  std::vector<Term> terms;
  bool decided = false;  // `and` after a false term, `or` after a true one: never evaluated
  for (ir::ExprId id : ids) {
    const ir::Expr& e = policy.expr(id);
    Term term;
    term.loc = e.loc;
    if (decided) {
      term.evaluated = false;
      terms.push_back(std::move(term));
      continue;
    }
    Outcome outcome = exprs.Eval(id);
    if (!outcome.ok) {
      term.ok = false;
      term.detail = fmt::format("{}: {}", outcome.error.code, outcome.error.message);
      decided = true;  // an error decides the condition: it fails closed as a whole
    } else {
      term.value = outcome.value.number != 0;
      decided = ids.size() > 1 && term.value == (root.op == Op::kOr);
      if (std::string_view symbol = ComparisonSymbol(e.op); !symbol.empty()) {
        term.detail = fmt::format("{} {} {}", Show(policy, exprs, e.a), symbol,
                                  Show(policy, exprs, e.b));
      }
    }
    terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace writ::runtime::internal
