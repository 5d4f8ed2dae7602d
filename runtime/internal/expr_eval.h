// Evaluation of IR expressions against one request: the part of the interpreter that knows the
// operations of ops.def. Errors are values (EvalError), never exceptions.
#ifndef WRIT_RUNTIME_INTERNAL_EXPR_EVAL_H_
#define WRIT_RUNTIME_INTERNAL_EXPR_EVAL_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/internal/patterns.h"
#include "runtime/request.h"
#include "runtime/value.h"

namespace writ::runtime::internal {

// An evaluation error: a stable code ("eval.overflow", ...), a message and the location of the
// expression that failed.
struct EvalError {
  std::string code;
  std::string message;
  ir::Loc loc;
};

// A value or an error.
struct Outcome {
  Value value;
  bool ok = true;
  EvalError error;

  static Outcome Of(Value value) { return Outcome{std::move(value), true, {}}; }
  static Outcome Fail(std::string code, std::string message, ir::Loc loc) {
    return Outcome{Value(), false, EvalError{std::move(code), std::move(message), loc}};
  }
};

// Both currencies of a money operation agree (the currency-less zero agrees with any); the
// result's currency is written to `currency`.
bool SameCurrency(const Value& a, const Value& b, std::string& currency);

// Gives an expression root (a condition, a limit bound, an approvers expression) its value. The
// combining of a decision (evaluation.h) reads roots through this interface only, so that the
// interpreter and the JIT share it. Implementations never throw.
class ExprEngine {
 public:
  virtual ~ExprEngine() = default;
  virtual Outcome Eval(ir::ExprId root) = 0;
};

// The interpreter of expressions: walks the IR from a node, evaluating operands as needed.
class ExprEvaluator final : public ExprEngine {
 public:
  // `now` is the evaluation's clock, used when the request gives no `session.now`. `patterns`
  // (may be null) holds the policy's regular expressions, compiled when it was loaded.
  ExprEvaluator(const ir::Policy& policy, const Request& request, int64_t now,
                const CompiledPatterns* patterns = nullptr);

  Outcome Eval(ir::ExprId id) override;
  // A session fact with the defaults of docs/requests.md.
  Value Fact(ir::SessionFact fact) const;
  // Whether entity `a` is `b` or below it in the request's hierarchy (`in`).
  bool InEntity(const Value& a, const Value& b) const;

 private:
  Outcome EvalNode(const ir::Expr& e);
  Outcome EvalQuantifier(const ir::Expr& e, bool any);
  Outcome EvalCall(const ir::Expr& e);
  const Entity* Lookup(const Value& entity_ref) const;

  const ir::Policy& policy_;
  const Request& request_;
  int64_t now_;
  const CompiledPatterns* patterns_;
  std::vector<Value> locals_;
};

// Calls the standard-library function `index` (stdlib::Functions()) through the native entry
// points of stdlib/native.h. `result_type` is the call's type (for enum and set results).
// `regex` is the call's pattern compiled in advance (text.matches); when null, the pattern is
// compiled for this call.
Outcome CallStd(const ir::Policy& policy, uint32_t index, std::span<const Value> args,
                ir::TypeId result_type, ir::Loc loc, const writ_regex* regex = nullptr);

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_EXPR_EVAL_H_
