// The checked policy set: plain data addressed by strong ids, consumed by lowering to the
// decision IR together with the files' ASTs. Declarations are fully resolved (names to ids,
// type expressions to types, tool patterns to the tools they match). Expressions stay in the
// AST; what the checker learned about each one (its type, what a name or member refers to, its
// folded constant value) lives in the side table keyed by ExprRef.
#ifndef WRIT_COMPILER_CHECK_PROGRAM_H_
#define WRIT_COMPILER_CHECK_PROGRAM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/base/vocabulary.h"
#include "compiler/check/ids.h"
#include "compiler/check/types.h"
#include "compiler/syntax/ast.h"

namespace writ::check {

// ---- enumerations -------------------------------------------------------------------------

// The vocabulary the checker shares with the syntax and the IR (compiler/base/vocabulary.h).
using writ::ApproverKind;
using writ::BudgetAction;
using writ::BudgetKind;
using writ::Effect;
using writ::Enforcement;
using writ::Expected;
using writ::kSessionFactCount;
using writ::Period;
using writ::Phase;
using writ::PoolAction;
using writ::SessionFact;
using writ::Spelling;

// Functions every policy can call without an import.
enum class PreludeFunction : uint8_t { kTimestamp, kSize };
// "timestamp", "size".
std::string_view Spelling(PreludeFunction value);

// ---- schema -------------------------------------------------------------------------------

// Files with the same `package` name form one package.
struct Package {
  std::string name;
  std::vector<FileId> files;
  std::vector<PackageId> imports;        // user packages imported by any of its files
  std::vector<std::string> std_modules;  // "std.sql", ...
};

struct Attribute {
  std::string name;
  Type type;
  bool optional = false;  // `manager?: User`: may be absent, read only under a `has` guard
  Span span;
};

struct Credential {
  std::string name;
  std::vector<std::string> scopes;
  int64_t ttl_millis = 0;
  Span span;
};

// What an agent declares beyond the attributes every entity type has.
struct AgentInfo {
  EntityTypeId acts_for;  // invalid if the agent declares no `acts_for`
  std::vector<Credential> credentials;
};

// An entity type or an agent (an entity type with AgentInfo).
struct EntityType {
  PackageId package;
  std::string name;            // "User"
  std::string qualified_name;  // "procurement.User"
  std::vector<Attribute> attributes;
  std::vector<EntityTypeId> parents;  // the types an entity of this type may be `in`
  std::optional<AgentInfo> agent;
  Span span;  // the name in the declaration

  bool is_agent() const { return agent.has_value(); }
  const Attribute* FindAttribute(std::string_view attr) const;
  const Credential* FindCredential(std::string_view credential) const;
};

struct EnumType {
  PackageId package;  // invalid for an enum of a std module
  std::string name;
  std::string qualified_name;  // "procurement.Region", "std.pii.Kind"
  std::vector<std::string> members;
  std::optional<uint32_t> stdlib_enum;  // index into stdlib::Enums() for std enums
  Span span;
};

struct Tool {
  PackageId package;
  std::string name;  // "payments.transfer", as declared
  std::vector<Attribute> params;
  std::optional<Type> result;
  Span span;

  const Attribute* FindParam(std::string_view param) const;
};

// ---- rules and their relatives --------------------------------------------------------------

// What every rule-like declaration has.
struct DeclHead {
  PackageId package;
  FileId file;
  std::optional<std::string> label;
  Enforcement enforcement = Enforcement::kHard;
  bool shadow = false;  // evaluated and audited, never enforced
  Span span;            // the whole declaration
};

struct Approvers {
  ExprRef expr;
  ApproverKind kind = ApproverKind::kString;
};

// `grant erp ["po.write"] ttl 10m`: a credential minted for an allowed call. Absent scopes or
// ttl mean those the agent declares for the credential.
struct Grant {
  std::string credential;
  std::optional<std::vector<std::string>> scopes;
  std::optional<int64_t> ttl_millis;
  Span span;
};

struct Rule {
  DeclHead head;
  Effect effect = Effect::kPermit;
  Phase phase = Phase::kCall;
  std::vector<ToolId> tools;               // every tool the patterns match, declaration order
  std::vector<EntityTypeId> principals;    // agents of `for`; empty means any principal
  std::optional<ExprRef> condition;        // `when`; a bool expression
  std::optional<std::string> reason;       // `because`
  std::optional<Approvers> approvers;      // `by`
  std::optional<int64_t> timeout_millis;   // `timeout`
  std::vector<Grant> grants;
  std::vector<std::string> warnings;
};

// `limit spend payments.transfer.amount per task <= bound`.
struct Limit {
  DeclHead head;
  std::vector<ToolId> tools;
  std::string param;  // a money parameter of every tool in `tools`
  Period period = Period::kTask;
  ExprRef bound;  // money; reads only `principal` and constants
  std::vector<EntityTypeId> principals;
  std::optional<std::string> reason;
};

struct Budget {
  DeclHead head;
  BudgetKind kind = BudgetKind::kTokens;
  Period period = Period::kTask;
  // tokens and calls: a count; time: milliseconds; spend: money units (MoneyValue::kScale).
  int64_t amount = 0;
  std::string currency;  // spend only
  std::vector<EntityTypeId> principals;
  std::vector<int64_t> warn_at;  // percentages, strictly increasing, each below 100
  BudgetAction then = BudgetAction::kDeny;
  std::optional<Approvers> approvers;  // kRequireApproval only
  std::optional<std::string> reason;
};

struct Rate {
  DeclHead head;
  std::vector<ToolId> tools;
  int64_t count = 0;
  int64_t window_millis = 0;
  std::vector<EntityTypeId> principals;
  std::optional<std::string> reason;
};

struct Pool {
  DeclHead head;
  std::string name;
  int64_t size = 0;
  bool counts_calls = true;           // in-flight calls of `tools`, or sessions of `agents`
  std::vector<ToolId> tools;
  std::vector<EntityTypeId> agents;
  PoolAction then = PoolAction::kRefuse;
};

// One `forbid`/`redact` line of an output block.
struct OutputCheck {
  bool redact = false;
  std::vector<uint32_t> detectors;  // members of std.pii's `Kind`
  std::optional<std::string> reason;
  Span span;
};

struct Output {
  DeclHead head;
  Phase phase = Phase::kCall;
  std::vector<ToolId> tools;
  std::string field;  // a string or set<string> parameter (call) or result field (result)
  std::vector<OutputCheck> checks;
};

// ---- tests ------------------------------------------------------------------------------------

// `name: value` of a test entity, call or result; the value is a checked constant expression.
struct TestValue {
  std::string name;
  ExprRef value;
};

struct TestEntity {
  EntityTypeId type;
  std::string id;
  std::vector<TestValue> attributes;
  std::optional<uint32_t> acts_for;  // index into Test::entities, for agents
  std::vector<uint32_t> parents;     // indexes into Test::entities
  Span span;
};

struct TestFact {
  SessionFact fact;
  ExprRef value;
};

struct TestRequest {
  Phase phase = Phase::kCall;
  ToolId tool;
  std::vector<TestValue> args;
  std::optional<ExprRef> returns;  // result requests
  uint32_t principal = 0;          // index into Test::entities; always an agent
  std::vector<TestFact> session;   // the facts of every `session` block before the request
  Expected expected = Expected::kDeny;
  std::vector<std::string> reasons;
  std::vector<std::string> warnings;
  Span span;
};

struct Test {
  PackageId package;
  FileId file;
  std::string name;
  std::vector<TestEntity> entities;
  std::vector<TestRequest> requests;
  Span span;
};

// ---- the side table -----------------------------------------------------------------------

// What a name, member or call refers to.
namespace resolved {
struct None {};
struct Local { ExprRef binder; };  // the variable of the quantifier `binder`
struct Principal {};
struct Args {};
struct Result {};
struct Session {};
struct Namespace {};  // an import alias or a type prefix; no value of its own
struct ActsFor {};                                  // `principal.acts_for`
struct Attribute { std::string name; bool optional; };  // an entity's attribute
struct Param { std::string name; };                 // `args.amount`
struct Field { std::string name; };                 // a record's field (`result.rows`)
struct Fact { SessionFact fact; };                  // `session.tokens_used`
struct CallsIn {};                                  // `session.calls_in`, and calls of it
struct EnumMember { EnumId enum_id; uint32_t member; };
struct EntityType { EntityTypeId type; };  // a type name, and entity literals of the type
struct StdFunction { uint32_t index; };    // into stdlib::Functions(); and calls of it
struct Prelude { PreludeFunction function; };
}  // namespace resolved

using Resolution =
    std::variant<resolved::None, resolved::Local, resolved::Principal, resolved::Args,
                 resolved::Result, resolved::Session, resolved::Namespace, resolved::ActsFor,
                 resolved::Attribute, resolved::Param, resolved::Field, resolved::Fact,
                 resolved::CallsIn, resolved::EnumMember, resolved::EntityType,
                 resolved::StdFunction, resolved::Prelude>;

// A value the checker folded: an int, money units (with the currency), a duration or a
// timestamp in milliseconds since the Unix epoch.
struct Constant {
  TypeKind kind = TypeKind::kInt;
  int64_t value = 0;
  std::string currency;
};

struct ExprFacts {
  Type type;  // the error type if the expression failed (or was never checked)
  Resolution resolution;
  std::optional<Constant> constant;
};

// ---- the program --------------------------------------------------------------------------

struct Program {
  TypeTable types;
  std::vector<Package> packages;
  std::vector<EntityType> entity_types;
  std::vector<EnumType> enums;
  std::vector<Tool> tools;
  std::vector<Rule> rules;
  std::vector<Limit> limits;
  std::vector<Budget> budgets;
  std::vector<Rate> rates;
  std::vector<Pool> pools;
  std::vector<Output> outputs;
  std::vector<Test> tests;

  const Package& package(PackageId id) const { return packages.at(id.index); }
  const EntityType& entity_type(EntityTypeId id) const { return entity_types.at(id.index); }
  const EnumType& enum_type(EnumId id) const { return enums.at(id.index); }
  const Tool& tool(ToolId id) const { return tools.at(id.index); }

  // The package named `name`; invalid if none.
  PackageId FindPackage(std::string_view name) const;
  // The enum of a std module, e.g. ("std.pii", "Kind"); invalid if none.
  EnumId FindStdEnum(std::string_view module, std::string_view name) const;

  // What the checker recorded for an expression. An expression never checked (inside a
  // declaration that failed earlier) has default facts: the error type and no resolution.
  const ExprFacts& facts(ExprRef ref) const;
  ExprFacts& mutable_facts(ExprRef ref);
  // Sizes the side table of `file` for `expr_count` expressions.
  void AddFile(FileId file, size_t expr_count);

  // A type as diagnostics spell it: `set<string>`, `{rows: int}`, `User`; an entity or enum
  // name is qualified with its package only where another type has the same name.
  std::string TypeName(Type type) const;

 private:
  std::vector<std::vector<ExprFacts>> facts_;  // [file index][expr index]
};

}  // namespace writ::check

#endif  // WRIT_COMPILER_CHECK_PROGRAM_H_
