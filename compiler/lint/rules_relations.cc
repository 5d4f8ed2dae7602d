// Rules judged against each other: L0002 (a permit an unconditional forbid always overrides),
// L0003 (duplicate rules), L0009 (a shadow rule whose enforced twin exists) and L0004 (a
// permit whose wildcard reaches every tool of its package). Tools are compared by name, since
// declarations of one tool in several packages all apply to its calls.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

// What two rules must share to do the same thing; the reason, label and warnings may differ.
struct Signature {
  check::Effect effect;
  check::Phase phase;
  std::vector<std::string> tools;
  std::vector<uint32_t> principals;
  std::string condition;  // canonical key; empty without `when`
  std::string obligations;  // grants, approvers and timeout

  friend bool operator==(const Signature&, const Signature&) = default;
};

Signature SignatureOf(const Context& ctx, const check::Rule& rule) {
  Signature s{rule.effect, rule.phase, ctx.ToolNames(rule.tools),
              SortedPrincipals(rule.principals), "", ""};
  if (rule.condition) s.condition = ctx.Key(*rule.condition);
  for (const check::Grant& grant : rule.grants) {
    s.obligations += "grant " + grant.credential;
    if (grant.scopes) s.obligations += fmt::format(" [{}]", fmt::join(*grant.scopes, ","));
    if (grant.ttl_millis) s.obligations += " ttl " + std::to_string(*grant.ttl_millis);
    s.obligations += ";";
  }
  if (rule.approvers) s.obligations += "by " + ctx.Key(rule.approvers->expr) + ";";
  if (rule.timeout_millis) s.obligations += "timeout " + std::to_string(*rule.timeout_millis);
  return s;
}

std::string RuleName(const check::Rule& rule) {
  return rule.head.label ? "`" + *rule.head.label + "`" : "the rule";
}

}  // namespace

bool CoversRule(const Context& ctx, const check::Rule& wider, const check::Rule& narrower) {
  std::vector<uint32_t> principals = SortedPrincipals(narrower.principals);
  std::vector<uint32_t> covered = SortedPrincipals(wider.principals);
  bool every_agent = covered.empty() || (!principals.empty() && Includes(covered, principals));
  return every_agent && Includes(ctx.ToolNames(wider.tools), ctx.ToolNames(narrower.tools));
}

void CheckForbiddenPermits(const Context& ctx, diag::Consumer& out) {
  const std::vector<check::Rule>& rules = ctx.program().rules;
  for (const check::Rule& permit : rules) {
    if (permit.effect != check::Effect::kPermit || permit.head.shadow) continue;
    for (const check::Rule& forbid : rules) {
      if (!IsHardForbid(forbid) || forbid.condition || forbid.phase != permit.phase ||
          !CoversRule(ctx, forbid, permit)) {
        continue;
      }
      out.Handle(diag::Make(diag::Code::kPermitAlwaysForbidden, permit.head.span)
                     .Label(forbid.head.span, "this forbid has no condition and wins")
                     .Note("forbid overrides permit, so every request this permit matches is denied"));
      break;
    }
  }
}

void CheckDuplicateRules(const Context& ctx, diag::Consumer& out) {
  const std::vector<check::Rule>& rules = ctx.program().rules;
  std::vector<Signature> signatures;
  for (const check::Rule& rule : rules) signatures.push_back(SignatureOf(ctx, rule));
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].head.shadow) continue;
    for (size_t j = 0; j < i; ++j) {
      if (rules[j].head.shadow || rules[j].head.enforcement != rules[i].head.enforcement ||
          !(signatures[j] == signatures[i])) {
        continue;
      }
      out.Handle(diag::Make(diag::Code::kDuplicateRule, rules[i].head.span)
                     .Label(rules[j].head.span, RuleName(rules[j]) + " already says the same")
                     .Help("remove one of them; a policy that says a thing twice invites editing "
                           "only one copy")
                     .Fix(rules[i].head.span, ""));
      break;
    }
  }
}

void CheckShadowLeftOn(const Context& ctx, diag::Consumer& out) {
  const std::vector<check::Rule>& rules = ctx.program().rules;
  for (const check::Rule& shadow : rules) {
    if (!shadow.head.shadow) continue;
    Signature want = SignatureOf(ctx, shadow);
    for (const check::Rule& enforced : rules) {
      if (enforced.head.shadow || !(SignatureOf(ctx, enforced) == want)) continue;
      out.Handle(diag::Make(diag::Code::kShadowLeftOn, shadow.head.span)
                     .Label(enforced.head.span, "the enforced copy")
                     .Note("the rollout this shadow rule was for is done; it only adds a shadow "
                           "outcome to every decision")
                     .Help("remove the shadow copy")
                     .Fix(shadow.head.span, ""));
      break;
    }
  }
}

void CheckWildcardPermits(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  for (const check::Rule& rule : program.rules) {
    if (rule.effect != check::Effect::kPermit || rule.head.shadow) continue;
    const syntax::RuleDecl* decl = ctx.RuleDeclAt(rule.head.span);
    if (decl == nullptr) continue;
    for (const syntax::ToolPattern& pattern : decl->tools) {
      if (!pattern.has_wildcard()) continue;
      bool matches_all = true;
      for (const check::Tool& tool : program.tools) {
        if (tool.package == rule.head.package && !PatternMatches(pattern, tool.name)) {
          matches_all = false;
          break;
        }
      }
      if (!matches_all) continue;
      const std::string& package = program.package(rule.head.package).name;
      out.Handle(diag::Make(diag::Code::kWildcardPermit, pattern.span, pattern.Joined(), package)
                     .Note("every tool added to the package later is permitted too, unreviewed")
                     .Help("name the tools, or a narrower pattern such as `db.read_*`"));
    }
  }
}

}  // namespace writ::lint::internal
