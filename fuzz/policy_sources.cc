#include "fuzz/policy_sources.h"

#include <filesystem>
#include <map>

#include "fuzz/fuzz.h"

namespace writ::fuzz {

std::vector<std::pair<std::string, std::string>> SplitFiles(std::string_view input) {
  std::vector<std::pair<std::string, std::string>> files;
  while (true) {
    const size_t at = files.size() + 1 < kMaxFiles ? input.find(kFileSeparator)
                                                   : std::string_view::npos;
    const std::string name = "f" + std::to_string(files.size()) + ".writ";
    files.emplace_back(name, std::string(input.substr(0, at)));
    if (at == std::string_view::npos) return files;
    input.remove_prefix(at + kFileSeparator.size());
  }
}

std::vector<std::string> PolicySeeds() {
  std::vector<std::string> seeds;
  std::map<std::string, std::vector<std::string>> by_folder;
  for (const char* root : {"tests", "policies", "runtime/testdata"}) {
    for (const std::string& path : FilesUnder(SourcePath(root), ".writ")) {
      seeds.push_back(ReadFile(path));
      by_folder[std::filesystem::path(path).parent_path().string()].push_back(seeds.back());
    }
  }
  for (const auto& [folder, texts] : by_folder) {
    if (texts.size() < 2 || texts.size() > kMaxFiles) continue;
    std::string joined;
    for (const std::string& text : texts) {
      if (!joined.empty()) joined += kFileSeparator;
      joined += text;
    }
    seeds.push_back(std::move(joined));
  }
  constexpr std::string_view kOpen = "```writ\n";
  for (const std::string& path : FilesUnder(SourcePath("docs"), ".md")) {
    const std::string text = ReadFile(path);
    for (size_t at = text.find(kOpen); at != std::string::npos; at = text.find(kOpen, at)) {
      at += kOpen.size();
      const size_t end = text.find("```", at);
      if (end == std::string::npos) break;
      seeds.push_back(text.substr(at, end - at));
      at = end + 3;
    }
  }
  return seeds;
}

}  // namespace writ::fuzz
