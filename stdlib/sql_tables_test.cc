// std.sql.tables and statement splitting.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

std::vector<std::string> Tables(std::string_view sql, uint32_t dialects = WRIT_SQL_ALL_DIALECTS) {
  size_t bytes = 0;
  size_t slots = 0;
  writ_sql_tables_bound(sql.size(), &bytes, &slots);
  std::vector<char> storage(bytes);
  std::vector<writ_std_string> items(slots);
  writ_std_arena arena{storage.data(), storage.size(), 0};
  size_t count = 0;
  EXPECT_EQ(writ_sql_tables(sql.data(), sql.size(), dialects, &arena, items.data(), items.size(),
                            &count),
            WRIT_STD_OK);
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.emplace_back(items[i].data, items[i].size);
  return names;
}

using Names = std::vector<std::string>;

struct TablesCase {
  std::string_view sql;
  Names tables;
};

std::ostream& operator<<(std::ostream& os, const TablesCase& c) { return os << c.sql; }

class TablesTest : public testing::TestWithParam<TablesCase> {};

TEST_P(TablesTest, Names) { EXPECT_EQ(Tables(GetParam().sql), GetParam().tables); }

INSTANTIATE_TEST_SUITE_P(
    Sql, TablesTest,
    testing::Values(
        TablesCase{"SELECT 1", {}},
        TablesCase{"SELECT * FROM Users", {"users"}},
        TablesCase{"SELECT * FROM public.users u JOIN orders o ON u.id = o.user_id",
                   {"orders", "public.users", "users"}},
        TablesCase{"SELECT * FROM a, b AS bb, c cc WHERE a.x = bb.x", {"a", "b", "c"}},
        TablesCase{"SELECT * FROM \"My Table\"", {"My Table"}},
        TablesCase{"SELECT * FROM `db`.`t``x`", {"db.t`x", "t`x"}},
        TablesCase{"SELECT * FROM [order details]", {"order details"}},
        TablesCase{"SELECT * FROM (SELECT * FROM inner_t) sub", {"inner_t"}},
        TablesCase{"SELECT * FROM (a JOIN b ON a.id = b.id)", {"a", "b"}},
        TablesCase{"SELECT * FROM generate_series(1, 10) g", {}},
        TablesCase{"SELECT EXTRACT(YEAR FROM created_at) FROM events", {"events"}},
        TablesCase{"SELECT SUBSTRING(name FROM 2) FROM people", {"people"}},
        TablesCase{"SELECT * FROM t WHERE a IS DISTINCT FROM b", {"t"}},
        TablesCase{"WITH recent AS (SELECT * FROM orders) SELECT * FROM recent JOIN users",
                   {"orders", "users"}},
        TablesCase{"WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b, c", {"c"}},
        TablesCase{"INSERT INTO audit_log (msg) VALUES ('x')", {"audit_log"}},
        TablesCase{"INSERT INTO t SELECT * FROM s", {"s", "t"}},
        TablesCase{"INSERT OR REPLACE INTO kv VALUES (1, 2)", {"kv"}},
        TablesCase{"UPDATE accounts SET balance = 0 WHERE id = 1", {"accounts"}},
        TablesCase{"UPDATE ONLY parent SET x = 1", {"parent"}},
        TablesCase{"DELETE FROM sessions WHERE expires < now()", {"sessions"}},
        TablesCase{"DELETE FROM t USING u WHERE t.id = u.id", {"t", "u"}},
        TablesCase{"MERGE INTO target t USING source s ON t.id = s.id WHEN MATCHED THEN DELETE",
                   {"source", "target"}},
        TablesCase{"DROP TABLE IF EXISTS a, b CASCADE", {"a", "b"}},
        TablesCase{"TRUNCATE logs, metrics", {"logs", "metrics"}},
        TablesCase{"CREATE TABLE IF NOT EXISTS t (id int REFERENCES parent(id))",
                   {"parent", "t"}},
        TablesCase{"ALTER TABLE old_name RENAME TO new_name", {"new_name", "old_name"}},
        TablesCase{"RENAME TABLE a TO b, c TO d", {"a", "b", "c", "d"}},
        TablesCase{"CREATE INDEX idx ON orders (created_at)", {"orders"}},
        TablesCase{"GRANT SELECT ON salaries TO analyst", {"salaries"}},
        TablesCase{"REVOKE ALL ON hr.salaries FROM bob", {"hr.salaries", "salaries"}},
        TablesCase{"GRANT ALL ON SCHEMA hr TO bob", {}},
        TablesCase{"GRANT SELECT ON db.* TO bob", {}},
        TablesCase{"TABLE users", {"users"}},
        TablesCase{"LOCK TABLES a READ, b WRITE", {"a", "b"}},
        TablesCase{"SELECT * INTO backup FROM users", {"backup", "users"}},
        TablesCase{"SELECT 'FROM secrets' FROM t", {"t"}},
        TablesCase{"SELECT * FROM t1; DELETE FROM t2", {"t1", "t2"}},
        TablesCase{"select * from A.B.C", {"a.b.c", "c"}},
        TablesCase{"SELECT atomic, begin FROM t", {"t"}}));

TEST(TablesTest, ReportsTheSizesItNeeds) {
  const std::string_view sql = "SELECT * FROM alpha, beta, gamma";
  char storage[4];
  writ_std_string items[1];
  writ_std_arena arena{storage, sizeof storage, 0};
  size_t count = 0;
  EXPECT_EQ(writ_sql_tables(sql.data(), sql.size(), WRIT_SQL_ALL_DIALECTS, &arena, items, 1,
                            &count),
            WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_GE(count, 3u);
  EXPECT_GE(arena.used, std::string_view("alphabetagamma").size());
  std::vector<char> more(arena.used);
  std::vector<writ_std_string> slots(count);
  writ_std_arena retry{more.data(), more.size(), 0};
  EXPECT_EQ(writ_sql_tables(sql.data(), sql.size(), WRIT_SQL_ALL_DIALECTS, &retry, slots.data(),
                            slots.size(), &count),
            WRIT_STD_OK);
  EXPECT_EQ(count, 3u);
}

std::vector<std::string> Split(std::string_view sql, uint32_t dialect) {
  writ_std_span spans[8];
  size_t count = 0;
  EXPECT_EQ(writ_sql_split(sql.data(), sql.size(), dialect, spans, 8, &count), WRIT_STD_OK);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    out.emplace_back(sql.substr(spans[i].begin, spans[i].end - spans[i].begin));
  }
  return out;
}

TEST(SplitTest, SplitsOutsideStringsAndComments) {
  EXPECT_EQ(Split("SELECT 1; SELECT ';' ;; -- x;\n SELECT 3", WRIT_SQL_POSTGRESQL),
            (Names{"SELECT 1", "SELECT ';'", "SELECT 3"}));
  EXPECT_EQ(Split("SELECT $$a;b$$; SELECT 2", WRIT_SQL_POSTGRESQL),
            (Names{"SELECT $$a;b$$", "SELECT 2"}));
  EXPECT_EQ(Split("SELECT 'a\\';b'; SELECT 2", WRIT_SQL_MYSQL),
            (Names{"SELECT 'a\\';b'", "SELECT 2"}));
  EXPECT_EQ(Split("CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END; SELECT 1",
                  WRIT_SQL_SQLITE),
            (Names{"CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; END", "SELECT 1"}));
  EXPECT_EQ(Split("", WRIT_SQL_SQLITE), Names{});
}

TEST(SplitTest, NeedsExactlyOneDialect) {
  size_t count = 0;
  EXPECT_EQ(writ_sql_split("SELECT 1", 8, WRIT_SQL_ALL_DIALECTS, nullptr, 0, &count),
            WRIT_STD_INVALID_ARGUMENT);
  writ_std_span one[1];
  EXPECT_EQ(writ_sql_split("SELECT 1; SELECT 2", 18, WRIT_SQL_MYSQL, one, 1, &count),
            WRIT_STD_BUFFER_TOO_SMALL);
  EXPECT_EQ(count, 2u);
}

}  // namespace
}  // namespace writ::stdlib
