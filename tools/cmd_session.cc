// `writ session list|show`: what a session store holds (docs/runtime.md), read without a policy.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/value.h"
#include "runtime/store/sqlite_store.h"
#include "tools/command.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"
#include "tools/stores.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace store = runtime::store;

struct SessionOptions {
  std::string db;
  std::string id;
  bool json = false;
};

std::string Effect(const std::string& decision_json) {
  Json d = Json::parse(decision_json, nullptr, false);
  if (!d.is_object() || !d.contains("effect") || !d["effect"].is_string()) return "-";
  return d["effect"].get<std::string>();
}

std::string Spent(const store::SessionRow& row) {
  return row.spent_currency.empty() ? "-" : ir::FormatMoney(row.spent_units, row.spent_currency);
}

Json SessionJson(const store::SessionRow& row) {
  return {{"id", row.id},
          {"agent", fmt::format("{}::{}", row.agent_type, row.agent_id)},
          {"task", row.task},
          {"state", store::Spelling(row.state)},
          {"end_reason", row.end_reason},
          {"started_at", ir::FormatTimestamp(row.started_at)},
          {"ended_at", row.ended_at != 0 ? Json(ir::FormatTimestamp(row.ended_at)) : Json()},
          {"steps", row.steps},
          {"tool_calls", row.tool_calls},
          {"tokens_used", row.tokens_used},
          {"spent", row.spent_currency.empty() ? Json() : Json(Spent(row))}};
}

int List(const SessionOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::vector<store::SessionRow> rows;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<store::SessionRow>> listed = tx.ListSessions();
    if (!listed.ok()) return listed.status();
    rows = std::move(*listed);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  std::string out;
  if (options.json) {
    Json list = Json::array();
    for (const store::SessionRow& row : rows) list.push_back(SessionJson(row));
    out = list.dump(2) + "\n";
  } else {
    out = fmt::format("{:<20} {:<8} {:>5} {:>10} {:>14}  {}\n", "session", "state", "steps",
                      "tokens", "spent", "agent");
    for (const store::SessionRow& row : rows) {
      out += fmt::format("{:<20} {:<8} {:>5} {:>10} {:>14}  {}::{}\n", row.id,
                         store::Spelling(row.state), row.steps, row.tokens_used, Spent(row),
                         row.agent_type, row.agent_id);
    }
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return kExitOk;
}

int Show(const SessionOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::optional<store::SessionRow> row;
  std::vector<store::StepRow> steps;
  std::optional<store::CheckpointRow> checkpoint;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::optional<store::SessionRow>> found = tx.GetSession(options.id);
    if (!found.ok()) return found.status();
    row = std::move(*found);
    if (!row) return absl::OkStatus();
    absl::StatusOr<std::vector<store::StepRow>> listed = tx.ListSteps(options.id);
    if (!listed.ok()) return listed.status();
    steps = std::move(*listed);
    absl::StatusOr<std::optional<store::CheckpointRow>> latest =
        tx.GetCheckpoint(options.id, std::nullopt);
    if (!latest.ok()) return latest.status();
    checkpoint = std::move(*latest);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  if (!row) {
    PrintError(fmt::format("{}: no session `{}`", options.db, options.id));
    return kExitFindings;
  }
  std::string out;
  if (options.json) {
    Json doc = SessionJson(*row);
    Json list = Json::array();
    for (const store::StepRow& step : steps) {
      list.push_back({{"step", step.step_id},
                      {"seq", step.seq},
                      {"tool", step.tool},
                      {"state", store::Spelling(step.state)},
                      {"decided_at", ir::FormatTimestamp(step.decided_at)},
                      {"decision", Json::parse(step.decision_json, nullptr, false)}});
    }
    doc["step_list"] = std::move(list);
    doc["checkpoint"] = checkpoint ? Json(checkpoint->version) : Json();
    out = doc.dump(2) + "\n";
  } else {
    out = fmt::format("session {} ({}::{}, task {}): {}{}\n", row->id, row->agent_type,
                      row->agent_id, ir::Quote(row->task), store::Spelling(row->state),
                      row->end_reason.empty() ? "" : ", " + row->end_reason);
    out += fmt::format("  {} steps, {} tool calls, {} tokens, spent {}; latest checkpoint {}\n",
                       row->steps, row->tool_calls, row->tokens_used, Spent(*row),
                       checkpoint ? std::to_string(checkpoint->version) : "none");
    for (const store::StepRow& step : steps) {
      out += fmt::format("  {:>4}  {:<16} {:<28} {:<10} {}\n", step.seq, step.step_id, step.tool,
                         store::Spelling(step.state), Effect(step.decision_json));
    }
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

Command AddSessionCommand(CLI::App& root) {
  auto options = std::make_shared<SessionOptions>();
  CLI::App* app = root.add_subcommand("session", "Inspect the sessions of a runtime store");
  app->require_subcommand(1);
  CLI::App* list = app->add_subcommand("list", "List the sessions of a store");
  list->add_option("--db", options->db, "The SQLite store")->required();
  list->add_flag("--json", options->json, "One JSON document instead of a table");
  CLI::App* show = app->add_subcommand("show", "Show one session: totals and every step");
  show->add_option("--db", options->db, "The SQLite store")->required();
  show->add_option("ID", options->id, "The session id")->required();
  show->add_flag("--json", options->json, "One JSON document, with each step's decision");
  app->footer(
      "Reads the store that `writ run` or an embedding writes (docs/runtime.md); no policy is\n"
      "needed.\n\n"
      "Exit codes:\n"
      "  0  printed\n"
      "  1  show: no such session\n"
      "  2  usage or I/O error: a missing store, or one that is not a Writ store\n"
      "  3  internal error: a bug in writ");
  return Command{app, [options, list] { return list->parsed() ? List(*options) : Show(*options); }};
}

}  // namespace writ::cli
