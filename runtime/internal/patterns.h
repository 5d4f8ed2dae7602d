// The regular expressions of a policy, compiled once when an evaluator loads it (stdlib/native.h
// writ_regex), so that a decision never compiles a pattern. The checker requires the pattern of
// `text.matches` to be a constant, so every one is known at load time.
#ifndef WRIT_RUNTIME_INTERNAL_PATTERNS_H_
#define WRIT_RUNTIME_INTERNAL_PATTERNS_H_

#include <cstdint>
#include <unordered_map>

#include "compiler/ir/policy.h"
#include "stdlib/native.h"

namespace writ::runtime::internal {

class CompiledPatterns {
 public:
  // Compiles the constant pattern of every `text.matches` call in `policy`. A pattern that does
  // not compile (the checker rejects those, so only a hand-made IR has one) is left out, and the
  // call reports the compile error when it is evaluated.
  explicit CompiledPatterns(const ir::Policy& policy);
  ~CompiledPatterns();
  CompiledPatterns(const CompiledPatterns&) = delete;
  CompiledPatterns& operator=(const CompiledPatterns&) = delete;

  // The compiled pattern of the call expression `call`, or null.
  const writ_regex* Find(ir::ExprId call) const;
  size_t size() const { return regexes_.size(); }

 private:
  std::unordered_map<uint32_t, writ_regex*> regexes_;  // by call expression id
};

// Whether stdlib function `index` is `std.text.matches`.
bool IsRegexMatch(uint32_t index);

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_PATTERNS_H_
