// Values of the decision IR: the constants of expressions and the values of `test` blocks, and
// their canonical text. A value does not name its type; whoever holds one knows it (a Constant
// pairs them).
#ifndef WRIT_COMPILER_IR_VALUE_H_
#define WRIT_COMPILER_IR_VALUE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace writ::ir {

// Money is exact: an amount is int64 units of 10^-4 of its currency.
inline constexpr int64_t kMoneyScale = 10000;
// Timestamps are valid from 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, in
// milliseconds since the Unix epoch; arithmetic leaving this range is an evaluation error.
inline constexpr int64_t kMinTimestamp = -62167219200000;
inline constexpr int64_t kMaxTimestamp = 253402300799999;

struct Value {
  enum class Kind : uint8_t {
    kAbsent,  // an optional record field without a value; only inside a record
    kBool,
    kInt,
    kMoney,
    kString,
    kDuration,
    kTimestamp,
    kSet,
    kRecord,
    kEntity,
    kEnum,
  };

  Kind kind = Kind::kAbsent;
  int64_t number = 0;  // bool (0 or 1), int, money units, duration and timestamp ms, enum member
  std::string text;    // string, money currency, entity id
  uint32_t ref = 0;    // the EntityTypeId of an entity, the EnumId of an enum member
  std::vector<Value> elements;  // set elements (canonical order, no repeats); record fields

  static Value Bool(bool value);
  static Value Int(int64_t value);
  static Value Money(int64_t units, std::string currency);
  static Value String(std::string value);
  static Value Duration(int64_t millis);
  static Value Timestamp(int64_t millis);
  // Sorts `elements` into the canonical order and drops repeats.
  static Value Set(std::vector<Value> elements);
  // `fields` aligned with the fields of the record type.
  static Value Record(std::vector<Value> fields);
  static Value Entity(uint32_t type, std::string id);
  static Value EnumMember(uint32_t enum_id, uint32_t member);

  friend bool operator==(const Value&, const Value&) = default;
};

// The canonical total order of values: by kind, then number, text, reference and elements.
// Sets are kept in this order, so equal sets have equal element lists.
int Compare(const Value& a, const Value& b);

// "1h30m" for 5,400,000 ms: the largest units first, as durations are written; "0ms" for zero.
std::string FormatDuration(int64_t millis);
// "12.50 USD", "50000 USD", "0.0001 BTC": at least two decimals when there is a fraction.
std::string FormatMoney(int64_t units, std::string_view currency);
// RFC 3339 in UTC: "2026-01-01T00:00:00Z", with milliseconds when there are any. Outside the
// valid range the number of milliseconds is printed instead.
std::string FormatTimestamp(int64_t millis);
// A string literal as the language writes it, with its escapes.
std::string Quote(std::string_view text);

}  // namespace writ::ir

#endif  // WRIT_COMPILER_IR_VALUE_H_
