// What the decision benchmarks decide (docs/performance.md): a policy, its requests decoded
// once, and the JSON text of each, plus both engines over it. Building a workload checks that
// the JIT and the interpreter decide every request alike, so that a ratio compares equal work.
#ifndef WRIT_BENCH_WORKLOAD_H_
#define WRIT_BENCH_WORKLOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/evaluator.h"
#include "runtime/jit/engine.h"
#include "runtime/request.h"

namespace writ::bench {

// The evaluators' clock: requests that omit `session.now` are decided at this instant.
inline constexpr int64_t kClock = 1795689000000;  // 2026-11-26T10:30:00Z

struct Workload {
  std::string name;
  std::unique_ptr<ir::Policy> policy;
  std::vector<runtime::Request> requests;  // decoded, ready for Evaluate
  std::vector<std::string> json;           // the same requests as text
  std::unique_ptr<runtime::PolicyEngine> jit;
  std::unique_ptr<runtime::PolicyEngine> interpreter;
  std::unique_ptr<runtime::Evaluator> jit_evaluator;
  std::unique_ptr<runtime::Evaluator> interpreter_evaluator;

  const runtime::Evaluator& evaluator(runtime::Engine engine) const {
    return engine == runtime::Engine::kJit ? *jit_evaluator : *interpreter_evaluator;
  }
};

// The example policies of policies/ with the request of every `call` and `result` line of their
// tests (without the session state a test run adds), decided by the whole policy set. Built
// once; aborts with a message if the policies do not compile or the engines disagree.
const Workload& Examples();
// The generated rule set of `rules` rules (rule_generator.h, scaled as ScaledOptions) with its
// requests. Built once per size; aborts like Examples().
const Workload& Generated(int rules);

// The source text of the generated rule set of `rules` rules.
std::string GeneratedSource(int rules);

// The process's resident memory in bytes (/proc/self/statm); -1 if it cannot be read.
int64_t ResidentBytes();

}  // namespace writ::bench

#endif  // WRIT_BENCH_WORKLOAD_H_
