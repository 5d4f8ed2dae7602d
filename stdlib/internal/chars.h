// ASCII character classes for the scanners. Locale-free on purpose: the evaluators must agree
// on every machine, and <cctype> depends on the C locale (and is undefined for negative chars).
#ifndef WRIT_STDLIB_INTERNAL_CHARS_H_
#define WRIT_STDLIB_INTERNAL_CHARS_H_

#include <cstddef>
#include <string_view>

namespace writ::stdlib::internal {

constexpr bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool IsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
constexpr bool IsAlpha(unsigned char c) { return IsUpper(c) || IsLower(c); }
constexpr bool IsAlnum(unsigned char c) { return IsDigit(c) || IsAlpha(c); }
constexpr bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool IsWord(unsigned char c) { return IsAlnum(c) || c == '_'; }
constexpr bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool IsBase64Url(unsigned char c) { return IsAlnum(c) || c == '-' || c == '_'; }
constexpr unsigned char ToLower(unsigned char c) { return IsUpper(c) ? c + ('a' - 'A') : c; }
constexpr unsigned char ToUpper(unsigned char c) { return IsLower(c) ? c - ('a' - 'A') : c; }
constexpr int HexValue(unsigned char c) {
  return IsDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
}

// The byte at `i`, or 0 past either end: lets scanners look around a position without
// bounds checks at every call site.
inline unsigned char At(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
}
inline unsigned char Before(std::string_view s, size_t i) {
  return i > 0 && i <= s.size() ? static_cast<unsigned char>(s[i - 1]) : 0;
}

// The end of the run of word characters ([A-Za-z0-9_]) that contains or starts at `i`. The
// scanners skip whole words: a number, an address or a token never starts inside one.
inline size_t WordEnd(std::string_view s, size_t i) {
  while (i < s.size() && IsWord(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// ASCII case-insensitive equality of `s` at `pos` with the lower-case `lower`.
inline bool EqualsLowerAt(std::string_view s, size_t pos, std::string_view lower) {
  if (pos > s.size() || s.size() - pos < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (ToLower(static_cast<unsigned char>(s[pos + i])) != static_cast<unsigned char>(lower[i])) {
      return false;
    }
  }
  return true;
}

inline bool EqualsLower(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && EqualsLowerAt(s, 0, lower);
}

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_CHARS_H_
