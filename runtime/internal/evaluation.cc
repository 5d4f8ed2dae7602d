// The combining of docs/language.md §7-13, shared by every evaluator: what each declaration of
// the tool's plan contributes, and how those contributions make one decision. Expression roots
// are evaluated through an ExprEngine, so the interpreter and the JIT differ only in how a
// condition, bound or approvers expression gets its value, never in what a value means.
#include "runtime/internal/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "runtime/internal/explain_terms.h"
#include "stdlib/native.h"

namespace writ::runtime::internal {
namespace {

std::string Location(const ir::Policy& policy, ir::Loc loc) {
  if (!loc.valid() || loc.file >= policy.files.size()) return "";
  return fmt::format("{}:{}:{}", policy.files[loc.file], loc.line, loc.column);
}

bool Applies(const std::vector<ir::EntityTypeId>& principals, ir::EntityTypeId principal) {
  return principals.empty() ||
         std::find(principals.begin(), principals.end(), principal) != principals.end();
}

// One evaluation: collects what each declaration contributes, then combines (§7).
class Evaluation {
 public:
  Evaluation(const ir::Policy& policy, const Request& request, ir::PackageId package,
             ExprEvaluator& exprs, ExprEngine& roots, Explanation* explanation)
      : policy_(policy),
        package_(package),
        explanation_(explanation),
        request_(request),
        exprs_(exprs),
        roots_(roots),
        tool_(policy.tool(request.tool)),
        plan_(tool_.plan(request.phase)),
        principal_type_(request.entities[request.principal].type) {}

  Decision Run();

 private:
  void Error(const ir::DeclHead& head, const EvalError& error) {
    decision_.errors.push_back(
        {head.id, "", error.code, error.message, Location(policy_, error.loc)});
  }
  void Match(const ir::DeclHead& head) { matched_.push_back({head.loc, head.id}); }
  // Records what was found about a declaration when an explanation is wanted. `note` is only
  // built then: it may format values.
  template <typename NoteFn>
  void Consider(const ir::DeclHead& head, std::string_view kind, Verdict verdict, NoteFn note,
                std::vector<Term> terms = {}) {
    if (explanation_ == nullptr) return;
    if (verdict == Verdict::kHeld && head.shadow) verdict = Verdict::kShadow;
    explanation_->considered.push_back(
        {head.id, std::string(kind), head.loc, verdict, note(), std::move(terms)});
  }
  static std::string NoNote() { return ""; }
  // Why a declaration for other principals did not apply.
  std::string OtherPrincipals(const std::vector<ir::EntityTypeId>& principals) const;
  Reason MakeReason(const ir::DeclHead& head, std::string kind, std::string message) const {
    return Reason{head.id, std::move(kind), std::move(message), Location(policy_, head.loc)};
  }
  // A declaration that would stop the call: applied by its level, or reported as shadow.
  void Stop(const ir::DeclHead& head, std::string_view kind, const std::string& message);
  void Approve(const ir::DeclHead& head, std::string_view kind, const std::string& message,
               std::optional<Approver> approver, std::optional<int64_t> timeout);
  // Evaluates an approvers expression; nullopt (and a deny) when it fails.
  std::optional<Approver> Approvers(const ir::DeclHead& head, ir::ApproverKind kind,
                                    ir::ExprId expr);

  void Rules();
  void Limits();
  void Rates();
  void Pools();
  void Budgets();
  void Outputs();
  Decision Combine();

  // Whether a declaration takes part in this evaluation (see InterpreterOptions::package).
  bool Included(const ir::DeclHead& head) const {
    return !package_.valid() || head.package == package_;
  }

  const ir::Policy& policy_;
  ir::PackageId package_;
  Explanation* explanation_;  // null unless explaining
  const Request& request_;
  ExprEvaluator& exprs_;  // session facts and explanations
  ExprEngine& roots_;      // conditions, bounds and approvers
  const ir::Tool& tool_;
  const ir::Plan& plan_;
  ir::EntityTypeId principal_type_;

  Decision decision_;
  std::vector<std::pair<ir::Loc, std::string>> matched_;
  std::vector<Reason> denies_;     // hard stops
  std::vector<Reason> approvals_;  // require_approval and soft stops
  bool hard_approval_ = false;
  std::vector<Reason> permits_;
  std::vector<const ir::Rule*> permit_rules_;
  Approval approval_;
  std::vector<Value> this_call_spend_;  // the amounts this call spends, one per money param
  std::set<uint32_t> spend_slots_;      // the params already in this_call_spend_
};

std::string Evaluation::OtherPrincipals(const std::vector<ir::EntityTypeId>& principals) const {
  std::vector<std::string> names;
  for (ir::EntityTypeId type : principals) names.push_back(policy_.entity_type(type).name);
  return fmt::format("applies to {} only; the principal is a {}", fmt::join(names, ", "),
                     policy_.entity_type(principal_type_).name);
}

void Evaluation::Stop(const ir::DeclHead& head, std::string_view kind, const std::string& message) {
  if (head.shadow) {
    decision_.shadow.push_back({head.id, DecisionEffect::kDeny, message});
    return;
  }
  Match(head);
  switch (head.enforcement) {
    case ir::Enforcement::kHard:
      denies_.push_back(MakeReason(head, std::string(kind), message));
      break;
    case ir::Enforcement::kSoft:
      // The approvers and timeout of an override are the runtime's settings.
      approvals_.push_back(MakeReason(head, std::string(kind), message));
      break;
    case ir::Enforcement::kAdvisory:
      decision_.obligations.warnings.push_back(message);
      break;
  }
}

void Evaluation::Approve(const ir::DeclHead& head, std::string_view kind,
                         const std::string& message, std::optional<Approver> approver,
                         std::optional<int64_t> timeout) {
  if (head.enforcement == ir::Enforcement::kAdvisory) {
    decision_.obligations.warnings.push_back(message);
    return;
  }
  approvals_.push_back(MakeReason(head, std::string(kind), message));
  hard_approval_ = true;
  if (approver) approval_.approvers.push_back(std::move(*approver));
  if (timeout && (!approval_.timeout_millis || *timeout < *approval_.timeout_millis)) {
    approval_.timeout_millis = timeout;
  }
}

std::optional<Approver> Evaluation::Approvers(const ir::DeclHead& head, ir::ApproverKind kind,
                                              ir::ExprId expr) {
  if (!expr.valid()) return Approver{kind, Value::String("")};
  Outcome outcome = roots_.Eval(expr);
  if (!outcome.ok) {
    Error(head, outcome.error);
    if (!head.shadow) {
      denies_.push_back(MakeReason(head, "error", "the approvers could not be determined"));
    }
    return std::nullopt;
  }
  return Approver{kind, std::move(outcome.value)};
}

void Evaluation::Rules() {
  for (const ir::RuleRef& ref : plan_.rules) {
    const ir::Rule& rule = policy_.rules.at(ref.rule.index);
    std::string_view kind = ir::Spelling(rule.effect);
    if (!Included(rule.head)) continue;
    if (!Applies(rule.principals, principal_type_)) {
      Consider(rule.head, kind, Verdict::kNotApplicable,
               [&] { return OtherPrincipals(rule.principals); });
      continue;
    }
    const ir::RuleInstance& instance = rule.instances.at(ref.instance);
    bool holds = true;
    bool failed = false;
    if (instance.condition.valid()) {
      Outcome outcome = roots_.Eval(instance.condition);
      if (outcome.ok) {
        holds = outcome.value.number != 0;
      } else {
        Error(rule.head, outcome.error);
        failed = true;
        holds = rule.effect != ir::Effect::kPermit;  // fail closed
      }
    }
    if (explanation_ != nullptr) {
      std::vector<Term> terms;
      if (instance.condition.valid()) {
        terms = ExplainCondition(policy_, exprs_, instance.condition);
      }
      Verdict verdict = failed ? Verdict::kError : holds ? Verdict::kHeld : Verdict::kNotHeld;
      Consider(
          rule.head, kind, verdict,
          [&] {
            if (failed) {
              return std::string(holds ? "the condition failed, so the rule holds (fail closed)"
                                       : "the condition failed, so the permit does not hold");
            }
            return std::string(instance.condition.valid() ? "" : "no condition");
          },
          std::move(terms));
    }
    if (!holds) continue;
    if (rule.head.shadow) {
      DecisionEffect effect = rule.effect == ir::Effect::kPermit ? DecisionEffect::kAllow
                              : rule.effect == ir::Effect::kForbid
                                  ? DecisionEffect::kDeny
                                  : DecisionEffect::kApprovalRequired;
      decision_.shadow.push_back({rule.head.id, effect, rule.reason});
      continue;
    }
    switch (rule.effect) {
      case ir::Effect::kPermit:
        Match(rule.head);
        permits_.push_back(MakeReason(rule.head, "permit", rule.reason));
        permit_rules_.push_back(&rule);
        break;
      case ir::Effect::kForbid:
        Stop(rule.head, "forbid", rule.reason);
        break;
      case ir::Effect::kRequireApproval: {
        Match(rule.head);
        if (rule.head.enforcement == ir::Enforcement::kAdvisory) {
          decision_.obligations.warnings.push_back(rule.reason);
          break;
        }
        std::optional<Approver> approver =
            Approvers(rule.head, rule.approver_kind, instance.approvers);
        if (!approver) break;
        Approve(
            rule.head, "require_approval", rule.reason, std::move(approver),
            rule.timeout_millis > 0 ? std::optional<int64_t>(rule.timeout_millis) : std::nullopt);
        break;
      }
    }
    for (const std::string& warning : rule.warnings)
      decision_.obligations.warnings.push_back(warning);
  }
}

void Evaluation::Limits() {
  for (const ir::LimitRef& ref : plan_.limits) {
    const ir::Limit& limit = policy_.limits.at(ref.limit.index);
    if (!Included(limit.head)) continue;
    if (!Applies(limit.principals, principal_type_)) {
      Consider(limit.head, "limit", Verdict::kNotApplicable,
               [&] { return OtherPrincipals(limit.principals); });
      continue;
    }
    const Value& amount = request_.args.elements.at(ref.param_slot);
    if (amount.kind == Value::Kind::kAbsent) {
      Consider(limit.head, "limit", Verdict::kNotHeld,
               [&] { return fmt::format("the call gives no {}", limit.param); });
      continue;
    }
    if (spend_slots_.insert(ref.param_slot).second) this_call_spend_.push_back(amount);
    Outcome bound = roots_.Eval(limit.bound);
    if (!bound.ok) {
      Error(limit.head, bound.error);
      Consider(limit.head, "limit", Verdict::kError, [&] { return bound.error.message; });
      Stop(limit.head, "limit",
           limit.reason.empty() ? "the spending limit could not be evaluated" : limit.reason);
      continue;
    }
    Value total = amount;
    std::string currency;
    if (limit.period != ir::Period::kCall) {
      auto it = request_.counters.spend.find(limit.head.id);
      if (it != request_.counters.spend.end()) {
        bool same = internal::SameCurrency(amount, it->second, currency);
        if (!same || __builtin_add_overflow(amount.number, it->second.number, &total.number)) {
          Error(limit.head,
                same ? EvalError{"eval.overflow",
                                 "the spend counted so far plus this call's amount overflows",
                                 limit.head.loc}
                     : EvalError{"eval.currency",
                                 "the spend counted so far is in another currency than this "
                                 "call's amount",
                                 limit.head.loc});
          Consider(limit.head, "limit", Verdict::kError, NoNote);
          Stop(limit.head, "limit", limit.reason);
          continue;
        }
        total.text = currency;
      }
    }
    if (!internal::SameCurrency(total, bound.value, currency)) {
      Error(limit.head, {"eval.currency",
                         fmt::format("{} is in another currency than the limit's bound {}",
                                     ir::FormatMoney(amount.number, amount.text),
                                     ir::FormatMoney(bound.value.number, bound.value.text)),
                         limit.head.loc});
      Consider(limit.head, "limit", Verdict::kError, NoNote);
      Stop(limit.head, "limit", limit.reason);
      continue;
    }
    bool exceeded = total.number > bound.value.number;
    Consider(limit.head, "limit", exceeded ? Verdict::kHeld : Verdict::kNotHeld, [&] {
      std::string made = limit.period == ir::Period::kCall
                             ? std::string(" is")
                             : fmt::format(" makes {} per {},",
                                           ir::FormatMoney(total.number, total.text),
                                           ir::Spelling(limit.period));
      return fmt::format("this call's {}{} {} the bound {}",
                         ir::FormatMoney(amount.number, amount.text), made,
                         exceeded ? "over" : "within",
                         ir::FormatMoney(bound.value.number, bound.value.text));
    });
    if (exceeded) {
      std::string message = limit.reason.empty()
                                ? fmt::format("spending limit {} per {} of {} reached",
                                              limit.target, ir::Spelling(limit.period),
                                              ir::FormatMoney(bound.value.number, bound.value.text))
                                : limit.reason;
      Stop(limit.head, "limit", message);
      continue;
    }
    if (!limit.head.shadow && limit.period != ir::Period::kCall) {
      decision_.obligations.charges.push_back({limit.head.id, amount});
    }
  }
}

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

void Evaluation::Outputs() {
  const ir::Enum* kinds = nullptr;
  for (const ir::Enum& candidate : policy_.enums) {
    if (candidate.name == "std.pii.Kind") kinds = &candidate;
  }
  for (const ir::OutputRef& ref : plan_.outputs) {
    const ir::Output& output = policy_.outputs.at(ref.output.index);
    if (!Included(output.head)) continue;
    const Value* record = request_.phase == ir::Phase::kCall
                              ? &request_.args
                              : (request_.result ? &*request_.result : nullptr);
    const Value* field = record != nullptr && ref.field_slot < record->elements.size()
                             ? &record->elements[ref.field_slot]
                             : nullptr;
    if (field == nullptr || field->kind != Value::Kind::kString) {
      Consider(output.head, "output", Verdict::kNotHeld,
               [&] { return fmt::format("no text in {}", output.field); });
      continue;
    }
    const std::string& text = field->text;
    Verdict verdict = Verdict::kNotHeld;
    std::vector<std::string> found_names;
    for (const ir::OutputCheck& check : output.checks) {
      uint32_t mask = 0;
      for (uint32_t member : check.detectors) {
        if (kinds == nullptr || member >= kinds->members.size()) continue;
        for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
          if (kinds->members[member] == writ_pii_kind_name(kind)) mask |= UINT32_C(1) << kind;
        }
      }
      if (!check.redact) {
        uint32_t found = writ_pii_kinds(text.data(), text.size(), mask);
        for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
          if (found & (UINT32_C(1) << kind)) found_names.push_back(writ_pii_kind_name(kind));
        }
        if (found != 0) {
          verdict = Verdict::kHeld;
          Stop(output.head, "output", check.reason);
        }
        continue;
      }
      std::vector<writ_pii_finding> findings(16);
      size_t count = 0;
      writ_std_status status =
          writ_pii_find(text.data(), text.size(), mask, findings.data(), findings.size(), &count);
      if (status == WRIT_STD_BUFFER_TOO_SMALL) {
        findings.resize(count);
        status =
            writ_pii_find(text.data(), text.size(), mask, findings.data(), findings.size(), &count);
      }
      if (status != WRIT_STD_OK) {
        Error(output.head, {"eval.std", writ_std_status_message(status), output.head.loc});
        verdict = Verdict::kError;
        Stop(output.head, "output", "the output could not be scanned");
        continue;
      }
      if (count == 0) continue;
      if (verdict == Verdict::kNotHeld) verdict = Verdict::kHeld;
      for (size_t i = 0; i < count && i < findings.size(); ++i) {
        found_names.push_back(writ_pii_kind_name(findings[i].kind));
      }
      if (output.head.shadow) {
        // What it would have redacted; the call's text is left as it is.
        decision_.shadow.push_back(
            {output.head.id, DecisionEffect::kAllow,
             fmt::format("would redact {} finding{} in {}", count, count == 1 ? "" : "s",
                         output.field)});
        continue;
      }
      Match(output.head);
      for (size_t i = 0; i < count && i < findings.size(); ++i) {
        decision_.obligations.redactions.push_back({output.field,
                                                    writ_pii_kind_name(findings[i].kind),
                                                    findings[i].begin, findings[i].end});
      }
    }
    Consider(output.head, "output", verdict, [&] {
      if (found_names.empty()) return fmt::format("nothing found in {}", output.field);
      std::sort(found_names.begin(), found_names.end());
      found_names.erase(std::unique(found_names.begin(), found_names.end()), found_names.end());
      return fmt::format("found in {}: {}", output.field, fmt::join(found_names, ", "));
    });
  }
}

Decision Evaluation::Combine() {
  Decision& d = decision_;
  bool call = request_.phase == ir::Phase::kCall;
  if (!denies_.empty()) {
    d.effect = DecisionEffect::kDeny;
    d.reasons = denies_;
    d.enforcement = ir::Enforcement::kHard;
  } else if (call && permits_.empty()) {
    d.effect = DecisionEffect::kDeny;
    d.reasons.push_back({"", "default", "no rule permits this call", ""});
    d.enforcement = ir::Enforcement::kHard;
  } else if (!approvals_.empty()) {
    d.effect = DecisionEffect::kApprovalRequired;
    d.reasons = approvals_;
    d.enforcement = hard_approval_ ? ir::Enforcement::kHard : ir::Enforcement::kSoft;
    d.approval = approval_;
  } else {
    d.effect = DecisionEffect::kAllow;
    d.reasons = permits_;
    d.enforcement = ir::Enforcement::kHard;
  }
  if (d.effect == DecisionEffect::kDeny) {
    // Nothing is charged, minted or redacted for a call that does not happen.
    d.obligations.grants.clear();
    d.obligations.charges.clear();
    d.obligations.redactions.clear();
  } else {
    const Entity& principal = request_.entities[request_.principal];
    const ir::EntityType& agent = policy_.entity_type(principal.type);
    for (const ir::Rule* rule : permit_rules_) {
      for (const ir::Grant& grant : rule->grants) {
        GrantObligation obligation{grant.credential, {}, 0};
        if (agent.agent) {
          for (const ir::Credential& credential : agent.agent->credentials) {
            if (credential.name != grant.credential) continue;
            obligation.scopes = credential.scopes;
            obligation.ttl_millis = credential.max_ttl_millis;
          }
        }
        if (grant.scopes) obligation.scopes = *grant.scopes;
        if (grant.ttl_millis) obligation.ttl_millis = *grant.ttl_millis;
        d.obligations.grants.push_back(std::move(obligation));
      }
    }
  }
  std::stable_sort(matched_.begin(), matched_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.file, a.first.line, a.first.column) <
           std::tie(b.first.file, b.first.line, b.first.column);
  });
  for (auto& [loc, id] : matched_) {
    if (d.matched.empty() || d.matched.back() != id) d.matched.push_back(std::move(id));
  }
  return std::move(d);
}

Decision Evaluation::Run() {
  Rules();
  if (request_.phase == ir::Phase::kCall) {
    Limits();
    Rates();
    Pools();
    Budgets();
  }
  Outputs();
  return Combine();
}

}  // namespace

Decision Decide(const ir::Policy& policy, const Request& request, ir::PackageId package,
                ExprEvaluator& exprs, ExprEngine& roots, Explanation* explanation) {
  return Evaluation(policy, request, package, exprs, roots, explanation).Run();
}

}  // namespace writ::runtime::internal
