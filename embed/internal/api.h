// What the C ABI's implementation files share (docs/embedding.md, "Inside"): the handle
// structs, the thread's last error, the status of an absl::Status, the registry that tells a
// live handle from a freed one, and Guard, which keeps every exception inside the library.
#ifndef WRIT_EMBED_INTERNAL_API_H_
#define WRIT_EMBED_INTERNAL_API_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "compiler/ir/policy.h"
#include "writ/writ.h"
#include "runtime/decision.h"
#include "runtime/evaluator.h"
#include "runtime/jit/engine.h"
#include "runtime/session/session_runtime.h"
#include "runtime/store/store.h"

namespace writ::embed {

// Tags at the start of every handle: a handle whose tag is wrong was freed (the tag is cleared
// first) or is not a Writ handle at all. Policies and runtimes are also in the registry, which
// never reads their memory, so a freed one is caught reliably; decisions and steps, made per
// call, rely on the tag alone (a best effort, as docs/embedding.md says).
inline constexpr uint32_t kPolicyTag = 0x57504f4c;    // "WPOL"
inline constexpr uint32_t kDecisionTag = 0x57444543;  // "WDEC"
inline constexpr uint32_t kRuntimeTag = 0x5752554e;   // "WRUN"
inline constexpr uint32_t kStepTag = 0x57535450;      // "WSTP"

// The value a C caller passed for an enum parameter. C lets any int through, and C++ must not
// read one outside the enum's range as the enum (undefined behaviour), so its bytes are read.
template <typename Enum>
std::underlying_type_t<Enum> EnumValue(const Enum& value) {
  std::underlying_type_t<Enum> out;
  std::memcpy(&out, &value, sizeof out);
  return out;
}

// Sets the calling thread's last error and returns `status`.
writ_status Fail(writ_status status, std::string message);
// Clears the last error; returns WRIT_OK.
writ_status Ok();
// The writ_status of a failed absl::Status, with its message as the last error.
writ_status FailWith(const absl::Status& status);

// Live policies and runtimes, by address.
void Register(const void* handle);
void Unregister(const void* handle);
bool IsRegistered(const void* handle);

// Runs `body` (which returns a writ_status); an exception escaping it (an allocation failure)
// becomes WRIT_INTERNAL or WRIT_RESOURCE_EXHAUSTED instead of crossing the C boundary.
template <typename Body>
writ_status Guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(WRIT_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return Fail(WRIT_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(WRIT_INTERNAL, "internal error");
  }
}

// A string argument given as pointer and length: null with a length is invalid.
bool ValidBytes(const char* data, size_t len);
inline std::string_view Bytes(const char* data, size_t len) {
  return data == nullptr ? std::string_view() : std::string_view(data, len);
}

// Scratch space a function returns strings from, valid until the thread's next call.
std::string& ThreadScratch();

}  // namespace writ::embed

struct writ_policy {
  uint32_t tag = writ::embed::kPolicyTag;
  std::unique_ptr<writ::ir::Policy> policy;
  std::unique_ptr<writ::runtime::PolicyEngine> engine;
  std::unique_ptr<writ::runtime::Evaluator> evaluator;
  std::string warnings;
};

struct writ_decision {
  uint32_t tag = writ::embed::kDecisionTag;
  writ::runtime::Decision decision;
  std::string json;
  std::string obligations_json;
};

struct writ_runtime {
  uint32_t tag = writ::embed::kRuntimeTag;
  const writ_policy* policy = nullptr;
  std::unique_ptr<writ::runtime::store::Store> store;
  std::unique_ptr<writ::runtime::Evaluator> evaluator;
  std::unique_ptr<writ::runtime::SessionRuntime> runtime;
};

struct writ_step {
  uint32_t tag = writ::embed::kStepTag;
  writ::runtime::StepResult result;
};

namespace writ::embed {

// Whether `policy` is a live policy handle; sets the last error when not.
bool LivePolicy(const writ_policy* policy);
bool LiveRuntime(const writ_runtime* runtime);

}  // namespace writ::embed

#endif  // WRIT_EMBED_INTERNAL_API_H_
