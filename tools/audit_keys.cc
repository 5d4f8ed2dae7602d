#include "tools/audit_keys.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "runtime/audit/hash.h"
#include "runtime/audit/keys.h"
#include "tools/io.h"

namespace writ::cli {
namespace {

namespace audit = runtime::audit;

std::string_view Trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return std::string_view(text).substr(begin, end - begin + 1);
}

}  // namespace

absl::Status WriteNewSecretFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InvalidArgumentError(
        fmt::format("{}: cannot create the key file: {}", path, std::strerror(errno)));
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return absl::InvalidArgumentError(fmt::format("{}: cannot write the key file", path));
  }
  return absl::OkStatus();
}

absl::Status CheckPrivateFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return absl::NotFoundError(fmt::format("{}: {}", path, std::strerror(errno)));
  }
  if ((info.st_mode & 0077) != 0) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: the key file is readable or writable by others (mode {:o}); run `chmod 600 {}`",
        path, info.st_mode & 0777, path));
  }
  return absl::OkStatus();
}

absl::StatusOr<SigningKeyFile> LoadOrCreateSigningKey(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) {
      return absl::InvalidArgumentError(fmt::format("{}: {}", path, std::strerror(errno)));
    }
    absl::StatusOr<audit::SecretKey> key = audit::GenerateSigningKey();
    if (!key.ok()) return key.status();
    std::string text = audit::SecretKeyToHex(*key) + "\n";
    absl::Status written = WriteNewSecretFile(path, text);
    std::fill(text.begin(), text.end(), '\0');
    if (!written.ok()) return written;
    const std::string pub = audit::ToHex(audit::PublicKeyOf(*key)) + "\n";
    if (absl::Status status = WriteFileAtomically(path + ".pub", pub); !status.ok()) return status;
    return SigningKeyFile{*key, true};
  }
  if (absl::Status status = CheckPrivateFile(path); !status.ok()) return status;
  absl::StatusOr<Input> input = ReadInput(path, 4096);
  if (!input.ok()) return input.status();
  std::optional<audit::SecretKey> key = audit::SecretKeyFromHex(Trimmed(input->text));
  std::fill(input->text.begin(), input->text.end(), '\0');
  if (!key) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: not a signing key (expected the 128 hex digits `writ run --audit-key` or "
        "`--lease-key` writes)",
        path));
  }
  return SigningKeyFile{*key, false};
}

absl::StatusOr<audit::PublicKey> ReadPublicKey(const std::string& text_or_path) {
  if (std::optional<audit::Hash> key = audit::HashFromHex(text_or_path)) return *key;
  absl::StatusOr<Input> input = ReadInput(text_or_path, 4096);
  if (!input.ok()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: neither 64 hex digits nor a readable public key file", text_or_path));
  }
  std::optional<audit::Hash> key = audit::HashFromHex(Trimmed(input->text));
  if (!key) {
    return absl::InvalidArgumentError(
        fmt::format("{}: not a public key (expected 64 hex digits)", text_or_path));
  }
  return *key;
}

}  // namespace writ::cli
