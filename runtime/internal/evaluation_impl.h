// The state of one decision while the declarations of the tool's plan contribute to it, shared by
// the files of the combining (evaluation.cc, evaluation_budgets.cc, evaluation_outputs.cc).
// Private to the runtime: every evaluator decides through Decide (evaluation.h).
#ifndef WRIT_RUNTIME_INTERNAL_EVALUATION_IMPL_H_
#define WRIT_RUNTIME_INTERNAL_EVALUATION_IMPL_H_

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/internal/evaluation.h"

namespace writ::runtime::internal {

// "file.writ:36:1", or empty when the location is unknown.
inline std::string Location(const ir::Policy& policy, ir::Loc loc) {
  if (!loc.valid() || loc.file >= policy.files.size()) return "";
  return fmt::format("{}:{}:{}", policy.files[loc.file], loc.line, loc.column);
}

// Whether a declaration for `principals` (empty: any) applies to this principal.
inline bool Applies(const std::vector<ir::EntityTypeId>& principals, ir::EntityTypeId principal) {
  return principals.empty() ||
         std::find(principals.begin(), principals.end(), principal) != principals.end();
}

// One evaluation: collects what each declaration contributes, then combines (§7).
class Evaluation {
 public:
  Evaluation(const ir::Policy& policy, const Request& request, ir::PackageId package,
             ExprEvaluator& exprs, ExprEngine& roots, Explanation* explanation)
      : policy_(policy),
        package_(package),
        explanation_(explanation),
        request_(request),
        exprs_(exprs),
        roots_(roots),
        tool_(policy.tool(request.tool)),
        plan_(tool_.plan(request.phase)),
        principal_type_(request.entities[request.principal].type) {}

  Decision Run();

 private:
  void Error(const ir::DeclHead& head, const EvalError& error) {
    decision_.errors.push_back(
        {head.id, "", error.code, error.message, Location(policy_, error.loc)});
  }
  void Match(const ir::DeclHead& head) { matched_.push_back({head.loc, head.id}); }
  // Records what was found about a declaration when an explanation is wanted. `note` is only
  // built then: it may format values.
  template <typename NoteFn>
  void Consider(const ir::DeclHead& head, std::string_view kind, Verdict verdict, NoteFn note,
                std::vector<Term> terms = {}) {
    if (explanation_ == nullptr) return;
    if (verdict == Verdict::kHeld && head.shadow) verdict = Verdict::kShadow;
    explanation_->considered.push_back(
        {head.id, std::string(kind), head.loc, verdict, note(), std::move(terms)});
  }
  static std::string NoNote() { return ""; }
  // Why a declaration for other principals did not apply.
  std::string OtherPrincipals(const std::vector<ir::EntityTypeId>& principals) const;
  Reason MakeReason(const ir::DeclHead& head, std::string kind, std::string message) const {
    return Reason{head.id, std::move(kind), std::move(message), Location(policy_, head.loc)};
  }
  // A declaration that would stop the call: applied by its level, or reported as shadow.
  void Stop(const ir::DeclHead& head, std::string_view kind, const std::string& message);
  void Approve(const ir::DeclHead& head, std::string_view kind, const std::string& message,
               std::optional<Approver> approver, std::optional<int64_t> timeout);
  // Evaluates an approvers expression; nullopt (and a deny) when it fails.
  std::optional<Approver> Approvers(const ir::DeclHead& head, ir::ApproverKind kind,
                                    ir::ExprId expr);

  void Rules();
  void Limits();
  void Rates();
  void Pools();
  void Budgets();
  void Outputs();
  Decision Combine();

  // Whether a declaration takes part in this evaluation (see InterpreterOptions::package).
  bool Included(const ir::DeclHead& head) const {
    return !package_.valid() || head.package == package_;
  }

  const ir::Policy& policy_;
  ir::PackageId package_;
  Explanation* explanation_;  // null unless explaining
  const Request& request_;
  ExprEvaluator& exprs_;  // session facts and explanations
  ExprEngine& roots_;      // conditions, bounds and approvers
  const ir::Tool& tool_;
  const ir::Plan& plan_;
  ir::EntityTypeId principal_type_;

  Decision decision_;
  std::vector<std::pair<ir::Loc, std::string>> matched_;
  std::vector<Reason> denies_;     // hard stops
  std::vector<Reason> approvals_;  // require_approval and soft stops
  bool hard_approval_ = false;
  std::vector<Reason> permits_;
  std::vector<const ir::Rule*> permit_rules_;
  Approval approval_;
  std::vector<Value> this_call_spend_;  // the amounts this call spends, one per money param
  std::set<uint32_t> spend_slots_;      // the params already in this_call_spend_
};

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_EVALUATION_IMPL_H_
