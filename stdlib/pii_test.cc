// std.pii detectors: one table of positives and negatives per detector, then find and redact.
// The card numbers, IBANs and tokens are synthetic (generated for these tests), never real.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

struct Case {
  uint32_t kind;
  std::string_view text;
  bool found;
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  return os << writ_pii_kind_name(c.kind) << " on \"" << c.text << "\"";
}

class DetectorTest : public testing::TestWithParam<Case> {};

TEST_P(DetectorTest, Detects) {
  const Case& c = GetParam();
  EXPECT_EQ(writ_pii_contains_kind(c.text.data(), c.text.size(), c.kind), c.found);
}

constexpr Case kEmail[] = {
    {WRIT_PII_EMAIL, "contact jane.doe@example.com for details", true},
    {WRIT_PII_EMAIL, "<a href=\"mailto:ops+alerts@corp.example.org\">", true},
    {WRIT_PII_EMAIL, "o'brien@mail.example.ie wrote", true},
    {WRIT_PII_EMAIL, "FIRST_LAST@Sub.Example.CO.UK.", true},
    {WRIT_PII_EMAIL, "user%tag@xn--bcher-kva.example", true},
    {WRIT_PII_EMAIL, "\xe9\x9b\xbb\xe5\xad\x90: li.wei@example.cn", true},
    {WRIT_PII_EMAIL, "reach me at a@b.cd", true},
    {WRIT_PII_EMAIL, "user@localhost", false},
    {WRIT_PII_EMAIL, "see icon@2x.png and logo@3x.jpg", false},
    {WRIT_PII_EMAIL, "npm install lodash@4.17.21", false},
    {WRIT_PII_EMAIL, "@channel please review", false},
    {WRIT_PII_EMAIL, "a..b@example.com", false},
    {WRIT_PII_EMAIL, "trailing.@example.com", false},
    {WRIT_PII_EMAIL, "user@-bad.example.com", false},
    {WRIT_PII_EMAIL, "user@example.c", false},
    {WRIT_PII_EMAIL, "user@example.123", false},
    {WRIT_PII_EMAIL, "decorators: @property @staticmethod", false},
};

constexpr Case kPhone[] = {
    {WRIT_PII_PHONE, "call +1 202-555-0143 today", true},
    {WRIT_PII_PHONE, "+44 20 7946 0958", true},
    {WRIT_PII_PHONE, "tel:+33 1 23 45 67 89", true},
    {WRIT_PII_PHONE, "+49 30 12345678", true},
    {WRIT_PII_PHONE, "+81 3-1234-5678", true},
    {WRIT_PII_PHONE, "+44 (0)20 7946 0958", true},
    {WRIT_PII_PHONE, "+12025550143", true},
    {WRIT_PII_PHONE, "(415) 555-0199", true},
    {WRIT_PII_PHONE, "415-555-0199", true},
    {WRIT_PII_PHONE, "415.555.0199", true},
    {WRIT_PII_PHONE, "1-800-555-0199", true},
    {WRIT_PII_PHONE, "1 (800) 555-0199", true},
    {WRIT_PII_PHONE, "020 7946 0958", true},
    {WRIT_PII_PHONE, "06 12 34 56 78", true},
    {WRIT_PII_PHONE, "phone=+15551234567&x=1", true},
    {WRIT_PII_PHONE, "order 2024-01-15", false},
    {WRIT_PII_PHONE, "ISBN 978-3-16-148410-0", false},
    {WRIT_PII_PHONE, "version 1.2.3", false},
    {WRIT_PII_PHONE, "ip 192.168.100.200", false},
    {WRIT_PII_PHONE, "115-555-0199", false},  // area codes do not start with 0 or 1
    {WRIT_PII_PHONE, "415-155-0199", false},  // nor do exchanges
    {WRIT_PII_PHONE, "415-555.0199", false},  // mixed separators
    {WRIT_PII_PHONE, "4155550199", false},    // ten bare digits: an id as often as a phone
    {WRIT_PII_PHONE, "+100 points", false},
    {WRIT_PII_PHONE, "card 4111 1111 1111 1111", false},
    {WRIT_PII_PHONE, "SSN 123-45-6789", false},
    {WRIT_PII_PHONE, "zip 94105-1234", false},
    {WRIT_PII_PHONE, "01.02.2024 10:30", false},
    {WRIT_PII_PHONE, "INV-415-555-0199", false},
};

constexpr Case kSsn[] = {
    {WRIT_PII_US_SSN, "SSN: 123-45-6789", true},
    {WRIT_PII_US_SSN, "her number is 512 34 7788.", true},
    {WRIT_PII_US_SSN, "ssn=123456789", true},
    {WRIT_PII_US_SSN, "Social Security Number 401223344", true},
    {WRIT_PII_US_SSN, "000-12-3456", false},
    {WRIT_PII_US_SSN, "666-12-3456", false},
    {WRIT_PII_US_SSN, "912-12-3456", false},
    {WRIT_PII_US_SSN, "123-00-4567", false},
    {WRIT_PII_US_SSN, "123-45-0000", false},
    {WRIT_PII_US_SSN, "078-05-1120", false},
    {WRIT_PII_US_SSN, "123456789", false},  // nine digits without context
    {WRIT_PII_US_SSN, "123-45-67890", false},
    {WRIT_PII_US_SSN, "part 123-45-6789-01", false},
    {WRIT_PII_US_SSN, "123-456-7890", false},
    {WRIT_PII_US_SSN, "2024-01-15", false},
    {WRIT_PII_US_SSN, "123-45 6789", false},
};

constexpr Case kCard[] = {
    {WRIT_PII_CARD, "card 4954255503491068 exp 09/27", true},
    {WRIT_PII_CARD, "4954 2555 0349 1068", true},
    {WRIT_PII_CARD, "4954-2555-0349-1068", true},
    {WRIT_PII_CARD, "Visa 4549121035036", true},
    {WRIT_PII_CARD, "4446 6379 5630 9454 630", true},
    {WRIT_PII_CARD, "MC 5238 2606 0586 5164", true},
    {WRIT_PII_CARD, "2223750199204535", true},
    {WRIT_PII_CARD, "Amex 3480 580335 58601", true},
    {WRIT_PII_CARD, "378214409749927", true},
    {WRIT_PII_CARD, "6011135577601436", true},
    {WRIT_PII_CARD, "6527962249080757", true},
    {WRIT_PII_CARD, "JCB 3530165614053233", true},
    {WRIT_PII_CARD, "Diners 36526915956413", true},
    {WRIT_PII_CARD, "62906978443682143", true},
    {WRIT_PII_CARD, "#2201483266536706", true},
    {WRIT_PII_CARD, "4954 2555 0349 1068 05/27 123", true},  // followed by expiry and code
    {WRIT_PII_CARD, "6226 9363 3500 4727 264", false},  // 19 digits fail Luhn, 16 would pass
    {WRIT_PII_CARD, "4954255503491061", false},  // Luhn fails
    {WRIT_PII_CARD, "5238 2606 0586 5167", false},
    {WRIT_PII_CARD, "378214409749920", false},
    {WRIT_PII_CARD, "9809098172900845", false},  // Luhn passes, no issuer starts with 9
    {WRIT_PII_CARD, "1064307422460295", false},
    {WRIT_PII_CARD, "ts 1718000000000", false},
    {WRIT_PII_CARD, "4954 25550 3491 068", false},  // not a card grouping
    {WRIT_PII_CARD, "49542555034910680", false},    // 17 digits: Visa has 13, 16 or 19
    {WRIT_PII_CARD, "x4954255503491068", false},
    {WRIT_PII_CARD, "1.4954255503491068", false},
    {WRIT_PII_CARD, "49542555034910681234", false},
};

constexpr Case kIban[] = {
    {WRIT_PII_IBAN, "IBAN DE50664442787795589409", true},
    {WRIT_PII_IBAN, "DE50 6644 4278 7795 5894 09", true},
    {WRIT_PII_IBAN, "pay to GB39DCAF08604692844120.", true},
    {WRIT_PII_IBAN, "FR89 1701 5239 75JE 5SGZ 278V 671", true},
    {WRIT_PII_IBAN, "NL69ZPPL7819979053", true},
    {WRIT_PII_IBAN, "ES03 7455 8852 2778 3756 2372", true},
    {WRIT_PII_IBAN, "NO7187132318645", true},
    {WRIT_PII_IBAN, "(MT71OIXB609551FGM1HD8035BXT1ETS)", true},
    {WRIT_PII_IBAN, "DE50664442787795589400", false},  // checksum
    {WRIT_PII_IBAN, "GB39DCAF08604692844121", false},
    {WRIT_PII_IBAN, "DE5066444278779558940", false},   // too short for DE
    {WRIT_PII_IBAN, "DE506644427877955894091", false},  // too long
    {WRIT_PII_IBAN, "ZZ50664442787795589409", false},   // no such country
    {WRIT_PII_IBAN, "DE50 6644 42787 795 5894 09", false},
    {WRIT_PII_IBAN, "XDE50664442787795589409", false},
    {WRIT_PII_IBAN, "SKU AB12CD34EF56GH78", false},
};

constexpr Case kIPv4[] = {
    {WRIT_PII_IPV4, "client 203.0.113.42 connected", true},
    {WRIT_PII_IPV4, "ip=10.0.0.1", true},
    {WRIT_PII_IPV4, "0.0.0.0", true},
    {WRIT_PII_IPV4, "255.255.255.255.", true},
    {WRIT_PII_IPV4, "[198.51.100.7]:8080", true},
    {WRIT_PII_IPV4, "10.0.0.0/8", true},
    {WRIT_PII_IPV4, "256.1.1.1", false},
    {WRIT_PII_IPV4, "192.168.01.1", false},
    {WRIT_PII_IPV4, "version 1.2.3", false},
    {WRIT_PII_IPV4, "v1.2.3.4", false},
    {WRIT_PII_IPV4, "OID 1.3.6.1.4.1.311", false},
    {WRIT_PII_IPV4, "1.2.3.4.5", false},
    {WRIT_PII_IPV4, "3.14159", false},
    {WRIT_PII_IPV4, "2024.01.15", false},
};

constexpr Case kIPv6[] = {
    {WRIT_PII_IPV6, "from 2001:db8:85a3::8a2e:370:7334 ok", true},
    {WRIT_PII_IPV6, "2001:0db8:0000:0000:0000:ff00:0042:8329", true},
    {WRIT_PII_IPV6, "listen [::1]:443", true},
    {WRIT_PII_IPV6, "fe80::1%eth0", true},
    {WRIT_PII_IPV6, "::ffff:192.0.2.128", true},
    {WRIT_PII_IPV6, "addr 2001:db8::.", true},
    {WRIT_PII_IPV6, "std::vector<int>", false},
    {WRIT_PII_IPV6, "dead::beef", false},
    {WRIT_PII_IPV6, "12:30:45", false},
    {WRIT_PII_IPV6, "MAC 00:1a:2b:3c:4d:5e", false},
    {WRIT_PII_IPV6, "00:1a:2b:ff:fe:3c:4d:5e", false},
    {WRIT_PII_IPV6, "2001:db8::1::2", false},
    {WRIT_PII_IPV6, "1:2:3:4:5:6:7:8:9", false},
    {WRIT_PII_IPV6, "2001:db8:g::1", false},
};

constexpr Case kTokens[] = {
    {WRIT_PII_AWS_KEY, "aws_access_key_id = AKIAQUMPMHS6PJARB7LM", true},
    {WRIT_PII_AWS_KEY, "\"ASIAYLVUHFQ6NOMEFM4E\"", true},
    {WRIT_PII_AWS_KEY, "AKIAQUMPMHS6PJARB7L", false},
    {WRIT_PII_AWS_KEY, "AKIAQUMPMHS6PJARB7LMX", false},
    {WRIT_PII_AWS_KEY, "XAKIAQUMPMHS6PJARB7LM", false},
    {WRIT_PII_AWS_KEY, "AKIAqumpmhs6pjarb7lm", false},
    {WRIT_PII_AWS_KEY, "ASIA PACIFIC region", false},
    {WRIT_PII_GITHUB_TOKEN, "token ghp_G1ztvNvV2FGkd0F6yyiGRcox6jHW7hD11xZw", true},
    {WRIT_PII_GITHUB_TOKEN, "gho_l8mhPOkeZvIxzYA8CDfoCvWwbHQg5ksfDpe0", true},
    {WRIT_PII_GITHUB_TOKEN,
     "github_pat_spGJThFB1f6W70wakADyeJ_w1w5BsAPFq7dH3YeG42IPQNx1FKKJBD93OqgxY9ktumafg"
     "Rm14GenaSiRSd",
     true},
    {WRIT_PII_GITHUB_TOKEN, "ghp_G1ztvNvV2FGkd0F6yyiGRcox6jHW7hD11xZ", false},
    {WRIT_PII_GITHUB_TOKEN, "ghx_G1ztvNvV2FGkd0F6yyiGRcox6jHW7hD11xZw", false},
    {WRIT_PII_GITHUB_TOKEN, "the ghp_ prefix marks classic tokens", false},
    {WRIT_PII_GITLAB_TOKEN, "GITLAB_TOKEN=glpat-YC-JECSBLNaK2VNxk6-z", true},
    {WRIT_PII_GITLAB_TOKEN, "glpat-short", false},
    {WRIT_PII_GITLAB_TOKEN, "xglpat-YC-JECSBLNaK2VNxk6-z", false},
    {WRIT_PII_SLACK_TOKEN, "xoxb-364418553457-8688646841412-IX7ysDN60lnjmrlDhB2u9lHo", true},
    {WRIT_PII_SLACK_TOKEN,
     "SLACK=xoxp-24250899614-15790072768-1601062049428-221c25f6aaf76fdc6c369aad6b68b75b", true},
    {WRIT_PII_SLACK_TOKEN, "xoxb-not-a-token", false},
    {WRIT_PII_SLACK_TOKEN, "xoxz-364418553457-8688646841412", false},
    {WRIT_PII_PRIVATE_KEY,
     "-----BEGIN RSA PRIVATE KEY-----\n"
     "MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpI\n"
     "-----END RSA PRIVATE KEY-----",
     true},
    {WRIT_PII_PRIVATE_KEY, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", true},
    {WRIT_PII_PRIVATE_KEY,
     "{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n"
     "-----END PRIVATE KEY-----\\n\"}",
     true},
    {WRIT_PII_PRIVATE_KEY, "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF", true},
    {WRIT_PII_PRIVATE_KEY, "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE", false},
    {WRIT_PII_PRIVATE_KEY, "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYI", false},
    {WRIT_PII_PRIVATE_KEY, "the header reads BEGIN RSA PRIVATE KEY", false},
    {WRIT_PII_JWT,
     "Authorization: Bearer "
     "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTQ4MjEiLCJuYW1lIjoiRGFuYSBXaGl0ZmllbGQiLC"
     "JpYXQiOjE3MTgwMDAwMDB9.SofklZr8ejD1Io6UWASX1t3YzDThtvL6w1bFxtuFDJw",
     true},
    {WRIT_PII_JWT,
     "eyJ0eXAiOiJKV1QiLCJraWQiOiJrMSJ9.eyJzdWIiOiJ1LTQ4MjEiLCJuYW1lIjoiRGFuYSBXaGl0ZmllbGQiLCJpYX"
     "QiOjE3MTgwMDAwMDB9.SofklZr8ejD1Io6UWASX1t3YzDThtvL6w1bFxtuFDJw",
     false},  // the header has no "alg"
    {WRIT_PII_JWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.notjson.sig", false},
    {WRIT_PII_JWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", false},
    {WRIT_PII_JWT, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1In0.a.b.c", false},
};

INSTANTIATE_TEST_SUITE_P(Email, DetectorTest, testing::ValuesIn(kEmail));
INSTANTIATE_TEST_SUITE_P(Phone, DetectorTest, testing::ValuesIn(kPhone));
INSTANTIATE_TEST_SUITE_P(UsSsn, DetectorTest, testing::ValuesIn(kSsn));
INSTANTIATE_TEST_SUITE_P(Card, DetectorTest, testing::ValuesIn(kCard));
INSTANTIATE_TEST_SUITE_P(Iban, DetectorTest, testing::ValuesIn(kIban));
INSTANTIATE_TEST_SUITE_P(IPv4, DetectorTest, testing::ValuesIn(kIPv4));
INSTANTIATE_TEST_SUITE_P(IPv6, DetectorTest, testing::ValuesIn(kIPv6));
INSTANTIATE_TEST_SUITE_P(Tokens, DetectorTest, testing::ValuesIn(kTokens));

std::string Redact(std::string_view text, uint32_t mask = WRIT_PII_ALL) {
  std::string out(writ_pii_redact_bound(text.size()), '\0');
  size_t size = 0;
  EXPECT_EQ(writ_pii_redact(text.data(), text.size(), mask, out.data(), out.size(), &size),
            WRIT_STD_OK);
  out.resize(size);
  return out;
}

TEST(PiiTest, RedactReplacesEveryFindingWithItsKind) {
  EXPECT_EQ(Redact("mail jane@example.com or call +1 202-555-0143."),
            "mail [email] or call [phone].");
  EXPECT_EQ(Redact("nothing to see"), "nothing to see");
  EXPECT_EQ(Redact(""), "");
}

TEST(PiiTest, RedactKeepsTheNameOfASecret) {
  EXPECT_EQ(Redact("password = \"Xk9#mQ2$vL7!pR\""), "password = \"[secret]\"");
}

TEST(PiiTest, RedactOnlyTheSelectedKinds) {
  const std::string text = "jane@example.com 203.0.113.9";
  EXPECT_EQ(Redact(text, 1u << WRIT_PII_IPV4), "jane@example.com [ipv4]");
  EXPECT_EQ(Redact(text, 0), text);
}

TEST(PiiTest, RedactMergesOverlappingFindings) {
  // The token is also the value of a key-like name; one replacement covers both findings,
  // named after the more specific detector (they cover the same bytes).
  EXPECT_EQ(Redact("token=ghp_G1ztvNvV2FGkd0F6yyiGRcox6jHW7hD11xZw"), "token=[github_token]");
}

TEST(PiiTest, RedactReportsTheSizeItNeeds) {
  const std::string text = "a@b.cd";
  size_t size = 0;
  EXPECT_EQ(writ_pii_redact(text.data(), text.size(), WRIT_PII_ALL, nullptr, 0, &size),
            WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_EQ(size, std::string("[email]").size());
}

TEST(PiiTest, FindReturnsKindsAndSpansInOrder) {
  const std::string text = "ip 10.1.2.3, mail ops@example.com, card 4954 2555 0349 1068";
  writ_pii_finding findings[8];
  size_t count = 0;
  ASSERT_EQ(writ_pii_find(text.data(), text.size(), WRIT_PII_ALL, findings, 8, &count),
            WRIT_STD_OK);
  ASSERT_EQ(count, 3u);
  EXPECT_EQ(findings[0].kind, uint32_t{WRIT_PII_IPV4});
  EXPECT_EQ(text.substr(findings[0].begin, findings[0].end - findings[0].begin), "10.1.2.3");
  EXPECT_EQ(findings[1].kind, uint32_t{WRIT_PII_EMAIL});
  EXPECT_EQ(text.substr(findings[1].begin, findings[1].end - findings[1].begin),
            "ops@example.com");
  EXPECT_EQ(findings[2].kind, uint32_t{WRIT_PII_CARD});
  EXPECT_EQ(text.substr(findings[2].begin, findings[2].end - findings[2].begin),
            "4954 2555 0349 1068");
}

TEST(PiiTest, FindCountsPastTheCapacity) {
  const std::string text = "a@b.cd e@f.gh i@j.kl";
  writ_pii_finding one[1];
  size_t count = 0;
  EXPECT_EQ(writ_pii_find(text.data(), text.size(), WRIT_PII_ALL, one, 1, &count),
            WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(one[0].begin, 0u);
}

TEST(PiiTest, KindsIsABitmaskOfTheDetectorsThatFire) {
  const std::string text = "jane@example.com AKIAQUMPMHS6PJARB7LM";
  EXPECT_EQ(writ_pii_kinds(text.data(), text.size(), WRIT_PII_ALL),
            (1u << WRIT_PII_EMAIL) | (1u << WRIT_PII_AWS_KEY));
  EXPECT_EQ(writ_pii_kinds(text.data(), text.size(), 1u << WRIT_PII_EMAIL), 1u << WRIT_PII_EMAIL);
  EXPECT_TRUE(writ_pii_contains(text.data(), text.size()));
  EXPECT_FALSE(writ_pii_contains("plain", 5));
  EXPECT_FALSE(writ_pii_contains_kind(text.data(), text.size(), WRIT_PII_KIND_COUNT));
}

TEST(PiiTest, KindNamesFollowTheEnum) {
  EXPECT_STREQ(writ_pii_kind_name(WRIT_PII_EMAIL), "email");
  EXPECT_STREQ(writ_pii_kind_name(WRIT_PII_JWT), "jwt");
  EXPECT_EQ(writ_pii_kind_name(WRIT_PII_KIND_COUNT), nullptr);
}

}  // namespace
}  // namespace writ::stdlib
