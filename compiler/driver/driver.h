// The front end as one call: find policy files, read, parse and check them. Used by the CLI,
// the golden tests and the documentation tests, so all three see the same pipeline.
#ifndef WRIT_COMPILER_DRIVER_DRIVER_H_
#define WRIT_COMPILER_DRIVER_DRIVER_H_

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "compiler/base/source.h"
#include "compiler/check/checker.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/syntax/ast.h"
#include "compiler/syntax/parser.h"

namespace writ::driver {

// Expands files and folders (recursively) into the sorted, de-duplicated list of `.writ` files
// they name. A named file is taken whatever its extension. Fails if a path does not exist or
// cannot be read.
absl::StatusOr<std::vector<std::string>> FindPolicyFiles(std::span<const std::string> paths);

// Everything one run of the front end produced.
struct Compilation {
  SourceManager sources;
  std::vector<syntax::File> files;
  diag::Collector diagnostics;
  // Null when syntax errors stopped the pipeline before checking.
  std::unique_ptr<check::Program> program;
};

// Reads and parses each file, then checks them together if none had a syntax error. Fails
// only on I/O errors; mistakes in the policies become diagnostics in `out.diagnostics`.
absl::Status Compile(std::span<const std::string> files, Compilation& out,
                     const syntax::ParseLimits& limits = {});

// Adds in-memory sources instead of files (tests, documentation examples, stdin).
void CompileSources(std::span<const std::pair<std::string, std::string>> named_sources,
                    Compilation& out, const syntax::ParseLimits& limits = {});

}  // namespace writ::driver

#endif  // WRIT_COMPILER_DRIVER_DRIVER_H_
