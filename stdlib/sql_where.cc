#include "stdlib/internal/sql_where.h"

#include "stdlib/internal/chars.h"

namespace writ::stdlib::internal {
namespace {

bool IsPunct(const Token& t, char c) { return t.kind == TokenKind::kPunct && t.punct == c; }

}  // namespace

void TrivialWhere::Start(size_t depth) {
  active_ = true;
  depth_ = depth;
  term_len_ = 0;
  term_overflow_ = false;
  disjunct_true_ = true;
  clause_true_ = false;
}

TrivialWhere::Feed TrivialWhere::Take(const Token& t, Kw kw, size_t depth) {
  if (depth == depth_ && t.kind == TokenKind::kWord) {
    switch (kw) {
      case Kw::kAnd:
        EndTerm();
        return Feed::kConsumed;
      case Kw::kOr:
        EndTerm();
        if (disjunct_true_) clause_true_ = true;
        disjunct_true_ = true;
        return Feed::kConsumed;
      case Kw::kReturning: case Kw::kOrder: case Kw::kLimit: case Kw::kGroup:
      case Kw::kOffset: case Kw::kFor:
        return Feed::kEnded;
      default:
        break;
    }
  }
  if (term_len_ < kMaxTerm) {
    term_[term_len_] = t;
    term_kw_[term_len_] = kw;
    ++term_len_;
  } else {
    term_overflow_ = true;
  }
  return Feed::kTerm;
}

bool TrivialWhere::Finish() {
  EndTerm();
  if (disjunct_true_) clause_true_ = true;
  active_ = false;
  return clause_true_;
}

void TrivialWhere::EndTerm() {
  if (term_overflow_ || !TermIsTrue()) disjunct_true_ = false;
  term_len_ = 0;
  term_overflow_ = false;
}

bool TrivialWhere::NonZeroNumber(const Token& t) const {
  if (t.kind != TokenKind::kNumber) return false;
  for (char c : Text(t)) {
    if (c >= '1' && c <= '9') return true;
    if (c == 'e' || c == 'E') break;
  }
  return false;
}

bool TrivialWhere::SameOperand(int a, int b) const {
  const Token& x = term_[a];
  const Token& y = term_[b];
  if (x.kind != y.kind || x.kind == TokenKind::kPunct || x.kind == TokenKind::kParam) {
    return false;
  }
  const std::string_view u = Text(x);
  const std::string_view v = Text(y);
  if (x.kind != TokenKind::kWord) return u == v;
  // A column equals itself (but NULL = NULL is not true); words compare without case.
  if (u.size() != v.size() || EqualsLower(u, "null")) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    if (ToLower(u[i]) != ToLower(v[i])) return false;
  }
  return true;
}

// TRUE, a non-zero number, NOT FALSE, NOT 0, or the same operand on both sides of =, ==, >=
// or <= (the lexer gives one token per operator character).
bool TrivialWhere::TermIsTrue() const {
  const Token* t = term_;
  switch (term_len_) {
    case 1:
      return term_kw_[0] == Kw::kTrue || NonZeroNumber(t[0]);
    case 2:
      return term_kw_[0] == Kw::kNot &&
             (term_kw_[1] == Kw::kFalse ||
              (t[1].kind == TokenKind::kNumber && !NonZeroNumber(t[1])));
    case 3:
      return IsPunct(t[1], '=') && SameOperand(0, 2);
    case 4:
      return (IsPunct(t[1], '=') || IsPunct(t[1], '>') || IsPunct(t[1], '<')) &&
             IsPunct(t[2], '=') && SameOperand(0, 3);
    default:
      return false;
  }
}

}  // namespace writ::stdlib::internal
