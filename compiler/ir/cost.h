// The compile-time cost bound of a policy's decisions (docs/language.md §15): for each tool and
// phase, a polynomial in the sizes the runtime caps, built from the cost classes that the
// standard library declares. Evaluation is total, so a bound always exists; this says how big.
#ifndef WRIT_COMPILER_IR_COST_H_
#define WRIT_COMPILER_IR_COST_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/policy.h"

namespace writ::ir {

// A polynomial with non-negative coefficients in `n`, the byte length of the longest string of
// a request, and `s`, the size of its largest collection (a set's elements, or the entities a
// hierarchy walk may visit). Its unit is one IR operation or one byte scanned. Arithmetic
// saturates at UINT64_MAX, which then means "too large to state".
class Cost {
 public:
  Cost() = default;
  static Cost Constant(uint64_t units);
  static Cost N(uint64_t coefficient = 1);  // coefficient * n
  static Cost S(uint64_t coefficient = 1);  // coefficient * s

  Cost& operator+=(const Cost& other);
  friend Cost operator+(Cost a, const Cost& b) { return a += b; }
  friend Cost operator*(const Cost& a, const Cost& b);
  // The larger of two bounds, term by term (an upper bound of both).
  static Cost Max(const Cost& a, const Cost& b);

  // The value at n = `max_string_bytes` and s = `max_collection`, saturating.
  uint64_t At(uint64_t max_string_bytes, uint64_t max_collection) const;
  // "12 + 3·n + 2·n·s", highest degree last; "0" for nothing.
  std::string ToString() const;
  // (degree of n, degree of s) -> coefficient, without zero terms.
  const std::map<std::pair<uint32_t, uint32_t>, uint64_t>& terms() const { return terms_; }

  friend bool operator==(const Cost&, const Cost&) = default;

 private:
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> terms_;
};

// The worst-case cost of evaluating `expr` once, by the cost model of docs/language.md §15.
Cost ExprCost(const Policy& policy, ExprId expr);

// The cost bound of deciding one request for one tool in one phase: every rule condition and
// approvers expression of its plan, limit bounds, output scans, and a constant for each rate,
// pool and budget.
struct PlanCost {
  ToolId tool;
  Phase phase = Phase::kCall;
  size_t declarations = 0;
  Cost cost;
};

// One entry per tool and phase that has any declaration, in tool order.
std::vector<PlanCost> PolicyCost(const Policy& policy);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_COST_H_
