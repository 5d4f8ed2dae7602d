// Policies: a fixed schema of entities, agents and an enum, random tools, and declarations whose
// expressions are built by type, so that every generated policy checks. Two rules of the
// checker shape the expressions: optional reads sit behind a `has` guard, and an arithmetic
// operation never has two constant operands (constant overflow and division by zero are
// compile-time errors, W0317 and W0318, so the run-time ones need a value from the request).
#include "tests/diff/generator.h"

#include <utility>

namespace writ::diff {

namespace {

const char* const kHeader = R"(package g

import std.money
import std.net
import std.pii
import std.sql
import std.text
import std.time

enum Level { low, mid, high }

entity Org
entity Dept in Org { code: string }
entity User in Dept { cap: money, level: int, name: string, tier: Level, boss?: User }

agent Bot {
  acts_for: User
  tier: int
  team: string
  credentials {
    api: ["read", "write"] ttl 15m
  }
}

agent Helper {
  tier: int
  team: string
}
)";

bool Orderable(Ty type) {
  return type == Ty::kInt || type == Ty::kMoney || type == Ty::kString ||
         type == Ty::kDuration || type == Ty::kTimestamp;
}

std::string TypeName(Ty type) {
  switch (type) {
    case Ty::kBool: return "bool";
    case Ty::kInt: return "int";
    case Ty::kMoney: return "money";
    case Ty::kString: return "string";
    case Ty::kDuration: return "duration";
    case Ty::kTimestamp: return "timestamp";
    case Ty::kLevel: return "Level";
    case Ty::kUser: return "User";
    case Ty::kStrings: return "set<string>";
    case Ty::kInts: return "set<int>";
    case Ty::kUsers: return "set<User>";
  }
  return "bool";
}

}  // namespace

std::string Policy::Text() const {
  std::string text = kHeader;
  for (const Tool& tool : tools) {
    text += "\ntool " + tool.name + "(";
    for (size_t i = 0; i < tool.params.size(); ++i) {
      const Param& p = tool.params[i];
      text += (i ? ", " : "") + p.name + (p.optional ? "?: " : ": ") + TypeName(p.type);
    }
    text += ")";
    if (tool.has_result) text += " -> { rows: int, body: string, note?: string }";
  }
  text += "\n";
  for (const std::string& decl : decls) text += "\n" + decl + "\n";
  return text;
}

Policy Generator::MakePolicy() {
  Policy policy;
  static const std::vector<Ty> kTypes = {Ty::kBool,     Ty::kInt,       Ty::kInt,   Ty::kMoney,
                                         Ty::kMoney,    Ty::kString,    Ty::kString, Ty::kDuration,
                                         Ty::kTimestamp, Ty::kLevel,    Ty::kUser,  Ty::kStrings,
                                         Ty::kInts,     Ty::kUsers};
  size_t tools = 1 + Below(4);
  for (size_t t = 0; t < tools; ++t) {
    Tool tool{"svc.t" + std::to_string(t), {}, Chance(40)};
    size_t params = 1 + Below(5);
    for (size_t p = 0; p < params; ++p) {
      tool.params.push_back({"p" + std::to_string(p), Pick(kTypes), Chance(20)});
    }
    policy.tools.push_back(std::move(tool));
  }
  size_t decls = 1 + Below(10);
  for (size_t d = 0; d < decls; ++d) policy.decls.push_back(Declaration(policy, d));
  return policy;
}

std::string Generator::Declaration(Policy& policy, size_t index) {
  std::string label = "d" + std::to_string(index);
  std::string modifiers = Chance(10) ? (Chance(50) ? "advisory " : "soft ") : "";
  if (Chance(8)) modifiers += "shadow ";
  const Tool& tool = Pick(policy.tools);
  int kind = static_cast<int>(Below(100));
  if (kind < 8) {
    for (const Param& p : tool.params) {
      if (p.type != Ty::kMoney || p.optional) continue;
      bool bot = Chance(50);
      Scope scope{.tool = nullptr, .bot = bot, .session = false};
      std::string bound = Chance(40) ? Literal(Ty::kMoney) : Expr(Ty::kMoney, 2, scope);
      policy.spend_limits.push_back(label);
      return label + ": " + modifiers + "limit spend " + tool.name + "." + p.name + " per " +
             (Chance(50) ? "call" : "task") + " <= " + bound + (bot ? " for Bot" : "");
    }
  } else if (kind < 14) {
    static const std::vector<std::string> kBudgets = {
        "budget tokens 1000 warn at 50%, 80%", "budget calls 5", "budget spend 500 USD",
        "budget time 1h warn at 90%", "budget tokens 100 then terminate"};
    return label + ": " + modifiers + Pick(kBudgets);
  } else if (kind < 19) {
    policy.rates.push_back(label);
    return label + ": " + modifiers + "rate " + tool.name + " " + std::to_string(1 + Below(4)) +
           " per 1m";
  } else if (kind < 25) {
    std::string phase = tool.has_result && Chance(40) ? "result" : "call";
    std::string field;
    if (phase == "result") {
      field = Chance(50) ? "body" : "note";
    } else {
      for (const Param& p : tool.params) {
        if (p.type == Ty::kString) field = p.name;
      }
    }
    if (!field.empty()) {
      static const std::vector<std::string> kKinds = {"pii.email", "pii.phone", "pii.card",
                                                      "pii.secret", "pii.ipv4"};
      std::string lines = Chance(60) ? "  forbid " + Pick(kKinds) + " because \"no pii\"\n" : "";
      if (lines.empty() || Chance(50)) lines += "  redact " + Pick(kKinds) + "\n";
      return label + ": " + modifiers + "output " + phase + " " + tool.name + "." + field +
             " {\n" + lines + "}";
    }
  }
  return Rule(policy, index);
}

std::string Generator::Rule(const Policy& policy, size_t index) {
  const Tool& tool = Pick(policy.tools);
  Scope scope;
  std::string pattern = tool.name;
  if (Chance(12)) {
    pattern = Chance(50) ? "svc.*" : "*";
  } else {
    scope.tool = &tool;
  }
  scope.bot = Chance(50);
  bool result = scope.tool != nullptr && tool.has_result && Chance(30);
  scope.result = result;
  int effect = static_cast<int>(Below(100));
  std::string text = "d" + std::to_string(index) + ": ";
  // Levels say what happens when a rule would stop a call, which a permit never does.
  if (effect >= 50 && Chance(10)) text += Chance(50) ? "advisory " : "soft ";
  if (Chance(8)) text += "shadow ";
  text += effect < 50 ? "permit" : effect < 85 || result ? "forbid" : "require_approval";
  text += std::string(result ? " result " : " call ") + pattern;
  if (scope.bot) text += " for Bot";
  if (!Chance(15)) text += "\n  when " + Bool(3, scope);
  if (effect >= 50) {
    if (effect < 85 || result) {
      text += "\n  because \"reason " + std::to_string(index) + "\"";
    } else {
      text += std::string("\n  by ") + (scope.bot && Chance(50) ? "principal.acts_for" : "\"ops\"") +
              "\n  timeout 1h";
      if (Chance(30)) text += "\n  warn \"approval " + std::to_string(index) + "\"";
    }
  } else {
    if (scope.bot && !result && Chance(25)) text += "\n  grant api [\"read\"] ttl 5m";
    if (Chance(20)) text += "\n  warn \"warning " + std::to_string(index) + "\"";
  }
  return text;
}

std::string Generator::Bool(int depth, Scope& scope) {
  int choice = static_cast<int>(Below(depth <= 0 ? 30 : 100));
  if (choice < 20) return Compare(depth - 1, scope);
  if (choice < 25) return Leaf(Ty::kBool, scope, false, nullptr);
  if (choice < 30) {
    std::string s = Expr(Ty::kString, depth - 1, scope);
    static const std::vector<std::string> kGlobs = {"*a*", "ACME*", "#team-?", "*@example.com",
                                                    "*", ""};
    return "(" + s + " like \"" + Pick(kGlobs) + "\")";
  }
  if (choice < 40) return "(" + Bool(depth - 1, scope) + " and " + Bool(depth - 1, scope) + ")";
  if (choice < 50) return "(" + Bool(depth - 1, scope) + " or " + Bool(depth - 1, scope) + ")";
  if (choice < 55) return "(not " + Bool(depth - 1, scope) + ")";
  if (choice < 65) {
    std::string s = Expr(Ty::kString, depth - 1, scope);
    static const std::vector<std::string> kPredicates = {
        "sql.is_ddl(#)",          "sql.is_write(#)",        "sql.is_read(#)",
        "sql.is_transaction(#)",  "sql.is_multi_statement(#)", "sql.has_unbounded_write(#)",
        "pii.contains(#)",        "pii.contains_kind(#, pii.email)", "net.is_private(#)",
        "net.in_cidr(#, \"10.0.0.0/8\")", "text.contains(#, \"a\")", "text.starts_with(#, \"#\")",
        "text.ends_with(#, \".com\")", "text.glob(#, \"*1*\")", "text.matches(#, \"[0-9]{3}\")",
        "text.matches(#, \"(?i)drop\")", "(\"users\" in sql.tables(#))",
        "(\"a\" in text.split(#, \" \"))"};
    std::string call = Pick(kPredicates);
    return call.replace(call.find('#'), 1, s);
  }
  if (choice < 75) {
    int which = static_cast<int>(Below(6));
    if (which == 0) return "(" + Expr(Ty::kString, depth - 1, scope) + " in [\"a\", \"ACME Corp\", \"\"])";
    if (which == 1) return "(" + Expr(Ty::kInt, depth - 1, scope) + " in [0, 1, 7])";
    if (which == 2) return "(" + Expr(Ty::kLevel, depth - 1, scope) + " in [Level.low, Level.high])";
    if (which == 3) return "(" + Expr(Ty::kUser, depth - 1, scope) + " in [Dept::\"d1\", Dept::\"d2\"])";
    if (which == 4) return "(" + Expr(Ty::kUser, depth - 1, scope) + " in Org::\"o1\")";
    std::vector<std::pair<Ty, Ty>> sets = {
        {Ty::kStrings, Ty::kString}, {Ty::kInts, Ty::kInt}, {Ty::kUsers, Ty::kUser}};
    auto [set, element] = Pick(sets);
    return "(" + Expr(element, depth - 1, scope) + " in " + Expr(set, depth - 1, scope) + ")";
  }
  if (choice < 85) {
    std::vector<std::pair<Ty, Ty>> sets = {
        {Ty::kStrings, Ty::kString}, {Ty::kInts, Ty::kInt}, {Ty::kUsers, Ty::kUser}};
    auto [set, element] = Pick(sets);
    std::string domain = Expr(set, depth - 1, scope);
    std::string variable = "x" + std::to_string(next_variable_++);
    scope.variables.push_back({variable, element});
    std::string body = Bool(depth - 1, scope);
    scope.variables.pop_back();
    return std::string("(") + (Chance(50) ? "any " : "all ") + variable + " in " + domain + ": " +
           body + ")";
  }
  // A guarded read: an optional parameter, the result's optional note, a user's optional boss.
  std::vector<std::string> guarded;
  if (scope.tool != nullptr) {
    for (const Param& p : scope.tool->params) {
      if (!p.optional) continue;
      std::string read = "args." + p.name;
      std::string use;
      switch (p.type) {
        case Ty::kBool: use = read; break;
        case Ty::kLevel: use = read + " == Level.mid"; break;
        case Ty::kUser: use = read + ".level > " + Expr(Ty::kInt, depth - 1, scope); break;
        case Ty::kStrings: case Ty::kInts: case Ty::kUsers:
          use = "size(" + read + ") > " + Expr(Ty::kInt, depth - 1, scope);
          break;
        default: use = read + " >= " + Expr(p.type, depth - 1, scope); break;
      }
      guarded.push_back("(args has " + p.name + " and " + use + ")");
    }
  }
  if (scope.result) guarded.push_back("(result has note and result.note like \"*x*\")");
  if (scope.bot) {
    guarded.push_back("(principal.acts_for has boss and principal.acts_for.boss.level >= " +
                      Expr(Ty::kInt, depth - 1, scope) + ")");
  }
  if (guarded.empty()) return Compare(depth - 1, scope);
  return Pick(guarded);
}

std::string Generator::Compare(int depth, Scope& scope) {
  static const std::vector<Ty> kTypes = {Ty::kInt,   Ty::kInt,       Ty::kMoney, Ty::kMoney,
                                         Ty::kString, Ty::kDuration, Ty::kTimestamp, Ty::kBool,
                                         Ty::kLevel, Ty::kUser};
  Ty type = Pick(kTypes);
  static const std::vector<std::string> kOrders = {"<", "<=", ">", ">=", "==", "!="};
  std::string op = Orderable(type) ? Pick(kOrders) : (Chance(50) ? "==" : "!=");
  return "(" + Expr(type, depth, scope) + " " + op + " " + Expr(type, depth, scope) + ")";
}

}  // namespace writ::diff
