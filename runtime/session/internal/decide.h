// How the session runtime decides a step (docs/runtime.md, "Building a request"): the request is
// filled directly from the session row, its world (decoded once per session and cached) and
// the store's counters, then evaluated. Nothing goes through a JSON request document.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_DECIDE_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_DECIDE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/evaluator.h"
#include "runtime/request.h"
#include "runtime/session/internal/accounting.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

// Sessions' worlds, decoded once. A world never changes after spawn, so an entry stays right;
// the cache forgets everything when it grows past its capacity. Thread-safe.
class WorldCache {
 public:
  explicit WorldCache(const ir::Policy& policy, size_t capacity = 4096)
      : policy_(policy), capacity_(capacity) {}

  // The decoded world of `row`: a request with its entities and principal, or the errors that
  // kept it from decoding.
  std::shared_ptr<const DecodeResult> Get(const store::SessionRow& row);
  // The entity type of the session's agent; nullopt when its world does not decode.
  std::optional<ir::EntityTypeId> PrincipalType(const store::SessionRow& row);

 private:
  struct Entry {
    std::string world_json;  // what was decoded, to tell a reused session id
    std::shared_ptr<const DecodeResult> decoded;
  };
  const ir::Policy& policy_;
  const size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

// The request of a step and its decision; `request` is empty when it did not decode, and the
// decision is then the request-error deny.
struct Decided {
  std::optional<Request> request;
  Decision decision;
};

struct StepCall {
  std::string_view tool;
  ir::Phase phase = ir::Phase::kCall;
  std::string_view args_json;
  std::optional<std::string_view> result_json;  // the result phase
};

// Builds the request of `call` in `row` at `now`, with the counters read in `tx`, and decides
// it unless `evaluate` is false (the request alone is wanted).
absl::StatusOr<Decided> Decide(store::Transaction& tx, const ir::Policy& policy,
                               const Evaluator& evaluator, WorldCache& worlds,
                               const store::SessionRow& row, const StepCall& call, int64_t now,
                               bool evaluate = true);

// The money a completed step spends: what Authorize recorded in `held`, or, for a step stored
// before writ recorded it, what its arguments say; nullopt when they do not decode.
absl::StatusOr<std::optional<Value>> SpendOf(store::Transaction& tx, const ir::Policy& policy,
                                             const Evaluator& evaluator, WorldCache& worlds,
                                             const Held& held, const store::StepRow& step,
                                             const store::SessionRow& row, int64_t now);

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_DECIDE_H_
