// Expressions, types and the small pieces (names, patterns, strings) every declaration uses.
// Expressions are written flat: single spaces around binary operators, none inside brackets,
// parentheses exactly where the source had them (ParenExpr), literals as written.
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "compiler/format/internal/printer.h"
#include "compiler/syntax/parser.h"

namespace writ::format::internal {
namespace {

bool IsChainOp(syntax::BinaryOp op) {
  return op == syntax::BinaryOp::kAnd || op == syntax::BinaryOp::kOr;
}

struct ChainLink {
  const char* op;  // null for the first operand
  syntax::ExprId operand;
};

// The operands of the top-level `and` / `or` chain of `id`, in source order, each with the
// operator before it. Parenthesised chains are operands: parentheses are never looked into.
void Chain(const syntax::File& file, syntax::ExprId id, const char* op,
           std::vector<ChainLink>& links) {
  const auto* binary = std::get_if<syntax::BinaryExpr>(&file.expr(id).kind);
  if (binary == nullptr || !IsChainOp(binary->op)) {
    links.push_back({op, id});
    return;
  }
  Chain(file, binary->lhs, op, links);
  Chain(file, binary->rhs, syntax::Spelling(binary->op), links);
}

}  // namespace

std::string NormalizeMoney(std::string_view text) {
  size_t blank = text.find_first_of(" \t");
  if (blank == std::string_view::npos) return std::string(text);
  size_t code = text.find_last_of(" \t") + 1;
  std::string out(text.substr(0, blank));
  out += ' ';
  out += text.substr(code);
  return out;
}

void Printer::Expr(syntax::ExprId id) {
  const syntax::Expr& expr = file_.expr(id);
  auto literal = [&](const std::string& text) {
    Leaf(text.empty() ? SourceText(expr.span) : std::string_view(text), expr.span);
  };
  std::visit(
      [&](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, syntax::IntLit> || std::is_same_v<T, syntax::DecimalLit> ||
                      std::is_same_v<T, syntax::DurationLit>) {
          literal(kind.text);
        } else if constexpr (std::is_same_v<T, syntax::MoneyLit>) {
          Leaf(NormalizeMoney(kind.text.empty() ? SourceText(expr.span) : kind.text), expr.span);
        } else if constexpr (std::is_same_v<T, syntax::StringLit>) {
          Leaf(syntax::QuoteString(kind.value), expr.span);
        } else if constexpr (std::is_same_v<T, syntax::BoolLit>) {
          Leaf(kind.value ? "true" : "false", expr.span);
        } else if constexpr (std::is_same_v<T, syntax::NameRef>) {
          Leaf(kind.name.text, kind.name.span);
        } else if constexpr (std::is_same_v<T, syntax::MemberExpr>) {
          Expr(kind.object);
          Tok(".");
          Leaf(kind.member.text, kind.member.span);
        } else if constexpr (std::is_same_v<T, syntax::CallExpr>) {
          Expr(kind.callee);
          Tok("(");
          for (size_t i = 0; i < kind.args.size(); ++i) {
            if (i > 0) {
              Sep(",");
              Space();
            }
            Expr(kind.args[i]);
          }
          Tok(")");
        } else if constexpr (std::is_same_v<T, syntax::EntityLit>) {
          Expr(kind.type);
          Tok("::");
          String(kind.id);
        } else if constexpr (std::is_same_v<T, syntax::UnaryExpr>) {
          Tok(syntax::Spelling(kind.op));
          if (kind.op == syntax::UnaryOp::kNot) Space();
          Expr(kind.operand);
        } else if constexpr (std::is_same_v<T, syntax::BinaryExpr>) {
          Expr(kind.lhs);
          Space();
          Tok(syntax::Spelling(kind.op));
          Space();
          Expr(kind.rhs);
        } else if constexpr (std::is_same_v<T, syntax::HasExpr>) {
          Expr(kind.object);
          Space();
          Tok("has");
          Space();
          Leaf(kind.attr.text, kind.attr.span);
        } else if constexpr (std::is_same_v<T, syntax::QuantExpr>) {
          Tok(kind.all ? "all" : "any");
          Space();
          Leaf(kind.var.text, kind.var.span);
          Space();
          Tok("in");
          Space();
          Expr(kind.domain);
          Tok(":");
          Space();
          Expr(kind.body);
        } else if constexpr (std::is_same_v<T, syntax::SetLit>) {
          List(
              "[", "]", /*pad=*/false, kind.elements.size(),
              [&](size_t i) { Expr(kind.elements[i]); }, /*broken=*/false, 0);
        } else if constexpr (std::is_same_v<T, syntax::RecordLit>) {
          FieldInits("{", "}", /*pad=*/true, kind.fields, /*broken=*/false, 0);
        } else {
          static_assert(std::is_same_v<T, syntax::ParenExpr>);
          Tok("(");
          Expr(kind.inner);
          Tok(")");
        }
      },
      expr.kind);
}

void Printer::ClauseExpr(syntax::ExprId id, int indent) {
  if (!Breaks(file_.expr(id).span, [&] { Expr(id); })) {
    Expr(id);
    return;
  }
  std::vector<ChainLink> links;
  Chain(file_, id, nullptr, links);
  for (const ChainLink& link : links) {
    if (link.op != nullptr) {
      NewLine(indent + kIndent);
      Tok(link.op);
      Space();
    }
    Expr(link.operand);
  }
}

void Printer::Type(syntax::TypeId id, int indent) {
  const syntax::TypeExpr& type = file_.type(id);
  if (const auto* named = std::get_if<syntax::NamedType>(&type.kind)) {
    QualifiedName(named->name);
    if (named->args.empty()) return;
    Tok("<");
    for (size_t i = 0; i < named->args.size(); ++i) {
      if (i > 0) {
        Sep(",");
        Space();
      }
      Type(named->args[i], indent);
    }
    Tok(">");
    return;
  }
  const auto& record = std::get<syntax::RecordType>(type.kind);
  bool broken = Breaks(type.span, [&] { Type(id, indent); });
  List(
      "{", "}", /*pad=*/true, record.fields.size(),
      [&](size_t i) { Attr(record.fields[i], indent + kIndent); }, broken, indent);
}

void Printer::Attr(const syntax::AttrDecl& attr, int indent) {
  Leaf(attr.name.text, attr.name.span);
  if (attr.optional) Tok("?");
  Tok(":");
  Space();
  Type(attr.type, indent);
}

void Printer::QualifiedName(const syntax::QualifiedName& name) {
  for (size_t i = 0; i < name.parts.size(); ++i) {
    if (i > 0) Tok(".");
    Leaf(name.parts[i].text, name.parts[i].span);
  }
}

void Printer::NameList(const std::vector<syntax::QualifiedName>& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      Sep(",");
      Space();
    }
    QualifiedName(names[i]);
  }
}

void Printer::Pattern(const syntax::ToolPattern& pattern) {
  for (size_t i = 0; i < pattern.parts.size(); ++i) {
    if (i > 0) Tok(".");
    Leaf(pattern.parts[i].text, pattern.parts[i].span);
  }
}

void Printer::Patterns(const std::vector<syntax::ToolPattern>& patterns) {
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (i > 0) {
      Sep(",");
      Space();
    }
    Pattern(patterns[i]);
  }
}

void Printer::String(const syntax::StringNode& string) {
  Leaf(syntax::QuoteString(string.value), string.span);
}

void Printer::StringList(const std::vector<syntax::StringNode>& strings) {
  List(
      "[", "]", /*pad=*/false, strings.size(), [&](size_t i) { String(strings[i]); },
      /*broken=*/false, 0);
}

}  // namespace writ::format::internal
