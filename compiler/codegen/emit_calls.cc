// Text and standard-library calls: `like` and the std functions of internal/natives.h, through
// the same C entry points (stdlib/native.h) that the interpreter calls.
#include "compiler/codegen/internal/emitter.h"
#include "compiler/codegen/internal/natives.h"
#include "stdlib/declarations.h"
#include "stdlib/native.h"

namespace writ::codegen::internal {

std::optional<Val> Emitter::EmitLike(const ir::Expr& e, const Val& x) {
  std::optional<Val> glob = Emit(e.b);
  if (!glob) return std::nullopt;
  llvm::FunctionType* type =
      llvm::FunctionType::get(b_.getInt8Ty(), {Ptr(), I64(), Ptr(), I64()}, false);
  llvm::FunctionCallee native = Native("writ_text_glob", type);
  llvm::Value* matched = b_.CreateCall(native, {x.data, x.size, glob->data, glob->size});
  return Bool(b_.CreateICmpNE(matched, b_.getInt8(0)));
}

std::optional<Val> Emitter::EmitContainsKind(const StdNative& native,
                                            std::span<const ir::ExprId> operands) {
  // The detector is a constant member of the policy's std.pii `Kind`, matched to the native
  // detectors by name as the interpreter matches it; anything else is left to the interpreter.
  if (operands.size() != 2 || policy_.expr(operands[1]).op != ir::Op::kConst) {
    return Unsupported("std.pii.contains_kind of a detector computed at run time");
  }
  const ir::Value& member = policy_.constants.at(policy_.expr(operands[1]).imm).value;
  const ir::Enum& kinds = policy_.enums.at(member.ref);
  if (member.number < 0 || static_cast<size_t>(member.number) >= kinds.members.size()) {
    return Unsupported("an unknown std.pii detector");
  }
  std::optional<uint32_t> kind;
  for (uint32_t k = 0; k < WRIT_PII_KIND_COUNT; ++k) {
    if (kinds.members[member.number] == writ_pii_kind_name(k)) kind = k;
  }
  if (!kind) return Unsupported("an unknown std.pii detector");
  std::optional<Val> text = Emit(operands[0]);
  if (!text) return std::nullopt;
  llvm::FunctionCallee callee = Native(
      native.symbol, llvm::FunctionType::get(b_.getInt8Ty(), {Ptr(), I64(), I32()}, false));
  llvm::Value* found = b_.CreateCall(callee, {text->data, text->size, Int32(*kind)});
  return Bool(b_.CreateICmpNE(found, b_.getInt8(0)));
}

std::optional<Val> Emitter::EmitCall(const ir::Expr& e) {
  std::span<const stdlib::Function> functions = stdlib::Functions();
  if (e.imm >= functions.size()) return Unsupported("an unknown std function");
  const stdlib::Function& function = functions[e.imm];
  if (function.module == "std.text" && function.name == "matches") {
    // The pattern is a constant (the checker requires it), compiled by the runtime at load.
    std::span<const ir::ExprId> operands = policy_.list(e.list);
    if (operands.size() != 2) return Unsupported("a std call of another arity");
    std::optional<Val> text = Emit(operands[0]);
    if (!text) return std::nullopt;
    auto call_id = static_cast<uint32_t>(&e - policy_.exprs.data());
    llvm::FunctionType* type = llvm::FunctionType::get(I32(), {Ptr(), I32(), Ptr()}, false);
    llvm::CallInst* matched =
        b_.CreateCall(type, FrameRegion(kFrameMatches),
                      {FrameRegion(kFrameContext), Int32(call_id), SpillCell(*text)});
    matched->setDoesNotThrow();
    FailIf(b_.CreateICmpEQ(matched, Int32(2)));
    return Bool(b_.CreateICmpEQ(matched, Int32(1)));
  }
  const StdNative* native = FindStdNative(function.module, function.name);
  if (native == nullptr) {
    return Unsupported("call " + std::string(function.module) + "." + std::string(function.name));
  }
  std::span<const ir::ExprId> operands = policy_.list(e.list);
  if (native->shape == Shape::kStringAndKind) return EmitContainsKind(*native, operands);
  // Arguments are evaluated in order, as the interpreter does; the first error is the call's.
  std::vector<Val> args;
  for (ir::ExprId operand : operands) {
    std::optional<Val> arg = Emit(operand);
    if (!arg) return std::nullopt;
    args.push_back(*arg);
  }
  size_t arity = native->shape == Shape::kTwoStringsToBool || native->shape == Shape::kMoneyMin ||
                         native->shape == Shape::kMoneyMax
                     ? 2
                     : 1;
  if (args.size() != arity) return Unsupported("a std call of another arity");
  switch (native->shape) {
    case Shape::kStringToBool: {
      llvm::FunctionCallee callee =
          Native(native->symbol, llvm::FunctionType::get(b_.getInt8Ty(), {Ptr(), I64()}, false));
      llvm::Value* r = b_.CreateCall(callee, {args[0].data, args[0].size});
      return Bool(b_.CreateICmpNE(r, b_.getInt8(0)));
    }
    case Shape::kTwoStringsToBool: {
      llvm::FunctionType* type =
          llvm::FunctionType::get(b_.getInt8Ty(), {Ptr(), I64(), Ptr(), I64()}, false);
      llvm::FunctionCallee callee = Native(native->symbol, type);
      llvm::Value* r =
          b_.CreateCall(callee, {args[0].data, args[0].size, args[1].data, args[1].size});
      return Bool(b_.CreateICmpNE(r, b_.getInt8(0)));
    }
    case Shape::kStringToInt: {
      llvm::FunctionCallee callee =
          Native(native->symbol, llvm::FunctionType::get(I64(), {Ptr(), I64()}, false));
      return Scalar(b_.CreateCall(callee, {args[0].data, args[0].size}));
    }
    case Shape::kIntToInt: {
      llvm::FunctionCallee callee =
          Native(native->symbol, llvm::FunctionType::get(I64(), {I64()}, false));
      return Scalar(b_.CreateCall(callee, {args[0].number}));
    }
    case Shape::kStringAndKind:
      break;
    case Shape::kMoneyMin:
    case Shape::kMoneyMax: {
      // As the interpreter: the currencies must agree, the currency-less zero takes the other's.
      const Val& x = args[0];
      const Val& y = args[1];
      FailIf(CurrencyMismatch(x, y));
      llvm::Value* currency = b_.CreateSelect(b_.CreateICmpEQ(x.ref, Int32(0)), y.ref, x.ref);
      llvm::Value* pick_x = native->shape == Shape::kMoneyMin
                                ? b_.CreateICmpSLE(x.number, y.number)
                                : b_.CreateICmpSGE(x.number, y.number);
      return Scalar(b_.CreateSelect(pick_x, x.number, y.number), currency);
    }
    case Shape::kMoneyAbs: {
      const Val& x = args[0];
      FailIf(b_.CreateICmpEQ(x.number, Int64(INT64_MIN)));
      llvm::Value* negative = b_.CreateICmpSLT(x.number, Int64(0));
      return Scalar(b_.CreateSelect(negative, b_.CreateNeg(x.number), x.number), x.ref);
    }
  }
  return Unsupported("a std call");
}

}  // namespace writ::codegen::internal
