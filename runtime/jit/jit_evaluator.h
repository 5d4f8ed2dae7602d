// The JIT evaluator (docs/jit.md): decides requests with a policy's expression roots compiled to
// native code through LLVM ORC, and with the interpreter's own combining (internal/evaluation.h)
// and, for every root it did not compile, the interpreter's expression evaluator. It decides
// every request exactly as runtime::Interpreter does.
#ifndef WRIT_RUNTIME_JIT_JIT_EVALUATOR_H_
#define WRIT_RUNTIME_JIT_JIT_EVALUATOR_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/codegen/frame.h"
#include "compiler/ir/policy.h"
#include "runtime/evaluator.h"

namespace writ::jit {
class Jit;
}  // namespace writ::jit

namespace writ::runtime {
namespace internal {
class CompiledPatterns;
}  // namespace internal

// How much of a policy runs natively.
struct JitStats {
  size_t roots = 0;        // distinct conditions, bounds and approvers expressions
  size_t compiled = 0;     // of those, compiled to native functions
  size_t interpreted = 0;  // evaluated by the interpreter's expression evaluator
  // Why roots were not compiled ("op any", ...), with how many roots each.
  std::map<std::string, size_t> reasons;
  // The object cache, when there is one: whether the native code was loaded from it (no LLVM
  // optimizer or code generator ran), found damaged there, and written to it.
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
  uint64_t cache_corrupt = 0;
  uint64_t cache_writes = 0;
  uint64_t cache_write_failures = 0;
};

// How a policy is compiled.
struct JitCompileOptions {
  // The target triple to compile for; empty is the host. A target this host cannot run makes
  // LLVM fail and the program fall back to the interpreter (how that fallback is tested).
  std::string triple;
  // The folder of the on-disk object cache (docs/jit.md); empty for none.
  std::string cache_dir;
};

// One policy compiled once: its LLJIT, the addresses of its compiled roots and its regular
// expressions. Immutable after Compile and shared by any number of evaluators and threads.
class JitProgram {
 public:
  // Compiles `policy`, which must verify and outlive the program. Never fails: when LLVM cannot
  // build the module, the program compiles nothing, says why in warnings(), and its evaluators
  // decide with the interpreter's code alone.
  static std::shared_ptr<const JitProgram> Compile(const ir::Policy& policy,
                                                   const JitCompileOptions& options = {});
  // A program that compiles nothing, because `why` (what Compile uses when LLVM fails; also for
  // a caller that cannot JIT): its evaluators decide with the interpreter's code alone, and
  // warnings() says so.
  static std::shared_ptr<const JitProgram> Interpreting(const ir::Policy& policy,
                                                        const absl::Status& why);
  ~JitProgram();

  const ir::Policy& policy() const { return policy_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const JitStats& stats() const { return stats_; }
  const internal::CompiledPatterns& patterns() const { return *patterns_; }
  // The compiled function of `root`; null when the interpreter evaluates it.
  codegen::RootFunction Function(ir::ExprId root) const {
    return root.index < functions_.size() ? functions_[root.index] : nullptr;
  }
  // Roots whose compiled code failed while the interpreter's evaluation did not: a JIT bug
  // (the interpreter's outcome is used). Tests assert that this stays zero.
  uint64_t disagreements() const { return disagreements_.load(std::memory_order_relaxed); }
  void CountDisagreement() const { disagreements_.fetch_add(1, std::memory_order_relaxed); }

 private:
  explicit JitProgram(const ir::Policy& policy);

  const ir::Policy& policy_;
  std::unique_ptr<jit::Jit> jit_;
  std::unique_ptr<const internal::CompiledPatterns> patterns_;
  std::vector<codegen::RootFunction> functions_;  // by expression id
  std::vector<std::string> warnings_;
  JitStats stats_;
  mutable std::atomic<uint64_t> disagreements_{0};
};

struct JitOptions {
  // The evaluator's clock (ms since the epoch) for `session.now` when a request omits it;
  // null means the system clock.
  std::function<int64_t()> clock;
  // When valid, only the declarations of this package decide (how a `test` block is run).
  ir::PackageId package;
};

class JitEvaluator final : public Evaluator {
 public:
  explicit JitEvaluator(std::shared_ptr<const JitProgram> program, JitOptions options = {});

  Decision Evaluate(const Request& request) const override;

 private:
  int64_t Now() const;

  std::shared_ptr<const JitProgram> program_;
  JitOptions options_;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_JIT_JIT_EVALUATOR_H_
