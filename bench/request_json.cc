#include "bench/request_json.h"

#include <nlohmann/json.hpp>

namespace writ::bench {
namespace {

using Json = nlohmann::ordered_json;

Json EntityRef(const ir::Policy& policy, uint32_t type, const std::string& id) {
  return Json{{"type", policy.entity_types[type].name}, {"id", id}};
}

// Values carry their kind; only records (field names) and sets (their element type) need the
// type the schema gives their position.
Json Encode(const ir::Policy& policy, ir::TypeId type, const runtime::Value& value) {
  using Kind = runtime::Value::Kind;
  switch (value.kind) {
    case Kind::kAbsent:
      return nullptr;
    case Kind::kBool:
      return value.number != 0;
    case Kind::kInt:
      return value.number;
    case Kind::kMoney:
      return ir::FormatMoney(value.number, value.text);
    case Kind::kString:
      return value.text;
    case Kind::kDuration:
      return ir::FormatDuration(value.number);
    case Kind::kTimestamp:
      return ir::FormatTimestamp(value.number);
    case Kind::kEntity:
      return EntityRef(policy, value.ref, value.text);
    case Kind::kEnum:
      return policy.enums[value.ref].members[static_cast<size_t>(value.number)];
    case Kind::kSet: {
      Json elements = Json::array();
      for (const runtime::Value& element : value.elements) {
        elements.push_back(Encode(policy, policy.type(type).element, element));
      }
      return elements;
    }
    case Kind::kRecord: {
      Json record = Json::object();
      const std::vector<ir::Field>& fields = policy.type(type).fields;
      for (size_t i = 0; i < fields.size() && i < value.elements.size(); ++i) {
        if (value.elements[i].kind == Kind::kAbsent) continue;
        record[fields[i].name] = Encode(policy, fields[i].type, value.elements[i]);
      }
      return record;
    }
  }
  return nullptr;
}

Json EncodeMap(const auto& counters, auto&& encode) {
  Json map = Json::object();
  for (const auto& [id, value] : counters) map[id] = encode(value);
  return map;
}

}  // namespace

std::string EncodeRequest(const ir::Policy& policy, const runtime::Request& request,
                          int64_t clock) {
  const ir::Tool& tool = policy.tool(request.tool);
  Json json = Json::object();
  json["version"] = 1;
  json["tool"] = tool.name;
  json["phase"] = std::string(ir::Spelling(request.phase));
  const runtime::Entity& principal = request.entities[request.principal];
  json["principal"] = EntityRef(policy, principal.type.index, principal.id);
  Json entities = Json::array();
  for (const runtime::Entity& entity : request.entities) {
    Json item = EntityRef(policy, entity.type.index, entity.id);
    const ir::EntityType& type = policy.entity_type(entity.type);
    Json attrs = Json::object();
    if (entity.acts_for.has_value()) {
      const runtime::Entity& target = request.entities[*entity.acts_for];
      attrs["acts_for"] = EntityRef(policy, target.type.index, target.id);
    }
    for (size_t i = 0; i < type.attributes.size() && i < entity.attrs.size(); ++i) {
      if (entity.attrs[i].kind == runtime::Value::Kind::kAbsent) continue;
      attrs[type.attributes[i].name] = Encode(policy, type.attributes[i].type, entity.attrs[i]);
    }
    item["attrs"] = std::move(attrs);
    if (!entity.parents.empty()) {
      Json parents = Json::array();
      for (uint32_t parent : entity.parents) {
        const runtime::Entity& target = request.entities[parent];
        parents.push_back(EntityRef(policy, target.type.index, target.id));
      }
      item["parents"] = std::move(parents);
    }
    entities.push_back(std::move(item));
  }
  json["entities"] = std::move(entities);
  json["args"] = Encode(policy, tool.args, request.args);
  if (request.result.has_value() && tool.result.has_value()) {
    json["result"] = Encode(policy, *tool.result, *request.result);
  }
  Json session = Json::object();
  for (size_t i = 0; i < request.session.size(); ++i) {
    if (!request.session[i].has_value()) continue;
    auto fact = static_cast<ir::SessionFact>(i);
    // Session facts are scalars, so the type given is never read.
    session[std::string(ir::Spelling(fact))] = Encode(policy, ir::kIntType, *request.session[i]);
  }
  const auto& elapsed = request.session[static_cast<size_t>(ir::SessionFact::kElapsed)];
  const auto& now = request.session[static_cast<size_t>(ir::SessionFact::kNow)];
  if (elapsed.has_value() &&
      !request.session[static_cast<size_t>(ir::SessionFact::kStartedAt)].has_value()) {
    session.erase("elapsed");
    session["started_at"] =
        ir::FormatTimestamp((now.has_value() ? now->number : clock) - elapsed->number);
  }
  if (!session.empty()) json["session"] = std::move(session);
  auto value = [&](const runtime::Value& v) { return Encode(policy, ir::kIntType, v); };
  auto number = [](int64_t n) { return Json(n); };
  Json counters = Json::object();
  if (!request.counters.spend.empty()) counters["spend"] = EncodeMap(request.counters.spend, value);
  if (!request.counters.calls_in_window.empty()) {
    counters["calls_in_window"] = EncodeMap(request.counters.calls_in_window, number);
  }
  if (!request.counters.budgets.empty()) {
    counters["budgets"] = EncodeMap(request.counters.budgets, value);
  }
  if (!request.counters.pools.empty()) counters["pools"] = EncodeMap(request.counters.pools, number);
  if (!counters.empty()) json["counters"] = std::move(counters);
  // Replacing invalid UTF-8 rather than throwing: the request came from a decoded policy, so
  // there is none, and the project has no exceptions outside the ANTLR wall.
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace writ::bench
