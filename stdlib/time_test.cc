// std.time: calendar fields in UTC, checked against dates worked out by hand and against a
// day-by-day walk of the calendar.
#include <gtest/gtest.h>

#include <cstdint>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

constexpr int64_t kDay = 86'400'000;

struct Instant {
  int64_t t;
  int64_t year, month, day, hour, weekday;
};

class CalendarTest : public testing::TestWithParam<Instant> {};

TEST_P(CalendarTest, Fields) {
  const Instant& i = GetParam();
  EXPECT_EQ(writ_time_year(i.t), i.year);
  EXPECT_EQ(writ_time_month(i.t), i.month);
  EXPECT_EQ(writ_time_day(i.t), i.day);
  EXPECT_EQ(writ_time_hour(i.t), i.hour);
  EXPECT_EQ(writ_time_weekday(i.t), i.weekday);
}

INSTANTIATE_TEST_SUITE_P(
    Time, CalendarTest,
    testing::Values(
        Instant{0, 1970, 1, 1, 0, 4},                         // a Thursday
        Instant{-1, 1969, 12, 31, 23, 3},                     // the last ms of 1969
        Instant{951782400000, 2000, 2, 29, 0, 2},             // a leap day in a 400-year
        Instant{951868800000, 2000, 3, 1, 0, 3},
        Instant{1709164800000 + 13 * 3'600'000, 2024, 2, 29, 13, 4},
        Instant{1767225599999, 2025, 12, 31, 23, 3},
        Instant{1767225600000, 2026, 1, 1, 0, 4},
        Instant{4107542400000, 2100, 3, 1, 0, 1},             // 2100 is not a leap year
        Instant{-2208988800000, 1900, 1, 1, 0, 1},
        Instant{-62135596800000, 1, 1, 1, 0, 1},              // 0001-01-01, a Monday
        Instant{253402300799999, 9999, 12, 31, 23, 5}));

TEST(CalendarTest, WalksEveryDayForFourCenturies) {
  // From 1600-03-01 on, step a day at a time and check the fields advance like a calendar.
  auto leap = [](int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  int64_t y = 1600, m = 3, d = 1;
  int64_t weekday = 3;  // 1600-03-01 was a Wednesday
  int64_t t = -11670912000000;
  for (int i = 0; i < 146097 + 10; ++i, t += kDay) {
    ASSERT_EQ(writ_time_year(t + 5), y) << i;
    ASSERT_EQ(writ_time_month(t + 5), m) << i;
    ASSERT_EQ(writ_time_day(t + kDay - 1), d) << i;
    ASSERT_EQ(writ_time_weekday(t), weekday) << i;
    const bool thirty = m == 4 || m == 6 || m == 9 || m == 11;
    const int64_t length = m == 2 ? (leap(y) ? 29 : 28) : thirty ? 30 : 31;
    if (++d > length) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    weekday = weekday % 7 + 1;
  }
}

TEST(CalendarTest, TotalOverInt64) {
  EXPECT_EQ(writ_time_year(INT64_MAX), 292278994);
  EXPECT_EQ(writ_time_month(INT64_MAX), 8);
  EXPECT_EQ(writ_time_day(INT64_MAX), 17);
  EXPECT_EQ(writ_time_year(INT64_MIN), -292275055);
  EXPECT_EQ(writ_time_month(INT64_MIN), 5);
  EXPECT_EQ(writ_time_day(INT64_MIN), 16);
  EXPECT_GE(writ_time_hour(INT64_MIN), 0);
  EXPECT_LE(writ_time_weekday(INT64_MIN), 7);
}

TEST(PeriodTest, StartsOfDayWeekAndMonth) {
  const int64_t t = 1718282096789;  // 2024-06-13T12:34:56.789Z, a Thursday
  int64_t out = 0;
  ASSERT_EQ(writ_time_start_of_day(t, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 1718236800000);  // 2024-06-13T00:00:00Z
  ASSERT_EQ(writ_time_start_of_week(t, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 1717977600000);  // Monday 2024-06-10
  ASSERT_EQ(writ_time_start_of_month(t, &out), WRIT_STD_OK);
  EXPECT_EQ(out, 1717200000000);  // 2024-06-01
  ASSERT_EQ(writ_time_start_of_day(-1, &out), WRIT_STD_OK);
  EXPECT_EQ(out, -kDay);
  EXPECT_EQ(writ_time_start_of_month(INT64_MIN, &out), WRIT_STD_OUT_OF_RANGE);
  EXPECT_EQ(writ_time_start_of_day(INT64_MIN, &out), WRIT_STD_OUT_OF_RANGE);
  ASSERT_EQ(writ_time_start_of_week(INT64_MAX, &out), WRIT_STD_OK);
  EXPECT_EQ(writ_time_weekday(out), 1);
}

}  // namespace
}  // namespace writ::stdlib
