#include "compiler/lint/internal/context.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <variant>

#include <fmt/format.h>

#include "compiler/base/check.h"

namespace writ::lint::internal {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string_view> SplitName(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

}  // namespace

const syntax::File& Context::file(FileId id) const {
  const syntax::File* found = nullptr;
  for (const syntax::File& f : files_) {
    if (f.id == id) found = &f;
  }
  WRIT_CHECK(found != nullptr);  // every checked declaration comes from one of the files
  return *found;
}

const syntax::RuleDecl* Context::RuleDeclAt(Span span) const {
  for (const syntax::Decl& decl : file(span.file).decls) {
    if (decl.span == span) return std::get_if<syntax::RuleDecl>(&decl.kind);
  }
  return nullptr;
}

std::vector<std::string> Context::ToolNames(std::span<const check::ToolId> ids) const {
  std::vector<std::string> names;
  for (check::ToolId id : ids) names.push_back(program_.tool(id).name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

syntax::ExprId Context::Unparen(FileId file_id, syntax::ExprId expr) const {
  const syntax::File& f = file(file_id);
  while (const auto* paren = std::get_if<syntax::ParenExpr>(&f.expr(expr).kind)) {
    expr = paren->inner;
  }
  return expr;
}

std::string Context::Key(FileId file_id, syntax::ExprId id) const {
  const syntax::File& f = file(file_id);
  auto key = [&](syntax::ExprId sub) { return Key(file_id, sub); };
  auto list = [&](const std::vector<syntax::ExprId>& ids) {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + key(ids[i]);
    return out;
  };
  return std::visit(
      Overloaded{
          [&](const syntax::IntLit& e) { return std::to_string(e.value); },
          [&](const syntax::DecimalLit& e) { return e.text; },
          [&](const syntax::MoneyLit& e) { return FormatMoney(e.value.units, e.value.currency); },
          [&](const syntax::DurationLit& e) { return FormatDuration(e.millis); },
          [&](const syntax::StringLit& e) { return Quote(e.value); },
          [&](const syntax::BoolLit& e) { return std::string(e.value ? "true" : "false"); },
          [&](const syntax::NameRef& e) { return e.name.text; },
          [&](const syntax::MemberExpr& e) { return key(e.object) + "." + e.member.text; },
          [&](const syntax::CallExpr& e) { return key(e.callee) + "(" + list(e.args) + ")"; },
          [&](const syntax::EntityLit& e) { return key(e.type) + "::" + Quote(e.id.value); },
          [&](const syntax::UnaryExpr& e) {
            return std::string(e.op == syntax::UnaryOp::kNot ? "not " : "-") + key(e.operand);
          },
          [&](const syntax::BinaryExpr& e) {
            return "(" + key(e.lhs) + " " + syntax::Spelling(e.op) + " " + key(e.rhs) + ")";
          },
          [&](const syntax::HasExpr& e) { return key(e.object) + " has " + e.attr.text; },
          [&](const syntax::QuantExpr& e) {
            return std::string("(") + (e.all ? "all " : "any ") + e.var.text + " in " +
                   key(e.domain) + ": " + key(e.body) + ")";
          },
          [&](const syntax::SetLit& e) { return "[" + list(e.elements) + "]"; },
          [&](const syntax::RecordLit& e) {
            std::string out = "{";
            for (size_t i = 0; i < e.fields.size(); ++i) {
              out += (i ? ", " : "") + e.fields[i].name.text + ": " + key(e.fields[i].value);
            }
            return out + "}";
          },
          [&](const syntax::ParenExpr& e) { return key(e.inner); },
      },
      f.expr(id).kind);
}

std::vector<uint32_t> SortedPrincipals(std::span<const check::EntityTypeId> principals) {
  std::vector<uint32_t> out;
  for (check::EntityTypeId id : principals) out.push_back(id.index);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool PatternMatches(const syntax::ToolPattern& pattern, std::string_view tool) {
  std::vector<std::string_view> parts = SplitName(tool);
  const std::vector<syntax::PatternPart>& want = pattern.parts;
  for (size_t i = 0; i < want.size(); ++i) {
    bool last = i + 1 == want.size();
    if (i >= parts.size()) return false;
    if (want[i].is_wildcard()) {
      if (last) return true;  // one or more remaining parts
      continue;
    }
    if (want[i].text != parts[i]) return false;
  }
  return want.size() == parts.size();
}

std::string FormatMoney(int64_t units, std::string_view currency) {
  constexpr int64_t kScale = syntax::MoneyValue::kScale;
  std::string sign = units < 0 ? "-" : "";
  uint64_t magnitude = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string out = sign + std::to_string(magnitude / kScale);
  if (uint64_t fraction = magnitude % kScale; fraction != 0) {
    std::string digits = fmt::format("{:04}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + " " + std::string(currency);
}

std::string FormatDuration(int64_t millis) {
  if (millis == 0) return "0s";
  std::string out = millis < 0 ? "-" : "";
  uint64_t rest = millis < 0 ? 0 - static_cast<uint64_t>(millis) : static_cast<uint64_t>(millis);
  constexpr struct { uint64_t size; const char* unit; } kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}, {1, "ms"}};
  for (const auto& unit : kUnits) {
    if (rest >= unit.size) {
      out += std::to_string(rest / unit.size) + unit.unit;
      rest %= unit.size;
    }
  }
  return out;
}

}  // namespace writ::lint::internal
