/* native.h must be usable from C: this file includes it in a C translation unit and calls a
 * function of every module. */
#include "stdlib/native.h"

int writ_native_c_header_compiles(void) {
  writ_std_arena arena = {0, 0, 0};
  writ_std_string items[1];
  size_t count = 0;
  int64_t amount = 0;
  if (writ_text_length("abc", 3) != 3) return 1;
  if (!writ_pii_contains_kind("a@b.cd", 6, WRIT_PII_EMAIL)) return 2;
  if (!writ_sql_is_read("SELECT 1", 8)) return 3;
  if (writ_sql_tables("SELECT 1", 8, WRIT_SQL_ALL_DIALECTS, &arena, items, 1, &count) !=
      WRIT_STD_OK) {
    return 4;
  }
  if (writ_money_abs(-5, &amount) != WRIT_STD_OK || amount != 5) return 5;
  if (writ_time_weekday(0) != 4) return 6;
  if (!writ_net_is_private("10.0.0.1", 8)) return 7;
  return 0;
}
