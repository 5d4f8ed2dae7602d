// The verifier's state, shared by verify.cc (schema, declarations, plans, tests) and
// verify_exprs.cc (the expression arena and the roots that point into it). Every check returns
// a Status; the first failure ends the run.
#ifndef WRIT_COMPILER_IR_INTERNAL_VERIFIER_H_
#define WRIT_COMPILER_IR_INTERNAL_VERIFIER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/policy.h"

namespace writ::ir::internal {

// What the root of an expression may read where it is evaluated.
struct RootContext {
  std::string what;                      // "rule no_ddl, tool db.query", for messages
  const Tool* tool = nullptr;            // args and, in the result phase, the result
  bool result = false;                   // `result` is readable
  bool session = false;                  // `fact` and `calls_in` are readable
  std::vector<EntityTypeId> principals;  // the agent types `principal` may have, sorted
};

class Verifier {
 public:
  explicit Verifier(const Policy& policy) : p_(policy) {}

  absl::Status Run();

 private:
  // verify.cc
  absl::Status CheckTypes();
  absl::Status CheckSchema();
  absl::Status CheckConstants();
  absl::Status CheckRules();
  absl::Status CheckOtherDecls();
  absl::Status CheckPlans();
  absl::Status CheckTests();
  absl::Status CheckHead(const DeclHead& head, std::string_view kind);
  absl::Status CheckLoc(const Loc& loc, std::string_view what);
  absl::Status CheckAgents(const std::vector<EntityTypeId>& agents, std::string_view what);
  absl::Status CheckToolList(const std::vector<ToolId>& tools, std::string_view what);
  // Whether `value` is a value of `type`; the message says why not.
  absl::Status CheckValue(const Value& value, TypeId type, std::string_view what);
  // The agent types `principal` has under a `for` list (every agent when it is empty).
  std::vector<EntityTypeId> PrincipalTypes(const std::vector<EntityTypeId>& principals) const;

  // verify_exprs.cc
  absl::Status CheckExprs();
  absl::Status CheckExpr(uint32_t index);
  absl::Status CheckAttrLookups();
  absl::Status CheckCall(uint32_t index, const Expr& e);
  // Checks an expression root of a declaration: in range, of type `type`, no free locals, and
  // every load allowed by `context`.
  absl::Status CheckRoot(ExprId root, TypeId type, const RootContext& context);
  absl::Status CheckApprovers(ExprId root, ApproverKind kind, const RootContext& context);

  // Helpers shared by both files.
  bool TypeInRange(TypeId id) const { return id.index < p_.types.size(); }
  bool ExprInRange(ExprId id) const { return id.index < p_.exprs.size(); }
  const TypeData& type(TypeId id) const { return p_.types[id.index]; }
  TypeKind kind(TypeId id) const { return p_.types[id.index].kind; }
  // The same shape: equal, or both entities, or sets and records of compatible types.
  bool Compatible(TypeId a, TypeId b) const;
  std::string Name(TypeId id) const;
  std::string ExprName(uint32_t index) const;

  const Policy& p_;
  // For each expression: the locals it reads that no quantifier inside it binds, with the
  // type each is read at, sorted by slot.
  std::vector<std::vector<std::pair<uint32_t, TypeId>>> free_locals_;
  // CheckRoot's walks: the number of the walk that last reached each expression.
  std::vector<uint32_t> visited_;
  uint32_t walk_ = 0;
};

absl::Status Fail(std::string message);

}  // namespace writ::ir::internal

#endif  // WRIT_COMPILER_IR_INTERNAL_VERIFIER_H_
