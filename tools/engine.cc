#include "tools/engine.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace writ::cli {

void AddEngineOption(CLI::App& command, runtime::Engine& engine) {
  command
      .add_option_function<std::string>(
          "--engine",
          [&engine](const std::string& value) {
            if (std::optional<runtime::Engine> parsed = runtime::ParseEngine(value)) {
              engine = *parsed;
            }
          },
          "Which evaluator decides: jit (native code, the default) or interp (the reference "
          "interpreter)")
      ->check(CLI::IsMember({std::string(runtime::Spelling(runtime::Engine::kJit)),
                             std::string(runtime::Spelling(runtime::Engine::kInterpreter))}))
      ->option_text("jit|interp");
}

runtime::PolicyEngine LoadEngine(const ir::Policy& policy, runtime::Engine engine) {
  runtime::JitCompileOptions jit;
  if (const char* triple = std::getenv("WRIT_JIT_TRIPLE")) jit.triple = triple;
  jit.cache_dir = runtime::DefaultJitCacheDir();
  runtime::PolicyEngine loaded(policy, engine, std::move(jit));
  for (const std::string& warning : loaded.warnings()) {
    std::string line = "writ: warning: " + warning + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  std::fflush(stderr);
  return loaded;
}

}  // namespace writ::cli
