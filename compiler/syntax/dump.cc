// DumpAst: one S-expression per top-level item, one item per line. Every field of every node
// is rendered except spans and file ids, so two files dump equal exactly when their ASTs are
// equal. Literal texts are shown only where they differ from the canonical rendering of the
// value, which keeps the mapping injective and the dumps readable.
#include <fmt/format.h>

#include "compiler/syntax/parser.h"

namespace writ::syntax {
namespace {

template <typename... T>
struct Overloaded : T... {
  using T::operator()...;
};
template <typename... T>
Overloaded(T...) -> Overloaded<T...>;

class Dumper {
 public:
  explicit Dumper(const File& file) : file_(file) {}

  std::string Run() {
    if (file_.package) Line("(package " + file_.package->name.Joined() + ")");
    for (const ImportDecl& import : file_.imports) {
      std::string line = "(import " + import.path.Joined();
      if (import.alias) line += " (as " + import.alias->text + ")";
      Line(line + ")");
    }
    for (const Decl& decl : file_.decls) Line(DeclText(decl));
    for (const Comment& comment : file_.comments) Line("(comment " + QuoteString(comment.text) + ")");
    return std::move(out_);
  }

 private:
  void Line(const std::string& text) {
    out_ += text;
    out_.push_back('\n');
  }

  // ---- leaves -------------------------------------------------------------------------------

  static std::string Str(const StringNode& node) { return QuoteString(node.value); }

  static std::string Strings(const std::vector<StringNode>& nodes) {
    std::string out;
    for (const StringNode& node : nodes) out += " " + Str(node);
    return out;
  }

  static std::string Int(const IntNode& node) { return IntText(node.value, node.text); }

  static std::string IntText(int64_t value, const std::string& text) {
    if (text == std::to_string(value)) return fmt::format("(int {})", value);
    return fmt::format("(int {} {})", value, QuoteString(text));
  }

  static std::string Duration(int64_t millis, const std::string& text) {
    return fmt::format("(duration {} {})", millis, QuoteString(text));
  }
  static std::string Duration(const DurationNode& node) { return Duration(node.millis, node.text); }

  static std::string Money(const MoneyLit& lit) {
    return fmt::format("(money {} {} {})", lit.value.units, lit.value.currency,
                       QuoteString(lit.text));
  }

  static std::string Names(const std::vector<QualifiedName>& names) {
    std::string out;
    for (const QualifiedName& name : names) out += " " + name.Joined();
    return out;
  }

  static std::string Patterns(const std::vector<ToolPattern>& patterns) {
    std::string out;
    for (const ToolPattern& pattern : patterns) out += " " + pattern.Joined();
    return out;
  }

  static std::string Ref(const EntityRefNode& ref) {
    return "(ref " + ref.type.Joined() + " " + Str(ref.id) + ")";
  }

  // ---- types --------------------------------------------------------------------------------

  std::string Attr(const AttrDecl& attr) const {
    return "(" + attr.name.text + (attr.optional ? "? " : " ") + Type(attr.type) + ")";
  }

  std::string Attrs(const std::vector<AttrDecl>& attrs) const {
    std::string out;
    for (const AttrDecl& attr : attrs) out += " " + Attr(attr);
    return out;
  }

  std::string Type(TypeId id) const {
    if (!id.valid() || id.index >= file_.types.size()) return "<invalid-type>";
    return std::visit(Overloaded{
                          [&](const NamedType& named) {
                            if (named.args.empty()) return named.name.Joined();
                            std::string out = "(" + named.name.Joined();
                            for (TypeId arg : named.args) out += " " + Type(arg);
                            return out + ")";
                          },
                          [&](const RecordType& record) {
                            return "(record-type" + Attrs(record.fields) + ")";
                          },
                      },
                      file_.type(id).kind);
  }

  // ---- expressions --------------------------------------------------------------------------

  std::string Fields(const std::vector<FieldInit>& fields) const {
    std::string out;
    for (const FieldInit& field : fields) out += " (" + field.name.text + " " + Expr(field.value) + ")";
    return out;
  }

  std::string Expr(ExprId id) const {
    if (!id.valid() || id.index >= file_.exprs.size()) return "<invalid-expr>";
    return std::visit(
        Overloaded{
            [&](const IntLit& e) { return IntText(e.value, e.text); },
            [&](const DecimalLit& e) { return "(decimal " + QuoteString(e.text) + ")"; },
            [&](const MoneyLit& e) { return Money(e); },
            [&](const DurationLit& e) { return Duration(e.millis, e.text); },
            [&](const StringLit& e) { return QuoteString(e.value); },
            [&](const BoolLit& e) { return std::string(e.value ? "true" : "false"); },
            [&](const NameRef& e) { return e.name.text; },
            [&](const MemberExpr& e) { return "(. " + Expr(e.object) + " " + e.member.text + ")"; },
            [&](const CallExpr& e) {
              std::string out = "(call " + Expr(e.callee);
              for (ExprId arg : e.args) out += " " + Expr(arg);
              return out + ")";
            },
            [&](const EntityLit& e) { return "(:: " + Expr(e.type) + " " + Str(e.id) + ")"; },
            [&](const UnaryExpr& e) {
              return std::string("(") + Spelling(e.op) + " " + Expr(e.operand) + ")";
            },
            [&](const BinaryExpr& e) {
              return std::string("(") + Spelling(e.op) + " " + Expr(e.lhs) + " " + Expr(e.rhs) + ")";
            },
            [&](const HasExpr& e) { return "(has " + Expr(e.object) + " " + e.attr.text + ")"; },
            [&](const QuantExpr& e) {
              return std::string(e.all ? "(all " : "(any ") + e.var.text + " " + Expr(e.domain) +
                     " " + Expr(e.body) + ")";
            },
            [&](const SetLit& e) {
              std::string out = "(set";
              for (ExprId element : e.elements) out += " " + Expr(element);
              return out + ")";
            },
            [&](const RecordLit& e) { return "(record" + Fields(e.fields) + ")"; },
            [&](const ParenExpr& e) { return "(paren " + Expr(e.inner) + ")"; },
        },
        file_.expr(id).kind);
  }

  // ---- declarations -------------------------------------------------------------------------

  static std::string Head(const RuleHead& head) {
    std::string out;
    if (head.label) out += " (label " + head.label->text + ")";
    if (!head.modifiers.empty()) {
      out += " (modifiers";
      for (const ModifierNode& modifier : head.modifiers) out += std::string(" ") + Spelling(modifier.kind);
      out += ")";
    }
    return out;
  }

  static std::string For(const std::vector<QualifiedName>& principals) {
    return principals.empty() ? "" : " (for" + Names(principals) + ")";
  }

  static std::string Because(const std::optional<StringNode>& reason) {
    return reason ? " (because " + Str(*reason) + ")" : "";
  }

  std::string RuleClauseText(const RuleClause& clause) const {
    return std::visit(
        Overloaded{
            [&](const WhenClause& c) { return "(when " + Expr(c.condition) + ")"; },
            [&](const BecauseClause& c) { return "(because " + Str(c.reason) + ")"; },
            [&](const ApproverClause& c) { return "(by " + Expr(c.approvers) + ")"; },
            [&](const TimeoutClause& c) { return "(timeout " + Duration(c.timeout) + ")"; },
            [&](const GrantClause& c) {
              std::string out = "(grant " + c.credential.text;
              if (c.scopes) out += " (scopes" + Strings(*c.scopes) + ")";
              if (c.ttl) out += " (ttl " + Duration(*c.ttl) + ")";
              return out + ")";
            },
            [&](const WarnClause& c) { return "(warn " + Str(c.message) + ")"; },
        },
        clause.kind);
  }

  std::string AgentMemberText(const AgentMember& member) const {
    return std::visit(
        Overloaded{
            [&](const ActsForMember& m) { return "(acts_for " + m.type.Joined() + ")"; },
            [&](const CredentialsMember& m) {
              std::string out = "(credentials";
              for (const CredentialDecl& c : m.credentials) {
                out += " (" + c.name.text + " (scopes" + Strings(c.scopes) + ") (ttl " +
                       Duration(c.ttl) + "))";
              }
              return out + ")";
            },
            [&](const AttrDecl& m) { return Attr(m); },
        },
        member);
  }

  std::string TestStmtText(const TestStmt& stmt) const {
    return std::visit(
        Overloaded{
            [&](const TestEntity& s) {
              std::string out = "(entity " + Ref(s.ref);
              if (s.has_body) out += " (body" + Fields(s.attrs) + ")";
              if (!s.parents.empty()) {
                out += " (in";
                for (const EntityRefNode& parent : s.parents) out += " " + Ref(parent);
                out += ")";
              }
              return out + ")";
            },
            [&](const TestSession& s) { return "(session" + Fields(s.facts) + ")"; },
            [&](const TestCall& s) {
              return "(call " + s.tool.Joined() + " (args" + Fields(s.args) + ") (as " +
                     Ref(s.principal) + "))";
            },
            [&](const TestResult& s) {
              return "(result " + s.tool.Joined() + " (args" + Fields(s.args) + ") (returns " +
                     Expr(s.returns) + ") (as " + Ref(s.principal) + "))";
            },
            [&](const TestExpect& s) {
              std::string out = "(expect " + std::string(Spelling(s.expected));
              for (const ExpectClause& c : s.clauses) {
                out += (c.is_warning ? " (warn " : " (because ") + Str(c.text) + ")";
              }
              return out + ")";
            },
        },
        stmt.kind);
  }

  std::string DeclText(const Decl& decl) const {
    return std::visit(
        Overloaded{
            [&](const EntityDecl& d) {
              std::string out = "(entity " + d.name.text;
              if (!d.parents.empty()) out += " (in" + Names(d.parents) + ")";
              if (d.has_body) out += " (body" + Attrs(d.attrs) + ")";
              return out + ")";
            },
            [&](const EnumDecl& d) {
              std::string out = "(enum " + d.name.text;
              for (const Name& member : d.members) out += " " + member.text;
              return out + ")";
            },
            [&](const AgentDecl& d) {
              std::string out = "(agent " + d.name.text;
              if (!d.parents.empty()) out += " (in" + Names(d.parents) + ")";
              for (const AgentMember& member : d.members) out += " " + AgentMemberText(member);
              return out + ")";
            },
            [&](const ToolDecl& d) {
              std::string out = "(tool " + d.name.Joined() + " (params" + Attrs(d.params) + ")";
              if (d.result) out += " (result " + Type(*d.result) + ")";
              return out + ")";
            },
            [&](const RuleDecl& d) {
              std::string out = "(rule" + Head(d.head) + " " + std::string(Spelling(d.effect)) +
                                " " + std::string(Spelling(d.phase)) + " (tools" +
                                Patterns(d.tools) + ")" + For(d.principals);
              for (const RuleClause& clause : d.clauses) out += " " + RuleClauseText(clause);
              return out + ")";
            },
            [&](const LimitDecl& d) {
              return "(limit" + Head(d.head) + " " + d.target.Joined() + " (per " + d.period.text +
                     ") (<= " + Expr(d.bound) + ")" + For(d.principals) + Because(d.reason) + ")";
            },
            [&](const BudgetDecl& d) {
              std::string out = "(budget" + Head(d.head) + " " + d.kind.text;
              if (d.per) out += " (per " + d.per->text + ")";
              out += " (amount " +
                     std::visit(Overloaded{
                                    [&](const IntNode& n) { return Int(n); },
                                    [&](const DurationNode& n) { return Duration(n); },
                                    [&](const MoneyLit& n) { return Money(n); },
                                },
                                d.amount.value) +
                     ")" + For(d.principals);
              for (const BudgetClause& clause : d.clauses) {
                out += " " + std::visit(Overloaded{
                                            [&](const WarnAtClause& c) {
                                              std::string text = "(warn-at";
                                              for (const PercentNode& p : c.thresholds) {
                                                text += fmt::format(" {}%", p.value);
                                              }
                                              return text + ")";
                                            },
                                            [&](const ThenClause& c) {
                                              std::string text = "(then " + c.action.text;
                                              if (c.approvers) text += " (by " + Expr(*c.approvers) + ")";
                                              return text + ")";
                                            },
                                            [&](const BecauseClause& c) {
                                              return "(because " + Str(c.reason) + ")";
                                            },
                                        },
                                        clause.kind);
              }
              return out + ")";
            },
            [&](const RateDecl& d) {
              return "(rate" + Head(d.head) + " (tools" + Patterns(d.tools) + ") (count " +
                     Int(d.count) + ") (per " + Duration(d.window) + ")" + For(d.principals) +
                     Because(d.reason) + ")";
            },
            [&](const PoolDecl& d) {
              std::string out = "(pool" + Head(d.head) + " " + d.name.text + " (size " + Int(d.size) + ")";
              if (d.counts_calls || !d.tools.empty()) out += " (calls" + Patterns(d.tools) + ")";
              if (!d.counts_calls || !d.agents.empty()) out += " (sessions" + Names(d.agents) + ")";
              if (d.then) out += " (then " + d.then->text + ")";
              return out + ")";
            },
            [&](const OutputDecl& d) {
              std::string out = "(output" + Head(d.head);
              if (d.phase) out += " (phase " + std::string(Spelling(*d.phase)) + ")";
              out += " " + d.target.Joined();
              for (const OutputRule& rule : d.rules) {
                out += std::string(rule.redact ? " (redact" : " (forbid") + Names(rule.detectors) +
                       Because(rule.reason) + ")";
              }
              return out + ")";
            },
            [&](const TestDecl& d) {
              std::string out = "(test " + Str(d.name);
              for (const TestStmt& stmt : d.stmts) out += " " + TestStmtText(stmt);
              return out + ")";
            },
        },
        decl.kind);
  }

  const File& file_;
  std::string out_;
};

}  // namespace

std::string DumpAst(const File& file) { return Dumper(file).Run(); }

}  // namespace writ::syntax
