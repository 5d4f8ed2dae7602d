#include "runtime/credentials/lease.h"

#include <sodium.h>

#include <algorithm>

#include <fmt/format.h>

#include "compiler/base/status.h"
#include "runtime/audit/hash.h"
#include "runtime/credentials/internal/codec.h"
#include "runtime/credentials/internal/token.h"

namespace writ::runtime::credentials {
namespace {

absl::Status CheckText(std::string_view field, std::string_view value, bool may_be_empty) {
  if ((value.empty() && !may_be_empty) || value.size() > kMaxClaimBytes) {
    return absl::InvalidArgumentError(fmt::format("lease claims: {} must be {} to {} bytes, not {}",
                                                  field, may_be_empty ? 0 : 1, kMaxClaimBytes,
                                                  value.size()));
  }
  if (!internal::IsValidUtf8(value)) {
    return absl::InvalidArgumentError(fmt::format("lease claims: {} is not UTF-8", field));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NewLeaseId() {
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  std::string id(kLeaseIdBytes, '\0');
  randombytes_buf(id.data(), id.size());
  return internal::HexEncode(id);
}

}  // namespace

absl::Status ValidateClaims(const LeaseClaims& claims) {
  std::optional<std::string> id = internal::HexDecode(claims.id);
  if (!id || id->size() != kLeaseIdBytes || internal::HexEncode(*id) != claims.id) {
    return absl::InvalidArgumentError(
        "lease claims: id must be 32 lower-case hex digits (16 bytes)");
  }
  WRIT_RETURN_IF_ERROR(CheckText("session", claims.session, false));
  WRIT_RETURN_IF_ERROR(CheckText("agent", claims.agent, false));
  WRIT_RETURN_IF_ERROR(CheckText("acting_for", claims.acting_for, true));
  WRIT_RETURN_IF_ERROR(CheckText("tool", claims.tool, false));
  WRIT_RETURN_IF_ERROR(CheckText("credential", claims.credential, false));
  if (claims.scopes.size() > kMaxScopes) {
    return absl::InvalidArgumentError(fmt::format("lease claims: {} scopes; the limit is {}",
                                                  claims.scopes.size(), kMaxScopes));
  }
  for (size_t i = 0; i < claims.scopes.size(); ++i) {
    WRIT_RETURN_IF_ERROR(CheckText("a scope", claims.scopes[i], false));
    if (i > 0 && !(claims.scopes[i - 1] < claims.scopes[i])) {
      return absl::InvalidArgumentError("lease claims: scopes must be sorted without repeats");
    }
  }
  if (claims.issued_at_ms < 0 || claims.expires_at_ms <= claims.issued_at_ms ||
      claims.expires_at_ms - claims.issued_at_ms > kMaxLeaseTtlMs) {
    return absl::InvalidArgumentError(
        fmt::format("lease claims: need 0 <= issued_at < expires_at <= issued_at + {} ms, not "
                    "issued_at {} and expires_at {}",
                    kMaxLeaseTtlMs, claims.issued_at_ms, claims.expires_at_ms));
  }
  if (const size_t size = internal::EncodedPayloadSize(claims); size > kMaxLeasePayloadBytes) {
    return absl::InvalidArgumentError(fmt::format(
        "lease claims: the payload would be {} bytes; the limit is {}", size,
        kMaxLeasePayloadBytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<LeaseClaims> NewLeaseClaims(LeaseSubject subject, int64_t now_ms,
                                           int64_t ttl_ms) {
  if (ttl_ms <= 0 || ttl_ms > kMaxLeaseTtlMs) {
    return absl::InvalidArgumentError(
        fmt::format("lease ttl must be 1 to {} ms, not {}", kMaxLeaseTtlMs, ttl_ms));
  }
  if (now_ms < 0 || now_ms > INT64_MAX - ttl_ms) {
    return absl::InvalidArgumentError(fmt::format("lease issue time {} is out of range", now_ms));
  }
  std::sort(subject.scopes.begin(), subject.scopes.end());
  subject.scopes.erase(std::unique(subject.scopes.begin(), subject.scopes.end()),
                       subject.scopes.end());
  LeaseClaims claims;
  WRIT_ASSIGN_OR_RETURN(claims.id, NewLeaseId());
  claims.session = std::move(subject.session);
  claims.agent = std::move(subject.agent);
  claims.acting_for = std::move(subject.acting_for);
  claims.tool = std::move(subject.tool);
  claims.credential = std::move(subject.credential);
  claims.scopes = std::move(subject.scopes);
  claims.issued_at_ms = now_ms;
  claims.expires_at_ms = now_ms + ttl_ms;
  WRIT_RETURN_IF_ERROR(ValidateClaims(claims));
  return claims;
}

absl::StatusOr<std::string> MintLease(const LeaseClaims& claims, const SecretKey& key) {
  WRIT_RETURN_IF_ERROR(ValidateClaims(claims));
  WRIT_RETURN_IF_ERROR(audit::EnsureSodium());
  const std::string payload = internal::EncodeLeasePayload(claims);
  const std::string message = internal::SignedMessage(payload);
  std::string signature(internal::kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.data());
  return fmt::format("{}{}.{}", internal::kTokenPrefix, internal::Base64UrlEncode(payload),
                     internal::Base64UrlEncode(signature));
}

bool NeedsRotation(const LeaseClaims& claims, int64_t now_ms) {
  if (now_ms >= claims.expires_at_ms) return true;
  if (now_ms < claims.issued_at_ms) return false;
  // issued_at <= now < expires_at here; unsigned differences cannot overflow even for claims
  // that never passed ValidateClaims.
  const uint64_t lifetime =
      static_cast<uint64_t>(claims.expires_at_ms) - static_cast<uint64_t>(claims.issued_at_ms);
  const uint64_t remaining =
      static_cast<uint64_t>(claims.expires_at_ms) - static_cast<uint64_t>(now_ms);
  return remaining <= lifetime / 3;
}

absl::StatusOr<LeaseClaims> Rotate(const LeaseClaims& claims, int64_t now_ms) {
  WRIT_RETURN_IF_ERROR(ValidateClaims(claims));
  return NewLeaseClaims({claims.session, claims.agent, claims.acting_for, claims.tool,
                         claims.credential, claims.scopes},
                        now_ms, claims.expires_at_ms - claims.issued_at_ms);
}

}  // namespace writ::runtime::credentials
