// Strong ids of the checked program's tables, and the address of an expression in a file.
#ifndef WRIT_COMPILER_CHECK_IDS_H_
#define WRIT_COMPILER_CHECK_IDS_H_

#include <cstdint>

#include "compiler/base/id.h"

#include "compiler/base/source.h"
#include "compiler/syntax/ast.h"

namespace writ::check {

// An index into one table of the Program; the tags below are this namespace's own, so these
// ids never mix with another layer's.
template <typename Tag>
using Id = ::writ::StrongId<Tag>;

using PackageId = Id<struct PackageTag>;
using EntityTypeId = Id<struct EntityTypeTag>;  // entity types and agents
using EnumId = Id<struct EnumTag>;
using ToolId = Id<struct ToolTag>;
using RuleId = Id<struct RuleTag>;
using LimitId = Id<struct LimitTag>;
using BudgetId = Id<struct BudgetTag>;
using RateId = Id<struct RateTag>;
using PoolId = Id<struct PoolTag>;
using OutputId = Id<struct OutputTag>;
using TestId = Id<struct TestTag>;

// An expression of one file's arena: the key of the checker's side tables.
struct ExprRef {
  FileId file;
  syntax::ExprId expr;
  bool valid() const { return file.valid() && expr.valid(); }
  friend bool operator==(const ExprRef&, const ExprRef&) = default;
};

}  // namespace writ::check

#endif  // WRIT_COMPILER_CHECK_IDS_H_
