// The runtime's counters (docs/runtime.md, "Building a request"): which store key counts what
// for whom, how the counters become the `counters` of a request, and what an allowed call
// reserves. Every function runs inside the caller's transaction.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_ACCOUNTING_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_ACCOUNTING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/request.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

using Json = nlohmann::ordered_json;

// "procurement.ProcurementBot::bot-7": whom period counters and rate windows count.
std::string PrincipalKey(std::string_view type, std::string_view id);

// The start (ms, UTC) of the calendar period containing `now`; 0 for `call` and `task`.
int64_t PeriodStart(ir::Period period, int64_t now);

// One change an allowed call made to a counter, undone when the call fails.
struct Reservation {
  std::string key;
  int64_t delta = 0;
  std::string currency;
  bool pool = false;  // a call in flight: released when the call completes, too
};

// What an allowed step holds until it completes or fails: its reservations, and the money it
// spends, which Complete adds to the session's `spent` without deciding the call again.
struct Held {
  std::vector<Reservation> reservations;
  // nullopt for a step stored by a writ that did not record it (a JSON array, schema v2's
  // form): Complete then works it out from the step's arguments.
  std::optional<Value> spend;
};

// {"spend": {"units": 100, "currency": "USD"}, "reservations": [...]}; "spend" is left out
// when the call spends nothing.
std::string HeldToJson(const Held& held);
// Also reads the older form, a bare array of reservations. Fails (DataLoss) for JSON that this
// code did not write.
absl::StatusOr<Held> HeldFromJson(std::string_view text);

// Fills the counters of a request to `tool` by `principal` in session `session` at `now`.
absl::Status ReadCounters(store::Transaction& tx, const ir::Policy& policy, ir::ToolId tool,
                          const store::SessionRow& session, const std::string& principal,
                          int64_t now, Counters& out);

// The money this call spends: the distinct money parameters that spending limits count, summed
// (zero when none, or when they are in different currencies).
Value CallSpend(const ir::Policy& policy, const Request& request);

// Reserves what an allowed call consumes and records its rate events: spend for each charged
// limit and each period spend budget, one call for each period calls budget, one call in flight
// for each `calls` pool. Returns the reservations, already applied, and the call's spend.
absl::StatusOr<Held> Reserve(store::Transaction& tx, const ir::Policy& policy,
                                                 const Request& request, const Decision& decision,
                                                 const store::SessionRow& session,
                                                 const std::string& principal, int64_t now);

// Applies the reservations negated: all of them when the call failed, only the pools' when it
// completed (its spend stays counted).
absl::Status Release(store::Transaction& tx, const std::vector<Reservation>& reservations,
                     bool pools_only);

// Adds `tokens` to the principal's period tokens budgets.
absl::Status CountTokens(store::Transaction& tx, const ir::Policy& policy,
                         ir::EntityTypeId principal_type, const std::string& principal,
                         int64_t tokens, int64_t now);

// The counter key of a `sessions` pool, shared by spawn and terminate.
std::string SessionPoolKey(const ir::Pool& pool);

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_ACCOUNTING_H_
