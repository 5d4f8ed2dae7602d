#include "compiler/ir/value.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace writ::ir {
namespace {

template <typename T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// Leap years in [0, year) for year >= 0, counting year 0.
int64_t LeapYearsBefore(int64_t year) {
  return (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
}

// Days from 1970-01-01 to January 1st of `year`.
int64_t DaysBeforeYear(int64_t year) {
  return 365 * (year - 1970) + LeapYearsBefore(year) - LeapYearsBefore(1970);
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Floor division, for instants before the epoch.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Value Value::Bool(bool value) {
  Value v;
  v.kind = Kind::kBool;
  v.number = value ? 1 : 0;
  return v;
}

Value Value::Int(int64_t value) {
  Value v;
  v.kind = Kind::kInt;
  v.number = value;
  return v;
}

Value Value::Money(int64_t units, std::string currency) {
  Value v;
  v.kind = Kind::kMoney;
  v.number = units;
  v.text = std::move(currency);
  return v;
}

Value Value::String(std::string value) {
  Value v;
  v.kind = Kind::kString;
  v.text = std::move(value);
  return v;
}

Value Value::Duration(int64_t millis) {
  Value v;
  v.kind = Kind::kDuration;
  v.number = millis;
  return v;
}

Value Value::Timestamp(int64_t millis) {
  Value v;
  v.kind = Kind::kTimestamp;
  v.number = millis;
  return v;
}

Value Value::Set(std::vector<Value> elements) {
  std::sort(elements.begin(), elements.end(),
            [](const Value& a, const Value& b) { return Compare(a, b) < 0; });
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  Value v;
  v.kind = Kind::kSet;
  v.elements = std::move(elements);
  return v;
}

Value Value::Record(std::vector<Value> fields) {
  Value v;
  v.kind = Kind::kRecord;
  v.elements = std::move(fields);
  return v;
}

Value Value::Entity(uint32_t type, std::string id) {
  Value v;
  v.kind = Kind::kEntity;
  v.ref = type;
  v.text = std::move(id);
  return v;
}

Value Value::EnumMember(uint32_t enum_id, uint32_t member) {
  Value v;
  v.kind = Kind::kEnum;
  v.ref = enum_id;
  v.number = member;
  return v;
}

int Compare(const Value& a, const Value& b) {
  if (int c = Three(a.kind, b.kind)) return c;
  if (int c = Three(a.number, b.number)) return c;
  if (int c = a.text.compare(b.text)) return c < 0 ? -1 : 1;
  if (int c = Three(a.ref, b.ref)) return c;
  size_t n = std::min(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = Compare(a.elements[i], b.elements[i])) return c;
  }
  return Three(a.elements.size(), b.elements.size());
}

std::string FormatDuration(int64_t millis) {
  static constexpr std::pair<uint64_t, const char*> kUnits[] = {
      {86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
  if (millis == 0) return "0ms";
  std::string out = millis < 0 ? "-" : "";
  uint64_t rest = millis < 0 ? 0 - static_cast<uint64_t>(millis) : static_cast<uint64_t>(millis);
  for (const auto& [size, unit] : kUnits) {
    if (rest >= size) {
      out += std::to_string(rest / size) + unit;
      rest %= size;
    }
  }
  return out;
}

std::string FormatMoney(int64_t units, std::string_view currency) {
  uint64_t magnitude = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string out = units < 0 ? "-" : "";
  out += std::to_string(magnitude / kMoneyScale);
  if (uint64_t fraction = magnitude % kMoneyScale; fraction != 0) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%04llu", static_cast<unsigned long long>(fraction));
    std::string text = digits;
    while (text.size() > 2 && text.back() == '0') text.pop_back();
    out += "." + text;
  }
  if (!currency.empty()) out += " " + std::string(currency);
  return out;
}

std::string FormatTimestamp(int64_t millis) {
  if (millis < kMinTimestamp || millis > kMaxTimestamp) return std::to_string(millis) + "ms";
  int64_t days = FloorDiv(millis, 86400000);
  int64_t in_day = millis - days * 86400000;
  int64_t year = 1970 + FloorDiv(days * 400, 146097);
  while (DaysBeforeYear(year) > days) --year;
  while (DaysBeforeYear(year + 1) <= days) ++year;
  int64_t day_of_year = days - DaysBeforeYear(year);
  int month = 1;
  while (day_of_year >= DaysInMonth(year, month)) day_of_year -= DaysInMonth(year, month++);
  char out[40];
  int n = std::snprintf(
      out, sizeof out, "%04lld-%02d-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(year),
      month, static_cast<long long>(day_of_year + 1), static_cast<long long>(in_day / 3600000),
      static_cast<long long>(in_day / 60000 % 60), static_cast<long long>(in_day / 1000 % 60));
  std::string text(out, static_cast<size_t>(n));
  if (int64_t ms = in_day % 1000; ms != 0) {
    std::snprintf(out, sizeof out, ".%03lld", static_cast<long long>(ms));
    text += out;
  }
  return text + "Z";
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escape[12];
          std::snprintf(escape, sizeof escape, "\\u{%x}", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace writ::ir
