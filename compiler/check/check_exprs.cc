// Expressions: the dispatch over expression kinds, literals, names, entity literals, `has`,
// quantifiers, sets and records. Member access is in check_members.cc, operators in
// check_operators.cc, calls in check_calls.cc.
#include <algorithm>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "compiler/check/internal/expr_checker.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

constexpr SessionFact kSessionFacts[] = {
    SessionFact::kTokensUsed, SessionFact::kToolCalls, SessionFact::kElapsed,
    SessionFact::kStartedAt,  SessionFact::kNow,       SessionFact::kTask,
    SessionFact::kSpent,
};
static_assert(std::size(kSessionFacts) == kSessionFactCount, "every session fact once");

}  // namespace

std::span<const SessionFact> SessionFacts() { return kSessionFacts; }

Type SessionFactType(SessionFact fact) {
  switch (fact) {
    case SessionFact::kTokensUsed:
    case SessionFact::kToolCalls: return TypeTable::Int();
    case SessionFact::kElapsed: return TypeTable::Duration();
    case SessionFact::kStartedAt:
    case SessionFact::kNow: return TypeTable::Timestamp();
    case SessionFact::kTask: return TypeTable::String();
    case SessionFact::kSpent: return TypeTable::Money();
  }
  return TypeTable::Error();
}

ExprChecker::ExprChecker(Context& ctx, const FileScope& scope, Env env)
    : ctx_(ctx), scope_(scope), env_(std::move(env)) {}

Type ExprChecker::Value(syntax::ExprId id) { return AsValue(id, Check(id)); }

Type ExprChecker::Condition(syntax::ExprId id) {
  Type type = Value(id);
  if (!types().is_error(type) && type != TypeTable::Bool()) {
    ctx_.Report(diag::Make(Code::kConditionNotBool, expr(id).span, TypeName(type)));
    return TypeTable::Error();
  }
  return type;
}

Type ExprChecker::Expect(syntax::ExprId id, Type expected) {
  Type type = Value(id);
  if (!types().Compatible(type, expected)) {
    ctx_.Report(
        diag::Make(Code::kTypeMismatch, expr(id).span, TypeName(expected), TypeName(type)));
    return TypeTable::Error();
  }
  return type;
}

Type ExprChecker::AsValue(syntax::ExprId id, const Item& item) {
  if (item.kind == Item::Kind::kValue) return item.type;
  diag::Builder builder = diag::Make(Code::kNotAValue, expr(id).span, Text(id));
  if (item.kind == Item::Kind::kFunction) builder.Help("call it: `" + Text(id) + "(...)`");
  ctx_.Report(builder);
  facts(id).type = TypeTable::Error();
  return TypeTable::Error();
}

ExprChecker::Item ExprChecker::ValueItem(syntax::ExprId id, Type type, Resolution resolution,
                                         std::optional<Constant> constant) {
  ExprFacts& f = facts(id);
  f.type = type;
  f.resolution = std::move(resolution);
  f.constant = std::move(constant);
  Item item;
  item.type = type;
  return item;
}

ExprChecker::Item ExprChecker::TypeNameItem(syntax::ExprId id, const TypeSymbol& symbol) {
  Item item;
  item.index = symbol.index;
  if (symbol.kind == TypeSymbol::Kind::kEnum) {
    item.kind = Item::Kind::kEnumType;
    ValueItem(id, TypeTable::Error(), resolved::Namespace{});
  } else {
    item.kind = Item::Kind::kEntityType;
    ValueItem(id, TypeTable::Error(), resolved::EntityType{EntityTypeId{item.index}});
  }
  return item;
}

ExprChecker::Item ExprChecker::Check(syntax::ExprId id) {
  const syntax::Expr& e = expr(id);
  return std::visit(
      [&](const auto& node) -> Item {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, syntax::IntLit>) {
          return ValueItem(id, TypeTable::Int(), resolved::None{},
                           Constant{TypeKind::kInt, node.value, ""});
        } else if constexpr (std::is_same_v<T, syntax::DecimalLit>) {
          ctx_.Report(diag::Make(Code::kDecimalNoCurrency, e.span, node.text)
                          .Help("write the amount with its currency, e.g. `" + node.text +
                                " USD`"));
          return ValueItem(id, TypeTable::Error());
        } else if constexpr (std::is_same_v<T, syntax::MoneyLit>) {
          return ValueItem(id, types().MoneyIn(node.value.currency), resolved::None{},
                           Constant{TypeKind::kMoney, node.value.units, node.value.currency});
        } else if constexpr (std::is_same_v<T, syntax::DurationLit>) {
          return ValueItem(id, TypeTable::Duration(), resolved::None{},
                           Constant{TypeKind::kDuration, node.millis, ""});
        } else if constexpr (std::is_same_v<T, syntax::StringLit>) {
          return ValueItem(id, TypeTable::String());
        } else if constexpr (std::is_same_v<T, syntax::BoolLit>) {
          return ValueItem(id, TypeTable::Bool());
        } else if constexpr (std::is_same_v<T, syntax::NameRef>) {
          return CheckName(id, node);
        } else if constexpr (std::is_same_v<T, syntax::MemberExpr>) {
          return CheckMember(id, node);
        } else if constexpr (std::is_same_v<T, syntax::CallExpr>) {
          return CheckCall(id, node);
        } else if constexpr (std::is_same_v<T, syntax::EntityLit>) {
          Type type = CheckEntityLit(id, node);
          facts(id).type = type;
          return Item{Item::Kind::kValue, type};
        } else if constexpr (std::is_same_v<T, syntax::UnaryExpr>) {
          Type type = CheckUnary(id, node);
          facts(id).type = type;
          return Item{Item::Kind::kValue, type};
        } else if constexpr (std::is_same_v<T, syntax::BinaryExpr>) {
          Type type = CheckBinary(id, node);
          facts(id).type = type;
          return Item{Item::Kind::kValue, type};
        } else if constexpr (std::is_same_v<T, syntax::HasExpr>) {
          return ValueItem(id, CheckHas(id, node));
        } else if constexpr (std::is_same_v<T, syntax::QuantExpr>) {
          return ValueItem(id, CheckQuant(id, node));
        } else if constexpr (std::is_same_v<T, syntax::SetLit>) {
          return ValueItem(id, CheckSet(node));
        } else if constexpr (std::is_same_v<T, syntax::RecordLit>) {
          return ValueItem(id, CheckRecord(node));
        } else {
          static_assert(std::is_same_v<T, syntax::ParenExpr>);
          Item inner = Check(node.inner);
          facts(id) = facts(node.inner);
          return inner;
        }
      },
      e.kind);
}

ExprChecker::Item ExprChecker::CheckName(syntax::ExprId id, const syntax::NameRef& ref) {
  const std::string& name = ref.name.text;
  Span span = ref.name.span;
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->name == name) return ValueItem(id, it->type, resolved::Local{it->binder});
  }
  if (name == "principal" || name == "session") {
    bool available = name == "principal" ? env_.principal : env_.session;
    if (!available) {
      ctx_.Report(diag::Make(Code::kNotAvailableHere, span, name, env_.where));
      return ValueItem(id, TypeTable::Error());
    }
    if (name == "principal") return ValueItem(id, env_.principal_type, resolved::Principal{});
    return ValueItem(id, SessionType(), resolved::Session{});
  }
  if (name == "args" || name == "result") {
    if (!env_.args_and_result) {
      ctx_.Report(diag::Make(Code::kArgsWithoutTool, span));
      return ValueItem(id, TypeTable::Error());
    }
    if (name == "args") return ValueItem(id, ArgsType(), resolved::Args{});
    if (env_.phase == syntax::Phase::kCall) {
      ctx_.Report(diag::Make(Code::kResultInCallPhase, span)
                      .Help("write a `result` rule to inspect what the tool returned"));
      return ValueItem(id, TypeTable::Error());
    }
    return ValueItem(id, ResultType(span), resolved::Result{});
  }
  if (const ImportBinding* binding = scope_.FindImport(name)) {
    if (binding->failed()) return ValueItem(id, TypeTable::Error());
    ValueItem(id, TypeTable::Error(), resolved::Namespace{});
    Item item;
    item.kind = Item::Kind::kNamespace;
    item.package = binding->package;
    item.module = binding->module;
    return item;
  }
  const PackageScope& package = ctx_.packages[scope_.package.index];
  if (auto it = package.types.find(name); it != package.types.end()) {
    return TypeNameItem(id, it->second);
  }
  for (PreludeFunction function : {PreludeFunction::kTimestamp, PreludeFunction::kSize}) {
    if (name == Spelling(function)) {
      Item item;
      item.kind = Item::Kind::kFunction;
      item.function = resolved::Prelude{function};
      ValueItem(id, TypeTable::Error(), item.function);
      return item;
    }
  }
  std::string module = "std." + name;
  if (stdlib::FindModule(module) != nullptr) {
    ctx_.Report(diag::Make(Code::kModuleNotImported, span, module)
                    .Help("add `import " + module + "`"));
    return ValueItem(id, TypeTable::Error());
  }
  std::vector<std::string> candidates = {"timestamp", "size"};
  for (const Local& local : locals_) candidates.push_back(local.name);
  if (env_.principal) candidates.push_back("principal");
  if (env_.session) candidates.push_back("session");
  if (env_.args_and_result) candidates.insert(candidates.end(), {"args", "result"});
  for (const auto& [alias, binding] : scope_.imports) candidates.push_back(alias);
  for (const auto& [type, symbol] : package.types) candidates.push_back(type);
  ctx_.Report(
      diag::Make(Code::kUnknownName, span, name).Help(DidYouMean(name, candidates)));
  return ValueItem(id, TypeTable::Error());
}

Type ExprChecker::CheckEntityLit(syntax::ExprId id, const syntax::EntityLit& lit) {
  Item type = Check(lit.type);
  if (type.kind == Item::Kind::kValue && types().is_error(type.type)) return TypeTable::Error();
  if (type.kind != Item::Kind::kEntityType) {
    ctx_.Report(diag::Make(Code::kNotAnEntityType, expr(lit.type).span, Text(lit.type)));
    return TypeTable::Error();
  }
  EntityTypeId entity{type.index};
  facts(id).resolution = resolved::EntityType{entity};
  if (env_.test_entities != nullptr && !env_.test_entities->contains({entity, lit.id.value}) &&
      !env_.test_entities->contains({EntityTypeId{}, lit.id.value})) {
    ctx_.Report(diag::Make(Code::kTestUnknownEntity, expr(id).span, Text(id))
                    .Help("declare it in the test: `entity " + Text(id) + " { ... }`"));
  }
  return types().Entity(entity);
}

Type ExprChecker::CheckHas(syntax::ExprId id, const syntax::HasExpr& has) {
  Type object = Value(has.object);
  if (types().is_error(object)) return TypeTable::Bool();
  const TypeData data = types().data(object);
  const std::string& name = has.attr.text;
  std::vector<std::string> candidates;
  if (data.kind == TypeKind::kEntity) {
    for (EntityTypeId entity : data.entities) {
      const EntityType& type = ctx_.program.entity_type(entity);
      if (type.FindAttribute(name) != nullptr) return TypeTable::Bool();
      if (name == "acts_for" && type.is_agent() &&
          (type.agent->acts_for.valid() || ctx_.failed_acts_for.contains(entity))) {
        return TypeTable::Bool();
      }
      for (const Attribute& attr : type.attributes) candidates.push_back(attr.name);
    }
    ctx_.Report(diag::Make(Code::kUnknownAttribute, has.attr.span, TypeName(object), name)
                    .Help(DidYouMean(name, candidates)));
    return TypeTable::Error();
  }
  if (data.kind == TypeKind::kRecord) {
    if (types().FindField(object, name) != nullptr) return TypeTable::Bool();
    for (const Field& field : data.fields) candidates.push_back(field.name);
    ctx_.Report(diag::Make(Code::kUnknownAttribute, has.attr.span, Text(has.object), name)
                    .Help(DidYouMean(name, candidates)));
    return TypeTable::Error();
  }
  ctx_.Report(diag::Make(Code::kHasOnNonRecord, expr(has.object).span, TypeName(object)));
  return TypeTable::Error();
}

Type ExprChecker::CheckQuant(syntax::ExprId id, const syntax::QuantExpr& quant) {
  Type domain = Value(quant.domain);
  Type element = TypeTable::Error();
  if (types().kind(domain) == TypeKind::kSet) {
    element = types().data(domain).element;
  } else if (!types().is_error(domain)) {
    ctx_.Report(diag::Make(Code::kQuantifierNotSet, expr(quant.domain).span,
                           quant.all ? "all" : "any", TypeName(domain)));
  }
  locals_.push_back(Local{quant.var.text, scope_.Ref(id), element});
  Type body = Condition(quant.body);
  locals_.pop_back();
  return types().is_error(body) && !types().is_error(domain) ? TypeTable::Error()
                                                              : TypeTable::Bool();
}

Type ExprChecker::CheckSet(const syntax::SetLit& set) {
  Type element = TypeTable::Error();
  bool failed = false;
  for (syntax::ExprId id : set.elements) {
    Type type = Value(id);
    if (failed || types().is_error(type)) continue;
    if (types().Compatible(element, type)) {
      element = types().Join(element, type);
      continue;
    }
    failed = true;
    if (types().kind(element) == TypeKind::kMoney && types().kind(type) == TypeKind::kMoney) {
      SameCurrency(id, element, type);
    } else {
      ctx_.Report(diag::Make(Code::kMixedSetElements, expr(id).span, TypeName(element),
                             TypeName(type)));
    }
  }
  return types().SetOf(element);
}

Type ExprChecker::CheckRecord(const syntax::RecordLit& record) {
  std::vector<Field> fields;
  std::map<std::string, Span, std::less<>> seen;
  for (const syntax::FieldInit& init : record.fields) {
    Type type = Value(init.value);
    auto [it, inserted] = seen.emplace(init.name.text, init.name.span);
    if (!inserted) {
      ctx_.Report(diag::Make(Code::kDuplicateAttribute, init.name.span, init.name.text)
                      .Label(it->second, "first given here"));
      continue;
    }
    fields.push_back(Field{init.name.text, type, false});
  }
  return types().Record(std::move(fields));
}

Type ExprChecker::ArgsType() {
  std::vector<Field> fields;
  if (env_.tools.empty()) return TypeTable::Error();
  for (const Attribute& param : ctx_.program.tool(env_.tools[0]).params) {
    bool common = true;
    bool optional = param.optional;
    for (ToolId tool : env_.tools) {
      const Attribute* other = ctx_.program.tool(tool).FindParam(param.name);
      if (other == nullptr || other->type != param.type) {
        common = false;
        break;
      }
      optional = optional || other->optional;
    }
    if (common) fields.push_back(Field{param.name, param.type, optional});
  }
  return types().Record(std::move(fields));
}

Type ExprChecker::ResultType(Span use) {
  // A tool without a result was reported at the rule's pattern.
  std::vector<Type> results;
  for (ToolId tool : env_.tools) {
    const std::optional<Type>& result = ctx_.program.tool(tool).result;
    if (!result) return TypeTable::Error();
    results.push_back(*result);
  }
  if (results.empty()) return TypeTable::Error();
  if (std::all_of(results.begin(), results.end(), [&](Type t) { return t == results[0]; })) {
    return results[0];
  }
  bool records = std::all_of(results.begin(), results.end(), [&](Type t) {
    return types().kind(t) == TypeKind::kRecord;
  });
  if (!records) {
    for (Type t : results) {
      if (t != results[0]) {
        ctx_.Report(diag::Make(Code::kTypeMismatch, use, TypeName(results[0]), TypeName(t))
                        .Note("the tools this rule matches return different types"));
        break;
      }
    }
    return TypeTable::Error();
  }
  // Several record results: the fields they share with one type.
  std::vector<Field> fields;
  for (const Field& field : types().data(results[0]).fields) {
    bool common = std::all_of(results.begin(), results.end(), [&](Type t) {
      const Field* other = types().FindField(t, field.name);
      return other != nullptr && other->type == field.type && other->optional == field.optional;
    });
    if (common) fields.push_back(field);
  }
  return types().Record(std::move(fields));
}

Type ExprChecker::SessionType() {
  std::vector<Field> fields;
  for (SessionFact fact : kSessionFacts) {
    fields.push_back(Field{std::string(Spelling(fact)), SessionFactType(fact), false});
  }
  return types().Record(std::move(fields));
}

}  // namespace writ::check::internal
