// The exit codes of every `writ` command: one table, so scripts and CI can rely on them.
#ifndef WRIT_TOOLS_EXIT_CODES_H_
#define WRIT_TOOLS_EXIT_CODES_H_

#include <algorithm>
#include <string_view>

namespace writ::cli {

inline constexpr int kExitOk = 0;        // nothing to report
inline constexpr int kExitFindings = 1;  // policy errors, lint findings, files `fmt --check` would change
inline constexpr int kExitUsage = 2;     // bad command line, missing or unreadable path, I/O error
inline constexpr int kExitInternal = 3;  // a bug in writ; nothing was written

// The more severe of two outcomes: a run over many files exits with the worst of them, and the
// codes are ordered by severity.
inline int WorstExit(int a, int b) { return std::max(a, b); }

// The exit-code table as `--help` shows it.
inline constexpr std::string_view kExitCodeHelp =
    "Exit codes:\n"
    "  0  success: nothing to report\n"
    "  1  findings: errors in a policy, lint findings, or files that `fmt --check` would change\n"
    "  2  usage or I/O error: bad arguments, a missing or unreadable path\n"
    "  3  internal error: a bug in writ (please report it); no file was changed";

}  // namespace writ::cli

#endif  // WRIT_TOOLS_EXIT_CODES_H_
