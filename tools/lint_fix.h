// `writ lint --fix`: applies the fix-its of lint findings to the files they are in.
#ifndef WRIT_TOOLS_LINT_FIX_H_
#define WRIT_TOOLS_LINT_FIX_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "compiler/base/source.h"
#include "compiler/diagnostics/diagnostic.h"

namespace writ::cli {

// The text of `file` with `fixes` (all in it) applied: overlapping fixes after the first are
// skipped, and a deletion that leaves its lines empty removes them (and one of two blank lines
// it would leave side by side).
std::string ApplyFixes(const SourceFile& file, std::vector<diag::FixIt> fixes);

// Applies the fix-its of `findings` to their files, each file replaced atomically. Returns how
// many files changed; fails on the first file that cannot be written (the ones before it stay
// fixed, the others untouched).
absl::StatusOr<size_t> FixFiles(const SourceManager& sources,
                                std::span<const diag::Diagnostic> findings);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_LINT_FIX_H_
