// std.sql classification: every case lists the exact flags under all dialects.
#include <gtest/gtest.h>

#include <string_view>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

constexpr uint32_t kDdl = WRIT_SQL_DDL;
constexpr uint32_t kWrite = WRIT_SQL_WRITE;
constexpr uint32_t kRead = WRIT_SQL_READ;
constexpr uint32_t kTx = WRIT_SQL_TRANSACTION;
constexpr uint32_t kMulti = WRIT_SQL_MULTI_STATEMENT;
constexpr uint32_t kUnbounded = WRIT_SQL_UNBOUNDED_WRITE;
constexpr uint32_t kOther = WRIT_SQL_OTHER;

struct SqlCase {
  std::string_view sql;
  uint32_t flags;
};

std::ostream& operator<<(std::ostream& os, const SqlCase& c) { return os << c.sql; }

class ClassifyTest : public testing::TestWithParam<SqlCase> {};

TEST_P(ClassifyTest, Flags) {
  const SqlCase& c = GetParam();
  EXPECT_EQ(writ_sql_classify(c.sql.data(), c.sql.size(), WRIT_SQL_ALL_DIALECTS), c.flags);
}

constexpr SqlCase kReads[] = {
    {"SELECT 1", kRead},
    {"select * from users where id = 4", kRead},
    {"  SELECT 1;  ", kRead},
    {"/* DROP */ SELECT 1", kRead},
    {"-- DROP TABLE users\nSELECT 1", kRead},
    {"SELECT 'DROP TABLE users'", kRead},
    {"SELECT 'it''s'", kRead},
    {"SELECT \"DROP\" FROM t", kRead},
    {"SELECT `delete` FROM t", kRead},
    {"SELECT [drop] FROM t", kRead},
    {"WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", kRead},
    {"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT * FROM r", kRead},
    {"(SELECT 1) UNION (SELECT 2)", kRead},
    {"VALUES (1), (2)", kRead},
    {"TABLE users", kRead},
    {"SHOW TABLES", kRead},
    {"EXPLAIN SELECT * FROM t", kRead},
    {"EXPLAIN DELETE FROM t", kRead},
    {"DESCRIBE users", kRead},
    {"SELECT * FROM t FOR UPDATE", kRead},
    {"SELECT 1; SELECT 2", kRead | kMulti},
    {"SELECT a FROM t WHERE a IS DISTINCT FROM b", kRead},
    {"SELECT EXTRACT(YEAR FROM created) FROM t", kRead},
    {"SELECT 'a;b' ; ", kRead},
    {"SELECT E'it\\'s; DROP TABLE t' AS x", kDdl | kMulti},  // E'' is PostgreSQL's
};

constexpr SqlCase kWrites[] = {
    {"INSERT INTO users (name) VALUES ('x')", kWrite},
    {"insert into t select * from u", kWrite},
    {"UPDATE users SET name = 'x' WHERE id = 1", kWrite},
    {"UPDATE users SET name = 'x'", kWrite | kUnbounded},
    {"DELETE FROM users WHERE id = 1", kWrite},
    {"DELETE FROM users", kWrite | kUnbounded},
    {"delete from users;", kWrite | kUnbounded},
    {"DELETE FROM users WHERE 1=1", kWrite | kUnbounded},
    {"DELETE FROM users WHERE TRUE", kWrite | kUnbounded},
    {"UPDATE t SET a = 1 WHERE id = 5 OR 1 = 1", kWrite | kUnbounded},
    {"UPDATE t SET a = 1 WHERE 'x' = 'x'", kWrite | kUnbounded},
    {"UPDATE t SET a = 1 WHERE 1", kWrite | kUnbounded},
    {"UPDATE t SET a = 1 WHERE 1 = 1 AND id = 5", kWrite},
    {"UPDATE t SET a = 1 WHERE NULL = NULL", kWrite},
    {"UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 1)", kWrite | kUnbounded},
    {"DELETE FROM t WHERE id IN (SELECT id FROM u)", kWrite},
    {"MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a", kWrite},
    {"REPLACE INTO t VALUES (1)", kWrite},
    {"INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1", kWrite},
    {"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1", kWrite},
    {"WITH d AS (DELETE FROM t WHERE x = 1 RETURNING *) SELECT * FROM d", kWrite},
    {"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", kWrite | kUnbounded},
    {"WITH x AS (SELECT 1) DELETE FROM t WHERE id = 1", kWrite},
    {"EXPLAIN ANALYZE DELETE FROM t WHERE id = 1", kWrite},
    {"EXPLAIN (ANALYZE, BUFFERS) UPDATE t SET a = 1", kWrite | kUnbounded},
    {"SELECT * INTO new_table FROM t", kWrite | kDdl},
    {"SELECT * FROM t INTO OUTFILE '/tmp/x'", kWrite},
    {"SELECT a INTO @v FROM t", kRead},
    {"COPY t FROM '/tmp/data.csv'", kWrite},
    {"CALL refresh_stats()", kWrite},
    {"UPDATE OR IGNORE t SET a = 1 WHERE id = 2", kWrite},
    {"DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", kWrite | kUnbounded},
};

constexpr SqlCase kDdlCases[] = {
    {"DROP TABLE users", kDdl},
    {"drop table if exists a, b cascade", kDdl},
    {"CREATE TABLE t (id int PRIMARY KEY, CHECK (CASE WHEN id > 0 THEN 1 END = 1))", kDdl},
    {"ALTER TABLE t ADD COLUMN c int", kDdl},
    {"TRUNCATE TABLE logs", kDdl | kWrite | kUnbounded},
    {"RENAME TABLE a TO b", kDdl},
    {"GRANT SELECT ON t TO alice", kDdl},
    {"REVOKE ALL ON t FROM bob", kDdl},
    {"COMMENT ON TABLE t IS 'x'", kDdl},
    {"CREATE INDEX i ON t (a)", kDdl},
    {"CREATE TABLE t2 AS SELECT * FROM t", kDdl},
    {"CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE s SET n = n + 1; END;",
     kDdl | kWrite | kUnbounded},
    {"ATTACH DATABASE 'x.db' AS x", kDdl},
    {"CREATE TABLE t (id int, begin int); DROP TABLE x", kDdl | kMulti},
    {"/*!50000 DROP TABLE t */", kDdl},
    {"SELECT 1 /*! ; DROP TABLE t */", kDdl | kMulti},
};

constexpr SqlCase kOtherCases[] = {
    {"BEGIN", kTx},
    {"BEGIN; UPDATE a SET x = 1 WHERE id = 1; COMMIT;", kTx | kWrite | kMulti},
    {"START TRANSACTION", kTx},
    {"ROLLBACK TO SAVEPOINT s1", kTx},
    {"SAVEPOINT s1", kTx},
    {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", kTx},
    {"END", kTx},
    {"SET search_path = public", kOther},
    {"PRAGMA foreign_keys = OFF", kOther},
    {"VACUUM", kOther},
    {"USE analytics", kOther},
    {"", 0},
    {";;;", 0},
    {"-- only a comment", 0},
    {"   \n\t ", 0},
    {"frobnicate the database", kOther},
    {"'just a string'", kOther},
    {"BEGIN NOT ATOMIC DELETE FROM t; END", kOther | kWrite | kUnbounded},
};

// Texts that mean different things to different servers: the cautious reading wins.
constexpr SqlCase kDialectCases[] = {
    // MySQL: a backslash escapes the quote, the DROP is inside the string. PostgreSQL and
    // SQLite: the string ends at the second quote and the DROP runs.
    {"SELECT 'a\\'; DROP TABLE t; -- '", kDdl | kMulti},
    // MySQL: `#` starts a comment. PostgreSQL: `#` is an operator, the DELETE runs.
    {"SELECT 1 # ; DELETE FROM t", kWrite | kUnbounded | kMulti},
    // MySQL: `--x` is two minus signs. PostgreSQL and SQLite: a comment.
    {"SELECT 1 --1; DROP TABLE t", kDdl | kMulti},
    // MySQL with ANSI_QUOTES only: "\" is an identifier and `--x` no comment.
    {"SELECT \"\\\" --x ; DROP TABLE t", kDdl | kMulti},
    // Only PostgreSQL nests comments: elsewhere the comment ends at the first `*/`.
    {"/* /* */ SELECT 1; DROP TABLE t; */", kDdl | kMulti | kOther},
    {"/* a /* b */ DELETE FROM t; */ SELECT 1", kWrite | kUnbounded | kMulti | kOther},
    // Only PostgreSQL has dollar quotes.
    {"SELECT $a$; DROP TABLE t; $a$", kDdl | kMulti | kOther},
};

INSTANTIATE_TEST_SUITE_P(Reads, ClassifyTest, testing::ValuesIn(kReads));
INSTANTIATE_TEST_SUITE_P(Writes, ClassifyTest, testing::ValuesIn(kWrites));
INSTANTIATE_TEST_SUITE_P(Ddl, ClassifyTest, testing::ValuesIn(kDdlCases));
INSTANTIATE_TEST_SUITE_P(Other, ClassifyTest, testing::ValuesIn(kOtherCases));
INSTANTIATE_TEST_SUITE_P(Dialects, ClassifyTest, testing::ValuesIn(kDialectCases));

struct DialectCase {
  std::string_view sql;
  uint32_t dialects;
  uint32_t flags;
};

std::ostream& operator<<(std::ostream& os, const DialectCase& c) { return os << c.sql; }

class OneDialectTest : public testing::TestWithParam<DialectCase> {};

TEST_P(OneDialectTest, Flags) {
  const DialectCase& c = GetParam();
  EXPECT_EQ(writ_sql_classify(c.sql.data(), c.sql.size(), c.dialects), c.flags);
}

constexpr uint32_t kPg = WRIT_SQL_POSTGRESQL;
constexpr uint32_t kMy = WRIT_SQL_MYSQL;
constexpr uint32_t kLite = WRIT_SQL_SQLITE;

INSTANTIATE_TEST_SUITE_P(
    Dialects, OneDialectTest,
    testing::Values(
        DialectCase{"SELECT $$DROP TABLE x; $$", kPg, kRead},
        DialectCase{"SELECT $fn$ DELETE FROM t; $fn$", kPg, kRead},
        DialectCase{"SELECT $1, $2 FROM t", kPg, kRead},
        DialectCase{"DO $$ BEGIN DELETE FROM t; END $$", kPg, kWrite},
        DialectCase{"CREATE FUNCTION f() RETURNS int AS $$ DELETE FROM t; SELECT 1 $$ LANGUAGE sql",
                    kPg, kDdl},
        DialectCase{"/* outer /* DELETE FROM t; */ still comment */ SELECT 1", kPg, kRead},
        DialectCase{"SELECT E'it\\'s; DROP TABLE t' AS x", kPg, kRead},
        // MySQL with NO_BACKSLASH_ESCAPES ends the string at the second quote.
        DialectCase{"SELECT 'a\\'; DROP TABLE t; -- '", kMy, kDdl | kMulti},
        DialectCase{"SELECT 1 # ; DELETE FROM t", kMy, kRead},
        DialectCase{"SELECT \"; DROP TABLE t; \" FROM x", kMy, kRead},
        DialectCase{"/*!50000 DROP TABLE t */", kPg | kLite, 0},
        DialectCase{"SELECT [a;b] FROM t", kLite, kRead},
        DialectCase{"SELECT `a;b` FROM t", kLite | kMy, kRead},
        DialectCase{"SELECT * FROM t WHERE a = 'x' -- ; DROP TABLE t", kLite, kRead}));

TEST(SqlFunctionsTest, OneFlagEach) {
  const std::string_view sql = "DELETE FROM t; DROP TABLE u";
  EXPECT_TRUE(writ_sql_is_ddl(sql.data(), sql.size()));
  EXPECT_TRUE(writ_sql_is_write(sql.data(), sql.size()));
  EXPECT_FALSE(writ_sql_is_read(sql.data(), sql.size()));
  EXPECT_FALSE(writ_sql_is_transaction(sql.data(), sql.size()));
  EXPECT_TRUE(writ_sql_is_multi_statement(sql.data(), sql.size()));
  EXPECT_TRUE(writ_sql_has_unbounded_write(sql.data(), sql.size()));
  EXPECT_FALSE(writ_sql_is_read(nullptr, 0));
}

TEST(SqlFunctionsTest, ADialectCanBeChosen) {
  const std::string_view sql = "SELECT 1 # ; DROP TABLE t";
  EXPECT_EQ(writ_sql_classify(sql.data(), sql.size(), WRIT_SQL_MYSQL), kRead);
  EXPECT_EQ(writ_sql_classify(sql.data(), sql.size(), WRIT_SQL_POSTGRESQL) & kDdl, kDdl);
  EXPECT_EQ(writ_sql_classify(sql.data(), sql.size(), 0) & kDdl, kDdl);
}

}  // namespace
}  // namespace writ::stdlib
