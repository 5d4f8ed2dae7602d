#include "runtime/test_policies.h"

#include <utility>

#include "compiler/driver/driver.h"
#include "compiler/lower/lower.h"

namespace writ::runtime::testing {
namespace {

std::unique_ptr<ir::Policy> Finish(driver::Compilation& compilation, std::string* errors) {
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) {
    if (errors != nullptr) {
      for (const diag::Diagnostic& diagnostic : compilation.diagnostics.diagnostics()) {
        *errors += diagnostic.message + "\n";
      }
    }
    return nullptr;
  }
  return std::make_unique<ir::Policy>(
      lower::Lower(compilation.sources, compilation.files, *compilation.program));
}

}  // namespace

std::unique_ptr<ir::Policy> CompilePolicy(const std::string& source, std::string* errors) {
  driver::Compilation compilation;
  std::pair<std::string, std::string> named{"test.writ", source};
  driver::CompileSources(std::span(&named, 1), compilation);
  return Finish(compilation, errors);
}

std::unique_ptr<ir::Policy> CompilePolicyFiles(const std::vector<std::string>& paths,
                                               std::string* errors) {
  absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(paths);
  if (!files.ok()) {
    if (errors != nullptr) *errors = std::string(files.status().message());
    return nullptr;
  }
  driver::Compilation compilation;
  if (absl::Status status = driver::Compile(*files, compilation); !status.ok()) {
    if (errors != nullptr) *errors = std::string(status.message());
    return nullptr;
  }
  return Finish(compilation, errors);
}

}  // namespace writ::runtime::testing
