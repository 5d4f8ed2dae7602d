#include "runtime/internal/expr_eval.h"

#include <fmt/format.h>

#include <deque>
#include <set>

#include "stdlib/native.h"

namespace writ::runtime::internal {
namespace {

using ir::Op;

Outcome Overflow(const ir::Expr& e) {
  return Outcome::Fail("eval.overflow",
                       "integer overflow in " + std::string(ir::Info(e.op).spelling), e.loc);
}

Outcome CurrencyMismatch(const ir::Expr& e, const Value& a, const Value& b) {
  return Outcome::Fail(
      "eval.currency",
      fmt::format("{} and {} are in different currencies", ir::FormatMoney(a.number, a.text),
                  ir::FormatMoney(b.number, b.text)),
      e.loc);
}

Outcome TimestampRange(const ir::Expr& e, int64_t millis) {
  if (millis < ir::kMinTimestamp || millis > ir::kMaxTimestamp) {
    return Outcome::Fail("eval.range", "timestamp outside years 0000 to 9999", e.loc);
  }
  return Outcome::Of(Value::Timestamp(millis));
}

}  // namespace

bool SameCurrency(const Value& a, const Value& b, std::string& currency) {
  if (a.text == b.text || b.text.empty()) {
    currency = a.text;
    return true;
  }
  if (a.text.empty()) {
    currency = b.text;
    return true;
  }
  return false;
}

ExprEvaluator::ExprEvaluator(const ir::Policy& policy, const Request& request, int64_t now,
                             const CompiledPatterns* patterns)
    : policy_(policy),
      request_(request),
      now_(now),
      patterns_(patterns),
      locals_(policy.max_locals) {}

Value ExprEvaluator::Fact(ir::SessionFact fact) const {
  const std::optional<Value>& given = request_.session[static_cast<size_t>(fact)];
  if (given) return *given;
  switch (fact) {
    case ir::SessionFact::kTokensUsed:
    case ir::SessionFact::kToolCalls:
      return Value::Int(0);
    case ir::SessionFact::kTask:
      return Value::String("");
    case ir::SessionFact::kSpent:
      return Value::Money(0, "");
    case ir::SessionFact::kNow:
      return Value::Timestamp(now_);
    case ir::SessionFact::kStartedAt:
      return Fact(ir::SessionFact::kNow);
    case ir::SessionFact::kElapsed: {
      int64_t elapsed = 0;
      if (__builtin_sub_overflow(Fact(ir::SessionFact::kNow).number,
                                 Fact(ir::SessionFact::kStartedAt).number, &elapsed)) {
        elapsed = 0;
      }
      return Value::Duration(elapsed);
    }
  }
  return Value();
}

const Entity* ExprEvaluator::Lookup(const Value& entity_ref) const {
  std::optional<uint32_t> index = request_.Find(entity_ref);
  return index ? &request_.entities[*index] : nullptr;
}

bool ExprEvaluator::InEntity(const Value& a, const Value& b) const {
  if (a == b) return true;
  std::optional<uint32_t> start = request_.Find(a);
  std::optional<uint32_t> target = request_.Find(b);
  if (!start || !target) return false;
  // Breadth-first over the parents; the decoder refused cycles, `seen` guards anyway.
  std::set<uint32_t> seen = {*start};
  std::deque<uint32_t> queue = {*start};
  while (!queue.empty()) {
    uint32_t node = queue.front();
    queue.pop_front();
    for (uint32_t parent : request_.entities[node].parents) {
      if (parent == *target) return true;
      if (seen.insert(parent).second) queue.push_back(parent);
    }
  }
  return false;
}

Outcome ExprEvaluator::Eval(ir::ExprId id) { return EvalNode(policy_.expr(id)); }

Outcome ExprEvaluator::EvalQuantifier(const ir::Expr& e, bool any) {
  Outcome domain = Eval(e.a);
  if (!domain.ok) return domain;
  std::optional<Outcome> failure;
  for (const Value& element : domain.value.elements) {
    locals_[e.imm] = element;
    Outcome body = Eval(e.b);
    if (!body.ok) {
      if (!failure) failure = std::move(body);
      continue;
    }
    if ((body.value.number != 0) == any) return Outcome::Of(Value::Bool(any));
  }
  if (failure) return std::move(*failure);
  return Outcome::Of(Value::Bool(!any));
}

Outcome ExprEvaluator::EvalCall(const ir::Expr& e) {
  std::vector<Value> args;
  for (ir::ExprId operand : policy_.list(e.list)) {
    Outcome arg = Eval(operand);
    if (!arg.ok) return arg;
    args.push_back(std::move(arg.value));
  }
  const writ_regex* regex = nullptr;
  if (patterns_ != nullptr && IsRegexMatch(e.imm)) {
    regex = patterns_->Find(ir::ExprId{static_cast<uint32_t>(&e - policy_.exprs.data())});
  }
  return CallStd(policy_, e.imm, args, e.type, e.loc, regex);
}

Outcome ExprEvaluator::EvalNode(const ir::Expr& e) {
  // The operations without operands, and those that do not evaluate all of theirs.
  switch (e.op) {
    case Op::kConst:
      return Outcome::Of(policy_.constants.at(e.imm).value);
    case Op::kPrincipal: {
      const Entity& principal = request_.entities[request_.principal];
      return Outcome::Of(Value::Entity(principal.type.index, principal.id));
    }
    case Op::kArgs:
      return Outcome::Of(request_.args);
    case Op::kArg:
    case Op::kHasArg: {
      const Value& arg = request_.args.elements.at(e.imm);
      if (e.op == Op::kHasArg) return Outcome::Of(Value::Bool(arg.kind != Value::Kind::kAbsent));
      if (arg.kind == Value::Kind::kAbsent) {
        return Outcome::Fail("eval.absent", "an optional parameter that is absent was read", e.loc);
      }
      return Outcome::Of(arg);
    }
    case Op::kResult:
      if (!request_.result) return Outcome::Fail("eval.absent", "the call has no result", e.loc);
      return Outcome::Of(*request_.result);
    case Op::kFact:
      return Outcome::Of(Fact(static_cast<ir::SessionFact>(e.imm)));
    case Op::kCallsIn: {
      int64_t window = policy_.constants.at(policy_.expr(e.a).imm).value.number;
      int64_t count = 0;
      for (const ir::Rate& rate : policy_.rates) {
        if (rate.window_millis != window) continue;
        auto it = request_.counters.calls_in_window.find(rate.head.id);
        if (it != request_.counters.calls_in_window.end()) count = std::max(count, it->second);
      }
      return Outcome::Of(Value::Int(count));
    }
    case Op::kLocal:
      return Outcome::Of(locals_.at(e.imm));
    case Op::kAnd:
    case Op::kOr: {
      Outcome left = Eval(e.a);
      if (!left.ok) return left;
      bool decided = e.op == Op::kAnd ? left.value.number == 0 : left.value.number != 0;
      if (decided) return left;
      return Eval(e.b);
    }
    case Op::kAny:
      return EvalQuantifier(e, true);
    case Op::kAll:
      return EvalQuantifier(e, false);
    case Op::kMakeRecord:
    case Op::kMakeSet: {
      std::vector<Value> elements;
      for (ir::ExprId operand : policy_.list(e.list)) {
        Outcome element = Eval(operand);
        if (!element.ok) return element;
        elements.push_back(std::move(element.value));
      }
      return Outcome::Of(e.op == Op::kMakeSet ? Value::Set(std::move(elements))
                                              : Value::Record(std::move(elements)));
    }
    case Op::kCall:
      return EvalCall(e);
    default:
      break;
  }

  Outcome a = Eval(e.a);
  if (!a.ok) return a;
  const Value& x = a.value;
  switch (e.op) {
    case Op::kActsFor: {
      const Entity* entity = Lookup(x);
      if (entity == nullptr || !entity->acts_for) {
        return Outcome::Fail("eval.absent", "the agent acts for no one in this request", e.loc);
      }
      const Entity& user = request_.entities[*entity->acts_for];
      return Outcome::Of(Value::Entity(user.type.index, user.id));
    }
    case Op::kAttr:
    case Op::kHasAttr: {
      const ir::AttrLookup& lookup = policy_.attr_lookups.at(e.imm);
      const Entity* entity = Lookup(x);
      const ir::AttrSlot* slot = nullptr;
      for (const ir::AttrSlot& candidate : lookup.slots) {
        if (candidate.type.index == x.ref) slot = &candidate;
      }
      if (e.op == Op::kHasAttr) {
        if (entity == nullptr || slot == nullptr) return Outcome::Of(Value::Bool(false));
        if (slot->slot == ir::AttrSlot::kActsForSlot) {
          return Outcome::Of(Value::Bool(entity->acts_for.has_value()));
        }
        return Outcome::Of(Value::Bool(entity->attrs.at(slot->slot).kind != Value::Kind::kAbsent));
      }
      if (entity == nullptr || slot == nullptr || slot->slot == ir::AttrSlot::kActsForSlot ||
          entity->attrs.at(slot->slot).kind == Value::Kind::kAbsent) {
        return Outcome::Fail("eval.absent", fmt::format("attribute `{}` is absent", lookup.name),
                             e.loc);
      }
      return Outcome::Of(entity->attrs[slot->slot]);
    }
    case Op::kField:
    case Op::kHasField: {
      const Value& field = x.elements.at(e.imm);
      bool present = field.kind != Value::Kind::kAbsent;
      if (e.op == Op::kHasField) return Outcome::Of(Value::Bool(present));
      if (!present) return Outcome::Fail("eval.absent", "an optional field is absent", e.loc);
      return Outcome::Of(field);
    }
    case Op::kSize:
      return Outcome::Of(Value::Int(static_cast<int64_t>(x.elements.size())));
    case Op::kNot:
      return Outcome::Of(Value::Bool(x.number == 0));
    case Op::kIntNeg: {
      int64_t out = 0;
      if (__builtin_sub_overflow(int64_t{0}, x.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Int(out));
    }
    case Op::kMoneyNeg: {
      int64_t out = 0;
      if (__builtin_sub_overflow(int64_t{0}, x.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Money(out, x.text));
    }
    case Op::kDurationNeg: {
      int64_t out = 0;
      if (__builtin_sub_overflow(int64_t{0}, x.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Duration(out));
    }
    default:
      break;
  }

  Outcome b = Eval(e.b);
  if (!b.ok) return b;
  const Value& y = b.value;
  std::string currency;
  int64_t out = 0;
  switch (e.op) {
    case Op::kInEntity:
      return Outcome::Of(Value::Bool(InEntity(x, y)));
    case Op::kInEntitySet: {
      for (const Value& element : y.elements) {
        if (InEntity(x, element)) return Outcome::Of(Value::Bool(true));
      }
      return Outcome::Of(Value::Bool(false));
    }
    case Op::kInSet: {
      if (x.kind == Value::Kind::kMoney) {
        bool found = false;
        for (const Value& element : y.elements) {
          if (!SameCurrency(x, element, currency)) return CurrencyMismatch(e, x, element);
          found = found || element.number == x.number;
        }
        return Outcome::Of(Value::Bool(found));
      }
      for (const Value& element : y.elements) {
        if (element == x) return Outcome::Of(Value::Bool(true));
      }
      return Outcome::Of(Value::Bool(false));
    }
    case Op::kEq:
    case Op::kNe: {
      bool equal = false;
      if (x.kind == Value::Kind::kMoney) {
        if (!SameCurrency(x, y, currency)) return CurrencyMismatch(e, x, y);
        equal = x.number == y.number;
      } else {
        equal = x == y;
      }
      return Outcome::Of(Value::Bool(e.op == Op::kEq ? equal : !equal));
    }
    case Op::kIntLt:
      return Outcome::Of(Value::Bool(x.number < y.number));
    case Op::kIntLe:
      return Outcome::Of(Value::Bool(x.number <= y.number));
    case Op::kIntGt:
      return Outcome::Of(Value::Bool(x.number > y.number));
    case Op::kIntGe:
      return Outcome::Of(Value::Bool(x.number >= y.number));
    case Op::kMoneyLt:
    case Op::kMoneyLe:
    case Op::kMoneyGt:
    case Op::kMoneyGe: {
      if (!SameCurrency(x, y, currency)) return CurrencyMismatch(e, x, y);
      bool r = e.op == Op::kMoneyLt   ? x.number < y.number
               : e.op == Op::kMoneyLe ? x.number <= y.number
               : e.op == Op::kMoneyGt ? x.number > y.number
                                      : x.number >= y.number;
      return Outcome::Of(Value::Bool(r));
    }
    case Op::kStringLt:
      return Outcome::Of(Value::Bool(x.text < y.text));
    case Op::kStringLe:
      return Outcome::Of(Value::Bool(x.text <= y.text));
    case Op::kStringGt:
      return Outcome::Of(Value::Bool(x.text > y.text));
    case Op::kStringGe:
      return Outcome::Of(Value::Bool(x.text >= y.text));
    case Op::kIntAdd:
      if (__builtin_add_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Int(out));
    case Op::kIntSub:
      if (__builtin_sub_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Int(out));
    case Op::kIntMul:
      if (__builtin_mul_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Int(out));
    case Op::kIntDiv:
    case Op::kIntMod:
      if (y.number == 0) return Outcome::Fail("eval.division_by_zero", "division by zero", e.loc);
      if (x.number == INT64_MIN && y.number == -1) return Overflow(e);
      return Outcome::Of(
          Value::Int(e.op == Op::kIntDiv ? x.number / y.number : x.number % y.number));
    case Op::kMoneyAdd:
    case Op::kMoneySub: {
      if (!SameCurrency(x, y, currency)) return CurrencyMismatch(e, x, y);
      bool overflow = e.op == Op::kMoneyAdd ? __builtin_add_overflow(x.number, y.number, &out)
                                            : __builtin_sub_overflow(x.number, y.number, &out);
      if (overflow) return Overflow(e);
      return Outcome::Of(Value::Money(out, currency));
    }
    case Op::kMoneyMul:
      if (__builtin_mul_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Money(out, x.text));
    case Op::kMoneyDiv: {
      writ_std_status status = writ_money_div(x.number, y.number, &out);
      if (status == WRIT_STD_DIVISION_BY_ZERO) {
        return Outcome::Fail("eval.division_by_zero", "division by zero", e.loc);
      }
      if (status != WRIT_STD_OK) return Overflow(e);
      return Outcome::Of(Value::Money(out, x.text));
    }
    case Op::kDurationAdd:
      if (__builtin_add_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Duration(out));
    case Op::kDurationSub:
      if (__builtin_sub_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Duration(out));
    case Op::kDurationMul:
      if (__builtin_mul_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Duration(out));
    case Op::kTimestampAdd:
      if (__builtin_add_overflow(x.number, y.number, &out)) return TimestampRange(e, INT64_MAX);
      return TimestampRange(e, out);
    case Op::kTimestampSub:
      if (__builtin_sub_overflow(x.number, y.number, &out)) return TimestampRange(e, INT64_MIN);
      return TimestampRange(e, out);
    case Op::kTimestampDiff:
      if (__builtin_sub_overflow(x.number, y.number, &out)) return Overflow(e);
      return Outcome::Of(Value::Duration(out));
    case Op::kLike:
      return Outcome::Of(
          Value::Bool(writ_text_glob(x.text.data(), x.text.size(), y.text.data(), y.text.size())));
    default:
      break;
  }
  return Outcome::Fail("eval.internal",
                       fmt::format("operation {} cannot be evaluated", ir::Info(e.op).spelling),
                       e.loc);
}

}  // namespace writ::runtime::internal
