#include "stdlib/internal/sql_analyzer.h"

#include <bitset>
#include <iterator>

#include "stdlib/internal/chars.h"
#include "stdlib/internal/sql_keywords.h"
#include "stdlib/internal/sql_where.h"
#include "stdlib/native.h"

namespace writ::stdlib::internal {
namespace {

// Parenthesis depths up to this are tracked exactly; deeper ones are treated cautiously (a
// FROM there names tables, an UPDATE or DELETE there counts as unbounded).
constexpr size_t kTrackedDepth = 256;
constexpr int kMaxCtes = 32;

bool IsPunct(const Token& t, char c) { return t.kind == TokenKind::kPunct && t.punct == c; }
bool IsName(const Token& t) {
  return t.kind == TokenKind::kWord || t.kind == TokenKind::kQuotedName;
}

class Analyzer {
 public:
  Analyzer(std::string_view text, const LexRules& rules, SqlSink* sink)
      : text_(text), lexer_(text, rules), sink_(sink), where_(text) {
    ResetStatement();
  }

  SqlAnalysis Run() {
    bool all_read = true;
    for (Token t = Take(); t.kind != TokenKind::kEnd; t = Take()) {
      if (IsPunct(t, ';') && block_depth_ == 0) {
        all_read = EndStatement() && all_read;
      } else {
        Step(t);
      }
    }
    all_read = EndStatement() && all_read;
    if (result_.statements > 1) result_.flags |= WRIT_SQL_MULTI_STATEMENT;
    if (result_.statements > 0 && all_read) result_.flags |= WRIT_SQL_READ;
    return result_;
  }

 private:
  // ---- tokens ----

  Token Take() {
    Token t = has_pushback_ ? pushback_ : lexer_.Next();
    has_pushback_ = false;
    if (t.kind != TokenKind::kEnd && !IsPunct(t, ';')) last_end_ = t.end;
    return t;
  }
  Token Peek() {
    if (!has_pushback_) {
      pushback_ = lexer_.Next();
      has_pushback_ = true;
    }
    return pushback_;
  }
  void Pushback(const Token& t) {
    pushback_ = t;
    has_pushback_ = true;
  }
  // The keyword of a word token. The analyzer asks about the same few tokens (the current,
  // the previous and the peeked one) again and again, so the last answers are kept.
  Kw KeywordOf(const Token& t) const {
    if (t.kind != TokenKind::kWord) return Kw::kNone;
    for (const KeywordMemo& m : memo_) {
      if (m.begin == t.begin && m.end == t.end) return m.kw;
    }
    const Kw kw = LookupKeyword(text_.substr(t.begin, t.end - t.begin));
    memo_[memo_next_] = {t.begin, t.end, kw};
    memo_next_ = (memo_next_ + 1) % std::size(memo_);
    return kw;
  }
  std::string_view Text(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }

  // ---- statements ----

  void ResetStatement() {
    nonempty_ = false;
    category_ = Category::kNone;
    head_ = Kw::kNone;
    write_ = ddl_ = unbounded_ = false;
    block_mode_ = false;
    block_depth_ = 0;
    explain_ = explain_analyze_ = explain_inner_ = false;
    create_object_ = Kw::kNone;
    on_seen_ = false;
    cte_count_ = 0;
    if (where_.active()) where_.Finish();
    depth_ = 0;
    expect_head_ = true;
    prev_kw_ = prev2_kw_ = Kw::kNone;
    prev_ = Token{};
    ClearDepth(0);
  }

  // Ends the current statement; returns whether it (if any) only reads.
  bool EndStatement() {
    if (where_.active()) FinishWhere();
    for (size_t d = 0; d <= depth_ && d < kTrackedDepth; ++d) {
      if (pending_where_[d]) unbounded_ = true;
    }
    bool reads = true;
    if (nonempty_) {
      Category category = category_;
      if (category == Category::kWith || category == Category::kNone) category = Category::kOther;
      const bool ddl = category == Category::kDdl || ddl_;
      const bool write = category == Category::kWrite || write_;
      reads = category == Category::kRead && !ddl && !write;
      uint32_t& flags = result_.flags;
      if (ddl) flags |= WRIT_SQL_DDL;
      if (write) flags |= WRIT_SQL_WRITE;
      if (category == Category::kTransaction) flags |= WRIT_SQL_TRANSACTION;
      if (category == Category::kOther) flags |= WRIT_SQL_OTHER;
      if (unbounded_) flags |= WRIT_SQL_UNBOUNDED_WRITE;
      ++result_.statements;
      if (sink_ != nullptr) sink_->Statement(statement_begin_, last_end_);
    }
    ResetStatement();
    return reads;
  }

  void Step(const Token& t) {
    if (!nonempty_) {
      nonempty_ = true;
      statement_begin_ = t.begin;
    }
    if (where_.active() && !IsPunct(t, '(') && !IsPunct(t, ')') && !IsPunct(t, ';')) {
      switch (where_.Take(t, KeywordOf(t), depth_)) {
        case TrivialWhere::Feed::kConsumed:
          Remember(t);
          return;
        case TrivialWhere::Feed::kEnded:
          FinishWhere();
          break;
        case TrivialWhere::Feed::kTerm:
          break;
      }
    }
    refs_parsed_ = false;
    if (IsPunct(t, ';')) {
      // Inside a routine or trigger body: the next word starts a nested statement.
      if (where_.active()) FinishWhere();
      ResolvePending(depth_);
      expect_head_ = true;
    } else if (IsPunct(t, '(')) {
      OpenParen();
    } else if (IsPunct(t, ')')) {
      CloseParen();
    } else if (t.kind == TokenKind::kWord) {
      Word(t);
    } else {
      if (t.kind == TokenKind::kQuotedName) MaybeCte(t);
      if (IsPunct(t, ',') && head_ == Kw::kRename && depth_ == 0) ParseRefs(false, false);
      if (expect_head_ && category_ == Category::kNone) category_ = Category::kOther;
      expect_head_ = false;
    }
    if (!refs_parsed_) Remember(t);
    refs_parsed_ = false;
  }

  void Remember(const Token& t) {
    prev2_kw_ = prev_kw_;
    prev_kw_ = KeywordOf(t);
    prev_ = t;
  }

  // ---- depth ----

  void ClearDepth(size_t d) {
    if (d >= kTrackedDepth) return;
    query_[d] = pending_where_[d] = with_list_[d] = select_seen_[d] = false;
  }

  bool QueryContext() const { return depth_ == 0 || depth_ >= kTrackedDepth || query_[depth_]; }

  void OpenParen() {
    const bool after_from = prev_kw_ == Kw::kFrom || prev_kw_ == Kw::kJoin;
    ++depth_;
    ClearDepth(depth_);
    const Token next = Peek();
    const bool query = IsQueryHead(KeywordOf(next));
    if (depth_ < kTrackedDepth) query_[depth_] = query || after_from;
    if (after_from && !query && IsName(next)) {
      ParseRefs(true, true);  // a parenthesized join: FROM (a JOIN b ON ...)
      expect_head_ = false;
      return;
    }
    expect_head_ = true;
  }

  void CloseParen() {
    if (where_.active() && where_.depth() == depth_) FinishWhere();
    ResolvePending(depth_);
    if (depth_ > 0) --depth_;
    expect_head_ = false;
  }

  // An UPDATE or DELETE at depth `d` that never saw its WHERE is unbounded.
  void ResolvePending(size_t d) {
    if (d < kTrackedDepth && pending_where_[d]) {
      unbounded_ = true;
      pending_where_[d] = false;
    }
  }

  void MarkPending() {
    if (depth_ < kTrackedDepth) {
      pending_where_[depth_] = true;
    } else {
      unbounded_ = true;
    }
  }

  // ---- words ----

  void Word(const Token& t) {
    const Kw kw = KeywordOf(t);
    // BEGIN opens a block unless it is a column name: `CREATE TABLE t (begin int)`.
    const bool column_position = IsPunct(prev_, '(') || IsPunct(prev_, ',') || IsPunct(prev_, '.');
    if (block_mode_ && (kw == Kw::kCase || (kw == Kw::kBegin && !column_position))) {
      ++block_depth_;
      expect_head_ = kw == Kw::kBegin;
      return;
    }
    if (block_mode_ && kw == Kw::kEnd) {
      const Kw next = KeywordOf(Peek());
      const bool closes_other = next == Kw::kIf || next == Kw::kLoop || next == Kw::kWhile ||
                                next == Kw::kRepeat;
      if (!closes_other && block_depth_ > 0) --block_depth_;
      return;
    }
    if (kw == Kw::kAtomic && (prev_kw_ == Kw::kBegin || prev_kw_ == Kw::kNot)) {
      expect_head_ = true;  // BEGIN [NOT] ATOMIC: a block of statements follows
      return;
    }
    if (explain_ && !explain_inner_ && kw == Kw::kAnalyze) {  // also EXPLAIN (ANALYZE) ...
      explain_analyze_ = true;
      expect_head_ = false;
      return;
    }
    if (expect_head_) {
      expect_head_ = false;
      Head(kw, category_ == Category::kNone ? Role::kFirst : Role::kNested);
      return;
    }
    if (depth_ < kTrackedDepth && with_list_[depth_] && IsQueryHead(kw) && kw != Kw::kWith) {
      with_list_[depth_] = false;
      Head(kw, depth_ == 0 && category_ == Category::kWith ? Role::kMain : Role::kNested);
      return;
    }
    if (explain_ && !explain_inner_ && depth_ == 0 &&
        (IsQueryHead(kw) || kw == Kw::kCreate || kw == Kw::kExecute)) {
      explain_inner_ = true;
      Head(kw, explain_analyze_ ? Role::kMain : Role::kDry);
      return;
    }
    MaybeCte(t);
    switch (kw) {
      case Kw::kFrom:
        // Not the FROM of IS [NOT] DISTINCT FROM, of REVOKE ... FROM a role, or of
        // EXTRACT(... FROM ...) and other function arguments.
        if (head_ != Kw::kGrant && head_ != Kw::kRevoke && QueryContext() &&
            !(prev_kw_ == Kw::kDistinct && (prev2_kw_ == Kw::kIs || prev2_kw_ == Kw::kNot)) &&
            !IsPunct(Peek(), '(')) {
          ParseRefs(true, true);
        }
        return;
      case Kw::kJoin:
      case Kw::kStraight_join:
        if (!IsPunct(Peek(), '(')) ParseRefs(false, true);
        return;
      case Kw::kInto:
        Into();
        return;
      case Kw::kUsing:
        if ((head_ == Kw::kDelete || head_ == Kw::kMerge) && IsName(Peek())) ParseRefs(true, true);
        return;
      case Kw::kTable:
        ParseRefs(true, false);
        return;
      case Kw::kTables:
        if (head_ == Kw::kLock) ParseRefs(true, false);
        return;
      case Kw::kOn:
        On();
        return;
      case Kw::kReferences:
        ParseRefs(false, false);
        return;
      case Kw::kTo:
        if (head_ == Kw::kRename || prev_kw_ == Kw::kRename) ParseRefs(false, false);
        return;
      case Kw::kWhere:
        if (depth_ < kTrackedDepth && pending_where_[depth_]) {
          pending_where_[depth_] = false;
          if (!where_.active()) where_.Start(depth_);
        }
        return;
      case Kw::kSelect:
        if (depth_ < kTrackedDepth) select_seen_[depth_] = true;
        return;
      case Kw::kIndex: case Kw::kTrigger: case Kw::kPolicy: case Kw::kRule:
        if (head_ == Kw::kCreate && create_object_ == Kw::kNone) create_object_ = kw;
        return;
      default:
        return;
    }
  }

  enum class Role {
    kFirst,   // the first statement keyword: decides the category
    kMain,    // the statement after WITH ... or EXPLAIN ANALYZE: decides the category
    kNested,  // inside parentheses or a routine body: can only add write or DDL
    kDry,     // after a plain EXPLAIN: names tables, changes nothing
  };

  void Head(Kw kw, Role role) {
    const Category category = HeadCategory(kw);
    if (role == Role::kFirst) {
      head_ = kw;
      category_ = category;
      if (category == Category::kExplain) {
        category_ = Category::kRead;
        explain_ = true;
      }
      if (kw == Kw::kCreate) block_mode_ = true;
      if (kw == Kw::kSet || kw == Kw::kStart) {
        const Kw next = KeywordOf(Peek());
        const bool transaction = next == Kw::kTransaction || next == Kw::kSession;
        category_ = transaction ? Category::kTransaction : Category::kOther;
      }
      if (kw == Kw::kBegin) {
        const Kw next = KeywordOf(Peek());
        if (next == Kw::kNot || next == Kw::kAtomic) {  // a compound statement
          category_ = Category::kOther;
          block_mode_ = true;
          block_depth_ = 1;
        }
      }
    } else if (role == Role::kMain) {
      category_ = category == Category::kWith ? Category::kWith : category;
    } else if (role == Role::kNested) {
      if (category == Category::kWrite) write_ = true;
      if (category == Category::kDdl) ddl_ = true;
    }
    const bool live = role != Role::kDry;
    switch (kw) {
      case Kw::kWith:
        if (depth_ < kTrackedDepth) with_list_[depth_] = true;
        return;
      case Kw::kSelect:
        if (depth_ < kTrackedDepth) select_seen_[depth_] = true;
        return;
      case Kw::kTruncate:
        if (live) write_ = unbounded_ = true;
        ParseRefs(true, false);
        return;
      case Kw::kUpdate:
        if (live) MarkPending();
        ParseRefs(true, false);
        return;
      case Kw::kDelete:
        if (live) MarkPending();
        if (KeywordOf(Peek()) != Kw::kFrom) ParseRefs(true, false);
        return;
      case Kw::kInsert: case Kw::kReplace: case Kw::kTable: case Kw::kCopy:
        ParseRefs(false, false);
        return;
      case Kw::kLock:
        ParseRefs(true, false);
        return;
      case Kw::kDescribe: case Kw::kDesc:
        if (IsName(Peek()) && !IsQueryHead(KeywordOf(Peek()))) ParseRefs(false, false);
        return;
      default:
        return;
    }
  }

  // SELECT ... INTO makes a table (PostgreSQL) or a file (MySQL OUTFILE, DUMPFILE); INTO a
  // variable only assigns.
  void Into() {
    const Token next = Peek();
    if (next.kind == TokenKind::kParam) return;
    const Kw kw = KeywordOf(next);
    const bool after_select = depth_ >= kTrackedDepth || select_seen_[depth_];
    if (kw == Kw::kOutfile || kw == Kw::kDumpfile) {
      write_ = true;
      return;
    }
    if (after_select && !(explain_ && !explain_analyze_)) write_ = ddl_ = true;
    ParseRefs(false, false);
  }

  // ON names a table in GRANT/REVOKE and in CREATE INDEX, TRIGGER, POLICY and RULE.
  void On() {
    if (on_seen_ || depth_ != 0) return;
    const bool grant = head_ == Kw::kGrant || head_ == Kw::kRevoke;
    if (!grant && !(head_ == Kw::kCreate && create_object_ != Kw::kNone)) return;
    on_seen_ = true;
    const Token next = Peek();
    if (next.kind == TokenKind::kWord && KeywordOf(next) == Kw::kNone) {
      // GRANT ... ON SCHEMA s, ON FUNCTION f(...), ON DATABASE d: not tables.
      static constexpr std::string_view kObjects[] = {
          "schema", "database", "function", "procedure", "routine", "sequence", "domain",
          "language", "type", "foreign", "large", "tablespace", "all", "server"};
      for (std::string_view object : kObjects) {
        if (EqualsLower(Text(next), object)) return;
      }
    }
    ParseRefs(grant, false);
  }

  // ---- common table expressions ----

  // Records `t` as the name of a common table expression when it follows WITH, RECURSIVE or
  // a comma of a WITH list and precedes AS or a column list.
  void MaybeCte(const Token& t) {
    if (depth_ >= kTrackedDepth || !with_list_[depth_]) return;
    if (!(prev_kw_ == Kw::kWith || prev_kw_ == Kw::kRecursive || IsPunct(prev_, ','))) return;
    const Token next = Peek();
    if (!(KeywordOf(next) == Kw::kAs || IsPunct(next, '('))) return;
    if (cte_count_ < kMaxCtes) ctes_[cte_count_++] = PartOf(t);
  }

  bool SameName(const NamePart& a, const NamePart& b) const {
    char x[64];
    char y[64];
    if (a.end - a.begin > sizeof(x) || b.end - b.begin > sizeof(y)) return false;
    const size_t n = NormalizePart(text_, a, x);
    const size_t m = NormalizePart(text_, b, y);
    return std::string_view(x, n) == std::string_view(y, m);
  }

  bool IsCte(const TableName& name) const {
    if (name.count != 1) return false;
    for (int i = 0; i < cte_count_; ++i) {
      if (SameName(name.parts[0], ctes_[i])) return true;
    }
    return false;
  }

  // ---- table references ----

  NamePart PartOf(const Token& t) const {
    return {t.begin, t.end, t.kind == TokenKind::kQuotedName ? t.quote : char{0}};
  }

  // Reads table references: modifiers, a dotted name, an optional alias, and, with `list`,
  // more after commas. With `function_check`, a name followed by '(' is a table function.
  void ParseRefs(bool list, bool function_check) {
    while (true) {
      Token t = Take();
      while (t.kind == TokenKind::kWord) {
        const Kw kw = KeywordOf(t);
        if (kw == Kw::kOr) {  // UPDATE OR IGNORE, INSERT OR REPLACE
          const Token action = Take();
          if (action.kind != TokenKind::kWord) {
            Pushback(action);
            t = Token{};
            break;
          }
        } else if (!(kw == Kw::kIf || kw == Kw::kNot || kw == Kw::kExists || kw == Kw::kOnly ||
                     kw == Kw::kTemp || kw == Kw::kTemporary || kw == Kw::kUnlogged ||
                     kw == Kw::kLow_priority || kw == Kw::kDelayed || kw == Kw::kHigh_priority ||
                     kw == Kw::kIgnore || kw == Kw::kQuick || kw == Kw::kTable ||
                     kw == Kw::kTables)) {
          break;
        }
        t = Take();
      }
      if (!IsName(t) || IsReserved(KeywordOf(t)) || KeywordOf(t) == Kw::kLateral) {
        Pushback(t);
        break;
      }
      TableName name;
      name.parts[name.count++] = PartOf(t);
      bool star = false;
      while (IsPunct(Peek(), '.')) {
        Take();
        const Token part = Take();
        if (IsName(part)) {
          name.parts[name.count < TableName::kMaxParts ? name.count++ : TableName::kMaxParts - 1] =
              PartOf(part);
        } else {
          star = IsPunct(part, '*');  // GRANT ... ON db.*
          if (!star) Pushback(part);
          break;
        }
      }
      if (!star && !(function_check && IsPunct(Peek(), '(')) && !IsCte(name) && sink_ != nullptr) {
        sink_->Table(text_, name);
      }
      Token alias = Take();
      const Kw alias_kw = KeywordOf(alias);
      if (alias_kw == Kw::kAs) {
        const Token a = Take();
        if (!IsName(a) || IsReserved(KeywordOf(a))) Pushback(a);
      } else if (!IsName(alias) || IsReserved(alias_kw)) {
        Pushback(alias);
      }
      if (!list || !IsPunct(Peek(), ',')) break;
      Take();
    }
    prev2_kw_ = prev_kw_ = Kw::kNone;
    prev_ = Token{TokenKind::kWord};
    refs_parsed_ = true;  // the reference, not the keyword before it, is the previous token
  }

  // ---- WHERE of UPDATE and DELETE ----

  void FinishWhere() {
    if (where_.Finish()) unbounded_ = true;
  }

  std::string_view text_;
  Lexer lexer_;
  SqlSink* sink_;
  SqlAnalysis result_;

  struct KeywordMemo {
    size_t begin = 0;
    size_t end = 0;  // empty: never matches a token
    Kw kw = Kw::kNone;
  };
  mutable KeywordMemo memo_[4];
  mutable size_t memo_next_ = 0;

  Token pushback_;
  bool has_pushback_ = false;
  size_t last_end_ = 0;
  size_t statement_begin_ = 0;

  // The current statement.
  bool nonempty_ = false;
  Category category_ = Category::kNone;
  Kw head_ = Kw::kNone;
  bool write_ = false;
  bool ddl_ = false;
  bool unbounded_ = false;
  bool block_mode_ = false;  // CREATE or a compound statement: BEGIN ... END holds ';'
  size_t block_depth_ = 0;
  bool explain_ = false;
  bool explain_analyze_ = false;
  bool explain_inner_ = false;
  Kw create_object_ = Kw::kNone;
  bool on_seen_ = false;
  NamePart ctes_[kMaxCtes];
  int cte_count_ = 0;
  size_t depth_ = 0;
  bool expect_head_ = true;
  Kw prev_kw_ = Kw::kNone;
  Kw prev2_kw_ = Kw::kNone;
  Token prev_;
  std::bitset<kTrackedDepth> query_;          // the parenthesis holds a query
  std::bitset<kTrackedDepth> pending_where_;  // an UPDATE or DELETE there awaits its WHERE
  std::bitset<kTrackedDepth> with_list_;      // a WITH list there awaits its statement
  std::bitset<kTrackedDepth> select_seen_;    // a SELECT appeared there

  TrivialWhere where_;  // the WHERE of an UPDATE or DELETE being read
  bool refs_parsed_ = false;
};

}  // namespace

size_t NormalizePart(std::string_view text, const NamePart& part, char* out) {
  const std::string_view raw = text.substr(part.begin, part.end - part.begin);
  size_t n = 0;
  if (part.quote == 0) {
    for (char c : raw) out[n++] = static_cast<char>(ToLower(c));
    return n;
  }
  const char close = part.quote == '[' ? ']' : part.quote;
  std::string_view inner = raw.substr(1);
  if (!inner.empty() && inner.back() == close) inner.remove_suffix(1);  // unterminated: no close
  for (size_t i = 0; i < inner.size(); ++i) {
    out[n++] = inner[i];
    if (close != ']' && inner[i] == close && i + 1 < inner.size() && inner[i + 1] == close) ++i;
  }
  return n;
}

SqlAnalysis AnalyzeSql(std::string_view text, const LexRules& rules, SqlSink* sink) {
  Analyzer analyzer(text, rules, sink);
  return analyzer.Run();
}

}  // namespace writ::stdlib::internal
