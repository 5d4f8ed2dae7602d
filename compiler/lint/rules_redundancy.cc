// Conditions judged by what they imply, with the reasoning of L0001 (rules_conditions.cc): a
// condition whose negation can never hold always holds (L0012); a part of a conjunction that
// the other parts imply adds nothing (L0013); a permit whose condition implies the condition of
// a covering hard forbid is always denied (L0014). The solver proves only what it can, so each
// rule reports only what is certain.
#include <string>
#include <vector>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

// `args.x > 5` for the literal, as the canonical key spells it without its outer parentheses.
std::string LiteralText(const Context& ctx, FileId file, const Literal& literal) {
  std::string key = ctx.Key(file, literal.expr);
  if (key.size() > 2 && key.front() == '(' && key.back() == ')') key = key.substr(1, key.size() - 2);
  return "`" + std::string(literal.positive ? "" : "not ") + key + "`";
}

}  // namespace

void CheckAlwaysTrue(const Context& ctx, diag::Consumer& out) {
  for (const check::Rule& rule : ctx.program().rules) {
    if (!rule.condition) continue;
    FileId file = rule.condition->file;
    std::vector<Literal> negated = Conjuncts(ctx, file, rule.condition->expr, false);
    if (!Unsatisfiable(ctx, file, negated)) continue;
    const syntax::Expr& condition = ctx.file(file).expr(rule.condition->expr);
    out.Handle(diag::Make(diag::Code::kAlwaysTrueCondition, condition.span,
                          "no request can make it false")
                   .Note("the " + std::string(Spelling(rule.effect)) +
                         " applies to every request for its tools and agents, as if it had no "
                         "`when`")
                   .Help("remove the `when`, or fix the comparison that was meant to narrow it"));
  }
}

void CheckRedundantConditions(const Context& ctx, diag::Consumer& out) {
  for (const check::Rule& rule : ctx.program().rules) {
    if (!rule.condition) continue;
    FileId file = rule.condition->file;
    std::vector<Literal> literals = Conjuncts(ctx, file, rule.condition->expr, true);
    if (literals.size() < 2 || Unsatisfiable(ctx, file, literals)) continue;  // L0001's case
    std::vector<bool> redundant(literals.size(), false);
    for (size_t i = 0; i < literals.size(); ++i) {
      std::vector<Literal> rest;
      bool repeated = false;
      // A copy of the part does not count as implying it, so that the later copy is the
      // one reported, as a repetition.
      for (size_t j = 0; j < literals.size(); ++j) {
        if (j == i) continue;
        bool same = literals[j].positive == literals[i].positive &&
                    ctx.Key(file, literals[j].expr) == ctx.Key(file, literals[i].expr);
        repeated |= same && j < i;
        if (!same && !redundant[j]) rest.push_back(literals[j]);
      }
      rest.push_back({literals[i].expr, !literals[i].positive});
      if (!repeated && !Unsatisfiable(ctx, file, rest)) continue;
      redundant[i] = true;
      out.Handle(diag::Make(diag::Code::kRedundantCondition, ctx.file(file).expr(literals[i].expr).span,
                            LiteralText(ctx, file, literals[i]),
                            repeated ? "it repeats an earlier part" : "the other parts imply it")
                     .Help("remove it; if it was meant to set the bound, change the other part"));
    }
  }
}

void CheckShadowedPermits(const Context& ctx, diag::Consumer& out) {
  const std::vector<check::Rule>& rules = ctx.program().rules;
  for (const check::Rule& permit : rules) {
    if (permit.effect != check::Effect::kPermit || permit.head.shadow) continue;
    for (const check::Rule& forbid : rules) {
      // An unconditional forbid is L0002's finding.
      if (!IsHardForbid(forbid) || !forbid.condition || forbid.phase != permit.phase ||
          !CoversRule(ctx, forbid, permit)) {
        continue;
      }
      FileId file = forbid.condition->file;
      std::vector<Literal> literals;
      if (permit.condition) {
        if (!(permit.condition->file == file)) continue;  // the solver reasons within one file
        literals = Conjuncts(ctx, file, permit.condition->expr, true);
        if (Unsatisfiable(ctx, file, literals)) break;  // L0001's case
      }
      literals.push_back({forbid.condition->expr, false});
      if (!Unsatisfiable(ctx, file, literals)) continue;
      out.Handle(diag::Make(diag::Code::kPermitShadowedByForbid, permit.head.span)
                     .Label(forbid.head.span, "this forbid matches whenever the permit does")
                     .Note("forbid overrides permit, so every request this permit matches is denied")
                     .Help("narrow the forbid's condition, or remove the permit"));
      break;
    }
  }
}

}  // namespace writ::lint::internal
