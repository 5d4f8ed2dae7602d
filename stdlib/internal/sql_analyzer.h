// Statement analysis of SQL text under one set of lexical rules: splitting at ';', the
// category of every statement, data-changing statements nested in common table expressions,
// UPDATE and DELETE without a (non-trivial) WHERE, and the tables mentioned. One pass over the
// tokens with fixed-size state: O(n) time, no allocation.
#ifndef WRIT_STDLIB_INTERNAL_SQL_ANALYZER_H_
#define WRIT_STDLIB_INTERNAL_SQL_ANALYZER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stdlib/internal/sql_lexer.h"

namespace writ::stdlib::internal {

// One dot-separated part of a name: the token's bytes, and its quote (0 when unquoted).
struct NamePart {
  size_t begin = 0;
  size_t end = 0;
  char quote = 0;
};

// A possibly qualified table name as written: `schema.table`, `"My Table"`.
struct TableName {
  static constexpr int kMaxParts = 4;
  NamePart parts[kMaxParts];
  int count = 0;
};

// Receives what the analyzer finds besides the flags.
class SqlSink {
 public:
  virtual void Table(std::string_view text, const TableName& name) {}
  virtual void Statement(size_t begin, size_t end) {}

 protected:
  ~SqlSink() = default;
};

struct SqlAnalysis {
  uint32_t flags = 0;  // WRIT_SQL_* of native.h; READ when every statement reads
  size_t statements = 0;
};

// Analyzes `text` under `rules`, reporting tables and statement spans to `sink` (optional).
SqlAnalysis AnalyzeSql(std::string_view text, const LexRules& rules, SqlSink* sink);

// The normalized form of a name part: unquoted parts in ASCII lower case, quoted ones without
// their quotes and with doubled quotes undone. Writes at most part.end - part.begin bytes to
// `out` and returns the number written.
size_t NormalizePart(std::string_view text, const NamePart& part, char* out);

}  // namespace writ::stdlib::internal

#endif  // WRIT_STDLIB_INTERNAL_SQL_ANALYZER_H_
