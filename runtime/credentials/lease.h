// Leases: short-lived credentials the runtime mints when an allowed call's policy grants one
// (docs/credentials.md). A lease is a compact token signed with the runtime's Ed25519 key,
// `writ.v1.<payload>.<signature>`, that a downstream service verifies offline with the public
// key (verify.h). Long-running sessions rotate their leases before they expire.
#ifndef WRIT_RUNTIME_CREDENTIALS_LEASE_H_
#define WRIT_RUNTIME_CREDENTIALS_LEASE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "runtime/audit/tree_head.h"

namespace writ::runtime::credentials {

// libsodium's Ed25519 layouts, the same as the audit trail's signing key.
using PublicKey = audit::PublicKey;
using SecretKey = audit::SecretKey;

// Limits of the format (docs/credentials.md, "Limits"); MintLease rejects claims beyond them.
inline constexpr size_t kLeaseIdBytes = 16;
inline constexpr size_t kMaxClaimBytes = 255;  // session, agent, acting_for, tool, credential, scope
inline constexpr size_t kMaxScopes = 32;
inline constexpr size_t kMaxLeasePayloadBytes = 4096;
inline constexpr int64_t kMaxLeaseTtlMs = int64_t{30} * 24 * 60 * 60 * 1000;  // 30 days

// What a lease grants, and to whom.
struct LeaseClaims {
  std::string id;  // 32 lower-case hex digits: 16 random bytes
  std::string session;
  std::string agent;
  std::string acting_for;  // the human the agent acts for; may be empty
  std::string tool;
  std::string credential;           // the policy's credential name, e.g. "erp"
  std::vector<std::string> scopes;  // sorted, no repeats
  int64_t issued_at_ms = 0;         // ms since the epoch
  int64_t expires_at_ms = 0;        // the lease is invalid from this instant on
  friend bool operator==(const LeaseClaims&, const LeaseClaims&) = default;
};

// The claims without the lease's identity and lifetime: what a grant obligation names.
struct LeaseSubject {
  std::string session;
  std::string agent;
  std::string acting_for;
  std::string tool;
  std::string credential;
  std::vector<std::string> scopes;  // any order; repeats are dropped
};

// OK when the claims are within the format: a well-formed id; session, agent, tool and
// credential of 1 to 255 bytes and acting_for of at most 255, all UTF-8; at most 32 scopes of 1
// to 255 bytes, sorted without repeats; 0 <= issued_at < expires_at <= issued_at + 30 days; an
// encoding of at most 4096 bytes. InvalidArgument naming the first field that is not.
absl::Status ValidateClaims(const LeaseClaims& claims);

// New claims for `subject`: a fresh random id, issued now, expiring `ttl_ms` later, scopes
// sorted. InvalidArgument if the result would not be valid (a ttl outside 1 ms to 30 days, a
// field too long); Internal if libsodium cannot start.
absl::StatusOr<LeaseClaims> NewLeaseClaims(LeaseSubject subject, int64_t now_ms, int64_t ttl_ms);

// The signed token for `claims`. ValidateClaims' errors; Internal if libsodium cannot start.
absl::StatusOr<std::string> MintLease(const LeaseClaims& claims, const SecretKey& key);

// True once at most a third of the lease's lifetime remains (also when it has expired), the
// point from which a long-running session replaces it with Rotate.
bool NeedsRotation(const LeaseClaims& claims, int64_t now_ms);

// The successor of `claims`: a new id, the same session, agent, acting_for, tool, credential
// and scopes, issued now with the same lifetime. ValidateClaims' errors for
// `claims`, then NewLeaseClaims'.
absl::StatusOr<LeaseClaims> Rotate(const LeaseClaims& claims, int64_t now_ms);

}  // namespace writ::runtime::credentials

#endif  // WRIT_RUNTIME_CREDENTIALS_LEASE_H_
