// Policy source text as fuzz input and seeds, shared by the parse+check and format targets.
#ifndef WRIT_FUZZ_POLICY_SOURCES_H_
#define WRIT_FUZZ_POLICY_SOURCES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace writ::fuzz {

// One input holds up to kMaxFiles policy files, separated by kFileSeparator lines (a comment,
// so a single file is an input as it stands): files of several packages importing each other.
inline constexpr std::string_view kFileSeparator = "\n//@file\n";
inline constexpr size_t kMaxFiles = 4;

// The files of an input, named f0.writ, f1.writ, ...
std::vector<std::pair<std::string, std::string>> SplitFiles(std::string_view input);

// Every policy of the project's corpora: the .writ files under tests/, policies/ and
// runtime/testdata/, each folder of several files (packages) also joined as one input, and the
// `writ` code blocks of docs/.
std::vector<std::string> PolicySeeds();

}  // namespace writ::fuzz

#endif  // WRIT_FUZZ_POLICY_SOURCES_H_
