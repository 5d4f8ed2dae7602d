// The session runtime on its SQLite store (docs/runtime.md): decided-and-stored tool calls per
// second on one thread, with durable commits (synchronous FULL) and with NORMAL; the same with
// many agents calling at once on one core, where group commit shares each durable commit; and
// the time to write and read checkpoints of 4 KiB, 64 KiB and 1 MiB.
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPolicy = R"(package bench

entity User { approval_limit: money }

agent Bot {
  acts_for: User
}

tool pay(amount: money, to: string)

permit call pay for Bot

cap: limit spend pay.amount per task <= principal.acts_for.approval_limit because "task cap"
monthly: limit spend pay.amount per month <= principal.acts_for.approval_limit
blocked: forbid call pay when args.to == "mallory" because "blocked"
tokens: budget tokens per task 1000000000 warn at 80%
)";

constexpr const char* kWorld = R"([
  {"type": "bench.Bot", "id": "b", "attrs": {"acts_for": {"type": "bench.User", "id": "u"}}},
  {"type": "bench.User", "id": "u", "attrs": {"approval_limit": "900000000000 USD"}}
])";

// A policy, a fresh store in a temporary folder and a spawned session.
class Setup {
 public:
  explicit Setup(bool durable) {
    std::string errors;
    policy_ = runtime::testing::CompilePolicy(kPolicy, &errors);
    if (policy_ == nullptr) {
      std::fprintf(stderr, "bench policy: %s\n", errors.c_str());
      std::abort();
    }
    interpreter_ = std::make_unique<runtime::Interpreter>(*policy_);
    std::string pattern = (fs::temp_directory_path() / "writ_bench_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir_ = pattern;
    auto store = runtime::store::OpenSqliteStore((dir_ / "writ.db").string(),
                                                 {.synchronous_full = durable});
    if (!store.ok()) std::abort();
    store_ = std::move(*store);
    runtime_ = std::make_unique<runtime::SessionRuntime>(*policy_, *interpreter_, *store_);
    if (!runtime_->Spawn({"s", "bench.Bot", "b", "bench", kWorld}).ok()) std::abort();
  }
  // One more session per concurrent agent: "s0", "s1", ...
  void SpawnMore(int count) {
    for (int i = 0; i < count; ++i) {
      if (!runtime_->Spawn({"s" + std::to_string(i), "bench.Bot", "b", "bench", kWorld}).ok()) {
        std::abort();
      }
    }
  }
  const runtime::store::Store& store() const { return *store_; }
  ~Setup() {
    runtime_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  runtime::SessionRuntime& runtime() { return *runtime_; }

 private:
  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<runtime::Interpreter> interpreter_;
  fs::path dir_;
  std::unique_ptr<runtime::store::Store> store_;
  std::unique_ptr<runtime::SessionRuntime> runtime_;
};

// One tool call decided, reserved and recorded, then completed: two transactions.
void BM_AuthorizeAndComplete(benchmark::State& state) {
  Setup setup(state.range(0) != 0);
  int64_t step = 0;
  for (auto _ : state) {
    std::string id = std::to_string(step++);
    auto decided = setup.runtime().Authorize("s", id, "pay", R"({"amount": "1 USD", "to": "acme"})");
    if (!decided.ok() || decided->state != runtime::store::StepState::kAllowed) {
      state.SkipWithError("the call was not allowed");
      break;
    }
    if (!setup.runtime().Complete("s", id, "", 100).ok()) {
      state.SkipWithError("the call did not complete");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) != 0 ? "synchronous=FULL" : "synchronous=NORMAL");
}
BENCHMARK(BM_AuthorizeAndComplete)->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

// Many agents at once, each calling in its own session, all threads on one core: what group
// commit makes of durable commits. Reports how many transactions shared each commit.
std::unique_ptr<Setup> shared_setup;

void ConcurrentCalls(benchmark::State& state, bool complete) {
  cpu_set_t one_core;
  CPU_ZERO(&one_core);
  CPU_SET(0, &one_core);
  pthread_setaffinity_np(pthread_self(), sizeof(one_core), &one_core);
  if (state.thread_index() == 0) {
    shared_setup = std::make_unique<Setup>(state.range(0) != 0);
    shared_setup->SpawnMore(state.threads());
  }
  std::string session = "s" + std::to_string(state.thread_index());
  int64_t step = 0;
  for (auto _ : state) {
    std::string id = std::to_string(step++);
    auto decided =
        shared_setup->runtime().Authorize(session, id, "pay", R"({"amount": "1 USD", "to": "acme"})");
    if (!decided.ok() || decided->state != runtime::store::StepState::kAllowed ||
        (complete && !shared_setup->runtime().Complete(session, id, "", 100).ok())) {
      state.SkipWithError("the call failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    runtime::store::StoreStats stats = shared_setup->store().Stats();
    state.counters["tx_per_commit"] =
        stats.commits == 0 ? 0.0 : static_cast<double>(stats.transactions) / stats.commits;
    state.SetLabel(state.range(0) != 0 ? "synchronous=FULL, 1 core" : "synchronous=NORMAL, 1 core");
  }
}

// The issue's figure: tool calls decided, reserved and stored (Authorize), per second.
void BM_ConcurrentAuthorize(benchmark::State& state) { ConcurrentCalls(state, false); }
// The whole life of a call: Authorize, then Complete (two transactions).
void BM_ConcurrentCalls(benchmark::State& state) { ConcurrentCalls(state, true); }

BENCHMARK(BM_ConcurrentAuthorize)
    ->Arg(1)
    ->Arg(0)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ConcurrentCalls)
    ->Arg(1)
    ->Arg(0)
    ->Threads(16)
    ->Threads(64)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// A step id seen before: the recorded outcome, with no decision and no write.
void BM_ReplayedStep(benchmark::State& state) {
  Setup setup(true);
  if (!setup.runtime().Authorize("s", "1", "pay", R"({"amount": "1 USD", "to": "acme"})").ok()) {
    state.SkipWithError("setup");
    return;
  }
  for (auto _ : state) {
    auto replayed = setup.runtime().Authorize("s", "1", "pay", R"({"amount": "1 USD", "to": "acme"})");
    benchmark::DoNotOptimize(replayed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReplayedStep)->Unit(benchmark::kMicrosecond);

void BM_CheckpointWrite(benchmark::State& state) {
  Setup setup(state.range(1) != 0);
  std::string blob(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    if (!setup.runtime().Checkpoint("s", blob).ok()) {
      state.SkipWithError("checkpoint failed");
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetLabel(state.range(1) != 0 ? "synchronous=FULL" : "synchronous=NORMAL");
}
BENCHMARK(BM_CheckpointWrite)
    ->ArgsProduct({{4 << 10, 64 << 10, 1 << 20}, {1, 0}})
    ->Unit(benchmark::kMicrosecond);

// The floor under every durable commit on this machine: writing 4 KiB and waiting for the
// disk (fdatasync), as SQLite's WAL does once per commit.
void BM_DiskSync(benchmark::State& state) {
  std::string path = (fs::temp_directory_path() / "writ_bench_sync_XXXXXX").string();
  int fd = ::mkstemp(path.data());
  if (fd < 0) std::abort();
  std::string page(4096, 'x');
  for (auto _ : state) {
    if (::pwrite(fd, page.data(), page.size(), 0) != static_cast<ssize_t>(page.size()) ||
        ::fdatasync(fd) != 0) {
      state.SkipWithError("write failed");
      break;
    }
  }
  ::close(fd);
  fs::remove(path);
}
BENCHMARK(BM_DiskSync)->Unit(benchmark::kMicrosecond);

void BM_CheckpointRead(benchmark::State& state) {
  Setup setup(true);
  std::string blob(static_cast<size_t>(state.range(0)), 'x');
  if (!setup.runtime().Checkpoint("s", blob).ok()) {
    state.SkipWithError("setup");
    return;
  }
  for (auto _ : state) {
    auto point = setup.runtime().Resume("s");
    benchmark::DoNotOptimize(point);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CheckpointRead)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace writ::bench

BENCHMARK_MAIN();
