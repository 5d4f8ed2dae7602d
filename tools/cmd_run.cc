// `writ run`: replays a scripted agent session (docs/run.md) through the real session runtime
// and store, and prints a timeline of what was decided and why.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/print.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/value.h"
#include "tools/audit_keys.h"
#include "tools/command.h"
#include "tools/compile.h"
#include "tools/engine.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;

struct RunOptions {
  std::vector<std::string> policies;
  std::string db;
  std::string trace;
  std::string events;
  std::string audit_key;  // the tree heads' signing key file; empty: one per runtime start
  std::string lease_key;  // the leases' signing key file; empty: one per runtime start
  std::string leases;     // where the tokens of issued leases are appended; empty: nowhere
  bool digest_payloads = false;
  runtime::Engine engine = runtime::Engine::kJit;
  ColorMode color = ColorMode::kAuto;
};

// Reads the members of one action, remembering the first one that is missing or of the wrong
// type: the action runs only when `error` stayed empty. A malformed trace line is reported with
// its line number, and the replay stops (exit 2).
class Fields {
 public:
  explicit Fields(const Json& object) : object_(object) {}

  std::string Str(std::string_view key) {
    auto it = object_.find(key);
    if (it != object_.end() && it->is_string()) return it->get<std::string>();
    Fail(fmt::format("`{}` must be a string", key));
    return "";
  }
  std::string OptionalStr(std::string_view key) {
    return object_.contains(key) ? Str(key) : std::string();
  }
  int64_t Int(std::string_view key, int64_t fallback) {
    auto it = object_.find(key);
    if (it == object_.end()) return fallback;
    if (it->is_number_integer()) return it->get<int64_t>();
    Fail(fmt::format("`{}` must be an integer", key));
    return fallback;
  }
  // The member as JSON text, or `fallback` when absent.
  std::string Raw(std::string_view key, std::string fallback) {
    auto it = object_.find(key);
    return it == object_.end() ? fallback : it->dump();
  }
  Fields Object(std::string_view key) {
    auto it = object_.find(key);
    if (it != object_.end() && it->is_object()) return Fields(*it, this);
    Fail(fmt::format("`{}` must be an object", key));
    return Fields(Empty(), this);
  }
  void Fail(std::string message) {
    std::string& error = parent_ != nullptr ? parent_->error_ : error_;
    if (error.empty()) error = std::move(message);
  }
  const std::string& error() const { return error_; }

 private:
  Fields(const Json& object, Fields* parent) : object_(object), parent_(parent) {}
  static const Json& Empty() {
    static const Json empty = Json::object();
    return empty;
  }

  const Json& object_;
  Fields* parent_ = nullptr;
  std::string error_;
};

// A string member of a decision or report, or "" (never throws, whatever the JSON holds).
std::string Text(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

const Json& Member(const Json& object, std::string_view key) {
  static const Json empty = Json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() ? *it : empty;
}

std::string Clock(int64_t millis) {
  std::string text = ir::FormatTimestamp(millis);
  return text.size() >= 19 ? text.substr(11, 8) : text;
}

// "approval_required because \"...\" [large_amount]": a decision in one line.
std::string Summary(std::string_view decision_json) {
  Json d = Json::parse(decision_json, nullptr, false);
  if (!d.is_object()) return "?";
  std::string out = Text(d, "effect");
  std::vector<std::string> reasons;
  for (const Json& r : Member(d, "reasons")) {
    std::string message = Text(r, "message");
    std::string rule = Text(r, "rule");
    if (message.empty()) continue;
    reasons.push_back(rule.empty() ? ir::Quote(message)
                                   : fmt::format("{} [{}]", ir::Quote(message), rule));
  }
  if (!reasons.empty()) out += " because " + fmt::format("{}", fmt::join(reasons, "; "));
  std::string indent(38, ' ');  // under the text column of a timeline line
  for (const Json& e : Member(d, "errors")) {
    std::string where = Text(e, "path").empty() ? Text(e, "rule") : Text(e, "path");
    out += fmt::format("\n{}error {} at {}: {}", indent, Text(e, "code"), where,
                       Text(e, "message"));
  }
  const Json& obligations = Member(d, "obligations");
  for (const Json& c : Member(obligations, "charges")) {
    out += fmt::format("\n{}charges {} to {}", indent, Text(c, "amount"), Text(c, "limit"));
  }
  for (const Json& g : Member(obligations, "grants")) {
    out += fmt::format("\n{}mints {} {}", indent, Text(g, "credential"), Member(g, "scopes").dump());
  }
  for (const Json& w : Member(obligations, "warnings")) {
    if (w.is_string()) out += fmt::format("\n{}warns {}", indent, ir::Quote(w.get<std::string>()));
  }
  if (!Text(d, "approved_by").empty()) out += fmt::format(" (approved by {})", Text(d, "approved_by"));
  if (!Text(d, "rejected_by").empty()) out += fmt::format(" (rejected by {})", Text(d, "rejected_by"));
  if (!Text(d, "timed_out").empty()) out += fmt::format(" (timed out: {})", Text(d, "timed_out"));
  return out;
}

std::string StepState(const runtime::StepResult& step) {
  return std::string(runtime::store::Spelling(step.state)) + (step.replayed ? ", replayed" : "");
}

class Replay {
 public:
  Replay(const ir::Policy& policy, const RunOptions& options)
      : policy_(policy), options_(options),
        evaluator_(LoadEngine(policy, options.engine).Make()) {}

  absl::Status Open() {
    runtime_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<runtime::store::Store>> opened =
        runtime::store::OpenSqliteStore(options_.db);
    if (!opened.ok()) return opened.status();
    store_ = std::move(*opened);
    runtime::AuditOptions audit{.signing_key = signing_key_,
                                .digest_payloads = options_.digest_payloads};
    runtime::SessionRuntimeOptions runtime_options{
        .clock = [this] { return now_; },
        .on_event = [this](const runtime::Event& e) { Event(e); },
        .audit = std::move(audit)};
    runtime_options.credentials.signing_key = lease_key_;
    runtime_ = std::make_unique<runtime::SessionRuntime>(policy_, *evaluator_, *store_,
                                                         std::move(runtime_options));
    return absl::OkStatus();
  }

  void SetSigningKey(const runtime::audit::SecretKey& key) { signing_key_ = key; }
  void SetLeaseKey(const runtime::audit::SecretKey& key) { lease_key_ = key; }

  // Signs a tree head over everything the replay appended, so the run's last events are covered
  // by a signature even when no session was terminated.
  absl::StatusOr<uint64_t> SignHead() { return runtime_->SignAuditHead(); }

  // Runs one trace line; a failure of the runtime is printed and counted, not fatal. Returns
  // what is wrong with a malformed line.
  std::string Line(const Json& line) {
    std::string error = Act(line);
    for (const auto& [action, what, text] : credential_lines_) Print(action, what, text);
    credential_lines_.clear();
    return error;
  }

  int failures() const { return failures_; }

 private:
  std::string Act(const Json& line) {
    if (!line.is_object() || line.size() != 1) {
      return "a trace line is an object with one action, such as {\"call\": {...}}";
    }
    const std::string& action = line.begin().key();
    const Json& a = line.begin().value();
    if (action == "clock" || action == "advance") return Time(action, a);
    if (action == "crash") return Crash();
    if (!a.is_object()) return fmt::format("`{}` takes an object", action);
    Fields f(a);
    std::string session = f.Str("session");
    if (action == "spawn") return Spawn(session, f);
    if (action == "call") {
      std::string step = f.Str("step");
      std::string tool = f.Str("tool");
      std::string args = f.Raw("args", "{}");
      if (!f.error().empty()) return f.error();
      absl::StatusOr<runtime::StepResult> result = runtime_->Authorize(session, step, tool, args);
      Show("call", session + "#" + step, tool, result,
           [](const runtime::StepResult& r) { return Summary(r.decision_json); });
      if (result.ok()) Leases(session, step, result->leases, result->replayed);
      return "";
    }
    if (action == "complete") {
      std::string step = f.Str("step");
      int64_t tokens = f.Int("tokens", 0);
      std::string result = f.Raw("result", "");
      if (!f.error().empty()) return f.error();
      Show("complete", session + "#" + step, fmt::format("{} tokens", tokens),
           runtime_->Complete(session, step, result, tokens), [](const runtime::StepResult& r) {
             return r.result_json.empty() ? std::string("done")
                                          : "result " + Summary(r.result_json);
           });
      Budgets(session);
      return "";
    }
    if (action == "fail") {
      std::string step = f.Str("step");
      if (!f.error().empty()) return f.error();
      Show("fail", session + "#" + step, "", runtime_->Fail(session, step),
           [](const runtime::StepResult&) { return std::string("reservations released"); });
      return "";
    }
    if (action == "approve" || action == "reject") {
      std::string step = f.Str("step");
      std::string by = f.Str("by");
      if (!f.error().empty()) return f.error();
      auto result = action == "approve" ? runtime_->Approve(session, step, by)
                                        : runtime_->Reject(session, step, by);
      Show(action, session + "#" + step, "by " + by, result,
           [](const runtime::StepResult& r) { return Summary(r.decision_json); });
      if (result.ok()) Leases(session, step, result->leases, false);
      return "";
    }
    if (action == "rotate") {
      if (!f.error().empty()) return f.error();
      absl::StatusOr<std::vector<runtime::IssuedLease>> rotated = runtime_->RotateLeases(session);
      if (!rotated.ok()) {
        Failed("rotate", session, rotated.status());
      } else {
        Print("rotate", session, fmt::format("{} lease(s) replaced", rotated->size()));
        for (const runtime::IssuedLease& lease : *rotated) {
          Leases(session, "", {lease}, false);
        }
      }
      return "";
    }
    if (action == "revoke") {
      std::string reason = f.Str("reason");
      if (!f.error().empty()) return f.error();
      absl::StatusOr<int> revoked = runtime_->RevokeLeases(session, reason);
      if (!revoked.ok()) {
        Failed("revoke", session, revoked.status());
      } else {
        Print("revoke", session, fmt::format("{} lease(s) revoked: {}", *revoked, reason));
      }
      return "";
    }
    if (action == "checkpoint") {
      std::string state = f.Str("state");
      if (!f.error().empty()) return f.error();
      absl::StatusOr<int64_t> version = runtime_->Checkpoint(session, state);
      if (!version.ok()) {
        Failed("checkpoint", session, version.status());
      } else {
        Print("checkpoint", session, fmt::format("version {}", *version));
      }
      return "";
    }
    if (action == "resume") {
      int64_t version = f.Int("version", 0);
      if (!f.error().empty()) return f.error();
      absl::StatusOr<runtime::ResumePoint> point = runtime_->Resume(
          session, version > 0 ? std::optional<int64_t>(version) : std::nullopt);
      if (!point.ok()) {
        Failed("resume", session, point.status());
      } else {
        Print("resume", session,
              fmt::format("from checkpoint {} at step {}: {}", point->version, point->position,
                          ir::Quote(point->state)));
      }
      return "";
    }
    if (action == "terminate") {
      std::string reason = f.Str("reason");
      if (!f.error().empty()) return f.error();
      absl::StatusOr<std::string> report = runtime_->Terminate(session, reason);
      if (!report.ok()) {
        Failed("terminate", session, report.status());
        return "";
      }
      Json r = Json::parse(*report, nullptr, false);
      std::string spent = Text(r, "spent");
      Print("terminate", session,
            fmt::format("{}: {} tool calls, {} tokens, spent {}; steps {}", Text(r, "end_reason"),
                        Member(r, "tool_calls").dump(), Member(r, "tokens_used").dump(),
                        spent.empty() ? "nothing" : spent, Member(r, "steps").dump()));
      return "";
    }
    return fmt::format("unknown action `{}`", action);
  }

  std::string Time(const std::string& action, const Json& a) {
    if (!a.is_string()) return fmt::format("`{}` takes a string", action);
    runtime::ScalarParse parsed = action == "clock" ? runtime::ParseTimestamp(a.get<std::string>())
                                                    : runtime::ParseDuration(a.get<std::string>());
    if (!parsed.ok) return parsed.error;
    now_ = action == "clock" ? parsed.value.number : now_ + parsed.value.number;
    return "";
  }

  std::string Crash() {
    Print("crash", "", "the process dies; the store is reopened as a restarted one would");
    if (absl::Status status = Open(); !status.ok()) return std::string(status.message());
    return "";
  }

  std::string Spawn(const std::string& session, Fields& f) {
    Fields agent = f.Object("agent");
    runtime::SpawnRequest request{session, agent.Str("type"), agent.Str("id"),
                                  f.OptionalStr("task"), f.Raw("entities", "[]")};
    if (!f.error().empty()) return f.error();
    absl::StatusOr<runtime::SpawnResult> spawned = runtime_->Spawn(request);
    if (!spawned.ok()) {
      Failed("spawn", session, spawned.status());
      return "";
    }
    Print("spawn", session,
          spawned->spawned ? fmt::format("{}::{} on task {}", request.agent_type, request.agent_id,
                                         ir::Quote(request.task))
                           : fmt::format("{}: {}", spawned->queued ? "queued" : "refused",
                                         spawned->reason));
    return "";
  }

  template <typename Result, typename Describe>
  void Show(std::string_view action, const std::string& what, const std::string& detail,
            const absl::StatusOr<Result>& result, Describe describe) {
    if (!result.ok()) return Failed(action, what, result.status());
    Print(action, what,
          fmt::format("{}{}-> {} ({})", detail, detail.empty() ? "" : " ", describe(*result),
                      StepState(*result)));
  }

  // The session's token budgets as bars, after each completed step.
  void Budgets(const std::string& session) {
    absl::StatusOr<std::string> report = runtime_->Report(session);
    if (!report.ok()) return;
    const Json parsed = Json::parse(*report, nullptr, false);
    const Json& tokens = Member(parsed, "tokens_used");
    int64_t used = tokens.is_number_integer() ? tokens.get<int64_t>() : 0;
    for (const ir::Budget& budget : policy_.budgets) {
      if (budget.kind != ir::BudgetKind::kTokens || budget.period != ir::Period::kTask ||
          budget.amount <= 0) {
        continue;
      }
      int filled = static_cast<int>(std::min<int64_t>(20, used * 20 / budget.amount));
      Print("", "", fmt::format("budget {} [{}{}] {} of {} tokens", budget.head.id,
                                std::string(filled, '#'), std::string(20 - filled, '.'), used,
                                budget.amount));
    }
  }

  void Print(std::string_view action, std::string_view what, const std::string& text) {
    std::cout << fmt::format("{}  {:<10} {:<16} {}\n", action.empty() ? "        " : Clock(now_),
                             action, what, text);
  }

  void Failed(std::string_view action, std::string_view what, const absl::Status& status) {
    ++failures_;
    Print(action, what, "error: " + std::string(status.message()));
  }

  // Appends the tokens of `leases` to the --leases file (mode 0600: they are bearer tokens).
  // A replay hands out the same tokens again; they are written once.
  void Leases(const std::string& session, const std::string& step,
              const std::vector<runtime::IssuedLease>& leases, bool replayed) {
    if (options_.leases.empty() || leases.empty() || replayed) return;
    if (!leases_.is_open()) {
      leases_.open(options_.leases, std::ios::app);
      std::error_code ignored;
      std::filesystem::permissions(options_.leases, std::filesystem::perms::owner_read |
                                                        std::filesystem::perms::owner_write,
                                   ignored);
    }
    for (const runtime::IssuedLease& lease : leases) {
      Json line = {{"session", session},
                   {"step", step.empty() ? Json() : Json(step)},
                   {"lease_id", lease.claims.id},
                   {"credential", lease.claims.credential},
                   {"scopes", lease.claims.scopes},
                   {"expires_at", ir::FormatTimestamp(lease.claims.expires_at_ms)},
                   {"token", lease.token}};
      leases_ << line.dump() << "\n";
    }
    leases_.flush();
  }

  // Mints and revocations are shown after the line of the action that caused them.
  void CredentialLine(const runtime::Event& event) {
    const Json detail = Json::parse(event.detail, nullptr, false);
    const std::string what = event.session + (event.step.empty() ? "" : "#" + event.step);
    // Lease ids are random: the timeline leaves them out, so that a replay prints the same
    // lines (`writ cred leases` lists them).
    if (event.kind == "credential_minted") {
      std::vector<std::string> scopes;
      for (const Json& scope : Member(detail, "scopes")) {
        if (scope.is_string()) scopes.push_back(scope.get<std::string>());
      }
      credential_lines_.push_back(
          {"lease", what,
           fmt::format("{} [{}] until {}", Text(detail, "credential"), fmt::join(scopes, ", "),
                       Text(detail, "expires_at"))});
    } else if (event.kind == "credential_revoked") {
      credential_lines_.push_back(
          {"revoke", what,
           fmt::format("{} lease: {}", Text(detail, "credential"), Text(detail, "reason"))});
    }
  }

  void Event(const runtime::Event& event) {
    CredentialLine(event);
    if (options_.events.empty()) return;
    if (!events_.is_open()) events_.open(options_.events, std::ios::app);
    Json line = {{"event", event.kind}, {"session", event.session}, {"at", ir::FormatTimestamp(event.at)}};
    if (!event.step.empty()) line["step"] = event.step;
    Json detail = Json::parse(event.detail, nullptr, false);
    if (!detail.is_discarded()) line["detail"] = std::move(detail);
    events_ << line.dump() << "\n";
    events_.flush();
  }

  const ir::Policy& policy_;
  const RunOptions& options_;
  std::unique_ptr<runtime::Evaluator> evaluator_;
  std::unique_ptr<runtime::store::Store> store_;
  std::unique_ptr<runtime::SessionRuntime> runtime_;
  std::ofstream events_;
  int64_t now_ = 1767225600000;  // 2026-01-01T00:00:00Z until the trace sets the clock
  int failures_ = 0;
  std::optional<runtime::audit::SecretKey> signing_key_;
  std::optional<runtime::audit::SecretKey> lease_key_;
  std::ofstream leases_;
  struct TimelineLine {
    std::string action, what, text;
  };
  std::vector<TimelineLine> credential_lines_;
};

// The key in `path`, created if missing (with a note on stderr); nullopt after printing why
// it cannot be used.
std::optional<runtime::audit::SecretKey> KeyFromFile(const std::string& path,
                                                     std::string_view what, ColorMode color) {
  absl::StatusOr<SigningKeyFile> key = LoadOrCreateSigningKey(path);
  if (!key.ok()) {
    PrintError(key.status());
    return std::nullopt;
  }
  if (key->created) {
    PrintStatus(fmt::format("created the {} signing key {} (public key in {}.pub)", what, path,
                            path),
                color);
  }
  return key->key;
}

int RunRun(const RunOptions& options) {
  driver::Compilation compilation;
  if (absl::StatusOr<size_t> compiled = CompilePaths(options.policies, false, compilation);
      !compiled.ok()) {
    PrintError(compiled.status());
    return kExitUsage;
  }
  Report(compilation.sources, compilation.diagnostics.diagnostics(), ReportFormat::kText,
         options.color);
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) return kExitFindings;
  std::optional<ir::Policy> policy = LowerVerified(compilation);
  if (!policy) return kExitInternal;

  std::ifstream file;
  if (options.trace != "-") {
    file.open(options.trace, std::ios::binary);
    if (!file) {
      PrintError(fmt::format("{}: cannot open the trace", options.trace));
      return kExitUsage;
    }
  }
  std::istream& in = options.trace == "-" ? std::cin : file;
  Replay replay(*policy, options);
  if (!options.audit_key.empty()) {
    std::optional<runtime::audit::SecretKey> key =
        KeyFromFile(options.audit_key, "audit", options.color);
    if (!key) return kExitUsage;
    replay.SetSigningKey(*key);
  }
  if (!options.lease_key.empty()) {
    std::optional<runtime::audit::SecretKey> key =
        KeyFromFile(options.lease_key, "lease", options.color);
    if (!key) return kExitUsage;
    replay.SetLeaseKey(*key);
  }
  if (absl::Status status = replay.Open(); !status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  std::string text;
  for (int number = 1; std::getline(in, text); ++number) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json line = Json::parse(text, nullptr, false);
    std::string error = line.is_discarded() ? "not JSON" : replay.Line(line);
    if (!error.empty()) {
      PrintError(fmt::format("{}:{}: {}", options.trace, number, error));
      return kExitUsage;
    }
  }
  if (absl::StatusOr<uint64_t> signed_size = replay.SignHead(); !signed_size.ok()) {
    PrintError(signed_size.status());
    return kExitFindings;
  }
  return replay.failures() > 0 ? kExitFindings : kExitOk;
}

}  // namespace

Command AddRunCommand(CLI::App& root) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* app = root.add_subcommand("run", "Replay a scripted agent session through the runtime");
  app->add_option("--policy", options->policies, "Policy files or folders (repeatable)")
      ->required();
  app->add_option("--db", options->db, "The SQLite store (created if missing)")->required();
  app->add_option("TRACE", options->trace, "The trace as JSON Lines, or `-` for stdin")
      ->required();
  app->add_option("--events", options->events, "Append every lifecycle event to this JSON Lines file");
  app->add_option("--audit-key", options->audit_key,
                  "Sign the audit trail's tree heads with the key in this file (created, mode "
                  "0600, with FILE.pub, if missing)");
  app->add_option("--lease-key", options->lease_key,
                  "Sign credential leases with the key in this file (created, mode 0600, with "
                  "FILE.pub, if missing)");
  app->add_option("--leases", options->leases,
                  "Append the token of every issued lease to this JSON Lines file (mode 0600)");
  app->add_flag("--digest-payloads", options->digest_payloads,
                "Keep SHA-256 digests of tool arguments and results in the audit trail, not the "
                "payloads");
  AddEngineOption(*app, options->engine);
  AddColorOption(*app, options->color);
  app->footer(std::string(
      "Each trace line is one action: clock, advance, spawn, call, complete, fail, approve,\n"
      "reject, checkpoint, resume, rotate, revoke, crash or terminate (docs/run.md). The session runtime decides\n"
      "and records every step in the store, so running a trace twice against one store replays\n"
      "recorded steps instead of deciding them again.\n\n") +
      kEngineHelp +
      "Exit codes:\n"
      "  0  the trace was replayed\n"
      "  1  errors in the policies, or an action the runtime refused (printed in the timeline)\n"
      "  2  usage or I/O error, or a malformed trace line (with its line number)\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options] { return RunRun(*options); }};
}

}  // namespace writ::cli
