// The C++ API (include/writ/writ.hpp) over the C ABI: policies compile or fail with their
// diagnostics, one policy decides from many threads alike, a session runs through approval,
// replay, completion, checkpoint and termination, and the ABI answers misuse with statuses.
#include "writ/writ.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kPolicy = R"(package shop

entity User { cap: money }

agent Buyer {
  acts_for: User
  credentials {
    bank: ["pay"] ttl 5m
  }
}

tool pay(amount: money)

permit call pay for Buyer grant bank
big: require_approval call pay when args.amount > 50 USD
  because "big payments need approval" by principal.acts_for timeout 1h
over: forbid call pay when args.amount > principal.acts_for.cap because "over the user's limit"
)";

constexpr const char* kWorld = R"([
  {"type": "shop.Buyer", "id": "b1", "attrs": {"acts_for": {"type": "shop.User", "id": "u1"}}},
  {"type": "shop.User", "id": "u1", "attrs": {"cap": "500 USD"}}
])";

std::string Request(const std::string& amount) {
  return R"({"version": 1, "tool": "pay", "phase": "call", "principal": {"type": "shop.Buyer", "id": "b1"},
             "entities": )" +
         std::string(kWorld) + R"(, "args": {"amount": ")" + amount + R"("}})";
}

class CppApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_cpp_api_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CppApiTest, APolicyWithErrorsFailsWithItsDiagnostics) {
  auto broken = writ::api::Policy::Compile({{"shop.writ", "package shop\npermit call nope\n"}});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().status, WRIT_POLICY_ERROR);
  EXPECT_THAT(broken.error().message, HasSubstr("shop.writ:2:"));
}

TEST_F(CppApiTest, OnePolicyDecidesAlikeFromManyThreadsOnBothEngines) {
  for (writ_engine engine : {WRIT_ENGINE_JIT, WRIT_ENGINE_INTERP}) {
    auto policy = writ::api::Policy::Compile({{"shop.writ", kPolicy}}, engine);
    ASSERT_TRUE(policy.ok()) << policy.error().message;
    EXPECT_EQ(policy->engine(), engine);
    auto small = policy->Decide(Request("20 USD"));
    ASSERT_TRUE(small.ok());
    EXPECT_TRUE(small->allowed());
    EXPECT_THAT(small->obligations_json(), HasSubstr("bank"));
    auto big = policy->Decide(Request("80 USD"));
    ASSERT_TRUE(big.ok());
    EXPECT_EQ(big->effect(), WRIT_EFFECT_APPROVAL_REQUIRED);
    auto over = policy->Decide(Request("900 USD"));
    ASSERT_TRUE(over.ok());
    ASSERT_EQ(over->reasons().size(), 1u);
    EXPECT_EQ(over->reasons()[0].rule, "over");
    EXPECT_EQ(over->reasons()[0].message, "over the user's limit");

    const std::string expected[] = {std::string(small->json()), std::string(big->json()),
                                    std::string(over->json())};
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        const std::string amounts[] = {"20 USD", "80 USD", "900 USD"};
        for (int i = 0; i < 300; ++i) {
          auto d = policy->Decide(Request(amounts[i % 3]));
          if (!d.ok() || d->json() != expected[i % 3]) ++mismatches[t];
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_THAT(mismatches, ::testing::Each(0));
  }
}

TEST_F(CppApiTest, ASessionRunsThroughApprovalReplayAndTermination) {
  auto policy = writ::api::Policy::Compile({{"shop.writ", kPolicy}});
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  auto runtime = writ::api::Runtime::Open(*policy, (dir_ / "s.db").string());
  ASSERT_TRUE(runtime.ok()) << runtime.error().message;
  auto spawned = runtime->Spawn("s1", "shop.Buyer", "b1", "groceries", kWorld);
  ASSERT_TRUE(spawned.ok()) << spawned.error().message;
  EXPECT_TRUE(spawned->first);

  auto pending = runtime->Authorize("s1", "1", "pay", R"({"amount": "80 USD"})");
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_EQ(pending->state, WRIT_STEP_PENDING) << pending->decision_json;
  EXPECT_TRUE(pending->leases.empty());
  auto approved = runtime->Approve("s1", "1", "u1");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->state, WRIT_STEP_ALLOWED);
  ASSERT_EQ(approved->leases.size(), 1u);
  EXPECT_EQ(approved->leases[0].credential, "bank");
  auto valid = runtime->VerifyLease(approved->leases[0].token);
  ASSERT_TRUE(valid.ok());
  EXPECT_TRUE(valid->first) << valid->second;

  auto replayed = runtime->Authorize("s1", "1", "pay", R"({"amount": "80 USD"})");
  ASSERT_TRUE(replayed.ok());
  EXPECT_TRUE(replayed->replayed);
  ASSERT_EQ(replayed->leases.size(), 1u);
  EXPECT_EQ(replayed->leases[0].token, approved->leases[0].token);

  auto done = runtime->Complete("s1", "1", "", 250);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->state, WRIT_STEP_COMPLETED);
  auto revoked = runtime->VerifyLease(approved->leases[0].token);
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(revoked->first);
  EXPECT_THAT(revoked->second, HasSubstr("revoked"));

  auto version = runtime->Checkpoint("s1", std::string("\0state", 6));
  ASSERT_TRUE(version.ok());
  auto resumed = runtime->Resume("s1");
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->state, std::string("\0state", 6));
  EXPECT_EQ(runtime->Resume("s1", 7).error().status, WRIT_NOT_FOUND);

  auto report = runtime->Terminate("s1", "done");
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(*report, HasSubstr("\"tokens_used\":250,\"tool_calls\":1"));
  EXPECT_EQ(runtime->Authorize("s1", "2", "pay", "{}").error().status,
            WRIT_FAILED_PRECONDITION);
  auto audit = runtime->VerifyAudit();
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->first) << audit->second;
}

TEST_F(CppApiTest, AnEditedAuditLogIsReportedWithItsPosition) {
  auto policy = writ::api::Policy::Compile({{"shop.writ", kPolicy}});
  ASSERT_TRUE(policy.ok());
  const std::string db = (dir_ / "s.db").string();
  {
    auto runtime = writ::api::Runtime::Open(*policy, db);
    ASSERT_TRUE(runtime.ok());
    ASSERT_TRUE(runtime->Spawn("s1", "shop.Buyer", "b1", "t", kWorld).ok());
    ASSERT_TRUE(runtime->Authorize("s1", "1", "pay", R"({"amount": "5 USD"})").ok());
    ASSERT_TRUE(runtime->Terminate("s1", "done").ok());
  }
  // Change one byte of the first event that holds the amount, as someone with write access to
  // the file could.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* read = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "SELECT seq, encoding FROM audit_events ORDER BY seq", -1,
                               &read, nullptr),
            SQLITE_OK);
  int64_t seq = -1;
  std::string encoding;
  while (seq < 0 && sqlite3_step(read) == SQLITE_ROW) {
    std::string bytes(static_cast<const char*>(sqlite3_column_blob(read, 1)),
                      static_cast<size_t>(sqlite3_column_bytes(read, 1)));
    if (size_t at = bytes.find("5 USD"); at != std::string::npos) {
      bytes[at] = '6';
      seq = sqlite3_column_int64(read, 0);
      encoding = bytes;
    }
  }
  sqlite3_finalize(read);
  ASSERT_GE(seq, 0);
  sqlite3_stmt* write = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "UPDATE audit_events SET encoding = ?1 WHERE seq = ?2", -1,
                               &write, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(write, 1, encoding.data(), static_cast<int>(encoding.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(write, 2, seq);
  EXPECT_EQ(sqlite3_step(write), SQLITE_DONE);
  sqlite3_finalize(write);
  sqlite3_close(handle);
  auto runtime = writ::api::Runtime::Open(*policy, db);
  ASSERT_TRUE(runtime.ok());
  auto verified = runtime->VerifyAudit();
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_FALSE(verified->first);
  EXPECT_THAT(verified->second, HasSubstr("edited at " + std::to_string(seq)));
}

TEST_F(CppApiTest, MisuseComesBackAsStatuses) {
  writ_policy* policy = nullptr;
  writ_source source{"shop.writ", kPolicy, std::char_traits<char>::length(kPolicy)};
  ASSERT_EQ(writ_policy_compile(&source, 1, WRIT_ENGINE_INTERP, &policy), WRIT_OK);
  writ_runtime* runtime = nullptr;
  EXPECT_NE(writ_runtime_open(policy, (dir_ / "nodir" / "x.db").c_str(), nullptr, &runtime),
            WRIT_OK);
  EXPECT_NE(std::string(writ_last_error()), "");
  ASSERT_EQ(writ_runtime_open(policy, (dir_ / "ok.db").c_str(), nullptr, &runtime), WRIT_OK);
  writ_step* step = nullptr;
  EXPECT_EQ(writ_authorize(runtime, "nobody", "1", "pay", "{}", 2, &step), WRIT_NOT_FOUND);
  EXPECT_EQ(writ_authorize(runtime, nullptr, "1", "pay", "{}", 2, &step),
            WRIT_INVALID_ARGUMENT);
  EXPECT_EQ(writ_complete(runtime, "s", "1", nullptr, 3, 0, &step), WRIT_INVALID_ARGUMENT);
  EXPECT_EQ(writ_resume(runtime, "s", -1, nullptr, nullptr, nullptr), WRIT_INVALID_ARGUMENT);
  EXPECT_EQ(writ_step_lease(nullptr, 0, nullptr, nullptr), WRIT_INVALID_ARGUMENT);
  // Huge and malformed inputs are answers, not crashes.
  std::string huge(3 << 20, '[');
  writ_decision* decision = nullptr;
  ASSERT_EQ(writ_decide_json(policy, huge.data(), huge.size(), &decision), WRIT_OK);
  writ_effect effect = WRIT_EFFECT_ALLOW;
  EXPECT_EQ(writ_decision_effect(decision, &effect), WRIT_OK);
  EXPECT_EQ(effect, WRIT_EFFECT_DENY);
  writ_decision_free(decision);
  writ_runtime_free(runtime);
  // A freed runtime is recognized.
  EXPECT_EQ(writ_authorize(runtime, "s", "1", "pay", "{}", 2, &step), WRIT_INVALID_ARGUMENT);
  writ_policy_free(policy);
  writ_policy_free(policy);  // a second free is a no-op
}

}  // namespace
