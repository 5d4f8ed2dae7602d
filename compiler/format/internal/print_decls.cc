// Schema declarations: entities, enums, agents and tools.
#include <type_traits>
#include <variant>

#include "compiler/format/internal/printer.h"

namespace writ::format::internal {
namespace {

// Entity bodies with more attributes than this always take one attribute per line.
constexpr size_t kMaxOneLineAttrs = 3;

}  // namespace

void Printer::Decl(const syntax::Decl& decl) {
  std::visit(
      [&](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, syntax::EntityDecl>) {
          Entity(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::EnumDecl>) {
          Enum(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::AgentDecl>) {
          Agent(kind);
        } else if constexpr (std::is_same_v<T, syntax::ToolDecl>) {
          Tool(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::RuleDecl>) {
          Rule(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::LimitDecl>) {
          Limit(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::BudgetDecl>) {
          Budget(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::RateDecl>) {
          Rate(decl, kind);
        } else if constexpr (std::is_same_v<T, syntax::PoolDecl>) {
          Pool(kind);
        } else if constexpr (std::is_same_v<T, syntax::OutputDecl>) {
          Output(kind);
        } else {
          static_assert(std::is_same_v<T, syntax::TestDecl>);
          Test(kind);
        }
      },
      decl.kind);
}

void Printer::Entity(const syntax::Decl& decl, const syntax::EntityDecl& entity) {
  bool broken =
      !flat_ && entity.has_body &&
      (entity.attrs.size() > kMaxOneLineAttrs || Breaks(decl.span, [&] { Entity(decl, entity); }));
  Tok("entity");
  Space();
  Leaf(entity.name.text, entity.name.span);
  if (!entity.parents.empty()) {
    Space();
    Tok("in");
    Space();
    NameList(entity.parents);
  }
  if (!entity.has_body) return;
  Space();
  List(
      "{", "}", /*pad=*/true, entity.attrs.size(),
      [&](size_t i) { Attr(entity.attrs[i], kIndent); }, broken, 0);
}

void Printer::Enum(const syntax::Decl& decl, const syntax::EnumDecl& decl_enum) {
  bool broken = Breaks(decl.span, [&] { Enum(decl, decl_enum); });
  Tok("enum");
  Space();
  Leaf(decl_enum.name.text, decl_enum.name.span);
  Space();
  List(
      "{", "}", /*pad=*/true, decl_enum.members.size(),
      [&](size_t i) { Leaf(decl_enum.members[i].text, decl_enum.members[i].span); }, broken, 0);
}

void Printer::Agent(const syntax::AgentDecl& agent) {
  Tok("agent");
  Space();
  Leaf(agent.name.text, agent.name.span);
  if (!agent.parents.empty()) {
    Space();
    Tok("in");
    Space();
    NameList(agent.parents);
  }
  Space();
  Block(0, agent.members.size(), [&](size_t i) { AgentMember(agent.members[i]); });
}

void Printer::AgentMember(const syntax::AgentMember& member) {
  if (const auto* acts_for = std::get_if<syntax::ActsForMember>(&member)) {
    Tok("acts_for");
    Tok(":");
    Space();
    QualifiedName(acts_for->type);
  } else if (const auto* credentials = std::get_if<syntax::CredentialsMember>(&member)) {
    Tok("credentials");
    Space();
    Block(kIndent, credentials->credentials.size(), [&](size_t i) {
      const syntax::CredentialDecl& credential = credentials->credentials[i];
      Leaf(credential.name.text, credential.name.span);
      Tok(":");
      Space();
      StringList(credential.scopes);
      Space();
      Tok("ttl");
      Space();
      Leaf(credential.ttl.text, credential.ttl.span);
    });
  } else {
    Attr(std::get<syntax::AttrDecl>(member), kIndent);
  }
}

// A tool stays on one line if it fits; otherwise its parameters go one per line. A record
// result type breaks on its own when the line it starts on does not fit.
void Printer::Tool(const syntax::Decl& decl, const syntax::ToolDecl& tool) {
  Span params{decl.span.file, decl.span.begin,
              tool.result ? file_.type(*tool.result).span.begin : decl.span.end};
  bool broken = !flat_ && (HasCommentIn(params) || !FitsFlat([&] { ToolFirstLine(tool); }));
  Tok("tool");
  Space();
  QualifiedName(tool.name);
  List(
      "(", ")", /*pad=*/false, tool.params.size(), [&](size_t i) { Attr(tool.params[i], kIndent); },
      broken, 0);
  if (!tool.result) return;
  Space();
  Tok("->");
  Space();
  Type(*tool.result, 0);
}

// What must fit for a tool's parameters to stay on one line: `tool name(params) -> ` and the
// result type, or just the `{` that opens a record result type.
void Printer::ToolFirstLine(const syntax::ToolDecl& tool) {
  Tok("tool");
  Space();
  QualifiedName(tool.name);
  List(
      "(", ")", /*pad=*/false, tool.params.size(), [&](size_t i) { Attr(tool.params[i], kIndent); },
      /*broken=*/false, 0);
  if (!tool.result) return;
  Space();
  Tok("->");
  Space();
  if (std::holds_alternative<syntax::RecordType>(file_.type(*tool.result).kind)) {
    Tok("{");
  } else {
    Type(*tool.result, 0);
  }
}

}  // namespace writ::format::internal
