// The credential broker inside the session runtime (docs/credentials.md, "In the runtime"): an
// allowed call with a grant gets a lease that verifies offline; the lease is revoked when its
// step finishes, by id, by session, on terminate and on budget exhaustion; replays sign the
// same claims again; long calls rotate; grants that cannot be leases deny the call; leases
// redeem upstream secrets, which the database file holds only sealed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/audit/event_encoding.h"
#include "runtime/audit/keys.h"
#include "runtime/credentials/verify.h"
#include "runtime/interpreter.h"
#include "runtime/session/session_runtime.h"
#include "runtime/session/store_credentials.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

namespace fs = std::filesystem;
using credentials::LeaseError;
using credentials::LeaseErrorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;
using store::StepState;

constexpr const char* kPolicy = R"(package shop

entity User

agent Buyer {
  acts_for: User
  credentials {
    erp: ["po.read", "po.write"] ttl 15m
  }
}

tool pay(amount: money)
tool lookup(q: string)
tool note(text: string)

permit call pay for Buyer grant erp ["po.write"] ttl 9m
permit call lookup for Buyer grant erp
permit call note for Buyer

ceiling: budget calls per task 4 for Buyer then terminate because "too many calls"
)";

std::string World(const std::string& agent_id) {
  return Json::array({{{"type", "shop.Buyer"},
                       {"id", agent_id},
                       {"attrs", {{"acts_for", {{"type", "shop.User"}, {"id", "u1"}}}}}},
                      {{"type", "shop.User"}, {"id", "u1"}}})
      .dump();
}

constexpr int64_t kMinute = 60 * 1000;

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string errors;
    policy_ = testing::CompilePolicy(kPolicy, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
    interpreter_ = std::make_unique<Interpreter>(*policy_);
    std::string pattern = (fs::temp_directory_path() / "writ_broker_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    absl::StatusOr<audit::SecretKey> key = audit::GenerateSigningKey();
    ASSERT_TRUE(key.ok());
    lease_key_ = *key;
    Reopen(lease_key_);
  }
  void TearDown() override {
    runtime_.reset();
    table_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // A restarted process on the same file, signing leases with `key` (or a key of its own).
  // With master_hex_ set, it holds a vault of the store's secrets under that master key.
  void Reopen(std::optional<audit::SecretKey> key) {
    runtime_.reset();
    table_.reset();
    store_.reset();
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::OpenSqliteStore(DbPath());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    SessionRuntimeOptions options{.clock = [this] { return now_; },
                                  .on_event = [this](const Event& e) { events_.push_back(e); }};
    options.credentials.signing_key = key;
    if (!master_hex_.empty()) {
      table_ = std::make_unique<StoreSecretTable>(*store_, [this] { return now_; });
      absl::StatusOr<credentials::MasterKey> master =
          credentials::MasterKey::FromText(master_hex_, "the test's master key");
      ASSERT_TRUE(master.ok()) << master.status();
      options.credentials.vault =
          std::make_shared<credentials::SecretVault>(*std::move(master), *table_);
    }
    runtime_ = std::make_unique<SessionRuntime>(*policy_, *interpreter_, *store_, options);
  }

  std::string DbPath() const { return (dir_ / "writ.db").string(); }

  void Spawn(const std::string& id = "s1", const std::string& agent_id = "b1") {
    absl::StatusOr<SpawnResult> spawned =
        runtime_->Spawn({id, "shop.Buyer", agent_id, "restock", World(agent_id)});
    ASSERT_TRUE(spawned.ok()) << spawned.status();
    ASSERT_TRUE(spawned->spawned) << spawned->reason;
  }

  StepResult Call(const std::string& step, const std::string& tool, const std::string& args,
                  const std::string& session = "s1") {
    absl::StatusOr<StepResult> result = runtime_->Authorize(session, step, tool, args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : StepResult{};
  }

  // The error of verifying `token` against the store, as a downstream service with access to
  // it would.
  LeaseError StoreVerdict(const std::string& token) {
    return LeaseErrorOf(runtime_->VerifyLease(token).status());
  }
  // Offline: only the public key and the clock.
  LeaseError OfflineVerdict(const std::string& token) {
    return LeaseErrorOf(
        credentials::VerifyLease(token, runtime_->lease_public_key(), now_).status());
  }

  // The stored audit events of `kind`, as "step: field=value" for one field.
  std::vector<std::string> AuditOf(audit::EventKind kind, const std::string& field) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_
                    ->Transact([&](store::Transaction& tx) -> absl::Status {
                      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(0, 10000);
                      if (!rows.ok()) return rows.status();
                      for (const store::AuditRow& row : *rows) {
                        absl::StatusOr<audit::AuditEvent> event =
                            audit::Decode(row.event.encoding);
                        if (!event.ok()) return event.status();
                        if (event->kind != kind) continue;
                        const audit::FieldValue* value = event->Find(field);
                        out.push_back(event->step + ": " +
                                      (value != nullptr && std::holds_alternative<std::string>(*value)
                                           ? std::get<std::string>(*value)
                                           : "?"));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::vector<std::string> EventKinds() const {
    std::vector<std::string> kinds;
    for (const Event& event : events_) kinds.push_back(event.kind);
    return kinds;
  }

  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<Interpreter> interpreter_;
  fs::path dir_;
  audit::SecretKey lease_key_{};
  std::unique_ptr<store::Store> store_;
  std::string master_hex_;
  std::unique_ptr<StoreSecretTable> table_;
  std::unique_ptr<SessionRuntime> runtime_;
  int64_t now_ = 1767225600000;  // 2026-01-01T00:00:00Z
  std::vector<Event> events_;
};

TEST_F(BrokerTest, AnAllowedCallWithAGrantGetsALeaseThatVerifiesOfflineUntilItExpires) {
  Spawn();
  StepResult paid = Call("1", "pay", R"({"amount": "5 USD"})");
  ASSERT_EQ(paid.state, StepState::kAllowed);
  ASSERT_EQ(paid.leases.size(), 1u);
  const IssuedLease& lease = paid.leases[0];
  absl::StatusOr<credentials::LeaseClaims> claims =
      credentials::VerifyLease(lease.token, runtime_->lease_public_key(), now_);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(*claims, lease.claims);
  EXPECT_EQ(claims->session, "s1");
  EXPECT_EQ(claims->agent, "shop.Buyer::b1");
  EXPECT_EQ(claims->acting_for, "shop.User::u1");
  EXPECT_EQ(claims->tool, "pay");
  EXPECT_EQ(claims->credential, "erp");
  EXPECT_THAT(claims->scopes, ElementsAre("po.write"));
  EXPECT_EQ(claims->issued_at_ms, now_);
  EXPECT_EQ(claims->expires_at_ms, now_ + 9 * kMinute);  // the grant's ttl
  EXPECT_EQ(StoreVerdict(lease.token), LeaseError::kNone);

  // The grant without scopes or ttl carries the declared ones.
  StepResult looked = Call("2", "lookup", R"({"q": "x"})");
  ASSERT_EQ(looked.leases.size(), 1u);
  EXPECT_THAT(looked.leases[0].claims.scopes, ElementsAre("po.read", "po.write"));
  EXPECT_EQ(looked.leases[0].claims.expires_at_ms, now_ + 15 * kMinute);
  // No grant, no lease.
  EXPECT_TRUE(Call("3", "note", R"({"text": "x"})").leases.empty());

  EXPECT_THAT(AuditOf(audit::EventKind::kCredentialMinted, "lease_id"),
              ElementsAre("1: " + lease.claims.id, "2: " + looked.leases[0].claims.id));
  EXPECT_THAT(EventKinds(), ::testing::Contains("credential_minted"));

  now_ += 9 * kMinute - 1;
  EXPECT_EQ(OfflineVerdict(lease.token), LeaseError::kNone);
  now_ += 1;
  EXPECT_EQ(OfflineVerdict(lease.token), LeaseError::kExpired);
  EXPECT_EQ(StoreVerdict(lease.token), LeaseError::kExpired);
}

TEST_F(BrokerTest, AStepsLeasesAreRevokedWhenItCompletesOrFails) {
  Spawn();
  const std::string completed = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0).token;
  const std::string failed = Call("2", "lookup", R"({"q": "x"})").leases.at(0).token;
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 10).ok());
  ASSERT_TRUE(runtime_->Fail("s1", "2").ok());
  EXPECT_EQ(StoreVerdict(completed), LeaseError::kRevoked);
  EXPECT_EQ(StoreVerdict(failed), LeaseError::kRevoked);
  // A verifier without the revocation list cannot know: that is what short lives are for.
  EXPECT_EQ(OfflineVerdict(completed), LeaseError::kNone);
  EXPECT_THAT(AuditOf(audit::EventKind::kCredentialRevoked, "reason"),
              ElementsAre("1: the step completed", "2: the step failed"));
}

TEST_F(BrokerTest, LeasesAreRevokedByIdBySessionAndWhenTheSessionEnds) {
  Spawn("s1");
  Spawn("s2", "b2");
  const IssuedLease one = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0);
  const IssuedLease two = Call("2", "lookup", R"({"q": "x"})").leases.at(0);
  const IssuedLease other = Call("1", "lookup", R"({"q": "x"})", "s2").leases.at(0);

  absl::StatusOr<bool> revoked = runtime_->RevokeLease(one.claims.id, "leaked in a log");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(*revoked);
  EXPECT_FALSE(*runtime_->RevokeLease(one.claims.id, "again"));
  EXPECT_EQ(runtime_->RevokeLease("00000000000000000000000000000000", "x").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(StoreVerdict(one.token), LeaseError::kRevoked);
  EXPECT_EQ(StoreVerdict(two.token), LeaseError::kNone);

  absl::StatusOr<int> by_session = runtime_->RevokeLeases("s1", "incident 42");
  ASSERT_TRUE(by_session.ok()) << by_session.status();
  EXPECT_EQ(*by_session, 1);
  EXPECT_EQ(StoreVerdict(two.token), LeaseError::kRevoked);
  EXPECT_EQ(StoreVerdict(other.token), LeaseError::kNone);

  ASSERT_TRUE(runtime_->Terminate("s2", "done").ok());
  EXPECT_EQ(StoreVerdict(other.token), LeaseError::kRevoked);
  EXPECT_THAT(AuditOf(audit::EventKind::kCredentialRevoked, "reason"),
              ElementsAre("1: leaked in a log", "2: incident 42", "1: the session ended: done"));
}

TEST_F(BrokerTest, ExhaustingABudgetThatTerminatesRevokesTheSessionsLeases) {
  Spawn();
  std::vector<std::string> tokens;
  for (int i = 1; i <= 4; ++i) {
    StepResult step = Call(std::to_string(i), "lookup", R"({"q": "x"})");
    ASSERT_EQ(step.state, StepState::kAllowed) << i;
    tokens.push_back(step.leases.at(0).token);
  }
  StepResult fifth = Call("5", "lookup", R"({"q": "x"})");
  EXPECT_EQ(fifth.state, StepState::kDenied);
  EXPECT_TRUE(fifth.session_ended);
  EXPECT_TRUE(fifth.leases.empty());
  for (const std::string& token : tokens) EXPECT_EQ(StoreVerdict(token), LeaseError::kRevoked);
  EXPECT_THAT(AuditOf(audit::EventKind::kCredentialRevoked, "reason"),
              ::testing::Each(HasSubstr("the session ended: too many calls")));
}

TEST_F(BrokerTest, AReplayedStepGetsItsLiveLeasesAgainAfterARestart) {
  Spawn();
  const IssuedLease first = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0);
  Reopen(lease_key_);
  StepResult replayed = Call("1", "pay", R"({"amount": "5 USD"})");
  EXPECT_TRUE(replayed.replayed);
  ASSERT_EQ(replayed.leases.size(), 1u);
  EXPECT_EQ(replayed.leases[0].token, first.token);  // Ed25519 signs the same claims the same

  // A restart with another key signs the same claims with it; the store knows both keys.
  Reopen(std::nullopt);
  const IssuedLease resigned = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0);
  EXPECT_NE(resigned.token, first.token);
  EXPECT_EQ(resigned.claims, first.claims);
  EXPECT_EQ(StoreVerdict(resigned.token), LeaseError::kNone);
  EXPECT_EQ(StoreVerdict(first.token), LeaseError::kNone);
  EXPECT_EQ(AuditOf(audit::EventKind::kCredentialMinted, "lease_id").size(), 1u);

  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 0).ok());
  EXPECT_TRUE(Call("1", "pay", R"({"amount": "5 USD"})").leases.empty());
}

TEST_F(BrokerTest, LongCallsRotateTheirLeasesBeforeTheyExpire) {
  Spawn();
  const IssuedLease running = Call("1", "lookup", R"({"q": "x"})").leases.at(0);  // 15m
  const IssuedLease done = Call("2", "lookup", R"({"q": "y"})").leases.at(0);
  ASSERT_TRUE(runtime_->Complete("s1", "2", "", 0).ok());

  now_ += 9 * kMinute;  // 6 of 15 minutes left: more than a third
  absl::StatusOr<std::vector<IssuedLease>> early = runtime_->RotateLeases("s1");
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_TRUE(early->empty());

  now_ += 2 * kMinute;  // 4 left
  absl::StatusOr<std::vector<IssuedLease>> rotated = runtime_->RotateLeases("s1");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  ASSERT_EQ(rotated->size(), 1u);  // the completed step's lease is not renewed
  const IssuedLease& next = (*rotated)[0];
  EXPECT_NE(next.claims.id, running.claims.id);
  EXPECT_EQ(next.claims.expires_at_ms, now_ + 15 * kMinute);
  EXPECT_EQ(next.claims.tool, "lookup");
  EXPECT_EQ(StoreVerdict(next.token), LeaseError::kNone);
  EXPECT_EQ(StoreVerdict(running.token), LeaseError::kRevoked);
  EXPECT_EQ(StoreVerdict(done.token), LeaseError::kRevoked);
  // The replayed step hands out the successor.
  StepResult replayed = Call("1", "lookup", R"({"q": "x"})");
  ASSERT_EQ(replayed.leases.size(), 1u);
  EXPECT_EQ(replayed.leases[0].token, next.token);
  EXPECT_THAT(AuditOf(audit::EventKind::kCredentialRevoked, "reason"),
              ElementsAre("2: the step completed", "1: rotated"));
}

TEST_F(BrokerTest, AGrantThatCannotBeALeaseDeniesTheCallAndReservesNothing) {
  const std::string long_id(300, 'b');  // past the 255 bytes a claim may have
  Spawn("s1", long_id);
  StepResult step = Call("1", "pay", R"({"amount": "5 USD"})");
  EXPECT_EQ(step.state, StepState::kDenied);
  EXPECT_TRUE(step.leases.empty());
  EXPECT_THAT(step.decision_json, HasSubstr("credential erp cannot be granted"));
  Json report = Json::parse(*runtime_->Report("s1"));
  EXPECT_EQ(report["tool_calls"], 0);
  EXPECT_TRUE(AuditOf(audit::EventKind::kCredentialMinted, "lease_id").empty());
}

TEST_F(BrokerTest, TamperedOrForeignTokensFail) {
  Spawn();
  std::string token = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0).token;
  std::string flipped = token;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_NE(StoreVerdict(flipped), LeaseError::kNone);
  EXPECT_EQ(StoreVerdict("writ.v1.junk"), LeaseError::kMalformed);
  // Signed by a key the store never saw.
  absl::StatusOr<audit::SecretKey> stranger = audit::GenerateSigningKey();
  ASSERT_TRUE(stranger.ok());
  absl::StatusOr<credentials::LeaseClaims> claims =
      credentials::VerifyLease(token, runtime_->lease_public_key(), now_);
  ASSERT_TRUE(claims.ok());
  absl::StatusOr<std::string> forged = credentials::MintLease(*claims, *stranger);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(StoreVerdict(*forged), LeaseError::kBadSignature);
}

TEST_F(BrokerTest, LeasesRedeemUpstreamSecretsThatTheFileHoldsOnlySealed) {
  const std::string secret = "erp-api-key-7f3c1e9a2b4d";
  absl::StatusOr<credentials::MasterKey> master = credentials::MasterKey::Generate();
  ASSERT_TRUE(master.ok());
  master_hex_ = master->ToHex();
  {
    StoreSecretTable table(*store_);
    credentials::SecretVault vault(*std::move(master), table);
    ASSERT_TRUE(vault.Put("erp", secret).ok());
  }
  Reopen(lease_key_);

  Spawn();
  const std::string token = Call("1", "pay", R"({"amount": "5 USD"})").leases.at(0).token;
  absl::StatusOr<std::string> redeemed = runtime_->RedeemLease(token);
  ASSERT_TRUE(redeemed.ok()) << redeemed.status();
  EXPECT_EQ(*redeemed, secret);
  ASSERT_TRUE(runtime_->Complete("s1", "1", "", 0).ok());
  EXPECT_EQ(runtime_->RedeemLease(token).status().code(), absl::StatusCode::kPermissionDenied);

  // With another master key the sealed secret does not open.
  absl::StatusOr<credentials::MasterKey> wrong = credentials::MasterKey::Generate();
  ASSERT_TRUE(wrong.ok());
  credentials::SecretVault wrong_vault(*std::move(wrong), *table_);
  EXPECT_EQ(wrong_vault.Get("erp").status().code(), absl::StatusCode::kUnauthenticated);

  // Neither the secret nor any part of it is in the database file or its log.
  runtime_.reset();
  table_.reset();
  store_.reset();
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream in(DbPath() + suffix, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(secret.substr(0, 12)), std::string::npos) << suffix;
    EXPECT_EQ(bytes.find(master_hex_), std::string::npos) << suffix;
  }
}

}  // namespace
}  // namespace writ::runtime
