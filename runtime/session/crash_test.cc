// Crash safety of the session runtime, for real: a child process runs a long session against a
// store and is killed with SIGKILL at random points, over and over. After every kill the store
// must be consistent (every acknowledged step present, every counter the sum of what its steps
// hold), and the session, resumed until done, must end exactly as an uninterrupted run does.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/session/internal/accounting.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using store::StepState;

constexpr int kSteps = 120;
constexpr int kKills = 200;

constexpr const char* kPolicy = R"(package crash

agent Bot { team: string }

tool pay(amount: money, to: string)

permit call pay for Bot

daily: limit spend pay.amount per day <= 100000 USD because "daily cap"
task_cap: limit spend pay.amount per task <= 100000 USD because "task cap"
refuse_odd: forbid call pay when args.to == "mallory" because "mallory is blocked"
hourly: budget calls per hour 100000
pool payments 5 calls pay
)";

constexpr const char* kWorld = R"([{"type": "crash.Bot", "id": "b", "attrs": {"team": "t"}}])";

std::string Args(int step) {
  return fmt::format(R"({{"amount": "{} USD", "to": "{}"}})", 1 + step % 7,
                     step % 11 == 5 ? "mallory" : "acme");
}

// Runs the whole session from the start; steps already recorded are replayed by the runtime.
// Writes "A <step> <state>" when Authorize returned and "C <step>" when Complete returned.
void RunSession(const ir::Policy& policy, const std::string& path, int ack_fd) {
  // A killed process loses nothing that SQLite committed in WAL mode with synchronous NORMAL
  // (only a power loss can), so this tests the same atomicity as FULL, without an fsync per
  // transaction on a shared CI disk.
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(path, {.synchronous_full = false});
  if (!store.ok()) _exit(3);
  Interpreter interpreter(policy);
  int64_t now = 1767225600000;
  SessionRuntime runtime(policy, interpreter, **store, {.clock = [&now] { return now; }});
  absl::StatusOr<SpawnResult> spawned = runtime.Spawn({"s", "crash.Bot", "b", "t", kWorld});
  if (!spawned.ok() && spawned.status().code() != absl::StatusCode::kAlreadyExists) _exit(4);
  auto ack = [&](const std::string& line) {
    if (ack_fd >= 0 && ::write(ack_fd, line.data(), line.size()) < 0) _exit(5);
  };
  for (int i = 0; i < kSteps; ++i) {
    now = 1767225600000 + int64_t{i} * 60000;  // a minute a step, the same in every run
    std::string step = std::to_string(i);
    absl::StatusOr<StepResult> decided = runtime.Authorize("s", step, "pay", Args(i));
    if (!decided.ok()) _exit(6);
    ack(fmt::format("A {} {}\n", i, store::Spelling(decided->state)));
    if (decided->state == StepState::kAllowed || decided->state == StepState::kCompleted) {
      if (!runtime.Complete("s", step, "", 10 + i).ok()) _exit(7);
      ack(fmt::format("C {}\n", i));
    }
    if (i % 10 == 9 && !runtime.Checkpoint("s", fmt::format("at {}", i)).ok()) _exit(8);
  }
}

// Checks that the store is consistent with itself and with what the child acknowledged.
void CheckConsistent(const std::string& path, const std::map<int, std::string>& authorized,
                     const std::set<int>& completed, int kill) {
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << "after kill " << kill << ": " << store.status();
  absl::Status status = (*store)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<store::StepRow>> steps = tx.ListSteps("s");
    EXPECT_TRUE(steps.ok());
    std::map<int, store::StepRow> by_step;
    for (const store::StepRow& row : *steps) by_step[std::stoi(row.step_id)] = row;
    for (const auto& [step, state] : authorized) {
      auto it = by_step.find(step);
      EXPECT_NE(it, by_step.end()) << "kill " << kill << ": acknowledged step " << step << " lost";
      if (it == by_step.end()) continue;
      if (state == "allowed") {
        EXPECT_TRUE(it->second.state == StepState::kAllowed ||
                    it->second.state == StepState::kCompleted)
            << "kill " << kill << ": step " << step;
      } else {
        EXPECT_EQ(store::Spelling(it->second.state), state) << "kill " << kill << ": step " << step;
      }
    }
    for (int step : completed) {
      EXPECT_EQ(by_step[step].state, StepState::kCompleted) << "kill " << kill << ": " << step;
    }
    // Every counter is exactly what its steps hold: allowed steps all their reservations,
    // completed ones all but their pool slot.
    std::map<std::string, int64_t> expected;
    int64_t calls = 0;
    int64_t spent = 0;
    int64_t tokens = 0;
    for (const auto& [step, row] : by_step) {
      absl::StatusOr<session_internal::Held> held =
          session_internal::HeldFromJson(row.reservations_json);
      EXPECT_TRUE(held.ok());
      if (!held.ok()) continue;
      if (row.state == StepState::kAllowed || row.state == StepState::kCompleted) ++calls;
      if (row.state == StepState::kCompleted) {
        spent += (1 + step % 7) * 10000;
        tokens += 10 + step;
      }
      for (const session_internal::Reservation& r : held->reservations) {
        expected[r.key];
        if (row.state == StepState::kAllowed ||
            (row.state == StepState::kCompleted && !r.pool)) {
          expected[r.key] += r.delta;
        }
      }
    }
    for (const auto& [key, value] : expected) {
      absl::StatusOr<store::Counter> counter = tx.GetCounter(key);
      EXPECT_EQ(counter->value, value) << "kill " << kill << ": counter " << key;
    }
    absl::StatusOr<std::optional<store::SessionRow>> session = tx.GetSession("s");
    if (session.ok() && session->has_value()) {
      EXPECT_EQ((*session)->tool_calls, calls) << "kill " << kill;
      EXPECT_EQ((*session)->spent_units, spent) << "kill " << kill;
      EXPECT_EQ((*session)->tokens_used, tokens) << "kill " << kill;
      EXPECT_EQ((*session)->steps, static_cast<int64_t>(by_step.size())) << "kill " << kill;
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

// The final state that matters: the session row, every counter and every step's outcome.
std::string FinalState(const std::string& path) {
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(path);
  EXPECT_TRUE(store.ok());
  Json out;
  (*store)
      ->Transact([&](store::Transaction& tx) -> absl::Status {
        absl::StatusOr<std::optional<store::SessionRow>> s = tx.GetSession("s");
        out["session"] = {(*s)->tool_calls, (*s)->tokens_used, (*s)->spent_units, (*s)->steps};
        // Held in locals: a range-for over `*StatusOr` temporaries would dangle.
        absl::StatusOr<std::vector<store::StepRow>> steps = tx.ListSteps("s");
        EXPECT_TRUE(steps.ok());
        for (const store::StepRow& row : *steps) {
          out["steps"].push_back({row.step_id, store::Spelling(row.state), row.reservations_json});
          absl::StatusOr<session_internal::Held> held =
              session_internal::HeldFromJson(row.reservations_json);
          EXPECT_TRUE(held.ok());
          if (!held.ok()) continue;
          for (const session_internal::Reservation& r : held->reservations) {
            out["counters"][r.key] = tx.GetCounter(r.key)->value;
          }
        }
        out["checkpoint"] = (*tx.GetCheckpoint("s", std::nullopt))->state;
        return absl::OkStatus();
      })
      .IgnoreError();
  return out.dump();
}

TEST(CrashTest, KilledAnywhereTheSessionLosesNothingAndChargesNothingTwice) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(kPolicy, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  std::string pattern = (fs::temp_directory_path() / "writ_crash_test_XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  fs::path dir = pattern;
  std::string reference = (dir / "reference.db").string();
  std::string crashed = (dir / "crashed.db").string();

  RunSession(*policy, reference, -1);
  std::string expected = FinalState(reference);

  std::mt19937 random(20261203);  // reproducible kill points
  std::map<int, std::string> authorized;
  std::set<int> completed;
  int kills = 0;
  bool done = false;
  std::set<size_t> progress;  // where the kills landed, as acknowledged steps
  size_t full_lines = 0;      // acknowledgments of a run that went to the end
  for (int round = 0; round < kKills * 3 && (kills < kKills || !done); ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      RunSession(*policy, crashed, fds[1]);
      _exit(0);
    }
    ::close(fds[1]);
    // The kill comes a few acknowledgments past what earlier rounds already recorded (which
    // the child replays first), then a random pause into whatever it is doing: deciding,
    // committing, completing or checkpointing.
    bool kill_it = kills < kKills;
    size_t replayed = authorized.size() + completed.size();
    // Once the session has run to its end, a run only replays: kill it anywhere in that.
    size_t target = full_lines > 0
                        ? std::uniform_int_distribution<size_t>(1, full_lines)(random)
                        : replayed + std::uniform_int_distribution<size_t>(1, 6)(random);
    bool killed = false;
    std::string acks;
    size_t lines = 0;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
      acks.append(buffer, n);
      lines += std::count(buffer, buffer + n, '\n');
      if (kill_it && !killed && lines >= target) {
        ::usleep(std::uniform_int_distribution<int>(0, 400)(random));
        ::kill(child, SIGKILL);
        killed = true;
      }
    }
    if (kill_it && !killed) ::kill(child, SIGKILL);  // it may already have exited: harmless
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    if (WIFSIGNALED(status)) {
      ++kills;
    } else {
      ASSERT_TRUE(WIFEXITED(status)) << status;
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the child failed on its own";
      done = !kill_it;
      full_lines = lines;
    }
    // Only whole acknowledgment lines count: the kill may cut the last one.
    size_t begin = 0;
    for (size_t end; (end = acks.find('\n', begin)) != std::string::npos; begin = end + 1) {
      std::string line = acks.substr(begin, end - begin);
      int step = 0;
      char state[16] = {0};
      if (std::sscanf(line.c_str(), "A %d %15s", &step, state) == 2) {
        // A replayed step may already be completed: that is its allowed outcome, carried on.
        std::string s = state;
        authorized[step] = s == "completed" ? "allowed" : s;
      } else if (std::sscanf(line.c_str(), "C %d", &step) == 1) {
        completed.insert(step);
      }
    }
    CheckConsistent(crashed, authorized, completed, kills);
    if (WIFSIGNALED(status)) progress.insert(authorized.size() * 1000 + completed.size());
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GE(kills, kKills);
  // The kills must land all over the session, not only before it starts or after it ends.
  EXPECT_GE(progress.size(), 10u);
  EXPECT_TRUE(done) << "the session never ran to its end";
  EXPECT_EQ(FinalState(crashed), expected);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace writ::runtime
