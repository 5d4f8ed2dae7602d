// The request document: its envelope (version, tool, phase, principal, args, result), its
// entities and their hierarchy, and values by their schema type. The runtime's `session` facts
// and `counters` are decoded in internal/request_session.cc.
#include "runtime/request.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <limits>

#include "runtime/internal/request_decode.h"

namespace writ::runtime {
namespace internal {
namespace {

bool IsIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Checks the nesting depth without recursion, before the parser sees the text.
bool DepthWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

}  // namespace

// A short description of a JSON value for messages: "the number 12000", "an object".
std::string Describe(const Json& json) {
  switch (json.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return json.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: {
      std::string text = json.dump();
      if (text.size() > 40) text = text.substr(0, 40) + "...";
      return "the number " + text;
    }
    case Json::value_t::string: {
      const std::string& text = json.get_ref<const std::string&>();
      if (text.size() > 40) return "a string";
      return "the string " + Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "a value";
  }
}

std::string Member(const std::string& path, std::string_view name) {
  if (IsIdentifier(name)) return path + "." + std::string(name);
  std::string quoted = Json(std::string(name)).dump(-1, ' ', false, Json::error_handler_t::replace);
  return path + "[" + quoted + "]";
}

std::string Index(const std::string& path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

Decoder::Decoder(const ir::Policy& policy, const RequestLimits& limits)
    : policy_(policy), limits_(limits) {
  for (uint32_t i = 0; i < policy.entity_types.size(); ++i) {
    entity_types_.emplace(policy.entity_types[i].name, i);
  }
}

void Decoder::Error(const std::string& path, std::string_view code, std::string message) {
  // At least one error is kept whatever the limit says: a request with a problem must fail.
  if (errors_.size() < std::max<size_t>(1, limits_.max_errors)) {
    errors_.push_back({path, std::string(code), std::move(message)});
  }
}

DecodeResult Decoder::Failed() {
  DecodeResult result;
  result.errors = std::move(errors_);
  return result;
}

void Decoder::Missing(const std::string& path, std::string_view name) {
  Error(Member(path, name), "request.missing", fmt::format("`{}` is required", name));
}

bool Decoder::RejectUnknown(const Json& object, const std::string& path,
                            const std::function<bool(std::string_view)>& known) {
  bool ok = true;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (known(it.key())) continue;
    Error(Member(path, it.key()), "request.unknown_field", "no such field");
    ok = false;
  }
  return ok;
}

bool Decoder::RejectUnknown(const Json& object, const std::string& path,
                            std::initializer_list<std::string_view> allowed) {
  return RejectUnknown(object, path, [&](std::string_view key) {
    return std::find(allowed.begin(), allowed.end(), key) != allowed.end();
  });
}

const Json* Decoder::Require(const Json& object, const std::string& path, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end()) {
    Missing(path, name);
    return nullptr;
  }
  return &*it;
}

bool Decoder::ExpectObject(const Json& json, const std::string& path) {
  if (json.is_object()) return true;
  Error(path, "request.type", "expected an object, found " + Describe(json));
  return false;
}

std::optional<std::string> Decoder::DecodeString(const Json& json, const std::string& path) {
  if (!json.is_string()) {
    Error(path, "request.type", "expected a string, found " + Describe(json));
    return std::nullopt;
  }
  const std::string& text = json.get_ref<const std::string&>();
  if (text.size() > limits_.max_string_bytes) {
    Error(path, "request.limit",
          fmt::format("a string is at most {} bytes, this one has {}", limits_.max_string_bytes,
                      text.size()));
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> Decoder::DecodeInt(const Json& json, const std::string& path) {
  if (json.is_number_integer() && !json.is_number_unsigned()) return json.get<int64_t>();
  if (json.is_number_unsigned()) {
    uint64_t value = json.get<uint64_t>();
    if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(value);
    }
    Error(path, "request.range", "the integer does not fit in 64 bits");
    return std::nullopt;
  }
  Error(path, "request.type", "expected an integer, found " + Describe(json));
  return std::nullopt;
}

std::optional<Value> Decoder::DecodeEntityRef(std::span<const ir::EntityTypeId> allowed,
                                              const Json& json, const std::string& path) {
  if (!json.is_object()) {
    Error(path, "request.type",
          "expected an entity such as {\"type\": \"org.User\", \"id\": \"alice\"}, found " +
              Describe(json));
    return std::nullopt;
  }
  RejectUnknown(json, path, {"type", "id"});
  const Json* type_json = Require(json, path, "type");
  const Json* id_json = Require(json, path, "id");
  if (type_json == nullptr || id_json == nullptr) return std::nullopt;
  std::optional<std::string> type_name = DecodeString(*type_json, Member(path, "type"));
  std::optional<std::string> id = DecodeString(*id_json, Member(path, "id"));
  if (!type_name || !id) return std::nullopt;
  auto found = entity_types_.find(*type_name);
  if (found == entity_types_.end()) {
    Error(Member(path, "type"), "request.unknown_type",
          fmt::format("no entity type `{}` in the policy", *type_name));
    return std::nullopt;
  }
  ir::EntityTypeId type{found->second};
  if (!allowed.empty()) {
    bool ok = false;
    for (ir::EntityTypeId candidate : allowed) ok = ok || candidate == type;
    if (!ok) {
      std::string expected;
      for (ir::EntityTypeId candidate : allowed) {
        if (!expected.empty()) expected += " or ";
        expected += policy_.entity_type(candidate).name;
      }
      Error(Member(path, "type"), "request.type",
            fmt::format("expected an entity of type {}, found {}", expected, *type_name));
      return std::nullopt;
    }
  }
  Value value = Value::Entity(type.index, *id);
  if (index_ready_ && !request_.Find(value)) {
    Error(path, "request.unknown_entity",
          fmt::format("{}::\"{}\" is not among the request's entities", *type_name, *id));
    return std::nullopt;
  }
  return value;
}

template <typename Declared>
bool Decoder::DecodeFields(std::span<const Declared> fields, const Json& object,
                           const std::string& path, std::vector<Value>& out) {
  bool ok = true;
  for (size_t i = 0; i < fields.size(); ++i) {
    const Declared& field = fields[i];
    auto it = object.find(field.name);
    if (it == object.end()) {
      if (!field.optional) {
        Missing(path, field.name);
        ok = false;
      }
      continue;
    }
    std::optional<Value> value = DecodeValue(field.type, *it, Member(path, field.name));
    if (!value) {
      ok = false;
      continue;
    }
    out[i] = std::move(*value);
  }
  return ok;
}

std::optional<Value> Decoder::DecodeRecord(const ir::TypeData& type, const Json& json,
                                           const std::string& path) {
  if (!ExpectObject(json, path)) return std::nullopt;
  bool ok = RejectUnknown(
      json, path, [&](std::string_view key) { return ir::FindField(type, key) >= 0; });
  std::vector<Value> fields(type.fields.size());
  ok = DecodeFields(std::span<const ir::Field>(type.fields), json, path, fields) && ok;
  if (!ok) return std::nullopt;
  return Value::Record(std::move(fields));
}

std::optional<Value> Decoder::DecodeValue(ir::TypeId type_id, const Json& json,
                                          const std::string& path) {
  if (Full()) return std::nullopt;
  const ir::TypeData& type = policy_.type(type_id);
  auto scalar = [&](ScalarParse parsed) -> std::optional<Value> {
    if (parsed.ok) return std::move(parsed.value);
    Error(path, parsed.out_of_range ? "request.range" : "request.type",
          parsed.out_of_range ? parsed.error : parsed.error + ", found " + Describe(json));
    return std::nullopt;
  };
  switch (type.kind) {
    case ir::TypeKind::kBool:
      if (!json.is_boolean()) {
        Error(path, "request.type", "expected true or false, found " + Describe(json));
        return std::nullopt;
      }
      return Value::Bool(json.get<bool>());
    case ir::TypeKind::kInt: {
      std::optional<int64_t> value = DecodeInt(json, path);
      if (!value) return std::nullopt;
      return Value::Int(*value);
    }
    case ir::TypeKind::kMoney:
      if (!json.is_string()) return scalar(ParseMoney(""));
      return scalar(ParseMoney(json.get_ref<const std::string&>()));
    case ir::TypeKind::kDuration:
      if (!json.is_string()) return scalar(ParseDuration(""));
      return scalar(ParseDuration(json.get_ref<const std::string&>()));
    case ir::TypeKind::kTimestamp:
      if (!json.is_string()) return scalar(ParseTimestamp(""));
      return scalar(ParseTimestamp(json.get_ref<const std::string&>()));
    case ir::TypeKind::kString: {
      std::optional<std::string> text = DecodeString(json, path);
      if (!text) return std::nullopt;
      return Value::String(std::move(*text));
    }
    case ir::TypeKind::kSet: {
      if (!json.is_array()) {
        Error(path, "request.type", "expected an array, found " + Describe(json));
        return std::nullopt;
      }
      if (json.size() > limits_.max_set_elements) {
        Error(path, "request.limit",
              fmt::format("a set has at most {} elements, this one has {}",
                          limits_.max_set_elements, json.size()));
        return std::nullopt;
      }
      std::vector<Value> elements;
      elements.reserve(json.size());
      bool ok = true;
      for (size_t i = 0; i < json.size() && !Full(); ++i) {
        std::optional<Value> element = DecodeValue(type.element, json[i], Index(path, i));
        if (element) {
          elements.push_back(std::move(*element));
        } else {
          ok = false;
        }
      }
      if (!ok || Full()) return std::nullopt;
      return Value::Set(std::move(elements));
    }
    case ir::TypeKind::kRecord:
      return DecodeRecord(type, json, path);
    case ir::TypeKind::kEntity:
      return DecodeEntityRef(type.entities, json, path);
    case ir::TypeKind::kEnum: {
      const ir::Enum& enumeration = policy_.enums.at(type.enum_id.index);
      if (json.is_string()) {
        const std::string& name = json.get_ref<const std::string&>();
        for (uint32_t i = 0; i < enumeration.members.size(); ++i) {
          if (enumeration.members[i] == name) return Value::EnumMember(type.enum_id.index, i);
        }
      }
      Error(path, "request.type",
            fmt::format("expected a member of {}, found {}", enumeration.name, Describe(json)));
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void Decoder::DecodeEntities(const Json& json, const std::string& path) {
  if (!json.is_array()) {
    Error(path, "request.type", "expected an array of entities, found " + Describe(json));
    return;
  }
  if (json.size() > limits_.max_entities) {
    Error(
        path, "request.limit",
        fmt::format("at most {} entities, this request has {}", limits_.max_entities, json.size()));
    return;
  }
  // First the identities, so that references between entities resolve in any order.
  std::vector<bool> usable(json.size(), false);
  for (size_t i = 0; i < json.size() && !Full(); ++i) {
    const Json& item = json[i];
    std::string item_path = Index(path, i);
    if (!item.is_object()) {
      Error(item_path, "request.type", "expected an entity object, found " + Describe(item));
      continue;
    }
    RejectUnknown(item, item_path, {"type", "id", "attrs", "parents"});
    Json identity = Json::object();
    if (auto it = item.find("type"); it != item.end()) identity["type"] = *it;
    if (auto it = item.find("id"); it != item.end()) identity["id"] = *it;
    std::optional<Value> ref = DecodeEntityRef({}, identity, item_path);
    if (!ref) continue;
    auto key = std::make_pair(ref->ref, ref->text);
    if (request_.index.contains(key)) {
      Error(item_path, "request.type",
            fmt::format("{}::\"{}\" appears more than once", policy_.entity_types[ref->ref].name,
                        ref->text));
      continue;
    }
    request_.index.emplace(key, static_cast<uint32_t>(request_.entities.size()));
    Entity entity;
    entity.type = ir::EntityTypeId{ref->ref};
    entity.id = ref->text;
    request_.entities.push_back(std::move(entity));
    usable[i] = true;
  }
  index_ready_ = true;
  uint32_t next = 0;
  for (size_t i = 0; i < json.size() && !Full(); ++i) {
    if (!usable[i]) continue;
    Entity& entity = request_.entities[next++];
    const ir::EntityType& type = policy_.entity_type(entity.type);
    const Json& item = json[i];
    std::string item_path = Index(path, i);
    entity.attrs.assign(type.attributes.size(), Value());
    bool has_acts_for = type.is_agent() && type.agent->acts_for.valid();
    auto attrs_it = item.find("attrs");
    std::string attrs_path = Member(item_path, "attrs");
    if (attrs_it == item.end()) {
      bool needed = has_acts_for;
      for (const ir::Attribute& attribute : type.attributes) needed = needed || !attribute.optional;
      if (needed) Missing(item_path, "attrs");
    } else if (ExpectObject(*attrs_it, attrs_path)) {
      const Json& attrs = *attrs_it;
      RejectUnknown(attrs, attrs_path, [&](std::string_view key) {
        if (has_acts_for && key == "acts_for") return true;
        for (const ir::Attribute& attribute : type.attributes) {
          if (attribute.name == key) return true;
        }
        return false;
      });
      DecodeFields(std::span<const ir::Attribute>(type.attributes), attrs, attrs_path,
                   entity.attrs);
      if (has_acts_for) {
        auto it = attrs.find("acts_for");
        ir::EntityTypeId allowed[] = {type.agent->acts_for};
        if (it == attrs.end()) {
          Missing(attrs_path, "acts_for");
        } else if (std::optional<Value> ref =
                       DecodeEntityRef(allowed, *it, Member(attrs_path, "acts_for"))) {
          entity.acts_for = request_.Find(*ref);
        }
      }
    }
    if (auto parents_it = item.find("parents"); parents_it != item.end()) {
      std::string parents_path = Member(item_path, "parents");
      if (!parents_it->is_array()) {
        Error(parents_path, "request.type", "expected an array, found " + Describe(*parents_it));
      } else if (parents_it->size() > limits_.max_parents) {
        Error(parents_path, "request.limit",
              fmt::format("an entity has at most {} parents, this one has {}", limits_.max_parents,
                          parents_it->size()));
      } else if (type.parents.empty() && !parents_it->empty()) {
        Error(parents_path, "request.type",
              fmt::format("an entity of type {} cannot be in another entity", type.name));
      } else {
        for (size_t p = 0; p < parents_it->size(); ++p) {
          if (std::optional<Value> ref =
                  DecodeEntityRef(type.parents, (*parents_it)[p], Index(parents_path, p))) {
            entity.parents.push_back(*request_.Find(*ref));
          }
        }
      }
    }
  }
}

void Decoder::CheckCycles() {
  // Iterative depth-first search: white 0, on the stack 1, done 2.
  std::vector<uint8_t> color(request_.entities.size(), 0);
  for (uint32_t root = 0; root < request_.entities.size(); ++root) {
    if (color[root] != 0) continue;
    std::vector<std::pair<uint32_t, size_t>> stack = {{root, 0}};
    color[root] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const std::vector<uint32_t>& parents = request_.entities[node].parents;
      if (next == parents.size()) {
        color[node] = 2;
        stack.pop_back();
        continue;
      }
      uint32_t parent = parents[next++];
      if (color[parent] == 1) {
        const Entity& entity = request_.entities[parent];
        Error("$.entities", "request.cycle",
              fmt::format("the hierarchy has a cycle through {}::\"{}\"",
                          policy_.entity_type(entity.type).name, entity.id));
        return;
      }
      if (color[parent] == 0) {
        color[parent] = 1;
        stack.push_back({parent, 0});
      }
    }
  }
}

Json Decoder::ParseWithin(std::string_view text, const std::string& path) {
  if (text.size() > limits_.max_bytes) {
    Error(path, "request.limit",
          fmt::format("a request is at most {} bytes, this one has {}", limits_.max_bytes,
                      text.size()));
    return Json(Json::value_t::discarded);
  }
  if (!DepthWithin(text, limits_.max_depth)) {
    Error(path, "request.limit",
          fmt::format("a request nests at most {} levels deep", limits_.max_depth));
    return Json(Json::value_t::discarded);
  }
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    Error(path, "request.json",
          path == "$" ? "the request is not valid JSON" : fmt::format("{} is not valid JSON", path));
  }
  return json;
}

DecodeResult Decoder::Run(std::string_view text) {
  Json json = ParseWithin(text, "$");
  if (!errors_.empty()) return Failed();
  if (!json.is_object()) {
    Error("$", "request.json", "the request must be a JSON object, found " + Describe(json));
  }
  if (!errors_.empty()) return Failed();

  auto version = json.find("version");
  if (version == json.end()) {
    Error("$.version", "request.version", "`version` is required; this reader knows version 1");
  } else if (!version->is_number_integer() || version->get<int64_t>() != 1) {
    Error("$.version", "request.version",
          "unknown version " + Describe(*version) + "; this reader knows version 1");
  }
  if (!errors_.empty()) return Failed();
  RejectUnknown(json, "$",
                {"version", "tool", "phase", "principal", "entities", "args", "result", "session",
                 "counters"});

  const ir::Tool* tool = nullptr;
  if (const Json* tool_json = Require(json, "$", "tool")) {
    if (std::optional<std::string> name = DecodeString(*tool_json, "$.tool")) {
      request_.tool = ir::FindTool(policy_, *name);
      if (request_.tool.valid()) {
        tool = &policy_.tool(request_.tool);
      } else {
        Error("$.tool", "request.unknown_tool", fmt::format("no tool `{}` in the policy", *name));
      }
    }
  }
  bool phase_ok = false;
  if (const Json* phase = Require(json, "$", "phase")) {
    if (phase->is_string() && *phase == "call") {
      request_.phase = ir::Phase::kCall;
      phase_ok = true;
    } else if (phase->is_string() && *phase == "result") {
      request_.phase = ir::Phase::kResult;
      phase_ok = true;
    } else {
      Error("$.phase", "request.type",
            "expected \"call\" or \"result\", found " + Describe(*phase));
    }
  }
  if (const Json* entities = Require(json, "$", "entities")) {
    DecodeEntities(*entities, "$.entities");
    CheckCycles();
  }
  index_ready_ = true;
  if (const Json* principal = Require(json, "$", "principal")) {
    if (std::optional<Value> ref = DecodeEntityRef({}, *principal, "$.principal")) {
      request_.principal = *request_.Find(*ref);
      if (!policy_.entity_type(ir::EntityTypeId{ref->ref}).is_agent()) {
        Error("$.principal.type", "request.type",
              fmt::format("the principal must be an agent; {} is not one",
                          policy_.entity_types[ref->ref].name));
      }
    }
  }
  if (tool != nullptr) {
    if (const Json* args = Require(json, "$", "args")) {
      if (std::optional<Value> value = DecodeValue(tool->args, *args, "$.args")) {
        request_.args = std::move(*value);
      }
    }
    auto result_json = json.find("result");
    if (phase_ok && request_.phase == ir::Phase::kResult && tool->result.has_value()) {
      if (result_json == json.end()) {
        Error("$.result", "request.missing", "`result` is required in the result phase");
      } else if (std::optional<Value> value =
                     DecodeValue(*tool->result, *result_json, "$.result")) {
        request_.result = std::move(*value);
      }
    } else if (result_json != json.end() && phase_ok) {
      Error("$.result", "request.unknown_field",
            request_.phase == ir::Phase::kCall
                ? "`result` belongs to the result phase"
                : fmt::format("the tool `{}` declares no result", tool->name));
    }
  }
  if (auto session = json.find("session"); session != json.end()) {
    DecodeSession(*session, "$.session");
  }
  if (auto counters = json.find("counters"); counters != json.end()) {
    DecodeCounters(*counters, "$.counters");
  }
  if (!errors_.empty()) return Failed();
  DecodeResult result;
  result.request = std::move(request_);
  return result;
}

}  // namespace internal

std::optional<uint32_t> Request::Find(const Value& entity_ref) const {
  auto it = index.find(std::make_pair(entity_ref.ref, entity_ref.text));
  if (it == index.end()) return std::nullopt;
  return it->second;
}

namespace {

// Runs one decoder. Only allocation failures throw here; the request is refused rather than
// crashing.
template <typename Body>
DecodeResult Guarded(const ir::Policy& policy, const RequestLimits& limits, Body&& body) {
  try {
    internal::Decoder decoder(policy, limits);
    return body(decoder);
  } catch (const std::exception& e) {
    DecodeResult result;
    result.errors.push_back({"$", "request.limit", std::string("cannot decode: ") + e.what()});
    return result;
  }
}

}  // namespace

DecodeResult DecodeRequest(const ir::Policy& policy, std::string_view json,
                           const RequestLimits& limits) {
  return Guarded(policy, limits, [&](internal::Decoder& d) { return d.Run(json); });
}

DecodeResult DecodeWorld(const ir::Policy& policy, std::string_view entities_json,
                         std::string_view agent_type, std::string_view agent_id,
                         const RequestLimits& limits) {
  return Guarded(policy, limits, [&](internal::Decoder& d) {
    return d.RunWorld(entities_json, agent_type, agent_id);
  });
}

DecodeResult DecodeCall(const ir::Policy& policy, const Request& world, ir::ToolId tool,
                        ir::Phase phase, std::string_view args_json,
                        std::optional<std::string_view> result_json,
                        const RequestLimits& limits) {
  return Guarded(policy, limits, [&](internal::Decoder& d) {
    return d.RunCall(world, tool, phase, args_json, result_json);
  });
}

}  // namespace writ::runtime
