#include "compiler/format/internal/writer.h"

#include <algorithm>

namespace writ::format::internal {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

int Width(std::string_view text) {
  int width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string NormalizeComment(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (text[i] == '\n') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    }
    out += text[i];
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

Writer::Writer(std::string_view source, std::span<const syntax::Comment> comments)
    : source_(source), comments_(comments) {}

void Writer::NewLine(int indent) {
  at_line_start_ = true;
  next_indent_ = indent;
  next_is_statement_ = true;
  pending_space_ = false;
  boundary_ = false;
  skip_blank_ = false;
  force_blank_ = false;
}

void Writer::Space() {
  if (!at_line_start_) pending_space_ = true;
}

void Writer::BeginItem(bool first, bool force_blank) {
  boundary_ = true;
  skip_blank_ = first;
  force_blank_ = force_blank;
}

void Writer::Token(std::string_view text, std::optional<uint32_t> pos, uint32_t end) {
  if (pos) Flush(*pos);
  if (at_line_start_) {
    StartLine(pos);
  } else if (pending_space_) {
    out_ += ' ';
  }
  pending_space_ = false;
  boundary_ = false;
  out_ += text;
  if (pos) {
    cursor_ = std::max(cursor_, end);
    last_end_ = std::max(last_end_, end);
  }
}

void Writer::Flush(uint32_t pos) {
  while (next_comment_ < comments_.size() && comments_[next_comment_].span.begin < pos) {
    PlaceComment(comments_[next_comment_]);
    ++next_comment_;
  }
}

void Writer::PlaceComment(const syntax::Comment& comment) {
  std::string text = NormalizeComment(comment.text);
  bool is_line_comment = text.starts_with("//");
  // A comment written after code stays after the code it followed, unless the line already
  // ends with a `//` comment that would swallow it.
  bool trailing = has_output_ && !line_comment_open_ && !OnOwnLine(comment);
  if (trailing) {
    out_ += ' ';
    out_ += text;
    pending_space_ = false;
    if (is_line_comment) {
      line_comment_open_ = true;
      if (!at_line_start_) {
        // The rest of the statement continues on a new line.
        at_line_start_ = true;
        next_indent_ = statement_indent_ + kContinuation;
        next_is_statement_ = false;
      }
    } else if (!at_line_start_) {
      pending_space_ = true;
    }
  } else {
    if (!at_line_start_) {
      at_line_start_ = true;
      next_indent_ = statement_indent_ + kContinuation;
      next_is_statement_ = false;
    }
    StartLine(comment.span.begin);
    out_ += text;
    line_comment_open_ = is_line_comment;
    at_line_start_ = true;
  }
  cursor_ = std::max(cursor_, comment.span.end);
  last_end_ = std::max(last_end_, comment.span.end);
}

void Writer::StartLine(std::optional<uint32_t> pos) {
  bool blank = false;
  if (has_output_ && boundary_ && !skip_blank_) {
    blank = force_blank_ || (pos && BlankLineBetween(last_end_, *pos));
  }
  if (has_output_) {
    out_ += '\n';
    if (blank) out_ += '\n';
  }
  out_.append(static_cast<size_t>(next_indent_), ' ');
  if (next_is_statement_) statement_indent_ = next_indent_;
  at_line_start_ = false;
  has_output_ = true;
  line_comment_open_ = false;
  skip_blank_ = false;
  force_blank_ = false;
}

bool Writer::OnOwnLine(const syntax::Comment& comment) const {
  uint32_t i = std::min<uint32_t>(comment.span.begin, static_cast<uint32_t>(source_.size()));
  while (i > 0) {
    char c = source_[i - 1];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
    --i;
  }
  return true;
}

bool Writer::BlankLineBetween(uint32_t begin, uint32_t end) const {
  end = std::min<uint32_t>(end, static_cast<uint32_t>(source_.size()));
  int newlines = 0;
  bool line_blank = true;
  for (uint32_t i = begin; i < end; ++i) {
    char c = source_[i];
    if (c == '\n') {
      if (newlines > 0 && line_blank) return true;
      ++newlines;
      line_blank = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      line_blank = false;
    }
  }
  return false;
}

uint32_t Writer::NextTokenPos(uint32_t pos) const {
  while (pos < source_.size()) {
    char c = source_[pos];
    if (IsBlank(c) || c == ',') {
      ++pos;
      continue;
    }
    auto it = std::lower_bound(
        comments_.begin(), comments_.end(), pos,
        [](const syntax::Comment& comment, uint32_t p) { return comment.span.begin < p; });
    if (it != comments_.end() && it->span.begin == pos && it->span.end > pos) {
      pos = it->span.end;
      continue;
    }
    break;
  }
  return pos;
}

std::optional<uint32_t> Writer::Find(std::string_view text) const {
  if (source_.empty() || text.empty()) return std::nullopt;
  uint32_t pos = NextTokenPos(cursor_);
  std::string_view rest = source_.substr(std::min<size_t>(pos, source_.size()));
  if (!rest.starts_with(text)) return std::nullopt;
  // A keyword must not be the start of a longer name.
  if (IsIdentChar(text.back()) && rest.size() > text.size() && IsIdentChar(rest[text.size()])) {
    return std::nullopt;
  }
  return pos;
}

int Writer::Column() const {
  if (at_line_start_) return next_indent_;
  size_t line_start = out_.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  return Width(std::string_view(out_).substr(line_start)) + (pending_space_ ? 1 : 0);
}

std::string Writer::Finish() {
  NewLine(0);
  BeginItem(false, false);
  Flush(UINT32_MAX);
  if (has_output_) out_ += '\n';
  return std::move(out_);
}

}  // namespace writ::format::internal
