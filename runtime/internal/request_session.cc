// What the runtime counted: a request's `session` facts and its `counters` for spending limits,
// rates, budgets and pools (docs/requests.md). Each value has the type its fact or declaration
// fixes, and counts are never negative.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/internal/request_decode.h"

namespace writ::runtime::internal {
namespace {

// The declaration of `decls` with the id `id`; null if none has it.
template <typename Decl>
const Decl* FindDecl(const std::vector<Decl>& decls, std::string_view id) {
  for (const Decl& decl : decls) {
    if (decl.head.id == id) return &decl;
  }
  return nullptr;
}

// The type of what a budget of `kind` has used: a count, a duration or money.
ir::TypeId UsedType(ir::BudgetKind kind) {
  switch (kind) {
    case ir::BudgetKind::kTokens:
    case ir::BudgetKind::kCalls: return ir::kIntType;
    case ir::BudgetKind::kTime: return ir::kDurationType;
    case ir::BudgetKind::kSpend: return ir::kMoneyType;
  }
  return ir::kIntType;
}

}  // namespace

void Decoder::DecodeSession(const Json& json, const std::string& path) {
  if (!ExpectObject(json, path)) return;
  for (auto it = json.begin(); it != json.end(); ++it) {
    // Every fact by its source spelling, except `elapsed`: it is `now` minus `started_at`.
    std::optional<ir::SessionFact> fact;
    for (size_t f = 0; f < ir::kSessionFactCount; ++f) {
      auto candidate = static_cast<ir::SessionFact>(f);
      if (candidate != ir::SessionFact::kElapsed && ir::Spelling(candidate) == it.key()) {
        fact = candidate;
      }
    }
    std::string fact_path = Member(path, it.key());
    if (!fact) {
      Error(fact_path, "request.unknown_field", "no such session fact");
      continue;
    }
    std::optional<Value> value = DecodeValue(ir::SessionFactType(*fact), *it, fact_path);
    if (!value) continue;
    if ((value->kind == Value::Kind::kInt) && value->number < 0) {
      Error(fact_path, "request.range", "a count cannot be negative");
      continue;
    }
    request_.session[static_cast<size_t>(*fact)] = std::move(*value);
  }
}

void Decoder::DecodeCounters(const Json& json, const std::string& path) {
  if (!ExpectObject(json, path)) return;
  RejectUnknown(json, path, {"spend", "calls_in_window", "budgets", "pools"});
  // Each section maps declaration ids of one kind to a value of a type fixed by the declaration.
  auto section = [&](std::string_view name, auto&& type_of, auto&& store) {
    auto it = json.find(name);
    if (it == json.end()) return;
    std::string section_path = Member(path, name);
    if (!ExpectObject(*it, section_path)) return;
    for (auto entry = it->begin(); entry != it->end(); ++entry) {
      std::string entry_path = Member(section_path, entry.key());
      std::optional<ir::TypeId> type = type_of(entry.key());
      if (!type) {
        Error(entry_path, "request.unknown_field",
              fmt::format("no {} declaration has the id `{}`", name, entry.key()));
        continue;
      }
      std::optional<Value> value = DecodeValue(*type, *entry, entry_path);
      if (!value) continue;
      if (value->kind != Value::Kind::kMoney && value->number < 0) {
        Error(entry_path, "request.range", "a count cannot be negative");
        continue;
      }
      store(entry.key(), std::move(*value));
    }
  };
  section(
      "spend",
      [&](std::string_view id) -> std::optional<ir::TypeId> {
        if (FindDecl(policy_.limits, id) == nullptr) return std::nullopt;
        return ir::kMoneyType;
      },
      [&](const std::string& id, Value value) { request_.counters.spend[id] = std::move(value); });
  section(
      "calls_in_window",
      [&](std::string_view id) -> std::optional<ir::TypeId> {
        if (FindDecl(policy_.rates, id) == nullptr) return std::nullopt;
        return ir::kIntType;
      },
      [&](const std::string& id, Value value) {
        request_.counters.calls_in_window[id] = value.number;
      });
  section(
      "budgets",
      [&](std::string_view id) -> std::optional<ir::TypeId> {
        const ir::Budget* budget = FindDecl(policy_.budgets, id);
        if (budget == nullptr) return std::nullopt;
        return UsedType(budget->kind);
      },
      [&](const std::string& id, Value value) {
        request_.counters.budgets[id] = std::move(value);
      });
  section(
      "pools",
      [&](std::string_view id) -> std::optional<ir::TypeId> {
        if (FindDecl(policy_.pools, id) == nullptr) return std::nullopt;
        return ir::kIntType;
      },
      [&](const std::string& id, Value value) { request_.counters.pools[id] = value.number; });
}

}  // namespace writ::runtime::internal
