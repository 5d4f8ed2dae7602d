// Member access: `alias.name` into std modules and imported packages, enum members, and
// reads of entity attributes, `args` parameters, record fields and `session` facts; with the
// `has` guards that make optional attributes readable.
#include <algorithm>
#include <string>
#include <vector>

#include "compiler/check/internal/expr_checker.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {

namespace {

using diag::Code;

// The guard of a `has` that failed to check: it counts for every path.
constexpr char kAnyPath[] = "*";

}  // namespace

ExprChecker::Item ExprChecker::CheckMember(syntax::ExprId id, const syntax::MemberExpr& m) {
  Item object = Check(m.object);
  const std::string& name = m.member.text;
  Span span = m.member.span;
  switch (object.kind) {
    case Item::Kind::kValue:
      if (types().is_error(object.type)) return ValueItem(id, TypeTable::Error());
      return CheckValueMember(id, m, object.type);
    case Item::Kind::kEntityType:
    case Item::Kind::kFunction:
      AsValue(m.object, object);
      return ValueItem(id, TypeTable::Error());
    case Item::Kind::kEnumType: {
      const EnumType& e = ctx_.program.enums[object.index];
      auto it = std::find(e.members.begin(), e.members.end(), name);
      if (it == e.members.end()) {
        ctx_.Report(diag::Make(Code::kUnknownEnumMember, span, e.name, name)
                        .Help(DidYouMean(name, e.members)));
        return ValueItem(id, TypeTable::Error());
      }
      EnumId enum_id{object.index};
      return ValueItem(id, types().Enum(enum_id),
                       resolved::EnumMember{enum_id, static_cast<uint32_t>(it - e.members.begin())});
    }
    case Item::Kind::kNamespace:
      break;
  }
  Item item;
  if (!object.module.empty()) {
    if (auto function = stdlib::FindFunction(object.module, name)) {
      item.kind = Item::Kind::kFunction;
      item.function = resolved::StdFunction{*function};
      ValueItem(id, TypeTable::Error(), item.function);
      return item;
    }
    if (auto constant = stdlib::FindConstant(object.module, name)) {
      const stdlib::Constant& c = stdlib::Constants()[*constant];
      EnumId enum_id = ctx_.program.FindStdEnum(c.module, c.enum_name);
      const auto& members = ctx_.program.enums[enum_id.index].members;
      auto member = std::find(members.begin(), members.end(), c.name);
      return ValueItem(id, types().Enum(enum_id),
                       resolved::EnumMember{enum_id, static_cast<uint32_t>(member - members.begin())});
    }
    EnumId enum_id = ctx_.program.FindStdEnum(object.module, name);
    if (enum_id.valid()) {
      item.kind = Item::Kind::kEnumType;
      item.index = enum_id.index;
      ValueItem(id, TypeTable::Error(), resolved::Namespace{});
      return item;
    }
    std::vector<std::string> candidates;
    for (std::string_view member : stdlib::MemberNames(object.module)) {
      candidates.emplace_back(member);
    }
    ctx_.Report(diag::Make(Code::kUnknownFunction, span, object.module, name)
                    .Help(DidYouMean(name, candidates)));
    return ValueItem(id, TypeTable::Error());
  }
  const PackageScope& package = ctx_.packages[object.package.index];
  if (auto it = package.types.find(name); it != package.types.end()) {
    return TypeNameItem(id, it->second);
  }
  std::vector<std::string> candidates;
  for (const auto& [type, symbol] : package.types) candidates.push_back(type);
  std::string text = Text(m.object) + "." + name;
  ctx_.Report(diag::Make(Code::kUnknownName, span, text).Help(DidYouMean(name, candidates)));
  return ValueItem(id, TypeTable::Error());
}

ExprChecker::Item ExprChecker::CheckValueMember(syntax::ExprId id, const syntax::MemberExpr& m,
                                                Type object_type) {
  const std::string& name = m.member.text;
  Span span = m.member.span;
  const Resolution& object = facts(m.object).resolution;
  // Reads of optional attributes need a `has` guard on the same path.
  auto require_guard = [&] {
    std::string key = PathKey(m.object);
    if (!key.empty() && Guarded(key + "." + name)) return;
    ctx_.Report(diag::Make(Code::kOptionalAttribute, span, name)
                    .Help("guard it: `" + Text(m.object) + " has " + name + " and ...`"));
  };

  if (std::holds_alternative<resolved::Session>(object)) {
    std::vector<std::string> candidates = {"calls_in"};
    for (SessionFact fact : SessionFacts()) {
      if (name == Spelling(fact)) return ValueItem(id, SessionFactType(fact), resolved::Fact{fact});
      candidates.emplace_back(Spelling(fact));
    }
    if (name == "calls_in") {
      Item item;
      item.kind = Item::Kind::kFunction;
      item.function = resolved::CallsIn{};
      ValueItem(id, TypeTable::Error(), item.function);
      return item;
    }
    ctx_.Report(diag::Make(Code::kUnknownAttribute, span, "session", name)
                    .Help(DidYouMean(name, candidates)));
    return ValueItem(id, TypeTable::Error());
  }

  if (std::holds_alternative<resolved::Args>(object)) {
    const Program& program = ctx_.program;
    std::vector<std::string> lacking;
    const Attribute* first = nullptr;
    bool same_type = true;
    bool optional = false;
    for (ToolId tool : env_.tools) {
      const Attribute* param = program.tool(tool).FindParam(name);
      if (param == nullptr) {
        lacking.push_back(program.tool(tool).name);
        continue;
      }
      // A parameter whose type failed to resolve was reported at its declaration.
      if (types().is_error(param->type)) return ValueItem(id, TypeTable::Error());
      if (first != nullptr && param->type != first->type) same_type = false;
      if (first == nullptr) first = param;
      optional = optional || param->optional;
    }
    if (first != nullptr && lacking.empty() && same_type) {
      if (optional) require_guard();
      return ValueItem(id, first->type, resolved::Param{name});
    }
    if (first == nullptr && env_.tools.size() == 1) {
      const Tool& tool = program.tool(env_.tools[0]);
      std::vector<std::string> candidates;
      for (const Attribute& param : tool.params) candidates.push_back(param.name);
      ctx_.Report(diag::Make(Code::kUnknownParameter, span, tool.name, name)
                      .Help(DidYouMean(name, candidates)));
    } else if (first != nullptr) {
      diag::Builder builder = diag::Make(Code::kAmbiguousArgs, span, name);
      if (!lacking.empty()) {
        builder.Note("`" + lacking.front() + "` has no parameter `" + name + "`");
      } else {
        builder.Note("the tools declare `" + name + "` with different types");
      }
      builder.Help("narrow the rule's tool patterns to tools that share `" + name + "`");
      ctx_.Report(builder);
    } else if (!env_.tools.empty()) {
      std::vector<std::string> candidates;
      for (const Field& field : types().data(ArgsType()).fields) candidates.push_back(field.name);
      ctx_.Report(diag::Make(Code::kAmbiguousArgs, span, name)
                      .Help(DidYouMean(name, candidates)));
    }
    return ValueItem(id, TypeTable::Error());
  }

  const TypeData data = types().data(object_type);  // a copy: interning below may grow the table
  if (data.kind == TypeKind::kEntity) {
    const Program& program = ctx_.program;
    if (name == "acts_for") {
      for (EntityTypeId agent : data.entities) {
        if (ctx_.failed_acts_for.contains(agent)) return ValueItem(id, TypeTable::Error());
      }
      EntityTypeId target;
      bool common = !data.entities.empty();
      for (EntityTypeId agent : data.entities) {
        const EntityType& type = program.entity_type(agent);
        if (!type.is_agent() || !type.agent->acts_for.valid() ||
            (target.valid() && type.agent->acts_for != target)) {
          common = false;
          break;
        }
        target = type.agent->acts_for;
      }
      if (common) return ValueItem(id, types().Entity(target), resolved::ActsFor{});
    }
    const Attribute* first = nullptr;
    bool common = !data.entities.empty();
    bool optional = false;
    for (EntityTypeId entity : data.entities) {
      const Attribute* attr = program.entity_type(entity).FindAttribute(name);
      if (attr != nullptr && types().is_error(attr->type)) return ValueItem(id, TypeTable::Error());
      if (attr == nullptr || (first != nullptr && attr->type != first->type)) {
        common = false;
        break;
      }
      if (first == nullptr) first = attr;
      optional = optional || attr->optional;
    }
    if (common && first != nullptr) {
      if (optional) require_guard();
      Type type = first->type;
      return ValueItem(id, type, resolved::Attribute{name, optional});
    }
    std::vector<std::string> candidates;
    if (!data.entities.empty()) {
      for (const Attribute& attr : program.entity_type(data.entities[0]).attributes) {
        candidates.push_back(attr.name);
      }
    }
    ctx_.Report(diag::Make(Code::kUnknownAttribute, span, TypeName(object_type), name)
                    .Help(DidYouMean(name, candidates)));
    return ValueItem(id, TypeTable::Error());
  }
  if (data.kind == TypeKind::kRecord) {
    if (const Field* field = types().FindField(object_type, name)) {
      if (field->optional) require_guard();
      Type type = field->type;
      return ValueItem(id, type, resolved::Field{name});
    }
    std::vector<std::string> candidates;
    for (const Field& field : data.fields) candidates.push_back(field.name);
    ctx_.Report(diag::Make(Code::kUnknownAttribute, span, Text(m.object), name)
                    .Help(DidYouMean(name, candidates)));
    return ValueItem(id, TypeTable::Error());
  }
  ctx_.Report(diag::Make(Code::kNoMembers, span, TypeName(object_type)));
  return ValueItem(id, TypeTable::Error());
}

std::string ExprChecker::PathKey(syntax::ExprId id) const {
  const syntax::Expr& e = expr(id);
  if (const auto* paren = std::get_if<syntax::ParenExpr>(&e.kind)) return PathKey(paren->inner);
  if (const auto* member = std::get_if<syntax::MemberExpr>(&e.kind)) {
    std::string object = PathKey(member->object);
    return object.empty() ? object : object + "." + member->member.text;
  }
  if (!std::holds_alternative<syntax::NameRef>(e.kind)) return "";
  const Resolution& resolution = facts(id).resolution;
  if (std::holds_alternative<resolved::Principal>(resolution)) return "principal";
  if (std::holds_alternative<resolved::Args>(resolution)) return "args";
  if (std::holds_alternative<resolved::Result>(resolution)) return "result";
  if (const auto* local = std::get_if<resolved::Local>(&resolution)) {
    return "$" + std::to_string(local->binder.expr.index);
  }
  return "";
}

void ExprChecker::CollectGuards(syntax::ExprId id, std::vector<std::string>& out) const {
  const syntax::Expr& e = expr(id);
  if (const auto* paren = std::get_if<syntax::ParenExpr>(&e.kind)) {
    CollectGuards(paren->inner, out);
  } else if (const auto* binary = std::get_if<syntax::BinaryExpr>(&e.kind)) {
    if (binary->op != syntax::BinaryOp::kAnd) return;
    CollectGuards(binary->lhs, out);
    CollectGuards(binary->rhs, out);
  } else if (const auto* has = std::get_if<syntax::HasExpr>(&e.kind)) {
    // A guard that failed could have guarded anything: trust it rather than report the reads
    // it was meant to cover.
    if (ctx_.program.types.is_error(facts(id).type) ||
        ctx_.program.types.is_error(facts(has->object).type)) {
      out.push_back(kAnyPath);
      return;
    }
    std::string key = PathKey(has->object);
    if (!key.empty()) out.push_back(key + "." + has->attr.text);
  }
}

bool ExprChecker::Guarded(const std::string& path) const {
  return std::find(guards_.begin(), guards_.end(), path) != guards_.end() ||
         std::find(guards_.begin(), guards_.end(), kAnyPath) != guards_.end();
}

}  // namespace writ::check::internal
