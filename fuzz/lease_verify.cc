// Fuzz target lease_verify: the first byte picks what the rest is.
//   0: a lease token, verified by VerifyLease and by the C verifier writ_lease_verify, which
//      must agree on the outcome; a token that verifies is the one minting its claims gives
//      (no second spelling of a lease), and the C verifier's message always fits its buffer.
//   1: a payload, signed with the key as a runtime would sign any bytes and then verified, so
//      that the payload decoder is reached past the signature: what it accepts encodes back to
//      the same bytes.
//   2: a sealed secret blob, opened with the master key: its plaintext, DataLoss or
//      Unauthenticated;
//      and the bytes as a plaintext, sealed and opened again.
#include <sodium.h>

#include <cstring>

#include "fuzz/fuzz.h"
#include "runtime/audit/hash.h"
#include "runtime/credentials/c_verify.h"
#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/token.h"
#include "runtime/credentials/lease.h"
#include "runtime/credentials/master_key.h"
#include "runtime/credentials/secrets.h"
#include "runtime/credentials/verify.h"

namespace writ::runtime::credentials {
namespace {

using fuzz::Cat;

// docs/credentials.md's example: the key with seed 00 01 .. 1f, the lease valid from
// 1700000000000 for 15 minutes; kNow is inside that window.
constexpr int64_t kNow = 1'700'000'300'000;
constexpr std::string_view kDocumentedToken =
    "writ.v1.AQARIjNEVWZ3iJmqu8zd7v8AAAGLz-VoAAAAAYvP8yOgAnMxDlByb2N1cmVtZW50Qm90BWFsaWNlDWVycC5j"
    "cmVhdGVfcG8DZXJwAgdwby5yZWFkCHBvLndyaXRl.I2zEhQIQtxS_Aaw2qK3y5t6vqT2MkNdVubJWr9K4_AkEyK9l8w"
    "UBUKk7TMzQ6vBXEFYCrBKMSC0uKq5Zw5t5AA";

struct Keys {
  PublicKey public_key{};
  SecretKey secret_key{};
  MasterKey master = *MasterKey::FromText(std::string(64, '5'), "fuzz");
};

const Keys& TheKeys() {
  static const Keys* keys = [] {
    WRIT_FUZZ_CHECK(audit::EnsureSodium().ok(), "libsodium");
    auto* out = new Keys;
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (size_t i = 0; i < sizeof seed; ++i) seed[i] = static_cast<unsigned char>(i);
    crypto_sign_seed_keypair(out->public_key.data(), out->secret_key.data(), seed);
    return out;
  }();
  return *keys;
}

int CodeOf(LeaseError error) {
  switch (error) {
    case LeaseError::kNone: return WRIT_LEASE_OK;
    case LeaseError::kMalformed: return WRIT_LEASE_MALFORMED;
    case LeaseError::kBadSignature: return WRIT_LEASE_BAD_SIGNATURE;
    case LeaseError::kExpired: return WRIT_LEASE_EXPIRED;
    case LeaseError::kNotYetValid: return WRIT_LEASE_NOT_YET_VALID;
    default: return WRIT_LEASE_INTERNAL;
  }
}

void VerifyToken(std::string_view token, size_t buffer_size) {
  const Keys& keys = TheKeys();
  const absl::StatusOr<LeaseClaims> claims = VerifyLease(token, keys.public_key, kNow);
  const int cpp = CodeOf(claims.ok() ? LeaseError::kNone : LeaseErrorOf(claims.status()));
  WRIT_FUZZ_CHECK(cpp != WRIT_LEASE_INTERNAL, claims.status().ToString());

  std::string buffer(buffer_size + 1, '\x7f');
  const int c = writ_lease_verify(token.data(), token.size(), keys.public_key.data(), kNow,
                                  buffer_size == 0 ? nullptr : buffer.data(), buffer_size);
  WRIT_FUZZ_CHECK(c == cpp, Cat("C says ", c, ", C++ says ", cpp, ": ",
                                         claims.status().ToString()));
  WRIT_FUZZ_CHECK(buffer[buffer_size] == '\x7f', "the C verifier wrote past its buffer");
  if (buffer_size > 0) {
    WRIT_FUZZ_CHECK(std::memchr(buffer.data(), '\0', buffer_size) != nullptr,
                    "the C verifier's message is not terminated");
  }
  if (claims.ok()) {
    const absl::StatusOr<std::string> again = MintLease(*claims, keys.secret_key);
    WRIT_FUZZ_CHECK(again.ok() && *again == token,
                    Cat("a second spelling of a lease verifies: ", token));
  }
}

void RunLeaseVerify(std::string_view input) {
  if (input.empty()) return;
  const uint8_t mode = static_cast<uint8_t>(input.front());
  input.remove_prefix(1);
  switch (mode % 3) {
    case 0:
      VerifyToken(input, (mode >> 2) % 40);
      break;
    case 1: {
      std::string error;
      const std::optional<LeaseClaims> decoded = internal::DecodeLeasePayload(input, error);
      if (decoded) {
        WRIT_FUZZ_CHECK(internal::EncodeLeasePayload(*decoded) == input,
                        "a payload decodes from a second encoding");
      }
      const std::string message = internal::SignedMessage(input);
      std::string signature(internal::kSignatureBytes, '\0');
      crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                           reinterpret_cast<const unsigned char*>(message.data()),
                           message.size(), TheKeys().secret_key.data());
      const std::string token = Cat(internal::kTokenPrefix,
                                             internal::Base64UrlEncode(input), ".",
                                             internal::Base64UrlEncode(signature));
      VerifyToken(token, (mode >> 2) % 40);
      break;
    }
    default: {
      const absl::StatusOr<std::string> opened = OpenSecret(TheKeys().master, "erp", input);
      WRIT_FUZZ_CHECK(opened.ok() || opened.status().code() == absl::StatusCode::kDataLoss ||
                          opened.status().code() == absl::StatusCode::kUnauthenticated,
                      opened.status().ToString());
      if (absl::StatusOr<std::string> sealed = SealSecret(TheKeys().master, "erp", input);
          sealed.ok()) {
        const absl::StatusOr<std::string> back = OpenSecret(TheKeys().master, "erp", *sealed);
        WRIT_FUZZ_CHECK(back.ok() && *back == input, "a sealed secret does not open again");
        WRIT_FUZZ_CHECK(!OpenSecret(TheKeys().master, "erp2", *sealed).ok(),
                        "a secret opens under another name");
      }
      break;
    }
  }
}

std::vector<std::string> LeaseSeeds() {
  std::vector<std::string> seeds;
  auto add = [&](uint8_t mode, std::string_view bytes) {
    seeds.push_back(std::string(1, static_cast<char>(mode)) + std::string(bytes));
  };
  add(0, kDocumentedToken);
  add(0 | (8 << 2), kDocumentedToken);
  const std::string_view body = kDocumentedToken.substr(internal::kTokenPrefix.size());
  if (std::optional<std::string> payload =
          internal::Base64UrlDecode(body.substr(0, body.find('.')))) {
    add(1, *payload);
  }
  const std::vector<LeaseSubject> subjects = {
      {"s1", "procurement.ProcurementBot", "alice", "erp.create_po", "erp", {"po.write"}},
      {"s2", "bot", "", "db.query", "db", {}},
      {"session-with-a-long-name", "a", "b", "c", "d", {"x", "y", "z", "w"}},
  };
  for (const LeaseSubject& subject : subjects) {
    absl::StatusOr<LeaseClaims> claims = NewLeaseClaims(subject, kNow - 1000, 60'000);
    if (!claims.ok()) continue;
    add(0, *MintLease(*claims, TheKeys().secret_key));
    add(1, internal::EncodeLeasePayload(*claims));
  }
  add(2, *SealSecret(TheKeys().master, "erp", "sk-live-1234"));
  add(2, "");
  return seeds;
}

WRIT_FUZZ_TARGET("lease_verify", RunLeaseVerify, LeaseSeeds);

}  // namespace
}  // namespace writ::runtime::credentials
