// The flat layout that generated code reads a request from (docs/jit.md, "The frame"). Codegen
// defines it as part of its output contract; the runtime's binder fills it before a decision.
// Plain C layout: the generated code addresses the fields by these offsets.
#ifndef WRIT_COMPILER_CODEGEN_FRAME_H_
#define WRIT_COMPILER_CODEGEN_FRAME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace writ::codegen {

// One value: which fields mean something depends on the value's type (docs/jit.md).
struct Cell {
  int64_t number = 0;          // bool 0/1, int, money units, duration and timestamp ms, member
  const char* data = nullptr;  // string bytes, entity id
  uint64_t size = 0;           // bytes at data
  uint32_t ref = 0;            // entity type, enum id; money: the packed currency
  uint32_t present = 0;        // 0: an absent optional parameter or attribute
};
static_assert(sizeof(Cell) == 32, "generated code assumes 32-byte cells");

// The regions of cells one decision reads; each pointer is to an array indexed by slot.
struct Frame {
  const Cell* facts = nullptr;            // by ir::SessionFact, defaults applied
  const Cell* args = nullptr;             // by parameter slot
  const Cell* principal = nullptr;        // one cell
  const Cell* principal_attrs = nullptr;  // by attribute slot of the principal's type
  const Cell* acts_for = nullptr;         // one cell; present 0 if the agent acts for no one
  const Cell* acts_for_attrs = nullptr;   // by attribute slot of the acts_for entity's type
  const Cell* result = nullptr;           // one cell; present 0 when the call has no result
  const Cell* result_fields = nullptr;    // by field slot, when the result is a record
  // What stays with the runtime, asked through `context`: whether entity `a` is `b` or below
  // it (1 or 0), by the runtime's own walk of the hierarchy; and the attribute cells of any
  // entity of the request, by slot of its type (null if the request does not hold it).
  void* context = nullptr;
  uint32_t (*in_entity)(void* context, const Cell* a, const Cell* b) noexcept = nullptr;
  const Cell* (*entity_attrs)(void* context, const Cell* entity) noexcept = nullptr;
  // `text.matches` of the call expression `call` on `text`, with the regular expression the
  // runtime compiled when it loaded the policy: 1 or 0, or 2 for an evaluation error.
  uint32_t (*matches)(void* context, uint32_t call, const Cell* text) noexcept = nullptr;
};

// The field indexes of Cell and Frame as LLVM struct types see them.
enum CellField : unsigned { kCellNumber, kCellData, kCellSize, kCellRef, kCellPresent };
enum FrameField : unsigned {
  kFrameFacts,
  kFrameArgs,
  kFramePrincipal,
  kFramePrincipalAttrs,
  kFrameActsFor,
  kFrameActsForAttrs,
  kFrameResult,
  kFrameResultFields,
  kFrameContext,
  kFrameInEntity,
  kFrameEntityAttrs,
  kFrameMatches,
  kFrameFieldCount
};

// The signature of every compiled root: 0 with the value in *out, or 1 for an evaluation
// error (whose details the interpreter gives). Never throws, never unwinds.
using RootFunction = int32_t (*)(const Frame* frame, Cell* out);

// A currency packed into 32 bits: the length in the top byte, the bytes below; "" packs to 0.
// nullopt for a currency longer than three bytes.
inline std::optional<uint32_t> PackCurrency(std::string_view currency) {
  if (currency.size() > 3) return std::nullopt;
  uint32_t packed = static_cast<uint32_t>(currency.size()) << 24;
  for (size_t i = 0; i < currency.size(); ++i) {
    packed |= static_cast<uint32_t>(static_cast<unsigned char>(currency[i])) << (8 * i);
  }
  return packed;
}

inline std::string UnpackCurrency(uint32_t packed) {
  std::string currency(packed >> 24, '\0');
  for (size_t i = 0; i < currency.size(); ++i) currency[i] = static_cast<char>(packed >> (8 * i));
  return currency;
}

}  // namespace writ::codegen

#endif  // WRIT_COMPILER_CODEGEN_FRAME_H_
