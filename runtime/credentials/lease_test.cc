// Leases against issue 7's acceptance: a lease verifies until it expires, and fails after
// revocation, with any changed character, with a wrong key, and when malformed, each with its
// own error. Also the pinned example of docs/credentials.md, and rotation.
#include <sodium.h>

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime/audit/hash.h"
#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/token.h"
#include "runtime/credentials/lease.h"
#include "runtime/credentials/verify.h"

namespace writ::runtime::credentials {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kTtl = 15 * 60 * 1000;

// The documented example: claims with a fixed id, signed with the key of seed 00 01 .. 1f.
LeaseClaims ExampleClaims() {
  return {"00112233445566778899aabbccddeeff", "s1", "ProcurementBot", "alice",
          "erp.create_po", "erp", {"po.read", "po.write"}, kNow, kNow + kTtl};
}

class LeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(audit::EnsureSodium().ok());
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (size_t i = 0; i < sizeof(seed); ++i) seed[i] = static_cast<unsigned char>(i);
    crypto_sign_seed_keypair(public_key_.data(), secret_key_.data(), seed);
    crypto_sign_keypair(other_public_.data(), other_secret_.data());
  }

  std::string Mint(const LeaseClaims& claims) {
    absl::StatusOr<std::string> token = MintLease(claims, secret_key_);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  LeaseError ErrorOf(std::string_view token, int64_t now = kNow,
                     const RevocationSource* revocations = nullptr) {
    return LeaseErrorOf(VerifyLease(token, public_key_, now, revocations).status());
  }

  PublicKey public_key_{}, other_public_{};
  SecretKey secret_key_{}, other_secret_{};
};

TEST_F(LeaseTest, VerifiesUntilExpiry) {
  const std::string token = Mint(ExampleClaims());
  for (int64_t now : {kNow, kNow + 1, kNow + kTtl - 1}) {
    absl::StatusOr<LeaseClaims> claims = VerifyLease(token, public_key_, now);
    ASSERT_TRUE(claims.ok()) << claims.status();
    EXPECT_EQ(*claims, ExampleClaims());
  }
  for (int64_t now : {kNow + kTtl, kNow + kTtl + 1, INT64_MAX}) {
    absl::Status status = VerifyLease(token, public_key_, now).status();
    EXPECT_EQ(LeaseErrorOf(status), LeaseError::kExpired) << now;
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(status.message(), HasSubstr("expired at"));
  }
}

TEST_F(LeaseTest, NotYetValidBeyondTheAllowedSkew) {
  const std::string token = Mint(ExampleClaims());
  EXPECT_EQ(ErrorOf(token, kNow - kMaxClockSkewMs), LeaseError::kNone);
  EXPECT_EQ(ErrorOf(token, kNow - kMaxClockSkewMs - 1), LeaseError::kNotYetValid);
  EXPECT_EQ(ErrorOf(token, INT64_MIN), LeaseError::kNotYetValid);
}

TEST_F(LeaseTest, FailsAfterLeaseRevocation) {
  const std::string token = Mint(ExampleClaims());
  RevocationList revocations;
  revocations.RevokeLease("ffeeddccbbaa99887766554433221100");
  EXPECT_EQ(ErrorOf(token, kNow, &revocations), LeaseError::kNone);
  revocations.RevokeLease(ExampleClaims().id);
  absl::Status status = VerifyLease(token, public_key_, kNow, &revocations).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(status.message(), HasSubstr("was revoked"));
  // Revocation is the verifier's knowledge; one without the list still accepts the token.
  EXPECT_EQ(ErrorOf(token), LeaseError::kNone);
}

TEST_F(LeaseTest, FailsAfterSessionRevocation) {
  const std::string token = Mint(ExampleClaims());
  RevocationList revocations;
  revocations.RevokeSession("s2");
  EXPECT_EQ(ErrorOf(token, kNow, &revocations), LeaseError::kNone);
  revocations.RevokeSession("s1");
  absl::Status status = VerifyLease(token, public_key_, kNow, &revocations).status();
  EXPECT_EQ(LeaseErrorOf(status), LeaseError::kRevoked);
  EXPECT_THAT(status.message(), HasSubstr("session s1 was revoked"));
}

TEST_F(LeaseTest, FailsWithEveryChangedCharacter) {
  const std::string token = Mint(ExampleClaims());
  for (size_t i = 0; i < token.size(); ++i) {
    for (char replacement : {'A', 'B', '_', '-', '.', '=', '0'}) {
      if (token[i] == replacement) continue;
      std::string altered = token;
      altered[i] = replacement;
      const LeaseError error = ErrorOf(altered);
      EXPECT_TRUE(error == LeaseError::kMalformed || error == LeaseError::kBadSignature)
          << "position " << i << " -> " << replacement;
    }
    std::string flipped = token;
    flipped[i] ^= 0x01;
    EXPECT_NE(ErrorOf(flipped), LeaseError::kNone) << "position " << i;
  }
}

TEST_F(LeaseTest, FailsWithEveryFlippedPayloadOrSignatureBit) {
  const std::string token = Mint(ExampleClaims());
  const std::string body = token.substr(internal::kTokenPrefix.size());
  const size_t dot = body.find('.');
  const std::string payload = *internal::Base64UrlDecode(body.substr(0, dot));
  const std::string signature = *internal::Base64UrlDecode(body.substr(dot + 1));
  for (size_t bit = 0; bit < 8 * (payload.size() + signature.size()); ++bit) {
    std::string p = payload, s = signature;
    const size_t byte = bit / 8;
    if (byte < p.size()) {
      p[byte] ^= static_cast<char>(1 << (bit % 8));
    } else {
      s[byte - p.size()] ^= static_cast<char>(1 << (bit % 8));
    }
    const std::string altered = std::string(internal::kTokenPrefix) +
                                internal::Base64UrlEncode(p) + "." + internal::Base64UrlEncode(s);
    EXPECT_EQ(ErrorOf(altered), LeaseError::kBadSignature) << "bit " << bit;
  }
}

TEST_F(LeaseTest, FailsWithAWrongKey) {
  const std::string token = Mint(ExampleClaims());
  absl::Status status = VerifyLease(token, other_public_, kNow).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(status.message(), HasSubstr("bad signature"));
  absl::StatusOr<std::string> forged = MintLease(ExampleClaims(), other_secret_);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(ErrorOf(*forged), LeaseError::kBadSignature);
}

TEST_F(LeaseTest, MalformedTokensAreRejected) {
  const std::string token = Mint(ExampleClaims());
  const size_t dot = token.rfind('.');
  const std::string payload_text = token.substr(8, dot - 8);
  const std::string signature_text = token.substr(dot + 1);
  const std::string cases[] = {
      "",
      "writ",
      "writ.v1.",
      "writ.v1." + payload_text,
      "writ.v1." + payload_text + ".",
      "writ.v1.." + signature_text,
      "writ.v2." + payload_text + "." + signature_text,
      "jwt.v1." + payload_text + "." + signature_text,
      token + ".",
      token + "." + signature_text,
      token + "A",
      token + "=",
      token + " ",
      " " + token,
      "writ.v1." + payload_text + "=." + signature_text,
      "writ.v1." + payload_text + "!." + signature_text,
      "writ.v1." + payload_text + "." + signature_text.substr(1),
      "writ.v1." + payload_text + "." + signature_text + "AA",
      "writ.v1." + std::string(internal::kMaxTokenBytes, 'A') + "." + signature_text,
      std::string(1 << 20, 'w'),
  };
  for (const std::string& bad : cases) {
    absl::Status status = VerifyLease(bad, public_key_, kNow).status();
    EXPECT_EQ(LeaseErrorOf(status), LeaseError::kMalformed) << bad.substr(0, 200);
    EXPECT_THAT(status.message(), HasSubstr("lease: malformed token"));
  }
}

// A correctly signed payload that is not a canonical encoding is still malformed.
TEST_F(LeaseTest, SignedNonCanonicalPayloadsAreMalformed) {
  const std::string payload = internal::EncodeLeasePayload(ExampleClaims());
  auto sign = [&](const std::string& p) {
    const std::string message = internal::SignedMessage(p);
    std::string signature(64, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                         secret_key_.data());
    return std::string(internal::kTokenPrefix) + internal::Base64UrlEncode(p) + "." +
           internal::Base64UrlEncode(signature);
  };
  EXPECT_EQ(ErrorOf(sign(payload)), LeaseError::kNone);
  EXPECT_EQ(ErrorOf(sign(payload + "x")), LeaseError::kMalformed);
  EXPECT_EQ(ErrorOf(sign(payload.substr(0, payload.size() - 1))), LeaseError::kMalformed);
  EXPECT_EQ(ErrorOf(sign("\x02" + payload.substr(1))), LeaseError::kMalformed);
  EXPECT_EQ(ErrorOf(sign("")), LeaseError::kMalformed);
  LeaseClaims unsorted = ExampleClaims();
  std::swap(unsorted.scopes[0], unsorted.scopes[1]);
  EXPECT_EQ(ErrorOf(sign(internal::EncodeLeasePayload(unsorted))), LeaseError::kMalformed);
}

TEST_F(LeaseTest, TheDocumentedExample) {
  EXPECT_EQ(internal::HexEncode(std::string_view(reinterpret_cast<const char*>(public_key_.data()),
                                                 public_key_.size())),
            "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  EXPECT_EQ(internal::HexEncode(internal::EncodeLeasePayload(ExampleClaims())),
            "01" "00112233445566778899aabbccddeeff" "0000018bcfe56800" "0000018bcff323a0"
            "027331" "0e50726f637572656d656e74426f74" "05616c696365"
            "0d6572702e6372656174655f706f" "03657270" "02" "07706f2e72656164"
            "08706f2e7772697465");
  EXPECT_EQ(Mint(ExampleClaims()),
            "writ.v1.AQARIjNEVWZ3iJmqu8zd7v8AAAGLz-VoAAAAAYvP8yOgAnMxDlByb2N1cmVtZW50Qm90BWFsaWNl"
            "DWVycC5jcmVhdGVfcG8DZXJwAgdwby5yZWFkCHBvLndyaXRl."
            "I2zEhQIQtxS_Aaw2qK3y5t6vqT2MkNdVubJWr9K4_AkEyK9l8wUBUKk7TMzQ6vBXEFYCrBKMSC0uKq5Zw5t5AA");
}

TEST_F(LeaseTest, MintRejectsInvalidClaims) {
  auto with = [](auto edit) {
    LeaseClaims c = ExampleClaims();
    edit(c);
    return c;
  };
  const LeaseClaims cases[] = {
      with([](LeaseClaims& c) { c.id = "00112233"; }),
      with([](LeaseClaims& c) { c.id = "00112233445566778899AABBCCDDEEFF"; }),
      with([](LeaseClaims& c) { c.session.clear(); }),
      with([](LeaseClaims& c) { c.agent = std::string(kMaxClaimBytes + 1, 'a'); }),
      with([](LeaseClaims& c) { c.tool = "\xc0\xaf"; }),
      with([](LeaseClaims& c) { c.scopes = {"b", "a"}; }),
      with([](LeaseClaims& c) { c.scopes = {"a", "a"}; }),
      with([](LeaseClaims& c) { c.scopes = {""}; }),
      with([](LeaseClaims& c) { c.expires_at_ms = c.issued_at_ms; }),
      with([](LeaseClaims& c) { c.issued_at_ms = -1; }),
      with([](LeaseClaims& c) { c.expires_at_ms = c.issued_at_ms + kMaxLeaseTtlMs + 1; }),
      with([](LeaseClaims& c) {
        c.scopes.clear();
        for (char ch = 'a'; ch < 'a' + 20; ++ch) c.scopes.push_back(std::string(250, ch));
      }),
  };
  for (const LeaseClaims& claims : cases) {
    EXPECT_EQ(MintLease(claims, secret_key_).status().code(), absl::StatusCode::kInvalidArgument)
        << claims.id << " " << claims.session;
  }
  EXPECT_TRUE(MintLease(with([](LeaseClaims& c) { c.acting_for.clear(); }), secret_key_).ok());
}

TEST_F(LeaseTest, NewLeaseClaimsFillsIdAndLifetime) {
  LeaseSubject subject{"s1", "bot", "", "erp.create_po", "erp", {"w", "r", "w"}};
  absl::StatusOr<LeaseClaims> a = NewLeaseClaims(subject, kNow, kTtl);
  absl::StatusOr<LeaseClaims> b = NewLeaseClaims(subject, kNow, kTtl);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->id.size(), 32u);
  EXPECT_EQ(a->scopes, (std::vector<std::string>{"r", "w"}));
  EXPECT_EQ(a->issued_at_ms, kNow);
  EXPECT_EQ(a->expires_at_ms, kNow + kTtl);
  EXPECT_EQ(VerifyLease(Mint(*a), public_key_, kNow).value_or(LeaseClaims{}), *a);
  for (int64_t ttl : {int64_t{0}, int64_t{-1}, kMaxLeaseTtlMs + 1}) {
    EXPECT_FALSE(NewLeaseClaims(subject, kNow, ttl).ok()) << ttl;
  }
  EXPECT_FALSE(NewLeaseClaims(subject, INT64_MAX - 10, kTtl).ok());
}

TEST_F(LeaseTest, RotationAfterTwoThirdsOfTheLifetime) {
  const LeaseClaims claims = ExampleClaims();  // 900 s: rotate when at most 300 s remain
  EXPECT_FALSE(NeedsRotation(claims, kNow - 1));
  EXPECT_FALSE(NeedsRotation(claims, kNow));
  EXPECT_FALSE(NeedsRotation(claims, kNow + 600'000 - 1));
  EXPECT_TRUE(NeedsRotation(claims, kNow + 600'000));
  EXPECT_TRUE(NeedsRotation(claims, kNow + kTtl));
  EXPECT_TRUE(NeedsRotation(claims, INT64_MAX));

  absl::StatusOr<LeaseClaims> next = Rotate(claims, kNow + 700'000);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_NE(next->id, claims.id);
  EXPECT_EQ(next->issued_at_ms, kNow + 700'000);
  EXPECT_EQ(next->expires_at_ms, kNow + 700'000 + kTtl);
  LeaseClaims same = *next;
  same.id = claims.id;
  same.issued_at_ms = claims.issued_at_ms;
  same.expires_at_ms = claims.expires_at_ms;
  EXPECT_EQ(same, claims);
  EXPECT_FALSE(NeedsRotation(*next, kNow + 700'000));
  EXPECT_EQ(ErrorOf(Mint(*next), kNow + kTtl + 1), LeaseError::kNone);
}

}  // namespace
}  // namespace writ::runtime::credentials
