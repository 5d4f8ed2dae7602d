#include "compiler/lint/internal/suppress.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace writ::lint::internal {
namespace {

constexpr std::string_view kMarker = "writ-lint:";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The text of a comment without its `//` or `/* */`.
std::string_view Body(std::string_view comment) {
  if (comment.substr(0, 2) == "//") return Trim(comment.substr(2));
  comment.remove_prefix(std::min<size_t>(2, comment.size()));
  if (comment.size() >= 2 && comment.substr(comment.size() - 2) == "*/") comment.remove_suffix(2);
  return Trim(comment);
}

struct Suppression {
  Span comment;
  Span target;  // the declaration whose findings it suppresses; invalid if there is none
  std::vector<diag::Code> codes;
  std::vector<bool> used;
};

// A rule by its code ("L0004") or title ("wildcard-permit").
std::optional<diag::Code> RuleNamed(std::string_view word) {
  for (const RuleInfo& rule : Rules()) {
    if (diag::Info(rule.code).id == word || rule.title == word) return rule.code;
  }
  return std::nullopt;
}

// Parses a suppression's text after the marker; on failure says what is wrong.
std::optional<std::string> Parse(std::string_view text, std::vector<diag::Code>& codes) {
  text = Trim(text);
  if (text.substr(0, 5) != "allow") return "must start with `allow` and the rules it allows";
  text.remove_prefix(5);
  size_t dashes = text.find("--");
  std::string_view list = text.substr(0, dashes);
  std::string_view why = dashes == std::string_view::npos ? "" : Trim(text.substr(dashes + 2));
  size_t at = 0;
  while (at < list.size()) {
    size_t end = list.find_first_of(" ,\t", at);
    std::string_view word = list.substr(at, end == std::string_view::npos ? end : end - at);
    at = end == std::string_view::npos ? list.size() : end + 1;
    if (word.empty()) continue;
    std::optional<diag::Code> code = RuleNamed(word);
    if (!code) return "names `" + std::string(word) + "`, which is not a lint rule";
    codes.push_back(*code);
  }
  if (codes.empty()) return "names no rule: write `allow L0004 -- why`";
  if (why.empty()) return "has no justification: write `-- why` after the rules";
  return std::nullopt;
}

bool Contains(Span outer, Span inner) {
  return outer.file == inner.file && outer.begin <= inner.begin && inner.begin < outer.end;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

// What a suppression can be written before: imports, declarations, and the members of a
// declaration that findings point at (credentials, attributes, parameters, enum members,
// output lines).
std::vector<Span> Targets(const syntax::File& file) {
  std::vector<Span> spans;
  for (const syntax::ImportDecl& import : file.imports) spans.push_back(import.span);
  auto attrs = [&](const std::vector<syntax::AttrDecl>& list) {
    for (const syntax::AttrDecl& attr : list) spans.push_back(attr.span);
  };
  for (const syntax::Decl& decl : file.decls) {
    spans.push_back(decl.span);
    std::visit(Overloaded{
                   [&](const syntax::EntityDecl& d) { attrs(d.attrs); },
                   [&](const syntax::EnumDecl& d) {
                     for (const syntax::Name& member : d.members) spans.push_back(member.span);
                   },
                   [&](const syntax::AgentDecl& d) {
                     for (const syntax::AgentMember& member : d.members) {
                       if (const auto* attr = std::get_if<syntax::AttrDecl>(&member)) {
                         spans.push_back(attr->span);
                       } else if (const auto* creds = std::get_if<syntax::CredentialsMember>(&member)) {
                         for (const syntax::CredentialDecl& c : creds->credentials) spans.push_back(c.span);
                       }
                     }
                   },
                   [&](const syntax::ToolDecl& d) { attrs(d.params); },
                   [&](const syntax::OutputDecl& d) {
                     for (const syntax::OutputRule& rule : d.rules) spans.push_back(rule.span);
                   },
                   [&](const auto&) {},
               },
               decl.kind);
  }
  return spans;
}

// The first target that starts after the comment: the declaration or member it precedes.
Span TargetOf(const syntax::File& file, Span comment) {
  Span best;
  for (const Span& s : Targets(file)) {
    if (s.begin < comment.end) continue;
    if (!best.valid() || s.begin < best.begin || (s.begin == best.begin && s.end > best.end)) best = s;
  }
  return best;
}

}  // namespace

void ApplySuppressions(std::span<const syntax::File> files, const std::map<diag::Code, Level>& levels,
                       std::vector<diag::Diagnostic>& findings) {
  std::vector<Suppression> suppressions;
  std::vector<diag::Diagnostic> added;
  for (const syntax::File& file : files) {
    for (const syntax::Comment& comment : file.comments) {
      std::string_view body = Body(comment.text);
      if (body.substr(0, kMarker.size()) != kMarker) continue;
      Suppression s{comment.span, TargetOf(file, comment.span), {}, {}};
      if (std::optional<std::string> problem = Parse(body.substr(kMarker.size()), s.codes)) {
        added.push_back(diag::Make(diag::Code::kMalformedSuppression, comment.span, *problem)
                            .Note("a suppression without a justification suppresses nothing"));
        continue;
      }
      if (!s.target.valid()) {
        added.push_back(diag::Make(diag::Code::kMalformedSuppression, comment.span,
                                   "is followed by no declaration"));
        continue;
      }
      s.used.assign(s.codes.size(), false);
      suppressions.push_back(std::move(s));
    }
  }
  auto suppressed = [&](const diag::Diagnostic& finding) {
    bool any = false;
    for (Suppression& s : suppressions) {
      if (!Contains(s.target, finding.span)) continue;
      for (size_t i = 0; i < s.codes.size(); ++i) {
        if (s.codes[i] != finding.code) continue;
        s.used[i] = true;
        any = true;
      }
    }
    return any;
  };
  std::erase_if(findings, suppressed);
  for (const Suppression& s : suppressions) {
    for (size_t i = 0; i < s.codes.size(); ++i) {
      auto level = levels.find(s.codes[i]);
      if (s.used[i] || (level != levels.end() && level->second == Level::kOff)) continue;
      added.push_back(diag::Make(diag::Code::kUnusedSuppression, s.comment,
                                 "`" + std::string(diag::Info(s.codes[i]).id) + "`")
                          .Help("remove it, or move it to the declaration with the finding"));
    }
  }
  for (diag::Diagnostic& d : added) findings.push_back(std::move(d));
}

}  // namespace writ::lint::internal
