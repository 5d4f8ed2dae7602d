// Decision IR -> LLVM IR (docs/jit.md). Every distinct expression root of a policy (rule
// conditions and approvers, limit bounds, budget approvers) whose operations are all in the
// compiled subset becomes one function `writ_root_<expr id>` with the RootFunction signature of
// frame.h; the others are listed as not compiled, for the interpreter to evaluate.
#ifndef WRIT_COMPILER_CODEGEN_CODEGEN_H_
#define WRIT_COMPILER_CODEGEN_CODEGEN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/policy.h"

namespace llvm {
class DataLayout;
class LLVMContext;
class Module;
class Triple;
}  // namespace llvm

namespace writ::codegen {

// What became of one root.
struct RootInfo {
  ir::ExprId root;
  std::string function;  // the symbol; empty when not compiled
  std::string reason;    // why it was not compiled ("op any"), else empty
  bool compiled() const { return !function.empty(); }
};

struct EmittedModule {
  // Out of line, so that users need not include LLVM's headers.
  EmittedModule();
  EmittedModule(EmittedModule&&) noexcept;
  EmittedModule& operator=(EmittedModule&&) noexcept;
  ~EmittedModule();

  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  std::vector<RootInfo> roots;  // every root of the policy, by increasing expression id
};

// Emits the module of `policy` (which must verify) for the target described by `layout` and
// `triple`. A root outside the compiled subset is reported in `roots`, not as an error;
// InternalError means the emitted module did not pass LLVM's verifier (a codegen bug).
absl::StatusOr<EmittedModule> EmitModule(const ir::Policy& policy, const llvm::DataLayout& layout,
                         const llvm::Triple& triple);

// Every distinct expression root of `policy`, sorted.
std::vector<ir::ExprId> PolicyRoots(const ir::Policy& policy);

// A function outside the module that generated code may call: its symbol and address.
struct NativeSymbol {
  const char* name;
  void* address;
};

// The native functions of generated code (stdlib/native.h entry points and the helpers of
// natives.cc), for the JIT to define as absolute symbols.
std::vector<NativeSymbol> NativeSymbols();

}  // namespace writ::codegen

#endif  // WRIT_COMPILER_CODEGEN_CODEGEN_H_
