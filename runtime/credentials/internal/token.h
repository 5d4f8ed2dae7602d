// The byte layout of a lease token (docs/credentials.md, "Token format"), shared by minting
// and verification: the payload encoding, and the domain-tagged message the signature covers.
#ifndef WRIT_RUNTIME_CREDENTIALS_INTERNAL_TOKEN_H_
#define WRIT_RUNTIME_CREDENTIALS_INTERNAL_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>

#include "runtime/credentials/lease.h"

namespace writ::runtime::credentials::internal {

inline constexpr std::string_view kTokenPrefix = "writ.v1.";
inline constexpr uint8_t kPayloadVersion = 1;
// Distinct from the audit trail's "writ.audit.tree_head.v1", so that one key can sign both.
inline constexpr std::string_view kSignatureTag = "writ.credentials.lease.v1";
inline constexpr size_t kSignatureBytes = 64;

// The shortest payload: every field present, the strings empty.
inline constexpr size_t kMinPayloadBytes = 1 + kLeaseIdBytes + 8 + 8 + 5 + 1;

// The longest token: the prefix, the longest payload and the signature in base64url, a dot.
inline constexpr size_t kMaxTokenBytes =
    kTokenPrefix.size() + (kMaxLeasePayloadBytes * 4 + 2) / 3 + 1 + (kSignatureBytes * 4 + 2) / 3;

// The payload's length in bytes, for claims within the per-field limits.
size_t EncodedPayloadSize(const LeaseClaims& claims);

// The canonical payload of claims that passed ValidateClaims.
std::string EncodeLeasePayload(const LeaseClaims& claims);

// The strict inverse: nullopt and a reason in `error` unless `payload` is exactly the
// encoding of valid claims.
std::optional<LeaseClaims> DecodeLeasePayload(std::string_view payload, std::string& error);

// What the signature covers: kSignatureTag, then the payload.
std::string SignedMessage(std::string_view payload);

}  // namespace writ::runtime::credentials::internal

#endif  // WRIT_RUNTIME_CREDENTIALS_INTERNAL_TOKEN_H_
