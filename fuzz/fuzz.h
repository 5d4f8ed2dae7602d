// The fuzz targets' shared contract (docs/testing.md, "Fuzzing"). A target is one function that
// checks one input and aborts, through WRIT_FUZZ_CHECK, when an invariant breaks, and one that
// builds its seed inputs from the project's own corpora. The same two functions run under
// libFuzzer (fuzz_main.cc, WRIT_FUZZ=ON) and in every build's ctest (replay_test.cc), which
// replays the seeds and the inputs kept in fuzz/regressions/<target>/.
#ifndef WRIT_FUZZ_FUZZ_H_
#define WRIT_FUZZ_FUZZ_H_

#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace writ::fuzz {

struct Target {
  std::string_view name;  // also the folder of its regressions
  // Checks one input; returns normally unless an invariant broke (then it aborts).
  void (*run)(std::string_view input);
  // Inputs to start from, built from tests/, policies/ and runtime/testdata/.
  std::vector<std::string> (*seeds)();
};

// Adds a target to the registry; returns true (WRIT_FUZZ_TARGET uses it in an initializer).
bool Register(const Target& target);
// Every target linked into this binary, by name.
std::span<const Target> Targets();

// Prints the broken invariant and `detail` to stderr, then aborts: libFuzzer keeps the input.
[[noreturn]] void Fail(const char* invariant, std::string_view detail, const char* file,
                       int line);

// The project's source tree, for seeds: WRIT_SOURCE_DIR joined with `relative`.
std::string SourcePath(std::string_view relative);
// The bytes of a file; empty if it cannot be read.
std::string ReadFile(const std::string& path);
// The regular files under `folder` (recursively) whose names end with `suffix`, sorted.
std::vector<std::string> FilesUnder(const std::string& folder, std::string_view suffix);

// The parts as one string, for failure details: text of any string type, and numbers.
template <typename... Parts>
std::string Cat(const Parts&... parts);

}  // namespace writ::fuzz

#define WRIT_FUZZ_CHECK(condition, detail)                                   \
  do {                                                                       \
    if (!(condition)) ::writ::fuzz::Fail(#condition, (detail), __FILE__, __LINE__); \
  } while (false)

#define WRIT_FUZZ_CONCAT_(a, b) a##b
#define WRIT_FUZZ_CONCAT(a, b) WRIT_FUZZ_CONCAT_(a, b)
// Registers a target: WRIT_FUZZ_TARGET("parse_check", RunParseCheck, ParseCheckSeeds);
#define WRIT_FUZZ_TARGET(name, run, seeds)                                          \
  [[maybe_unused]] static const bool WRIT_FUZZ_CONCAT(writ_fuzz_registered_, __LINE__) = \
      ::writ::fuzz::Register({name, run, seeds})

namespace writ::fuzz {
namespace internal {
template <typename T>
void AppendPart(std::string& out, const T& part) {
  if constexpr (std::is_arithmetic_v<T>) {
    out += std::to_string(part);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out += std::string_view(part);
  } else {
    out.append(part.data(), part.size());
  }
}
}  // namespace internal

template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (internal::AppendPart(out, parts), ...);
  return out;
}
}  // namespace writ::fuzz

#endif  // WRIT_FUZZ_FUZZ_H_
