// Rules (`permit`, `forbid`, `require_approval`) and what every rule-like declaration shares:
// labels, modifiers, reasons, positive durations, approvers and periods.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "compiler/check/internal/expr_checker.h"

namespace writ::check::internal {
namespace {

using diag::Code;

enum class ClauseKind { kWhen, kBecause, kBy, kTimeout, kGrant, kWarn };

ClauseKind KindOf(const syntax::RuleClause& clause) {
  return static_cast<ClauseKind>(clause.kind.index());
}

const char* ClauseName(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::kWhen: return "when";
    case ClauseKind::kBecause: return "because";
    case ClauseKind::kBy: return "by";
    case ClauseKind::kTimeout: return "timeout";
    case ClauseKind::kGrant: return "grant";
    case ClauseKind::kWarn: return "warn";
  }
  return "when";
}

bool Allowed(syntax::Effect effect, ClauseKind kind) {
  switch (effect) {
    case syntax::Effect::kPermit:
      return kind == ClauseKind::kWhen || kind == ClauseKind::kGrant || kind == ClauseKind::kWarn;
    case syntax::Effect::kForbid:
      return kind == ClauseKind::kWhen || kind == ClauseKind::kBecause;
    case syntax::Effect::kRequireApproval:
      return kind != ClauseKind::kGrant;
  }
  return false;
}

// "1h30m" for 5,400,000 ms: the largest units first, as durations are written.
std::string FormatDuration(int64_t millis) {
  static constexpr std::pair<int64_t, const char*> kUnits[] = {
      {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
  if (millis <= 0) return "0s";
  std::string out;
  for (const auto& [size, unit] : kUnits) {
    if (millis >= size) {
      out += std::to_string(millis / size) + unit;
      millis %= size;
    }
  }
  return out;
}

class RuleChecker {
 public:
  RuleChecker(Context& ctx, const FileScope& scope, const syntax::Decl& decl)
      : ctx_(ctx), scope_(scope), decl_(decl), node_(std::get<syntax::RuleDecl>(decl.kind)) {}

  void Run() {
    rule_.head = ResolveHead(ctx_, scope_, node_.head, decl_.span);
    if (node_.effect == syntax::Effect::kPermit) CheckPermitLevel();
    rule_.effect = node_.effect;
    rule_.phase = node_.phase;
    ResolveTools();
    rule_.principals = ResolveAgents(ctx_, scope_, node_.principals);

    Env env;
    env.where = "a rule";
    env.principal = true;
    env.principal_type = PrincipalType(ctx_, node_.principals, rule_.principals);
    env.session = true;
    env.args_and_result = true;
    env.phase = node_.phase;
    env.tools = rule_.tools;

    std::map<ClauseKind, Span> seen;
    for (const syntax::RuleClause& clause : node_.clauses) {
      ClauseKind kind = KindOf(clause);
      if (!Allowed(node_.effect, kind)) {
        ctx_.Report(diag::Make(Code::kClauseNotAllowed, clause.span, ClauseName(kind),
                               syntax::Spelling(node_.effect)));
        continue;
      }
      if (kind == ClauseKind::kGrant && node_.phase == syntax::Phase::kResult) {
        // A credential is minted for a call the rule allows; a result has already been made.
        ctx_.Report(diag::Make(Code::kClauseNotAllowed, clause.span, ClauseName(kind),
                               std::string(syntax::Spelling(node_.effect)) + " " +
                                   std::string(syntax::Spelling(node_.phase)))
                        .Help("grant the credential in a `permit call` rule"));
        continue;
      }
      if (kind != ClauseKind::kGrant && kind != ClauseKind::kWarn) {
        auto [it, inserted] = seen.emplace(kind, clause.span);
        if (!inserted) {
          ctx_.Report(diag::Make(Code::kDuplicateClause, clause.span, ClauseName(kind))
                          .Label(it->second, "first given here"));
          continue;
        }
      }
      CheckClause(clause, env);
    }
    ReportMissingClauses(seen);
    ctx_.program.rules.push_back(std::move(rule_));
  }

 private:
  // A permit stops nothing, so an enforcement level on it changes nothing and most likely hides a
  // misreading of the rule; `shadow` still means something. The level modifier that took effect is reported (a second
  // one was reported as a conflict already), and the rule keeps the default level.
  void CheckPermitLevel() {
    for (const syntax::ModifierNode& modifier : node_.head.modifiers) {
      if (modifier.kind == syntax::Modifier::kShadow) continue;
      ctx_.Report(diag::Make(Code::kModifierNotAllowed, modifier.span,
                             syntax::Spelling(modifier.kind), syntax::Spelling(node_.effect))
                      .Help("a `permit` stops nothing, so it has no level to enforce; remove "
                            "the modifier"));
      break;
    }
    rule_.head.enforcement = Enforcement::kHard;
  }

  void ResolveTools() {
    for (const syntax::ToolPattern& pattern : node_.tools) {
      for (ToolId id : MatchTools(ctx_, scope_, pattern.parts, pattern.span)) {
        if (std::find(rule_.tools.begin(), rule_.tools.end(), id) != rule_.tools.end()) continue;
        rule_.tools.push_back(id);
        const Tool& tool = ctx_.program.tool(id);
        if (node_.phase == syntax::Phase::kResult && !tool.result) {
          ctx_.Report(diag::Make(Code::kToolHasNoResult, pattern.span, tool.name)
                          .Help("`result` rules apply to tools declared with `-> type`"));
        }
      }
    }
    std::sort(rule_.tools.begin(), rule_.tools.end());
  }

  void CheckClause(const syntax::RuleClause& clause, const Env& env) {
    const syntax::File& file = *scope_.file;
    std::visit(
        [&](const auto& c) {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, syntax::WhenClause>) {
            ExprChecker(ctx_, scope_, env).Condition(c.condition);
            rule_.condition = ExprRef{file.id, c.condition};
          } else if constexpr (std::is_same_v<T, syntax::BecauseClause>) {
            if (CheckReason(ctx_, c.reason)) rule_.reason = c.reason.value;
          } else if constexpr (std::is_same_v<T, syntax::ApproverClause>) {
            Type type = ExprChecker(ctx_, scope_, env).Value(c.approvers);
            rule_.approvers = CheckApprovers(ctx_, scope_, c.approvers, type);
          } else if constexpr (std::is_same_v<T, syntax::TimeoutClause>) {
            if (CheckPositive(ctx_, c.timeout)) rule_.timeout_millis = c.timeout.millis;
          } else if constexpr (std::is_same_v<T, syntax::GrantClause>) {
            CheckGrant(clause, c);
          } else {
            static_assert(std::is_same_v<T, syntax::WarnClause>);
            if (CheckReason(ctx_, c.message)) rule_.warnings.push_back(c.message.value);
          }
        },
        clause.kind);
  }

  void CheckGrant(const syntax::RuleClause& clause, const syntax::GrantClause& grant) {
    for (const Grant& previous : rule_.grants) {
      if (previous.credential == grant.credential.text) {
        ctx_.Report(diag::Make(Code::kDuplicateClause, clause.span,
                               "grant " + grant.credential.text)
                        .Label(previous.span, "first given here"));
        return;
      }
    }
    if (node_.principals.empty()) {
      ctx_.Report(diag::Make(Code::kGrantWithoutAgent, clause.span)
                      .Help("name the agents whose credential is granted: `for Agent`"));
      return;
    }
    bool ok = true;
    if (grant.ttl && !CheckPositive(ctx_, *grant.ttl)) ok = false;
    for (EntityTypeId id : rule_.principals) {
      if (!ok) break;
      const EntityType& agent = ctx_.program.entity_type(id);
      const Credential* credential = agent.FindCredential(grant.credential.text);
      if (credential == nullptr) {
        std::vector<std::string> names;
        for (const Credential& c : agent.agent->credentials) names.push_back(c.name);
        ctx_.Report(diag::Make(Code::kUnknownCredential, grant.credential.span, agent.name,
                               grant.credential.text)
                        .Help(DidYouMean(grant.credential.text, names)));
        ok = false;
        break;
      }
      for (const syntax::StringNode& scope : grant.scopes.value_or(std::vector<syntax::StringNode>{})) {
        if (std::find(credential->scopes.begin(), credential->scopes.end(), scope.value) ==
            credential->scopes.end()) {
          ctx_.Report(diag::Make(Code::kUnknownScope, scope.span, credential->name, scope.value)
                          .Help(DidYouMean(scope.value, credential->scopes)));
          ok = false;
        }
      }
      if (ok && grant.ttl && grant.ttl->millis > credential->ttl_millis) {
        ctx_.Report(diag::Make(Code::kTtlTooLong, grant.ttl->span, grant.ttl->text,
                               FormatDuration(credential->ttl_millis))
                        .Label(credential->span, "declared here"));
        ok = false;
      }
    }
    if (!ok) return;
    Grant resolved{grant.credential.text, std::nullopt, std::nullopt, clause.span};
    if (grant.scopes) {
      resolved.scopes.emplace();
      for (const syntax::StringNode& scope : *grant.scopes) resolved.scopes->push_back(scope.value);
    }
    if (grant.ttl) resolved.ttl_millis = grant.ttl->millis;
    rule_.grants.push_back(std::move(resolved));
  }

  void ReportMissingClauses(const std::map<ClauseKind, Span>& seen) {
    Span effect = node_.effect_span;
    if (node_.effect == syntax::Effect::kForbid && !seen.contains(ClauseKind::kBecause)) {
      Span end{decl_.span.file, decl_.span.end, decl_.span.end};
      ctx_.Report(diag::Make(Code::kForbidWithoutReason, effect)
                      .Help("say why the call is refused: add `because \"...\"` to the rule")
                      .Fix(end, " because \"...\""));
    }
    if (node_.effect == syntax::Effect::kRequireApproval) {
      if (!seen.contains(ClauseKind::kBy)) {
        ctx_.Report(diag::Make(Code::kApprovalWithoutApprover, effect)
                        .Help("add `by` with an entity, a set of entities or a group name"));
      }
      if (!seen.contains(ClauseKind::kTimeout)) {
        ctx_.Report(diag::Make(Code::kApprovalWithoutTimeout, effect)
                        .Help("add `timeout` with how long the approval may take, e.g. `timeout 24h`"));
      }
    }
  }

  Context& ctx_;
  const FileScope& scope_;
  const syntax::Decl& decl_;
  const syntax::RuleDecl& node_;
  Rule rule_;
};

}  // namespace

Type PrincipalType(Context& ctx, std::span<const syntax::QualifiedName> names,
                   const std::vector<EntityTypeId>& agents) {
  if (names.empty()) return ctx.program.types.Entities(AllAgents(ctx));
  // Names that failed to resolve were reported; an empty list must not report again.
  if (agents.empty()) return TypeTable::Error();
  return ctx.program.types.Entities(agents);
}

DeclHead ResolveHead(Context& ctx, const FileScope& scope, const syntax::RuleHead& head,
                     Span decl_span) {
  DeclHead out;
  out.package = scope.package;
  out.file = scope.file->id;
  out.span = decl_span;
  std::map<syntax::Modifier, Span> seen;
  const syntax::ModifierNode* level = nullptr;
  for (const syntax::ModifierNode& modifier : head.modifiers) {
    auto [it, inserted] = seen.emplace(modifier.kind, modifier.span);
    if (!inserted) {
      ctx.Report(diag::Make(Code::kDuplicateModifier, modifier.span, syntax::Spelling(modifier.kind))
                     .Label(it->second, "first given here"));
      continue;
    }
    if (modifier.kind == syntax::Modifier::kShadow) {
      out.shadow = true;
      continue;
    }
    if (level != nullptr) {
      ctx.Report(diag::Make(Code::kConflictingModifiers, modifier.span,
                            syntax::Spelling(modifier.kind), syntax::Spelling(level->kind))
                     .Label(level->span, "the enforcement level is set here"));
      continue;
    }
    level = &modifier;
    out.enforcement = modifier.kind == syntax::Modifier::kAdvisory ? Enforcement::kAdvisory
                      : modifier.kind == syntax::Modifier::kSoft   ? Enforcement::kSoft
                                                                   : Enforcement::kHard;
  }
  if (head.label) {
    auto& labels = ctx.packages[scope.package.index].labels;
    auto [it, inserted] = labels.emplace(head.label->text, head.label->span);
    if (!inserted) {
      ctx.Report(diag::Make(Code::kDuplicateLabel, head.label->span, head.label->text)
                     .Label(it->second, "first used here"));
    }
    out.label = head.label->text;
  }
  return out;
}

bool CheckReason(Context& ctx, const syntax::StringNode& reason) {
  if (!reason.value.empty()) return true;
  ctx.Report(diag::Make(Code::kEmptyReason, reason.span));
  return false;
}

bool CheckPositive(Context& ctx, const syntax::DurationNode& duration) {
  if (duration.millis > 0) return true;
  ctx.Report(diag::Make(Code::kNonPositiveDuration, duration.span));
  return false;
}

std::optional<Approvers> CheckApprovers(Context& ctx, const FileScope& scope, syntax::ExprId expr,
                                        Type type) {
  const TypeTable& types = ctx.program.types;
  if (types.is_error(type)) return std::nullopt;
  ExprRef ref{scope.file->id, expr};
  TypeKind kind = types.kind(type);
  if (kind == TypeKind::kEntity) return Approvers{ref, ApproverKind::kEntity};
  if (kind == TypeKind::kString) return Approvers{ref, ApproverKind::kString};
  if (kind == TypeKind::kSet) {
    Type element = types.data(type).element;
    if (types.is_error(element) || types.kind(element) == TypeKind::kEntity) {
      return Approvers{ref, ApproverKind::kEntitySet};
    }
  }
  ctx.Report(diag::Make(Code::kBadApprover, scope.file->expr(expr).span, ctx.program.TypeName(type)));
  return std::nullopt;
}

std::optional<Period> ResolvePeriod(Context& ctx, const syntax::Name& name) {
  static constexpr Period kPeriods[] = {Period::kCall, Period::kTask, Period::kHour,
                                        Period::kDay,  Period::kWeek, Period::kMonth};
  std::vector<std::string> names;
  for (Period period : kPeriods) {
    if (name.text == Spelling(period)) return period;
    names.emplace_back(Spelling(period));
  }
  ctx.Report(diag::Make(Code::kUnknownPeriod, name.span, name.text)
                 .Help(DidYouMean(name.text, names)));
  return std::nullopt;
}

void CheckRule(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  RuleChecker(ctx, scope, decl).Run();
}

}  // namespace writ::check::internal
