// The schema: checker types to IR types, entity types and agents, enums, and tools (one IR
// tool per name, whichever packages declare it).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "compiler/base/check.h"
#include "compiler/lower/internal/lowerer.h"

namespace writ::lower::internal {

ir::TypeId Lowerer::Type(check::Type type, std::optional<ir::TypeId> hint) {
  if (auto it = type_cache_.find(type.index); it != type_cache_.end()) return it->second;
  bool untyped = false;
  ir::TypeId converted = ConvertType(type, hint, untyped);
  // Types with an untyped part depend on the hint, so only the others are cached.
  if (!untyped) type_cache_.emplace(type.index, converted);
  return converted;
}

ir::TypeId Lowerer::ConvertType(check::Type type, std::optional<ir::TypeId> hint, bool& untyped) {
  const check::TypeData& data = program_.types.data(type);
  switch (data.kind) {
    case check::TypeKind::kError: untyped = true; return hint.value_or(ir::kStringType);
    case check::TypeKind::kBool: return ir::kBoolType;
    case check::TypeKind::kInt: return ir::kIntType;
    case check::TypeKind::kMoney: return ir::kMoneyType;
    case check::TypeKind::kString: return ir::kStringType;
    case check::TypeKind::kDuration: return ir::kDurationType;
    case check::TypeKind::kTimestamp: return ir::kTimestampType;
    case check::TypeKind::kSet: {
      bool element_untyped = false;
      std::optional<ir::TypeId> element_hint;
      if (hint && type_data(*hint).kind == ir::TypeKind::kSet)
        element_hint = type_data(*hint).element;
      ir::TypeId element = ConvertType(data.element, element_hint, element_untyped);
      if (element_untyped) {
        untyped = true;
        if (hint && type_data(*hint).kind == ir::TypeKind::kSet) return *hint;
      }
      return types_.SetOf(element);
    }
    case check::TypeKind::kRecord: {
      std::vector<ir::Field> fields;
      for (const check::Field& field : data.fields) {
        std::optional<ir::TypeId> field_hint;
        if (hint) {
          int index = ir::FindField(type_data(*hint), field.name);
          if (index >= 0) field_hint = type_data(*hint).fields[index].type;
        }
        fields.push_back(
            {field.name, ConvertType(field.type, field_hint, untyped), field.optional});
      }
      return types_.Record(std::move(fields));
    }
    case check::TypeKind::kEntity: {
      std::vector<ir::EntityTypeId> entities;
      for (check::EntityTypeId id : data.entities) entities.push_back(ir::EntityTypeId{id.index});
      return types_.Entity(std::move(entities));
    }
    case check::TypeKind::kEnum: return types_.Enum(ir::EnumId{data.enum_id.index});
  }
  return ir::kStringType;
}

void Lowerer::LowerSchema() {
  // Entity types and enums keep the checker's ids, so types convert without a map.
  for (const check::EntityType& entity : program_.entity_types) {
    ir::EntityType out;
    out.name = entity.qualified_name;
    out.package = ir::PackageId{entity.package.index};
    for (const check::Attribute& attr : entity.attributes) {
      out.attributes.push_back({attr.name, Type(attr.type), attr.optional});
    }
    for (check::EntityTypeId parent : entity.parents)
      out.parents.push_back(ir::EntityTypeId{parent.index});
    if (entity.agent) {
      ir::AgentInfo agent;
      if (entity.agent->acts_for.valid())
        agent.acts_for = ir::EntityTypeId{entity.agent->acts_for.index};
      for (const check::Credential& credential : entity.agent->credentials) {
        agent.credentials.push_back({credential.name, credential.scopes, credential.ttl_millis});
      }
      out.agent = std::move(agent);
    }
    out.loc = LocOf(entity.span);
    policy_.entity_types.push_back(std::move(out));
  }
  for (const check::EnumType& e : program_.enums) {
    policy_.enums.push_back(ir::Enum{e.qualified_name, e.members, e.stdlib_enum, LocOf(e.span)});
  }
}

void Lowerer::LowerTools() {
  // A call names its tool without a package: every declaration of one name is one IR tool (the
  // checker made sure they agree), in name order so the runtime can search by name.
  std::map<std::string, std::vector<check::ToolId>> by_name;
  for (uint32_t i = 0; i < program_.tools.size(); ++i) {
    by_name[program_.tools[i].name].push_back(check::ToolId{i});
  }
  tool_ids_.resize(program_.tools.size());
  for (const auto& [name, ids] : by_name) {
    const check::Tool& first = program_.tool(ids.front());
    ir::Tool tool;
    tool.name = name;
    std::vector<ir::Field> params;
    for (const check::Attribute& param : first.params) {
      params.push_back({param.name, Type(param.type), param.optional});
    }
    tool.args = types_.Record(std::move(params));
    if (first.result) tool.result = Type(*first.result);
    for (check::ToolId id : ids) {
      ir::PackageId package{program_.tool(id).package.index};
      if (std::find(tool.packages.begin(), tool.packages.end(), package) == tool.packages.end()) {
        tool.packages.push_back(package);
      }
      tool_ids_[id.index] = ir::ToolId{static_cast<uint32_t>(policy_.tools.size())};
    }
    std::sort(tool.packages.begin(), tool.packages.end());
    tool.loc = LocOf(first.span);
    policy_.tools.push_back(std::move(tool));
  }
}

std::vector<ir::ToolId> Lowerer::Tools(const std::vector<check::ToolId>& tools) const {
  std::vector<ir::ToolId> out;
  for (check::ToolId id : tools) out.push_back(tool_ids_.at(id.index));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace writ::lower::internal
