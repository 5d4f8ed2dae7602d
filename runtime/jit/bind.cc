#include "runtime/jit/bind.h"

namespace writ::runtime::jit_internal {

codegen::Cell ToCell(const Value& value, bool& ok, SetCells& sets) {
  codegen::Cell cell;
  cell.number = value.number;
  cell.data = value.text.data();
  cell.size = value.text.size();
  cell.ref = value.ref;
  cell.present = value.kind == Value::Kind::kAbsent ? 0 : 1;
  if (value.kind == Value::Kind::kMoney) {
    std::optional<uint32_t> currency = codegen::PackCurrency(value.text);
    if (!currency) ok = false;
    cell.ref = currency.value_or(0);
  }
  if (value.kind == Value::Kind::kSet) {
    std::vector<codegen::Cell>& elements = sets.emplace_back();
    elements.reserve(value.elements.size());
    for (const Value& element : value.elements) elements.push_back(ToCell(element, ok, sets));
    cell.data = reinterpret_cast<const char*>(elements.data());
    cell.size = elements.size();
  }
  return cell;
}

Value FromCell(const ir::Policy& policy, ir::TypeId type, const codegen::Cell& cell) {
  switch (policy.type(type).kind) {
    case ir::TypeKind::kBool:
      return Value::Bool(cell.number != 0);
    case ir::TypeKind::kInt:
      return Value::Int(cell.number);
    case ir::TypeKind::kMoney:
      return Value::Money(cell.number, codegen::UnpackCurrency(cell.ref));
    case ir::TypeKind::kString:
      return Value::String(std::string(cell.data, cell.size));
    case ir::TypeKind::kDuration:
      return Value::Duration(cell.number);
    case ir::TypeKind::kTimestamp:
      return Value::Timestamp(cell.number);
    case ir::TypeKind::kEntity:
      return Value::Entity(cell.ref, std::string(cell.data, cell.size));
    case ir::TypeKind::kEnum:
      return Value::EnumMember(cell.ref, static_cast<uint32_t>(cell.number));
    case ir::TypeKind::kSet:
    case ir::TypeKind::kRecord:
      break;
  }
  return Value();  // codegen never compiles a root of these types
}

std::vector<codegen::Cell> BoundFrame::Cells(const std::vector<Value>& values) {
  std::vector<codegen::Cell> cells;
  cells.reserve(values.size());
  for (const Value& value : values) cells.push_back(ToCell(value, ok_, sets_));
  return cells;
}

uint32_t BoundFrame::InEntity(void* context, const codegen::Cell* a,
                              const codegen::Cell* b) noexcept {
  const auto& self = *static_cast<const BoundFrame*>(context);
  return self.exprs_.InEntity(Value::Entity(a->ref, std::string(a->data, a->size)),
                              Value::Entity(b->ref, std::string(b->data, b->size)))
             ? 1
             : 0;
}

const codegen::Cell* BoundFrame::EntityAttrs(void* context, const codegen::Cell* entity) noexcept {
  static const codegen::Cell kNoAttributes;
  auto& self = *static_cast<BoundFrame*>(context);
  std::optional<uint32_t> index =
      self.request_.Find(Value::Entity(entity->ref, std::string(entity->data, entity->size)));
  if (!index) return nullptr;
  auto it = self.entity_attrs_.find(*index);
  if (it == self.entity_attrs_.end()) {
    it = self.entity_attrs_.emplace(*index, self.Cells(self.request_.entities[*index].attrs)).first;
  }
  // An attribute that cannot be bound makes the root fail; the engine then takes the
  // interpreter's outcome for it, and for every later root of the decision.
  if (!self.ok_) return nullptr;
  return it->second.empty() ? &kNoAttributes : it->second.data();
}

uint32_t BoundFrame::Matches(void* context, uint32_t call, const codegen::Cell* text) noexcept {
  const auto& self = *static_cast<const BoundFrame*>(context);
  // Without a compiled pattern the interpreter compiles it for the call, and so reports its
  // error: an error here, whose details the engine takes from the interpreter.
  const writ_regex* regex =
      self.patterns_ != nullptr ? self.patterns_->Find(ir::ExprId{call}) : nullptr;
  if (regex == nullptr) return 2;
  bool matched = false;
  if (writ_regex_matches(regex, text->data, text->size, &matched) != WRIT_STD_OK) return 2;
  return matched ? 1 : 0;
}

BoundFrame::BoundFrame(const Request& request, const internal::ExprEvaluator& exprs,
                       const internal::CompiledPatterns* patterns)
    : request_(request), exprs_(exprs), patterns_(patterns) {
  for (size_t i = 0; i < ir::kSessionFactCount; ++i) {
    fact_values_[i] = exprs.Fact(static_cast<ir::SessionFact>(i));
    facts_[i] = ToCell(fact_values_[i], ok_, sets_);
  }
  args_ = Cells(request.args.elements);
  const Entity& principal = request.entities[request.principal];
  principal_ = ToCell(Value::Entity(principal.type.index, ""), ok_, sets_);
  principal_.data = principal.id.data();
  principal_.size = principal.id.size();
  principal_attrs_ = Cells(principal.attrs);
  if (principal.acts_for) {
    const Entity& user = request.entities[*principal.acts_for];
    acts_for_ = ToCell(Value::Entity(user.type.index, ""), ok_, sets_);
    acts_for_.data = user.id.data();
    acts_for_.size = user.id.size();
    acts_for_attrs_ = Cells(user.attrs);
  }
  if (request.result) {
    result_ = ToCell(*request.result, ok_, sets_);
    result_.present = 1;
    if (request.result->kind == Value::Kind::kRecord) {
      result_fields_ = Cells(request.result->elements);
    }
  }
  frame_.facts = facts_.data();
  frame_.args = args_.data();
  frame_.principal = &principal_;
  frame_.principal_attrs = principal_attrs_.data();
  frame_.acts_for = &acts_for_;
  frame_.acts_for_attrs = acts_for_attrs_.data();
  frame_.result = &result_;
  frame_.result_fields = result_fields_.data();
  frame_.context = this;
  frame_.in_entity = &InEntity;
  frame_.entity_attrs = &EntityAttrs;
  frame_.matches = &Matches;
}

}  // namespace writ::runtime::jit_internal
