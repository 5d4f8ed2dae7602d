// Every fuzz target in the normal build: its seeds, and every input kept in
// fuzz/regressions/<target>/ (the crashes the fuzzers found, after their fixes), run through
// the same function libFuzzer calls. A broken invariant aborts the test binary.
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "fuzz/fuzz.h"

namespace writ::fuzz {

// gtest prints a parameter with this, instead of its bytes.
void PrintTo(const Target& target, std::ostream* out) { *out << target.name; }

namespace {

class FuzzReplayTest : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplayTest, Seeds) {
  const std::vector<std::string> seeds = GetParam().seeds();
  EXPECT_FALSE(seeds.empty());
  for (const std::string& seed : seeds) GetParam().run(seed);
}

TEST_P(FuzzReplayTest, Regressions) {
  for (const std::string& path :
       FilesUnder(SourcePath("fuzz/regressions/" + std::string(GetParam().name)), "")) {
    SCOPED_TRACE(path);
    GetParam().run(ReadFile(path));
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplayTest, ::testing::ValuesIn(Targets().begin(), Targets().end()),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace writ::fuzz
