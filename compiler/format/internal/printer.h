// The formatter's walk over the AST: decides each construct's layout (one line or broken) and
// hands its tokens, in source order, to the Writer, which places the comments between them.
// Layout depends only on the tokens, on which constructs contain comments, and on widths, never
// on how the source was laid out: that is what makes the output a fixed point.
#ifndef WRIT_COMPILER_FORMAT_INTERNAL_PRINTER_H_
#define WRIT_COMPILER_FORMAT_INTERNAL_PRINTER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/format/internal/writer.h"
#include "compiler/syntax/ast.h"

namespace writ::format::internal {

// "50000   USD" as "50000 USD": the amount as written, one space, the currency code.
std::string NormalizeMoney(std::string_view text);

class Printer {
 public:
  Printer(const SourceManager& sources, const syntax::File& file);
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  // Formats the whole file.
  std::string Run();

 private:
  using ItemFn = std::function<void(size_t)>;

  // ---- declarations (print_decls.cc) ----
  void Decl(const syntax::Decl& decl);
  void Entity(const syntax::Decl& decl, const syntax::EntityDecl& entity);
  void Enum(const syntax::Decl& decl, const syntax::EnumDecl& decl_enum);
  void Agent(const syntax::AgentDecl& agent);
  void AgentMember(const syntax::AgentMember& member);
  void Tool(const syntax::Decl& decl, const syntax::ToolDecl& tool);
  void ToolFirstLine(const syntax::ToolDecl& tool);

  // ---- rules and their relatives (print_rules.cc) ----
  void Rule(const syntax::Decl& decl, const syntax::RuleDecl& rule);
  void Clause(const syntax::RuleClause& clause);
  void Limit(const syntax::Decl& decl, const syntax::LimitDecl& limit);
  void Budget(const syntax::Decl& decl, const syntax::BudgetDecl& budget);
  void Rate(const syntax::Decl& decl, const syntax::RateDecl& rate);
  void Pool(const syntax::PoolDecl& pool);
  void Output(const syntax::OutputDecl& output);
  void Head(const syntax::RuleHead& head);
  // Writes `head` and then `for Principals`: on the head's line, or on a line of its own
  // (indented like a clause) when the declaration is `broken` and the head is too wide.
  void HeadAndPrincipals(const std::function<void()>& head,
                         const std::vector<syntax::QualifiedName>& principals, bool broken);
  void Principals(const std::vector<syntax::QualifiedName>& principals, bool own_line);
  void Amount(const syntax::AmountNode& amount);
  // `because "..."` of limits and rates: on the head's line, or on its own when `broken`.
  void Reason(const std::optional<syntax::StringNode>& reason, bool broken);

  // ---- tests (print_tests.cc) ----
  void Test(const syntax::TestDecl& test);
  void TestStmt(const syntax::TestStmt& stmt);
  void EntityRef(const syntax::EntityRefNode& ref);
  void FieldInits(std::string_view open, std::string_view close, bool pad,
                  const std::vector<syntax::FieldInit>& fields, bool broken, int indent);

  // ---- expressions and types (print_exprs.cc) ----
  void Expr(syntax::ExprId id);
  // An expression that ends a clause line at `indent`: if it does not fit (or holds a
  // comment), it breaks before each top-level `and` / `or`, continuation lines indented one
  // level more than the clause.
  void ClauseExpr(syntax::ExprId id, int indent);
  void Type(syntax::TypeId id, int indent);
  void Attr(const syntax::AttrDecl& attr, int indent);
  void QualifiedName(const syntax::QualifiedName& name);
  void NameList(const std::vector<syntax::QualifiedName>& names);
  void Pattern(const syntax::ToolPattern& pattern);
  void Patterns(const std::vector<syntax::ToolPattern>& patterns);
  void String(const syntax::StringNode& string);
  void StringList(const std::vector<syntax::StringNode>& strings);

  // ---- tokens and layout (printer.cc) ----
  // A token the AST keeps no position for (keywords, punctuation): found in the source.
  void Tok(std::string_view text);
  // A token with a span; `text` is its canonical spelling.
  void Leaf(std::string_view text, Span span);
  // A separator the formatter writes whether or not the source had it (commas).
  void Sep(std::string_view text);
  void Space() { w_->Space(); }
  void NewLine(int indent) { w_->NewLine(indent); }
  // The source text of a span, for leaves whose AST text may be empty.
  std::string_view SourceText(Span span) const;

  bool HasCommentIn(Span span) const;
  // Whether `print` in flat layout fits on the current line.
  bool FitsFlat(const std::function<void()>& print);
  // Whether a construct spanning `span` must be broken: never while measuring a flat layout;
  // otherwise if it holds a comment or its flat layout does not fit.
  bool Breaks(Span span, const std::function<void()>& print);
  // Renders `print` into a scratch writer without comments, flat or with real layout decisions.
  std::string Render(const std::function<void()>& print, bool flat);
  // A `{ ... }` body of members, one per line at indent + kIndent; `{}` when empty.
  void Block(int indent, size_t count, const ItemFn& item);
  // A comma-separated list: `open a, b close` (with spaces inside when `pad`) or, when
  // `broken`, one item per line at indent + kIndent and `close` on its own line.
  void List(std::string_view open, std::string_view close, bool pad, size_t count,
            const ItemFn& item, bool broken, int indent);

  const SourceManager& sources_;
  const syntax::File& file_;
  Writer main_;
  Writer* w_;
  bool flat_ = false;  // measuring a flat layout: every construct stays on one line
};

}  // namespace writ::format::internal

#endif  // WRIT_COMPILER_FORMAT_INTERNAL_PRINTER_H_
