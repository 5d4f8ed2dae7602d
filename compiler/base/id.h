// Strong ids: an index into one table, typed by a tag so ids of different tables (or of the
// checker and of the decision IR) never mix.
#ifndef WRIT_COMPILER_BASE_ID_H_
#define WRIT_COMPILER_BASE_ID_H_

#include <compare>
#include <cstdint>

namespace writ {

template <typename Tag>
struct StrongId {
  uint32_t index = UINT32_MAX;
  bool valid() const { return index != UINT32_MAX; }
  friend bool operator==(StrongId, StrongId) = default;
  friend auto operator<=>(StrongId, StrongId) = default;
};

}  // namespace writ

#endif  // WRIT_COMPILER_BASE_ID_H_
