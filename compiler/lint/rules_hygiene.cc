// Hygiene: L0018 (tools nothing names), L0019 (naming conventions), L0020 (rules no test
// exercises, from the test runner's coverage) and L0021 (`like` patterns without a wildcard).
#include <algorithm>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "compiler/lint/internal/context.h"

namespace writ::lint::internal {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

bool IsUpperCamel(std::string_view name) {
  if (name.empty() || !(name[0] >= 'A' && name[0] <= 'Z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

bool IsLowerSnake(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class Namer {
 public:
  explicit Namer(diag::Consumer& out) : out_(out) {}

  void Type(std::string_view what, const syntax::Name& name) {
    if (!IsUpperCamel(name.text)) Report(what, name, "UpperCamelCase");
  }
  void Lower(std::string_view what, const syntax::Name& name) {
    if (!IsLowerSnake(name.text)) Report(what, name, "lower_snake_case");
  }
  void Head(const syntax::RuleHead& head) {
    if (head.label) Lower("label", *head.label);
  }
  void Attrs(std::string_view what, const std::vector<syntax::AttrDecl>& attrs) {
    for (const syntax::AttrDecl& attr : attrs) Lower(what, attr.name);
  }

 private:
  void Report(std::string_view what, const syntax::Name& name, std::string_view style) {
    out_.Handle(diag::Make(diag::Code::kNamingConvention, name.span, what, name.text, style));
  }
  diag::Consumer& out_;
};

}  // namespace

void CheckUnusedTools(const Context& ctx, diag::Consumer& out) {
  const check::Program& program = ctx.program();
  std::set<std::string> named;
  auto add = [&](std::span<const check::ToolId> ids) {
    for (check::ToolId id : ids) named.insert(program.tool(id).name);
  };
  for (const check::Rule& r : program.rules) add(r.tools);
  for (const check::Limit& l : program.limits) add(l.tools);
  for (const check::Rate& r : program.rates) add(r.tools);
  for (const check::Pool& p : program.pools) add(p.tools);
  for (const check::Output& o : program.outputs) add(o.tools);
  for (const check::Test& t : program.tests) {
    for (const check::TestRequest& r : t.requests) named.insert(program.tool(r.tool).name);
  }
  for (const check::Tool& tool : program.tools) {
    if (named.count(tool.name)) continue;
    out.Handle(diag::Make(diag::Code::kUnusedTool, tool.span, tool.name)
                   .Note("calls of it are denied by default, and nothing says whether that is meant")
                   .Help("permit it (with its limits), forbid it with a reason, or remove it"));
  }
}

void CheckNaming(const Context& ctx, diag::Consumer& out) {
  Namer namer(out);
  for (const syntax::File& file : ctx.files()) {
    if (file.package) {
      for (const syntax::Name& part : file.package->name.parts) namer.Lower("package", part);
    }
    for (const syntax::Decl& decl : file.decls) {
      std::visit(
          Overloaded{
              [&](const syntax::EntityDecl& d) {
                namer.Type("entity type", d.name);
                namer.Attrs("attribute", d.attrs);
              },
              [&](const syntax::EnumDecl& d) {
                namer.Type("enum", d.name);
                for (const syntax::Name& member : d.members) namer.Lower("enum member", member);
              },
              [&](const syntax::AgentDecl& d) {
                namer.Type("agent", d.name);
                for (const syntax::AgentMember& member : d.members) {
                  if (const auto* attr = std::get_if<syntax::AttrDecl>(&member)) {
                    namer.Lower("attribute", attr->name);
                  } else if (const auto* creds = std::get_if<syntax::CredentialsMember>(&member)) {
                    for (const syntax::CredentialDecl& c : creds->credentials) {
                      namer.Lower("credential", c.name);
                    }
                  }
                }
              },
              [&](const syntax::ToolDecl& d) {
                for (const syntax::Name& part : d.name.parts) namer.Lower("tool name part", part);
                namer.Attrs("parameter", d.params);
              },
              [&](const syntax::RuleDecl& d) { namer.Head(d.head); },
              [&](const syntax::LimitDecl& d) { namer.Head(d.head); },
              [&](const syntax::BudgetDecl& d) { namer.Head(d.head); },
              [&](const syntax::RateDecl& d) { namer.Head(d.head); },
              [&](const syntax::PoolDecl& d) {
                namer.Head(d.head);
                namer.Lower("pool", d.name);
              },
              [&](const syntax::OutputDecl& d) { namer.Head(d.head); },
              [&](const syntax::TestDecl&) {},
          },
          decl.kind);
    }
  }
}

void CheckUntestedRules(const Context& ctx, diag::Consumer& out) {
  const Coverage* coverage = ctx.options().coverage;
  if (coverage == nullptr) return;
  const check::Program& program = ctx.program();
  // A package without any test is a matter for `writ test --threshold`, not for every rule.
  std::set<uint32_t> tested;
  for (const check::Test& test : program.tests) tested.insert(test.package.index);
  for (const check::Rule& rule : program.rules) {
    if (!tested.count(rule.head.package.index)) continue;
    const std::vector<Span>& exercised = coverage->exercised;
    if (std::find(exercised.begin(), exercised.end(), rule.head.span) != exercised.end()) continue;
    std::string effect(Spelling(rule.effect));
    out.Handle(diag::Make(diag::Code::kUntestedRule, rule.head.span, effect)
                   .Note("no `test` of the package makes it take part in a decision "
                         "(`writ test --coverage` lists what is covered)")
                   .Help("add a test whose request this " + effect + " decides"));
  }
}

void CheckGlobs(const Context& ctx, diag::Consumer& out) {
  for (const syntax::File& file : ctx.files()) {
    for (uint32_t i = 0; i < file.exprs.size(); ++i) {
      const auto* b = std::get_if<syntax::BinaryExpr>(&file.exprs[i].kind);
      if (b == nullptr || b->op != syntax::BinaryOp::kLike) continue;
      const auto* pattern =
          std::get_if<syntax::StringLit>(&file.expr(ctx.Unparen(file.id, b->rhs)).kind);
      if (pattern == nullptr || pattern->value.find_first_of("*?") != std::string::npos) continue;
      std::string shown = ctx.Key(file.id, b->rhs);
      diag::Builder finding = diag::Make(diag::Code::kGlobWithoutWildcard, file.exprs[i].span, shown);
      finding.Help("write `==`, or add the `*` the pattern was meant to have");
      // A plain operand keeps its meaning when respelled from its key; anything else is left
      // for a person to rewrite.
      const syntax::Expr& lhs = file.expr(b->lhs);
      if (std::holds_alternative<syntax::NameRef>(lhs.kind) ||
          std::holds_alternative<syntax::MemberExpr>(lhs.kind)) {
        finding.Fix(file.exprs[i].span, ctx.Key(file.id, b->lhs) + " == " + shown);
      }
      out.Handle(finding);
    }
  }
}

}  // namespace writ::lint::internal
