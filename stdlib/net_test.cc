// std.net: CIDR membership and private addresses, including the spellings resolvers accept.
#include <gtest/gtest.h>

#include <string_view>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

struct CidrCase {
  std::string_view address;
  std::string_view cidr;
  bool in;
};

std::ostream& operator<<(std::ostream& os, const CidrCase& c) {
  return os << c.address << " in " << c.cidr;
}

class CidrTest : public testing::TestWithParam<CidrCase> {};

TEST_P(CidrTest, Membership) {
  const CidrCase& c = GetParam();
  EXPECT_EQ(writ_net_in_cidr(c.address.data(), c.address.size(), c.cidr.data(), c.cidr.size()),
            c.in);
}

INSTANTIATE_TEST_SUITE_P(
    Net, CidrTest,
    testing::Values(
        CidrCase{"10.1.2.3", "10.0.0.0/8", true}, CidrCase{"11.1.2.3", "10.0.0.0/8", false},
        CidrCase{"100.64.0.1", "100.64.0.0/10", true},
        CidrCase{"100.128.0.1", "100.64.0.0/10", false},
        CidrCase{"192.168.1.77", "192.168.1.0/24", true},
        CidrCase{"192.168.2.77", "192.168.1.0/24", false},
        CidrCase{"1.2.3.4", "0.0.0.0/0", true}, CidrCase{"1.2.3.4", "1.2.3.4", true},
        CidrCase{"1.2.3.5", "1.2.3.4/32", false}, CidrCase{"10.9.9.9", "10.1.2.3/8", true},
        CidrCase{"2001:db8::1", "2001:db8::/32", true},
        CidrCase{"2001:db9::1", "2001:db8::/32", false},
        CidrCase{"[2001:db8::1]", "2001:db8::/32", true},
        CidrCase{"fe80::1%eth0", "fe80::/10", true},
        CidrCase{"::ffff:10.0.0.1", "10.0.0.0/8", true},
        CidrCase{"10.0.0.1", "::ffff:10.0.0.0/104", true},
        CidrCase{"10.0.0.1", "2001:db8::/32", false},
        CidrCase{"127.1", "127.0.0.0/8", true},          // inet_aton forms
        CidrCase{"0x7f.0.0.1", "127.0.0.0/8", true},
        CidrCase{"2130706433", "127.0.0.0/8", true},
        CidrCase{"017700000001", "127.0.0.0/8", true},
        CidrCase{"10.0.0.1", "10.0.0.0/33", false},      // malformed inputs are false
        CidrCase{"10.0.0.1", "10.0.0.0/", false}, CidrCase{"10.0.0.1", "10.0.0/8", false},
        CidrCase{"10.0.0.1", "10.0.0.0/-1", false},
        CidrCase{"2001:db8::1", "2001:db8::/129", false},
        CidrCase{"", "10.0.0.0/8", false}, CidrCase{"10.0.0.1", "", false},
        CidrCase{"10.0.0.256", "10.0.0.0/8", false}, CidrCase{"10.0.0.1 ", "10.0.0.0/8", false},
        CidrCase{"host.example", "10.0.0.0/8", false},
        CidrCase{"1:2:3:4:5:6:7:8:9", "::/0", false},
        CidrCase{"\xff\xfe", "10.0.0.0/8", false}));

struct PrivateCase {
  std::string_view address;
  bool is_private;
};

std::ostream& operator<<(std::ostream& os, const PrivateCase& c) { return os << c.address; }

class PrivateTest : public testing::TestWithParam<PrivateCase> {};

TEST_P(PrivateTest, Classifies) {
  const PrivateCase& c = GetParam();
  EXPECT_EQ(writ_net_is_private(c.address.data(), c.address.size()), c.is_private);
}

INSTANTIATE_TEST_SUITE_P(
    Net, PrivateTest,
    testing::Values(
        PrivateCase{"10.0.0.1", true}, PrivateCase{"172.16.5.4", true},
        PrivateCase{"172.31.255.255", true}, PrivateCase{"172.32.0.1", false},
        PrivateCase{"192.168.0.1", true}, PrivateCase{"127.0.0.1", true},
        PrivateCase{"169.254.169.254", true}, PrivateCase{"0.0.0.0", true},
        PrivateCase{"8.8.8.8", false}, PrivateCase{"100.64.0.1", false},
        PrivateCase{"::1", true}, PrivateCase{"::", true}, PrivateCase{"fe80::abcd", true},
        PrivateCase{"fd12:3456::1", true}, PrivateCase{"fec0::1", true},
        PrivateCase{"2001:4860:4860::8888", false}, PrivateCase{"::ffff:127.0.0.1", true},
        PrivateCase{"::ffff:8.8.8.8", false}, PrivateCase{"64:ff9b::10.0.0.1", true},
        PrivateCase{"[::1]", true}, PrivateCase{"127.1", true}, PrivateCase{"0x7f000001", true},
        PrivateCase{"localhost", false}, PrivateCase{"", false}, PrivateCase{"1.2.3", false},
        PrivateCase{"10.0.0.1/8", false}));

}  // namespace
}  // namespace writ::stdlib
