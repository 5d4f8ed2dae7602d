// Rule-like declarations: rules (one instance per tool they match), spending limits, budgets,
// rates, pools and output rules; their ids and generated reasons; and the per-tool plans that
// index them.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/base/check.h"
#include "compiler/ir/value.h"
#include "compiler/lower/internal/lowerer.h"

namespace writ::lower::internal {
namespace {

std::vector<ir::EntityTypeId> Agents(const std::vector<check::EntityTypeId>& agents) {
  std::vector<ir::EntityTypeId> out;
  for (check::EntityTypeId id : agents) out.push_back(ir::EntityTypeId{id.index});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

ir::DeclHead Lowerer::Head(const check::DeclHead& head) {
  heads_.push_back(HeadInfo{head.label, head.file, head.span});
  ir::DeclHead out;
  out.package = ir::PackageId{head.package.index};
  out.enforcement = head.enforcement;
  out.shadow = head.shadow;
  out.loc = LocOf(head.span);
  return out;
}

const syntax::Decl& Lowerer::DeclAt(const check::DeclHead& head) {
  if (decls_.empty()) {
    for (const auto& [index, file] : files_) {
      for (const syntax::Decl& decl : file->decls) decls_[{index, decl.span.begin}] = &decl;
    }
  }
  auto it = decls_.find({head.file.index, head.span.begin});
  WRIT_CHECK(it != decls_.end());
  return *it->second;
}

void Lowerer::LowerRules() {
  for (const check::Rule& rule : program_.rules) {
    ir::Rule out;
    out.head = Head(rule.head);
    out.effect = rule.effect;
    out.phase = rule.phase;
    out.principals = Agents(rule.principals);
    out.reason = rule.reason.value_or("");
    if (rule.approvers) out.approver_kind = rule.approvers->kind;
    out.timeout_millis = rule.timeout_millis.value_or(0);
    for (const check::Grant& grant : rule.grants) {
      out.grants.push_back(ir::Grant{grant.credential, grant.scopes, grant.ttl_millis});
    }
    out.warnings = rule.warnings;
    for (ir::ToolId tool : Tools(rule.tools)) {
      ExprEnv env{&policy_.tools[tool.index], rule.phase == ir::Phase::kResult};
      ir::RuleInstance instance{tool, {}, {}};
      if (rule.condition) instance.condition = LowerExpr(*rule.condition, env);
      if (rule.approvers) instance.approvers = LowerExpr(rule.approvers->expr, env);
      out.instances.push_back(instance);
    }
    policy_.rules.push_back(std::move(out));
  }
}

void Lowerer::LowerLimits() {
  for (const check::Limit& limit : program_.limits) {
    ir::Limit out;
    out.head = Head(limit.head);
    out.tools = Tools(limit.tools);
    out.param = limit.param;
    out.target = std::get<syntax::LimitDecl>(DeclAt(limit.head).kind).target.Joined();
    out.period = limit.period;
    out.bound = LowerExpr(limit.bound, ExprEnv{});
    out.principals = Agents(limit.principals);
    out.reason = limit.reason.value_or("spending limit " + out.target + " per " +
                                       std::string(ir::Spelling(out.period)) + " exceeded");
    policy_.limits.push_back(std::move(out));
  }
}

void Lowerer::LowerBudgets() {
  for (const check::Budget& budget : program_.budgets) {
    ir::Budget out;
    out.head = Head(budget.head);
    out.kind = budget.kind;
    out.period = budget.period;
    out.amount = budget.amount;
    out.currency = budget.currency;
    out.principals = Agents(budget.principals);
    out.warn_at = budget.warn_at;
    out.then = budget.then;
    if (budget.approvers) {
      out.approver_kind = budget.approvers->kind;
      out.approvers = LowerExpr(budget.approvers->expr, ExprEnv{});
    }
    std::string period =
        out.period == ir::Period::kTask ? "" : " per " + std::string(ir::Spelling(out.period));
    out.reason = budget.reason.value_or(std::string(ir::Spelling(out.kind)) + " budget" + period +
                                        " exhausted");
    policy_.budgets.push_back(std::move(out));
  }
}

void Lowerer::LowerRates() {
  for (const check::Rate& rate : program_.rates) {
    ir::Rate out;
    out.head = Head(rate.head);
    out.tools = Tools(rate.tools);
    out.count = rate.count;
    out.window_millis = rate.window_millis;
    out.principals = Agents(rate.principals);
    out.reason =
        rate.reason.value_or("rate limit of " + std::to_string(rate.count) + " calls per " +
                             ir::FormatDuration(rate.window_millis) + " reached");
    policy_.rates.push_back(std::move(out));
  }
}

void Lowerer::LowerPools() {
  for (const check::Pool& pool : program_.pools) {
    ir::Pool out;
    // A pool is named already: its name is its id unless it has a label.
    check::DeclHead head = pool.head;
    if (!head.label) head.label = pool.name;
    out.head = Head(head);
    out.name = pool.name;
    out.size = pool.size;
    out.counts_calls = pool.counts_calls;
    out.tools = Tools(pool.tools);
    out.agents = Agents(pool.agents);
    out.then = pool.then;
    out.reason = "pool " + pool.name + " is full";
    policy_.pools.push_back(std::move(out));
  }
}

void Lowerer::LowerOutputs() {
  for (const check::Output& output : program_.outputs) {
    ir::Output out;
    out.head = Head(output.head);
    out.phase = output.phase;
    out.field = output.field;
    out.target = std::get<syntax::OutputDecl>(DeclAt(output.head).kind).target.Joined();
    out.tools = Tools(output.tools);
    for (const check::OutputCheck& check : output.checks) {
      out.checks.push_back(
          ir::OutputCheck{check.redact, check.detectors, check.reason.value_or("")});
    }
    policy_.outputs.push_back(std::move(out));
  }
}

void Lowerer::AssignIds() {
  std::vector<ir::DeclHead*> heads;
  for (ir::Rule& d : policy_.rules) heads.push_back(&d.head);
  for (ir::Limit& d : policy_.limits) heads.push_back(&d.head);
  for (ir::Budget& d : policy_.budgets) heads.push_back(&d.head);
  for (ir::Rate& d : policy_.rates) heads.push_back(&d.head);
  for (ir::Pool& d : policy_.pools) heads.push_back(&d.head);
  for (ir::Output& d : policy_.outputs) heads.push_back(&d.head);
  WRIT_CHECK(heads.size() == heads_.size());
  // Each declaration gets the first id of its ladder that no other declaration shares: the label
  // (a pool's name) or `package:line`; then `package.label` or `package:file:line:column` with the
  // file's base name; then, with the file's path and position, one that is unique.
  auto id_at = [&](size_t i, int level) {
    const std::string& package = policy_.packages[heads[i]->package.index].name;
    const ir::Loc& loc = heads[i]->loc;
    const std::optional<std::string>& label = heads_[i].label;
    if (level == 0) return label ? *label : package + ":" + std::to_string(loc.line);
    if (level == 1 && label) return package + "." + *label;
    std::string path = policy_.files[loc.file];
    if (level == 1) path = path.substr(path.find_last_of('/') + 1);
    std::string place = path + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
    return label ? package + "." + *label + ":" + place : package + ":" + place;
  };
  std::vector<int> level(heads.size(), 0);
  for (int round = 0; round < 2; ++round) {
    std::map<std::string, int> uses;
    for (size_t i = 0; i < heads.size(); ++i) ++uses[id_at(i, level[i])];
    for (size_t i = 0; i < heads.size(); ++i) {
      if (uses[id_at(i, level[i])] > 1) ++level[i];
    }
  }
  for (size_t i = 0; i < heads.size(); ++i) heads[i]->id = id_at(i, level[i]);
  for (ir::Rule& rule : policy_.rules) {
    if (rule.effect == ir::Effect::kRequireApproval && rule.reason.empty()) {
      rule.reason = "rule " + rule.head.id + " requires approval";
    }
  }
}

void Lowerer::BuildPlans() {
  auto plan = [&](ir::ToolId tool, ir::Phase phase) -> ir::Plan& {
    return policy_.tools[tool.index].plans[static_cast<size_t>(phase)];
  };
  for (uint32_t r = 0; r < policy_.rules.size(); ++r) {
    const ir::Rule& rule = policy_.rules[r];
    for (uint32_t i = 0; i < rule.instances.size(); ++i) {
      plan(rule.instances[i].tool, rule.phase).rules.push_back(ir::RuleRef{ir::RuleId{r}, i});
    }
  }
  for (uint32_t l = 0; l < policy_.limits.size(); ++l) {
    for (ir::ToolId tool : policy_.limits[l].tools) {
      int slot = ir::FindField(type_data(policy_.tools[tool.index].args), policy_.limits[l].param);
      WRIT_CHECK(slot >= 0);
      plan(tool, ir::Phase::kCall)
          .limits.push_back(ir::LimitRef{ir::LimitId{l}, static_cast<uint32_t>(slot)});
    }
  }
  for (uint32_t r = 0; r < policy_.rates.size(); ++r) {
    for (ir::ToolId tool : policy_.rates[r].tools)
      plan(tool, ir::Phase::kCall).rates.push_back(ir::RateId{r});
  }
  for (uint32_t p = 0; p < policy_.pools.size(); ++p) {
    for (ir::ToolId tool : policy_.pools[p].tools)
      plan(tool, ir::Phase::kCall).pools.push_back(ir::PoolId{p});
  }
  for (uint32_t o = 0; o < policy_.outputs.size(); ++o) {
    const ir::Output& output = policy_.outputs[o];
    for (ir::ToolId tool : output.tools) {
      const ir::Tool& t = policy_.tools[tool.index];
      ir::TypeId record =
          output.phase == ir::Phase::kCall ? t.args : t.result.value_or(ir::TypeId{});
      WRIT_CHECK(record.valid());
      int slot = ir::FindField(type_data(record), output.field);
      WRIT_CHECK(slot >= 0);
      plan(tool, output.phase)
          .outputs.push_back(ir::OutputRef{ir::OutputId{o}, static_cast<uint32_t>(slot)});
    }
  }
}

}  // namespace writ::lower::internal
