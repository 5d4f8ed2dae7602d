// std.net: membership of an address in a network, and private or local addresses.
#include <array>
#include <cstdint>
#include <string_view>

#include "stdlib/internal/ip.h"
#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

using internal::IpAddress;

struct Net {
  std::array<uint8_t, 16> prefix;
  int length;
};

// The private and local networks, as IPv6 prefixes (IPv4 ones in their mapped form).
constexpr uint8_t kFF = 0xFF;
constexpr Net kPrivateV4[] = {
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 10}, 96 + 8},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 172, 16}, 96 + 12},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 192, 168}, 96 + 16},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 127}, 96 + 8},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 169, 254}, 96 + 16},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, kFF, kFF, 0}, 96 + 8},
};
constexpr Net kPrivateV6[] = {
    {{}, 128},                                               // ::
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128},  // ::1
    {{0xFE, 0x80}, 10},                                      // link-local
    {{0xFE, 0xC0}, 10},                                      // site-local (deprecated)
    {{0xFC}, 7},                                             // unique local
};

bool IsPrivate(const IpAddress& address) {
  const IpAddress v6 = internal::ToV6(address);
  for (const Net& net : kPrivateV6) {
    if (internal::PrefixEquals(v6.bytes, net.prefix, net.length)) return true;
  }
  // IPv4 inside IPv6: mapped (::ffff:0:0/96), compatible (::/96) and NAT64 (64:ff9b::/96)
  // addresses reach the embedded IPv4 address, so they are private when it is.
  IpAddress embedded = v6;
  static constexpr std::array<uint8_t, 16> kNat64 = {0x00, 0x64, 0xFF, 0x9B};
  static constexpr std::array<uint8_t, 16> kZero = {};
  if (internal::PrefixEquals(v6.bytes, kZero, 96) || internal::PrefixEquals(v6.bytes, kNat64, 96)) {
    for (int i = 0; i < 12; ++i) embedded.bytes[i] = 0;
    embedded.bytes[10] = embedded.bytes[11] = 0xFF;
  }
  for (const Net& net : kPrivateV4) {
    if (internal::PrefixEquals(embedded.bytes, net.prefix, net.length)) return true;
  }
  return false;
}

}  // namespace
}  // namespace writ::stdlib

extern "C" {

bool writ_net_in_cidr(const char* address, size_t size, const char* cidr,
                      size_t cidr_size) noexcept {
  using writ::stdlib::internal::IpAddress;
  IpAddress host;
  IpAddress network;
  int length;
  if (!writ::stdlib::internal::ParseHost(std::string_view(size ? address : "", size), &host) ||
      !writ::stdlib::internal::ParseCidr(std::string_view(cidr_size ? cidr : "", cidr_size),
                                         &network, &length)) {
    return false;
  }
  if (!host.v6 && !network.v6) {
    return writ::stdlib::internal::PrefixEquals(host.bytes, network.bytes, length);
  }
  if (!network.v6) length += 96;
  return writ::stdlib::internal::PrefixEquals(writ::stdlib::internal::ToV6(host).bytes,
                                              writ::stdlib::internal::ToV6(network).bytes,
                                              length);
}

bool writ_net_is_private(const char* address, size_t size) noexcept {
  writ::stdlib::internal::IpAddress host;
  return writ::stdlib::internal::ParseHost(std::string_view(size ? address : "", size), &host) &&
         writ::stdlib::IsPrivate(host);
}

}  // extern "C"
