#include "runtime/audit/log.h"

#include <utility>

#include "compiler/base/status.h"
#include "runtime/audit/event_encoding.h"

namespace writ::runtime::audit {

absl::StatusOr<StoredEvent> LogWriter::Append(AuditEvent event) {
  event.seq = frontier_.size();
  StoredEvent row;
  WRIT_ASSIGN_OR_RETURN(row.encoding, Encode(event));
  const Hash leaf = LeafHash(row.encoding);
  row.chain = ChainLink(chain_head_, leaf);
  frontier_.Append(leaf);
  chain_head_ = row.chain;
  return row;
}

}  // namespace writ::runtime::audit
