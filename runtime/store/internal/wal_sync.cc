#include "runtime/store/internal/wal_sync.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace writ::runtime::store::internal {
namespace {

absl::Status Errno(std::string_view what, const std::string& path) {
  int error = errno;
  std::string message = fmt::format("{} {}: {}", what, path, std::strerror(error));
  return error == ENOSPC || error == EDQUOT ? absl::ResourceExhaustedError(message)
                                            : absl::UnavailableError(message);
}

}  // namespace

WalSync::WalSync(std::string database) : database_(std::move(database)) {}

WalSync::~WalSync() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status WalSync::Sync() {
  if (fd_ < 0) {
    std::string log = database_ + "-wal";
    int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
    // No log yet: nothing has been written, so nothing waits to be flushed.
    if (fd < 0 && errno == ENOENT) return absl::OkStatus();
    if (fd < 0) return Errno("cannot open the write-ahead log", log);
    std::string folder = std::filesystem::path(database_).parent_path().string();
    if (folder.empty()) folder = ".";
    int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || ::fsync(dir) != 0) {
      absl::Status status = Errno("cannot flush the folder", folder);
      if (dir >= 0) ::close(dir);
      ::close(fd);
      return status;
    }
    ::close(dir);
    fd_ = fd;
  }
  if (::fdatasync(fd_) != 0) return Errno("cannot flush the write-ahead log of", database_);
  return absl::OkStatus();
}

}  // namespace writ::runtime::store::internal
