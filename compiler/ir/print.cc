#include "compiler/ir/print.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "stdlib/declarations.h"

namespace writ::ir {
namespace {

template <typename T, typename F>
std::string Join(const std::vector<T>& items, F&& format, std::string_view separator = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += format(items[i]);
  }
  return out;
}

std::string Strings(const std::vector<std::string>& items) {
  return "[" + Join(items, [](const std::string& s) { return Quote(s); }) + "]";
}

class Printer {
 public:
  explicit Printer(const Policy& policy) : p_(policy) {}

  std::string Run() {
    Line("writ-ir " + std::to_string(p_.format_version));
    Schema();
    for (const Rule& rule : p_.rules) PrintRule(rule);
    for (const Limit& limit : p_.limits) PrintLimit(limit);
    for (const Budget& budget : p_.budgets) PrintBudget(budget);
    for (const Rate& rate : p_.rates) PrintRate(rate);
    for (const Pool& pool : p_.pools) PrintPool(pool);
    for (const Output& output : p_.outputs) PrintOutput(output);
    Plans();
    for (const Test& test : p_.tests) PrintTest(test);
    return std::move(out_);
  }

 private:
  void Line(const std::string& text) { out_ += text + "\n"; }
  void Blank() { out_ += "\n"; }

  std::string Type(TypeId id) const { return TypeName(p_, id); }
  std::string Entity(EntityTypeId id) const {
    return id.index < p_.entity_types.size() ? p_.entity_types[id.index].name : "?";
  }
  std::string Entities(const std::vector<EntityTypeId>& ids) const {
    return "[" + Join(ids, [&](EntityTypeId id) { return Entity(id); }) + "]";
  }
  std::string ToolName(ToolId id) const {
    return id.index < p_.tools.size() ? p_.tools[id.index].name : "?";
  }
  std::string Tools(const std::vector<ToolId>& ids) const {
    return "[" + Join(ids, [&](ToolId id) { return ToolName(id); }) + "]";
  }
  std::string At(const Loc& loc) const { return " @" + FormatLoc(p_, loc); }
  std::string Package(PackageId id) const {
    return id.index < p_.packages.size() ? p_.packages[id.index].name : "?";
  }
  std::string Head(const DeclHead& head, std::string_view kind) const {
    std::string text = std::string(kind) + " " + head.id + " (" + Package(head.package) +
                       "): " + std::string(Spelling(head.enforcement));
    if (head.shadow) text += " shadow";
    return text;
  }

  void Schema() {
    Blank();
    for (size_t i = 0; i < p_.files.size(); ++i)
      Line("file " + std::to_string(i) + " " + Quote(p_.files[i]));
    for (size_t i = 0; i < p_.packages.size(); ++i) {
      Line("package " + std::to_string(i) + " " + p_.packages[i].name);
    }
    for (const EntityType& entity : p_.entity_types) {
      Blank();
      std::string line = (entity.is_agent() ? "agent " : "entity ") + entity.name;
      if (entity.agent && entity.agent->acts_for.valid())
        line += " acts_for " + Entity(entity.agent->acts_for);
      if (!entity.parents.empty()) line += " in " + Entities(entity.parents);
      Line(line + At(entity.loc));
      for (size_t i = 0; i < entity.attributes.size(); ++i) {
        const Attribute& attr = entity.attributes[i];
        Line("  #" + std::to_string(i) + " " + attr.name + (attr.optional ? "?: " : ": ") +
             Type(attr.type));
      }
      if (entity.agent) {
        for (const Credential& credential : entity.agent->credentials) {
          Line("  credential " + credential.name + " " + Strings(credential.scopes) + " ttl " +
               FormatDuration(credential.max_ttl_millis));
        }
      }
    }
    for (const Enum& e : p_.enums) {
      Blank();
      Line("enum " + e.name + " [" + Join(e.members, [](const std::string& m) { return m; }) + "]" +
           (e.stdlib_enum ? " std" : At(e.loc)));
    }
    for (const Tool& tool : p_.tools) {
      Blank();
      const TypeData& args = p_.type(tool.args);
      std::string line = "tool " + tool.name + "(" +
                         Join(args.fields,
                              [&](const Field& f) {
                                return f.name + (f.optional ? "?: " : ": ") + Type(f.type);
                              }) +
                         ")";
      if (tool.result) line += " -> " + Type(*tool.result);
      line += " packages [" + Join(tool.packages, [&](PackageId id) { return Package(id); }) + "]";
      Line(line + At(tool.loc));
    }
  }

  // The nodes reachable from `root`, in arena order, one instruction per line.
  void Expression(ExprId root, const Tool* tool, uint32_t file, const std::string& indent) {
    std::vector<uint32_t> nodes;
    std::vector<bool> seen(root.index + 1, false);
    std::vector<uint32_t> stack = {root.index};
    seen[root.index] = true;
    while (!stack.empty()) {
      uint32_t index = stack.back();
      stack.pop_back();
      nodes.push_back(index);
      const Expr& e = p_.exprs[index];
      auto push = [&](ExprId id) {
        if (id.valid() && id.index <= root.index && !seen[id.index]) {
          seen[id.index] = true;
          stack.push_back(id.index);
        }
      };
      push(e.a);
      push(e.b);
      if (Info(e.op).operands == Operands::kList) {
        for (ExprId id : p_.list(e.list)) push(id);
      }
    }
    std::sort(nodes.begin(), nodes.end());
    for (uint32_t index : nodes) Line(indent + Instruction(index, tool, file));
  }

  std::string Instruction(uint32_t index, const Tool* tool, uint32_t file) const {
    const Expr& e = p_.exprs[index];
    auto ref = [](ExprId id) { return "%" + std::to_string(id.index); };
    std::string text = "%" + std::to_string(index) + " = " + std::string(Info(e.op).spelling);
    auto slot_name = [&](TypeId record, uint32_t slot) {
      const TypeData& data = p_.type(record);
      std::string name = data.kind == TypeKind::kRecord && slot < data.fields.size()
                             ? data.fields[slot].name
                             : "?";
      return name + "#" + std::to_string(slot);
    };
    switch (e.op) {
      case Op::kConst:
        text += " " + FormatValue(p_, p_.constants[e.imm].value, p_.constants[e.imm].type);
        break;
      case Op::kArg:
      case Op::kHasArg:
        text +=
            " " + (tool != nullptr ? slot_name(tool->args, e.imm) : "#" + std::to_string(e.imm));
        break;
      case Op::kFact: text += " " + std::string(Spelling(static_cast<SessionFact>(e.imm))); break;
      case Op::kLocal: text += " " + std::to_string(e.imm); break;
      case Op::kField:
      case Op::kHasField:
        text += " " + ref(e.a) + " ." + slot_name(p_.expr(e.a).type, e.imm);
        break;
      case Op::kAttr:
      case Op::kHasAttr: {
        const AttrLookup& lookup = p_.attr_lookups[e.imm];
        text += " " + ref(e.a) + " ." + lookup.name + "[" +
                Join(lookup.slots,
                     [&](const AttrSlot& s) {
                       return Entity(s.type) + (s.slot == AttrSlot::kActsForSlot
                                                    ? "#acts_for"
                                                    : "#" + std::to_string(s.slot));
                     }) +
                "]";
        break;
      }
      case Op::kAny:
      case Op::kAll:
        text += " local " + std::to_string(e.imm) + " in " + ref(e.a) + ": " + ref(e.b);
        break;
      case Op::kMakeRecord: {
        const TypeData& data = p_.type(e.type);
        std::span<const ExprId> items = p_.list(e.list);
        text += " {";
        for (size_t i = 0; i < items.size(); ++i) {
          if (i > 0) text += ", ";
          text += (i < data.fields.size() ? data.fields[i].name : "?") + ": " + ref(items[i]);
        }
        text += "}";
        break;
      }
      case Op::kMakeSet: {
        std::span<const ExprId> items = p_.list(e.list);
        text += " [" + Join(std::vector<ExprId>(items.begin(), items.end()), ref) + "]";
        break;
      }
      case Op::kCall: {
        const stdlib::Function& fn = stdlib::Functions()[e.imm];
        std::span<const ExprId> items = p_.list(e.list);
        text += " " + std::string(fn.module) + "." + std::string(fn.name) + "(" +
                Join(std::vector<ExprId>(items.begin(), items.end()), ref) + ")";
        break;
      }
      default:
        if (e.a.valid()) text += " " + ref(e.a);
        if (e.b.valid()) text += ", " + ref(e.b);
    }
    text += " : " + Type(e.type);
    if (e.may_fail) text += " !";
    if (e.loc.valid()) {
      text += " @" + (e.loc.file == file
                          ? std::to_string(e.loc.line) + ":" + std::to_string(e.loc.column)
                          : FormatLoc(p_, e.loc));
    }
    return text;
  }

  // The instances of a rule grouped by their expression, so a condition shared by every tool
  // prints once.
  void Instances(const Rule& rule, bool approvers) {
    std::vector<std::pair<ExprId, std::vector<ToolId>>> groups;
    for (const RuleInstance& instance : rule.instances) {
      ExprId root = approvers ? instance.approvers : instance.condition;
      if (!root.valid()) continue;
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& g) { return g.first == root; });
      if (it == groups.end()) {
        groups.push_back({root, {instance.tool}});
      } else {
        it->second.push_back(instance.tool);
      }
    }
    for (const auto& [root, tools] : groups) {
      Line(std::string(approvers ? "  by " : "  when ") + Tools(tools) + ":");
      Expression(root, &p_.tools[tools.front().index], rule.head.loc.file, "    ");
    }
  }

  void PrintRule(const Rule& rule) {
    Blank();
    Line(Head(rule.head, "rule") + " " + std::string(Spelling(rule.effect)) + " " +
         std::string(Spelling(rule.phase)) + At(rule.head.loc));
    std::vector<ToolId> tools;
    for (const RuleInstance& instance : rule.instances) tools.push_back(instance.tool);
    Line("  tools " + Tools(tools));
    if (!rule.principals.empty()) Line("  for " + Entities(rule.principals));
    if (!rule.reason.empty()) Line("  reason " + Quote(rule.reason));
    if (rule.effect == Effect::kRequireApproval) {
      Line("  approvers " + std::string(Spelling(rule.approver_kind)) + " timeout " +
           FormatDuration(rule.timeout_millis));
    }
    for (const Grant& grant : rule.grants) {
      Line("  grant " + grant.credential + " " +
           (grant.scopes ? Strings(*grant.scopes) : std::string("declared scopes")) + " ttl " +
           (grant.ttl_millis ? FormatDuration(*grant.ttl_millis) : std::string("declared")));
    }
    for (const std::string& warning : rule.warnings) Line("  warn " + Quote(warning));
    Instances(rule, false);
    Instances(rule, true);
  }

  void PrintLimit(const Limit& limit) {
    Blank();
    Line(Head(limit.head, "limit") + " spend " + limit.target + " per " +
         std::string(Spelling(limit.period)) + At(limit.head.loc));
    Line("  tools " + Tools(limit.tools) + " param " + limit.param);
    if (!limit.principals.empty()) Line("  for " + Entities(limit.principals));
    Line("  reason " + Quote(limit.reason));
    Line("  bound:");
    Expression(limit.bound, nullptr, limit.head.loc.file, "    ");
  }

  void PrintBudget(const Budget& budget) {
    Blank();
    std::string amount;
    switch (budget.kind) {
      case BudgetKind::kTime: amount = FormatDuration(budget.amount); break;
      case BudgetKind::kSpend: amount = FormatMoney(budget.amount, budget.currency); break;
      default: amount = std::to_string(budget.amount);
    }
    Line(Head(budget.head, "budget") + " " + std::string(Spelling(budget.kind)) + " per " +
         std::string(Spelling(budget.period)) + " " + amount + At(budget.head.loc));
    if (!budget.principals.empty()) Line("  for " + Entities(budget.principals));
    if (!budget.warn_at.empty()) {
      Line("  warn at [" + Join(budget.warn_at, [](int64_t p) { return std::to_string(p) + "%"; }) +
           "]");
    }
    Line("  then " + std::string(Spelling(budget.then)));
    Line("  reason " + Quote(budget.reason));
    if (budget.approvers.valid()) {
      Line("  by " + std::string(Spelling(budget.approver_kind)) + ":");
      Expression(budget.approvers, nullptr, budget.head.loc.file, "    ");
    }
  }

  void PrintRate(const Rate& rate) {
    Blank();
    Line(Head(rate.head, "rate") + " " + std::to_string(rate.count) + " per " +
         FormatDuration(rate.window_millis) + At(rate.head.loc));
    Line("  tools " + Tools(rate.tools));
    if (!rate.principals.empty()) Line("  for " + Entities(rate.principals));
    Line("  reason " + Quote(rate.reason));
  }

  void PrintPool(const Pool& pool) {
    Blank();
    Line(Head(pool.head, "pool") + " " + pool.name + " " + std::to_string(pool.size) +
         (pool.counts_calls ? " calls" : " sessions") + " then " +
         std::string(Spelling(pool.then)) + At(pool.head.loc));
    Line(pool.counts_calls ? "  tools " + Tools(pool.tools) : "  agents " + Entities(pool.agents));
    Line("  reason " + Quote(pool.reason));
  }

  void PrintOutput(const Output& output) {
    Blank();
    Line(Head(output.head, "output") + " " + std::string(Spelling(output.phase)) + " " +
         output.target + At(output.head.loc));
    Line("  tools " + Tools(output.tools) + " field " + output.field);
    std::vector<std::string_view> detectors;
    if (auto kinds = stdlib::FindEnum("std.pii", "Kind"))
      detectors = stdlib::Enums()[*kinds].members;
    for (const OutputCheck& check : output.checks) {
      std::string line =
          std::string(check.redact ? "  redact [" : "  forbid [") +
          Join(check.detectors,
               [&](uint32_t d) { return d < detectors.size() ? std::string(detectors[d]) : "?"; }) +
          "]";
      if (!check.reason.empty()) line += " because " + Quote(check.reason);
      Line(line);
    }
  }

  void Plans() {
    for (const Tool& tool : p_.tools) {
      for (size_t phase = 0; phase < kPhaseCount; ++phase) {
        const Plan& plan = tool.plans[phase];
        if (plan.rules.empty() && plan.limits.empty() && plan.rates.empty() && plan.pools.empty() &&
            plan.outputs.empty()) {
          continue;
        }
        Blank();
        Line("plan " + tool.name + " " + std::string(Spelling(static_cast<Phase>(phase))));
        if (!plan.rules.empty()) {
          Line("  rules [" +
               Join(plan.rules, [&](const RuleRef& r) { return p_.rules[r.rule.index].head.id; }) +
               "]");
        }
        if (!plan.limits.empty()) {
          Line("  limits [" +
               Join(plan.limits,
                    [&](const LimitRef& r) {
                      return p_.limits[r.limit.index].head.id + " " +
                             p_.limits[r.limit.index].param + "#" + std::to_string(r.param_slot);
                    }) +
               "]");
        }
        if (!plan.rates.empty()) {
          Line("  rates [" +
               Join(plan.rates, [&](RateId id) { return p_.rates[id.index].head.id; }) + "]");
        }
        if (!plan.pools.empty()) {
          Line("  pools [" +
               Join(plan.pools, [&](PoolId id) { return p_.pools[id.index].head.id; }) + "]");
        }
        if (!plan.outputs.empty()) {
          Line("  outputs [" +
               Join(plan.outputs,
                    [&](const OutputRef& r) {
                      return p_.outputs[r.output.index].head.id + " " +
                             p_.outputs[r.output.index].field + "#" + std::to_string(r.field_slot);
                    }) +
               "]");
        }
      }
    }
  }

  void PrintTest(const Test& test) {
    Blank();
    Line("test " + Quote(test.name) + " (" + Package(test.package) + ")" + At(test.loc));
    for (size_t i = 0; i < test.entities.size(); ++i) {
      const TestEntity& entity = test.entities[i];
      const EntityType& type = p_.entity_types[entity.type.index];
      std::string line =
          "  entity " + std::to_string(i) + " " + type.name + "::" + Quote(entity.id);
      std::vector<std::string> attrs;
      for (size_t a = 0; a < entity.attributes.size() && a < type.attributes.size(); ++a) {
        if (entity.attributes[a].kind == Value::Kind::kAbsent) continue;
        attrs.push_back(type.attributes[a].name + ": " +
                        FormatValue(p_, entity.attributes[a], type.attributes[a].type));
      }
      if (!attrs.empty()) line += " {" + Join(attrs, [](const std::string& s) { return s; }) + "}";
      if (entity.acts_for) line += " acts_for " + std::to_string(*entity.acts_for);
      if (!entity.parents.empty()) {
        line += " in [" + Join(entity.parents, [](uint32_t p) { return std::to_string(p); }) + "]";
      }
      Line(line);
    }
    for (const TestRequest& request : test.requests) {
      const Tool& tool = p_.tools[request.tool.index];
      Line("  " + std::string(Spelling(request.phase)) + " " + tool.name + " as " +
           std::to_string(request.principal) + At(request.loc));
      Line("    args " + FormatValue(p_, request.args, tool.args));
      if (request.result)
        Line("    returns " + FormatValue(p_, *request.result, tool.result.value_or(TypeId{})));
      if (!request.session.empty()) {
        Line("    session {" +
             Join(request.session,
                  [&](const TestFact& f) {
                    return std::string(Spelling(f.fact)) + ": " +
                           FormatValue(p_, f.value, SessionFactType(f.fact));
                  }) +
             "}");
      }
      std::string expect = "    expect " + std::string(Spelling(request.expected));
      for (const std::string& reason : request.reasons) expect += " because " + Quote(reason);
      for (const std::string& warning : request.warnings) expect += " warn " + Quote(warning);
      Line(expect);
    }
  }

  const Policy& p_;
  std::string out_;
};

}  // namespace

std::string Print(const Policy& policy) { return Printer(policy).Run(); }

std::string TypeName(const Policy& policy, TypeId id) {
  if (id.index >= policy.types.size()) return "?";
  const TypeData& data = policy.types[id.index];
  switch (data.kind) {
    case TypeKind::kSet: return "set<" + TypeName(policy, data.element) + ">";
    case TypeKind::kRecord:
      return "{" +
             Join(data.fields,
                  [&](const Field& f) {
                    return f.name + (f.optional ? "?: " : ": ") + TypeName(policy, f.type);
                  }) +
             "}";
    case TypeKind::kEntity:
      if (data.entities.empty()) return "entity";
      return Join(
          data.entities,
          [&](EntityTypeId e) {
            return e.index < policy.entity_types.size() ? policy.entity_types[e.index].name : "?";
          },
          "|");
    case TypeKind::kEnum:
      return data.enum_id.index < policy.enums.size() ? policy.enums[data.enum_id.index].name : "?";
    default: return std::string(Spelling(data.kind));
  }
}

std::string FormatValue(const Policy& policy, const Value& value, TypeId type) {
  const TypeData* data = type.index < policy.types.size() ? &policy.types[type.index] : nullptr;
  switch (value.kind) {
    case Value::Kind::kAbsent: return "absent";
    case Value::Kind::kBool: return value.number != 0 ? "true" : "false";
    case Value::Kind::kInt: return std::to_string(value.number);
    case Value::Kind::kMoney: return FormatMoney(value.number, value.text);
    case Value::Kind::kString: return Quote(value.text);
    case Value::Kind::kDuration: return FormatDuration(value.number);
    case Value::Kind::kTimestamp: return "timestamp(\"" + FormatTimestamp(value.number) + "\")";
    case Value::Kind::kSet: {
      TypeId element = data != nullptr && data->kind == TypeKind::kSet ? data->element : TypeId{};
      return "[" +
             Join(value.elements, [&](const Value& v) { return FormatValue(policy, v, element); }) +
             "]";
    }
    case Value::Kind::kRecord: {
      std::string out = "{";
      for (size_t i = 0; i < value.elements.size(); ++i) {
        if (value.elements[i].kind == Value::Kind::kAbsent && data != nullptr) continue;
        if (out.size() > 1) out += ", ";
        bool named = data != nullptr && data->kind == TypeKind::kRecord && i < data->fields.size();
        out += (named ? data->fields[i].name : "#" + std::to_string(i)) + ": " +
               FormatValue(policy, value.elements[i], named ? data->fields[i].type : TypeId{});
      }
      return out + "}";
    }
    case Value::Kind::kEntity: {
      std::string name =
          value.ref < policy.entity_types.size() ? policy.entity_types[value.ref].name : "?";
      return name + "::" + Quote(value.text);
    }
    case Value::Kind::kEnum: {
      if (value.ref >= policy.enums.size()) return "?." + std::to_string(value.number);
      const Enum& e = policy.enums[value.ref];
      std::string member = value.number >= 0 && static_cast<size_t>(value.number) < e.members.size()
                               ? e.members[value.number]
                               : std::to_string(value.number);
      return e.name + "." + member;
    }
  }
  return "?";
}

std::string FormatLoc(const Policy& policy, const Loc& loc) {
  if (!loc.valid()) return "-";
  std::string file = loc.file < policy.files.size() ? policy.files[loc.file] : "?";
  return file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

}  // namespace writ::ir
