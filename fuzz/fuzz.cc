#include "fuzz/fuzz.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace writ::fuzz {
namespace {

std::vector<Target>& Registry() {
  static std::vector<Target> targets;
  return targets;
}

}  // namespace

bool Register(const Target& target) {
  std::vector<Target>& targets = Registry();
  targets.push_back(target);
  std::sort(targets.begin(), targets.end(),
            [](const Target& a, const Target& b) { return a.name < b.name; });
  return true;
}

std::span<const Target> Targets() { return Registry(); }

void Fail(const char* invariant, std::string_view detail, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n%.*s\n", file, line, invariant,
               static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

std::string SourcePath(std::string_view relative) {
  return (std::filesystem::path(WRIT_SOURCE_DIR) / relative).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> FilesUnder(const std::string& folder, std::string_view suffix) {
  std::vector<std::string> files;
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder, error)) {
    const std::string path = entry.path().string();
    if (entry.is_regular_file() && path.ends_with(suffix)) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace writ::fuzz
