// Expressions by type: the operators of docs/language.md §5 and the standard library's
// functions over the leaves a scope can read.
#include <string>
#include <utility>
#include <vector>

#include "tests/diff/generator.h"

namespace writ::diff {

std::string Generator::Literal(Ty type) {
  static const std::vector<std::string> kInts = {"0", "1", "2", "3", "7", "100", "1000",
                                                 "9223372036854775807", "4611686018427387904"};
  static const std::vector<std::string> kMoney = {"0 USD", "1 USD", "10.5 USD", "100 USD",
                                                  "50000 USD", "0.0001 USD",
                                                  "922337203685477 USD"};
  static const std::vector<std::string> kStrings = {"\"\"", "\"a\"", "\"ACME Corp\"",
                                                    "\"#team-x\"", "\"bob@example.com\""};
  static const std::vector<std::string> kDurations = {"1ms", "30s", "15m", "1h", "7d",
                                                      "106751991d"};
  static const std::vector<std::string> kTimestamps = {
      "timestamp(\"2026-11-26T10:30:00Z\")", "timestamp(\"2026-01-01T00:00:00Z\")",
      "timestamp(\"9999-12-31T23:59:59Z\")", "timestamp(\"1970-01-01T00:00:00Z\")"};
  switch (type) {
    case Ty::kBool: return Chance(50) ? "true" : "false";
    case Ty::kInt: return Pick(kInts);
    case Ty::kMoney: return Pick(kMoney);
    case Ty::kString: return Pick(kStrings);
    case Ty::kDuration: return Pick(kDurations);
    case Ty::kTimestamp: return Pick(kTimestamps);
    case Ty::kLevel: return Chance(50) ? "Level.low" : "Level.high";
    case Ty::kUser: return Chance(50) ? "User::\"u1\"" : "User::\"u2\"";
    case Ty::kStrings: return Chance(30) ? "[\"\"]" : "[\"a\", \"b\", \"ACME Corp\"]";
    case Ty::kInts: return Chance(30) ? "[0]" : "[1, 2, 3]";
    case Ty::kUsers: return "[User::\"u1\"]";
  }
  return "true";
}

// A leaf of `type`: a literal, a quantifier's variable, a required parameter, an attribute of
// the principal or of what it acts for, a session fact, a field of the result; with
// `avoid_literal`, a literal only when nothing else has the type. `literal` says which it got.
std::string Generator::Leaf(Ty type, Scope& scope, bool avoid_literal, bool* literal) {
  std::vector<std::string> reads;
  for (const auto& [name, ty] : scope.variables) {
    if (ty == type) reads.push_back(name);
  }
  if (scope.tool != nullptr) {
    for (const Param& p : scope.tool->params) {
      if (p.optional) continue;
      if (p.type == type) reads.push_back("args." + p.name);
      if (p.type != Ty::kUser) continue;
      if (type == Ty::kInt) reads.push_back("args." + p.name + ".level");
      if (type == Ty::kMoney) reads.push_back("args." + p.name + ".cap");
      if (type == Ty::kString) reads.push_back("args." + p.name + ".name");
    }
  }
  for (const auto& [name, ty] : scope.variables) {
    if (ty == Ty::kUser && type == Ty::kInt) reads.push_back(name + ".level");
  }
  if (type == Ty::kInt) reads.push_back("principal.tier");
  if (type == Ty::kString) reads.push_back("principal.team");
  if (scope.bot) {
    if (type == Ty::kUser) reads.push_back("principal.acts_for");
    if (type == Ty::kMoney) reads.push_back("principal.acts_for.cap");
    if (type == Ty::kInt) reads.push_back("principal.acts_for.level");
    if (type == Ty::kString) reads.push_back("principal.acts_for.name");
    if (type == Ty::kLevel) reads.push_back("principal.acts_for.tier");
  }
  if (scope.session) {
    if (type == Ty::kInt) {
      reads.push_back("session.tokens_used");
      reads.push_back("session.tool_calls");
      reads.push_back("session.calls_in(1m)");
    }
    if (type == Ty::kMoney) reads.push_back("session.spent");
    if (type == Ty::kDuration) reads.push_back("session.elapsed");
    if (type == Ty::kTimestamp) {
      reads.push_back("session.now");
      reads.push_back("session.started_at");
    }
    if (type == Ty::kString) reads.push_back("session.task");
  }
  if (scope.result) {
    if (type == Ty::kInt) reads.push_back("result.rows");
    if (type == Ty::kString) reads.push_back("result.body");
  }
  bool chose = reads.empty() || (!avoid_literal && Chance(35));
  if (literal != nullptr) *literal = chose;
  return chose ? Literal(type) : Pick(reads);
}

std::string Generator::Expr(Ty type, int depth, Scope& scope, bool* constant) {
  if (constant != nullptr) *constant = false;
  if (type == Ty::kBool) return Bool(depth, scope);
  if (depth <= 0 || Chance(40)) return Leaf(type, scope, false, constant);
  // Two operands, never both constant.
  auto binary = [&](Ty left_type, const std::string& op, Ty right_type) {
    bool left_constant = false;
    bool right_constant = false;
    std::string left = Expr(left_type, depth - 1, scope, &left_constant);
    std::string right = Expr(right_type, depth - 1, scope, &right_constant);
    // A constant divisor may be zero, which the checker refuses (W0318) whatever the dividend.
    if (right_constant && (op == "/" || op == "%")) {
      right = Leaf(right_type, scope, true, &right_constant);
      static const std::string kNonZero = "7";
      if (right_constant) right = kNonZero;
    }
    if (left_constant && right_constant) {
      bool got = true;
      right = Leaf(right_type, scope, true, &got);
      if (got) {  // nothing but constants here
        if (constant != nullptr) *constant = true;
        return Literal(type);
      }
    }
    return "(" + left + " " + op + " " + right + ")";
  };
  auto unary = [&](const std::string& prefix, Ty operand, const std::string& suffix) {
    bool operand_constant = false;
    std::string inner = Expr(operand, depth - 1, scope, &operand_constant);
    if (operand_constant) inner = Leaf(operand, scope, true, &operand_constant);
    if (operand_constant) {
      if (constant != nullptr) *constant = true;
      return Literal(type);
    }
    return prefix + inner + suffix;
  };
  int choice = static_cast<int>(Below(100));
  switch (type) {
    case Ty::kInt: {
      static const std::vector<std::string> kOps = {"+", "-", "*", "/", "%"};
      if (choice < 50) return binary(Ty::kInt, Pick(kOps), Ty::kInt);
      if (choice < 58) return unary("(-", Ty::kInt, ")");
      if (choice < 68) return unary("size(", Pick(std::vector<Ty>{Ty::kStrings, Ty::kInts}), ")");
      if (choice < 78) return unary("text.length(", Ty::kString, ")");
      static const std::vector<std::string> kFields = {"hour", "weekday", "day", "month", "year"};
      return unary("time." + Pick(kFields) + "(", Ty::kTimestamp, ")");
    }
    case Ty::kMoney: {
      if (choice < 35) return binary(Ty::kMoney, Chance(50) ? "+" : "-", Ty::kMoney);
      if (choice < 50) return binary(Ty::kMoney, "*", Ty::kInt);
      if (choice < 55) return binary(Ty::kInt, "*", Ty::kMoney);
      if (choice < 65) return binary(Ty::kMoney, "/", Ty::kInt);
      if (choice < 72) return unary("(-", Ty::kMoney, ")");
      if (choice < 80) return unary("money.abs(", Ty::kMoney, ")");
      std::string a = Expr(Ty::kMoney, depth - 1, scope);
      std::string b = Expr(Ty::kMoney, depth - 1, scope);
      return std::string(Chance(50) ? "money.min(" : "money.max(") + a + ", " + b + ")";
    }
    case Ty::kDuration: {
      if (choice < 40) return binary(Ty::kDuration, Chance(50) ? "+" : "-", Ty::kDuration);
      if (choice < 60) return binary(Ty::kDuration, "*", Ty::kInt);
      if (choice < 70) return unary("(-", Ty::kDuration, ")");
      return binary(Ty::kTimestamp, "-", Ty::kTimestamp);
    }
    case Ty::kTimestamp: {
      if (choice < 60) return binary(Ty::kTimestamp, Chance(50) ? "+" : "-", Ty::kDuration);
      static const std::vector<std::string> kStarts = {"start_of_day", "start_of_week",
                                                       "start_of_month"};
      return unary("time." + Pick(kStarts) + "(", Ty::kTimestamp, ")");
    }
    case Ty::kString: {
      if (choice < 30) return unary(Chance(50) ? "text.lower(" : "text.upper(", Ty::kString, ")");
      if (choice < 40) return unary("pii.redact(", Ty::kString, ")");
      if (choice < 45) return unary("money.currency(", Ty::kMoney, ")");
      return Leaf(type, scope, false, constant);
    }
    case Ty::kStrings: {
      if (choice < 20) return unary("text.split(", Ty::kString, ", \" \")");
      if (choice < 30) return unary("sql.tables(", Ty::kString, ")");
      return Leaf(type, scope, false, constant);
    }
    default: return Leaf(type, scope, false, constant);
  }
}

}  // namespace writ::diff
