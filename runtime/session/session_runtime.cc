#include "runtime/session/session_runtime.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "compiler/base/status.h"
#include "compiler/ir/print.h"
#include "compiler/base/check.h"
#include "runtime/request.h"
#include "runtime/session/internal/audit_trail.h"
#include "runtime/session/internal/accounting.h"
#include "runtime/session/internal/broker.h"
#include "runtime/session/internal/decide.h"
#include "runtime/session/internal/rows.h"
#include "runtime/session/internal/spawning.h"

namespace writ::runtime {
namespace {

using session_internal::AuditTrail;
using session_internal::Broker;
using session_internal::BrokerEvents;
using session_internal::Decide;
using session_internal::Decided;
using session_internal::FromRow;
using session_internal::Json;
using session_internal::LoadRunning;
using session_internal::LoadSession;
using session_internal::LoadStep;
using session_internal::With;
using store::SessionRow;
using store::StepRow;
using store::StepState;

}  // namespace

SessionRuntime::SessionRuntime(const ir::Policy& policy, const Evaluator& evaluator,
                               store::Store& store, SessionRuntimeOptions options)
    : policy_(policy),
      evaluator_(evaluator),
      store_(store),
      options_(std::move(options)),
      worlds_(std::make_unique<session_internal::WorldCache>(policy)) {
  absl::StatusOr<AuditTrail> trail = AuditTrail::Create(options_.audit);
  WRIT_CHECK(trail.ok());  // only a libsodium without an entropy source fails
  audit_ = std::make_unique<AuditTrail>(*std::move(trail));
  absl::StatusOr<Broker> broker = Broker::Create(options_.credentials);
  WRIT_CHECK(broker.ok());
  broker_ = std::make_unique<Broker>(*std::move(broker));
}

SessionRuntime::~SessionRuntime() = default;

int64_t SessionRuntime::Now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SessionRuntime::Emit(std::vector<Event> events) const {
  if (!options_.on_event) return;
  for (const Event& event : events) options_.on_event(event);
}

namespace {

// The budget that ended the session by denying this call (`then terminate`), if any.
const ir::Budget* TerminatingBudget(const ir::Policy& policy, const Decision& decision) {
  if (decision.effect != DecisionEffect::kDeny) return nullptr;
  for (const Reason& reason : decision.reasons) {
    if (reason.kind != "budget") continue;
    for (const ir::Budget& budget : policy.budgets) {
      if (budget.head.id == reason.rule && budget.then == ir::BudgetAction::kTerminate) {
        return &budget;
      }
    }
  }
  return nullptr;
}

// Ends `row` (the caller stores it): releases what unfinished steps hold, frees its slots in
// `sessions` pools and revokes its leases.
absl::Status EndSession(store::Transaction& tx, const ir::Policy& policy, const Broker& broker,
                        SessionRow& row, std::string_view reason, int64_t now,
                        BrokerEvents out) {
  WRIT_RETURN_IF_ERROR(
      broker.RevokeAll(tx, row.id, "", fmt::format("the session ended: {}", reason), now, out)
          .status());
  WRIT_ASSIGN_OR_RETURN(std::vector<StepRow> steps, tx.ListSteps(row.id));
  for (StepRow& step : steps) {
    if (step.state == StepState::kAllowed) {
      WRIT_ASSIGN_OR_RETURN(session_internal::Held held,
                            session_internal::HeldFromJson(step.reservations_json));
      WRIT_RETURN_IF_ERROR(session_internal::Release(tx, held.reservations, false));
      step.state = StepState::kFailed;
    } else if (step.state == StepState::kPending) {
      step.state = StepState::kDenied;
      step.decision_json = With(step.decision_json, "ended_by", "the session ended");
    } else {
      continue;
    }
    step.completed_at = now;
    WRIT_RETURN_IF_ERROR(tx.PutStep(step));
  }
  for (const ir::Pool& pool : policy.pools) {
    if (pool.counts_calls) continue;
    for (ir::EntityTypeId agent : pool.agents) {
      if (policy.entity_type(agent).name == row.agent_type) {
        WRIT_RETURN_IF_ERROR(tx.AddCounter(session_internal::SessionPoolKey(pool), -1, ""));
      }
    }
  }
  row.state = store::SessionState::kEnded;
  row.ended_at = now;
  row.end_reason = std::string(reason);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReportOf(store::Transaction& tx, const SessionRow& row) {
  WRIT_ASSIGN_OR_RETURN(std::vector<StepRow> steps, tx.ListSteps(row.id));
  std::map<std::string, int64_t> by_state;
  for (const StepRow& step : steps) ++by_state[std::string(store::Spelling(step.state))];
  Json report = {{"session", row.id},
                 {"agent", session_internal::PrincipalKey(row.agent_type, row.agent_id)},
                 {"task", row.task},
                 {"state", store::Spelling(row.state)},
                 {"end_reason", row.end_reason},
                 {"started_at", ir::FormatTimestamp(row.started_at)},
                 {"ended_at", row.ended_at != 0 ? Json(ir::FormatTimestamp(row.ended_at)) : Json()},
                 {"tokens_used", row.tokens_used},
                 {"tool_calls", row.tool_calls},
                 {"spent", row.spent_currency.empty()
                               ? Json()
                               : Json(ir::FormatMoney(row.spent_units, row.spent_currency))},
                 {"steps", by_state}};
  return report.dump();
}

}  // namespace

absl::StatusOr<SpawnResult> SessionRuntime::Spawn(const SpawnRequest& request) {
  const ir::EntityType* agent = nullptr;
  for (const ir::EntityType& type : policy_.entity_types) {
    if (type.name == request.agent_type && type.is_agent()) agent = &type;
  }
  if (agent == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("`{}` is not an agent type of the policy", request.agent_type));
  }
  Json world = Json::parse(request.entities_json, nullptr, false);
  bool has_agent = false;
  if (world.is_array()) {
    for (const Json& entity : world) {
      has_agent = has_agent || (entity.is_object() && entity.value("type", "") == request.agent_type &&
                                entity.value("id", "") == request.agent_id);
    }
  }
  if (!has_agent) {
    return absl::InvalidArgumentError(
        "the session's entities must be a JSON array that holds the agent itself");
  }
  SpawnRequest normalized = request;
  normalized.entities_json = world.dump();
  int64_t now = Now();
  SpawnResult out;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    out = {};
    WRIT_ASSIGN_OR_RETURN(std::optional<SessionRow> existing, tx.GetSession(request.session));
    if (existing) {
      return absl::AlreadyExistsError(fmt::format("session `{}` exists", request.session));
    }
    WRIT_ASSIGN_OR_RETURN(std::optional<store::QueuedSpawnRow> waiting,
                          tx.GetQueuedSpawn(request.session));
    if (waiting) {
      return absl::AlreadyExistsError(
          fmt::format("session `{}` is queued for pool {}", request.session, waiting->pool));
    }
    WRIT_ASSIGN_OR_RETURN(session_internal::Admission admission,
                          session_internal::TryAdmit(tx, policy_, normalized, now));
    out.spawned = admission.spawned;
    if (admission.full == nullptr) {
      if (!admission.spawned) return absl::OkStatus();
      return audit_->Append(tx, {AuditTrail::Spawned(normalized, now, false)}, now);
    }
    const ir::Pool& pool = *admission.full;
    out.reason = pool.reason.empty() ? fmt::format("pool {} is full", pool.name) : pool.reason;
    if (pool.then != ir::PoolAction::kQueue) return absl::OkStatus();
    out.queued = true;
    return tx.AddQueuedSpawn({request.session, pool.head.id, request.priority, 0,
                              session_internal::QueuedRequestJson(normalized), now});
  });
  if (!status.ok()) return status;
  if (out.spawned) Emit({session_internal::SpawnedEvent(normalized, now, false)});
  return out;
}

absl::StatusOr<StepResult> SessionRuntime::Authorize(std::string_view session,
                                                     std::string_view step,
                                                     std::string_view tool,
                                                     std::string_view args_json) {
  int64_t now = Now();
  StepResult out;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadSession(tx, session));
    WRIT_ASSIGN_OR_RETURN(std::optional<StepRow> seen, tx.GetStep(session, step));
    if (seen) {
      if (seen->tool != tool) {
        return absl::FailedPreconditionError(fmt::format(
            "step `{}` of session `{}` was a call of {}, not {}", step, session, seen->tool, tool));
      }
      out = FromRow(*seen, /*replayed=*/true);
      if (seen->state != StepState::kAllowed) return absl::OkStatus();
      WRIT_ASSIGN_OR_RETURN(out.leases, broker_->Reissue(tx, session, step, now));
      return absl::OkStatus();
    }
    WRIT_RETURN_IF_ERROR(session_internal::CheckRunning(row));
    WRIT_ASSIGN_OR_RETURN(Decided decided,
                          Decide(tx, policy_, evaluator_, *worlds_, row,
                                 {tool, ir::Phase::kCall, args_json, std::nullopt}, now));
    StepRow record{row.id, std::string(step), row.steps, std::string(tool), StepState::kDenied,
                   std::string(args_json), "", "[]", "", now, 0};
    Decision& decision = decided.decision;
    std::vector<IssuedLease> leases;
    if (decision.effect == DecisionEffect::kAllow && !decision.obligations.grants.empty()) {
      absl::StatusOr<std::vector<IssuedLease>> minted = broker_->Mint(
          session_internal::HolderOf(policy_, row, step, tool, *decided.request),
          decision.obligations.grants, now);
      if (minted.ok()) {
        leases = *std::move(minted);
      } else if (minted.status().code() == absl::StatusCode::kInvalidArgument) {
        session_internal::DenyForCredential(decision, std::string(minted.status().message()));
      } else {
        return minted.status();
      }
    }
    if (decision.effect == DecisionEffect::kAllow) {
      std::string principal = session_internal::PrincipalKey(row.agent_type, row.agent_id);
      WRIT_ASSIGN_OR_RETURN(session_internal::Held held,
                            session_internal::Reserve(tx, policy_, *decided.request, decision,
                                                      row, principal, now));
      record.state = StepState::kAllowed;
      record.reservations_json = session_internal::HeldToJson(held);
      ++row.tool_calls;
    } else if (decision.effect == DecisionEffect::kApprovalRequired) {
      record.state = StepState::kPending;
    }
    record.decision_json = EncodeDecision(policy_, decision, -1);
    ++row.steps;
    WRIT_RETURN_IF_ERROR(tx.PutStep(record));
    events.push_back({"decided", row.id, record.step_id, now, record.decision_json});
    if (!decision.obligations.warnings.empty()) {
      events.push_back({"warned", row.id, record.step_id, now,
                        Json{{"warnings", decision.obligations.warnings}}.dump()});
    }
    if (record.state == StepState::kPending) {
      events.push_back({"suspended", row.id, record.step_id, now, "{}"});
    }
    std::vector<audit::AuditEvent> trail = audit_->Decided(record, decision, now);
    WRIT_RETURN_IF_ERROR(broker_->Record(tx, record.step_id, leases, {trail, events}));
    out = FromRow(record, false);
    out.leases = std::move(leases);
    if (const ir::Budget* budget = TerminatingBudget(policy_, decision)) {
      std::string reason = budget->reason.empty()
                               ? fmt::format("{} budget exhausted", ir::Spelling(budget->kind))
                               : budget->reason;
      WRIT_RETURN_IF_ERROR(EndSession(tx, policy_, *broker_, row, reason, now, {trail, events}));
      WRIT_ASSIGN_OR_RETURN(std::string report, ReportOf(tx, row));
      events.push_back({"terminated", row.id, record.step_id, now, report});
      trail.push_back(AuditTrail::Terminated(row.id, record.step_id, reason, report, now));
      out.session_ended = true;
      WRIT_RETURN_IF_ERROR(tx.PutSession(row));
      WRIT_RETURN_IF_ERROR(AdmitQueued(tx, now, events, trail));
      return audit_->Append(tx, std::move(trail), now, /*sign=*/true);
    }
    WRIT_RETURN_IF_ERROR(tx.PutSession(row));
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return out;
}

absl::StatusOr<StepResult> SessionRuntime::Complete(std::string_view session,
                                                    std::string_view step,
                                                    std::string_view result_json,
                                                    int64_t tokens) {
  if (tokens < 0) return absl::InvalidArgumentError("tokens used cannot be negative");
  int64_t now = Now();
  StepResult out;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadSession(tx, session));
    WRIT_ASSIGN_OR_RETURN(StepRow record, LoadStep(tx, session, step));
    if (record.state == StepState::kCompleted) {
      out = FromRow(record, /*replayed=*/true);
      return absl::OkStatus();
    }
    if (record.state != StepState::kAllowed) {
      return absl::FailedPreconditionError(
          fmt::format("step `{}` is {}; only an allowed step completes", step,
                      store::Spelling(record.state)));
    }
    ir::ToolId tool = ir::FindTool(policy_, record.tool);
    Decision released;
    released.effect = DecisionEffect::kAllow;
    if (tool.valid() && policy_.tool(tool).result.has_value()) {
      std::string_view result = result_json.empty() ? std::string_view("null") : result_json;
      WRIT_ASSIGN_OR_RETURN(Decided decided,
                            Decide(tx, policy_, evaluator_, *worlds_, row,
                                   {record.tool, ir::Phase::kResult, record.args_json, result},
                                   now));
      released = std::move(decided.decision);
    }
    WRIT_ASSIGN_OR_RETURN(session_internal::Held held,
                          session_internal::HeldFromJson(record.reservations_json));
    WRIT_RETURN_IF_ERROR(session_internal::Release(tx, held.reservations, /*pools_only=*/true));
    // The spend is committed: the call happened, whatever the result rules say of its output.
    WRIT_ASSIGN_OR_RETURN(std::optional<Value> spend,
                          session_internal::SpendOf(tx, policy_, evaluator_, *worlds_, held,
                                                    record, row, now));
    if (spend && spend->number != 0 &&
        (row.spent_currency.empty() || row.spent_currency == spend->text) &&
        !__builtin_add_overflow(row.spent_units, spend->number, &row.spent_units)) {
      row.spent_currency = spend->text;
    }
    if (std::optional<ir::EntityTypeId> type = worlds_->PrincipalType(row)) {
      std::string principal = session_internal::PrincipalKey(row.agent_type, row.agent_id);
      WRIT_RETURN_IF_ERROR(
          session_internal::CountTokens(tx, policy_, *type, principal, tokens, now));
    }
    if (__builtin_add_overflow(row.tokens_used, tokens, &row.tokens_used)) {
      return absl::OutOfRangeError("the session's token count would overflow");
    }
    record.state = StepState::kCompleted;
    record.result_json = EncodeDecision(policy_, released, -1);
    record.completed_at = now;
    WRIT_RETURN_IF_ERROR(tx.PutStep(record));
    events.push_back({"completed", row.id, record.step_id, now, record.result_json});
    out = FromRow(record, false);
    WRIT_RETURN_IF_ERROR(tx.PutSession(row));
    std::vector<audit::AuditEvent> trail =
        audit_->Completed(record, released, result_json, tokens, now);
    WRIT_RETURN_IF_ERROR(
        broker_->RevokeAll(tx, session, step, "the step completed", now, {trail, events})
            .status());
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return out;
}

absl::StatusOr<StepResult> SessionRuntime::Fail(std::string_view session, std::string_view step) {
  int64_t now = Now();
  StepResult out;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(StepRow record, LoadStep(tx, session, step));
    if (record.state == StepState::kFailed) {
      out = FromRow(record, /*replayed=*/true);
      return absl::OkStatus();
    }
    if (record.state != StepState::kAllowed) {
      return absl::FailedPreconditionError(fmt::format(
          "step `{}` is {}; only an allowed step fails", step, store::Spelling(record.state)));
    }
    WRIT_ASSIGN_OR_RETURN(session_internal::Held held,
                          session_internal::HeldFromJson(record.reservations_json));
    WRIT_RETURN_IF_ERROR(session_internal::Release(tx, held.reservations, /*pools_only=*/false));
    record.state = StepState::kFailed;
    record.completed_at = now;
    out = FromRow(record, false);
    WRIT_RETURN_IF_ERROR(tx.PutStep(record));
    events.push_back({"completed", std::string(session), std::string(step), now,
                      R"({"failed":true})"});
    std::vector<audit::AuditEvent> trail = {AuditTrail::Failed(record, now)};
    WRIT_RETURN_IF_ERROR(
        broker_->RevokeAll(tx, session, step, "the step failed", now, {trail, events}).status());
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return out;
}

absl::StatusOr<int64_t> SessionRuntime::Checkpoint(std::string_view session,
                                                   std::string_view state) {
  int64_t now = Now();
  int64_t version = 0;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadRunning(tx, session));
    Json snapshot = {{"tokens_used", row.tokens_used},
                     {"tool_calls", row.tool_calls},
                     {"spent_units", row.spent_units},
                     {"spent_currency", row.spent_currency},
                     {"steps", row.steps}};
    WRIT_ASSIGN_OR_RETURN(version, tx.AddCheckpoint({row.id, 0, now, std::string(state),
                                                     snapshot.dump(), row.steps}));
    return audit_->Append(tx, {AuditTrail::Checkpointed(row.id, version, state, now)}, now);
  });
  if (!status.ok()) return status;
  Emit({{"checkpointed", std::string(session), "", now, Json{{"version", version}}.dump()}});
  return version;
}

absl::StatusOr<ResumePoint> SessionRuntime::Resume(std::string_view session,
                                                   std::optional<int64_t> version) {
  int64_t now = Now();
  ResumePoint out;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadRunning(tx, session));
    WRIT_ASSIGN_OR_RETURN(std::optional<store::CheckpointRow> checkpoint,
                          tx.GetCheckpoint(row.id, version));
    if (!checkpoint) {
      return absl::NotFoundError(
          version ? fmt::format("session `{}` has no checkpoint {}", session, *version)
                  : fmt::format("session `{}` has no checkpoint", session));
    }
    out = {checkpoint->version, checkpoint->state, checkpoint->position};
    return audit_->Append(tx, {AuditTrail::Resumed(row.id, out.version, out.position, now)}, now);
  });
  if (!status.ok()) return status;
  Emit({{"resumed", std::string(session), "", now,
         Json{{"version", out.version}, {"position", out.position}}.dump()}});
  return out;
}

absl::StatusOr<std::string> SessionRuntime::Terminate(std::string_view session,
                                                      std::string_view reason) {
  int64_t now = Now();
  std::string report;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(std::optional<SessionRow> found, tx.GetSession(session));
    if (!found) {
      // A spawn still waiting in a pool's queue is cancelled: it never ran.
      WRIT_ASSIGN_OR_RETURN(std::optional<store::QueuedSpawnRow> waiting,
                            tx.GetQueuedSpawn(session));
      if (!waiting) return absl::NotFoundError(fmt::format("no session `{}`", session));
      WRIT_RETURN_IF_ERROR(tx.DeleteQueuedSpawn(session));
      report = Json{{"session", std::string(session)},
                    {"state", "cancelled"},
                    {"end_reason", std::string(reason)},
                    {"queued_for", waiting->pool}}
                   .dump();
      events.push_back({"terminated", std::string(session), "", now, report});
      return audit_->Append(tx, {AuditTrail::Terminated(session, "", reason, report, now)}, now,
                            /*sign=*/true);
    }
    SessionRow row = *std::move(found);
    if (row.state != store::SessionState::kRunning) {
      WRIT_ASSIGN_OR_RETURN(report, ReportOf(tx, row));
      return absl::OkStatus();
    }
    std::vector<audit::AuditEvent> trail;
    WRIT_RETURN_IF_ERROR(EndSession(tx, policy_, *broker_, row, reason, now, {trail, events}));
    WRIT_RETURN_IF_ERROR(tx.PutSession(row));
    WRIT_ASSIGN_OR_RETURN(report, ReportOf(tx, row));
    events.push_back({"terminated", std::string(session), "", now, report});
    trail.push_back(AuditTrail::Terminated(session, "", reason, report, now));
    WRIT_RETURN_IF_ERROR(AdmitQueued(tx, now, events, trail));
    return audit_->Append(tx, std::move(trail), now, /*sign=*/true);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return report;
}

absl::Status SessionRuntime::AdmitQueued(store::Transaction& tx, int64_t now,
                                         std::vector<Event>& events,
                                         std::vector<audit::AuditEvent>& trail) const {
  WRIT_ASSIGN_OR_RETURN(std::vector<session_internal::Admitted> admitted,
                        session_internal::AdmitQueued(tx, policy_, now));
  for (session_internal::Admitted& one : admitted) {
    events.push_back(session_internal::SpawnedEvent(one.request, now, /*from_queue=*/true));
    trail.push_back(AuditTrail::Spawned(one.request, now, /*from_queue=*/true));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> SessionRuntime::SignAuditHead() {
  int64_t now = Now();
  uint64_t size = 0;
  WRIT_RETURN_IF_ERROR(store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(store::AuditHead head, tx.GetAuditHead());
    size = head.size;
    return audit_->SignHead(tx, now);
  }));
  return size;
}

const audit::PublicKey& SessionRuntime::audit_public_key() const { return audit_->public_key(); }

absl::StatusOr<std::string> SessionRuntime::Report(std::string_view session) {
  std::string report;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadSession(tx, session));
    WRIT_ASSIGN_OR_RETURN(report, ReportOf(tx, row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return report;
}

}  // namespace writ::runtime
