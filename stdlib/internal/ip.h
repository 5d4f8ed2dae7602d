// Text forms of IP addresses, shared by the ipv4/ipv6 detectors of std.pii (strict forms, as
// they appear in text) and std.net (also the looser forms that resolvers accept).
#ifndef WRIT_STDLIB_INTERNAL_IP_H_
#define WRIT_STDLIB_INTERNAL_IP_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace writ::stdlib::internal {

// An address of either family; IPv4 addresses use bytes[0..3].
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes = {};
};

// A dotted quad of decimal octets 0-255 without leading zeros ("10.0.0.1"). False otherwise.
bool ParseIPv4Strict(std::string_view s, uint32_t* out);

// The numeric IPv4 forms of inet_aton: one to four parts, each decimal, octal (leading 0) or
// hexadecimal (0x), the last filling the remaining bytes ("127.1", "0x7f000001").
bool ParseIPv4Loose(std::string_view s, uint32_t* out);

// RFC 4291 text: eight groups of 1-4 hex digits, at most one "::", optionally ending in a
// strict dotted quad. No brackets, no zone.
bool ParseIPv6(std::string_view s, std::array<uint8_t, 16>* out);

// A numeric host as a resolver reads it: a loose IPv4 form, or an IPv6 address optionally in
// brackets and with a zone ("%eth0", ignored).
bool ParseHost(std::string_view s, IpAddress* out);

// A network: a strict address and "/" prefix length, or a bare strict address (full length).
bool ParseCidr(std::string_view s, IpAddress* network, int* prefix_length);

// The address as IPv6: IPv4 addresses become IPv4-mapped (::ffff:a.b.c.d).
IpAddress ToV6(const IpAddress& address);

// Whether the first `prefix_length` bits of the two 16-byte values agree.
bool PrefixEquals(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                  int prefix_length);

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_IP_H_
