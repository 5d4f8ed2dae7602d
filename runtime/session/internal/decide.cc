#include "runtime/session/internal/decide.h"

#include <utility>

#include "compiler/base/status.h"
#include "runtime/session/internal/accounting.h"

namespace writ::runtime::session_internal {

std::shared_ptr<const DecodeResult> WorldCache::Get(const store::SessionRow& row) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(row.id);
    if (it != entries_.end() && it->second.world_json == row.world_json) return it->second.decoded;
  }
  // Decoded outside the lock: two callers may both decode a new world, and either result is
  // the same.
  auto decoded = std::make_shared<const DecodeResult>(
      DecodeWorld(policy_, row.world_json, row.agent_type, row.agent_id));
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.insert_or_assign(row.id, Entry{row.world_json, decoded});
  return decoded;
}

std::optional<ir::EntityTypeId> WorldCache::PrincipalType(const store::SessionRow& row) {
  std::shared_ptr<const DecodeResult> world = Get(row);
  if (!world->ok()) return std::nullopt;
  const Request& request = *world->request;
  return request.entities[request.principal].type;
}

namespace {

void SetSessionFacts(const store::SessionRow& row, int64_t now, Request& request) {
  auto set = [&](ir::SessionFact fact, Value value) {
    request.session[static_cast<size_t>(fact)] = std::move(value);
  };
  set(ir::SessionFact::kTask, Value::String(row.task));
  set(ir::SessionFact::kTokensUsed, Value::Int(row.tokens_used));
  set(ir::SessionFact::kToolCalls, Value::Int(row.tool_calls));
  set(ir::SessionFact::kStartedAt, Value::Timestamp(row.started_at));
  set(ir::SessionFact::kNow, Value::Timestamp(now));
  if (!row.spent_currency.empty()) {
    set(ir::SessionFact::kSpent, Value::Money(row.spent_units, row.spent_currency));
  }
}

}  // namespace

absl::StatusOr<Decided> Decide(store::Transaction& tx, const ir::Policy& policy,
                               const Evaluator& evaluator, WorldCache& worlds,
                               const store::SessionRow& row, const StepCall& call, int64_t now,
                               bool evaluate) {
  Decided out;
  ir::ToolId tool = ir::FindTool(policy, call.tool);
  if (!tool.valid()) {
    out.decision = RequestErrorDecision(
        {{"$.tool", "request.unknown_tool", "no tool `" + std::string(call.tool) + "` in the policy"}});
    return out;
  }
  std::shared_ptr<const DecodeResult> world = worlds.Get(row);
  if (!world->ok()) {
    out.decision = RequestErrorDecision(world->errors);
    return out;
  }
  DecodeResult decoded =
      DecodeCall(policy, *world->request, tool, call.phase, call.args_json, call.result_json);
  if (!decoded.ok()) {
    out.decision = RequestErrorDecision(decoded.errors);
    return out;
  }
  Request& request = *decoded.request;
  SetSessionFacts(row, now, request);
  if (call.phase == ir::Phase::kCall) {
    std::string principal = PrincipalKey(row.agent_type, row.agent_id);
    WRIT_RETURN_IF_ERROR(ReadCounters(tx, policy, tool, row, principal, now, request.counters));
  }
  if (evaluate) out.decision = evaluator.Evaluate(request);
  out.request = std::move(decoded.request);
  return out;
}

absl::StatusOr<std::optional<Value>> SpendOf(store::Transaction& tx, const ir::Policy& policy,
                                             const Evaluator& evaluator, WorldCache& worlds,
                                             const Held& held, const store::StepRow& step,
                                             const store::SessionRow& row, int64_t now) {
  if (held.spend) return held.spend;
  WRIT_ASSIGN_OR_RETURN(Decided call, Decide(tx, policy, evaluator, worlds, row,
                                             {step.tool, ir::Phase::kCall, step.args_json,
                                              std::nullopt},
                                             now, /*evaluate=*/false));
  if (!call.request) return std::optional<Value>();
  return std::optional<Value>(CallSpend(policy, *call.request));
}

}  // namespace writ::runtime::session_internal
