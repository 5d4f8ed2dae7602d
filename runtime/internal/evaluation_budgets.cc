// The combining's stateful declarations: rate limits, pools and budgets, which read what the
// runtime counted (docs/language.md §10-12).
#include "runtime/internal/evaluation_impl.h"

namespace writ::runtime::internal {

void Evaluation::Rates() {
  for (ir::RateId id : plan_.rates) {
    const ir::Rate& rate = policy_.rates.at(id.index);
    if (!Included(rate.head)) continue;
    if (!Applies(rate.principals, principal_type_)) {
      Consider(rate.head, "rate", Verdict::kNotApplicable,
               [&] { return OtherPrincipals(rate.principals); });
      continue;
    }
    auto it = request_.counters.calls_in_window.find(rate.head.id);
    int64_t count = it == request_.counters.calls_in_window.end() ? 0 : it->second;
    Consider(rate.head, "rate", count >= rate.count ? Verdict::kHeld : Verdict::kNotHeld, [&] {
      return fmt::format("{} calls in the last {}, at most {}", count,
                         ir::FormatDuration(rate.window_millis), rate.count);
    });
    if (count >= rate.count) {
      Stop(rate.head, "rate",
           rate.reason.empty() ? fmt::format("rate limit of {} calls per {} reached", rate.count,
                                             ir::FormatDuration(rate.window_millis))
                               : rate.reason);
    }
  }
}

void Evaluation::Pools() {
  for (ir::PoolId id : plan_.pools) {
    const ir::Pool& pool = policy_.pools.at(id.index);
    if (!Included(pool.head)) continue;
    auto it = request_.counters.pools.find(pool.head.id);
    int64_t in_flight = it == request_.counters.pools.end() ? 0 : it->second;
    Consider(pool.head, "pool", in_flight >= pool.size ? Verdict::kHeld : Verdict::kNotHeld,
             [&] { return fmt::format("{} of {} in flight", in_flight, pool.size); });
    // A stateless evaluation cannot wait, so a full `then queue` pool also stops the call here;
    // the session runtime queues it instead.
    if (in_flight >= pool.size) {
      Stop(pool.head, "pool",
           pool.reason.empty() ? fmt::format("pool {} is full", pool.name) : pool.reason);
    }
  }
}

void Evaluation::Budgets() {
  if (request_.phase != ir::Phase::kCall) return;
  for (const ir::Budget& budget : policy_.budgets) {
    if (!Included(budget.head)) continue;
    if (!Applies(budget.principals, principal_type_)) {
      Consider(budget.head, "budget", Verdict::kNotApplicable,
               [&] { return OtherPrincipals(budget.principals); });
      continue;
    }
    bool per_task = budget.period == ir::Period::kTask;
    auto counted = request_.counters.budgets.find(budget.head.id);
    bool has_counter = counted != request_.counters.budgets.end();
    int64_t usage = 0;
    bool exhausted = false;
    switch (budget.kind) {
      case ir::BudgetKind::kTokens:
        usage = per_task ? exprs_.Fact(ir::SessionFact::kTokensUsed).number
                         : (has_counter ? counted->second.number : 0);
        exhausted = usage >= budget.amount;
        break;
      case ir::BudgetKind::kCalls:
        usage = per_task ? exprs_.Fact(ir::SessionFact::kToolCalls).number
                         : (has_counter ? counted->second.number : 0);
        if (__builtin_add_overflow(usage, 1, &usage)) usage = INT64_MAX;
        exhausted = usage > budget.amount;
        break;
      case ir::BudgetKind::kTime:
        usage = exprs_.Fact(ir::SessionFact::kElapsed).number;
        exhausted = usage >= budget.amount;
        break;
      case ir::BudgetKind::kSpend: {
        Value total = per_task ? exprs_.Fact(ir::SessionFact::kSpent)
                               : (has_counter ? counted->second : Value::Money(0, ""));
        Value limit = Value::Money(budget.amount, budget.currency);
        std::string currency;
        bool same = internal::SameCurrency(total, limit, currency);
        bool overflow = false;
        for (const Value& spend : this_call_spend_) {
          same = same && internal::SameCurrency(spend, limit, currency);
          overflow = overflow || (same && __builtin_add_overflow(total.number, spend.number,
                                                                 &total.number));
        }
        if (!same || overflow) {
          Error(budget.head,
                same ? EvalError{"eval.overflow", "the spend so far plus this call's overflows",
                                 budget.head.loc}
                     : EvalError{"eval.currency", "the spend is not in the budget's currency",
                                 budget.head.loc});
          Consider(budget.head, "budget", Verdict::kError, NoNote);
          Stop(budget.head, "budget", budget.reason);
          continue;
        }
        usage = total.number;
        exhausted = usage > budget.amount;
        break;
      }
    }
    Consider(budget.head, "budget", exhausted ? Verdict::kHeld : Verdict::kNotHeld, [&] {
      auto show = [&](int64_t amount) {
        switch (budget.kind) {
          case ir::BudgetKind::kTokens:
            return fmt::format("{} tokens", amount);
          case ir::BudgetKind::kCalls:
            return fmt::format("{} calls", amount);
          case ir::BudgetKind::kTime:
            return ir::FormatDuration(amount);
          case ir::BudgetKind::kSpend:
            return ir::FormatMoney(amount, budget.currency);
        }
        return std::to_string(amount);
      };
      return fmt::format("{} used{} of {} per {}", show(usage),
                         budget.kind == ir::BudgetKind::kCalls ? " with this call" : "",
                         show(budget.amount), ir::Spelling(budget.period));
    });
    if (exhausted) {
      std::string message = budget.reason.empty()
                                ? fmt::format("{} budget exhausted", ir::Spelling(budget.kind))
                                : budget.reason;
      if (budget.then == ir::BudgetAction::kRequireApproval && budget.head.shadow) {
        decision_.shadow.push_back({budget.head.id, DecisionEffect::kApprovalRequired, message});
      } else if (budget.then == ir::BudgetAction::kRequireApproval) {
        Match(budget.head);
        std::optional<Approver> approver =
            Approvers(budget.head, budget.approver_kind, budget.approvers);
        if (approver) Approve(budget.head, "budget", message, std::move(approver), std::nullopt);
      } else {
        Stop(budget.head, "budget", message);
      }
      continue;
    }
    if (budget.head.shadow || budget.amount <= 0) continue;
    int64_t reached = 0;
    for (int64_t percent : budget.warn_at) {
      // usage * 100 >= amount * percent, without overflow for large amounts.
      __int128 lhs = static_cast<__int128>(usage) * 100;
      __int128 rhs = static_cast<__int128>(budget.amount) * percent;
      if (lhs >= rhs) reached = percent;
    }
    if (reached > 0) {
      Match(budget.head);
      decision_.obligations.warnings.push_back(
          fmt::format("{} budget at {}%", ir::Spelling(budget.kind), reached));
    }
  }
}

}  // namespace writ::runtime::internal
