#include "runtime/session/internal/audit_trail.h"

#include <fmt/format.h>

#include <utility>

#include "compiler/base/status.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/keys.h"
#include "runtime/session/internal/rows.h"

namespace writ::runtime::session_internal {
namespace {

using audit::AuditEvent;
using audit::EventKind;

AuditEvent Make(EventKind kind, std::string_view session, std::string_view step, int64_t at) {
  AuditEvent event;
  event.kind = kind;
  event.session = std::string(session);
  event.step = std::string(step);
  event.at = at;
  return event;
}

// "forbid no_prod_writes: writes to production need a change ticket"; the default deny has no
// rule.
std::vector<std::string> ReasonLines(const Decision& decision) {
  std::vector<std::string> lines;
  lines.reserve(decision.reasons.size());
  for (const Reason& reason : decision.reasons) {
    std::string line = reason.rule.empty()
                           ? std::string(reason.kind.empty() ? "default" : reason.kind)
                           : fmt::format("{} {}", reason.kind, reason.rule);
    if (!reason.message.empty()) line += ": " + reason.message;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::string PayloadDigest(std::string_view bytes) {
  return "sha256:" + audit::ToHex(audit::Sha256(bytes));
}

absl::StatusOr<AuditTrail> AuditTrail::Create(AuditOptions options) {
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  if (!options.signing_key) {
    WRIT_ASSIGN_OR_RETURN(options.signing_key, audit::GenerateSigningKey());
  }
  const audit::PublicKey public_key = audit::PublicKeyOf(*options.signing_key);
  return AuditTrail(std::move(options), public_key);
}

absl::Status AuditTrail::SignHead(store::Transaction& tx, int64_t now) const {
  WRIT_ASSIGN_OR_RETURN(store::AuditHead head, tx.GetAuditHead());
  WRIT_ASSIGN_OR_RETURN(audit::SignedTreeHead signed_head,
                        audit::SignTreeHead({head.size, head.root, now}, *options_.signing_key));
  WRIT_RETURN_IF_ERROR(tx.AddAuditKey(public_key_, now));
  return tx.AddTreeHead(signed_head);
}

absl::Status AuditTrail::Append(store::Transaction& tx, std::vector<AuditEvent> events,
                                int64_t now, bool sign) const {
  for (AuditEvent& event : events) {
    WRIT_ASSIGN_OR_RETURN(uint64_t seq, tx.AppendAudit(std::move(event)));
    if (options_.sign_every > 0 && (seq + 1) % options_.sign_every == 0) sign = true;
  }
  if (!sign) return absl::OkStatus();
  return SignHead(tx, now);
}

void AuditTrail::SetPayload(AuditEvent& event, const char* key, const char* digest_key,
                            std::string_view payload) const {
  if (options_.digest_payloads || payload.size() > options_.max_payload_bytes) {
    event.SetField(digest_key, PayloadDigest(payload));
  } else {
    event.SetField(key, std::string(payload));
  }
}

AuditEvent AuditTrail::Spawned(const SpawnRequest& request, int64_t at, bool from_queue) {
  AuditEvent event = Make(EventKind::kSpawned, request.session, "", at);
  event.SetField("agent_type", request.agent_type);
  event.SetField("agent_id", request.agent_id);
  event.SetField("task", request.task);
  if (from_queue) event.SetField("from_queue", int64_t{1});
  return event;
}

std::vector<AuditEvent> AuditTrail::Decided(const store::StepRow& step, const Decision& decision,
                                            int64_t at) const {
  std::vector<AuditEvent> events;
  AuditEvent decided = Make(EventKind::kDecided, step.session, step.step_id, at);
  decided.SetField("tool", step.tool);
  decided.SetField("effect", std::string(Spelling(decision.effect)));
  decided.SetField("reasons", ReasonLines(decision));
  decided.SetField("matched_rules", decision.matched);
  decided.SetField("decision", step.decision_json);
  events.push_back(std::move(decided));
  if (step.state == store::StepState::kAllowed) {
    AuditEvent called = Make(EventKind::kToolCalled, step.session, step.step_id, at);
    called.SetField("tool", step.tool);
    SetPayload(called, "args", "args_digest", step.args_json);
    events.push_back(std::move(called));
  }
  for (const std::string& warning : decision.obligations.warnings) {
    AuditEvent warned = Make(EventKind::kBudgetWarning, step.session, step.step_id, at);
    warned.SetField("warning", warning);
    events.push_back(std::move(warned));
  }
  if (step.state == store::StepState::kPending) {
    AuditEvent suspended = Make(EventKind::kSuspended, step.session, step.step_id, at);
    suspended.SetField("tool", step.tool);
    suspended.SetField("reasons", ReasonLines(decision));
    events.push_back(std::move(suspended));
  }
  return events;
}

AuditEvent AuditTrail::DecidedFromJson(const store::StepRow& step, int64_t at) {
  AuditEvent decided = Make(EventKind::kDecided, step.session, step.step_id, at);
  decided.SetField("tool", step.tool);
  decided.SetField("effect", std::string(Spelling(EffectOf(step.state))));
  decided.SetField("reasons", std::vector<std::string>{});
  decided.SetField("matched_rules", std::vector<std::string>{});
  decided.SetField("decision", step.decision_json);
  return decided;
}

std::vector<AuditEvent> AuditTrail::Completed(const store::StepRow& step, const Decision& released,
                                              std::string_view result_json, int64_t tokens,
                                              int64_t at) const {
  AuditEvent result = Make(EventKind::kToolResult, step.session, step.step_id, at);
  result.SetField("tool", step.tool);
  SetPayload(result, "result", "result_digest", result_json);
  result.SetField("tokens", tokens);
  AuditEvent verdict = Make(EventKind::kOutputVerdict, step.session, step.step_id, at);
  verdict.SetField("tool", step.tool);
  verdict.SetField("verdict", std::string(released.effect != DecisionEffect::kAllow ? "withheld"
                                          : released.obligations.redactions.empty()
                                              ? "released"
                                              : "redacted"));
  verdict.SetField("reasons", ReasonLines(released));
  verdict.SetField("decision", step.result_json);
  std::vector<AuditEvent> events;
  events.push_back(std::move(result));
  events.push_back(std::move(verdict));
  return events;
}

AuditEvent AuditTrail::Failed(const store::StepRow& step, int64_t at) {
  AuditEvent result = Make(EventKind::kToolResult, step.session, step.step_id, at);
  result.SetField("tool", step.tool);
  result.SetField("result", std::string());
  result.SetField("failed", int64_t{1});
  return result;
}

AuditEvent AuditTrail::Approval(const store::StepRow& step, std::string_view outcome,
                                std::string_view by, int64_t at) {
  AuditEvent event = Make(EventKind::kApproved, step.session, step.step_id, at);
  event.SetField("outcome", std::string(outcome));
  event.SetField("by", std::string(by));
  return event;
}

AuditEvent AuditTrail::Checkpointed(std::string_view session, int64_t version,
                                    std::string_view state, int64_t at) {
  AuditEvent event = Make(EventKind::kCheckpointed, session, "", at);
  event.SetField("version", version);
  event.SetField("digest", PayloadDigest(state));
  event.SetField("bytes", static_cast<int64_t>(state.size()));
  return event;
}

AuditEvent AuditTrail::Resumed(std::string_view session, int64_t version, int64_t position,
                               int64_t at) {
  AuditEvent event = Make(EventKind::kResumed, session, "", at);
  event.SetField("version", version);
  event.SetField("position", position);
  return event;
}

AuditEvent AuditTrail::Terminated(std::string_view session, std::string_view step,
                                  std::string_view reason, std::string_view report, int64_t at) {
  AuditEvent event = Make(EventKind::kTerminated, session, step, at);
  event.SetField("reason", std::string(reason));
  event.SetField("report", std::string(report));
  return event;
}

}  // namespace writ::runtime::session_internal
