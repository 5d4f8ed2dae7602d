#include "runtime/store/store.h"

namespace writ::runtime::store {

std::string_view Spelling(SessionState state) {
  switch (state) {
    case SessionState::kRunning:
      return "running";
    case SessionState::kEnded:
      return "ended";
  }
  return "?";
}

std::string_view Spelling(StepState state) {
  switch (state) {
    case StepState::kDenied:
      return "denied";
    case StepState::kPending:
      return "pending";
    case StepState::kAllowed:
      return "allowed";
    case StepState::kCompleted:
      return "completed";
    case StepState::kFailed:
      return "failed";
  }
  return "?";
}

std::optional<SessionState> ParseSessionState(std::string_view text) {
  for (SessionState state : {SessionState::kRunning, SessionState::kEnded}) {
    if (Spelling(state) == text) return state;
  }
  return std::nullopt;
}

std::optional<StepState> ParseStepState(std::string_view text) {
  for (StepState state : {StepState::kDenied, StepState::kPending, StepState::kAllowed,
                          StepState::kCompleted, StepState::kFailed}) {
    if (Spelling(state) == text) return state;
  }
  return std::nullopt;
}

}  // namespace writ::runtime::store
