#include "runtime/request.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/test_policies.h"

namespace writ::runtime {
namespace {

using Json = nlohmann::json;

const ir::Policy& Procurement() {
  static const std::unique_ptr<ir::Policy> policy = [] {
    std::string errors;
    auto result = testing::CompilePolicyFiles({"policies/procurement", "policies/org"}, &errors);
    EXPECT_NE(result, nullptr) << errors;
    return result;
  }();
  return *policy;
}

Json ValidRequest() {
  return Json::parse(R"({
    "version": 1,
    "tool": "payments.transfer",
    "phase": "call",
    "principal": { "type": "procurement.ProcurementBot", "id": "bot-7" },
    "entities": [
      { "type": "procurement.ProcurementBot", "id": "bot-7",
        "attrs": { "acts_for": { "type": "org.User", "id": "alice" } } },
      { "type": "org.User", "id": "alice",
        "attrs": { "email": "alice@example.com", "approval_limit": "50000 USD",
                   "manager": { "type": "org.User", "id": "bob" } },
        "parents": [ { "type": "org.Department", "id": "finance" } ] },
      { "type": "org.User", "id": "bob",
        "attrs": { "email": "bob@example.com", "approval_limit": "250000 USD",
                   "manager": { "type": "org.User", "id": "bob" } } },
      { "type": "org.Department", "id": "finance" }
    ],
    "args": { "amount": "12000 USD", "to": "ACME Corp" },
    "session": { "task": "restock-q4", "tokens_used": 1200, "tool_calls": 3,
                 "started_at": "2026-11-26T09:00:00Z", "now": "2026-11-26T10:30:00Z",
                 "spent": "1500 USD" },
    "counters": { "spend": { "per_task": "28000 USD" } }
  })");
}

DecodeResult Decode(const Json& json) { return DecodeRequest(Procurement(), json.dump()); }

// The single error code of a failed decoding, with its path.
std::string FirstError(const DecodeResult& result) {
  if (result.ok()) return "ok";
  return result.errors[0].code + " at " + result.errors[0].path;
}

TEST(RequestTest, DecodesTheValidRequest) {
  DecodeResult result = Decode(ValidRequest());
  ASSERT_TRUE(result.ok()) << FirstError(result) << ": " << result.errors[0].message;
  const Request& request = *result.request;
  EXPECT_EQ(Procurement().tool(request.tool).name, "payments.transfer");
  EXPECT_EQ(request.entities.size(), 4u);
  EXPECT_EQ(request.entities[request.principal].id, "bot-7");
  ASSERT_TRUE(request.entities[request.principal].acts_for.has_value());
  EXPECT_EQ(request.entities[*request.entities[request.principal].acts_for].id, "alice");
  EXPECT_EQ(request.entities[1].parents.size(), 1u);
  // args fields are sorted by name: amount, memo, to.
  ASSERT_EQ(request.args.elements.size(), 3u);
  EXPECT_EQ(request.args.elements[0], Value::Money(120000000, "USD"));
  EXPECT_EQ(request.args.elements[1].kind, Value::Kind::kAbsent);
  EXPECT_EQ(request.counters.spend.at("per_task"), Value::Money(280000000, "USD"));
  EXPECT_EQ(request.session[static_cast<size_t>(ir::SessionFact::kNow)],
            Value::Timestamp(1795689000000));
}

struct BadCase {
  const char* name;
  std::function<void(Json&)> edit;
  const char* code;
  const char* path;
};

TEST(RequestTest, ReportsEachProblemWithCodeAndPath) {
  const BadCase cases[] = {
      {"no version", [](Json& j) { j.erase("version"); }, "request.version", "$.version"},
      {"version 2", [](Json& j) { j["version"] = 2; }, "request.version", "$.version"},
      {"no tool", [](Json& j) { j.erase("tool"); }, "request.missing", "$.tool"},
      {"unknown tool", [](Json& j) { j["tool"] = "payments.steal"; }, "request.unknown_tool",
       "$.tool"},
      {"bad phase", [](Json& j) { j["phase"] = "before"; }, "request.type", "$.phase"},
      {"extra field", [](Json& j) { j["tol"] = 1; }, "request.unknown_field", "$.tol"},
      {"money as number", [](Json& j) { j["args"]["amount"] = 12000; }, "request.type",
       "$.args.amount"},
      {"five decimals", [](Json& j) { j["args"]["amount"] = "1.00001 USD"; }, "request.range",
       "$.args.amount"},
      {"missing arg", [](Json& j) { j["args"].erase("to"); }, "request.missing", "$.args.to"},
      {"extra arg", [](Json& j) { j["args"]["too"] = "x"; }, "request.unknown_field", "$.args.too"},
      {"int too big", [](Json& j) { j["session"]["tokens_used"] = 18446744073709551615u; },
       "request.range", "$.session.tokens_used"},
      {"int with fraction", [](Json& j) { j["session"]["tool_calls"] = 1.5; }, "request.type",
       "$.session.tool_calls"},
      {"bad timestamp", [](Json& j) { j["session"]["now"] = "2026-13-01T00:00:00Z"; },
       "request.type", "$.session.now"},
      {"unknown fact", [](Json& j) { j["session"]["elapsed"] = "1h"; }, "request.unknown_field",
       "$.session.elapsed"},
      {"unknown counter", [](Json& j) { j["counters"]["spend"]["nope"] = "1 USD"; },
       "request.unknown_field", "$.counters.spend.nope"},
      {"unknown entity type", [](Json& j) { j["entities"][3]["type"] = "org.Team"; },
       "request.unknown_type", "$.entities[3].type"},
      {"unknown principal", [](Json& j) { j["principal"]["id"] = "bot-8"; },
       "request.unknown_entity", "$.principal"},
      {"principal not an agent",
       [](Json& j) {
         j["principal"] = {{"type", "org.User"}, {"id", "bob"}};
       },
       "request.type", "$.principal.type"},
      {"dangling manager", [](Json& j) { j["entities"][2]["attrs"]["manager"]["id"] = "carol"; },
       "request.unknown_entity", "$.entities[2].attrs.manager"},
      {"missing attr", [](Json& j) { j["entities"][1]["attrs"].erase("email"); }, "request.missing",
       "$.entities[1].attrs.email"},
      {"missing acts_for", [](Json& j) { j["entities"][0]["attrs"].erase("acts_for"); },
       "request.missing", "$.entities[0].attrs.acts_for"},
      {"parent of wrong type",
       [](Json& j) {
         j["entities"][1]["parents"][0] = {{"type", "org.User"}, {"id", "bob"}};
       },
       "request.type", "$.entities[1].parents[0].type"},
      {"result in call phase", [](Json& j) { j["result"] = Json::object(); },
       "request.unknown_field", "$.result"},
      {"entities not an array", [](Json& j) { j["entities"] = Json::object(); }, "request.type",
       "$.entities"},
      {"weird key", [](Json& j) { j["args"]["a b"] = 1; }, "request.unknown_field",
       "$.args[\"a b\"]"},
  };
  for (const BadCase& c : cases) {
    Json json = ValidRequest();
    c.edit(json);
    DecodeResult result = Decode(json);
    ASSERT_FALSE(result.ok()) << c.name;
    bool found = false;
    for (const RequestError& error : result.errors) {
      found = found || (error.code == c.code && error.path == c.path);
    }
    EXPECT_TRUE(found) << c.name << ": got " << FirstError(result) << " ("
                       << result.errors[0].message << ")";
  }
}

TEST(RequestTest, RefusesCycles) {
  // The checker refuses cyclic entity types, which cyclic entities need; the decoder still
  // guards against them, so let a group be in a group by editing the IR.
  std::string errors;
  auto policy = testing::CompilePolicy(R"(package p
entity Group
agent Bot { g: Group }
tool t.run(x: int)
permit call t.run
)",
                                       &errors);
  ASSERT_NE(policy, nullptr) << errors;
  for (uint32_t i = 0; i < policy->entity_types.size(); ++i) {
    if (policy->entity_types[i].name == "p.Group") {
      policy->entity_types[i].parents.push_back(ir::EntityTypeId{i});
    }
  }
  std::string json = R"({"version":1,"tool":"t.run","phase":"call",
    "principal":{"type":"p.Bot","id":"b"},
    "entities":[{"type":"p.Bot","id":"b","attrs":{"g":{"type":"p.Group","id":"a"}}},
      {"type":"p.Group","id":"a","parents":[{"type":"p.Group","id":"c"}]},
      {"type":"p.Group","id":"c","parents":[{"type":"p.Group","id":"a"}]}],
    "args":{"x":1}})";
  DecodeResult result = DecodeRequest(*policy, json);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors[0].code, "request.cycle");
}

TEST(RequestTest, MalformedAndHostileInputGiveStructuredErrors) {
  struct Case {
    std::string text;
    const char* code;
  };
  const Case cases[] = {
      {"", "request.json"},
      {"{", "request.json"},
      {"[1, 2]", "request.json"},
      {"null", "request.json"},
      {"{\"version\": 1,}", "request.json"},
      {"{\"a\": \"\xff\xfe\"}", "request.json"},
      {std::string(100000, '[') + std::string(100000, ']'), "request.limit"},
      {"{\"version\":1,\"tool\":\"" + std::string(2 << 20, 'x') + "\"}", "request.limit"},
  };
  for (const Case& c : cases) {
    DecodeResult result = DecodeRequest(Procurement(), c.text);
    ASSERT_FALSE(result.ok()) << c.text.substr(0, 40);
    EXPECT_EQ(result.errors[0].code, c.code) << c.text.substr(0, 40);
    EXPECT_EQ(result.errors[0].path, "$");
  }
}

TEST(RequestTest, EnforcesStringSetAndEntityLimits) {
  Json json = ValidRequest();
  json["args"]["to"] = std::string(64 * 1024 + 1, 'a');
  DecodeResult result = Decode(json);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(FirstError(result), "request.limit at $.args.to");

  json = ValidRequest();
  for (int i = 0; i < 10001; ++i) {
    json["entities"].push_back({{"type", "org.Department"}, {"id", std::to_string(i)}});
  }
  result = Decode(json);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(FirstError(result), "request.limit at $.entities");

  json = ValidRequest();
  Json parents = Json::array();
  for (int i = 0; i < 101; ++i) parents.push_back({{"type", "org.Department"}, {"id", "finance"}});
  json["entities"][1]["parents"] = parents;
  result = Decode(json);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(FirstError(result), "request.limit at $.entities[1].parents");
}

TEST(RequestTest, CapsTheNumberOfErrors) {
  Json json = ValidRequest();
  for (int i = 0; i < 50; ++i) json["extra" + std::to_string(i)] = i;
  DecodeResult result = Decode(json);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors.size(), 20u);
}

TEST(RequestTest, AZeroErrorLimitStillFailsABadRequest) {
  Json json = ValidRequest();
  json["extra"] = 1;
  RequestLimits limits;
  limits.max_errors = 0;
  DecodeResult result = DecodeRequest(Procurement(), json.dump(), limits);
  ASSERT_FALSE(result.ok()) << "a request with an unknown field decoded";
  EXPECT_EQ(result.errors.size(), 1u);
}

TEST(RequestTest, TruncatedAndCorruptedRequestsNeverCrash) {
  const std::string valid = ValidRequest().dump();
  for (size_t size = 0; size < valid.size(); ++size) {
    DecodeResult result = DecodeRequest(Procurement(), std::string_view(valid).substr(0, size));
    EXPECT_FALSE(result.ok()) << size;
    EXPECT_FALSE(result.errors.empty());
  }
  uint32_t seed = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string corrupted = valid;
    for (int flips = 0; flips < 3; ++flips) {
      seed = seed * 1664525 + 1013904223;
      corrupted[seed % corrupted.size()] = static_cast<char>(seed >> 24);
    }
    DecodeResult result = DecodeRequest(Procurement(), corrupted);
    EXPECT_TRUE(result.ok() || !result.errors.empty());
  }
}

TEST(RequestTest, ParsesScalarTextForms) {
  EXPECT_EQ(ParseMoney("12.50 USD").value, Value::Money(125000, "USD"));
  EXPECT_EQ(ParseMoney("-0.0001 BTC").value, Value::Money(-1, "BTC"));
  EXPECT_FALSE(ParseMoney("12.50USD").ok);
  EXPECT_FALSE(ParseMoney("12. USD").ok);
  EXPECT_FALSE(ParseMoney("12 usd").ok);
  EXPECT_TRUE(ParseMoney("99999999999999999999 USD").out_of_range);
  EXPECT_EQ(ParseDuration("1h30m").value, Value::Duration(5400000));
  EXPECT_EQ(ParseDuration("100ms").value, Value::Duration(100));
  EXPECT_EQ(ParseDuration("7d").value, Value::Duration(604800000));
  EXPECT_FALSE(ParseDuration("1x").ok);
  EXPECT_FALSE(ParseDuration("h").ok);
  EXPECT_TRUE(ParseDuration("999999999999999999d").out_of_range);
  EXPECT_EQ(ParseTimestamp("1970-01-01T00:00:00Z").value, Value::Timestamp(0));
  EXPECT_EQ(ParseTimestamp("1970-01-01T01:00:00.250+01:00").value, Value::Timestamp(250));
  EXPECT_FALSE(ParseTimestamp("2026-02-29T00:00:00Z").ok);
  EXPECT_FALSE(ParseTimestamp("2026-01-01T00:00:00").ok);
  EXPECT_FALSE(ParseTimestamp("2026-01-01").ok);
}

}  // namespace
}  // namespace writ::runtime
