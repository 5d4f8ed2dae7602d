// std.time: calendar fields of UTC timestamps on the proleptic Gregorian calendar, by integer
// arithmetic only (no locale, no time-zone database), total over int64 milliseconds.
#include <cstdint>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

constexpr int64_t kMsPerDay = 86'400'000;
constexpr int64_t kDaysPer400Years = 146'097;

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) {
  const int64_t r = a % b;  // no intermediate product: total for every int64
  return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
}

struct Civil {
  int64_t year;
  int64_t month;  // 1-12
  int64_t day;    // 1-31
};

// Years are counted from March 1, so that the leap day is the last day of a year. A 400-year
// cycle then splits into three centuries of 36524 days and a fourth one day longer, a century
// into four-year spans of 1461 days (the last one shorter), a span into three 365-day years and
// a fourth one day longer; the min() calls give the long last piece its extra day.
Civil CivilFromDays(int64_t days_since_epoch) {
  // The first day of each month of a March-based year, March first.
  static constexpr int64_t kMonthStart[12] = {0,   31,  61,  92,  122, 153,
                                              184, 214, 245, 275, 306, 337};
  const int64_t z = days_since_epoch + 719'468;  // days since 0000-03-01
  const int64_t cycle = FloorDiv(z, kDaysPer400Years);
  int64_t rest = z - cycle * kDaysPer400Years;  // 0-146096
  int64_t centuries = rest / 36'524;
  if (centuries > 3) centuries = 3;
  rest -= centuries * 36'524;
  const int64_t spans = rest / 1'461;
  rest -= spans * 1'461;
  int64_t years = rest / 365;
  if (years > 3) years = 3;
  rest -= years * 365;  // the day of the March-based year, 0-365
  int64_t march_month = 11;
  while (kMonthStart[march_month] > rest) --march_month;
  const int64_t month = march_month < 10 ? march_month + 3 : march_month - 9;
  const int64_t year =
      cycle * 400 + centuries * 100 + spans * 4 + years + (month <= 2 ? 1 : 0);
  return {year, month, rest - kMonthStart[march_month] + 1};
}

Civil CivilOf(int64_t t) { return CivilFromDays(FloorDiv(t, kMsPerDay)); }

writ_std_status DaysToMillis(int64_t days, int64_t* out) {
  int64_t ms;
  if (__builtin_mul_overflow(days, kMsPerDay, &ms)) return WRIT_STD_OUT_OF_RANGE;
  *out = ms;
  return WRIT_STD_OK;
}

}  // namespace
}  // namespace writ::stdlib

using writ::stdlib::CivilOf;
using writ::stdlib::FloorDiv;
using writ::stdlib::FloorMod;
using writ::stdlib::kMsPerDay;

extern "C" {

int64_t writ_time_hour(int64_t t) noexcept { return FloorMod(t, kMsPerDay) / 3'600'000; }

int64_t writ_time_weekday(int64_t t) noexcept {
  // 1970-01-01 was a Thursday (4).
  return FloorMod(FloorDiv(t, kMsPerDay) + 3, 7) + 1;
}

int64_t writ_time_day(int64_t t) noexcept { return CivilOf(t).day; }
int64_t writ_time_month(int64_t t) noexcept { return CivilOf(t).month; }
int64_t writ_time_year(int64_t t) noexcept { return CivilOf(t).year; }

writ_std_status writ_time_start_of_day(int64_t t, int64_t* out) noexcept {
  return writ::stdlib::DaysToMillis(FloorDiv(t, kMsPerDay), out);
}

writ_std_status writ_time_start_of_week(int64_t t, int64_t* out) noexcept {
  const int64_t days = FloorDiv(t, kMsPerDay);
  return writ::stdlib::DaysToMillis(days - (writ_time_weekday(t) - 1), out);
}

writ_std_status writ_time_start_of_month(int64_t t, int64_t* out) noexcept {
  const int64_t days = FloorDiv(t, kMsPerDay);
  return writ::stdlib::DaysToMillis(days - (CivilOf(t).day - 1), out);
}

}  // extern "C"
