// The translation of one expression root into the body of its function: each IR node becomes
// LLVM IR in the current block, values as Val, and every evaluation error a branch to the
// function's error exit (docs/jit.md, "Roots become functions").
#ifndef WRIT_COMPILER_CODEGEN_INTERNAL_EMITTER_H_
#define WRIT_COMPILER_CODEGEN_INTERNAL_EMITTER_H_

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <optional>
#include <span>
#include <string>

#include "compiler/codegen/frame.h"
#include "compiler/ir/policy.h"

namespace writ::codegen::internal {

// Where an entity value's attributes, or a record's fields, are bound in the frame.
enum class Origin : uint8_t { kOther, kPrincipal, kActsFor, kResult };

// A compiled value: the fields of a Cell (frame.h). Fields a type does not use are constants.
struct Val {
  llvm::Value* number = nullptr;  // i64
  llvm::Value* data = nullptr;    // ptr
  llvm::Value* size = nullptr;    // i64
  llvm::Value* ref = nullptr;     // i32
  Origin origin = Origin::kOther;
};

struct StdNative;  // internal/natives.h

// The LLVM types and declarations shared by all roots of one module.
struct ModuleTypes {
  explicit ModuleTypes(llvm::Module& module);
  llvm::StructType* cell;
  llvm::StructType* frame;
  llvm::FunctionType* root;  // RootFunction
};

class Emitter {
 public:
  // Translation stops (and the root is not compiled) beyond this many nodes, counted as a tree:
  // hash-consing can make a small DAG expand exponentially.
  static constexpr int kMaxNodes = 4096;

  Emitter(const ir::Policy& policy, llvm::Module& module, const ModuleTypes& types)
      : policy_(policy), module_(module), types_(types), b_(module.getContext()) {}

  // Emits `root` as the function `name`; false (with the function removed and `reason` set)
  // when some operation is outside the compiled subset.
  bool EmitRoot(ir::ExprId root, const std::string& name, std::string& reason);

 private:
  // The value of node `id`, or nullopt (with reason_ set) if it cannot be compiled.
  std::optional<Val> Emit(ir::ExprId id);
  std::optional<Val> EmitNode(const ir::Expr& e);
  // emit_loads.cc
  std::optional<Val> EmitConst(const ir::Expr& e);
  std::optional<Val> EmitConstValue(ir::TypeId type, const ir::Value& value);
  std::optional<Val> EmitAttr(const ir::Expr& e, const Val& entity);
  Val LoadCell(llvm::Value* cells, llvm::Value* index);
  llvm::Value* LoadPresent(llvm::Value* cells, llvm::Value* index);
  llvm::Value* FrameRegion(FrameField field);
  // emit_exprs.cc
  std::optional<Val> EmitLogic(const ir::Expr& e);
  std::optional<Val> EmitEquality(const ir::Expr& e, const Val& x, const Val& y, ir::TypeId type);
  std::optional<Val> EmitOrdering(const ir::Expr& e, const Val& x, const Val& y);
  std::optional<Val> EmitArithmetic(const ir::Expr& e, const Val& x, const Val& y);
  std::optional<Val> EmitInSet(const ir::Expr& e, const Val& x);
  std::optional<Val> EmitInEntity(const ir::Expr& e, const Val& x);
  // emit_sets.cc: `in` over a bound set, and the quantifiers.
  std::optional<Val> EmitInBoundSet(const ir::Expr& e, const Val& x, const Val& set);
  std::optional<Val> EmitQuantifier(const ir::Expr& e);
  // i1: `x` equals `y`, both of `kind` (no money: its currency rule can fail).
  llvm::Value* ScalarEqual(ir::TypeKind kind, const Val& x, const Val& y);
  // A stack slot in the entry block holding `value` as a Cell, for the runtime's callbacks.
  llvm::Value* SpillCell(const Val& value);
  // emit_calls.cc
  std::optional<Val> EmitLike(const ir::Expr& e, const Val& x);
  std::optional<Val> EmitCall(const ir::Expr& e);
  std::optional<Val> EmitContainsKind(const StdNative& native,
                                      std::span<const ir::ExprId> operands);

  // Whether values of `type` are compiled: scalars, entities, enums, and sets of those (bound
  // as arrays of cells, usable by `size`, `in` and the quantifiers).
  bool Compilable(ir::TypeId type) const;
  // Branches to the error exit when `fails` (i1) is true; continues in a new block.
  void FailIf(llvm::Value* fails);
  // i1: the two strings have the same bytes.
  llvm::Value* BytesEqual(const Val& x, const Val& y);
  // i1: money `x` and `y` are in different currencies (neither the currency-less zero).
  llvm::Value* CurrencyMismatch(const Val& x, const Val& y);
  // A private constant with `text`'s bytes.
  llvm::Value* StringConstant(std::string_view text);
  llvm::FunctionCallee Native(const char* name, llvm::FunctionType* type);
  Val Scalar(llvm::Value* number, llvm::Value* ref = nullptr);
  Val Bool(llvm::Value* i1);
  std::nullopt_t Unsupported(std::string reason) {
    if (reason_.empty()) reason_ = std::move(reason);
    return std::nullopt;
  }

  llvm::Type* I64() { return b_.getInt64Ty(); }
  llvm::Type* I32() { return b_.getInt32Ty(); }
  llvm::Type* Ptr() { return b_.getPtrTy(); }
  llvm::Constant* Int64(int64_t v) { return b_.getInt64(static_cast<uint64_t>(v)); }
  llvm::Constant* Int32(uint32_t v) { return b_.getInt32(v); }

  const ir::Policy& policy_;
  llvm::Module& module_;
  const ModuleTypes& types_;
  llvm::IRBuilder<> b_;
  llvm::Function* function_ = nullptr;
  llvm::Value* frame_ = nullptr;
  llvm::BasicBlock* error_ = nullptr;
  std::vector<std::optional<Val>> locals_;  // the quantifiers' elements, by local slot
  int nodes_ = 0;
  std::string reason_;
};

}  // namespace writ::codegen::internal

#endif  // WRIT_COMPILER_CODEGEN_INTERNAL_EMITTER_H_
