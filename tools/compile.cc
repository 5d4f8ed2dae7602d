#include "tools/compile.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/verify.h"
#include "compiler/lower/lower.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {

absl::StatusOr<size_t> CompilePaths(std::span<const std::string> paths, bool from_stdin,
                                    driver::Compilation& compilation) {
  syntax::ParseLimits limits;
  if (from_stdin) {
    absl::StatusOr<Input> input = ReadStdin(limits.max_file_bytes);
    if (!input.ok()) return input.status();
    if (input->too_large) {
      FileId id = compilation.sources.Add(std::string(kStdinName), "");
      compilation.diagnostics.Handle(diag::Make(diag::Code::kFileTooLarge, Span{id, 0, 0},
                                                input->size, limits.max_file_bytes));
      return 1;
    }
    std::pair<std::string, std::string> source{std::string(kStdinName), std::move(input->text)};
    driver::CompileSources(std::span(&source, 1), compilation, limits);
    return 1;
  }
  absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(paths);
  if (!files.ok()) return files.status();
  if (absl::Status status = driver::Compile(*files, compilation, limits); !status.ok()) {
    return status;
  }
  return files->size();
}

std::optional<ir::Policy> LowerVerified(const driver::Compilation& compilation) {
  ir::Policy policy = lower::Lower(compilation.sources, compilation.files, *compilation.program);
  if (absl::Status status = ir::Verify(policy); !status.ok()) {
    PrintInternalError("lowering produced invalid IR: " + std::string(status.message()));
    return std::nullopt;
  }
  return policy;
}

}  // namespace writ::cli
