#include "stdlib/internal/ip.h"

#include "stdlib/internal/chars.h"

namespace writ::stdlib::internal {
namespace {

void StoreV4(uint32_t v, uint8_t* bytes) {
  bytes[0] = static_cast<uint8_t>(v >> 24);
  bytes[1] = static_cast<uint8_t>(v >> 16);
  bytes[2] = static_cast<uint8_t>(v >> 8);
  bytes[3] = static_cast<uint8_t>(v);
}

// One part of a loose IPv4 address; false on a bad digit or a value above 2^32 - 1.
bool ParseLoosePart(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  uint64_t base = 10;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
    if (i == s.size()) return false;
  } else if (s[0] == '0') {
    base = 8;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint64_t digit;
    if (base == 16 && IsHex(c)) {
      digit = static_cast<uint64_t>(HexValue(c));
    } else if (IsDigit(c) && static_cast<uint64_t>(c - '0') < base) {
      digit = c - '0';
    } else {
      return false;
    }
    v = v * base + digit;
    if (v > 0xFFFFFFFFu) return false;
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseIPv4Strict(std::string_view s, uint32_t* out) {
  uint32_t value = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    const size_t begin = i;
    uint32_t octet = 0;
    while (i < s.size() && IsDigit(s[i]) && i - begin < 3) octet = octet * 10 + (s[i++] - '0');
    const size_t len = i - begin;
    if (len == 0 || octet > 255 || (len > 1 && s[begin] == '0')) return false;
    value = value << 8 | octet;
  }
  if (i != s.size()) return false;
  *out = value;
  return true;
}

bool ParseIPv4Loose(std::string_view s, uint32_t* out) {
  uint64_t parts[4];
  int count = 0;
  size_t begin = 0;
  while (true) {
    const size_t dot = s.find('.', begin);
    if (count == 4) return false;
    if (!ParseLoosePart(s.substr(begin, dot == std::string_view::npos ? s.npos : dot - begin),
                        &parts[count++])) {
      return false;
    }
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  uint64_t value = 0;
  for (int i = 0; i < count - 1; ++i) {
    if (parts[i] > 255) return false;
    value |= parts[i] << (24 - 8 * i);
  }
  const int last_bits = 32 - 8 * (count - 1);
  if (last_bits < 32 && parts[count - 1] >= (uint64_t{1} << last_bits)) return false;
  value |= parts[count - 1];
  *out = static_cast<uint32_t>(value);
  return true;
}

bool ParseIPv6(std::string_view s, std::array<uint8_t, 16>* out) {
  uint16_t head[8];
  uint16_t tail[8];
  int heads = 0;
  int tails = 0;
  bool compressed = false;
  const size_t n = s.size();
  size_t i = 0;
  if (n < 2 || n > 45) return false;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    i = 2;
  }
  while (i < n) {
    size_t j = i;
    while (j < n && IsHex(s[j]) && j - i < 5) ++j;
    if (j < n && s[j] == '.') {
      uint32_t v4;
      if (heads + tails > 6 || !ParseIPv4Strict(s.substr(i), &v4)) return false;
      uint16_t* groups = compressed ? tail : head;
      int& count = compressed ? tails : heads;
      groups[count++] = static_cast<uint16_t>(v4 >> 16);
      groups[count++] = static_cast<uint16_t>(v4);
      i = n;
      break;
    }
    if (j == i || j - i > 4 || heads + tails == 8) return false;
    uint16_t group = 0;
    for (size_t k = i; k < j; ++k) group = static_cast<uint16_t>(group << 4 | HexValue(s[k]));
    if (compressed) {
      tail[tails++] = group;
    } else {
      head[heads++] = group;
    }
    i = j;
    if (i == n) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < n && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      continue;
    }
    if (i == n) return false;
  }
  const int total = heads + tails;
  if (compressed ? total > 7 : total != 8) return false;
  out->fill(0);
  for (int k = 0; k < heads; ++k) {
    (*out)[2 * k] = static_cast<uint8_t>(head[k] >> 8);
    (*out)[2 * k + 1] = static_cast<uint8_t>(head[k]);
  }
  for (int k = 0; k < tails; ++k) {
    const int at = 8 - tails + k;
    (*out)[2 * at] = static_cast<uint8_t>(tail[k] >> 8);
    (*out)[2 * at + 1] = static_cast<uint8_t>(tail[k]);
  }
  return true;
}

bool ParseHost(std::string_view s, IpAddress* out) {
  if (s.find(':') == std::string_view::npos) {
    uint32_t v4;
    if (!ParseIPv4Loose(s, &v4)) return false;
    *out = IpAddress{};
    StoreV4(v4, out->bytes.data());
    return true;
  }
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (const size_t zone = s.find('%'); zone != std::string_view::npos) {
    for (size_t i = zone + 1; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (!(IsAlnum(c) || c == '.' || c == '_' || c == '-')) return false;
    }
    if (zone + 1 == s.size()) return false;
    s = s.substr(0, zone);
  }
  *out = IpAddress{};
  out->v6 = true;
  return ParseIPv6(s, &out->bytes);
}

bool ParseCidr(std::string_view s, IpAddress* network, int* prefix_length) {
  std::string_view address = s;
  int length = -1;
  if (const size_t slash = s.find('/'); slash != std::string_view::npos) {
    address = s.substr(0, slash);
    const std::string_view digits = s.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    length = 0;
    for (char c : digits) {
      if (!IsDigit(c)) return false;
      length = length * 10 + (c - '0');
    }
  }
  *network = IpAddress{};
  uint32_t v4;
  if (ParseIPv4Strict(address, &v4)) {
    StoreV4(v4, network->bytes.data());
    if (length > 32) return false;
    *prefix_length = length < 0 ? 32 : length;
    return true;
  }
  network->v6 = true;
  if (!ParseIPv6(address, &network->bytes) || length > 128) return false;
  *prefix_length = length < 0 ? 128 : length;
  return true;
}

IpAddress ToV6(const IpAddress& address) {
  if (address.v6) return address;
  IpAddress mapped;
  mapped.v6 = true;
  mapped.bytes[10] = 0xFF;
  mapped.bytes[11] = 0xFF;
  for (int i = 0; i < 4; ++i) mapped.bytes[12 + i] = address.bytes[i];
  return mapped;
}

bool PrefixEquals(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b,
                  int prefix_length) {
  int i = 0;
  for (; prefix_length >= 8; prefix_length -= 8, ++i) {
    if (a[i] != b[i]) return false;
  }
  if (prefix_length == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xFF00 >> prefix_length);
  return (a[i] & mask) == (b[i] & mask);
}

}  // namespace writ::stdlib::internal
