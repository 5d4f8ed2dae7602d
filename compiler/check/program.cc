#include "compiler/check/program.h"

#include "compiler/base/check.h"

namespace writ::check {

std::string_view Spelling(PreludeFunction value) {
  switch (value) {
    case PreludeFunction::kTimestamp: return "timestamp";
    case PreludeFunction::kSize: return "size";
  }
  return "size";
}

const Attribute* EntityType::FindAttribute(std::string_view attr) const {
  for (const Attribute& a : attributes) {
    if (a.name == attr) return &a;
  }
  return nullptr;
}

const Credential* EntityType::FindCredential(std::string_view credential) const {
  if (!agent) return nullptr;
  for (const Credential& c : agent->credentials) {
    if (c.name == credential) return &c;
  }
  return nullptr;
}

const Attribute* Tool::FindParam(std::string_view param) const {
  for (const Attribute& p : params) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

PackageId Program::FindPackage(std::string_view name) const {
  for (size_t i = 0; i < packages.size(); ++i) {
    if (packages[i].name == name) return PackageId{static_cast<uint32_t>(i)};
  }
  return PackageId{};
}

EnumId Program::FindStdEnum(std::string_view module, std::string_view name) const {
  std::string qualified = std::string(module) + "." + std::string(name);
  for (size_t i = 0; i < enums.size(); ++i) {
    if (enums[i].stdlib_enum && enums[i].qualified_name == qualified) {
      return EnumId{static_cast<uint32_t>(i)};
    }
  }
  return EnumId{};
}

const ExprFacts& Program::facts(ExprRef ref) const {
  WRIT_CHECK(ref.file.index < facts_.size());
  return facts_[ref.file.index].at(ref.expr.index);
}

ExprFacts& Program::mutable_facts(ExprRef ref) {
  WRIT_CHECK(ref.file.index < facts_.size());
  return facts_[ref.file.index].at(ref.expr.index);
}

void Program::AddFile(FileId file, size_t expr_count) {
  if (facts_.size() <= file.index) facts_.resize(file.index + 1);
  facts_[file.index].resize(expr_count);
}

std::string Program::TypeName(Type type) const {
  const TypeData& data = types.data(type);
  auto entity_name = [&](EntityTypeId id) {
    const EntityType& entity = entity_type(id);
    for (const EntityType& other : entity_types) {
      if (&other != &entity && other.name == entity.name) return entity.qualified_name;
    }
    return entity.name;
  };
  switch (data.kind) {
    case TypeKind::kError: return "_";
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kMoney: return "money";
    case TypeKind::kString: return "string";
    case TypeKind::kDuration: return "duration";
    case TypeKind::kTimestamp: return "timestamp";
    case TypeKind::kSet: return "set<" + TypeName(data.element) + ">";
    case TypeKind::kRecord: {
      std::string out = "{";
      for (size_t i = 0; i < data.fields.size(); ++i) {
        if (i > 0) out += ", ";
        out += data.fields[i].name + (data.fields[i].optional ? "?: " : ": ") +
               TypeName(data.fields[i].type);
      }
      return out + "}";
    }
    case TypeKind::kEntity: {
      if (data.entities.empty()) return "agent";
      std::string out;
      for (size_t i = 0; i < data.entities.size(); ++i) {
        if (i > 0) out += " | ";
        out += entity_name(data.entities[i]);
      }
      return out;
    }
    case TypeKind::kEnum: {
      const EnumType& e = enum_type(data.enum_id);
      for (const EnumType& other : enums) {
        if (&other != &e && other.name == e.name) return e.qualified_name;
      }
      return e.name;
    }
  }
  return "_";
}

}  // namespace writ::check
