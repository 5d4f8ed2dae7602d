// Literal decoding: strings, integers, money, durations and percentages, plus the UTF-8
// checks the parser runs before ANTLR sees the text.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/syntax/internal/lexical.h"
#include "compiler/syntax/parser.h"

namespace writ::syntax {
namespace internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Accumulates decimal digits (skipping `_` separators) from text[pos] on into `value`, with
// overflow detection. Stops at the first character that is neither; returns false on
// overflow. `digits` counts the digits read.
bool AccumulateDigits(std::string_view text, size_t& pos, int64_t& value, int& digits) {
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '_') continue;
    if (!IsDigit(c)) break;
    ++digits;
    if (__builtin_mul_overflow(value, int64_t{10}, &value)) return false;
    if (__builtin_add_overflow(value, int64_t{c - '0'}, &value)) return false;
  }
  return true;
}

// The number of bytes of the UTF-8 sequence that starts with `lead` (1 for a stray byte).
size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

bool IsInvisible(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x2064) || c == 0x3000 || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB);
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The second byte's range rules out overlong forms (E0, F0), surrogates (ED) and code
    // points above U+10FFFF (F4); C0, C1 and F5..FF never start a sequence.
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c == 0xE0) {
      length = 3;
      low = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      length = 3;
    } else if (c == 0xED) {
      length = 3;
      high = 0x9F;
    } else if (c == 0xF0) {
      length = 4;
      low = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      length = 4;
    } else if (c == 0xF4) {
      length = 4;
      high = 0x8F;
    } else {
      return i;
    }
    if (n - i < length) return i;
    unsigned char second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return i;
    for (size_t k = 2; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return kValidUtf8;
}

void DecodeUtf8(std::string_view text, uint32_t base, std::u32string& code_points,
                std::vector<uint32_t>& byte_offsets) {
  code_points.reserve(code_points.size() + text.size());
  byte_offsets.reserve(byte_offsets.size() + text.size() + 1);
  size_t i = 0;
  while (i < text.size()) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length = std::min(SequenceLength(lead), text.size() - i);
    char32_t c = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) {
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    code_points.push_back(c);
    byte_offsets.push_back(base + static_cast<uint32_t>(i));
    i += length;
  }
  byte_offsets.push_back(base + static_cast<uint32_t>(text.size()));
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::optional<int64_t> ParseInt(std::string_view text) {
  size_t pos = 0;
  int64_t value = 0;
  int digits = 0;
  if (!AccumulateDigits(text, pos, value, digits) || digits == 0 || pos != text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> ParseDuration(std::string_view text) {
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int64_t amount = 0;
    int digits = 0;
    if (!AccumulateDigits(text, pos, amount, digits) || digits == 0 || pos == text.size()) {
      return std::nullopt;
    }
    int64_t scale = 0;
    char unit = text[pos++];
    if (unit == 'm' && pos < text.size() && text[pos] == 's') {
      ++pos;
      scale = 1;
    } else if (unit == 's') {
      scale = 1000;
    } else if (unit == 'm') {
      scale = 60 * 1000;
    } else if (unit == 'h') {
      scale = 60 * 60 * 1000;
    } else if (unit == 'd') {
      scale = 24 * 60 * 60 * 1000;
    } else {
      return std::nullopt;
    }
    if (__builtin_mul_overflow(amount, scale, &amount)) return std::nullopt;
    if (__builtin_add_overflow(total, amount, &total)) return std::nullopt;
  }
  return total;
}

std::optional<MoneyValue> ParseMoney(std::string_view text) {
  size_t pos = 0;
  int64_t whole = 0;
  int digits = 0;
  if (!AccumulateDigits(text, pos, whole, digits) || digits == 0) return std::nullopt;
  int64_t units = 0;
  if (__builtin_mul_overflow(whole, MoneyValue::kScale, &units)) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t fraction = 0;
    int places = 0;
    // A fifth place is refused even when it is zero: "12.50000 USD" claims a precision the
    // type does not have, and silently dropping digits would hide a typo.
    if (!AccumulateDigits(text, pos, fraction, places) || places == 0 || places > 4) {
      return std::nullopt;
    }
    for (int i = places; i < 4; ++i) fraction *= 10;
    if (__builtin_add_overflow(units, fraction, &units)) return std::nullopt;
  }
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (text.size() - pos != 3) return std::nullopt;
  MoneyValue value;
  value.units = units;
  value.currency = std::string(text.substr(pos));
  return value;
}

std::string CanonicalMoneyText(std::string_view text) {
  size_t blank = text.find_first_of(" \t");
  if (blank == std::string_view::npos) return std::string(text);
  size_t currency = text.find_first_not_of(" \t", blank);
  if (currency == std::string_view::npos) return std::string(text.substr(0, blank));
  return fmt::format("{} {}", text.substr(0, blank), text.substr(currency));
}

std::optional<int64_t> ParsePercent(std::string_view text) {
  if (text.empty() || text.back() != '%') return std::nullopt;
  return ParseInt(text.substr(0, text.size() - 1));
}

std::string DescribeCharacter(char32_t c) {
  if (c == '`') return "`` ` ``";
  if (IsInvisible(c) || c > 0x10FFFF) return fmt::format("`U+{:04X}`", static_cast<uint32_t>(c));
  std::string text;
  AppendUtf8(c, text);
  if (c < 0x80) return fmt::format("`{}`", text);
  return fmt::format("`{}` (U+{:04X})", text, static_cast<uint32_t>(c));
}

bool DecodeStringAt(std::string_view body, std::string& out, std::string& bad_escape,
                    size_t& bad_offset) {
  out.clear();
  out.reserve(body.size());
  size_t i = 0;
  while (i < body.size()) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t start = i++;
    bad_offset = start;
    if (i == body.size()) {
      bad_escape.assign(1, '\\');  // (assigning "\\" trips a GCC 12 -Wrestrict false positive)
      return false;
    }
    char e = body[i++];
    switch (e) {
      case '"': out.push_back('"'); continue;
      case '\\': out.push_back('\\'); continue;
      case 'n': out.push_back('\n'); continue;
      case 'r': out.push_back('\r'); continue;
      case 't': out.push_back('\t'); continue;
      case '0': out.push_back('\0'); continue;
      case 'u': break;
      default: {
        // Show the whole character after the backslash, even if it is not ASCII.
        size_t length = SequenceLength(static_cast<unsigned char>(e));
        bad_escape = std::string(body.substr(start, 1 + std::min(length, body.size() - start - 1)));
        return false;
      }
    }
    // \u{X...}: one to six hex digits naming a Unicode scalar value.
    size_t end = i;
    bool well_formed = end < body.size() && body[end] == '{';
    uint32_t value = 0;
    int digits = 0;
    if (well_formed) {
      ++end;
      while (end < body.size() && IsHexDigit(body[end]) && digits <= 6) {
        value = value * 16 + HexValue(body[end]);
        ++digits;
        ++end;
      }
      well_formed = digits >= 1 && digits <= 6 && end < body.size() && body[end] == '}';
      if (well_formed) ++end;
    }
    if (!well_formed || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      bad_escape = std::string(body.substr(start, end - start));
      return false;
    }
    AppendUtf8(value, out);
    i = end;
  }
  return true;
}

}  // namespace internal

bool DecodeString(std::string_view body, std::string& out, std::string& bad_escape) {
  size_t bad_offset = 0;
  return internal::DecodeStringAt(body, out, bad_escape, bad_offset);
}

std::string QuoteString(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += fmt::format("\\u{{{:x}}}", static_cast<unsigned>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace writ::syntax
