#include "fuzz/corpus.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz.h"
#include "runtime/test_policies.h"

namespace writ::fuzz {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The eval topics, in name order.
std::vector<fs::path> TopicFolders() {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(SourcePath("tests/eval"))) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

// The policy a case of `folder` names (relative to the source tree), as the corpus test does.
std::string CasePolicy(const fs::path& folder, const Json& line) {
  std::string policy =
      line.value("policy", std::string(fs::exists(folder / "policy.writ") ? "policy.writ" : "."));
  return fs::relative((folder / policy).lexically_normal(), SourcePath("")).lexically_normal().string();
}

// Every policy path, in a fixed order: policies/ first, then what the corpus's cases name.
std::vector<std::string> PolicyPaths() {
  std::vector<std::string> paths = {"policies"};
  auto add = [&](const std::string& path) {
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
  };
  for (const fs::path& folder : TopicFolders()) {
    add(CasePolicy(folder, Json::object()));
    std::istringstream lines(ReadFile((folder / "cases.jsonl").string()));
    for (std::string text; std::getline(lines, text);) {
      Json line = Json::parse(text, nullptr, false);
      if (line.is_object()) add(CasePolicy(folder, line));
    }
  }
  return paths;
}

size_t PolicyIndex(const std::string& path) {
  const std::vector<CorpusPolicy>& policies = CorpusPolicies();
  for (size_t i = 0; i < policies.size(); ++i) {
    if (policies[i].path == path) return i;
  }
  return 0;
}

// A case's request as tests/eval/README.md defines it: `request_text`, or the base request with
// the case's top-level members replacing the base's (null removes one).
std::optional<std::string> CaseRequest(const fs::path& folder, const Json& line) {
  if (line.contains("generate")) return std::nullopt;
  if (line.contains("request_text") && line["request_text"].is_string()) {
    return line["request_text"].get<std::string>();
  }
  Json request = Json::object();
  const fs::path base = folder / line.value("base", std::string("base.json"));
  if (fs::exists(base)) request = Json::parse(ReadFile(base.string()), nullptr, false);
  if (!request.is_object()) return std::nullopt;
  const Json patch = line.value("request", Json::object());
  if (!patch.is_object()) return std::nullopt;
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      request.erase(key);
    } else {
      request[key] = value;
    }
  }
  return request.dump();
}

}  // namespace

const std::vector<CorpusPolicy>& CorpusPolicies() {
  static const std::vector<CorpusPolicy>* policies = [] {
    auto* out = new std::vector<CorpusPolicy>;
    for (const std::string& path : PolicyPaths()) {
      std::string errors;
      std::unique_ptr<ir::Policy> policy =
          runtime::testing::CompilePolicyFiles({SourcePath(path)}, &errors);
      if (policy == nullptr) {
        std::fprintf(stderr, "corpus policy %s does not compile:\n%s", path.c_str(),
                     errors.c_str());
        std::abort();
      }
      out->push_back({path, std::move(policy)});
    }
    return out;
  }();
  return *policies;
}

std::vector<CorpusRequest> CorpusRequests() {
  std::vector<CorpusRequest> requests;
  for (const fs::path& folder : TopicFolders()) {
    std::istringstream lines(ReadFile((folder / "cases.jsonl").string()));
    for (std::string text; std::getline(lines, text);) {
      Json line = Json::parse(text, nullptr, false);
      if (!line.is_object()) continue;
      if (std::optional<std::string> json = CaseRequest(folder, line)) {
        requests.push_back({PolicyIndex(CasePolicy(folder, line)), *std::move(json)});
      }
    }
  }
  for (const std::string& path : FilesUnder(SourcePath("runtime/testdata"), ".json")) {
    requests.push_back({0, ReadFile(path)});
  }
  return requests;
}

PolicyAndRequest SplitInput(std::string_view input) {
  const std::vector<CorpusPolicy>& policies = CorpusPolicies();
  if (input.empty()) return {policies.front().policy.get(), input};
  const size_t index = static_cast<unsigned char>(input.front()) % policies.size();
  return {policies[index].policy.get(), input.substr(1)};
}

std::string JoinInput(const CorpusRequest& request) {
  return std::string(1, static_cast<char>(request.policy)) + request.json;
}

}  // namespace writ::fuzz
