// Differential testing of the JIT against the interpreter (docs/testing.md): generated policies,
// each compiled once by both engines, decide generated requests; the two decisions (effect,
// reasons, obligations, errors: the whole encoded decision) must be equal. A disagreement is
// shrunk to fewer declarations and a smaller request, and printed with its seed.
//
//   WRIT_DIFF_SEED=N       the first policy's seed (default 1); policy i uses seed N + i
//   WRIT_DIFF_POLICIES=N   how many policies (default 250)
//   WRIT_DIFF_REQUESTS=N   requests per policy (default 100)
//   WRIT_DIFF_LONG=1       the long mode: 50,000 policies (5 million requests)
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/jit/jit_evaluator.h"
#include "runtime/request.h"
#include "runtime/test_policies.h"
#include "tests/diff/generator.h"

namespace writ::diff {
namespace {

using Json = nlohmann::ordered_json;

constexpr int64_t kClock = 1795689000000;  // 2026-11-26T10:30:00Z, as the corpus's
constexpr size_t kMaxReports = 3;

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text, &end, 10);
  return end != nullptr && *end == '\0' ? value : fallback;
}

// Both engines on one compiled policy.
struct Engines {
  std::unique_ptr<ir::Policy> policy;
  std::string errors;
  std::shared_ptr<const runtime::JitProgram> program;

  explicit Engines(const Policy& generated) {
    policy = runtime::testing::CompilePolicy(generated.Text(), &errors);
    if (policy != nullptr) program = runtime::JitProgram::Compile(*policy);
  }
  bool ok() const { return policy != nullptr; }

  // Whether `request` decodes; then, in `mismatch`, how the two decisions differ ("" if not),
  // and in `decision` the interpreter's.
  bool Compare(const std::string& request, std::string& mismatch,
               runtime::Decision* decision = nullptr) const {
    mismatch.clear();
    runtime::DecodeResult decoded = runtime::DecodeRequest(*policy, request);
    if (!decoded.ok()) return false;
    uint64_t before = program->disagreements();
    runtime::Decision interpreted =
        runtime::Interpreter(*policy, {.clock = [] { return kClock; }}).Evaluate(*decoded.request);
    runtime::Decision compiled =
        runtime::JitEvaluator(program, {.clock = [] { return kClock; }}).Evaluate(*decoded.request);
    std::string want = runtime::EncodeDecision(*policy, interpreted, -1);
    std::string got = runtime::EncodeDecision(*policy, compiled, -1);
    if (decision != nullptr) *decision = std::move(interpreted);
    if (want != got) {
      mismatch = "interpreter: " + want + "\njit:         " + got;
    } else if (program->disagreements() != before) {
      mismatch = "compiled code failed where the interpreter did not: " + want;
    }
    return true;
  }
};

bool StillFails(const Policy& policy, const std::string& request) {
  Engines engines(policy);
  std::string mismatch;
  return engines.ok() && engines.Compare(request, mismatch) && !mismatch.empty();
}

// Drops declarations, then request members, while the engines still disagree.
void Shrink(Policy& policy, std::string& request) {
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < policy.decls.size() && policy.decls.size() > 1; ++i) {
      Policy smaller = policy;
      smaller.decls.erase(smaller.decls.begin() + static_cast<std::ptrdiff_t>(i));
      if (StillFails(smaller, request)) {
        policy = std::move(smaller);
        progress = true;
        --i;
      }
    }
  }
  Json json = Json::parse(request, nullptr, false);
  if (!json.is_object()) return;
  for (const char* member : {"counters", "session"}) {
    if (!json.contains(member)) continue;
    Json smaller = json;
    smaller.erase(member);
    if (StillFails(policy, smaller.dump())) {
      json = std::move(smaller);
      continue;
    }
    std::vector<std::string> keys;
    for (const auto& [key, value] : json[member].items()) keys.push_back(key);
    for (const std::string& key : keys) {
      smaller = json;
      smaller[member].erase(key);
      if (StillFails(policy, smaller.dump())) json = std::move(smaller);
    }
  }
  request = json.dump();
}

TEST(DiffTest, JitAndInterpreterAgree) {
  bool long_mode = EnvNumber("WRIT_DIFF_LONG", 0) != 0;
  uint64_t seed = EnvNumber("WRIT_DIFF_SEED", 1);
  uint64_t policies = EnvNumber("WRIT_DIFF_POLICIES", long_mode ? 50000 : 250);
  uint64_t requests = EnvNumber("WRIT_DIFF_REQUESTS", 100);

  uint64_t cases = 0;
  uint64_t undecodable = 0;
  size_t reports = 0;
  std::map<std::string, uint64_t> outcomes;  // by effect, and how many decisions had errors
  runtime::JitStats stats;
  for (uint64_t i = 0; i < policies && reports < kMaxReports; ++i) {
    Generator generator(seed + i);
    Policy policy = generator.MakePolicy();
    Engines engines(policy);
    if (!engines.ok()) {
      ADD_FAILURE() << "seed " << seed + i << ": the generated policy does not check:\n"
                    << engines.errors << "\n" << policy.Text();
      ++reports;
      continue;
    }
    ASSERT_TRUE(engines.program->warnings().empty()) << engines.program->warnings().front();
    stats.roots += engines.program->stats().roots;
    stats.compiled += engines.program->stats().compiled;
    for (const auto& [reason, count] : engines.program->stats().reasons) {
      stats.reasons[reason] += count;
    }
    for (uint64_t r = 0; r < requests && reports < kMaxReports; ++r) {
      std::string request = generator.MakeRequest(policy);
      std::string mismatch;
      runtime::Decision decision;
      if (!engines.Compare(request, mismatch, &decision)) {
        if (undecodable++ == 0) {
          runtime::DecodeResult decoded = runtime::DecodeRequest(*engines.policy, request);
          ADD_FAILURE() << "seed " << seed + i << ": a generated request does not decode: "
                        << decoded.errors.front().path << ": " << decoded.errors.front().message
                        << "\n" << request << "\n" << policy.Text();
        }
        continue;
      }
      ++cases;
      ++outcomes[std::string(runtime::Spelling(decision.effect))];
      if (!decision.errors.empty()) ++outcomes["with errors"];
      if (mismatch.empty()) continue;
      ++reports;
      Policy small = policy;
      std::string small_request = request;
      Shrink(small, small_request);
      Engines shrunk(small);
      shrunk.Compare(small_request, mismatch);
      ADD_FAILURE() << "the engines disagree (seed " << seed + i << ", request " << r
                    << "; rerun with WRIT_DIFF_SEED=" << seed + i << " WRIT_DIFF_POLICIES=1)\n"
                    << mismatch << "\npolicy:\n" << small.Text() << "\nrequest:\n"
                    << small_request;
    }
  }
  std::string reasons;
  for (const auto& [outcome, count] : outcomes) {
    reasons += "\n  " + std::to_string(count) + " decisions " + outcome;
  }
  for (const auto& [reason, count] : stats.reasons) {
    reasons += "\n  " + std::to_string(count) + "x " + reason;
  }
  std::cout << "diff: " << cases << " requests over " << policies << " policies from seed " << seed
            << ", " << stats.compiled << " of " << stats.roots << " roots native" << reasons
            << "\n";
  EXPECT_EQ(undecodable, 0u);
  if (!long_mode && EnvNumber("WRIT_DIFF_POLICIES", 0) == 0) {
    EXPECT_GE(cases, 20000u);
  }
}

}  // namespace
}  // namespace writ::diff
