// `writ fmt`: rewrites policy files in canonical form, or checks that they already are.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "absl/status/status.h"
#include "compiler/driver/driver.h"
#include "compiler/format/format.h"
#include "compiler/syntax/parser.h"
#include "tools/command.h"
#include "tools/diff.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

struct FmtOptions {
  std::vector<std::string> paths;
  bool check = false;
  bool diff = false;
  ColorMode color = ColorMode::kAuto;
};

enum class Outcome { kUnchanged, kChanged, kSyntaxErrors, kUnsafe };

struct Formatted {
  Outcome outcome = Outcome::kUnchanged;
  std::string text;     // the canonical text, when kChanged or kUnchanged
  std::string problem;  // why the result was unsafe, when kUnsafe
};

// Parses and formats one file of `sources`, passing its diagnostics on to `consumer`.
Formatted FormatFile(const SourceManager& sources, FileId id, diag::Consumer& consumer) {
  diag::Collector diagnostics;
  syntax::File file = syntax::Parse(sources, id, diagnostics);
  bool errors = diagnostics.has_errors();
  for (diag::Diagnostic& diagnostic : diagnostics.Take()) consumer.Handle(std::move(diagnostic));
  if (errors) return {Outcome::kSyntaxErrors, {}, {}};

  Formatted result;
  result.text = format::Format(sources, file);
  if (result.text == sources.file(id).text()) return result;
  // Never trust the formatter with a user's file: the new text must mean the same.
  if (absl::Status verified = format::VerifyRoundTrip(file, result.text); !verified.ok()) {
    result.outcome = Outcome::kUnsafe;
    result.problem = std::string(verified.message());
    return result;
  }
  result.outcome = Outcome::kChanged;
  return result;
}

class FmtRun {
 public:
  explicit FmtRun(const FmtOptions& options) : options_(options) {}

  int Run() {
    std::optional<bool> stdin_only = ReadsStdin(options_.paths);
    if (!stdin_only) return kExitUsage;
    bool from_stdin = *stdin_only;
    if (from_stdin) {
      FormatStdin();
    } else {
      absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(options_.paths);
      if (!files.ok()) {
        PrintError(files.status());
        return kExitUsage;
      }
      for (const std::string& path : *files) FormatPath(path);
    }
    Report(sources_, diagnostics_.diagnostics(), ReportFormat::kText, options_.color);
    return exit_;
  }

 private:
  bool writes() const { return !options_.check && !options_.diff; }

  // Adds an input to the sources, or reports it as too large; returns whether to format it.
  bool Load(const std::string& name, Input input, FileId& id) {
    id = sources_.Add(name, std::move(input.text));
    if (!input.too_large) return true;
    diagnostics_.Handle(diag::Make(diag::Code::kFileTooLarge, Span{id, 0, 0}, input.size,
                                   syntax::ParseLimits{}.max_file_bytes));
    exit_ = WorstExit(exit_, kExitFindings);
    return false;
  }

  // Formats one loaded input and settles everything but the write: diagnostics, refusals,
  // the --check listing or --diff. Returns the text to write, if any: a file's new contents
  // when it changed, or standard input's formatted text whether or not it changed.
  std::optional<std::string> Process(const std::string& name, FileId id, bool is_stdin) {
    Formatted result = FormatFile(sources_, id, diagnostics_);
    switch (result.outcome) {
      case Outcome::kSyntaxErrors:
        exit_ = WorstExit(exit_, kExitFindings);
        return std::nullopt;
      case Outcome::kUnsafe:
        PrintInternalError(fmt::format("refusing to format {}: {}; it was left unchanged", name,
                                       result.problem));
        exit_ = WorstExit(exit_, kExitInternal);
        return std::nullopt;
      case Outcome::kUnchanged:
        if (writes() && is_stdin) return std::move(result.text);
        return std::nullopt;
      case Outcome::kChanged:
        break;
    }
    if (writes()) return std::move(result.text);
    exit_ = WorstExit(exit_, kExitFindings);
    Emit(options_.diff ? UnifiedDiff(name, sources_.file(id).text(), result.text) : name + "\n");
    return std::nullopt;
  }

  void FormatPath(const std::string& path) {
    absl::StatusOr<Input> input = ReadInput(path, syntax::ParseLimits{}.max_file_bytes);
    if (!input.ok()) {
      PrintError(input.status());
      exit_ = WorstExit(exit_, kExitUsage);
      return;
    }
    FileId id;
    if (!Load(path, *std::move(input), id)) return;
    std::optional<std::string> text = Process(path, id, /*is_stdin=*/false);
    if (!text) return;
    if (absl::Status status = WriteFileAtomically(path, *text); !status.ok()) {
      PrintError(status);
      exit_ = WorstExit(exit_, kExitUsage);
    }
  }

  void FormatStdin() {
    absl::StatusOr<Input> input = ReadStdin(syntax::ParseLimits{}.max_file_bytes);
    if (!input.ok()) {
      PrintError(input.status());
      exit_ = WorstExit(exit_, kExitUsage);
      return;
    }
    std::string name(kStdinName);
    FileId id;
    if (!Load(name, *std::move(input), id)) return;
    if (std::optional<std::string> text = Process(name, id, /*is_stdin=*/true)) Emit(*text);
  }

  void Emit(std::string_view text) {
    if (absl::Status status = WriteStdout(text); !status.ok()) {
      PrintError(status);
      exit_ = WorstExit(exit_, kExitUsage);
    }
  }

  const FmtOptions& options_;
  SourceManager sources_;
  diag::Collector diagnostics_;
  int exit_ = kExitOk;
};

}  // namespace

Command AddFmtCommand(CLI::App& root) {
  auto options = std::make_shared<FmtOptions>();
  CLI::App* app = root.add_subcommand("fmt", "Format policy files in canonical form");
  app->add_option("PATH", options->paths, "Files or folders to format, or `-` for stdin")
      ->required();
  app->add_flag("--check", options->check,
                "Write nothing; list the files that are not formatted, on stdout");
  app->add_flag("--diff", options->diff,
                "Write nothing; print a unified diff of the changes formatting would make, on "
                "stdout");
  AddColorOption(*app, options->color);
  app->footer(
      "Rewrites policies in canonical form, keeping every comment. PATH is a file, a folder\n"
      "(its .writ files, recursively) or `-` to format standard input to standard output.\n"
      "Only files that change are rewritten, each atomically. A file with syntax errors is\n"
      "reported and left alone, and so is one whose formatted text would not parse back to\n"
      "the same program.\n\n"
      "Exit codes:\n"
      "  0  every file is formatted (or was rewritten)\n"
      "  1  with --check or --diff: a file is not formatted; or a file has syntax errors\n"
      "  2  usage or I/O error: bad arguments, a missing, unreadable or unwritable path\n"
      "  3  internal error: formatting would have changed a file's meaning; nothing was written");
  return Command{app, [options] { return FmtRun(*options).Run(); }};
}

}  // namespace writ::cli
