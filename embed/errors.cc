// The C ABI's errors and handle registry (include/writ/writ.h, "Status and errors").
#include <mutex>
#include <new>
#include <unordered_set>

#include "embed/internal/api.h"

namespace writ::embed {
namespace {

thread_local std::string last_error;
thread_local std::string scratch;

std::mutex& RegistryMutex() {
  static std::mutex* mutex = new std::mutex;
  return *mutex;
}
std::unordered_set<const void*>& Live() {
  static auto* live = new std::unordered_set<const void*>;
  return *live;
}

writ_status StatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return WRIT_OK;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange: return WRIT_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound: return WRIT_NOT_FOUND;
    case absl::StatusCode::kAlreadyExists: return WRIT_ALREADY_EXISTS;
    case absl::StatusCode::kFailedPrecondition: return WRIT_FAILED_PRECONDITION;
    case absl::StatusCode::kResourceExhausted: return WRIT_RESOURCE_EXHAUSTED;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kDeadlineExceeded: return WRIT_UNAVAILABLE;
    case absl::StatusCode::kDataLoss: return WRIT_DATA_LOSS;
    case absl::StatusCode::kPermissionDenied: return WRIT_PERMISSION_DENIED;
    case absl::StatusCode::kUnauthenticated: return WRIT_UNAUTHENTICATED;
    default: return WRIT_INTERNAL;
  }
}

}  // namespace

writ_status Fail(writ_status status, std::string message) {
  last_error = std::move(message);
  return status;
}

writ_status Ok() {
  last_error.clear();
  return WRIT_OK;
}

writ_status FailWith(const absl::Status& status) {
  return Fail(StatusOf(status.code()), std::string(status.message()));
}

void Register(const void* handle) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Live().insert(handle);
}

void Unregister(const void* handle) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  Live().erase(handle);
}

bool IsRegistered(const void* handle) {
  std::lock_guard<std::mutex> lock(RegistryMutex());
  return Live().count(handle) > 0;
}

bool ValidBytes(const char* data, size_t len) { return data != nullptr || len == 0; }

std::string& ThreadScratch() { return scratch; }

bool LivePolicy(const writ_policy* policy) {
  if (policy == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "the policy is null"), false;
  if (!IsRegistered(policy) || policy->tag != kPolicyTag) {
    return Fail(WRIT_INVALID_ARGUMENT, "not a live policy handle (freed, or never made)"), false;
  }
  return true;
}

bool LiveRuntime(const writ_runtime* runtime) {
  if (runtime == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "the runtime is null"), false;
  if (!IsRegistered(runtime) || runtime->tag != kRuntimeTag) {
    return Fail(WRIT_INVALID_ARGUMENT, "not a live runtime handle (freed, or never made)"), false;
  }
  return true;
}

}  // namespace writ::embed

extern "C" {

const char* writ_last_error(void) noexcept { return writ::embed::last_error.c_str(); }

const char* writ_status_name(writ_status status) noexcept {
  switch (writ::embed::EnumValue(status)) {
    case WRIT_OK: return "ok";
    case WRIT_INVALID_ARGUMENT: return "invalid_argument";
    case WRIT_POLICY_ERROR: return "policy_error";
    case WRIT_NOT_FOUND: return "not_found";
    case WRIT_ALREADY_EXISTS: return "already_exists";
    case WRIT_FAILED_PRECONDITION: return "failed_precondition";
    case WRIT_RESOURCE_EXHAUSTED: return "resource_exhausted";
    case WRIT_UNAVAILABLE: return "unavailable";
    case WRIT_DATA_LOSS: return "data_loss";
    case WRIT_PERMISSION_DENIED: return "permission_denied";
    case WRIT_UNAUTHENTICATED: return "unauthenticated";
    case WRIT_INTERNAL: return "internal";
  }
  return "unknown";
}

int writ_abi_version(void) noexcept { return WRIT_ABI_VERSION; }

}  // extern "C"
