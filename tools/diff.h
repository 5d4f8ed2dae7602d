// Line diffs for `writ fmt --diff`.
#ifndef WRIT_TOOLS_DIFF_H_
#define WRIT_TOOLS_DIFF_H_

#include <string>
#include <string_view>

namespace writ::cli {

// A unified diff (three lines of context, `patch -p0` compatible) turning `before` into
// `after`, with both headers naming `path`; empty when the texts are equal. Very different
// inputs may get a coarser diff (one hunk replacing the changed middle) instead of a minimal one,
// so the time and memory spent stay bounded.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_DIFF_H_
