// Run-time values. The runtime evaluates with the decision IR's own value type (ir::Value), so
// constants, test values and decoded requests share one representation; this file adds what
// the runtime needs on top of it: reading values from the text forms of docs/requests.md.
#ifndef WRIT_RUNTIME_VALUE_H_
#define WRIT_RUNTIME_VALUE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/ir/value.h"

namespace writ::runtime {

using Value = ir::Value;

// The outcome of reading a scalar from its text form. On failure `error` says what is wrong
// and `out_of_range` tells a well-formed but unrepresentable value (request.range) from a
// malformed one (request.type).
struct ScalarParse {
  bool ok = false;
  bool out_of_range = false;
  Value value;
  std::string error;
};

// "12.50 USD": an amount (optional '-', digits, up to 4 decimals), one blank, three capitals.
ScalarParse ParseMoney(std::string_view text);
// "1h30m": parts of digits and a unit (ms s m h d), added; at most 2^63 - 1 ms.
ScalarParse ParseDuration(std::string_view text);
// RFC 3339 with a time zone ("2026-11-26T10:30:00Z", "...T10:30:00.250+02:00").
ScalarParse ParseTimestamp(std::string_view text);

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_VALUE_H_
