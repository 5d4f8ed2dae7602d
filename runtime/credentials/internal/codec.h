// Text forms the broker reads and writes (docs/credentials.md): unpadded base64url for tokens,
// hex for keys and lease ids, all through libsodium. The decoders are strict: a decoded string
// must re-encode to the input, so each byte string has exactly one spelling and a changed
// character can never decode to the same bytes.
#ifndef WRIT_RUNTIME_CREDENTIALS_INTERNAL_CODEC_H_
#define WRIT_RUNTIME_CREDENTIALS_INTERNAL_CODEC_H_

#include <optional>
#include <string>
#include <string_view>

namespace writ::runtime::credentials::internal {

// RFC 4648 section 5 (URL-safe alphabet) without padding.
std::string Base64UrlEncode(std::string_view bytes);

// The strict inverse: nullopt for a character outside the alphabet, padding, whitespace, a
// length that is 1 mod 4, or unused low bits that are not zero.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Lower-case hex.
std::string HexEncode(std::string_view bytes);

// Hex of either case, an even number of digits and nothing else; nullopt otherwise.
std::optional<std::string> HexDecode(std::string_view text);

// Well-formed UTF-8: no overlong forms, surrogates or code points past U+10FFFF. Claims are
// checked with it so that a verified lease can always be printed as JSON.
bool IsValidUtf8(std::string_view text);

// Overwrites the string's bytes with zeros (sodium_memzero), then empties it.
void Wipe(std::string& bytes);

}  // namespace writ::runtime::credentials::internal

#endif  // WRIT_RUNTIME_CREDENTIALS_INTERNAL_CODEC_H_
