// Detectors of contact data and national ids: email addresses, phone numbers, US SSNs.
#include <cstring>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/pii_scan.h"

namespace writ::stdlib::internal {
namespace {

// ---- email -------------------------------------------------------------------------------

constexpr size_t kMaxLocal = 64;
constexpr size_t kMaxDomain = 253;

bool IsLocalChar(unsigned char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

bool IsDomainChar(unsigned char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// Top-level "domains" that are really file extensions: `icon@2x.png` is an image name.
bool IsFileExtension(std::string_view tld) {
  static constexpr std::string_view kExtensions[] = {
      "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "tif", "tiff",
      "css", "js",  "ts",   "map", "json", "xml", "yml", "yaml", "txt", "md",
      "html", "htm", "php", "py", "rb",  "java", "so",  "dll", "exe", "lock",
  };
  for (std::string_view ext : kExtensions) {
    if (EqualsLower(tld, ext)) return true;
  }
  return false;
}

// Validates the domain text[begin, end): at least two dot-separated labels of letters, digits
// and inner hyphens, up to 63 bytes each, ending in an alphabetic top-level label.
bool ValidDomain(std::string_view domain) {
  size_t labels = 0;
  size_t label_begin = 0;
  while (label_begin <= domain.size()) {
    size_t label_end = domain.find('.', label_begin);
    if (label_end == std::string_view::npos) label_end = domain.size();
    const std::string_view label = domain.substr(label_begin, label_end - label_begin);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    ++labels;
    if (label_end == domain.size()) {
      // The top-level label.
      if (label.size() < 2 || IsFileExtension(label)) return false;
      if (EqualsLowerAt(label, 0, "xn--")) return labels >= 2;
      for (char c : label) {
        if (!IsAlpha(c)) return false;
      }
      return labels >= 2;
    }
    label_begin = label_end + 1;
  }
  return false;
}

bool MatchEmailAt(std::string_view text, size_t at, size_t from, Span* out) {
  // The local part: the run of local characters before '@', without leading dots or quotes.
  size_t begin = at;
  while (begin > 0 && at - begin <= kMaxLocal && IsLocalChar(text[begin - 1])) --begin;
  if (at - begin > kMaxLocal) return false;
  while (begin < at && (text[begin] == '.' || text[begin] == '\'')) ++begin;
  if (begin == at || begin < from || text[at - 1] == '.') return false;
  if (text.substr(begin, at - begin).find("..") != std::string_view::npos) return false;
  // The domain: the run of domain characters after '@', without a trailing dot or hyphen
  // (sentence punctuation).
  size_t end = at + 1;
  while (end < text.size() && end - at - 1 <= kMaxDomain && IsDomainChar(text[end])) ++end;
  if (end - at - 1 > kMaxDomain) return false;
  if (At(text, end) == '@' || At(text, end) == '_') return false;
  while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  if (!ValidDomain(text.substr(at + 1, end - at - 1))) return false;
  *out = {begin, end};
  return true;
}

// ---- phone -------------------------------------------------------------------------------

// A run of digit groups as phone numbers are written: an optional '+', groups of digits, each
// after a one-character separator (space, '-', '.'), and groups in parentheses.
struct NumberRun {
  static constexpr int kMaxGroups = 8;
  static constexpr int kMaxDigits = 17;
  bool plus = false;
  int count = 0;
  int digits = 0;
  size_t begin[kMaxGroups] = {};
  size_t length[kMaxGroups] = {};
  bool paren[kMaxGroups] = {};
  char separator[kMaxGroups] = {};  // before group k; 0 if none (only next to parentheses)
  size_t end = 0;
  bool overflow = false;
};

NumberRun ReadNumberRun(std::string_view text, size_t i) {
  NumberRun run;
  if (At(text, i) == '+') {
    run.plus = true;
    ++i;
  }
  char separator = 0;
  while (true) {
    size_t j = i;
    const bool paren = At(text, j) == '(';
    if (paren) ++j;
    const size_t digits_begin = j;
    while (IsDigit(At(text, j)) && j - digits_begin <= NumberRun::kMaxDigits) ++j;
    const size_t len = j - digits_begin;
    if (len == 0 || (paren && At(text, j) != ')')) break;
    if (paren) ++j;
    if (run.count == NumberRun::kMaxGroups || run.digits + static_cast<int>(len) >
                                                  NumberRun::kMaxDigits) {
      run.overflow = true;
      break;
    }
    run.begin[run.count] = digits_begin;
    run.length[run.count] = len;
    run.paren[run.count] = paren;
    run.separator[run.count] = separator;
    ++run.count;
    run.digits += static_cast<int>(len);
    run.end = j;
    // The next group: after one separator, or directly after a closing parenthesis, or
    // directly before an opening one.
    const unsigned char c = At(text, j);
    separator = 0;
    if (c == ' ' || c == '-' || c == '.') {
      separator = static_cast<char>(c);
      ++j;
    }
    const unsigned char next = At(text, j);
    if (!(IsDigit(next) || (next == '(' && IsDigit(At(text, j + 1))))) break;
    if (separator == 0 && !paren && next != '(') break;
    i = j;
  }
  return run;
}

bool IsNanpLeading(std::string_view text, size_t pos) {
  const unsigned char c = At(text, pos);
  return c >= '2' && c <= '9';
}

// +CC then groups: 8 to 15 digits (E.164), separators free, at most one parenthesized group.
bool IsInternational(std::string_view text, const NumberRun& run) {
  if (!run.plus || run.digits < 8 || run.digits > 15 || At(text, run.begin[0]) == '0' ||
      run.paren[0]) {
    return false;
  }
  int parens = 0;
  for (int k = 0; k < run.count; ++k) parens += run.paren[k];
  return parens <= 1;
}

// North American: [1 sep] (NXX) NXX-XXXX or NXX sep NXX sep XXXX with one separator.
bool IsNanp(std::string_view text, const NumberRun& run) {
  if (run.plus) return false;
  int k = 0;
  if (run.count == 4) {
    if (run.length[0] != 1 || At(text, run.begin[0]) != '1' || run.paren[0] ||
        run.separator[1] == 0) {
      return false;
    }
    k = 1;
  } else if (run.count != 3) {
    return false;
  }
  if (run.length[k] != 3 || run.length[k + 1] != 3 || run.length[k + 2] != 4 ||
      run.paren[k + 1] || run.paren[k + 2] || !IsNanpLeading(text, run.begin[k]) ||
      !IsNanpLeading(text, run.begin[k + 1])) {
    return false;
  }
  const char s1 = run.separator[k + 1];
  const char s2 = run.separator[k + 2];
  if (run.paren[k]) return (s1 == ' ' || s1 == 0) && (s2 == '-' || s2 == ' ' || s2 == '.');
  if (k == 1 && run.separator[1] != s1) return false;
  return s1 != 0 && s1 == s2;
}

// National with a trunk prefix: 0 then a non-zero digit, 10 or 11 digits in 2 to 5 groups of
// 2 to 8 digits with one separator throughout ("020 7946 0958", "06 12 34 56 78").
bool IsTrunkNational(std::string_view text, const NumberRun& run) {
  if (run.plus || run.count < 2 || run.count > 5 || run.digits < 10 || run.digits > 11) {
    return false;
  }
  if (At(text, run.begin[0]) != '0' || At(text, run.begin[0] + 1) == '0') return false;
  // "(020) 7946 0958": the separator after a parenthesized first group may be missing.
  const bool paren_first = run.paren[0];
  if (paren_first && run.separator[1] != ' ' && run.separator[1] != 0) return false;
  const char common = paren_first ? (run.count > 2 ? run.separator[2] : ' ') : run.separator[1];
  if (common == 0) return false;
  for (int k = 0; k < run.count; ++k) {
    if (run.length[k] < 2 || run.length[k] > 8 || (k > 0 && run.paren[k])) return false;
    if (k >= (paren_first ? 2 : 1) && run.separator[k] != common) return false;
  }
  return true;
}

// Whether a number may start at `i`: not inside a word or a longer number.
bool NumberStartsAt(std::string_view text, size_t i) {
  const unsigned char p = Before(text, i);
  if (IsAlnum(p) || p == '_' || p == '.' || p == '-' || p == '/' || p == '+' || p == '#' ||
      p == '$' || p == '@') {
    return false;
  }
  // "4111 415-555-0143": a blank after a digit continues the number before it.
  if (p == ' ' && IsDigit(Before(text, i - 1))) return false;
  return true;
}

// Whether a number that ends at `end` really ends there.
bool NumberEndsAt(std::string_view text, size_t end) {
  const unsigned char c = At(text, end);
  if (IsAlnum(c) || c == '_') return false;
  if ((c == '-' || c == '.' || c == '/') && IsDigit(At(text, end + 1))) return false;
  return true;
}

// ---- US SSN ------------------------------------------------------------------------------

bool SsnContextBefore(std::string_view text, size_t i) {
  const size_t window = i < 32 ? i : 32;
  const std::string_view before = text.substr(i - window, window);
  for (size_t k = 0; k < before.size(); ++k) {
    if (EqualsLowerAt(before, k, "ssn") || EqualsLowerAt(before, k, "social sec") ||
        EqualsLowerAt(before, k, "ss#")) {
      return true;
    }
  }
  return false;
}

int ThreeDigits(std::string_view s) {
  return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

bool ValidSsnNumber(std::string_view area, std::string_view group, std::string_view serial) {
  const int a = ThreeDigits(area);
  if (a == 0 || a == 666 || a >= 900) return false;
  if (group == "00" || serial == "0000") return false;
  // Numbers known to be invalid because they were published (in a wallet insert and an ad).
  const bool published = (a == 78 && group == "05" && serial == "1120") ||
                         (a == 219 && group == "09" && serial == "9999");
  return !published;
}

bool DigitsAt(std::string_view text, size_t i, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    if (!IsDigit(At(text, i + k))) return false;
  }
  return true;
}

bool MatchSsnAt(std::string_view text, size_t i, Span* out) {
  if (!DigitsAt(text, i, 3)) return false;
  const unsigned char sep = At(text, i + 3);
  if (sep == '-' || sep == ' ') {
    if (!DigitsAt(text, i + 4, 2) || At(text, i + 6) != sep || !DigitsAt(text, i + 7, 4)) {
      return false;
    }
    const size_t end = i + 11;
    const unsigned char next = At(text, end);
    if (IsAlnum(next) || next == '_' ||
        ((next == sep || next == '-') && IsDigit(At(text, end + 1)))) {
      return false;
    }
    if (!ValidSsnNumber(text.substr(i, 3), text.substr(i + 4, 2), text.substr(i + 7, 4))) {
      return false;
    }
    *out = {i, end};
    return true;
  }
  // Nine digits in a row are an SSN only where the text says so just before.
  if (!DigitsAt(text, i, 9) || !NumberEndsAt(text, i + 9) || !SsnContextBefore(text, i)) {
    return false;
  }
  if (!ValidSsnNumber(text.substr(i, 3), text.substr(i + 3, 2), text.substr(i + 5, 4))) {
    return false;
  }
  *out = {i, i + 9};
  return true;
}

}  // namespace

bool FindEmail(std::string_view text, size_t from, Span* out) {
  size_t pos = from;
  while (pos < text.size()) {
    const void* hit = std::memchr(text.data() + pos, '@', text.size() - pos);
    if (hit == nullptr) return false;
    const size_t at = static_cast<const char*>(hit) - text.data();
    if (MatchEmailAt(text, at, from, out)) return true;
    pos = at + 1;
  }
  return false;
}

bool FindPhone(std::string_view text, size_t from, Span* out) {
  size_t i = from;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (!(IsDigit(c) || c == '+' || c == '(')) {
      ++i;
      continue;
    }
    if (NumberStartsAt(text, i)) {
      const NumberRun run = ReadNumberRun(text, i);
      if (run.count > 0 && !run.overflow && NumberEndsAt(text, run.end) &&
          (IsInternational(text, run) || IsNanp(text, run) || IsTrunkNational(text, run))) {
        *out = {i, run.end};
        return true;
      }
    }
    // No number starts inside a word or a run of digits.
    i = IsDigit(c) ? WordEnd(text, i) : i + 1;
  }
  return false;
}

bool FindUsSsn(std::string_view text, size_t from, Span* out) {
  size_t i = from;
  while (i + 9 <= text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    if (NumberStartsAt(text, i) && MatchSsnAt(text, i, out)) return true;
    i = WordEnd(text, i);
  }
  return false;
}

}  // namespace writ::stdlib::internal
