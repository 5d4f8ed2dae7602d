// Many threads authorizing at once never exceed a limit or a pool: checked on every call and
// on the final totals, never by timing. Threads share one runtime (one connection), or each
// opens its own store on the same file, as separate processes would.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;
using store::StepState;

constexpr const char* kPolicy = R"(package busy

agent Bot { team: string }

tool pay(amount: money)
tool query(sql: string)

permit call pay, query for Bot

cap: limit spend pay.amount per task <= 100 USD because "task cap"
pool database 3 calls query then refuse
)";

constexpr const char* kWorld = R"([{"type": "busy.Bot", "id": "b", "attrs": {"team": "t"}}])";
constexpr int kThreads = 8;
constexpr int kCallsPerThread = 40;

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string errors;
    policy_ = testing::CompilePolicy(kPolicy, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
    interpreter_ = std::make_unique<Interpreter>(*policy_);
    std::string pattern = (fs::temp_directory_path() / "writ_concurrency_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = (dir_ / "writ.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<store::Store> Open() {
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        store::OpenSqliteStore(path_, {.synchronous_full = false, .busy_timeout_ms = 30000});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs `body(thread, runtime)` on kThreads threads, with one shared runtime or one each.
  template <typename Body>
  void OnThreads(bool shared, Body body) {
    std::unique_ptr<store::Store> shared_store = Open();
    ASSERT_NE(shared_store, nullptr);
    SessionRuntime shared_runtime(*policy_, *interpreter_, *shared_store);
    ASSERT_TRUE(shared_runtime.Spawn({"s", "busy.Bot", "b", "t", kWorld})->spawned);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::unique_ptr<store::Store> own = shared ? nullptr : Open();
        std::unique_ptr<SessionRuntime> own_runtime =
            shared ? nullptr : std::make_unique<SessionRuntime>(*policy_, *interpreter_, *own);
        body(t, shared ? shared_runtime : *own_runtime);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }

  void SpendNeverExceedsTheCap(bool shared) {
    std::atomic<int64_t> allowed_cents{0};
    OnThreads(shared, [&](int t, SessionRuntime& runtime) {
      for (int i = 0; i < kCallsPerThread; ++i) {
        std::string step = std::to_string(t) + "-" + std::to_string(i);
        absl::StatusOr<StepResult> r = runtime.Authorize("s", step, "pay", R"({"amount": "1.50 USD"})");
        ASSERT_TRUE(r.ok()) << r.status();
        if (r->state == StepState::kAllowed) {
          allowed_cents += 150;
          ASSERT_TRUE(runtime.Complete("s", step, "", 0).ok());
        }
      }
    });
    // 8 threads x 40 calls x 1.50 USD = 480 USD asked; exactly 66 calls (99 USD) fit in 100.
    EXPECT_EQ(allowed_cents.load(), 9900);
    std::unique_ptr<store::Store> store = Open();
    SessionRuntime runtime(*policy_, *interpreter_, *store);
    nlohmann::json report = nlohmann::json::parse(*runtime.Report("s"));
    EXPECT_EQ(report["spent"], "99 USD");
    EXPECT_EQ(report["tool_calls"], 66);
    EXPECT_EQ(report["steps"]["completed"], 66);
    EXPECT_EQ(report["steps"]["denied"], kThreads * kCallsPerThread - 66);
  }

  void PoolNeverOverflows(bool shared) {
    std::atomic<int> in_flight{0};
    std::atomic<int> most{0};
    std::atomic<int> refused{0};
    OnThreads(shared, [&](int t, SessionRuntime& runtime) {
      for (int i = 0; i < kCallsPerThread; ++i) {
        std::string step = std::to_string(t) + "-" + std::to_string(i);
        absl::StatusOr<StepResult> r = runtime.Authorize("s", step, "query", R"({"sql": "SELECT 1"})");
        ASSERT_TRUE(r.ok()) << r.status();
        if (r->state != StepState::kAllowed) {
          ++refused;
          continue;
        }
        // Counted after the slot was taken and released before it is given back, so this
        // count never exceeds what the store holds in flight.
        int now = ++in_flight;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        ASSERT_LE(now, 3) << "the pool of 3 held " << now << " calls";
        std::this_thread::yield();
        --in_flight;
        ASSERT_TRUE(runtime.Complete("s", step, "", 0).ok());
      }
    });
    EXPECT_LE(most.load(), 3);
    EXPECT_GE(most.load(), 1);
    std::unique_ptr<store::Store> store = Open();
    ASSERT_TRUE(store
                    ->Transact([](store::Transaction& tx) -> absl::Status {
                      EXPECT_EQ(tx.GetCounter("pool/calls/database")->value, 0)
                          << "every completed call left the pool";
                      return absl::OkStatus();
                    })
                    .ok());
  }

  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<Interpreter> interpreter_;
  fs::path dir_;
  std::string path_;
};

TEST_F(ConcurrencyTest, SharedRuntimeNeverSpendsPastTheCap) { SpendNeverExceedsTheCap(true); }
TEST_F(ConcurrencyTest, SeparateConnectionsNeverSpendPastTheCap) {
  SpendNeverExceedsTheCap(false);
}
TEST_F(ConcurrencyTest, SharedRuntimeNeverOverfillsAPool) { PoolNeverOverflows(true); }
TEST_F(ConcurrencyTest, SeparateConnectionsNeverOverfillAPool) { PoolNeverOverflows(false); }

}  // namespace
}  // namespace writ::runtime
