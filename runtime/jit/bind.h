// Binds a decoded request into the flat frame that compiled code reads (docs/jit.md, "The
// frame"): cells point into the request's own strings, so binding copies no text.
#ifndef WRIT_RUNTIME_JIT_BIND_H_
#define WRIT_RUNTIME_JIT_BIND_H_

#include <array>
#include <deque>
#include <map>
#include <vector>

#include "compiler/codegen/frame.h"
#include "compiler/ir/policy.h"
#include "runtime/internal/expr_eval.h"
#include "runtime/internal/patterns.h"
#include "runtime/request.h"

namespace writ::runtime::jit_internal {

// The arrays of cells that bound sets point to; a deque, so that they never move.
using SetCells = std::deque<std::vector<codegen::Cell>>;

// The cell of a value (present unless absent); a set's elements are bound into `sets` and the
// cell points to them. False in `ok` when the value cannot be bound: money in a currency of more
// than three bytes.
codegen::Cell ToCell(const Value& value, bool& ok, SetCells& sets);
// The value a compiled root of type `type` wrote to `cell`.
Value FromCell(const ir::Policy& policy, ir::TypeId type, const codegen::Cell& cell);

// The frame of one request. Holds pointers into `request` and into itself: it must not outlive
// the request, and it neither copies nor moves.
class BoundFrame {
 public:
  // `exprs` gives the session facts with their defaults (it is over the same request).
  // `patterns` (may be null) holds the policy's compiled regular expressions.
  BoundFrame(const Request& request, const internal::ExprEvaluator& exprs,
             const internal::CompiledPatterns* patterns);
  BoundFrame(const BoundFrame&) = delete;
  BoundFrame& operator=(const BoundFrame&) = delete;

  // False when some value could not be bound; the request is then decided by the interpreter
  // (from the first root that needed the value on).
  bool ok() const { return ok_; }
  const codegen::Frame* frame() const { return &frame_; }

 private:
  // The frame's callbacks; `context` is the BoundFrame.
  static uint32_t InEntity(void* context, const codegen::Cell* a,
                           const codegen::Cell* b) noexcept;
  static const codegen::Cell* EntityAttrs(void* context, const codegen::Cell* entity) noexcept;
  static uint32_t Matches(void* context, uint32_t call, const codegen::Cell* text) noexcept;

  std::vector<codegen::Cell> Cells(const std::vector<Value>& values);

  const Request& request_;
  const internal::ExprEvaluator& exprs_;
  const internal::CompiledPatterns* patterns_;
  SetCells sets_;
  std::map<uint32_t, std::vector<codegen::Cell>> entity_attrs_;  // bound on demand, by entity
  std::array<Value, ir::kSessionFactCount> fact_values_;
  std::array<codegen::Cell, ir::kSessionFactCount> facts_;
  std::vector<codegen::Cell> args_;
  codegen::Cell principal_;
  std::vector<codegen::Cell> principal_attrs_;
  codegen::Cell acts_for_;
  std::vector<codegen::Cell> acts_for_attrs_;
  codegen::Cell result_;
  std::vector<codegen::Cell> result_fields_;
  codegen::Frame frame_;
  bool ok_ = true;
};

}  // namespace writ::runtime::jit_internal

#endif  // WRIT_RUNTIME_JIT_BIND_H_
