// Test blocks: one statement per line. A statement that does not fit (or holds a comment) puts
// the fields of its record or argument list one per line.
#include <type_traits>
#include <variant>

#include "compiler/format/internal/printer.h"

namespace writ::format::internal {

void Printer::Test(const syntax::TestDecl& test) {
  Tok("test");
  Space();
  String(test.name);
  Space();
  Block(0, test.stmts.size(), [&](size_t i) { TestStmt(test.stmts[i]); });
}

void Printer::TestStmt(const syntax::TestStmt& stmt) {
  bool broken = Breaks(stmt.span, [&] { TestStmt(stmt); });
  std::visit(
      [&](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, syntax::TestEntity>) {
          Tok("entity");
          Space();
          EntityRef(kind.ref);
          if (kind.has_body) {
            Space();
            FieldInits("{", "}", /*pad=*/true, kind.attrs, broken, kIndent);
          }
          if (!kind.parents.empty()) {
            Space();
            Tok("in");
            Space();
            for (size_t i = 0; i < kind.parents.size(); ++i) {
              if (i > 0) {
                Sep(",");
                Space();
              }
              EntityRef(kind.parents[i]);
            }
          }
        } else if constexpr (std::is_same_v<T, syntax::TestSession>) {
          Tok("session");
          Space();
          FieldInits("{", "}", /*pad=*/true, kind.facts, broken, kIndent);
        } else if constexpr (std::is_same_v<T, syntax::TestCall>) {
          Tok("call");
          Space();
          QualifiedName(kind.tool);
          FieldInits("(", ")", /*pad=*/false, kind.args, broken, kIndent);
          Space();
          Tok("as");
          Space();
          EntityRef(kind.principal);
        } else if constexpr (std::is_same_v<T, syntax::TestResult>) {
          Tok("result");
          Space();
          QualifiedName(kind.tool);
          FieldInits("(", ")", /*pad=*/false, kind.args, broken, kIndent);
          Space();
          Tok("returns");
          Space();
          Expr(kind.returns);
          Space();
          Tok("as");
          Space();
          EntityRef(kind.principal);
        } else {
          static_assert(std::is_same_v<T, syntax::TestExpect>);
          Tok("expect");
          Space();
          Tok(syntax::Spelling(kind.expected));
          for (const syntax::ExpectClause& clause : kind.clauses) {
            Space();
            Tok(clause.is_warning ? "warn" : "because");
            Space();
            String(clause.text);
          }
        }
      },
      stmt.kind);
}

void Printer::EntityRef(const syntax::EntityRefNode& ref) {
  QualifiedName(ref.type);
  Tok("::");
  String(ref.id);
}

void Printer::FieldInits(std::string_view open, std::string_view close, bool pad,
                         const std::vector<syntax::FieldInit>& fields, bool broken, int indent) {
  List(
      open, close, pad, fields.size(),
      [&](size_t i) {
        const syntax::FieldInit& field = fields[i];
        Leaf(field.name.text, field.name.span);
        Tok(":");
        Space();
        Expr(field.value);
      },
      broken, indent);
}

}  // namespace writ::format::internal
