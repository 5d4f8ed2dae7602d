// Parse tree -> AST for declarations, types and tests. Only declarations that parsed without a
// syntax error get here, so a missing child means error recovery left a hole (Malformed).
#include "compiler/syntax/internal/ast_builder.h"

namespace writ::syntax::internal {
namespace {

// Whether `ctx` has a direct child token spelled `text`, such as the optional `{` of an entity.
bool HasToken(const TokenLocator& locator, antlr4::ParserRuleContext* ctx, std::string_view text) {
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
      if (locator.Text(terminal) == text) return true;
    }
  }
  return false;
}

}  // namespace

void AstBuilder::Error(diag::Diagnostic diagnostic) {
  diagnostics_.push_back(std::move(diagnostic));
  failed_ = true;
}

template <typename Fn>
bool AstBuilder::Transaction(Fn&& fn) {
  const size_t exprs = file_.exprs.size();
  const size_t types = file_.types.size();
  failed_ = false;
  expr_depth_ = 0;
  try {
    fn();
  } catch (const Malformed&) {
    failed_ = true;
  }
  if (failed_) {
    file_.exprs.resize(exprs);
    file_.types.resize(types);
  }
  return !failed_;
}

bool AstBuilder::AddPackage(P::PackageDeclContext* ctx) {
  return Transaction([&] {
    Need(ctx);
    PackageDecl package{BuildQualifiedName(ctx->qualifiedName()), locator_.SpanOf(ctx)};
    if (!failed_) file_.package = std::move(package);
  });
}

bool AstBuilder::AddImport(P::ImportDeclContext* ctx) {
  return Transaction([&] {
    Need(ctx);
    ImportDecl import;
    import.path = BuildQualifiedName(ctx->qualifiedName());
    if (ctx->ident() != nullptr) import.alias = BuildName(ctx->ident());
    import.span = locator_.SpanOf(ctx);
    if (!failed_) file_.imports.push_back(std::move(import));
  });
}

bool AstBuilder::AddDecl(P::DeclContext* ctx) {
  return Transaction([&] {
    Decl decl = BuildDecl(Need(ctx));
    if (!failed_) file_.decls.push_back(std::move(decl));
  });
}

Decl AstBuilder::BuildDecl(P::DeclContext* ctx) {
  Decl decl{locator_.SpanOf(ctx), EntityDecl{}};
  if (auto* c = ctx->entityDecl()) {
    decl.kind = BuildEntity(c);
  } else if (auto* c = ctx->enumDecl()) {
    decl.kind = BuildEnum(c);
  } else if (auto* c = ctx->agentDecl()) {
    decl.kind = BuildAgent(c);
  } else if (auto* c = ctx->toolDecl()) {
    decl.kind = BuildTool(c);
  } else if (auto* c = ctx->ruleDecl()) {
    decl.kind = BuildRule(c);
  } else if (auto* c = ctx->limitDecl()) {
    decl.kind = BuildLimit(c);
  } else if (auto* c = ctx->budgetDecl()) {
    decl.kind = BuildBudget(c);
  } else if (auto* c = ctx->rateDecl()) {
    decl.kind = BuildRate(c);
  } else if (auto* c = ctx->poolDecl()) {
    decl.kind = BuildPool(c);
  } else if (auto* c = ctx->outputDecl()) {
    decl.kind = BuildOutput(c);
  } else if (auto* c = ctx->testDecl()) {
    decl.kind = BuildTest(c);
  } else {
    throw Malformed{};
  }
  return decl;
}

// ---- schema ---------------------------------------------------------------------------------

EntityDecl AstBuilder::BuildEntity(P::EntityDeclContext* ctx) {
  Need(ctx);
  EntityDecl entity;
  entity.name = BuildName(ctx->ident());
  entity.parents = BuildNames(ctx->nameList());
  entity.has_body = HasToken(locator_, ctx, "{");
  entity.attrs = BuildAttrs(ctx->attrList());
  return entity;
}

EnumDecl AstBuilder::BuildEnum(P::EnumDeclContext* ctx) {
  Need(ctx);
  std::vector<P::IdentContext*> idents = ctx->ident();
  if (idents.size() < 2) throw Malformed{};
  EnumDecl result;
  result.name = BuildName(idents[0]);
  for (size_t i = 1; i < idents.size(); ++i) result.members.push_back(BuildName(idents[i]));
  return result;
}

AgentDecl AstBuilder::BuildAgent(P::AgentDeclContext* ctx) {
  Need(ctx);
  AgentDecl agent;
  agent.name = BuildName(ctx->ident());
  agent.parents = BuildNames(ctx->nameList());
  for (P::AgentMemberContext* member : ctx->agentMember()) agent.members.push_back(BuildAgentMember(member));
  return agent;
}

AgentMember AstBuilder::BuildAgentMember(P::AgentMemberContext* ctx) {
  Need(ctx);
  Span span = locator_.SpanOf(ctx);
  if (auto* c = dynamic_cast<P::ActsForMemberContext*>(ctx)) {
    return ActsForMember{BuildQualifiedName(c->qualifiedName()), span};
  }
  if (auto* c = dynamic_cast<P::CredentialsMemberContext*>(ctx)) {
    CredentialsMember member;
    for (P::CredentialDeclContext* credential : c->credentialDecl()) {
      member.credentials.push_back(BuildCredential(credential));
    }
    member.span = span;
    return member;
  }
  if (auto* c = dynamic_cast<P::AttrMemberContext*>(ctx)) return BuildAttr(c->attrDecl());
  throw Malformed{};
}

CredentialDecl AstBuilder::BuildCredential(P::CredentialDeclContext* ctx) {
  Need(ctx);
  CredentialDecl credential;
  credential.name = BuildName(ctx->ident());
  credential.scopes = BuildStringList(ctx->stringList());
  credential.ttl = BuildDuration(ctx->DURATION());
  credential.span = locator_.SpanOf(ctx);
  return credential;
}

ToolDecl AstBuilder::BuildTool(P::ToolDeclContext* ctx) {
  Need(ctx);
  ToolDecl tool;
  tool.name = BuildQualifiedName(ctx->qualifiedName());
  tool.params = BuildAttrs(ctx->attrList());
  if (ctx->type() != nullptr) tool.result = BuildType(ctx->type());
  return tool;
}

std::vector<AttrDecl> AstBuilder::BuildAttrs(P::AttrListContext* ctx) {
  std::vector<AttrDecl> attrs;
  if (ctx == nullptr) return attrs;
  Need(ctx);
  for (P::AttrDeclContext* attr : ctx->attrDecl()) attrs.push_back(BuildAttr(attr));
  return attrs;
}

AttrDecl AstBuilder::BuildAttr(P::AttrDeclContext* ctx) {
  Need(ctx);
  AttrDecl attr;
  attr.name = BuildName(ctx->ident());
  attr.optional = ctx->optional != nullptr;
  attr.type = BuildType(ctx->type());
  attr.span = locator_.SpanOf(ctx);
  return attr;
}

TypeId AstBuilder::BuildType(P::TypeContext* ctx) {
  Need(ctx);
  TypeExpr type{locator_.SpanOf(ctx), NamedType{}};
  if (auto* c = dynamic_cast<P::NamedTypeContext*>(ctx)) {
    NamedType named;
    named.name = BuildQualifiedName(c->qualifiedName());
    for (P::TypeContext* arg : c->type()) named.args.push_back(BuildType(arg));
    type.kind = std::move(named);
  } else if (auto* c = dynamic_cast<P::RecordTypeContext*>(ctx)) {
    type.kind = RecordType{BuildAttrs(c->attrList())};
  } else {
    throw Malformed{};
  }
  TypeId id{static_cast<uint32_t>(file_.types.size())};
  file_.types.push_back(std::move(type));
  return id;
}

std::vector<QualifiedName> AstBuilder::BuildNames(P::NameListContext* ctx) {
  std::vector<QualifiedName> names;
  if (ctx == nullptr) return names;
  Need(ctx);
  for (P::QualifiedNameContext* name : ctx->qualifiedName()) names.push_back(BuildQualifiedName(name));
  return names;
}

// ---- rules and their relatives --------------------------------------------------------------

RuleHead AstBuilder::BuildHead(P::LabelContext* label, const std::vector<P::ModifierContext*>& modifiers) {
  RuleHead head;
  if (label != nullptr) head.label = BuildName(Need(label)->ident());
  for (P::ModifierContext* modifier : modifiers) {
    Span span = locator_.SpanOf(Need(modifier));
    std::string_view text = locator_.Text(span);
    Modifier kind = text == "advisory" ? Modifier::kAdvisory
                    : text == "soft"   ? Modifier::kSoft
                    : text == "hard"   ? Modifier::kHard
                                       : Modifier::kShadow;
    head.modifiers.push_back(ModifierNode{kind, span});
  }
  return head;
}

std::vector<QualifiedName> AstBuilder::BuildFor(P::ForClauseContext* ctx) {
  if (ctx == nullptr) return {};
  return BuildNames(Need(ctx)->nameList());
}

std::optional<StringNode> AstBuilder::BuildBecause(P::BecauseClauseContext* ctx) {
  if (ctx == nullptr) return std::nullopt;
  return BuildString(Need(ctx)->STRING());
}

Phase AstBuilder::BuildPhase(P::PhaseContext* ctx) {
  return locator_.Text(locator_.SpanOf(Need(ctx))) == "result" ? Phase::kResult : Phase::kCall;
}

RuleDecl AstBuilder::BuildRule(P::RuleDeclContext* ctx) {
  Need(ctx);
  RuleDecl rule;
  rule.head = BuildHead(ctx->label(), ctx->modifier());
  rule.effect_span = locator_.SpanOf(Need(ctx->effect()));
  std::string_view effect = locator_.Text(rule.effect_span);
  rule.effect = effect == "permit"   ? Effect::kPermit
                : effect == "forbid" ? Effect::kForbid
                                     : Effect::kRequireApproval;
  rule.phase = BuildPhase(ctx->phase());
  rule.tools = BuildToolPatterns(ctx->toolPatterns());
  rule.principals = BuildFor(ctx->forClause());
  for (P::RuleClauseContext* clause : ctx->ruleClause()) rule.clauses.push_back(BuildRuleClause(clause));
  return rule;
}

RuleClause AstBuilder::BuildRuleClause(P::RuleClauseContext* ctx) {
  Need(ctx);
  RuleClause clause{locator_.SpanOf(ctx), WhenClause{}};
  if (auto* c = dynamic_cast<P::RuleWhenContext*>(ctx)) {
    clause.kind = WhenClause{BuildExpr(c->expr())};
  } else if (auto* c = dynamic_cast<P::RuleBecauseContext*>(ctx)) {
    clause.kind = BecauseClause{BuildString(c->STRING())};
  } else if (auto* c = dynamic_cast<P::RuleApproverContext*>(ctx)) {
    clause.kind = ApproverClause{BuildExpr(c->expr())};
  } else if (auto* c = dynamic_cast<P::RuleTimeoutContext*>(ctx)) {
    clause.kind = TimeoutClause{BuildDuration(c->DURATION())};
  } else if (auto* c = dynamic_cast<P::RuleGrantContext*>(ctx)) {
    GrantClause grant;
    grant.credential = BuildName(c->ident());
    if (c->stringList() != nullptr) grant.scopes = BuildStringList(c->stringList());
    if (c->DURATION() != nullptr) grant.ttl = BuildDuration(c->DURATION());
    clause.kind = std::move(grant);
  } else if (auto* c = dynamic_cast<P::RuleWarnContext*>(ctx)) {
    clause.kind = WarnClause{BuildString(c->STRING())};
  } else {
    throw Malformed{};
  }
  return clause;
}

LimitDecl AstBuilder::BuildLimit(P::LimitDeclContext* ctx) {
  Need(ctx);
  LimitDecl limit;
  limit.head = BuildHead(ctx->label(), ctx->modifier());
  limit.target = BuildToolPattern(ctx->toolPattern());
  limit.period = BuildName(ctx->ident());
  limit.bound = BuildExpr(ctx->expr());
  limit.principals = BuildFor(ctx->forClause());
  limit.reason = BuildBecause(ctx->becauseClause());
  return limit;
}

BudgetDecl AstBuilder::BuildBudget(P::BudgetDeclContext* ctx) {
  Need(ctx);
  BudgetDecl budget;
  budget.head = BuildHead(ctx->label(), ctx->modifier());
  std::vector<P::IdentContext*> idents = ctx->ident();
  if (idents.empty() || idents.size() > 2) throw Malformed{};
  budget.kind = BuildName(idents[0]);
  if (idents.size() == 2) budget.per = BuildName(idents[1]);
  P::AmountContext* amount = Need(ctx->amount());
  budget.amount.span = locator_.SpanOf(amount);
  if (amount->INT() != nullptr) {
    budget.amount.value = BuildInt(amount->INT());
  } else if (amount->DURATION() != nullptr) {
    budget.amount.value = BuildDuration(amount->DURATION());
  } else {
    budget.amount.value = BuildMoney(Need(amount->MONEY()));
  }
  budget.principals = BuildFor(ctx->forClause());
  for (P::BudgetClauseContext* clause : ctx->budgetClause()) budget.clauses.push_back(BuildBudgetClause(clause));
  return budget;
}

BudgetClause AstBuilder::BuildBudgetClause(P::BudgetClauseContext* ctx) {
  Need(ctx);
  BudgetClause clause{locator_.SpanOf(ctx), BecauseClause{}};
  if (auto* c = dynamic_cast<P::BudgetWarnAtContext*>(ctx)) {
    WarnAtClause warn;
    for (antlr4::tree::TerminalNode* percent : c->PERCENT()) warn.thresholds.push_back(BuildPercent(percent));
    clause.kind = std::move(warn);
  } else if (auto* c = dynamic_cast<P::BudgetThenContext*>(ctx)) {
    ThenClause then;
    then.action = BuildName(c->thenAction());
    if (c->expr() != nullptr) then.approvers = BuildExpr(c->expr());
    clause.kind = std::move(then);
  } else if (auto* c = dynamic_cast<P::BudgetBecauseContext*>(ctx)) {
    clause.kind = BecauseClause{BuildString(c->STRING())};
  } else {
    throw Malformed{};
  }
  return clause;
}

RateDecl AstBuilder::BuildRate(P::RateDeclContext* ctx) {
  Need(ctx);
  RateDecl rate;
  rate.head = BuildHead(ctx->label(), ctx->modifier());
  rate.tools = BuildToolPatterns(ctx->toolPatterns());
  rate.count = BuildInt(ctx->INT());
  rate.window = BuildDuration(ctx->DURATION());
  rate.principals = BuildFor(ctx->forClause());
  rate.reason = BuildBecause(ctx->becauseClause());
  return rate;
}

PoolDecl AstBuilder::BuildPool(P::PoolDeclContext* ctx) {
  Need(ctx);
  PoolDecl pool;
  pool.head = BuildHead(ctx->label(), ctx->modifier());
  std::vector<P::IdentContext*> idents = ctx->ident();
  if (idents.empty() || idents.size() > 2) throw Malformed{};
  pool.name = BuildName(idents[0]);
  pool.size = BuildInt(ctx->INT());
  P::PoolMembersContext* members = Need(ctx->poolMembers());
  if (auto* c = dynamic_cast<P::PoolCallsContext*>(members)) {
    pool.counts_calls = true;
    pool.tools = BuildToolPatterns(c->toolPatterns());
  } else if (auto* c = dynamic_cast<P::PoolSessionsContext*>(members)) {
    pool.counts_calls = false;
    pool.agents = BuildNames(Need(c->nameList()));
  } else {
    throw Malformed{};
  }
  if (idents.size() == 2) pool.then = BuildName(idents[1]);
  return pool;
}

OutputDecl AstBuilder::BuildOutput(P::OutputDeclContext* ctx) {
  Need(ctx);
  OutputDecl output;
  output.head = BuildHead(ctx->label(), ctx->modifier());
  if (ctx->phase() != nullptr) output.phase = BuildPhase(ctx->phase());
  output.target = BuildToolPattern(ctx->toolPattern());
  for (P::OutputRuleContext* rule : ctx->outputRule()) {
    Need(rule);
    OutputRule out;
    out.redact = locator_.Text(Need(rule->kind)) == "redact";
    out.detectors = BuildNames(Need(rule->nameList()));
    out.reason = BuildBecause(rule->becauseClause());
    out.span = locator_.SpanOf(rule);
    output.rules.push_back(std::move(out));
  }
  return output;
}

// ---- tests ----------------------------------------------------------------------------------

TestDecl AstBuilder::BuildTest(P::TestDeclContext* ctx) {
  Need(ctx);
  TestDecl test;
  test.name = BuildString(ctx->STRING());
  for (P::TestStmtContext* stmt : ctx->testStmt()) test.stmts.push_back(BuildTestStmt(stmt));
  return test;
}

TestStmt AstBuilder::BuildTestStmt(P::TestStmtContext* ctx) {
  Need(ctx);
  TestStmt stmt{locator_.SpanOf(ctx), TestSession{}};
  if (auto* c = dynamic_cast<P::TestEntityContext*>(ctx)) {
    std::vector<P::EntityRefContext*> refs = c->entityRef();
    if (refs.empty()) throw Malformed{};
    TestEntity entity;
    entity.ref = BuildEntityRef(refs[0]);
    entity.has_body = HasToken(locator_, c, "{");
    entity.attrs = BuildFields(c->fieldInits());
    for (size_t i = 1; i < refs.size(); ++i) entity.parents.push_back(BuildEntityRef(refs[i]));
    stmt.kind = std::move(entity);
  } else if (auto* c = dynamic_cast<P::TestSessionContext*>(ctx)) {
    stmt.kind = TestSession{BuildFields(c->fieldInits())};
  } else if (auto* c = dynamic_cast<P::TestCallContext*>(ctx)) {
    TestCall call;
    call.tool = BuildQualifiedName(c->qualifiedName());
    call.args = BuildFields(c->fieldInits());
    call.principal = BuildEntityRef(c->entityRef());
    stmt.kind = std::move(call);
  } else if (auto* c = dynamic_cast<P::TestResultContext*>(ctx)) {
    TestResult result;
    result.tool = BuildQualifiedName(c->qualifiedName());
    result.args = BuildFields(c->fieldInits());
    result.returns = BuildExpr(c->expr());
    result.principal = BuildEntityRef(c->entityRef());
    stmt.kind = std::move(result);
  } else if (auto* c = dynamic_cast<P::TestExpectContext*>(ctx)) {
    TestExpect expect;
    std::string_view expected = locator_.Text(Need(c->expected));
    expect.expected = expected == "allow"  ? Expected::kAllow
                      : expected == "deny" ? Expected::kDeny
                                           : Expected::kApprovalRequired;
    for (P::ExpectClauseContext* clause : c->expectClause()) {
      Need(clause);
      if (auto* because = dynamic_cast<P::ExpectBecauseContext*>(clause)) {
        expect.clauses.push_back(ExpectClause{false, BuildString(because->STRING())});
      } else if (auto* warn = dynamic_cast<P::ExpectWarnContext*>(clause)) {
        expect.clauses.push_back(ExpectClause{true, BuildString(warn->STRING())});
      } else {
        throw Malformed{};
      }
    }
    stmt.kind = std::move(expect);
  } else {
    throw Malformed{};
  }
  return stmt;
}

}  // namespace writ::syntax::internal
