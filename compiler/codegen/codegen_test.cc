// Codegen and the JIT without the runtime: roots of a small policy are emitted, compiled with
// the O2 pipeline and called on hand-made frames; roots outside the subset say why.
#include "compiler/codegen/codegen.h"

#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>

#include "compiler/codegen/frame.h"
#include "compiler/jit/jit.h"
#include "runtime/test_policies.h"

namespace writ::codegen {
namespace {

constexpr const char* kPolicy = R"(package p
import std.text
agent Bot {}
tool t(n: int, s: string, amount: money, tags: set<string>)
forbid call t when args.n + 1 > 10 because "big"
forbid call t when args.s in ["a", "bc"] or args.s like "x*" because "named"
forbid call t when args.amount * 2 >= 10 USD because "costly"
forbid call t when text.lower(args.s) == "q" because "lower"
)";

class CodegenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string errors;
    policy_ = runtime::testing::CompilePolicy(kPolicy, &errors);
    ASSERT_NE(policy_, nullptr) << errors;
    std::vector<jit::Symbol> natives;
    for (const NativeSymbol& native : NativeSymbols()) {
      natives.push_back({native.name, native.address});
    }
    absl::StatusOr<std::unique_ptr<jit::Jit>> created = jit::Jit::Create(natives);
    ASSERT_TRUE(created.ok()) << created.status();
    jit_ = std::move(*created);
    absl::StatusOr<EmittedModule> emitted =
        EmitModule(*policy_, jit_->data_layout(), jit_->triple());
    ASSERT_TRUE(emitted.ok()) << emitted.status();
    roots_ = emitted->roots;
    ASSERT_TRUE(jit_->AddModule(std::move(emitted->context), std::move(emitted->module)).ok());
  }

  // The compiled condition of rule `index`, or null.
  RootFunction Condition(size_t index) {
    ir::ExprId root = policy_->rules.at(index).instances.at(0).condition;
    for (const RootInfo& info : roots_) {
      if (info.root != root || !info.compiled()) continue;
      absl::StatusOr<void*> address = jit_->Lookup(info.function);
      EXPECT_TRUE(address.ok()) << address.status();
      return address.ok() ? reinterpret_cast<RootFunction>(*address) : nullptr;
    }
    return nullptr;
  }

  // Calls `f` with the arguments `args` (in slot order: amount, n, s, tags); returns its status
  // and writes the value to `value`.
  static int32_t Call(RootFunction f, const Cell (&args)[4], int64_t& value) {
    Cell principal{0, "b", 1, 0, 1};
    Cell absent;
    Frame frame;
    frame.args = args;
    frame.principal = &principal;
    frame.acts_for = &absent;
    frame.result = &absent;
    Cell out;
    int32_t status = f(&frame, &out);
    value = out.number;
    return status;
  }

  static Cell Int(int64_t n) { return Cell{n, nullptr, 0, 0, 1}; }
  static Cell String(const std::string& s) { return Cell{0, s.data(), s.size(), 0, 1}; }
  static Cell Usd(int64_t units) { return Cell{units, nullptr, 0, *PackCurrency("USD"), 1}; }

  std::unique_ptr<ir::Policy> policy_;
  std::unique_ptr<jit::Jit> jit_;
  std::vector<RootInfo> roots_;
};

TEST_F(CodegenTest, ReportsWhatIsNotCompiled) {
  ASSERT_EQ(roots_.size(), 4u);
  size_t compiled = 0;
  for (const RootInfo& info : roots_) {
    if (info.compiled()) {
      ++compiled;
      EXPECT_EQ(info.function, "writ_root_" + std::to_string(info.root.index));
    } else {
      EXPECT_EQ(info.reason, "call std.text.lower");
    }
  }
  EXPECT_EQ(compiled, 3u);
  EXPECT_EQ(Condition(3), nullptr);
}

TEST_F(CodegenTest, IntArithmeticOverflowIsAnError) {
  RootFunction big = Condition(0);
  ASSERT_NE(big, nullptr);
  std::string s = "q";
  int64_t value = -1;
  EXPECT_EQ(Call(big, {Usd(0), Int(20), String(s), Cell{}}, value), 0);
  EXPECT_EQ(value, 1);
  EXPECT_EQ(Call(big, {Usd(0), Int(9), String(s), Cell{}}, value), 0);
  EXPECT_EQ(value, 0);
  EXPECT_EQ(Call(big, {Usd(0), Int(INT64_MAX), String(s), Cell{}}, value), 1);
}

TEST_F(CodegenTest, StringsInConstantSetsAndGlobs) {
  RootFunction named = Condition(1);
  ASSERT_NE(named, nullptr);
  int64_t value = -1;
  for (const auto& [text, expected] : std::vector<std::pair<std::string, int64_t>>{
           {"a", 1}, {"bc", 1}, {"b", 0}, {"abc", 0}, {"", 0}, {"xylophone", 1}, {"x", 1}}) {
    EXPECT_EQ(Call(named, {Usd(0), Int(0), String(text), Cell{}}, value), 0) << text;
    EXPECT_EQ(value, expected) << text;
  }
}

TEST_F(CodegenTest, MoneyChecksCurrencyAndOverflow) {
  RootFunction costly = Condition(2);
  ASSERT_NE(costly, nullptr);
  std::string s;
  int64_t value = -1;
  EXPECT_EQ(Call(costly, {Usd(50000), Int(0), String(s), Cell{}}, value), 0);
  EXPECT_EQ(value, 1);
  EXPECT_EQ(Call(costly, {Usd(49999), Int(0), String(s), Cell{}}, value), 0);
  EXPECT_EQ(value, 0);
  Cell eur{100000, nullptr, 0, *PackCurrency("EUR"), 1};
  EXPECT_EQ(Call(costly, {eur, Int(0), String(s), Cell{}}, value), 1);
  EXPECT_EQ(Call(costly, {Usd(INT64_MAX / 2 + 1), Int(0), String(s), Cell{}}, value), 1);
  // The currency-less zero compares with any currency.
  EXPECT_EQ(Call(costly, {Cell{0, nullptr, 0, 0, 1}, Int(0), String(s), Cell{}}, value), 0);
  EXPECT_EQ(value, 0);
}

TEST_F(CodegenTest, LookupOfAnUnknownSymbolIsNotFound) {
  absl::StatusOr<void*> missing = jit_->Lookup("writ_root_nothing");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(FrameTest, CurrenciesPackAndUnpack) {
  for (std::string currency : {"", "USD", "EUR", "X", "AB"}) {
    std::optional<uint32_t> packed = PackCurrency(currency);
    ASSERT_TRUE(packed.has_value());
    EXPECT_EQ(UnpackCurrency(*packed), currency);
  }
  EXPECT_EQ(PackCurrency(""), 0u);
  EXPECT_NE(PackCurrency("USD"), PackCurrency("EUR"));
  EXPECT_FALSE(PackCurrency("USDT").has_value());
}

}  // namespace
}  // namespace writ::codegen
