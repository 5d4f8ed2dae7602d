// The expression arena: each node well typed for its operation and with `may_fail` set where
// the operation can fail; the roots of declarations closed (no free locals) and reading only
// what their declaration may read.
#include <algorithm>
#include <string>
#include <vector>

#include "compiler/ir/internal/verifier.h"
#include "compiler/ir/print.h"
#include "stdlib/declarations.h"

namespace writ::ir::internal {
namespace {

bool IsOrderedInt(TypeKind kind) {
  return kind == TypeKind::kInt || kind == TypeKind::kDuration || kind == TypeKind::kTimestamp;
}

// Merges the free locals of an operand into `out`; false if one slot is read at two types.
bool MergeLocals(std::vector<std::pair<uint32_t, TypeId>>& out,
                 const std::vector<std::pair<uint32_t, TypeId>>& in) {
  for (const auto& local : in) {
    auto it = std::lower_bound(out.begin(), out.end(), local,
                               [](const auto& x, const auto& y) { return x.first < y.first; });
    if (it != out.end() && it->first == local.first) {
      if (it->second != local.second) return false;
      continue;
    }
    out.insert(it, local);
  }
  return true;
}

}  // namespace

std::string Verifier::ExprName(uint32_t index) const {
  return "expr %" + std::to_string(index) + " (" + std::string(Info(p_.exprs[index].op).spelling) +
         ")";
}

absl::Status Verifier::CheckAttrLookups() {
  for (size_t i = 0; i < p_.attr_lookups.size(); ++i) {
    const AttrLookup& lookup = p_.attr_lookups[i];
    std::string what = "attribute lookup " + std::to_string(i) + " (" + lookup.name + ")";
    for (size_t j = 0; j < lookup.slots.size(); ++j) {
      const AttrSlot& slot = lookup.slots[j];
      if (slot.type.index >= p_.entity_types.size())
        return Fail(what + ": entity type out of range");
      if (j > 0 && !(lookup.slots[j - 1].type < slot.type)) {
        return Fail(what + ": slots are not sorted by entity type");
      }
      const EntityType& entity = p_.entity_types[slot.type.index];
      if (slot.slot == AttrSlot::kActsForSlot) {
        if (lookup.name != "acts_for" || !entity.is_agent() || !entity.agent->acts_for.valid()) {
          return Fail(what + ": `" + entity.name + "` has no acts_for");
        }
        continue;
      }
      if (slot.slot >= entity.attributes.size() ||
          entity.attributes[slot.slot].name != lookup.name) {
        return Fail(what + ": `" + entity.name + "` has no attribute `" + lookup.name +
                    "` at slot " + std::to_string(slot.slot));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckExprs() {
  free_locals_.assign(p_.exprs.size(), {});
  for (uint32_t i = 0; i < p_.exprs.size(); ++i) {
    absl::Status status = CheckExpr(i);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckExpr(uint32_t index) {
  const Expr& e = p_.exprs[index];
  if (static_cast<size_t>(e.op) >= OpCount()) {
    return Fail("expr %" + std::to_string(index) + ": unknown operation");
  }
  const OpInfo& info = Info(e.op);
  std::string what = ExprName(index);
  if (!TypeInRange(e.type)) return Fail(what + ": type out of range");
  if (e.loc.valid()) {
    absl::Status status = CheckLoc(e.loc, what);
    if (!status.ok()) return status;
  }

  // Operands: exactly those the operation uses, each defined before this node.
  bool uses_a = info.operands == Operands::kA || info.operands == Operands::kAB;
  bool uses_b = info.operands == Operands::kAB;
  bool uses_list = info.operands == Operands::kList;
  auto operand_ok = [&](ExprId id) { return id.valid() && id.index < index; };
  if (uses_a != e.a.valid() || uses_b != e.b.valid() || (!uses_list && e.list.count != 0)) {
    return Fail(what + ": operands do not match the operation");
  }
  if ((uses_a && !operand_ok(e.a)) || (uses_b && !operand_ok(e.b))) {
    return Fail(what + ": an operand is out of range or not defined before its use");
  }
  std::vector<ExprId> list;
  if (uses_list) {
    if (static_cast<uint64_t>(e.list.first) + e.list.count > p_.expr_lists.size()) {
      return Fail(what + ": operand list out of range");
    }
    for (ExprId id : p_.list(e.list)) {
      if (!operand_ok(id))
        return Fail(what + ": a listed operand is out of range or not defined before its use");
      list.push_back(id);
    }
  }
  if (info.imm == Imm::kNone && e.imm != 0) return Fail(what + ": unexpected immediate");

  // Free locals: the operands', minus the slot a quantifier binds in its body.
  auto& free = free_locals_[index];
  bool merged = true;
  if (uses_a) merged = merged && MergeLocals(free, free_locals_[e.a.index]);
  if (uses_list) {
    for (ExprId id : list) merged = merged && MergeLocals(free, free_locals_[id.index]);
  }
  if (e.op == Op::kAny || e.op == Op::kAll) {
    std::vector<std::pair<uint32_t, TypeId>> body = free_locals_[e.b.index];
    auto bound =
        std::find_if(body.begin(), body.end(), [&](const auto& l) { return l.first == e.imm; });
    if (bound != body.end()) {
      if (kind(p_.exprs[e.a.index].type) == TypeKind::kSet &&
          bound->second != type(p_.exprs[e.a.index].type).element) {
        return Fail(what + ": local " + std::to_string(e.imm) + " is read as " +
                    Name(bound->second) + " but bound to elements of " +
                    Name(p_.exprs[e.a.index].type));
      }
      body.erase(bound);
    }
    merged = merged && MergeLocals(free, body);
  } else if (uses_b) {
    merged = merged && MergeLocals(free, free_locals_[e.b.index]);
  }
  if (e.op == Op::kLocal) free.push_back({e.imm, e.type});
  if (!merged) return Fail(what + ": one local slot is read with two types");

  auto t = [&](ExprId id) { return p_.exprs[id.index].type; };
  auto k = [&](ExprId id) { return kind(t(id)); };
  auto expect = [&](bool ok, std::string_view rule) -> absl::Status {
    if (ok) return absl::OkStatus();
    std::string operands;
    if (uses_a) operands += " " + Name(t(e.a));
    if (uses_b) operands += ", " + Name(t(e.b));
    return Fail(what + ": ill-typed, expected " + std::string(rule) + "; has operands" +
                (operands.empty() ? " none" : operands) + " and type " + Name(e.type));
  };
  auto must_fail = [&](bool can_fail) -> absl::Status {
    if (!can_fail || e.may_fail) return absl::OkStatus();
    return Fail(what + ": can fail at run time but is not marked may_fail");
  };
  const TypeId bool_type = kBoolType;

  switch (e.op) {
    case Op::kConst:
      if (e.imm >= p_.constants.size()) return Fail(what + ": constant out of range");
      return expect(p_.constants[e.imm].type == e.type, "the constant's type");
    case Op::kPrincipal: return expect(kind(e.type) == TypeKind::kEntity, "an entity type");
    case Op::kArgs: return expect(kind(e.type) == TypeKind::kRecord, "a record type");
    case Op::kArg: return absl::OkStatus();  // the slot is checked against the root's tool
    case Op::kHasArg:
    case Op::kHasAttr:
    case Op::kHasField: break;                  // below
    case Op::kResult: return absl::OkStatus();  // checked against the root's tool
    case Op::kFact:
      if (e.imm >= kSessionFactCount) return Fail(what + ": unknown session fact");
      return expect(e.type == SessionFactType(static_cast<SessionFact>(e.imm)), "the fact's type");
    case Op::kCallsIn: {
      const Expr& window = p_.exprs[e.a.index];
      bool constant = window.op == Op::kConst && window.type == kDurationType &&
                      p_.constants[window.imm].value.number > 0;
      return expect(constant && e.type == kIntType, "a positive constant duration, giving int");
    }
    case Op::kLocal:
      if (e.imm >= p_.max_locals) return Fail(what + ": local slot beyond max_locals");
      return absl::OkStatus();
    case Op::kActsFor: {
      if (k(e.a) != TypeKind::kEntity || kind(e.type) != TypeKind::kEntity) {
        return expect(false, "an agent, giving its acts_for entity");
      }
      const auto& agents = type(t(e.a)).entities;
      bool ok = !agents.empty();
      for (EntityTypeId agent : agents) {
        const EntityType& entity = p_.entity_types[agent.index];
        ok = ok && entity.is_agent() && entity.agent->acts_for.valid() &&
             type(e.type).entities == std::vector<EntityTypeId>{entity.agent->acts_for};
      }
      return expect(ok, "agents that act for one entity type, giving it");
    }
    case Op::kAttr: {
      if (k(e.a) != TypeKind::kEntity) return expect(false, "an entity");
      if (e.imm >= p_.attr_lookups.size()) return Fail(what + ": attribute lookup out of range");
      const AttrLookup& lookup = p_.attr_lookups[e.imm];
      bool optional = false;
      for (EntityTypeId entity : type(t(e.a)).entities) {
        auto slot = std::find_if(lookup.slots.begin(), lookup.slots.end(),
                                 [&](const AttrSlot& s) { return s.type == entity; });
        if (slot == lookup.slots.end() || slot->slot == AttrSlot::kActsForSlot) {
          return Fail(what + ": `" + p_.entity_types[entity.index].name + "` has no attribute `" +
                      lookup.name + "` in the lookup");
        }
        const Attribute& attr = p_.entity_types[entity.index].attributes[slot->slot];
        if (attr.type != e.type) return expect(false, "the attribute's type " + Name(attr.type));
        optional = optional || attr.optional;
      }
      if (type(t(e.a)).entities.empty()) return Fail(what + ": reads an attribute of any entity");
      return must_fail(optional);
    }
    case Op::kInEntity:
      return expect(
          k(e.a) == TypeKind::kEntity && k(e.b) == TypeKind::kEntity && e.type == bool_type,
          "entity in entity, giving bool");
    case Op::kInEntitySet:
      return expect(k(e.a) == TypeKind::kEntity && k(e.b) == TypeKind::kSet &&
                        kind(type(t(e.b)).element) == TypeKind::kEntity && e.type == bool_type,
                    "entity in set of entities, giving bool");
    case Op::kField: {
      if (k(e.a) != TypeKind::kRecord || e.imm >= type(t(e.a)).fields.size()) {
        return expect(false, "a record with a field at slot " + std::to_string(e.imm));
      }
      const Field& field = type(t(e.a)).fields[e.imm];
      absl::Status status = expect(field.type == e.type, "the field's type");
      if (!status.ok()) return status;
      return must_fail(field.optional);
    }
    case Op::kMakeRecord: {
      if (kind(e.type) != TypeKind::kRecord || type(e.type).fields.size() != list.size()) {
        return expect(false, "one operand per field of a record type");
      }
      for (size_t i = 0; i < list.size(); ++i) {
        if (!Compatible(t(list[i]), type(e.type).fields[i].type)) {
          return expect(false, "field `" + type(e.type).fields[i].name + "` of type " +
                                   Name(type(e.type).fields[i].type));
        }
      }
      return absl::OkStatus();
    }
    case Op::kMakeSet: {
      if (kind(e.type) != TypeKind::kSet) return expect(false, "a set type");
      for (ExprId id : list) {
        if (!Compatible(t(id), type(e.type).element))
          return expect(false, "elements of the set's type");
      }
      return absl::OkStatus();
    }
    case Op::kInSet: {
      bool ok = k(e.b) == TypeKind::kSet && Compatible(t(e.a), type(t(e.b)).element) &&
                e.type == bool_type;
      absl::Status status = expect(ok, "an element and a set of its type, giving bool");
      if (!status.ok()) return status;
      return must_fail(k(e.a) == TypeKind::kMoney);
    }
    case Op::kSize:
      return expect(k(e.a) == TypeKind::kSet && e.type == kIntType, "a set, giving int");
    case Op::kAny:
    case Op::kAll:
      if (e.imm >= p_.max_locals) return Fail(what + ": local slot beyond max_locals");
      return expect(k(e.a) == TypeKind::kSet && t(e.b) == bool_type && e.type == bool_type,
                    "a set and a bool body, giving bool");
    case Op::kNot: return expect(t(e.a) == bool_type && e.type == bool_type, "bool, giving bool");
    case Op::kAnd:
    case Op::kOr:
      return expect(t(e.a) == bool_type && t(e.b) == bool_type && e.type == bool_type,
                    "bool and bool, giving bool");
    case Op::kEq:
    case Op::kNe: {
      absl::Status status = expect(Compatible(t(e.a), t(e.b)) && e.type == bool_type,
                                   "two values of one type, giving bool");
      if (!status.ok()) return status;
      return must_fail(k(e.a) == TypeKind::kMoney);
    }
    case Op::kIntLt:
    case Op::kIntLe:
    case Op::kIntGt:
    case Op::kIntGe:
      return expect(t(e.a) == t(e.b) && IsOrderedInt(k(e.a)) && e.type == bool_type,
                    "two int, duration or timestamp values of one type, giving bool");
    case Op::kMoneyLt:
    case Op::kMoneyLe:
    case Op::kMoneyGt:
    case Op::kMoneyGe: {
      absl::Status status =
          expect(t(e.a) == kMoneyType && t(e.b) == kMoneyType && e.type == bool_type,
                 "money and money, giving bool");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kStringLt:
    case Op::kStringLe:
    case Op::kStringGt:
    case Op::kStringGe:
      return expect(t(e.a) == kStringType && t(e.b) == kStringType && e.type == bool_type,
                    "string and string, giving bool");
    case Op::kIntAdd:
    case Op::kIntSub:
    case Op::kIntMul:
    case Op::kIntDiv:
    case Op::kIntMod: {
      absl::Status status = expect(t(e.a) == kIntType && t(e.b) == kIntType && e.type == kIntType,
                                   "int and int, giving int");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kIntNeg:
    case Op::kMoneyNeg:
    case Op::kDurationNeg: {
      TypeId operand = e.op == Op::kIntNeg     ? kIntType
                       : e.op == Op::kMoneyNeg ? kMoneyType
                                               : kDurationType;
      absl::Status status = expect(t(e.a) == operand && e.type == operand, "one numeric type");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kMoneyAdd:
    case Op::kMoneySub:
    case Op::kMoneyMul:
    case Op::kMoneyDiv: {
      TypeId rhs = e.op == Op::kMoneyAdd || e.op == Op::kMoneySub ? kMoneyType : kIntType;
      absl::Status status =
          expect(t(e.a) == kMoneyType && t(e.b) == rhs && e.type == kMoneyType,
                 rhs == kIntType ? "money and int, giving money" : "money and money, giving money");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kDurationAdd:
    case Op::kDurationSub:
    case Op::kDurationMul: {
      TypeId rhs = e.op == Op::kDurationMul ? kIntType : kDurationType;
      absl::Status status =
          expect(t(e.a) == kDurationType && t(e.b) == rhs && e.type == kDurationType,
                 rhs == kIntType ? "duration and int, giving duration"
                                 : "duration and duration, giving duration");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kTimestampAdd:
    case Op::kTimestampSub: {
      absl::Status status =
          expect(t(e.a) == kTimestampType && t(e.b) == kDurationType && e.type == kTimestampType,
                 "timestamp and duration, giving timestamp");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kTimestampDiff: {
      absl::Status status =
          expect(t(e.a) == kTimestampType && t(e.b) == kTimestampType && e.type == kDurationType,
                 "timestamp and timestamp, giving duration");
      return status.ok() ? must_fail(true) : status;
    }
    case Op::kLike: {
      const Expr& pattern = p_.exprs[e.b.index];
      return expect(t(e.a) == kStringType && pattern.op == Op::kConst &&
                        pattern.type == kStringType && e.type == bool_type,
                    "a string and a constant string pattern, giving bool");
    }
    case Op::kCall: return CheckCall(index, e);
  }

  // The `has` operations: bool, with a slot or lookup that exists.
  if (e.type != bool_type) return expect(false, "bool");
  if (e.op == Op::kHasField) {
    return expect(k(e.a) == TypeKind::kRecord && e.imm < type(t(e.a)).fields.size(),
                  "a record with a field at the slot");
  }
  if (e.op == Op::kHasAttr) {
    if (k(e.a) != TypeKind::kEntity) return expect(false, "an entity");
    if (e.imm >= p_.attr_lookups.size()) return Fail(what + ": attribute lookup out of range");
    const auto& entities = type(t(e.a)).entities;
    for (const AttrSlot& slot : p_.attr_lookups[e.imm].slots) {
      if (!entities.empty() &&
          std::find(entities.begin(), entities.end(), slot.type) == entities.end()) {
        return Fail(what + ": the lookup names a type the operand cannot have");
      }
    }
  }
  return absl::OkStatus();  // kHasArg: checked against the root's tool
}

absl::Status Verifier::CheckCall(uint32_t index, const Expr& e) {
  std::string what = ExprName(index);
  auto functions = stdlib::Functions();
  if (e.imm >= functions.size()) return Fail(what + ": unknown function");
  const stdlib::Function& fn = functions[e.imm];
  std::string name = std::string(fn.module) + "." + std::string(fn.name);
  auto matches = [&](TypeId id, const stdlib::TypeSpec& spec) {
    TypeId scalar = id;
    if (spec.is_set) {
      if (kind(id) != TypeKind::kSet) return false;
      scalar = type(id).element;
    }
    switch (spec.base) {
      case stdlib::BaseType::kBool: return scalar == kBoolType;
      case stdlib::BaseType::kInt: return scalar == kIntType;
      case stdlib::BaseType::kMoney: return scalar == kMoneyType;
      case stdlib::BaseType::kString: return scalar == kStringType;
      case stdlib::BaseType::kDuration: return scalar == kDurationType;
      case stdlib::BaseType::kTimestamp: return scalar == kTimestampType;
      case stdlib::BaseType::kEnum: {
        if (kind(scalar) != TypeKind::kEnum) return false;
        std::optional<uint32_t> expected = stdlib::FindEnum(fn.module, spec.enum_name);
        const Enum& actual = p_.enums[type(scalar).enum_id.index];
        return expected.has_value() && actual.stdlib_enum == expected;
      }
    }
    return false;
  };
  std::span<const ExprId> args = p_.list(e.list);
  if (args.size() != fn.params.size()) {
    return Fail(what + ": " + name + " takes " + std::to_string(fn.params.size()) +
                " arguments, not " + std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const Expr& arg = p_.exprs[args[i].index];
    if (!matches(arg.type, fn.params[i].type)) {
      return Fail(what + ": argument " + std::to_string(i + 1) + " of " + name + " has type " +
                  Name(arg.type));
    }
    if (fn.params[i].pattern != stdlib::Pattern::kNone && arg.op != Op::kConst) {
      return Fail(what + ": the pattern argument of " + name + " is not a constant");
    }
  }
  if (!matches(e.type, fn.result))
    return Fail(what + ": " + name + " does not return " + Name(e.type));
  if (!e.may_fail) return Fail(what + ": can fail at run time but is not marked may_fail");
  return absl::OkStatus();
}

absl::Status Verifier::CheckRoot(ExprId root, TypeId expected, const RootContext& context) {
  std::string where = context.what;
  if (!ExprInRange(root)) return Fail(where + ": expression out of range");
  if (p_.exprs[root.index].type != expected) {
    return Fail(where + ": expression %" + std::to_string(root.index) + " has type " +
                Name(p_.exprs[root.index].type) + ", expected " + Name(expected));
  }
  if (!free_locals_[root.index].empty()) {
    return Fail(where + ": expression %" + std::to_string(root.index) + " reads local " +
                std::to_string(free_locals_[root.index].front().first) + " outside its quantifier");
  }
  // Every node reachable from the root, once each: a node is seen in this walk when its stamp is
  // the walk's, so no walk pays for the size of the whole arena.
  if (visited_.size() != p_.exprs.size()) visited_.assign(p_.exprs.size(), 0);
  const uint32_t walk = ++walk_;
  std::vector<uint32_t> stack = {root.index};
  visited_[root.index] = walk;
  while (!stack.empty()) {
    uint32_t index = stack.back();
    stack.pop_back();
    const Expr& e = p_.exprs[index];
    auto push = [&](ExprId id) {
      if (id.valid() && visited_[id.index] != walk) {
        visited_[id.index] = walk;
        stack.push_back(id.index);
      }
    };
    push(e.a);
    push(e.b);
    if (Info(e.op).operands == Operands::kList) {
      for (ExprId id : p_.list(e.list)) push(id);
    }
    // The message names the declaration and the node; built only when something is wrong.
    auto fail = [&](const std::string& why) {
      return Fail(where + ", " + ExprName(index) + ": " + why);
    };
    switch (e.op) {
      case Op::kPrincipal:
        if (type(e.type).entities != context.principals) {
          return fail("principal has type " + Name(e.type) +
                      " but the declaration's principal may be another agent");
        }
        break;
      case Op::kArgs:
      case Op::kArg:
      case Op::kHasArg: {
        if (context.tool == nullptr) return fail("reads args where there is no tool");
        const TypeData& args = type(context.tool->args);
        if (e.op == Op::kArgs) {
          if (e.type != context.tool->args)
            return fail("not the args type of " + context.tool->name);
          break;
        }
        if (e.imm >= args.fields.size()) {
          return fail(context.tool->name + " has no parameter at slot " + std::to_string(e.imm));
        }
        const Field& param = args.fields[e.imm];
        if (e.op == Op::kArg && param.type != e.type) {
          return fail("parameter " + param.name + " has type " + Name(param.type) + ", not " +
                      Name(e.type));
        }
        if (e.op == Op::kArg && param.optional && !e.may_fail) {
          return fail("reads an optional parameter but is not marked may_fail");
        }
        break;
      }
      case Op::kResult:
        if (context.tool == nullptr || !context.result || !context.tool->result) {
          return fail("reads the result outside a result rule");
        }
        if (e.type != *context.tool->result)
          return fail("not the result type of " + context.tool->name);
        break;
      case Op::kFact:
      case Op::kCallsIn:
        if (!context.session) return fail("reads the session where it may not");
        break;
      default: break;
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckApprovers(ExprId root, ApproverKind approver_kind,
                                      const RootContext& context) {
  if (!ExprInRange(root)) return Fail(context.what + ": approvers out of range");
  TypeId actual = p_.exprs[root.index].type;
  bool ok = false;
  switch (approver_kind) {
    case ApproverKind::kEntity: ok = kind(actual) == TypeKind::kEntity; break;
    case ApproverKind::kEntitySet:
      ok = kind(actual) == TypeKind::kSet && kind(type(actual).element) == TypeKind::kEntity;
      break;
    case ApproverKind::kString: ok = actual == kStringType; break;
  }
  if (!ok) {
    return Fail(context.what + ": approvers of kind " + std::string(Spelling(approver_kind)) +
                " have type " + Name(actual));
  }
  return CheckRoot(root, actual, context);
}

}  // namespace writ::ir::internal
