// The C++ API: RAII wrappers over the C ABI of writ.h (docs/embedding.md, "C++"). Not a second
// implementation: every call goes through the same writ_* functions. Failures are returned as
// writ::Error values inside writ::Result, never thrown, so the wrappers work where exceptions
// are off.
#ifndef WRIT_WRIT_HPP_
#define WRIT_WRIT_HPP_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "writ/writ.h"

namespace writ::api {

// A failed call: its status and the library's message.
struct Error {
  writ_status status = WRIT_INTERNAL;
  std::string message;
};

// A value or the Error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}    // NOLINT
  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Error> state_;
};

// The last error of this thread, as an Error with `status`.
inline Error LastError(writ_status status) { return Error{status, writ_last_error()}; }

namespace internal {
template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const noexcept { Free(handle); }
};
}  // namespace internal

// One decision (writ_decision); movable, not copyable.
class Decision {
 public:
  writ_effect effect() const {
    writ_effect effect = WRIT_EFFECT_DENY;
    writ_decision_effect(handle_.get(), &effect);
    return effect;
  }
  bool allowed() const { return effect() == WRIT_EFFECT_ALLOW; }
  std::string_view json() const {
    const char* json = "";
    size_t len = 0;
    writ_decision_json(handle_.get(), &json, &len);
    return {json, len};
  }
  struct Reason {
    std::string_view rule, kind, message;
  };
  std::vector<Reason> reasons() const {
    size_t count = 0;
    writ_decision_reason_count(handle_.get(), &count);
    std::vector<Reason> out;
    for (size_t i = 0; i < count; ++i) {
      const char *rule = "", *kind = "", *message = "";
      writ_decision_reason(handle_.get(), i, &rule, &kind, &message);
      out.push_back({rule, kind, message});
    }
    return out;
  }
  std::string_view obligations_json() const {
    const char* json = "{}";
    writ_decision_obligations_json(handle_.get(), &json);
    return json;
  }

 private:
  friend class Policy;
  explicit Decision(writ_decision* handle) : handle_(handle) {}
  std::unique_ptr<writ_decision, internal::Deleter<writ_decision, writ_decision_free>> handle_;
};

// A compiled policy (writ_policy). Decide from any number of threads.
class Policy {
 public:
  struct Source {
    std::string name;
    std::string text;
  };

  static Result<Policy> Compile(const std::vector<Source>& sources,
                                writ_engine engine = WRIT_ENGINE_JIT) {
    std::vector<writ_source> c;
    c.reserve(sources.size());
    for (const Source& s : sources) c.push_back({s.name.c_str(), s.text.data(), s.text.size()});
    writ_policy* out = nullptr;
    if (writ_status s = writ_policy_compile(c.data(), c.size(), engine, &out); s != WRIT_OK) {
      return LastError(s);
    }
    return Policy(out);
  }

  static Result<Policy> Load(const std::vector<std::string>& paths,
                             writ_engine engine = WRIT_ENGINE_JIT) {
    std::vector<const char*> c;
    for (const std::string& path : paths) c.push_back(path.c_str());
    writ_policy* out = nullptr;
    if (writ_status s = writ_policy_load(c.data(), c.size(), engine, &out); s != WRIT_OK) {
      return LastError(s);
    }
    return Policy(out);
  }

  Result<Decision> Decide(std::string_view request_json) const {
    writ_decision* out = nullptr;
    if (writ_status s = writ_decide_json(handle_.get(), request_json.data(), request_json.size(),
                                         &out);
        s != WRIT_OK) {
      return LastError(s);
    }
    return Decision(out);
  }

  writ_engine engine() const {
    writ_engine engine = WRIT_ENGINE_INTERP;
    writ_policy_engine(handle_.get(), &engine);
    return engine;
  }
  std::string_view warnings() const {
    const char* text = "";
    writ_policy_warnings(handle_.get(), &text);
    return text;
  }
  const writ_policy* get() const { return handle_.get(); }

 private:
  explicit Policy(writ_policy* handle) : handle_(handle) {}
  std::unique_ptr<writ_policy, internal::Deleter<writ_policy, writ_policy_free>> handle_;
};

// A lease a step's grant minted.
struct Lease {
  std::string token;
  std::string credential;
};

// The outcome of a step (writ_step), copied out of the handle.
struct Step {
  writ_step_state state = WRIT_STEP_DENIED;
  writ_effect effect = WRIT_EFFECT_DENY;
  bool replayed = false;
  bool session_ended = false;
  std::string decision_json;
  std::string result_json;
  std::vector<Lease> leases;
};

struct Resumed {
  std::string state;
  int64_t position = 0;
};

// A session runtime over a policy and a SQLite store (writ_runtime). Thread-safe. The policy
// must outlive it.
class Runtime {
 public:
  static Result<Runtime> Open(const Policy& policy, const std::string& db_path,
                              const writ_runtime_options* options = nullptr) {
    writ_runtime* out = nullptr;
    if (writ_status s = writ_runtime_open(policy.get(), db_path.c_str(), options, &out);
        s != WRIT_OK) {
      return LastError(s);
    }
    return Runtime(out);
  }

  // True when the session started; false with the reason when a full pool refused or queued it.
  Result<std::pair<bool, std::string>> Spawn(const std::string& session,
                                             const std::string& agent_type,
                                             const std::string& agent_id, const std::string& task,
                                             std::string_view entities_json) {
    int spawned = 0;
    const char* reason = "";
    if (writ_status s = writ_spawn(handle_.get(), session.c_str(), agent_type.c_str(),
                                   agent_id.c_str(), task.c_str(), entities_json.data(),
                                   entities_json.size(), &spawned, &reason);
        s != WRIT_OK) {
      return LastError(s);
    }
    return std::make_pair(spawned != 0, std::string(reason));
  }

  Result<Step> Authorize(const std::string& session, const std::string& step,
                         const std::string& tool, std::string_view args_json) {
    writ_step* out = nullptr;
    const writ_status status = writ_authorize(handle_.get(), session.c_str(), step.c_str(), tool.c_str(),
                               args_json.data(), args_json.size(), &out);
    return Take(status, out);
  }
  Result<Step> Complete(const std::string& session, const std::string& step,
                        std::string_view result_json, int64_t tokens) {
    writ_step* out = nullptr;
    const writ_status status = writ_complete(handle_.get(), session.c_str(), step.c_str(), result_json.data(),
                              result_json.size(), tokens, &out);
    return Take(status, out);
  }
  Result<Step> Fail(const std::string& session, const std::string& step) {
    writ_step* out = nullptr;
    const writ_status status = writ_fail(handle_.get(), session.c_str(), step.c_str(), &out);
    return Take(status, out);
  }
  Result<Step> Approve(const std::string& session, const std::string& step,
                       const std::string& by) {
    writ_step* out = nullptr;
    const writ_status status = writ_approve(handle_.get(), session.c_str(), step.c_str(), by.c_str(), &out);
    return Take(status, out);
  }
  Result<Step> Reject(const std::string& session, const std::string& step,
                      const std::string& by) {
    writ_step* out = nullptr;
    const writ_status status = writ_reject(handle_.get(), session.c_str(), step.c_str(), by.c_str(), &out);
    return Take(status, out);
  }

  Result<int64_t> Checkpoint(const std::string& session, std::string_view state) {
    int64_t version = 0;
    if (writ_status s =
            writ_checkpoint(handle_.get(), session.c_str(), state.data(), state.size(), &version);
        s != WRIT_OK) {
      return LastError(s);
    }
    return version;
  }
  // The latest checkpoint (version 0) or the given one.
  Result<Resumed> Resume(const std::string& session, int64_t version = 0) {
    const void* state = nullptr;
    size_t len = 0;
    int64_t position = 0;
    if (writ_status s =
            writ_resume(handle_.get(), session.c_str(), version, &state, &len, &position);
        s != WRIT_OK) {
      return LastError(s);
    }
    return Resumed{std::string(static_cast<const char*>(state), len), position};
  }
  // The terminal report (JSON).
  Result<std::string> Terminate(const std::string& session, const std::string& reason) {
    const char* report = "";
    if (writ_status s = writ_terminate(handle_.get(), session.c_str(), reason.c_str(), &report);
        s != WRIT_OK) {
      return LastError(s);
    }
    return std::string(report);
  }

  // Whether the store says the lease is valid now; the reason when it is not.
  Result<std::pair<bool, std::string>> VerifyLease(std::string_view token) {
    int valid = 0;
    if (writ_status s = writ_runtime_verify_lease(handle_.get(), token.data(), token.size(),
                                                  &valid);
        s != WRIT_OK) {
      return LastError(s);
    }
    return std::make_pair(valid != 0, std::string(writ_last_error()));
  }
  // Whether the audit log verifies; the first bad position and what happened there when not.
  Result<std::pair<bool, std::string>> VerifyAudit() {
    int ok = 0;
    uint64_t position = 0;
    if (writ_status s = writ_runtime_verify_audit(handle_.get(), &ok, &position); s != WRIT_OK) {
      return LastError(s);
    }
    return std::make_pair(ok != 0, std::string(writ_last_error()));
  }
  std::vector<uint8_t> LeasePublicKey() const {
    std::vector<uint8_t> key(32);
    writ_runtime_lease_public_key(handle_.get(), key.data());
    return key;
  }
  std::vector<uint8_t> AuditPublicKey() const {
    std::vector<uint8_t> key(32);
    writ_runtime_audit_public_key(handle_.get(), key.data());
    return key;
  }

 private:
  explicit Runtime(writ_runtime* handle) : handle_(handle) {}

  static Result<Step> Take(writ_status status, writ_step* raw) {
    if (status != WRIT_OK) return LastError(status);
    std::unique_ptr<writ_step, internal::Deleter<writ_step, writ_step_free>> step(raw);
    Step out;
    writ_step_state_of(raw, &out.state);
    writ_step_effect(raw, &out.effect);
    int flag = 0;
    writ_step_replayed(raw, &flag);
    out.replayed = flag != 0;
    writ_step_session_ended(raw, &flag);
    out.session_ended = flag != 0;
    const char* text = "";
    writ_step_decision_json(raw, &text);
    out.decision_json = text;
    writ_step_result_json(raw, &text);
    out.result_json = text;
    size_t count = 0;
    writ_step_lease_count(raw, &count);
    for (size_t i = 0; i < count; ++i) {
      const char *token = "", *credential = "";
      writ_step_lease(raw, i, &token, &credential);
      out.leases.push_back({token, credential});
    }
    return out;
  }

  std::unique_ptr<writ_runtime, internal::Deleter<writ_runtime, writ_runtime_free>> handle_;
};

}  // namespace writ::api

#endif  // WRIT_WRIT_HPP_
