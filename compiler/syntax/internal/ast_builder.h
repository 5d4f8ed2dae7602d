// The parse tree -> AST conversion. This header names ANTLR's generated context types, so it
// is private to compiler/syntax: writ_grammar is a PRIVATE dependency of writ_syntax, and no
// target outside this folder can include it.
#ifndef WRIT_COMPILER_SYNTAX_INTERNAL_AST_BUILDER_H_
#define WRIT_COMPILER_SYNTAX_INTERNAL_AST_BUILDER_H_

#include <string_view>
#include <vector>

#include "WritParser.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace writ::syntax::internal {

using P = grammar::WritParser;

// Maps ANTLR's code point indexes to the byte offsets that spans use.
class TokenLocator {
 public:
  // `offsets[i]` is the byte offset of code point i; the last entry is the end of the text.
  TokenLocator(FileId file, std::string_view text, const std::vector<uint32_t>& offsets)
      : file_(file), text_(text), offsets_(offsets) {}

  FileId file() const { return file_; }
  // The bytes a token covers; empty for EOF and for tokens error recovery made up.
  Span SpanOf(const antlr4::Token* token) const;
  // From the first token of a rule to its last; empty at the start token if it matched nothing.
  Span SpanOf(const antlr4::ParserRuleContext* ctx) const;
  Span SpanOf(antlr4::tree::TerminalNode* node) const { return SpanOf(node->getSymbol()); }
  // The source text of a span (exact bytes, not re-encoded by ANTLR).
  std::string_view Text(Span span) const { return text_.substr(span.begin, span.end - span.begin); }
  std::string_view Text(const antlr4::Token* token) const { return Text(SpanOf(token)); }
  std::string_view Text(antlr4::tree::TerminalNode* node) const { return Text(SpanOf(node)); }
  std::string_view text() const { return text_; }

 private:
  uint32_t Offset(size_t code_point) const;

  FileId file_;
  std::string_view text_;
  const std::vector<uint32_t>& offsets_;
};

// Builds AST nodes from the contexts of declarations that parsed without errors. Literal
// problems (bad escapes, out-of-range numbers, decimals without currency) are diagnosed here.
class AstBuilder {
 public:
  AstBuilder(File& file, const TokenLocator& locator, std::vector<diag::Diagnostic>& diagnostics,
             int max_expr_depth)
      : file_(file), locator_(locator), diagnostics_(diagnostics), max_expr_depth_(max_expr_depth) {}

  // Each Add* converts one top-level item into `file`. On a literal error or a tree that error
  // recovery left incomplete it adds nothing (the arenas are rolled back) and returns false.
  bool AddPackage(P::PackageDeclContext* ctx);
  bool AddImport(P::ImportDeclContext* ctx);
  bool AddDecl(P::DeclContext* ctx);

 private:
  // Thrown when the tree lacks a node that the grammar requires, which only happens after
  // error recovery; the declaration is then dropped.
  struct Malformed {};

  template <typename Fn>
  bool Transaction(Fn&& fn);
  template <typename T>
  static T* Need(T* node) {
    if (node == nullptr) throw Malformed{};
    if constexpr (std::is_base_of_v<antlr4::ParserRuleContext, T>) {
      if (node->exception != nullptr) throw Malformed{};
    }
    return node;
  }
  void Error(diag::Diagnostic diagnostic);

  // ---- declarations (build_decls.cc) --------------------------------------------------------
  Decl BuildDecl(P::DeclContext* ctx);
  EntityDecl BuildEntity(P::EntityDeclContext* ctx);
  EnumDecl BuildEnum(P::EnumDeclContext* ctx);
  AgentDecl BuildAgent(P::AgentDeclContext* ctx);
  AgentMember BuildAgentMember(P::AgentMemberContext* ctx);
  CredentialDecl BuildCredential(P::CredentialDeclContext* ctx);
  ToolDecl BuildTool(P::ToolDeclContext* ctx);
  RuleDecl BuildRule(P::RuleDeclContext* ctx);
  RuleClause BuildRuleClause(P::RuleClauseContext* ctx);
  LimitDecl BuildLimit(P::LimitDeclContext* ctx);
  BudgetDecl BuildBudget(P::BudgetDeclContext* ctx);
  BudgetClause BuildBudgetClause(P::BudgetClauseContext* ctx);
  RateDecl BuildRate(P::RateDeclContext* ctx);
  PoolDecl BuildPool(P::PoolDeclContext* ctx);
  OutputDecl BuildOutput(P::OutputDeclContext* ctx);
  TestDecl BuildTest(P::TestDeclContext* ctx);
  TestStmt BuildTestStmt(P::TestStmtContext* ctx);
  RuleHead BuildHead(P::LabelContext* label, const std::vector<P::ModifierContext*>& modifiers);
  std::vector<AttrDecl> BuildAttrs(P::AttrListContext* ctx);  // null -> none
  AttrDecl BuildAttr(P::AttrDeclContext* ctx);
  TypeId BuildType(P::TypeContext* ctx);
  std::vector<QualifiedName> BuildNames(P::NameListContext* ctx);  // null -> none
  std::vector<QualifiedName> BuildFor(P::ForClauseContext* ctx);   // null -> none
  std::optional<StringNode> BuildBecause(P::BecauseClauseContext* ctx);
  Phase BuildPhase(P::PhaseContext* ctx);

  // ---- expressions and leaves (build_exprs.cc) ----------------------------------------------
  ExprId BuildExpr(P::ExprContext* ctx);
  ExprId BuildExprKind(P::ExprContext* ctx);
  ExprId BuildPrimary(P::PrimaryContext* ctx);
  ExprId AddExpr(Span span, decltype(Expr::kind) kind);
  std::vector<FieldInit> BuildFields(P::FieldInitsContext* ctx);  // null -> none
  Name BuildName(antlr4::ParserRuleContext* ctx);  // an ident, or a rule that spells a name
  QualifiedName BuildQualifiedName(P::QualifiedNameContext* ctx);
  ToolPattern BuildToolPattern(P::ToolPatternContext* ctx);
  std::vector<ToolPattern> BuildToolPatterns(P::ToolPatternsContext* ctx);
  EntityRefNode BuildEntityRef(P::EntityRefContext* ctx);
  StringNode BuildString(antlr4::tree::TerminalNode* node);
  std::vector<StringNode> BuildStringList(P::StringListContext* ctx);
  IntNode BuildInt(antlr4::tree::TerminalNode* node);
  DurationNode BuildDuration(antlr4::tree::TerminalNode* node);
  MoneyLit BuildMoney(antlr4::tree::TerminalNode* node);
  PercentNode BuildPercent(antlr4::tree::TerminalNode* node);

  File& file_;
  const TokenLocator& locator_;
  std::vector<diag::Diagnostic>& diagnostics_;
  int max_expr_depth_;
  int expr_depth_ = 0;
  bool failed_ = false;  // the item being built has a literal error
};

}  // namespace writ::syntax::internal

#endif  // WRIT_COMPILER_SYNTAX_INTERNAL_AST_BUILDER_H_
