// The declarations that govern consumption and outputs: spending limits, budgets, rates, pools
// and output rules.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "compiler/check/internal/expr_checker.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

bool IsText(const TypeTable& types, Type type) {
  if (type == TypeTable::String()) return true;
  return types.kind(type) == TypeKind::kSet && types.data(type).element == TypeTable::String();
}

// A target `tool.pattern.field`: the tools its leading parts match and its last part. Reports a
// target without a field as an unknown tool.
struct Target {
  std::vector<ToolId> tools;
  const syntax::PatternPart* field = nullptr;
};

Target ResolveTarget(Context& ctx, const FileScope& scope, const syntax::ToolPattern& pattern,
                     std::string_view what) {
  Target target;
  const auto& parts = pattern.parts;
  if (parts.size() < 2) {
    ctx.Report(diag::Make(Code::kUnknownTool, pattern.span, pattern.Joined())
                   .Help("name a tool and its " + std::string(what) +
                         ", e.g. `payments.transfer.amount`"));
    return target;
  }
  std::span<const syntax::PatternPart> tool_parts(parts.data(), parts.size() - 1);
  Span span = Span::Cover(tool_parts.front().span, tool_parts.back().span);
  target.tools = MatchTools(ctx, scope, tool_parts, span);
  target.field = &parts.back();
  return target;
}

void ReportUnknownParam(Context& ctx, const Tool& tool, const syntax::PatternPart& field) {
  std::vector<std::string> candidates;
  for (const Attribute& param : tool.params) candidates.push_back(param.name);
  ctx.Report(diag::Make(Code::kUnknownParameter, field.span, tool.name, field.text)
                 .Help(DidYouMean(field.text, candidates)));
}

// A budget counts over the task or a calendar period, never a single call; the time a task has
// run has no calendar period.
bool TakesPeriod(BudgetKind kind, Period period) {
  if (period == Period::kCall) return false;
  return kind != BudgetKind::kTime || period == Period::kTask;
}

bool CheckPositiveCount(Context& ctx, const syntax::IntNode& count, std::string_view what) {
  if (count.value > 0) return true;
  ctx.Report(diag::Make(Code::kNonPositiveCount, count.span, what));
  return false;
}

}  // namespace

void CheckLimit(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  const auto& node = std::get<syntax::LimitDecl>(decl.kind);
  Limit limit;
  limit.head = ResolveHead(ctx, scope, node.head, decl.span);
  Target target = ResolveTarget(ctx, scope, node.target, "money parameter");
  limit.tools = target.tools;
  if (target.field != nullptr) {
    limit.param = target.field->text;
    for (ToolId id : target.tools) {
      const Tool& tool = ctx.program.tool(id);
      const Attribute* param = tool.FindParam(target.field->text);
      if (param == nullptr) {
        ReportUnknownParam(ctx, tool, *target.field);
        break;
      }
      if (ctx.program.types.kind(param->type) != TypeKind::kMoney &&
          !ctx.program.types.is_error(param->type)) {
        ctx.Report(diag::Make(Code::kSpendNotMoney, target.field->span,
                              tool.name + "." + param->name, ctx.program.TypeName(param->type)));
        break;
      }
    }
  }
  limit.period = ResolvePeriod(ctx, node.period).value_or(Period::kTask);
  limit.principals = ResolveAgents(ctx, scope, node.principals);
  Env env;
  env.where = "a spending limit's bound";
  env.principal = true;
  env.principal_type = PrincipalType(ctx, node.principals, limit.principals);
  ExprChecker(ctx, scope, env).Expect(node.bound, TypeTable::Money());
  limit.bound = scope.Ref(node.bound);
  if (node.reason && CheckReason(ctx, *node.reason)) limit.reason = node.reason->value;
  ctx.program.limits.push_back(std::move(limit));
}

void CheckBudget(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  const auto& node = std::get<syntax::BudgetDecl>(decl.kind);
  Budget budget;
  budget.head = ResolveHead(ctx, scope, node.head, decl.span);
  static constexpr BudgetKind kKinds[] = {BudgetKind::kTokens, BudgetKind::kCalls,
                                          BudgetKind::kTime, BudgetKind::kSpend};
  std::optional<BudgetKind> kind;
  std::vector<std::string> kind_names;
  for (BudgetKind k : kKinds) {
    if (node.kind.text == Spelling(k)) kind = k;
    kind_names.emplace_back(Spelling(k));
  }
  if (!kind) {
    ctx.Report(diag::Make(Code::kUnknownBudgetKind, node.kind.span, node.kind.text)
                   .Help(DidYouMean(node.kind.text, kind_names)));
  } else {
    budget.kind = *kind;
    const auto& amount = node.amount.value;
    bool fits = false;
    std::string_view expected;
    switch (*kind) {
      case BudgetKind::kTokens:
      case BudgetKind::kCalls:
        expected = "a whole number";
        if (const auto* count = std::get_if<syntax::IntNode>(&amount)) {
          fits = true;
          budget.amount = count->value;
        }
        break;
      case BudgetKind::kTime:
        expected = "a duration";
        if (const auto* duration = std::get_if<syntax::DurationNode>(&amount)) {
          fits = true;
          budget.amount = duration->millis;
        }
        break;
      case BudgetKind::kSpend:
        expected = "an amount of money";
        if (const auto* money = std::get_if<syntax::MoneyLit>(&amount)) {
          fits = true;
          budget.amount = money->value.units;
          budget.currency = money->value.currency;
        }
        break;
    }
    if (!fits) {
      ctx.Report(diag::Make(Code::kBadBudgetAmount, node.amount.span, node.kind.text, expected));
    } else if (budget.amount <= 0) {
      ctx.Report(diag::Make(Code::kNonPositiveCount, node.amount.span, "a budget's amount"));
    }
  }
  if (node.per) {
    std::optional<Period> period = ResolvePeriod(ctx, *node.per);
    if (period && kind && !TakesPeriod(*kind, *period)) {
      ctx.Report(diag::Make(Code::kBadBudgetPeriod, node.per->span, node.kind.text, node.per->text)
                     .Help(*kind == BudgetKind::kTime
                               ? "a `time` budget measures the task's own time "
                                 "(`session.elapsed`); write `per task` or leave the period out"
                               : "a budget counts over the task or a calendar period: `per "
                                 "task`, `hour`, `day`, `week` or `month`"));
    } else if (period) {
      budget.period = *period;
    }
  }
  budget.principals = ResolveAgents(ctx, scope, node.principals);

  std::map<size_t, Span> seen;
  static constexpr const char* kClauseNames[] = {"warn at", "then", "because"};
  for (const syntax::BudgetClause& clause : node.clauses) {
    auto [it, inserted] = seen.emplace(clause.kind.index(), clause.span);
    if (!inserted) {
      ctx.Report(diag::Make(Code::kDuplicateClause, clause.span, kClauseNames[clause.kind.index()])
                     .Label(it->second, "first given here"));
      continue;
    }
    if (const auto* warn = std::get_if<syntax::WarnAtClause>(&clause.kind)) {
      int64_t previous = 0;
      for (const syntax::PercentNode& threshold : warn->thresholds) {
        if (threshold.value >= 100 || threshold.value <= previous) {
          ctx.Report(diag::Make(Code::kBadThreshold, threshold.span,
                                std::to_string(threshold.value) + "%"));
          continue;
        }
        previous = threshold.value;
        budget.warn_at.push_back(threshold.value);
      }
    } else if (const auto* then = std::get_if<syntax::ThenClause>(&clause.kind)) {
      const std::string& action = then->action.text;
      if (action == "terminate") {
        budget.then = BudgetAction::kTerminate;
        if (then->approvers) {
          ctx.Report(diag::Make(Code::kClauseNotAllowed, scope.file->expr(*then->approvers).span,
                                "by", "terminate"));
        }
      } else if (action == "require_approval") {
        budget.then = BudgetAction::kRequireApproval;
        if (!then->approvers) {
          ctx.Report(diag::Make(Code::kBudgetApproverMissing, then->action.span)
                         .Help("add `by` with an entity, a set of entities or a group name"));
          continue;
        }
        Env env;
        env.where = "a budget";
        env.principal = true;
        env.principal_type = PrincipalType(ctx, node.principals, budget.principals);
        env.session = true;
        Type type = ExprChecker(ctx, scope, env).Value(*then->approvers);
        budget.approvers = CheckApprovers(ctx, scope, *then->approvers, type);
      } else {
        std::vector<std::string> actions = {"terminate", "require_approval"};
        ctx.Report(diag::Make(Code::kUnknownBudgetAction, then->action.span, action)
                       .Help(DidYouMean(action, actions)));
      }
    } else {
      const auto& because = std::get<syntax::BecauseClause>(clause.kind);
      if (CheckReason(ctx, because.reason)) budget.reason = because.reason.value;
    }
  }
  ctx.program.budgets.push_back(std::move(budget));
}

void CheckRate(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  const auto& node = std::get<syntax::RateDecl>(decl.kind);
  Rate rate;
  rate.head = ResolveHead(ctx, scope, node.head, decl.span);
  rate.tools = MatchToolPatterns(ctx, scope, node.tools);
  if (CheckPositiveCount(ctx, node.count, "the number of calls")) rate.count = node.count.value;
  if (CheckPositive(ctx, node.window)) rate.window_millis = node.window.millis;
  rate.principals = ResolveAgents(ctx, scope, node.principals);
  if (node.reason && CheckReason(ctx, *node.reason)) rate.reason = node.reason->value;
  ctx.program.rates.push_back(std::move(rate));
}

void CheckPool(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  const auto& node = std::get<syntax::PoolDecl>(decl.kind);
  Pool pool;
  pool.head = ResolveHead(ctx, scope, node.head, decl.span);
  pool.name = node.name.text;
  auto& pools = ctx.packages[scope.package.index].pools;
  auto [it, inserted] = pools.emplace(node.name.text, node.name.span);
  if (!inserted) {
    ctx.Report(diag::Make(Code::kDuplicatePool, node.name.span, node.name.text)
                   .Label(it->second, "first declared here"));
  }
  if (CheckPositiveCount(ctx, node.size, "the size of a pool")) pool.size = node.size.value;
  pool.counts_calls = node.counts_calls;
  if (node.counts_calls) {
    pool.tools = MatchToolPatterns(ctx, scope, node.tools);
  } else {
    pool.agents = ResolveAgents(ctx, scope, node.agents);
  }
  if (node.then) {
    if (node.then->text == "queue") {
      pool.then = PoolAction::kQueue;
    } else if (node.then->text == "refuse") {
      pool.then = PoolAction::kRefuse;
    } else {
      std::vector<std::string> actions = {"queue", "refuse"};
      ctx.Report(diag::Make(Code::kUnknownPoolAction, node.then->span, node.then->text)
                     .Help(DidYouMean(node.then->text, actions)));
    }
  }
  ctx.program.pools.push_back(std::move(pool));
}

void CheckOutput(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  const auto& node = std::get<syntax::OutputDecl>(decl.kind);
  const TypeTable& types = ctx.program.types;
  Output output;
  output.head = ResolveHead(ctx, scope, node.head, decl.span);
  output.phase = node.phase.value_or(syntax::Phase::kCall);
  Target target = ResolveTarget(ctx, scope, node.target,
                                output.phase == syntax::Phase::kCall ? "parameter" : "result field");
  output.tools = target.tools;
  if (target.field != nullptr) {
    const syntax::PatternPart& field = *target.field;
    output.field = field.text;
    for (ToolId id : target.tools) {
      const Tool& tool = ctx.program.tool(id);
      Type type = TypeTable::Error();
      if (output.phase == syntax::Phase::kCall) {
        const Attribute* param = tool.FindParam(field.text);
        if (param == nullptr) {
          ReportUnknownParam(ctx, tool, field);
          break;
        }
        type = param->type;
      } else {
        if (!tool.result) {
          ctx.Report(diag::Make(Code::kToolHasNoResult, node.target.span, tool.name));
          break;
        }
        const Field* result_field = types.FindField(*tool.result, field.text);
        if (result_field == nullptr) {
          std::vector<std::string> candidates;
          if (types.kind(*tool.result) == TypeKind::kRecord) {
            for (const Field& f : types.data(*tool.result).fields) candidates.push_back(f.name);
          }
          ctx.Report(diag::Make(Code::kUnknownField, field.span,
                                ctx.program.TypeName(*tool.result), field.text)
                         .Help(DidYouMean(field.text, candidates)));
          break;
        }
        type = result_field->type;
      }
      if (!types.is_error(type) && !IsText(types, type)) {
        ctx.Report(diag::Make(Code::kOutputNotText, field.span, tool.name + "." + field.text,
                              ctx.program.TypeName(type)));
        break;
      }
    }
  }

  const EnumType& kinds = ctx.program.enum_type(ctx.program.FindStdEnum("std.pii", "Kind"));
  for (const syntax::OutputRule& rule : node.rules) {
    OutputCheck check;
    check.redact = rule.redact;
    check.span = rule.span;
    for (const syntax::QualifiedName& detector : rule.detectors) {
      std::string text = detector.Joined();
      const ImportBinding* binding =
          detector.parts.size() == 2 ? scope.FindImport(detector.parts[0].text) : nullptr;
      if (binding == nullptr && detector.parts.size() == 2 && detector.parts[0].text == "pii") {
        ctx.Report(diag::Make(Code::kModuleNotImported, detector.parts[0].span, "std.pii")
                       .Help("add `import std.pii`"));
        continue;
      }
      if (binding != nullptr && binding->failed()) continue;
      if (binding == nullptr || binding->module != "std.pii") {
        ctx.Report(diag::Make(Code::kUnknownDetector, detector.span, text)
                       .Help("detectors are written through the import of std.pii, e.g. "
                             "`pii.email`"));
        continue;
      }
      const std::string& name = detector.parts[1].text;
      auto member = std::find(kinds.members.begin(), kinds.members.end(), name);
      if (member == kinds.members.end()) {
        ctx.Report(diag::Make(Code::kUnknownDetector, detector.span, text)
                       .Help(DidYouMean(name, kinds.members)));
        continue;
      }
      check.detectors.push_back(static_cast<uint32_t>(member - kinds.members.begin()));
    }
    if (rule.reason && CheckReason(ctx, *rule.reason)) check.reason = rule.reason->value;
    if (!rule.redact && !rule.reason) {
      ctx.Report(diag::Make(Code::kForbidWithoutReason, rule.span)
                     .Help("say why the output is refused: add `because \"...\"`"));
    }
    output.checks.push_back(std::move(check));
  }
  ctx.program.outputs.push_back(std::move(output));
}

}  // namespace writ::check::internal
