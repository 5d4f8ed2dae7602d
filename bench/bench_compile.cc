// What loading a policy costs (docs/performance.md), for generated rule sets of 10, 100 and
// 1,000 rules:
//   frontend/rules:N  source text to decision IR (parse, check, lower); for reference, since
//                     the target is about native code
//   compile/rules:N   decision IR to native code with no object cache: JitProgram::Compile,
//                     which emits LLVM IR, runs the O2 pipeline and the code generator, links
//                     and looks up every root
//   reload/rules:N    the same call with the object cache warm (a restart of the same writ)
//   memory/rules:N    resident memory that the loaded policy adds, measured in a child process
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "bench/bench_common.h"
#include "bench/workload.h"
#include "runtime/jit/jit_evaluator.h"
#include "runtime/test_policies.h"

namespace writ::bench {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<ir::Policy> Lower(benchmark::State& state, const std::string& source) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = runtime::testing::CompilePolicy(source, &errors);
  if (policy == nullptr) Fail(state, "the generated policy does not check: " + errors);
  return policy;
}

void Frontend(benchmark::State& state, int rules) {
  std::string source = GeneratedSource(rules);
  for (auto _ : state) {
    if (Lower(state, source) == nullptr) break;
  }
}

void Compile(benchmark::State& state, int rules) {
  std::unique_ptr<ir::Policy> policy = Lower(state, GeneratedSource(rules));
  if (policy == nullptr) return;
  for (auto _ : state) {
    std::shared_ptr<const runtime::JitProgram> program = runtime::JitProgram::Compile(*policy);
    if (!program->warnings().empty()) {
      Fail(state, program->warnings().front());
      break;
    }
    state.counters["native_roots"] = static_cast<double>(program->stats().compiled);
    state.counters["roots"] = static_cast<double>(program->stats().roots);
  }
}

void Reload(benchmark::State& state, int rules) {
  std::unique_ptr<ir::Policy> policy = Lower(state, GeneratedSource(rules));
  if (policy == nullptr) return;
  std::string dir = (fs::temp_directory_path() / "writ_bench_cache_XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    Fail(state, "no temporary folder");
    return;
  }
  runtime::JitCompileOptions options{.cache_dir = dir};
  if (runtime::JitProgram::Compile(*policy, options)->stats().cache_writes != 1) {
    Fail(state, "the object was not cached");
  }
  for (auto _ : state) {
    std::shared_ptr<const runtime::JitProgram> program =
        runtime::JitProgram::Compile(*policy, options);
    if (program->stats().cache_hits != 1 || program->stats().cache_misses != 0) {
      Fail(state, "the cached object was not reloaded");
      break;
    }
  }
  fs::remove_all(dir);
}

// In a child, so that nothing the benchmarks before it allocated (nor the allocator's cache
// of it) is counted: the baseline is a process that has already built and dropped one small
// JIT program, so LLVM's one-time set-up is not charged to the policy. The child writes
// three numbers to a pipe: resident bytes at the baseline, with the decision IR alone, and with
// the IR and its native program.
void Memory(benchmark::State& state, int rules) {
  std::string source = GeneratedSource(rules);
  int fds[2];
  if (::pipe(fds) != 0) {
    Fail(state, "no pipe");
    return;
  }
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    int64_t figures[3] = {-1, -1, -1};
    std::string errors;
    {
      std::unique_ptr<ir::Policy> warm = runtime::testing::CompilePolicy(
          "package w\nagent A {}\ntool t(n: int)\npermit call t when args.n > 1\n", &errors);
      if (warm != nullptr) runtime::JitProgram::Compile(*warm);
    }
    ::malloc_trim(0);
    figures[0] = ResidentBytes();
    std::unique_ptr<ir::Policy> policy = runtime::testing::CompilePolicy(source, &errors);
    source.clear();
    source.shrink_to_fit();
    ::malloc_trim(0);
    figures[1] = ResidentBytes();
    std::shared_ptr<const runtime::JitProgram> program;
    if (policy != nullptr) program = runtime::JitProgram::Compile(*policy);
    ::malloc_trim(0);
    figures[2] = program != nullptr && program->warnings().empty() ? ResidentBytes() : -1;
    bool written = ::write(fds[1], figures, sizeof(figures)) == sizeof(figures);
    ::_exit(written ? 0 : 1);
  }
  ::close(fds[1]);
  int64_t figures[3] = {-1, -1, -1};
  bool read = child > 0 && ::read(fds[0], figures, sizeof(figures)) == sizeof(figures);
  ::close(fds[0]);
  int status = 0;
  if (child > 0) ::waitpid(child, &status, 0);
  if (!read || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || figures[2] < 0) {
    Fail(state, "the child could not measure");
    return;
  }
  for (auto _ : state) {
  }
  constexpr double kMiB = 1 << 20;
  state.counters["baseline_mib"] = static_cast<double>(figures[0]) / kMiB;
  state.counters["ir_mib"] = static_cast<double>(figures[1] - figures[0]) / kMiB;
  state.counters["loaded_mib"] = static_cast<double>(figures[2] - figures[0]) / kMiB;
}

void Register(bool smoke) {
  // The smoke run stops at 100 rules and times one iteration of each.
  std::vector<int> sizes = smoke ? std::vector<int>{10, 100} : std::vector<int>{10, 100, 1000};
  for (int rules : sizes) {
    std::string suffix = "/rules:" + std::to_string(rules);
    auto* frontend = benchmark::RegisterBenchmark(
        ("frontend" + suffix).c_str(), [rules](benchmark::State& s) { Frontend(s, rules); });
    auto* compile = benchmark::RegisterBenchmark(
        ("compile" + suffix).c_str(), [rules](benchmark::State& s) { Compile(s, rules); });
    auto* reload = benchmark::RegisterBenchmark(
        ("reload" + suffix).c_str(), [rules](benchmark::State& s) { Reload(s, rules); });
    for (auto* benchmark : {frontend, compile, reload}) {
      benchmark->Unit(benchmark::kMillisecond);
      // A compile of 1,000 rules takes about a second: a few iterations make a mean.
      if (smoke) {
        benchmark->Iterations(1);
      } else if (rules >= 1000) {
        benchmark->Iterations(benchmark == reload ? 20 : 3);
      }
    }
  }
  benchmark::RegisterBenchmark(("memory/rules:" + std::to_string(sizes.back())).c_str(),
                               [rules = sizes.back()](benchmark::State& s) { Memory(s, rules); })
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace writ::bench

int main(int argc, char** argv) {
  writ::bench::Register(writ::bench::TakeSmokeFlag(argc, argv));
  return writ::bench::RunBenchmarks(argc, argv);
}
