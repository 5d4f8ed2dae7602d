// What every command shares about output: where diagnostics go in which format, when to color,
// how environment errors are worded.
#ifndef WRIT_TOOLS_OUTPUT_H_
#define WRIT_TOOLS_OUTPUT_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "absl/status/status.h"
#include "compiler/base/source.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/render.h"

namespace writ::cli {

// The display name of standard input in diagnostics and listings.
inline constexpr std::string_view kStdinName = "<stdin>";

// `writ --version` and the SARIF tool version.
std::string_view WritVersion();

enum class ReportFormat { kText, kJson, kSarif };
enum class ColorMode { kAuto, kAlways, kNever };

// Registers `--format text|json|sarif` on a command.
void AddFormatOption(CLI::App& command, ReportFormat& format);
// Registers `--color auto|always|never` on a command.
void AddColorOption(CLI::App& command, ColorMode& mode);

// Whether text written to `stream` (stdout or stderr) gets ANSI colors: `auto` colors only a
// terminal, and honors NO_COLOR and TERM=dumb.
bool UseColor(ColorMode mode, std::FILE* stream);

// Writes diagnostics: text (with its summary line) to stderr, so stdout stays clean for piping;
// JSON and SARIF as one document to stdout, also when there are no diagnostics. `rule_help`
// adds descriptions to SARIF rules (the lint catalogue's rationales).
void Report(const SourceManager& sources, std::span<const diag::Diagnostic> diagnostics,
            ReportFormat format, ColorMode color,
            std::span<const diag::SarifRuleHelp> rule_help = {});

// Whether a command's PATH arguments ask for standard input, i.e. are exactly `-`. Prints a
// usage error and returns nullopt when `-` is mixed with other paths.
std::optional<bool> ReadsStdin(std::span<const std::string> paths);

// A failure of the environment or of the command line, as `writ: error: <message>` on stderr.
void PrintError(std::string_view message);
// The same for a failed Status: its message only (it names the path), not its code.
void PrintError(const absl::Status& status);
// A bug in writ, as `writ: internal error: <message>` on stderr with a request to report it.
void PrintInternalError(std::string_view message);
// An informational line on stderr (e.g. the clean summary of `check`).
void PrintStatus(std::string_view message, ColorMode color);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_OUTPUT_H_
