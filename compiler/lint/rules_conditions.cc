// L0001: conditions that can never hold. A condition is read as a conjunction of literals
// (`and`, `not` and De Morgan pushed through); comparisons of one operand with constants narrow
// that operand's interval (int, money, duration and timestamp values are all integers, so `>`
// becomes `>=` the next value) or its set of possible values (strings, enum members), and a
// disjunction contradicts when every alternative does. Everything else is opaque and assumed
// satisfiable, so the rule only reports what it can prove.
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

using syntax::BinaryOp;

constexpr int kMaxDepth = 32;  // nested disjunctions explored; deeper ones are assumed to hold

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNe || op == BinaryOp::kLt ||
         op == BinaryOp::kLe || op == BinaryOp::kGt || op == BinaryOp::kGe;
}

BinaryOp Negate(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq: return BinaryOp::kNe;
    case BinaryOp::kNe: return BinaryOp::kEq;
    case BinaryOp::kLt: return BinaryOp::kGe;
    case BinaryOp::kLe: return BinaryOp::kGt;
    case BinaryOp::kGt: return BinaryOp::kLe;
    case BinaryOp::kGe: return BinaryOp::kLt;
    default: return op;
  }
}

// `c < x` is `x > c`.
BinaryOp Mirror(BinaryOp op) {
  switch (op) {
    case BinaryOp::kLt: return BinaryOp::kGt;
    case BinaryOp::kLe: return BinaryOp::kGe;
    case BinaryOp::kGt: return BinaryOp::kLt;
    case BinaryOp::kGe: return BinaryOp::kLe;
    default: return op;
  }
}

// A constant side of a comparison: a folded number, or a value known only by its spelling.
struct ConstantValue {
  bool number = false;
  int64_t value = 0;
  std::string domain;  // numbers: type and currency, so `5 USD` and `5 EUR` never meet
  std::string text;    // canonical spelling, also the identity of a non-number
};

// `operand OP constant`, normalized so that the operand is on the left.
struct Atom {
  std::string operand;
  BinaryOp op;
  ConstantValue constant;
  Span span;

  std::string Text() const {
    return "`" + operand + " " + syntax::Spelling(op) + " " + constant.text + "`";
  }
};

struct Conflict {
  std::vector<Atom> atoms;
  std::string detail;  // when not explained by atoms
  Span span;
};

struct Interval {
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max();
  std::optional<Atom> lo_atom, hi_atom;
  std::vector<Atom> excluded;
};

struct Points {
  std::optional<Atom> equal;
  std::vector<Atom> unequal;
};

// What the literals so far say about each operand.
class Store {
 public:
  // An expression the solver does not look into, required to be `positive`.
  std::optional<Conflict> AddOpaque(const std::string& key, bool positive, Span span) {
    auto [it, inserted] = opaque_.try_emplace(key, positive);
    if (inserted || it->second == positive) return std::nullopt;
    return Conflict{{}, "`" + key + "` is required both to hold and not to hold", span};
  }

  std::optional<Conflict> Add(const Atom& atom) {
    std::string key = atom.operand + "\x1f" + atom.constant.domain;
    if (!atom.constant.number) return AddPoint(points_[key], atom);
    return AddNumber(intervals_[key], atom);
  }

 private:
  static std::optional<Conflict> AddPoint(Points& p, const Atom& atom) {
    if (atom.op == BinaryOp::kEq) {
      if (p.equal && p.equal->constant.text != atom.constant.text) {
        return Conflict{{*p.equal, atom}, "", atom.span};
      }
      for (const Atom& u : p.unequal) {
        if (u.constant.text == atom.constant.text) return Conflict{{u, atom}, "", atom.span};
      }
      p.equal = atom;
    } else if (atom.op == BinaryOp::kNe) {
      if (p.equal && p.equal->constant.text == atom.constant.text) {
        return Conflict{{*p.equal, atom}, "", atom.span};
      }
      p.unequal.push_back(atom);
    }
    // Ordering of strings is left to the opaque part: rare in conditions and easy to misread.
    return std::nullopt;
  }

  static std::optional<Conflict> AddNumber(Interval& r, const Atom& atom) {
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    int64_t c = atom.constant.value;
    auto raise = [&](int64_t lo) {
      if (lo > r.lo || !r.lo_atom) {
        r.lo = std::max(r.lo, lo);
        r.lo_atom = atom;
      }
    };
    auto lower = [&](int64_t hi) {
      if (hi < r.hi || !r.hi_atom) {
        r.hi = std::min(r.hi, hi);
        r.hi_atom = atom;
      }
    };
    switch (atom.op) {
      case BinaryOp::kGt:
        if (c == kMax) return Conflict{{atom}, "", atom.span};
        raise(c + 1);
        break;
      case BinaryOp::kGe: raise(c); break;
      case BinaryOp::kLt:
        if (c == kMin) return Conflict{{atom}, "", atom.span};
        lower(c - 1);
        break;
      case BinaryOp::kLe: lower(c); break;
      case BinaryOp::kEq:
        raise(c);
        lower(c);
        break;
      case BinaryOp::kNe: r.excluded.push_back(atom); break;
      default: break;
    }
    if (r.lo > r.hi) {
      std::vector<Atom> atoms;
      if (r.lo_atom) atoms.push_back(*r.lo_atom);
      if (r.hi_atom && !(r.lo_atom && r.hi_atom->span == r.lo_atom->span)) {
        atoms.push_back(*r.hi_atom);
      }
      return Conflict{atoms, "", atom.span};
    }
    if (r.lo == r.hi) {
      for (const Atom& e : r.excluded) {
        if (e.constant.value != r.lo) continue;
        std::vector<Atom> atoms;
        if (r.lo_atom) atoms.push_back(*r.lo_atom);
        if (r.hi_atom && !(r.lo_atom && r.hi_atom->span == r.lo_atom->span)) {
          atoms.push_back(*r.hi_atom);
        }
        atoms.push_back(e);
        return Conflict{atoms, "", atom.span};
      }
    }
    return std::nullopt;
  }

  std::map<std::string, Interval> intervals_;
  std::map<std::string, Points> points_;
  std::map<std::string, bool> opaque_;
};

class Solver {
 public:
  Solver(const Context& ctx, FileId file) : ctx_(ctx), file_(file), f_(ctx.file(file)) {}

  // Splits `expr` (which must be `positive`) into the literals of a conjunction.
  void Flatten(syntax::ExprId expr, bool positive, std::vector<Literal>& out) const {
    expr = ctx_.Unparen(file_, expr);
    const syntax::Expr& e = f_.expr(expr);
    if (const auto* b = std::get_if<syntax::BinaryExpr>(&e.kind)) {
      if ((b->op == BinaryOp::kAnd && positive) || (b->op == BinaryOp::kOr && !positive)) {
        Flatten(b->lhs, positive, out);
        Flatten(b->rhs, positive, out);
        return;
      }
    }
    if (const auto* u = std::get_if<syntax::UnaryExpr>(&e.kind);
        u != nullptr && u->op == syntax::UnaryOp::kNot) {
      Flatten(u->operand, !positive, out);
      return;
    }
    out.push_back({expr, positive});
  }

  // The first contradiction among `literals`, given what `store` already knows.
  std::optional<Conflict> Solve(const std::vector<Literal>& literals, Store store,
                                int depth) const {
    std::vector<Literal> disjunctions;
    for (const Literal& literal : literals) {
      const syntax::Expr& e = f_.expr(literal.expr);
      if (const auto* lit = std::get_if<syntax::BoolLit>(&e.kind)) {
        if (lit->value != literal.positive) {
          return Conflict{{}, std::string("`") + (lit->value ? "not true" : "false") +
                                  "` never holds", e.span};
        }
        continue;
      }
      const auto* b = std::get_if<syntax::BinaryExpr>(&e.kind);
      if (b != nullptr && (b->op == BinaryOp::kAnd || b->op == BinaryOp::kOr)) {
        disjunctions.push_back(literal);
        continue;
      }
      if (b == nullptr || !IsComparison(b->op)) {
        // Opaque: only the same expression required both true and false contradicts.
        if (std::optional<Conflict> conflict = store.AddOpaque(ctx_.Key(file_, literal.expr),
                                                               literal.positive, e.span)) {
          return conflict;
        }
        continue;
      }
      if (std::optional<Conflict> conflict = AddComparison(*b, e.span, literal.positive, store)) {
        return conflict;
      }
    }
    if (depth >= kMaxDepth) return std::nullopt;
    for (const Literal& d : disjunctions) {
      std::vector<Literal> alternatives;  // each must be `positive` for the disjunction to hold
      CollectAlternatives(d.expr, d.positive, alternatives);
      bool every_alternative_fails = true;
      for (const Literal& alternative : alternatives) {
        std::vector<Literal> conjunction;
        Flatten(alternative.expr, alternative.positive, conjunction);
        if (!Solve(conjunction, store, depth + 1)) {
          every_alternative_fails = false;
          break;
        }
      }
      if (every_alternative_fails) {
        return Conflict{{}, "no alternative of this `or` is compatible with the rest of the condition",
                        f_.expr(d.expr).span};
      }
    }
    return std::nullopt;
  }

 private:
  // The alternatives of `a or b or ...` (or of `not (a and b ...)`).
  void CollectAlternatives(syntax::ExprId expr, bool positive, std::vector<Literal>& out) const {
    expr = ctx_.Unparen(file_, expr);
    const syntax::Expr& e = f_.expr(expr);
    if (const auto* b = std::get_if<syntax::BinaryExpr>(&e.kind)) {
      if ((b->op == BinaryOp::kOr && positive) || (b->op == BinaryOp::kAnd && !positive)) {
        CollectAlternatives(b->lhs, positive, out);
        CollectAlternatives(b->rhs, positive, out);
        return;
      }
    }
    out.push_back({expr, positive});
  }

  std::optional<ConstantValue> ConstantOf(syntax::ExprId id) const {
    id = ctx_.Unparen(file_, id);
    const check::ExprFacts& facts = ctx_.program().facts({file_, id});
    ConstantValue out;
    out.text = ctx_.Key(file_, id);
    if (facts.constant) {
      out.number = true;
      out.value = facts.constant->value;
      out.domain = std::to_string(static_cast<int>(facts.constant->kind)) + facts.constant->currency;
      return out;
    }
    const syntax::Expr& e = f_.expr(id);
    if (std::holds_alternative<syntax::StringLit>(e.kind) ||
        std::holds_alternative<syntax::BoolLit>(e.kind) ||
        std::holds_alternative<check::resolved::EnumMember>(facts.resolution)) {
      out.domain = "point";
      return out;
    }
    return std::nullopt;
  }

  std::optional<Conflict> AddComparison(const syntax::BinaryExpr& b, Span span, bool positive,
                                        Store& store) const {
    std::optional<ConstantValue> lhs = ConstantOf(b.lhs);
    std::optional<ConstantValue> rhs = ConstantOf(b.rhs);
    BinaryOp op = positive ? b.op : Negate(b.op);
    if (lhs && rhs) return CompareConstants(*lhs, op, *rhs, span);
    if (!lhs && !rhs) return std::nullopt;
    Atom atom;
    atom.span = span;
    if (rhs) {
      atom.operand = ctx_.Key(file_, b.lhs);
      atom.op = op;
      atom.constant = *rhs;
    } else {
      atom.operand = ctx_.Key(file_, b.rhs);
      atom.op = Mirror(op);
      atom.constant = *lhs;
    }
    if (!atom.constant.number && atom.op != BinaryOp::kEq && atom.op != BinaryOp::kNe) {
      return std::nullopt;
    }
    return store.Add(atom);
  }

  // A comparison of two constants (`1 > 2`, `"a" == "b"`) that the required polarity defeats.
  static std::optional<Conflict> CompareConstants(const ConstantValue& a, BinaryOp op,
                                                  const ConstantValue& b, Span span) {
    if (a.domain != b.domain) return std::nullopt;
    bool holds = true;
    if (a.number) {
      switch (op) {
        case BinaryOp::kEq: holds = a.value == b.value; break;
        case BinaryOp::kNe: holds = a.value != b.value; break;
        case BinaryOp::kLt: holds = a.value < b.value; break;
        case BinaryOp::kLe: holds = a.value <= b.value; break;
        case BinaryOp::kGt: holds = a.value > b.value; break;
        case BinaryOp::kGe: holds = a.value >= b.value; break;
        default: return std::nullopt;
      }
    } else if (op == BinaryOp::kEq || op == BinaryOp::kNe) {
      holds = (a.text == b.text) == (op == BinaryOp::kEq);
    } else {
      return std::nullopt;
    }
    if (holds) return std::nullopt;
    return Conflict{{}, "`" + a.text + " " + syntax::Spelling(op) + " " + b.text + "` is always false",
                    span};
  }

  const Context& ctx_;
  FileId file_;
  const syntax::File& f_;
};

std::string Describe(const Conflict& conflict) {
  if (conflict.atoms.empty()) return conflict.detail;
  if (conflict.atoms.size() == 1) return conflict.atoms[0].Text() + " is always false";
  std::string out;
  for (size_t i = 0; i < conflict.atoms.size(); ++i) {
    if (i > 0) out += i + 1 == conflict.atoms.size() ? " and " : ", ";
    out += conflict.atoms[i].Text();
  }
  return out + (conflict.atoms.size() == 2 ? " cannot both be true" : " cannot all be true");
}

std::string_view Consequence(check::Effect effect) {
  switch (effect) {
    case check::Effect::kPermit: return "the rule never matches, so it permits nothing";
    case check::Effect::kForbid: return "the rule never matches, so it forbids nothing";
    case check::Effect::kRequireApproval:
      return "the rule never matches, so it never asks for approval";
  }
  return "the rule never matches";
}

// Whether `expr`, required to be `positive`, bounds `args.<param>` from above.
bool Caps(const Context& ctx, FileId file, syntax::ExprId expr, bool positive,
          std::string_view param) {
  expr = ctx.Unparen(file, expr);
  const syntax::Expr& e = ctx.file(file).expr(expr);
  if (const auto* u = std::get_if<syntax::UnaryExpr>(&e.kind);
      u != nullptr && u->op == syntax::UnaryOp::kNot) {
    return Caps(ctx, file, u->operand, !positive, param);
  }
  const auto* b = std::get_if<syntax::BinaryExpr>(&e.kind);
  if (b == nullptr) return false;
  if (b->op == BinaryOp::kAnd || b->op == BinaryOp::kOr) {
    return Caps(ctx, file, b->lhs, positive, param) || Caps(ctx, file, b->rhs, positive, param);
  }
  if (!IsComparison(b->op)) return false;
  auto is_param = [&](syntax::ExprId side) {
    const auto* p = std::get_if<check::resolved::Param>(
        &ctx.program().facts({file, ctx.Unparen(file, side)}).resolution);
    return p != nullptr && p->name == param;
  };
  BinaryOp op = positive ? b->op : Negate(b->op);
  if (is_param(b->lhs) && (op == BinaryOp::kGt || op == BinaryOp::kGe)) return true;
  return is_param(b->rhs) && (op == BinaryOp::kLt || op == BinaryOp::kLe);
}

}  // namespace

std::vector<Literal> Conjuncts(const Context& ctx, FileId file, syntax::ExprId expr, bool positive) {
  std::vector<Literal> out;
  Solver(ctx, file).Flatten(expr, positive, out);
  return out;
}

bool Unsatisfiable(const Context& ctx, FileId file, const std::vector<Literal>& literals) {
  Solver solver(ctx, file);
  std::vector<Literal> flat;
  for (const Literal& literal : literals) solver.Flatten(literal.expr, literal.positive, flat);
  return solver.Solve(flat, Store(), 0).has_value();
}

bool CapsParam(const Context& ctx, check::ExprRef condition, std::string_view param) {
  return Caps(ctx, condition.file, condition.expr, true, param);
}

void CheckContradictions(const Context& ctx, diag::Consumer& out) {
  for (const check::Rule& rule : ctx.program().rules) {
    if (!rule.condition) continue;
    Solver solver(ctx, rule.condition->file);
    std::vector<Literal> literals;
    solver.Flatten(rule.condition->expr, true, literals);
    std::optional<Conflict> conflict = solver.Solve(literals, Store(), 0);
    if (!conflict) continue;
    const syntax::Expr& condition = ctx.file(rule.condition->file).expr(rule.condition->expr);
    diag::Builder finding =
        diag::Make(diag::Code::kContradictoryCondition, condition.span, Describe(*conflict));
    for (const Atom& atom : conflict->atoms) finding.Label(atom.span, atom.Text());
    if (conflict->atoms.empty() && !(conflict->span == condition.span)) {
      finding.Label(conflict->span, "this part");
    }
    finding.Note(std::string(Consequence(rule.effect)));
    out.Handle(finding);
  }
}

}  // namespace writ::lint::internal
