// Totality: every native function accepts any bytes (random, invalid UTF-8, huge, adversarial)
// without crashing, and keeps its output contracts. Inputs built to trigger quadratic work in
// a naive scanner run here at a size where quadratic would not finish.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

std::string RandomBytes(std::mt19937_64& rng, size_t n, std::string_view alphabet = {}) {
  std::string s(n, '\0');
  for (char& c : s) {
    c = alphabet.empty() ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
  }
  return s;
}

void CheckPii(const std::string& s) {
  size_t count = 0;
  writ_pii_find(s.data(), s.size(), WRIT_PII_ALL, nullptr, 0, &count);
  std::vector<writ_pii_finding> findings(count);
  ASSERT_EQ(writ_pii_find(s.data(), s.size(), WRIT_PII_ALL, findings.data(), count, &count),
            WRIT_STD_OK);
  const uint32_t kinds = writ_pii_kinds(s.data(), s.size(), WRIT_PII_ALL);
  for (size_t i = 0; i < count; ++i) {
    ASSERT_LT(findings[i].kind, uint32_t{WRIT_PII_KIND_COUNT});
    ASSERT_LT(findings[i].begin, findings[i].end);
    ASSERT_LE(findings[i].end, s.size());
    if (i > 0) {
      ASSERT_LE(findings[i - 1].begin, findings[i].begin);
    }
    ASSERT_TRUE(kinds >> findings[i].kind & 1);
  }
  std::string out(writ_pii_redact_bound(s.size()), '\0');
  size_t size = 0;
  ASSERT_EQ(writ_pii_redact(s.data(), s.size(), WRIT_PII_ALL, out.data(), out.size(), &size),
            WRIT_STD_OK);
  ASSERT_LE(size, out.size());
  if (count == 0) {
    ASSERT_EQ(out.substr(0, size), s);
  }
}

void CheckText(const std::string& s) {
  std::string out(s.size(), '\0');
  writ_text_lower(s.data(), s.size(), out.data());
  ASSERT_EQ(writ_text_length(out.data(), out.size()), writ_text_length(s.data(), s.size()));
  writ_text_upper(s.data(), s.size(), out.data());
  ASSERT_EQ(writ_text_length(out.data(), out.size()), writ_text_length(s.data(), s.size()));
  ASSERT_TRUE(writ_text_glob(s.data(), s.size(), "*", 1));
  ASSERT_TRUE(writ_text_glob(s.data(), s.size(), s.data(), s.size()) ||
              s.find_first_of("*?") != std::string::npos);
  writ_text_glob(s.data(), s.size(), s.data(), s.size() / 2);
}

void CheckSql(const std::string& s) {
  const uint32_t flags = writ_sql_classify(s.data(), s.size(), WRIT_SQL_ALL_DIALECTS);
  ASSERT_EQ(flags & ~uint32_t{127}, 0u);
  size_t bytes = 0;
  size_t slots = 0;
  writ_sql_tables_bound(s.size(), &bytes, &slots);
  std::vector<char> arena_storage(bytes);
  std::vector<writ_std_string> items(slots);
  writ_std_arena arena{arena_storage.data(), arena_storage.size(), 0};
  size_t count = 0;
  ASSERT_EQ(writ_sql_tables(s.data(), s.size(), WRIT_SQL_ALL_DIALECTS, &arena, items.data(),
                            items.size(), &count),
            WRIT_STD_OK);
  for (size_t i = 0; i < count; ++i) {
    ASSERT_GE(items[i].data, arena_storage.data());
    ASSERT_LE(items[i].data + items[i].size, arena_storage.data() + arena.used);
  }
  for (uint32_t dialect : {WRIT_SQL_POSTGRESQL, WRIT_SQL_MYSQL, WRIT_SQL_SQLITE}) {
    std::vector<writ_std_span> spans(s.size() + 1);
    ASSERT_EQ(writ_sql_split(s.data(), s.size(), dialect, spans.data(), spans.size(), &count),
              WRIT_STD_OK);
    for (size_t i = 0; i < count; ++i) {
      ASSERT_LT(spans[i].begin, spans[i].end);
      ASSERT_LE(spans[i].end, s.size());
      if (i > 0) {
        ASSERT_LE(spans[i - 1].end, spans[i].begin);
      }
    }
  }
}

void CheckNet(const std::string& s) {
  writ_net_is_private(s.data(), s.size());
  writ_net_in_cidr(s.data(), s.size(), s.data(), s.size());
  writ_net_in_cidr(s.data(), s.size(), "::/0", 4);
}

TEST(RobustnessTest, RandomBytes) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 300; ++i) {
    const std::string s = RandomBytes(rng, rng() % 300);
    CheckText(s);
    CheckPii(s);
    CheckSql(s);
    CheckNet(s);
  }
}

TEST(RobustnessTest, RandomTextNearTheDetectorsAlphabets) {
  std::mt19937_64 rng(7);
  const std::string_view alphabets[] = {
      "0123456789 -.()+", "0123456789abcdef:.[]%", "AKIASghp_xoxb-glpat-0123456789",
      "eyJhbGciOi.-_0123", "-----BEGIN PRIVATE KEY END\n", "a@b.c-_+'",
      "password=:\"' 0aZ#", "SELECT FROM WHERE ( ) ; ' \" ` [ ] $ -- /* */ # \\ e"};
  for (std::string_view alphabet : alphabets) {
    for (int i = 0; i < 100; ++i) {
      const std::string s = RandomBytes(rng, rng() % 400, alphabet);
      CheckPii(s);
      CheckSql(s);
      CheckText(s);
    }
  }
}

std::string Repeat(std::string_view unit, size_t bytes) {
  std::string s;
  s.reserve(bytes + unit.size());
  while (s.size() < bytes) s += unit;
  return s;
}

TEST(RobustnessTest, AdversarialInputsStayLinear) {
  constexpr size_t kSize = 1 << 18;
  for (std::string_view unit :
       {"@", "a@", "a.", "1 ", "1-", "+1 ", "(1", "eyJ", "eyJa.", "-----BEGIN ",
        "-----BEGIN RSA PRIVATE KEY-----", "password=", "token: \"", "gh", "ghp_", "xoxb-1",
        "AKIA", "DE89 ", "1.", "1:", "::", "f:", "\xff", "\xc3", "\xe2\x82"}) {
    const std::string s = Repeat(unit, kSize);
    CheckPii(s);
  }
  for (std::string_view unit : {"(", ")", "(SELECT ", "/*", "/* */", "'", "\"", "`", "[", "$a$",
                                "$$", "-- ", "#", "WITH a AS (", ",a", "FROM a,", "UPDATE t ",
                                "CASE ", "BEGIN ", "CREATE ", ";", "\\", "E'", "/*!"}) {
    const std::string s = Repeat(unit, kSize);
    CheckSql(s);
  }
  const std::string text = Repeat("a", kSize);
  const std::string glob = Repeat("*a", 64) + "*b";
  EXPECT_FALSE(writ_text_glob(text.data(), text.size(), glob.data(), glob.size()));
  const std::string part = Repeat("a", 4096) + "b";
  EXPECT_FALSE(writ_text_contains(text.data(), text.size(), part.data(), part.size()));
}

}  // namespace
}  // namespace writ::stdlib
