// Packages and imports: which files form which package, what each file's imports bind, and
// cycles among user packages.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "compiler/check/internal/context.h"
#include "stdlib/declarations.h"

namespace writ::check::internal {
namespace {

using diag::Code;

// Names the rule environment binds; an import may not hide them.
constexpr std::string_view kEnvironmentNames[] = {"principal", "args", "result", "session"};

bool IsEnvironmentName(std::string_view name) {
  for (std::string_view reserved : kEnvironmentNames) {
    if (name == reserved) return true;
  }
  return false;
}

struct Edge {
  PackageId target;
  Span span;
};

// Reports one W0216 per back edge of a depth-first search, so each cycle is reported once.
class CycleFinder {
 public:
  CycleFinder(Context& ctx, const std::vector<std::vector<Edge>>& edges)
      : ctx_(ctx), edges_(edges), state_(edges.size(), kWhite) {}

  void Run() {
    for (size_t i = 0; i < edges_.size(); ++i) {
      if (state_[i] == kWhite) Visit(i);
    }
  }

 private:
  enum State { kWhite, kGray, kBlack };

  void Visit(size_t node) {
    state_[node] = kGray;
    for (const Edge& edge : edges_[node]) {
      size_t next = edge.target.index;
      if (state_[next] == kGray) {
        ctx_.Report(diag::Make(Code::kImportCycle, edge.span, ctx_.program.packages[next].name));
      } else if (state_[next] == kWhite) {
        Visit(next);
      }
    }
    state_[node] = kBlack;
  }

  Context& ctx_;
  const std::vector<std::vector<Edge>>& edges_;
  std::vector<State> state_;
};

}  // namespace

const ImportBinding* FileScope::FindImport(std::string_view name) const {
  auto it = imports.find(name);
  return it == imports.end() ? nullptr : &it->second;
}

std::string DidYouMean(std::string_view name, std::span<const std::string> candidates) {
  std::string match = diag::ClosestMatch(name, candidates);
  return match.empty() ? std::string() : "did you mean `" + match + "`?";
}

void DeclarePackages(Context& ctx, std::span<const syntax::File> files) {
  Program& program = ctx.program;
  for (const syntax::File& file : files) {
    FileScope scope;
    scope.file = &file;
    std::string name = file.package ? file.package->name.Joined() : std::string();
    if (file.package && !file.package->name.parts.empty() &&
        file.package->name.parts[0].text == "std") {
      ctx.Report(diag::Make(Code::kReservedName, file.package->name.parts[0].span, "std")
                     .Help("`std` holds the standard library; choose another package name"));
    }
    PackageId id = program.FindPackage(name);
    if (!id.valid()) {
      id = PackageId{static_cast<uint32_t>(program.packages.size())};
      program.packages.push_back(Package{name, {}, {}, {}});
      ctx.packages.emplace_back();
    }
    program.packages[id.index].files.push_back(file.id);
    scope.package = id;
    ctx.files.push_back(std::move(scope));
  }
}

void ResolveImports(Context& ctx) {
  Program& program = ctx.program;
  std::vector<std::vector<Edge>> edges(program.packages.size());
  std::vector<std::string> package_names;
  for (const Package& package : program.packages) package_names.push_back(package.name);
  std::vector<std::string> module_names;
  for (const stdlib::Module& module : stdlib::Modules()) module_names.emplace_back(module.path);

  for (FileScope& scope : ctx.files) {
    Package& package = program.packages[scope.package.index];
    std::set<std::string> paths;
    for (const syntax::ImportDecl& import : scope.file->imports) {
      if (import.path.parts.empty()) continue;
      std::string path = import.path.Joined();
      const syntax::Name& bound = import.bound_name();
      ImportBinding binding;
      binding.span = import.path.span;
      auto bind_failed = [&] {
        if (!IsEnvironmentName(bound.text)) scope.imports.emplace(bound.text, binding);
      };
      if (import.path.parts[0].text == "std") {
        if (stdlib::FindModule(path) == nullptr) {
          ctx.Report(diag::Make(Code::kUnknownPackage, import.path.span, path)
                         .Help(DidYouMean(path, module_names)));
          bind_failed();
          continue;
        }
        binding.module = path;
      } else {
        binding.package = program.FindPackage(path);
        if (!binding.package.valid()) {
          ctx.Report(diag::Make(Code::kUnknownPackage, import.path.span, path)
                         .Help(DidYouMean(path, package_names)));
          bind_failed();
          continue;
        }
        if (binding.package == scope.package) {
          ctx.Report(diag::Make(Code::kSelfImport, import.path.span, path));
          binding.package = PackageId{};
          bind_failed();
          continue;
        }
      }
      if (IsEnvironmentName(bound.text)) {
        ctx.Report(diag::Make(Code::kReservedName, bound.span, bound.text)
                       .Help("import it under another name: `import " + path + " as ...`"));
        continue;
      }
      const ImportBinding* previous = scope.FindImport(bound.text);
      if (previous != nullptr || !paths.insert(path).second) {
        diag::Builder builder = diag::Make(Code::kDuplicateImport, import.path.span, bound.text);
        if (previous != nullptr) builder.Label(previous->span, "first imported here");
        ctx.Report(builder);
        continue;
      }
      if (binding.is_module()) {
        if (std::find(package.std_modules.begin(), package.std_modules.end(), path) ==
            package.std_modules.end()) {
          package.std_modules.push_back(path);
        }
      } else if (std::find(package.imports.begin(), package.imports.end(), binding.package) ==
                 package.imports.end()) {
        package.imports.push_back(binding.package);
        edges[scope.package.index].push_back(Edge{binding.package, import.path.span});
      }
      scope.imports.emplace(bound.text, std::move(binding));
    }
  }
  CycleFinder(ctx, edges).Run();
}

}  // namespace writ::check::internal
