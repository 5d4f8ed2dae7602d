// std.text: lengths in code points, case mapping, affixes, globs, split and RE2 handles.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

struct LengthCase {
  std::string_view text;
  int64_t length;
};

class LengthTest : public testing::TestWithParam<LengthCase> {};

TEST_P(LengthTest, CountsCodePointsAndInvalidBytes) {
  EXPECT_EQ(writ_text_length(GetParam().text.data(), GetParam().text.size()),
            GetParam().length);
}

INSTANTIATE_TEST_SUITE_P(
    Text, LengthTest,
    testing::Values(LengthCase{"", 0}, LengthCase{"abc", 3}, LengthCase{"h\xc3\xa9llo", 5},
                    LengthCase{"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 3},
                    LengthCase{"\xf0\x9f\x98\x80", 1}, LengthCase{"\xff", 1},
                    LengthCase{"\xc3", 1}, LengthCase{"\xe2\x82", 2},
                    LengthCase{"\xc0\xaf", 2},          // overlong '/'
                    LengthCase{"\xed\xa0\x80", 3},      // a surrogate
                    LengthCase{"\xf4\x90\x80\x80", 4},  // above U+10FFFF
                    LengthCase{std::string_view("a\0b", 3), 3}));

struct CaseMapping {
  std::string_view in;
  std::string_view lower;
  std::string_view upper;
};

class CaseTest : public testing::TestWithParam<CaseMapping> {};

TEST_P(CaseTest, MapsWithoutChangingTheLength) {
  const CaseMapping& c = GetParam();
  std::string out(c.in.size(), '\0');
  writ_text_lower(c.in.data(), c.in.size(), out.data());
  EXPECT_EQ(out, c.lower);
  writ_text_upper(c.in.data(), c.in.size(), out.data());
  EXPECT_EQ(out, c.upper);
}

INSTANTIATE_TEST_SUITE_P(
    Text, CaseTest,
    testing::Values(
        CaseMapping{"Hello, World 42", "hello, world 42", "HELLO, WORLD 42"},
        CaseMapping{"\xc3\x84rger \xc3\xbc\x62\x65r", "\xc3\xa4rger \xc3\xbc\x62\x65r",
                    "\xc3\x84RGER \xc3\x9c\x42\x45R"},                       // Ärger über
        CaseMapping{"\xc3\x9f", "\xc3\x9f", "\xc3\x9f"},                     // ß stays
        CaseMapping{"\xc3\xbf", "\xc3\xbf", "\xc5\xb8"},                     // ÿ -> Ÿ
        CaseMapping{"\xc5\x81\xc3\xb3\x64\xc5\xba", "\xc5\x82\xc3\xb3\x64\xc5\xba",
                    "\xc5\x81\xc3\x93\x44\xc5\xb9"},                         // Łódź
        CaseMapping{"\xce\xa3\xce\xbf\xcf\x86\xce\xaf\xce\xb1",
                    "\xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1",
                    "\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91"},             // Σοφία
        CaseMapping{"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
                    "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
                    "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90"},     // Москва
        CaseMapping{"\xc4\xb0\xc4\xb1", "\xc4\xb0\xc4\xb1", "\xc4\xb0\xc4\xb1"},  // İı stay
        CaseMapping{"a\xff\xc3Z", "a\xff\xc3z", "A\xff\xc3Z"},               // invalid bytes
        CaseMapping{"\xe6\x97\xa5x", "\xe6\x97\xa5x", "\xe6\x97\xa5X"}));

struct GlobCase {
  std::string_view text;
  std::string_view glob;
  bool matches;
};

class GlobTest : public testing::TestWithParam<GlobCase> {};

TEST_P(GlobTest, MatchesTheWholeString) {
  const GlobCase& c = GetParam();
  EXPECT_EQ(writ_text_glob(c.text.data(), c.text.size(), c.glob.data(), c.glob.size()),
            c.matches)
      << c.text << " like " << c.glob;
}

INSTANTIATE_TEST_SUITE_P(
    Text, GlobTest,
    testing::Values(
        GlobCase{"", "", true}, GlobCase{"", "*", true}, GlobCase{"", "?", false},
        GlobCase{"a", "", false}, GlobCase{"abc", "abc", true}, GlobCase{"abc", "ab", false},
        GlobCase{"abc", "a*", true}, GlobCase{"abc", "*c", true}, GlobCase{"abc", "*b*", true},
        GlobCase{"abc", "a?c", true}, GlobCase{"abc", "a??c", false},
        GlobCase{"#team-a-private", "#team-?-private", true},
        GlobCase{"#team-ab-private", "#team-?-private", false},
        GlobCase{"ACME-7781", "ACME-*", true}, GlobCase{"acme-7781", "ACME-*", false},
        GlobCase{"invoice 42 for march", "*invoice*", true},
        GlobCase{"aaaa", "*a*a*a*a*", true}, GlobCase{"aaa", "*a*a*a*a*", false},
        GlobCase{"abcabd", "*abd", true}, GlobCase{"mississippi", "m*iss*ppi", true},
        GlobCase{"mississippi", "m*iss*iss*iss*", false},
        GlobCase{"caf\xc3\xa9", "caf?", true},           // ? is one code point
        GlobCase{"caf\xc3\xa9", "caf??", false},
        GlobCase{"\xc3\xa9t\xc3\xa9", "?t?", true},
        GlobCase{"a\xffz", "a?z", true},                  // an invalid byte is one unit
        GlobCase{"\xc3\xa9", "*\xa9", false},            // no match inside a code point
        GlobCase{"x*y", "x*y", true}, GlobCase{"report.pdf", "*.pdf", true},
        GlobCase{"report.pdf.exe", "*.pdf", false}));

TEST(GlobTest, AdversarialPatternsStayFast) {
  // Backtracking matchers take exponential time here; this one is O(n * m).
  const std::string text(20000, 'a');
  std::string glob;
  for (int i = 0; i < 50; ++i) glob += "*a";
  glob += "*b";
  EXPECT_FALSE(writ_text_glob(text.data(), text.size(), glob.data(), glob.size()));
}

TEST(AffixTest, ContainsStartsEnds) {
  const std::string_view s = "release/2024-06";
  EXPECT_TRUE(writ_text_contains(s.data(), s.size(), "2024", 4));
  EXPECT_TRUE(writ_text_contains(s.data(), s.size(), "", 0));
  EXPECT_FALSE(writ_text_contains(s.data(), s.size(), "2025", 4));
  EXPECT_FALSE(writ_text_contains("ab", 2, "abc", 3));
  EXPECT_TRUE(writ_text_starts_with(s.data(), s.size(), "release/", 8));
  EXPECT_FALSE(writ_text_starts_with(s.data(), s.size(), "Release/", 8));
  EXPECT_TRUE(writ_text_ends_with(s.data(), s.size(), "-06", 3));
  EXPECT_FALSE(writ_text_ends_with("06", 2, "-06", 3));
  EXPECT_TRUE(writ_text_starts_with(nullptr, 0, nullptr, 0));
}

std::vector<std::string> Split(std::string_view s, std::string_view sep) {
  writ_std_string items[16];
  size_t count = 0;
  EXPECT_EQ(writ_text_split(s.data(), s.size(), sep.data(), sep.size(), items, 16, &count),
            WRIT_STD_OK);
  std::vector<std::string> parts;
  for (size_t i = 0; i < count; ++i) parts.emplace_back(items[i].data, items[i].size);
  return parts;
}

TEST(SplitTest, GivesTheDistinctPartsSorted) {
  EXPECT_EQ(Split("b,a,b", ","), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Split("a,,b", ","), (std::vector<std::string>{"", "a", "b"}));
  EXPECT_EQ(Split("/srv/data/", "/"), (std::vector<std::string>{"", "data", "srv"}));
  EXPECT_EQ(Split("a::b", "::"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Split("abc", ""), (std::vector<std::string>{"abc"}));
  EXPECT_EQ(Split("", ","), (std::vector<std::string>{""}));
}

TEST(SplitTest, ReportsTheCapacityItNeeds) {
  writ_std_string items[2];
  size_t count = 0;
  EXPECT_EQ(writ_text_split("a,b,c", 5, ",", 1, items, 2, &count), WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_EQ(count, 3u);
}

TEST(RegexTest, CompilesOnceAndMatchesUnanchored) {
  writ_regex* re = nullptr;
  const std::string_view pattern = "(?i)password\\s*[:=]";
  ASSERT_EQ(writ_regex_compile(pattern.data(), pattern.size(), &re, nullptr, 0), WRIT_STD_OK);
  bool matched = false;
  const std::string_view hit = "the PASSWORD = x";
  ASSERT_EQ(writ_regex_matches(re, hit.data(), hit.size(), &matched), WRIT_STD_OK);
  EXPECT_TRUE(matched);
  ASSERT_EQ(writ_regex_matches(re, "pass", 4, &matched), WRIT_STD_OK);
  EXPECT_FALSE(matched);
  const std::string invalid = "\xff\xfe password: \xc3";
  ASSERT_EQ(writ_regex_matches(re, invalid.data(), invalid.size(), &matched), WRIT_STD_OK);
  EXPECT_TRUE(matched);
  writ_regex_free(re);
}

TEST(RegexTest, AnInvalidPatternIsAnErrorWithRe2sMessage) {
  writ_regex* re = reinterpret_cast<writ_regex*>(1);
  char error[128];
  EXPECT_EQ(writ_regex_compile("a(b", 3, &re, error, sizeof error), WRIT_STD_INVALID_PATTERN);
  EXPECT_EQ(re, nullptr);
  EXPECT_NE(std::string_view(error).find("missing )"), std::string_view::npos) << error;
  // Backreferences would need backtracking; RE2 refuses them.
  EXPECT_EQ(writ_regex_compile("(a)\\1", 5, &re, nullptr, 0), WRIT_STD_INVALID_PATTERN);
}

TEST(RegexTest, ANullHandleIsAnError) {
  bool matched = true;
  EXPECT_EQ(writ_regex_matches(nullptr, "a", 1, &matched), WRIT_STD_INVALID_ARGUMENT);
  writ_regex_free(nullptr);
}

TEST(StatusTest, EveryCodeHasAMessage) {
  for (writ_std_status s = WRIT_STD_OK; s <= WRIT_STD_RESOURCE_EXHAUSTED; ++s) {
    EXPECT_STRNE(writ_std_status_message(s), "unknown status") << s;
  }
  EXPECT_STREQ(writ_std_status_message(99), "unknown status");
}

extern "C" int writ_native_c_header_compiles(void);

TEST(NativeHeaderTest, CompilesAsC) { EXPECT_EQ(writ_native_c_header_compiles(), 0); }

}  // namespace
}  // namespace writ::stdlib
