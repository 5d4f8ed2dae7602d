// Lowering's working state, shared by its files: the policy being built, the maps from the
// checker's ids to the IR's, and the hash-consing tables of the expression arena. Each
// lower_*.cc file handles one part of the program; lower.cc runs them in order.
#ifndef WRIT_COMPILER_LOWER_INTERNAL_LOWERER_H_
#define WRIT_COMPILER_LOWER_INTERNAL_LOWERER_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/check/program.h"
#include "compiler/ir/policy.h"
#include "compiler/syntax/ast.h"

namespace writ::lower::internal {

// What an expression may read where it is lowered.
struct ExprEnv {
  const ir::Tool* tool = nullptr;  // `args`, and `result` in the result phase; null elsewhere
  bool result = false;
};

class Lowerer {
 public:
  Lowerer(const SourceManager& sources, std::span<const syntax::File> files,
          const check::Program& program);

  ir::Policy Run();

  // ---- shared with the expression lowering --------------------------------------------------
  const check::Program& program() const { return program_; }
  ir::Policy& policy() { return policy_; }
  const syntax::File& file(FileId id) const;
  const check::ExprFacts& facts(check::ExprRef ref) const { return program_.facts(ref); }
  ir::Loc LocOf(Span span) const;

  // The IR type of a checker type. A part of it the checker left untyped (the element of the
  // empty set `[]`) becomes `hint` when given, else `string`.
  ir::TypeId Type(check::Type type, std::optional<ir::TypeId> hint = std::nullopt);
  ir::TypeInterner& types() { return types_; }
  const ir::TypeData& type_data(ir::TypeId id) const { return policy_.types[id.index]; }

  // Appends an expression, or returns the identical one already in the arena.
  ir::ExprId Emit(ir::Expr expr, const std::vector<ir::ExprId>& list = {});
  ir::ConstId Constant(ir::TypeId type, ir::Value value);
  ir::ExprId EmitConst(ir::TypeId type, ir::Value value, ir::Loc loc);
  ir::AttrLookupId Lookup(ir::AttrLookup lookup);
  void UseLocals(uint32_t count);

  // The constant value of a test value or a literal of a condition, of type `expected`
  // (records are aligned with its fields, absent fields left kAbsent); nullopt if some part of
  // it is computed at run time.
  std::optional<ir::Value> ConstValue(const syntax::File& file, syntax::ExprId id,
                                      ir::TypeId expected);

  // Lowers an expression of `file` in `env`.
  ir::ExprId LowerExpr(check::ExprRef ref, const ExprEnv& env);

 private:
  // lower_schema.cc
  void LowerSchema();
  void LowerTools();
  ir::TypeId ConvertType(check::Type type, std::optional<ir::TypeId> hint, bool& untyped);

  // lower_decls.cc
  ir::DeclHead Head(const check::DeclHead& head);
  // The AST declaration a checked declaration was made from.
  const syntax::Decl& DeclAt(const check::DeclHead& head);
  void LowerRules();
  void LowerLimits();
  void LowerBudgets();
  void LowerRates();
  void LowerPools();
  void LowerOutputs();
  void BuildPlans();
  // Makes declaration ids unique and fills the reasons that depend on them.
  void AssignIds();
  std::vector<ir::ToolId> Tools(const std::vector<check::ToolId>& tools) const;

  // lower_tests.cc
  void LowerTests();

  const SourceManager& sources_;
  const check::Program& program_;
  std::map<uint32_t, const syntax::File*> files_;  // by FileId index
  std::map<uint32_t, uint32_t> file_index_;        // FileId index -> Policy::files index
  ir::Policy policy_;
  ir::TypeInterner types_;
  std::vector<ir::ToolId> tool_ids_;  // by check::ToolId: the IR tool of the same name

  // The labels of rule-like declarations (for AssignIds), in the order heads were made.
  struct HeadInfo {
    std::optional<std::string> label;
    FileId file;
    Span span;
  };
  std::vector<HeadInfo> heads_;

  std::unordered_map<std::string, uint32_t> expr_index_;
  std::unordered_map<std::string, uint32_t> const_index_;
  std::map<std::pair<std::string, std::vector<std::pair<uint32_t, uint32_t>>>, uint32_t>
      lookup_index_;
  std::map<uint32_t, ir::TypeId> type_cache_;
  std::map<std::pair<uint32_t, uint32_t>, const syntax::Decl*>
      decls_;  // by (file, span begin)  // check type index -> IR type, for typed ones
};

}  // namespace writ::lower::internal

#endif  // WRIT_COMPILER_LOWER_INTERNAL_LOWERER_H_
