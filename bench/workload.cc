#include "bench/workload.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "bench/request_json.h"
#include "bench/rule_generator.h"
#include "runtime/decision.h"
#include "runtime/test_policies.h"
#include "runtime/test_runner.h"

namespace writ::bench {
namespace {

[[noreturn]] void Die(const std::string& what, const std::string& why) {
  std::fprintf(stderr, "bench: %s: %s\n", what.c_str(), why.c_str());
  std::abort();
}

// Both engines over `workload`'s policy, and the check that they agree on every request, both
// as decoded and as text (which also checks the JSON encoding of example requests).
void Finish(Workload& workload) {
  runtime::EngineOptions options{.clock = [] { return kClock; }};
  workload.jit = std::make_unique<runtime::PolicyEngine>(*workload.policy, runtime::Engine::kJit);
  if (!workload.jit->warnings().empty()) Die(workload.name, workload.jit->warnings().front());
  workload.interpreter =
      std::make_unique<runtime::PolicyEngine>(*workload.policy, runtime::Engine::kInterpreter);
  workload.jit_evaluator = workload.jit->Make(options);
  workload.interpreter_evaluator = workload.interpreter->Make(options);
  for (size_t i = 0; i < workload.requests.size(); ++i) {
    std::string jit = runtime::EncodeDecision(
        *workload.policy, workload.jit_evaluator->Evaluate(workload.requests[i]), -1);
    std::string interpreted = runtime::EncodeDecision(
        *workload.policy, workload.interpreter_evaluator->Evaluate(workload.requests[i]), -1);
    if (jit != interpreted) Die(workload.name, "the engines disagree on request " + std::to_string(i));
    runtime::DecodeResult decoded = runtime::DecodeRequest(*workload.policy, workload.json[i]);
    if (!decoded.ok()) Die(workload.name, "request " + std::to_string(i) + ": " + decoded.errors[0].message);
    std::string again = runtime::EncodeDecision(
        *workload.policy, workload.jit_evaluator->Evaluate(*decoded.request), -1);
    if (again != jit) Die(workload.name, "request " + std::to_string(i) + " changed through JSON");
  }
  if (workload.jit->program()->disagreements() != 0) Die(workload.name, "JIT disagreements");
}

}  // namespace

const Workload& Examples() {
  static const Workload* examples = [] {
    auto* workload = new Workload{.name = "examples"};
    std::string errors;
    workload->policy =
        runtime::testing::CompilePolicyFiles({WRIT_SOURCE_DIR "/policies"}, &errors);
    if (workload->policy == nullptr) Die("policies/", errors);
    for (const ir::Test& test : workload->policy->tests) {
      for (const ir::TestRequest& line : test.requests) {
        workload->requests.push_back(runtime::RequestFromTest(test, line));
        workload->json.push_back(EncodeRequest(*workload->policy, workload->requests.back(), kClock));
      }
    }
    Finish(*workload);
    return workload;
  }();
  return *examples;
}

std::string GeneratedSource(int rules) { return GenerateRuleSet(ScaledOptions(rules)).source; }

const Workload& Generated(int rules) {
  // Never destroyed, like the workloads it holds: benchmarks run until the process exits.
  static auto* built = new std::map<int, const Workload*>;
  const Workload*& slot = (*built)[rules];
  if (slot != nullptr) return *slot;
  auto* workload = new Workload{.name = "rules" + std::to_string(rules)};
  RuleSet set = GenerateRuleSet(ScaledOptions(rules));
  std::string errors;
  workload->policy = runtime::testing::CompilePolicy(set.source, &errors);
  if (workload->policy == nullptr) Die(workload->name, errors);
  for (std::string& text : set.requests) {
    runtime::DecodeResult decoded = runtime::DecodeRequest(*workload->policy, text);
    if (!decoded.ok()) Die(workload->name, decoded.errors[0].path + ": " + decoded.errors[0].message);
    workload->requests.push_back(std::move(*decoded.request));
    workload->json.push_back(std::move(text));
  }
  Finish(*workload);
  slot = workload;
  return *workload;
}

int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0;
  int64_t resident = 0;
  if (!(statm >> size >> resident)) return -1;
  return resident * ::sysconf(_SC_PAGESIZE);
}

}  // namespace writ::bench
