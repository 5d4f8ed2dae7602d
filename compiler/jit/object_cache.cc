#include "compiler/jit/object_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace writ::jit {
namespace {

// A file is the magic (part of every key too: change it when what an object means changes
// without the IR changing, e.g. the optimisation pipeline or the native symbols' contracts), the payload's size (8 bytes, little-endian), the SHA-256 of the key and
// of the payload (32 bytes each), then the payload.
constexpr std::string_view kMagic = "WRITOBJ1";
constexpr size_t kHeader = 8 + 8 + 32 + 32;
constexpr uint64_t kMaxObject = uint64_t{1} << 30;  // anything larger is not ours

std::array<uint8_t, 32> Digest(std::string_view bytes) {
  return llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::string Header(std::string_view key, std::string_view object) {
  std::string header(kMagic);
  uint64_t size = object.size();
  for (int i = 0; i < 8; ++i) header.push_back(static_cast<char>((size >> (8 * i)) & 0xFF));
  for (uint8_t b : Digest(key)) header.push_back(static_cast<char>(b));
  for (uint8_t b : Digest(object)) header.push_back(static_cast<char>(b));
  return header;
}

// Reads the whole of `path`, at most `limit` bytes; nullopt when it cannot be read.
std::optional<std::string> ReadFile(const std::string& path, uint64_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || data.size() + static_cast<size_t>(n) > limit) {
      ::close(fd);
      if (n == 0) return data;
      return std::nullopt;
    }
    data.append(buffer, static_cast<size_t>(n));
  }
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : Digest(bytes)) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xF]);
  }
  return hex;
}

std::string ModuleKey(const llvm::Module& module, const llvm::TargetMachine& machine) {
  std::string text =
      std::string(kMagic) + "\nwrit " WRIT_COMPILER_VERSION "\nllvm " LLVM_VERSION_STRING "\n";
  text += machine.getTargetTriple().str() + "\n" + machine.getTargetCPU().str() + "\n" +
          machine.getTargetFeatureString().str() + "\n";
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  out.flush();
  return Sha256Hex(text);
}

std::string ObjectCache::PathOf(std::string_view key) const {
  return dir_ + "/" + std::string(key) + ".o";
}

std::optional<std::string> ObjectCache::Load(std::string_view key) {
  std::optional<std::string> file = ReadFile(PathOf(key), kMaxObject + kHeader);
  if (!file) {
    stats_.misses.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  std::string_view data(*file);
  bool valid = data.size() >= kHeader && data.substr(0, kMagic.size()) == kMagic;
  if (valid) {
    std::string_view object = data.substr(kHeader);
    valid = data.substr(0, kHeader) == Header(key, object);
  }
  if (!valid) {
    stats_.corrupt.fetch_add(1, std::memory_order_relaxed);
    stats_.misses.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  stats_.hits.fetch_add(1, std::memory_order_relaxed);
  return file->substr(kHeader);
}

void ObjectCache::Store(std::string_view key, std::string_view object) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  // Unique among processes (the pid) and among this process's threads (the counter).
  static std::atomic<uint64_t> counter{0};
  std::string temporary = PathOf(key) + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && WriteAll(fd, Header(key, object)) && WriteAll(fd, object) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  ok = ok && ::rename(temporary.c_str(), PathOf(key).c_str()) == 0;
  if (!ok) {
    ::unlink(temporary.c_str());
    stats_.write_failures.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stats_.writes.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace writ::jit
