#include "runtime/value.h"

#include <limits>

namespace writ::runtime {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

ScalarParse Fail(std::string error, bool out_of_range = false) {
  ScalarParse result;
  result.error = std::move(error);
  result.out_of_range = out_of_range;
  return result;
}

ScalarParse Ok(Value value) {
  ScalarParse result;
  result.ok = true;
  result.value = std::move(value);
  return result;
}

// Appends a digit to `acc`; false on int64 overflow.
bool PushDigit(int64_t& acc, char c) {
  int64_t digit = c - '0';
  if (acc > (std::numeric_limits<int64_t>::max() - digit) / 10) return false;
  acc = acc * 10 + digit;
  return true;
}

// Days from 1970-01-01 to the civil date (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`.
bool Digits(std::string_view text, size_t& pos, int n, int64_t& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit(text[pos + i])) return false;
    out = out * 10 + (text[pos + i] - '0');
  }
  pos += n;
  return true;
}

}  // namespace

ScalarParse ParseMoney(std::string_view text) {
  const char* kShape = "expected money such as \"12.50 USD\"";
  size_t blank = text.find(' ');
  if (blank == std::string_view::npos || text.size() != blank + 4) return Fail(kShape);
  std::string_view amount = text.substr(0, blank);
  std::string_view currency = text.substr(blank + 1);
  for (char c : currency) {
    if (c < 'A' || c > 'Z') return Fail(kShape);
  }
  bool negative = false;
  size_t pos = 0;
  if (!amount.empty() && amount[0] == '-') {
    negative = true;
    pos = 1;
  }
  int64_t whole = 0;
  size_t start = pos;
  while (pos < amount.size() && IsDigit(amount[pos])) {
    if (!PushDigit(whole, amount[pos])) return Fail("the amount is out of range", true);
    ++pos;
  }
  if (pos == start) return Fail(kShape);
  int64_t fraction = 0;
  int places = 0;
  if (pos < amount.size()) {
    if (amount[pos] != '.') return Fail(kShape);
    ++pos;
    size_t fraction_start = pos;
    while (pos < amount.size() && IsDigit(amount[pos])) {
      if (++places > 4) return Fail("money has at most 4 decimal places", true);
      fraction = fraction * 10 + (amount[pos] - '0');
      ++pos;
    }
    if (pos == fraction_start || pos != amount.size()) return Fail(kShape);
  }
  for (int i = places; i < 4; ++i) fraction *= 10;
  // The magnitude may reach 2^63 when negative: money is any int64 of units.
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  uint64_t magnitude_whole = static_cast<uint64_t>(whole);
  uint64_t magnitude_fraction = static_cast<uint64_t>(fraction);
  if (magnitude_whole > (limit - magnitude_fraction) / ir::kMoneyScale) {
    return Fail("the amount is out of range", true);
  }
  uint64_t magnitude = magnitude_whole * ir::kMoneyScale + magnitude_fraction;
  int64_t units = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return Ok(Value::Money(units, std::string(currency)));
}

ScalarParse ParseDuration(std::string_view text) {
  const char* kShape = "expected a duration such as \"1h30m\"";
  if (text.empty()) return Fail(kShape);
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int64_t number = 0;
    size_t start = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (!PushDigit(number, text[pos])) return Fail("the duration is out of range", true);
      ++pos;
    }
    if (pos == start || pos == text.size()) return Fail(kShape);
    int64_t unit = 0;
    if (text.substr(pos, 2) == "ms") {
      unit = 1;
      pos += 2;
    } else {
      switch (text[pos]) {
        case 's':
          unit = 1000;
          break;
        case 'm':
          unit = 60 * 1000;
          break;
        case 'h':
          unit = 3600 * 1000;
          break;
        case 'd':
          unit = 24 * 3600 * 1000;
          break;
        default:
          return Fail(kShape);
      }
      ++pos;
    }
    int64_t part = 0;
    if (__builtin_mul_overflow(number, unit, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return Fail("the duration is out of range", true);
    }
  }
  return Ok(Value::Duration(total));
}

ScalarParse ParseTimestamp(std::string_view text) {
  const char* kShape = "expected an RFC 3339 timestamp such as \"2026-11-26T10:30:00Z\"";
  size_t pos = 0;
  int64_t year, month, day, hour, minute, second;
  if (!Digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
      !Digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
      !Digits(text, pos, 2, day) || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't') ||
      !Digits(text, ++pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
      !Digits(text, pos, 2, minute) || pos >= text.size() || text[pos++] != ':' ||
      !Digits(text, pos, 2, second)) {
    return Fail(kShape);
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return Fail(kShape);
  }
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    int64_t scale = 100;
    while (pos < text.size() && IsDigit(text[pos])) {
      millis += (text[pos] - '0') * scale;  // digits past milliseconds are dropped
      scale /= 10;
      ++pos;
    }
    if (pos == start) return Fail(kShape);
  }
  if (pos >= text.size()) return Fail(kShape);
  int64_t offset_minutes = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh, om;
    if (!Digits(text, pos, 2, oh) || pos >= text.size() || text[pos++] != ':' ||
        !Digits(text, pos, 2, om) || oh > 23 || om > 59) {
      return Fail(kShape);
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return Fail(kShape);
  }
  if (pos != text.size()) return Fail(kShape);
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                    offset_minutes * 60;
  int64_t result = seconds * 1000 + millis;
  if (result < ir::kMinTimestamp || result > ir::kMaxTimestamp) {
    return Fail("the timestamp is outside years 0000 to 9999", true);
  }
  return Ok(Value::Timestamp(result));
}

}  // namespace writ::runtime
