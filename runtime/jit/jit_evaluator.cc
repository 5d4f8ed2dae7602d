#include "runtime/jit/jit_evaluator.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <chrono>

#include "compiler/codegen/codegen.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/object_cache.h"
#include "runtime/internal/evaluation.h"
#include "runtime/internal/expr_eval.h"
#include "runtime/internal/patterns.h"
#include "runtime/jit/bind.h"

namespace writ::runtime {
namespace {

// Roots for the shared combining: compiled code where there is some and the request is bound,
// the interpreter's expression evaluator for everything else and for the details of errors.
class JitEngine final : public internal::ExprEngine {
 public:
  JitEngine(const JitProgram& program, const jit_internal::BoundFrame& frame,
            internal::ExprEvaluator& exprs)
      : program_(program), frame_(frame), exprs_(exprs) {}

  internal::Outcome Eval(ir::ExprId root) override {
    codegen::RootFunction function = program_.Function(root);
    if (function == nullptr || !frame_.ok()) return exprs_.Eval(root);
    codegen::Cell out;
    if (function(frame_.frame(), &out) == 0) {
      const ir::Policy& policy = program_.policy();
      return internal::Outcome::Of(jit_internal::FromCell(policy, policy.expr(root).type, out));
    }
    // The compiled code says only that the root failed; the interpreter, evaluating the same
    // pure expression over the same request, gives the error's code, message and location.
    internal::Outcome interpreted = exprs_.Eval(root);
    if (interpreted.ok && frame_.ok()) program_.CountDisagreement();
    return interpreted;
  }

 private:
  const JitProgram& program_;
  const jit_internal::BoundFrame& frame_;
  internal::ExprEvaluator& exprs_;
};

}  // namespace

JitProgram::JitProgram(const ir::Policy& policy)
    : policy_(policy), patterns_(std::make_unique<internal::CompiledPatterns>(policy)) {}

JitProgram::~JitProgram() = default;

std::shared_ptr<const JitProgram> JitProgram::Interpreting(const ir::Policy& policy,
                                                          const absl::Status& why) {
  std::shared_ptr<JitProgram> program(new JitProgram(policy));
  size_t roots = codegen::PolicyRoots(policy).size();
  program->warnings_.push_back("the JIT is not used, every expression is interpreted: " +
                               std::string(why.message()));
  program->stats_.roots = roots;
  program->stats_.interpreted = roots;
  program->stats_.reasons = {{"the JIT could not be built", roots}};
  return program;
}

std::shared_ptr<const JitProgram> JitProgram::Compile(const ir::Policy& policy,
                                                      const JitCompileOptions& options) {
  std::shared_ptr<JitProgram> program(new JitProgram(policy));
  program->stats_.roots = codegen::PolicyRoots(policy).size();
  // Any failure of LLVM leaves the whole policy to the interpreter's code, never half-built.
  std::vector<jit::Symbol> natives;
  for (const codegen::NativeSymbol& native : codegen::NativeSymbols()) {
    natives.push_back({native.name, native.address});
  }
  absl::StatusOr<std::unique_ptr<jit::Jit>> created = jit::Jit::Create(natives, {.triple = options.triple, .cache_dir = options.cache_dir});
  if (!created.ok()) return Interpreting(policy, created.status());
  program->jit_ = std::move(*created);
  absl::StatusOr<codegen::EmittedModule> emitted =
      codegen::EmitModule(policy, program->jit_->data_layout(), program->jit_->triple());
  if (!emitted.ok()) return Interpreting(policy, emitted.status());
  std::vector<codegen::RootInfo> infos = std::move(emitted->roots);
  if (absl::Status added =
          program->jit_->AddModule(std::move(emitted->context), std::move(emitted->module));
      !added.ok()) {
    return Interpreting(policy, added);
  }
  program->functions_.assign(policy.exprs.size(), nullptr);
  for (const codegen::RootInfo& info : infos) {
    if (!info.compiled()) {
      ++program->stats_.interpreted;
      ++program->stats_.reasons[info.reason];
      continue;
    }
    absl::StatusOr<void*> address = program->jit_->Lookup(info.function);
    if (!address.ok()) return Interpreting(policy, address.status());
    program->functions_[info.root.index] = reinterpret_cast<codegen::RootFunction>(*address);
    ++program->stats_.compiled;
  }
  if (const jit::CacheStats* cache = program->jit_->cache_stats()) {
    program->stats_.cache_hits = cache->hits.load();
    program->stats_.cache_misses = cache->misses.load();
    program->stats_.cache_corrupt = cache->corrupt.load();
    program->stats_.cache_writes = cache->writes.load();
    program->stats_.cache_write_failures = cache->write_failures.load();
  }
  return program;
}

JitEvaluator::JitEvaluator(std::shared_ptr<const JitProgram> program, JitOptions options)
    : program_(std::move(program)), options_(std::move(options)) {}

int64_t JitEvaluator::Now() const {
  return options_.clock ? options_.clock()
                        : std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
}

Decision JitEvaluator::Evaluate(const Request& request) const {
  const ir::Policy& policy = program_->policy();
  internal::ExprEvaluator exprs(policy, request, Now(), &program_->patterns());
  jit_internal::BoundFrame frame(request, exprs, &program_->patterns());
  JitEngine engine(*program_, frame, exprs);
  return internal::Decide(policy, request, options_.package, exprs, engine, nullptr);
}

}  // namespace writ::runtime
