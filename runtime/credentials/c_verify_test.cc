// The C verifier: its codes match the C++ verifier's errors, and null or inconsistent
// arguments are reported as WRIT_LEASE_INVALID_ARGUMENT, never a crash.
#include "runtime/credentials/c_verify.h"

#include <sodium.h>

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "runtime/audit/hash.h"
#include "runtime/credentials/lease.h"

namespace writ::runtime::credentials {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

class CVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(audit::EnsureSodium().ok());
    crypto_sign_keypair(public_key_.data(), secret_key_.data());
    absl::StatusOr<LeaseClaims> claims =
        NewLeaseClaims({"s1", "bot", "alice", "erp.create_po", "erp", {"po.write"}}, kNow, 1000);
    ASSERT_TRUE(claims.ok());
    token_ = *MintLease(*claims, secret_key_);
  }

  int Verify(std::string_view token, int64_t now, const uint8_t* key = nullptr) {
    return writ_lease_verify(token.data(), token.size(), key ? key : public_key_.data(), now,
                             error_, sizeof(error_));
  }

  PublicKey public_key_{};
  SecretKey secret_key_{};
  std::string token_;
  char error_[256] = "unchanged";
};

TEST_F(CVerifyTest, CodesMatchTheErrors) {
  EXPECT_EQ(Verify(token_, kNow), WRIT_LEASE_OK);
  EXPECT_STREQ(error_, "");
  EXPECT_EQ(Verify(token_, kNow + 1000), WRIT_LEASE_EXPIRED);
  EXPECT_NE(std::strstr(error_, "expired at"), nullptr);
  EXPECT_EQ(Verify(token_, kNow - 61'000), WRIT_LEASE_NOT_YET_VALID);
  EXPECT_EQ(Verify(token_.substr(1), kNow), WRIT_LEASE_MALFORMED);
  EXPECT_NE(std::strstr(error_, "malformed"), nullptr);
  PublicKey other{};
  crypto_sign_keypair(other.data(), secret_key_.data());
  EXPECT_EQ(Verify(token_, kNow, other.data()), WRIT_LEASE_BAD_SIGNATURE);
}

TEST_F(CVerifyTest, ASuccessLeavesAnEmptyMessage) {
  // Success copies an empty message whose data pointer is null (UBSan caught the memcpy).
  char one[1] = {'x'};
  EXPECT_EQ(writ_lease_verify(token_.data(), token_.size(), public_key_.data(), kNow, one, 1),
            WRIT_LEASE_OK);
  EXPECT_EQ(one[0], '\0');
  EXPECT_EQ(Verify(token_, kNow), WRIT_LEASE_OK);
  EXPECT_STREQ(error_, "");
}

TEST_F(CVerifyTest, ArgumentChecks) {
  EXPECT_EQ(writ_lease_verify(nullptr, 10, public_key_.data(), kNow, error_, sizeof(error_)),
            WRIT_LEASE_INVALID_ARGUMENT);
  EXPECT_STREQ(error_, "token is null");
  EXPECT_EQ(writ_lease_verify(token_.data(), token_.size(), nullptr, kNow, error_, sizeof(error_)),
            WRIT_LEASE_INVALID_ARGUMENT);
  EXPECT_STREQ(error_, "public_key is null");
  EXPECT_EQ(writ_lease_verify(token_.data(), token_.size(), public_key_.data(), kNow, nullptr, 8),
            WRIT_LEASE_INVALID_ARGUMENT);
  // No buffer at all is allowed, and so is an empty token.
  EXPECT_EQ(writ_lease_verify(token_.data(), token_.size(), public_key_.data(), kNow, nullptr, 0),
            WRIT_LEASE_OK);
  EXPECT_EQ(writ_lease_verify("", 0, public_key_.data(), kNow, nullptr, 0), WRIT_LEASE_MALFORMED);
  // A token with an embedded NUL is just bytes.
  std::string with_nul = token_;
  with_nul[20] = '\0';
  EXPECT_EQ(Verify(with_nul, kNow), WRIT_LEASE_MALFORMED);
}

TEST_F(CVerifyTest, MessagesAreTruncatedToTheBuffer) {
  char small[8];
  std::memset(small, 'x', sizeof(small));
  EXPECT_EQ(writ_lease_verify("x", 1, public_key_.data(), kNow, small, sizeof(small)),
            WRIT_LEASE_MALFORMED);
  EXPECT_EQ(std::strlen(small), sizeof(small) - 1);
  EXPECT_EQ(std::string(small), "lease: ");
  char one = 'x';
  EXPECT_EQ(writ_lease_verify("x", 1, public_key_.data(), kNow, &one, 1), WRIT_LEASE_MALFORMED);
  EXPECT_EQ(one, '\0');
}

}  // namespace
}  // namespace writ::runtime::credentials
