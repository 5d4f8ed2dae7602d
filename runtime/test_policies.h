// Test support: builds the decision IR of policy source text through the front end and
// lowering, which the runtime itself never links.
#ifndef WRIT_RUNTIME_TEST_POLICIES_H_
#define WRIT_RUNTIME_TEST_POLICIES_H_

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"

namespace writ::runtime::testing {

// The policy of `source` (one file named `test.writ`); null if it has errors, which are then
// written to `errors`.
std::unique_ptr<ir::Policy> CompilePolicy(const std::string& source, std::string* errors);
// The policy of the files under `paths` (files or folders); null on errors.
std::unique_ptr<ir::Policy> CompilePolicyFiles(const std::vector<std::string>& paths,
                                               std::string* errors);

}  // namespace writ::runtime::testing

#endif  // WRIT_RUNTIME_TEST_POLICIES_H_
