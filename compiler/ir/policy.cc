#include "compiler/ir/policy.h"

#include <algorithm>

#include "compiler/base/check.h"

namespace writ::ir {
namespace {

constexpr OpInfo kOps[] = {
#define WRIT_IR_OP(name, spelling, operands, imm) {spelling, Operands::operands, Imm::imm},
#include "compiler/ir/ops.def"
};

}  // namespace

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

TypeId SessionFactType(SessionFact fact) {
  switch (fact) {
    case SessionFact::kTokensUsed:
    case SessionFact::kToolCalls: return kIntType;
    case SessionFact::kElapsed: return kDurationType;
    case SessionFact::kStartedAt:
    case SessionFact::kNow: return kTimestampType;
    case SessionFact::kTask: return kStringType;
    case SessionFact::kSpent: return kMoneyType;
  }
  return kIntType;
}

const OpInfo& Info(Op op) {
  size_t index = static_cast<size_t>(op);
  WRIT_CHECK(index < std::size(kOps));
  return kOps[index];
}

size_t OpCount() { return std::size(kOps); }

std::span<const ExprId> Policy::list(ListRef ref) const {
  WRIT_CHECK(static_cast<uint64_t>(ref.first) + ref.count <= expr_lists.size());
  return std::span<const ExprId>(expr_lists).subspan(ref.first, ref.count);
}

ToolId FindTool(const Policy& policy, std::string_view name) {
  auto it = std::lower_bound(policy.tools.begin(), policy.tools.end(), name,
                             [](const Tool& tool, std::string_view n) { return tool.name < n; });
  if (it == policy.tools.end() || it->name != name) return ToolId{};
  return ToolId{static_cast<uint32_t>(it - policy.tools.begin())};
}

}  // namespace writ::ir
