#include "compiler/lint/lint.h"

#include <algorithm>
#include <utility>

#include "compiler/lint/internal/context.h"
#include "compiler/lint/internal/suppress.h"

namespace writ::lint {
namespace {

using RuleFunction = void (*)(const internal::Context&, diag::Consumer&);

struct Entry {
  RuleInfo info;
  RuleFunction run;
};

const Entry kEntries[] = {
#define WRIT_LINT(name, category, function, title, rationale) \
  {{diag::Code::k##name, Category::k##category, title, rationale}, &internal::function},
#include "compiler/lint/catalogue.def"
#undef WRIT_LINT
};

const RuleInfo kRules[] = {
#define WRIT_LINT(name, category, function, title, rationale) \
  {diag::Code::k##name, Category::k##category, title, rationale},
#include "compiler/lint/catalogue.def"
#undef WRIT_LINT
};

#define WRIT_CATEGORY_Correctness "correctness"
#define WRIT_CATEGORY_Security "security"
#define WRIT_CATEGORY_Style "style"
#define WRIT_CATEGORY_Performance "performance"
const diag::SarifRuleHelp kSarifHelp[] = {
#define WRIT_LINT(name, category, function, title, rationale) \
  {diag::Code::k##name, rationale, WRIT_CATEGORY_##category},
#include "compiler/lint/catalogue.def"
#undef WRIT_LINT
};

}  // namespace

std::string_view Spelling(Category category) {
  switch (category) {
    case Category::kCorrectness: return "correctness";
    case Category::kSecurity: return "security";
    case Category::kStyle: return "style";
    case Category::kPerformance: return "performance";
  }
  return "correctness";
}

std::span<const RuleInfo> Rules() { return kRules; }

const RuleInfo* FindRule(diag::Code code) {
  for (const RuleInfo& rule : kRules) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

std::span<const diag::SarifRuleHelp> SarifHelp() { return kSarifHelp; }

void Lint(const check::Program& program, std::span<const syntax::File> files,
          diag::Consumer& consumer, const Options& options) {
  internal::Context ctx(program, files, options);
  diag::Collector findings;
  for (const Entry& entry : kEntries) {
    auto level = options.levels.find(entry.info.code);
    if (level == options.levels.end() || level->second != Level::kOff) entry.run(ctx, findings);
  }
  std::vector<diag::Diagnostic> sorted = findings.Take();
  internal::ApplySuppressions(files, options.levels, sorted);
  std::erase_if(sorted, [&](diag::Diagnostic& d) {
    auto level = options.levels.find(d.code);
    if (level == options.levels.end()) return false;
    d.severity = level->second == Level::kError ? diag::Severity::kError : diag::Severity::kWarning;
    return level->second == Level::kOff;
  });
  std::stable_sort(sorted.begin(), sorted.end(), [](const diag::Diagnostic& a, const diag::Diagnostic& b) {
    return std::pair(a.span.file.index, a.span.begin) < std::pair(b.span.file.index, b.span.begin);
  });
  for (diag::Diagnostic& finding : sorted) consumer.Handle(std::move(finding));
}

}  // namespace writ::lint
