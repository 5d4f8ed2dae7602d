// The reference interpreter: walks the decision IR of one policy (docs/ir.md) and decides
// requests by the rules of docs/language.md §7-13. It is the oracle the JIT is tested against,
// so it favours plain code over speed.
#ifndef WRIT_RUNTIME_INTERPRETER_H_
#define WRIT_RUNTIME_INTERPRETER_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "compiler/ir/policy.h"
#include "runtime/evaluator.h"
#include "runtime/explanation.h"

namespace writ::runtime {
namespace internal {
class CompiledPatterns;
}  // namespace internal

struct InterpreterOptions {
  // The evaluator's clock (ms since the epoch) for `session.now` when a request omits it;
  // null means the system clock.
  std::function<int64_t()> clock;
  // When valid, only the declarations of this package decide (how a `test` block is run:
  // docs/ir.md); otherwise every declaration does.
  ir::PackageId package;
};

class Interpreter final : public Evaluator {
 public:
  // `policy` must verify (ir::Verify) and outlive the interpreter. Compiles the policy's
  // regular expressions once, here.
  explicit Interpreter(const ir::Policy& policy, InterpreterOptions options = {});
  ~Interpreter() override;

  Decision Evaluate(const Request& request) const override;
  // Decides `request` as Evaluate does and records in `explanation` every declaration it
  // considered, with the values behind each verdict. Slower: conditions are evaluated again
  // term by term.
  Decision Explain(const Request& request, Explanation& explanation) const;

 private:
  int64_t Now() const;

  const ir::Policy& policy_;
  InterpreterOptions options_;
  std::unique_ptr<const internal::CompiledPatterns> patterns_;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_INTERPRETER_H_
