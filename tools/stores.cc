#include "tools/stores.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include "runtime/store/sqlite_store.h"

namespace writ::cli {

absl::StatusOr<std::unique_ptr<runtime::store::Store>> OpenExistingStore(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return absl::NotFoundError(fmt::format("{}: no such store", path));
  }
  return runtime::store::OpenSqliteStore(path);
}

}  // namespace writ::cli
