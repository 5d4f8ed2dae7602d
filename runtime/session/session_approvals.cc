// Approvals (docs/runtime.md, "Approvals"): a pending step is approved, rejected, or denied
// once its approval timeout passes.
#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/session/internal/accounting.h"
#include "runtime/session/internal/audit_trail.h"
#include "runtime/session/internal/broker.h"
#include "runtime/session/internal/decide.h"
#include "runtime/session/internal/rows.h"
#include "runtime/session/session_runtime.h"

namespace writ::runtime {

using session_internal::ApprovalTimeout;
using session_internal::AuditTrail;
using session_internal::Decide;
using session_internal::Decided;
using session_internal::DeniedWith;
using session_internal::FromRow;
using session_internal::Json;
using session_internal::LoadRunning;
using session_internal::LoadSession;
using session_internal::LoadStep;
using session_internal::With;
using store::SessionRow;
using store::StepRow;
using store::StepState;

bool SessionRuntime::Expired(const StepRow& step, int64_t now) const {
  int64_t timeout =
      ApprovalTimeout(step.decision_json).value_or(options_.approval_timeout_millis);
  int64_t deadline = 0;
  if (__builtin_add_overflow(step.decided_at, timeout, &deadline)) return false;
  return now >= deadline;
}

Event SessionRuntime::TimeOut(StepRow& step, int64_t now) const {
  step.state = StepState::kDenied;
  step.decision_json = DeniedWith(step.decision_json, "timed_out", "no approval in time");
  step.completed_at = now;
  return {"decided", step.session, step.step_id, now, step.decision_json};
}

absl::StatusOr<StepResult> SessionRuntime::Approve(std::string_view session,
                                                   std::string_view step, std::string_view by) {
  int64_t now = Now();
  StepResult out;
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadRunning(tx, session));
    WRIT_ASSIGN_OR_RETURN(StepRow record, LoadStep(tx, session, step));
    if (record.state != StepState::kPending) {
      return absl::FailedPreconditionError(fmt::format(
          "step `{}` is {}, not pending approval", step, store::Spelling(record.state)));
    }
    if (Expired(record, now)) {
      events.push_back(TimeOut(record, now));
      out = FromRow(record, false);
      WRIT_RETURN_IF_ERROR(tx.PutStep(record));
      return audit_->Append(tx,
                            {AuditTrail::Approval(record, "timed_out", by, now),
                             AuditTrail::DecidedFromJson(record, now)},
                            now);
    }
    WRIT_ASSIGN_OR_RETURN(Decided decided,
                          Decide(tx, policy_, evaluator_, *worlds_, row,
                                 {record.tool, ir::Phase::kCall, record.args_json, std::nullopt},
                                 now));
    Decision decision = decided.decision;
    std::vector<IssuedLease> leases;
    if (decision.effect != DecisionEffect::kDeny && !decision.obligations.grants.empty()) {
      absl::StatusOr<std::vector<IssuedLease>> minted = broker_->Mint(
          session_internal::HolderOf(policy_, row, step, record.tool, *decided.request),
          decision.obligations.grants, now);
      if (minted.ok()) {
        leases = *std::move(minted);
      } else if (minted.status().code() == absl::StatusCode::kInvalidArgument) {
        session_internal::DenyForCredential(decision, std::string(minted.status().message()));
      } else {
        return minted.status();
      }
    }
    if (decision.effect == DecisionEffect::kDeny) {
      record.state = StepState::kDenied;
    } else {
      // Approved: what the call needed approval for is granted; limits were checked again.
      decision.effect = DecisionEffect::kAllow;
      std::string principal = session_internal::PrincipalKey(row.agent_type, row.agent_id);
      WRIT_ASSIGN_OR_RETURN(session_internal::Held held,
                            session_internal::Reserve(tx, policy_, *decided.request, decision,
                                                      row, principal, now));
      record.state = StepState::kAllowed;
      record.reservations_json = session_internal::HeldToJson(held);
      ++row.tool_calls;
    }
    record.decision_json = With(EncodeDecision(policy_, decision, -1), "approved_by", by);
    record.decided_at = now;
    WRIT_RETURN_IF_ERROR(tx.PutStep(record));
    events.push_back({"decided", row.id, record.step_id, now, record.decision_json});
    out = FromRow(record, false);
    WRIT_RETURN_IF_ERROR(tx.PutSession(row));
    std::vector<audit::AuditEvent> trail = {AuditTrail::Approval(
        record, record.state == StepState::kAllowed ? "approved" : "denied_on_recheck", by, now)};
    for (audit::AuditEvent& event : audit_->Decided(record, decision, now)) {
      trail.push_back(std::move(event));
    }
    WRIT_RETURN_IF_ERROR(broker_->Record(tx, record.step_id, leases, {trail, events}));
    out.leases = std::move(leases);
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  Emit(std::move(events));
  return out;
}

absl::StatusOr<StepResult> SessionRuntime::Reject(std::string_view session, std::string_view step,
                                                  std::string_view by) {
  int64_t now = Now();
  StepResult out;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    WRIT_RETURN_IF_ERROR(LoadRunning(tx, session).status());
    WRIT_ASSIGN_OR_RETURN(StepRow record, LoadStep(tx, session, step));
    if (record.state != StepState::kPending) {
      return absl::FailedPreconditionError(fmt::format(
          "step `{}` is {}, not pending approval", step, store::Spelling(record.state)));
    }
    bool timed_out = Expired(record, now);
    if (timed_out) {
      TimeOut(record, now);  // a rejection after the deadline: denied as timed out
    } else {
      record.decision_json = DeniedWith(record.decision_json, "rejected_by", by);
      record.state = StepState::kDenied;
    }
    record.decided_at = now;
    out = FromRow(record, false);
    WRIT_RETURN_IF_ERROR(tx.PutStep(record));
    return audit_->Append(tx,
                          {AuditTrail::Approval(record, timed_out ? "timed_out" : "rejected", by,
                                                now),
                           AuditTrail::DecidedFromJson(record, now)},
                          now);
  });
  if (!status.ok()) return status;
  Emit({{"decided", std::string(session), std::string(step), now, out.decision_json}});
  return out;
}

absl::StatusOr<int> SessionRuntime::ExpireApprovals(std::string_view session) {
  int64_t now = Now();
  std::vector<Event> events;
  absl::Status status = store_.Transact([&](store::Transaction& tx) -> absl::Status {
    events.clear();
    WRIT_ASSIGN_OR_RETURN(SessionRow row, LoadSession(tx, session));
    WRIT_ASSIGN_OR_RETURN(std::vector<StepRow> steps, tx.ListSteps(row.id));
    std::vector<audit::AuditEvent> trail;
    for (StepRow& step : steps) {
      if (step.state != StepState::kPending || !Expired(step, now)) continue;
      events.push_back(TimeOut(step, now));
      WRIT_RETURN_IF_ERROR(tx.PutStep(step));
      trail.push_back(AuditTrail::Approval(step, "timed_out", "", now));
      trail.push_back(AuditTrail::DecidedFromJson(step, now));
    }
    return audit_->Append(tx, std::move(trail), now);
  });
  if (!status.ok()) return status;
  int expired = static_cast<int>(events.size());
  Emit(std::move(events));
  return expired;
}

}  // namespace writ::runtime
