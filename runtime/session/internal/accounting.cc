#include "runtime/session/internal/accounting.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/base/status.h"
#include "stdlib/native.h"

namespace writ::runtime::session_internal {
namespace {

bool AppliesTo(const std::vector<ir::EntityTypeId>& principals, ir::EntityTypeId type) {
  return principals.empty() || std::find(principals.begin(), principals.end(), type) !=
                                   principals.end();
}

// The key of a spending limit's counter for this call.
std::string LimitKey(const ir::Limit& limit, const store::SessionRow& session,
                     const std::string& principal, int64_t now) {
  if (limit.period == ir::Period::kTask) {
    return fmt::format("spend/task/{}/{}", session.id, limit.head.id);
  }
  return fmt::format("spend/{}/{}/{}/{}", ir::Spelling(limit.period),
                     PeriodStart(limit.period, now), principal, limit.head.id);
}

std::string BudgetKey(const ir::Budget& budget, const std::string& principal, int64_t now) {
  return fmt::format("budget/{}/{}/{}/{}", ir::Spelling(budget.period),
                     PeriodStart(budget.period, now), principal, budget.head.id);
}

std::string CallPoolKey(const ir::Pool& pool) { return "pool/calls/" + pool.head.id; }

// Budgets kept in the store: those of a calendar period (task budgets read the session's own
// facts) and of a kind that accumulates (time is elapsed, not counted).
bool Counted(const ir::Budget& budget) {
  return budget.period != ir::Period::kTask && budget.period != ir::Period::kCall &&
         budget.kind != ir::BudgetKind::kTime;
}

}  // namespace

std::string PrincipalKey(std::string_view type, std::string_view id) {
  return fmt::format("{}::{}", type, id);
}

std::string SessionPoolKey(const ir::Pool& pool) { return "pool/sessions/" + pool.head.id; }

int64_t PeriodStart(ir::Period period, int64_t now) {
  int64_t out = 0;
  switch (period) {
    case ir::Period::kCall:
    case ir::Period::kTask:
      return 0;
    case ir::Period::kHour:
      return now - ((now % 3600000) + 3600000) % 3600000;
    case ir::Period::kDay:
      return writ_time_start_of_day(now, &out) == WRIT_STD_OK ? out : 0;
    case ir::Period::kWeek:
      return writ_time_start_of_week(now, &out) == WRIT_STD_OK ? out : 0;
    case ir::Period::kMonth:
      return writ_time_start_of_month(now, &out) == WRIT_STD_OK ? out : 0;
  }
  return 0;
}

namespace {

Json ReservationsToJson(const std::vector<Reservation>& reservations) {
  Json out = Json::array();
  for (const Reservation& r : reservations) {
    out.push_back({{"key", r.key}, {"delta", r.delta}, {"currency", r.currency}, {"pool", r.pool}});
  }
  return out;
}

absl::StatusOr<std::vector<Reservation>> ReservationsFromJson(const Json& json) {
  std::vector<Reservation> out;
  if (!json.is_array()) return absl::DataLossError("a step's reservations are not a JSON array");
  for (const Json& item : json) {
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string() ||
        !item.contains("delta") || !item["delta"].is_number_integer() ||
        !item.contains("currency") || !item["currency"].is_string() || !item.contains("pool") ||
        !item["pool"].is_boolean()) {
      return absl::DataLossError("a step's reservation is malformed");
    }
    out.push_back({item["key"].get<std::string>(), item["delta"].get<int64_t>(),
                   item["currency"].get<std::string>(), item["pool"].get<bool>()});
  }
  return out;
}

}  // namespace

std::string HeldToJson(const Held& held) {
  Json out = Json::object();
  if (held.spend && held.spend->number != 0) {
    out["spend"] = {{"units", held.spend->number}, {"currency", held.spend->text}};
  }
  out["reservations"] = ReservationsToJson(held.reservations);
  return out.dump();
}

absl::StatusOr<Held> HeldFromJson(std::string_view text) {
  Held out;
  if (text.empty()) return out;
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_array()) {
    WRIT_ASSIGN_OR_RETURN(out.reservations, ReservationsFromJson(json));
    return out;
  }
  if (!json.is_object() || !json.contains("reservations")) {
    return absl::DataLossError("a step's reservations are not JSON this writ wrote");
  }
  WRIT_ASSIGN_OR_RETURN(out.reservations, ReservationsFromJson(json["reservations"]));
  out.spend = Value::Money(0, "");
  if (auto spend = json.find("spend"); spend != json.end()) {
    if (!spend->is_object() || !spend->contains("units") ||
        !(*spend)["units"].is_number_integer() || !spend->contains("currency") ||
        !(*spend)["currency"].is_string()) {
      return absl::DataLossError("a step's spend is malformed");
    }
    out.spend = Value::Money((*spend)["units"].get<int64_t>(),
                             (*spend)["currency"].get<std::string>());
  }
  return out;
}

absl::Status ReadCounters(store::Transaction& tx, const ir::Policy& policy, ir::ToolId tool,
                          const store::SessionRow& session, const std::string& principal,
                          int64_t now, Counters& out) {
  const ir::Plan& plan = policy.tool(tool).plan(ir::Phase::kCall);
  for (const ir::LimitRef& ref : plan.limits) {
    const ir::Limit& limit = policy.limits[ref.limit.index];
    if (limit.period == ir::Period::kCall || out.spend.contains(limit.head.id)) continue;
    WRIT_ASSIGN_OR_RETURN(store::Counter counter,
                          tx.GetCounter(LimitKey(limit, session, principal, now)));
    if (counter.value != 0) {
      out.spend[limit.head.id] = Value::Money(counter.value, std::move(counter.currency));
    }
  }
  for (ir::RateId id : plan.rates) {
    const ir::Rate& rate = policy.rates[id.index];
    WRIT_ASSIGN_OR_RETURN(int64_t count, tx.CountRateEvents(principal, rate.head.id,
                                                            now - rate.window_millis + 1));
    if (count != 0) out.calls_in_window[rate.head.id] = count;
  }
  for (const ir::Budget& budget : policy.budgets) {
    if (!Counted(budget)) continue;
    WRIT_ASSIGN_OR_RETURN(store::Counter counter, tx.GetCounter(BudgetKey(budget, principal, now)));
    if (counter.value == 0) continue;
    out.budgets[budget.head.id] = budget.kind == ir::BudgetKind::kSpend
                                      ? Value::Money(counter.value, std::move(counter.currency))
                                      : Value::Int(counter.value);
  }
  for (ir::PoolId id : plan.pools) {
    const ir::Pool& pool = policy.pools[id.index];
    WRIT_ASSIGN_OR_RETURN(store::Counter counter, tx.GetCounter(CallPoolKey(pool)));
    if (counter.value != 0) out.pools[pool.head.id] = counter.value;
  }
  return absl::OkStatus();
}

Value CallSpend(const ir::Policy& policy, const Request& request) {
  Value total = Value::Money(0, "");
  std::set<uint32_t> seen;
  for (const ir::LimitRef& ref : policy.tool(request.tool).plan(ir::Phase::kCall).limits) {
    if (!seen.insert(ref.param_slot).second || ref.param_slot >= request.args.elements.size()) {
      continue;
    }
    const Value& amount = request.args.elements[ref.param_slot];
    if (amount.kind != Value::Kind::kMoney) continue;
    if (!total.text.empty() && amount.text != total.text) return Value::Money(0, "");
    if (__builtin_add_overflow(total.number, amount.number, &total.number)) {
      return Value::Money(0, "");
    }
    total.text = amount.text;
  }
  return total;
}

absl::StatusOr<Held> Reserve(store::Transaction& tx, const ir::Policy& policy,
                             const Request& request, const Decision& decision,
                             const store::SessionRow& session, const std::string& principal,
                             int64_t now) {
  std::vector<Reservation> out;
  for (const Charge& charge : decision.obligations.charges) {
    for (const ir::Limit& limit : policy.limits) {
      if (limit.head.id != charge.limit) continue;
      out.push_back({LimitKey(limit, session, principal, now), charge.amount.number,
                     charge.amount.text, false});
    }
  }
  ir::EntityTypeId type = request.entities[request.principal].type;
  Value spend = CallSpend(policy, request);
  for (const ir::Budget& budget : policy.budgets) {
    if (!Counted(budget) || !AppliesTo(budget.principals, type)) continue;
    if (budget.kind == ir::BudgetKind::kCalls) {
      out.push_back({BudgetKey(budget, principal, now), 1, "", false});
    } else if (budget.kind == ir::BudgetKind::kSpend && spend.number != 0) {
      out.push_back({BudgetKey(budget, principal, now), spend.number, spend.text, false});
    }
  }
  const ir::Plan& plan = policy.tool(request.tool).plan(ir::Phase::kCall);
  for (ir::PoolId id : plan.pools) {
    out.push_back({CallPoolKey(policy.pools[id.index]), 1, "", true});
  }
  for (const Reservation& r : out) WRIT_RETURN_IF_ERROR(tx.AddCounter(r.key, r.delta, r.currency));
  for (ir::RateId id : plan.rates) {
    const ir::Rate& rate = policy.rates[id.index];
    if (!AppliesTo(rate.principals, type)) continue;
    WRIT_RETURN_IF_ERROR(tx.AddRateEvent(principal, rate.head.id, now));
    // Events older than the window never count again.
    WRIT_RETURN_IF_ERROR(tx.PruneRateEvents(rate.head.id, now - rate.window_millis));
  }
  return Held{std::move(out), std::move(spend)};
}

absl::Status Release(store::Transaction& tx, const std::vector<Reservation>& reservations,
                     bool pools_only) {
  for (const Reservation& r : reservations) {
    if (pools_only && !r.pool) continue;
    WRIT_RETURN_IF_ERROR(tx.AddCounter(r.key, -r.delta, r.currency));
  }
  return absl::OkStatus();
}

absl::Status CountTokens(store::Transaction& tx, const ir::Policy& policy,
                         ir::EntityTypeId principal_type, const std::string& principal,
                         int64_t tokens, int64_t now) {
  if (tokens == 0) return absl::OkStatus();
  for (const ir::Budget& budget : policy.budgets) {
    if (budget.kind != ir::BudgetKind::kTokens || !Counted(budget) ||
        !AppliesTo(budget.principals, principal_type)) {
      continue;
    }
    WRIT_RETURN_IF_ERROR(tx.AddCounter(BudgetKey(budget, principal, now), tokens, ""));
  }
  return absl::OkStatus();
}

}  // namespace writ::runtime::session_internal
