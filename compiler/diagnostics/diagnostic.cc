#include "compiler/diagnostics/diagnostic.h"

#include <algorithm>
#include <array>

namespace writ::diag {
namespace {

constexpr KindInfo kKinds[] = {
#define WRIT_DIAG(name, code, severity, format) \
  {Code::k##name, code, #name, Severity::k##severity, format},
#include "compiler/diagnostics/kinds.def"
#undef WRIT_DIAG
};

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
// of adjacent characters each cost one, since swapped letters are the commonest typo.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

const KindInfo& Info(Code code) { return kKinds[static_cast<size_t>(code)]; }

std::span<const KindInfo> AllKinds() { return kKinds; }

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

void Collector::Handle(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::kError) ++error_count_;
  diagnostics_.push_back(std::move(diagnostic));
}

Builder::Builder(Code code, Span span, std::string message) {
  diagnostic_.code = code;
  diagnostic_.severity = Info(code).severity;
  diagnostic_.message = std::move(message);
  diagnostic_.span = span;
}

Builder& Builder::Label(Span span, std::string message) {
  diagnostic_.labels.push_back({span, std::move(message)});
  return *this;
}

Builder& Builder::Note(std::string note) {
  diagnostic_.notes.push_back(std::move(note));
  return *this;
}

Builder& Builder::Help(std::string help) {
  diagnostic_.help = std::move(help);
  return *this;
}

Builder& Builder::Fix(Span span, std::string replacement) {
  diagnostic_.fixits.push_back({span, std::move(replacement)});
  return *this;
}

std::string ClosestMatch(std::string_view name, std::span<const std::string> candidates) {
  // A typo changes about one character in three at most; beyond that a suggestion misleads.
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  std::string best;
  for (const std::string& candidate : candidates) {
    if (candidate == name) continue;
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace writ::diag
