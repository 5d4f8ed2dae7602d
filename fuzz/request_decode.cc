// Fuzz target request_decode: a policy selector byte, then a request's JSON, decoded against
// that corpus policy. Decoding never fails to answer: either a request whose indexes all point
// into its entities, or between one and max_errors errors, each with a `request.` code and a
// JSON path. A request that decodes also decodes the session runtime's way, as a world (its
// entities and principal) and a call (its tool, phase, arguments and result).
#include <nlohmann/json.hpp>

#include "fuzz/corpus.h"
#include "fuzz/fuzz.h"
#include "runtime/decision.h"
#include "runtime/request.h"

namespace writ::fuzz {
namespace {

using Json = nlohmann::json;

void CheckRequest(const runtime::Request& request, std::string_view json) {
  const size_t entities = request.entities.size();
  WRIT_FUZZ_CHECK(request.principal < entities, json);
  for (const runtime::Entity& entity : request.entities) {
    WRIT_FUZZ_CHECK(!entity.acts_for || *entity.acts_for < entities, json);
    for (uint32_t parent : entity.parents) WRIT_FUZZ_CHECK(parent < entities, json);
  }
  for (const auto& [key, index] : request.index) WRIT_FUZZ_CHECK(index < entities, json);
}

void CheckErrors(const runtime::DecodeResult& decoded, const runtime::RequestLimits& limits,
                 std::string_view json) {
  WRIT_FUZZ_CHECK(decoded.ok() == decoded.errors.empty(), json);
  if (decoded.ok()) {
    CheckRequest(*decoded.request, json);
    return;
  }
  WRIT_FUZZ_CHECK(decoded.errors.size() <= std::max<size_t>(limits.max_errors, 1), json);
  for (const runtime::RequestError& error : decoded.errors) {
    WRIT_FUZZ_CHECK(error.code.starts_with("request."), Cat(error.code, "\n", json));
    WRIT_FUZZ_CHECK(error.path.starts_with("$"), Cat(error.path, "\n", json));
  }
}

void RunRequestDecode(std::string_view input) {
  const auto [policy, json] = SplitInput(input);
  runtime::RequestLimits limits;
  const runtime::DecodeResult decoded = runtime::DecodeRequest(*policy, json, limits);
  CheckErrors(decoded, limits, json);
  runtime::EncodeDecision(*policy, runtime::RequestErrorDecision(decoded.errors), -1);

  // The same request as the session runtime decodes it.
  const Json document = Json::parse(json, nullptr, false);
  if (!document.is_object() || !document.contains("principal") ||
      !document["principal"].is_object()) {
    return;
  }
  const Json& principal = document["principal"];
  const runtime::DecodeResult world = runtime::DecodeWorld(
      *policy, document.value("entities", Json::array()).dump(),
      principal.value("type", Json("")).is_string() ? principal.value("type", "") : "",
      principal.value("id", Json("")).is_string() ? principal.value("id", "") : "", limits);
  CheckErrors(world, limits, json);
  if (decoded.ok()) WRIT_FUZZ_CHECK(world.ok(), json);
  if (!world.ok() || !document.value("tool", Json()).is_string()) return;
  const ir::ToolId tool = ir::FindTool(*policy, document["tool"].get<std::string>());
  if (!tool.valid()) return;
  const ir::Phase phase =
      document.value("phase", Json("call")) == "result" ? ir::Phase::kResult : ir::Phase::kCall;
  std::optional<std::string> result;
  if (phase == ir::Phase::kResult && policy->tool(tool).result) {
    result = document.value("result", Json()).dump();
  }
  const runtime::DecodeResult call = runtime::DecodeCall(
      *policy, *world.request, tool, phase, document.value("args", Json::object()).dump(),
      result, limits);
  CheckErrors(call, limits, json);
  if (decoded.ok()) WRIT_FUZZ_CHECK(call.ok(), json);
}

std::vector<std::string> RequestSeeds() {
  std::vector<std::string> seeds;
  for (const CorpusRequest& request : CorpusRequests()) seeds.push_back(JoinInput(request));
  return seeds;
}

WRIT_FUZZ_TARGET("request_decode", RunRequestDecode, RequestSeeds);

}  // namespace
}  // namespace writ::fuzz
