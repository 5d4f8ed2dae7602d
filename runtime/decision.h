// A decision (docs/requests.md, "A decision") and its JSON encoding. Every evaluator produces
// this structure; EncodeDecision is the one place that writes it.
#ifndef WRIT_RUNTIME_DECISION_H_
#define WRIT_RUNTIME_DECISION_H_

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/policy.h"
#include "runtime/request.h"
#include "runtime/value.h"

namespace writ::runtime {

enum class DecisionEffect : uint8_t { kAllow, kDeny, kApprovalRequired };

// "allow", "deny", "approval_required".
std::string_view Spelling(DecisionEffect effect);

// A declaration that determined the effect. `rule` is empty for the default deny.
struct Reason {
  std::string rule;
  std::string kind;  // "permit", "forbid", "require_approval", "limit", "budget", "rate", ...
  std::string message;
  std::string location;  // "file.writ:36:1"; empty when unknown
};

// One approval that is needed: an entity, a set of entities, or a group name, as the
// declaration's approvers expression evaluated.
struct Approver {
  ir::ApproverKind kind = ir::ApproverKind::kString;
  Value value;  // entity, set of entities, or string
};

struct Approval {
  std::vector<Approver> approvers;
  std::optional<int64_t> timeout_millis;  // the shortest; absent: the runtime's setting
};

struct GrantObligation {
  std::string credential;
  std::vector<std::string> scopes;
  int64_t ttl_millis = 0;
};

struct Charge {
  std::string limit;
  Value amount;  // money
};

struct Redaction {
  std::string field;
  std::string detector;  // a std.pii Kind member
  size_t start = 0;      // bytes
  size_t end = 0;
};

struct Obligations {
  std::vector<GrantObligation> grants;
  std::vector<Charge> charges;
  std::vector<Redaction> redactions;
  std::vector<std::string> warnings;
};

struct ShadowOutcome {
  std::string rule;
  DecisionEffect effect = DecisionEffect::kDeny;
  std::string message;
};

// An evaluation error (rule and location set), or a request decoding error (path set).
struct DecisionError {
  std::string rule;
  std::string path;
  std::string code;
  std::string message;
  std::string location;
};

struct Decision {
  DecisionEffect effect = DecisionEffect::kDeny;
  std::vector<Reason> reasons;
  std::optional<Approval> approval;
  Obligations obligations;
  ir::Enforcement enforcement = ir::Enforcement::kHard;
  std::vector<ShadowOutcome> shadow;
  std::vector<DecisionError> errors;
  std::vector<std::string> matched;
};

// The deny for a request that failed to decode: one error per problem, no evaluation.
Decision RequestErrorDecision(const std::vector<RequestError>& errors);

// The decision as the JSON document of docs/requests.md (version 1), on one line when
// `indent` is negative. Entity references are written with their type names from `policy`.
std::string EncodeDecision(const ir::Policy& policy, const Decision& decision, int indent = 2);

}  // namespace writ::runtime

#endif  // WRIT_RUNTIME_DECISION_H_
