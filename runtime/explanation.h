// Why a request got its decision: every declaration the interpreter considered for it, whether
// it held, and the values that made it so. `writ eval --explain` renders this with source
// excerpts; it is plain data so that other front ends (the sidecar, an IDE) can render it too.
#ifndef WRIT_RUNTIME_EXPLANATION_H_
#define WRIT_RUNTIME_EXPLANATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"

namespace writ::runtime {

enum class Verdict : uint8_t {
  kNotApplicable,  // the declaration names other principals
  kNotHeld,        // its condition was false, or the limit, budget, rate or pool was not reached
  kHeld,           // its condition held or its bound was reached: it took part in the decision
  kError,          // evaluating it failed; it counts as held when that fails closed
  kShadow,         // it held, but is in shadow mode and only reported
};

// "not applicable", "not held", "held", "error", "shadow".
std::string_view Spelling(Verdict verdict);

// One operand of a condition's top-level `and` / `or`, or the whole condition when it is
// neither: its source location and what it evaluated to.
struct Term {
  ir::Loc loc;
  bool evaluated = true;  // false: an earlier term already decided the connective
  bool ok = true;         // false: evaluating it failed, and `detail` is the error
  bool value = false;     // when ok
  std::string detail;   // "12000 USD > 50000 USD" for a comparison, else the error or empty
};

struct Consideration {
  std::string id;
  std::string kind;  // "permit", "forbid", "require_approval", "limit", "budget", "rate", ...
  ir::Loc loc;
  Verdict verdict = Verdict::kNotHeld;
  // What was measured, for declarations without a condition ("28000 USD spent + 12000 USD this
  // call = 40000 USD, bound 50000 USD"), or why it did not apply.
  std::string note;
  std::vector<Term> terms;
};

struct Explanation {
  std::vector<Consideration> considered;  // in the order the interpreter considered them
};

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_EXPLANATION_H_
