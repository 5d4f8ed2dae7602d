// The canonical style of Writ source, as `writ fmt` writes it.
//
// Order. Nothing is reordered: package, imports, declarations, members, clauses and list
//   items keep their source order, so the AST is unchanged.
// Lines. LF line ends, no trailing blanks, exactly one newline at the end of the file. The
//   width is 100 columns (code points); layouts that would exceed it break as described below.
// Blank lines. At most one in a row. One blank line between top-level items, except that
//   adjacent one-line items of the same group stay together when the source had no blank line
//   between them. Groups: imports; entities and enums; agents; tools; rules; limits, budgets,
//   rates and pools; outputs; tests. Inside bodies (agents, credentials, outputs, tests,
//   broken lists) a source blank line between members is kept, never after `{` or before `}`.
// Indentation. Two spaces per level; `{` ends the line it opens; `}` stands on its own line.
// Schema. `entity E in P { a: int, b?: string }` stays on one line with at most 3 attributes
//   when it fits; otherwise one attribute per line, commas between, none after the last.
//   Enums and record types likewise (no attribute limit). A tool is one line when it fits,
//   else one parameter per line; a record result type breaks the same way when its line is
//   too long. Agent bodies and `credentials {}` always have one member per line, no commas.
// Rules. Head: `label: modifiers effect phase tools for Principals`. A rule with at most one
//   clause that fits is one line; otherwise each clause goes on its own line, indented 2, and
//   `for Principals` too if the head alone is too long. A `when` / `by` expression that
//   still does not fit breaks before each top-level `and` / `or` (continuation lines indented
//   4). Limits, budgets and rates follow the same rule, with `because`, `warn at` and `then`
//   as clauses; pools are one line; output bodies have one `forbid` / `redact` per line.
// Expressions. Single spaces around binary operators and after `,` and `:`; none inside `()`
//   and `[]`; one inside non-empty braces (`{ a: 1 }`, `{}`); `a.b`, `f(x, y)`, `User::"id"`,
//   `-x`, `not x`. Parentheses stay exactly where written. Literals are written as in the
//   source, money as `<amount> <CUR>` with one space, strings re-quoted canonically.
// Tests. One statement per line, indented 2; a statement that does not fit puts its fields
//   or arguments one per line.
// Comments. Every comment is kept with its text (CRLF as LF, no line-end blanks), between the
//   same two tokens as in the source. A comment alone on its line stays alone on its line,
//   indented like the code that follows; a comment after code stays at the end of that code's
//   line, one space before it. A `//` comment inside a construct continues the construct on
//   a new line (indented 4 past the statement), and a construct holding a comment never takes
//   its one-line layout.
#include "compiler/format/format.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/format/internal/printer.h"
#include "compiler/format/internal/writer.h"
#include "compiler/syntax/parser.h"

namespace writ::format {
namespace {

std::vector<std::string> CommentTexts(const syntax::File& file) {
  std::vector<std::string> texts;
  texts.reserve(file.comments.size());
  for (const syntax::Comment& comment : file.comments) {
    texts.push_back(internal::NormalizeComment(comment.text));
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

// DumpAst renders each comment as a line of its own, `(comment "...")`.
std::string DumpWithoutComments(const syntax::File& file) {
  std::string dump = syntax::DumpAst(file);
  std::string out;
  out.reserve(dump.size());
  size_t pos = 0;
  while (pos < dump.size()) {
    size_t end = dump.find('\n', pos);
    end = end == std::string::npos ? dump.size() : end + 1;
    std::string_view line(dump.data() + pos, end - pos);
    if (!line.starts_with("(comment ")) out += line;
    pos = end;
  }
  return out;
}

}  // namespace

std::string Format(const SourceManager& sources, const syntax::File& file) {
  internal::Printer printer(sources, file);
  return printer.Run();
}

absl::Status VerifyRoundTrip(const syntax::File& original, std::string_view formatted) {
  SourceManager sources;
  FileId id = sources.Add("<formatted>", std::string(formatted));
  diag::Collector collector;
  syntax::File reparsed = syntax::Parse(sources, id, collector);
  if (collector.has_errors()) {
    const diag::Diagnostic& first = *std::find_if(
        collector.diagnostics().begin(), collector.diagnostics().end(),
        [](const diag::Diagnostic& d) { return d.severity == diag::Severity::kError; });
    LineCol at = sources.file(id).Locate(first.span.begin);
    return absl::InternalError("formatted text does not parse: " + std::to_string(at.line) + ":" +
                               std::to_string(at.column) + ": " + first.message);
  }
  // Comments are compared separately below, modulo the formatter's normalisation.
  std::string before = DumpWithoutComments(original);
  std::string after = DumpWithoutComments(reparsed);
  if (before != after) {
    size_t at = static_cast<size_t>(
        std::mismatch(before.begin(), before.end(), after.begin(), after.end()).first -
        before.begin());
    size_t from = at < 40 ? 0 : at - 40;
    return absl::InternalError("formatting changed the AST near: ..." + before.substr(from, 80) +
                               "... became ..." + after.substr(from, 80) + "...");
  }
  std::vector<std::string> comments_before = CommentTexts(original);
  std::vector<std::string> comments_after = CommentTexts(reparsed);
  if (comments_before != comments_after) {
    std::vector<std::string> lost;
    std::set_difference(comments_before.begin(), comments_before.end(), comments_after.begin(),
                        comments_after.end(), std::back_inserter(lost));
    return absl::InternalError("formatting changed the comments (" +
                               std::to_string(comments_before.size()) + " before, " +
                               std::to_string(comments_after.size()) + " after" +
                               (lost.empty() ? std::string(")") : "; lost: " + lost.front() + ")"));
  }
  return absl::OkStatus();
}

}  // namespace writ::format
