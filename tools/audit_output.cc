#include "tools/audit_output.h"

#include <fmt/format.h>

#include <string_view>
#include <variant>
#include <vector>

#include "compiler/ir/value.h"
#include "runtime/audit/hash.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace audit = runtime::audit;

// Fields that hold whole JSON documents: show leaves them to --full and to export.
bool IsDocument(std::string_view key) { return key == "decision" || key == "report"; }

constexpr size_t kShortValue = 96;

std::string Short(std::string text, bool full) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (full || text.size() <= kShortValue) return text;
  // Cut at a UTF-8 character boundary.
  size_t cut = kShortValue;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + fmt::format("... ({} bytes)", text.size());
}

std::string ValueText(const audit::FieldValue& value, bool full) {
  if (const std::string* s = std::get_if<std::string>(&value)) return ir::Quote(Short(*s, full));
  if (const int64_t* n = std::get_if<int64_t>(&value)) return std::to_string(*n);
  const auto& list = std::get<std::vector<std::string>>(value);
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += ir::Quote(Short(list[i], full));
  }
  return out + "]";
}

}  // namespace

Json EventJson(const audit::AuditEvent& event) {
  Json fields = Json::object();
  for (const audit::Field& field : event.fields) {
    std::visit([&](const auto& v) { fields[field.key] = v; }, field.value);
  }
  return {{"seq", event.seq},
          {"kind", audit::Spelling(event.kind)},
          {"at", ir::FormatTimestamp(event.at)},
          {"at_ms", event.at},
          {"session", event.session},
          {"step", event.step},
          {"fields", std::move(fields)}};
}

Json ExportJson(const audit::AuditEvent& event, const audit::StoredEvent& row) {
  Json out = EventJson(event);
  out["leaf_hash"] = audit::ToHex(audit::LeafHash(row.encoding));
  out["chain"] = audit::ToHex(row.chain);
  return out;
}

std::string EventLine(const audit::AuditEvent& event, bool full) {
  std::string out = fmt::format("  #{:<5} {}  {:<16} {:<12}", event.seq,
                                ir::FormatTimestamp(event.at), audit::Spelling(event.kind),
                                event.step.empty() ? "-" : event.step);
  for (const audit::Field& field : event.fields) {
    if (IsDocument(field.key) && !full) continue;
    out += fmt::format(" {}={}", field.key, ValueText(field.value, full));
  }
  return out + "\n";
}

}  // namespace writ::cli
