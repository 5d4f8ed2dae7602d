// Policies and decisions through the C ABI (include/writ/writ.h, "Policies", "Decisions").
#include <nlohmann/json.hpp>

#include <utility>

#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/verify.h"
#include "compiler/lower/lower.h"
#include "embed/internal/api.h"
#include "runtime/request.h"

namespace writ::embed {
namespace {

namespace audit = runtime::audit;
namespace credentials = runtime::credentials;
namespace store = runtime::store;

// Lowers and verifies a compilation that checked, and loads it for `engine`.
writ_status Finish(driver::Compilation& compilation, writ_engine engine, writ_policy** out) {
  if (compilation.diagnostics.has_errors() || compilation.program == nullptr) {
    diag::TextOptions text;
    text.color = false;
    return Fail(WRIT_POLICY_ERROR,
                diag::RenderText(compilation.sources, compilation.diagnostics.diagnostics(),
                                 text));
  }
  auto policy = std::make_unique<writ_policy>();
  policy->policy = std::make_unique<ir::Policy>(
      lower::Lower(compilation.sources, compilation.files, *compilation.program));
  if (absl::Status verified = ir::Verify(*policy->policy); !verified.ok()) {
    return Fail(WRIT_INTERNAL, "the decision IR does not verify (a bug in writ): " +
                                   std::string(verified.message()));
  }
  runtime::JitCompileOptions jit;
  jit.cache_dir = runtime::DefaultJitCacheDir();
  policy->engine = std::make_unique<runtime::PolicyEngine>(
      *policy->policy,
      engine == WRIT_ENGINE_INTERP ? runtime::Engine::kInterpreter : runtime::Engine::kJit,
      std::move(jit));
  for (const std::string& warning : policy->engine->warnings()) {
    policy->warnings += warning + "\n";
  }
  policy->evaluator = policy->engine->Make();
  Register(policy.get());
  *out = policy.release();
  return Ok();
}

bool ValidEngine(const writ_engine& engine) {
  const auto value = EnumValue(engine);
  return value == WRIT_ENGINE_JIT || value == WRIT_ENGINE_INTERP;
}

writ_status Decide(const writ_policy& policy, const runtime::Evaluator& evaluator, const char* json,
                   size_t json_len, writ_decision** out) {
  if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
  if (!ValidBytes(json, json_len)) return Fail(WRIT_INVALID_ARGUMENT, "json is null");
  auto decision = std::make_unique<writ_decision>();
  runtime::DecodeResult decoded = runtime::DecodeRequest(*policy.policy, Bytes(json, json_len));
  decision->decision = decoded.ok() ? evaluator.Evaluate(*decoded.request)
                                    : runtime::RequestErrorDecision(decoded.errors);
  decision->json = runtime::EncodeDecision(*policy.policy, decision->decision, -1);
  nlohmann::json parsed = nlohmann::json::parse(decision->json, nullptr, false);
  decision->obligations_json =
      parsed.is_object() && parsed.contains("obligations") ? parsed["obligations"].dump() : "{}";
  *out = decision.release();
  return Ok();
}

bool LiveDecision(const writ_decision* decision) {
  if (decision == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "the decision is null"), false;
  if (decision->tag != kDecisionTag) {
    return Fail(WRIT_INVALID_ARGUMENT, "not a live decision handle (freed, or never made)"),
           false;
  }
  return true;
}

}  // namespace
}  // namespace writ::embed

using namespace writ;         // NOLINT: the C entry points below are thin
using namespace writ::embed;  // NOLINT
namespace audit = writ::runtime::audit;
namespace credentials = writ::runtime::credentials;
namespace store = writ::runtime::store;

extern "C" {

writ_status writ_policy_compile(const writ_source* sources, size_t count, writ_engine engine,
                                writ_policy** out) noexcept {
  return Guard([&] {
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    if (sources == nullptr && count > 0) return Fail(WRIT_INVALID_ARGUMENT, "sources is null");
    if (!ValidEngine(engine)) return Fail(WRIT_INVALID_ARGUMENT, "unknown engine");
    std::vector<std::pair<std::string, std::string>> named;
    for (size_t i = 0; i < count; ++i) {
      if (sources[i].name == nullptr) {
        return Fail(WRIT_INVALID_ARGUMENT, "source " + std::to_string(i) + " has no name");
      }
      if (!ValidBytes(sources[i].text, sources[i].text_len)) {
        return Fail(WRIT_INVALID_ARGUMENT, "source " + std::to_string(i) + " has no text");
      }
      named.emplace_back(sources[i].name, std::string(Bytes(sources[i].text, sources[i].text_len)));
    }
    driver::Compilation compilation;
    driver::CompileSources(named, compilation);
    return Finish(compilation, engine, out);
  });
}

writ_status writ_policy_load(const char* const* paths, size_t count, writ_engine engine,
                             writ_policy** out) noexcept {
  return Guard([&] {
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    if (paths == nullptr || count == 0) return Fail(WRIT_INVALID_ARGUMENT, "no paths");
    if (!ValidEngine(engine)) return Fail(WRIT_INVALID_ARGUMENT, "unknown engine");
    std::vector<std::string> given;
    for (size_t i = 0; i < count; ++i) {
      if (paths[i] == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "a path is null");
      given.emplace_back(paths[i]);
    }
    absl::StatusOr<std::vector<std::string>> files = driver::FindPolicyFiles(given);
    if (!files.ok()) return FailWith(files.status());
    driver::Compilation compilation;
    if (absl::Status status = driver::Compile(*files, compilation); !status.ok()) {
      return FailWith(status);
    }
    return Finish(compilation, engine, out);
  });
}

void writ_policy_free(writ_policy* policy) noexcept {
  if (policy == nullptr || !IsRegistered(policy)) return;
  Unregister(policy);
  policy->tag = 0;
  delete policy;
}

writ_status writ_policy_engine(const writ_policy* policy, writ_engine* out) noexcept {
  return Guard([&] {
    if (!LivePolicy(policy)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    const bool native = policy->engine->engine() == runtime::Engine::kJit &&
                        policy->engine->warnings().empty();
    *out = native ? WRIT_ENGINE_JIT : WRIT_ENGINE_INTERP;
    return Ok();
  });
}

writ_status writ_policy_warnings(const writ_policy* policy, const char** out) noexcept {
  return Guard([&] {
    if (!LivePolicy(policy)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = policy->warnings.c_str();
    return Ok();
  });
}

writ_status writ_decide_json(const writ_policy* policy, const char* json, size_t json_len,
                             writ_decision** out) noexcept {
  return Guard([&] {
    if (!LivePolicy(policy)) return WRIT_INVALID_ARGUMENT;
    return Decide(*policy, *policy->evaluator, json, json_len, out);
  });
}

writ_status writ_decide_json_at(const writ_policy* policy, const char* json, size_t json_len,
                                int64_t now_ms, writ_decision** out) noexcept {
  return Guard([&] {
    if (!LivePolicy(policy)) return WRIT_INVALID_ARGUMENT;
    // An evaluator of its own, on a clock that stands still: evaluators are cheap to make, and
    // the policy's compiled code is shared.
    std::unique_ptr<runtime::Evaluator> at =
        policy->engine->Make(runtime::EngineOptions{.clock = [now_ms] { return now_ms; }});
    return Decide(*policy, *at, json, json_len, out);
  });
}

void writ_decision_free(writ_decision* decision) noexcept {
  if (decision == nullptr || decision->tag != kDecisionTag) return;
  decision->tag = 0;
  delete decision;
}

writ_status writ_decision_effect(const writ_decision* decision, writ_effect* out) noexcept {
  return Guard([&] {
    if (!LiveDecision(decision)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    switch (decision->decision.effect) {
      case runtime::DecisionEffect::kAllow: *out = WRIT_EFFECT_ALLOW; break;
      case runtime::DecisionEffect::kDeny: *out = WRIT_EFFECT_DENY; break;
      case runtime::DecisionEffect::kApprovalRequired: *out = WRIT_EFFECT_APPROVAL_REQUIRED; break;
    }
    return Ok();
  });
}

writ_status writ_decision_json(const writ_decision* decision, const char** out,
                               size_t* out_len) noexcept {
  return Guard([&] {
    if (!LiveDecision(decision)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = decision->json.c_str();
    if (out_len != nullptr) *out_len = decision->json.size();
    return Ok();
  });
}

writ_status writ_decision_reason_count(const writ_decision* decision, size_t* out) noexcept {
  return Guard([&] {
    if (!LiveDecision(decision)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = decision->decision.reasons.size();
    return Ok();
  });
}

writ_status writ_decision_reason(const writ_decision* decision, size_t index, const char** rule,
                                 const char** kind, const char** message) noexcept {
  return Guard([&] {
    if (!LiveDecision(decision)) return WRIT_INVALID_ARGUMENT;
    const std::vector<runtime::Reason>& reasons = decision->decision.reasons;
    if (index >= reasons.size()) {
      return Fail(WRIT_INVALID_ARGUMENT, "reason " + std::to_string(index) + " of " +
                                             std::to_string(reasons.size()));
    }
    if (rule != nullptr) *rule = reasons[index].rule.c_str();
    if (kind != nullptr) *kind = reasons[index].kind.c_str();
    if (message != nullptr) *message = reasons[index].message.c_str();
    return Ok();
  });
}

writ_status writ_decision_obligations_json(const writ_decision* decision,
                                           const char** out) noexcept {
  return Guard([&] {
    if (!LiveDecision(decision)) return WRIT_INVALID_ARGUMENT;
    if (out == nullptr) return Fail(WRIT_INVALID_ARGUMENT, "out is null");
    *out = decision->obligations_json.c_str();
    return Ok();
  });
}

}  // extern "C"
