// Opening a runtime store for the commands that inspect one (`writ session`, `writ audit`).
#ifndef WRIT_TOOLS_STORES_H_
#define WRIT_TOOLS_STORES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "runtime/store/store.h"

namespace writ::cli {

// Opens the SQLite store at `path`; a file that does not exist is NotFound, not a new store.
absl::StatusOr<std::unique_ptr<runtime::store::Store>> OpenExistingStore(const std::string& path);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_STORES_H_
