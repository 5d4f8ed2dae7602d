// Security rules over the schema and what governs it: L0005 (money with no limit or cap),
// L0006 (text leaving through a tool no output rule scans), L0007 (agents without a token
// budget) and L0008 (long-lived credentials).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

bool Names(const Context& ctx, std::span<const check::ToolId> tools, std::string_view name) {
  return std::any_of(tools.begin(), tools.end(),
                     [&](check::ToolId id) { return ctx.program().tool(id).name == name; });
}

// Whether an enforced call-phase permit reaches the tool: otherwise it can do nothing.
bool Permitted(const Context& ctx, std::string_view tool) {
  for (const check::Rule& rule : ctx.program().rules) {
    if (rule.effect == check::Effect::kPermit && rule.phase == check::Phase::kCall &&
        !rule.head.shadow && Names(ctx, rule.tools, tool)) {
      return true;
    }
  }
  return false;
}

bool IsText(const check::TypeTable& types, check::Type type) {
  if (types.kind(type) == check::TypeKind::kString) return true;
  return types.kind(type) == check::TypeKind::kSet &&
         types.kind(types.data(type).element) == check::TypeKind::kString;
}

}  // namespace

void CheckUnboundedSpend(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (const check::Tool& tool : program.tools) {
    for (const check::Attribute& param : tool.params) {
      if (program.types.kind(param.type) != check::TypeKind::kMoney) continue;
      if (!Permitted(ctx, tool.name)) continue;
      bool limited = std::any_of(program.limits.begin(), program.limits.end(), [&](const check::Limit& l) {
        return Enforced(l.head) && l.param == param.name && Names(ctx, l.tools, tool.name);
      });
      bool capped = std::any_of(program.rules.begin(), program.rules.end(), [&](const check::Rule& r) {
        return r.effect == check::Effect::kForbid && r.phase == check::Phase::kCall &&
               !r.head.shadow && r.head.enforcement == check::Enforcement::kHard && r.condition &&
               Names(ctx, r.tools, tool.name) && CapsParam(ctx, *r.condition, param.name);
      });
      if (limited || capped) continue;
      out.Handle(diag::Make(diag::Code::kUnboundedSpend, param.span, param.name, tool.name)
                     .Note("nothing stops one call, or many, from moving any amount")
                     .Help(fmt::format("add `limit spend {}.{} per task <= ...`, or a `forbid` "
                                       "when `args.{}` is over a bound",
                                       tool.name, param.name, param.name)));
    }
  }
}

void CheckUnscannedText(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (size_t p = 0; p < program.packages.size(); ++p) {
    std::set<std::string> scanned;
    for (const check::Output& output : program.outputs) {
      if (output.head.package.index != p || output.head.shadow) continue;
      for (check::ToolId id : output.tools) scanned.insert(program.tool(id).name);
    }
    // A package that scans nothing has no policy on text yet; one that scans some tools and
    // not others has most likely forgotten one.
    if (scanned.empty()) continue;
    for (const check::Tool& tool : program.tools) {
      if (tool.package.index != p || scanned.count(tool.name) || !Permitted(ctx, tool.name)) continue;
      auto text = std::find_if(tool.params.begin(), tool.params.end(),
                               [&](const check::Attribute& a) { return IsText(program.types, a.type); });
      if (text == tool.params.end()) continue;
      out.Handle(diag::Make(diag::Code::kUnscannedText, tool.span, tool.name)
                     .Label(text->span, "text the agent writes")
                     .Note("other tools of this package have output rules; this one lets the "
                           "same personal data or secrets through")
                     .Help(fmt::format("add `output {}.{} {{ ... }}`", tool.name, text->name)));
    }
  }
}

void CheckTokenBudgets(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (size_t i = 0; i < program.entity_types.size(); ++i) {
    const check::EntityType& agent = program.entity_types[i];
    if (!agent.is_agent()) continue;
    bool budgeted = std::any_of(program.budgets.begin(), program.budgets.end(), [&](const check::Budget& b) {
      return b.kind == check::BudgetKind::kTokens && Enforced(b.head) && AppliesTo(b.principals, i);
    });
    if (budgeted) continue;
    out.Handle(diag::Make(diag::Code::kNoTokenBudget, agent.span, agent.qualified_name)
                   .Note("a looping or hijacked agent can spend tokens without bound")
                   .Help(fmt::format("add `budget tokens per task N for {}`, or one without `for`",
                                     agent.name)));
  }
}

void CheckCredentialTtls(const Context& ctx, diag::Consumer& out) {
  int64_t limit = ctx.options().max_credential_ttl_millis;
  for (const check::EntityType& agent : ctx.program().entity_types) {
    if (!agent.is_agent()) continue;
    for (const check::Credential& credential : agent.agent->credentials) {
      if (credential.ttl_millis <= limit) continue;
      out.Handle(diag::Make(diag::Code::kLongCredentialTtl, credential.span, credential.name,
                            FormatDuration(credential.ttl_millis), FormatDuration(limit))
                     .Note("a leaked credential is usable for as long as it lives; grants are "
                           "minted per call, so they rarely need long lives"));
    }
  }
}

}  // namespace writ::lint::internal
