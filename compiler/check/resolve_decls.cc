// The schema: entity types, agents, enums and tools. Names are declared first (so declarations
// may refer to each other in any order), then resolved.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/check/internal/context.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

// Names a declaration may not take: the prelude's types and functions and the names the rule
// environment binds.
constexpr std::string_view kReservedNames[] = {
    "bool", "int",       "money", "string", "duration", "timestamp", "set",
    "size", "principal", "args",  "result", "session",
};

bool CheckNotReserved(Context& ctx, const syntax::Name& name) {
  if (std::find(std::begin(kReservedNames), std::end(kReservedNames), name.text) ==
      std::end(kReservedNames)) {
    return true;
  }
  ctx.Report(diag::Make(Code::kReservedName, name.span, name.text));
  return false;
}

std::string Qualify(const Context& ctx, PackageId package, const std::string& name) {
  const std::string& prefix = ctx.program.packages[package.index].name;
  return prefix.empty() ? name : prefix + "." + name;
}

// Adds a type name to its package; reports W0207 if the name is taken.
void DeclareTypeName(Context& ctx, PackageId package, const syntax::Name& name, TypeSymbol symbol) {
  if (!CheckNotReserved(ctx, name)) return;
  auto& types = ctx.packages[package.index].types;
  auto [it, inserted] = types.emplace(name.text, symbol);
  if (!inserted) {
    ctx.Report(diag::Make(Code::kDuplicateDecl, name.span, name.text)
                   .Label(it->second.span, "first declared here"));
  }
}

struct ParentEdge {
  EntityTypeId to;
  Span span;
};

// Reports one W0215 per back edge of a depth-first search over parent links.
void ReportHierarchyCycles(Context& ctx, const std::vector<std::vector<ParentEdge>>& edges) {
  enum State { kWhite, kGray, kBlack };
  std::vector<State> state(edges.size(), kWhite);
  auto visit = [&](auto& self, size_t node) -> void {
    state[node] = kGray;
    for (const ParentEdge& edge : edges[node]) {
      size_t next = edge.to.index;
      if (state[next] == kGray) {
        ctx.Report(diag::Make(Code::kCyclicHierarchy, edge.span,
                              ctx.program.entity_types[next].name));
      } else if (state[next] == kWhite) {
        self(self, next);
      }
    }
    state[node] = kBlack;
  };
  for (size_t i = 0; i < edges.size(); ++i) {
    if (state[i] == kWhite) visit(visit, i);
  }
}

// How `other` differs from `first`, two declarations of one tool name, as a note that names
// the first's package; nullopt if they agree. Types that failed to resolve (reported) agree with
// everything.
std::optional<std::string> ToolDifference(const Context& ctx, const Tool& first,
                                          const Tool& other) {
  const Program& program = ctx.program;
  const std::string in_first = "in package `" + program.package(first.package).name + "`";
  auto differ = [&](Type a, Type b) {
    return a != b && !program.types.is_error(a) && !program.types.is_error(b);
  };
  for (const Attribute& param : first.params) {
    const Attribute* mine = other.FindParam(param.name);
    if (mine == nullptr) {
      return "parameter `" + param.name + "` is declared " + in_first + " but not here";
    }
    if (differ(param.type, mine->type)) {
      return "parameter `" + param.name + "` is `" + program.TypeName(param.type) + "` " +
             in_first + " and `" + program.TypeName(mine->type) + "` here";
    }
    if (param.optional != mine->optional) {
      return "parameter `" + param.name + "` is " + (param.optional ? "optional " : "required ") +
             in_first + " and " + (mine->optional ? "optional" : "required") + " here";
    }
  }
  for (const Attribute& param : other.params) {
    if (first.FindParam(param.name) == nullptr) {
      return "parameter `" + param.name + "` is declared here but not " + in_first;
    }
  }
  auto result = [&](const std::optional<Type>& type) {
    return type ? "`" + program.TypeName(*type) + "`" : std::string("not declared");
  };
  if (first.result.has_value() != other.result.has_value() ||
      (first.result && differ(*first.result, *other.result))) {
    return "the result is " + result(first.result) + " " + in_first + " and " +
           result(other.result) + " here";
  }
  return std::nullopt;
}

// A call names its tool the way the agent runtime does, without a package, and is governed by
// every package that declares the tool; so those declarations must describe one tool. Each one
// that differs from the first declaration is reported.
void ReportConflictingTools(Context& ctx) {
  std::map<std::string, std::vector<ToolId>, std::less<>> by_name;
  for (const PackageScope& package : ctx.packages) {
    for (const auto& [name, id] : package.tools) by_name[name].push_back(id);
  }
  for (auto& [name, ids] : by_name) {
    std::sort(ids.begin(), ids.end());
    const Tool& first = ctx.program.tool(ids.front());
    for (size_t i = 1; i < ids.size(); ++i) {
      const Tool& other = ctx.program.tool(ids[i]);
      std::optional<std::string> difference = ToolDifference(ctx, first, other);
      if (!difference) continue;
      ctx.Report(diag::Make(Code::kConflictingTool, other.span, name,
                            ctx.program.package(first.package).name)
                     .Label(first.span, "declared here")
                     .Note(*difference));
    }
  }
}

class SchemaResolver {
 public:
  explicit SchemaResolver(Context& ctx) : ctx_(ctx), parent_edges_(ctx.program.entity_types.size()) {}

  void Run() {
    for (size_t f = 0; f < ctx_.files.size(); ++f) {
      const FileScope& scope = ctx_.files[f];
      const auto& decls = scope.file->decls;
      for (size_t d = 0; d < decls.size(); ++d) {
        auto id = ctx_.schema_ids.find({f, d});
        if (id == ctx_.schema_ids.end()) continue;
        std::visit([&](const auto& decl) { Resolve(scope, decl, id->second); }, decls[d].kind);
      }
    }
    ReportHierarchyCycles(ctx_, parent_edges_);
  }

 private:
  void Resolve(const FileScope& scope, const syntax::EntityDecl& decl, uint32_t id) {
    ResolveParents(scope, decl.parents, id);
    for (const syntax::AttrDecl& attr : decl.attrs) AddAttribute(scope, attr, id);
  }

  void Resolve(const FileScope& scope, const syntax::AgentDecl& decl, uint32_t id) {
    ResolveParents(scope, decl.parents, id);
    std::optional<Span> acts_for_span;
    for (const syntax::AgentMember& member : decl.members) {
      if (const auto* attr = std::get_if<syntax::AttrDecl>(&member)) {
        AddAttribute(scope, *attr, id);
      } else if (const auto* acts_for = std::get_if<syntax::ActsForMember>(&member)) {
        if (acts_for_span) {
          ctx_.Report(diag::Make(Code::kDuplicateAttribute, acts_for->span, "acts_for")
                          .Label(*acts_for_span, "first declared here"));
          continue;
        }
        acts_for_span = acts_for->span;
        EntityTypeId target = ResolveEntityType(ctx_, scope, acts_for->type);
        ctx_.program.entity_types[id].agent->acts_for = target;
        if (!target.valid()) ctx_.failed_acts_for.insert(EntityTypeId{id});
      } else {
        for (const syntax::CredentialDecl& credential :
             std::get<syntax::CredentialsMember>(member).credentials) {
          AddCredential(credential, id);
        }
      }
    }
  }

  void Resolve(const FileScope& scope, const syntax::EnumDecl& decl, uint32_t id) {
    std::map<std::string, Span, std::less<>> seen;
    for (const syntax::Name& member : decl.members) {
      auto [it, inserted] = seen.emplace(member.text, member.span);
      if (!inserted) {
        ctx_.Report(diag::Make(Code::kDuplicateEnumMember, member.span, member.text)
                        .Label(it->second, "first declared here"));
        continue;
      }
      ctx_.program.enums[id].members.push_back(member.text);
    }
  }

  void Resolve(const FileScope& scope, const syntax::ToolDecl& decl, uint32_t id) {
    std::vector<Attribute> params;
    for (const syntax::AttrDecl& param : decl.params) {
      Type type = ResolveType(ctx_, scope, param.type);
      auto previous = std::find_if(params.begin(), params.end(),
                                   [&](const Attribute& p) { return p.name == param.name.text; });
      if (previous != params.end()) {
        ctx_.Report(diag::Make(Code::kDuplicateParameter, param.name.span, param.name.text)
                        .Label(previous->span, "first declared here"));
        continue;
      }
      params.push_back(Attribute{param.name.text, type, param.optional, param.name.span});
    }
    Tool& tool = ctx_.program.tools[id];
    tool.params = std::move(params);
    if (decl.result) tool.result = ResolveType(ctx_, scope, *decl.result);
  }

  template <typename T>
  void Resolve(const FileScope&, const T&, uint32_t) {}

  void ResolveParents(const FileScope& scope, const std::vector<syntax::QualifiedName>& names,
                      uint32_t id) {
    for (const syntax::QualifiedName& name : names) {
      EntityTypeId parent = ResolveEntityType(ctx_, scope, name);
      if (!parent.valid()) continue;
      auto& parents = ctx_.program.entity_types[id].parents;
      if (std::find(parents.begin(), parents.end(), parent) != parents.end()) continue;
      parents.push_back(parent);
      parent_edges_[id].push_back(ParentEdge{parent, name.span});
    }
  }

  void AddAttribute(const FileScope& scope, const syntax::AttrDecl& attr, uint32_t id) {
    Type type = ResolveType(ctx_, scope, attr.type);
    EntityType& entity = ctx_.program.entity_types[id];
    const Attribute* previous = entity.FindAttribute(attr.name.text);
    if (previous != nullptr || (entity.is_agent() && attr.name.text == "acts_for")) {
      diag::Builder builder =
          diag::Make(Code::kDuplicateAttribute, attr.name.span, attr.name.text);
      if (previous != nullptr) builder.Label(previous->span, "first declared here");
      ctx_.Report(builder);
      return;
    }
    entity.attributes.push_back(Attribute{attr.name.text, type, attr.optional, attr.name.span});
  }

  void AddCredential(const syntax::CredentialDecl& decl, uint32_t id) {
    AgentInfo& agent = *ctx_.program.entity_types[id].agent;
    for (const Credential& existing : agent.credentials) {
      if (existing.name == decl.name.text) {
        ctx_.Report(diag::Make(Code::kDuplicateDecl, decl.name.span, decl.name.text)
                        .Label(existing.span, "first declared here"));
        return;
      }
    }
    CheckPositive(ctx_, decl.ttl);
    Credential credential{decl.name.text, {}, decl.ttl.millis, decl.name.span};
    for (const syntax::StringNode& scope : decl.scopes) credential.scopes.push_back(scope.value);
    agent.credentials.push_back(std::move(credential));
  }

  Context& ctx_;
  std::vector<std::vector<ParentEdge>> parent_edges_;
};

}  // namespace

void DeclareSchema(Context& ctx) {
  Program& program = ctx.program;
  // The enums of std modules come first, so `pii.Kind` resolves like any enum.
  for (size_t i = 0; i < stdlib::Enums().size(); ++i) {
    const stdlib::Enum& e = stdlib::Enums()[i];
    EnumType type;
    type.name = std::string(e.name);
    type.qualified_name = std::string(e.module) + "." + type.name;
    for (std::string_view member : e.members) type.members.emplace_back(member);
    type.stdlib_enum = static_cast<uint32_t>(i);
    program.enums.push_back(std::move(type));
  }
  for (size_t f = 0; f < ctx.files.size(); ++f) {
    const FileScope& scope = ctx.files[f];
    PackageId package = scope.package;
    const auto& decls = scope.file->decls;
    for (size_t d = 0; d < decls.size(); ++d) {
      const syntax::Decl& decl = decls[d];
      if (const auto* entity = std::get_if<syntax::EntityDecl>(&decl.kind)) {
        uint32_t id = static_cast<uint32_t>(program.entity_types.size());
        program.entity_types.push_back(EntityType{package, entity->name.text,
                                                  Qualify(ctx, package, entity->name.text),
                                                  {}, {}, std::nullopt, entity->name.span});
        DeclareTypeName(ctx, package, entity->name, {TypeSymbol::Kind::kEntity, id, entity->name.span});
        ctx.schema_ids[{f, d}] = id;
      } else if (const auto* agent = std::get_if<syntax::AgentDecl>(&decl.kind)) {
        uint32_t id = static_cast<uint32_t>(program.entity_types.size());
        program.entity_types.push_back(EntityType{package, agent->name.text,
                                                  Qualify(ctx, package, agent->name.text),
                                                  {}, {}, AgentInfo{}, agent->name.span});
        DeclareTypeName(ctx, package, agent->name, {TypeSymbol::Kind::kEntity, id, agent->name.span});
        ctx.schema_ids[{f, d}] = id;
      } else if (const auto* e = std::get_if<syntax::EnumDecl>(&decl.kind)) {
        uint32_t id = static_cast<uint32_t>(program.enums.size());
        program.enums.push_back(
            EnumType{package, e->name.text, Qualify(ctx, package, e->name.text), {}, std::nullopt,
                     e->name.span});
        DeclareTypeName(ctx, package, e->name, {TypeSymbol::Kind::kEnum, id, e->name.span});
        ctx.schema_ids[{f, d}] = id;
      } else if (const auto* tool = std::get_if<syntax::ToolDecl>(&decl.kind)) {
        uint32_t id = static_cast<uint32_t>(program.tools.size());
        std::string name = tool->name.Joined();
        program.tools.push_back(Tool{package, name, {}, std::nullopt, tool->name.span});
        ctx.schema_ids[{f, d}] = id;
        auto& tools = ctx.packages[package.index].tools;
        auto previous = tools.find(name);
        if (previous != tools.end()) {
          ctx.Report(diag::Make(Code::kDuplicateDecl, tool->name.span, name)
                         .Label(program.tools[previous->second.index].span, "first declared here"));
          continue;
        }
        tools.emplace(name, ToolId{id});
      }
    }
  }
}

void ResolveSchema(Context& ctx) {
  SchemaResolver(ctx).Run();
  ReportConflictingTools(ctx);
}

}  // namespace writ::check::internal
