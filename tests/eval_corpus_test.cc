// The evaluation corpus (tests/eval/README.md): cases as data, each a policy, a request and the
// decision expected of it by docs/language.md and docs/requests.md, run on every evaluator.
// The expectations come from the spec, not from an evaluator's output: a case the interpreter
// gets wrong is marked `known_bug` and skipped with its note, so the gap stays visible.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/decision.h"
#include "runtime/interpreter.h"
#include "runtime/jit/jit_evaluator.h"
#include "runtime/request.h"
#include "runtime/test_policies.h"
#include "writ/writ.h"

namespace writ {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// The evaluators' clock: 2026-11-26T10:30:00Z, a Thursday, for requests without session.now.
constexpr int64_t kClockMillis = 1795689000000;

// The topics the corpus must cover (issue 3); each is a folder of tests/eval with cases.
const std::vector<std::string>& RequiredTopics() {
  static const std::vector<std::string> topics = {
      "budgets",  "combining",   "enforcement", "failclosed", "hierarchy", "limits",
      "money",    "obligations", "outputs",     "phases",     "pools",     "quantifiers",
      "packages", "rates",       "requests",    "shadow",     "std",       "time"};
  return topics;
}
constexpr size_t kMinimumCases = 150;

// The JIT's compiled form of a corpus policy, built once per policy (compiling is the slow part).
std::shared_ptr<const runtime::JitProgram> JitProgramOf(const ir::Policy& policy) {
  static std::map<const ir::Policy*, std::shared_ptr<const runtime::JitProgram>> programs;
  auto it = programs.find(&policy);
  if (it == programs.end()) {
    it = programs.emplace(&policy, runtime::JitProgram::Compile(policy)).first;
  }
  return it->second;
}

// An evaluator under test, built from a policy and the clock: every case runs on each, and the
// test names tell them apart.
struct EvaluatorKind {
  std::string name;
  std::function<std::unique_ptr<runtime::Evaluator>(const ir::Policy&, std::function<int64_t()>)>
      make;
};

const std::vector<EvaluatorKind>& Evaluators() {
  static const std::vector<EvaluatorKind> kinds = {
      {"interpreter",
       [](const ir::Policy& policy, std::function<int64_t()> clock) {
         return std::make_unique<runtime::Interpreter>(
             policy, runtime::InterpreterOptions{.clock = std::move(clock)});
       }},
      {"jit",
       [](const ir::Policy& policy, std::function<int64_t()> clock) {
         return std::make_unique<runtime::JitEvaluator>(
             JitProgramOf(policy), runtime::JitOptions{.clock = std::move(clock)});
       }},
  };
  return kinds;
}

// One case of a `cases.jsonl` line. A line that cannot be read still becomes a case, whose
// test fails with `problem`, so a broken corpus file is never silently smaller.
struct Case {
  std::string topic;
  std::string name;
  std::string where;   // "topic/cases.jsonl:12"
  std::string policy;  // the policy file or folder to compile
  std::string request;
  Json expect;
  std::string known_bug;
  std::string problem;
};

fs::path CorpusRoot() { return fs::path(WRIT_EVAL_CORPUS); }

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ValidName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Fills the places `generate` names with large values: {"at": JSON pointer, "times": N} and
// either "string" (repeated N times) or "element" (an array of N copies), for limit cases that
// would be unwieldy to write out.
void Generate(Json& request, const Json& generate) {
  for (const Json& item : generate) {
    size_t times = item.at("times").get<size_t>();
    Json::json_pointer at(item.at("at").get<std::string>());
    if (item.contains("string")) {
      std::string unit = item["string"].get<std::string>();
      std::string text;
      text.reserve(unit.size() * times);
      for (size_t i = 0; i < times; ++i) text += unit;
      request[at] = std::move(text);
    } else {
      request[at] = Json::array();
      for (size_t i = 0; i < times; ++i) request[at].push_back(item.at("element"));
    }
  }
}

// The request of a case: `request_text` verbatim, or the folder's base request (`base.json`,
// or the file the case names with `base`) with each top-level member of `request` replacing
// the base's (null removes it), then `generate`.
std::string CaseRequest(const fs::path& folder, const Json& line, std::string& problem) {
  if (line.contains("request_text")) return line["request_text"].get<std::string>();
  Json request = Json::object();
  std::string base = line.value("base", std::string("base.json"));
  if (fs::exists(folder / base)) {
    request = Json::parse(ReadText(folder / base), nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded()) {
      problem = base + " is not valid JSON";
      return "";
    }
  } else if (line.contains("base")) {
    problem = "no base request " + base;
    return "";
  }
  Json patch = line.value("request", Json::object());
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      request.erase(key);
    } else {
      request[key] = value;
    }
  }
  if (line.contains("generate")) Generate(request, line["generate"]);
  return request.dump();
}

// The case of line `number` of a folder's cases.jsonl.
Case ReadCase(const fs::path& folder, int number, const std::string& text) {
  Case c;
  c.topic = folder.filename().string();
  c.where = c.topic + "/cases.jsonl:" + std::to_string(number);
  c.name = "line" + std::to_string(number);
  Json line = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded() || !line.is_object()) {
    c.problem = "not a JSON object";
    return c;
  }
  try {
    static const std::set<std::string> kKeys = {"name",     "note",    "policy",
                                                "base",     "request", "request_text",
                                                "generate", "expect",  "known_bug"};
    for (const auto& [key, value] : line.items()) {
      if (!kKeys.contains(key)) c.problem = "unknown key `" + key + "`";
    }
    // A bad name is reported under the line's number: gtest refuses such test names.
    std::string name =
        line.value("name", Json()).is_string() ? line["name"].get<std::string>() : "";
    if (ValidName(name)) {
      c.name = name;
    } else {
      c.problem = "`name` must be lower_snake_case";
    }
    // Without a `policy`, the folder's policy.writ, or else all the folder's files.
    std::string policy =
        line.value("policy", std::string(fs::exists(folder / "policy.writ") ? "policy.writ" : "."));
    c.policy = (folder / policy).lexically_normal().string();
    c.request = CaseRequest(folder, line, c.problem);
    c.expect = line.value("expect", Json());
    if (!c.expect.is_object() || !c.expect.contains("effect")) {
      c.problem = "`expect` must be an object with an `effect`";
    }
    if (line.contains("known_bug")) c.known_bug = line["known_bug"].get<std::string>();
  } catch (const Json::exception& e) {
    c.problem = e.what();
  }
  return c;
}

std::vector<Case> LoadCorpus() {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(CorpusRoot())) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  std::vector<Case> cases;
  std::set<std::string> names;
  for (const fs::path& folder : folders) {
    std::istringstream lines(ReadText(folder / "cases.jsonl"));
    std::string text;
    for (int number = 1; std::getline(lines, text); ++number) {
      if (text.find_first_not_of(" \t\r") == std::string::npos || text[0] == '#') continue;
      Case c = ReadCase(folder, number, text);
      if (!names.insert(c.topic + "_" + c.name).second) {
        c.problem = "a second case " + c.name;
        c.name += "_line" + std::to_string(number);
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

const std::vector<Case>& Corpus() {
  static const std::vector<Case> cases = LoadCorpus();
  return cases;
}

// Policies are compiled once per process, on first use, so listing the tests stays cheap.
const ir::Policy* PolicyOf(const std::string& path, std::string& errors) {
  static std::map<std::string, std::pair<std::unique_ptr<ir::Policy>, std::string>> cache;
  auto it = cache.find(path);
  if (it == cache.end()) {
    std::string compile_errors;
    std::unique_ptr<ir::Policy> policy =
        runtime::testing::CompilePolicyFiles({path}, &compile_errors);
    it = cache.emplace(path, std::make_pair(std::move(policy), std::move(compile_errors))).first;
  }
  errors = it->second.second;
  return it->second.first.get();
}

// Compares a decision (as EncodeDecision wrote it) with a case's expectations; every mismatch
// is one line of the result, which is empty when the decision is as expected.
class Checker {
 public:
  Checker(const Json& got, const Json& expect) : got_(got), expect_(expect) {}

  std::vector<std::string> Run();

 private:
  void Fail(std::string message) { failures_.push_back(std::move(message)); }
  // `expected` holds in `actual`: a string names a reason or error by any of `keys`; an object
  // gives fields that must be equal; anything else must be equal as a whole.
  static bool Matches(const Json& expected, const Json& actual,
                      std::initializer_list<const char*> keys);
  // Every expected element matches a distinct actual one; with `exact`, nothing else is there.
  void Contains(const char* field, const Json& expected, const Json& actual,
                std::initializer_list<const char*> keys, bool exact);
  void Excludes(const char* field, const Json& unwanted, const Json& actual,
                std::initializer_list<const char*> keys);

  const Json& got_;
  const Json& expect_;
  std::vector<std::string> failures_;
};

bool Checker::Matches(const Json& expected, const Json& actual,
                      std::initializer_list<const char*> keys) {
  if (expected.is_string() && actual.is_object() && keys.size() > 0) {
    for (const char* key : keys) {
      if (actual.contains(key) && actual[key] == expected) return true;
    }
    return false;
  }
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key) || actual[key] != value) return false;
    }
    return true;
  }
  return expected == actual;
}

void Checker::Contains(const char* field, const Json& expected, const Json& actual,
                       std::initializer_list<const char*> keys, bool exact) {
  if (!expected.is_array()) {
    Fail(std::string("expect.") + field + " must be an array");
    return;
  }
  std::vector<bool> used(actual.size(), false);
  for (const Json& want : expected) {
    bool found = false;
    for (size_t i = 0; i < actual.size() && !found; ++i) {
      if (!used[i] && Matches(want, actual[i], keys)) used[i] = found = true;
    }
    if (!found) Fail(std::string(field) + ": expected " + want.dump() + " in " + actual.dump());
  }
  if (!exact) return;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (!used[i]) Fail(std::string(field) + ": unexpected " + actual[i].dump());
  }
}

void Checker::Excludes(const char* field, const Json& unwanted, const Json& actual,
                       std::initializer_list<const char*> keys) {
  for (const Json& item : unwanted) {
    for (const Json& have : actual) {
      if (Matches(item, have, keys)) Fail(std::string(field) + ": unwanted " + have.dump());
    }
  }
}

std::vector<std::string> Checker::Run() {
  static const std::set<std::string> kFields = {
      "effect",  "reasons", "not_reasons", "errors",     "extra_errors", "warnings", "not_warnings",
      "matched", "grants",  "charges",     "redactions", "shadow",       "approval", "enforcement"};
  for (const auto& [key, value] : expect_.items()) {
    if (!kFields.contains(key)) Fail("unknown expectation `" + key + "`");
  }
  const Json& obligations = got_["obligations"];
  if (got_["effect"] != expect_["effect"]) {
    Fail("effect: expected " + expect_["effect"].dump() + ", got " + got_["effect"].dump());
  }
  // Invariants of every decision (docs/requests.md, docs/ir.md), whatever the case expects:
  // the version; errors that name their declaration or their JSON path, not both; and a
  // reason for whatever stops a call, its `because` or a generated one.
  if (got_["version"] != 1) Fail("version: expected 1, got " + got_["version"].dump());
  for (const Json& error : got_["errors"]) {
    bool evaluation = error.contains("rule") && error.contains("location");
    bool decoding = error.contains("path");
    if (evaluation == decoding || !error.contains("code") || !error.contains("message")) {
      Fail("an error of the wrong shape: " + error.dump());
    }
  }
  if (got_["effect"] != "allow") {
    for (const Json& reason : got_["reasons"]) {
      if (reason["message"] == "") Fail("a reason without a message: " + reason.dump());
    }
  }
  if (expect_.contains("reasons")) {
    Contains("reasons", expect_["reasons"], got_["reasons"], {"message", "rule"}, false);
  }
  if (expect_.contains("not_reasons")) {
    Excludes("reasons", expect_["not_reasons"], got_["reasons"], {"message", "rule"});
  }
  // Errors are always checked: an evaluation error nobody expected fails the case.
  Contains("errors", expect_.value("errors", Json::array()), got_["errors"], {"code"},
           !expect_.value("extra_errors", false));
  if (expect_.contains("warnings")) {
    Contains("warnings", expect_["warnings"], obligations["warnings"], {}, true);
  }
  if (expect_.contains("not_warnings")) {
    Excludes("warnings", expect_["not_warnings"], obligations["warnings"], {});
  }
  if (expect_.contains("matched") && expect_["matched"] != got_["matched"]) {
    Fail("matched: expected " + expect_["matched"].dump() + ", got " + got_["matched"].dump());
  }
  for (const char* field : {"grants", "charges", "redactions"}) {
    if (expect_.contains(field)) Contains(field, expect_[field], obligations[field], {}, true);
  }
  if (expect_.contains("shadow")) Contains("shadow", expect_["shadow"], got_["shadow"], {}, true);
  if (expect_.contains("approval")) {
    const Json& want = expect_["approval"];
    if (want.is_null() || got_["approval"].is_null()) {
      if (want != got_["approval"]) {
        Fail("approval: expected " + want.dump() + ", got " + got_["approval"].dump());
      }
    } else if (!Matches(want, got_["approval"], {})) {
      Fail("approval: expected " + want.dump() + ", got " + got_["approval"].dump());
    }
  }
  if (expect_.contains("enforcement") && expect_["enforcement"] != got_["enforcement"]) {
    Fail("enforcement: expected " + expect_["enforcement"].dump() + ", got " +
         got_["enforcement"].dump());
  }
  return std::move(failures_);
}

struct Param {
  const EvaluatorKind* evaluator;
  const Case* c;
};

std::vector<Param> Params() {
  std::vector<Param> params;
  for (const EvaluatorKind& evaluator : Evaluators()) {
    for (const Case& c : Corpus()) params.push_back({&evaluator, &c});
  }
  return params;
}

// How gtest shows a parameter, instead of its bytes.
void PrintTo(const Param& param, std::ostream* out) {
  *out << param.evaluator->name << " on " << param.c->where;
}

class EvalCorpusTest : public ::testing::TestWithParam<Param> {};

TEST_P(EvalCorpusTest, Decides) {
  const auto& [evaluator, c] = GetParam();
  SCOPED_TRACE(c->where);
  ASSERT_TRUE(c->problem.empty()) << c->problem;
  std::string errors;
  const ir::Policy* policy = PolicyOf(c->policy, errors);
  ASSERT_NE(policy, nullptr) << c->policy << " does not compile:\n" << errors;

  runtime::DecodeResult decoded = runtime::DecodeRequest(*policy, c->request);
  runtime::Decision decision;
  if (decoded.ok()) {
    std::unique_ptr<runtime::Evaluator> instance =
        evaluator->make(*policy, [] { return kClockMillis; });
    decision = instance->Evaluate(*decoded.request);
    if (evaluator->name == "jit") {
      // The JIT must have been built, and its compiled code must never fail where the
      // interpreter succeeds (its errors are taken from the interpreter).
      std::shared_ptr<const runtime::JitProgram> program = JitProgramOf(*policy);
      EXPECT_TRUE(program->warnings().empty()) << program->warnings().front();
      EXPECT_EQ(program->disagreements(), 0u);
      // Beyond the spec's expectations, the whole decision is the interpreter's.
      runtime::Decision oracle =
          runtime::Interpreter(*policy, runtime::InterpreterOptions{.clock = [] {
                                 return kClockMillis;
                               }}).Evaluate(*decoded.request);
      EXPECT_EQ(runtime::EncodeDecision(*policy, decision, -1),
                runtime::EncodeDecision(*policy, oracle, -1));
    }
  } else {
    decision = runtime::RequestErrorDecision(decoded.errors);
  }
  std::string encoded = runtime::EncodeDecision(*policy, decision, /*indent=*/-1);
  Json got = Json::parse(encoded, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(got.is_discarded()) << "EncodeDecision wrote invalid JSON:\n" << encoded;
  ASSERT_EQ(got["effect"], runtime::Spelling(decision.effect));

  std::vector<std::string> failures = Checker(got, c->expect).Run();
  if (!c->known_bug.empty()) {
    GTEST_SKIP() << "known bug: " << c->known_bug
                 << (failures.empty() ? " (the case passes now: remove `known_bug`)" : "");
  }
  for (const std::string& failure : failures) ADD_FAILURE() << failure;
  if (!failures.empty()) ADD_FAILURE() << "the decision was: " << encoded;
}

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return info.param.evaluator->name + "_" + info.param.c->topic + "_" + info.param.c->name;
}

// Lower-case prefixes, so that `ctest -R eval` selects the corpus and nothing else.
INSTANTIATE_TEST_SUITE_P(eval, EvalCorpusTest, ::testing::ValuesIn(Params()), ParamName);

// Most of the corpus's roots run natively on the JIT, so that its cases test compiled code and
// not the interpreter's fallback; the counts are printed for the record.
TEST(eval_corpus, JitCompilesMostRoots) {
  runtime::JitStats total;
  std::set<std::string> seen;
  for (const Case& c : Corpus()) {
    std::string errors;
    const ir::Policy* policy = PolicyOf(c.policy, errors);
    if (policy == nullptr || !seen.insert(c.policy).second) continue;
    const runtime::JitStats& stats = JitProgramOf(*policy)->stats();
    total.roots += stats.roots;
    total.compiled += stats.compiled;
    total.interpreted += stats.interpreted;
    for (const auto& [reason, count] : stats.reasons) total.reasons[reason] += count;
  }
  std::string reasons;
  for (const auto& [reason, count] : total.reasons) {
    reasons += "\n  " + std::to_string(count) + "x " + reason;
  }
  std::cout << "corpus: " << seen.size() << " policies, " << total.roots << " roots, "
            << total.compiled << " native, " << total.interpreted << " interpreted" << reasons
            << "\n";
  EXPECT_GE(total.compiled * 10, total.roots * 7) << reasons;
}

// The corpus itself can fail: too few cases, a topic without cases, or a folder of the corpus
// that no case uses.
TEST(eval_corpus, CoversEveryTopic) {
  std::map<std::string, size_t> per_topic;
  size_t enforced = 0;  // cases that are not known bugs
  for (const Case& c : Corpus()) {
    ++per_topic[c.topic];
    if (c.known_bug.empty()) ++enforced;
  }
  EXPECT_GE(enforced, kMinimumCases);
  for (const std::string& topic : RequiredTopics()) {
    EXPECT_GT(per_topic[topic], 0u) << "no cases in tests/eval/" << topic;
  }
  for (const auto& entry : fs::directory_iterator(CorpusRoot())) {
    if (!entry.is_directory()) continue;
    std::string topic = entry.path().filename().string();
    EXPECT_TRUE(fs::exists(entry.path() / "cases.jsonl")) << topic << " has no cases.jsonl";
    EXPECT_GT(per_topic[topic], 0u) << "tests/eval/" << topic << " has no cases";
  }
}

// The C ABI (include/writ/writ.h) decides every case exactly as the interpreter does, byte for
// byte: what an embedder gets from writ_decide_json is what `writ eval` prints. One test over
// the whole corpus, so each policy is compiled once.
TEST(eval_corpus, TheCAbiDecidesEveryCaseAsTheInterpreter) {
  std::map<std::string, writ_policy*> loaded;
  size_t decided = 0;
  for (const Case& c : Corpus()) {
    if (!c.problem.empty()) continue;
    std::string errors;
    const ir::Policy* policy = PolicyOf(c.policy, errors);
    if (policy == nullptr) continue;
    writ_policy*& handle = loaded[c.policy];
    if (handle == nullptr) {
      const char* paths[] = {c.policy.c_str()};
      ASSERT_EQ(writ_policy_load(paths, 1, WRIT_ENGINE_JIT, &handle), WRIT_OK)
          << c.policy << ": " << writ_last_error();
    }
    writ_decision* decision = nullptr;
    ASSERT_EQ(writ_decide_json_at(handle, c.request.data(), c.request.size(), kClockMillis,
                                  &decision),
              WRIT_OK)
        << c.where << ": " << writ_last_error();
    const char* json = nullptr;
    ASSERT_EQ(writ_decision_json(decision, &json, nullptr), WRIT_OK);
    runtime::DecodeResult decoded = runtime::DecodeRequest(*policy, c.request);
    runtime::Decision oracle =
        decoded.ok()
            ? runtime::Interpreter(*policy, runtime::InterpreterOptions{.clock = [] {
                                     return kClockMillis;
                                   }}).Evaluate(*decoded.request)
            : runtime::RequestErrorDecision(decoded.errors);
    EXPECT_EQ(std::string(json), runtime::EncodeDecision(*policy, oracle, -1)) << c.where;
    writ_decision_free(decision);
    ++decided;
  }
  for (auto& [path, handle] : loaded) writ_policy_free(handle);
  EXPECT_GE(decided, kMinimumCases);
}

}  // namespace
}  // namespace writ
