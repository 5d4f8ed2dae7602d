// Parse tree -> AST for expressions and the leaves every declaration shares: names, tool
// patterns, entity references and literals (whose decoding errors are diagnosed here).
#include <fmt/format.h>

#include "compiler/syntax/internal/ast_builder.h"
#include "compiler/syntax/internal/lexical.h"
#include "compiler/syntax/parser.h"

namespace writ::syntax::internal {

// ---- locations ------------------------------------------------------------------------------

uint32_t TokenLocator::Offset(size_t code_point) const {
  if (code_point >= offsets_.size()) return offsets_.back();
  return offsets_[code_point];
}

Span TokenLocator::SpanOf(const antlr4::Token* token) const {
  if (token == nullptr) return Span{file_, 0, 0};
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  uint32_t begin = Offset(start);
  // EOF and made-up tokens have stop < start (or no indexes at all): an empty span.
  if (stop == INVALID_INDEX || start == INVALID_INDEX || stop < start) return Span{file_, begin, begin};
  return Span{file_, begin, Offset(stop + 1)};
}

Span TokenLocator::SpanOf(const antlr4::ParserRuleContext* ctx) const {
  Span first = SpanOf(ctx->start);
  if (ctx->stop == nullptr || ctx->start == nullptr ||
      ctx->stop->getTokenIndex() < ctx->start->getTokenIndex()) {
    return Span{file_, first.begin, first.begin};
  }
  return Span::Cover(first, SpanOf(ctx->stop));
}

// ---- leaves ---------------------------------------------------------------------------------

Name AstBuilder::BuildName(antlr4::ParserRuleContext* ctx) {
  Need(ctx);
  Span span = locator_.SpanOf(ctx);
  return Name{std::string(locator_.Text(span)), span};
}

QualifiedName AstBuilder::BuildQualifiedName(P::QualifiedNameContext* ctx) {
  Need(ctx);
  QualifiedName name;
  for (P::IdentContext* part : ctx->ident()) name.parts.push_back(BuildName(part));
  if (name.parts.empty()) throw Malformed{};
  name.span = locator_.SpanOf(ctx);
  return name;
}

ToolPattern AstBuilder::BuildToolPattern(P::ToolPatternContext* ctx) {
  Need(ctx);
  ToolPattern pattern;
  for (P::PatternPartContext* part : ctx->patternPart()) {
    Span span = locator_.SpanOf(Need(part));
    pattern.parts.push_back(PatternPart{std::string(locator_.Text(span)), span});
  }
  if (pattern.parts.empty()) throw Malformed{};
  pattern.span = locator_.SpanOf(ctx);
  return pattern;
}

std::vector<ToolPattern> AstBuilder::BuildToolPatterns(P::ToolPatternsContext* ctx) {
  Need(ctx);
  std::vector<ToolPattern> patterns;
  for (P::ToolPatternContext* pattern : ctx->toolPattern()) patterns.push_back(BuildToolPattern(pattern));
  return patterns;
}

EntityRefNode AstBuilder::BuildEntityRef(P::EntityRefContext* ctx) {
  Need(ctx);
  EntityRefNode ref;
  ref.type = BuildQualifiedName(ctx->qualifiedName());
  ref.id = BuildString(ctx->STRING());
  ref.span = locator_.SpanOf(ctx);
  return ref;
}

std::vector<FieldInit> AstBuilder::BuildFields(P::FieldInitsContext* ctx) {
  std::vector<FieldInit> fields;
  if (ctx == nullptr) return fields;
  Need(ctx);
  for (P::FieldInitContext* field : ctx->fieldInit()) {
    Need(field);
    fields.push_back(FieldInit{BuildName(field->ident()), BuildExpr(field->expr()), locator_.SpanOf(field)});
  }
  return fields;
}

// ---- literals -------------------------------------------------------------------------------

StringNode AstBuilder::BuildString(antlr4::tree::TerminalNode* node) {
  Need(node);
  StringNode result;
  result.span = locator_.SpanOf(node);
  std::string_view text = locator_.Text(result.span);
  if (text.size() < 2) throw Malformed{};
  std::string_view body = text.substr(1, text.size() - 2);
  std::string bad_escape;
  size_t bad_offset = 0;
  if (!DecodeStringAt(body, result.value, bad_escape, bad_offset)) {
    uint32_t begin = result.span.begin + 1 + static_cast<uint32_t>(bad_offset);
    Error(diag::Make(diag::Code::kBadEscape, Span{result.span.file, begin, begin + static_cast<uint32_t>(bad_escape.size())},
                     bad_escape)
              .Help(R"(the escapes are `\"`, `\\`, `\n`, `\r`, `\t`, `\0` and `\u{...}` with 1 to 6 hex digits)"));
  }
  return result;
}

std::vector<StringNode> AstBuilder::BuildStringList(P::StringListContext* ctx) {
  Need(ctx);
  std::vector<StringNode> strings;
  for (antlr4::tree::TerminalNode* node : ctx->STRING()) strings.push_back(BuildString(node));
  return strings;
}

IntNode AstBuilder::BuildInt(antlr4::tree::TerminalNode* node) {
  Need(node);
  IntNode result;
  result.span = locator_.SpanOf(node);
  result.text = std::string(locator_.Text(result.span));
  if (std::optional<int64_t> value = ParseInt(result.text)) {
    result.value = *value;
  } else {
    Error(diag::Make(diag::Code::kIntegerTooLarge, result.span, result.text)
              .Help("integers range up to 9223372036854775807"));
  }
  return result;
}

DurationNode AstBuilder::BuildDuration(antlr4::tree::TerminalNode* node) {
  Need(node);
  DurationNode result;
  result.span = locator_.SpanOf(node);
  result.text = std::string(locator_.Text(result.span));
  if (std::optional<int64_t> millis = ParseDuration(result.text)) {
    result.millis = *millis;
  } else {
    Error(diag::Make(diag::Code::kDurationOutOfRange, result.span, result.text)
              .Help("durations are counted in milliseconds and must fit in 64 bits (about 292 million years)"));
  }
  return result;
}

MoneyLit AstBuilder::BuildMoney(antlr4::tree::TerminalNode* node) {
  Need(node);
  MoneyLit result;
  Span span = locator_.SpanOf(node);
  std::string_view text = locator_.Text(span);
  result.text = CanonicalMoneyText(text);
  if (std::optional<MoneyValue> value = ParseMoney(text)) {
    result.value = std::move(*value);
  } else {
    Error(diag::Make(diag::Code::kMoneyOutOfRange, span, result.text)
              .Help("amounts have at most 4 decimal places and range up to 922337203685477.5807"));
  }
  return result;
}

PercentNode AstBuilder::BuildPercent(antlr4::tree::TerminalNode* node) {
  Need(node);
  PercentNode result;
  result.span = locator_.SpanOf(node);
  std::string_view text = locator_.Text(result.span);
  std::optional<int64_t> value = ParsePercent(text);
  if (value && *value >= 1 && *value <= 100) {
    result.value = *value;
  } else {
    Error(diag::Make(diag::Code::kPercentOutOfRange, result.span, text));
  }
  return result;
}

// ---- expressions ----------------------------------------------------------------------------

ExprId AstBuilder::AddExpr(Span span, decltype(Expr::kind) kind) {
  ExprId id{static_cast<uint32_t>(file_.exprs.size())};
  file_.exprs.push_back(Expr{span, std::move(kind)});
  return id;
}

ExprId AstBuilder::BuildExpr(P::ExprContext* ctx) {
  Need(ctx);
  // Operator chains such as `a or b or ...` nest without brackets; every later stage walks the
  // tree recursively, so its depth is bounded here once for all of them.
  if (expr_depth_ >= max_expr_depth_) {
    Error(diag::Make(diag::Code::kNestingTooDeep, locator_.SpanOf(ctx->start), max_expr_depth_)
              .Help("split the expression, for example into several rules"));
    throw Malformed{};
  }
  ++expr_depth_;
  ExprId id = BuildExprKind(ctx);
  --expr_depth_;
  return id;
}

namespace {

BinaryOp BinaryOpOf(std::string_view spelling) {
  static constexpr std::pair<std::string_view, BinaryOp> kOps[] = {
      {"*", BinaryOp::kMul}, {"/", BinaryOp::kDiv}, {"%", BinaryOp::kMod}, {"+", BinaryOp::kAdd},
      {"-", BinaryOp::kSub}, {"==", BinaryOp::kEq}, {"!=", BinaryOp::kNe}, {"<", BinaryOp::kLt},
      {"<=", BinaryOp::kLe}, {">", BinaryOp::kGt},  {">=", BinaryOp::kGe},
  };
  for (const auto& [text, op] : kOps) {
    if (text == spelling) return op;
  }
  return BinaryOp::kEq;
}

bool IsTypePath(const File& file, ExprId id) {
  const Expr& expr = file.expr(id);
  if (std::holds_alternative<NameRef>(expr.kind)) return true;
  if (const auto* member = std::get_if<MemberExpr>(&expr.kind)) return IsTypePath(file, member->object);
  return false;
}

}  // namespace

ExprId AstBuilder::BuildExprKind(P::ExprContext* ctx) {
  Span span = locator_.SpanOf(ctx);
  if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return BuildPrimary(c->primary());
  if (auto* c = dynamic_cast<P::MemberExprContext*>(ctx)) {
    ExprId object = BuildExpr(c->expr());
    return AddExpr(span, MemberExpr{object, BuildName(c->ident())});
  }
  auto binary = [&](const std::vector<P::ExprContext*>& operands, BinaryOp op) {
    if (operands.size() != 2) throw Malformed{};
    ExprId lhs = BuildExpr(operands[0]);
    ExprId rhs = BuildExpr(operands[1]);
    return AddExpr(span, BinaryExpr{op, lhs, rhs});
  };
  if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx)) {
    return binary(c->expr(), BinaryOpOf(locator_.Text(Need(c->op))));
  }
  if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) return binary(c->expr(), BinaryOp::kAnd);
  if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) return binary(c->expr(), BinaryOp::kOr);
  if (auto* c = dynamic_cast<P::CallExprContext*>(ctx)) {
    std::vector<P::ExprContext*> parts = c->expr();
    if (parts.empty()) throw Malformed{};
    CallExpr call;
    call.callee = BuildExpr(parts[0]);
    for (size_t i = 1; i < parts.size(); ++i) call.args.push_back(BuildExpr(parts[i]));
    return AddExpr(span, std::move(call));
  }
  if (auto* c = dynamic_cast<P::AddExprContext*>(ctx)) {
    return binary(c->expr(), BinaryOpOf(locator_.Text(Need(c->op))));
  }
  if (auto* c = dynamic_cast<P::MulExprContext*>(ctx)) {
    return binary(c->expr(), BinaryOpOf(locator_.Text(Need(c->op))));
  }
  if (auto* c = dynamic_cast<P::InExprContext*>(ctx)) return binary(c->expr(), BinaryOp::kIn);
  if (auto* c = dynamic_cast<P::LikeExprContext*>(ctx)) return binary(c->expr(), BinaryOp::kLike);
  if (auto* c = dynamic_cast<P::NotExprContext*>(ctx)) {
    return AddExpr(span, UnaryExpr{UnaryOp::kNot, BuildExpr(c->expr())});
  }
  if (auto* c = dynamic_cast<P::NegExprContext*>(ctx)) {
    return AddExpr(span, UnaryExpr{UnaryOp::kNeg, BuildExpr(c->expr())});
  }
  if (auto* c = dynamic_cast<P::HasExprContext*>(ctx)) {
    ExprId object = BuildExpr(c->expr());
    return AddExpr(span, HasExpr{object, BuildName(c->ident())});
  }
  if (auto* c = dynamic_cast<P::EntityExprContext*>(ctx)) {
    ExprId type = BuildExpr(c->expr());
    if (!IsTypePath(file_, type)) {
      Error(diag::Make(diag::Code::kUnexpectedToken, file_.expr(type).span,
                       "expected an entity type before `::`, such as `User` or `common.User`"));
    }
    return AddExpr(span, EntityLit{type, BuildString(c->STRING())});
  }
  if (auto* c = dynamic_cast<P::QuantExprContext*>(ctx)) {
    std::vector<P::ExprContext*> parts = c->expr();
    if (parts.size() != 2) throw Malformed{};
    bool all = locator_.Text(Need(c->quant)) == "all";
    Name var = BuildName(c->ident());
    ExprId domain = BuildExpr(parts[0]);
    ExprId body = BuildExpr(parts[1]);
    return AddExpr(span, QuantExpr{all, std::move(var), domain, body});
  }
  throw Malformed{};
}

ExprId AstBuilder::BuildPrimary(P::PrimaryContext* ctx) {
  Need(ctx);
  Span span = locator_.SpanOf(ctx);
  if (auto* c = dynamic_cast<P::NameRefContext*>(ctx)) return AddExpr(span, NameRef{BuildName(c->ident())});
  if (auto* c = dynamic_cast<P::StringLitContext*>(ctx)) {
    return AddExpr(span, StringLit{BuildString(c->STRING()).value});
  }
  if (auto* c = dynamic_cast<P::IntLitContext*>(ctx)) {
    IntNode node = BuildInt(c->INT());
    return AddExpr(span, IntLit{node.value, std::move(node.text)});
  }
  if (auto* c = dynamic_cast<P::MoneyLitContext*>(ctx)) return AddExpr(span, BuildMoney(c->MONEY()));
  if (auto* c = dynamic_cast<P::DurationLitContext*>(ctx)) {
    DurationNode node = BuildDuration(c->DURATION());
    return AddExpr(span, DurationLit{node.millis, std::move(node.text)});
  }
  if (auto* c = dynamic_cast<P::BoolLitContext*>(ctx)) {
    return AddExpr(span, BoolLit{locator_.Text(Need(c->value)) == "true"});
  }
  if (auto* c = dynamic_cast<P::ParenExprContext*>(ctx)) return AddExpr(span, ParenExpr{BuildExpr(c->expr())});
  if (auto* c = dynamic_cast<P::SetLitContext*>(ctx)) {
    SetLit set;
    for (P::ExprContext* element : c->expr()) set.elements.push_back(BuildExpr(element));
    return AddExpr(span, std::move(set));
  }
  if (auto* c = dynamic_cast<P::RecordLitContext*>(ctx)) return AddExpr(span, RecordLit{BuildFields(c->fieldInits())});
  if (auto* c = dynamic_cast<P::DecimalLitContext*>(ctx)) {
    std::string text(locator_.Text(Need(c->DECIMAL())));
    Error(diag::Make(diag::Code::kDecimalNoCurrency, span, text)
              .Help(fmt::format("write a currency after the amount, e.g. `{} USD`", text)));
    return AddExpr(span, DecimalLit{std::move(text)});
  }
  throw Malformed{};
}

}  // namespace writ::syntax::internal
