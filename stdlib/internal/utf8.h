// UTF-8 decoding in units: a unit is a well-formed sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) or, failing that, a single byte. std.text counts, matches
// and maps text in these units, so every byte string has one meaning.
#ifndef WRIT_STDLIB_INTERNAL_UTF8_H_
#define WRIT_STDLIB_INTERNAL_UTF8_H_

#include <cstddef>
#include <cstdint>

namespace writ::stdlib::internal {

// What DecodeUnit reports for a byte that does not begin a well-formed sequence.
inline constexpr char32_t kInvalidUnit = 0xFFFFFFFF;

// Decodes the unit at s[0] (n >= 1): returns its length in bytes (1 to 4) and sets *cp to the
// code point, or to kInvalidUnit for a lone invalid byte (length 1).
inline size_t DecodeUnit(const unsigned char* s, size_t n, char32_t* cp) {
  const unsigned char b = s[0];
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < n && s[i] >= lo && s[i] <= hi;
  };
  if (b >= 0xC2 && b <= 0xDF && cont(1)) {
    *cp = (char32_t{b} & 0x1F) << 6 | (s[1] & 0x3F);
    return 2;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b == 0xED ? 0x9F : 0xBF;
    if (cont(1, lo, hi) && cont(2)) {
      *cp = (char32_t{b} & 0x0F) << 12 | char32_t{s[1] & 0x3Fu} << 6 | (s[2] & 0x3F);
      return 3;
    }
  }
  if (b >= 0xF0 && b <= 0xF4) {
    const unsigned char lo = b == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      *cp = (char32_t{b} & 0x07) << 18 | char32_t{s[1] & 0x3Fu} << 12 |
            char32_t{s[2] & 0x3Fu} << 6 | (s[3] & 0x3F);
      return 4;
    }
  }
  *cp = kInvalidUnit;
  return 1;
}

// The length of the unit at s[0] (n >= 1).
inline size_t UnitLength(const unsigned char* s, size_t n) {
  if (s[0] < 0x80) return 1;
  char32_t cp;
  return DecodeUnit(s, n, &cp);
}

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_UTF8_H_
