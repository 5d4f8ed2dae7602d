// Renderers: the same diagnostics as rustc-style text for people, and as JSON or SARIF 2.1.0
// for tools. Renderers only read; they never reorder, drop or merge diagnostics.
#ifndef WRIT_COMPILER_DIAGNOSTICS_RENDER_H_
#define WRIT_COMPILER_DIAGNOSTICS_RENDER_H_

#include <span>
#include <string>
#include <string_view>

#include "compiler/base/source.h"
#include "compiler/diagnostics/diagnostic.h"

namespace writ::diag {

struct TextOptions {
  // ANSI colors; the caller decides (flag, TTY, NO_COLOR), the renderer never looks.
  bool color = false;
  // A tab in a source line is shown as this many spaces, so underlines stay aligned whatever the
  // terminal's tab stops are.
  int tab_width = 4;
};

// One diagnostic in rustc style: a header `error[W0204]: message`, the primary location, the
// source lines with `^~~~` under the primary span and `----` under labels (with their
// messages), then `= note:` and `= help:` lines. Ends with a newline. A diagnostic with an
// invalid span is shown without location or snippet; spans past the end of a file clamp to it.
std::string RenderText(const SourceManager& sources, const Diagnostic& diagnostic,
                       const TextOptions& options = {});

// Every diagnostic, separated by blank lines, followed by RenderSummary's line. Empty when
// there are no diagnostics.
std::string RenderText(const SourceManager& sources, std::span<const Diagnostic> diagnostics,
                       const TextOptions& options = {});

// The closing line of a text report: `error: 3 errors and 1 warning in 2 files`, or
// `warning: 1 warning in 1 file` when there are only warnings; empty (no newline) when there
// are neither. Files are counted by distinct primary location; notes are not counted.
std::string RenderSummary(std::span<const Diagnostic> diagnostics, const TextOptions& options = {});

// One JSON document (schema version 1):
//   {"version":1,"diagnostics":[{"code","name","severity","message","file","range","labels",
//    "notes","help","fixits"}],"summary":{"errors":N,"warnings":M}}
// "file" and "range" are null for a diagnostic without location; "help" is null when absent.
// A range is {"start":{line,column,offset},"end":{...}}: 1-based lines, 1-based columns in code
// points, 0-based byte offsets; the end is exclusive. Ends with a newline.
std::string RenderJson(const SourceManager& sources, std::span<const Diagnostic> diagnostics);

// What a SARIF rule says beyond its kinds.def entry, so code-scanning UIs can show why the rule
// exists: the lint catalogue supplies one per lint rule.
struct SarifRuleHelp {
  Code code;
  std::string_view description;  // the rule's rationale (fullDescription and help)
  std::string_view category;     // a tag, e.g. "security"
};

// Identifies the producing tool in SARIF output.
struct SarifTool {
  std::string_view name = "writ";
  std::string_view version;
  std::string_view information_uri;
  std::span<const SarifRuleHelp> rule_help;  // kinds without an entry get no description
};

// A SARIF 2.1.0 log with one run: one rule per kind of kinds.def (in table order, so a result's
// ruleIndex is its Code's position in AllKinds()), one result per diagnostic with its location
// as the path was given (relative stays relative; absolute becomes a file:// URI), labels as
// relatedLocations and fix-its as fixes. A rule with an entry in `tool.rule_help` also gets its
// fullDescription, help and a category tag. Columns count code points (the run says so with
// columnKind). Ends with a newline.
std::string RenderSarif(const SourceManager& sources, std::span<const Diagnostic> diagnostics,
                        const SarifTool& tool);

}  // namespace writ::diag

#endif  // WRIT_COMPILER_DIAGNOSTICS_RENDER_H_
