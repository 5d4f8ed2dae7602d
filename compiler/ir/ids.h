// Strong ids of the decision IR's tables, source locations and operand ranges: the small
// values every IR structure is built from.
#ifndef WRIT_COMPILER_IR_IDS_H_
#define WRIT_COMPILER_IR_IDS_H_

#include <cstdint>

#include "compiler/base/id.h"

namespace writ::ir {

// An index into one table of the Policy; the tags below are this namespace's own, so these
// ids never mix with another layer's.
template <typename Tag>
using Id = ::writ::StrongId<Tag>;

using PackageId = Id<struct PackageTag>;
using TypeId = Id<struct TypeTag>;
using EntityTypeId = Id<struct EntityTypeTag>;  // entity types and agents
using EnumId = Id<struct EnumTag>;
using ToolId = Id<struct ToolTag>;
using ExprId = Id<struct ExprTag>;
using ConstId = Id<struct ConstTag>;
using AttrLookupId = Id<struct AttrLookupTag>;
using RuleId = Id<struct RuleTag>;
using LimitId = Id<struct LimitTag>;
using BudgetId = Id<struct BudgetTag>;
using RateId = Id<struct RateTag>;
using PoolId = Id<struct PoolTag>;
using OutputId = Id<struct OutputTag>;
using TestId = Id<struct TestTag>;

// A source location: an index into Policy::files, a 1-based line and a 1-based column counted
// in code points. `file` is kNoFile for something without a location.
struct Loc {
  static constexpr uint32_t kNoFile = UINT32_MAX;
  uint32_t file = kNoFile;
  uint32_t line = 0;
  uint32_t column = 0;
  bool valid() const { return file != kNoFile; }
  friend bool operator==(const Loc&, const Loc&) = default;
};

// A range [first, first + count) of Policy::expr_lists: the operands of a node that has a
// variable number of them.
struct ListRef {
  uint32_t first = 0;
  uint32_t count = 0;
  friend bool operator==(const ListRef&, const ListRef&) = default;
};

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_IDS_H_
