// The JIT with its object cache on disk: a second load of a policy takes the compiled object
// from the cache (LLVM's optimizer and code generator do not run) and decides alike; a damaged
// file is ignored and rewritten; a different policy gets a different key.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/decision.h"
#include "runtime/jit/jit_evaluator.h"
#include "runtime/test_policies.h"
#include "runtime/test_runner.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;

class JitCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_jit_cache_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::string errors;
    policy_ = testing::CompilePolicyFiles({"policies"}, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::shared_ptr<const JitProgram> Load(const ir::Policy& policy) {
    std::shared_ptr<const JitProgram> program =
        JitProgram::Compile(policy, {.cache_dir = dir_.string()});
    EXPECT_TRUE(program->warnings().empty()) << program->warnings().front();
    return program;
  }
  // The decisions of the examples' tests, encoded, all passing.
  std::vector<std::string> Decide(const std::shared_ptr<const JitProgram>& program) {
    TestReport report = RunTests(*policy_, [&](ir::PackageId package) {
      return std::make_unique<JitEvaluator>(
          program, JitOptions{.clock = [] { return int64_t{0}; }, .package = package});
    });
    EXPECT_EQ(report.failed(), 0u);
    std::vector<std::string> decisions;
    for (const TestResult& result : report.results) {
      for (const TestStep& step : result.steps) {
        decisions.push_back(EncodeDecision(*policy_, step.decision, -1));
      }
    }
    return decisions;
  }
  std::vector<fs::path> Files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir_)) files.push_back(entry.path());
    return files;
  }

  fs::path dir_;
  std::unique_ptr<ir::Policy> policy_;
};

TEST_F(JitCacheTest, ASecondLoadHitsTheCache) {
  std::shared_ptr<const JitProgram> first = Load(*policy_);
  EXPECT_EQ(first->stats().cache_hits, 0u);
  EXPECT_EQ(first->stats().cache_misses, 1u);
  EXPECT_EQ(first->stats().cache_writes, 1u);
  ASSERT_EQ(Files().size(), 1u);

  std::shared_ptr<const JitProgram> second = Load(*policy_);
  EXPECT_EQ(second->stats().cache_hits, 1u);
  EXPECT_EQ(second->stats().cache_misses, 0u);
  EXPECT_EQ(second->stats().cache_writes, 0u);
  EXPECT_EQ(second->stats().compiled, first->stats().compiled);
  EXPECT_GT(second->stats().compiled, 0u);
  EXPECT_EQ(Decide(second), Decide(first));
  EXPECT_EQ(second->disagreements(), 0u);
}

TEST_F(JitCacheTest, ACorruptedFileIsIgnoredAndRewritten) {
  std::vector<std::string> fresh = Decide(Load(*policy_));
  ASSERT_EQ(Files().size(), 1u);
  fs::path file = Files()[0];
  fs::resize_file(file, fs::file_size(file) / 2);

  std::shared_ptr<const JitProgram> recompiled = Load(*policy_);
  EXPECT_EQ(recompiled->stats().cache_corrupt, 1u);
  EXPECT_EQ(recompiled->stats().cache_hits, 0u);
  EXPECT_EQ(recompiled->stats().cache_writes, 1u);
  EXPECT_EQ(Decide(recompiled), fresh);

  {  // Same size, one byte different: the checksum catches it.
    std::fstream bytes(file, std::ios::binary | std::ios::in | std::ios::out);
    bytes.seekp(static_cast<std::streamoff>(fs::file_size(file) - 100));
    bytes.put('\x5a');
  }
  EXPECT_EQ(Load(*policy_)->stats().cache_corrupt, 1u);
  std::shared_ptr<const JitProgram> cached = Load(*policy_);
  EXPECT_EQ(cached->stats().cache_hits, 1u);
  EXPECT_EQ(Decide(cached), fresh);
}

TEST_F(JitCacheTest, DifferentIrGetsADifferentKey) {
  // Two policies that differ in one constant, so in their IR.
  auto compile = [](int bound) {
    std::string errors;
    std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(
        "package p\nagent Bot {}\ntool t(n: int)\npermit call t for Bot when args.n > " +
            std::to_string(bound) + "\n",
        &errors);
    EXPECT_NE(policy, nullptr) << errors;
    return policy;
  };
  std::unique_ptr<ir::Policy> other = compile(2);
  std::unique_ptr<ir::Policy> changed = compile(3);
  ASSERT_NE(other, nullptr);
  ASSERT_NE(changed, nullptr);
  Load(*policy_);
  Load(*other);
  Load(*changed);
  EXPECT_EQ(Files().size(), 3u);
  EXPECT_EQ(Load(*other)->stats().cache_hits, 1u);
  EXPECT_EQ(Load(*changed)->stats().cache_hits, 1u);
}

TEST_F(JitCacheTest, AnUnusableFolderStillCompiles) {
  std::ofstream(dir_ / "blocked") << "a file, not a folder";
  std::shared_ptr<const JitProgram> program =
      JitProgram::Compile(*policy_, {.cache_dir = (dir_ / "blocked" / "jit").string()});
  EXPECT_TRUE(program->warnings().empty());
  EXPECT_EQ(program->stats().cache_write_failures, 1u);
  EXPECT_GT(program->stats().compiled, 0u);
  Decide(program);
}

}  // namespace
}  // namespace writ::runtime
