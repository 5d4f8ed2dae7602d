// One diagnostic type for every stage of the compiler; renderers (render.h) turn it into
// rustc-style text, JSON or SARIF. The list of kinds lives in kinds.def.
#ifndef WRIT_COMPILER_DIAGNOSTICS_DIAGNOSTIC_H_
#define WRIT_COMPILER_DIAGNOSTICS_DIAGNOSTIC_H_

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/base/source.h"

namespace writ::diag {

enum class Severity { kError, kWarning, kNote };

enum class Code : uint16_t {
#define WRIT_DIAG(name, code, severity, format) k##name,
#include "compiler/diagnostics/kinds.def"
#undef WRIT_DIAG
};

// The fixed facts of one kind of diagnostic, from kinds.def.
struct KindInfo {
  Code code;
  std::string_view id;      // stable, e.g. "W0201"
  std::string_view name;    // e.g. "UnknownName"
  Severity severity;
  std::string_view format;  // fmt format string of the message
};

// Facts of one code; every Code has an entry.
const KindInfo& Info(Code code);
// Every kind, in table order (for SARIF rule lists and tests).
std::span<const KindInfo> AllKinds();
std::string_view SeverityName(Severity severity);

// A secondary location with its own short message.
struct Label {
  Span span;
  std::string message;
};

// A mechanical edit that fixes the problem: replace the span's text.
struct FixIt {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  Code code;
  Severity severity;
  std::string message;
  Span span;  // primary location; may be invalid for whole-input problems
  std::vector<Label> labels;
  std::vector<std::string> notes;
  std::string help;  // e.g. "did you mean `approval_limit`?"; empty if none
  std::vector<FixIt> fixits;

  const KindInfo& info() const { return Info(code); }
};

// Receives diagnostics as stages emit them.
class Consumer {
 public:
  virtual ~Consumer() = default;
  virtual void Handle(Diagnostic diagnostic) = 0;
};

// Keeps every diagnostic in emission order and counts errors.
class Collector : public Consumer {
 public:
  void Handle(Diagnostic diagnostic) override;
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::vector<Diagnostic> Take() { return std::move(diagnostics_); }
  int error_count() const { return error_count_; }
  bool has_errors() const { return error_count_ > 0; }

 private:
  std::vector<Diagnostic> diagnostics_;
  int error_count_ = 0;
};

// Builds a diagnostic of a kind with its message formatted from arguments; chain Label, Note,
// Help and Fix, then pass to a Consumer:  consumer.Handle(Make(Code::kUnknownName, span, n));
class Builder {
 public:
  Builder(Code code, Span span, std::string message);
  Builder& Label(Span span, std::string message);
  Builder& Note(std::string note);
  Builder& Help(std::string help);
  Builder& Fix(Span span, std::string replacement);
  // Moves the diagnostic out; a Builder is meant to be used once, as a temporary.
  operator Diagnostic() { return std::move(diagnostic_); }  // NOLINT: builder idiom
  Diagnostic Build() { return std::move(diagnostic_); }

 private:
  Diagnostic diagnostic_;
};

template <typename... Args>
Builder Make(Code code, Span span, const Args&... args) {
  return Builder(code, span, fmt::vformat(Info(code).format, fmt::make_format_args(args...)));
}

// The closest candidate to `name` by edit distance, for "did you mean" help; empty if none is
// close enough to be a plausible typo.
std::string ClosestMatch(std::string_view name, std::span<const std::string> candidates);

}  // namespace writ::diag

#endif  // WRIT_COMPILER_DIAGNOSTICS_DIAGNOSTIC_H_
