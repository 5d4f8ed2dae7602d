// Recognizes a WHERE clause that is trivially true (`WHERE 1=1`, `WHERE TRUE`,
// `WHERE id = 5 OR 'a' = 'a'`), which bounds an UPDATE or DELETE no better than no WHERE.
#ifndef WRIT_STDLIB_INTERNAL_SQL_WHERE_H_
#define WRIT_STDLIB_INTERNAL_SQL_WHERE_H_

#include <cstddef>
#include <string_view>

#include "stdlib/internal/sql_keywords.h"
#include "stdlib/internal/sql_lexer.h"

namespace writ::stdlib::internal {

// Follows one clause token by token. The clause is an OR of ANDs of terms at its own
// parenthesis depth; it is trivially true when some disjunct has only trivially true terms.
// Terms with more than a few tokens are never trivially true.
class TrivialWhere {
 public:
  explicit TrivialWhere(std::string_view text) : text_(text) {}

  // Starts a clause whose WHERE is at parenthesis depth `depth`.
  void Start(size_t depth);
  bool active() const { return active_; }
  size_t depth() const { return depth_; }

  enum class Feed {
    kConsumed,  // AND or OR of the clause
    kTerm,      // part of a term; the caller processes it too
    kEnded,     // a keyword that ends the clause (RETURNING, ORDER, LIMIT, ...); call Finish
  };
  // Takes the next token of the clause, at parenthesis depth `depth`, whose keyword is `kw`.
  // Parentheses and ';' are not fed.
  Feed Take(const Token& t, Kw kw, size_t depth);

  // Ends the clause; returns whether it was trivially true.
  bool Finish();

 private:
  static constexpr int kMaxTerm = 4;

  void EndTerm();
  bool TermIsTrue() const;
  bool NonZeroNumber(const Token& t) const;
  bool SameOperand(int a, int b) const;
  std::string_view Text(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }

  std::string_view text_;
  bool active_ = false;
  size_t depth_ = 0;
  Token term_[kMaxTerm];
  Kw term_kw_[kMaxTerm] = {};
  int term_len_ = 0;
  bool term_overflow_ = false;
  bool disjunct_true_ = true;
  bool clause_true_ = false;
};

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_SQL_WHERE_H_
