#include "runtime/session/internal/spawning.h"

#include <fmt/format.h>

#include <set>

#include "compiler/base/status.h"
#include "runtime/session/internal/accounting.h"

namespace writ::runtime::session_internal {

absl::StatusOr<Admission> TryAdmit(store::Transaction& tx, const ir::Policy& policy,
                                   const SpawnRequest& request, int64_t now) {
  std::vector<std::string> slots;
  for (const ir::Pool& pool : policy.pools) {
    if (pool.counts_calls) continue;
    bool governs = false;
    for (ir::EntityTypeId type : pool.agents) {
      governs |= policy.entity_type(type).name == request.agent_type;
    }
    if (!governs) continue;
    std::string key = SessionPoolKey(pool);
    WRIT_ASSIGN_OR_RETURN(store::Counter running, tx.GetCounter(key));
    if (running.value >= pool.size) return Admission{false, &pool};
    slots.push_back(std::move(key));
  }
  for (const std::string& key : slots) WRIT_RETURN_IF_ERROR(tx.AddCounter(key, 1, ""));
  store::SessionRow row;
  row.id = request.session;
  row.agent_type = request.agent_type;
  row.agent_id = request.agent_id;
  row.task = request.task;
  row.world_json = request.entities_json;
  row.started_at = now;
  WRIT_RETURN_IF_ERROR(tx.PutSession(row));
  return Admission{true, nullptr};
}

std::string QueuedRequestJson(const SpawnRequest& request) {
  return Json{{"session", request.session},   {"agent_type", request.agent_type},
              {"agent_id", request.agent_id}, {"task", request.task},
              {"entities", request.entities_json}, {"priority", request.priority}}
      .dump();
}

absl::StatusOr<SpawnRequest> QueuedRequestFromJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto text_of = [&](const char* key) -> const Json* {
    if (!json.is_object()) return nullptr;
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? &*it : nullptr;
  };
  const Json* session = text_of("session");
  const Json* type = text_of("agent_type");
  const Json* id = text_of("agent_id");
  const Json* task = text_of("task");
  const Json* entities = text_of("entities");
  bool has_priority = json.is_object() && json.contains("priority") &&
                      json["priority"].is_number_integer();
  if (!session || !type || !id || !task || !entities || !has_priority) {
    return absl::DataLossError("a queued spawn request is malformed");
  }
  return SpawnRequest{session->get<std::string>(), type->get<std::string>(),
                      id->get<std::string>(),      task->get<std::string>(),
                      entities->get<std::string>(), json["priority"].get<int>()};
}

Event SpawnedEvent(const SpawnRequest& request, int64_t now, bool from_queue) {
  Json detail = {{"agent", PrincipalKey(request.agent_type, request.agent_id)},
                 {"task", request.task}};
  if (from_queue) detail["from_queue"] = true;
  return {"spawned", request.session, "", now, detail.dump()};
}

absl::StatusOr<std::vector<Admitted>> AdmitQueued(store::Transaction& tx,
                                                  const ir::Policy& policy, int64_t now) {
  WRIT_ASSIGN_OR_RETURN(std::vector<store::QueuedSpawnRow> queued, tx.ListQueuedSpawns());
  std::vector<Admitted> admitted;
  std::set<std::string> blocked;  // pools whose head could not be admitted: the rest wait too
  for (const store::QueuedSpawnRow& row : queued) {
    if (blocked.contains(row.pool)) continue;
    WRIT_ASSIGN_OR_RETURN(SpawnRequest request, QueuedRequestFromJson(row.request_json));
    WRIT_ASSIGN_OR_RETURN(Admission admission, TryAdmit(tx, policy, request, now));
    if (!admission.spawned) {
      blocked.insert(row.pool);
      continue;
    }
    WRIT_RETURN_IF_ERROR(tx.DeleteQueuedSpawn(row.session));
    admitted.push_back({std::move(request)});
  }
  return admitted;
}

}  // namespace writ::runtime::session_internal
