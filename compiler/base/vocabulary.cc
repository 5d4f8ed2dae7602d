#include "compiler/base/vocabulary.h"

namespace writ {

std::string_view Spelling(Effect value) {
  switch (value) {
    case Effect::kPermit: return "permit";
    case Effect::kForbid: return "forbid";
    case Effect::kRequireApproval: return "require_approval";
  }
  return "permit";
}

std::string_view Spelling(Phase value) { return value == Phase::kCall ? "call" : "result"; }

std::string_view Spelling(Enforcement value) {
  switch (value) {
    case Enforcement::kHard: return "hard";
    case Enforcement::kSoft: return "soft";
    case Enforcement::kAdvisory: return "advisory";
  }
  return "hard";
}

std::string_view Spelling(Period value) {
  switch (value) {
    case Period::kCall: return "call";
    case Period::kTask: return "task";
    case Period::kHour: return "hour";
    case Period::kDay: return "day";
    case Period::kWeek: return "week";
    case Period::kMonth: return "month";
  }
  return "task";
}

std::string_view Spelling(BudgetKind value) {
  switch (value) {
    case BudgetKind::kTokens: return "tokens";
    case BudgetKind::kCalls: return "calls";
    case BudgetKind::kTime: return "time";
    case BudgetKind::kSpend: return "spend";
  }
  return "tokens";
}

std::string_view Spelling(BudgetAction value) {
  switch (value) {
    case BudgetAction::kDeny: return "deny";
    case BudgetAction::kTerminate: return "terminate";
    case BudgetAction::kRequireApproval: return "require_approval";
  }
  return "deny";
}

std::string_view Spelling(PoolAction value) {
  return value == PoolAction::kQueue ? "queue" : "refuse";
}

std::string_view Spelling(SessionFact value) {
  switch (value) {
    case SessionFact::kTokensUsed: return "tokens_used";
    case SessionFact::kToolCalls: return "tool_calls";
    case SessionFact::kElapsed: return "elapsed";
    case SessionFact::kStartedAt: return "started_at";
    case SessionFact::kNow: return "now";
    case SessionFact::kTask: return "task";
    case SessionFact::kSpent: return "spent";
  }
  return "now";
}

std::string_view Spelling(ApproverKind value) {
  switch (value) {
    case ApproverKind::kEntity: return "entity";
    case ApproverKind::kEntitySet: return "entity_set";
    case ApproverKind::kString: return "group";
  }
  return "group";
}

std::string_view Spelling(Expected value) {
  switch (value) {
    case Expected::kAllow: return "allow";
    case Expected::kDeny: return "deny";
    case Expected::kApprovalRequired: return "approval_required";
  }
  return "deny";
}

}  // namespace writ
