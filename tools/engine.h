// `--engine jit|interp`, shared by the commands that decide requests (eval, test, run): the
// option, and loading a policy for the chosen engine with the JIT's fallback reported on stderr.
#ifndef WRIT_TOOLS_ENGINE_H_
#define WRIT_TOOLS_ENGINE_H_

#include <CLI/CLI.hpp>

#include "compiler/ir/policy.h"
#include "runtime/jit/engine.h"

namespace writ::cli {

// Registers `--engine jit|interp` on a command; `engine` keeps its value (the JIT) by default.
void AddEngineOption(CLI::App& command, runtime::Engine& engine);

// `policy` ready to be decided by `engine`. When the JIT cannot compile it, prints one
// `writ: warning:` line per reason on stderr; its evaluators then decide with the interpreter's
// code, with the same answers. Compiled code is cached on disk (runtime::DefaultJitCacheDir:
// $WRIT_CACHE_DIR, by default under $XDG_CACHE_HOME/writ). $WRIT_JIT_TRIPLE compiles for
// another target than the host, which only a test of that fallback wants.
runtime::PolicyEngine LoadEngine(const ir::Policy& policy, runtime::Engine engine);

// The paragraph of a command's --help on engines.
inline constexpr const char* kEngineHelp =
    "Engines: --engine jit (the default) decides with the policy compiled to native code\n"
    "through LLVM; --engine interp with the reference interpreter. Both decide every request\n"
    "alike. A policy the JIT cannot compile is decided by the interpreter, with a warning on\n"
    "stderr. Compiled code is cached in $WRIT_CACHE_DIR (default $XDG_CACHE_HOME/writ/jit or\n"
    "~/.cache/writ/jit; set it empty for no cache), so a policy loaded again skips LLVM.\n\n";

}  // namespace writ::cli

#endif  // WRIT_TOOLS_ENGINE_H_
