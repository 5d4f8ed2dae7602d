// Lowering's driver and the expression arena's hash-consing: identical expressions (the same
// operation, type, location and operands) are one node, so a rule's condition lowered for two
// tools whose arguments agree is one expression.
#include "compiler/lower/lower.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "compiler/base/check.h"
#include "compiler/ir/verify.h"
#include "compiler/lower/internal/lowerer.h"

namespace writ::lower {

ir::Policy Lower(const SourceManager& sources, std::span<const syntax::File> files,
                 const check::Program& program) {
  ir::Policy policy = internal::Lowerer(sources, files, program).Run();
#ifndef NDEBUG
  if (absl::Status status = ir::Verify(policy); !status.ok()) {
    std::fprintf(stderr, "lowering produced invalid IR: %s\n",
                 std::string(status.message()).c_str());
    WRIT_CHECK(status.ok());
  }
#endif
  return policy;
}

namespace internal {
namespace {

template <typename T>
void Append(std::string& key, const T& value) {
  key.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// A key that identifies a value exactly (kind, payload, elements), for interning constants.
void AppendValue(std::string& key, const ir::Value& value) {
  Append(key, value.kind);
  Append(key, value.number);
  Append(key, value.ref);
  Append(key, value.text.size());
  key += value.text;
  Append(key, value.elements.size());
  for (const ir::Value& element : value.elements) AppendValue(key, element);
}

}  // namespace

Lowerer::Lowerer(const SourceManager& sources, std::span<const syntax::File> files,
                 const check::Program& program)
    : sources_(sources), program_(program), types_(policy_.types) {
  for (const syntax::File& file : files) {
    files_[file.id.index] = &file;
    file_index_[file.id.index] = static_cast<uint32_t>(policy_.files.size());
    policy_.files.push_back(sources.file(file.id).path());
  }
}

ir::Policy Lowerer::Run() {
  for (const check::Package& package : program_.packages)
    policy_.packages.push_back({package.name});
  LowerSchema();
  LowerTools();
  LowerRules();
  LowerLimits();
  LowerBudgets();
  LowerRates();
  LowerPools();
  LowerOutputs();
  AssignIds();
  BuildPlans();
  LowerTests();
  return std::move(policy_);
}

const syntax::File& Lowerer::file(FileId id) const {
  auto it = files_.find(id.index);
  WRIT_CHECK(it != files_.end());
  return *it->second;
}

ir::Loc Lowerer::LocOf(Span span) const {
  if (!span.valid()) return ir::Loc{};
  auto it = file_index_.find(span.file.index);
  WRIT_CHECK(it != file_index_.end());
  LineCol at = sources_.file(span.file).Locate(span.begin);
  return ir::Loc{it->second, at.line, at.column};
}

ir::ExprId Lowerer::Emit(ir::Expr expr, const std::vector<ir::ExprId>& list) {
  std::string key;
  Append(key, expr.op);
  Append(key, expr.may_fail);
  Append(key, expr.type.index);
  Append(key, expr.loc.file);
  Append(key, expr.loc.line);
  Append(key, expr.loc.column);
  Append(key, expr.a.index);
  Append(key, expr.b.index);
  Append(key, expr.imm);
  for (ir::ExprId id : list) Append(key, id.index);
  auto [it, inserted] =
      expr_index_.emplace(std::move(key), static_cast<uint32_t>(policy_.exprs.size()));
  if (inserted) {
    expr.list = ir::ListRef{static_cast<uint32_t>(policy_.expr_lists.size()),
                            static_cast<uint32_t>(list.size())};
    policy_.expr_lists.insert(policy_.expr_lists.end(), list.begin(), list.end());
    policy_.exprs.push_back(expr);
  }
  return ir::ExprId{it->second};
}

ir::ConstId Lowerer::Constant(ir::TypeId type, ir::Value value) {
  std::string key;
  Append(key, type.index);
  AppendValue(key, value);
  auto [it, inserted] =
      const_index_.emplace(std::move(key), static_cast<uint32_t>(policy_.constants.size()));
  if (inserted) policy_.constants.push_back(ir::Constant{type, std::move(value)});
  return ir::ConstId{it->second};
}

ir::ExprId Lowerer::EmitConst(ir::TypeId type, ir::Value value, ir::Loc loc) {
  ir::Expr expr;
  expr.op = ir::Op::kConst;
  expr.type = type;
  expr.loc = loc;
  expr.imm = Constant(type, std::move(value)).index;
  return Emit(expr);
}

ir::AttrLookupId Lowerer::Lookup(ir::AttrLookup lookup) {
  std::vector<std::pair<uint32_t, uint32_t>> slots;
  for (const ir::AttrSlot& slot : lookup.slots) slots.push_back({slot.type.index, slot.slot});
  auto [it, inserted] = lookup_index_.emplace(std::make_pair(lookup.name, std::move(slots)),
                                              static_cast<uint32_t>(policy_.attr_lookups.size()));
  if (inserted) policy_.attr_lookups.push_back(std::move(lookup));
  return ir::AttrLookupId{it->second};
}

void Lowerer::UseLocals(uint32_t count) {
  policy_.max_locals = std::max(policy_.max_locals, count);
}

}  // namespace internal
}  // namespace writ::lower
