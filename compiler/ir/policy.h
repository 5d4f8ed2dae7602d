// The decision IR: everything an evaluator needs to decide a tool call, as plain data addressed
// by strong ids (docs/ir.md). `compiler/lower` produces a Policy from a checked program;
// `Verify` checks its invariants and `Print` renders it. The runtime includes this layer and
// never the parser or the checker.
#ifndef WRIT_COMPILER_IR_POLICY_H_
#define WRIT_COMPILER_IR_POLICY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/vocabulary.h"
#include "compiler/ir/ids.h"
#include "compiler/ir/types.h"
#include "compiler/ir/value.h"

namespace writ::ir {

// The version of the IR's structure; bumped whenever a field changes meaning.
inline constexpr uint32_t kFormatVersion = 1;

// ---- enumerations -------------------------------------------------------------------------

// The vocabulary the IR shares with the syntax and the checker (compiler/base/vocabulary.h).
using writ::ApproverKind;
using writ::BudgetAction;
using writ::BudgetKind;
using writ::Effect;
using writ::Enforcement;
using writ::Expected;
using writ::kPhaseCount;
using writ::kSessionFactCount;
using writ::Period;
using writ::Phase;
using writ::PoolAction;
using writ::SessionFact;
using writ::Spelling;

// The type of a session fact (a scalar type id).
TypeId SessionFactType(SessionFact fact);

// ---- expressions --------------------------------------------------------------------------

enum class Op : uint8_t {
#define WRIT_IR_OP(name, spelling, operands, imm) name,
#include "compiler/ir/ops.def"
};

// Which operand fields an operation uses, and what its `imm` holds (ops.def).
enum class Operands : uint8_t { kNone, kA, kAB, kList };
enum class Imm : uint8_t { kNone, kConst, kSlot, kFact, kLocal, kFunction, kLookup };

struct OpInfo {
  std::string_view spelling;  // "money.add"
  Operands operands;
  Imm imm;
};

const OpInfo& Info(Op op);
// Every operation, in enum order.
size_t OpCount();

// One node of the expression arena. Operands have smaller ids than the node.
struct Expr {
  Op op = Op::kConst;
  bool may_fail = false;  // evaluating the operation itself can produce an evaluation error
  TypeId type;
  Loc loc;
  ExprId a;
  ExprId b;
  uint32_t imm = 0;
  ListRef list;
  friend bool operator==(const Expr&, const Expr&) = default;
};

struct Constant {
  TypeId type;
  Value value;
};

// The slot of an attribute in one entity type. kActsForSlot stands for an agent's `acts_for`
// (only in the lookups of `has_attr`).
struct AttrSlot {
  static constexpr uint32_t kActsForSlot = UINT32_MAX;
  EntityTypeId type;
  uint32_t slot = 0;
  friend bool operator==(const AttrSlot&, const AttrSlot&) = default;
};

// How to find the attribute `name` in each entity type that has it, sorted by type.
struct AttrLookup {
  std::string name;
  std::vector<AttrSlot> slots;
  friend bool operator==(const AttrLookup&, const AttrLookup&) = default;
};

// ---- schema -------------------------------------------------------------------------------

struct Package {
  std::string name;
};

struct Attribute {
  std::string name;
  TypeId type;
  bool optional = false;
};

struct Credential {
  std::string name;
  std::vector<std::string> scopes;
  int64_t max_ttl_millis = 0;
};

struct AgentInfo {
  EntityTypeId acts_for;  // invalid if the agent acts for no one
  std::vector<Credential> credentials;
};

struct EntityType {
  std::string name;  // qualified: "org.User"
  PackageId package;
  std::vector<Attribute> attributes;  // declaration order; the index is the attribute's slot
  std::vector<EntityTypeId> parents;  // the types an entity of this type may be `in`
  std::optional<AgentInfo> agent;
  Loc loc;
  bool is_agent() const { return agent.has_value(); }
};

struct Enum {
  std::string name;  // qualified: "regions.Region", "std.pii.Kind"
  std::vector<std::string> members;
  std::optional<uint32_t> stdlib_enum;  // index into stdlib::Enums()
  Loc loc;
};

// ---- declarations -------------------------------------------------------------------------

// What every rule-like declaration has.
struct DeclHead {
  std::string id;  // unique in the policy: the label, else `package:line` (docs/ir.md)
  PackageId package;
  Enforcement enforcement = Enforcement::kHard;
  bool shadow = false;
  Loc loc;
};

// A credential minted for an allowed call. Absent scopes or ttl mean those the principal's
// agent declares for the credential.
struct Grant {
  std::string credential;
  std::optional<std::vector<std::string>> scopes;
  std::optional<int64_t> ttl_millis;
};

// A rule as it applies to one of its tools: the expressions are lowered against that tool's
// arguments and result. Invalid ids mean the clause is absent.
struct RuleInstance {
  ToolId tool;
  ExprId condition;  // bool
  ExprId approvers;  // require_approval only
};

struct Rule {
  DeclHead head;
  Effect effect = Effect::kPermit;
  Phase phase = Phase::kCall;
  std::vector<EntityTypeId> principals;                // agent types; empty means any principal
  std::vector<RuleInstance> instances;                 // one per tool, sorted by tool
  std::string reason;                                  // empty only for permit
  ApproverKind approver_kind = ApproverKind::kString;  // require_approval only
  int64_t timeout_millis = 0;                          // require_approval only
  std::vector<Grant> grants;
  std::vector<std::string> warnings;
};

struct Limit {
  DeclHead head;
  std::string target;  // as written: "payments.transfer.amount"
  std::string param;
  std::vector<ToolId> tools;
  Period period = Period::kTask;
  ExprId bound;  // money; reads only `principal` and constants
  std::vector<EntityTypeId> principals;
  std::string reason;
};

struct Budget {
  DeclHead head;
  BudgetKind kind = BudgetKind::kTokens;
  Period period = Period::kTask;
  int64_t amount = 0;    // tokens and calls: a count; time: ms; spend: money units
  std::string currency;  // spend only
  std::vector<EntityTypeId> principals;
  std::vector<int64_t> warn_at;  // percentages, increasing, below 100
  BudgetAction then = BudgetAction::kDeny;
  ApproverKind approver_kind = ApproverKind::kString;  // kRequireApproval only
  ExprId approvers;                                    // kRequireApproval only
  std::string reason;
};

struct Rate {
  DeclHead head;
  std::vector<ToolId> tools;
  int64_t count = 0;
  int64_t window_millis = 0;
  std::vector<EntityTypeId> principals;
  std::string reason;
};

struct Pool {
  DeclHead head;
  std::string name;
  int64_t size = 0;
  bool counts_calls = true;  // in-flight calls of `tools`, or sessions of `agents`
  std::vector<ToolId> tools;
  std::vector<EntityTypeId> agents;
  PoolAction then = PoolAction::kRefuse;
  std::string reason;
};

// One `forbid` or `redact` line of an output rule.
struct OutputCheck {
  bool redact = false;
  std::vector<uint32_t> detectors;  // members of std.pii's `Kind`
  std::string reason;               // empty only for redact without `because`
};

struct Output {
  DeclHead head;
  Phase phase = Phase::kCall;
  std::string target;  // as written: "email.send.body"
  std::string field;
  std::vector<ToolId> tools;
  std::vector<OutputCheck> checks;
};

// ---- the per-tool index -------------------------------------------------------------------

struct RuleRef {
  RuleId rule;
  uint32_t instance = 0;  // index into the rule's instances
};

struct LimitRef {
  LimitId limit;
  uint32_t param_slot = 0;  // the money parameter in the tool's `args`
};

struct OutputRef {
  OutputId output;
  uint32_t field_slot = 0;  // in `args` (call phase) or the result record (result phase)
};

// What applies to calls of one tool in one phase. Limits, rates and pools are call-phase only.
struct Plan {
  std::vector<RuleRef> rules;
  std::vector<LimitRef> limits;
  std::vector<RateId> rates;
  std::vector<PoolId> pools;
  std::vector<OutputRef> outputs;
};

struct Tool {
  std::string name;  // "payments.transfer", as the agent runtime names it
  TypeId args;       // a record type; a parameter's slot is its field index
  std::optional<TypeId> result;
  std::vector<PackageId> packages;  // every package that declares the tool
  std::array<Plan, kPhaseCount> plans;
  Loc loc;  // the first declaration

  const Plan& plan(Phase phase) const { return plans[static_cast<size_t>(phase)]; }
};

// ---- tests --------------------------------------------------------------------------------

struct TestEntity {
  EntityTypeId type;
  std::string id;
  std::vector<Value> attributes;     // aligned with the type's attributes; kAbsent if not given
  std::optional<uint32_t> acts_for;  // index into Test::entities
  std::vector<uint32_t> parents;     // indexes into Test::entities
  Loc loc;
};

struct TestFact {
  SessionFact fact;
  Value value;
};

struct TestRequest {
  Phase phase = Phase::kCall;
  ToolId tool;
  Value args;                   // a record of the tool's `args` type
  std::optional<Value> result;  // result requests: a value of the tool's result type
  uint32_t principal = 0;       // index into Test::entities; an agent
  std::vector<TestFact> session;
  Expected expected = Expected::kDeny;
  std::vector<std::string> reasons;
  std::vector<std::string> warnings;
  Loc loc;
};

struct Test {
  PackageId package;
  std::string name;
  std::vector<TestEntity> entities;
  std::vector<TestRequest> requests;
  Loc loc;
};

// ---- the policy ---------------------------------------------------------------------------

struct Policy {
  uint32_t format_version = kFormatVersion;
  std::vector<std::string> files;  // display paths, indexed by Loc::file
  std::vector<Package> packages;
  std::vector<TypeData> types;  // starts with the scalar types (types.h)
  std::vector<EntityType> entity_types;
  std::vector<Enum> enums;
  std::vector<Tool> tools;  // sorted by name, distinct names

  std::vector<Expr> exprs;
  std::vector<ExprId> expr_lists;
  std::vector<Constant> constants;
  std::vector<AttrLookup> attr_lookups;
  uint32_t max_locals = 0;  // local slots one evaluation needs

  std::vector<Rule> rules;
  std::vector<Limit> limits;
  std::vector<Budget> budgets;
  std::vector<Rate> rates;
  std::vector<Pool> pools;
  std::vector<Output> outputs;
  std::vector<Test> tests;

  const TypeData& type(TypeId id) const { return types.at(id.index); }
  const Expr& expr(ExprId id) const { return exprs.at(id.index); }
  const Tool& tool(ToolId id) const { return tools.at(id.index); }
  const EntityType& entity_type(EntityTypeId id) const { return entity_types.at(id.index); }
  // The operands of a list node; the range must be in bounds (Verify checks it).
  std::span<const ExprId> list(ListRef ref) const;
};

// The tool the agent runtime calls `name`; invalid if the policy does not declare it.
ToolId FindTool(const Policy& policy, std::string_view name);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_POLICY_H_
