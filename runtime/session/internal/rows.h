// Reading and writing the session runtime's rows, shared by its files: loading a session or a
// step with the errors docs/runtime.md names, a step's outcome, and decision JSON edits.
#ifndef WRIT_RUNTIME_SESSION_INTERNAL_ROWS_H_
#define WRIT_RUNTIME_SESSION_INTERNAL_ROWS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/store.h"

namespace writ::runtime::session_internal {

// NotFound when there is no such session; LoadRunning also FailedPrecondition when it ended.
absl::StatusOr<store::SessionRow> LoadSession(store::Transaction& tx, std::string_view id);
absl::StatusOr<store::SessionRow> LoadRunning(store::Transaction& tx, std::string_view id);
// FailedPrecondition when the session has ended.
absl::Status CheckRunning(const store::SessionRow& row);
// NotFound when the session has no such step.
absl::StatusOr<store::StepRow> LoadStep(store::Transaction& tx, std::string_view session,
                                        std::string_view step);

// The call-phase effect a step in `state` was decided with. The state is kept in step with its
// decision (an approval, a rejection or a timeout rewrites both), so nothing is parsed.
DecisionEffect EffectOf(store::StepState state);
StepResult FromRow(const store::StepRow& step, bool replayed);

// A decision JSON with one more member, such as who approved it.
std::string With(std::string_view decision_json, std::string_view key, std::string_view value);
// A decision JSON turned into a deny, with `key` saying why.
std::string DeniedWith(std::string_view decision_json, std::string_view key,
                       std::string_view value);

// The approval timeout a pending step's decision states; nullopt when it states none (a soft
// stop), or when the JSON does not say.
std::optional<int64_t> ApprovalTimeout(std::string_view decision_json);

}  // namespace writ::runtime::session_internal

#endif  // WRIT_RUNTIME_SESSION_INTERNAL_ROWS_H_
