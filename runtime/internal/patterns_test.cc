#include "runtime/internal/patterns.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "runtime/interpreter.h"
#include "runtime/test_policies.h"

namespace writ::runtime::internal {
namespace {

constexpr const char* kPolicy = R"(package t

import std.text

agent Bot { team: string }

tool chat.reply(text: string)

permit call chat.reply

password: forbid call chat.reply when text.matches(args.text, "(?i)password\\s*[:=]")
  because "the reply gives a password"

digits: forbid call chat.reply when text.matches(args.text, "^[0-9]{6}$") or text.matches(args.text, "^[0-9]{6}$")
  because "one-time codes stay private"
)";

TEST(CompiledPatternsTest, CompilesEveryMatchCallOnceAtLoad) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(kPolicy, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  CompiledPatterns patterns(*policy);
  EXPECT_EQ(patterns.size(), 3u);
  size_t found = 0;
  for (uint32_t id = 0; id < policy->exprs.size(); ++id) {
    const ir::Expr& e = policy->exprs[id];
    bool is_match = e.op == ir::Op::kCall && IsRegexMatch(e.imm);
    EXPECT_EQ(patterns.Find(ir::ExprId{id}) != nullptr, is_match) << "expression " << id;
    found += is_match ? 1 : 0;
  }
  EXPECT_EQ(found, 3u);
}

TEST(CompiledPatternsTest, InterpreterDecidesWithThePrecompiledPatterns) {
  std::string errors;
  std::unique_ptr<ir::Policy> policy = testing::CompilePolicy(kPolicy, &errors);
  ASSERT_NE(policy, nullptr) << errors;
  Interpreter interpreter(*policy);
  auto decide = [&](const std::string& text) {
    Request request;
    request.tool = ir::FindTool(*policy, "chat.reply");
    request.entities.push_back(Entity{});
    request.entities[0].type = ir::EntityTypeId{0};
    request.entities[0].id = "b";
    request.entities[0].attrs = {Value::String("x")};
    request.args = Value::Record({Value::String(text)});
    return interpreter.Evaluate(request);
  };
  EXPECT_EQ(decide("here you go").effect, DecisionEffect::kAllow);
  Decision password = decide("the PassWord = hunter2");
  EXPECT_EQ(password.effect, DecisionEffect::kDeny);
  ASSERT_FALSE(password.reasons.empty());
  EXPECT_EQ(password.reasons[0].rule, "password");
  EXPECT_EQ(decide("123456").effect, DecisionEffect::kDeny);
  EXPECT_EQ(decide("1234567").effect, DecisionEffect::kAllow);
  EXPECT_TRUE(decide("123456").errors.empty());
}

}  // namespace
}  // namespace writ::runtime::internal
