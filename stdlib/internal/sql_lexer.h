// A SQL tokenizer parameterized by the lexical rules in which PostgreSQL, MySQL and SQLite
// differ: quotes, escapes, comments and dollar-quoting. It skips comments and blanks, never
// fails (an unterminated string or comment runs to the end of the text), needs no memory and
// takes O(n) time over a whole text.
#ifndef WRIT_STDLIB_INTERNAL_SQL_LEXER_H_
#define WRIT_STDLIB_INTERNAL_SQL_LEXER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace writ::stdlib::internal {

// The lexical rules of one reading of a text. Each flag is what one dialect (or server mode)
// does differently from the SQL standard.
struct LexRules {
  bool backslash_escapes = false;         // MySQL: `\` escapes in '...' and "..." strings
  bool double_quoted_strings = false;     // MySQL without ANSI_QUOTES: "..." is a string
  bool hash_comments = false;             // MySQL: `#` starts a line comment
  bool dash_comment_needs_space = false;  // MySQL: `--` is a comment only before a blank
  bool executable_comments = false;       // MySQL: the inside of /*! ... */ is code
  bool nested_comments = false;           // PostgreSQL: /* /* */ */ nests
  bool dollar_quotes = false;             // PostgreSQL: $tag$ ... $tag$
  bool e_strings = false;                 // PostgreSQL: E'...' has backslash escapes
  bool bracket_identifiers = false;       // SQLite: [name]
  bool backtick_identifiers = false;      // MySQL and SQLite: `name`

  uint32_t Bits() const;
};

enum class TokenKind : uint8_t {
  kEnd,
  kWord,        // an unquoted identifier or keyword
  kQuotedName,  // "name", `name` or [name]
  kString,      // '...', "..." where those are strings, E'...', $tag$...$tag$
  kNumber,
  kParam,       // ?, ?1, :name, @name, $1, $name
  kPunct,       // ( ) , ; . and every other operator character, one per token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  char punct = 0;  // kPunct: the character
  char quote = 0;  // kQuotedName: the opening quote ('"', '`', '[')
  size_t begin = 0;
  size_t end = 0;
};

class Lexer {
 public:
  Lexer(std::string_view text, const LexRules& rules) : text_(text), rules_(rules) {}

  // The next token; kEnd (repeatedly) at the end of the text.
  Token Next();

  std::string_view text() const { return text_; }

 private:
  // Skips blanks and comments; false at the end of the text.
  bool SkipTrivia();
  size_t SkipBlockComment(size_t i) const;
  size_t QuotedEnd(size_t i, char quote, bool backslash) const;
  Token Word(size_t i);
  Token Dollar(size_t i);
  Token Number(size_t i) const;

  std::string_view text_;
  LexRules rules_;
  size_t pos_ = 0;
  bool in_executable_comment_ = false;
};

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_SQL_LEXER_H_
