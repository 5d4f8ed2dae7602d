// The canonical byte encoding of an audit event (docs/audit.md, "Encoding"): length-prefixed
// binary, big-endian integers, fields sorted by key. Each event has exactly one encoding, so the
// hashes over it are stable across builds and platforms; Decode accepts that form only.
#ifndef WRIT_RUNTIME_AUDIT_EVENT_ENCODING_H_
#define WRIT_RUNTIME_AUDIT_EVENT_ENCODING_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "runtime/audit/event.h"

namespace writ::runtime::audit {

// The first byte of every encoding; a new layout gets a new version.
inline constexpr uint8_t kEventFormatVersion = 1;
// Neither Encode nor Decode handles events larger than this.
inline constexpr size_t kMaxEventBytes = 16 << 20;

// The event's bytes. InvalidArgument when Validate refuses the event, or when it would exceed
// kMaxEventBytes.
absl::StatusOr<std::string> Encode(const AuditEvent& event);

// The event those bytes encode. DataLoss, naming the offset, for anything but a canonical
// encoding: truncation, trailing bytes, an unknown version, kind or field type, keys out of
// order or repeated. It does not apply Validate: a well-formed event of a known kind decodes even
// when its fields are not what the kind requires, so a verifier can show it.
absl::StatusOr<AuditEvent> Decode(std::string_view bytes);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_EVENT_ENCODING_H_
