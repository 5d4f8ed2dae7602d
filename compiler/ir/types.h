// The run-time types of the decision IR, interned so that two types are equal exactly when
// their ids are. Unlike the checker's types there is no error type (only error-free programs
// are lowered) and money carries no currency (the currency is part of a money value).
#ifndef WRIT_COMPILER_IR_TYPES_H_
#define WRIT_COMPILER_IR_TYPES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ids.h"

namespace writ::ir {

enum class TypeKind : uint8_t {
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

// "bool", "set", "entity", ...
std::string_view Spelling(TypeKind kind);

struct Field {
  std::string name;
  TypeId type;
  bool optional = false;  // the field may be absent from a value of the record
  friend bool operator==(const Field&, const Field&) = default;
};

struct TypeData {
  TypeKind kind = TypeKind::kBool;
  TypeId element;                      // kSet
  std::vector<Field> fields;           // kRecord, sorted by name
  std::vector<EntityTypeId> entities;  // kEntity: the types a value may have, sorted
  EnumId enum_id;                      // kEnum
  friend bool operator==(const TypeData&, const TypeData&) = default;
};

// The scalar types sit at fixed ids at the start of every type table.
inline constexpr TypeId kBoolType{0};
inline constexpr TypeId kIntType{1};
inline constexpr TypeId kMoneyType{2};
inline constexpr TypeId kStringType{3};
inline constexpr TypeId kDurationType{4};
inline constexpr TypeId kTimestampType{5};
inline constexpr uint32_t kScalarTypeCount = 6;

// Builds a type table (Policy::types) without duplicates. Construct it over an empty table to
// get the scalars at their fixed ids, or over a complete table to add to it.
class TypeInterner {
 public:
  explicit TypeInterner(std::vector<TypeData>& types);

  TypeId SetOf(TypeId element);
  // Sorts the fields by name; names must be distinct.
  TypeId Record(std::vector<Field> fields);
  // Sorts and deduplicates the entity types.
  TypeId Entity(std::vector<EntityTypeId> entities);
  TypeId Enum(EnumId id);
  TypeId Intern(TypeData data);

 private:
  std::vector<TypeData>& types_;
  std::map<std::string, uint32_t> index_;  // a canonical key of each TypeData
};

// The index of the field `name` of a record type; -1 if absent (or `data` is no record).
int FindField(const TypeData& data, std::string_view name);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_TYPES_H_
