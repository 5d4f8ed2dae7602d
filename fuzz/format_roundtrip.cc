// Fuzz target format_roundtrip: a file that parses without errors formats to text that parses
// without errors to the same AST (syntax::DumpAst), keeps every comment (format::
// VerifyRoundTrip, the check `writ fmt` runs before writing), and formats to itself again.
#include "compiler/format/format.h"
#include "compiler/syntax/parser.h"
#include "fuzz/fuzz.h"
#include "fuzz/policy_sources.h"

namespace writ::fuzz {
namespace {

void RunFormatRoundTrip(std::string_view input) {
  SourceManager sources;
  const FileId id = sources.Add("input.writ", std::string(input));
  diag::Collector diagnostics;
  const syntax::File file = syntax::Parse(sources, id, diagnostics);
  if (diagnostics.has_errors()) return;

  const std::string formatted = format::Format(sources, file);
  const absl::Status round_trip = format::VerifyRoundTrip(file, formatted);
  WRIT_FUZZ_CHECK(round_trip.ok(), Cat(round_trip.message(), "\n--- input\n", input,
                                                "\n--- formatted\n", formatted));

  const FileId again_id = sources.Add("formatted.writ", formatted);
  diag::Collector again_diagnostics;
  const syntax::File again = syntax::Parse(sources, again_id, again_diagnostics);
  WRIT_FUZZ_CHECK(!again_diagnostics.has_errors(), formatted);
  const std::string twice = format::Format(sources, again);
  WRIT_FUZZ_CHECK(twice == formatted, Cat("--- formatted once\n", formatted,
                                                  "\n--- formatted twice\n", twice));
}

WRIT_FUZZ_TARGET("format_roundtrip", RunFormatRoundTrip, PolicySeeds);

}  // namespace
}  // namespace writ::fuzz
