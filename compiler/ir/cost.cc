#include "compiler/ir/cost.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "stdlib/declarations.h"

namespace writ::ir {
namespace {

constexpr uint64_t kSaturated = std::numeric_limits<uint64_t>::max();

uint64_t SatAdd(uint64_t a, uint64_t b) { return a > kSaturated - b ? kSaturated : a + b; }
uint64_t SatMul(uint64_t a, uint64_t b) {
  uint64_t out = 0;
  return __builtin_mul_overflow(a, b, &out) ? kSaturated : out;
}
uint64_t SatPow(uint64_t base, uint32_t exponent) {
  uint64_t out = 1;
  for (uint32_t i = 0; i < exponent; ++i) out = SatMul(out, base);
  return out;
}

// The std.sql scanner tries at most this many lexical readings of a text (docs/stdlib.md §5).
constexpr uint64_t kSqlReadings = 6;

// The detectors of std.pii, which a scan without a chosen kind runs.
uint64_t PiiDetectorCount() {
  for (const stdlib::Enum& e : stdlib::Enums()) {
    if (e.module == "std.pii" && e.name == "Kind") return e.members.size();
  }
  return 1;
}

// What comparing or copying one value of `type` may touch: a string's bytes, a set's elements.
Cost ValueSize(const Policy& policy, TypeId type) {
  const TypeData& data = policy.type(type);
  switch (data.kind) {
    case TypeKind::kString:
      return Cost::N();
    case TypeKind::kSet:
      return Cost::S() * ValueSize(policy, data.element);
    case TypeKind::kRecord: {
      Cost total = Cost::Constant(1);
      for (const Field& field : data.fields) total += ValueSize(policy, field.type);
      return total;
    }
    default:
      return Cost::Constant(1);
  }
}

// The byte length of a constant string operand, or nullopt when it is not a constant.
std::optional<uint64_t> ConstantLength(const Policy& policy, ExprId id) {
  const Expr& e = policy.expr(id);
  if (e.op != Op::kConst || e.imm >= policy.constants.size()) return std::nullopt;
  return std::max<uint64_t>(1, policy.constants[e.imm].value.text.size());
}

// The work of a standard-library call beyond evaluating its arguments.
Cost CallCost(const Policy& policy, const Expr& call) {
  std::span<const stdlib::Function> functions = stdlib::Functions();
  if (call.imm >= functions.size()) return Cost::Constant(1);
  const stdlib::Function& function = functions[call.imm];
  std::span<const ExprId> args = policy.list(call.list);
  switch (function.cost) {
    case stdlib::CostClass::kConstant:
      return Cost::Constant(1);
    case stdlib::CostClass::kLinear:
      return Cost::N();
    case stdlib::CostClass::kParse:
      return Cost::N(kSqlReadings);
    case stdlib::CostClass::kPattern: {
      for (size_t i = 0; i < function.params.size() && i < args.size(); ++i) {
        if (function.params[i].pattern == stdlib::Pattern::kNone &&
            function.params[i].type.base != stdlib::BaseType::kString) {
          continue;
        }
        if (i == 0) continue;  // the scanned text
        // A pattern (or a searched part) of m bytes: n·m; unknown m is bounded by n.
        std::optional<uint64_t> m = ConstantLength(policy, args[i]);
        return m ? Cost::N(*m) : Cost::N() * Cost::N();
      }
      // A scan by detectors: each walks the text once.
      bool one_kind = function.name == "contains_kind";
      return Cost::N(one_kind ? 1 : PiiDetectorCount());
    }
  }
  return Cost::Constant(1);
}

}  // namespace

Cost Cost::Constant(uint64_t units) {
  Cost c;
  if (units > 0) c.terms_[{0, 0}] = units;
  return c;
}

Cost Cost::N(uint64_t coefficient) {
  Cost c;
  if (coefficient > 0) c.terms_[{1, 0}] = coefficient;
  return c;
}

Cost Cost::S(uint64_t coefficient) {
  Cost c;
  if (coefficient > 0) c.terms_[{0, 1}] = coefficient;
  return c;
}

Cost& Cost::operator+=(const Cost& other) {
  for (const auto& [degree, coefficient] : other.terms_) {
    terms_[degree] = SatAdd(terms_[degree], coefficient);
  }
  return *this;
}

Cost operator*(const Cost& a, const Cost& b) {
  Cost out;
  for (const auto& [da, ca] : a.terms_) {
    for (const auto& [db, cb] : b.terms_) {
      std::pair<uint32_t, uint32_t> degree{da.first + db.first, da.second + db.second};
      out.terms_[degree] = SatAdd(out.terms_[degree], SatMul(ca, cb));
    }
  }
  return out;
}

Cost Cost::Max(const Cost& a, const Cost& b) {
  Cost out = a;
  for (const auto& [degree, coefficient] : b.terms_) {
    out.terms_[degree] = std::max(out.terms_[degree], coefficient);
  }
  return out;
}

uint64_t Cost::At(uint64_t max_string_bytes, uint64_t max_collection) const {
  uint64_t total = 0;
  for (const auto& [degree, coefficient] : terms_) {
    uint64_t term = SatMul(coefficient, SatMul(SatPow(max_string_bytes, degree.first),
                                               SatPow(max_collection, degree.second)));
    total = SatAdd(total, term);
  }
  return total;
}

std::string Cost::ToString() const {
  if (terms_.empty()) return "0";
  // Lowest total degree first; within one degree, higher powers of n first.
  std::vector<std::pair<std::pair<uint32_t, uint32_t>, uint64_t>> ordered(terms_.begin(),
                                                                           terms_.end());
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    uint32_t da = a.first.first + a.first.second;
    uint32_t db = b.first.first + b.first.second;
    return da != db ? da < db : a.first.first > b.first.first;
  });
  std::string out;
  for (const auto& [degree, coefficient] : ordered) {
    if (!out.empty()) out += " + ";
    std::string factors;
    auto power = [&](std::string_view name, uint32_t exponent) {
      if (exponent == 0) return;
      if (!factors.empty()) factors += "·";
      factors += exponent == 1 ? std::string(name) : fmt::format("{}^{}", name, exponent);
    };
    power("n", degree.first);
    power("s", degree.second);
    std::string number = coefficient == kSaturated ? "∞" : std::to_string(coefficient);
    if (factors.empty()) {
      out += number;
    } else {
      out += coefficient == 1 ? factors : number + "·" + factors;
    }
  }
  return out;
}

Cost ExprCost(const Policy& policy, ExprId id) {
  const Expr& e = policy.expr(id);
  Cost cost = Cost::Constant(1);
  auto operand = [&](ExprId operand_id) { return ExprCost(policy, operand_id); };
  switch (e.op) {
    case Op::kAny:
    case Op::kAll:
      // The body runs once per element of the collection.
      return cost + operand(e.a) + Cost::S() * operand(e.b);
    case Op::kEq:
    case Op::kNe:
      return cost + operand(e.a) + operand(e.b) + ValueSize(policy, policy.expr(e.a).type);
    case Op::kStringLt:
    case Op::kStringLe:
    case Op::kStringGt:
    case Op::kStringGe:
      return cost + operand(e.a) + operand(e.b) + Cost::N();
    case Op::kInSet: {
      const TypeData& set = policy.type(policy.expr(e.b).type);
      return cost + operand(e.a) + operand(e.b) + Cost::S() * ValueSize(policy, set.element);
    }
    case Op::kInEntity:
      // A walk up the hierarchy visits each entity of the request at most once.
      return cost + operand(e.a) + operand(e.b) + Cost::S();
    case Op::kInEntitySet:
      return cost + operand(e.a) + operand(e.b) + Cost::S() * Cost::S();
    case Op::kLike: {
      std::optional<uint64_t> m = ConstantLength(policy, e.b);
      return cost + operand(e.a) + operand(e.b) + (m ? Cost::N(*m) : Cost::N() * Cost::N());
    }
    case Op::kCall:
    case Op::kMakeRecord:
    case Op::kMakeSet: {
      for (ExprId item : policy.list(e.list)) cost += operand(item);
      if (e.op == Op::kCall) cost += CallCost(policy, e);
      if (e.op == Op::kMakeSet) cost += Cost::Constant(std::max<uint64_t>(1, e.list.count));
      return cost;
    }
    default:
      break;
  }
  switch (Info(e.op).operands) {
    case Operands::kA:
      cost += operand(e.a);
      break;
    case Operands::kAB:
      cost += operand(e.a) + operand(e.b);
      break;
    case Operands::kList:
      for (ExprId item : policy.list(e.list)) cost += operand(item);
      break;
    case Operands::kNone:
      break;
  }
  return cost;
}

std::vector<PlanCost> PolicyCost(const Policy& policy) {
  std::vector<PlanCost> plans;
  for (uint32_t t = 0; t < policy.tools.size(); ++t) {
    const Tool& tool = policy.tools[t];
    for (size_t p = 0; p < kPhaseCount; ++p) {
      const Plan& plan = tool.plans[p];
      PlanCost out{ToolId{t}, static_cast<Phase>(p), 0, Cost()};
      for (const RuleRef& ref : plan.rules) {
        const RuleInstance& instance = policy.rules.at(ref.rule.index).instances.at(ref.instance);
        out.cost += Cost::Constant(1);
        if (instance.condition.valid()) out.cost += ExprCost(policy, instance.condition);
        if (instance.approvers.valid()) out.cost += ExprCost(policy, instance.approvers);
      }
      for (const LimitRef& ref : plan.limits) {
        out.cost += Cost::Constant(1) + ExprCost(policy, policy.limits.at(ref.limit.index).bound);
      }
      out.cost += Cost::Constant(plan.rates.size() + plan.pools.size());
      for (const OutputRef& ref : plan.outputs) {
        for (const OutputCheck& check : policy.outputs.at(ref.output.index).checks) {
          out.cost += Cost::N(std::max<uint64_t>(1, check.detectors.size()));
        }
      }
      out.declarations = plan.rules.size() + plan.limits.size() + plan.rates.size() +
                         plan.pools.size() + plan.outputs.size();
      if (p == static_cast<size_t>(Phase::kCall)) {
        // Budgets apply to every call; each is a comparison or two.
        out.declarations += policy.budgets.size();
        out.cost += Cost::Constant(2 * policy.budgets.size());
        for (const Budget& budget : policy.budgets) {
          if (budget.approvers.valid()) out.cost += ExprCost(policy, budget.approvers);
        }
      }
      if (out.declarations > 0) plans.push_back(std::move(out));
    }
  }
  return plans;
}

}  // namespace writ::ir
