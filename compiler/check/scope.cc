// Name resolution outside expressions: type names and type expressions, agents of `for`
// lists, and tool patterns.
#include <algorithm>
#include <string>
#include <vector>

#include "compiler/check/internal/context.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

constexpr std::string_view kPreludeTypes[] = {"bool",     "int",       "money", "string",
                                              "duration", "timestamp", "set"};

bool IsPreludeType(std::string_view name) {
  return std::find(std::begin(kPreludeTypes), std::end(kPreludeTypes), name) !=
         std::end(kPreludeTypes);
}

std::string JoinParts(std::span<const syntax::PatternPart> parts) {
  std::string out;
  for (const syntax::PatternPart& part : parts) {
    if (!out.empty()) out += ".";
    out += part.text;
  }
  return out;
}

std::vector<std::string_view> Segments(std::string_view name) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    segments.push_back(name.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return segments;
}

// `*` matches exactly one segment, except as the last part, where it matches one or more.
bool PatternMatches(std::span<const syntax::PatternPart> parts, std::string_view tool_name) {
  std::vector<std::string_view> segments = Segments(tool_name);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i >= segments.size()) return false;
    bool last = i + 1 == parts.size();
    if (parts[i].is_wildcard()) {
      if (last) return true;
      continue;
    }
    if (parts[i].text != segments[i]) return false;
  }
  return segments.size() == parts.size();
}

// The user package a leading import alias names, if `parts` start with one.
PackageId AliasedPackage(const FileScope& scope, std::span<const syntax::PatternPart> parts) {
  if (parts.size() < 2 || parts[0].is_wildcard()) return PackageId{};
  const ImportBinding* binding = scope.FindImport(parts[0].text);
  if (binding == nullptr || binding->is_module()) return PackageId{};
  return binding->package;  // invalid for a failed import
}

// Looks `name` up among the types and tools a package declares.
TypeLookup LookupInPackage(const Context& ctx, PackageId package, std::string_view name) {
  const PackageScope& symbols = ctx.packages[package.index];
  auto it = symbols.types.find(name);
  if (it != symbols.types.end()) {
    bool is_enum = it->second.kind == TypeSymbol::Kind::kEnum;
    return {is_enum ? TypeLookup::Kind::kEnum : TypeLookup::Kind::kEntity, it->second.index};
  }
  if (symbols.tools.contains(name)) return {TypeLookup::Kind::kNotAType, 0};
  return {};
}

std::vector<std::string> TypeCandidates(const Context& ctx, const FileScope& scope,
                                        const syntax::QualifiedName& name) {
  std::vector<std::string> candidates;
  if (name.parts.size() == 2) {
    const ImportBinding* binding = scope.FindImport(name.parts[0].text);
    if (binding != nullptr && binding->package.valid()) {
      for (const auto& [type, symbol] : ctx.packages[binding->package.index].types) {
        candidates.push_back(name.parts[0].text + "." + type);
      }
    }
    return candidates;
  }
  for (std::string_view prelude : kPreludeTypes) candidates.emplace_back(prelude);
  for (const auto& [type, symbol] : ctx.packages[scope.package.index].types) {
    candidates.push_back(type);
  }
  return candidates;
}

}  // namespace

TypeLookup LookupType(const Context& ctx, const FileScope& scope,
                      const syntax::QualifiedName& name) {
  if (name.parts.empty()) return {};
  const std::string& first = name.parts[0].text;
  if (name.parts.size() == 1) {
    if (IsPreludeType(first)) return {TypeLookup::Kind::kPrelude, 0};
    TypeLookup local = LookupInPackage(ctx, scope.package, first);
    if (local.kind != TypeLookup::Kind::kNotFound) return local;
    if (const ImportBinding* binding = scope.FindImport(first)) {
      return {binding->failed() ? TypeLookup::Kind::kFailed : TypeLookup::Kind::kNotAType, 0};
    }
    return {};
  }
  const ImportBinding* binding = scope.FindImport(first);
  if (binding != nullptr && binding->failed()) return {TypeLookup::Kind::kFailed, 0};
  std::string rest = name.Joined().substr(first.size() + 1);
  if (binding != nullptr && binding->is_module()) {
    if (name.parts.size() != 2) return {};
    EnumId id = ctx.program.FindStdEnum(binding->module, rest);
    if (id.valid()) return {TypeLookup::Kind::kEnum, id.index};
    if (stdlib::FindFunction(binding->module, rest) || stdlib::FindConstant(binding->module, rest)) {
      return {TypeLookup::Kind::kNotAType, 0};
    }
    return {};
  }
  if (binding != nullptr) {
    TypeLookup found = LookupInPackage(ctx, binding->package, rest);
    // A dotted name in another package can only be a tool there.
    if (name.parts.size() > 2 && found.kind != TypeLookup::Kind::kNotAType) return {};
    return found;
  }
  if (ctx.packages[scope.package.index].tools.contains(name.Joined())) {
    return {TypeLookup::Kind::kNotAType, 0};
  }
  return {};
}

void ReportNotAType(Context& ctx, const FileScope& scope, const syntax::QualifiedName& name,
                    const TypeLookup& lookup) {
  std::string text = name.Joined();
  if (lookup.kind == TypeLookup::Kind::kFailed) return;
  if (lookup.kind == TypeLookup::Kind::kNotAType) {
    ctx.Report(diag::Make(Code::kNotAType, name.span, text));
    return;
  }
  ctx.Report(diag::Make(Code::kUnknownType, name.span, text)
                 .Help(DidYouMean(text, TypeCandidates(ctx, scope, name))));
}

Type ResolveType(Context& ctx, const FileScope& scope, syntax::TypeId id) {
  const syntax::TypeExpr& expr = scope.file->type(id);
  TypeTable& types = ctx.program.types;
  if (const auto* record = std::get_if<syntax::RecordType>(&expr.kind)) {
    std::vector<Field> fields;
    std::map<std::string, Span, std::less<>> seen;
    for (const syntax::AttrDecl& attr : record->fields) {
      Type type = ResolveType(ctx, scope, attr.type);
      auto [it, inserted] = seen.emplace(attr.name.text, attr.name.span);
      if (!inserted) {
        ctx.Report(diag::Make(Code::kDuplicateAttribute, attr.name.span, attr.name.text)
                       .Label(it->second, "first declared here"));
        continue;
      }
      fields.push_back(Field{attr.name.text, type, attr.optional});
    }
    return types.Record(std::move(fields));
  }
  const auto& named = std::get<syntax::NamedType>(expr.kind);
  TypeLookup lookup = LookupType(ctx, scope, named.name);
  size_t expected_args = 0;
  Type result = TypeTable::Error();
  switch (lookup.kind) {
    case TypeLookup::Kind::kNotFound:
    case TypeLookup::Kind::kNotAType:
    case TypeLookup::Kind::kFailed:
      ReportNotAType(ctx, scope, named.name, lookup);
      return TypeTable::Error();
    case TypeLookup::Kind::kEntity:
      result = types.Entity(EntityTypeId{lookup.index});
      break;
    case TypeLookup::Kind::kEnum:
      result = types.Enum(EnumId{lookup.index});
      break;
    case TypeLookup::Kind::kPrelude: {
      const std::string& name = named.name.parts[0].text;
      if (name == "set") {
        expected_args = 1;
        if (named.args.size() == 1) return types.SetOf(ResolveType(ctx, scope, named.args[0]));
      } else if (name == "bool") {
        result = TypeTable::Bool();
      } else if (name == "int") {
        result = TypeTable::Int();
      } else if (name == "money") {
        result = TypeTable::Money();
      } else if (name == "string") {
        result = TypeTable::String();
      } else if (name == "duration") {
        result = TypeTable::Duration();
      } else {
        result = TypeTable::Timestamp();
      }
      break;
    }
  }
  if (named.args.size() != expected_args) {
    ctx.Report(diag::Make(Code::kBadTypeArguments, expr.span, named.name.Joined(), expected_args,
                          named.args.size()));
    return TypeTable::Error();
  }
  return result;
}

EntityTypeId ResolveEntityType(Context& ctx, const FileScope& scope,
                               const syntax::QualifiedName& name) {
  TypeLookup lookup = LookupType(ctx, scope, name);
  switch (lookup.kind) {
    case TypeLookup::Kind::kEntity:
      return EntityTypeId{lookup.index};
    case TypeLookup::Kind::kEnum:
    case TypeLookup::Kind::kPrelude:
      ctx.Report(diag::Make(Code::kNotAnEntityType, name.span, name.Joined()));
      return EntityTypeId{};
    default:
      ReportNotAType(ctx, scope, name, lookup);
      return EntityTypeId{};
  }
}

std::vector<EntityTypeId> ResolveAgents(Context& ctx, const FileScope& scope,
                                        std::span<const syntax::QualifiedName> names) {
  std::vector<EntityTypeId> agents;
  for (const syntax::QualifiedName& name : names) {
    TypeLookup lookup = LookupType(ctx, scope, name);
    switch (lookup.kind) {
      case TypeLookup::Kind::kEntity:
        if (!ctx.program.entity_types[lookup.index].is_agent()) {
          ctx.Report(diag::Make(Code::kNotAnAgent, name.span, name.Joined()));
          break;
        }
        if (std::find(agents.begin(), agents.end(), EntityTypeId{lookup.index}) == agents.end()) {
          agents.push_back(EntityTypeId{lookup.index});
        }
        break;
      case TypeLookup::Kind::kEnum:
      case TypeLookup::Kind::kPrelude:
        ctx.Report(diag::Make(Code::kNotAnAgent, name.span, name.Joined()));
        break;
      default:
        ReportNotAType(ctx, scope, name, lookup);
        break;
    }
  }
  return agents;
}

std::vector<EntityTypeId> AllAgents(const Context& ctx) {
  std::vector<EntityTypeId> agents;
  for (size_t i = 0; i < ctx.program.entity_types.size(); ++i) {
    if (ctx.program.entity_types[i].is_agent()) {
      agents.push_back(EntityTypeId{static_cast<uint32_t>(i)});
    }
  }
  return agents;
}

std::vector<ToolId> MatchTools(Context& ctx, const FileScope& scope,
                               std::span<const syntax::PatternPart> parts, Span span) {
  if (parts.empty()) return {};
  if (parts.size() >= 2) {
    const ImportBinding* binding = scope.FindImport(parts[0].text);
    if (binding != nullptr && binding->failed()) return {};
  }
  PackageId package = AliasedPackage(scope, parts);
  std::span<const syntax::PatternPart> rest = parts;
  if (package.valid()) {
    rest = parts.subspan(1);
  } else {
    package = scope.package;
  }
  const PackageScope& symbols = ctx.packages[package.index];
  std::vector<ToolId> matched;
  for (const auto& [name, id] : symbols.tools) {
    if (PatternMatches(rest, name)) matched.push_back(id);
  }
  std::sort(matched.begin(), matched.end());
  if (!matched.empty()) return matched;

  std::string text = JoinParts(parts);
  bool wildcard = std::any_of(parts.begin(), parts.end(),
                              [](const syntax::PatternPart& p) { return p.is_wildcard(); });
  if (wildcard) {
    ctx.Report(diag::Make(Code::kPatternMatchesNothing, span, text));
    return {};
  }
  std::vector<std::string> candidates;
  std::string prefix = package == scope.package ? "" : parts[0].text + ".";
  for (const auto& [name, id] : symbols.tools) candidates.push_back(prefix + name);
  ctx.Report(diag::Make(Code::kUnknownTool, span, text).Help(DidYouMean(text, candidates)));
  return {};
}

std::vector<ToolId> MatchToolPatterns(Context& ctx, const FileScope& scope,
                                      std::span<const syntax::ToolPattern> patterns) {
  std::vector<ToolId> tools;
  for (const syntax::ToolPattern& pattern : patterns) {
    for (ToolId id : MatchTools(ctx, scope, pattern.parts, pattern.span)) {
      if (std::find(tools.begin(), tools.end(), id) == tools.end()) tools.push_back(id);
    }
  }
  std::sort(tools.begin(), tools.end());
  return tools;
}

ToolId ResolveToolName(Context& ctx, const FileScope& scope, const syntax::QualifiedName& name) {
  std::vector<syntax::PatternPart> parts;
  for (const syntax::Name& part : name.parts) parts.push_back({part.text, part.span});
  std::vector<ToolId> tools = MatchTools(ctx, scope, parts, name.span);
  return tools.empty() ? ToolId{} : tools.front();
}

}  // namespace writ::check::internal
