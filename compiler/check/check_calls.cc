// Calls: std module functions, the prelude's `timestamp` and `size`, and `session.calls_in`.
// Only these are callable; each is checked for its exact arity and argument types, and the
// constants that a call compiles once (timestamps, globs, regular expressions) are validated here.
#include <string>
#include <vector>

#include <re2/re2.h>

#include "compiler/check/internal/expr_checker.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

// Leap years in [0, year), counting year 0 (proleptic Gregorian calendar).
int64_t LeapYearsBefore(int64_t year) { return (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400; }

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to the given date.
int64_t DaysSinceEpoch(int64_t year, int month, int day) {
  int64_t days = 365 * (year - 1970) + LeapYearsBefore(year) - LeapYearsBefore(1970);
  for (int m = 1; m < month; ++m) days += DaysInMonth(year, m);
  return days + day - 1;
}

}  // namespace

const syntax::StringLit* StringLiteral(const syntax::File& file, syntax::ExprId id) {
  const syntax::Expr* e = &file.expr(id);
  while (const auto* paren = std::get_if<syntax::ParenExpr>(&e->kind)) e = &file.expr(paren->inner);
  return std::get_if<syntax::StringLit>(&e->kind);
}

std::optional<int64_t> ParseTimestamp(std::string_view text) {
  size_t pos = 0;
  auto number = [&](size_t width, int& out) {
    if (pos + width > text.size()) return false;
    out = 0;
    for (size_t i = 0; i < width; ++i) {
      char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += width;
    return true;
  };
  auto accept = [&](std::string_view choices) {
    if (pos < text.size() && choices.find(text[pos]) != std::string_view::npos) {
      ++pos;
      return true;
    }
    return false;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!number(4, year) || !accept("-") || !number(2, month) || !accept("-") || !number(2, day) ||
      !accept("Tt") || !number(2, hour) || !accept(":") || !number(2, minute) || !accept(":") ||
      !number(2, second)) {
    return std::nullopt;
  }
  int64_t millis = 0;
  if (accept(".")) {
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (!accept("Zz")) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hours = 0, offset_mins = 0;
    if (!number(2, offset_hours) || !accept(":") || !number(2, offset_mins) ||
        offset_hours > 23 || offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  }
  if (pos != text.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  int64_t minutes = (DaysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute - offset_minutes;
  return (minutes * 60 + second) * 1000 + millis;
}

ExprChecker::Item ExprChecker::CheckCall(syntax::ExprId id, const syntax::CallExpr& call) {
  Item callee = Check(call.callee);
  if (callee.kind != Item::Kind::kFunction) {
    if (callee.kind != Item::Kind::kValue || !types().is_error(callee.type)) {
      ctx_.Report(diag::Make(Code::kNotCallable, expr(call.callee).span, Text(call.callee)));
    }
    for (syntax::ExprId arg : call.args) Value(arg);
    return ValueItem(id, TypeTable::Error());
  }
  Type type = TypeTable::Error();
  if (const auto* function = std::get_if<resolved::StdFunction>(&callee.function)) {
    type = CheckStdCall(id, call, function->index);
  } else if (const auto* prelude = std::get_if<resolved::Prelude>(&callee.function)) {
    type = prelude->function == PreludeFunction::kTimestamp ? CheckTimestampCall(id, call)
                                                            : CheckSizeCall(id, call);
  } else {
    type = CheckCallsIn(id, call);
  }
  ExprFacts& f = facts(id);
  f.type = type;
  f.resolution = callee.function;
  Item item;
  item.type = type;
  return item;
}

bool ExprChecker::CheckArity(syntax::ExprId id, const syntax::CallExpr& call, size_t arity) {
  if (call.args.size() == arity) return true;
  ctx_.Report(diag::Make(Code::kWrongArgumentCount, expr(id).span, Text(call.callee), arity,
                         call.args.size()));
  for (syntax::ExprId arg : call.args) Value(arg);
  return false;
}

Type ExprChecker::CheckStdCall(syntax::ExprId id, const syntax::CallExpr& call,
                               uint32_t function) {
  const stdlib::Function& fn = stdlib::Functions()[function];
  auto to_type = [&](const stdlib::TypeSpec& spec) {
    Type type = TypeTable::Error();
    switch (spec.base) {
      case stdlib::BaseType::kBool: type = TypeTable::Bool(); break;
      case stdlib::BaseType::kInt: type = TypeTable::Int(); break;
      case stdlib::BaseType::kMoney: type = TypeTable::Money(); break;
      case stdlib::BaseType::kString: type = TypeTable::String(); break;
      case stdlib::BaseType::kDuration: type = TypeTable::Duration(); break;
      case stdlib::BaseType::kTimestamp: type = TypeTable::Timestamp(); break;
      case stdlib::BaseType::kEnum:
        type = types().Enum(ctx_.program.FindStdEnum(fn.module, spec.enum_name));
        break;
    }
    return spec.is_set ? types().SetOf(type) : type;
  };
  if (!CheckArity(id, call, fn.params.size())) return TypeTable::Error();
  bool ok = true;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const stdlib::Param& param = fn.params[i];
    if (types().is_error(Expect(call.args[i], to_type(param.type)))) {
      ok = false;
    } else if (param.pattern != stdlib::Pattern::kNone &&
               !CheckPattern(call.args[i], param.pattern,
                             "the `" + std::string(param.name) + "` argument of `" +
                                 Text(call.callee) + "`")) {
      ok = false;
    }
  }
  return ok ? to_type(fn.result) : TypeTable::Error();
}

bool ExprChecker::CheckPattern(syntax::ExprId arg, stdlib::Pattern pattern,
                               const std::string& what) {
  const syntax::StringLit* literal = StringLiteral(*scope_.file, arg);
  if (literal == nullptr) {
    ctx_.Report(diag::Make(Code::kNotConstant, expr(arg).span, what)
                    .Help("write it as a string literal, so it is compiled once"));
    return false;
  }
  // Every string is a glob; a regular expression must compile as the evaluators will compile
  // it, so that a typo is a diagnostic rather than a rule that fails closed on every request.
  if (pattern == stdlib::Pattern::kRegex) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 regex(literal->value, options);
    if (!regex.ok()) {
      ctx_.Report(diag::Make(Code::kInvalidRegex, expr(arg).span, regex.error())
                      .Help("regular expressions use RE2 syntax"));
      return false;
    }
  }
  return true;
}

Type ExprChecker::CheckTimestampCall(syntax::ExprId id, const syntax::CallExpr& call) {
  if (!CheckArity(id, call, 1)) return TypeTable::Error();
  syntax::ExprId arg = call.args[0];
  const syntax::StringLit* literal = StringLiteral(*scope_.file, arg);
  if (literal == nullptr) {
    ctx_.Report(diag::Make(Code::kNotConstant, expr(arg).span, "the argument of `timestamp`")
                    .Help("write an RFC 3339 timestamp such as \"2026-01-01T00:00:00Z\""));
    return TypeTable::Error();
  }
  Value(arg);
  std::optional<int64_t> millis = ParseTimestamp(literal->value);
  if (!millis) {
    ctx_.Report(diag::Make(Code::kBadTimestamp, expr(arg).span, literal->value));
    return TypeTable::Error();
  }
  facts(id).constant = Constant{TypeKind::kTimestamp, *millis, ""};
  return TypeTable::Timestamp();
}

Type ExprChecker::CheckSizeCall(syntax::ExprId id, const syntax::CallExpr& call) {
  if (!CheckArity(id, call, 1)) return TypeTable::Error();
  Type arg = Value(call.args[0]);
  if (types().is_error(arg)) return TypeTable::Error();
  if (types().kind(arg) != TypeKind::kSet) {
    ctx_.Report(diag::Make(Code::kTypeMismatch, expr(call.args[0]).span, "set<T>", TypeName(arg)));
    return TypeTable::Error();
  }
  return TypeTable::Int();
}

Type ExprChecker::CheckCallsIn(syntax::ExprId id, const syntax::CallExpr& call) {
  if (!CheckArity(id, call, 1)) return TypeTable::Error();
  syntax::ExprId arg = call.args[0];
  if (types().is_error(Expect(arg, TypeTable::Duration()))) return TypeTable::Error();
  const std::optional<Constant>& window = facts(arg).constant;
  if (!window) {
    ctx_.Report(diag::Make(Code::kNotConstant, expr(arg).span, "the window of `session.calls_in`")
                    .Help("write a duration such as `1h`"));
    return TypeTable::Error();
  }
  if (window->value <= 0) {
    ctx_.Report(diag::Make(Code::kNonPositiveDuration, expr(arg).span));
    return TypeTable::Error();
  }
  return TypeTable::Int();
}

}  // namespace writ::check::internal
