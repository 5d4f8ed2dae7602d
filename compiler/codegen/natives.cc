// The native functions generated code may call, with their addresses: the JIT defines each as
// an absolute symbol, so resolving them does not depend on what the executable exports.
#include <cstring>
#include <string_view>
#include <vector>

#include "compiler/codegen/codegen.h"
#include "compiler/codegen/internal/natives.h"
#include "stdlib/native.h"

extern "C" int32_t writ_jit_string_compare(const char* a, uint64_t a_size, const char* b,
                                           uint64_t b_size) noexcept {
  int order = std::string_view(a, a_size).compare(std::string_view(b, b_size));
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

namespace writ::codegen {
namespace internal {
namespace {

template <typename F>
void* Address(F* function) {
  return reinterpret_cast<void*>(function);
}

}  // namespace

std::span<const StdNative> StdNatives() {
  static const StdNative natives[] = {
      {"std.text", "length", "writ_text_length", Shape::kStringToInt, Address(&writ_text_length)},
      {"std.text", "contains", "writ_text_contains", Shape::kTwoStringsToBool,
       Address(&writ_text_contains)},
      {"std.text", "starts_with", "writ_text_starts_with", Shape::kTwoStringsToBool,
       Address(&writ_text_starts_with)},
      {"std.text", "ends_with", "writ_text_ends_with", Shape::kTwoStringsToBool,
       Address(&writ_text_ends_with)},
      {"std.text", "glob", "writ_text_glob", Shape::kTwoStringsToBool, Address(&writ_text_glob)},
      {"std.pii", "contains", "writ_pii_contains", Shape::kStringToBool,
       Address(&writ_pii_contains)},
      {"std.pii", "contains_kind", "writ_pii_contains_kind", Shape::kStringAndKind,
       Address(&writ_pii_contains_kind)},
      {"std.sql", "is_ddl", "writ_sql_is_ddl", Shape::kStringToBool, Address(&writ_sql_is_ddl)},
      {"std.sql", "is_write", "writ_sql_is_write", Shape::kStringToBool,
       Address(&writ_sql_is_write)},
      {"std.sql", "is_read", "writ_sql_is_read", Shape::kStringToBool, Address(&writ_sql_is_read)},
      {"std.sql", "is_transaction", "writ_sql_is_transaction", Shape::kStringToBool,
       Address(&writ_sql_is_transaction)},
      {"std.sql", "is_multi_statement", "writ_sql_is_multi_statement", Shape::kStringToBool,
       Address(&writ_sql_is_multi_statement)},
      {"std.sql", "has_unbounded_write", "writ_sql_has_unbounded_write", Shape::kStringToBool,
       Address(&writ_sql_has_unbounded_write)},
      {"std.time", "hour", "writ_time_hour", Shape::kIntToInt, Address(&writ_time_hour)},
      {"std.time", "weekday", "writ_time_weekday", Shape::kIntToInt, Address(&writ_time_weekday)},
      {"std.time", "day", "writ_time_day", Shape::kIntToInt, Address(&writ_time_day)},
      {"std.time", "month", "writ_time_month", Shape::kIntToInt, Address(&writ_time_month)},
      {"std.time", "year", "writ_time_year", Shape::kIntToInt, Address(&writ_time_year)},
      {"std.net", "in_cidr", "writ_net_in_cidr", Shape::kTwoStringsToBool,
       Address(&writ_net_in_cidr)},
      {"std.money", "min", nullptr, Shape::kMoneyMin, nullptr},
      {"std.money", "max", nullptr, Shape::kMoneyMax, nullptr},
      {"std.money", "abs", nullptr, Shape::kMoneyAbs, nullptr},
      {"std.net", "is_private", "writ_net_is_private", Shape::kStringToBool,
       Address(&writ_net_is_private)},
  };
  return natives;
}

const StdNative* FindStdNative(std::string_view module, std::string_view name) {
  for (const StdNative& native : StdNatives()) {
    if (native.module == module && native.name == name) return &native;
  }
  return nullptr;
}

}  // namespace internal

std::vector<NativeSymbol> NativeSymbols() {
  std::vector<NativeSymbol> symbols = {
      {"memcmp", internal::Address(&std::memcmp)},
      {"writ_jit_string_compare", internal::Address(&writ_jit_string_compare)},
      {"writ_money_div", internal::Address(&writ_money_div)},
  };
  for (const internal::StdNative& native : internal::StdNatives()) {
    if (native.symbol != nullptr) symbols.push_back({native.symbol, native.address});
  }
  return symbols;
}

}  // namespace writ::codegen
