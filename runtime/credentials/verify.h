// Offline verification of lease tokens (docs/credentials.md, "Verification"), and the
// revocation list a verifier consults when it can. Every failure has its own status code and
// message prefix, so a downstream service can tell a forged token from an expired one.
#ifndef WRIT_RUNTIME_CREDENTIALS_VERIFY_H_
#define WRIT_RUNTIME_CREDENTIALS_VERIFY_H_

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/credentials/lease.h"

namespace writ::runtime::credentials {

// How far in the future a lease's issued_at may be, for clocks that disagree a little.
inline constexpr int64_t kMaxClockSkewMs = 60'000;

// Answers whether a lease, or every lease of a session, has been revoked. A source that cannot
// answer (its store failed) must say true: verification fails closed.
class RevocationSource {
 public:
  virtual ~RevocationSource() = default;
  virtual bool IsLeaseRevoked(std::string_view lease_id) const = 0;
  virtual bool IsSessionRevoked(std::string_view session) const = 0;
};

// Revocations in memory: what a runtime without a store, or a test, consults. Thread-safe.
class RevocationList : public RevocationSource {
 public:
  void RevokeLease(std::string_view lease_id);
  void RevokeSession(std::string_view session);
  bool IsLeaseRevoked(std::string_view lease_id) const override;
  bool IsSessionRevoked(std::string_view session) const override;

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> leases_;
  std::set<std::string, std::less<>> sessions_;
};

// Why a token failed verification, in the order the checks run.
enum class LeaseError {
  kNone,          // OK
  kMalformed,     // InvalidArgument, "lease: malformed token: ..."
  kBadSignature,  // Unauthenticated, "lease: bad signature ..."
  kExpired,       // FailedPrecondition, "lease <id> expired at ..."
  kNotYetValid,   // OutOfRange, "lease <id> is not valid before ..."
  kRevoked,       // PermissionDenied, "lease <id> was revoked" / "... session ... was revoked"
  kInternal,      // Internal: libsodium cannot start
};

// The claims of `token` if it is a well-formed lease signed by `key`, now_ms < expires_at,
// issued_at <= now_ms + kMaxClockSkewMs, and (when `revocations` is given) neither the lease
// nor its session is revoked. Otherwise the status of the first check that fails (LeaseError).
absl::StatusOr<LeaseClaims> VerifyLease(std::string_view token, const PublicKey& key,
                                        int64_t now_ms,
                                        const RevocationSource* revocations = nullptr);

// The LeaseError a status from VerifyLease stands for (kInternal for codes it never returns).
LeaseError LeaseErrorOf(const absl::Status& status);

}  // namespace writ::runtime::credentials

#endif  // WRIT_RUNTIME_CREDENTIALS_VERIFY_H_
