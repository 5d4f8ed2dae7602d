// Syntax errors inside the ANTLR wall: the error strategy that turns ANTLR's recognition
// errors into W0101 diagnostics worded for people, and the log that caps how many a file gets.
// Private to compiler/syntax (it names ANTLR types).
#ifndef WRIT_COMPILER_SYNTAX_INTERNAL_SYNTAX_ERRORS_H_
#define WRIT_COMPILER_SYNTAX_INTERNAL_SYNTAX_ERRORS_H_

#include <string>
#include <unordered_set>
#include <vector>

#include "compiler/syntax/internal/ast_builder.h"

namespace writ::syntax::internal {

// Thrown through ANTLR's generated code to stop a parse early; Parse catches them.
struct TooManyErrors {};
struct NestingTooDeep {
  antlr4::Token* token;  // where the parser was when the limit was crossed
};

// The syntax diagnostics of one file, kept until parsing ends so they can be emitted in
// source order and capped at `max_errors`.
class SyntaxLog {
 public:
  explicit SyntaxLog(int max_errors) : max_errors_(max_errors < 1 ? 1 : max_errors) {}

  void Add(diag::Diagnostic diagnostic) { diagnostics_.push_back(std::move(diagnostic)); }
  // More diagnostics than the cap: parsing further is wasted work.
  bool full() const { return static_cast<int>(diagnostics_.size()) > max_errors_; }
  size_t size() const { return diagnostics_.size(); }
  std::vector<diag::Diagnostic>& diagnostics() { return diagnostics_; }

  // Emits the first `max_errors` diagnostics in source order, then W0004 if any were left.
  void EmitTo(diag::Consumer& consumer);

 private:
  int max_errors_;
  std::vector<diag::Diagnostic> diagnostics_;
};

// Turns ANTLR's recognition errors into W0101 diagnostics ("expected X, found `y`") and
// records which top-level items (package, import or declaration) they occurred in. Keeps
// DefaultErrorStrategy's recovery, so one parse reports several errors.
class ErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  ErrorStrategy(const TokenLocator& locator, SyntaxLog& log);

  void reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) override;

  // Top-level contexts (children of the file rule) that contain a syntax error.
  const std::unordered_set<const antlr4::ParserRuleContext*>& bad_items() const { return bad_items_; }
  // Indexes of tokens with errors that occurred between top-level items, such as junk after
  // a complete declaration; the caller attributes them to the item before.
  const std::vector<size_t>& file_level_errors() const { return file_level_errors_; }

 protected:
  void reportUnwantedToken(antlr4::Parser* parser) override;
  void reportMissingToken(antlr4::Parser* parser) override;

 private:
  void Report(antlr4::Parser* parser, antlr4::ParserRuleContext* ctx, antlr4::Token* found,
              antlr4::Token* start, const antlr4::misc::IntervalSet& expected);
  void Add(diag::Diagnostic diagnostic);
  static const antlr4::ParserRuleContext* ItemOf(antlr4::ParserRuleContext* ctx);

  const TokenLocator& locator_;
  SyntaxLog& log_;
  std::unordered_set<const antlr4::ParserRuleContext*> bad_items_;
  std::vector<size_t> file_level_errors_;
  static constexpr size_t kNoToken = static_cast<size_t>(-1);
  size_t last_error_token_ = kNoToken;
  size_t last_reported_token_ = kNoToken;
  size_t last_reported_line_ = 0;
};

// Token types the lexer produces for bad input; the lexer pass diagnoses them, so the parser
// stays quiet about them.
bool IsErrorToken(size_t type);

// The span a diagnostic about `token` points at. For end of file that is just after the last
// real token, so the caret lands where the missing text belongs.
Span ErrorSpan(const TokenLocator& locator, antlr4::Token* token, antlr4::TokenStream* tokens);

}  // namespace writ::syntax::internal

#endif  // WRIT_COMPILER_SYNTAX_INTERNAL_SYNTAX_ERRORS_H_
