// The linter: rules over a checked policy set that find what type-checks but is dangerous,
// dead or untidy (a permit a forbid always overrides, a condition that can never hold, a tool
// that takes money with no spending limit). Findings are ordinary diagnostics with `L` codes
// from kinds.def, so every renderer shows them; the catalogue below adds each rule's category
// and rationale (docs/lint.md is the same catalogue for people).
#ifndef WRIT_COMPILER_LINT_LINT_H_
#define WRIT_COMPILER_LINT_LINT_H_

#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "compiler/check/program.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/render.h"
#include "compiler/syntax/ast.h"

namespace writ::lint {

enum class Category : uint8_t { kCorrectness, kSecurity, kStyle, kPerformance };
// "correctness", "security", "style", "performance".
std::string_view Spelling(Category category);

// One rule of the catalogue. Its code, default severity and message come from kinds.def.
struct RuleInfo {
  diag::Code code;
  Category category;
  std::string_view title;      // a short name for listings, e.g. "contradictory condition"
  std::string_view rationale;  // why the finding matters, for docs and SARIF
};

// Every rule, in code order.
std::span<const RuleInfo> Rules();
// The rule reporting `code`; null for a code that is not a lint rule.
const RuleInfo* FindRule(diag::Code code);
// The catalogue as SARIF rule metadata (diag::SarifTool::rule_help).
std::span<const diag::SarifRuleHelp> SarifHelp();

// How a project runs a rule (config.h reads it from `.writ-lint.json`).
enum class Level : uint8_t { kOff, kWarning, kError };

// What the policy set's own tests exercised, from the test runner's coverage: the spans of the
// declarations some test made contribute to a decision. L0020 runs only when this is given.
struct Coverage {
  std::vector<Span> exercised;
};

// Thresholds of the rules that have one, and the project's levels.
struct Options {
  // L0008: a credential that may live longer than this is reported.
  int64_t max_credential_ttl_millis = 60 * 60 * 1000;
  // Rules re-levelled or turned off; a rule not listed keeps its default severity.
  std::map<diag::Code, Level> levels;
  // L0020 (untested-rule) needs it; null skips that rule.
  const Coverage* coverage = nullptr;
};

// Runs every rule over `program`, which must have checked without errors, and the `files` it
// was checked from. Findings go to `consumer` ordered by file and position, each with its
// rule's severity (the default, or its level in `options`); rules that are off report
// nothing. Findings that a justified `// writ-lint: allow CODE -- why` comment suppresses are
// dropped; malformed and unused suppressions are findings themselves (L0022, L0023).
void Lint(const check::Program& program, std::span<const syntax::File> files,
          diag::Consumer& consumer, const Options& options = {});

}  // namespace writ::lint

#endif  // WRIT_COMPILER_LINT_LINT_H_
