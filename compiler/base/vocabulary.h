// The policy language's vocabulary: the enumerations that the syntax, the checker and the decision
// IR all speak, with their source spellings. They live below every stage so that a value passes
// from the AST through the checked program into the IR unchanged; each layer re-exports them
// (`syntax::Phase`, `check::Period`, `ir::SessionFact`) with using-declarations.
#ifndef WRIT_COMPILER_BASE_VOCABULARY_H_
#define WRIT_COMPILER_BASE_VOCABULARY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace writ {

// What a rule decides for the calls it matches.
enum class Effect : uint8_t { kPermit, kForbid, kRequireApproval };
// Whether a request is about to make a call or has its result.
enum class Phase : uint8_t { kCall, kResult };
inline constexpr size_t kPhaseCount = 2;
// How a decision of a rule-like declaration is enforced; `hard` unless a modifier says
// otherwise. `advisory` only reports; `soft` lets the runtime's override mechanism through.
enum class Enforcement : uint8_t { kHard, kSoft, kAdvisory };
// The window of a spending limit or budget. `call` is a single call.
enum class Period : uint8_t { kCall, kTask, kHour, kDay, kWeek, kMonth };
enum class BudgetKind : uint8_t { kTokens, kCalls, kTime, kSpend };
// What happens when a budget is exhausted; without `then` further calls are denied.
enum class BudgetAction : uint8_t { kDeny, kTerminate, kRequireApproval };
// What happens to a request for a full pool; without `then` it is refused (fail closed).
enum class PoolAction : uint8_t { kRefuse, kQueue };
// The runtime facts of `session`; each has a fixed type (the checker's and the IR's
// SessionFactType).
enum class SessionFact : uint8_t {
  kTokensUsed,
  kToolCalls,
  kElapsed,
  kStartedAt,
  kNow,
  kTask,
  kSpent
};
inline constexpr size_t kSessionFactCount = 7;
// What an approvers expression (`by`) evaluates to: an entity, a set of entities, or a group
// name.
enum class ApproverKind : uint8_t { kEntity, kEntitySet, kString };
// The outcome a test's `expect` line asks for.
enum class Expected : uint8_t { kAllow, kDeny, kApprovalRequired };

// Source spellings: "permit", "call", "soft", "task", "tokens_used", "group",
// "approval_required", ...
std::string_view Spelling(Effect value);
std::string_view Spelling(Phase value);
std::string_view Spelling(Enforcement value);
std::string_view Spelling(Period value);
std::string_view Spelling(BudgetKind value);
std::string_view Spelling(BudgetAction value);
std::string_view Spelling(PoolAction value);
std::string_view Spelling(SessionFact value);
std::string_view Spelling(ApproverKind value);
std::string_view Spelling(Expected value);

}  // namespace writ

#endif  // WRIT_COMPILER_BASE_VOCABULARY_H_
