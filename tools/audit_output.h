// How `writ audit show` and `writ audit export` print events (docs/audit.md, "The audit
// command"): one JSON object per event for export, one readable line per event for show.
#ifndef WRIT_TOOLS_AUDIT_OUTPUT_H_
#define WRIT_TOOLS_AUDIT_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "runtime/audit/event.h"
#include "runtime/audit/log.h"

namespace writ::cli {

// {"seq", "kind", "at" (RFC 3339), "at_ms", "session", "step", "fields": {...}}; with the row,
// also "leaf_hash" and "chain" in hex, so an exported line can be checked against a proof.
nlohmann::ordered_json EventJson(const runtime::audit::AuditEvent& event);
nlohmann::ordered_json ExportJson(const runtime::audit::AuditEvent& event,
                                  const runtime::audit::StoredEvent& row);

// "  #12  2026-01-01T00:00:01.000Z  decided         step-1  tool=erp.create_po effect=allow ..."
// Long payloads (a decision, a report, arguments) are cut to a readable length unless `full`.
std::string EventLine(const runtime::audit::AuditEvent& event, bool full);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_AUDIT_OUTPUT_H_
