// Standard-library calls of the interpreter, through the native entry points of
// stdlib/native.h that the JIT calls too, so both evaluators decide alike.
#include <fmt/format.h>

#include <cstring>
#include <string>
#include <string_view>

#include "runtime/internal/expr_eval.h"
#include "stdlib/declarations.h"
#include "stdlib/native.h"

namespace writ::runtime::internal {
namespace {

Outcome StdError(writ_std_status status, std::string_view function, ir::Loc loc) {
  std::string_view code = "eval.std";
  switch (status) {
    case WRIT_STD_OVERFLOW:
      code = "eval.overflow";
      break;
    case WRIT_STD_CURRENCY_MISMATCH:
      code = "eval.currency";
      break;
    case WRIT_STD_DIVISION_BY_ZERO:
      code = "eval.division_by_zero";
      break;
    case WRIT_STD_OUT_OF_RANGE:
      code = "eval.range";
      break;
    default:
      break;
  }
  return Outcome::Fail(std::string(code),
                       fmt::format("{}: {}", function, writ_std_status_message(status)), loc);
}

// The native detector of a member of the policy's std.pii `Kind` enum, found by name so that
// the IR's member order need not match the C constants.
std::optional<uint32_t> NativeKind(std::string_view member) {
  for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
    if (member == writ_pii_kind_name(kind)) return kind;
  }
  return std::nullopt;
}

// The enum of a call's result (an enum, or a set of one).
const ir::Enum* ResultEnum(const ir::Policy& policy, ir::TypeId type) {
  const ir::TypeData* data = &policy.type(type);
  if (data->kind == ir::TypeKind::kSet) data = &policy.type(data->element);
  if (data->kind != ir::TypeKind::kEnum) return nullptr;
  return &policy.enums.at(data->enum_id.index);
}

uint32_t Currency(const Value& money) {
  return writ_money_currency_code(money.text.data(), money.text.size());
}

}  // namespace

Outcome CallStd(const ir::Policy& policy, uint32_t index, std::span<const Value> args,
                ir::TypeId result_type, ir::Loc loc, const writ_regex* compiled) {
  std::span<const stdlib::Function> functions = stdlib::Functions();
  if (index >= functions.size()) {
    return Outcome::Fail("eval.std", "std function not available", loc);
  }
  const stdlib::Function& function = functions[index];
  std::string qualified = fmt::format("{}.{}", function.module, function.name);
  std::string_view module = function.module;
  std::string_view name = function.name;
  auto s = [&](size_t i) -> const std::string& { return args[i].text; };

  if (module == "std.text") {
    if (name == "length")
      return Outcome::Of(Value::Int(writ_text_length(s(0).data(), s(0).size())));
    if (name == "lower" || name == "upper") {
      std::string out(s(0).size(), '\0');
      if (name == "lower") {
        writ_text_lower(s(0).data(), s(0).size(), out.data());
      } else {
        writ_text_upper(s(0).data(), s(0).size(), out.data());
      }
      return Outcome::Of(Value::String(std::move(out)));
    }
    if (name == "contains") {
      return Outcome::Of(
          Value::Bool(writ_text_contains(s(0).data(), s(0).size(), s(1).data(), s(1).size())));
    }
    if (name == "starts_with") {
      return Outcome::Of(
          Value::Bool(writ_text_starts_with(s(0).data(), s(0).size(), s(1).data(), s(1).size())));
    }
    if (name == "ends_with") {
      return Outcome::Of(
          Value::Bool(writ_text_ends_with(s(0).data(), s(0).size(), s(1).data(), s(1).size())));
    }
    if (name == "glob") {
      return Outcome::Of(
          Value::Bool(writ_text_glob(s(0).data(), s(0).size(), s(1).data(), s(1).size())));
    }
    if (name == "matches") {
      bool matched = false;
      writ_std_status status = WRIT_STD_OK;
      if (compiled != nullptr) {
        status = writ_regex_matches(compiled, s(0).data(), s(0).size(), &matched);
      } else {
        writ_regex* regex = nullptr;
        char error[256];
        status = writ_regex_compile(s(1).data(), s(1).size(), &regex, error, sizeof error);
        if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
        status = writ_regex_matches(regex, s(0).data(), s(0).size(), &matched);
        writ_regex_free(regex);
      }
      if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
      return Outcome::Of(Value::Bool(matched));
    }
  } else if (module == "std.pii") {
    if (name == "contains")
      return Outcome::Of(Value::Bool(writ_pii_contains(s(0).data(), s(0).size())));
    if (name == "contains_kind") {
      const ir::Enum& kinds = policy.enums.at(args[1].ref);
      std::optional<uint32_t> kind = NativeKind(kinds.members.at(args[1].number));
      if (!kind) return Outcome::Fail("eval.std", "unknown std.pii detector", loc);
      return Outcome::Of(Value::Bool(writ_pii_contains_kind(s(0).data(), s(0).size(), *kind)));
    }
    if (name == "kinds") {
      const ir::Enum* kinds = ResultEnum(policy, result_type);
      if (kinds == nullptr) return Outcome::Fail("eval.std", "std function not available", loc);
      uint32_t found = writ_pii_kinds(s(0).data(), s(0).size(), WRIT_PII_ALL);
      std::vector<Value> members;
      for (uint32_t m = 0; m < kinds->members.size(); ++m) {
        std::optional<uint32_t> kind = NativeKind(kinds->members[m]);
        if (kind && (found & (UINT32_C(1) << *kind)) != 0) {
          members.push_back(
              Value::EnumMember(static_cast<uint32_t>(kinds - policy.enums.data()), m));
        }
      }
      return Outcome::Of(Value::Set(std::move(members)));
    }
    if (name == "redact") {
      std::string out(writ_pii_redact_bound(s(0).size()), '\0');
      size_t size = 0;
      writ_std_status status =
          writ_pii_redact(s(0).data(), s(0).size(), WRIT_PII_ALL, out.data(), out.size(), &size);
      if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
      out.resize(size);
      return Outcome::Of(Value::String(std::move(out)));
    }
  } else if (module == "std.sql") {
    const char* d = s(0).data();
    size_t n = s(0).size();
    if (name == "is_ddl") return Outcome::Of(Value::Bool(writ_sql_is_ddl(d, n)));
    if (name == "is_write") return Outcome::Of(Value::Bool(writ_sql_is_write(d, n)));
    if (name == "is_read") return Outcome::Of(Value::Bool(writ_sql_is_read(d, n)));
    if (name == "is_transaction") return Outcome::Of(Value::Bool(writ_sql_is_transaction(d, n)));
    if (name == "is_multi_statement") {
      return Outcome::Of(Value::Bool(writ_sql_is_multi_statement(d, n)));
    }
    if (name == "has_unbounded_write") {
      return Outcome::Of(Value::Bool(writ_sql_has_unbounded_write(d, n)));
    }
    if (name == "tables") {
      size_t arena_bytes = 0;
      size_t items = 0;
      writ_sql_tables_bound(n, &arena_bytes, &items);
      std::string arena_memory(arena_bytes, '\0');
      std::vector<writ_std_string> names(items);
      writ_std_arena arena{arena_memory.data(), arena_memory.size(), 0};
      size_t count = 0;
      writ_std_status status =
          writ_sql_tables(d, n, WRIT_SQL_ALL_DIALECTS, &arena, names.data(), names.size(), &count);
      if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
      std::vector<Value> tables;
      for (size_t i = 0; i < count && i < names.size(); ++i) {
        tables.push_back(Value::String(std::string(names[i].data, names[i].size)));
      }
      return Outcome::Of(Value::Set(std::move(tables)));
    }
  } else if (module == "std.money") {
    if (name == "currency") return Outcome::Of(Value::String(args[0].text));
    if (name == "abs") {
      int64_t out = 0;
      writ_std_status status = writ_money_abs(args[0].number, &out);
      if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
      return Outcome::Of(Value::Money(out, args[0].text));
    }
    if (name == "min" || name == "max") {
      std::string currency;
      if (!SameCurrency(args[0], args[1], currency)) {
        return StdError(WRIT_STD_CURRENCY_MISMATCH, qualified, loc);
      }
      // Two currency-less zeros (`session.spent` before any spend) give that zero.
      if (currency.empty()) return Outcome::Of(Value::Money(0, ""));
      // The currency-less zero takes the other amount's currency before the native call.
      Value a = Value::Money(args[0].number, currency);
      Value b = Value::Money(args[1].number, currency);
      int64_t out = 0;
      writ_std_status status =
          name == "min" ? writ_money_min(a.number, Currency(a), b.number, Currency(b), &out)
                        : writ_money_max(a.number, Currency(a), b.number, Currency(b), &out);
      if (status != WRIT_STD_OK) return StdError(status, qualified, loc);
      return Outcome::Of(Value::Money(out, currency));
    }
  } else if (module == "std.time") {
    int64_t t = args[0].number;
    if (name == "hour") return Outcome::Of(Value::Int(writ_time_hour(t)));
    if (name == "weekday") return Outcome::Of(Value::Int(writ_time_weekday(t)));
    if (name == "day") return Outcome::Of(Value::Int(writ_time_day(t)));
    if (name == "month") return Outcome::Of(Value::Int(writ_time_month(t)));
    if (name == "year") return Outcome::Of(Value::Int(writ_time_year(t)));
  } else if (module == "std.net") {
    if (name == "in_cidr") {
      return Outcome::Of(
          Value::Bool(writ_net_in_cidr(s(0).data(), s(0).size(), s(1).data(), s(1).size())));
    }
    if (name == "is_private") {
      return Outcome::Of(Value::Bool(writ_net_is_private(s(0).data(), s(0).size())));
    }
  }
  return Outcome::Fail("eval.std", qualified + ": std function not available", loc);
}

}  // namespace writ::runtime::internal
