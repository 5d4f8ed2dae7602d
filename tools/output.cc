#include "tools/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>
#include <string>

#include "compiler/diagnostics/render.h"

namespace writ::cli {
namespace {

// Where SARIF consumers send users to read about the tool and its rules.
constexpr std::string_view kInformationUri = WRIT_INFORMATION_URI;

void Write(std::FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fflush(stream);
}

}  // namespace

std::string_view WritVersion() { return WRIT_VERSION; }

namespace {

// Choices are parsed as strings and checked with IsMember, whose error names the valid words
// (a CheckedTransformer over an enum would show the enum's numbers to the user).
template <typename Enum>
void AddChoiceOption(CLI::App& command, std::string name, Enum& target,
                     std::vector<std::pair<std::string, Enum>> choices, std::string help) {
  std::vector<std::string> words;
  for (const auto& choice : choices) words.push_back(choice.first);
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : "|") + word;
  command.add_option_function<std::string>(
             name,
             [&target, choices](const std::string& value) {
               for (const auto& [word, meaning] : choices) {
                 if (word == value) target = meaning;
               }
             },
             std::move(help))
      ->check(CLI::IsMember(words))
      ->option_text(text);
}

}  // namespace

void AddFormatOption(CLI::App& command, ReportFormat& format) {
  AddChoiceOption(command, "--format", format,
                  {{"text", ReportFormat::kText},
                   {"json", ReportFormat::kJson},
                   {"sarif", ReportFormat::kSarif}},
                  "Output format: text (for people, on stderr; the default), json or sarif "
                  "(SARIF 2.1.0), both on stdout");
}

void AddColorOption(CLI::App& command, ColorMode& mode) {
  AddChoiceOption(command, "--color", mode,
                  {{"auto", ColorMode::kAuto},
                   {"always", ColorMode::kAlways},
                   {"never", ColorMode::kNever}},
                  "Color text diagnostics: auto (the default: when stderr is a terminal and "
                  "NO_COLOR is unset), always or never");
}

bool UseColor(ColorMode mode, std::FILE* stream) {
  switch (mode) {
    case ColorMode::kAlways: return true;
    case ColorMode::kNever: return false;
    case ColorMode::kAuto: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return isatty(fileno(stream)) == 1;
}

void Report(const SourceManager& sources, std::span<const diag::Diagnostic> diagnostics,
            ReportFormat format, ColorMode color,
            std::span<const diag::SarifRuleHelp> rule_help) {
  switch (format) {
    case ReportFormat::kText:
      if (!diagnostics.empty()) {
        Write(stderr, diag::RenderText(sources, diagnostics,
                                       diag::TextOptions{.color = UseColor(color, stderr)}));
      }
      return;
    case ReportFormat::kJson:
      Write(stdout, diag::RenderJson(sources, diagnostics));
      return;
    case ReportFormat::kSarif:
      Write(stdout, diag::RenderSarif(sources, diagnostics,
                                      diag::SarifTool{.version = WritVersion(),
                                                      .information_uri = kInformationUri,
                                                      .rule_help = rule_help}));
      return;
  }
}

std::optional<bool> ReadsStdin(std::span<const std::string> paths) {
  bool any = std::find(paths.begin(), paths.end(), "-") != paths.end();
  if (any && paths.size() > 1) {
    PrintError("`-` (standard input) cannot be combined with other paths");
    return std::nullopt;
  }
  return any;
}

void PrintError(std::string_view message) {
  Write(stderr, std::string("writ: error: ").append(message).append("\n"));
}

void PrintError(const absl::Status& status) { PrintError(std::string(status.message())); }

void PrintInternalError(std::string_view message) {
  Write(stderr, std::string("writ: internal error: ")
                    .append(message)
                    .append("\nthis is a bug in writ; please report it with the input that "
                            "caused it\n"));
}

void PrintStatus(std::string_view message, ColorMode color) {
  bool colored = UseColor(color, stderr);
  std::string line =
      colored ? "\x1b[1;32m" + std::string(message) + "\x1b[0m" : std::string(message);
  Write(stderr, line + "\n");
}

}  // namespace writ::cli
