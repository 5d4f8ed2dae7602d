// `test` blocks: their entities, session facts, requests and expectations. Values in a test
// are constants, typed against the schema; entities are declared in the test that uses them.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/check/internal/expr_checker.h"

namespace writ::check::internal {
namespace {

using diag::Code;
using EntityKey = std::pair<EntityTypeId, std::string>;

class TestChecker {
 public:
  TestChecker(Context& ctx, const FileScope& scope, const syntax::Decl& decl)
      : ctx_(ctx),
        scope_(scope),
        node_(std::get<syntax::TestDecl>(decl.kind)),
        checker_(ctx, scope, TestEnv(&keys_)) {
    test_.package = scope.package;
    test_.file = scope.file->id;
    test_.name = node_.name.value;
    test_.span = decl.span;
  }

  void Run() {
    auto& names = ctx_.packages[scope_.package.index].tests;
    auto [it, inserted] = names.emplace(node_.name.value, node_.name.span);
    if (!inserted) {
      ctx_.Report(diag::Make(Code::kDuplicateTestName, node_.name.span, node_.name.value)
                      .Label(it->second, "first declared here"));
    }
    // Entities first, so statements may name entities declared further down.
    for (const syntax::TestStmt& stmt : node_.stmts) {
      if (const auto* entity = std::get_if<syntax::TestEntity>(&stmt.kind)) Declare(*entity);
    }
    for (const syntax::TestStmt& stmt : node_.stmts) {
      std::visit([&](const auto& s) { Check(stmt, s); }, stmt.kind);
    }
    CloseRequest();
    if (request_count_ == 0) {
      ctx_.Report(diag::Make(Code::kTestEmpty, node_.name.span, node_.name.value)
                      .Help("add a `call` or `result` request and its `expect`"));
    }
    ctx_.program.tests.push_back(std::move(test_));
  }

 private:
  static Env TestEnv(const std::set<EntityKey>* keys) {
    Env env;
    env.where = "a test";
    env.test_entities = keys;
    return env;
  }

  std::string Text(Span span) const { return ctx_.Text(span); }
  const syntax::Expr& expr(syntax::ExprId id) const { return scope_.file->expr(id); }

  void Declare(const syntax::TestEntity& entity) {
    EntityTypeId type = ResolveEntityType(ctx_, scope_, entity.ref.type);
    if (!type.valid()) {
      keys_.insert({EntityTypeId{}, entity.ref.id.value});
      return;
    }
    EntityKey key{type, entity.ref.id.value};
    auto previous = first_spans_.find(key);
    if (previous != first_spans_.end()) {
      ctx_.Report(diag::Make(Code::kTestDuplicateEntity, entity.ref.span, Text(entity.ref.span))
                      .Label(previous->second, "first declared here"));
      return;
    }
    first_spans_.emplace(key, entity.ref.span);
    keys_.insert(key);
    indexes_[key] = static_cast<uint32_t>(test_.entities.size());
    declared_.insert(&entity);
    test_.entities.push_back(TestEntity{type, entity.ref.id.value, {}, std::nullopt, {}, entity.ref.span});
  }

  // The index of the test entity a reference names; reports W0603 if it is not declared.
  std::optional<uint32_t> Lookup(const syntax::EntityRefNode& ref) {
    EntityTypeId type = ResolveEntityType(ctx_, scope_, ref.type);
    if (!type.valid()) return std::nullopt;
    auto it = indexes_.find({type, ref.id.value});
    if (it == indexes_.end() && keys_.contains({EntityTypeId{}, ref.id.value})) return std::nullopt;
    if (it == indexes_.end()) {
      ctx_.Report(diag::Make(Code::kTestUnknownEntity, ref.span, Text(ref.span))
                      .Help("declare it in the test: `entity " + Text(ref.span) + " { ... }`"));
      return std::nullopt;
    }
    return it->second;
  }

  void Check(const syntax::TestStmt&, const syntax::TestEntity& entity) {
    if (!declared_.contains(&entity)) return;
    EntityTypeId type_id = ResolveEntityTypeQuietly(entity.ref.type);
    uint32_t index = indexes_.at({type_id, entity.ref.id.value});
    const EntityType& type = ctx_.program.entity_type(type_id);
    std::set<std::string> given;
    for (const syntax::FieldInit& init : entity.attrs) {
      if (!given.insert(init.name.text).second) {
        ctx_.Report(diag::Make(Code::kDuplicateAttribute, init.name.span, init.name.text));
        continue;
      }
      if (init.name.text == "acts_for" && ctx_.failed_acts_for.contains(type_id)) continue;
      if (init.name.text == "acts_for" && type.is_agent() && type.agent->acts_for.valid()) {
        Type target = ctx_.program.types.Entity(type.agent->acts_for);
        if (ctx_.program.types.is_error(CheckValue(init.value, target))) continue;
        test_.entities[index].acts_for = EntityIndex(init.value);
        continue;
      }
      const Attribute* attr = type.FindAttribute(init.name.text);
      if (attr == nullptr) {
        std::vector<std::string> candidates;
        for (const Attribute& a : type.attributes) candidates.push_back(a.name);
        if (type.is_agent() && type.agent->acts_for.valid()) candidates.push_back("acts_for");
        ctx_.Report(diag::Make(Code::kUnknownAttribute, init.name.span, type.name, init.name.text)
                        .Help(DidYouMean(init.name.text, candidates)));
        continue;
      }
      CheckValue(init.value, attr->type);
      test_.entities[index].attributes.push_back(TestValue{init.name.text, scope_.Ref(init.value)});
    }
    std::string ref = Text(entity.ref.span);
    if (type.is_agent() && type.agent->acts_for.valid() && !given.contains("acts_for")) {
      ctx_.Report(diag::Make(Code::kTestMissingAttribute, entity.ref.span, ref, "acts_for"));
    }
    for (const Attribute& attr : type.attributes) {
      if (!attr.optional && !given.contains(attr.name)) {
        ctx_.Report(diag::Make(Code::kTestMissingAttribute, entity.ref.span, ref, attr.name));
      }
    }
    for (const syntax::EntityRefNode& parent : entity.parents) {
      std::optional<uint32_t> parent_index = Lookup(parent);
      if (!parent_index) continue;
      EntityTypeId parent_type = test_.entities[*parent_index].type;
      if (std::find(type.parents.begin(), type.parents.end(), parent_type) == type.parents.end()) {
        std::string allowed;
        for (EntityTypeId p : type.parents) {
          allowed += (allowed.empty() ? "`" : ", `") + ctx_.program.entity_type(p).name + "`";
        }
        ctx_.Report(diag::Make(Code::kBadParentType, parent.span, Text(parent.span), ref)
                        .Help(allowed.empty() ? "`" + type.name + "` declares no parent types"
                                              : "`" + type.name + "` may be in " + allowed));
        continue;
      }
      test_.entities[index].parents.push_back(*parent_index);
    }
  }

  void Check(const syntax::TestStmt&, const syntax::TestSession& session) {
    std::set<std::string> given;
    for (const syntax::FieldInit& init : session.facts) {
      std::optional<SessionFact> fact;
      std::vector<std::string> names;
      for (SessionFact f : SessionFacts()) {
        if (init.name.text == Spelling(f)) fact = f;
        names.emplace_back(Spelling(f));
      }
      if (!fact) {
        ctx_.Report(diag::Make(Code::kUnknownSessionFact, init.name.span, init.name.text)
                        .Help(DidYouMean(init.name.text, names)));
        continue;
      }
      if (!given.insert(init.name.text).second) {
        ctx_.Report(diag::Make(Code::kDuplicateAttribute, init.name.span, init.name.text));
        continue;
      }
      CheckValue(init.value, SessionFactType(*fact));
      auto same = [&](const TestFact& f) { return f.fact == *fact; };
      session_.erase(std::remove_if(session_.begin(), session_.end(), same), session_.end());
      session_.push_back(TestFact{*fact, scope_.Ref(init.value)});
    }
  }

  void Check(const syntax::TestStmt& stmt, const syntax::TestCall& call) {
    OpenRequest(stmt.span);
    CheckRequest(stmt.span, syntax::Phase::kCall, call.tool, call.args, call.principal, nullptr);
  }

  void Check(const syntax::TestStmt& stmt, const syntax::TestResult& result) {
    OpenRequest(stmt.span);
    CheckRequest(stmt.span, syntax::Phase::kResult, result.tool, result.args, result.principal,
                 &result.returns);
  }

  void Check(const syntax::TestStmt& stmt, const syntax::TestExpect& expect) {
    if (!open_request_) {
      ctx_.Report(diag::Make(Code::kExpectWithoutRequest, stmt.span)
                      .Help("write the `call` or `result` it checks before it"));
      return;
    }
    open_request_.reset();
    std::vector<std::string> reasons, warnings;
    for (const syntax::ExpectClause& clause : expect.clauses) {
      if (!CheckReason(ctx_, clause.text)) continue;
      (clause.is_warning ? warnings : reasons).push_back(clause.text.value);
    }
    if (!request_ok_) return;
    TestRequest& request = test_.requests.back();
    request.expected = expect.expected;
    request.reasons = std::move(reasons);
    request.warnings = std::move(warnings);
  }

  void OpenRequest(Span span) {
    CloseRequest();
    open_request_ = span;
    ++request_count_;
  }

  void CloseRequest() {
    if (!open_request_) return;
    ctx_.Report(diag::Make(Code::kTestWithoutExpect, *open_request_, node_.name.value)
                    .Help("say what the decision must be: `expect allow`, `expect deny` or "
                          "`expect approval_required`"));
    open_request_.reset();
  }

  void CheckRequest(Span span, syntax::Phase phase, const syntax::QualifiedName& tool_name,
                    const std::vector<syntax::FieldInit>& args,
                    const syntax::EntityRefNode& principal, const syntax::ExprId* returns) {
    request_ok_ = false;
    ToolId tool_id = ResolveToolName(ctx_, scope_, tool_name);
    // An index of test_.entities, or kNoPrincipal when the reference failed (reported).
    constexpr uint32_t kNoPrincipal = UINT32_MAX;
    uint32_t principal_index = Lookup(principal).value_or(kNoPrincipal);
    if (principal_index != kNoPrincipal &&
        !ctx_.program.entity_type(test_.entities[principal_index].type).is_agent()) {
      ctx_.Report(diag::Make(Code::kTestPrincipalNotAgent, principal.span, Text(principal.span)));
      principal_index = kNoPrincipal;
    }
    if (!tool_id.valid()) return;
    const Tool& tool = ctx_.program.tool(tool_id);
    TestRequest request;
    request.phase = phase;
    request.tool = tool_id;
    request.session = session_;
    request.span = span;
    std::set<std::string> given;
    for (const syntax::FieldInit& init : args) {
      const Attribute* param = tool.FindParam(init.name.text);
      if (param == nullptr) {
        std::vector<std::string> candidates;
        for (const Attribute& p : tool.params) candidates.push_back(p.name);
        ctx_.Report(diag::Make(Code::kUnknownParameter, init.name.span, tool.name, init.name.text)
                        .Help(DidYouMean(init.name.text, candidates)));
        continue;
      }
      if (!given.insert(init.name.text).second) {
        ctx_.Report(diag::Make(Code::kDuplicateAttribute, init.name.span, init.name.text));
        continue;
      }
      CheckValue(init.value, param->type);
      request.args.push_back(TestValue{init.name.text, scope_.Ref(init.value)});
    }
    for (const Attribute& param : tool.params) {
      if (!param.optional && !given.contains(param.name)) {
        ctx_.Report(diag::Make(Code::kTestMissingArgument, tool_name.span, param.name, tool.name));
      }
    }
    if (returns != nullptr) {
      if (!tool.result) {
        ctx_.Report(diag::Make(Code::kToolHasNoResult, tool_name.span, tool.name));
        return;
      }
      CheckValue(*returns, *tool.result);
      request.returns = scope_.Ref(*returns);
    }
    if (principal_index == kNoPrincipal) return;
    request.principal = principal_index;
    test_.requests.push_back(std::move(request));
    request_ok_ = true;
  }

  // The first part of `id` that is not a constant; nullopt if all of it is.
  std::optional<syntax::ExprId> NonConstant(syntax::ExprId id) const {
    const syntax::Expr& e = expr(id);
    auto first_of = [&](const std::vector<syntax::ExprId>& ids) -> std::optional<syntax::ExprId> {
      for (syntax::ExprId sub : ids) {
        if (auto bad = NonConstant(sub)) return bad;
      }
      return std::nullopt;
    };
    return std::visit(
        [&](const auto& node) -> std::optional<syntax::ExprId> {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, syntax::SetLit>) {
            return first_of(node.elements);
          } else if constexpr (std::is_same_v<T, syntax::RecordLit>) {
            std::vector<syntax::ExprId> values;
            for (const syntax::FieldInit& init : node.fields) values.push_back(init.value);
            return first_of(values);
          } else if constexpr (std::is_same_v<T, syntax::ParenExpr>) {
            return NonConstant(node.inner);
          } else if constexpr (std::is_same_v<T, syntax::UnaryExpr>) {
            return NonConstant(node.operand);
          } else if constexpr (std::is_same_v<T, syntax::BinaryExpr>) {
            bool arithmetic = node.op == syntax::BinaryOp::kAdd || node.op == syntax::BinaryOp::kSub ||
                              node.op == syntax::BinaryOp::kMul || node.op == syntax::BinaryOp::kDiv ||
                              node.op == syntax::BinaryOp::kMod;
            if (!arithmetic) return id;
            return first_of({node.lhs, node.rhs});
          } else if constexpr (std::is_same_v<T, syntax::CallExpr>) {
            const auto* callee = std::get_if<syntax::NameRef>(&expr(node.callee).kind);
            if (callee == nullptr || callee->name.text != "timestamp") return id;
            return std::nullopt;  // the call checks that its argument is a literal
          } else if constexpr (std::is_same_v<T, syntax::HasExpr> ||
                               std::is_same_v<T, syntax::QuantExpr>) {
            return id;
          } else {
            // Literals, entity literals and names (enum members; anything else is reported
            // by the expression checker, which offers no runtime values in a test).
            return std::nullopt;
          }
        },
        e.kind);
  }

  // Checks a test value against the type it must have. Records are matched field by field,
  // so a missing or unknown field is reported by name.
  Type CheckValue(syntax::ExprId id, Type expected) {
    if (auto bad = NonConstant(id)) {
      ctx_.Report(diag::Make(Code::kNotConstant, expr(*bad).span, "a test value")
                      .Help("write a literal, a set, a record, an enum member or an entity of "
                            "this test"));
      return TypeTable::Error();
    }
    Type actual = checker_.Value(id);
    if (ctx_.program.types.is_error(actual)) return actual;
    return Match(id, actual, expected) ? actual : TypeTable::Error();
  }

  bool Match(syntax::ExprId id, Type actual, Type expected) {
    TypeTable& types = ctx_.program.types;
    const syntax::Expr* e = &expr(id);
    while (const auto* paren = std::get_if<syntax::ParenExpr>(&e->kind)) e = &expr(paren->inner);
    const auto* record = std::get_if<syntax::RecordLit>(&e->kind);
    if (record == nullptr || types.kind(expected) != TypeKind::kRecord) {
      if (types.Compatible(actual, expected)) return true;
      ctx_.Report(diag::Make(Code::kTypeMismatch, expr(id).span, ctx_.program.TypeName(expected),
                             ctx_.program.TypeName(actual)));
      return false;
    }
    bool ok = true;
    std::set<std::string> given;
    for (const syntax::FieldInit& init : record->fields) {
      given.insert(init.name.text);
      const Field* field = types.FindField(expected, init.name.text);
      if (field == nullptr) {
        std::vector<std::string> candidates;
        for (const Field& f : types.data(expected).fields) candidates.push_back(f.name);
        ctx_.Report(diag::Make(Code::kUnknownField, init.name.span, ctx_.program.TypeName(expected),
                               init.name.text)
                        .Help(DidYouMean(init.name.text, candidates)));
        ok = false;
        continue;
      }
      Type field_type = field->type;
      Type value = ctx_.program.facts(scope_.Ref(init.value)).type;
      if (!types.is_error(value) && !Match(init.value, value, field_type)) ok = false;
    }
    for (const Field& field : types.data(expected).fields) {
      if (!field.optional && !given.contains(field.name)) {
        ctx_.Report(diag::Make(Code::kMissingField, e->span, field.name,
                               ctx_.program.TypeName(field.type)));
        ok = false;
      }
    }
    return ok;
  }

  // The test entity an entity literal (checked before) names.
  std::optional<uint32_t> EntityIndex(syntax::ExprId id) const {
    const syntax::Expr* e = &expr(id);
    while (const auto* paren = std::get_if<syntax::ParenExpr>(&e->kind)) e = &expr(paren->inner);
    const auto* lit = std::get_if<syntax::EntityLit>(&e->kind);
    if (lit == nullptr) return std::nullopt;
    const auto* type = std::get_if<resolved::EntityType>(&ctx_.program.facts(scope_.Ref(id)).resolution);
    if (type == nullptr) return std::nullopt;
    auto it = indexes_.find({type->type, lit->id.value});
    return it == indexes_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }

  EntityTypeId ResolveEntityTypeQuietly(const syntax::QualifiedName& name) const {
    TypeLookup lookup = LookupType(ctx_, scope_, name);
    return lookup.kind == TypeLookup::Kind::kEntity ? EntityTypeId{lookup.index} : EntityTypeId{};
  }

  Context& ctx_;
  const FileScope& scope_;
  const syntax::TestDecl& node_;
  std::set<EntityKey> keys_;
  ExprChecker checker_;
  Test test_;
  std::map<EntityKey, uint32_t> indexes_;
  std::map<EntityKey, Span> first_spans_;
  std::set<const syntax::TestEntity*> declared_;
  std::vector<TestFact> session_;
  std::optional<Span> open_request_;
  bool request_ok_ = false;
  int request_count_ = 0;
};

}  // namespace

void CheckTest(Context& ctx, const FileScope& scope, const syntax::Decl& decl) {
  TestChecker(ctx, scope, decl).Run();
}

}  // namespace writ::check::internal
