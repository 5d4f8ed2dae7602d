// Declarations nothing uses: L0010 (imports) and L0011 (entity types and enums). Uses are read
// from the checker's resolutions and types where it records them, and from the qualified names
// of the AST (types, `for` lists, parents, detectors, test entities) where it does not.
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

// Every qualified name a file writes outside expressions.
std::vector<const syntax::QualifiedName*> QualifiedNames(const syntax::File& file) {
  std::vector<const syntax::QualifiedName*> out;
  auto all = [&](const std::vector<syntax::QualifiedName>& names) {
    for (const syntax::QualifiedName& n : names) out.push_back(&n);
  };
  for (const syntax::TypeExpr& type : file.types) {
    if (const auto* named = std::get_if<syntax::NamedType>(&type.kind)) out.push_back(&named->name);
  }
  for (const syntax::Decl& decl : file.decls) {
    std::visit(
        Overloaded{
            [&](const syntax::EntityDecl& d) { all(d.parents); },
            [&](const syntax::EnumDecl&) {},
            [&](const syntax::AgentDecl& d) {
              all(d.parents);
              for (const syntax::AgentMember& member : d.members) {
                if (const auto* acts = std::get_if<syntax::ActsForMember>(&member)) {
                  out.push_back(&acts->type);
                }
              }
            },
            [&](const syntax::ToolDecl&) {},
            [&](const syntax::RuleDecl& d) { all(d.principals); },
            [&](const syntax::LimitDecl& d) { all(d.principals); },
            [&](const syntax::BudgetDecl& d) { all(d.principals); },
            [&](const syntax::RateDecl& d) { all(d.principals); },
            [&](const syntax::PoolDecl& d) { all(d.agents); },
            [&](const syntax::OutputDecl& d) {
              for (const syntax::OutputRule& rule : d.rules) all(rule.detectors);
            },
            [&](const syntax::TestDecl& d) {
              for (const syntax::TestStmt& stmt : d.stmts) {
                std::visit(Overloaded{
                               [&](const syntax::TestEntity& s) {
                                 out.push_back(&s.ref.type);
                                 for (const syntax::EntityRefNode& p : s.parents) out.push_back(&p.type);
                               },
                               [&](const syntax::TestCall& s) { out.push_back(&s.principal.type); },
                               [&](const syntax::TestResult& s) { out.push_back(&s.principal.type); },
                               [&](const auto&) {},
                           },
                           stmt.kind);
              }
            },
        },
        decl.kind);
  }
  return out;
}

// Marks the entity types and enums a type mentions.
void MarkType(const check::TypeTable& types, check::Type type, std::set<uint32_t>& entities,
              std::set<uint32_t>& enums) {
  const check::TypeData& data = types.data(type);
  switch (data.kind) {
    case check::TypeKind::kSet: MarkType(types, data.element, entities, enums); break;
    case check::TypeKind::kRecord:
      for (const check::Field& field : data.fields) MarkType(types, field.type, entities, enums);
      break;
    case check::TypeKind::kEntity:
      for (check::EntityTypeId id : data.entities) entities.insert(id.index);
      break;
    case check::TypeKind::kEnum: enums.insert(data.enum_id.index); break;
    default: break;
  }
}

}  // namespace

void CheckUnusedImports(const Context& ctx, diag::Consumer& out) {
  for (const syntax::File& file : ctx.files()) {
    if (file.imports.empty()) continue;
    std::set<std::string> used;
    for (const syntax::QualifiedName* name : QualifiedNames(file)) {
      if (name->parts.size() > 1) used.insert(name->parts.front().text);
    }
    for (uint32_t i = 0; i < file.exprs.size(); ++i) {
      const auto* ref = std::get_if<syntax::NameRef>(&file.exprs[i].kind);
      if (ref == nullptr) continue;
      const check::ExprFacts& facts = ctx.program().facts({file.id, syntax::ExprId{i}});
      if (!std::holds_alternative<check::resolved::Local>(facts.resolution)) {
        used.insert(ref->name.text);
      }
    }
    for (const syntax::ImportDecl& import : file.imports) {
      const syntax::Name& bound = import.bound_name();
      if (used.count(bound.text)) continue;
      out.Handle(diag::Make(diag::Code::kUnusedImport, import.span, import.path.Joined())
                     .Note("imports apply to the file that writes them; nothing here names `" +
                           bound.text + "`")
                     .Help("remove the import")
                     .Fix(import.span, ""));
    }
  }
}

void CheckUnusedTypes(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  std::set<uint32_t> entities;
  std::set<uint32_t> enums;
  auto mark = [&](check::Type type) { MarkType(program.types, type, entities, enums); };
  for (size_t i = 0; i < program.entity_types.size(); ++i) {
    const check::EntityType& type = program.entity_types[i];
    for (const check::Attribute& attr : type.attributes) {
      // A type that only names itself (`manager: User` in User) is still unused.
      std::set<uint32_t> seen;
      MarkType(program.types, attr.type, seen, enums);
      seen.erase(static_cast<uint32_t>(i));
      entities.insert(seen.begin(), seen.end());
    }
    for (check::EntityTypeId parent : type.parents) entities.insert(parent.index);
    if (type.agent && type.agent->acts_for.valid()) entities.insert(type.agent->acts_for.index);
  }
  for (const check::Tool& tool : program.tools) {
    for (const check::Attribute& param : tool.params) mark(param.type);
    if (tool.result) mark(*tool.result);
  }
  for (const syntax::File& file : ctx.files()) {
    for (uint32_t i = 0; i < file.exprs.size(); ++i) {
      const check::ExprFacts& facts = program.facts({file.id, syntax::ExprId{i}});
      mark(facts.type);
      if (const auto* e = std::get_if<check::resolved::EntityType>(&facts.resolution)) {
        entities.insert(e->type.index);
      }
      if (const auto* m = std::get_if<check::resolved::EnumMember>(&facts.resolution)) {
        enums.insert(m->enum_id.index);
      }
    }
  }
  for (const check::Test& test : program.tests) {
    for (const check::TestEntity& entity : test.entities) entities.insert(entity.type.index);
  }
  for (size_t i = 0; i < program.entity_types.size(); ++i) {
    const check::EntityType& type = program.entity_types[i];
    if (type.is_agent() || entities.count(static_cast<uint32_t>(i))) continue;
    out.Handle(diag::Make(diag::Code::kUnusedType, type.span, "entity type", type.qualified_name)
                   .Help("remove it, or use it in an attribute, a parameter or a parent list"));
  }
  for (size_t i = 0; i < program.enums.size(); ++i) {
    const check::EnumType& type = program.enums[i];
    if (!type.package.valid() || enums.count(static_cast<uint32_t>(i))) continue;
    out.Handle(diag::Make(diag::Code::kUnusedType, type.span, "enum", type.qualified_name)
                   .Help("remove it, or use it as the type of an attribute or a parameter"));
  }
}

}  // namespace writ::lint::internal
