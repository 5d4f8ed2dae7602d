// Fuzz-style checks of the decoders that see untrusted bytes: random inputs, and random
// mutations of valid tokens and blobs, must only ever produce errors (never a crash, and never
// a lease or a secret). The seed is fixed, so a failure reproduces.
#include <sodium.h>

#include <random>
#include <string>

#include <gtest/gtest.h>

#include "runtime/audit/hash.h"
#include "runtime/credentials/lease.h"
#include "runtime/credentials/secrets.h"
#include "runtime/credentials/verify.h"

namespace writ::runtime::credentials {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int kRounds = 20'000;

std::string RandomBytes(std::mt19937_64& rng, size_t max_size, std::string_view alphabet = {}) {
  std::string out(rng() % (max_size + 1), '\0');
  for (char& c : out) {
    c = alphabet.empty() ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
  }
  return out;
}

std::string Mutate(std::mt19937_64& rng, std::string s) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    const size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0: s[at] = static_cast<char>(rng()); break;
      case 1: s.erase(at, 1 + rng() % 8); break;
      case 2: s.insert(at, 1, static_cast<char>(rng())); break;
      default: s.resize(at); break;
    }
  }
  return s;
}

TEST(CredentialsFuzzTest, VerifyLeaseOnlyReturnsErrors) {
  ASSERT_TRUE(audit::EnsureSodium().ok());
  PublicKey public_key{};
  SecretKey secret_key{};
  crypto_sign_keypair(public_key.data(), secret_key.data());
  const std::string token = *MintLease(
      *NewLeaseClaims({"s1", "bot", "alice", "erp.create_po", "erp", {"po.write"}}, kNow, 60'000),
      secret_key);
  constexpr std::string_view kTokenAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
  std::mt19937_64 rng(7);
  for (int i = 0; i < kRounds; ++i) {
    std::string input;
    switch (i % 3) {
      case 0: input = RandomBytes(rng, 300); break;
      case 1: input = "writ.v1." + RandomBytes(rng, 300, kTokenAlphabet); break;
      default: input = Mutate(rng, token); break;
    }
    if (input == token) continue;
    absl::StatusOr<LeaseClaims> claims = VerifyLease(input, public_key, kNow);
    EXPECT_FALSE(claims.ok()) << input;
    const LeaseError error = LeaseErrorOf(claims.status());
    EXPECT_TRUE(error == LeaseError::kMalformed || error == LeaseError::kBadSignature) << input;
  }
}

TEST(CredentialsFuzzTest, OpenSecretOnlyReturnsErrors) {
  const MasterKey key = *MasterKey::Generate();
  const std::string blob = *SealSecret(key, "erp", "sk-live-1234");
  std::mt19937_64 rng(11);
  for (int i = 0; i < kRounds; ++i) {
    std::string input = i % 2 ? RandomBytes(rng, 200) : Mutate(rng, blob);
    if (i % 5 == 0 && !input.empty()) input[0] = '\x01';  // get past the version check
    if (input == blob) continue;
    absl::StatusOr<std::string> opened = OpenSecret(key, "erp", input);
    EXPECT_FALSE(opened.ok());
    EXPECT_TRUE(opened.status().code() == absl::StatusCode::kDataLoss ||
                opened.status().code() == absl::StatusCode::kUnauthenticated)
        << opened.status();
  }
}

}  // namespace
}  // namespace writ::runtime::credentials
