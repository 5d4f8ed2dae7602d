#include "runtime/interpreter.h"

#include <chrono>

#include "runtime/internal/evaluation.h"
#include "runtime/internal/expr_eval.h"
#include "runtime/internal/patterns.h"

namespace writ::runtime {

Interpreter::Interpreter(const ir::Policy& policy, InterpreterOptions options)
    : policy_(policy),
      options_(std::move(options)),
      patterns_(std::make_unique<internal::CompiledPatterns>(policy)) {}

Interpreter::~Interpreter() = default;

int64_t Interpreter::Now() const {
  return options_.clock ? options_.clock()
                        : std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
}

Decision Interpreter::Evaluate(const Request& request) const {
  internal::ExprEvaluator exprs(policy_, request, Now(), patterns_.get());
  return internal::Decide(policy_, request, options_.package, exprs, exprs, nullptr);
}

Decision Interpreter::Explain(const Request& request, Explanation& explanation) const {
  internal::ExprEvaluator exprs(policy_, request, Now(), patterns_.get());
  return internal::Decide(policy_, request, options_.package, exprs, exprs, &explanation);
}

std::string_view Spelling(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotApplicable:
      return "not applicable";
    case Verdict::kNotHeld:
      return "not held";
    case Verdict::kHeld:
      return "held";
    case Verdict::kError:
      return "error";
    case Verdict::kShadow:
      return "shadow";
  }
  return "?";
}

}  // namespace writ::runtime
