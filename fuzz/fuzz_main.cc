// The libFuzzer entry points of a fuzz_<target> binary, which links exactly one target.
// `fuzz_<target> --write-seeds=DIR` writes the target's seeds into DIR (one file each) and
// exits, which is how scripts/fuzz starts a corpus.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz/fuzz.h"

namespace {

const writ::fuzz::Target& TheTarget() {
  if (writ::fuzz::Targets().size() != 1) {
    std::fprintf(stderr, "a fuzz binary must link exactly one target, not %zu\n",
                 writ::fuzz::Targets().size());
    std::abort();
  }
  return writ::fuzz::Targets().front();
}

int WriteSeeds(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  const std::vector<std::string> seeds = TheTarget().seeds();
  for (size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream out(folder / ("seed-" + std::to_string(i)), std::ios::binary);
    out << seeds[i];
    if (!out) {
      std::fprintf(stderr, "cannot write seeds into %s\n", folder.c_str());
      return 1;
    }
  }
  std::printf("%s: %zu seeds written to %s\n", std::string(TheTarget().name).c_str(),
              seeds.size(), folder.c_str());
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  constexpr std::string_view kFlag = "--write-seeds=";
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = (*argv)[i];
    if (arg.starts_with(kFlag)) std::exit(WriteSeeds(std::string(arg.substr(kFlag.size()))));
  }
  TheTarget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TheTarget().run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
