// Deterministic inputs for bench_stdlib: realistic mixed text (prose, logs, JSON, code) with a
// sprinkling of personal data and secrets, and SQL scripts. The same seed gives the same bytes
// on every machine (the generator uses only std::mt19937_64's specified output).
#ifndef WRIT_BENCH_STDLIB_CORPUS_H_
#define WRIT_BENCH_STDLIB_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace writ::bench {

// About `size` bytes of mixed text; roughly one finding per kilobyte.
std::string MixedText(size_t size, uint64_t seed);

// About `size` bytes of SQL statements of every category, with comments and quoted strings.
std::string SqlScript(size_t size, uint64_t seed);

// Single statements of the kind an agent sends to a database tool.
std::vector<std::string> TypicalQueries();

}  // namespace writ::bench

#endif  // WRIT_BENCH_STDLIB_CORPUS_H_
