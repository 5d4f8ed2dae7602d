// Rules and their relatives: limits, budgets, rates, pools and output rules. Each has a head
// line (`label: modifiers keyword ... for Principals`) and, when it does not fit on one line
// or has several clauses, one clause per line indented one level; `for Principals` then
// moves to a line of its own too if the head alone does not fit.
#include <functional>
#include <string>
#include <type_traits>
#include <variant>

#include "compiler/format/internal/printer.h"

namespace writ::format::internal {

void Printer::Head(const syntax::RuleHead& head) {
  if (head.label) {
    Leaf(head.label->text, head.label->span);
    Tok(":");
    Space();
  }
  for (const syntax::ModifierNode& modifier : head.modifiers) {
    Leaf(syntax::Spelling(modifier.kind), modifier.span);
    Space();
  }
}

void Printer::HeadAndPrincipals(const std::function<void()>& head,
                                const std::vector<syntax::QualifiedName>& principals, bool broken) {
  bool own_line = broken && !principals.empty() && !FitsFlat([&] {
                    head();
                    Principals(principals, false);
                  });
  head();
  Principals(principals, own_line);
}

void Printer::Principals(const std::vector<syntax::QualifiedName>& principals, bool own_line) {
  if (principals.empty()) return;
  if (own_line) {
    NewLine(kIndent);
  } else {
    Space();
  }
  Tok("for");
  Space();
  NameList(principals);
}

void Printer::Reason(const std::optional<syntax::StringNode>& reason, bool broken) {
  if (!reason) return;
  if (broken) {
    NewLine(kIndent);
  } else {
    Space();
  }
  Tok("because");
  Space();
  String(*reason);
}

void Printer::Rule(const syntax::Decl& decl, const syntax::RuleDecl& rule) {
  bool broken = !flat_ && (rule.clauses.size() > 1 || Breaks(decl.span, [&] { Rule(decl, rule); }));
  HeadAndPrincipals(
      [&] {
        Head(rule.head);
        Leaf(syntax::Spelling(rule.effect), rule.effect_span);
        Space();
        Tok(syntax::Spelling(rule.phase));
        Space();
        Patterns(rule.tools);
      },
      rule.principals, broken);
  for (const syntax::RuleClause& clause : rule.clauses) {
    if (broken) {
      NewLine(kIndent);
    } else {
      Space();
    }
    Clause(clause);
  }
}

void Printer::Clause(const syntax::RuleClause& clause) {
  std::visit(
      [&](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, syntax::WhenClause>) {
          Tok("when");
          Space();
          ClauseExpr(kind.condition, kIndent);
        } else if constexpr (std::is_same_v<T, syntax::BecauseClause>) {
          Tok("because");
          Space();
          String(kind.reason);
        } else if constexpr (std::is_same_v<T, syntax::ApproverClause>) {
          Tok("by");
          Space();
          ClauseExpr(kind.approvers, kIndent);
        } else if constexpr (std::is_same_v<T, syntax::TimeoutClause>) {
          Tok("timeout");
          Space();
          Leaf(kind.timeout.text, kind.timeout.span);
        } else if constexpr (std::is_same_v<T, syntax::GrantClause>) {
          Tok("grant");
          Space();
          Leaf(kind.credential.text, kind.credential.span);
          if (kind.scopes) {
            Space();
            StringList(*kind.scopes);
          }
          if (kind.ttl) {
            Space();
            Tok("ttl");
            Space();
            Leaf(kind.ttl->text, kind.ttl->span);
          }
        } else {
          static_assert(std::is_same_v<T, syntax::WarnClause>);
          Tok("warn");
          Space();
          String(kind.message);
        }
      },
      clause.kind);
}

void Printer::Limit(const syntax::Decl& decl, const syntax::LimitDecl& limit) {
  bool broken = Breaks(decl.span, [&] { Limit(decl, limit); });
  HeadAndPrincipals(
      [&] {
        Head(limit.head);
        Tok("limit");
        Space();
        Tok("spend");
        Space();
        Pattern(limit.target);
        Space();
        Tok("per");
        Space();
        Leaf(limit.period.text, limit.period.span);
        Space();
        Tok("<=");
        Space();
        Expr(limit.bound);
      },
      limit.principals, broken);
  Reason(limit.reason, broken);
}

void Printer::Budget(const syntax::Decl& decl, const syntax::BudgetDecl& budget) {
  bool broken =
      !flat_ && (budget.clauses.size() > 1 || Breaks(decl.span, [&] { Budget(decl, budget); }));
  HeadAndPrincipals(
      [&] {
        Head(budget.head);
        Tok("budget");
        Space();
        Leaf(budget.kind.text, budget.kind.span);
        if (budget.per) {
          Space();
          Tok("per");
          Space();
          Leaf(budget.per->text, budget.per->span);
        }
        Space();
        Amount(budget.amount);
      },
      budget.principals, broken);
  for (const syntax::BudgetClause& clause : budget.clauses) {
    if (broken) {
      NewLine(kIndent);
    } else {
      Space();
    }
    if (const auto* warn = std::get_if<syntax::WarnAtClause>(&clause.kind)) {
      Tok("warn");
      Space();
      Tok("at");
      Space();
      for (size_t i = 0; i < warn->thresholds.size(); ++i) {
        if (i > 0) {
          Sep(",");
          Space();
        }
        const syntax::PercentNode& percent = warn->thresholds[i];
        std::string_view text = SourceText(percent.span);
        Leaf(text.empty() ? std::to_string(percent.value) + "%" : std::string(text), percent.span);
      }
    } else if (const auto* then = std::get_if<syntax::ThenClause>(&clause.kind)) {
      Tok("then");
      Space();
      Leaf(then->action.text, then->action.span);
      if (then->approvers) {
        Space();
        Tok("by");
        Space();
        Expr(*then->approvers);
      }
    } else {
      Tok("because");
      Space();
      String(std::get<syntax::BecauseClause>(clause.kind).reason);
    }
  }
}

void Printer::Amount(const syntax::AmountNode& amount) {
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, syntax::MoneyLit>) {
          Leaf(NormalizeMoney(value.text.empty() ? SourceText(amount.span) : value.text),
               amount.span);
        } else {
          Leaf(value.text.empty() ? SourceText(amount.span) : value.text, amount.span);
        }
      },
      amount.value);
}

void Printer::Rate(const syntax::Decl& decl, const syntax::RateDecl& rate) {
  bool broken = Breaks(decl.span, [&] { Rate(decl, rate); });
  HeadAndPrincipals(
      [&] {
        Head(rate.head);
        Tok("rate");
        Space();
        Patterns(rate.tools);
        Space();
        Leaf(rate.count.text.empty() ? SourceText(rate.count.span) : rate.count.text,
             rate.count.span);
        Space();
        Tok("per");
        Space();
        Leaf(rate.window.text, rate.window.span);
      },
      rate.principals, broken);
  Reason(rate.reason, broken);
}

void Printer::Pool(const syntax::PoolDecl& pool) {
  Head(pool.head);
  Tok("pool");
  Space();
  Leaf(pool.name.text, pool.name.span);
  Space();
  Leaf(pool.size.text.empty() ? SourceText(pool.size.span) : pool.size.text, pool.size.span);
  Space();
  if (pool.counts_calls) {
    Tok("calls");
    Space();
    Patterns(pool.tools);
  } else {
    Tok("sessions");
    Space();
    NameList(pool.agents);
  }
  if (pool.then) {
    Space();
    Tok("then");
    Space();
    Leaf(pool.then->text, pool.then->span);
  }
}

void Printer::Output(const syntax::OutputDecl& output) {
  Head(output.head);
  Tok("output");
  Space();
  if (output.phase) {
    Tok(syntax::Spelling(*output.phase));
    Space();
  }
  Pattern(output.target);
  Space();
  Block(0, output.rules.size(), [&](size_t i) {
    const syntax::OutputRule& rule = output.rules[i];
    Tok(rule.redact ? "redact" : "forbid");
    Space();
    NameList(rule.detectors);
    if (rule.reason) {
      Space();
      Tok("because");
      Space();
      String(*rule.reason);
    }
  });
}

}  // namespace writ::format::internal
