// The formatter's output buffer. The printer hands it tokens in source order, each with its
// position in the source when it has one; the writer places the file's comments between them
// (on their own line or at the end of a line, as they were written), keeps the source's blank
// lines where the printer allows them, and indents lines.
#ifndef WRIT_COMPILER_FORMAT_INTERNAL_WRITER_H_
#define WRIT_COMPILER_FORMAT_INTERNAL_WRITER_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "compiler/syntax/ast.h"

namespace writ::format::internal {

// The canonical line width; layouts that would exceed it are broken.
inline constexpr int kMaxWidth = 100;
// Indentation of one nesting level, and of a continuation line beyond its statement.
inline constexpr int kIndent = 2;
inline constexpr int kContinuation = 4;

// Number of code points in `text` (what an editor shows as its width).
int Width(std::string_view text);

// A comment's text as the formatter writes it: CRLF as LF and no blanks at the end of a line.
std::string NormalizeComment(std::string_view text);

class Writer {
 public:
  // A writer for the real output of `source`, placing its `comments` (sorted by position).
  Writer(std::string_view source, std::span<const syntax::Comment> comments);
  // A writer that only measures: it has no source, places no comments and finds no tokens.
  Writer() = default;

  // The next token starts a new line indented by `indent`; a statement line, whose
  // continuations (forced by a line comment inside it) are indented kContinuation further.
  // No blank line precedes it unless BeginItem follows.
  void NewLine(int indent);
  // One space before the next token, unless that token starts a line.
  void Space();
  // The next line starts a new member of a list of declarations or members: one blank line is
  // written before it if the source had one (never before the first member of a body, when
  // `first`), or always when `force_blank`.
  void BeginItem(bool first, bool force_blank);

  // Writes a token. With a source position, the comments before `pos` are placed first and
  // the source cursor moves to `end`.
  void Token(std::string_view text, std::optional<uint32_t> pos, uint32_t end);
  // Places every comment that begins before `pos`.
  void Flush(uint32_t pos);
  // The position of the next source token after the cursor (past blanks, comments and
  // commas, which the formatter writes itself) if it is `text`; nullopt otherwise.
  std::optional<uint32_t> Find(std::string_view text) const;

  // Whether a comment not yet placed begins before `pos`.
  bool HasPendingCommentBefore(uint32_t pos) const {
    return next_comment_ < comments_.size() && comments_[next_comment_].span.begin < pos;
  }

  // The column (0-based) where the next token would start.
  int Column() const;
  // The text written so far, without the final newline.
  const std::string& text() const { return out_; }
  // The finished output: every remaining comment placed, ending with exactly one newline.
  std::string Finish();

 private:
  uint32_t NextTokenPos(uint32_t pos) const;
  bool OnOwnLine(const syntax::Comment& comment) const;
  bool BlankLineBetween(uint32_t begin, uint32_t end) const;
  // Starts the pending new line; `pos` is the source position of what goes on it, if known.
  void StartLine(std::optional<uint32_t> pos);
  void PlaceComment(const syntax::Comment& comment);

  std::string_view source_;
  std::span<const syntax::Comment> comments_;
  size_t next_comment_ = 0;
  uint32_t cursor_ = 0;    // source position after the last token written
  uint32_t last_end_ = 0;  // source end of the last token or comment written

  std::string out_;
  bool has_output_ = false;
  bool at_line_start_ = true;  // the next text starts a new line
  int next_indent_ = 0;        // indentation of that line
  bool next_is_statement_ = true;
  int statement_indent_ = 0;  // indentation of the last line the printer started
  bool pending_space_ = false;
  bool line_comment_open_ = false;  // the last line ends with a `//` comment
  bool boundary_ = false;           // blank lines from the source may precede the next line
  bool skip_blank_ = false;
  bool force_blank_ = false;
};

}  // namespace writ::format::internal

#endif  // WRIT_COMPILER_FORMAT_INTERNAL_WRITER_H_
