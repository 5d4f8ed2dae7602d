#include "runtime/credentials/c_verify.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "runtime/credentials/verify.h"

namespace {

using writ::runtime::credentials::LeaseError;

void WriteMessage(std::string_view message, char* buf, size_t len) {
  if (buf == nullptr || len == 0) return;
  const size_t n = std::min(message.size(), len - 1);
  // An OK status's message is an empty view whose data() may be null, which memcpy must never
  // be given, even for zero bytes.
  if (n > 0) std::memcpy(buf, message.data(), n);
  buf[n] = '\0';
}

int CodeOf(LeaseError error) {
  switch (error) {
    case LeaseError::kNone: return WRIT_LEASE_OK;
    case LeaseError::kMalformed: return WRIT_LEASE_MALFORMED;
    case LeaseError::kBadSignature: return WRIT_LEASE_BAD_SIGNATURE;
    case LeaseError::kExpired: return WRIT_LEASE_EXPIRED;
    case LeaseError::kNotYetValid: return WRIT_LEASE_NOT_YET_VALID;
    // Without a revocation source VerifyLease never reports kRevoked.
    case LeaseError::kRevoked:
    case LeaseError::kInternal: return WRIT_LEASE_INTERNAL;
  }
  return WRIT_LEASE_INTERNAL;
}

}  // namespace

extern "C" int writ_lease_verify(const char* token, size_t token_len,
                                 const uint8_t public_key[32], int64_t now_ms, char* error_buf,
                                 size_t error_buf_len) noexcept {
  if (error_buf == nullptr && error_buf_len != 0) return WRIT_LEASE_INVALID_ARGUMENT;
  if (token == nullptr || public_key == nullptr) {
    WriteMessage(token == nullptr ? "token is null" : "public_key is null", error_buf,
                 error_buf_len);
    return WRIT_LEASE_INVALID_ARGUMENT;
  }
  writ::runtime::credentials::PublicKey key;
  std::memcpy(key.data(), public_key, key.size());
  const absl::StatusOr<writ::runtime::credentials::LeaseClaims> claims =
      writ::runtime::credentials::VerifyLease(std::string_view(token, token_len), key, now_ms);
  const absl::string_view message = claims.status().message();  // empty when OK
  WriteMessage(std::string_view(message.data(), message.size()), error_buf, error_buf_len);
  return CodeOf(writ::runtime::credentials::LeaseErrorOf(claims.status()));
}
