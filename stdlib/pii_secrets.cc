// The `secret` detector: a high-entropy value assigned to a key-like name, as in
// `password = "..."`, `"apiKey": "..."`, `AWS_SECRET_ACCESS_KEY=...` or
// `Authorization: Bearer ...`. The finding is the value, so redaction keeps the name.
#include <cmath>
#include <initializer_list>
#include <string_view>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/pii_scan.h"

namespace writ::stdlib::internal {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxValue = 512;
constexpr size_t kMaxBlanks = 8;
// A value starts at most this far after its separator (blanks, a quote, "Bearer ").
constexpr size_t kMaxLead = 1 + kMaxBlanks + 1 + 7;

bool IsNameChar(unsigned char c) { return IsAlnum(c) || c == '_' || c == '.' || c == '-'; }

bool IsValueChar(unsigned char c) {
  return IsAlnum(c) || c == '+' || c == '/' || c == '_' || c == '-' || c == '.' || c == '~' ||
         c == '!' || c == '@' || c == '#' || c == '$' || c == '%' || c == '^' || c == '*' ||
         c == '?';
}

enum class NameKind { kNone, kPassword, kKey };

// Whether a name is key-like: a password, a secret, a token, a key, a credential. One pass
// over the name, comparing only where a word could start.
NameKind ClassifyName(std::string_view name) {
  char lower[kMaxName];
  bool letter = false;
  for (size_t i = 0; i < name.size(); ++i) {
    lower[i] = static_cast<char>(ToLower(name[i]));
    letter = letter || IsLower(lower[i]);
  }
  if (!letter) return NameKind::kNone;
  const std::string_view l(lower, name.size());
  NameKind kind = NameKind::kNone;
  auto any_at = [&](size_t i, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (l.compare(i, w.size(), w) == 0) return true;
    }
    return false;
  };
  for (size_t i = 0; i < l.size(); ++i) {
    switch (l[i]) {
      case 'p':
        if (any_at(i, {"password", "passwd", "passphrase", "passcode"})) return NameKind::kPassword;
        if (any_at(i, {"privatekey", "private_key"})) kind = NameKind::kKey;
        break;
      case 's':
        if (any_at(i, {"secret", "signingkey", "signing_key"})) kind = NameKind::kKey;
        break;
      case 't':
        if (any_at(i, {"token"})) kind = NameKind::kKey;
        break;
      case 'a':
        if (any_at(i, {"apikey", "api_key", "api-key", "accesskey", "access_key",
                       "authorization"})) {
          kind = NameKind::kKey;
        }
        break;
      case 'c':
        if (any_at(i, {"credential"})) kind = NameKind::kKey;
        break;
      default:
        break;
    }
  }
  if (kind != NameKind::kNone) return kind;
  // Short words count only as whole segments of the name (snake, kebab or camel case), so
  // that `keyboard`, `compass` or `author` are not key-like.
  size_t begin = 0;
  for (size_t i = 1; i <= name.size(); ++i) {
    const bool boundary = i == name.size() || !IsAlnum(name[i]) ||
                          (IsUpper(name[i]) && IsLower(name[i - 1]));
    if (!boundary) continue;
    std::string_view segment = l.substr(begin, i - begin);
    while (!segment.empty() && !IsAlnum(segment.front())) segment.remove_prefix(1);
    if (segment == "pass" || segment == "pwd" || segment == "pw") return NameKind::kPassword;
    if (segment == "key" || segment == "auth") kind = NameKind::kKey;
    begin = i;
  }
  return kind;
}

double Entropy(std::string_view value) {
  unsigned counts[256] = {};
  for (unsigned char c : value) ++counts[c];
  double h = 0;
  const double n = static_cast<double>(value.size());
  for (unsigned count : counts) {
    if (count == 0) continue;
    const double p = count / n;
    h -= p * std::log2(p);
  }
  return h;
}

// A lower-case identifier made of words: "strong_password_v2", "user-profile.cache".
bool IdentifierLike(std::string_view value) {
  int segments = 0;
  int words = 0;
  size_t begin = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    const unsigned char c = At(value, i);
    if (i < value.size() && IsUpper(c)) return false;
    if (i < value.size() && c != '_' && c != '-' && c != '.') continue;
    const std::string_view segment = value.substr(begin, i - begin);
    ++segments;
    bool letters = segment.size() >= 3;
    for (char s : segment) letters = letters && IsLower(s);
    words += letters;
    begin = i + 1;
  }
  return segments >= 2 && 2 * words >= segments;
}

bool Placeholder(std::string_view value) {
  const unsigned char first = static_cast<unsigned char>(value[0]);
  if (first == '$' || first == '%' || first == '/' || first == '.' || first == '~') return true;
  for (std::string_view word : {"example", "changeme", "change_me", "change-me", "placeholder",
                                "redacted", "dummy", "sample", "your", "xxxx", "****", "...."}) {
    for (size_t i = 0; i + word.size() <= value.size(); ++i) {
      if (EqualsLowerAt(value, i, word)) return true;
    }
  }
  return false;
}

bool SecretValue(std::string_view value, NameKind kind) {
  if (value.size() < 8 || value.size() > kMaxValue || Placeholder(value) ||
      IdentifierLike(value)) {
    return false;
  }
  bool lower = false, upper = false, digit = false, symbol = false;
  for (unsigned char c : value) {
    lower = lower || IsLower(c);
    upper = upper || IsUpper(c);
    digit = digit || IsDigit(c);
    symbol = symbol || !IsAlnum(c);
  }
  const int classes = lower + upper + digit + symbol;
  if (kind == NameKind::kPassword) {
    return classes >= 3 || (classes == 2 && value.size() >= 12 && Entropy(value) >= 3.0);
  }
  // Generated keys mix digits and letters; a long enough mixed-case value without digits
  // counts too.
  const bool mixed = digit ? (lower || upper) : (lower && upper && value.size() >= 20);
  return value.size() >= 16 && mixed && Entropy(value) >= 3.0;
}

// The name that ends just before the separator at `sep`; empty if none.
std::string_view NameBefore(std::string_view text, size_t sep) {
  size_t end = sep;
  for (size_t blanks = 0; end > 0 && blanks < kMaxBlanks && (text[end - 1] == ' ' ||
                                                            text[end - 1] == '\t'); ++blanks) {
    --end;
  }
  if (end > 0 && (text[end - 1] == '"' || text[end - 1] == '\'')) --end;
  size_t begin = end;
  while (begin > 0 && end - begin <= kMaxName && IsNameChar(text[begin - 1])) --begin;
  if (end - begin > kMaxName) return {};
  return text.substr(begin, end - begin);
}

// The value after the separator that ends at `after`: quoted (to the closing quote on the
// same line) or bare (to the first character that cannot be in a value; a trailing '=' run is
// base64 padding). Returns false if there is none.
bool ValueAfter(std::string_view text, size_t after, Span* value) {
  size_t i = after;
  for (size_t blanks = 0; blanks < kMaxBlanks && (At(text, i) == ' ' || At(text, i) == '\t');
       ++blanks) {
    ++i;
  }
  const unsigned char quote = At(text, i);
  const bool quoted = quote == '"' || quote == '\'' || quote == '`';
  if (quoted) ++i;
  for (std::string_view scheme : {"bearer ", "basic ", "token "}) {
    if (EqualsLowerAt(text, i, scheme)) {
      i += scheme.size();
      break;
    }
  }
  const size_t begin = i;
  if (quoted) {
    while (i < text.size() && i - begin <= kMaxValue && text[i] != static_cast<char>(quote) &&
           text[i] != '\n' && text[i] != ' ') {
      ++i;
    }
    if (At(text, i) != quote) return false;
  } else {
    while (i < text.size() && i - begin <= kMaxValue && IsValueChar(text[i])) ++i;
    size_t pad = i;
    while (At(text, pad) == '=' && pad - i < 2) ++pad;
    const unsigned char after_pad = At(text, pad);
    if (pad > i && !IsValueChar(after_pad) && after_pad != '=') i = pad;
  }
  if (i == begin || i - begin > kMaxValue) return false;
  *value = {begin, i};
  return true;
}

}  // namespace

bool FindSecret(std::string_view text, size_t from, Span* out) {
  size_t i = from > kMaxLead ? from - kMaxLead : 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '=' && c != ':') continue;
    size_t after = i + 1;
    if (c == ':' && At(text, after) == ':') {  // a C++ or Rust path, not an assignment
      ++i;
      continue;
    }
    if (At(text, after) == '=' || (c == '=' && At(text, after) == '>')) ++after;
    if (Before(text, i) == '!' || Before(text, i) == '<' || Before(text, i) == '>') continue;
    const std::string_view name = NameBefore(text, i);
    if (name.empty()) continue;
    const NameKind kind = ClassifyName(name);
    if (kind == NameKind::kNone) continue;
    Span value;
    if (!ValueAfter(text, after, &value) || value.begin < from) continue;
    if (SecretValue(text.substr(value.begin, value.end - value.begin), kind)) {
      *out = value;
      return true;
    }
  }
  return false;
}

}  // namespace writ::stdlib::internal
