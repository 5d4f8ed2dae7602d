// The native functions generated code calls, by standard-library function: their symbol, their
// C signature and their address (for the JIT's absolute symbols).
#ifndef WRIT_COMPILER_CODEGEN_INTERNAL_NATIVES_H_
#define WRIT_COMPILER_CODEGEN_INTERNAL_NATIVES_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace writ::codegen::internal {

// The C signatures of the std functions that are compiled.
enum class Shape : uint8_t {
  kStringToBool,        // bool f(const char*, size_t)
  kTwoStringsToBool,    // bool f(const char*, size_t, const char*, size_t)
  kStringToInt,         // int64_t f(const char*, size_t)
  kIntToInt,            // int64_t f(int64_t)
  kStringAndKind,       // bool f(const char*, size_t, uint32_t): a constant std.pii Kind
  kMoneyMin,            // inline: the smaller of two amounts in one currency
  kMoneyMax,            // inline: the larger
  kMoneyAbs,            // inline: the magnitude; overflow for the most negative amount
};

struct StdNative {
  std::string_view module;  // "std.text"
  std::string_view name;    // "contains"
  const char* symbol;       // "writ_text_contains"; null when inlined
  Shape shape;
  void* address;            // null when inlined
};

// Every compiled standard-library function.
std::span<const StdNative> StdNatives();
// The entry for `module`.`name`; null when that function is not compiled.
const StdNative* FindStdNative(std::string_view module, std::string_view name);

}  // namespace writ::codegen::internal

// Three-way comparison of byte strings as std::string orders them: -1, 0 or 1.
extern "C" int32_t writ_jit_string_compare(const char* a, uint64_t a_size, const char* b,
                                           uint64_t b_size) noexcept;

#endif  // WRIT_COMPILER_CODEGEN_INTERNAL_NATIVES_H_
