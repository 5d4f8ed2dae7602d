// The interface every evaluator implements: the reference interpreter (interpreter.h) and the
// JIT. Both must decide every request identically; the evaluation corpus runs on each.
#ifndef WRIT_RUNTIME_EVALUATOR_H_
#define WRIT_RUNTIME_EVALUATOR_H_

#include "runtime/decision.h"
#include "runtime/request.h"

namespace writ::runtime {

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Decides `request`, which must have been decoded against this evaluator's policy. Never
  // throws: evaluation errors are reported in the decision, which then fails closed.
  virtual Decision Evaluate(const Request& request) const = 0;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_EVALUATOR_H_
