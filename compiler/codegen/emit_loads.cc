// Loads from the frame and constants: `const`, `arg`, `has_arg`, `fact`, `principal`,
// `acts_for`, `attr` and `has_attr`, and the helpers every emitter file shares.
#include <llvm/IR/MDBuilder.h>

#include "compiler/codegen/internal/emitter.h"

namespace writ::codegen::internal {

ModuleTypes::ModuleTypes(llvm::Module& module) {
  llvm::LLVMContext& context = module.getContext();
  llvm::Type* i64 = llvm::Type::getInt64Ty(context);
  llvm::Type* i32 = llvm::Type::getInt32Ty(context);
  llvm::Type* ptr = llvm::PointerType::getUnqual(context);
  cell = llvm::StructType::create(context, {i64, ptr, i64, i32, i32}, "writ.Cell");
  std::vector<llvm::Type*> regions(kFrameFieldCount, ptr);
  frame = llvm::StructType::create(context, regions, "writ.Frame");
  root = llvm::FunctionType::get(i32, {ptr, ptr}, false);
}

bool Emitter::Compilable(ir::TypeId type) const {
  const ir::TypeData& data = policy_.type(type);
  switch (data.kind) {
    case ir::TypeKind::kRecord:
      return false;
    case ir::TypeKind::kSet: {
      ir::TypeKind element = policy_.type(data.element).kind;
      return element != ir::TypeKind::kSet && element != ir::TypeKind::kRecord;
    }
    default:
      return true;
  }
}

void Emitter::FailIf(llvm::Value* fails) {
  llvm::BasicBlock* ok = llvm::BasicBlock::Create(b_.getContext(), "ok", function_);
  llvm::MDBuilder weights(b_.getContext());
  b_.CreateCondBr(fails, error_, ok, weights.createUnlikelyBranchWeights());
  b_.SetInsertPoint(ok);
}

llvm::Value* Emitter::StringConstant(std::string_view text) {
  return b_.CreateGlobalString(llvm::StringRef(text.data(), text.size()), "str", 0, &module_);
}

llvm::FunctionCallee Emitter::Native(const char* name, llvm::FunctionType* type) {
  llvm::FunctionCallee callee = module_.getOrInsertFunction(name, type);
  if (auto* function = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    function->setDoesNotThrow();
  }
  return callee;
}

Val Emitter::Scalar(llvm::Value* number, llvm::Value* ref) {
  return Val{number, llvm::ConstantPointerNull::get(b_.getPtrTy()), Int64(0),
             ref != nullptr ? ref : Int32(0), Origin::kOther};
}

Val Emitter::Bool(llvm::Value* i1) { return Scalar(b_.CreateZExt(i1, I64())); }

llvm::Value* Emitter::FrameRegion(FrameField field) {
  llvm::Value* slot = b_.CreateStructGEP(types_.frame, frame_, field);
  return b_.CreateLoad(Ptr(), slot);
}

Val Emitter::LoadCell(llvm::Value* cells, llvm::Value* index) {
  llvm::Value* cell = b_.CreateInBoundsGEP(types_.cell, cells, index);
  auto field = [&](CellField f, llvm::Type* type) {
    return b_.CreateLoad(type, b_.CreateStructGEP(types_.cell, cell, f));
  };
  return Val{field(kCellNumber, I64()), field(kCellData, Ptr()), field(kCellSize, I64()),
             field(kCellRef, I32()), Origin::kOther};
}

llvm::Value* Emitter::LoadPresent(llvm::Value* cells, llvm::Value* index) {
  llvm::Value* cell = b_.CreateInBoundsGEP(types_.cell, cells, index);
  llvm::Value* present = b_.CreateLoad(I32(), b_.CreateStructGEP(types_.cell, cell, kCellPresent));
  return b_.CreateICmpNE(present, Int32(0));
}

std::optional<Val> Emitter::EmitConstValue(ir::TypeId type, const ir::Value& value) {
  switch (policy_.type(type).kind) {
    case ir::TypeKind::kBool:
    case ir::TypeKind::kInt:
    case ir::TypeKind::kDuration:
    case ir::TypeKind::kTimestamp:
      return Scalar(Int64(value.number));
    case ir::TypeKind::kMoney: {
      std::optional<uint32_t> currency = PackCurrency(value.text);
      if (!currency) return Unsupported("a currency of more than three bytes");
      return Scalar(Int64(value.number), Int32(*currency));
    }
    case ir::TypeKind::kString:
      return Val{Int64(0), StringConstant(value.text),
                 Int64(static_cast<int64_t>(value.text.size())), Int32(0), Origin::kOther};
    case ir::TypeKind::kEntity:
    case ir::TypeKind::kEnum:
      return Val{Int64(value.number), StringConstant(value.text),
                 Int64(static_cast<int64_t>(value.text.size())), Int32(value.ref), Origin::kOther};
    case ir::TypeKind::kSet:
    case ir::TypeKind::kRecord:
      break;
  }
  return Unsupported("a constant set or record outside `in`");
}

std::optional<Val> Emitter::EmitConst(const ir::Expr& e) {
  const ir::Constant& constant = policy_.constants.at(e.imm);
  return EmitConstValue(constant.type, constant.value);
}

std::optional<Val> Emitter::EmitAttr(const ir::Expr& e, const Val& entity) {
  if (entity.origin == Origin::kResult) return Unsupported("an attribute of a record");
  const ir::AttrLookup& lookup = policy_.attr_lookups.at(e.imm);
  bool on_principal = entity.origin == Origin::kPrincipal;
  llvm::Value* attrs = nullptr;
  llvm::Value* in_request = b_.getTrue();  // the entity is one of the request's
  if (entity.origin == Origin::kOther) {
    // Any other entity's attributes are bound on demand by the runtime, null if the request
    // does not hold the entity.
    llvm::FunctionType* type = llvm::FunctionType::get(Ptr(), {Ptr(), Ptr()}, false);
    llvm::CallInst* call = b_.CreateCall(type, FrameRegion(kFrameEntityAttrs),
                                         {FrameRegion(kFrameContext), SpillCell(entity)});
    call->setDoesNotThrow();
    attrs = call;
    in_request = b_.CreateIsNotNull(attrs);
  } else {
    attrs = FrameRegion(on_principal ? kFramePrincipalAttrs : kFrameActsForAttrs);
  }
  // The attribute's slot in the entity's type: -1 when the type has none, -2 for `acts_for`.
  constexpr int32_t kNone = -1;
  constexpr int32_t kActsFor = -2;
  llvm::Value* index = b_.getInt32(static_cast<uint32_t>(kNone));
  bool acts_for_slot = false;
  for (const ir::AttrSlot& slot : lookup.slots) {
    bool is_acts_for = slot.slot == ir::AttrSlot::kActsForSlot;
    acts_for_slot = acts_for_slot || is_acts_for;
    llvm::Value* code = b_.getInt32(is_acts_for ? static_cast<uint32_t>(kActsFor) : slot.slot);
    index = b_.CreateSelect(b_.CreateICmpEQ(entity.ref, Int32(slot.type.index)), code, index);
  }
  llvm::Value* found = b_.CreateAnd(in_request, b_.CreateICmpSGE(index, Int32(0)));
  llvm::Value* wide = b_.CreateSExt(index, I64());
  if (e.op == ir::Op::kHasAttr) {
    if (acts_for_slot && !on_principal) {
      return Unsupported("`has acts_for` of an entity other than the principal");
    }
    llvm::Value* other = b_.getFalse();
    if (acts_for_slot) {
      other = b_.CreateAnd(b_.CreateICmpEQ(index, b_.getInt32(static_cast<uint32_t>(kActsFor))),
                           LoadPresent(FrameRegion(kFrameActsFor), Int64(0)));
    }
    llvm::BasicBlock* entry = b_.GetInsertBlock();
    llvm::BasicBlock* load = llvm::BasicBlock::Create(b_.getContext(), "has_attr", function_);
    llvm::BasicBlock* merge = llvm::BasicBlock::Create(b_.getContext(), "has_attr.end", function_);
    b_.CreateCondBr(found, load, merge);
    b_.SetInsertPoint(load);
    llvm::Value* present = LoadPresent(attrs, wide);
    b_.CreateBr(merge);
    b_.SetInsertPoint(merge);
    llvm::PHINode* result = b_.CreatePHI(b_.getInt1Ty(), 2);
    result->addIncoming(other, entry);
    result->addIncoming(present, load);
    return Bool(result);
  }
  if (!Compilable(e.type)) return Unsupported("an attribute of a set or record type");
  FailIf(b_.CreateNot(found));
  FailIf(b_.CreateNot(LoadPresent(attrs, wide)));
  return LoadCell(attrs, wide);
}

}  // namespace writ::codegen::internal
