// The audit log's write side (docs/audit.md, "Hash chain"): each event is stored as its
// canonical encoding with its chain link, which covers every event before it. Pure functions
// over bytes; the store keeps the rows, the writer keeps the chain head and the frontier.
#ifndef WRIT_RUNTIME_AUDIT_LOG_H_
#define WRIT_RUNTIME_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "runtime/audit/event.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/merkle.h"

namespace writ::runtime::audit {

// One row of the log: the event's encoding and ChainLink(previous row's chain, its leaf hash).
struct StoredEvent {
  std::string encoding;
  Hash chain{};
  friend bool operator==(const StoredEvent&, const StoredEvent&) = default;
};

// Appends events in order: assigns each its position as `seq`, encodes it and links it to the
// chain. Not thread-safe; the store appends under its transaction.
class LogWriter {
 public:
  // A new log.
  LogWriter() = default;
  // A log that already holds `frontier.size()` events, the last with chain link `chain_head`
  // (a store rebuilds the frontier when it opens, or keeps it in a row).
  LogWriter(const TreeFrontier& frontier, const Hash& chain_head)
      : frontier_(frontier), chain_head_(chain_head) {}

  // The row for `event` as the next event; `event.seq` is overwritten. InvalidArgument (from
  // Encode) for an event its kind refuses; the writer is then unchanged.
  absl::StatusOr<StoredEvent> Append(AuditEvent event);

  uint64_t size() const { return frontier_.size(); }
  const Hash& chain_head() const { return chain_head_; }
  const TreeFrontier& frontier() const { return frontier_; }
  // The root to sign in a tree head of size().
  Hash Root() const { return frontier_.Root(); }

 private:
  TreeFrontier frontier_;
  Hash chain_head_ = kChainStart;
};

// The writer's state as bytes for a store to keep beside the log: a version byte (1), the size
// as 8 big-endian bytes, the chain head, then the frontier's peaks (32 bytes each, one per set
// bit of the size). Decode is DataLoss for anything else.
std::string EncodeWriterState(const LogWriter& writer);
absl::StatusOr<LogWriter> DecodeWriterState(std::string_view bytes);

}  // namespace writ::runtime::audit

#endif  // WRIT_RUNTIME_AUDIT_LOG_H_
