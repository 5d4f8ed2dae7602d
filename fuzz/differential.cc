// Fuzz target differential: a policy selector byte, then a request's JSON. A request that
// decodes against the corpus policy gets the same encoded decision from the reference
// interpreter, from its explaining mode, and from the JIT (each policy compiled once); the JIT's
// compiled code never fails where the interpreter does not.
#include <map>
#include <memory>

#include "fuzz/corpus.h"
#include "fuzz/fuzz.h"
#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/jit/jit_evaluator.h"
#include "runtime/request.h"

namespace writ::fuzz {
namespace {

struct Engines {
  std::unique_ptr<runtime::Interpreter> interpreter;
  std::shared_ptr<const runtime::JitProgram> program;
  std::unique_ptr<runtime::JitEvaluator> jit;
};

const Engines& EnginesOf(const ir::Policy& policy) {
  static std::map<const ir::Policy*, Engines>* engines = new std::map<const ir::Policy*, Engines>;
  auto [it, inserted] = engines->try_emplace(&policy);
  if (inserted) {
    auto clock = [] { return kClockMillis; };
    it->second.interpreter = std::make_unique<runtime::Interpreter>(
        policy, runtime::InterpreterOptions{.clock = clock});
    it->second.program = runtime::JitProgram::Compile(policy);
    it->second.jit = std::make_unique<runtime::JitEvaluator>(
        it->second.program, runtime::JitOptions{.clock = clock});
  }
  return it->second;
}

void RunDifferential(std::string_view input) {
  const auto [policy, json] = SplitInput(input);
  const runtime::DecodeResult decoded = runtime::DecodeRequest(*policy, json);
  if (!decoded.ok()) return;
  const Engines& engines = EnginesOf(*policy);
  const uint64_t disagreements = engines.program->disagreements();

  const std::string interpreted =
      runtime::EncodeDecision(*policy, engines.interpreter->Evaluate(*decoded.request), -1);
  runtime::Explanation explanation;
  const std::string explained = runtime::EncodeDecision(
      *policy, engines.interpreter->Explain(*decoded.request, explanation), -1);
  const std::string jitted =
      runtime::EncodeDecision(*policy, engines.jit->Evaluate(*decoded.request), -1);

  WRIT_FUZZ_CHECK(explained == interpreted,
                  Cat("request: ", json, "\ninterpreter: ", interpreted,
                               "\nexplain:     ", explained));
  WRIT_FUZZ_CHECK(jitted == interpreted, Cat("request: ", json, "\ninterpreter: ",
                                                      interpreted, "\njit:         ", jitted));
  WRIT_FUZZ_CHECK(engines.program->disagreements() == disagreements,
                  Cat("the JIT's code failed where the interpreter did not: ", json));
}

std::vector<std::string> DifferentialSeeds() {
  std::vector<std::string> seeds;
  for (const CorpusRequest& request : CorpusRequests()) seeds.push_back(JoinInput(request));
  return seeds;
}

WRIT_FUZZ_TARGET("differential", RunDifferential, DifferentialSeeds);

}  // namespace
}  // namespace writ::fuzz
