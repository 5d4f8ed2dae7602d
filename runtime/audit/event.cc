#include "runtime/audit/event.h"

#include <algorithm>
#include <array>
#include <utility>

#include "fmt/format.h"

namespace writ::runtime::audit {
namespace {

enum class Type : uint8_t { kString, kInt, kList };

// A field a kind must carry. `alternative`, when set, may stand in for `key` (a digest in place
// of the full arguments or result, as the policy chooses).
struct Required {
  std::string_view key;
  Type type;
  std::string_view alternative = {};
};

struct KindInfo {
  EventKind kind;
  std::string_view spelling;
  std::vector<Required> required;
};

const std::vector<KindInfo>& Kinds() {
  static const auto* kinds = new std::vector<KindInfo>{
      {EventKind::kSpawned, "spawned",
       {{"agent_type", Type::kString}, {"agent_id", Type::kString}, {"task", Type::kString}}},
      {EventKind::kDecided, "decided",
       {{"tool", Type::kString},
        {"effect", Type::kString},
        {"reasons", Type::kList},
        {"matched_rules", Type::kList}}},
      {EventKind::kToolCalled, "tool_called",
       {{"tool", Type::kString}, {"args", Type::kString, "args_digest"}}},
      {EventKind::kToolResult, "tool_result",
       {{"tool", Type::kString}, {"result", Type::kString, "result_digest"}}},
      {EventKind::kOutputVerdict, "output_verdict",
       {{"tool", Type::kString}, {"verdict", Type::kString}, {"reasons", Type::kList}}},
      {EventKind::kCredentialMinted, "credential_minted",
       {{"lease_id", Type::kString},
        {"tool", Type::kString},
        {"scopes", Type::kList},
        {"expires_at", Type::kInt}}},
      {EventKind::kCredentialRevoked, "credential_revoked",
       {{"lease_id", Type::kString}, {"reason", Type::kString}}},
      {EventKind::kBudgetWarning, "budget_warning",
       {{"warning", Type::kString}}},
      {EventKind::kCheckpointed, "checkpointed",
       {{"version", Type::kInt}, {"digest", Type::kString}}},
      {EventKind::kSuspended, "suspended", {{"tool", Type::kString}, {"reasons", Type::kList}}},
      {EventKind::kApproved, "approved", {{"outcome", Type::kString}, {"by", Type::kString}}},
      {EventKind::kResumed, "resumed", {{"version", Type::kInt}}},
      {EventKind::kTerminated, "terminated", {{"reason", Type::kString}}},
  };
  return *kinds;
}

const KindInfo* Info(EventKind kind) {
  for (const KindInfo& info : Kinds()) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

bool HasType(const FieldValue& value, Type type) {
  switch (type) {
    case Type::kString:
      return std::holds_alternative<std::string>(value);
    case Type::kInt:
      return std::holds_alternative<int64_t>(value);
    case Type::kList:
      return std::holds_alternative<std::vector<std::string>>(value);
  }
  return false;
}

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kString:
      return "a string";
    case Type::kInt:
      return "an integer";
    case Type::kList:
      return "a list of strings";
  }
  return "?";
}

}  // namespace

std::string_view Spelling(EventKind kind) {
  const KindInfo* info = Info(kind);
  return info == nullptr ? "unknown" : info->spelling;
}

std::optional<EventKind> ParseEventKind(std::string_view text) {
  for (const KindInfo& info : Kinds()) {
    if (info.spelling == text) return info.kind;
  }
  return std::nullopt;
}

std::optional<EventKind> EventKindFromCode(uint8_t code) {
  const auto kind = static_cast<EventKind>(code);
  if (Info(kind) == nullptr) return std::nullopt;
  return kind;
}

void AuditEvent::SetField(std::string key, FieldValue value) {
  auto it = std::lower_bound(fields.begin(), fields.end(), key,
                             [](const Field& f, const std::string& k) { return f.key < k; });
  if (it != fields.end() && it->key == key) {
    it->value = std::move(value);
    return;
  }
  fields.insert(it, Field{std::move(key), std::move(value)});
}

const FieldValue* AuditEvent::Find(std::string_view key) const {
  auto it = std::lower_bound(fields.begin(), fields.end(), key,
                             [](const Field& f, std::string_view k) { return f.key < k; });
  if (it == fields.end() || it->key != key) return nullptr;
  return &it->value;
}

absl::Status Validate(const AuditEvent& event) {
  const KindInfo* info = Info(event.kind);
  if (info == nullptr) {
    return absl::InvalidArgumentError(
        fmt::format("audit event: unknown kind code {}", static_cast<int>(event.kind)));
  }
  if (event.session.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("audit event {}: the session is empty", info->spelling));
  }
  for (size_t i = 0; i < event.fields.size(); ++i) {
    if (event.fields[i].key.empty()) {
      return absl::InvalidArgumentError(
          fmt::format("audit event {}: a field has an empty key", info->spelling));
    }
    if (i > 0 && !(event.fields[i - 1].key < event.fields[i].key)) {
      return absl::InvalidArgumentError(
          fmt::format("audit event {}: fields are not sorted and unique at '{}'", info->spelling,
                      event.fields[i].key));
    }
  }
  for (const Required& required : info->required) {
    const FieldValue* value = event.Find(required.key);
    std::string_view key = required.key;
    if (value == nullptr && !required.alternative.empty()) {
      value = event.Find(required.alternative);
      key = required.alternative;
    }
    if (value == nullptr) {
      const std::string alternative =
          required.alternative.empty() ? "" : fmt::format(" (or '{}')", required.alternative);
      return absl::InvalidArgumentError(fmt::format("audit event {}: the field '{}'{} is missing",
                                                    info->spelling, required.key, alternative));
    }
    if (!HasType(*value, required.type)) {
      return absl::InvalidArgumentError(fmt::format("audit event {}: the field '{}' must be {}",
                                                    info->spelling, key,
                                                    TypeName(required.type)));
    }
  }
  return absl::OkStatus();
}

}  // namespace writ::runtime::audit
