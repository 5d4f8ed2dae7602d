#include "compiler/ir/types.h"

#include <algorithm>

#include "compiler/base/check.h"

namespace writ::ir {
namespace {

std::string Key(const TypeData& data) {
  std::string key = std::to_string(static_cast<int>(data.kind)) + ":";
  switch (data.kind) {
    case TypeKind::kSet: key += std::to_string(data.element.index); break;
    case TypeKind::kRecord:
      for (const Field& field : data.fields) {
        key +=
            field.name + (field.optional ? "?" : "") + "=" + std::to_string(field.type.index) + ",";
      }
      break;
    case TypeKind::kEntity:
      for (EntityTypeId id : data.entities) key += std::to_string(id.index) + ",";
      break;
    case TypeKind::kEnum: key += std::to_string(data.enum_id.index); break;
    default: break;
  }
  return key;
}

}  // namespace

std::string_view Spelling(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kMoney: return "money";
    case TypeKind::kString: return "string";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kTimestamp: return "timestamp";
    case TypeKind::kSet: return "set";
    case TypeKind::kRecord: return "record";
    case TypeKind::kEntity: return "entity";
    case TypeKind::kEnum: return "enum";
  }
  return "bool";
}

TypeInterner::TypeInterner(std::vector<TypeData>& types) : types_(types) {
  if (types_.empty()) {
    for (TypeKind kind : {TypeKind::kBool, TypeKind::kInt, TypeKind::kMoney, TypeKind::kString,
                          TypeKind::kDuration, TypeKind::kTimestamp}) {
      types_.push_back(TypeData{kind});
    }
  }
  WRIT_CHECK(types_.size() >= kScalarTypeCount);
  for (uint32_t i = 0; i < types_.size(); ++i) index_.emplace(Key(types_[i]), i);
}

TypeId TypeInterner::Intern(TypeData data) {
  auto [it, inserted] = index_.emplace(Key(data), static_cast<uint32_t>(types_.size()));
  if (inserted) types_.push_back(std::move(data));
  return TypeId{it->second};
}

TypeId TypeInterner::SetOf(TypeId element) {
  TypeData data{TypeKind::kSet};
  data.element = element;
  return Intern(std::move(data));
}

TypeId TypeInterner::Record(std::vector<Field> fields) {
  std::sort(fields.begin(), fields.end(),
            [](const Field& a, const Field& b) { return a.name < b.name; });
  TypeData data{TypeKind::kRecord};
  data.fields = std::move(fields);
  return Intern(std::move(data));
}

TypeId TypeInterner::Entity(std::vector<EntityTypeId> entities) {
  std::sort(entities.begin(), entities.end());
  entities.erase(std::unique(entities.begin(), entities.end()), entities.end());
  TypeData data{TypeKind::kEntity};
  data.entities = std::move(entities);
  return Intern(std::move(data));
}

TypeId TypeInterner::Enum(EnumId id) {
  TypeData data{TypeKind::kEnum};
  data.enum_id = id;
  return Intern(std::move(data));
}

int FindField(const TypeData& data, std::string_view name) {
  if (data.kind != TypeKind::kRecord) return -1;
  for (size_t i = 0; i < data.fields.size(); ++i) {
    if (data.fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace writ::ir
