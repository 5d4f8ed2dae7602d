#include "compiler/jit/jit.h"

#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/Core.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Target/TargetMachine.h>

#include <optional>
#include <string>

#include "compiler/jit/object_cache.h"


namespace writ::jit {
namespace {

// LLVM's native target is registered once per process.
bool InitializeNativeTarget() {
  static const bool ready = [] {
    return !llvm::InitializeNativeTarget() && !llvm::InitializeNativeTargetAsmPrinter();
  }();
  return ready;
}

// Runs the O2 pipeline over `module`, with the target's cost model.
void Optimize(llvm::Module& module, llvm::TargetMachine* machine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::ModulePassManager pipeline =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  pipeline.run(module, modules);
}

// The compile step of the JIT: the O2 pipeline, then the code generator, unless the object
// cache holds the module's object already, in which case neither runs. One per LLJIT, whose
// compile layer calls it from one thread at a time (lookups compile in the calling thread).
class CachingCompiler final : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  CachingCompiler(std::unique_ptr<llvm::TargetMachine> machine, ObjectCache* cache)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(machine->Options)),
        machine_(std::move(machine)),
        cache_(cache) {}

  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& module) override {
    std::string key;
    if (cache_ != nullptr) {
      key = ModuleKey(module, *machine_);
      if (std::optional<std::string> object = cache_->Load(key)) {
        return llvm::MemoryBuffer::getMemBufferCopy(*object, module.getModuleIdentifier());
      }
    }
    Optimize(module, machine_.get());
    llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> object =
        llvm::orc::SimpleCompiler(*machine_)(module);
    if (object && cache_ != nullptr) {
      cache_->Store(key, std::string_view((*object)->getBufferStart(), (*object)->getBufferSize()));
    }
    return object;
  }

 private:
  std::unique_ptr<llvm::TargetMachine> machine_;
  ObjectCache* cache_;
};

}  // namespace

absl::Status ToStatus(llvm::Error error, absl::StatusCode code) {
  if (!error) return absl::OkStatus();
  return absl::Status(code, llvm::toString(std::move(error)));
}

absl::StatusOr<std::unique_ptr<Jit>> Jit::Create(const std::vector<Symbol>& natives,
                                                 const JitConfig& config) {
  if (!InitializeNativeTarget()) {
    return absl::FailedPreconditionError("LLVM has no native target for this host");
  }
  llvm::Expected<llvm::orc::JITTargetMachineBuilder> host =
      llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!host) return ToStatus(host.takeError(), absl::StatusCode::kFailedPrecondition);
  if (!config.triple.empty()) {
    host = llvm::orc::JITTargetMachineBuilder(llvm::Triple(config.triple));
  }
  host->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);

  std::unique_ptr<Jit> jit(new Jit());
  if (!config.cache_dir.empty()) jit->cache_ = std::make_unique<ObjectCache>(config.cache_dir);
  ObjectCache* cache = jit->cache_.get();
  llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> built =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*host))
          .setCompileFunctionCreator(
              [cache](llvm::orc::JITTargetMachineBuilder builder)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
                    builder.createTargetMachine();
                if (!machine) return machine.takeError();
                return std::make_unique<CachingCompiler>(std::move(*machine), cache);
              })
          .create();
  if (!built) return ToStatus(built.takeError(), absl::StatusCode::kFailedPrecondition);
  jit->jit_ = std::move(*built);

  llvm::orc::JITDylib& main = jit->jit_->getMainJITDylib();
  llvm::orc::SymbolMap symbols;
  for (const Symbol& native : natives) {
    symbols[jit->jit_->mangleAndIntern(native.name)] = llvm::orc::ExecutorSymbolDef(
        llvm::orc::ExecutorAddr::fromPtr(native.address),
        llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  }
  if (absl::Status status = ToStatus(main.define(llvm::orc::absoluteSymbols(std::move(symbols))));
      !status.ok()) {
    return status;
  }
  // The code generator may lower large copies and fills to libc calls; nothing else is
  // resolved from the process, so a missing native is an error at lookup, not a surprise.
  llvm::orc::SymbolStringPtr memcpy = jit->jit_->mangleAndIntern("memcpy");
  llvm::orc::SymbolStringPtr memmove = jit->jit_->mangleAndIntern("memmove");
  llvm::orc::SymbolStringPtr memset = jit->jit_->mangleAndIntern("memset");
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      jit->jit_->getDataLayout().getGlobalPrefix(),
      [memcpy, memmove, memset](const llvm::orc::SymbolStringPtr& name) {
        return name == memcpy || name == memmove || name == memset;
      });
  if (!process) return ToStatus(process.takeError());
  main.addGenerator(std::move(*process));
  return jit;
}

Jit::~Jit() = default;

const llvm::DataLayout& Jit::data_layout() const { return jit_->getDataLayout(); }

const CacheStats* Jit::cache_stats() const { return cache_ ? &cache_->stats() : nullptr; }

const llvm::Triple& Jit::triple() const { return jit_->getTargetTriple(); }

absl::Status Jit::AddModule(std::unique_ptr<llvm::LLVMContext> context,
                            std::unique_ptr<llvm::Module> module) {
  return ToStatus(jit_->addIRModule(
      llvm::orc::ThreadSafeModule(std::move(module), std::move(context))));
}

absl::StatusOr<void*> Jit::Lookup(std::string_view name) {
  llvm::Expected<llvm::orc::ExecutorAddr> address =
      jit_->lookup(llvm::StringRef(name.data(), name.size()));
  if (!address) return ToStatus(address.takeError(), absl::StatusCode::kNotFound);
  return address->toPtr<void*>();
}

}  // namespace writ::jit
