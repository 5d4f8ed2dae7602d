// The body of a root: the dispatch over ops.def, logic with the interpreter's short-circuits,
// equality, orderings, arithmetic with overflow as an evaluation error, and `in` over constant
// sets. Every error branches to the function's one error exit.
#include <llvm/IR/Intrinsics.h>

#include "compiler/codegen/internal/emitter.h"

namespace writ::codegen::internal {

using ir::Op;

bool Emitter::EmitRoot(ir::ExprId root, const std::string& name, std::string& reason) {
  function_ = llvm::Function::Create(types_.root, llvm::Function::ExternalLinkage, name, module_);
  function_->setDoesNotThrow();
  frame_ = function_->getArg(0);
  llvm::Value* out = function_->getArg(1);
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(b_.getContext(), "entry", function_);
  error_ = llvm::BasicBlock::Create(b_.getContext(), "error", function_);
  b_.SetInsertPoint(error_);
  b_.CreateRet(Int32(1));
  b_.SetInsertPoint(entry);
  nodes_ = 0;
  reason_.clear();
  locals_.assign(policy_.max_locals, std::nullopt);
  ir::TypeKind kind = policy_.type(policy_.expr(root).type).kind;
  std::optional<Val> value = kind == ir::TypeKind::kSet || kind == ir::TypeKind::kRecord
                                 ? Unsupported("a root of a set or record type")
                                 : Emit(root);
  if (!value) {
    function_->eraseFromParent();
    function_ = nullptr;
    reason = reason_;
    return false;
  }
  auto store = [&](CellField field, llvm::Value* v) {
    b_.CreateStore(v, b_.CreateStructGEP(types_.cell, out, field));
  };
  store(kCellNumber, value->number);
  store(kCellData, value->data);
  store(kCellSize, value->size);
  store(kCellRef, value->ref);
  store(kCellPresent, Int32(1));
  b_.CreateRet(Int32(0));
  function_ = nullptr;
  return true;
}

std::optional<Val> Emitter::Emit(ir::ExprId id) {
  if (++nodes_ > kMaxNodes) return Unsupported("more than 4096 nodes once expanded");
  return EmitNode(policy_.expr(id));
}

std::optional<Val> Emitter::EmitNode(const ir::Expr& e) {
  switch (e.op) {
    case Op::kConst:
      return EmitConst(e);
    case Op::kPrincipal: {
      Val principal = LoadCell(FrameRegion(kFramePrincipal), Int64(0));
      principal.origin = Origin::kPrincipal;
      return principal;
    }
    case Op::kArg: {
      if (!Compilable(e.type)) return Unsupported("a parameter of a set or record type");
      llvm::Value* args = FrameRegion(kFrameArgs);
      FailIf(b_.CreateNot(LoadPresent(args, Int64(e.imm))));
      return LoadCell(args, Int64(e.imm));
    }
    case Op::kHasArg:
      return Bool(LoadPresent(FrameRegion(kFrameArgs), Int64(e.imm)));
    case Op::kFact:
      return LoadCell(FrameRegion(kFrameFacts), Int64(e.imm));
    case Op::kResult: {
      llvm::Value* cell = FrameRegion(kFrameResult);
      FailIf(b_.CreateNot(LoadPresent(cell, Int64(0))));
      Val result = LoadCell(cell, Int64(0));
      // A record result is only read through `field`, from the bound fields.
      if (policy_.type(e.type).kind == ir::TypeKind::kRecord) result.origin = Origin::kResult;
      else if (!Compilable(e.type)) return Unsupported("a result of a set type");
      return result;
    }
    case Op::kAnd:
    case Op::kOr:
      return EmitLogic(e);
    case Op::kCall:
      return EmitCall(e);
    case Op::kLocal:
      if (e.imm >= locals_.size() || !locals_[e.imm]) return Unsupported("an unbound local");
      return *locals_[e.imm];
    default:
      break;
  }
  switch (e.op) {
    case Op::kActsFor:
    case Op::kAttr:
    case Op::kHasAttr:
    case Op::kField:
    case Op::kHasField:
    case Op::kSize:
    case Op::kNot:
    case Op::kInSet:
    case Op::kInEntity:
    case Op::kInEntitySet:
    case Op::kLike:
    case Op::kIntNeg:
    case Op::kMoneyNeg:
    case Op::kDurationNeg:
      break;
    default:
      if (ir::Info(e.op).operands != ir::Operands::kAB) {
        return Unsupported("op " + std::string(ir::Info(e.op).spelling));
      }
      break;
  }
  if (e.op == Op::kAny || e.op == Op::kAll) return EmitQuantifier(e);
  std::optional<Val> x = Emit(e.a);
  if (!x) return std::nullopt;
  switch (e.op) {
    case Op::kActsFor: {
      if (x->origin != Origin::kPrincipal) return Unsupported("acts_for of another entity");
      llvm::Value* cell = FrameRegion(kFrameActsFor);
      FailIf(b_.CreateNot(LoadPresent(cell, Int64(0))));
      Val user = LoadCell(cell, Int64(0));
      user.origin = Origin::kActsFor;
      return user;
    }
    case Op::kAttr:
    case Op::kHasAttr:
      return EmitAttr(e, *x);
    case Op::kField:
    case Op::kHasField: {
      if (x->origin != Origin::kResult) {
        return Unsupported("a field of a record other than the result");
      }
      llvm::Value* fields = FrameRegion(kFrameResultFields);
      llvm::Value* present = LoadPresent(fields, Int64(e.imm));
      if (e.op == Op::kHasField) return Bool(present);
      if (!Compilable(e.type)) return Unsupported("a field of a set or record type");
      FailIf(b_.CreateNot(present));
      return LoadCell(fields, Int64(e.imm));
    }
    case Op::kNot:
      return Bool(b_.CreateICmpEQ(x->number, Int64(0)));
    case Op::kSize:
      if (policy_.type(policy_.expr(e.a).type).kind != ir::TypeKind::kSet) {
        return Unsupported("size of a record");
      }
      return Scalar(x->size);
    case Op::kInSet:
      return EmitInSet(e, *x);
    case Op::kInEntity:
    case Op::kInEntitySet:
      return EmitInEntity(e, *x);
    case Op::kLike:
      return EmitLike(e, *x);
    case Op::kIntNeg:
    case Op::kMoneyNeg:
    case Op::kDurationNeg:
      return EmitArithmetic(e, *x, Scalar(Int64(0)));
    default:
      break;
  }
  std::optional<Val> y = Emit(e.b);
  if (!y) return std::nullopt;
  switch (e.op) {
    case Op::kEq:
    case Op::kNe:
      return EmitEquality(e, *x, *y, policy_.expr(e.a).type);
    case Op::kIntLt:
    case Op::kIntLe:
    case Op::kIntGt:
    case Op::kIntGe:
    case Op::kMoneyLt:
    case Op::kMoneyLe:
    case Op::kMoneyGt:
    case Op::kMoneyGe:
    case Op::kStringLt:
    case Op::kStringLe:
    case Op::kStringGt:
    case Op::kStringGe:
      return EmitOrdering(e, *x, *y);
    default:
      return EmitArithmetic(e, *x, *y);
  }
}

std::optional<Val> Emitter::EmitLogic(const ir::Expr& e) {
  std::optional<Val> x = Emit(e.a);
  if (!x) return std::nullopt;
  llvm::Value* left = b_.CreateICmpNE(x->number, Int64(0));
  llvm::BasicBlock* left_end = b_.GetInsertBlock();
  llvm::BasicBlock* right = llvm::BasicBlock::Create(b_.getContext(), "rhs", function_);
  llvm::BasicBlock* merge = llvm::BasicBlock::Create(b_.getContext(), "logic.end", function_);
  // `and` decides on a false left operand, `or` on a true one; the right is then skipped.
  if (e.op == Op::kAnd) {
    b_.CreateCondBr(left, right, merge);
  } else {
    b_.CreateCondBr(left, merge, right);
  }
  b_.SetInsertPoint(right);
  std::optional<Val> y = Emit(e.b);
  if (!y) return std::nullopt;
  llvm::BasicBlock* right_end = b_.GetInsertBlock();
  b_.CreateBr(merge);
  b_.SetInsertPoint(merge);
  llvm::PHINode* result = b_.CreatePHI(I64(), 2);
  result->addIncoming(x->number, left_end);
  result->addIncoming(y->number, right_end);
  return Scalar(result);
}

llvm::Value* Emitter::BytesEqual(const Val& x, const Val& y) {
  llvm::BasicBlock* entry = b_.GetInsertBlock();
  llvm::BasicBlock* compare = llvm::BasicBlock::Create(b_.getContext(), "bytes", function_);
  llvm::BasicBlock* merge = llvm::BasicBlock::Create(b_.getContext(), "bytes.end", function_);
  b_.CreateCondBr(b_.CreateICmpEQ(x.size, y.size), compare, merge);
  b_.SetInsertPoint(compare);
  llvm::FunctionCallee memcmp =
      Native("memcmp", llvm::FunctionType::get(I32(), {Ptr(), Ptr(), I64()}, false));
  llvm::Value* same = b_.CreateICmpEQ(b_.CreateCall(memcmp, {x.data, y.data, x.size}), Int32(0));
  b_.CreateBr(merge);
  b_.SetInsertPoint(merge);
  llvm::PHINode* result = b_.CreatePHI(b_.getInt1Ty(), 2);
  result->addIncoming(b_.getFalse(), entry);
  result->addIncoming(same, compare);
  return result;
}

llvm::Value* Emitter::CurrencyMismatch(const Val& x, const Val& y) {
  return b_.CreateAnd(b_.CreateICmpNE(x.ref, y.ref),
                      b_.CreateAnd(b_.CreateICmpNE(x.ref, Int32(0)),
                                   b_.CreateICmpNE(y.ref, Int32(0))));
}

std::optional<Val> Emitter::EmitEquality(const ir::Expr& e, const Val& x, const Val& y,
                                         ir::TypeId type) {
  llvm::Value* equal = nullptr;
  switch (policy_.type(type).kind) {
    case ir::TypeKind::kBool:
    case ir::TypeKind::kInt:
    case ir::TypeKind::kDuration:
    case ir::TypeKind::kTimestamp:
    case ir::TypeKind::kEnum:
      equal = b_.CreateAnd(b_.CreateICmpEQ(x.number, y.number), b_.CreateICmpEQ(x.ref, y.ref));
      break;
    case ir::TypeKind::kMoney:
      FailIf(CurrencyMismatch(x, y));
      equal = b_.CreateICmpEQ(x.number, y.number);
      break;
    case ir::TypeKind::kString:
      equal = BytesEqual(x, y);
      break;
    case ir::TypeKind::kEntity: {
      llvm::Value* same_type =
          b_.CreateAnd(b_.CreateICmpEQ(x.number, y.number), b_.CreateICmpEQ(x.ref, y.ref));
      equal = b_.CreateAnd(same_type, BytesEqual(x, y));
      break;
    }
    case ir::TypeKind::kSet:
    case ir::TypeKind::kRecord:
      return Unsupported("== on sets or records");
  }
  return Bool(e.op == Op::kEq ? equal : b_.CreateNot(equal));
}

std::optional<Val> Emitter::EmitOrdering(const ir::Expr& e, const Val& x, const Val& y) {
  llvm::Value* left = x.number;
  llvm::Value* right = y.number;
  switch (e.op) {
    case Op::kMoneyLt:
    case Op::kMoneyLe:
    case Op::kMoneyGt:
    case Op::kMoneyGe:
      FailIf(CurrencyMismatch(x, y));
      break;
    case Op::kStringLt:
    case Op::kStringLe:
    case Op::kStringGt:
    case Op::kStringGe: {
      llvm::FunctionType* type =
          llvm::FunctionType::get(I32(), {Ptr(), I64(), Ptr(), I64()}, false);
      llvm::FunctionCallee compare = Native("writ_jit_string_compare", type);
      left = b_.CreateCall(compare, {x.data, x.size, y.data, y.size});
      right = Int32(0);
      break;
    }
    default:
      break;
  }
  switch (e.op) {
    case Op::kIntLt:
    case Op::kMoneyLt:
    case Op::kStringLt:
      return Bool(b_.CreateICmpSLT(left, right));
    case Op::kIntLe:
    case Op::kMoneyLe:
    case Op::kStringLe:
      return Bool(b_.CreateICmpSLE(left, right));
    case Op::kIntGt:
    case Op::kMoneyGt:
    case Op::kStringGt:
      return Bool(b_.CreateICmpSGT(left, right));
    default:
      return Bool(b_.CreateICmpSGE(left, right));
  }
}

std::optional<Val> Emitter::EmitArithmetic(const ir::Expr& e, const Val& x, const Val& y) {
  auto checked = [&](llvm::Intrinsic::ID id, llvm::Value* a, llvm::Value* b) {
    llvm::Value* pair = b_.CreateBinaryIntrinsic(id, a, b);
    FailIf(b_.CreateExtractValue(pair, 1));
    return b_.CreateExtractValue(pair, 0);
  };
  using llvm::Intrinsic::sadd_with_overflow;
  using llvm::Intrinsic::smul_with_overflow;
  using llvm::Intrinsic::ssub_with_overflow;
  switch (e.op) {
    case Op::kIntAdd:
    case Op::kDurationAdd:
      return Scalar(checked(sadd_with_overflow, x.number, y.number));
    case Op::kIntSub:
    case Op::kDurationSub:
    case Op::kTimestampDiff:
      return Scalar(checked(ssub_with_overflow, x.number, y.number));
    case Op::kIntMul:
    case Op::kDurationMul:
      return Scalar(checked(smul_with_overflow, x.number, y.number));
    case Op::kIntNeg:
    case Op::kDurationNeg:
      return Scalar(checked(ssub_with_overflow, Int64(0), x.number));
    case Op::kMoneyNeg:
      return Scalar(checked(ssub_with_overflow, Int64(0), x.number), x.ref);
    case Op::kMoneyMul:
      return Scalar(checked(smul_with_overflow, x.number, y.number), x.ref);
    case Op::kIntDiv:
    case Op::kIntMod: {
      FailIf(b_.CreateICmpEQ(y.number, Int64(0)));
      FailIf(b_.CreateAnd(b_.CreateICmpEQ(x.number, Int64(INT64_MIN)),
                          b_.CreateICmpEQ(y.number, Int64(-1))));
      return Scalar(e.op == Op::kIntDiv ? b_.CreateSDiv(x.number, y.number)
                                        : b_.CreateSRem(x.number, y.number));
    }
    case Op::kMoneyAdd:
    case Op::kMoneySub: {
      FailIf(CurrencyMismatch(x, y));
      llvm::Value* currency = b_.CreateSelect(b_.CreateICmpEQ(x.ref, Int32(0)), y.ref, x.ref);
      return Scalar(checked(e.op == Op::kMoneyAdd ? sadd_with_overflow : ssub_with_overflow,
                            x.number, y.number),
                    currency);
    }
    case Op::kMoneyDiv: {
      llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
      llvm::Value* slot = entry.CreateAlloca(I64());
      llvm::FunctionCallee divide =
          Native("writ_money_div", llvm::FunctionType::get(I32(), {I64(), I64(), Ptr()}, false));
      FailIf(b_.CreateICmpNE(b_.CreateCall(divide, {x.number, y.number, slot}), Int32(0)));
      return Scalar(b_.CreateLoad(I64(), slot), x.ref);
    }
    case Op::kTimestampAdd:
    case Op::kTimestampSub: {
      llvm::Value* t = checked(e.op == Op::kTimestampAdd ? sadd_with_overflow : ssub_with_overflow,
                               x.number, y.number);
      FailIf(b_.CreateOr(b_.CreateICmpSLT(t, Int64(ir::kMinTimestamp)),
                         b_.CreateICmpSGT(t, Int64(ir::kMaxTimestamp))));
      return Scalar(t);
    }
    default:
      return Unsupported("op " + std::string(ir::Info(e.op).spelling));
  }
}

std::optional<Val> Emitter::EmitInSet(const ir::Expr& e, const Val& x) {
  const ir::Expr& set = policy_.expr(e.b);
  if (set.op != Op::kConst) {
    std::optional<Val> bound = Emit(e.b);
    if (!bound) return std::nullopt;
    return EmitInBoundSet(e, x, *bound);
  }
  const ir::Constant& constant = policy_.constants.at(set.imm);
  ir::TypeId element = policy_.type(constant.type).element;
  ir::TypeKind kind = policy_.type(element).kind;
  if (kind == ir::TypeKind::kMoney || !Compilable(element)) {
    return Unsupported("`in` over a set of money, sets or records");
  }
  if (constant.value.elements.size() > 1024) {
    return Unsupported("`in` over more than 1024 constants");
  }
  ++nodes_;
  llvm::Value* found = b_.getFalse();
  for (const ir::Value& value : constant.value.elements) {
    std::optional<Val> candidate = EmitConstValue(element, value);
    if (!candidate) return std::nullopt;
    llvm::Value* same = nullptr;
    if (kind == ir::TypeKind::kString) {
      same = BytesEqual(x, *candidate);
    } else {
      same = b_.CreateAnd(b_.CreateICmpEQ(x.number, candidate->number),
                          b_.CreateICmpEQ(x.ref, candidate->ref));
      if (kind == ir::TypeKind::kEntity) same = b_.CreateAnd(same, BytesEqual(x, *candidate));
    }
    found = b_.CreateOr(found, same);
  }
  return Bool(found);
}

llvm::Value* Emitter::SpillCell(const Val& value) {
  llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
  llvm::Value* cell = entry.CreateAlloca(types_.cell);
  auto store = [&](CellField field, llvm::Value* v) {
    b_.CreateStore(v, b_.CreateStructGEP(types_.cell, cell, field));
  };
  store(kCellNumber, value.number);
  store(kCellData, value.data);
  store(kCellSize, value.size);
  store(kCellRef, value.ref);
  store(kCellPresent, Int32(1));
  return cell;
}

std::optional<Val> Emitter::EmitInEntity(const ir::Expr& e, const Val& x) {
  llvm::Value* context = FrameRegion(kFrameContext);
  llvm::Value* callback = FrameRegion(kFrameInEntity);
  llvm::FunctionType* type = llvm::FunctionType::get(I32(), {Ptr(), Ptr(), Ptr()}, false);
  llvm::Value* entity = SpillCell(x);
  auto ask = [&](const Val& ancestor) {
    llvm::CallInst* call = b_.CreateCall(type, callback, {context, entity, SpillCell(ancestor)});
    call->setDoesNotThrow();
    return b_.CreateICmpNE(call, Int32(0));
  };
  if (e.op == Op::kInEntity) {
    std::optional<Val> ancestor = Emit(e.b);
    if (!ancestor) return std::nullopt;
    return Bool(ask(*ancestor));
  }
  // The hierarchy never fails, so asking of every element is the interpreter's first match.
  const ir::Expr& set = policy_.expr(e.b);
  if (set.op != Op::kConst) return Unsupported("`in` over a set of entities computed at run time");
  const ir::Constant& constant = policy_.constants.at(set.imm);
  ir::TypeId element = policy_.type(constant.type).element;
  if (constant.value.elements.size() > 1024) {
    return Unsupported("`in` over more than 1024 constants");
  }
  llvm::Value* found = b_.getFalse();
  for (const ir::Value& value : constant.value.elements) {
    std::optional<Val> ancestor = EmitConstValue(element, value);
    if (!ancestor) return std::nullopt;
    found = b_.CreateOr(found, ask(*ancestor));
  }
  return Bool(found);
}

}  // namespace writ::codegen::internal
