// `writ eval --explain`: the readable account of a decision. Every declaration the interpreter
// considered, in order, with the source lines it was written on, its verdict and the values
// behind it, then the decision with its reasons and obligations.
#ifndef WRIT_TOOLS_EXPLAIN_OUTPUT_H_
#define WRIT_TOOLS_EXPLAIN_OUTPUT_H_

#include <string>

#include "compiler/base/source.h"
#include "compiler/ir/policy.h"
#include "runtime/decision.h"
#include "runtime/explanation.h"
#include "runtime/request.h"

namespace writ::cli {

// The account of `decision` for `request`; `sources` supplies the excerpts (a file it does not
// hold is cited by location only).
std::string ExplainText(const ir::Policy& policy, const SourceManager& sources,
                        const runtime::Request& request, const runtime::Explanation& explanation,
                        const runtime::Decision& decision);

// The account of a request that did not decode: its errors, and the deny they cause.
std::string ExplainRequestErrors(const runtime::Decision& decision);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_EXPLAIN_OUTPUT_H_
