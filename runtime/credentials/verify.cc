#include "runtime/credentials/verify.h"

#include <sodium.h>

#include <optional>

#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/audit/hash.h"
#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/token.h"

namespace writ::runtime::credentials {
namespace {

absl::Status Malformed(std::string_view why) {
  return absl::InvalidArgumentError(fmt::format("lease: malformed token: {}", why));
}

}  // namespace

void RevocationList::RevokeLease(std::string_view lease_id) {
  std::lock_guard lock(mutex_);
  leases_.emplace(lease_id);
}

void RevocationList::RevokeSession(std::string_view session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session);
}

bool RevocationList::IsLeaseRevoked(std::string_view lease_id) const {
  std::lock_guard lock(mutex_);
  return leases_.find(lease_id) != leases_.end();
}

bool RevocationList::IsSessionRevoked(std::string_view session) const {
  std::lock_guard lock(mutex_);
  return sessions_.find(session) != sessions_.end();
}

absl::StatusOr<LeaseClaims> VerifyLease(std::string_view token, const PublicKey& key,
                                        int64_t now_ms, const RevocationSource* revocations) {
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  if (token.size() > internal::kMaxTokenBytes) {
    return Malformed(
        fmt::format("{} bytes; the limit is {}", token.size(), internal::kMaxTokenBytes));
  }
  if (!token.starts_with(internal::kTokenPrefix)) {
    return Malformed(token.starts_with("writ.") ? "unknown token version"
                                                : "it does not start with \"writ.v1.\"");
  }
  const std::string_view body = token.substr(internal::kTokenPrefix.size());
  const size_t dot = body.find('.');
  if (dot == std::string_view::npos || body.find('.', dot + 1) != std::string_view::npos) {
    return Malformed("expected writ.v1.<payload>.<signature>");
  }
  std::optional<std::string> payload = internal::Base64UrlDecode(body.substr(0, dot));
  if (!payload) return Malformed("the payload is not base64url");
  std::optional<std::string> signature = internal::Base64UrlDecode(body.substr(dot + 1));
  if (!signature || signature->size() != internal::kSignatureBytes) {
    return Malformed("the signature is not 64 bytes of base64url");
  }
  if (payload->size() < internal::kMinPayloadBytes) return Malformed("the payload is too short");
  if (payload->size() > kMaxLeasePayloadBytes) return Malformed("the payload is too long");

  const std::string message = internal::SignedMessage(*payload);
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                  reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size(), key.data()) != 0) {
    return absl::UnauthenticatedError(
        "lease: bad signature (a different key signed it, or the token was altered)");
  }
  std::string error;
  std::optional<LeaseClaims> claims = internal::DecodeLeasePayload(*payload, error);
  if (!claims) return Malformed(error);

  if (now_ms >= claims->expires_at_ms) {
    return absl::FailedPreconditionError(fmt::format("lease {} expired at {} (now {})",
                                                     claims->id, claims->expires_at_ms, now_ms));
  }
  // issued_at - skew rather than now + skew: valid claims cannot make this overflow.
  if (claims->issued_at_ms - kMaxClockSkewMs > now_ms) {
    return absl::OutOfRangeError(
        fmt::format("lease {} is not valid before {} (now {}, skew allowed {} ms)", claims->id,
                    claims->issued_at_ms, now_ms, kMaxClockSkewMs));
  }
  if (revocations != nullptr) {
    if (revocations->IsLeaseRevoked(claims->id)) {
      return absl::PermissionDeniedError(fmt::format("lease {} was revoked", claims->id));
    }
    if (revocations->IsSessionRevoked(claims->session)) {
      return absl::PermissionDeniedError(
          fmt::format("lease {}: session {} was revoked", claims->id, claims->session));
    }
  }
  return *std::move(claims);
}

LeaseError LeaseErrorOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk: return LeaseError::kNone;
    case absl::StatusCode::kInvalidArgument: return LeaseError::kMalformed;
    case absl::StatusCode::kUnauthenticated: return LeaseError::kBadSignature;
    case absl::StatusCode::kFailedPrecondition: return LeaseError::kExpired;
    case absl::StatusCode::kOutOfRange: return LeaseError::kNotYetValid;
    case absl::StatusCode::kPermissionDenied: return LeaseError::kRevoked;
    default: return LeaseError::kInternal;
  }
}

}  // namespace writ::runtime::credentials
