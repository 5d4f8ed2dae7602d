// Typing of expressions: names, members, operators, calls and literals, with constant folding
// and the `has` guards that make optional attributes readable. Every expression checked gets
// its facts (type, resolution, constant) recorded in the Program's side table; a failed one
// gets the error type, which silences every check that would otherwise report it again.
#ifndef WRIT_COMPILER_CHECK_INTERNAL_EXPR_CHECKER_H_
#define WRIT_COMPILER_CHECK_INTERNAL_EXPR_CHECKER_H_

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/check/internal/context.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {

// What an expression may read where it is written.
struct Env {
  // Completes "`session` is not available in ..." (W0325).
  std::string_view where = "this position";
  bool principal = false;
  Type principal_type;
  bool session = false;
  // Rules only: `args`, and `result` in the result phase.
  bool args_and_result = false;
  syntax::Phase phase = syntax::Phase::kCall;
  std::vector<ToolId> tools;
  // Tests only: the entities an entity literal may name. An entity whose type failed to
  // resolve is listed with an invalid type id, so that references to its id stay silent.
  const std::set<std::pair<EntityTypeId, std::string>>* test_entities = nullptr;
};

class ExprChecker {
 public:
  ExprChecker(Context& ctx, const FileScope& scope, Env env);

  // Checks a value expression and returns its type; the error type if it failed (reported).
  Type Value(syntax::ExprId id);
  // Checks a value that must be `bool` (W0303 otherwise).
  Type Condition(syntax::ExprId id);
  // Checks a value that must have a type compatible with `expected` (W0301 otherwise).
  Type Expect(syntax::ExprId id, Type expected);

 private:
  // What an expression denotes before it is used: a value, or a name that is not one.
  struct Item {
    enum class Kind { kValue, kNamespace, kEntityType, kEnumType, kFunction };
    Kind kind = Kind::kValue;
    Type type;                 // kValue
    PackageId package;         // kNamespace of a user package
    std::string module;        // kNamespace of a std module
    uint32_t index = 0;        // kEntityType, kEnumType
    Resolution function;       // kFunction
  };
  struct Local {
    std::string name;
    ExprRef binder;
    Type type;
  };

  // check_exprs.cc
  Item Check(syntax::ExprId id);
  Item CheckName(syntax::ExprId id, const syntax::NameRef& name);
  Type CheckEntityLit(syntax::ExprId id, const syntax::EntityLit& lit);
  Type CheckHas(syntax::ExprId id, const syntax::HasExpr& has);
  Type CheckQuant(syntax::ExprId id, const syntax::QuantExpr& quant);
  Type CheckSet(const syntax::SetLit& set);
  Type CheckRecord(const syntax::RecordLit& record);
  Type ArgsType();
  Type ResultType(Span use);
  Type SessionType();
  // Turns an item into a value: W0315 for names that are not values.
  Type AsValue(syntax::ExprId id, const Item& item);
  Item ValueItem(syntax::ExprId id, Type type, Resolution resolution = resolved::None{},
                 std::optional<Constant> constant = std::nullopt);
  // The item a package's entity or enum type name denotes where an expression names it.
  Item TypeNameItem(syntax::ExprId id, const TypeSymbol& symbol);

  // check_operators.cc
  Type CheckUnary(syntax::ExprId id, const syntax::UnaryExpr& unary);
  Type CheckBinary(syntax::ExprId id, const syntax::BinaryExpr& binary);
  Type CheckLogical(syntax::ExprId id, const syntax::BinaryExpr& binary);
  Type CheckArithmetic(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs, Type rhs);
  Type CheckComparison(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs, Type rhs);
  Type CheckIn(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs, Type rhs);
  // Reports W0304 if two money types have different known currencies.
  bool SameCurrency(syntax::ExprId id, Type lhs, Type rhs);

  // check_calls.cc
  Item CheckCall(syntax::ExprId id, const syntax::CallExpr& call);
  Type CheckStdCall(syntax::ExprId id, const syntax::CallExpr& call, uint32_t function);
  Type CheckTimestampCall(syntax::ExprId id, const syntax::CallExpr& call);
  Type CheckSizeCall(syntax::ExprId id, const syntax::CallExpr& call);
  Type CheckCallsIn(syntax::ExprId id, const syntax::CallExpr& call);
  bool CheckArity(syntax::ExprId id, const syntax::CallExpr& call, size_t arity);
  // Checks a `string` argument that is compiled once as a pattern (of `like` or a std
  // function): W0320 unless it is a string literal, W0326 for an invalid regular expression.
  // `what` names the argument in the message. Returns whether the pattern is usable.
  bool CheckPattern(syntax::ExprId arg, stdlib::Pattern pattern, const std::string& what);

  // check_members.cc
  Item CheckMember(syntax::ExprId id, const syntax::MemberExpr& member);
  Item CheckValueMember(syntax::ExprId id, const syntax::MemberExpr& member, Type object_type);
  // Guards: the paths `x has a` established for the right side of an `and`. A path is a chain
  // of members from `principal`, `args`, `result` or a quantifier's variable; "" if none.
  std::string PathKey(syntax::ExprId id) const;
  void CollectGuards(syntax::ExprId id, std::vector<std::string>& out) const;
  bool Guarded(const std::string& path) const;

  const syntax::Expr& expr(syntax::ExprId id) const { return scope_.file->expr(id); }
  ExprFacts& facts(syntax::ExprId id) { return ctx_.program.mutable_facts(scope_.Ref(id)); }
  const ExprFacts& facts(syntax::ExprId id) const { return ctx_.program.facts(scope_.Ref(id)); }
  std::string Text(syntax::ExprId id) const { return ctx_.Text(expr(id).span); }
  std::string TypeName(Type type) const { return ctx_.program.TypeName(type); }
  TypeTable& types() { return ctx_.program.types; }

  Context& ctx_;
  const FileScope& scope_;
  Env env_;
  std::vector<Local> locals_;
  std::vector<std::string> guards_;
};

// The facts of `session`, in the order the language documents them, and the type of each.
std::span<const SessionFact> SessionFacts();
Type SessionFactType(SessionFact fact);

// The string literal `id` is, through parentheses; null if it is any other expression.
const syntax::StringLit* StringLiteral(const syntax::File& file, syntax::ExprId id);

// Parses an RFC 3339 timestamp ("2026-01-01T00:00:00Z", "2026-01-01T09:30:00.250+02:00") into
// milliseconds since the Unix epoch; nullopt if malformed or out of range.
std::optional<int64_t> ParseTimestamp(std::string_view text);

}  // namespace writ::check::internal

#endif  // WRIT_COMPILER_CHECK_INTERNAL_EXPR_CHECKER_H_
