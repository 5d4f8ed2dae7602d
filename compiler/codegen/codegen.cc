#include "compiler/codegen/codegen.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Triple.h>

#include <algorithm>

#include "compiler/codegen/internal/emitter.h"

namespace writ::codegen {

EmittedModule::EmittedModule() = default;
EmittedModule::EmittedModule(EmittedModule&&) noexcept = default;
EmittedModule& EmittedModule::operator=(EmittedModule&&) noexcept = default;
EmittedModule::~EmittedModule() = default;

std::vector<ir::ExprId> PolicyRoots(const ir::Policy& policy) {
  std::vector<ir::ExprId> roots;
  auto add = [&](ir::ExprId id) {
    if (id.valid()) roots.push_back(id);
  };
  for (const ir::Rule& rule : policy.rules) {
    for (const ir::RuleInstance& instance : rule.instances) {
      add(instance.condition);
      add(instance.approvers);
    }
  }
  for (const ir::Limit& limit : policy.limits) add(limit.bound);
  for (const ir::Budget& budget : policy.budgets) add(budget.approvers);
  std::sort(roots.begin(), roots.end(),
            [](ir::ExprId a, ir::ExprId b) { return a.index < b.index; });
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  return roots;
}

absl::StatusOr<EmittedModule> EmitModule(const ir::Policy& policy, const llvm::DataLayout& layout,
                                         const llvm::Triple& triple) {
  EmittedModule emitted;
  emitted.context = std::make_unique<llvm::LLVMContext>();
  emitted.module = std::make_unique<llvm::Module>("writ.policy", *emitted.context);
  emitted.module->setDataLayout(layout);
  emitted.module->setTargetTriple(triple.str());
  internal::ModuleTypes types(*emitted.module);
  internal::Emitter emitter(policy, *emitted.module, types);
  for (ir::ExprId root : PolicyRoots(policy)) {
    RootInfo info{root, "", ""};
    std::string name = "writ_root_" + std::to_string(root.index);
    if (emitter.EmitRoot(root, name, info.reason)) info.function = std::move(name);
    emitted.roots.push_back(std::move(info));
  }
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (llvm::verifyModule(*emitted.module, &out)) {
    return absl::InternalError("the emitted module does not verify: " + out.str());
  }
  return emitted;
}

}  // namespace writ::codegen
