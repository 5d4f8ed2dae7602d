// Fuzz target checkpoint: a session's stored state, corrupted. A store holds one session that
// ran allowed, completed, pending and in-flight steps and took two checkpoints; the input is a
// program of edits to its rows, made with raw SQL as anyone with the file could (a column set
// to other text, bytes, an integer or null, spliced, or a row deleted). The runtime then
// reopens the store and resumes from each checkpoint, reports, replays and decides steps,
// approves, completes, checkpoints and terminates. Each call must return a value or an error,
// never crash; the store's own invariants are the runtime's to check (docs/runtime.md).
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "fuzz/fuzz.h"
#include "runtime/interpreter.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

using fuzz::Cat;

namespace fs = std::filesystem;

constexpr const char* kPolicy = R"(package shop

entity User { approval_limit: money }
agent Buyer { acts_for: User }

tool pay(amount: money, to: string)
tool lookup(q: string) -> { hits: int }

permit call pay, lookup for Buyer
cap: limit spend pay.amount per task <= 500 USD because "task cap"
big: require_approval call pay when args.amount > 50 USD
  because "big payments need approval" by principal.acts_for timeout 1h
lookups: rate lookup 3 per 1m because "three lookups a minute"
tokens: budget tokens per task 1000 warn at 50%
hits: forbid result lookup when result.hits > 10 because "too many hits"
)";

constexpr const char* kWorld = R"([
  {"type": "shop.Buyer", "id": "b1", "attrs": {"acts_for": {"type": "shop.User", "id": "u1"}}},
  {"type": "shop.User", "id": "u1", "attrs": {"approval_limit": "1000 USD"}}
])";

constexpr int64_t kStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// The columns an edit may change, as table and column.
constexpr std::pair<const char*, const char*> kColumns[] = {
    {"sessions", "world"},         {"sessions", "state"},         {"sessions", "started_at"},
    {"sessions", "ended_at"},      {"sessions", "tokens_used"},   {"sessions", "tool_calls"},
    {"sessions", "spent_units"},   {"sessions", "spent_currency"}, {"sessions", "steps"},
    {"sessions", "agent_type"},    {"sessions", "agent_id"},      {"steps", "step_id"},
    {"steps", "seq"},              {"steps", "tool"},             {"steps", "state"},
    {"steps", "args"},             {"steps", "decision"},         {"steps", "reservations"},
    {"steps", "result"},           {"steps", "decided_at"},       {"steps", "completed_at"},
    {"counters", "key"},           {"counters", "value"},         {"counters", "currency"},
    {"checkpoints", "version"},    {"checkpoints", "state"},      {"checkpoints", "session_row"},
    {"checkpoints", "position"},   {"checkpoints", "digest"},     {"checkpoints", "created_at"},
    {"rate_events", "principal"},  {"rate_events", "rate"},       {"rate_events", "at"},
};

struct World {
  std::unique_ptr<ir::Policy> policy;
  std::unique_ptr<Interpreter> interpreter;
  fs::path dir;
  fs::path template_db;
  fs::path work_db;
};

// Runs the session of the template store.
void RunSession(SessionRuntime& runtime) {
  runtime.Spawn({"s1", "shop.Buyer", "b1", "restock", kWorld}).IgnoreError();
  runtime.Authorize("s1", "1", "pay", R"({"amount": "20 USD", "to": "acme"})").IgnoreError();
  runtime.Complete("s1", "1", "", 100).IgnoreError();
  runtime.Authorize("s1", "2", "lookup", R"({"q": "bolts"})").IgnoreError();
  runtime.Complete("s1", "2", R"({"hits": 3})", 50).IgnoreError();
  runtime.Checkpoint("s1", "state after two steps").IgnoreError();
  runtime.Authorize("s1", "3", "pay", R"({"amount": "80 USD", "to": "acme"})").IgnoreError();
  runtime.Authorize("s1", "4", "pay", R"({"amount": "10 USD", "to": "bolt co"})").IgnoreError();
  runtime.Checkpoint("s1", std::string("\0\1binary\xff", 10)).IgnoreError();
}

// What the runtime does with the store after a restart. Returns whether the session resumed
// from both checkpoints and reported.
bool Resume(SessionRuntime& runtime) {
  const bool resumed = runtime.Resume("s1").ok() && runtime.Resume("s1", 1).ok() &&
                       runtime.Report("s1").ok();
  runtime.Authorize("s1", "1", "pay", R"({"amount": "20 USD", "to": "acme"})").IgnoreError();
  runtime.Authorize("s1", "2", "lookup", R"({"q": "bolts"})").IgnoreError();
  runtime.Authorize("s1", "5", "pay", R"({"amount": "30 USD", "to": "acme"})").IgnoreError();
  runtime.Authorize("s1", "6", "lookup", R"({"q": "nuts"})").IgnoreError();
  runtime.Approve("s1", "3", "u1").IgnoreError();
  runtime.Complete("s1", "4", "", 25).IgnoreError();
  runtime.Complete("s1", "6", R"({"hits": 30})", 25).IgnoreError();
  runtime.Fail("s1", "5").IgnoreError();
  runtime.ExpireApprovals("s1").IgnoreError();
  runtime.RotateLeases("s1").IgnoreError();
  runtime.Checkpoint("s1", "after the restart").IgnoreError();
  runtime.Terminate("s1", "done").IgnoreError();
  runtime.Report("s1").IgnoreError();
  return resumed;
}

const World& TheWorld() {
  static World* world = [] {
    auto* out = new World;
    std::string errors;
    out->policy = testing::CompilePolicy(kPolicy, &errors);
    WRIT_FUZZ_CHECK(out->policy != nullptr, errors);
    out->interpreter = std::make_unique<Interpreter>(*out->policy);
    // tmpfs when there is one: the runtime syncs every transaction.
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "writ_fuzz_checkpoint_XXXXXX").string();
    WRIT_FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr, pattern);
    out->dir = pattern;
    out->template_db = out->dir / "template.db";
    out->work_db = out->dir / "work.db";
    {
      auto store = store::OpenSqliteStore(out->template_db.string());
      WRIT_FUZZ_CHECK(store.ok(), store.status().ToString());
      SessionRuntime runtime(*out->policy, *out->interpreter, **store,
                             {.clock = [] { return kStart; }});
      RunSession(runtime);
    }
    std::atexit([] { fs::remove_all(TheWorld().dir); });
    return out;
  }();
  return *world;
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return bytes_.empty(); }
  uint8_t Byte() {
    if (bytes_.empty()) return 0;
    const uint8_t b = static_cast<uint8_t>(bytes_.front());
    bytes_.remove_prefix(1);
    return b;
  }
  std::string_view Bytes(size_t n) {
    n = std::min(n, bytes_.size());
    const std::string_view out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return out;
  }

 private:
  std::string_view bytes_;
};

// Applies the input's edits to the database at `path`.
void Corrupt(const fs::path& path, std::string_view input) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  Reader in(input);
  for (int op = 0; op < 32 && !in.done(); ++op) {
    const auto [table, column] = kColumns[in.Byte() % std::size(kColumns)];
    const int row = in.Byte() % 8;
    const uint8_t kind = in.Byte();
    const std::string where =
        Cat(" WHERE rowid = (SELECT rowid FROM ", table, " ORDER BY rowid LIMIT 1 OFFSET ",
                     row, ")");
    if (kind % 6 == 5) {
      sqlite3_exec(db, Cat("DELETE FROM ", table, where).c_str(), nullptr, nullptr,
                   nullptr);
      continue;
    }
    std::string value;
    if (kind % 6 == 4) {  // splice the current text
      sqlite3_stmt* read = nullptr;
      sqlite3_prepare_v2(db, Cat("SELECT ", column, " FROM ", table, where).c_str(), -1,
                         &read, nullptr);
      if (read != nullptr && sqlite3_step(read) == SQLITE_ROW) {
        const void* bytes = sqlite3_column_blob(read, 0);
        value.assign(static_cast<const char*>(bytes ? bytes : ""),
                     static_cast<size_t>(sqlite3_column_bytes(read, 0)));
      }
      sqlite3_finalize(read);
      const size_t at = value.empty() ? 0 : (in.Byte() | in.Byte() << 8) % (value.size() + 1);
      const size_t erase = in.Byte() % 8;
      value.replace(at, erase, in.Bytes(in.Byte() % 16));
    } else if (kind % 6 < 2) {
      value = std::string(in.Bytes(in.Byte()));
    }
    sqlite3_stmt* write = nullptr;
    sqlite3_prepare_v2(db, Cat("UPDATE ", table, " SET ", column, " = ?1", where).c_str(),
                       -1, &write, nullptr);
    if (write == nullptr) continue;
    switch (kind % 6) {
      case 0:
      case 4: sqlite3_bind_text(write, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT); break;
      case 1: sqlite3_bind_blob(write, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT); break;
      case 2: {
        int64_t number = 0;
        for (int i = 0; i < 8; ++i) number = number << 8 | in.Byte();
        sqlite3_bind_int64(write, 1, number);
        break;
      }
      default: sqlite3_bind_null(write, 1); break;
    }
    sqlite3_step(write);
    sqlite3_finalize(write);
  }
  sqlite3_close(db);
}

void RunCheckpoint(std::string_view input) {
  const World& world = TheWorld();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(world.work_db.string() + suffix);
  for (const char* suffix : {"", "-wal"}) {
    const fs::path from = world.template_db.string() + suffix;
    if (fs::exists(from)) fs::copy_file(from, world.work_db.string() + suffix);
  }
  Corrupt(world.work_db, input);
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenSqliteStore(world.work_db.string(), {.synchronous_full = false});
  if (!store.ok()) return;
  SessionRuntime runtime(*world.policy, *world.interpreter, **store,
                         {.clock = [] { return kStart + 90'000; }});
  const bool resumed = Resume(runtime);
  WRIT_FUZZ_CHECK(resumed || !input.empty(), "the untouched session does not resume");
}

// The untouched store, and one edit of each kind to each column.
std::vector<std::string> CheckpointSeeds() {
  std::vector<std::string> seeds = {""};
  for (size_t column = 0; column < std::size(kColumns); ++column) {
    for (char kind = 0; kind < 6; ++kind) {
      seeds.push_back(std::string{static_cast<char>(column), 1, kind, 3, 'x', '{', '}', 0, 0, 5, 2});
    }
  }
  return seeds;
}

WRIT_FUZZ_TARGET("checkpoint", RunCheckpoint, CheckpointSeeds);

}  // namespace
}  // namespace writ::runtime
