// Unary and binary operators: their typing rules, currency checks, and the folding of
// constant int, money, duration and timestamp arithmetic (overflow and division by zero are
// caught here rather than at evaluation).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compiler/check/internal/expr_checker.h"

namespace writ::check::internal {
namespace {

using diag::Code;
using syntax::BinaryOp;

bool IsArithmetic(BinaryOp op) {
  return op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul ||
         op == BinaryOp::kDiv || op == BinaryOp::kMod;
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNe || op == BinaryOp::kLt ||
         op == BinaryOp::kLe || op == BinaryOp::kGt || op == BinaryOp::kGe;
}

bool IsOrdered(TypeKind kind) {
  return kind == TypeKind::kInt || kind == TypeKind::kMoney || kind == TypeKind::kDuration ||
         kind == TypeKind::kTimestamp || kind == TypeKind::kString;
}

// Integer arithmetic on folded values; false on overflow. Division by zero is ruled out before.
bool Apply(BinaryOp op, int64_t a, int64_t b, int64_t& out) {
  switch (op) {
    case BinaryOp::kAdd: return !__builtin_add_overflow(a, b, &out);
    case BinaryOp::kSub: return !__builtin_sub_overflow(a, b, &out);
    case BinaryOp::kMul: return !__builtin_mul_overflow(a, b, &out);
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      if (a == std::numeric_limits<int64_t>::min() && b == -1) return false;
      out = op == BinaryOp::kDiv ? a / b : a % b;
      return true;
    default: return false;
  }
}

}  // namespace

Type ExprChecker::CheckUnary(syntax::ExprId id, const syntax::UnaryExpr& unary) {
  Type operand = Value(unary.operand);
  if (types().is_error(operand)) return TypeTable::Error();
  TypeKind kind = types().kind(operand);
  bool ok = unary.op == syntax::UnaryOp::kNot
                ? kind == TypeKind::kBool
                : kind == TypeKind::kInt || kind == TypeKind::kMoney || kind == TypeKind::kDuration;
  if (!ok) {
    ctx_.Report(diag::Make(Code::kBadUnaryOperand, expr(id).span, syntax::Spelling(unary.op),
                           TypeName(operand)));
    return TypeTable::Error();
  }
  const std::optional<Constant>& constant = facts(unary.operand).constant;
  if (unary.op == syntax::UnaryOp::kNeg && constant) {
    if (constant->value == std::numeric_limits<int64_t>::min()) {
      ctx_.Report(diag::Make(Code::kConstantOverflow, expr(id).span));
      return TypeTable::Error();
    }
    Constant negated = *constant;
    negated.value = -negated.value;
    facts(id).constant = negated;
  }
  return operand;
}

Type ExprChecker::CheckBinary(syntax::ExprId id, const syntax::BinaryExpr& binary) {
  if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr) {
    return CheckLogical(id, binary);
  }
  Type lhs = Value(binary.lhs);
  Type rhs = Value(binary.rhs);
  if (IsArithmetic(binary.op)) return CheckArithmetic(id, binary, lhs, rhs);
  if (IsComparison(binary.op)) return CheckComparison(id, binary, lhs, rhs);
  if (binary.op == BinaryOp::kIn) return CheckIn(id, binary, lhs, rhs);
  // `like`, whose glob is a constant like that of `text.like`.
  if (types().is_error(lhs) || types().is_error(rhs)) return TypeTable::Bool();
  if (lhs != TypeTable::String() || rhs != TypeTable::String()) {
    ctx_.Report(diag::Make(Code::kBadOperands, expr(id).span, syntax::Spelling(binary.op),
                           TypeName(lhs), TypeName(rhs)));
    return TypeTable::Error();
  }
  if (!CheckPattern(binary.rhs, stdlib::Pattern::kGlob, "the pattern of `like`")) {
    return TypeTable::Error();
  }
  return TypeTable::Bool();
}

Type ExprChecker::CheckLogical(syntax::ExprId id, const syntax::BinaryExpr& binary) {
  Type lhs = Value(binary.lhs);
  Type rhs;
  if (binary.op == BinaryOp::kAnd) {
    // `x has a and x.a ...`: the left side's guards hold while the right side is evaluated.
    size_t depth = guards_.size();
    CollectGuards(binary.lhs, guards_);
    rhs = Value(binary.rhs);
    guards_.resize(depth);
  } else {
    rhs = Value(binary.rhs);
  }
  if (types().is_error(lhs) || types().is_error(rhs)) return TypeTable::Bool();
  if (lhs != TypeTable::Bool() || rhs != TypeTable::Bool()) {
    ctx_.Report(diag::Make(Code::kBadOperands, expr(id).span, syntax::Spelling(binary.op),
                           TypeName(lhs), TypeName(rhs)));
    return TypeTable::Error();
  }
  return TypeTable::Bool();
}

bool ExprChecker::SameCurrency(syntax::ExprId id, Type lhs, Type rhs) {
  const std::string& a = types().data(lhs).currency;
  const std::string& b = types().data(rhs).currency;
  if (a.empty() || b.empty() || a == b) return true;
  ctx_.Report(diag::Make(Code::kCurrencyMismatch, expr(id).span, a, b));
  return false;
}

Type ExprChecker::CheckArithmetic(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs,
                                  Type rhs) {
  if (types().is_error(lhs) || types().is_error(rhs)) return TypeTable::Error();
  TypeKind l = types().kind(lhs);
  TypeKind r = types().kind(rhs);
  auto is = [&](TypeKind a, TypeKind b) { return l == a && r == b; };
  Type result = TypeTable::Error();
  bool ok = true;
  switch (binary.op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      if (is(TypeKind::kInt, TypeKind::kInt) || is(TypeKind::kDuration, TypeKind::kDuration) ||
          is(TypeKind::kTimestamp, TypeKind::kDuration)) {
        result = lhs;
      } else if (is(TypeKind::kMoney, TypeKind::kMoney)) {
        if (!SameCurrency(id, lhs, rhs)) return TypeTable::Error();
        result = types().Join(lhs, rhs);
      } else if (binary.op == BinaryOp::kSub && is(TypeKind::kTimestamp, TypeKind::kTimestamp)) {
        result = TypeTable::Duration();
      } else {
        ok = false;
      }
      break;
    case BinaryOp::kMul:
      if (is(TypeKind::kInt, TypeKind::kInt) || is(TypeKind::kMoney, TypeKind::kInt) ||
          is(TypeKind::kDuration, TypeKind::kInt)) {
        result = lhs;
      } else if (is(TypeKind::kInt, TypeKind::kMoney) || is(TypeKind::kInt, TypeKind::kDuration)) {
        result = rhs;
      } else {
        ok = false;
      }
      break;
    case BinaryOp::kDiv:
      ok = is(TypeKind::kInt, TypeKind::kInt) || is(TypeKind::kMoney, TypeKind::kInt);
      result = lhs;
      break;
    default:  // kMod
      ok = is(TypeKind::kInt, TypeKind::kInt);
      result = lhs;
      break;
  }
  if (!ok) {
    ctx_.Report(diag::Make(Code::kBadOperands, expr(id).span, syntax::Spelling(binary.op),
                           TypeName(lhs), TypeName(rhs)));
    return TypeTable::Error();
  }
  const std::optional<Constant>& divisor = facts(binary.rhs).constant;
  if ((binary.op == BinaryOp::kDiv || binary.op == BinaryOp::kMod) && divisor &&
      divisor->value == 0) {
    ctx_.Report(diag::Make(Code::kDivisionByZero, expr(id).span));
    return TypeTable::Error();
  }
  const std::optional<Constant>& a = facts(binary.lhs).constant;
  if (a && divisor) {
    int64_t value = 0;
    if (!Apply(binary.op, a->value, divisor->value, value)) {
      ctx_.Report(diag::Make(Code::kConstantOverflow, expr(id).span));
      return TypeTable::Error();
    }
    facts(id).constant = Constant{types().kind(result), value, types().data(result).currency};
  }
  return result;
}

Type ExprChecker::CheckComparison(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs,
                                  Type rhs) {
  if (types().is_error(lhs) || types().is_error(rhs)) return TypeTable::Bool();
  TypeKind l = types().kind(lhs);
  TypeKind r = types().kind(rhs);
  if (l == TypeKind::kMoney && r == TypeKind::kMoney && !SameCurrency(id, lhs, rhs)) {
    return TypeTable::Error();
  }
  if (binary.op == BinaryOp::kEq || binary.op == BinaryOp::kNe) {
    if (!types().Compatible(lhs, rhs)) {
      ctx_.Report(diag::Make(Code::kBadOperands, expr(id).span, syntax::Spelling(binary.op),
                             TypeName(lhs), TypeName(rhs)));
      return TypeTable::Error();
    }
    return TypeTable::Bool();
  }
  if (l != r || !IsOrdered(l)) {
    ctx_.Report(diag::Make(Code::kNotComparable, expr(id).span, TypeName(lhs), TypeName(rhs)));
    return TypeTable::Error();
  }
  return TypeTable::Bool();
}

Type ExprChecker::CheckIn(syntax::ExprId id, const syntax::BinaryExpr& binary, Type lhs,
                          Type rhs) {
  if (types().is_error(lhs) || types().is_error(rhs)) return TypeTable::Bool();
  TypeKind l = types().kind(lhs);
  TypeKind r = types().kind(rhs);
  bool ok = false;
  if (r == TypeKind::kEntity) {
    ok = l == TypeKind::kEntity;
  } else if (r == TypeKind::kSet) {
    Type element = types().data(rhs).element;
    TypeKind e = types().kind(element);
    if (l == TypeKind::kMoney && e == TypeKind::kMoney && !SameCurrency(id, lhs, element)) {
      return TypeTable::Error();
    }
    // An entity is in a set of entities if it is one of them or a descendant of one.
    ok = (l == TypeKind::kEntity && e == TypeKind::kEntity) || types().Compatible(lhs, element);
  } else {
    ctx_.Report(diag::Make(Code::kBadInOperand, expr(binary.rhs).span, TypeName(rhs)));
    return TypeTable::Error();
  }
  if (!ok) {
    ctx_.Report(diag::Make(Code::kBadOperands, expr(id).span, syntax::Spelling(binary.op),
                           TypeName(lhs), TypeName(rhs)));
    return TypeTable::Error();
  }
  return TypeTable::Bool();
}

}  // namespace writ::check::internal
