// `writ cred` end to end, on the leases `writ run` issues for the procurement trace: a token
// verifies offline until it expires, fails once revoked where the store is consulted, fails
// with any changed character or a wrong key; sealed secrets round-trip with the master key, and
// the database file never holds them in the clear.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_fixture.h"

namespace writ {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;
using testing::CliTest;
using testing::ReadAll;
using testing::Result;

const std::string kTrace =
    std::string(WRIT_SOURCE_DIR) + "/policies/procurement/traces/restock.jsonl";
const std::string kPolicies = std::string(WRIT_SOURCE_DIR) + "/policies";
// The trace's clock: po-1 is granted at 09:00 for 10 minutes.
constexpr const char* kDuring = "2026-11-26T09:05:00Z";
constexpr const char* kAfter = "2026-11-26T09:10:00Z";

class CredCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    Result r = Run({"run", "--policy", kPolicies, "--db", "s.db", "--lease-key", "lease.key",
                    "--leases", "leases.jsonl", kTrace});
    ASSERT_EQ(r.exit, 0) << r.out << r.err;
    ASSERT_THAT(r.err, HasSubstr("created the lease signing key lease.key"));
    ASSERT_THAT(r.out, HasSubstr("lease      restock-q4#po-1  erp [po.write] until"));
    ASSERT_THAT(r.out, HasSubstr("revoke     restock-q4#po-1  erp lease: the step completed"));
    std::istringstream lines(ReadAll(dir_ / "leases.jsonl"));
    std::string line;
    while (std::getline(lines, line)) leases_.push_back(json::parse(line));
    ASSERT_EQ(leases_.size(), 1u);
    token_ = leases_[0]["token"];
    EXPECT_EQ(fs::status(dir_ / "leases.jsonl").permissions() & fs::perms::others_read,
              fs::perms::none);
  }

  json Verify(const std::string& token, std::vector<std::string> extra) {
    std::vector<std::string> args = {"cred", "verify", token, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = Run(args);
    json doc = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << r.out << r.err;
    EXPECT_EQ(r.exit, doc.value("valid", false) ? 0 : 1) << r.out << r.err;
    return doc;
  }
  std::string Error(const std::string& token, std::vector<std::string> extra) {
    json doc = Verify(token, std::move(extra));
    return doc["error"].is_string() ? doc["error"].get<std::string>() : "none";
  }

  std::vector<json> leases_;
  std::string token_;
};

TEST_F(CredCliTest, ALeaseVerifiesOfflineUntilItExpires) {
  json ok = Verify(token_, {"--public-key", "lease.key.pub", "--at", kDuring});
  EXPECT_TRUE(ok["valid"]);
  EXPECT_FALSE(ok["revocations_checked"]);
  EXPECT_EQ(ok["claims"]["session"], "restock-q4");
  EXPECT_EQ(ok["claims"]["agent"], "procurement.ProcurementBot::bot-7");
  EXPECT_EQ(ok["claims"]["acting_for"], "org.User::alice");
  EXPECT_EQ(ok["claims"]["tool"], "erp.create_purchase_order");
  EXPECT_EQ(ok["claims"]["scopes"], json::array({"po.write"}));
  EXPECT_EQ(ok["claims"]["expires_at"], "2026-11-26T09:10:00Z");
  EXPECT_EQ(ok["claims"]["id"], leases_[0]["lease_id"]);
  EXPECT_EQ(Error(token_, {"--public-key", "lease.key.pub", "--at", kAfter}), "expired");
  EXPECT_EQ(Error(token_, {"--public-key", "lease.key.pub", "--at", "2026-11-26T08:58:00Z"}),
            "not_yet_valid");

  Result text = Run({"cred", "verify", token_, "--public-key", "lease.key.pub", "--at", kDuring});
  EXPECT_EQ(text.exit, 0);
  EXPECT_THAT(text.out, HasSubstr("acting for org.User::alice"));
  EXPECT_THAT(text.out, HasSubstr("revocations were not checked"));
  Result piped = Run({"cred", "verify", "-", "--public-key", "lease.key.pub", "--at", kDuring},
                     token_ + "\n");
  EXPECT_EQ(piped.exit, 0) << piped.err;
}

TEST_F(CredCliTest, TheStoreKnowsTheLeaseWasRevokedWhenItsStepCompleted) {
  json revoked = Verify(token_, {"--db", "s.db", "--at", kDuring});
  EXPECT_EQ(revoked["error"], "revoked");
  EXPECT_TRUE(revoked["revocations_checked"]);
  EXPECT_THAT(revoked["message"].get<std::string>(), HasSubstr("was revoked"));
  Result listed = Run({"cred", "leases", "--db", "s.db", "--json", "--at", kDuring});
  ASSERT_EQ(listed.exit, 0) << listed.err;
  json leases = json::parse(listed.out);
  ASSERT_EQ(leases.size(), 1u);
  EXPECT_EQ(leases[0]["state"], "revoked");
  EXPECT_EQ(leases[0]["revoke_reason"], "the step completed");
  EXPECT_EQ(leases[0]["step"], "po-1");
  // Tokens are never stored: the database holds the claims only.
  EXPECT_EQ(ReadAll(dir_ / "s.db").find(token_.substr(8, 40)), std::string::npos);
}

TEST_F(CredCliTest, AnyChangedCharacterOrAWrongKeyFails) {
  const std::vector<std::string> key = {"--public-key", "lease.key.pub", "--at", kDuring};
  size_t bad = 0;
  for (size_t i = 8; i < token_.size(); i += 7) {
    std::string altered = token_;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    if (altered == token_) continue;
    std::string error = Error(altered, key);
    EXPECT_TRUE(error == "bad_signature" || error == "malformed") << i << ": " << error;
    ++bad;
  }
  EXPECT_GT(bad, 20u);
  Result other = Run({"run", "--policy", kPolicies, "--db", "other.db", "--lease-key",
                      "other.key", kTrace});
  ASSERT_EQ(other.exit, 0) << other.err;
  EXPECT_EQ(Error(token_, {"--public-key", "other.key.pub", "--at", kDuring}), "bad_signature");
  EXPECT_EQ(Error("writ.v1.nope", key), "malformed");
  EXPECT_EQ(Run({"cred", "verify", token_}).exit, 2);  // nothing to verify with
  EXPECT_EQ(Run({"cred", "verify", token_, "--public-key", "zz"}).exit, 2);
}

TEST_F(CredCliTest, SealedSecretsRoundTripAndAreUnreadableWithoutTheMasterKey) {
  Result init = Run({"cred", "init", "--master-key", "master.key"});
  ASSERT_EQ(init.exit, 0) << init.err;
  EXPECT_EQ(fs::status(dir_ / "master.key").permissions() & fs::perms::group_read,
            fs::perms::none);
  EXPECT_EQ(Run({"cred", "init", "--master-key", "master.key"}).exit, 2);  // never overwritten
  const std::string secret = "sk_live_51HqErpApiKeyThatMustStaySealed";
  Result put = Run({"cred", "put", "erp", "--db", "s.db", "--master-key", "master.key"},
                   secret + "\n");
  ASSERT_EQ(put.exit, 0) << put.err;
  Result got = Run({"cred", "get", "erp", "--db", "s.db", "--master-key", "master.key"});
  EXPECT_EQ(got.exit, 0) << got.err;
  EXPECT_EQ(got.out, secret);
  Result listed = Run({"cred", "list", "--db", "s.db"});
  EXPECT_THAT(listed.out, HasSubstr("erp"));
  EXPECT_THAT(listed.out, ::testing::Not(HasSubstr(secret)));

  // The environment variable works as well as the file.
  env_.push_back("WRIT_MASTER_KEY=" + ReadAll(dir_ / "master.key"));
  EXPECT_EQ(Run({"cred", "get", "erp", "--db", "s.db"}).out, secret);
  env_.pop_back();
  // A wrong key is a clear error, and so is none.
  env_.push_back("WRIT_MASTER_KEY=" + std::string(64, '7'));
  Result wrong = Run({"cred", "get", "erp", "--db", "s.db"});
  EXPECT_EQ(wrong.exit, 1);
  EXPECT_THAT(wrong.err, HasSubstr("wrong master key"));
  env_.pop_back();
  Result none = Run({"cred", "get", "erp", "--db", "s.db"});
  EXPECT_EQ(none.exit, 2);
  EXPECT_THAT(none.err, HasSubstr("no master key"));
  Result missing = Run({"cred", "get", "bank", "--db", "s.db", "--master-key", "master.key"});
  EXPECT_EQ(missing.exit, 1);
  fs::permissions(dir_ / "master.key", fs::perms::others_read, fs::perm_options::add);
  Result exposed = Run({"cred", "get", "erp", "--db", "s.db", "--master-key", "master.key"});
  EXPECT_EQ(exposed.exit, 2);
  EXPECT_THAT(exposed.err, HasSubstr("readable or writable by others"));

  // Neither the secret nor the master key is anywhere in the store's files.
  const std::string master = ReadAll(dir_ / "master.key").substr(0, 64);
  for (const char* file : {"s.db", "s.db-wal"}) {
    if (!fs::exists(dir_ / file)) continue;
    const std::string bytes = ReadAll(dir_ / file);
    EXPECT_EQ(bytes.find(secret.substr(0, 16)), std::string::npos) << file;
    EXPECT_EQ(bytes.find(master), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace writ
