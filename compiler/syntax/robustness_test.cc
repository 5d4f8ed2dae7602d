// The syntax layer on hostile input: every file, however broken, returns with at least one
// error diagnostic at the right place, and nothing crashes, hangs or overflows the stack.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pthread.h>

#include <random>
#include <thread>

#include "compiler/syntax/test_util.h"

namespace writ::syntax {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::Parsed;
using testing::ParseText;

// Every broken input must produce an error, and the cap on diagnostics must hold.
void ExpectErrors(const Parsed& parsed, const ParseLimits& limits = {}) {
  bool has_error = false;
  for (const diag::Diagnostic& d : parsed.diagnostics) has_error |= d.severity == diag::Severity::kError;
  EXPECT_TRUE(has_error);
  EXPECT_LE(parsed.diagnostics.size(), static_cast<size_t>(limits.max_errors) + 2);
}

TEST(Robustness, EmptyFile) {
  Parsed parsed = ParseText("");
  EXPECT_THAT(parsed.messages(), ElementsAre("1:1 W0103 file does not start with a `package` declaration"));
  EXPECT_EQ(parsed.diagnostics[0].help, "start the file with `package <name>`");
  EXPECT_TRUE(parsed.file.decls.empty());
}

TEST(Robustness, CommentOnlyFile) {
  Parsed parsed = ParseText("// nothing here\n/* nor here */\n");
  EXPECT_THAT(parsed.codes(), ElementsAre("W0103"));
  EXPECT_EQ(parsed.diagnostics[0].span.begin, 0u);
  EXPECT_THAT(parsed.file.comments, SizeIs(2));
}

TEST(Robustness, MissingPackagePointsAtTheFirstToken) {
  Parsed parsed = ParseText("// policy\nentity User { name: string }\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("2:1 W0103 file does not start with a `package` declaration"));
  // The declarations are fine and still reach the checker.
  EXPECT_EQ(parsed.dump(), "(entity User (body (name string)))\n(comment \"// policy\")\n");
}

TEST(Robustness, RandomBytes) {
  std::mt19937 random(20240601);
  for (int round = 0; round < 200; ++round) {
    std::string junk(1 + random() % 2048, '\0');
    for (char& c : junk) c = static_cast<char>(random() & 0xFF);
    ExpectErrors(ParseText(junk));
  }
}

TEST(Robustness, RandomAsciiAfterPackage) {
  // Valid UTF-8 that gets past the encoding check into the lexer and parser.
  std::mt19937 random(7);
  for (int round = 0; round < 200; ++round) {
    std::string junk = "package p\n";
    size_t length = 1 + random() % 1024;
    for (size_t i = 0; i < length; ++i) junk.push_back(static_cast<char>(random() % 128));
    ExpectErrors(ParseText(junk));
  }
}

TEST(Robustness, RandomTokenSoup) {
  // Plausible tokens in implausible order: the hardest case for error recovery.
  const char* words[] = {"package", "import", "entity", "agent", "tool", "permit", "forbid", "call", "result",
                         "when", "because", "by", "limit", "spend", "per", "budget", "rate", "pool", "output",
                         "test", "expect", "deny", "{", "}", "(", ")", "[", "]", ",", ".", ":", "::", "->",
                         "<", ">", "==", "and", "or", "not", "any", "in", "has", "like", "x", "y.z", "\"s\"",
                         "42", "1.5", "15m", "80%", "100 USD", "5usd", "\"open", "/*", "*/", "@", "?", "*"};
  std::mt19937 random(99);
  for (int round = 0; round < 300; ++round) {
    std::string soup = round % 2 == 0 ? "package p\n" : "";
    size_t length = 1 + random() % 200;
    for (size_t i = 0; i < length; ++i) {
      soup += words[random() % std::size(words)];
      soup += random() % 5 == 0 ? "\n" : " ";
    }
    Parsed parsed = ParseText(soup);
    // A random sequence can be valid by chance only if it is very short; either way it returns.
    if (!parsed.diagnostics.empty()) ExpectErrors(parsed);
  }
}

TEST(Robustness, InvalidUtf8PointsAtTheBadByte) {
  struct Case {
    std::string text;
    uint32_t offset;
    const char* byte;
  };
  const Case cases[] = {
      {"package p\nentity Caf\xE9 {}\n", 20, "0xE9"},          // Latin-1
      {"package p\n// \xC0\xAF\n", 13, "0xC0"},                // overlong
      {"package p\n\"\xED\xA0\x80\"\n", 11, "0xED"},           // surrogate
      {"package p\n\"\xF4\x90\x80\x80\"\n", 11, "0xF4"},       // above U+10FFFF
      {"package p\n\xC3\xA9\xE2\x82", 12, "0xE2"},             // truncated at the end
      {"\xFF\xFE" "p\0a\0", 0, "0xFF"},                          // UTF-16 byte order mark
  };
  for (const Case& c : cases) {
    Parsed parsed = ParseText(c.text);
    ASSERT_THAT(parsed.codes(), ElementsAre("W0002")) << c.text;
    EXPECT_EQ(parsed.diagnostics[0].span.begin, c.offset);
    EXPECT_EQ(parsed.diagnostics[0].span.end, c.offset + 1);
    EXPECT_THAT(parsed.diagnostics[0].message, HasSubstr(c.byte));
    EXPECT_TRUE(parsed.file.decls.empty());
  }
}

TEST(Robustness, TenThousandNestedParentheses) {
  std::string source = "package p\npermit call t when " + std::string(10000, '(') + "x" + std::string(10000, ')') + "\n";
  Parsed parsed = ParseText(source);
  ASSERT_THAT(parsed.messages(), ElementsAre("2:220 W0003 nesting is deeper than the limit of 200 levels"));
  // The 201st parenthesis crosses the limit.
  EXPECT_EQ(parsed.diagnostics[0].span.begin, source.find('(') + 200);
  EXPECT_TRUE(parsed.file.decls.empty());
}

TEST(Robustness, NestingLimitIsConfigurableAndCountsEveryBracket) {
  ParseLimits limits;
  limits.max_nesting = 3;
  EXPECT_THAT(ParseText("package p\npermit call t when f([{a: (1)}])\n", limits).codes(), ElementsAre("W0003"));
  EXPECT_THAT(ParseText("package p\npermit call t when f([{a: 1}])\n", limits).codes(), ElementsAre());
}

TEST(Robustness, DeepNestingWithoutBrackets) {
  // Prefix operators, quantifiers and type arguments nest without brackets; they hit the
  // parser's own depth guard instead of the stack's end.
  const std::string prefixes[] = {"not ", "- ", "any x in s: "};
  for (const std::string& prefix : prefixes) {
    std::string source = "package p\npermit call t when ";
    for (int i = 0; i < 100000; ++i) source += prefix;
    source += "x\n";
    Parsed parsed = ParseText(source);
    EXPECT_THAT(parsed.codes(), ElementsAre("W0003")) << prefix;
    EXPECT_TRUE(parsed.file.decls.empty());
  }
  std::string types = "package p\ntool t(a: ";
  for (int i = 0; i < 50000; ++i) types += "set<";
  types += "int" + std::string(50000, '>') + ")\n";
  EXPECT_THAT(ParseText(types).codes(), ElementsAre("W0003"));
}

TEST(Robustness, LongOperatorChains) {
  // `a or a or ...` is flat to read but a deep tree; past the limit it is refused, below it
  // it parses (and every later stage can walk it recursively).
  std::string deep = "package p\npermit call t when a";
  for (int i = 0; i < 200000; ++i) deep += " or a";
  Parsed refused = ParseText(deep + "\n");
  EXPECT_THAT(refused.messages(), ElementsAre(HasSubstr("W0003 nesting is deeper than the limit of 1000 levels")));
  EXPECT_TRUE(refused.file.decls.empty());

  std::string fine = "package p\npermit call t when a";
  for (int i = 0; i < 900; ++i) fine += " + a";
  Parsed parsed = ParseText(fine + " > 0\n");
  EXPECT_THAT(parsed.messages(), ElementsAre());
  EXPECT_EQ(parsed.file.decls.size(), 1u);

  std::string nots = "package p\npermit call t when ";
  for (int i = 0; i < 900; ++i) nots += "not ";
  EXPECT_THAT(ParseText(nots + "x\n").messages(), ElementsAre());
}

TEST(Robustness, FiftyMegabytes) {
  std::string big = "package p\n" + std::string(50u << 20, ' ');
  Parsed parsed = ParseText(std::move(big));
  ASSERT_THAT(parsed.codes(), ElementsAre("W0001"));
  EXPECT_THAT(parsed.diagnostics[0].message, HasSubstr("over the limit of 8388608 bytes"));
}

TEST(Robustness, UnterminatedString) {
  Parsed parsed = ParseText("package p\ntool t(a: string)\nforbid call t\n  because \"no closing quote\nentity X\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("4:11 W0104 unterminated string literal"));
  EXPECT_EQ(parsed.text(parsed.diagnostics[0].span), "\"no closing quote");
  // The rule is left out; the declarations around it are kept.
  EXPECT_EQ(parsed.dump(), "(package p)\n(tool t (params (a string)))\n(entity X)\n");
}

TEST(Robustness, UnterminatedBlockComment) {
  Parsed parsed = ParseText("package p\nentity A\n/* this comment\nnever ends\nentity B\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("3:1 W0105 unterminated block comment"));
  EXPECT_EQ(parsed.text(parsed.diagnostics[0].span), "/*");
  EXPECT_EQ(parsed.dump(), "(package p)\n(entity A)\n");
}

TEST(Robustness, BadCharacters) {
  Parsed parsed = ParseText("package p\nentity A $\nentity B\n#\xE2\x80\x9Cq\xE2\x80\x9D\x01 entity C\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("2:10 W0102 unexpected character `$`",
                                             "4:1 W0102 unexpected character `#`",
                                             "4:4 W0102 unexpected character `\xE2\x80\x9D` (U+201D)"));
  // Adjacent bad characters are one run with one diagnostic: `#“`, then `”` and the control
  // character after it.
  EXPECT_EQ(parsed.text(parsed.diagnostics[1].span), "#\xE2\x80\x9C");
  EXPECT_EQ(parsed.text(parsed.diagnostics[2].span), "\xE2\x80\x9D\x01");
  EXPECT_THAT(parsed.diagnostics[2].help, HasSubstr("straight double quotes"));
  // `$` on A's line spoils A; B and C stand on their own lines.
  EXPECT_EQ(parsed.dump(), "(package p)\n(entity B)\n(entity C)\n");

  Parsed nul = ParseText(std::string("package p\n\0entity A\n", 20));
  EXPECT_THAT(nul.messages(), ElementsAre("2:1 W0102 unexpected character `U+0000`"));
}

TEST(Robustness, BadNumbers) {
  Parsed parsed = ParseText("package p\nlimit spend t.amount per task <= 50000USD\nrate t 5 per 15min\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("2:34 W0106 invalid number `50000USD`", "3:14 W0106 invalid number `15min`"));
  EXPECT_EQ(parsed.diagnostics[0].help, "put a space between the amount and the currency: `50000 USD`");
  EXPECT_THAT(parsed.diagnostics[1].help, HasSubstr("`ms`, `s`, `m`, `h` and `d`"));
  EXPECT_EQ(parsed.dump(), "(package p)\n");
}

TEST(Robustness, LiteralErrors) {
  Parsed parsed = ParseText(
      "package p\n"
      "forbid call t when x > 12.5 because \"r\"\n"
      "forbid call t when x > 99999999999999999999 because \"r\"\n"
      "forbid call t when x > 1.23456 USD because \"r\"\n"
      "rate t 1 per 999999999999999999d\n"
      "budget tokens 5 warn at 0%\n"
      "forbid call t because \"a \\q b\"\n"
      "permit call t when f(x)::\"id\"\n"
      "entity Kept\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("2:24 W0109 decimal number `12.5` needs a currency",
                                             "3:24 W0107 integer `99999999999999999999` does not fit in 64 bits",
                                             "4:24 W0110 amount `1.23456 USD` is out of range or has more than 4 decimal places",
                                             "5:14 W0111 duration `999999999999999999d` is out of range",
                                             "6:25 W0112 percentage `0%` must be between 1% and 100%",
                                             "7:26 W0108 unknown escape sequence `\\q` in string",
                                             "8:20 W0101 expected an entity type before `::`, such as `User` or `common.User`"));
  EXPECT_EQ(parsed.diagnostics[0].help, "write a currency after the amount, e.g. `12.5 USD`");
  // Declarations with a bad literal are left out, and so are their expressions.
  EXPECT_EQ(parsed.dump(), "(package p)\n(entity Kept)\n");
  EXPECT_TRUE(parsed.file.exprs.empty());
}

TEST(Robustness, ThreeSeparateErrorsAreAllReported) {
  Parsed parsed = ParseText(
      "package p\n"
      "entity A { x: }\n"
      "entity B { y: int }\n"
      "tool t.u(a: int\n"
      "\n"
      "permit call t.u when ( because \"x\"\n"
      "entity C\n");
  EXPECT_THAT(parsed.messages(), ElementsAre("2:15 W0101 expected a type, found `}`",
                                             "6:1 W0101 expected `)`, found `permit`",
                                             "6:24 W0101 expected an expression, found `because`"));
  ASSERT_THAT(parsed.diagnostics[1].labels, SizeIs(1));
  EXPECT_EQ(parsed.diagnostics[1].labels[0].message, "this `(` is not closed");
  EXPECT_EQ(parsed.text(parsed.diagnostics[1].labels[0].span), "(");
  EXPECT_EQ(parsed.dump(), "(package p)\n(entity B (body (y int)))\n(entity C)\n");
}

TEST(Robustness, ErrorMessagesNameWhatWasExpected) {
  auto first = [](const std::string& source) {
    Parsed parsed = ParseText(source);
    return parsed.diagnostics.empty() ? std::string("none") : parsed.messages()[0];
  };
  EXPECT_EQ(first("package p\nforbid call db.query when because \"x\""), "2:27 W0101 expected an expression, found `because`");
  EXPECT_EQ(first("package p\nentity Team { name: string"), "2:27 W0101 expected `}`, found end of file");
  EXPECT_EQ(first("package p\npermit x"), "2:8 W0101 expected `call` or `result`, found `x`");
  EXPECT_EQ(first("package p\npermit call"), "2:12 W0101 expected `*` or a name, found end of file");
  EXPECT_EQ(first("package p\nallow call db.query"),
            "2:1 W0101 expected a declaration (`entity`, `tool`, `permit`, ...), found `allow`");
  EXPECT_EQ(first("package p\ntest \"t\" { foo }"),
            "2:12 W0101 expected `entity`, `call`, `result`, `session`, `expect` or `}`, found `foo`");
  EXPECT_EQ(first("package p\nrate x 10 per 5"), "2:15 W0101 expected a duration such as `15m`, found `5`");
  EXPECT_EQ(first("package p\nagent Bot { acts_for User }"), "2:22 W0101 unexpected `User` after `acts_for`");
  EXPECT_EQ(first("package p\npermit call x when args.\n"), "2:25 W0101 expected a name, found end of file");
  EXPECT_EQ(first("package"), "1:8 W0101 expected a name, found end of file");

  Parsed reserved = ParseText("package p\ntool db.query(sql: string, limit: int)\n");
  EXPECT_THAT(reserved.messages(), ElementsAre("2:28 W0101 expected `)`, found `limit`"));
  EXPECT_EQ(reserved.diagnostics[0].help, "`limit` is a reserved keyword and cannot be used as a name");
  Parsed late_import = ParseText("package p\nentity A\nimport std.sql\n");
  EXPECT_THAT(late_import.messages()[0], HasSubstr("found `import`"));
  EXPECT_THAT(late_import.diagnostics[0].help, HasSubstr("right after the `package` declaration"));

  Parsed typo = ParseText("package p\nforbid call x\n  whne args.a > 1\n  because \"r\"\n");
  EXPECT_THAT(typo.messages(),
              ElementsAre("3:3 W0101 expected a declaration (`entity`, `tool`, `permit`, ...), found `whne`"));
  EXPECT_EQ(typo.diagnostics[0].help, "did you mean `when`?");
  // The misspelt clause spoils its rule: `forbid call x` alone must not survive.
  EXPECT_EQ(typo.dump(), "(package p)\n");
  EXPECT_EQ(ParseText("package p\nallow call db.query").diagnostics[0].help, "did you mean `permit`?");
}

TEST(Robustness, ErrorCap) {
  std::string source = "package p\n";
  for (int i = 0; i < 100; ++i) source += "entity { }\n";
  Parsed parsed = ParseText(source);
  ASSERT_THAT(parsed.diagnostics, SizeIs(26));
  EXPECT_EQ(parsed.codes().back(), "W0004");
  EXPECT_EQ(parsed.diagnostics.back().message, "too many syntax errors; stopped after 25");
  EXPECT_TRUE(parsed.file.decls.empty());

  ParseLimits limits;
  limits.max_errors = 3;
  std::string chars = "package p\n";
  for (int i = 0; i < 50; ++i) chars += "entity A @\n";
  Parsed capped = ParseText(chars, limits);
  EXPECT_THAT(capped.codes(), ElementsAre("W0102", "W0102", "W0102", "W0004"));
  EXPECT_THAT(capped.messages()[2], HasSubstr("4:10"));
}

TEST(Robustness, TooManyDeclarations) {
  ParseLimits limits;
  limits.max_decls = 10;
  std::string source = "package p\n";
  for (int i = 0; i < 11; ++i) source += fmt::format("entity E{}\n", i);
  Parsed parsed = ParseText(source, limits);
  EXPECT_THAT(parsed.messages(), ElementsAre("12:1 W0005 11 declarations in one file, over the limit of 10"));
  EXPECT_TRUE(parsed.file.decls.empty());
}

TEST(Robustness, DeepInputOnASmallCallerStack) {
  // The parser runs on a stack of its own, so a caller on a small thread stack (a worker
  // pool, a language server) can still parse nesting right up to the limits.
  static std::string source;
  source = "package p\npermit call t when ";
  for (int i = 0; i < 700; ++i) source += "not ";
  source += "(" + std::string(190, '[') + "x" + std::string(190, ']') + ")\n";
  static Parsed parsed;
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 128u << 10), 0);
  pthread_t thread;
  ASSERT_EQ(pthread_create(
                &thread, &attr,
                [](void*) -> void* {
                  parsed = ParseText(source);
                  return nullptr;
                },
                nullptr),
            0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_THAT(parsed.messages(), ElementsAre());
  EXPECT_EQ(parsed.file.decls.size(), 1u);
}

TEST(Robustness, ParsesInParallel) {
  // ANTLR shares its prediction caches between parsers; files may be parsed on several threads.
  std::string source = "package p\ntool t(n: int)\n";
  for (int i = 0; i < 200; ++i) {
    source += fmt::format("forbid call t when args.n > {0} and not (args.n in [{0}, 2]) because \"r{0}\"\n", i);
  }
  source += "permit call t when ( because \"broken\"\n";
  const std::string expected = ParseText(source).dump();
  std::vector<std::string> dumps(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < dumps.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) dumps[t] = ParseText(source).dump();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& dump : dumps) EXPECT_EQ(dump, expected);
}

}  // namespace
}  // namespace writ::syntax
