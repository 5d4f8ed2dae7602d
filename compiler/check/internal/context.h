// The checker's working state, shared by its passes: the program being built, the symbol
// tables of packages and files, and the helpers that resolve names of types, agents and tools.
// Each pass is a free function over a Context; the passes run in the order of checker.cc.
#ifndef WRIT_COMPILER_CHECK_INTERNAL_CONTEXT_H_
#define WRIT_COMPILER_CHECK_INTERNAL_CONTEXT_H_

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/check/program.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"

namespace writ::check::internal {

// A name of a package's type namespace: an entity type (agents included) or an enum.
struct TypeSymbol {
  enum class Kind { kEntity, kEnum } kind = Kind::kEntity;
  uint32_t index = 0;  // EntityTypeId or EnumId
  Span span;
};

// What one package declares, by name. First declarations win; later duplicates were reported.
struct PackageScope {
  std::map<std::string, TypeSymbol, std::less<>> types;
  std::map<std::string, ToolId, std::less<>> tools;  // "payments.transfer"
  std::map<std::string, Span, std::less<>> labels;
  std::map<std::string, Span, std::less<>> pools;
  std::map<std::string, Span, std::less<>> tests;
};

// What `import` bound a name to: a user package or a std module. An import that failed (and
// was reported) still binds its name, so that uses of it stay silent instead of cascading.
struct ImportBinding {
  PackageId package;   // valid for a user package
  std::string module;  // "std.sql" for a std module
  Span span;
  bool is_module() const { return !module.empty(); }
  bool failed() const { return !package.valid() && module.empty(); }
};

struct FileScope {
  const syntax::File* file = nullptr;
  PackageId package;
  std::map<std::string, ImportBinding, std::less<>> imports;  // by bound name

  // The binding of `name`; null if the file imports nothing under that name.
  const ImportBinding* FindImport(std::string_view name) const;
  ExprRef Ref(syntax::ExprId id) const { return ExprRef{file->id, id}; }
};

// The result of looking a (possibly qualified) type name up, before any diagnostic.
struct TypeLookup {
  // kFailed: the name goes through an import that failed; nothing more to report.
  enum class Kind { kNotFound, kPrelude, kEntity, kEnum, kNotAType, kFailed } kind = Kind::kNotFound;
  uint32_t index = 0;  // EntityTypeId or EnumId
};

class Context {
 public:
  Context(const SourceManager& sources, diag::Consumer& consumer, Program& program)
      : sources(sources), consumer(consumer), program(program) {}

  void Report(diag::Diagnostic diagnostic) { consumer.Handle(std::move(diagnostic)); }
  // The source text of a span, for messages that quote what the user wrote.
  std::string Text(Span span) const { return std::string(sources.Text(span)); }

  const SourceManager& sources;
  diag::Consumer& consumer;
  Program& program;
  std::vector<FileScope> files;         // in the order of the files given to Check
  std::vector<PackageScope> packages;   // by PackageId
  // The entity type or enum made from each schema declaration: (file position, decl index).
  std::map<std::pair<size_t, size_t>, uint32_t> schema_ids;
  // Agents whose `acts_for` names no entity type (reported): `principal.acts_for` stays silent.
  std::set<EntityTypeId> failed_acts_for;
};

// ---- passes (checker.cc runs them in this order) --------------------------------------------

// packages.cc: groups files into packages, binds imports, reports import cycles.
void DeclarePackages(Context& ctx, std::span<const syntax::File> files);
void ResolveImports(Context& ctx);
// resolve_decls.cc: declares the schema's names, then resolves attributes, parents, agents,
// enums and tools, and reports cycles in the entity hierarchy and packages that declare one tool
// differently.
void DeclareSchema(Context& ctx);
void ResolveSchema(Context& ctx);
// check_rules.cc, check_budgets.cc, check_tests.cc: one declaration each.
void CheckRule(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckLimit(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckBudget(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckRate(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckPool(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckOutput(Context& ctx, const FileScope& scope, const syntax::Decl& decl);
void CheckTest(Context& ctx, const FileScope& scope, const syntax::Decl& decl);

// ---- name resolution (scope.cc) -------------------------------------------------------------

// Looks a type name up in a file's scope: prelude types, the package's types, `alias.Name` in
// an imported package or std module. Reports nothing.
TypeLookup LookupType(const Context& ctx, const FileScope& scope, const syntax::QualifiedName& name);
// Reports why `name` is not a type (W0202 with did-you-mean, or W0220).
void ReportNotAType(Context& ctx, const FileScope& scope, const syntax::QualifiedName& name,
                    const TypeLookup& lookup);
// Resolves a type expression; reports and returns the error type on failure.
Type ResolveType(Context& ctx, const FileScope& scope, syntax::TypeId id);
// Resolves the name of an entity type (agents included); reports W0202/W0221 and returns an
// invalid id on failure.
EntityTypeId ResolveEntityType(Context& ctx, const FileScope& scope,
                               const syntax::QualifiedName& name);
// Resolves the names of a `for` list or pool to agents; each failure is reported (W0202,
// W0212) and left out.
std::vector<EntityTypeId> ResolveAgents(Context& ctx, const FileScope& scope,
                                        std::span<const syntax::QualifiedName> names);
// Every agent of the program, in declaration order.
std::vector<EntityTypeId> AllAgents(const Context& ctx);
// The tools `parts` match (a tool pattern, or its leading parts before a field name); reports
// W0203 (exact name, with did-you-mean) or W0214 (wildcard) when none match.
std::vector<ToolId> MatchTools(Context& ctx, const FileScope& scope,
                               std::span<const syntax::PatternPart> parts, Span span);
// The union of several patterns' matches, in declaration order without repeats.
std::vector<ToolId> MatchToolPatterns(Context& ctx, const FileScope& scope,
                                      std::span<const syntax::ToolPattern> patterns);
// The tool a test names; reports W0203 and returns an invalid id if there is none.
ToolId ResolveToolName(Context& ctx, const FileScope& scope, const syntax::QualifiedName& name);

// ---- shared checks of rule-like declarations (check_rules.cc) -------------------------------

// Resolves a label and modifiers: W0406/W0407 for modifiers, W0218 for a label used twice in
// the package.
DeclHead ResolveHead(Context& ctx, const FileScope& scope, const syntax::RuleHead& head,
                     Span decl_span);
// Reports W0414 for an empty reason; returns whether the reason is usable.
bool CheckReason(Context& ctx, const syntax::StringNode& reason);
// Reports W0413 for a duration that is not positive; returns whether it is positive.
bool CheckPositive(Context& ctx, const syntax::DurationNode& duration);
// Classifies the type of a `by` expression; reports W0411 if it cannot name approvers.
std::optional<Approvers> CheckApprovers(Context& ctx, const FileScope& scope,
                                        syntax::ExprId expr, Type type);
// The type of `principal` under a `for` list: the agents named, every agent when the list is
// empty, the error type when every name failed (and was reported).
Type PrincipalType(Context& ctx, std::span<const syntax::QualifiedName> names,
                   const std::vector<EntityTypeId>& agents);
// Resolves a period name (W0501 with did-you-mean).
std::optional<Period> ResolvePeriod(Context& ctx, const syntax::Name& name);

// A did-you-mean help for `name` among `candidates`; empty if none is close.
std::string DidYouMean(std::string_view name, std::span<const std::string> candidates);

}  // namespace writ::check::internal

#endif  // WRIT_COMPILER_CHECK_INTERNAL_CONTEXT_H_
