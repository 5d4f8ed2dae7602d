// Sets bound as arrays of cells (docs/jit.md): `in` over a set of the request, and the
// quantifiers `any` and `all` with the interpreter's rule for errors inside their bodies.
#include "compiler/codegen/internal/emitter.h"

namespace writ::codegen::internal {

llvm::Value* Emitter::ScalarEqual(ir::TypeKind kind, const Val& x, const Val& y) {
  if (kind == ir::TypeKind::kString) return BytesEqual(x, y);
  llvm::Value* same =
      b_.CreateAnd(b_.CreateICmpEQ(x.number, y.number), b_.CreateICmpEQ(x.ref, y.ref));
  if (kind == ir::TypeKind::kEntity) same = b_.CreateAnd(same, BytesEqual(x, y));
  return same;
}

std::optional<Val> Emitter::EmitInBoundSet(const ir::Expr& e, const Val& x, const Val& set) {
  ir::TypeKind kind = policy_.type(policy_.type(policy_.expr(e.b).type).element).kind;
  bool money = kind == ir::TypeKind::kMoney;
  llvm::LLVMContext& context = b_.getContext();
  llvm::BasicBlock* before = b_.GetInsertBlock();
  llvm::BasicBlock* header = llvm::BasicBlock::Create(context, "in.head", function_);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(context, "in.body", function_);
  llvm::BasicBlock* latch = llvm::BasicBlock::Create(context, "in.next", function_);
  llvm::BasicBlock* found = llvm::BasicBlock::Create(context, "in.found", function_);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(context, "in.done", function_);
  llvm::BasicBlock* merge = llvm::BasicBlock::Create(context, "in.end", function_);
  b_.CreateBr(header);

  b_.SetInsertPoint(header);
  llvm::PHINode* index = b_.CreatePHI(I64(), 2);
  llvm::PHINode* any = b_.CreatePHI(b_.getInt1Ty(), 2);  // money: some element was equal
  index->addIncoming(Int64(0), before);
  any->addIncoming(b_.getFalse(), before);
  b_.CreateCondBr(b_.CreateICmpULT(index, set.size), body, done);

  b_.SetInsertPoint(body);
  Val element = LoadCell(set.data, index);
  llvm::Value* next_any = any;
  if (money) {
    // As the interpreter: every element must be in the amount's currency, so no early exit.
    FailIf(CurrencyMismatch(x, element));
    next_any = b_.CreateOr(any, b_.CreateICmpEQ(x.number, element.number));
    b_.CreateBr(latch);
  } else {
    b_.CreateCondBr(ScalarEqual(kind, x, element), found, latch);
  }
  llvm::BasicBlock* body_end = b_.GetInsertBlock();

  b_.SetInsertPoint(latch);
  llvm::PHINode* carried = b_.CreatePHI(b_.getInt1Ty(), 1);
  carried->addIncoming(next_any, body_end);
  index->addIncoming(b_.CreateAdd(index, Int64(1)), latch);
  any->addIncoming(carried, latch);
  b_.CreateBr(header);

  b_.SetInsertPoint(found);
  b_.CreateBr(merge);
  b_.SetInsertPoint(done);
  b_.CreateBr(merge);
  b_.SetInsertPoint(merge);
  llvm::PHINode* result = b_.CreatePHI(b_.getInt1Ty(), 2);
  result->addIncoming(b_.getTrue(), found);
  result->addIncoming(any, done);
  return Bool(result);
}

std::optional<Val> Emitter::EmitQuantifier(const ir::Expr& e) {
  bool is_any = e.op == ir::Op::kAny;
  const ir::TypeData& domain_type = policy_.type(policy_.expr(e.a).type);
  if (domain_type.kind != ir::TypeKind::kSet) return Unsupported("a quantifier over a record");
  if (e.imm >= locals_.size()) return Unsupported("a local beyond max_locals");
  std::optional<Val> domain = Emit(e.a);
  if (!domain) return std::nullopt;
  if (policy_.expr(e.a).op == ir::Op::kConst) return Unsupported("a quantifier over constants");

  llvm::LLVMContext& context = b_.getContext();
  llvm::BasicBlock* before = b_.GetInsertBlock();
  llvm::BasicBlock* header = llvm::BasicBlock::Create(context, "q.head", function_);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(context, "q.body", function_);
  llvm::BasicBlock* failed_body = llvm::BasicBlock::Create(context, "q.failed", function_);
  llvm::BasicBlock* latch = llvm::BasicBlock::Create(context, "q.next", function_);
  llvm::BasicBlock* decided = llvm::BasicBlock::Create(context, "q.decided", function_);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(context, "q.done", function_);
  llvm::BasicBlock* merge = llvm::BasicBlock::Create(context, "q.end", function_);
  b_.CreateBr(header);

  b_.SetInsertPoint(header);
  llvm::PHINode* index = b_.CreatePHI(I64(), 2);
  llvm::PHINode* failed = b_.CreatePHI(b_.getInt1Ty(), 2);
  index->addIncoming(Int64(0), before);
  failed->addIncoming(b_.getFalse(), before);
  b_.CreateCondBr(b_.CreateICmpULT(index, domain->size), body, done);

  // An error in one element's body does not end the quantifier (docs/ir.md): it is remembered,
  // and reported only if no element decides.
  b_.SetInsertPoint(body);
  std::optional<Val> saved = locals_[e.imm];
  locals_[e.imm] = LoadCell(domain->data, index);
  llvm::BasicBlock* outer_error = error_;
  error_ = failed_body;
  std::optional<Val> value = Emit(e.b);
  error_ = outer_error;
  locals_[e.imm] = saved;
  if (!value) return std::nullopt;
  llvm::Value* truth = b_.CreateICmpNE(value->number, Int64(0));
  b_.CreateCondBr(is_any ? truth : b_.CreateNot(truth), decided, latch);
  llvm::BasicBlock* body_end = b_.GetInsertBlock();

  b_.SetInsertPoint(failed_body);
  b_.CreateBr(latch);

  b_.SetInsertPoint(latch);
  llvm::PHINode* carried = b_.CreatePHI(b_.getInt1Ty(), 2);
  carried->addIncoming(failed, body_end);
  carried->addIncoming(b_.getTrue(), failed_body);
  index->addIncoming(b_.CreateAdd(index, Int64(1)), latch);
  failed->addIncoming(carried, latch);
  b_.CreateBr(header);

  b_.SetInsertPoint(decided);
  b_.CreateBr(merge);
  b_.SetInsertPoint(done);
  FailIf(failed);
  llvm::BasicBlock* done_end = b_.GetInsertBlock();
  b_.CreateBr(merge);
  b_.SetInsertPoint(merge);
  llvm::PHINode* result = b_.CreatePHI(I64(), 2);
  result->addIncoming(Int64(is_any ? 1 : 0), decided);
  result->addIncoming(Int64(is_any ? 0 : 1), done_end);
  return Scalar(result);
}

}  // namespace writ::codegen::internal
