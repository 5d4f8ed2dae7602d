// std.sql: the C ABI over the statement analyzer. A text is analyzed under every lexical
// reading its dialects allow, and the answers are combined to the cautious side, so that a
// text that means different things to different servers (`'\'; DROP TABLE t; --'`) is judged
// by its most dangerous meaning.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "stdlib/internal/sql_analyzer.h"
#include "stdlib/internal/sql_lexer.h"
#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

using internal::LexRules;

constexpr int kMaxReadings = 6;

// Which bytes that change the lexing occur in the text; a rule about a byte that does not
// occur cannot change the reading, so readings that differ only in such rules are merged.
struct Features {
  bool backslash = false;
  bool double_quote = false;
  bool hash = false;
  bool dash_dash = false;
  bool slash_star = false;
  bool dollar = false;
  bool bracket = false;
  bool backtick = false;
};

Features FeaturesOf(std::string_view text) {
  auto has = [&](char c) { return std::memchr(text.data(), c, text.size()) != nullptr; };
  auto has2 = [&](const char* pair) {
    return text.size() >= 2 && memmem(text.data(), text.size(), pair, 2) != nullptr;
  };
  Features f;
  if (text.empty()) return f;
  f.backslash = has('\\');
  f.double_quote = has('"');
  f.hash = has('#');
  f.dash_dash = has2("--");
  f.slash_star = has2("/*");
  f.dollar = has('$');
  f.bracket = has('[');
  f.backtick = has('`');
  return f;
}

LexRules Normalized(LexRules r, const Features& f) {
  r.backslash_escapes = r.backslash_escapes && f.backslash;
  r.e_strings = r.e_strings && f.backslash;
  r.double_quoted_strings = r.double_quoted_strings && f.double_quote;
  r.hash_comments = r.hash_comments && f.hash;
  r.dash_comment_needs_space = r.dash_comment_needs_space && f.dash_dash;
  r.executable_comments = r.executable_comments && f.slash_star;
  r.nested_comments = r.nested_comments && f.slash_star;
  r.dollar_quotes = r.dollar_quotes && f.dollar;
  r.bracket_identifiers = r.bracket_identifiers && f.bracket;
  r.backtick_identifiers = r.backtick_identifiers && f.backtick;
  return r;
}

LexRules PostgresRules() {
  LexRules r;
  r.nested_comments = r.dollar_quotes = r.e_strings = true;
  return r;
}

LexRules SqliteRules() {
  LexRules r;
  r.bracket_identifiers = r.backtick_identifiers = true;
  return r;
}

LexRules MysqlRules(bool backslash_escapes, bool double_quoted_strings) {
  LexRules r;
  r.hash_comments = r.dash_comment_needs_space = r.executable_comments = true;
  r.backtick_identifiers = true;
  r.backslash_escapes = backslash_escapes;            // off with NO_BACKSLASH_ESCAPES
  r.double_quoted_strings = double_quoted_strings;    // off with ANSI_QUOTES
  return r;
}

// The distinct readings of `text` under `dialects`; returns how many were written.
int Readings(std::string_view text, uint32_t dialects, LexRules* out) {
  dialects &= WRIT_SQL_ALL_DIALECTS;
  if (dialects == 0) dialects = WRIT_SQL_ALL_DIALECTS;
  LexRules candidates[kMaxReadings];
  int n = 0;
  if (dialects & WRIT_SQL_POSTGRESQL) candidates[n++] = PostgresRules();
  if (dialects & WRIT_SQL_SQLITE) candidates[n++] = SqliteRules();
  if (dialects & WRIT_SQL_MYSQL) {
    for (bool backslash : {true, false}) {
      for (bool double_quoted : {true, false}) {
        candidates[n++] = MysqlRules(backslash, double_quoted);
      }
    }
  }
  const Features features = FeaturesOf(text);
  int count = 0;
  for (int i = 0; i < n; ++i) {
    const LexRules rules = Normalized(candidates[i], features);
    bool seen = false;
    for (int j = 0; j < count; ++j) seen = seen || out[j].Bits() == rules.Bits();
    if (!seen) out[count++] = rules;
  }
  return count;
}

std::string_view Text(const char* s, size_t size) {
  return std::string_view(size == 0 ? "" : s, size);
}

bool LessBytes(const writ_std_string& a, const writ_std_string& b) {
  return std::string_view(a.data, a.size) < std::string_view(b.data, b.size);
}

bool EqualBytes(const writ_std_string& a, const writ_std_string& b) {
  return std::string_view(a.data, a.size) == std::string_view(b.data, b.size);
}

// Collects table names into the caller's arena and items. Names already found by an earlier
// reading (kept sorted in items[0, sorted)) are not stored again.
class TableCollector : public internal::SqlSink {
 public:
  TableCollector(writ_std_arena* arena, writ_std_string* items, size_t capacity)
      : arena_(arena), items_(items), capacity_(capacity) {}

  void Table(std::string_view text, const internal::TableName& name) override {
    Emit(text, name.parts, name.count);
    if (name.count > 1) Emit(text, &name.parts[name.count - 1], 1);
  }

  // Sorts and deduplicates what fits; call after each reading.
  void Seal() {
    if (overflow_) return;
    std::sort(items_, items_ + count_, LessBytes);
    count_ = std::unique(items_, items_ + count_, EqualBytes) - items_;
    sorted_ = count_;
  }

  bool overflow() const { return overflow_; }
  size_t count() const { return count_; }
  size_t extra_bytes() const { return extra_bytes_; }

 private:
  void Emit(std::string_view text, const internal::NamePart* parts, int count) {
    size_t reserve = static_cast<size_t>(count - 1);
    for (int i = 0; i < count; ++i) reserve += parts[i].end - parts[i].begin;
    if (reserve == 0) return;
    if (overflow_ || arena_->capacity - arena_->used < reserve || count_ == capacity_) {
      // Keep counting so the caller learns sizes that suffice.
      overflow_ = true;
      extra_bytes_ += reserve;
      ++count_;
      return;
    }
    char* out = arena_->data + arena_->used;
    size_t n = 0;
    for (int i = 0; i < count; ++i) {
      if (i > 0) out[n++] = '.';
      n += internal::NormalizePart(text, parts[i], out + n);
    }
    if (n == 0) return;
    const writ_std_string item{out, n};
    if (std::binary_search(items_, items_ + sorted_, item, LessBytes)) return;
    arena_->used += n;
    items_[count_++] = item;
  }

  writ_std_arena* arena_;
  writ_std_string* items_;
  size_t capacity_;
  size_t count_ = 0;
  size_t sorted_ = 0;
  size_t extra_bytes_ = 0;
  bool overflow_ = false;
};

class StatementCollector : public internal::SqlSink {
 public:
  StatementCollector(writ_std_span* out, size_t capacity) : out_(out), capacity_(capacity) {}
  void Statement(size_t begin, size_t end) override {
    if (count_ < capacity_) out_[count_] = {begin, end};
    ++count_;
  }
  size_t count() const { return count_; }

 private:
  writ_std_span* out_;
  size_t capacity_;
  size_t count_ = 0;
};

}  // namespace
}  // namespace writ::stdlib

using writ::stdlib::Text;

extern "C" {

uint32_t writ_sql_classify(const char* sql, size_t size, uint32_t dialects) noexcept {
  const std::string_view text = Text(sql, size);
  writ::stdlib::internal::LexRules readings[writ::stdlib::kMaxReadings];
  const int n = writ::stdlib::Readings(text, dialects, readings);
  uint32_t flags = 0;
  bool all_read = true;
  for (int i = 0; i < n; ++i) {
    const uint32_t f = writ::stdlib::internal::AnalyzeSql(text, readings[i], nullptr).flags;
    flags |= f & ~WRIT_SQL_READ;
    all_read = all_read && (f & WRIT_SQL_READ);
  }
  if (n > 0 && all_read) flags |= WRIT_SQL_READ;
  return flags;
}

bool writ_sql_is_ddl(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_DDL;
}
bool writ_sql_is_write(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_WRITE;
}
bool writ_sql_is_read(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_READ;
}
bool writ_sql_is_transaction(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_TRANSACTION;
}
bool writ_sql_is_multi_statement(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_MULTI_STATEMENT;
}
bool writ_sql_has_unbounded_write(const char* sql, size_t size) noexcept {
  return writ_sql_classify(sql, size, WRIT_SQL_ALL_DIALECTS) & WRIT_SQL_UNBOUNDED_WRITE;
}

writ_std_status writ_sql_tables(const char* sql, size_t size, uint32_t dialects,
                                writ_std_arena* arena, writ_std_string* items, size_t capacity,
                                size_t* count) noexcept {
  if (arena->used > arena->capacity) return WRIT_STD_INVALID_ARGUMENT;
  const std::string_view text = Text(sql, size);
  writ::stdlib::internal::LexRules readings[writ::stdlib::kMaxReadings];
  const int n = writ::stdlib::Readings(text, dialects, readings);
  writ::stdlib::TableCollector collector(arena, items, capacity);
  for (int i = 0; i < n; ++i) {
    writ::stdlib::internal::AnalyzeSql(text, readings[i], &collector);
    collector.Seal();
  }
  *count = collector.count();
  if (collector.overflow()) {
    arena->used += collector.extra_bytes();
    return WRIT_STD_BUFFER_TOO_SMALL;
  }
  return WRIT_STD_OK;
}

void writ_sql_tables_bound(size_t size, size_t* arena_bytes, size_t* items) noexcept {
  // Per reading, a name takes at most the bytes it is written with, plus as much again for
  // the last part of a qualified name; at most six readings.
  const size_t per_reading = size > SIZE_MAX / 16 ? SIZE_MAX / 16 : size;
  *arena_bytes = 12 * per_reading + 16;
  *items = 12 * per_reading + 16;
}

writ_std_status writ_sql_split(const char* sql, size_t size, uint32_t dialect,
                               writ_std_span* out, size_t capacity, size_t* count) noexcept {
  writ::stdlib::internal::LexRules rules;
  if (dialect == WRIT_SQL_POSTGRESQL) {
    rules = writ::stdlib::PostgresRules();
  } else if (dialect == WRIT_SQL_MYSQL) {
    rules = writ::stdlib::MysqlRules(true, true);
  } else if (dialect == WRIT_SQL_SQLITE) {
    rules = writ::stdlib::SqliteRules();
  } else {
    return WRIT_STD_INVALID_ARGUMENT;
  }
  writ::stdlib::StatementCollector collector(out, capacity);
  writ::stdlib::internal::AnalyzeSql(Text(sql, size), rules, &collector);
  *count = collector.count();
  return collector.count() > capacity ? WRIT_STD_BUFFER_TOO_SMALL : WRIT_STD_OK;
}

}  // extern "C"
