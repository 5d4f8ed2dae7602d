#include "stdlib/internal/sql_lexer.h"

#include <cstring>

#include "stdlib/internal/chars.h"

namespace writ::stdlib::internal {
namespace {

// Identifier characters: ASCII letters, digits, '_', '$' (all three dialects accept it after
// the first character) and every non-ASCII byte.
bool IsIdentStart(unsigned char c) { return IsAlpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }

}  // namespace

uint32_t LexRules::Bits() const {
  const bool flags[] = {backslash_escapes,   double_quoted_strings, hash_comments,
                        dash_comment_needs_space, executable_comments, nested_comments,
                        dollar_quotes,        e_strings,             bracket_identifiers,
                        backtick_identifiers};
  uint32_t bits = 0;
  for (size_t i = 0; i < std::size(flags); ++i) bits |= uint32_t{flags[i]} << i;
  return bits;
}

bool Lexer::SkipTrivia() {
  const size_t n = text_.size();
  while (pos_ < n) {
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    const unsigned char next = At(text_, pos_ + 1);
    if (c <= ' ') {  // blanks and control characters
      ++pos_;
    } else if ((c == '-' && next == '-') || (c == '#' && rules_.hash_comments)) {
      if (c == '-' && rules_.dash_comment_needs_space && pos_ + 2 < n &&
          static_cast<unsigned char>(text_[pos_ + 2]) > ' ') {
        return true;  // MySQL reads `--1` as two minus signs
      }
      const void* newline = std::memchr(text_.data() + pos_, '\n', n - pos_);
      pos_ = newline == nullptr ? n : static_cast<const char*>(newline) - text_.data() + 1;
    } else if (c == '/' && next == '*') {
      const unsigned char third = At(text_, pos_ + 2);
      if (rules_.executable_comments &&
          (third == '!' || (third == 'M' && At(text_, pos_ + 3) == '!'))) {
        pos_ += third == '!' ? 3 : 4;
        while (IsDigit(At(text_, pos_))) ++pos_;  // the minimum server version
        in_executable_comment_ = true;
      } else {
        pos_ = SkipBlockComment(pos_);
      }
    } else if (c == '*' && next == '/' && in_executable_comment_) {
      pos_ += 2;
      in_executable_comment_ = false;
    } else {
      return true;
    }
  }
  return false;
}

size_t Lexer::SkipBlockComment(size_t i) const {
  const size_t n = text_.size();
  if (!rules_.nested_comments) {
    const void* close = i + 2 <= n ? memmem(text_.data() + i + 2, n - i - 2, "*/", 2) : nullptr;
    return close == nullptr ? n : static_cast<const char*>(close) - text_.data() + 2;
  }
  // The depth is a counter, not a stack: nesting costs no memory.
  size_t depth = 0;
  while (i < n) {
    if (text_[i] == '/' && At(text_, i + 1) == '*') {
      ++depth;
      i += 2;
    } else if (text_[i] == '*' && At(text_, i + 1) == '/') {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return n;
}

size_t Lexer::QuotedEnd(size_t i, char quote, bool backslash) const {
  const size_t n = text_.size();
  size_t j = i + 1;
  while (j < n) {
    const char c = text_[j];
    if (backslash && c == '\\') {
      j += 2;
    } else if (c == quote) {
      if (At(text_, j + 1) != static_cast<unsigned char>(quote)) return j + 1;
      j += 2;  // a doubled quote stands for itself
    } else {
      ++j;
    }
  }
  return n;
}

Token Lexer::Word(size_t i) {
  size_t j = i + 1;
  while (j < text_.size() && IsIdentChar(text_[j])) ++j;
  if (rules_.e_strings && j == i + 1 && (text_[i] == 'E' || text_[i] == 'e') &&
      At(text_, j) == '\'') {
    return {TokenKind::kString, 0, 0, i, QuotedEnd(j, '\'', true)};
  }
  return {TokenKind::kWord, 0, 0, i, j};
}

Token Lexer::Dollar(size_t i) {
  const size_t n = text_.size();
  if (rules_.dollar_quotes && !IsIdentChar(Before(text_, i))) {
    size_t j = i + 1;
    if (j < n && IsIdentStart(text_[j])) {
      while (j < n && IsIdentChar(text_[j]) && text_[j] != '$') ++j;
    }
    if (At(text_, j) == '$') {
      const std::string_view tag = text_.substr(i, j + 1 - i);
      const size_t body = j + 1;
      const void* close =
          body + tag.size() <= n ? memmem(text_.data() + body, n - body, tag.data(), tag.size())
                                 : nullptr;
      const size_t end =
          close == nullptr ? n : static_cast<const char*>(close) - text_.data() + tag.size();
      return {TokenKind::kString, 0, 0, i, end};
    }
  }
  size_t j = i + 1;
  while (j < n && IsIdentChar(text_[j])) ++j;
  if (j == i + 1) return {TokenKind::kPunct, '$', 0, i, j};
  return {TokenKind::kParam, 0, 0, i, j};
}

Token Lexer::Number(size_t i) const {
  const size_t n = text_.size();
  size_t j = i;
  if (text_[j] == '0' && (At(text_, j + 1) == 'x' || At(text_, j + 1) == 'X') &&
      IsHex(At(text_, j + 2))) {
    j += 2;
    while (j < n && IsHex(text_[j])) ++j;
    return {TokenKind::kNumber, 0, 0, i, j};
  }
  while (j < n && IsDigit(text_[j])) ++j;
  if (At(text_, j) == '.') {
    ++j;
    while (j < n && IsDigit(text_[j])) ++j;
  }
  if ((At(text_, j) == 'e' || At(text_, j) == 'E') &&
      (IsDigit(At(text_, j + 1)) ||
       ((At(text_, j + 1) == '+' || At(text_, j + 1) == '-') && IsDigit(At(text_, j + 2))))) {
    j += 2;
    while (j < n && IsDigit(text_[j])) ++j;
  }
  return {TokenKind::kNumber, 0, 0, i, j};
}

Token Lexer::Next() {
  if (!SkipTrivia()) return {TokenKind::kEnd, 0, 0, text_.size(), text_.size()};
  const size_t i = pos_;
  const unsigned char c = static_cast<unsigned char>(text_[i]);
  const unsigned char next = At(text_, i + 1);
  Token token;
  if (IsIdentStart(c)) {
    token = Word(i);
  } else if (IsDigit(c) || (c == '.' && IsDigit(next))) {
    token = Number(i);
  } else if (c == '\'') {
    token = {TokenKind::kString, 0, 0, i, QuotedEnd(i, '\'', rules_.backslash_escapes)};
  } else if (c == '"') {
    token = rules_.double_quoted_strings
                ? Token{TokenKind::kString, 0, 0, i, QuotedEnd(i, '"', rules_.backslash_escapes)}
                : Token{TokenKind::kQuotedName, 0, '"', i, QuotedEnd(i, '"', false)};
  } else if (c == '`' && rules_.backtick_identifiers) {
    token = {TokenKind::kQuotedName, 0, '`', i, QuotedEnd(i, '`', false)};
  } else if (c == '[' && rules_.bracket_identifiers) {
    const void* close = std::memchr(text_.data() + i, ']', text_.size() - i);
    const size_t end = close == nullptr ? text_.size()
                                        : static_cast<const char*>(close) - text_.data() + 1;
    token = {TokenKind::kQuotedName, 0, '[', i, end};
  } else if (c == '$') {
    token = Dollar(i);
  } else if ((c == '?' && IsDigit(next)) || (c == ':' && (IsAlpha(next) || next == '_')) ||
             (c == '@' && (IsIdentChar(next) || next == '@'))) {
    size_t j = i + 1;
    while (j < text_.size() && (IsIdentChar(text_[j]) || text_[j] == '@')) ++j;
    token = {TokenKind::kParam, 0, 0, i, j};
  } else if (c == '?') {
    token = {TokenKind::kParam, 0, 0, i, i + 1};
  } else {
    token = {TokenKind::kPunct, static_cast<char>(c), 0, i, i + 1};
  }
  pos_ = token.end;
  return token;
}

}  // namespace writ::stdlib::internal
