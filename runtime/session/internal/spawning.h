// Admitting sessions (docs/runtime.md, "Spawn"): the `sessions` pools of the agent's class are
// checked and their slots taken in the caller's transaction; a spawn that meets a full
// `then queue` pool waits in the store's spawn queue and is admitted, by priority and then in
// arrival order, when a session ends and frees a slot.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_SPAWNING_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_SPAWNING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/ir/policy.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

struct Admission {
  bool spawned = false;  // the session row was written and its slots taken
  const ir::Pool* full = nullptr;  // otherwise: the first full pool
};

// Spawns `request` if every `sessions` pool of its agent class has a free slot.
absl::StatusOr<Admission> TryAdmit(store::Transaction& tx, const ir::Policy& policy,
                                   const SpawnRequest& request, int64_t now);

// The queue's form of a spawn request, and back; DataLoss for JSON this code did not write.
std::string QueuedRequestJson(const SpawnRequest& request);
absl::StatusOr<SpawnRequest> QueuedRequestFromJson(std::string_view text);

struct Admitted {
  SpawnRequest request;
};

// Admits queued spawns while their pools have room, highest priority first and in arrival
// order within a pool; returns the spawns admitted.
absl::StatusOr<std::vector<Admitted>> AdmitQueued(store::Transaction& tx,
                                                  const ir::Policy& policy, int64_t now);

// The `spawned` event of a session.
Event SpawnedEvent(const SpawnRequest& request, int64_t now, bool from_queue);

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_SPAWNING_H_
