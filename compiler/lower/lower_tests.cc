// `test` blocks: their world (entities with attribute values), requests and expectations, with
// every value a constant of its IR type, so `writ test` runs from the IR alone.
#include <string>
#include <vector>

#include "compiler/base/check.h"
#include "compiler/lower/internal/lowerer.h"

namespace writ::lower::internal {
void Lowerer::LowerTests() {
  for (const check::Test& test : program_.tests) {
    const syntax::File& source = file(test.file);
    auto value = [&](check::ExprRef ref, ir::TypeId type) {
      WRIT_CHECK(ref.file == test.file);
      std::optional<ir::Value> v = ConstValue(source, ref.expr, type);
      WRIT_CHECK(v.has_value());
      return *std::move(v);
    };
    // Named values (`name: value`) in the order of a record's fields, absent where not given.
    auto record = [&](const std::vector<check::TestValue>& given, ir::TypeId type) {
      std::vector<ir::Field> fields = type_data(type).fields;
      std::vector<ir::Value> values(fields.size());
      for (const check::TestValue& named : given) {
        int slot = ir::FindField(type_data(type), named.name);
        WRIT_CHECK(slot >= 0);
        values[slot] = value(named.value, fields[slot].type);
      }
      return ir::Value::Record(std::move(values));
    };

    ir::Test out;
    out.package = ir::PackageId{test.package.index};
    out.name = test.name;
    out.loc = LocOf(test.span);
    for (const check::TestEntity& entity : test.entities) {
      ir::TestEntity e;
      e.type = ir::EntityTypeId{entity.type.index};
      e.id = entity.id;
      std::vector<ir::Attribute> attrs = policy_.entity_types[entity.type.index].attributes;
      e.attributes.resize(attrs.size());
      for (const check::TestValue& named : entity.attributes) {
        for (size_t slot = 0; slot < attrs.size(); ++slot) {
          if (attrs[slot].name == named.name)
            e.attributes[slot] = value(named.value, attrs[slot].type);
        }
      }
      e.acts_for = entity.acts_for;
      e.parents = entity.parents;
      e.loc = LocOf(entity.span);
      out.entities.push_back(std::move(e));
    }
    for (const check::TestRequest& request : test.requests) {
      ir::TestRequest r;
      r.phase = request.phase == syntax::Phase::kCall ? ir::Phase::kCall : ir::Phase::kResult;
      r.tool = tool_ids_.at(request.tool.index);
      const ir::Tool& tool = policy_.tools[r.tool.index];
      r.args = record(request.args, tool.args);
      if (request.returns) {
        WRIT_CHECK(tool.result.has_value());
        r.result = value(*request.returns, *tool.result);
      }
      r.principal = request.principal;
      for (const check::TestFact& fact : request.session) {
        r.session.push_back(
            ir::TestFact{fact.fact, value(fact.value, ir::SessionFactType(fact.fact))});
      }
      r.expected = request.expected;
      r.reasons = request.reasons;
      r.warnings = request.warnings;
      r.loc = LocOf(request.span);
      out.requests.push_back(std::move(r));
    }
    policy_.tests.push_back(std::move(out));
  }
}

}  // namespace writ::lower::internal
