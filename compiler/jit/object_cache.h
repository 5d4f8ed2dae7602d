// Compiled objects on disk (docs/jit.md, "The object cache"): a restart that loads the same
// policy with the same writ and LLVM reloads the object instead of running LLVM's optimizer
// and code generator. Files are checked before use (a damaged one is a miss, and is rewritten)
// and replaced atomically, so several processes may share one folder.
#ifndef WRIT_COMPILER_JIT_OBJECT_CACHE_H_
#define WRIT_COMPILER_JIT_OBJECT_CACHE_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace writ::jit {

// What a cache did, for tests and for `writ` to report.
struct CacheStats {
  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> corrupt{0};         // files found damaged (also counted as misses)
  std::atomic<uint64_t> writes{0};
  std::atomic<uint64_t> write_failures{0};  // the folder is not writable, the disk is full
};

class ObjectCache {
 public:
  // A cache in `dir`, created when the first object is stored.
  explicit ObjectCache(std::string dir) : dir_(std::move(dir)) {}

  // The object stored under `key`, or nullopt when there is none or the file is damaged
  // (truncated, wrong magic, size or checksum). Never fails otherwise.
  std::optional<std::string> Load(std::string_view key);
  // Stores `object` under `key`: written to a temporary file, synced, then renamed over the old
  // one. A failure is only counted (write_failures): the cache is an optimisation.
  void Store(std::string_view key, std::string_view object);

  // The file of `key`.
  std::string PathOf(std::string_view key) const;
  const std::string& dir() const { return dir_; }
  const CacheStats& stats() const { return stats_; }

 private:
  std::string dir_;
  CacheStats stats_;
};

// The cache key of `module`, before optimisation, for `machine`: the hex SHA-256 of the writ
// compiler's and LLVM's versions, the target (triple, CPU, features) and the module's IR text.
std::string ModuleKey(const llvm::Module& module, const llvm::TargetMachine& machine);

// The hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

}  // namespace writ::jit

#endif  // WRIT_COMPILER_JIT_OBJECT_CACHE_H_
