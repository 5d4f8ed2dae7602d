// What every Writ benchmark program shares: a failure that makes the program exit non-zero
// (Google Benchmark's SkipWithError alone does not, and the smoke tests must see it), and the
// `--smoke` flag, which runs every benchmark once at small sizes so that ctest keeps the
// programs working without timing anything.
#ifndef WRIT_BENCH_BENCH_COMMON_H_
#define WRIT_BENCH_BENCH_COMMON_H_

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstring>
#include <string>

namespace writ::bench {

inline std::atomic<bool> failed{false};

// Stops `state`'s benchmark with `why` and makes main return 1.
inline void Fail(benchmark::State& state, const std::string& why) {
  failed = true;
  state.SkipWithError(why.c_str());
}

// Removes `--smoke` from the arguments; true when it was there.
inline bool TakeSmokeFlag(int& argc, char** argv) {
  bool smoke = false;
  int kept = 0;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strcmp(argv[i], "--smoke") == 0) {
      smoke = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return smoke;
}

// Runs the registered benchmarks with the remaining flags; 1 on a bad flag or a failure.
inline int RunBenchmarks(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return failed ? 1 : 0;
}

}  // namespace writ::bench

#endif  // WRIT_BENCH_BENCH_COMMON_H_
