// What every lint rule reads: the checked program, the files' ASTs (for spans and expressions)
// and the options; plus the structural helpers several rules share.
#ifndef WRIT_COMPILER_LINT_INTERNAL_CONTEXT_H_
#define WRIT_COMPILER_LINT_INTERNAL_CONTEXT_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/check/program.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/lint/lint.h"
#include "compiler/syntax/ast.h"

namespace writ::lint::internal {

class Context {
 public:
  Context(const check::Program& program, std::span<const syntax::File> files,
          const Options& options)
      : program_(program), files_(files), options_(options) {}

  const check::Program& program() const { return program_; }
  std::span<const syntax::File> files() const { return files_; }
  const Options& options() const { return options_; }

  // The parsed file `id`; aborts if it is not among the files.
  const syntax::File& file(FileId id) const;
  // The rule declaration whose span is `span`; null if none (never for a checked rule).
  const syntax::RuleDecl* RuleDeclAt(Span span) const;

  // The names of the tools `ids` name, sorted and deduplicated: declarations of one tool in
  // several packages are the same tool to a request.
  std::vector<std::string> ToolNames(std::span<const check::ToolId> ids) const;

  // A canonical spelling of an expression, equal for two expressions exactly when they are
  // structurally equal (parentheses and layout ignored), in whichever files they are.
  std::string Key(FileId file, syntax::ExprId expr) const;
  std::string Key(check::ExprRef ref) const { return Key(ref.file, ref.expr); }

  // The expression with any enclosing parentheses removed.
  syntax::ExprId Unparen(FileId file, syntax::ExprId expr) const;

 private:
  const check::Program& program_;
  std::span<const syntax::File> files_;
  const Options& options_;
};

// Whether every element of the sorted `inner` is in the sorted `outer`.
template <typename T>
bool Includes(const std::vector<T>& outer, const std::vector<T>& inner) {
  return std::includes(outer.begin(), outer.end(), inner.begin(), inner.end());
}

// A rule's `for` agents, sorted; empty means every agent.
std::vector<uint32_t> SortedPrincipals(std::span<const check::EntityTypeId> principals);

// Whether a tool pattern (`db.*`, `*`, `payments.transfer`) matches a tool name, with the
// language's rule: a trailing `*` matches one or more parts, any other `*` exactly one.
bool PatternMatches(const syntax::ToolPattern& pattern, std::string_view tool);

// A money amount as written: units of MoneyValue::kScale and the code, e.g. "12.5 USD".
std::string FormatMoney(int64_t units, std::string_view currency);

// `90m` as "1h30m", `15m` as "15m", `2d` as "2d": the shortest spelling of a duration.
std::string FormatDuration(int64_t millis);

// The rules, one function each (rules_*.cc); each reports through `out`.
// Whether a condition, when it holds, bounds the parameter `args.<param>` from above
// (`args.amount > X`, `not (args.amount <= X)`), whatever the bound is.
bool CapsParam(const Context& ctx, check::ExprRef condition, std::string_view param);

void CheckContradictions(const Context& ctx, diag::Consumer& out);
void CheckForbiddenPermits(const Context& ctx, diag::Consumer& out);
void CheckDuplicateRules(const Context& ctx, diag::Consumer& out);
void CheckWildcardPermits(const Context& ctx, diag::Consumer& out);
void CheckUnboundedSpend(const Context& ctx, diag::Consumer& out);
void CheckUnscannedText(const Context& ctx, diag::Consumer& out);
void CheckTokenBudgets(const Context& ctx, diag::Consumer& out);
void CheckCredentialTtls(const Context& ctx, diag::Consumer& out);
void CheckShadowLeftOn(const Context& ctx, diag::Consumer& out);
void CheckUnusedImports(const Context& ctx, diag::Consumer& out);
void CheckUnusedTypes(const Context& ctx, diag::Consumer& out);
void CheckAlwaysTrue(const Context& ctx, diag::Consumer& out);
void CheckRedundantConditions(const Context& ctx, diag::Consumer& out);
void CheckShadowedPermits(const Context& ctx, diag::Consumer& out);
void CheckOverriddenLimits(const Context& ctx, diag::Consumer& out);
void CheckUnusedCredentials(const Context& ctx, diag::Consumer& out);
void CheckAgentsWithoutPermit(const Context& ctx, diag::Consumer& out);
void CheckUnusedTools(const Context& ctx, diag::Consumer& out);
void CheckNaming(const Context& ctx, diag::Consumer& out);
void CheckUntestedRules(const Context& ctx, diag::Consumer& out);
void CheckGlobs(const Context& ctx, diag::Consumer& out);
// The suppression rules (L0022, L0023) run after the others, over their findings (suppress.h).
inline void CheckNothing(const Context&, diag::Consumer&) {}

// A literal of a conjunction: `expr` must evaluate to `positive`.
struct Literal {
  syntax::ExprId expr;
  bool positive;
};
// The literals of the conjunction that `expr` (required to be `positive`) is, with `not`
// pushed inward and `and` split.
std::vector<Literal> Conjuncts(const Context& ctx, FileId file, syntax::ExprId expr, bool positive);
// Whether the literals, all in `file`, provably cannot hold together (the reasoning of L0001).
bool Unsatisfiable(const Context& ctx, FileId file, const std::vector<Literal>& literals);
// Whether a declaration enforces anything: not shadow, not advisory.
inline bool Enforced(const check::DeclHead& head) {
  return !head.shadow && head.enforcement != check::Enforcement::kAdvisory;
}
// Whether a `for` list (empty: every agent) includes the agent with entity type index `agent`.
inline bool AppliesTo(std::span<const check::EntityTypeId> principals, size_t agent) {
  return principals.empty() ||
         std::any_of(principals.begin(), principals.end(),
                     [&](check::EntityTypeId id) { return id.index == agent; });
}
// An enforced forbid: hard, not shadow.
inline bool IsHardForbid(const check::Rule& rule) {
  return rule.effect == check::Effect::kForbid && !rule.head.shadow &&
         rule.head.enforcement == check::Enforcement::kHard;
}
// Whether the rule applies to every agent that `narrower` does, and to every tool.
bool CoversRule(const Context& ctx, const check::Rule& wider, const check::Rule& narrower);

}  // namespace writ::lint::internal

#endif  // WRIT_COMPILER_LINT_INTERNAL_CONTEXT_H_
