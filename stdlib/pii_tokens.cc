// Detectors of credentials with a recognizable shape: AWS access key ids, GitHub, GitLab and
// Slack tokens, PEM private key blocks and JSON Web Tokens.
#include <cstring>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/pii_scan.h"

namespace writ::stdlib::internal {
namespace {

constexpr size_t kMaxToken = 255;

// The next occurrence of `needle` at or after `from`, or npos.
size_t Search(std::string_view text, size_t from, std::string_view needle) {
  if (from >= text.size() || text.size() - from < needle.size()) return std::string_view::npos;
  const void* hit = memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos : static_cast<const char*>(hit) - text.data();
}

template <typename Pred>
size_t RunEnd(std::string_view text, size_t i, Pred pred, size_t max) {
  size_t j = i;
  while (j < text.size() && j - i <= max && pred(static_cast<unsigned char>(text[j]))) ++j;
  return j;
}

bool IsUpperAlnum(unsigned char c) { return IsUpper(c) || IsDigit(c); }
bool IsTokenChar(unsigned char c) { return IsAlnum(c) || c == '_' || c == '-'; }
bool IsWordChar(unsigned char c) { return IsWord(c); }

// A token at `i` after `prefix`: a body of `min`-kMaxToken characters of `pred`, not preceded
// or followed by more of a token.
template <typename Pred>
bool TokenAt(std::string_view text, size_t i, std::string_view prefix, Pred pred, size_t min,
             Span* out) {
  if (text.compare(i, prefix.size(), prefix) != 0 || IsTokenChar(Before(text, i))) return false;
  const size_t body = i + prefix.size();
  const size_t end = RunEnd(text, body, pred, kMaxToken);
  if (end - body < min || end - body > kMaxToken || IsTokenChar(At(text, end))) return false;
  *out = {i, end};
  return true;
}

// ---- JSON Web Tokens ---------------------------------------------------------------------

int Base64UrlValue(unsigned char c) {
  if (IsUpper(c)) return c - 'A';
  if (IsLower(c)) return c - 'a' + 26;
  if (IsDigit(c)) return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Decodes unpadded base64url into `out` (capacity at least 3 * in.size() / 4); returns the
// length, or -1 for an impossible length.
int DecodeBase64Url(std::string_view in, unsigned char* out) {
  if (in.size() % 4 == 1) return -1;
  int n = 0;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = buffer << 6 | static_cast<unsigned>(Base64UrlValue(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<unsigned char>(buffer >> bits);
    }
  }
  return n;
}

constexpr size_t kMaxJwtHeader = 1024;

// A JOSE header: a JSON object with an "alg" member.
bool JoseHeader(std::string_view encoded) {
  unsigned char json[kMaxJwtHeader];
  if (encoded.size() > kMaxJwtHeader) return false;
  const int n = DecodeBase64Url(encoded, json);
  if (n < 2) return false;
  const std::string_view s(reinterpret_cast<const char*>(json), n);
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (At(s, i) != '{') return false;
  for (size_t at = s.find("\"alg\""); at != std::string_view::npos;
       at = s.find("\"alg\"", at + 1)) {
    size_t k = at + 5;
    while (k < s.size() && IsSpace(s[k])) ++k;
    if (At(s, k) == ':') return true;
  }
  return false;
}

// A claims set starts as a JSON object; its first bytes are enough to tell.
bool JsonObjectStart(std::string_view encoded) {
  unsigned char json[6];
  const int n = DecodeBase64Url(encoded.substr(0, 8), json);
  for (int i = 0; i < n; ++i) {
    if (json[i] == '{') return true;
    if (!IsSpace(json[i])) return false;
  }
  return false;
}

bool MatchJwtAt(std::string_view text, size_t i, Span* out) {
  const unsigned char p = Before(text, i);
  if (IsBase64Url(p) || p == '.') return false;
  const size_t header_end = RunEnd(text, i, IsBase64Url, text.size());
  if (At(text, header_end) != '.') return false;
  const size_t payload_end = RunEnd(text, header_end + 1, IsBase64Url, text.size());
  if (payload_end - header_end - 1 < 2 || At(text, payload_end) != '.') return false;
  const size_t end = RunEnd(text, payload_end + 1, IsBase64Url, text.size());
  if (At(text, end) == '.' && IsBase64Url(At(text, end + 1))) return false;  // not three parts
  if (!JoseHeader(text.substr(i, header_end - i)) ||
      !JsonObjectStart(text.substr(header_end + 1, payload_end - header_end - 1))) {
    return false;
  }
  *out = {i, end};
  return true;
}

// ---- PEM private keys --------------------------------------------------------------------

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr size_t kMaxLabel = 48;

bool IsLabelChar(unsigned char c) { return IsUpper(c) || IsDigit(c) || c == ' '; }

// Between the armor lines: base64, line breaks (also JSON-escaped ones), and the RFC 1421
// headers of encrypted keys ("Proc-Type: 4,ENCRYPTED").
bool IsPemBodyChar(unsigned char c) {
  return IsAlnum(c) || IsSpace(c) || c == '+' || c == '/' || c == '=' || c == '\\' ||
         c == ':' || c == ',' || c == '-';
}

// The label of an armor line whose label starts at `i`, up to the closing dashes; empty if
// there is none.
std::string_view ArmorLabel(std::string_view text, size_t i) {
  const size_t end = RunEnd(text, i, IsLabelChar, kMaxLabel);
  if (end - i > kMaxLabel || text.compare(end, kDashes.size(), kDashes) != 0) return {};
  return text.substr(i, end - i);
}

bool PrivateKeyLabel(std::string_view label) {
  auto ends_with = [&](std::string_view suffix) {
    return label.size() >= suffix.size() &&
           label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("PRIVATE KEY") || ends_with("PRIVATE KEY BLOCK");
}

// The block from BEGIN to its END line. A block cut short (no END line) still leaks the key,
// so it ends where the armored body ends.
bool MatchPrivateKeyAt(std::string_view text, size_t i, Span* out) {
  const std::string_view label = ArmorLabel(text, i + kBegin.size());
  if (!PrivateKeyLabel(label)) return false;
  size_t j = i + kBegin.size() + label.size() + kDashes.size();
  while (j < text.size()) {
    if (text.compare(j, kDashes.size(), kDashes) == 0) {
      if (text.compare(j, kEnd.size(), kEnd) == 0 &&
          ArmorLabel(text, j + kEnd.size()) == label) {
        *out = {i, j + kEnd.size() + label.size() + kDashes.size()};
        return true;
      }
      break;
    }
    if (!IsPemBodyChar(text[j])) break;
    ++j;
  }
  while (j > i && IsSpace(text[j - 1])) --j;
  *out = {i, j};
  return true;
}

}  // namespace

bool FindAwsKey(std::string_view text, size_t from, Span* out) {
  for (size_t i = from; i + 20 <= text.size(); ++i) {
    const void* hit = std::memchr(text.data() + i, 'A', text.size() - i);
    if (hit == nullptr) return false;
    i = static_cast<const char*>(hit) - text.data();
    if (i + 20 > text.size()) return false;
    if (text.compare(i, 4, "AKIA") != 0 && text.compare(i, 4, "ASIA") != 0) continue;
    if (IsAlnum(Before(text, i))) continue;
    const size_t end = RunEnd(text, i + 4, IsUpperAlnum, 16);
    if (end - i == 20 && !IsAlnum(At(text, end))) {
      *out = {i, end};
      return true;
    }
  }
  return false;
}

bool FindGithubToken(std::string_view text, size_t from, Span* out) {
  for (size_t i = Search(text, from, "g"); i != std::string_view::npos;
       i = Search(text, i + 1, "g")) {
    if (At(text, i + 1) != 'h' && At(text, i + 1) != 'i') continue;
    for (std::string_view prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
      if (TokenAt(text, i, prefix, IsAlnum, 36, out)) return true;
    }
    if (TokenAt(text, i, "github_pat_", IsWordChar, 22, out)) return true;
  }
  return false;
}

bool FindGitlabToken(std::string_view text, size_t from, Span* out) {
  for (size_t i = Search(text, from, "gl"); i != std::string_view::npos;
       i = Search(text, i + 1, "gl")) {
    for (std::string_view prefix : {"glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-",
                                    "glcbt-", "gloas-", "glimt-", "glagent-"}) {
      if (TokenAt(text, i, prefix, IsTokenChar, 20, out)) return true;
    }
  }
  return false;
}

bool FindSlackToken(std::string_view text, size_t from, Span* out) {
  for (size_t i = Search(text, from, "x"); i != std::string_view::npos;
       i = Search(text, i + 1, "x")) {
    if (IsAlnum(Before(text, i))) continue;
    const bool xox = text.compare(i, 3, "xox") == 0 && At(text, i + 4) == '-' &&
                     std::strchr("abprse", At(text, i + 3)) != nullptr && At(text, i + 3) != 0;
    const bool xapp = text.compare(i, 5, "xapp-") == 0;
    if (!xox && !xapp) continue;
    const size_t body = i + 5;
    const size_t end = RunEnd(text, body, [](unsigned char c) { return IsAlnum(c) || c == '-'; },
                              kMaxToken);
    if (end - body < 10 || end - body > kMaxToken || IsWord(At(text, end))) continue;
    bool digit = false;
    for (size_t k = body; k < end; ++k) digit = digit || IsDigit(text[k]);
    if (!digit) continue;
    *out = {i, end};
    return true;
  }
  return false;
}

bool FindPrivateKey(std::string_view text, size_t from, Span* out) {
  for (size_t i = Search(text, from, kBegin); i != std::string_view::npos;
       i = Search(text, i + 1, kBegin)) {
    if (MatchPrivateKeyAt(text, i, out)) return true;
  }
  return false;
}

bool FindJwt(std::string_view text, size_t from, Span* out) {
  for (size_t i = Search(text, from, "eyJ"); i != std::string_view::npos;
       i = Search(text, i + 3, "eyJ")) {
    if (MatchJwtAt(text, i, out)) return true;
  }
  return false;
}

}  // namespace writ::stdlib::internal
