#include "compiler/driver/driver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace writ::driver {
namespace fs = std::filesystem;

absl::StatusOr<std::vector<std::string>> FindPolicyFiles(std::span<const std::string> paths) {
  std::set<std::string> found;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return absl::NotFoundError(absl::StrCat(path, ": no such file or directory"));
    }
    if (!fs::is_directory(status)) {
      found.insert(path);
      continue;
    }
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) return absl::PermissionDeniedError(absl::StrCat(path, ": ", ec.message()));
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return absl::UnavailableError(absl::StrCat(path, ": ", ec.message()));
      if (it->is_regular_file() && it->path().extension() == ".writ") {
        found.insert(it->path().lexically_normal().string());
      }
    }
  }
  return std::vector<std::string>(found.begin(), found.end());
}

namespace {

// Reads a whole file, refusing (before reading) one larger than `max_bytes`: the size check
// becomes a diagnostic, so the returned text is empty and `too_large` is set.
absl::StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes, size_t& size) {
  std::error_code ec;
  size = fs::file_size(path, ec);
  if (ec) return absl::NotFoundError(absl::StrCat(path, ": ", ec.message()));
  if (size > max_bytes) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open for reading"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read failed"));
  return buffer.str();
}

void ParseAndCheck(Compilation& out, const std::vector<FileId>& ids,
                   const syntax::ParseLimits& limits) {
  bool syntax_ok = !out.diagnostics.has_errors();
  for (FileId id : ids) {
    int before = out.diagnostics.error_count();
    out.files.push_back(syntax::Parse(out.sources, id, out.diagnostics, limits));
    if (out.diagnostics.error_count() != before) syntax_ok = false;
  }
  // Checking files whose declarations were partly dropped would report names that do exist.
  if (syntax_ok) out.program = check::Check(out.sources, out.files, out.diagnostics);
}

}  // namespace

absl::Status Compile(std::span<const std::string> files, Compilation& out,
                     const syntax::ParseLimits& limits) {
  std::vector<FileId> ids;
  for (const std::string& path : files) {
    size_t size = 0;
    absl::StatusOr<std::string> text = ReadFile(path, limits.max_file_bytes, size);
    if (!text.ok()) return text.status();
    FileId id = out.sources.Add(path, *std::move(text));
    if (size > limits.max_file_bytes) {
      out.diagnostics.Handle(diag::Make(diag::Code::kFileTooLarge, Span{id, 0, 0}, size,
                                        limits.max_file_bytes)
                                 .Help("split the policy into several files of one package"));
      continue;
    }
    ids.push_back(id);
  }
  ParseAndCheck(out, ids, limits);
  return absl::OkStatus();
}

void CompileSources(std::span<const std::pair<std::string, std::string>> named_sources,
                    Compilation& out, const syntax::ParseLimits& limits) {
  std::vector<FileId> ids;
  for (const auto& [name, text] : named_sources) ids.push_back(out.sources.Add(name, text));
  ParseAndCheck(out, ids, limits);
}

}  // namespace writ::driver
