// Expressions: each checked AST expression becomes IR nodes with the exact operation for its
// operand types, loads by slot, and constants for everything the checker folded.
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/check.h"
#include "compiler/lower/internal/lowerer.h"

namespace writ::lower::internal {
namespace {

using syntax::BinaryOp;

class ExprLowerer {
 public:
  ExprLowerer(Lowerer& l, const syntax::File& file, const ExprEnv& env)
      : l_(l), file_(file), env_(env) {}

  // `hint` types an empty set literal (`[]`) from where it is used.
  ir::ExprId Lower(syntax::ExprId id, std::optional<ir::TypeId> hint = std::nullopt) {
    const syntax::Expr& e = file_.expr(id);
    if (const auto* paren = std::get_if<syntax::ParenExpr>(&e.kind))
      return Lower(paren->inner, hint);
    const check::ExprFacts& f = facts(id);
    ir::TypeId type = l_.Type(f.type, hint);
    ir::Loc loc = l_.LocOf(e.span);
    if (std::optional<ir::Value> value = Literal(id, type))
      return l_.EmitConst(type, *std::move(value), loc);
    return std::visit(
        [&](const auto& node) -> ir::ExprId {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, syntax::NameRef>) {
            return Name(id, type, loc);
          } else if constexpr (std::is_same_v<T, syntax::MemberExpr>) {
            return Member(id, node, type, loc);
          } else if constexpr (std::is_same_v<T, syntax::CallExpr>) {
            return Call(id, node, type, loc);
          } else if constexpr (std::is_same_v<T, syntax::UnaryExpr>) {
            return Unary(node, type, loc);
          } else if constexpr (std::is_same_v<T, syntax::BinaryExpr>) {
            return Binary(node, loc);
          } else if constexpr (std::is_same_v<T, syntax::HasExpr>) {
            return Has(node, loc);
          } else if constexpr (std::is_same_v<T, syntax::QuantExpr>) {
            return Quantifier(id, node, loc);
          } else if constexpr (std::is_same_v<T, syntax::SetLit>) {
            std::vector<ir::ExprId> elements;
            for (syntax::ExprId element : node.elements) {
              elements.push_back(Lower(element, l_.type_data(type).element));
            }
            return Node(ir::Op::kMakeSet, type, loc, {}, {}, 0, false, elements);
          } else if constexpr (std::is_same_v<T, syntax::RecordLit>) {
            return Record(node, type, loc);
          } else {
            // Literals and entity references are constants (Literal above); nothing else is left.
            WRIT_CHECK(false);
            return ir::ExprId{};
          }
        },
        e.kind);
  }

 private:
  const check::ExprFacts& facts(syntax::ExprId id) const {
    return l_.facts(check::ExprRef{file_.id, id});
  }
  ir::TypeId TypeOf(ir::ExprId id) const { return l_.policy().exprs[id.index].type; }
  ir::TypeKind KindOf(ir::ExprId id) const { return l_.type_data(TypeOf(id)).kind; }

  ir::ExprId Node(ir::Op op, ir::TypeId type, ir::Loc loc, ir::ExprId a = {}, ir::ExprId b = {},
                  uint32_t imm = 0, bool may_fail = false,
                  const std::vector<ir::ExprId>& list = {}) {
    ir::Expr expr;
    expr.op = op;
    expr.type = type;
    expr.loc = loc;
    expr.a = a;
    expr.b = b;
    expr.imm = imm;
    expr.may_fail = may_fail;
    return l_.Emit(expr, list);
  }

  // The value of a literal, an entity reference, an enum member, a folded constant, or a set or
  // record of them; nullopt for anything computed at run time.
  std::optional<ir::Value> Literal(syntax::ExprId id, ir::TypeId type) {
    const syntax::Expr& e = file_.expr(id);
    bool literal_kind = facts(id).constant.has_value() ||
                        std::holds_alternative<check::resolved::EnumMember>(facts(id).resolution) ||
                        std::holds_alternative<syntax::StringLit>(e.kind) ||
                        std::holds_alternative<syntax::BoolLit>(e.kind) ||
                        std::holds_alternative<syntax::EntityLit>(e.kind) ||
                        std::holds_alternative<syntax::SetLit>(e.kind) ||
                        std::holds_alternative<syntax::RecordLit>(e.kind);
    if (!literal_kind) return std::nullopt;
    return l_.ConstValue(file_, id, type);
  }

  uint32_t Slot(ir::TypeId record, const std::string& name) const {
    int index = ir::FindField(l_.type_data(record), name);
    WRIT_CHECK(index >= 0);
    return static_cast<uint32_t>(index);
  }

  ir::ExprId Name(syntax::ExprId id, ir::TypeId type, ir::Loc loc) {
    const check::Resolution& resolution = facts(id).resolution;
    if (const auto* local = std::get_if<check::resolved::Local>(&resolution)) {
      for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
        if (it->binder == local->binder.expr)
          return Node(ir::Op::kLocal, it->type, loc, {}, {}, it->slot);
      }
      WRIT_CHECK(false);
    }
    if (std::holds_alternative<check::resolved::Principal>(resolution))
      return Node(ir::Op::kPrincipal, type, loc);
    if (std::holds_alternative<check::resolved::Args>(resolution)) {
      WRIT_CHECK(env_.tool != nullptr);
      return Node(ir::Op::kArgs, env_.tool->args, loc);
    }
    if (std::holds_alternative<check::resolved::Result>(resolution)) {
      WRIT_CHECK(env_.tool != nullptr && env_.result && env_.tool->result);
      return Node(ir::Op::kResult, *env_.tool->result, loc);
    }
    // `session` as a value: the record of its facts.
    WRIT_CHECK(std::holds_alternative<check::resolved::Session>(resolution));
    std::vector<ir::ExprId> facts;
    std::vector<ir::Field> fields = l_.type_data(type).fields;
    for (const ir::Field& field : fields) {
      for (size_t f = 0; f < ir::kSessionFactCount; ++f) {
        auto fact = static_cast<ir::SessionFact>(f);
        if (ir::Spelling(fact) == field.name) {
          facts.push_back(Node(ir::Op::kFact, ir::SessionFactType(fact), loc, {}, {},
                               static_cast<uint32_t>(f)));
        }
      }
    }
    return Node(ir::Op::kMakeRecord, type, loc, {}, {}, 0, false, facts);
  }

  ir::ExprId Member(syntax::ExprId id, const syntax::MemberExpr& member, ir::TypeId type,
                    ir::Loc loc) {
    const check::Resolution& resolution = facts(id).resolution;
    if (const auto* fact = std::get_if<check::resolved::Fact>(&resolution)) {
      return Node(ir::Op::kFact, type, loc, {}, {}, static_cast<uint32_t>(fact->fact));
    }
    if (const auto* param = std::get_if<check::resolved::Param>(&resolution)) {
      WRIT_CHECK(env_.tool != nullptr);
      uint32_t slot = Slot(env_.tool->args, param->name);
      const ir::Field& field = l_.type_data(env_.tool->args).fields[slot];
      return Node(ir::Op::kArg, field.type, loc, {}, {}, slot, field.optional);
    }
    ir::ExprId object = Lower(member.object);
    if (std::holds_alternative<check::resolved::ActsFor>(resolution)) {
      return Node(ir::Op::kActsFor, type, loc, object);
    }
    if (const auto* field = std::get_if<check::resolved::Field>(&resolution)) {
      uint32_t slot = Slot(TypeOf(object), field->name);
      const ir::Field& f = l_.type_data(TypeOf(object)).fields[slot];
      return Node(ir::Op::kField, f.type, loc, object, {}, slot, f.optional);
    }
    const auto* attribute = std::get_if<check::resolved::Attribute>(&resolution);
    WRIT_CHECK(attribute != nullptr);
    ir::AttrLookup lookup{attribute->name, {}};
    bool optional = false;
    for (ir::EntityTypeId entity : l_.type_data(TypeOf(object)).entities) {
      const auto& attrs = l_.policy().entity_types[entity.index].attributes;
      for (uint32_t slot = 0; slot < attrs.size(); ++slot) {
        if (attrs[slot].name != attribute->name) continue;
        lookup.slots.push_back({entity, slot});
        optional = optional || attrs[slot].optional;
      }
    }
    return Node(ir::Op::kAttr, type, loc, object, {}, l_.Lookup(std::move(lookup)).index, optional);
  }

  ir::ExprId Call(syntax::ExprId id, const syntax::CallExpr& call, ir::TypeId type, ir::Loc loc) {
    const check::Resolution& resolution = facts(id).resolution;
    if (const auto* function = std::get_if<check::resolved::StdFunction>(&resolution)) {
      std::vector<ir::ExprId> args;
      for (syntax::ExprId arg : call.args) args.push_back(Lower(arg));
      // Native functions may report an error (money.min across currencies, for one).
      return Node(ir::Op::kCall, type, loc, {}, {}, function->index, true, args);
    }
    WRIT_CHECK(call.args.size() == 1);
    ir::ExprId arg = Lower(call.args[0]);
    if (std::holds_alternative<check::resolved::CallsIn>(resolution)) {
      return Node(ir::Op::kCallsIn, ir::kIntType, loc, arg);
    }
    // `timestamp("...")` was folded by the checker, so this is `size`.
    const auto* prelude = std::get_if<check::resolved::Prelude>(&resolution);
    WRIT_CHECK(prelude != nullptr && prelude->function == check::PreludeFunction::kSize);
    return Node(ir::Op::kSize, ir::kIntType, loc, arg);
  }

  ir::ExprId Unary(const syntax::UnaryExpr& unary, ir::TypeId type, ir::Loc loc) {
    ir::ExprId operand = Lower(unary.operand);
    if (unary.op == syntax::UnaryOp::kNot) return Node(ir::Op::kNot, ir::kBoolType, loc, operand);
    ir::Op op = KindOf(operand) == ir::TypeKind::kInt     ? ir::Op::kIntNeg
                : KindOf(operand) == ir::TypeKind::kMoney ? ir::Op::kMoneyNeg
                                                          : ir::Op::kDurationNeg;
    return Node(op, TypeOf(operand), loc, operand, {}, 0, true);
  }

  ir::ExprId Binary(const syntax::BinaryExpr& binary, ir::Loc loc) {
    using K = ir::TypeKind;
    ir::ExprId lhs = Lower(binary.lhs);
    // An empty set on the right takes its type from the left (`x in []`, `tags == []`).
    std::optional<ir::TypeId> hint;
    if (binary.op == BinaryOp::kIn) {
      hint = KindOf(lhs) == K::kEntity || KindOf(lhs) != K::kSet ? l_.types().SetOf(TypeOf(lhs))
                                                                 : TypeOf(lhs);
    } else if (binary.op == BinaryOp::kEq || binary.op == BinaryOp::kNe) {
      hint = TypeOf(lhs);
    }
    ir::ExprId rhs = Lower(binary.rhs, hint);
    K l = KindOf(lhs);
    K r = KindOf(rhs);
    auto bool_node = [&](ir::Op op, bool may_fail = false) {
      return Node(op, ir::kBoolType, loc, lhs, rhs, 0, may_fail);
    };
    auto arith = [&](ir::Op op, ir::TypeId type, bool swap = false) {
      return swap ? Node(op, type, loc, rhs, lhs, 0, true) : Node(op, type, loc, lhs, rhs, 0, true);
    };
    auto ordered = [&](ir::Op int_op, ir::Op money_op, ir::Op string_op) {
      if (l == K::kMoney) return bool_node(money_op, true);
      if (l == K::kString) return bool_node(string_op);
      return bool_node(int_op);
    };
    switch (binary.op) {
      case BinaryOp::kAnd: return bool_node(ir::Op::kAnd);
      case BinaryOp::kOr: return bool_node(ir::Op::kOr);
      case BinaryOp::kEq: return bool_node(ir::Op::kEq, l == K::kMoney);
      case BinaryOp::kNe: return bool_node(ir::Op::kNe, l == K::kMoney);
      case BinaryOp::kLt: return ordered(ir::Op::kIntLt, ir::Op::kMoneyLt, ir::Op::kStringLt);
      case BinaryOp::kLe: return ordered(ir::Op::kIntLe, ir::Op::kMoneyLe, ir::Op::kStringLe);
      case BinaryOp::kGt: return ordered(ir::Op::kIntGt, ir::Op::kMoneyGt, ir::Op::kStringGt);
      case BinaryOp::kGe: return ordered(ir::Op::kIntGe, ir::Op::kMoneyGe, ir::Op::kStringGe);
      case BinaryOp::kLike: return bool_node(ir::Op::kLike);
      case BinaryOp::kIn:
        if (r == K::kEntity) return bool_node(ir::Op::kInEntity);
        if (l_.type_data(l_.type_data(TypeOf(rhs)).element).kind == K::kEntity && l == K::kEntity) {
          return bool_node(ir::Op::kInEntitySet);
        }
        return bool_node(ir::Op::kInSet, l == K::kMoney);
      case BinaryOp::kAdd:
      case BinaryOp::kSub: {
        bool add = binary.op == BinaryOp::kAdd;
        switch (l) {
          case K::kInt: return arith(add ? ir::Op::kIntAdd : ir::Op::kIntSub, ir::kIntType);
          case K::kMoney: return arith(add ? ir::Op::kMoneyAdd : ir::Op::kMoneySub, ir::kMoneyType);
          case K::kDuration:
            return arith(add ? ir::Op::kDurationAdd : ir::Op::kDurationSub, ir::kDurationType);
          default:
            if (r == K::kTimestamp) return arith(ir::Op::kTimestampDiff, ir::kDurationType);
            return arith(add ? ir::Op::kTimestampAdd : ir::Op::kTimestampSub, ir::kTimestampType);
        }
      }
      case BinaryOp::kMul:
        if (l == K::kMoney || r == K::kMoney)
          return arith(ir::Op::kMoneyMul, ir::kMoneyType, r == K::kMoney);
        if (l == K::kDuration || r == K::kDuration) {
          return arith(ir::Op::kDurationMul, ir::kDurationType, r == K::kDuration);
        }
        return arith(ir::Op::kIntMul, ir::kIntType);
      case BinaryOp::kDiv:
        return l == K::kMoney ? arith(ir::Op::kMoneyDiv, ir::kMoneyType)
                              : arith(ir::Op::kIntDiv, ir::kIntType);
      case BinaryOp::kMod: return arith(ir::Op::kIntMod, ir::kIntType);
    }
    WRIT_CHECK(false);
    return ir::ExprId{};
  }

  ir::ExprId Has(const syntax::HasExpr& has, ir::Loc loc) {
    const std::string& name = has.attr.text;
    if (IsArgs(has.object)) {
      WRIT_CHECK(env_.tool != nullptr);
      return Node(ir::Op::kHasArg, ir::kBoolType, loc, {}, {}, Slot(env_.tool->args, name));
    }
    ir::ExprId object = Lower(has.object);
    if (KindOf(object) == ir::TypeKind::kRecord) {
      return Node(ir::Op::kHasField, ir::kBoolType, loc, object, {}, Slot(TypeOf(object), name));
    }
    ir::AttrLookup lookup{name, {}};
    for (ir::EntityTypeId entity : l_.type_data(TypeOf(object)).entities) {
      const ir::EntityType& type = l_.policy().entity_types[entity.index];
      int slot = -1;
      for (size_t i = 0; i < type.attributes.size(); ++i) {
        if (type.attributes[i].name == name) slot = static_cast<int>(i);
      }
      if (slot >= 0) {
        lookup.slots.push_back({entity, static_cast<uint32_t>(slot)});
      } else if (name == "acts_for" && type.is_agent() && type.agent->acts_for.valid()) {
        lookup.slots.push_back({entity, ir::AttrSlot::kActsForSlot});
      }
    }
    return Node(ir::Op::kHasAttr, ir::kBoolType, loc, object, {},
                l_.Lookup(std::move(lookup)).index);
  }

  bool IsArgs(syntax::ExprId id) const {
    const syntax::Expr* e = &file_.expr(id);
    while (const auto* paren = std::get_if<syntax::ParenExpr>(&e->kind)) {
      id = paren->inner;
      e = &file_.expr(id);
    }
    return std::holds_alternative<check::resolved::Args>(facts(id).resolution);
  }

  ir::ExprId Quantifier(syntax::ExprId id, const syntax::QuantExpr& quant, ir::Loc loc) {
    // Over the empty set the answer is known, and the variable would have no type.
    const syntax::Expr* domain_expr = &file_.expr(quant.domain);
    while (const auto* paren = std::get_if<syntax::ParenExpr>(&domain_expr->kind)) {
      domain_expr = &file_.expr(paren->inner);
    }
    const auto* set = std::get_if<syntax::SetLit>(&domain_expr->kind);
    if (set != nullptr && set->elements.empty()) {
      return l_.EmitConst(ir::kBoolType, ir::Value::Bool(quant.all), loc);
    }
    ir::ExprId domain = Lower(quant.domain);
    uint32_t slot = static_cast<uint32_t>(locals_.size());
    l_.UseLocals(slot + 1);
    locals_.push_back({id, slot, l_.type_data(TypeOf(domain)).element});
    ir::ExprId body = Lower(quant.body);
    locals_.pop_back();
    return Node(quant.all ? ir::Op::kAll : ir::Op::kAny, ir::kBoolType, loc, domain, body, slot);
  }

  ir::ExprId Record(const syntax::RecordLit& record, ir::TypeId type, ir::Loc loc) {
    std::vector<ir::ExprId> fields;
    std::vector<ir::Field> types = l_.type_data(type).fields;  // lowering may grow the type table
    for (const ir::Field& field : types) {
      for (const syntax::FieldInit& init : record.fields) {
        if (init.name.text == field.name) fields.push_back(Lower(init.value, field.type));
      }
    }
    return Node(ir::Op::kMakeRecord, type, loc, {}, {}, 0, false, fields);
  }

  struct Local {
    syntax::ExprId binder;
    uint32_t slot;
    ir::TypeId type;
  };

  Lowerer& l_;
  const syntax::File& file_;
  const ExprEnv& env_;
  std::vector<Local> locals_;
};

}  // namespace

ir::ExprId Lowerer::LowerExpr(check::ExprRef ref, const ExprEnv& env) {
  return ExprLowerer(*this, file(ref.file), env).Lower(ref.expr);
}

std::optional<ir::Value> Lowerer::ConstValue(const syntax::File& file, syntax::ExprId id,
                                             ir::TypeId expected) {
  const syntax::Expr& e = file.expr(id);
  const check::ExprFacts& f = facts(check::ExprRef{file.id, id});
  if (f.constant) {
    const check::Constant& c = *f.constant;
    switch (c.kind) {
      case check::TypeKind::kInt: return ir::Value::Int(c.value);
      case check::TypeKind::kMoney: return ir::Value::Money(c.value, c.currency);
      case check::TypeKind::kDuration: return ir::Value::Duration(c.value);
      case check::TypeKind::kTimestamp: return ir::Value::Timestamp(c.value);
      default: WRIT_CHECK(false);
    }
  }
  if (const auto* member = std::get_if<check::resolved::EnumMember>(&f.resolution)) {
    return ir::Value::EnumMember(member->enum_id.index, member->member);
  }
  const ir::TypeData& type = type_data(expected);
  return std::visit(
      [&](const auto& node) -> std::optional<ir::Value> {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, syntax::StringLit>) {
          return ir::Value::String(node.value);
        } else if constexpr (std::is_same_v<T, syntax::BoolLit>) {
          return ir::Value::Bool(node.value);
        } else if constexpr (std::is_same_v<T, syntax::ParenExpr>) {
          return ConstValue(file, node.inner, expected);
        } else if constexpr (std::is_same_v<T, syntax::EntityLit>) {
          const auto* entity = std::get_if<check::resolved::EntityType>(&f.resolution);
          WRIT_CHECK(entity != nullptr);
          return ir::Value::Entity(entity->type.index, node.id.value);
        } else if constexpr (std::is_same_v<T, syntax::UnaryExpr>) {
          if (node.op != syntax::UnaryOp::kNot) return std::nullopt;
          std::optional<ir::Value> operand = ConstValue(file, node.operand, ir::kBoolType);
          if (!operand) return std::nullopt;
          return ir::Value::Bool(operand->number == 0);
        } else if constexpr (std::is_same_v<T, syntax::SetLit>) {
          WRIT_CHECK(type.kind == ir::TypeKind::kSet);
          std::vector<ir::Value> elements;
          for (syntax::ExprId element : node.elements) {
            std::optional<ir::Value> value = ConstValue(file, element, type.element);
            if (!value) return std::nullopt;
            elements.push_back(*std::move(value));
          }
          return ir::Value::Set(std::move(elements));
        } else if constexpr (std::is_same_v<T, syntax::RecordLit>) {
          WRIT_CHECK(type.kind == ir::TypeKind::kRecord);
          std::vector<ir::Value> fields(type.fields.size());
          std::vector<ir::Field> field_types = type.fields;  // ConstValue may grow the type table
          for (const syntax::FieldInit& init : node.fields) {
            int index = ir::FindField(type_data(expected), init.name.text);
            WRIT_CHECK(index >= 0);
            std::optional<ir::Value> value = ConstValue(file, init.value, field_types[index].type);
            if (!value) return std::nullopt;
            fields[index] = *std::move(value);
          }
          return ir::Value::Record(std::move(fields));
        } else {
          return std::nullopt;
        }
      },
      e.kind);
}

}  // namespace writ::lower::internal
