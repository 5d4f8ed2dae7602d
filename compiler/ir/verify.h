// The verifier of the decision IR: the invariants an evaluator may rely on without checking
// them again (docs/ir.md). Lowering output always passes; a policy from elsewhere (a file, a
// test that edits one) must be verified before it is evaluated.
#ifndef WRIT_COMPILER_IR_VERIFY_H_
#define WRIT_COMPILER_IR_VERIFY_H_

#include "absl/status/status.h"
#include "compiler/ir/policy.h"

namespace writ::ir {

// Checks that every id is in range, every expression is well typed for its operation (with
// `may_fail` set wherever the operation can fail), every expression root reads only what its
// declaration may read, every constant and test value has its type, and the per-tool plans
// list exactly the declarations that apply to each tool. Returns OK, or InvalidArgument naming
// the first violation found.
absl::Status Verify(const Policy& policy);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_VERIFY_H_
