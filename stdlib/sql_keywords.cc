#include "stdlib/internal/sql_keywords.h"

#include <cstring>
#include <iterator>

#include "stdlib/internal/chars.h"

namespace writ::stdlib::internal {
namespace {

constexpr size_t kMaxKeyword = 16;
constexpr size_t kSlots = 512;  // a power of two, over three times the number of keywords

constexpr std::string_view kNames[] = {
#define WRIT_SQL_KEYWORD_NAME(name) #name,
    WRIT_SQL_KEYWORDS(WRIT_SQL_KEYWORD_NAME)
#undef WRIT_SQL_KEYWORD_NAME
};
static_assert(std::size(kNames) * 3 < kSlots);

// FNV-1a over the upper-cased word, which it also writes to `upper`.
uint32_t HashUpper(std::string_view word, char* upper) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < word.size(); ++i) {
    upper[i] = static_cast<char>(ToUpper(word[i]));
    h = (h ^ static_cast<unsigned char>(upper[i])) * 16777619u;
  }
  return h;
}

// An open-addressing hash table of the keywords: the analyzer looks up every word it reads, so
// a lookup is one hash and, on a hit, one comparison.
struct Table {
  char spelling[std::size(kNames)][kMaxKeyword] = {};
  uint8_t length[std::size(kNames)] = {};
  uint8_t slots[kSlots] = {};  // 1 + index into kNames; 0 is empty

  Table() {
    for (size_t i = 0; i < std::size(kNames); ++i) {
      length[i] = static_cast<uint8_t>(kNames[i].size());
      size_t slot = HashUpper(kNames[i], spelling[i]) & (kSlots - 1);
      while (slots[slot] != 0) slot = (slot + 1) & (kSlots - 1);
      slots[slot] = static_cast<uint8_t>(i + 1);
    }
  }
};

const Table& Keywords() {
  static const Table table;
  return table;
}

}  // namespace

Kw LookupKeyword(std::string_view word) {
  if (word.size() < 2 || word.size() > kMaxKeyword) return Kw::kNone;
  char upper[kMaxKeyword];
  const Table& table = Keywords();
  for (size_t slot = HashUpper(word, upper) & (kSlots - 1); table.slots[slot] != 0;
       slot = (slot + 1) & (kSlots - 1)) {
    const size_t i = table.slots[slot] - 1;
    if (table.length[i] == word.size() && std::memcmp(table.spelling[i], upper, word.size()) == 0) {
      return static_cast<Kw>(i + 1);
    }
  }
  return Kw::kNone;
}

Category HeadCategory(Kw kw) {
  switch (kw) {
    case Kw::kSelect: case Kw::kValues: case Kw::kTable: case Kw::kShow:
      return Category::kRead;
    case Kw::kInsert: case Kw::kUpdate: case Kw::kDelete: case Kw::kMerge: case Kw::kReplace:
    case Kw::kUpsert: case Kw::kCopy: case Kw::kLoad: case Kw::kCall: case Kw::kExec:
    case Kw::kExecute: case Kw::kDo: case Kw::kPrepare: case Kw::kHandler: case Kw::kRefresh:
      return Category::kWrite;
    case Kw::kCreate: case Kw::kAlter: case Kw::kDrop: case Kw::kTruncate: case Kw::kRename:
    case Kw::kGrant: case Kw::kRevoke: case Kw::kComment: case Kw::kAttach: case Kw::kDetach:
    case Kw::kImport: case Kw::kSecurity:
      return Category::kDdl;
    case Kw::kBegin: case Kw::kStart: case Kw::kCommit: case Kw::kRollback: case Kw::kSavepoint:
    case Kw::kRelease: case Kw::kEnd: case Kw::kAbort: case Kw::kXa:
      return Category::kTransaction;
    case Kw::kWith:
      return Category::kWith;
    case Kw::kExplain: case Kw::kDescribe: case Kw::kDesc:
      return Category::kExplain;
    default:
      return Category::kOther;
  }
}

bool IsQueryHead(Kw kw) {
  switch (kw) {
    case Kw::kSelect: case Kw::kWith: case Kw::kValues: case Kw::kTable: case Kw::kInsert:
    case Kw::kUpdate: case Kw::kDelete: case Kw::kMerge: case Kw::kReplace:
      return true;
    default:
      return false;
  }
}

bool IsReserved(Kw kw) {
  switch (kw) {
    case Kw::kSelect: case Kw::kFrom: case Kw::kWhere: case Kw::kGroup: case Kw::kHaving:
    case Kw::kOrder: case Kw::kLimit: case Kw::kOffset: case Kw::kFetch: case Kw::kUnion:
    case Kw::kExcept: case Kw::kIntersect: case Kw::kWindow: case Kw::kJoin:
    case Kw::kStraight_join: case Kw::kInner: case Kw::kLeft: case Kw::kRight: case Kw::kFull:
    case Kw::kOuter: case Kw::kCross: case Kw::kNatural: case Kw::kOn: case Kw::kUsing:
    case Kw::kSet: case Kw::kValues: case Kw::kReturning: case Kw::kAs: case Kw::kInto:
    case Kw::kWith: case Kw::kFor: case Kw::kLateral: case Kw::kAnd: case Kw::kOr:
    case Kw::kNot: case Kw::kWhen: case Kw::kThen: case Kw::kElse: case Kw::kEnd: case Kw::kTo:
    case Kw::kInsert: case Kw::kUpdate: case Kw::kDelete: case Kw::kMerge: case Kw::kIs:
    case Kw::kIn: case Kw::kPartition: case Kw::kUse: case Kw::kForce: case Kw::kIgnore:
    case Kw::kDefault: case Kw::kCase: case Kw::kTablesample: case Kw::kTable: case Kw::kCreate:
    case Kw::kDrop: case Kw::kAlter: case Kw::kBegin: case Kw::kRename:
      return true;
    default:
      return false;
  }
}

}  // namespace writ::stdlib::internal
