// Detectors of financial account numbers: payment cards (Luhn and issuer prefixes) and IBANs
// (country lengths and the ISO 7064 mod-97 check).
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/pii_scan.h"

namespace writ::stdlib::internal {
namespace {

// ---- payment cards -----------------------------------------------------------------------

constexpr size_t kMinCardDigits = 13;
constexpr size_t kMaxCardDigits = 19;

// An issuer range: card numbers whose first `digits` digits lie in [low, high], with a length
// whose bit is set in `lengths`.
struct Issuer {
  int digits;
  int low;
  int high;
  uint32_t lengths;
};

constexpr uint32_t Lengths(int low, int high) {
  uint32_t bits = 0;
  for (int n = low; n <= high; ++n) bits |= uint32_t{1} << n;
  return bits;
}

constexpr uint32_t kVisaLengths = Lengths(13, 13) | Lengths(16, 16) | Lengths(19, 19);

// Major networks' issuer identification ranges. A number outside all of them is not treated
// as a card even when its Luhn digit is right, which is what keeps 13-19 digit order numbers,
// timestamps and tracking numbers out.
constexpr Issuer kIssuers[] = {
    {1, 4, 4, kVisaLengths},             // Visa
    {2, 51, 55, Lengths(16, 16)},        // Mastercard
    {4, 2221, 2720, Lengths(16, 16)},    // Mastercard 2-series
    {2, 34, 34, Lengths(15, 15)},        // American Express
    {2, 37, 37, Lengths(15, 15)},        // American Express
    {4, 6011, 6011, Lengths(16, 19)},    // Discover
    {3, 644, 649, Lengths(16, 19)},      // Discover
    {2, 65, 65, Lengths(16, 19)},        // Discover, RuPay
    {2, 62, 62, Lengths(16, 19)},        // UnionPay
    {4, 3528, 3589, Lengths(16, 19)},    // JCB
    {3, 300, 305, Lengths(14, 19)},      // Diners Club
    {4, 3095, 3095, Lengths(14, 19)},    // Diners Club
    {2, 36, 36, Lengths(14, 19)},        // Diners Club
    {2, 38, 39, Lengths(14, 19)},        // Diners Club
    {4, 2200, 2204, Lengths(16, 19)},    // Mir
    {2, 60, 60, Lengths(16, 16)},        // RuPay
    {2, 81, 82, Lengths(16, 16)},        // RuPay
    {3, 508, 508, Lengths(16, 16)},      // RuPay
    {4, 5018, 5018, Lengths(13, 19)},    // Maestro
    {4, 5020, 5020, Lengths(13, 19)},    // Maestro
    {4, 5038, 5038, Lengths(13, 19)},    // Maestro
    {4, 5893, 5893, Lengths(13, 19)},    // Maestro
    {4, 6304, 6304, Lengths(13, 19)},    // Maestro
    {4, 6759, 6759, Lengths(13, 19)},    // Maestro
    {4, 6761, 6763, Lengths(13, 19)},    // Maestro
};

bool KnownIssuer(std::string_view digits) {
  const int length = static_cast<int>(digits.size());
  for (const Issuer& issuer : kIssuers) {
    int prefix = 0;
    for (int k = 0; k < issuer.digits; ++k) prefix = prefix * 10 + (digits[k] - '0');
    if (prefix >= issuer.low && prefix <= issuer.high && (issuer.lengths >> length & 1)) {
      return true;
    }
  }
  return false;
}

// The groupings cards are printed in: fours with a shorter last group (4-4-4-4, 4-4-4-4-3,
// 4-4-4-1), and the 4-6-5 and 4-6-4 of American Express and Diners Club.
bool CardGrouping(const size_t* groups, int count) {
  if (count == 3 && groups[0] == 4 && groups[1] == 6 && (groups[2] == 5 || groups[2] == 4)) {
    return true;
  }
  for (int k = 0; k + 1 < count; ++k) {
    if (groups[k] != 4) return false;
  }
  return groups[count - 1] >= 1 && groups[count - 1] <= 4;
}

bool CardStartsAt(std::string_view text, size_t i) {
  const unsigned char p = Before(text, i);
  if (IsAlnum(p) || p == '_' || p == '.' || p == '-' || p == '/' || p == '+') return false;
  return !(p == ' ' && IsDigit(Before(text, i - 1)));
}

// A run of digit groups where a card number may start: digits, optionally in groups with one
// separator (' ' or '-') used throughout, read up to the longest card length.
struct CardRun {
  size_t length[kMaxCardDigits] = {};  // digits per complete group
  size_t end[kMaxCardDigits] = {};     // where each group ends
  int groups = 0;
  char separator = 0;
  bool more = false;  // digits continue past kMaxCardDigits
};

CardRun ReadCardRun(std::string_view text, size_t i, char* digits) {
  CardRun run;
  size_t n = 0;
  size_t j = i;
  while (true) {
    const size_t group_begin = j;
    while (IsDigit(At(text, j))) {
      if (n == kMaxCardDigits) {
        run.more = true;
        return run;
      }
      digits[n++] = text[j++];
    }
    run.length[run.groups] = j - group_begin;
    run.end[run.groups] = j;
    ++run.groups;
    const unsigned char c = At(text, j);
    if ((c == ' ' || c == '-') && IsDigit(At(text, j + 1)) &&
        (run.separator == 0 || c == run.separator)) {
      run.separator = static_cast<char>(c);
      ++j;
      continue;
    }
    return run;
  }
}

// "MM/YY" or "MM/YYYY" at `i`.
bool ExpiryAt(std::string_view text, size_t i) {
  return IsDigit(At(text, i)) && IsDigit(At(text, i + 1)) && At(text, i + 2) == '/' &&
         IsDigit(At(text, i + 3)) && IsDigit(At(text, i + 4));
}

// The end of the card number among the first groups of `run`, or 0. The whole run must end
// there, except before an expiry date ("4954 2555 0349 1068 05/27"), which the run reads as
// one more group.
size_t MatchCard(std::string_view text, const CardRun& run, const char* digits) {
  for (int k = run.groups; k >= 1; --k) {
    const bool whole = k == run.groups && !run.more;
    if (!whole && (run.separator != ' ' || !ExpiryAt(text, run.end[k - 1] + 1))) continue;
    size_t n = 0;
    for (int g = 0; g < k; ++g) n += run.length[g];
    if (n < kMinCardDigits) return 0;
    const size_t end = run.end[k - 1];
    if (whole) {
      const unsigned char next = At(text, end);
      if (IsAlnum(next) || next == '_' ||
          ((next == ' ' || next == '-' || next == '.') && IsDigit(At(text, end + 1)))) {
        continue;
      }
    }
    const std::string_view number(digits, n);
    if ((k == 1 || CardGrouping(run.length, k)) && KnownIssuer(number) && LuhnValid(number)) {
      return end;
    }
  }
  return 0;
}

// ---- IBAN --------------------------------------------------------------------------------

struct IbanCountry {
  char code[3];
  int length;
};

// The IBAN length of every country in the ISO 13616 registry, sorted by code.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
    {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
    {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
    {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30},
    {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21},
    {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29},
    {"VA", 22}, {"VG", 24}, {"XK", 20},
};

int IbanLength(char a, char b) {
  const auto* it = std::lower_bound(
      std::begin(kIbanCountries), std::end(kIbanCountries), std::pair{a, b},
      [](const IbanCountry& c, std::pair<char, char> key) {
        return c.code[0] != key.first ? c.code[0] < key.first : c.code[1] < key.second;
      });
  if (it == std::end(kIbanCountries) || it->code[0] != a || it->code[1] != b) return 0;
  return it->length;
}

constexpr int kMaxIban = 34;

// Reads an IBAN at `i` in its electronic form or its print form (groups of four separated by
// one space), uppercase. Returns the end and the compact form, or 0.
size_t ReadIban(std::string_view text, size_t i, char* compact, int* length) {
  if (!IsUpper(At(text, i)) || !IsUpper(At(text, i + 1)) || !IsDigit(At(text, i + 2)) ||
      !IsDigit(At(text, i + 3))) {
    return 0;
  }
  const int expected = IbanLength(text[i], text[i + 1]);
  if (expected == 0) return 0;
  const bool spaced = At(text, i + 4) == ' ';
  size_t j = i;
  int n = 0;
  while (n < expected) {
    if (spaced && n > 0 && n % 4 == 0) {
      if (At(text, j) != ' ') return 0;
      ++j;
    }
    const unsigned char c = At(text, j);
    if (!(IsUpper(c) || IsDigit(c))) return 0;
    compact[n++] = static_cast<char>(c);
    ++j;
  }
  if (IsAlnum(At(text, j)) || At(text, j) == '_') return 0;
  *length = n;
  return j;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (size_t k = digits.size(); k-- > 0;) {
    int d = digits[k] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool IbanValid(std::string_view iban) {
  if (iban.size() < 5 || static_cast<int>(iban.size()) != IbanLength(iban[0], iban[1])) {
    return false;
  }
  // The check: move the first four characters to the end, read letters as 10-35, and the
  // number must be 1 mod 97. Folding digit by digit keeps the remainder small.
  uint32_t remainder = 0;
  for (size_t k = 0; k < iban.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(iban[(k + 4) % iban.size()]);
    if (IsDigit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (IsUpper(c)) {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

bool FindCard(std::string_view text, size_t from, Span* out) {
  char digits[kMaxCardDigits];
  size_t i = from;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    if (CardStartsAt(text, i)) {
      const CardRun run = ReadCardRun(text, i, digits);
      if (const size_t end = MatchCard(text, run, digits); end != 0) {
        *out = {i, end};
        return true;
      }
    }
    i = WordEnd(text, i);
  }
  return false;
}

bool FindIban(std::string_view text, size_t from, Span* out) {
  char compact[kMaxIban];
  size_t i = from;
  while (i + 15 <= text.size()) {
    if (!IsUpper(text[i])) {
      ++i;
      continue;
    }
    const unsigned char p = Before(text, i);
    if (!IsAlnum(p) && p != '_') {
      int n = 0;
      const size_t end = ReadIban(text, i, compact, &n);
      if (end != 0 && IbanValid(std::string_view(compact, n))) {
        *out = {i, end};
        return true;
      }
    }
    i = WordEnd(text, i);
  }
  return false;
}

}  // namespace writ::stdlib::internal
