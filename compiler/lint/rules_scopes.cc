// Rules over who may do what: L0015 (a budget or spending limit a tighter one of the same
// scope always pre-empts), L0016 (credentials nothing grants) and L0017 (agents no permit
// applies to). Agents are compared by id; a rule without `for` applies to every agent.
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

// A budget or limit reduced to what decides whether two of them overlap, and its amount.
struct Scope {
  std::string what;  // kind and tools, so only like is compared with like
  check::Period period;
  std::vector<uint32_t> principals;
  check::Enforcement enforcement;
  std::string unit;  // currency; the `then` action of a budget
  friend bool operator==(const Scope&, const Scope&) = default;
};

struct Bounded {
  Scope scope;
  int64_t amount;
  std::string shown;  // the amount as written
  Span span;
  std::string noun;  // "budget" or "limit"
};

std::string Amount(check::BudgetKind kind, int64_t amount, const std::string& currency) {
  switch (kind) {
    case check::BudgetKind::kTime: return FormatDuration(amount);
    case check::BudgetKind::kSpend: return FormatMoney(amount, currency);
    default: return std::to_string(amount);
  }
}

std::vector<Bounded> Collect(const Context& ctx) {
  const check::Program& program = ctx.program();
  std::vector<Bounded> out;
  for (const check::Budget& b : program.budgets) {
    if (!Enforced(b.head)) continue;
    Scope scope{"budget " + std::to_string(static_cast<int>(b.kind)), b.period,
                SortedPrincipals(b.principals), b.head.enforcement,
                b.currency + "/" + std::to_string(static_cast<int>(b.then))};
    out.push_back({scope, b.amount, Amount(b.kind, b.amount, b.currency), b.head.span, "budget"});
  }
  for (const check::Limit& l : program.limits) {
    const std::optional<check::Constant>& bound = program.facts(l.bound).constant;
    if (!Enforced(l.head) || !bound) continue;  // a bound read from the principal varies
    std::string tools;
    for (const std::string& name : ctx.ToolNames(l.tools)) tools += name + ",";
    Scope scope{"limit " + tools + l.param, l.period, SortedPrincipals(l.principals),
                l.head.enforcement, bound->currency};
    out.push_back({scope, bound->value, FormatMoney(bound->value, bound->currency), l.head.span,
                   "spending limit"});
  }
  return out;
}

}  // namespace

void CheckOverriddenLimits(const Context& ctx, diag::Consumer& out) {
  std::vector<Bounded> all = Collect(ctx);
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      if (i == j || !(all[i].scope == all[j].scope)) continue;
      // The looser one is dead; of two equal ones, the later.
      bool looser = all[i].amount > all[j].amount || (all[i].amount == all[j].amount && j < i);
      if (!looser) continue;
      out.Handle(diag::Make(diag::Code::kOverriddenLimit, all[i].span, all[i].noun, all[j].shown)
                     .Label(all[j].span, "this one binds first")
                     .Note("every applicable budget and limit holds at once, so the tightest "
                           "decides")
                     .Help("remove the looser one, or give it a different period or `for`"));
      break;
    }
  }
}

void CheckUnusedCredentials(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (size_t i = 0; i < program.entity_types.size(); ++i) {
    const check::EntityType& agent = program.entity_types[i];
    if (!agent.is_agent()) continue;
    for (const check::Credential& credential : agent.agent->credentials) {
      bool granted = std::any_of(program.rules.begin(), program.rules.end(), [&](const check::Rule& r) {
        return AppliesTo(r.principals, i) &&
               std::any_of(r.grants.begin(), r.grants.end(),
                           [&](const check::Grant& g) { return g.credential == credential.name; });
      });
      if (granted) continue;
      out.Handle(diag::Make(diag::Code::kUnusedCredential, credential.span, credential.name,
                            agent.qualified_name)
                     .Note("no rule that applies to the agent has `grant " + credential.name + "`")
                     .Help("remove the credential, or grant it on the permits that need it"));
    }
  }
}

void CheckAgentsWithoutPermit(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (size_t i = 0; i < program.entity_types.size(); ++i) {
    const check::EntityType& agent = program.entity_types[i];
    if (!agent.is_agent()) continue;
    bool permitted = std::any_of(program.rules.begin(), program.rules.end(), [&](const check::Rule& r) {
      return r.effect == check::Effect::kPermit && !r.head.shadow && AppliesTo(r.principals, i);
    });
    if (permitted) continue;
    out.Handle(diag::Make(diag::Code::kAgentWithoutPermit, agent.span, agent.qualified_name)
                   .Note("calls are denied unless a permit allows them")
                   .Help("add a permit `for " + agent.name + "`, or remove the agent"));
  }
}

}  // namespace writ::lint::internal
