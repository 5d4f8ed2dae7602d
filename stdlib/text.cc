// std.text: length, case mapping, substring tests, globs and split, over UTF-8 units (see
// internal/utf8.h): a well-formed sequence or one invalid byte.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/utf8.h"
#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

using internal::DecodeUnit;
using internal::UnitLength;

const unsigned char* Bytes(const char* s) { return reinterpret_cast<const unsigned char*>(s); }

// The simple lower-case mapping of the scripts std.text covers; the identity elsewhere. Every
// pair maps within U+0000-U+007F or within U+0080-U+07FF, which keeps the UTF-8 length. Code
// points whose simple mapping leaves that range (U+0130, U+0131, U+017F) stay as they are.
char32_t LowerOf(char32_t c) {
  if (c < 0x80) return internal::ToLower(static_cast<unsigned char>(c));
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    if (c == 0x178) return 0xFF;
    if (c <= 0x137 || (c >= 0x14A && c <= 0x177)) return c | 1;
    return (c & 1) ? c + 1 : c;  // 0x139-0x148 and 0x179-0x17E pair odd with even
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  return c;
}

// The inverse direction of LowerOf, plus U+00B5 (micro sign) to U+039C and U+03C2 (final
// sigma) to U+03A3, which have no lower-case preimage.
char32_t UpperOf(char32_t c) {
  if (c < 0x80) return internal::ToUpper(static_cast<unsigned char>(c));
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c == 0xFF) return 0x178;
  if (c == 0xB5) return 0x39C;
  if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F || c == 0x178) {
      return c;
    }
    if (c <= 0x137 || (c >= 0x14A && c <= 0x177)) return c & ~char32_t{1};
    return (c & 1) ? c : c - 1;
  }
  if (c == 0x3C2) return 0x3A3;
  if (c >= 0x3B1 && c <= 0x3C9) return c - 0x20;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  return c;
}

template <char32_t (*Map)(char32_t)>
void MapCase(const char* s, size_t size, char* out) {
  const unsigned char* in = Bytes(s);
  size_t i = 0;
  while (i < size) {
    const unsigned char b = in[i];
    if (b < 0x80) {
      out[i] = static_cast<char>(Map(b));
      ++i;
      continue;
    }
    char32_t cp;
    const size_t len = DecodeUnit(in + i, size - i, &cp);
    if (len == 2) {
      const char32_t mapped = Map(cp);  // stays within U+0080-U+07FF by construction
      out[i] = static_cast<char>(0xC0 | (mapped >> 6));
      out[i + 1] = static_cast<char>(0x80 | (mapped & 0x3F));
    } else {
      std::memmove(out + i, in + i, len);
    }
    i += len;
  }
}

// Glob matching. A pattern is split at '*' into segments; the first must match at the start,
// the last at the end, and each one between at its leftmost place after the previous one,
// which is optimal because a later place never leaves more text for what follows.
struct Glob {
  const unsigned char* text;
  size_t n;

  // Matches `segment` (no '*') at text position `i`; returns the end, or npos.
  size_t MatchAt(size_t i, std::string_view segment) const {
    const unsigned char* p = Bytes(segment.data());
    size_t j = 0;
    while (j < segment.size()) {
      if (i >= n) return std::string_view::npos;
      const size_t text_len = UnitLength(text + i, n - i);
      if (p[j] == '?') {
        i += text_len;
        ++j;
        continue;
      }
      const size_t pattern_len = UnitLength(p + j, segment.size() - j);
      if (pattern_len != text_len || std::memcmp(p + j, text + i, text_len) != 0) {
        return std::string_view::npos;
      }
      i += text_len;
      j += pattern_len;
    }
    return i;
  }

  // The end of the leftmost match of `segment` at or after `from`, or npos.
  size_t FindFrom(size_t from, std::string_view segment) const {
    const unsigned char first = static_cast<unsigned char>(segment[0]);
    size_t i = from;
    while (i < n) {
      if (first < 0x80 && first != '?') {
        // An ASCII byte is always the start of a unit, so jumping to it keeps alignment.
        const void* hit = std::memchr(text + i, first, n - i);
        if (hit == nullptr) return std::string_view::npos;
        i = static_cast<const unsigned char*>(hit) - text;
      }
      const size_t end = MatchAt(i, segment);
      if (end != std::string_view::npos) return end;
      i += UnitLength(text + i, n - i);
    }
    return std::string_view::npos;
  }

  size_t CountUnits(size_t from) const {
    size_t count = 0;
    for (size_t i = from; i < n; i += UnitLength(text + i, n - i)) ++count;
    return count;
  }

  static size_t PatternUnits(std::string_view segment) {
    size_t count = 0;
    const unsigned char* p = Bytes(segment.data());
    for (size_t j = 0; j < segment.size(); j += UnitLength(p + j, segment.size() - j)) ++count;
    return count;
  }

  bool Match(std::string_view pattern) const {
    const size_t first_star = pattern.find('*');
    if (first_star == std::string_view::npos) return MatchAt(0, pattern) == n;
    size_t pos = MatchAt(0, pattern.substr(0, first_star));
    if (pos == std::string_view::npos) return false;
    const size_t last_star = pattern.rfind('*');
    size_t seg_begin = first_star + 1;
    while (seg_begin < last_star) {
      size_t seg_end = pattern.find('*', seg_begin);
      if (seg_end > seg_begin) {
        pos = FindFrom(pos, pattern.substr(seg_begin, seg_end - seg_begin));
        if (pos == std::string_view::npos) return false;
      }
      seg_begin = seg_end + 1;
    }
    const std::string_view suffix = pattern.substr(last_star + 1);
    const size_t need = PatternUnits(suffix);
    const size_t have = CountUnits(pos);
    if (have < need) return false;
    for (size_t skip = have - need; skip > 0; --skip) pos += UnitLength(text + pos, n - pos);
    return MatchAt(pos, suffix) == n;
  }
};

bool LessBytes(const writ_std_string& a, const writ_std_string& b) {
  return std::string_view(a.data, a.size) < std::string_view(b.data, b.size);
}

bool EqualBytes(const writ_std_string& a, const writ_std_string& b) {
  return std::string_view(a.data, a.size) == std::string_view(b.data, b.size);
}

}  // namespace
}  // namespace writ::stdlib

using writ::stdlib::Bytes;

extern "C" {

int64_t writ_text_length(const char* s, size_t size) noexcept {
  const unsigned char* in = Bytes(s);
  int64_t count = 0;
  size_t i = 0;
  while (i < size) {
    i += in[i] < 0x80 ? 1 : writ::stdlib::internal::UnitLength(in + i, size - i);
    ++count;
  }
  return count;
}

void writ_text_lower(const char* s, size_t size, char* out) noexcept {
  writ::stdlib::MapCase<writ::stdlib::LowerOf>(s, size, out);
}

void writ_text_upper(const char* s, size_t size, char* out) noexcept {
  writ::stdlib::MapCase<writ::stdlib::UpperOf>(s, size, out);
}

bool writ_text_contains(const char* s, size_t size, const char* part, size_t part_size) noexcept {
  if (part_size == 0) return true;
  if (part_size > size) return false;
  // glibc's memmem is the two-way algorithm for needles past a few bytes: linear worst case.
  return memmem(s, size, part, part_size) != nullptr;
}

bool writ_text_starts_with(const char* s, size_t size, const char* prefix,
                           size_t prefix_size) noexcept {
  return prefix_size <= size && (prefix_size == 0 || std::memcmp(s, prefix, prefix_size) == 0);
}

bool writ_text_ends_with(const char* s, size_t size, const char* suffix,
                         size_t suffix_size) noexcept {
  return suffix_size <= size &&
         (suffix_size == 0 || std::memcmp(s + size - suffix_size, suffix, suffix_size) == 0);
}

bool writ_text_glob(const char* s, size_t size, const char* glob, size_t glob_size) noexcept {
  const writ::stdlib::Glob matcher{Bytes(s), size};
  return matcher.Match(std::string_view(glob_size == 0 ? "" : glob, glob_size));
}

writ_std_status writ_text_split(const char* s, size_t size, const char* separator,
                                size_t separator_size, writ_std_string* items, size_t capacity,
                                size_t* count) noexcept {
  if (s == nullptr) s = "";
  size_t total = 0;
  auto emit = [&](size_t begin, size_t end) {
    if (total < capacity) items[total] = {s + begin, end - begin};
    ++total;
  };
  if (separator_size == 0) {
    emit(0, size);
  } else {
    size_t begin = 0;
    while (true) {
      const void* hit = separator_size <= size - begin
                            ? memmem(s + begin, size - begin, separator, separator_size)
                            : nullptr;
      if (hit == nullptr) break;
      const size_t at = static_cast<const char*>(hit) - s;
      emit(begin, at);
      begin = at + separator_size;
    }
    emit(begin, size);
  }
  if (total > capacity) {
    *count = total;
    return WRIT_STD_BUFFER_TOO_SMALL;
  }
  std::sort(items, items + total, writ::stdlib::LessBytes);
  *count = std::unique(items, items + total, writ::stdlib::EqualBytes) - items;
  return WRIT_STD_OK;
}

}  // extern "C"
