// `--engine jit|interp` on `writ eval`, `writ test` and `writ run`: both engines print the same
// output, the JIT is the default, and a policy the JIT cannot compile (code for a target this
// host cannot run, through $WRIT_JIT_TRIPLE) is decided by the interpreter after a warning.
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_fixture.h"

namespace writ {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;
using testing::EvalCliTest;
using testing::Result;
namespace fs = std::filesystem;

const std::string kPolicies = std::string(WRIT_SOURCE_DIR) + "/policies";
const std::string kTrace = kPolicies + "/procurement/traces/restock.jsonl";
constexpr const char* kFallback = "writ: warning: the JIT is not used";

class EngineCliTest : public EvalCliTest {
 protected:
  // Makes the JIT fail to build, as on a host LLVM cannot generate code for.
  void BreakTheJit() { env_.push_back("WRIT_JIT_TRIPLE=nonexistent-unknown-none"); }
};

TEST_F(EngineCliTest, EvalDecidesAlikeOnBothEngines) {
  Result jit = Eval({"--engine", "jit", "--request", "-"}, Request());
  Result interp = Eval({"--engine", "interp", "--request", "-"}, Request());
  Result default_engine = Eval({"--request", "-"}, Request());
  ASSERT_EQ(jit.exit, 0) << jit.err;
  ASSERT_EQ(interp.exit, 0) << interp.err;
  EXPECT_EQ(json::parse(jit.out)["effect"], "approval_required");
  EXPECT_EQ(jit.out, interp.out);
  EXPECT_EQ(default_engine.out, jit.out);
  EXPECT_EQ(jit.err, "");
  EXPECT_EQ(interp.err, "");
}

TEST_F(EngineCliTest, EvalBatchDecidesAlikeOnBothEngines) {
  std::string line = json::parse(Request()).dump();
  std::string input = line + "\n{}\n" + line + "\n";
  Result jit = Eval({"--batch", "--engine", "jit", "--request", "-"}, input);
  Result interp = Eval({"--batch", "--engine", "interp", "--request", "-"}, input);
  ASSERT_EQ(jit.exit, 0) << jit.err;
  EXPECT_EQ(jit.out, interp.out);
}

TEST_F(EngineCliTest, AnUnknownEngineIsAUsageError) {
  Result r = Eval({"--engine", "llvm", "--request", "-"}, Request());
  EXPECT_EQ(r.exit, 2);
  EXPECT_THAT(r.err, HasSubstr("jit"));
  EXPECT_THAT(r.err, HasSubstr("interp"));
}

TEST_F(EngineCliTest, HelpDocumentsTheEngines) {
  for (const char* command : {"eval", "test", "run"}) {
    Result r = Run({command, "--help"});
    EXPECT_EQ(r.exit, 0) << command;
    EXPECT_THAT(r.out, HasSubstr("--engine jit|interp")) << command;
    EXPECT_THAT(r.out, HasSubstr("--engine jit (the default)")) << command;
  }
}

TEST_F(EngineCliTest, TestRunsOnBothEngines) {
  Result jit = Run({"test", "--engine", "jit", "--coverage", kPolicies});
  Result interp = Run({"test", "--engine", "interp", "--coverage", kPolicies});
  ASSERT_EQ(jit.exit, 0) << jit.out << jit.err;
  ASSERT_EQ(interp.exit, 0) << interp.out << interp.err;
  EXPECT_EQ(jit.out, interp.out);
  EXPECT_THAT(jit.out, HasSubstr("coverage:"));
}

TEST_F(EngineCliTest, RunReplaysAlikeOnBothEngines) {
  Result jit = Run({"run", "--engine", "jit", "--policy", kPolicies, "--db", "jit.db", kTrace});
  Result interp =
      Run({"run", "--engine", "interp", "--policy", kPolicies, "--db", "interp.db", kTrace});
  ASSERT_EQ(jit.exit, 0) << jit.out << jit.err;
  ASSERT_EQ(interp.exit, 0) << interp.out << interp.err;
  EXPECT_EQ(jit.out, interp.out);
  EXPECT_THAT(jit.out, HasSubstr("(approved by bob) (allowed)"));
}

TEST_F(EngineCliTest, AJitThatCannotCompileFallsBackWithAWarning) {
  Result interp = Eval({"--engine", "interp", "--request", "-"}, Request());
  BreakTheJit();
  Result jit = Eval({"--request", "-"}, Request());
  ASSERT_EQ(jit.exit, 0) << jit.err;
  EXPECT_THAT(jit.err, HasSubstr(kFallback));
  EXPECT_EQ(jit.out, interp.out);
  // The interpreter never builds the JIT, so it never warns.
  Result asked = Eval({"--engine", "interp", "--request", "-"}, Request());
  EXPECT_THAT(asked.err, Not(HasSubstr(kFallback)));

  Result test = Run({"test", kPolicies});
  EXPECT_EQ(test.exit, 0) << test.out << test.err;
  EXPECT_THAT(test.err, HasSubstr(kFallback));
  Result run = Run({"run", "--policy", kPolicies, "--db", "w.db", kTrace});
  EXPECT_EQ(run.exit, 0) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr(kFallback));
}

TEST_F(EngineCliTest, CompiledCodeIsCachedWhereWritCacheDirSays) {
  // The fixture points $WRIT_CACHE_DIR at the test's folder.
  Result first = Eval({"--request", "-"}, Request());
  ASSERT_EQ(first.exit, 0) << first.err;
  std::vector<fs::path> objects;
  for (const auto& entry : fs::directory_iterator(dir_ / "jit-cache")) {
    objects.push_back(entry.path());
  }
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].extension(), ".o");
  Result second = Eval({"--request", "-"}, Request());
  EXPECT_EQ(second.out, first.out);
  EXPECT_EQ(second.err, "");
  // A damaged object is recompiled and replaced, with the same decision.
  testing::WriteAll(objects[0], "garbage");
  Result third = Eval({"--request", "-"}, Request());
  EXPECT_EQ(third.out, first.out);
  EXPECT_GT(fs::file_size(objects[0]), 100u);
}

TEST_F(EngineCliTest, AnEmptyWritCacheDirMeansNoCache) {
  env_ = {"WRIT_CACHE_DIR="};
  Result r = Eval({"--request", "-"}, Request());
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "jit-cache"));
}

}  // namespace
}  // namespace writ
