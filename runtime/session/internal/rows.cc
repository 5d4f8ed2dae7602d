#include "runtime/session/internal/rows.h"

#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/session/internal/accounting.h"
#include "runtime/value.h"

namespace writ::runtime::session_internal {

absl::StatusOr<store::SessionRow> LoadSession(store::Transaction& tx, std::string_view id) {
  WRIT_ASSIGN_OR_RETURN(std::optional<store::SessionRow> row, tx.GetSession(id));
  if (!row) return absl::NotFoundError(fmt::format("no session `{}`", id));
  return *std::move(row);
}

absl::Status CheckRunning(const store::SessionRow& row) {
  if (row.state != store::SessionState::kRunning) {
    return absl::FailedPreconditionError(
        fmt::format("session `{}` has ended ({})", row.id, row.end_reason));
  }
  return absl::OkStatus();
}

absl::StatusOr<store::SessionRow> LoadRunning(store::Transaction& tx, std::string_view id) {
  WRIT_ASSIGN_OR_RETURN(store::SessionRow row, LoadSession(tx, id));
  WRIT_RETURN_IF_ERROR(CheckRunning(row));
  return row;
}

absl::StatusOr<store::StepRow> LoadStep(store::Transaction& tx, std::string_view session,
                                 std::string_view step) {
  WRIT_ASSIGN_OR_RETURN(std::optional<store::StepRow> row, tx.GetStep(session, step));
  if (!row) return absl::NotFoundError(fmt::format("session `{}` has no step `{}`", session, step));
  return *std::move(row);
}

DecisionEffect EffectOf(store::StepState state) {
  switch (state) {
    case store::StepState::kDenied:
      return DecisionEffect::kDeny;
    case store::StepState::kPending:
      return DecisionEffect::kApprovalRequired;
    case store::StepState::kAllowed:
    case store::StepState::kCompleted:
    case store::StepState::kFailed:
      return DecisionEffect::kAllow;
  }
  return DecisionEffect::kDeny;
}

StepResult FromRow(const store::StepRow& step, bool replayed) {
  return StepResult{step.state, EffectOf(step.state), step.decision_json, step.result_json,
                    replayed,   false};
}

std::string With(std::string_view decision_json, std::string_view key, std::string_view value) {
  Json json = Json::parse(decision_json, nullptr, false);
  if (!json.is_object()) json = Json::object();
  json[std::string(key)] = value;
  return json.dump();
}

std::string DeniedWith(std::string_view decision_json, std::string_view key,
                       std::string_view value) {
  Json json = Json::parse(decision_json, nullptr, false);
  if (!json.is_object()) json = Json::object();
  json["effect"] = "deny";
  // A deny keeps only warnings (docs/requests.md): it charges, grants and redacts nothing.
  if (auto obligations = json.find("obligations");
      obligations != json.end() && obligations->is_object()) {
    Json kept = Json::object();
    if (auto warnings = obligations->find("warnings"); warnings != obligations->end()) {
      kept["warnings"] = *warnings;
    }
    *obligations = std::move(kept);
  }
  json[std::string(key)] = value;
  return json.dump();
}

std::optional<int64_t> ApprovalTimeout(std::string_view decision_json) {
  Json json = Json::parse(decision_json, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  auto approval = json.find("approval");
  if (approval == json.end() || !approval->is_object()) return std::nullopt;
  auto timeout = approval->find("timeout");
  if (timeout == approval->end() || !timeout->is_string()) return std::nullopt;
  ScalarParse parsed = ParseDuration(timeout->get<std::string>());
  if (!parsed.ok) return std::nullopt;
  return parsed.value.number;
}

}  // namespace writ::runtime::session_internal
