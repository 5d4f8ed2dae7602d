// The session runtime's side of the audit trail (docs/audit.md, "What the runtime records"):
// the audit events of each lifecycle step, appended in the transaction that makes the step
// durable, so no decision is returned whose event could still be lost; and the signed tree
// heads, every `sign_every` events and on every terminate.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_AUDIT_TRAIL_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_AUDIT_TRAIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "runtime/audit/event.h"
#include "runtime/audit/tree_head.h"
#include "runtime/decision.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

class AuditTrail {
 public:
  // Makes a signing key when `options` has none. Fails only if libsodium cannot initialize.
  static absl::StatusOr<AuditTrail> Create(AuditOptions options);

  const audit::PublicKey& public_key() const { return public_key_; }

  // Appends `events` in order, then signs a tree head if the log passed a multiple of
  // sign_every, or if `sign` asks for one.
  absl::Status Append(store::Transaction& tx, std::vector<audit::AuditEvent> events, int64_t now,
                      bool sign = false) const;
  // Signs the log's current head and keeps it in the store with the public key.
  absl::Status SignHead(store::Transaction& tx, int64_t now) const;

  // The events of each step. Each takes the session and step it is about and the time.
  static audit::AuditEvent Spawned(const SpawnRequest& request, int64_t at, bool from_queue);
  // `decided`; then `tool_called` when the step is allowed, a `budget_warning` per warning, and
  // `suspended` when the step waits for approval.
  std::vector<audit::AuditEvent> Decided(const store::StepRow& step, const Decision& decision,
                                         int64_t at) const;
  // `decided` for a decision known only as JSON (a timeout or a rejection rewrote it).
  static audit::AuditEvent DecidedFromJson(const store::StepRow& step, int64_t at);
  // `tool_result` and `output_verdict`.
  std::vector<audit::AuditEvent> Completed(const store::StepRow& step, const Decision& released,
                                           std::string_view result_json, int64_t tokens,
                                           int64_t at) const;
  static audit::AuditEvent Failed(const store::StepRow& step, int64_t at);
  static audit::AuditEvent Approval(const store::StepRow& step, std::string_view outcome,
                                    std::string_view by, int64_t at);
  static audit::AuditEvent Checkpointed(std::string_view session, int64_t version,
                                        std::string_view state, int64_t at);
  static audit::AuditEvent Resumed(std::string_view session, int64_t version, int64_t position,
                                   int64_t at);
  static audit::AuditEvent Terminated(std::string_view session, std::string_view step,
                                      std::string_view reason, std::string_view report,
                                      int64_t at);

 private:
  AuditTrail(AuditOptions options, const audit::PublicKey& public_key)
      : options_(std::move(options)), public_key_(public_key) {}
  // The payload, or its digest under `digest_key` when the options ask or it is too long.
  void SetPayload(audit::AuditEvent& event, const char* key, const char* digest_key,
                  std::string_view payload) const;

  AuditOptions options_;
  audit::PublicKey public_key_{};
};

// "sha256:" and the hex SHA-256 of `bytes`: how the trail names a payload it does not keep.
std::string PayloadDigest(std::string_view bytes);

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_AUDIT_TRAIL_H_
