// The `secret` detector: key-like names with high-entropy values, and what it must leave alone.
#include <gtest/gtest.h>

#include <string_view>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

struct SecretCase {
  std::string_view text;
  bool found;
};

std::ostream& operator<<(std::ostream& os, const SecretCase& c) {
  return os << "\"" << c.text << "\"";
}

class SecretTest : public testing::TestWithParam<SecretCase> {};

TEST_P(SecretTest, Detects) {
  const SecretCase& c = GetParam();
  EXPECT_EQ(writ_pii_contains_kind(c.text.data(), c.text.size(), WRIT_PII_SECRET), c.found);
}

constexpr SecretCase kSecrets[] = {
    {"AWS_SECRET_ACCESS_KEY=k44CJxqviOstSP5SVG/lrtLgRWq2D8M3dZE9N2CL", true},
    {"\"client_secret\": \"01bfe8c26b715568b9126bef73fecde3\"", true},
    {"api_key: XKHofOSzyg9UvQV8eXvUO5zB", true},
    {"apiKey = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'", true},
    {"db.password=Xk9#mQ2$vL7!pR", true},
    {"DB_PASS=Tr0ub4dor&3", true},
    {"Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", true},
    {"https://api.example.com/v1/items?access_token=AbC123dEf456GhI789jKl&page=2", true},
    {"<add name=\"storage_key\" value=\"x\"/> storage_key=ZmFrZS1rZXktZm9yLXRlc3RzLTEyMzQ1Njc4OTA=",
     true},
    {"signing_key := \"c2VjcmV0LXNpZ25pbmcta2V5LTIwMjQtdGVzdA==\"", true},
    {"token => \"3q2+7w8A9bCdEfGh1J2K3L4M\"", true},
    {"password: hunter2", false},                      // short
    {"password = \"changeme123!\"", false},            // a placeholder
    {"api_key = \"your-api-key-here-000000\"", false},
    {"secret: ${SECRET_FROM_ENV}", false},
    {"token=%(token)s", false},
    {"password_policy = strong_password_v2", false},   // an identifier, not a secret
    {"cache_key: user_profile_cache_v2_2024", false},
    {"private_key: /etc/ssl/private/server2.key", false},
    {"author = \"Dana Whitfield 2024\"", false},        // `author` is not `auth`
    {"keyboard_layout = qwertyuiop1234567890", false},
    {"max_tokens: 4096", false},
    {"token_count = 1234567890123456", false},          // digits only
    {"std::string token = \"\";", false},
    {"if token == expected_token_value_01:", false},
    {"password != 'Xk9#mQ2$vL7!pR'", false},            // a comparison, not an assignment
    {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false},
};

INSTANTIATE_TEST_SUITE_P(Secret, SecretTest, testing::ValuesIn(kSecrets));

TEST(SecretSpanTest, TheFindingIsTheValue) {
  const std::string_view text = "export GITHUB_TOKEN=\"Zx81kQm2Lp9Vb7Rt4Wc6Nd3Hf5\"";
  writ_pii_finding finding;
  size_t count = 0;
  ASSERT_EQ(writ_pii_find(text.data(), text.size(), 1u << WRIT_PII_SECRET, &finding, 1, &count),
            WRIT_STD_OK);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(text.substr(finding.begin, finding.end - finding.begin), "Zx81kQm2Lp9Vb7Rt4Wc6Nd3Hf5");
}

}  // namespace
}  // namespace writ::stdlib
