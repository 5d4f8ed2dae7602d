#include "stdlib/declarations.h"

#include <iterator>
#include <string_view>

namespace writ::stdlib {
namespace {

constexpr TypeSpec kBool{BaseType::kBool};
constexpr TypeSpec kInt{BaseType::kInt};
constexpr TypeSpec kMoney{BaseType::kMoney};
constexpr TypeSpec kString{BaseType::kString};
constexpr TypeSpec kTimestamp{BaseType::kTimestamp};
constexpr TypeSpec kStringSet{BaseType::kString, true};
constexpr TypeSpec kKind{BaseType::kEnum, false, "Kind"};
constexpr TypeSpec kKindSet{BaseType::kEnum, true, "Kind"};

constexpr Module kModules[] = {
    {"std.text", "text inspection: length, case, affixes, globs and regular expressions"},
    {"std.pii", "detectors of personal data and secrets in text"},
    {"std.sql", "classification of SQL statements"},
    {"std.money", "amounts of money"},
    {"std.time", "calendar fields of timestamps, in UTC"},
    {"std.net", "IP addresses and networks"},
};

// The std.pii detectors, in the order of the `Kind` enum.
constexpr std::string_view kDetectors[] = {
    "email",  "phone",        "us_ssn",       "card",        "iban",        "ipv4", "ipv6",
    "secret", "aws_key",      "github_token", "gitlab_token", "slack_token", "private_key",
    "jwt",
};

constexpr std::string_view kDetectorDocs[] = {
    "an email address",
    "a phone number",
    "a US social security number",
    "a payment card number that passes the Luhn check",
    "an IBAN with a valid checksum",
    "an IPv4 address",
    "an IPv6 address",
    "a high-entropy secret assigned to a key-like name",
    "an AWS access key id",
    "a GitHub token",
    "a GitLab token",
    "a Slack token",
    "a PEM private key block",
    "a JSON Web Token",
};
static_assert(std::size(kDetectors) == std::size(kDetectorDocs));

std::vector<Function> BuildFunctions() {
  using C = CostClass;
  return {
      // std.text
      {"std.text", "length", {{"s", kString}}, kInt, "the number of code points in `s`", C::kLinear},
      {"std.text", "lower", {{"s", kString}}, kString, "`s` in lower case", C::kLinear},
      {"std.text", "upper", {{"s", kString}}, kString, "`s` in upper case", C::kLinear},
      {"std.text", "contains", {{"s", kString}, {"part", kString}}, kBool,
       "whether `part` occurs in `s`", C::kPattern},
      {"std.text", "starts_with", {{"s", kString}, {"prefix", kString}}, kBool,
       "whether `s` begins with `prefix`", C::kLinear},
      {"std.text", "ends_with", {{"s", kString}, {"suffix", kString}}, kBool,
       "whether `s` ends with `suffix`", C::kLinear},
      {"std.text", "glob", {{"s", kString}, {"glob", kString, Pattern::kGlob}}, kBool,
       "whether `s` matches the glob (`*` any run, `?` one code point)", C::kPattern},
      {"std.text", "matches", {{"s", kString}, {"regex", kString, Pattern::kRegex}}, kBool,
       "whether the regular expression (RE2 syntax) matches somewhere in `s`", C::kPattern},
      // std.pii
      {"std.pii", "contains", {{"s", kString}}, kBool, "whether any detector fires on `s`",
       C::kPattern},
      {"std.pii", "contains_kind", {{"s", kString}, {"kind", kKind}}, kBool,
       "whether the detector `kind` fires on `s`", C::kPattern},
      {"std.pii", "kinds", {{"s", kString}}, kKindSet, "the detectors that fire on `s`",
       C::kPattern},
      {"std.pii", "redact", {{"s", kString}}, kString,
       "`s` with every detected span replaced by its kind in brackets", C::kPattern},
      // std.sql
      {"std.sql", "is_ddl", {{"sql", kString}}, kBool,
       "whether any statement defines or alters schema (CREATE, ALTER, DROP, TRUNCATE, ...)",
       C::kParse},
      {"std.sql", "is_write", {{"sql", kString}}, kBool,
       "whether any statement changes data (INSERT, UPDATE, DELETE, MERGE, ...)", C::kParse},
      {"std.sql", "is_read", {{"sql", kString}}, kBool,
       "whether every statement only reads (SELECT, SHOW, EXPLAIN)", C::kParse},
      {"std.sql", "is_transaction", {{"sql", kString}}, kBool,
       "whether any statement controls a transaction (BEGIN, COMMIT, ROLLBACK)", C::kParse},
      {"std.sql", "is_multi_statement", {{"sql", kString}}, kBool,
       "whether the text holds more than one statement", C::kParse},
      {"std.sql", "has_unbounded_write", {{"sql", kString}}, kBool,
       "whether an UPDATE or DELETE statement has no WHERE clause", C::kParse},
      {"std.sql", "tables", {{"sql", kString}}, kStringSet,
       "the names of the tables the statements mention", C::kParse},
      // std.money
      {"std.money", "currency", {{"amount", kMoney}}, kString,
       "the ISO 4217 code of `amount`", C::kConstant},
      {"std.money", "min", {{"a", kMoney}, {"b", kMoney}}, kMoney,
       "the smaller amount; both in one currency", C::kConstant},
      {"std.money", "max", {{"a", kMoney}, {"b", kMoney}}, kMoney,
       "the larger amount; both in one currency", C::kConstant},
      {"std.money", "abs", {{"amount", kMoney}}, kMoney, "the amount without its sign",
       C::kConstant},
      // std.time
      {"std.time", "hour", {{"t", kTimestamp}}, kInt, "the hour of `t`, 0 to 23", C::kConstant},
      {"std.time", "weekday", {{"t", kTimestamp}}, kInt,
       "the day of the week of `t`, Monday 1 to Sunday 7", C::kConstant},
      {"std.time", "day", {{"t", kTimestamp}}, kInt, "the day of the month of `t`, 1 to 31",
       C::kConstant},
      {"std.time", "month", {{"t", kTimestamp}}, kInt, "the month of `t`, 1 to 12",
       C::kConstant},
      {"std.time", "year", {{"t", kTimestamp}}, kInt, "the year of `t`", C::kConstant},
      // std.net
      {"std.net", "in_cidr", {{"address", kString}, {"cidr", kString}}, kBool,
       "whether the IP address lies in the network (`10.0.0.0/8`); false if either is malformed",
       C::kLinear},
      {"std.net", "is_private", {{"address", kString}}, kBool,
       "whether the IP address is private, loopback or link-local; false if malformed",
       C::kLinear},
      // Added after the first release of this table; appended so that earlier indexes, which
      // are ids shared with the evaluators, stay as they were.
      {"std.text", "split", {{"s", kString}, {"separator", kString}}, kStringSet,
       "the distinct parts of `s` between occurrences of `separator`", C::kLinear},
      {"std.time", "start_of_day", {{"t", kTimestamp}}, kTimestamp,
       "midnight (UTC) of the day of `t`", C::kConstant},
      {"std.time", "start_of_week", {{"t", kTimestamp}}, kTimestamp,
       "midnight (UTC) of the Monday of the week of `t`", C::kConstant},
      {"std.time", "start_of_month", {{"t", kTimestamp}}, kTimestamp,
       "midnight (UTC) of the first day of the month of `t`", C::kConstant},
  };
}

std::vector<Enum> BuildEnums() {
  return {{"std.pii", "Kind", std::vector<std::string_view>(std::begin(kDetectors),
                                                            std::end(kDetectors)),
           "a kind of personal data or secret that a detector finds"}};
}

std::vector<Constant> BuildConstants() {
  std::vector<Constant> constants;
  for (size_t i = 0; i < std::size(kDetectors); ++i) {
    constants.push_back({"std.pii", kDetectors[i], "Kind", kDetectorDocs[i]});
  }
  return constants;
}

template <typename T>
std::optional<uint32_t> Find(std::span<const T> table, std::string_view module,
                             std::string_view name) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].module == module && table[i].name == name) return static_cast<uint32_t>(i);
  }
  return std::nullopt;
}

}  // namespace

std::span<const Module> Modules() { return kModules; }

std::span<const Function> Functions() {
  static const std::vector<Function> functions = BuildFunctions();
  return functions;
}

std::span<const Enum> Enums() {
  static const std::vector<Enum> enums = BuildEnums();
  return enums;
}

std::span<const Constant> Constants() {
  static const std::vector<Constant> constants = BuildConstants();
  return constants;
}

const Module* FindModule(std::string_view path) {
  for (const Module& module : kModules) {
    if (module.path == path) return &module;
  }
  return nullptr;
}

std::optional<uint32_t> FindFunction(std::string_view module, std::string_view name) {
  return Find(Functions(), module, name);
}

std::optional<uint32_t> FindEnum(std::string_view module, std::string_view name) {
  return Find(Enums(), module, name);
}

std::optional<uint32_t> FindConstant(std::string_view module, std::string_view name) {
  return Find(Constants(), module, name);
}

std::vector<std::string_view> MemberNames(std::string_view module) {
  std::vector<std::string_view> names;
  for (const Function& f : Functions()) {
    if (f.module == module) names.push_back(f.name);
  }
  for (const Enum& e : Enums()) {
    if (e.module == module) names.push_back(e.name);
  }
  for (const Constant& c : Constants()) {
    if (c.module == module) names.push_back(c.name);
  }
  return names;
}

}  // namespace writ::stdlib
