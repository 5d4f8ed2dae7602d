// The SQL keywords the statement analyzer reacts to, and what they mean as the first word of
// a statement.
#ifndef WRIT_STDLIB_INTERNAL_SQL_KEYWORDS_H_
#define WRIT_STDLIB_INTERNAL_SQL_KEYWORDS_H_

#include <cstdint>
#include <string_view>

namespace writ::stdlib::internal {

#define WRIT_SQL_KEYWORDS(X)                                                                  \
  X(Abort) X(Alter) X(Analyze) X(And) X(As) X(Atomic) X(Attach) X(Begin) X(Call) X(Case)      \
  X(Comment) X(Commit) X(Copy) X(Create) X(Cross) X(Default) X(Delayed) X(Delete) X(Desc)     \
  X(Describe) X(Detach) X(Distinct) X(Do) X(Drop) X(Dumpfile) X(Else) X(End) X(Except)        \
  X(Exec) X(Execute) X(Exists) X(Explain) X(False) X(Fetch) X(For) X(Force) X(From) X(Full)   \
  X(Grant) X(Group) X(Handler) X(Having) X(High_priority) X(If) X(Ignore) X(Import) X(In)     \
  X(Index) X(Inner) X(Insert) X(Intersect) X(Into) X(Is) X(Join) X(Lateral) X(Left) X(Limit) \
  X(Load) X(Lock) X(Loop) X(Low_priority) X(Merge) X(Natural) X(Not) X(Offset) X(On) X(Only)  \
  X(Or) X(Order) X(Outer) X(Outfile) X(Partition) X(Policy) X(Prepare) X(Quick) X(Recursive)  \
  X(References) X(Refresh) X(Release) X(Rename) X(Repeat) X(Replace) X(Returning) X(Revoke)   \
  X(Right) X(Rollback) X(Rule) X(Savepoint) X(Security) X(Select) X(Session) X(Set) X(Show)   \
  X(Start) X(Straight_join) X(Table) X(Tables) X(Tablesample) X(Temp) X(Temporary) X(Then)   \
  X(To) X(Transaction) X(Trigger) X(True) X(Truncate) X(Union) X(Unlogged) X(Update)          \
  X(Upsert) X(Use) X(Using) X(Values) X(When) X(Where) X(While) X(Window) X(With) X(Xa)

enum class Kw : uint8_t {
  kNone,
#define WRIT_SQL_KEYWORD_ENUM(name) k##name,
  WRIT_SQL_KEYWORDS(WRIT_SQL_KEYWORD_ENUM)
#undef WRIT_SQL_KEYWORD_ENUM
};

// The keyword spelled by `word` in any case; kNone for any other word.
Kw LookupKeyword(std::string_view word);

// What a statement is, by its first keyword.
enum class Category : uint8_t {
  kNone,         // no statement keyword seen yet
  kRead,         // SELECT, VALUES, TABLE, SHOW
  kWrite,        // INSERT, UPDATE, DELETE, MERGE, REPLACE, COPY, CALL, EXECUTE, DO, ...
  kDdl,          // CREATE, ALTER, DROP, TRUNCATE, RENAME, GRANT, REVOKE, COMMENT, ...
  kTransaction,  // BEGIN, START, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, END, ABORT, XA
  kOther,        // SET, USE, PRAGMA, VACUUM, LOCK, anything unknown
  kWith,         // WITH: decided by the statement after the common table expressions
  kExplain,      // EXPLAIN, DESCRIBE, DESC: a read unless ANALYZE runs a write
};

Category HeadCategory(Kw kw);

// Words that can start a query or data-changing statement inside parentheses or after WITH.
bool IsQueryHead(Kw kw);

// Words that cannot be a table name or an alias (so they end a table reference).
bool IsReserved(Kw kw);

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_SQL_KEYWORDS_H_
