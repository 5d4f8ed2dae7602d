// A request for a decision (docs/requests.md), decoded and validated against a policy's schema.
// Decoding never throws and never crashes on hostile input: every problem becomes a
// RequestError naming its JSON path, and a request with errors gets no evaluation.
#ifndef WRIT_RUNTIME_REQUEST_H_
#define WRIT_RUNTIME_REQUEST_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/value.h"

namespace writ::runtime {

// The limits of docs/requests.md; exceeding one is `request.limit`.
struct RequestLimits {
  size_t max_bytes = 1 << 20;
  int max_depth = 64;
  size_t max_string_bytes = 64 * 1024;
  size_t max_set_elements = 10000;
  size_t max_entities = 10000;
  size_t max_parents = 100;
  size_t max_errors = 20;  // errors reported per request; at least one is, even when 0
};

// One entity of the request. Attribute values are aligned with the entity type's attributes
// (kAbsent for an optional attribute not given).
struct Entity {
  ir::EntityTypeId type;
  std::string id;
  std::vector<Value> attrs;
  std::optional<uint32_t> acts_for;  // index into Request::entities
  std::vector<uint32_t> parents;     // indexes into Request::entities
};

// What the runtime counted, keyed by declaration id; absent entries are zero.
struct Counters {
  std::map<std::string, Value, std::less<>> spend;              // limit id -> money
  std::map<std::string, int64_t, std::less<>> calls_in_window;  // rate id -> calls
  std::map<std::string, Value, std::less<>> budgets;  // budget id -> int, duration or money
  std::map<std::string, int64_t, std::less<>> pools;  // pool id -> in flight
};

struct Request {
  ir::ToolId tool;
  ir::Phase phase = ir::Phase::kCall;
  uint32_t principal = 0;  // index into entities; an agent
  std::vector<Entity> entities;
  Value args;                   // a record of the tool's `args` type
  std::optional<Value> result;  // the result phase, when the tool declares a result
  // The facts given, by ir::SessionFact; absent ones take the defaults of docs/requests.md
  // (kElapsed is never given: it is now minus started_at).
  std::array<std::optional<Value>, ir::kSessionFactCount> session;
  Counters counters;
  // (entity type, id) -> index into entities.
  std::map<std::pair<uint32_t, std::string>, uint32_t, std::less<>> index;

  // The index of the entity a reference value names; nullopt if it is not in the request.
  std::optional<uint32_t> Find(const Value& entity_ref) const;
};

// A problem of a request: `code` is one of docs/requests.md (`request.type`, ...), `path` a JSON
// path such as `$.args.amount`.
struct RequestError {
  std::string path;
  std::string code;
  std::string message;
};

struct DecodeResult {
  std::optional<Request> request;  // set exactly when errors is empty
  std::vector<RequestError> errors;
  bool ok() const { return request.has_value(); }
};

// Decodes `json` as a request against `policy`. Never throws; on any problem the result holds
// up to limits.max_errors errors and no request.
DecodeResult DecodeRequest(const ir::Policy& policy, std::string_view json,
                           const RequestLimits& limits = {});

// The session runtime's way in (docs/runtime.md, "Building a request"), which skips a JSON
// document per call: a session's world (its entities, the agent among them as the principal)
// is decoded once, and each call's arguments, and in the result phase its result, are decoded
// into a copy of it. The runtime then sets the session facts and counters itself. Errors name
// the same paths as DecodeRequest's (`$.entities[2].id`, `$.args.amount`).
DecodeResult DecodeWorld(const ir::Policy& policy, std::string_view entities_json,
                         std::string_view agent_type, std::string_view agent_id,
                         const RequestLimits& limits = {});
// `result_json` is required exactly when `phase` is the result phase of a tool with a result.
DecodeResult DecodeCall(const ir::Policy& policy, const Request& world, ir::ToolId tool,
                        ir::Phase phase, std::string_view args_json,
                        std::optional<std::string_view> result_json,
                        const RequestLimits& limits = {});

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_REQUEST_H_
