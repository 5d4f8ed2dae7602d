// The session runtime's way in (runtime/request.h, DecodeWorld and DecodeCall): a session's
// world decoded once at its first call, and each call's arguments and result decoded into a
// copy of it, with the same checks and error paths as a whole request document.
#include <fmt/format.h>

#include <string>
#include <utility>

#include "runtime/internal/request_decode.h"

namespace writ::runtime::internal {

DecodeResult Decoder::RunWorld(std::string_view entities_json, std::string_view agent_type,
                               std::string_view agent_id) {
  Json entities = ParseWithin(entities_json, "$.entities");
  if (!errors_.empty()) return Failed();
  DecodeEntities(entities, "$.entities");
  CheckCycles();
  if (!errors_.empty()) return Failed();
  index_ready_ = true;
  auto type = entity_types_.find(agent_type);
  std::optional<uint32_t> principal;
  if (type != entity_types_.end()) {
    principal = request_.Find(Value::Entity(type->second, std::string(agent_id)));
  }
  if (!principal) {
    Error("$.principal", "request.unknown_entity",
          fmt::format("the entities hold no {} `{}`", agent_type, agent_id));
  } else if (!policy_.entity_type(request_.entities[*principal].type).is_agent()) {
    Error("$.principal.type", "request.type",
          fmt::format("the principal must be an agent; {} is not one", agent_type));
  }
  if (!errors_.empty()) return Failed();
  request_.principal = *principal;
  DecodeResult result;
  result.request = std::move(request_);
  return result;
}

DecodeResult Decoder::RunCall(const Request& world, ir::ToolId tool, ir::Phase phase,
                              std::string_view args_json,
                              std::optional<std::string_view> result_json) {
  if (!tool.valid() || tool.index >= policy_.tools.size()) {
    Error("$.tool", "request.unknown_tool", "no such tool in the policy");
    return Failed();
  }
  request_ = world;
  request_.tool = tool;
  request_.phase = phase;
  index_ready_ = true;
  const ir::Tool& declared = policy_.tool(tool);
  Json args = ParseWithin(args_json, "$.args");
  if (!errors_.empty()) return Failed();
  if (std::optional<Value> value = DecodeValue(declared.args, args, "$.args")) {
    request_.args = std::move(*value);
  }
  if (phase == ir::Phase::kResult && declared.result.has_value()) {
    if (!result_json) {
      Error("$.result", "request.missing", "`result` is required in the result phase");
    } else {
      Json result = ParseWithin(*result_json, "$.result");
      if (!result.is_discarded()) {
        if (std::optional<Value> value = DecodeValue(*declared.result, result, "$.result")) {
          request_.result = std::move(*value);
        }
      }
    }
  }
  if (!errors_.empty()) return Failed();
  DecodeResult decoded;
  decoded.request = std::move(request_);
  return decoded;
}

}  // namespace writ::runtime::internal
