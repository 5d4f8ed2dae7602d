// The combining of docs/language.md §7-13, shared by every evaluator: what each declaration of
// the tool's plan contributes, and how those contributions make one decision. Expression roots
// are evaluated through an ExprEngine, so the interpreter and the JIT differ only in how a
// condition, bound or approvers expression gets its value, never in what a value means.
#include <tuple>

#include "runtime/internal/evaluation_impl.h"
#include "runtime/internal/explain_terms.h"

namespace writ::runtime::internal {

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

Decision Decide(const ir::Policy& policy, const Request& request, ir::PackageId package,
                ExprEvaluator& exprs, ExprEngine& roots, Explanation* explanation) {
  return Evaluation(policy, request, package, exprs, roots, explanation).Run();
}

}  // namespace writ::runtime::internal
