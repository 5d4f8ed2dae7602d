// The project's evaluation corpus as fuzzing material: the policies of policies/ and of every
// topic of tests/eval/, compiled once, and the requests of the corpus's cases.
#ifndef WRIT_FUZZ_CORPUS_H_
#define WRIT_FUZZ_CORPUS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/policy.h"

namespace writ::fuzz {

struct CorpusPolicy {
  std::string path;  // a file or folder, relative to the source tree
  std::unique_ptr<ir::Policy> policy;
};

// The policies, compiled on first use; aborts if one does not compile (the corpus is kept
// compiling by its own tests).
const std::vector<CorpusPolicy>& CorpusPolicies();

// The case requests of tests/eval/ and the requests of runtime/testdata/, each with the index
// of its policy in CorpusPolicies(). Cases that generate their request (the size limits) are
// left out: the fuzzer finds the limits from smaller inputs.
struct CorpusRequest {
  size_t policy = 0;
  std::string json;
};
std::vector<CorpusRequest> CorpusRequests();

// Inputs of the request targets are a policy selector byte, then the request's JSON.
struct PolicyAndRequest {
  const ir::Policy* policy = nullptr;
  std::string_view json;
};
PolicyAndRequest SplitInput(std::string_view input);
std::string JoinInput(const CorpusRequest& request);

// The evaluators' clock when a request omits session.now: 2026-11-26T10:30:00Z.
inline constexpr int64_t kClockMillis = 1'795'689'000'000;

}  // namespace writ::fuzz

#endif  // WRIT_FUZZ_CORPUS_H_
