#include "tools/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace writ::cli {
namespace fs = std::filesystem;
namespace {

absl::Status ErrnoError(std::string_view path, std::string_view action, int error) {
  return absl::UnavailableError(
      fmt::format("{}: cannot {}: {}", path, action, std::strerror(error)));
}

}  // namespace

absl::StatusOr<Input> ReadInput(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return absl::InvalidArgumentError(fmt::format("{}: is a directory", path));
  Input input;
  input.size = fs::file_size(path, ec);
  if (ec) return absl::NotFoundError(fmt::format("{}: {}", path, ec.message()));
  if (input.size > max_bytes) {
    input.too_large = true;
    return input;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError(path, "open for reading", errno);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(fmt::format("{}: read failed", path));
  input.text = std::move(buffer).str();
  input.size = input.text.size();
  return input;
}

absl::StatusOr<Input> ReadStdin(uint64_t max_bytes) {
  Input input;
  char chunk[1 << 16];
  while (size_t n = std::fread(chunk, 1, sizeof chunk, stdin)) {
    input.size += n;
    // Past the limit the rest is only counted, not kept: the size goes into the diagnostic, and
    // draining the pipe spares the writer a SIGPIPE.
    if (input.size > max_bytes) {
      input.too_large = true;
      input.text.clear();
    } else {
      input.text.append(chunk, n);
    }
  }
  if (std::ferror(stdin)) return absl::DataLossError("standard input: read failed");
  return input;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  std::error_code ec;
  // Renaming over a symbolic link would replace the link itself with a regular file.
  fs::file_status link = fs::symlink_status(path, ec);
  if (ec && link.type() != fs::file_type::not_found) {
    return absl::NotFoundError(fmt::format("{}: {}", path, ec.message()));
  }
  ec.clear();
  fs::path target = fs::is_symlink(link) ? fs::canonical(path, ec) : fs::path(path);
  if (ec) return absl::NotFoundError(fmt::format("{}: {}", path, ec.message()));
  struct stat original {};
  mode_t mode = 0;
  if (::stat(target.c_str(), &original) == 0) {
    mode = original.st_mode & 07777;
  } else if (errno == ENOENT) {
    mode_t mask = ::umask(0);  // umask can only be read by setting it
    ::umask(mask);
    mode = 0666 & ~mask;
  } else {
    return ErrnoError(path, "stat", errno);
  }

  fs::path directory = target.parent_path();
  std::string temp =
      (directory / fmt::format(".{}.writ-fmt-XXXXXX", target.filename().string())).string();
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return ErrnoError(path, "create a temporary file", errno);
  auto fail = [&](std::string_view action) {
    int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return ErrnoError(path, action, error);
  };
  for (size_t written = 0; written < contents.size();) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    written += static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0) return fail("set permissions");
  if (::fsync(fd) != 0) return fail("sync");
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return ErrnoError(path, "close", error);
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return ErrnoError(path, "replace", error);
  }
  // Makes the rename itself durable; a failure here cannot undo it, so it is not reported.
  int directory_fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);
    ::close(directory_fd);
  }
  return absl::OkStatus();
}

absl::Status WriteStdout(std::string_view contents) {
  if (std::fwrite(contents.data(), 1, contents.size(), stdout) != contents.size() ||
      std::fflush(stdout) != 0) {
    return absl::UnavailableError("standard output: write failed");
  }
  return absl::OkStatus();
}

}  // namespace writ::cli
