// Requests: a fixed world of two users, two departments and two organisations with random
// attributes, arguments of the tool's types (edge values included: the largest ints, other
// currencies, empty strings and sets), a random subset of session facts and counters.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tests/diff/generator.h"

namespace writ::diff {
namespace {

using Json = nlohmann::ordered_json;

Json Ref(const char* type, const std::string& id) {
  return Json{{"type", std::string("g.") + type}, {"id", id}};
}

}  // namespace

nlohmann::ordered_json Generator::Value(Ty type) {
  static const std::vector<std::string> kStrings = {
      "", "a", "ACME Corp", "#team-x", "bob@example.com", "DROP TABLE users",
      "SELECT * FROM users; DELETE FROM t", "UPDATE users SET a = 1", "10.1.2.3", "8.8.8.8",
      "call 555-123-4567", "4111 1111 1111 1111", "x 123 drop", "a b c", "ÄÖü"};
  static const std::vector<std::string> kCurrencies = {"USD", "USD", "USD", "EUR"};
  static const std::vector<std::string> kDurations = {"0ms", "1s", "59s", "1m", "90m", "1h",
                                                      "7d", "106751991d"};
  static const std::vector<std::string> kTimestamps = {
      "2026-11-26T10:30:00Z", "2026-11-26T10:29:30Z", "2026-01-01T00:00:00Z",
      "2026-11-30T23:59:59Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"};
  static const std::vector<int64_t> kInts = {0, 1, 2, 3, 7, -1, 100, 1000,
                                             INT64_MAX, INT64_MIN, 4611686018427387904};
  switch (type) {
    case Ty::kBool: return Chance(50);
    case Ty::kInt: return Chance(80) ? Pick(kInts) : static_cast<int64_t>(Below(2000)) - 1000;
    case Ty::kMoney: {
      static const std::vector<std::string> kAmounts = {"0", "1", "10.5", "99.9999", "100",
                                                        "50000", "-3", "922337203685477"};
      return Pick(kAmounts) + " " + Pick(kCurrencies);
    }
    case Ty::kString: return Pick(kStrings);
    case Ty::kDuration: return Pick(kDurations);
    case Ty::kTimestamp: return Pick(kTimestamps);
    case Ty::kLevel: {
      static const std::vector<std::string> kLevels = {"low", "mid", "high"};
      return Pick(kLevels);
    }
    case Ty::kUser: return Ref("User", Chance(50) ? "u1" : "u2");
    case Ty::kStrings: case Ty::kInts: case Ty::kUsers: {
      Json set = Json::array();
      Ty element = type == Ty::kStrings ? Ty::kString : type == Ty::kInts ? Ty::kInt : Ty::kUser;
      for (size_t n = Below(4); n > 0; --n) set.push_back(Value(element));
      return set;
    }
  }
  return nullptr;
}

nlohmann::ordered_json Generator::Session() {
  Json session = Json::object();
  if (Chance(60)) session["tokens_used"] = Chance(10) ? INT64_MAX : static_cast<int64_t>(Below(300000));
  if (Chance(60)) session["tool_calls"] = static_cast<int64_t>(Below(10));
  if (Chance(60)) session["now"] = Value(Ty::kTimestamp);
  if (Chance(50)) session["started_at"] = Value(Ty::kTimestamp);
  if (Chance(40)) session["spent"] = Value(Ty::kMoney);
  if (Chance(40)) session["task"] = Value(Ty::kString);
  return session;
}

std::string Generator::MakeRequest(const Policy& policy) {
  const Tool& tool = Pick(policy.tools);
  bool bot = Chance(70);
  Json request = {{"version", 1},
                  {"tool", tool.name},
                  {"phase", tool.has_result && Chance(40) ? "result" : "call"},
                  {"principal", bot ? Ref("Bot", "b1") : Ref("Helper", "h1")}};
  auto user = [&](const std::string& id, bool boss) {
    Json attrs = {{"cap", Value(Ty::kMoney)},
                  {"level", Value(Ty::kInt)},
                  {"name", Value(Ty::kString)},
                  {"tier", Value(Ty::kLevel)}};
    if (boss) attrs["boss"] = Ref("User", Chance(50) ? "u2" : id);
    Json parents = Json::array();
    if (Chance(80)) parents.push_back(Ref("Dept", Chance(50) ? "d1" : "d2"));
    return Json{{"type", "g.User"}, {"id", id}, {"attrs", attrs}, {"parents", parents}};
  };
  Json team = Value(Ty::kString);
  Json entities = Json::array({
      Json{{"type", "g.Bot"}, {"id", "b1"},
           {"attrs", {{"acts_for", Ref("User", Chance(70) ? "u1" : "u2")},
                      {"tier", Value(Ty::kInt)}, {"team", team}}}},
      Json{{"type", "g.Helper"}, {"id", "h1"},
           {"attrs", {{"tier", Value(Ty::kInt)}, {"team", team}}}},
      user("u1", Chance(60)), user("u2", Chance(30)),
      Json{{"type", "g.Dept"}, {"id", "d1"}, {"attrs", {{"code", "x"}}},
           {"parents", Json::array({Ref("Org", "o1")})}},
      Json{{"type", "g.Dept"}, {"id", "d2"}, {"attrs", {{"code", "y"}}},
           {"parents", Json::array({Ref("Org", Chance(50) ? "o1" : "o2")})}},
      Json{{"type", "g.Org"}, {"id", "o1"}}, Json{{"type", "g.Org"}, {"id", "o2"}}});
  request["entities"] = entities;
  Json args = Json::object();
  for (const Param& p : tool.params) {
    if (!p.optional || Chance(60)) args[p.name] = Value(p.type);
  }
  request["args"] = args;
  if (request["phase"] == "result") {
    request["result"] = {{"rows", Value(Ty::kInt)},
                         {"body", Value(Ty::kString)}};
    if (Chance(50)) request["result"]["note"] = Value(Ty::kString);
  }
  if (Chance(80)) request["session"] = Session();
  Json counters = Json::object();
  for (const std::string& limit : policy.spend_limits) {
    if (Chance(50)) counters["spend"][limit] = Value(Ty::kMoney);
  }
  for (const std::string& rate : policy.rates) {
    if (Chance(50)) counters["calls_in_window"][rate] = static_cast<int64_t>(Below(5));
  }
  if (!counters.empty()) request["counters"] = counters;
  return request.dump();
}

}  // namespace writ::diff
