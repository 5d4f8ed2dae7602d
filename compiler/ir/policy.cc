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
