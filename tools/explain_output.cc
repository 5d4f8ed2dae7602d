#include "tools/explain_output.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "compiler/ir/print.h"

namespace writ::cli {
namespace {

// The loaded file a policy location refers to, or null.
const SourceFile* FileOf(const ir::Policy& policy, const SourceManager& sources, ir::Loc loc) {
  if (!loc.valid() || loc.file >= policy.files.size()) return nullptr;
  for (size_t i = 0; i < sources.size(); ++i) {
    const SourceFile& file = sources.file(FileId{static_cast<uint32_t>(i)});
    if (file.path() == policy.files[loc.file]) return &file;
  }
  return nullptr;
}

// Writes the excerpt of one declaration: its first line, then each term's line (once) with a
// caret under the term and what it evaluated to.
class Excerpt {
 public:
  Excerpt(const ir::Policy& policy, const SourceManager& sources, std::string& out)
      : policy_(policy), sources_(sources), out_(out) {}

  void Line(ir::Loc loc) {
    const SourceFile* file = FileOf(policy_, sources_, loc);
    if (file == nullptr || !shown_.insert(loc.line).second) return;
    out_ += fmt::format("  {:>5} | {}\n", loc.line, file->Line(loc.line));
  }

  void Term(const runtime::Term& term) {
    Line(term.loc);
    std::string verdict = !term.evaluated ? "not evaluated"
                          : !term.ok      ? "error"
                          : term.value    ? "true"
                                          : "false";
    if (!term.detail.empty()) verdict += ": " + term.detail;
    size_t column = term.loc.column > 0 ? term.loc.column - 1 : 0;
    out_ += fmt::format("  {:>5} | {}^ {}\n", "", std::string(column, ' '), verdict);
  }

 private:
  const ir::Policy& policy_;
  const SourceManager& sources_;
  std::string& out_;
  std::set<uint32_t> shown_;
};

std::string EntityName(const ir::Policy& policy, const runtime::Value& value) {
  return ir::FormatValue(policy, value);
}

std::string Approvers(const ir::Policy& policy, const runtime::Approval& approval) {
  std::vector<std::string> names;
  for (const runtime::Approver& approver : approval.approvers) {
    names.push_back(approver.kind == ir::ApproverKind::kString ? ir::Quote(approver.value.text)
                                                              : EntityName(policy, approver.value));
  }
  std::string text = names.empty() ? "the runtime's override approvers" : fmt::format(
                                                                             "{}", fmt::join(names, ", "));
  text += approval.timeout_millis
              ? fmt::format(", within {}", ir::FormatDuration(*approval.timeout_millis))
              : ", within the runtime's timeout";
  return text;
}

void Obligations(const runtime::Decision& decision, std::string& out) {
  const runtime::Obligations& o = decision.obligations;
  for (const runtime::GrantObligation& grant : o.grants) {
    out += fmt::format("  mints {} with scopes [{}] for {}\n", grant.credential,
                       fmt::join(grant.scopes, ", "), ir::FormatDuration(grant.ttl_millis));
  }
  for (const runtime::Charge& charge : o.charges) {
    out += fmt::format("  charges {} to {}\n",
                       ir::FormatMoney(charge.amount.number, charge.amount.text), charge.limit);
  }
  for (const runtime::Redaction& redaction : o.redactions) {
    out += fmt::format("  redacts {} bytes {}..{} ({})\n", redaction.field, redaction.start,
                       redaction.end, redaction.detector);
  }
  for (const std::string& warning : o.warnings) out += fmt::format("  warns {}\n", ir::Quote(warning));
  for (const runtime::ShadowOutcome& shadow : decision.shadow) {
    out += fmt::format("  shadow: {} would {}: {}\n", shadow.rule,
                       shadow.effect == runtime::DecisionEffect::kDeny ? "deny"
                       : shadow.effect == runtime::DecisionEffect::kAllow
                           ? "allow"
                           : "require approval",
                       ir::Quote(shadow.message));
  }
  for (const runtime::DecisionError& error : decision.errors) {
    out += fmt::format("  error {} in {}{}: {}\n", error.code,
                       error.rule.empty() ? error.path : error.rule,
                       error.location.empty() ? "" : " at " + error.location, error.message);
  }
}

}  // namespace

std::string ExplainText(const ir::Policy& policy, const SourceManager& sources,
                        const runtime::Request& request, const runtime::Explanation& explanation,
                        const runtime::Decision& decision) {
  const runtime::Entity& principal = request.entities.at(request.principal);
  std::string out = fmt::format(
      "request: {} {} as {}::{}\n", ir::Spelling(request.phase), policy.tool(request.tool).name,
      policy.entity_type(principal.type).name, ir::Quote(principal.id));
  if (explanation.considered.empty()) {
    out += "\nno declaration applies to this tool in this phase\n";
  }
  for (const runtime::Consideration& c : explanation.considered) {
    out += fmt::format("\n{} {} at {}: {}\n", c.kind, c.id, ir::FormatLoc(policy, c.loc),
                       runtime::Spelling(c.verdict));
    Excerpt excerpt(policy, sources, out);
    excerpt.Line(c.loc);
    for (const runtime::Term& term : c.terms) excerpt.Term(term);
    if (!c.note.empty()) out += fmt::format("          {}\n", c.note);
  }
  out += fmt::format("\ndecision: {} ({})\n", runtime::Spelling(decision.effect),
                     ir::Spelling(decision.enforcement));
  for (const runtime::Reason& reason : decision.reasons) {
    out += fmt::format("  because {}", ir::Quote(reason.message));
    if (!reason.rule.empty()) out += fmt::format(" [{} {}", reason.kind, reason.rule);
    if (!reason.location.empty()) out += fmt::format(" at {}", reason.location);
    out += reason.rule.empty() ? "\n" : "]\n";
  }
  if (decision.approval) out += "  approval by " + Approvers(policy, *decision.approval) + "\n";
  Obligations(decision, out);
  return out;
}

std::string ExplainRequestErrors(const runtime::Decision& decision) {
  std::string out = "the request did not decode, so it is denied without evaluation:\n";
  for (const runtime::DecisionError& error : decision.errors) {
    out += fmt::format("  {} {}: {}\n", error.path, error.code, error.message);
  }
  out += "\ndecision: deny (hard)\n";
  return out;
}

}  // namespace writ::cli
