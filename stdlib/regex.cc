// std.text.matches: RE2 behind an opaque handle, compiled once when a policy loads.
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "stdlib/native.h"

// The handle is the RE2 object itself; the C type only names it.
struct writ_regex {
  explicit writ_regex(const re2::StringPiece& pattern, const RE2::Options& options)
      : re(pattern, options) {}
  RE2 re;
};

namespace writ::stdlib {
namespace {

// The checker validates patterns with RE2's default options minus logging; compiling with the
// same options here is what makes "it checked" mean "it loads".
RE2::Options CheckerOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  return options;
}

void WriteError(const std::string& message, char* error, size_t capacity) {
  if (error == nullptr || capacity == 0) return;
  const size_t n = std::min(message.size(), capacity - 1);
  std::memcpy(error, message.data(), n);
  error[n] = '\0';
}

}  // namespace
}  // namespace writ::stdlib

extern "C" {

writ_std_status writ_regex_compile(const char* pattern, size_t size, writ_regex** out,
                                   char* error, size_t error_capacity) noexcept {
  *out = nullptr;
  try {
    auto* regex = new writ_regex(re2::StringPiece(size == 0 ? "" : pattern, size),
                                 writ::stdlib::CheckerOptions());
    if (!regex->re.ok()) {
      writ::stdlib::WriteError(regex->re.error(), error, error_capacity);
      delete regex;
      return WRIT_STD_INVALID_PATTERN;
    }
    *out = regex;
    return WRIT_STD_OK;
  } catch (...) {
    writ::stdlib::WriteError("out of memory", error, error_capacity);
    return WRIT_STD_RESOURCE_EXHAUSTED;
  }
}

writ_std_status writ_regex_matches(const writ_regex* regex, const char* s, size_t size,
                                   bool* out) noexcept {
  if (regex == nullptr) return WRIT_STD_INVALID_ARGUMENT;
  try {
    *out = RE2::PartialMatch(re2::StringPiece(size == 0 ? "" : s, size), regex->re);
    return WRIT_STD_OK;
  } catch (...) {
    return WRIT_STD_RESOURCE_EXHAUSTED;
  }
}

void writ_regex_free(writ_regex* regex) noexcept { delete regex; }

}  // extern "C"
