// The abstract syntax tree: plain data with spans, immutable once the syntax layer built it.
// Expressions and type expressions live in per-file arenas addressed by ExprId / TypeId; names
// and types that the checker resolves are kept in its own side tables, keyed by those ids.
// Every node keeps source order so the formatter can reproduce the file faithfully.
#ifndef WRIT_COMPILER_SYNTAX_AST_H_
#define WRIT_COMPILER_SYNTAX_AST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/base/vocabulary.h"

namespace writ::syntax {

struct ExprId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(ExprId, ExprId) = default;
};
struct TypeId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(TypeId, TypeId) = default;
};

// ---- leaves ---------------------------------------------------------------------------------

struct Name {
  std::string text;
  Span span;
};

struct QualifiedName {
  std::vector<Name> parts;
  Span span;
  std::string Joined() const;  // "a.b.c"
};

// A decoded string literal; `span` covers the quotes.
struct StringNode {
  std::string value;
  Span span;
};

struct DurationNode {
  int64_t millis = 0;
  std::string text;  // as written, e.g. "1h30m"
  Span span;
};

struct IntNode {
  int64_t value = 0;
  std::string text;
  Span span;
};

// Money is an exact decimal: `units` is the amount times 10^4 (four decimal places).
struct MoneyValue {
  int64_t units = 0;
  std::string currency;  // ISO 4217 code, e.g. "USD"
  static constexpr int64_t kScale = 10000;
};

struct PercentNode {
  int64_t value = 0;  // 80 for "80%"
  Span span;
};

// A segment of a tool pattern: a name or `*`.
struct PatternPart {
  std::string text;  // "*" for a wildcard
  Span span;
  bool is_wildcard() const { return text == "*"; }
};

// `payments.transfer`, `salesforce.*`, `*`.
struct ToolPattern {
  std::vector<PatternPart> parts;
  Span span;
  std::string Joined() const;
  bool has_wildcard() const;
};

// `User::"alice"` in tests.
struct EntityRefNode {
  QualifiedName type;
  StringNode id;
  Span span;
};

// ---- types ----------------------------------------------------------------------------------

struct AttrDecl {
  Name name;
  bool optional = false;
  TypeId type;
  Span span;
};

// `int`, `set<string>`, `User`, `common.User`.
struct NamedType {
  QualifiedName name;
  std::vector<TypeId> args;
};
// `{ rows_affected: int, rows: int }`.
struct RecordType {
  std::vector<AttrDecl> fields;
};

struct TypeExpr {
  Span span;
  std::variant<NamedType, RecordType> kind;
};

// ---- expressions ----------------------------------------------------------------------------

enum class BinaryOp { kMul, kDiv, kMod, kAdd, kSub, kEq, kNe, kLt, kLe, kGt, kGe, kIn, kLike, kAnd, kOr };
enum class UnaryOp { kNeg, kNot };

// The operator's source spelling: "*", "==", "in", "and", ...
const char* Spelling(BinaryOp op);
const char* Spelling(UnaryOp op);

struct IntLit { int64_t value; std::string text; };
struct DecimalLit { std::string text; };  // only valid with a currency; kept for the diagnostic
struct MoneyLit { MoneyValue value; std::string text; };
struct DurationLit { int64_t millis; std::string text; };
struct StringLit { std::string value; };
struct BoolLit { bool value; };
struct NameRef { Name name; };
struct MemberExpr { ExprId object; Name member; };
struct CallExpr { ExprId callee; std::vector<ExprId> args; };
struct EntityLit { ExprId type; StringNode id; };  // type is a NameRef/MemberExpr path
struct UnaryExpr { UnaryOp op; ExprId operand; };
struct BinaryExpr { BinaryOp op; ExprId lhs; ExprId rhs; };
struct HasExpr { ExprId object; Name attr; };
struct QuantExpr { bool all; Name var; ExprId domain; ExprId body; };
struct SetLit { std::vector<ExprId> elements; };
struct FieldInit { Name name; ExprId value; Span span; };
struct RecordLit { std::vector<FieldInit> fields; };
struct ParenExpr { ExprId inner; };

struct Expr {
  Span span;
  std::variant<IntLit, DecimalLit, MoneyLit, DurationLit, StringLit, BoolLit, NameRef, MemberExpr,
               CallExpr, EntityLit, UnaryExpr, BinaryExpr, HasExpr, QuantExpr, SetLit, RecordLit,
               ParenExpr>
      kind;
};

// ---- declarations ---------------------------------------------------------------------------

struct PackageDecl {
  QualifiedName name;
  Span span;
};

struct ImportDecl {
  QualifiedName path;
  std::optional<Name> alias;
  Span span;
  // The name the import binds: the alias, or the last part of the path.
  const Name& bound_name() const { return alias ? *alias : path.parts.back(); }
};

struct EntityDecl {
  Name name;
  std::vector<QualifiedName> parents;  // `in A, B`
  bool has_body = false;               // `{ ... }` written, possibly empty
  std::vector<AttrDecl> attrs;
};

struct EnumDecl {
  Name name;
  std::vector<Name> members;
};

struct CredentialDecl {
  Name name;
  std::vector<StringNode> scopes;
  DurationNode ttl;
  Span span;
};

struct ActsForMember { QualifiedName type; Span span; };
struct CredentialsMember { std::vector<CredentialDecl> credentials; Span span; };
using AgentMember = std::variant<ActsForMember, CredentialsMember, AttrDecl>;

struct AgentDecl {
  Name name;
  std::vector<QualifiedName> parents;
  std::vector<AgentMember> members;  // source order
};

struct ToolDecl {
  QualifiedName name;
  std::vector<AttrDecl> params;
  std::optional<TypeId> result;
};

// The vocabulary the syntax shares with the checker and the IR (compiler/base/vocabulary.h).
using writ::Effect;
using writ::Expected;
using writ::Phase;
using writ::Spelling;

enum class Modifier { kAdvisory, kSoft, kHard, kShadow };
const char* Spelling(Modifier modifier);

struct ModifierNode {
  Modifier kind;
  Span span;
};

// Shared by every rule-like declaration: an optional `label:` and modifiers.
struct RuleHead {
  std::optional<Name> label;
  std::vector<ModifierNode> modifiers;
};

struct WhenClause { ExprId condition; };
struct BecauseClause { StringNode reason; };
struct ApproverClause { ExprId approvers; };
struct TimeoutClause { DurationNode timeout; };
struct GrantClause {
  Name credential;
  std::optional<std::vector<StringNode>> scopes;
  std::optional<DurationNode> ttl;
};
struct WarnClause { StringNode message; };

struct RuleClause {
  Span span;  // from the clause keyword to its end
  std::variant<WhenClause, BecauseClause, ApproverClause, TimeoutClause, GrantClause, WarnClause>
      kind;
};

struct RuleDecl {
  RuleHead head;
  Effect effect;
  Span effect_span;
  Phase phase;
  std::vector<ToolPattern> tools;
  std::vector<QualifiedName> principals;  // `for A, B`; empty means any principal
  std::vector<RuleClause> clauses;        // source order
};

// `limit spend payments.transfer.amount per task <= 50000 USD for Bot because "..."`.
struct LimitDecl {
  RuleHead head;
  ToolPattern target;  // tool pattern followed by the money parameter's name
  Name period;
  ExprId bound;
  std::vector<QualifiedName> principals;
  std::optional<StringNode> reason;
};

struct WarnAtClause { std::vector<PercentNode> thresholds; };
struct ThenClause { Name action; std::optional<ExprId> approvers; };
struct BudgetClause {
  Span span;
  std::variant<WarnAtClause, ThenClause, BecauseClause> kind;
};

// The amount of a budget: an int (tokens, calls), a duration (time) or money.
struct AmountNode {
  Span span;
  std::variant<IntNode, DurationNode, MoneyLit> value;
};

// `budget tokens per task 200000 warn at 80%`.
struct BudgetDecl {
  RuleHead head;
  Name kind;
  std::optional<Name> per;
  AmountNode amount;
  std::vector<QualifiedName> principals;
  std::vector<BudgetClause> clauses;
};

// `rate salesforce.* 500 per 1h`.
struct RateDecl {
  RuleHead head;
  std::vector<ToolPattern> tools;
  IntNode count;
  DurationNode window;
  std::vector<QualifiedName> principals;
  std::optional<StringNode> reason;
};

// `pool database 20 calls db.* then queue`, `pool bots 50 sessions ProcurementBot`.
struct PoolDecl {
  RuleHead head;
  Name name;
  IntNode size;
  bool counts_calls = true;       // `calls` (in-flight tool calls) or `sessions`
  std::vector<ToolPattern> tools;  // for `calls`
  std::vector<QualifiedName> agents;  // for `sessions`
  std::optional<Name> then;
};

struct OutputRule {
  bool redact = false;  // `redact` or `forbid`
  std::vector<QualifiedName> detectors;
  std::optional<StringNode> reason;
  Span span;
};

// `output email.send.body { forbid pii.card because "..." redact pii.email }`.
struct OutputDecl {
  RuleHead head;
  std::optional<Phase> phase;  // as written; absent means `call`
  ToolPattern target;          // tool pattern followed by the parameter or result field
  std::vector<OutputRule> rules;
};

// ---- tests ----------------------------------------------------------------------------------

struct TestEntity {
  EntityRefNode ref;
  bool has_body = false;
  std::vector<FieldInit> attrs;
  std::vector<EntityRefNode> parents;
};
struct TestSession { std::vector<FieldInit> facts; };
struct TestCall {
  QualifiedName tool;
  std::vector<FieldInit> args;
  EntityRefNode principal;
};
struct TestResult {
  QualifiedName tool;
  std::vector<FieldInit> args;
  ExprId returns;
  EntityRefNode principal;
};
struct ExpectClause {
  bool is_warning = false;  // `warn "..."` or `because "..."`
  StringNode text;
};
struct TestExpect {
  Expected expected;
  std::vector<ExpectClause> clauses;
};

struct TestStmt {
  Span span;
  std::variant<TestEntity, TestSession, TestCall, TestResult, TestExpect> kind;
};

struct TestDecl {
  StringNode name;
  std::vector<TestStmt> stmts;
};

struct Decl {
  Span span;
  std::variant<EntityDecl, EnumDecl, AgentDecl, ToolDecl, RuleDecl, LimitDecl, BudgetDecl,
               RateDecl, PoolDecl, OutputDecl, TestDecl>
      kind;
};

// A comment as written, `//...` or `/*...*/`, kept for the formatter.
struct Comment {
  std::string text;
  Span span;
};

// One parsed file. Owns its arenas; ids index into them.
struct File {
  FileId id;
  std::optional<PackageDecl> package;
  std::vector<ImportDecl> imports;
  std::vector<Decl> decls;
  std::vector<Expr> exprs;
  std::vector<TypeExpr> types;
  std::vector<Comment> comments;  // source order

  const Expr& expr(ExprId id) const { return exprs.at(id.index); }
  const TypeExpr& type(TypeId id) const { return types.at(id.index); }
};

}  // namespace writ::syntax

#endif  // WRIT_COMPILER_SYNTAX_AST_H_
