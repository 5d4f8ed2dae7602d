// The audit trail on the SQLite store (docs/performance.md, "Audit trail"):
//   append/...   `decided` events appended per second, one event per transaction, as the
//                runtime appends a decision's events in the transaction that stores it, with a
//                signed tree head every 1,024 events (AuditOptions::sign_every); every thread
//                on one core. Durable (synchronous FULL) from 1 thread, where each event waits
//                for its own disk flush, and from 4 to 64 threads, where group commit lets
//                concurrent events share one; durable with max_batch 1, where each event
//                commits alone (a flush still covers every commit before it); 1 thread with
//                synchronous NORMAL, for what durability costs; and 1 thread appending 64
//                events per transaction, the cost of an event once commits and flushes are
//                shared. The counters are the store's commits and disk flushes per event.
//   sync         the floor under a durable commit: 4 KiB written and fdatasync'd.
//   verify/...   what `writ audit verify` does (tools/audit_verify.cc) to a stored log of
//                100,000 events (the four events of each of 25,000 allowed calls) with a
//                signed head every 1,024: one transaction that reads the heads and keys,
//                streams the rows in chunks of 4,096 into a LogVerifier and compares the
//                outcome with the writer's stored head. Then its two halves on their own:
//                reading the rows, and verifying rows already in memory.
// `--smoke` runs each once on a 2,000-event log, timing nothing (ctest's bench_audit_smoke).
#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/bench_common.h"
#include "runtime/audit/event.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/keys.h"
#include "runtime/audit/tree_head.h"
#include "runtime/audit/verifier.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/store/store.h"
#include "runtime/store/verify_log.h"

namespace writ::bench {
namespace {

namespace fs = std::filesystem;
namespace audit = runtime::audit;
namespace store = runtime::store;

// As the runtime signs by default (runtime/session/session_runtime.h).
constexpr uint64_t kSignEvery = 1024;
// As tools/audit_verify.cc reads.
constexpr size_t kChunk = 4096;
constexpr int64_t kNow = 1767225600000;  // 2026-01-01, ms

// What EncodeDecision writes, compactly, for an allowed payment under a permit rule and two
// spending limits: the `decision` field of the runtime's `decided` event (390 bytes).
constexpr std::string_view kDecisionJson =
    R"({"version":1,"effect":"allow","reasons":[{"rule":"pay_vendors","kind":"permit",)"
    R"("message":"payments to approved vendors","location":"policies/procurement/)"
    R"(procurement.writ:12:1"}],"obligations":{"grants":[],"charges":[{"limit":"cap",)"
    R"("amount":"120 USD"},{"limit":"monthly","amount":"120 USD"}],"redactions":[],)"
    R"("warnings":[]},"enforcement":"hard","shadow":[],"errors":[],)"
    R"("matched":["pay_vendors","cap","monthly"]})";
constexpr std::string_view kArgsJson =
    R"({"amount":"120 USD","to":"acme-supplies","memo":"invoice 2026-0117, office chairs"})";
constexpr std::string_view kResultJson =
    R"({"status":"paid","transfer_id":"tr_8f3a2c91","amount":"120 USD","fee":"0.30 USD",)"
    R"("settles_at":"2026-01-02T09:00:00Z"})";

audit::AuditEvent Event(audit::EventKind kind, std::string session, int64_t step) {
  audit::AuditEvent event;
  event.kind = kind;
  event.at = kNow + step;
  event.session = std::move(session);
  event.step = absl::StrCat("step-", step);
  event.SetField("tool", std::string("pay"));
  return event;
}

// The `decided` event of an allowed call, with the fields AuditTrail::Decided sets.
audit::AuditEvent Decided(std::string session, int64_t step) {
  audit::AuditEvent event = Event(audit::EventKind::kDecided, std::move(session), step);
  event.SetField("effect", std::string("allow"));
  event.SetField("reasons", std::vector<std::string>{"permit pay_vendors: payments to approved "
                                                     "vendors"});
  event.SetField("matched_rules", std::vector<std::string>{"pay_vendors", "cap", "monthly"});
  event.SetField("decision", std::string(kDecisionJson));
  return event;
}

// One allowed call's four events as the runtime writes them: decided and tool_called when it
// is authorized, tool_result and output_verdict when it completes.
std::vector<audit::AuditEvent> CallEvents(const std::string& session, int64_t step) {
  std::vector<audit::AuditEvent> events;
  events.push_back(Decided(session, step));
  audit::AuditEvent called = Event(audit::EventKind::kToolCalled, session, step);
  called.SetField("args", std::string(kArgsJson));
  events.push_back(std::move(called));
  audit::AuditEvent result = Event(audit::EventKind::kToolResult, session, step);
  result.SetField("result", std::string(kResultJson));
  result.SetField("tokens", int64_t{100});
  events.push_back(std::move(result));
  audit::AuditEvent verdict = Event(audit::EventKind::kOutputVerdict, session, step);
  verdict.SetField("verdict", std::string("released"));
  verdict.SetField("reasons", std::vector<std::string>{});
  verdict.SetField("decision", std::string(kDecisionJson));
  events.push_back(std::move(verdict));
  return events;
}

// A store in a temporary folder, removed with it, and the key that signs its tree heads.
class TempStore {
 public:
  explicit TempStore(const store::SqliteOptions& options) {
    std::string pattern = (fs::temp_directory_path() / "writ_bench_audit_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) Die("mkdtemp");
    dir_ = pattern;
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::OpenSqliteStore((dir_ / "writ.db").string(), options);
    if (!opened.ok()) Die(opened.status().ToString());
    store_ = *std::move(opened);
    absl::StatusOr<audit::SecretKey> key = audit::GenerateSigningKey();
    if (!key.ok()) Die(key.status().ToString());
    key_ = *key;
    Check(store_->Transact([&](store::Transaction& tx) {
      return tx.AddAuditKey(audit::PublicKeyOf(key_), kNow);
    }));
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;
  ~TempStore() {
    store_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  store::Store& store() { return *store_; }

  // Appends `events` in `tx`, signing a tree head whenever the log passes a multiple of
  // kSignEvery, as AuditTrail::Append does.
  absl::Status Append(store::Transaction& tx, std::vector<audit::AuditEvent> events) const {
    bool sign = false;
    for (audit::AuditEvent& event : events) {
      absl::StatusOr<uint64_t> seq = tx.AppendAudit(std::move(event));
      if (!seq.ok()) return seq.status();
      if ((*seq + 1) % kSignEvery == 0) sign = true;
    }
    if (!sign) return absl::OkStatus();
    absl::StatusOr<store::AuditHead> head = tx.GetAuditHead();
    if (!head.ok()) return head.status();
    absl::StatusOr<audit::SignedTreeHead> signed_head =
        audit::SignTreeHead({head->size, head->root, kNow}, key_);
    if (!signed_head.ok()) return signed_head.status();
    return tx.AddTreeHead(*signed_head);
  }

  static void Check(const absl::Status& status) {
    if (!status.ok()) Die(status.ToString());
  }

 private:
  [[noreturn]] static void Die(const std::string& why) {
    std::fprintf(stderr, "bench_audit: %s\n", why.c_str());
    std::abort();
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  audit::SecretKey key_{};
};

// One store shared by every thread of an append benchmark: thread 0 opens it before the timed
// loop (which starts and ends with all threads together) and closes it after.
std::unique_ptr<TempStore> append_store;
store::StoreStats append_before;

// `decided` events appended, `per_transaction` in each transaction, by every thread at once,
// each in a session of its own.
void Append(benchmark::State& state, store::SqliteOptions options, int per_transaction,
            const char* label) {
  // On one core, as the runtime's target is stated (docs/runtime.md) and bench_session runs.
  cpu_set_t one_core;
  CPU_ZERO(&one_core);
  CPU_SET(0, &one_core);
  pthread_setaffinity_np(pthread_self(), sizeof(one_core), &one_core);
  if (state.thread_index() == 0) {
    append_store = std::make_unique<TempStore>(options);
    append_before = append_store->store().Stats();
  }
  const std::string session = absl::StrCat("s", state.thread_index());
  int64_t step = 0;
  for (auto _ : state) {
    absl::Status status = append_store->store().Transact([&](store::Transaction& tx) {
      std::vector<audit::AuditEvent> events;
      for (int i = 0; i < per_transaction; ++i) events.push_back(Decided(session, step + i));
      return append_store->Append(tx, std::move(events));
    });
    if (!status.ok()) {
      Fail(state, status.ToString());
      break;
    }
    step += per_transaction;
  }
  state.SetItemsProcessed(state.iterations() * per_transaction);
  if (state.thread_index() != 0) return;
  const store::StoreStats after = append_store->store().Stats();
  const double events =
      static_cast<double>(after.transactions - append_before.transactions) * per_transaction;
  if (events > 0) {
    state.counters["commits_per_event"] =
        static_cast<double>(after.commits - append_before.commits) / events;
    // A store that is not durable counts its commits' (empty) sync stage too.
    if (options.synchronous_full) {
      state.counters["syncs_per_event"] =
          static_cast<double>(after.syncs - append_before.syncs) / events;
    }
  }
  state.SetLabel(label);
  append_store.reset();
}

void DiskSync(benchmark::State& state) {
  std::string path = (fs::temp_directory_path() / "writ_bench_sync_XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    Fail(state, "mkstemp");
    return;
  }
  const std::string page(4096, 'x');
  for (auto _ : state) {
    if (::pwrite(fd, page.data(), page.size(), 0) != static_cast<ssize_t>(page.size()) ||
        ::fdatasync(fd) != 0) {
      Fail(state, "write failed");
      break;
    }
  }
  ::close(fd);
  fs::remove(path);
}

// A stored log of `calls` allowed calls (four events each) from 16 sessions, written in
// transactions of 250 calls.
class StoredLog {
 public:
  explicit StoredLog(int64_t calls) : temp_(store::SqliteOptions{.synchronous_full = false}) {
    constexpr int64_t kCallsPerTransaction = 250;
    for (int64_t first = 0; first < calls; first += kCallsPerTransaction) {
      TempStore::Check(temp_.store().Transact([&](store::Transaction& tx) {
        std::vector<audit::AuditEvent> events;
        for (int64_t step = first; step < std::min(calls, first + kCallsPerTransaction); ++step) {
          for (audit::AuditEvent& event : CallEvents(absl::StrCat("s", step % 16), step)) {
            events.push_back(std::move(event));
          }
        }
        return temp_.Append(tx, std::move(events));
      }));
    }
    TempStore::Check(temp_.store().Transact([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(-1, SIZE_MAX);
      if (!rows.ok()) return rows.status();
      for (const store::AuditRow& row : *rows) {
        rows_.push_back(row.event);
        bytes_ += static_cast<int64_t>(row.event.encoding.size());
      }
      absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
      if (!heads.ok()) return heads.status();
      heads_ = *std::move(heads);
      absl::StatusOr<std::vector<audit::PublicKey>> keys = tx.ListAuditKeys();
      if (!keys.ok()) return keys.status();
      keys_ = *std::move(keys);
      return absl::OkStatus();
    }));
  }

  store::Store& store() { return temp_.store(); }
  int64_t events() const { return static_cast<int64_t>(rows_.size()); }
  int64_t bytes() const { return bytes_; }
  const std::vector<audit::StoredEvent>& rows() const { return rows_; }
  const std::vector<audit::SignedTreeHead>& heads() const { return heads_; }
  const std::vector<audit::PublicKey>& keys() const { return keys_; }

 private:
  TempStore temp_;
  std::vector<audit::StoredEvent> rows_;  // a copy in memory, for verify/in_memory
  int64_t bytes_ = 0;                     // of the events' encodings
  std::vector<audit::SignedTreeHead> heads_;
  std::vector<audit::PublicKey> keys_;
};

std::unique_ptr<StoredLog> stored_log;
int64_t log_calls = 25000;

StoredLog& Log() {
  if (stored_log == nullptr) stored_log = std::make_unique<StoredLog>(log_calls);
  return *stored_log;
}

void ReportLog(benchmark::State& state, StoredLog& log) {
  state.SetItemsProcessed(state.iterations() * log.events());
  state.SetBytesProcessed(state.iterations() * log.bytes());
  state.counters["events"] = static_cast<double>(log.events());
  state.counters["tree_heads"] = static_cast<double>(log.heads().size());
  state.counters["event_bytes"] = static_cast<double>(log.bytes()) / log.events();
}

// What `writ audit verify` runs (store::VerifyStoredLog), without the printing.
absl::StatusOr<audit::VerifyResult> VerifyStored(store::Store& store) {
  std::optional<audit::VerifyResult> result;
  absl::Status status = store.Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::LogCheck> check = store::VerifyStoredLog(tx, {});
    if (!check.ok()) return check.status();
    result = std::move(check->result);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *result;
}

bool CheckVerified(benchmark::State& state, const audit::VerifyResult& result, StoredLog& log) {
  if (result.ok() && result.events_checked == static_cast<uint64_t>(log.events()) &&
      result.tree_heads_checked == log.heads().size()) {
    return true;
  }
  Fail(state, "the log did not verify: " + result.message);
  return false;
}

void VerifyFromStore(benchmark::State& state) {
  StoredLog& log = Log();
  for (auto _ : state) {
    absl::StatusOr<audit::VerifyResult> result = VerifyStored(log.store());
    if (!result.ok()) {
      Fail(state, result.status().ToString());
      break;
    }
    if (!CheckVerified(state, *result, log)) break;
  }
  ReportLog(state, log);
}

// The reading half: the rows in chunks, as above, with nothing checked.
void ReadRows(benchmark::State& state) {
  StoredLog& log = Log();
  for (auto _ : state) {
    int64_t read = 0;
    absl::Status status = log.store().Transact([&](store::Transaction& tx) -> absl::Status {
      int64_t after = -1;
      while (true) {
        absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(after, kChunk);
        if (!rows.ok()) return rows.status();
        read += static_cast<int64_t>(rows->size());
        benchmark::DoNotOptimize(rows->data());
        if (rows->size() < kChunk) return absl::OkStatus();
        after = rows->back().key;
      }
    });
    if (!status.ok() || read != log.events()) {
      Fail(state, "reading the log failed");
      break;
    }
  }
  ReportLog(state, log);
}

// The checking half: LogVerifier over rows already in memory (heads' signatures included).
void VerifyInMemory(benchmark::State& state) {
  StoredLog& log = Log();
  for (auto _ : state) {
    audit::LogVerifier verifier(log.keys(), log.heads());
    for (const audit::StoredEvent& row : log.rows()) verifier.Add(row);
    if (!CheckVerified(state, verifier.Finish(), log)) break;
  }
  ReportLog(state, log);
}

void Register(bool smoke) {
  // A full run's log is 100,000 events; the smoke run's 2,000, which still has signed heads.
  log_calls = smoke ? 500 : 25000;
  struct Variant {
    const char* name;
    store::SqliteOptions options;
    std::vector<int> threads;
    int per_transaction;
    const char* label;
  };
  const std::vector<Variant> variants = {
      {"append/durable", {.synchronous_full = true}, {1, 4, 16, 64}, 1,
       "synchronous=FULL, group commit"},
      {"append/durable_no_group", {.synchronous_full = true, .max_batch = 1}, {16}, 1,
       "synchronous=FULL, max_batch=1: commits not shared, syncs still are"},
      {"append/normal", {.synchronous_full = false}, {1}, 1, "synchronous=NORMAL"},
      // What group commit can approach: one commit and one flush for 64 events.
      {"append/durable_64_per_transaction", {.synchronous_full = true}, {1}, 64,
       "synchronous=FULL, 64 events per transaction"},
  };
  for (const Variant& variant : variants) {
    auto* b = benchmark::RegisterBenchmark(
        variant.name, [options = variant.options, per_transaction = variant.per_transaction,
                       label = variant.label](benchmark::State& state) {
          Append(state, options, per_transaction, label);
        });
    for (int threads : variant.threads) b->Threads(threads);
    b->UseRealTime()->Unit(benchmark::kMicrosecond);
    if (smoke) b->Iterations(1);
  }
  auto* disk = benchmark::RegisterBenchmark("sync", DiskSync);
  disk->Unit(benchmark::kMicrosecond);
  if (smoke) disk->Iterations(1);
  using Function = void (*)(benchmark::State&);
  const std::pair<const char*, Function> verifies[] = {{"verify/store", VerifyFromStore},
                                                       {"verify/read_rows", ReadRows},
                                                       {"verify/in_memory", VerifyInMemory}};
  for (const auto& [name, function] : verifies) {
    auto* b = benchmark::RegisterBenchmark(name, function);
    b->Unit(benchmark::kMillisecond);
    if (smoke) b->Iterations(1);
  }
}

}  // namespace
}  // namespace writ::bench

int main(int argc, char** argv) {
  writ::bench::Register(writ::bench::TakeSmokeFlag(argc, argv));
  const int status = writ::bench::RunBenchmarks(argc, argv);
  writ::bench::stored_log.reset();
  return status;
}
