#include "compiler/check/types.h"

#include <algorithm>
#include <utility>

#include "compiler/base/check.h"

namespace writ::check {
namespace {

std::string Key(const TypeData& data) {
  std::string key = std::to_string(static_cast<int>(data.kind));
  switch (data.kind) {
    case TypeKind::kMoney:
      key += ":" + data.currency;
      break;
    case TypeKind::kSet:
      key += ":" + std::to_string(data.element.index);
      break;
    case TypeKind::kRecord:
      for (const Field& field : data.fields) {
        key += ":" + field.name + (field.optional ? "?" : "") + "=" +
               std::to_string(field.type.index);
      }
      break;
    case TypeKind::kEntity:
      for (EntityTypeId id : data.entities) key += ":" + std::to_string(id.index);
      break;
    case TypeKind::kEnum:
      key += ":" + std::to_string(data.enum_id.index);
      break;
    default:
      break;
  }
  return key;
}

}  // namespace

TypeTable::TypeTable() {
  // The fixed handles of the static accessors, in their order.
  for (TypeKind kind : {TypeKind::kError, TypeKind::kBool, TypeKind::kInt, TypeKind::kMoney,
                        TypeKind::kString, TypeKind::kDuration, TypeKind::kTimestamp}) {
    TypeData data;
    data.kind = kind;
    Intern(std::move(data));
  }
}

Type TypeTable::Intern(TypeData data) {
  std::string key = Key(data);
  auto [it, inserted] = index_.emplace(std::move(key), static_cast<uint32_t>(types_.size()));
  if (inserted) types_.push_back(std::move(data));
  return Type{it->second};
}

Type TypeTable::MoneyIn(std::string_view currency) {
  TypeData data;
  data.kind = TypeKind::kMoney;
  data.currency = std::string(currency);
  return Intern(std::move(data));
}

Type TypeTable::SetOf(Type element) {
  TypeData data;
  data.kind = TypeKind::kSet;
  data.element = element;
  return Intern(std::move(data));
}

Type TypeTable::Record(std::vector<Field> fields) {
  std::stable_sort(fields.begin(), fields.end(),
                   [](const Field& a, const Field& b) { return a.name < b.name; });
  TypeData data;
  data.kind = TypeKind::kRecord;
  data.fields = std::move(fields);
  return Intern(std::move(data));
}

Type TypeTable::Entity(EntityTypeId type) { return Entities({type}); }

Type TypeTable::Entities(std::vector<EntityTypeId> agents) {
  std::sort(agents.begin(), agents.end());
  agents.erase(std::unique(agents.begin(), agents.end()), agents.end());
  TypeData data;
  data.kind = TypeKind::kEntity;
  data.entities = std::move(agents);
  return Intern(std::move(data));
}

Type TypeTable::Enum(EnumId id) {
  TypeData data;
  data.kind = TypeKind::kEnum;
  data.enum_id = id;
  return Intern(std::move(data));
}

const Field* TypeTable::FindField(Type type, std::string_view name) const {
  const TypeData& record = data(type);
  if (record.kind != TypeKind::kRecord) return nullptr;
  for (const Field& field : record.fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

Type TypeTable::WithoutCurrency(Type type) const {
  return kind(type) == TypeKind::kMoney ? Money() : type;
}

bool TypeTable::Compatible(Type a, Type b) const {
  if (a == b || is_error(a) || is_error(b)) return true;
  const TypeData& x = data(a);
  const TypeData& y = data(b);
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case TypeKind::kMoney:
      return x.currency.empty() || y.currency.empty() || x.currency == y.currency;
    case TypeKind::kSet:
      return Compatible(x.element, y.element);
    case TypeKind::kRecord:
      if (x.fields.size() != y.fields.size()) return false;
      for (size_t i = 0; i < x.fields.size(); ++i) {
        const Field& f = x.fields[i];
        const Field& g = y.fields[i];
        if (f.name != g.name || f.optional != g.optional || !Compatible(f.type, g.type)) {
          return false;
        }
      }
      return true;
    case TypeKind::kEntity:
      // An empty list is a principal of a policy set without agents: it meets nothing.
      for (EntityTypeId id : x.entities) {
        if (std::find(y.entities.begin(), y.entities.end(), id) != y.entities.end()) return true;
      }
      return false;
    default:
      return false;  // equal scalars and enums were caught by `a == b`
  }
}

Type TypeTable::Join(Type a, Type b) {
  WRIT_CHECK(Compatible(a, b));
  if (a == b || is_error(b)) return a;
  if (is_error(a)) return b;
  switch (kind(a)) {
    case TypeKind::kMoney:
      return data(a).currency.empty() ? b : a;
    case TypeKind::kSet: {
      Type element = Join(data(a).element, data(b).element);
      return SetOf(element);
    }
    default:
      return a;
  }
}

}  // namespace writ::check
