// One event of the audit trail (docs/audit.md, "Events"): what happened, to which session and
// step, when, and the facts of its kind as named fields. Events are plain data; their one
// canonical byte encoding (event_encoding.h) is what the hash chain and the Merkle tree cover.
#ifndef WRIT_RUNTIME_AUDIT_EVENT_H_
#define WRIT_RUNTIME_AUDIT_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"

namespace writ::runtime::audit {

// The codes are part of the encoding: never renumber one, only add.
enum class EventKind : uint8_t {
  kSpawned = 1,
  kDecided = 2,            // a call-phase decision with its reasons and matched rules
  kToolCalled = 3,         // the call's arguments, or their digest
  kToolResult = 4,         // what came back, or its digest
  kOutputVerdict = 5,      // the result-phase verdict: released, withheld or redacted
  kCredentialMinted = 6,
  kCredentialRevoked = 7,
  kBudgetWarning = 8,
  kCheckpointed = 9,
  kSuspended = 10,         // a step waits for approval
  kApproved = 11,          // an approval, a rejection or a timeout of a suspended step
  kResumed = 12,
  kTerminated = 13,
};

// "spawned", "decided", "tool_called", ...; the spelling of docs/audit.md and of JSON exports.
std::string_view Spelling(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view text);
// Whether `code` names a kind this build knows.
std::optional<EventKind> EventKindFromCode(uint8_t code);

using FieldValue = std::variant<std::string, int64_t, std::vector<std::string>>;

struct Field {
  std::string key;
  FieldValue value;
  friend bool operator==(const Field&, const Field&) = default;
};

struct AuditEvent {
  uint64_t seq = 0;  // 0-based position in the log; the log's writer assigns it
  EventKind kind = EventKind::kSpawned;
  int64_t at = 0;    // ms since the epoch
  std::string session;
  std::string step;  // empty for events that are not about one step
  // The kind's facts, sorted by key with no key twice (SetField keeps them so).
  std::vector<Field> fields;

  // Adds or replaces a field, keeping `fields` sorted.
  void SetField(std::string key, FieldValue value);
  // The field's value, or null when absent.
  const FieldValue* Find(std::string_view key) const;

  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

// OK when the event has what its kind requires (docs/audit.md lists the fields each kind must
// carry, and their types), its fields are sorted and unique, and the session is named;
// InvalidArgument naming the first problem otherwise. Extra fields are allowed.
absl::Status Validate(const AuditEvent& event);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_EVENT_H_
