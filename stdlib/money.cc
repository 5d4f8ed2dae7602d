// std.money and the money operators: int64 units of 10^-4, exact, never wrapping.
#include <cstdint>
#include <cstring>

#include "stdlib/internal/chars.h"
#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

constexpr int64_t kUnitsPerWhole = 10000;

bool ValidCurrency(uint32_t currency) {
  return (currency >> 24) == 0 && internal::IsUpper(currency & 0xFF) &&
         internal::IsUpper((currency >> 8) & 0xFF) && internal::IsUpper((currency >> 16) & 0xFF);
}

writ_std_status SameCurrency(uint32_t a, uint32_t b) {
  if (!ValidCurrency(a) || !ValidCurrency(b)) return WRIT_STD_INVALID_ARGUMENT;
  return a == b ? WRIT_STD_OK : WRIT_STD_CURRENCY_MISMATCH;
}

}  // namespace
}  // namespace writ::stdlib

using writ::stdlib::SameCurrency;

extern "C" {

uint32_t writ_money_currency_code(const char* code, size_t size) noexcept {
  if (size != 3) return 0;
  const uint32_t packed = WRIT_CURRENCY(code[0], code[1], code[2]);
  return writ::stdlib::ValidCurrency(packed) ? packed : 0;
}

writ_std_status writ_money_currency(uint32_t currency, char out[3]) noexcept {
  if (!writ::stdlib::ValidCurrency(currency)) return WRIT_STD_INVALID_ARGUMENT;
  out[0] = static_cast<char>(currency & 0xFF);
  out[1] = static_cast<char>((currency >> 8) & 0xFF);
  out[2] = static_cast<char>((currency >> 16) & 0xFF);
  return WRIT_STD_OK;
}

writ_std_status writ_money_min(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) noexcept {
  if (writ_std_status s = SameCurrency(a_currency, b_currency); s != WRIT_STD_OK) return s;
  *out = a < b ? a : b;
  return WRIT_STD_OK;
}

writ_std_status writ_money_max(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) noexcept {
  if (writ_std_status s = SameCurrency(a_currency, b_currency); s != WRIT_STD_OK) return s;
  *out = a < b ? b : a;
  return WRIT_STD_OK;
}

writ_std_status writ_money_abs(int64_t amount, int64_t* out) noexcept {
  if (amount == INT64_MIN) return WRIT_STD_OVERFLOW;
  *out = amount < 0 ? -amount : amount;
  return WRIT_STD_OK;
}

writ_std_status writ_money_add(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) noexcept {
  if (writ_std_status s = SameCurrency(a_currency, b_currency); s != WRIT_STD_OK) return s;
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return WRIT_STD_OVERFLOW;
  *out = r;
  return WRIT_STD_OK;
}

writ_std_status writ_money_sub(int64_t a, uint32_t a_currency, int64_t b, uint32_t b_currency,
                               int64_t* out) noexcept {
  if (writ_std_status s = SameCurrency(a_currency, b_currency); s != WRIT_STD_OK) return s;
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return WRIT_STD_OVERFLOW;
  *out = r;
  return WRIT_STD_OK;
}

writ_std_status writ_money_mul(int64_t amount, int64_t factor, int64_t* out) noexcept {
  int64_t r;
  if (__builtin_mul_overflow(amount, factor, &r)) return WRIT_STD_OVERFLOW;
  *out = r;
  return WRIT_STD_OK;
}

writ_std_status writ_money_div(int64_t amount, int64_t divisor, int64_t* out) noexcept {
  if (divisor == 0) return WRIT_STD_DIVISION_BY_ZERO;
  if (amount == INT64_MIN && divisor == -1) return WRIT_STD_OVERFLOW;
  *out = amount / divisor;  // C++ truncates toward zero
  return WRIT_STD_OK;
}

writ_std_status writ_money_compare(int64_t a, uint32_t a_currency, int64_t b,
                                   uint32_t b_currency, int32_t* out) noexcept {
  if (writ_std_status s = SameCurrency(a_currency, b_currency); s != WRIT_STD_OK) return s;
  *out = a < b ? -1 : a > b ? 1 : 0;
  return WRIT_STD_OK;
}

writ_std_status writ_money_format(int64_t amount, uint32_t currency, char* out, size_t capacity,
                                  size_t* size) noexcept {
  if (!writ::stdlib::ValidCurrency(currency)) return WRIT_STD_INVALID_ARGUMENT;
  char buf[40];
  size_t n = 0;
  // The magnitude as unsigned, which also holds INT64_MIN's.
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  uint64_t whole = magnitude / writ::stdlib::kUnitsPerWhole;
  uint64_t fraction = magnitude % writ::stdlib::kUnitsPerWhole;
  if (amount < 0) buf[n++] = '-';
  char digits[24];
  size_t d = 0;
  do {
    digits[d++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  while (d > 0) buf[n++] = digits[--d];
  if (fraction != 0) {
    char frac[4] = {static_cast<char>('0' + fraction / 1000),
                    static_cast<char>('0' + fraction / 100 % 10),
                    static_cast<char>('0' + fraction / 10 % 10),
                    static_cast<char>('0' + fraction % 10)};
    size_t keep = 4;
    while (keep > 2 && frac[keep - 1] == '0') --keep;
    buf[n++] = '.';
    for (size_t i = 0; i < keep; ++i) buf[n++] = frac[i];
  }
  buf[n++] = ' ';
  writ_money_currency(currency, buf + n);
  n += 3;
  *size = n;
  if (n > capacity) return WRIT_STD_BUFFER_TOO_SMALL;
  std::memcpy(out, buf, n);
  return WRIT_STD_OK;
}

}  // extern "C"
