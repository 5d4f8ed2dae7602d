// Which evaluator decides: the JIT or the reference interpreter, chosen once per loaded policy
// (`--engine` on the command line; the JIT by default). One place builds evaluators of either
// kind, so the commands and embedders that take an engine never differ in how they fall back.
#ifndef WRIT_RUNTIME_JIT_ENGINE_H_
#define WRIT_RUNTIME_JIT_ENGINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/evaluator.h"
#include "runtime/jit/jit_evaluator.h"

namespace writ::runtime {

enum class Engine { kJit, kInterpreter };

// "jit" or "interp", as `--engine` spells them.
std::string_view Spelling(Engine engine);
// The engine `text` spells; nullopt for anything else.
std::optional<Engine> ParseEngine(std::string_view text);

// What every evaluator takes, whichever the engine.
struct EngineOptions {
  // ms since the epoch for `session.now` when a request omits it; null means the system clock.
  std::function<int64_t()> clock;
  // When valid, only this package's declarations decide (a `test` block).
  ir::PackageId package;
};

// Where the JIT caches compiled objects unless told otherwise: $WRIT_CACHE_DIR (set but empty:
// no cache), else $XDG_CACHE_HOME/writ/jit, else $HOME/.cache/writ/jit; "" when none is set.
std::string DefaultJitCacheDir();

// One policy ready to be decided by one engine. For the JIT the policy is compiled here, once,
// and shared by every evaluator made; when LLVM cannot compile it, the evaluators decide with
// the interpreter's code and warnings() says why (never a different answer, docs/jit.md).
class PolicyEngine {
 public:
  // `policy` must verify and outlive this object and its evaluators.
  PolicyEngine(const ir::Policy& policy, Engine engine, JitCompileOptions jit = {});

  Engine engine() const { return engine_; }
  // Why the JIT is not used, or what it could not do; empty for the interpreter.
  const std::vector<std::string>& warnings() const;
  // The compiled program; null for the interpreter.
  const std::shared_ptr<const JitProgram>& program() const { return program_; }

  // A new evaluator of the policy. Thread-safe.
  std::unique_ptr<Evaluator> Make(EngineOptions options = {}) const;

 private:
  const ir::Policy& policy_;
  Engine engine_;
  std::shared_ptr<const JitProgram> program_;
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_JIT_ENGINE_H_
