// The std.pii detectors, one scanner per kind. A scanner finds the first match of its kind
// that begins at or after a position; calling it again from the end of that match walks the
// text left to right, which is how find, redact and the kinds set compose them. Each scanner
// looks at a bounded neighbourhood of every candidate position and skips what a failed
// candidate consumed, so a full walk is O(n) in the text length.
#ifndef WRIT_STDLIB_INTERNAL_PII_SCAN_H_
#define WRIT_STDLIB_INTERNAL_PII_SCAN_H_

#include <cstddef>
#include <string_view>

namespace writ::stdlib::internal {

struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// Finds the first match that begins at or after `from`; false when there is none.
using Scanner = bool (*)(std::string_view text, size_t from, Span* out);

bool FindEmail(std::string_view text, size_t from, Span* out);
bool FindPhone(std::string_view text, size_t from, Span* out);
bool FindUsSsn(std::string_view text, size_t from, Span* out);
bool FindCard(std::string_view text, size_t from, Span* out);
bool FindIban(std::string_view text, size_t from, Span* out);
bool FindIPv4(std::string_view text, size_t from, Span* out);
bool FindIPv6(std::string_view text, size_t from, Span* out);
bool FindSecret(std::string_view text, size_t from, Span* out);
bool FindAwsKey(std::string_view text, size_t from, Span* out);
bool FindGithubToken(std::string_view text, size_t from, Span* out);
bool FindGitlabToken(std::string_view text, size_t from, Span* out);
bool FindSlackToken(std::string_view text, size_t from, Span* out);
bool FindPrivateKey(std::string_view text, size_t from, Span* out);
bool FindJwt(std::string_view text, size_t from, Span* out);

// The scanners in the order of the std.pii `Kind` enum (WRIT_PII_EMAIL = 0, ...).
inline constexpr Scanner kScanners[] = {
    FindEmail,   FindPhone,      FindUsSsn,      FindCard,        FindIban,
    FindIPv4,    FindIPv6,       FindSecret,     FindAwsKey,      FindGithubToken,
    FindGitlabToken, FindSlackToken, FindPrivateKey, FindJwt,
};

// Whether the digits of `digits` (ASCII digits only) pass the Luhn check.
bool LuhnValid(std::string_view digits);

// Whether `iban` (compact: no spaces) has a known country, its length and checksum 1 mod 97.
bool IbanValid(std::string_view iban);

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_PII_SCAN_H_
