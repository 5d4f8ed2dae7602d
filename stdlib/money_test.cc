// std.money and the money operators: exact, and every failure is a status.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

constexpr uint32_t kUsd = WRIT_CURRENCY('U', 'S', 'D');
constexpr uint32_t kEur = WRIT_CURRENCY('E', 'U', 'R');

TEST(MoneyTest, CurrencyCodes) {
  EXPECT_EQ(writ_money_currency_code("USD", 3), kUsd);
  EXPECT_EQ(writ_money_currency_code("usd", 3), 0u);
  EXPECT_EQ(writ_money_currency_code("US", 2), 0u);
  EXPECT_EQ(writ_money_currency_code("U$D", 3), 0u);
  char out[3];
  ASSERT_EQ(writ_money_currency(kEur, out), WRIT_STD_OK);
  EXPECT_EQ(std::string(out, 3), "EUR");
  EXPECT_EQ(writ_money_currency(0, out), WRIT_STD_INVALID_ARGUMENT);
  EXPECT_EQ(writ_money_currency(kUsd | 0x41000000u, out), WRIT_STD_INVALID_ARGUMENT);
}

TEST(MoneyTest, MinAndMaxNeedOneCurrency) {
  int64_t out = 0;
  EXPECT_EQ(writ_money_min(125000, kUsd, -5, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, -5);
  EXPECT_EQ(writ_money_max(125000, kUsd, -5, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 125000);
  out = 7;
  EXPECT_EQ(writ_money_min(1, kUsd, 2, kEur, &out), WRIT_STD_CURRENCY_MISMATCH);
  EXPECT_EQ(writ_money_max(1, kUsd, 2, kEur, &out), WRIT_STD_CURRENCY_MISMATCH);
  EXPECT_EQ(out, 7);  // untouched on failure
  EXPECT_EQ(writ_money_max(1, 0, 2, 0, &out), WRIT_STD_INVALID_ARGUMENT);
}

TEST(MoneyTest, AbsOverflowsOnlyAtTheMinimum) {
  int64_t out = 0;
  EXPECT_EQ(writ_money_abs(-12500, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 12500);
  EXPECT_EQ(writ_money_abs(INT64_MAX, &out), WRIT_STD_OK);
  EXPECT_EQ(writ_money_abs(-INT64_MAX, &out), WRIT_STD_OK);
  EXPECT_EQ(out, INT64_MAX);
  EXPECT_EQ(writ_money_abs(INT64_MIN, &out), WRIT_STD_OVERFLOW);
}

TEST(MoneyTest, AddAndSubtractAreExact) {
  int64_t out = 0;
  EXPECT_EQ(writ_money_add(1, kUsd, 2, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 3);
  EXPECT_EQ(writ_money_add(INT64_MAX, kUsd, 1, kUsd, &out), WRIT_STD_OVERFLOW);
  EXPECT_EQ(writ_money_sub(INT64_MIN, kUsd, 1, kUsd, &out), WRIT_STD_OVERFLOW);
  EXPECT_EQ(writ_money_sub(0, kUsd, INT64_MIN, kUsd, &out), WRIT_STD_OVERFLOW);
  EXPECT_EQ(writ_money_add(1, kUsd, 1, kEur, &out), WRIT_STD_CURRENCY_MISMATCH);
  EXPECT_EQ(writ_money_sub(1, kEur, 1, kUsd, &out), WRIT_STD_CURRENCY_MISMATCH);
}

TEST(MoneyTest, MultiplyAndDivideByInt) {
  int64_t out = 0;
  EXPECT_EQ(writ_money_mul(12500, 3, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 37500);
  EXPECT_EQ(writ_money_mul(INT64_MAX / 2 + 1, 2, &out), WRIT_STD_OVERFLOW);
  EXPECT_EQ(writ_money_mul(INT64_MIN, -1, &out), WRIT_STD_OVERFLOW);
  EXPECT_EQ(writ_money_div(10000, 3, &out), WRIT_STD_OK);  // 1 / 3 = 0.3333
  EXPECT_EQ(out, 3333);
  EXPECT_EQ(writ_money_div(-10000, 3, &out), WRIT_STD_OK);  // toward zero
  EXPECT_EQ(out, -3333);
  EXPECT_EQ(writ_money_div(1, 0, &out), WRIT_STD_DIVISION_BY_ZERO);
  EXPECT_EQ(writ_money_div(INT64_MIN, -1, &out), WRIT_STD_OVERFLOW);
}

TEST(MoneyTest, Compare) {
  int32_t out = 9;
  EXPECT_EQ(writ_money_compare(1, kUsd, 2, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, -1);
  EXPECT_EQ(writ_money_compare(2, kUsd, 2, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 0);
  EXPECT_EQ(writ_money_compare(INT64_MAX, kUsd, INT64_MIN, kUsd, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 1);
  EXPECT_EQ(writ_money_compare(1, kUsd, 1, kEur, &out), WRIT_STD_CURRENCY_MISMATCH);
}

std::string Format(int64_t amount, uint32_t currency) {
  char out[32];
  size_t size = 0;
  EXPECT_EQ(writ_money_format(amount, currency, out, sizeof out, &size), WRIT_STD_OK);
  return std::string(out, size);
}

TEST(MoneyTest, FormatsAsALiteral) {
  EXPECT_EQ(Format(0, kUsd), "0 USD");
  EXPECT_EQ(Format(500000000, kUsd), "50000 USD");
  EXPECT_EQ(Format(125000, kEur), "12.50 EUR");
  EXPECT_EQ(Format(-125050, kEur), "-12.505 EUR");
  EXPECT_EQ(Format(1, WRIT_CURRENCY('B', 'T', 'C')), "0.0001 BTC");
  EXPECT_EQ(Format(INT64_MIN, kUsd), "-922337203685477.5808 USD");
  EXPECT_EQ(Format(INT64_MAX, kUsd), "922337203685477.5807 USD");
  char small[4];
  size_t size = 0;
  EXPECT_EQ(writ_money_format(125000, kEur, small, sizeof small, &size),
            WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_EQ(size, 9u);
  EXPECT_EQ(writ_money_format(1, 0, small, sizeof small, &size), WRIT_STD_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace writ::stdlib
