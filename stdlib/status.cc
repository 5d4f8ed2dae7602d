// The messages of the native library's status codes.
#include "stdlib/native.h"

extern "C" const char* writ_std_status_message(writ_std_status status) noexcept {
  switch (status) {
    case WRIT_STD_OK: return "ok";
    case WRIT_STD_OVERFLOW: return "integer overflow";
    case WRIT_STD_CURRENCY_MISMATCH: return "amounts of money in different currencies";
    case WRIT_STD_DIVISION_BY_ZERO: return "division by zero";
    case WRIT_STD_OUT_OF_RANGE: return "timestamp out of range";
    case WRIT_STD_INVALID_ARGUMENT: return "invalid argument";
    case WRIT_STD_BUFFER_TOO_SMALL: return "output buffer too small";
    case WRIT_STD_INVALID_PATTERN: return "invalid regular expression";
    case WRIT_STD_RESOURCE_EXHAUSTED: return "out of memory";
    default: return "unknown status";
  }
}
