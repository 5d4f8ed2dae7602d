// The session runtime through the C ABI (include/writ/writ.h, "The session runtime"): each entry
// point checks its arguments, calls SessionRuntime and maps its status; steps are copied out as
// writ_step handles the caller owns.
#include <algorithm>
#include <cstring>
#include <utility>

#include "embed/internal/api.h"
#include "runtime/audit/keys.h"
#include "runtime/credentials/verify.h"
#include "runtime/store/sqlite_store.h"
#include "runtime/store/verify_log.h"

namespace writ::embed {
namespace {

namespace audit = runtime::audit;
namespace credentials = runtime::credentials;
namespace store = runtime::store;

bool LiveStep(const writ_step* step) {
  if (step == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "the step is null"), false;
  if (step->tag != kStepTag) {
    return Fail(WRIT_INVALID_ARGUMENT, "not a live step handle (freed, or never made)"), false;
  }
  return true;
}

// Checks that each named argument is a non-null NUL-terminated string.
bool Strings(std::initializer_list<std::pair<const char*, const char*>> named) {
  for (const auto& [name, value] : named) {
    if (value == nullptr) return Fail(WRIT_INVALID_ARGUMENT, std::string(name) + " is null"), false;
  }
  return true;
}

// Hands a step result to the caller.
writ_status Step(absl::StatusOr<runtime::StepResult> result, writ_step** out) {
  if (!result.ok()) return FailWith(result.status());
  auto step = std::make_unique<writ_step>();
  step->result = *std::move(result);
  *out = step.release();
  return Ok();
}

std::optional<audit::SecretKey> Key(const char* hex, const char* what, writ_status& status) {
  if (hex == nullptr) return std::nullopt;
  std::optional<audit::SecretKey> key = audit::SecretKeyFromHex(hex);
  if (!key) {
    status = Fail(WRIT_INVALID_ARGUMENT,
                  std::string(what) + " is not 128 hex digits (what `writ run --" + what +
                      "` writes)");
  }
  return key;
}

writ_effect EffectOf(runtime::DecisionEffect effect) {
  switch (effect) {
    case runtime::DecisionEffect::kAllow: return WRIT_EFFECT_ALLOW;
    case runtime::DecisionEffect::kApprovalRequired: return WRIT_EFFECT_APPROVAL_REQUIRED;
    case runtime::DecisionEffect::kDeny: break;
  }
  return WRIT_EFFECT_DENY;
}

}  // namespace
}  // namespace writ::embed

using namespace writ;         // NOLINT: the C entry points below are thin
using namespace writ::embed;  // NOLINT
namespace audit = writ::runtime::audit;
namespace credentials = writ::runtime::credentials;
namespace store = writ::runtime::store;

extern "C" {

writ_status writ_runtime_open(const writ_policy* policy, const char* db_path,
                              const writ_runtime_options* options,
                              writ_runtime** out) noexcept {
  return Guard([&] {
    if (!LivePolicy(policy)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"db_path", db_path}})) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    writ_runtime_options defaults{};
    const writ_runtime_options& o = options != nullptr ? *options : defaults;
    writ_status status = WRIT_OK;
    std::optional<audit::SecretKey> audit_key = Key(o.audit_key_hex, "audit-key", status);
    if (status != WRIT_OK) return status;
    std::optional<audit::SecretKey> lease_key = Key(o.lease_key_hex, "lease-key", status);
    if (status != WRIT_OK) return status;
    store::SqliteOptions sqlite;
    sqlite.synchronous_full = o.relaxed_durability == 0;
    absl::StatusOr<std::unique_ptr<store::Store>> opened = store::OpenSqliteStore(db_path, sqlite);
    if (!opened.ok()) return FailWith(opened.status());
    auto handle = std::make_unique<writ_runtime>();
    handle->policy = policy;
    handle->store = std::move(*opened);
    handle->evaluator = policy->engine->Make();
    runtime::SessionRuntimeOptions runtime_options;
    runtime_options.audit.signing_key = audit_key;
    runtime_options.audit.digest_payloads = o.digest_payloads != 0;
    runtime_options.credentials.signing_key = lease_key;
    handle->runtime = std::make_unique<runtime::SessionRuntime>(
        *policy->policy, *handle->evaluator, *handle->store, std::move(runtime_options));
    Register(handle.get());
    *out = handle.release();
    return Ok();
  });
}

void writ_runtime_free(writ_runtime* runtime) noexcept {
  if (runtime == nullptr || !IsRegistered(runtime)) return;
  Unregister(runtime);
  runtime->tag = 0;
  delete runtime;
}

writ_status writ_spawn(writ_runtime* runtime, const char* session_z, const char* agent_type_z,
                       const char* agent_id_z, const char* task_z, const char* entities_json,
                       size_t entities_len, int* spawned, const char** reason) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"agent_type", agent_type_z}, {"agent_id", agent_id_z},
                  {"task", task_z}})) {
      return WRIT_INVALID_ARGUMENT;
    }
    if (!ValidBytes(entities_json, entities_len)) {
      return Fail(WRIT_INVALID_ARGUMENT, "entities_json is null");
    }
    absl::StatusOr<runtime::SpawnResult> result = runtime->runtime->Spawn(
        {session_z, agent_type_z, agent_id_z, task_z,
         std::string(Bytes(entities_json, entities_len))});
    if (!result.ok()) return FailWith(result.status());
    if (spawned != nullptr) *spawned = result->spawned ? 1 : 0;
    ThreadScratch() = result->reason;
    if (reason != nullptr) *reason = ThreadScratch().c_str();
    return Ok();
  });
}

writ_status writ_authorize(writ_runtime* runtime, const char* session_z, const char* step_z,
                           const char* tool_z, const char* args_json, size_t args_len,
                           writ_step** out) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"step", step_z}, {"tool", tool_z}})) {
      return WRIT_INVALID_ARGUMENT;
    }
    if (!ValidBytes(args_json, args_len)) return Fail(WRIT_INVALID_ARGUMENT, "args_json is null");
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    return Step(runtime->runtime->Authorize(session_z, step_z, tool_z, Bytes(args_json, args_len)),
                out);
  });
}

writ_status writ_complete(writ_runtime* runtime, const char* session_z, const char* step_z,
                          const char* result_json, size_t result_len, int64_t tokens,
                          writ_step** out) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"step", step_z}})) return WRIT_INVALID_ARGUMENT;
    if (!ValidBytes(result_json, result_len)) {
      return Fail(WRIT_INVALID_ARGUMENT, "result_json is null");
    }
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    return Step(runtime->runtime->Complete(session_z, step_z, Bytes(result_json, result_len),
                                           tokens),
                out);
  });
}

writ_status writ_fail(writ_runtime* runtime, const char* session_z, const char* step_z,
                      writ_step** out) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"step", step_z}})) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    return Step(runtime->runtime->Fail(session_z, step_z), out);
  });
}

writ_status writ_approve(writ_runtime* runtime, const char* session_z, const char* step_z,
                         const char* by_z, writ_step** out) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"step", step_z}, {"by", by_z}})) {
      return WRIT_INVALID_ARGUMENT;
    }
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    return Step(runtime->runtime->Approve(session_z, step_z, by_z), out);
  });
}

writ_status writ_reject(writ_runtime* runtime, const char* session_z, const char* step_z,
                        const char* by_z, writ_step** out) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"step", step_z}, {"by", by_z}})) {
      return WRIT_INVALID_ARGUMENT;
    }
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    return Step(runtime->runtime->Reject(session_z, step_z, by_z), out);
  });
}

void writ_step_free(writ_step* step) noexcept {
  if (step == nullptr || step->tag != kStepTag) return;
  step->tag = 0;
  delete step;
}

writ_status writ_step_state_of(const writ_step* step, writ_step_state* out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    switch (step->result.state) {
      case store::StepState::kDenied: *out = WRIT_STEP_DENIED; break;
      case store::StepState::kPending: *out = WRIT_STEP_PENDING; break;
      case store::StepState::kAllowed: *out = WRIT_STEP_ALLOWED; break;
      case store::StepState::kCompleted: *out = WRIT_STEP_COMPLETED; break;
      case store::StepState::kFailed: *out = WRIT_STEP_FAILED; break;
    }
    return Ok();
  });
}

writ_status writ_step_effect(const writ_step* step, writ_effect* out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = EffectOf(step->result.effect);
    return Ok();
  });
}

writ_status writ_step_replayed(const writ_step* step, int* out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = step->result.replayed ? 1 : 0;
    return Ok();
  });
}

writ_status writ_step_session_ended(const writ_step* step, int* out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = step->result.session_ended ? 1 : 0;
    return Ok();
  });
}

writ_status writ_step_decision_json(const writ_step* step, const char** out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = step->result.decision_json.c_str();
    return Ok();
  });
}

writ_status writ_step_result_json(const writ_step* step, const char** out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = step->result.result_json.c_str();
    return Ok();
  });
}

writ_status writ_step_lease_count(const writ_step* step, size_t* out) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = step->result.leases.size();
    return Ok();
  });
}

writ_status writ_step_lease(const writ_step* step, size_t index, const char** token,
                            const char** credential) noexcept {
  return Guard([&] {
    if (!LiveStep(step)) return WRIT_INVALID_ARGUMENT;
    if (index >= step->result.leases.size()) {
      return Fail(WRIT_INVALID_ARGUMENT, "lease " + std::to_string(index) + " of " +
                                             std::to_string(step->result.leases.size()));
    }
    if (token != nullptr) *token = step->result.leases[index].token.c_str();
    if (credential != nullptr) *credential = step->result.leases[index].claims.credential.c_str();
    return Ok();
  });
}

writ_status writ_checkpoint(writ_runtime* runtime, const char* session_z, const void* state,
                            size_t state_len, int64_t* version) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}})) return WRIT_INVALID_ARGUMENT;
    if (state == nullptr && state_len != 0) return Fail(WRIT_INVALID_ARGUMENT, "state is null");
    absl::StatusOr<int64_t> stored = runtime->runtime->Checkpoint(
        session_z, Bytes(static_cast<const char*>(state), state_len));
    if (!stored.ok()) return FailWith(stored.status());
    if (version != nullptr) *version = *stored;
    return Ok();
  });
}

writ_status writ_resume(writ_runtime* runtime, const char* session_z, int64_t version,
                        const void** state, size_t* state_len, int64_t* position) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}})) return WRIT_INVALID_ARGUMENT;
    if (version < 0) return Fail(WRIT_INVALID_ARGUMENT, "version must be 0 (latest) or more");
    absl::StatusOr<runtime::ResumePoint> point = runtime->runtime->Resume(
        session_z, version == 0 ? std::nullopt : std::optional<int64_t>(version));
    if (!point.ok()) return FailWith(point.status());
    ThreadScratch() = std::move(point->state);
    if (state != nullptr) *state = ThreadScratch().data();
    if (state_len != nullptr) *state_len = ThreadScratch().size();
    if (position != nullptr) *position = point->position;
    return Ok();
  });
}

writ_status writ_terminate(writ_runtime* runtime, const char* session_z, const char* reason_z,
                           const char** report) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!Strings({{"session", session_z}, {"reason", reason_z}})) return WRIT_INVALID_ARGUMENT;
    absl::StatusOr<std::string> ended = runtime->runtime->Terminate(session_z, reason_z);
    if (!ended.ok()) return FailWith(ended.status());
    ThreadScratch() = *std::move(ended);
    if (report != nullptr) *report = ThreadScratch().c_str();
    return Ok();
  });
}

writ_status writ_runtime_audit_public_key(const writ_runtime* runtime, uint8_t out[32]) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    const audit::PublicKey& key = runtime->runtime->audit_public_key();
    std::copy(key.begin(), key.end(), out);
    return Ok();
  });
}

writ_status writ_runtime_lease_public_key(const writ_runtime* runtime, uint8_t out[32]) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    const credentials::PublicKey& key = runtime->runtime->lease_public_key();
    std::copy(key.begin(), key.end(), out);
    return Ok();
  });
}

writ_status writ_runtime_verify_lease(writ_runtime* runtime, const char* token, size_t token_len,
                                      int* valid) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (!ValidBytes(token, token_len)) return Fail(WRIT_INVALID_ARGUMENT, "token is null");
    if (valid == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "valid is null");
    absl::StatusOr<credentials::LeaseClaims> claims =
        runtime->runtime->VerifyLease(Bytes(token, token_len));
    if (credentials::LeaseErrorOf(claims.status()) == credentials::LeaseError::kInternal &&
        !claims.ok()) {
      return FailWith(claims.status());
    }
    *valid = claims.ok() ? 1 : 0;
    // An invalid lease is an answer, not a failure of the call: WRIT_OK, with the reason.
    return claims.ok() ? Ok() : Fail(WRIT_OK, std::string(claims.status().message()));
  });
}

writ_status writ_runtime_verify_audit(writ_runtime* runtime, int* ok,
                                      uint64_t* position) noexcept {
  return Guard([&] {
    if (!LiveRuntime(runtime)) return WRIT_INVALID_ARGUMENT;
    if (ok == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "ok is null");
    std::optional<audit::VerifyResult> result;
    absl::Status status = runtime->store->Transact([&](store::Transaction& tx) -> absl::Status {
      absl::StatusOr<store::LogCheck> check = store::VerifyStoredLog(tx, {});
      if (!check.ok()) return check.status();
      result = std::move(check->result);
      return absl::OkStatus();
    });
    if (!status.ok()) return FailWith(status);
    *ok = result->ok() ? 1 : 0;
    if (position != nullptr) *position = result->ok() ? 0 : result->position;
    if (result->ok()) return Ok();
    return Fail(WRIT_OK, std::string(audit::Spelling(result->problem)) + " at " +
                             std::to_string(result->position) + ": " + result->message);
  });
}

}  // extern "C"
