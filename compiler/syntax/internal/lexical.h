// Decoding of the language's literals and of UTF-8 source text. Private to the syntax layer;
// everything here is pure (no ANTLR, no diagnostics) so it can be tested in isolation.
#ifndef WRIT_COMPILER_SYNTAX_INTERNAL_LEXICAL_H_
#define WRIT_COMPILER_SYNTAX_INTERNAL_LEXICAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.h"

namespace writ::syntax::internal {

inline constexpr size_t kValidUtf8 = static_cast<size_t>(-1);

// Offset of the first byte of the first ill-formed UTF-8 sequence in `text` (overlong forms,
// surrogates, code points above U+10FFFF and truncated sequences are ill-formed), or
// kValidUtf8 if the whole text is well-formed.
size_t FindInvalidUtf8(std::string_view text);

// Decodes well-formed UTF-8 (check with FindInvalidUtf8 first) into code points. Appends to
// `byte_offsets` the offset, plus `base`, of each code point and finally of the end, so that
// code point i spans [byte_offsets[i], byte_offsets[i + 1]).
void DecodeUtf8(std::string_view text, uint32_t base, std::u32string& code_points,
                std::vector<uint32_t>& byte_offsets);

// Appends the UTF-8 encoding of a code point (which must be a valid scalar value).
void AppendUtf8(char32_t code_point, std::string& out);

// An INT token (digits with single `_` separators); nullopt if it does not fit in int64_t.
std::optional<int64_t> ParseInt(std::string_view text);

// DecodeString that also reports where the bad escape starts, as a byte offset into `body`.
bool DecodeStringAt(std::string_view body, std::string& out, std::string& bad_escape,
                    size_t& bad_offset);

// A DURATION token such as "1h30m" or "100ms" in milliseconds; nullopt on overflow.
std::optional<int64_t> ParseDuration(std::string_view text);

// A MONEY token such as "12.50 USD" (amount, blanks, currency); nullopt if the amount has
// more than four decimal places or does not fit in MoneyValue::units.
std::optional<MoneyValue> ParseMoney(std::string_view text);

// A MONEY token with its blanks normalized to one space: "12.50\t USD" -> "12.50 USD".
std::string CanonicalMoneyText(std::string_view text);

// A PERCENT token such as "80%"; nullopt on overflow (range is the caller's concern).
std::optional<int64_t> ParsePercent(std::string_view text);

// How a diagnostic shows a character that the lexer rejected: "`@`" for a printable one,
// "`“` (U+201C)" beyond ASCII, "`U+0000`" for control and invisible characters.
std::string DescribeCharacter(char32_t code_point);

}  // namespace writ::syntax::internal

#endif  // WRIT_COMPILER_SYNTAX_INTERNAL_LEXICAL_H_
