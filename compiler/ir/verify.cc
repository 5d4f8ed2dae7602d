// The verifier's checks of the type table, the schema, the declarations, the per-tool plans
// and the tests. Expressions are in verify_exprs.cc.
#include "compiler/ir/verify.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/base/status.h"
#include "compiler/ir/internal/verifier.h"
#include "compiler/ir/print.h"
#include "stdlib/declarations.h"

namespace writ::ir {

absl::Status Verify(const Policy& policy) { return internal::Verifier(policy).Run(); }

namespace internal {
namespace {

bool IsCurrency(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

template <typename T>
bool SortedUnique(const std::vector<T>& ids) {
  for (size_t i = 1; i < ids.size(); ++i) {
    if (!(ids[i - 1] < ids[i])) return false;
  }
  return true;
}

}  // namespace

absl::Status Fail(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

absl::Status Verifier::Run() {
  if (p_.format_version != kFormatVersion) {
    return Fail("format version " + std::to_string(p_.format_version) + ", expected " +
                std::to_string(kFormatVersion));
  }
  WRIT_RETURN_IF_ERROR(CheckTypes());
  WRIT_RETURN_IF_ERROR(CheckSchema());
  WRIT_RETURN_IF_ERROR(CheckConstants());
  WRIT_RETURN_IF_ERROR(CheckAttrLookups());
  WRIT_RETURN_IF_ERROR(CheckExprs());
  WRIT_RETURN_IF_ERROR(CheckRules());
  WRIT_RETURN_IF_ERROR(CheckOtherDecls());
  WRIT_RETURN_IF_ERROR(CheckPlans());
  WRIT_RETURN_IF_ERROR(CheckTests());
  return absl::OkStatus();
}

bool Verifier::Compatible(TypeId a, TypeId b) const {
  if (a == b) return true;
  const TypeData& x = type(a);
  const TypeData& y = type(b);
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case TypeKind::kEntity: return true;
    case TypeKind::kSet: return Compatible(x.element, y.element);
    case TypeKind::kRecord:
      if (x.fields.size() != y.fields.size()) return false;
      for (size_t i = 0; i < x.fields.size(); ++i) {
        if (x.fields[i].name != y.fields[i].name ||
            !Compatible(x.fields[i].type, y.fields[i].type)) {
          return false;
        }
      }
      return true;
    default: return false;
  }
}

std::string Verifier::Name(TypeId id) const { return TypeName(p_, id); }

absl::Status Verifier::CheckLoc(const Loc& loc, std::string_view what) {
  if (!loc.valid()) return absl::OkStatus();
  if (loc.file >= p_.files.size())
    return Fail(std::string(what) + ": location's file out of range");
  if (loc.line == 0 || loc.column == 0) return Fail(std::string(what) + ": location without line");
  return absl::OkStatus();
}

absl::Status Verifier::CheckTypes() {
  static constexpr TypeKind kScalars[] = {TypeKind::kBool,     TypeKind::kInt,
                                          TypeKind::kMoney,    TypeKind::kString,
                                          TypeKind::kDuration, TypeKind::kTimestamp};
  if (p_.types.size() < kScalarTypeCount) return Fail("the type table lacks the scalar types");
  for (uint32_t i = 0; i < kScalarTypeCount; ++i) {
    if (p_.types[i].kind != kScalars[i])
      return Fail("type " + std::to_string(i) + " is not its scalar");
  }
  for (uint32_t i = 0; i < p_.types.size(); ++i) {
    const TypeData& data = p_.types[i];
    std::string what = "type " + std::to_string(i);
    for (uint32_t j = 0; j < i; ++j) {
      if (p_.types[j] == data) return Fail(what + " repeats type " + std::to_string(j));
    }
    switch (data.kind) {
      case TypeKind::kSet:
        // Element types come first, so a type never contains itself.
        if (data.element.index >= i) return Fail(what + ": element type out of range");
        break;
      case TypeKind::kRecord:
        for (size_t f = 0; f < data.fields.size(); ++f) {
          if (data.fields[f].type.index >= i) return Fail(what + ": field type out of range");
          if (f > 0 && !(data.fields[f - 1].name < data.fields[f].name)) {
            return Fail(what + ": fields are not sorted by name and distinct");
          }
        }
        break;
      case TypeKind::kEntity:
        if (!SortedUnique(data.entities))
          return Fail(what + ": entity types are not sorted and distinct");
        for (EntityTypeId id : data.entities) {
          if (id.index >= p_.entity_types.size()) return Fail(what + ": entity type out of range");
        }
        break;
      case TypeKind::kEnum:
        if (data.enum_id.index >= p_.enums.size()) return Fail(what + ": enum out of range");
        break;
      default:
        if (i >= kScalarTypeCount) return Fail(what + ": a scalar type after the fixed ones");
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckSchema() {
  for (const EntityType& entity : p_.entity_types) {
    std::string what = "entity type " + entity.name;
    if (entity.package.index >= p_.packages.size()) return Fail(what + ": package out of range");
    WRIT_RETURN_IF_ERROR(CheckLoc(entity.loc, what));
    std::set<std::string> names;
    for (const Attribute& attr : entity.attributes) {
      if (!TypeInRange(attr.type)) return Fail(what + ": attribute " + attr.name + " has no type");
      if (!names.insert(attr.name).second)
        return Fail(what + ": attribute " + attr.name + " repeats");
    }
    for (EntityTypeId parent : entity.parents) {
      if (parent.index >= p_.entity_types.size()) return Fail(what + ": parent out of range");
    }
    if (entity.agent && entity.agent->acts_for.valid() &&
        entity.agent->acts_for.index >= p_.entity_types.size()) {
      return Fail(what + ": acts_for out of range");
    }
  }
  auto std_enums = stdlib::Enums();
  for (const Enum& e : p_.enums) {
    WRIT_RETURN_IF_ERROR(CheckLoc(e.loc, "enum " + e.name));
    if (!e.stdlib_enum) continue;
    if (*e.stdlib_enum >= std_enums.size() ||
        std_enums[*e.stdlib_enum].members.size() != e.members.size()) {
      return Fail("enum " + e.name + " does not match its standard-library enum");
    }
  }
  for (size_t i = 0; i < p_.tools.size(); ++i) {
    const Tool& tool = p_.tools[i];
    std::string what = "tool " + tool.name;
    if (i > 0 && !(p_.tools[i - 1].name < tool.name))
      return Fail(what + ": tools are not sorted by name");
    if (!TypeInRange(tool.args) || kind(tool.args) != TypeKind::kRecord) {
      return Fail(what + ": args is not a record type");
    }
    if (tool.result && !TypeInRange(*tool.result)) return Fail(what + ": result type out of range");
    if (tool.packages.empty()) return Fail(what + ": declared by no package");
    for (PackageId package : tool.packages) {
      if (package.index >= p_.packages.size()) return Fail(what + ": package out of range");
    }
    WRIT_RETURN_IF_ERROR(CheckLoc(tool.loc, what));
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckConstants() {
  for (size_t i = 0; i < p_.constants.size(); ++i) {
    const Constant& constant = p_.constants[i];
    if (!TypeInRange(constant.type))
      return Fail("constant " + std::to_string(i) + ": type out of range");
    WRIT_RETURN_IF_ERROR(
        CheckValue(constant.value, constant.type, "constant " + std::to_string(i)));
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckValue(const Value& value, TypeId type_id, std::string_view what) {
  const TypeData& data = type(type_id);
  std::string where(what);
  auto fail = [&](std::string_view why) {
    return Fail(where + ": " + std::string(why) + " for type " + Name(type_id));
  };
  using Kind = Value::Kind;
  switch (data.kind) {
    case TypeKind::kBool:
      if (value.kind != Kind::kBool || (value.number != 0 && value.number != 1))
        return fail("not a bool");
      break;
    case TypeKind::kInt:
      if (value.kind != Kind::kInt) return fail("not an int");
      break;
    case TypeKind::kMoney:
      if (value.kind != Kind::kMoney || !IsCurrency(value.text))
        return fail("not money with a currency");
      break;
    case TypeKind::kString:
      if (value.kind != Kind::kString) return fail("not a string");
      break;
    case TypeKind::kDuration:
      if (value.kind != Kind::kDuration) return fail("not a duration");
      break;
    case TypeKind::kTimestamp:
      if (value.kind != Kind::kTimestamp || value.number < kMinTimestamp ||
          value.number > kMaxTimestamp) {
        return fail("not a timestamp in range");
      }
      break;
    case TypeKind::kSet:
      if (value.kind != Kind::kSet) return fail("not a set");
      for (size_t i = 0; i < value.elements.size(); ++i) {
        if (i > 0 && Compare(value.elements[i - 1], value.elements[i]) >= 0) {
          return fail("elements not in canonical order or repeated");
        }
        WRIT_RETURN_IF_ERROR(CheckValue(value.elements[i], data.element, what));
      }
      break;
    case TypeKind::kRecord:
      if (value.kind != Kind::kRecord || value.elements.size() != data.fields.size()) {
        return fail("not a record with one value per field");
      }
      for (size_t i = 0; i < data.fields.size(); ++i) {
        if (value.elements[i].kind == Kind::kAbsent) {
          if (!data.fields[i].optional)
            return fail("required field " + data.fields[i].name + " is absent");
          continue;
        }
        WRIT_RETURN_IF_ERROR(
            CheckValue(value.elements[i], data.fields[i].type, where + "." + data.fields[i].name));
      }
      break;
    case TypeKind::kEntity: {
      if (value.kind != Kind::kEntity || value.ref >= p_.entity_types.size())
        return fail("not an entity");
      bool listed =
          data.entities.empty() || std::find(data.entities.begin(), data.entities.end(),
                                             EntityTypeId{value.ref}) != data.entities.end();
      if (!listed) return fail("an entity of another type");
      break;
    }
    case TypeKind::kEnum:
      if (value.kind != Kind::kEnum || value.ref != data.enum_id.index || value.number < 0 ||
          static_cast<size_t>(value.number) >= p_.enums[value.ref].members.size()) {
        return fail("not a member of the enum");
      }
      break;
  }
  return absl::OkStatus();
}

std::vector<EntityTypeId> Verifier::PrincipalTypes(
    const std::vector<EntityTypeId>& principals) const {
  if (!principals.empty()) return principals;
  std::vector<EntityTypeId> agents;
  for (uint32_t i = 0; i < p_.entity_types.size(); ++i) {
    if (p_.entity_types[i].is_agent()) agents.push_back(EntityTypeId{i});
  }
  return agents;
}

absl::Status Verifier::CheckHead(const DeclHead& head, std::string_view kind_name) {
  std::string what = std::string(kind_name) + " " + head.id;
  if (head.id.empty()) return Fail(std::string(kind_name) + " without an id");
  if (head.package.index >= p_.packages.size()) return Fail(what + ": package out of range");
  return CheckLoc(head.loc, what);
}

absl::Status Verifier::CheckAgents(const std::vector<EntityTypeId>& agents, std::string_view what) {
  if (!SortedUnique(agents))
    return Fail(std::string(what) + ": agents are not sorted and distinct");
  for (EntityTypeId agent : agents) {
    if (agent.index >= p_.entity_types.size() || !p_.entity_types[agent.index].is_agent()) {
      return Fail(std::string(what) + ": names something that is not an agent");
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckToolList(const std::vector<ToolId>& tools, std::string_view what) {
  if (!SortedUnique(tools)) return Fail(std::string(what) + ": tools are not sorted and distinct");
  for (ToolId tool : tools) {
    if (tool.index >= p_.tools.size()) return Fail(std::string(what) + ": tool out of range");
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckRules() {
  for (const Rule& rule : p_.rules) {
    std::string what = "rule " + rule.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(rule.head, "rule"));
    WRIT_RETURN_IF_ERROR(CheckAgents(rule.principals, what));
    if (rule.effect == Effect::kPermit && rule.head.enforcement != Enforcement::kHard) {
      return Fail(what + ": a permit has no enforcement level");
    }
    if (rule.effect != Effect::kPermit && rule.reason.empty()) return Fail(what + ": no reason");
    if (!rule.grants.empty() && (rule.effect != Effect::kPermit || rule.phase != Phase::kCall)) {
      return Fail(what + ": grants belong to permit call rules");
    }
    bool approval = rule.effect == Effect::kRequireApproval;
    if (approval && rule.timeout_millis <= 0) return Fail(what + ": no timeout");
    if (rule.instances.empty()) return Fail(what + ": applies to no tool");
    RootContext context;
    context.principals = PrincipalTypes(rule.principals);
    context.session = true;
    context.result = rule.phase == Phase::kResult;
    for (size_t i = 0; i < rule.instances.size(); ++i) {
      const RuleInstance& instance = rule.instances[i];
      if (instance.tool.index >= p_.tools.size()) return Fail(what + ": tool out of range");
      if (i > 0 && !(rule.instances[i - 1].tool < instance.tool)) {
        return Fail(what + ": instances are not sorted by tool and distinct");
      }
      context.tool = &p_.tools[instance.tool.index];
      context.what = what + ", tool " + context.tool->name;
      if (rule.phase == Phase::kResult && !context.tool->result) {
        return Fail(context.what + ": a result rule on a tool without a result");
      }
      if (instance.condition.valid())
        WRIT_RETURN_IF_ERROR(CheckRoot(instance.condition, kBoolType, context));
      if (approval != instance.approvers.valid()) {
        return Fail(context.what + ": approvers are required exactly for require_approval");
      }
      if (approval)
        WRIT_RETURN_IF_ERROR(CheckApprovers(instance.approvers, rule.approver_kind, context));
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckOtherDecls() {
  std::set<std::string> ids;
  auto unique = [&](const DeclHead& head) -> absl::Status {
    if (!ids.insert(head.id).second) return Fail("declaration id " + head.id + " is not unique");
    return absl::OkStatus();
  };
  for (const Rule& rule : p_.rules) WRIT_RETURN_IF_ERROR(unique(rule.head));
  for (const Limit& limit : p_.limits) {
    std::string what = "limit " + limit.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(limit.head, "limit"));
    WRIT_RETURN_IF_ERROR(unique(limit.head));
    WRIT_RETURN_IF_ERROR(CheckAgents(limit.principals, what));
    WRIT_RETURN_IF_ERROR(CheckToolList(limit.tools, what));
    if (limit.reason.empty()) return Fail(what + ": no reason");
    RootContext context;
    context.what = what;
    context.principals = PrincipalTypes(limit.principals);
    WRIT_RETURN_IF_ERROR(CheckRoot(limit.bound, kMoneyType, context));
  }
  for (const Budget& budget : p_.budgets) {
    std::string what = "budget " + budget.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(budget.head, "budget"));
    WRIT_RETURN_IF_ERROR(unique(budget.head));
    WRIT_RETURN_IF_ERROR(CheckAgents(budget.principals, what));
    if (budget.amount <= 0) return Fail(what + ": amount is not positive");
    if ((budget.kind == BudgetKind::kSpend) != IsCurrency(budget.currency)) {
      return Fail(what + ": a currency belongs exactly to spend budgets");
    }
    for (size_t i = 0; i < budget.warn_at.size(); ++i) {
      if (budget.warn_at[i] <= (i == 0 ? 0 : budget.warn_at[i - 1]) || budget.warn_at[i] >= 100) {
        return Fail(what + ": warning thresholds are not increasing percentages below 100");
      }
    }
    if (budget.reason.empty()) return Fail(what + ": no reason");
    bool approval = budget.then == BudgetAction::kRequireApproval;
    if (approval != budget.approvers.valid()) {
      return Fail(what + ": approvers are required exactly for then require_approval");
    }
    if (approval) {
      RootContext context;
      context.what = what;
      context.session = true;
      context.principals = PrincipalTypes(budget.principals);
      WRIT_RETURN_IF_ERROR(CheckApprovers(budget.approvers, budget.approver_kind, context));
    }
  }
  for (const Rate& rate : p_.rates) {
    std::string what = "rate " + rate.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(rate.head, "rate"));
    WRIT_RETURN_IF_ERROR(unique(rate.head));
    WRIT_RETURN_IF_ERROR(CheckAgents(rate.principals, what));
    WRIT_RETURN_IF_ERROR(CheckToolList(rate.tools, what));
    if (rate.count <= 0 || rate.window_millis <= 0)
      return Fail(what + ": count or window not positive");
    if (rate.reason.empty()) return Fail(what + ": no reason");
  }
  for (const Pool& pool : p_.pools) {
    std::string what = "pool " + pool.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(pool.head, "pool"));
    WRIT_RETURN_IF_ERROR(unique(pool.head));
    WRIT_RETURN_IF_ERROR(CheckToolList(pool.tools, what));
    WRIT_RETURN_IF_ERROR(CheckAgents(pool.agents, what));
    if (pool.size <= 0) return Fail(what + ": size not positive");
    if (pool.counts_calls ? !pool.agents.empty() : !pool.tools.empty()) {
      return Fail(what + ": a calls pool names tools, a sessions pool agents");
    }
    if (pool.reason.empty()) return Fail(what + ": no reason");
  }
  for (const Output& output : p_.outputs) {
    std::string what = "output " + output.head.id;
    WRIT_RETURN_IF_ERROR(CheckHead(output.head, "output"));
    WRIT_RETURN_IF_ERROR(unique(output.head));
    WRIT_RETURN_IF_ERROR(CheckToolList(output.tools, what));
    auto std_enums = stdlib::Enums();
    std::optional<uint32_t> kinds = stdlib::FindEnum("std.pii", "Kind");
    for (const OutputCheck& check : output.checks) {
      if (!check.redact && check.reason.empty())
        return Fail(what + ": a forbid line without a reason");
      for (uint32_t detector : check.detectors) {
        if (!kinds || detector >= std_enums[*kinds].members.size()) {
          return Fail(what + ": unknown detector " + std::to_string(detector));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckPlans() {
  // Every entry must belong where it is, and every (declaration, tool) pair must have exactly one.
  std::map<std::pair<uint32_t, uint32_t>, int> rule_entries, limit_entries, rate_entries,
      pool_entries, output_entries;
  auto in = [](const std::vector<ToolId>& tools, ToolId tool) {
    return std::find(tools.begin(), tools.end(), tool) != tools.end();
  };
  for (uint32_t t = 0; t < p_.tools.size(); ++t) {
    const Tool& tool = p_.tools[t];
    for (size_t phase = 0; phase < kPhaseCount; ++phase) {
      const Plan& plan = tool.plans[phase];
      std::string what =
          "plan " + tool.name + " " + std::string(Spelling(static_cast<Phase>(phase)));
      for (const RuleRef& ref : plan.rules) {
        if (ref.rule.index >= p_.rules.size()) return Fail(what + ": rule out of range");
        const Rule& rule = p_.rules[ref.rule.index];
        if (ref.instance >= rule.instances.size() ||
            rule.instances[ref.instance].tool != ToolId{t} ||
            static_cast<size_t>(rule.phase) != phase) {
          return Fail(what + ": lists rule " + rule.head.id + " which does not apply to it");
        }
        ++rule_entries[{ref.rule.index, ref.instance}];
      }
      bool call = phase == static_cast<size_t>(Phase::kCall);
      if (!call && (!plan.limits.empty() || !plan.rates.empty() || !plan.pools.empty())) {
        return Fail(what + ": limits, rates and pools belong to the call phase");
      }
      const TypeData& args = type(tool.args);
      for (const LimitRef& ref : plan.limits) {
        if (ref.limit.index >= p_.limits.size()) return Fail(what + ": limit out of range");
        const Limit& limit = p_.limits[ref.limit.index];
        if (!in(limit.tools, ToolId{t}))
          return Fail(what + ": lists limit " + limit.head.id + " of other tools");
        if (ref.param_slot >= args.fields.size() ||
            args.fields[ref.param_slot].name != limit.param ||
            args.fields[ref.param_slot].type != kMoneyType) {
          return Fail(what + ": limit " + limit.head.id + " has a wrong parameter slot");
        }
        ++limit_entries[{ref.limit.index, t}];
      }
      for (RateId id : plan.rates) {
        if (id.index >= p_.rates.size() || !in(p_.rates[id.index].tools, ToolId{t})) {
          return Fail(what + ": lists a rate that does not apply to it");
        }
        ++rate_entries[{id.index, t}];
      }
      for (PoolId id : plan.pools) {
        if (id.index >= p_.pools.size() || !in(p_.pools[id.index].tools, ToolId{t})) {
          return Fail(what + ": lists a pool that does not apply to it");
        }
        ++pool_entries[{id.index, t}];
      }
      for (const OutputRef& ref : plan.outputs) {
        if (ref.output.index >= p_.outputs.size()) return Fail(what + ": output out of range");
        const Output& output = p_.outputs[ref.output.index];
        if (!in(output.tools, ToolId{t}) || static_cast<size_t>(output.phase) != phase) {
          return Fail(what + ": lists output " + output.head.id + " which does not apply to it");
        }
        const TypeData* record = call ? &args : (tool.result ? &type(*tool.result) : nullptr);
        bool ok = record != nullptr && record->kind == TypeKind::kRecord &&
                  ref.field_slot < record->fields.size() &&
                  record->fields[ref.field_slot].name == output.field;
        if (ok) {
          TypeId field = record->fields[ref.field_slot].type;
          ok = field == kStringType ||
               (kind(field) == TypeKind::kSet && type(field).element == kStringType);
        }
        if (!ok) return Fail(what + ": output " + output.head.id + " has a wrong field slot");
        ++output_entries[{ref.output.index, t}];
      }
    }
  }
  auto once = [](const std::map<std::pair<uint32_t, uint32_t>, int>& entries, uint32_t decl,
                 uint32_t second) {
    auto it = entries.find({decl, second});
    return it != entries.end() && it->second == 1;
  };
  for (uint32_t r = 0; r < p_.rules.size(); ++r) {
    for (uint32_t i = 0; i < p_.rules[r].instances.size(); ++i) {
      if (!once(rule_entries, r, i)) {
        return Fail("rule " + p_.rules[r].head.id + " is not listed exactly once in the plan of " +
                    p_.tools[p_.rules[r].instances[i].tool.index].name);
      }
    }
  }
  auto each_tool = [&](const std::vector<ToolId>& tools, const auto& entries, uint32_t decl,
                       const std::string& id) -> absl::Status {
    for (ToolId tool : tools) {
      if (!once(entries, decl, tool.index)) {
        return Fail(id + " is not listed exactly once in the plan of " + p_.tools[tool.index].name);
      }
    }
    return absl::OkStatus();
  };
  for (uint32_t i = 0; i < p_.limits.size(); ++i) {
    WRIT_RETURN_IF_ERROR(
        each_tool(p_.limits[i].tools, limit_entries, i, "limit " + p_.limits[i].head.id));
  }
  for (uint32_t i = 0; i < p_.rates.size(); ++i) {
    WRIT_RETURN_IF_ERROR(
        each_tool(p_.rates[i].tools, rate_entries, i, "rate " + p_.rates[i].head.id));
  }
  for (uint32_t i = 0; i < p_.pools.size(); ++i) {
    WRIT_RETURN_IF_ERROR(
        each_tool(p_.pools[i].tools, pool_entries, i, "pool " + p_.pools[i].head.id));
  }
  for (uint32_t i = 0; i < p_.outputs.size(); ++i) {
    WRIT_RETURN_IF_ERROR(
        each_tool(p_.outputs[i].tools, output_entries, i, "output " + p_.outputs[i].head.id));
  }
  return absl::OkStatus();
}

absl::Status Verifier::CheckTests() {
  for (const Test& test : p_.tests) {
    std::string what = "test \"" + test.name + "\"";
    if (test.package.index >= p_.packages.size()) return Fail(what + ": package out of range");
    WRIT_RETURN_IF_ERROR(CheckLoc(test.loc, what));
    std::set<std::pair<uint32_t, std::string>> declared;
    for (const TestEntity& entity : test.entities) {
      if (entity.type.index >= p_.entity_types.size())
        return Fail(what + ": entity type out of range");
      if (!declared.insert({entity.type.index, entity.id}).second) {
        return Fail(what + ": entity " + entity.id + " is declared twice");
      }
    }
    // Entity values must name entities of the test.
    auto names_test_entities = [&](const auto& self, const Value& value) -> bool {
      if (value.kind == Value::Kind::kEntity && !declared.contains({value.ref, value.text}))
        return false;
      for (const Value& element : value.elements) {
        if (!self(self, element)) return false;
      }
      return true;
    };
    auto check_value = [&](const Value& value, TypeId type_id,
                           const std::string& where) -> absl::Status {
      WRIT_RETURN_IF_ERROR(CheckValue(value, type_id, where));
      if (!names_test_entities(names_test_entities, value)) {
        return Fail(where + ": names an entity the test does not declare");
      }
      return absl::OkStatus();
    };
    for (size_t i = 0; i < test.entities.size(); ++i) {
      const TestEntity& entity = test.entities[i];
      const EntityType& type_data = p_.entity_types[entity.type.index];
      std::string where = what + ", entity " + type_data.name + "::" + Quote(entity.id);
      WRIT_RETURN_IF_ERROR(CheckLoc(entity.loc, where));
      if (entity.attributes.size() != type_data.attributes.size()) {
        return Fail(where + ": not one value per attribute");
      }
      for (size_t a = 0; a < entity.attributes.size(); ++a) {
        const Attribute& attr = type_data.attributes[a];
        if (entity.attributes[a].kind == Value::Kind::kAbsent) {
          if (!attr.optional)
            return Fail(where + ": required attribute " + attr.name + " is absent");
          continue;
        }
        WRIT_RETURN_IF_ERROR(check_value(entity.attributes[a], attr.type, where + "." + attr.name));
      }
      bool acts = type_data.is_agent() && type_data.agent->acts_for.valid();
      if (acts != entity.acts_for.has_value()) {
        return Fail(where + ": acts_for is required exactly for agents that act for someone");
      }
      if (acts && (*entity.acts_for >= test.entities.size() ||
                   test.entities[*entity.acts_for].type != type_data.agent->acts_for)) {
        return Fail(where + ": acts_for names an entity of the wrong type");
      }
      for (uint32_t parent : entity.parents) {
        if (parent >= test.entities.size() ||
            std::find(type_data.parents.begin(), type_data.parents.end(),
                      test.entities[parent].type) == type_data.parents.end()) {
          return Fail(where + ": a parent of a type it may not be in");
        }
      }
    }
    for (size_t r = 0; r < test.requests.size(); ++r) {
      const TestRequest& request = test.requests[r];
      std::string where = what + ", request " + std::to_string(r);
      WRIT_RETURN_IF_ERROR(CheckLoc(request.loc, where));
      if (request.tool.index >= p_.tools.size()) return Fail(where + ": tool out of range");
      const Tool& tool = p_.tools[request.tool.index];
      WRIT_RETURN_IF_ERROR(check_value(request.args, tool.args, where + " args"));
      if ((request.phase == Phase::kResult) != request.result.has_value()) {
        return Fail(where + ": a result value belongs exactly to result requests");
      }
      if (request.result) {
        if (!tool.result) return Fail(where + ": " + tool.name + " has no result");
        WRIT_RETURN_IF_ERROR(check_value(*request.result, *tool.result, where + " result"));
      }
      if (request.principal >= test.entities.size() ||
          !p_.entity_types[test.entities[request.principal].type.index].is_agent()) {
        return Fail(where + ": the principal is not an agent of the test");
      }
      for (const TestFact& fact : request.session) {
        if (static_cast<size_t>(fact.fact) >= kSessionFactCount)
          return Fail(where + ": unknown fact");
        WRIT_RETURN_IF_ERROR(check_value(fact.value, SessionFactType(fact.fact),
                                         where + " session." + std::string(Spelling(fact.fact))));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace writ::ir
