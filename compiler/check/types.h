// The checker's types: interned values addressed by a small handle, so comparing two types is
// comparing two integers. Names of entity and enum types live in the Program, which prints
// types for diagnostics (Program::TypeName).
#ifndef WRIT_COMPILER_CHECK_TYPES_H_
#define WRIT_COMPILER_CHECK_TYPES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/check/ids.h"

namespace writ::check {

enum class TypeKind : uint8_t {
  kError,  // a failed expression; compatible with everything, so it causes no further errors
  kBool,
  kInt,
  kMoney,
  kString,
  kDuration,
  kTimestamp,
  kSet,
  kRecord,
  kEntity,
  kEnum,
};

// A handle to an interned type of one TypeTable.
struct Type {
  uint32_t index = 0;  // 0 is the error type
  friend bool operator==(Type, Type) = default;
};

struct Field {
  std::string name;
  Type type;
  bool optional = false;
  friend bool operator==(const Field&, const Field&) = default;
};

struct TypeData {
  TypeKind kind = TypeKind::kError;
  std::string currency;                // kMoney: the ISO 4217 code when statically known
  Type element;                        // kSet
  std::vector<Field> fields;           // kRecord, sorted by name
  std::vector<EntityTypeId> entities;  // kEntity: one type, or each agent a principal may be
  EnumId enum_id;                      // kEnum
};

class TypeTable {
 public:
  TypeTable();

  static Type Error() { return Type{0}; }
  static Type Bool() { return Type{1}; }
  static Type Int() { return Type{2}; }
  static Type Money() { return Type{3}; }  // currency not known statically
  static Type String() { return Type{4}; }
  static Type Duration() { return Type{5}; }
  static Type Timestamp() { return Type{6}; }

  Type MoneyIn(std::string_view currency);
  Type SetOf(Type element);
  // A record; fields are kept sorted by name, so two records with the same fields are one type.
  Type Record(std::vector<Field> fields);
  Type Entity(EntityTypeId type);
  // The type of a principal that may be any of `agents` (sorted and deduplicated here); with one
  // agent it is that agent's entity type.
  Type Entities(std::vector<EntityTypeId> agents);
  Type Enum(EnumId id);

  const TypeData& data(Type type) const { return types_.at(type.index); }
  TypeKind kind(Type type) const { return data(type).kind; }
  bool is_error(Type type) const { return type.index == 0; }
  // The field of a record type; null if absent or `type` is not a record.
  const Field* FindField(Type type, std::string_view name) const;
  // `money` for any money type, `type` itself otherwise.
  Type WithoutCurrency(Type type) const;

  // Whether values of the two types can meet in `==`, a set or an argument: the same shape,
  // money whose currencies agree where both are known, entity types that overlap. The error type
  // is compatible with everything.
  bool Compatible(Type a, Type b) const;
  // The more specific of two compatible types (a known currency over an unknown one).
  Type Join(Type a, Type b);

 private:
  Type Intern(TypeData data);

  std::vector<TypeData> types_;
  std::map<std::string, uint32_t> index_;  // a canonical key of each TypeData
};

}  // namespace writ::check

#endif  // WRIT_COMPILER_CHECK_TYPES_H_
