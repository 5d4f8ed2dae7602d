// Detectors of IP addresses in text: strict dotted quads and RFC 4291 IPv6 text.
#include <array>
#include <cstdint>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/ip.h"
#include "stdlib/internal/pii_scan.h"

namespace writ::stdlib::internal {
namespace {

constexpr size_t kMaxIPv6Text = 45;  // eight groups with an embedded dotted quad

// Reads four dot-separated runs of 1-3 digits at `i`; returns the end or 0.
size_t ReadDottedQuad(std::string_view text, size_t i) {
  size_t j = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (At(text, j) != '.') return 0;
      ++j;
    }
    const size_t begin = j;
    while (IsDigit(At(text, j)) && j - begin < 4) ++j;
    if (j == begin || j - begin > 3) return 0;
  }
  const unsigned char next = At(text, j);
  // A fifth part (an OID, a longer version number) or more of a word.
  if (IsAlnum(next) || next == '_' || (next == '.' && IsDigit(At(text, j + 1)))) return 0;
  return j;
}

bool IsIPv6RunChar(unsigned char c) { return IsHex(c) || c == ':' || c == '.'; }

// Whether an IPv6 candidate looks like an address rather than something else with colons:
// it has written hex groups, a short compressed form has a digit ("::1", "fe80::1", but not
// "dead::beef" or "a::b" in code), and a full form is not eight two-digit groups (EUI-64 and
// MAC-like identifiers).
bool PlausibleIPv6(std::string_view s) {
  int groups = 0;
  int two_digit_groups = 0;
  bool digit = false;
  for (size_t k = 0; k < s.size();) {
    if (!IsHex(s[k])) {
      ++k;
      continue;
    }
    const size_t begin = k;
    while (k < s.size() && IsHex(s[k])) {
      digit = digit || IsDigit(s[k]);
      ++k;
    }
    ++groups;
    two_digit_groups += (k - begin == 2);
  }
  const bool compressed = s.find("::") != std::string_view::npos;
  if (groups == 0) return false;
  if (compressed) return groups >= 3 || digit;
  return two_digit_groups < 8;
}

}  // namespace

bool FindIPv4(std::string_view text, size_t from, Span* out) {
  size_t i = from;
  while (i + 7 <= text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    const unsigned char p = Before(text, i);
    if (!IsAlnum(p) && p != '_' && p != '.') {
      const size_t end = ReadDottedQuad(text, i);
      uint32_t address;
      if (end != 0 && ParseIPv4Strict(text.substr(i, end - i), &address)) {
        *out = {i, end};
        return true;
      }
    }
    i = WordEnd(text, i);
  }
  return false;
}

bool FindIPv6(std::string_view text, size_t from, Span* out) {
  size_t i = from;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char p = Before(text, i);
    if (!(IsHex(c) || c == ':') || IsAlnum(p) || p == '_' || p == ':' || p == '.') {
      i = IsWord(c) ? WordEnd(text, i) : i + 1;
      continue;
    }
    // Every address has a ':' within its first five characters (a group has at most four
    // hex digits), which rules out almost every word quickly.
    size_t k = i;
    while (k < text.size() && k - i < 5 && IsHex(text[k])) ++k;
    if (At(text, k) != ':') {
      i = IsWord(c) ? WordEnd(text, i) : i + 1;
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsIPv6RunChar(text[end]) && end - i <= kMaxIPv6Text) ++end;
    const size_t run_end = end;
    // Sentence punctuation after an address is not part of it.
    while (end > i && text[end - 1] == '.') --end;
    if (end - i >= 2 && text[end - 1] == ':' && text[end - 2] != ':') --end;
    const unsigned char next = At(text, run_end);
    std::array<uint8_t, 16> address;
    if (run_end - i <= kMaxIPv6Text && !IsAlnum(next) && next != '_' &&
        ParseIPv6(text.substr(i, end - i), &address) && PlausibleIPv6(text.substr(i, end - i))) {
      *out = {i, end};
      return true;
    }
    i = run_end > i ? run_end : i + 1;
  }
  return false;
}

}  // namespace writ::stdlib::internal
