#include "runtime/jit/engine.h"

#include <cstdlib>
#include <utility>

#include "runtime/interpreter.h"

namespace writ::runtime {

std::string_view Spelling(Engine engine) {
  return engine == Engine::kJit ? "jit" : "interp";
}

std::optional<Engine> ParseEngine(std::string_view text) {
  if (text == "jit") return Engine::kJit;
  if (text == "interp") return Engine::kInterpreter;
  return std::nullopt;
}

std::string DefaultJitCacheDir() {
  if (const char* dir = std::getenv("WRIT_CACHE_DIR")) return dir;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/writ/jit";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.cache/writ/jit";
  return "";
}

PolicyEngine::PolicyEngine(const ir::Policy& policy, Engine engine, JitCompileOptions jit)
    : policy_(policy), engine_(engine) {
  if (engine_ == Engine::kJit) program_ = JitProgram::Compile(policy_, jit);
}

const std::vector<std::string>& PolicyEngine::warnings() const {
  static const std::vector<std::string> none;
  return program_ != nullptr ? program_->warnings() : none;
}

std::unique_ptr<Evaluator> PolicyEngine::Make(EngineOptions options) const {
  if (program_ == nullptr) {
    return std::make_unique<Interpreter>(
        policy_, InterpreterOptions{.clock = std::move(options.clock), .package = options.package});
  }
  return std::make_unique<JitEvaluator>(
      program_, JitOptions{.clock = std::move(options.clock), .package = options.package});
}

}  // namespace writ::runtime
