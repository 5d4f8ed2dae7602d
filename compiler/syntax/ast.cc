#include "compiler/syntax/ast.h"

namespace writ::syntax {
namespace {

template <typename Part>
std::string JoinParts(const std::vector<Part>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back('.');
    out += parts[i].text;
  }
  return out;
}

}  // namespace

std::string QualifiedName::Joined() const { return JoinParts(parts); }

std::string ToolPattern::Joined() const { return JoinParts(parts); }

bool ToolPattern::has_wildcard() const {
  for (const PatternPart& part : parts) {
    if (part.is_wildcard()) return true;
  }
  return false;
}

const char* Spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
    case BinaryOp::kIn: return "in";
    case BinaryOp::kLike: return "like";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kOr: return "or";
  }
  return "?";
}

const char* Spelling(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNeg: return "-";
    case UnaryOp::kNot: return "not";
  }
  return "?";
}

const char* Spelling(Modifier modifier) {
  switch (modifier) {
    case Modifier::kAdvisory: return "advisory";
    case Modifier::kSoft: return "soft";
    case Modifier::kHard: return "hard";
    case Modifier::kShadow: return "shadow";
  }
  return "?";
}

}  // namespace writ::syntax
