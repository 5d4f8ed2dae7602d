// The compile steps every command shares: the front end over PATH arguments (or stdin), and
// lowering to verified decision IR.
#ifndef WRIT_TOOLS_COMPILE_H_
#define WRIT_TOOLS_COMPILE_H_

#include <optional>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/policy.h"

namespace writ::cli {

// Compiles the files and folders in `paths`, or standard input as one file when `from_stdin`.
// Returns how many files were compiled; a Status only for usage or I/O problems (the caller
// prints it and exits 2). Policy mistakes are left in `compilation.diagnostics`.
absl::StatusOr<size_t> CompilePaths(std::span<const std::string> paths, bool from_stdin,
                                    driver::Compilation& compilation);

// Lowers a program that checked clean and verifies the result. Returns nullopt after printing
// an internal error if the IR does not verify (a bug in writ, exit 3).
std::optional<ir::Policy> LowerVerified(const driver::Compilation& compilation);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_COMPILE_H_
