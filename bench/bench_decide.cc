// Decisions per second and per decision on both engines (docs/performance.md):
//   decide/<workload>/<engine>   Evaluate on a request already decoded (a runtime::Request);
//                                what is timed is the evaluator's whole Evaluate call: binding
//                                the request into the JIT's frame (or the interpreter's
//                                environment), every root, the combining, and building and
//                                freeing the Decision. Requests are taken in turn.
//   json/<workload>/<engine>     DecodeRequest of the request's JSON text, then Evaluate.
//   decode/<workload>            DecodeRequest alone, the share of JSON in the above.
//   spread/<workload>/<engine>   each request decided 200 times in a row and timed with
//                                the steady clock: the counters are the median, 90th
//                                percentile and maximum over the requests of the time per
//                                decision, so a few expensive requests cannot hide in a mean.
// with <workload> `examples` (the requests of the tests of policies/) or `rules1000` (the
// generated rule set), and the JIT's decisions on 1 and 2 threads sharing one evaluator.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "bench/bench_common.h"
#include "bench/workload.h"
#include "runtime/decision.h"

namespace writ::bench {
namespace {

using runtime::Engine;

void Decide(benchmark::State& state, const Workload* workload, Engine engine) {
  const runtime::Evaluator& evaluator = workload->evaluator(engine);
  const std::vector<runtime::Request>& requests = workload->requests;
  // Threads start at different requests, so that they do not decide in lockstep.
  size_t next = static_cast<size_t>(state.thread_index()) * 7 % requests.size();
  for (auto _ : state) {
    runtime::Decision decision = evaluator.Evaluate(requests[next]);
    benchmark::DoNotOptimize(decision);
    if (++next == requests.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["requests"] =
      benchmark::Counter(static_cast<double>(requests.size()), benchmark::Counter::kAvgThreads);
}

void FromJson(benchmark::State& state, const Workload* workload, Engine engine) {
  const runtime::Evaluator& evaluator = workload->evaluator(engine);
  size_t next = 0;
  for (auto _ : state) {
    runtime::DecodeResult decoded = runtime::DecodeRequest(*workload->policy, workload->json[next]);
    if (!decoded.ok()) {
      Fail(state, "a request did not decode");
      break;
    }
    runtime::Decision decision = evaluator.Evaluate(*decoded.request);
    benchmark::DoNotOptimize(decision);
    if (++next == workload->json.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void Decode(benchmark::State& state, const Workload* workload) {
  size_t next = 0;
  size_t bytes = 0;
  for (auto _ : state) {
    runtime::DecodeResult decoded = runtime::DecodeRequest(*workload->policy, workload->json[next]);
    benchmark::DoNotOptimize(decoded);
    bytes += workload->json[next].size();
    if (++next == workload->json.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// Decisions of one request in a row per timing: enough that the clock's cost (some 20 ns) is
// negligible, few enough that a pass over 256 requests stays well under a second.
constexpr int kRepeats = 200;

void Spread(benchmark::State& state, const Workload* workload, Engine engine, int repeats) {
  using Clock = std::chrono::steady_clock;
  const runtime::Evaluator& evaluator = workload->evaluator(engine);
  std::vector<double> per_request(workload->requests.size());
  for (auto _ : state) {
    for (size_t i = 0; i < workload->requests.size(); ++i) {
      Clock::time_point start = Clock::now();
      for (int r = 0; r < repeats; ++r) {
        runtime::Decision decision = evaluator.Evaluate(workload->requests[i]);
        benchmark::DoNotOptimize(decision);
      }
      std::chrono::duration<double, std::nano> took = Clock::now() - start;
      per_request[i] = took.count() / repeats;
    }
  }
  std::sort(per_request.begin(), per_request.end());
  auto at = [&](double fraction) {
    size_t index = static_cast<size_t>(fraction * static_cast<double>(per_request.size()));
    return per_request[std::min(per_request.size() - 1, index)];
  };
  state.counters["median_ns"] = at(0.5);
  state.counters["p90_ns"] = at(0.9);
  state.counters["max_ns"] = per_request.back();
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(per_request.size()) * repeats);
}

// How much of the workload's policy is native: an interpreted root costs the JIT its speed.
void ReportRoots(benchmark::State& state, const Workload& workload) {
  const runtime::JitStats& stats = workload.jit->program()->stats();
  state.counters["roots"] = static_cast<double>(stats.roots);
  state.counters["native_roots"] = static_cast<double>(stats.compiled);
}

void Register(bool smoke) {
  // The generated rule set is 1,000 rules; the smoke run takes 100, which compiles in a tenth
  // of the time and exercises the same code.
  int rules = smoke ? 100 : 1000;
  std::vector<const Workload*> workloads = {&Examples(), &Generated(rules)};
  for (const Workload* workload : workloads) {
    for (Engine engine : {Engine::kJit, Engine::kInterpreter}) {
      std::string suffix = workload->name + "/" + std::string(runtime::Spelling(engine));
      auto* bound = benchmark::RegisterBenchmark(
          ("decide/" + suffix).c_str(), [workload, engine](benchmark::State& state) {
            Decide(state, workload, engine);
            if (engine == Engine::kJit) ReportRoots(state, *workload);
          });
      auto* json = benchmark::RegisterBenchmark(
          ("json/" + suffix).c_str(),
          [workload, engine](benchmark::State& state) { FromJson(state, workload, engine); });
      for (auto* benchmark : {bound, json}) {
        benchmark->Unit(benchmark::kNanosecond);
        if (smoke) benchmark->Iterations(1);
      }
      // One pass over the requests is the measurement; repetitions give its median.
      benchmark::RegisterBenchmark(
          ("spread/" + suffix).c_str(),
          [workload, engine, repeats = smoke ? 1 : kRepeats](benchmark::State& state) {
            Spread(state, workload, engine, repeats);
          })
          ->Iterations(1)
          ->Unit(benchmark::kMillisecond);
    }
    auto* decode = benchmark::RegisterBenchmark(
        ("decode/" + workload->name).c_str(),
        [workload](benchmark::State& state) { Decode(state, workload); });
    // Threads share the evaluator, as the runtime's do; real time, so that the counter of
    // items per second is the throughput of all threads together.
    auto* threads = benchmark::RegisterBenchmark(
        ("threads/" + workload->name + "/jit").c_str(),
        [workload](benchmark::State& state) { Decide(state, workload, Engine::kJit); });
    threads->Threads(1)->Threads(2)->UseRealTime();
    for (auto* benchmark : {decode, threads}) {
      benchmark->Unit(benchmark::kNanosecond);
      if (smoke) benchmark->Iterations(1);
    }
  }
}

}  // namespace
}  // namespace writ::bench

int main(int argc, char** argv) {
  writ::bench::Register(writ::bench::TakeSmokeFlag(argc, argv));
  return writ::bench::RunBenchmarks(argc, argv);
}
