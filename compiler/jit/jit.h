// An LLVM ORC LLJIT for the host (docs/jit.md): optimizes modules with the O2 pipeline, defines
// the native functions generated code calls as absolute symbols, and looks up compiled
// functions. Every llvm::Error is consumed here and becomes an absl::Status.
#ifndef WRIT_COMPILER_JIT_JIT_H_
#define WRIT_COMPILER_JIT_JIT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace llvm {
class DataLayout;
class Error;
class LLVMContext;
class Module;
class Triple;
namespace orc {
class LLJIT;
}  // namespace orc
}  // namespace llvm

namespace writ::jit {

class ObjectCache;
struct CacheStats;

// How a JIT is built.
struct JitConfig {
  // The target to compile for; empty is the host. For tests of failure: code for a target the
  // host cannot run is never built.
  std::string triple;
  // The folder of the object cache (object_cache.h); empty for none.
  std::string cache_dir;
};

// A function outside the JIT'd code: its (unmangled) symbol and address in this process.
struct Symbol {
  std::string name;
  void* address;
};

class Jit {
 public:
  // A JIT for the host that resolves `natives` to their addresses, and otherwise only the
  // memory functions (memcpy, memmove, memset) that LLVM's code generator may call, from the
  // process. FailedPrecondition when the host has no native target or LLVM none for
  // `config.triple`; Internal for other LLVM failures.
  static absl::StatusOr<std::unique_ptr<Jit>> Create(const std::vector<Symbol>& natives,
                                                     const JitConfig& config = {});
  ~Jit();
  Jit(const Jit&) = delete;
  Jit& operator=(const Jit&) = delete;

  // What modules must be emitted for (set before emitting IR).
  const llvm::DataLayout& data_layout() const;
  const llvm::Triple& triple() const;

  // Adds `module`, to be optimized with the O2 pipeline and compiled on the first lookup of
  // one of its symbols; with a cache, an object cached for the same module is loaded instead.
  absl::Status AddModule(std::unique_ptr<llvm::LLVMContext> context,
                         std::unique_ptr<llvm::Module> module);

  // The address of the compiled function `name` (compiling its module if needed); NotFound
  // when no module defines it, Internal when compiling fails. Thread-safe.
  absl::StatusOr<void*> Lookup(std::string_view name);

  // What the object cache did; null without one.
  const CacheStats* cache_stats() const;

 private:
  Jit() = default;

  std::unique_ptr<ObjectCache> cache_;  // before jit_, whose compiler uses it
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

// `error` as a status with `code`, consuming it; OK for a success value.
absl::Status ToStatus(llvm::Error error, absl::StatusCode code = absl::StatusCode::kInternal);

}  // namespace writ::jit

#endif  // WRIT_COMPILER_JIT_JIT_H_
