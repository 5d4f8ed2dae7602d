// The request decoder behind DecodeRequest, shared by its two files: request.cc decodes the
// request document (tool, phase, principal, entities, args and result, values by type) and
// internal/request_session.cc the runtime's `session` facts and `counters`. Every problem is
// reported as a RequestError with its JSON path; nothing here throws on bad input.
#ifndef WRIT_RUNTIME_INTERNAL_REQUEST_DECODE_H_
#define WRIT_RUNTIME_INTERNAL_REQUEST_DECODE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/ir/policy.h"
#include "runtime/request.h"
#include "runtime/value.h"

namespace writ::runtime::internal {

using Json = nlohmann::json;

// A short description of a JSON value for messages: "the number 12000", "an object".
std::string Describe(const Json& json);
// The JSON path of the member `name` of `path`: `$.args.amount`, or `$.args["a b"]` where the
// name is not an identifier.
std::string Member(const std::string& path, std::string_view name);
// The JSON path of an array element: `$.entities[3]`.
std::string Index(const std::string& path, size_t index);

// Decodes one request against one policy; use once.
class Decoder {
 public:
  Decoder(const ir::Policy& policy, const RequestLimits& limits);

  // Decodes `text`: a request exactly when no error was found, else up to limits.max_errors
  // errors.
  DecodeResult Run(std::string_view text);
  // The session runtime's two parts (request_world.cc): a session's world decoded once, and a
  // call's arguments and result decoded into a copy of it.
  DecodeResult RunWorld(std::string_view entities_json, std::string_view agent_type,
                        std::string_view agent_id);
  DecodeResult RunCall(const Request& world, ir::ToolId tool, ir::Phase phase,
                       std::string_view args_json, std::optional<std::string_view> result_json);

 private:
  // ---- errors and JSON shapes (request.cc) --------------------------------------------------
  // Records an error unless limits.max_errors have been recorded already.
  void Error(const std::string& path, std::string_view code, std::string message);
  bool Full() const { return errors_.size() >= std::max<size_t>(1, limits_.max_errors); }
  // A result with the errors recorded so far and no request.
  DecodeResult Failed();
  // Reports `request.missing` for the member `name` of `path`.
  void Missing(const std::string& path, std::string_view name);
  // Reports fields of `object` for which `known` is false; false if there were any.
  bool RejectUnknown(const Json& object, const std::string& path,
                     const std::function<bool(std::string_view)>& known);
  bool RejectUnknown(const Json& object, const std::string& path,
                     std::initializer_list<std::string_view> allowed);
  // The member `name` of `object`; reports `request.missing` and returns null if absent.
  const Json* Require(const Json& object, const std::string& path, std::string_view name);
  // Whether `json` is an object; reports `request.type` if not.
  bool ExpectObject(const Json& json, const std::string& path);

  // Parses `text` as the JSON at `path` within the size and depth limits; discarded on error.
  Json ParseWithin(std::string_view text, const std::string& path);

  // ---- values (request.cc) ------------------------------------------------------------------
  std::optional<std::string> DecodeString(const Json& json, const std::string& path);
  std::optional<int64_t> DecodeInt(const Json& json, const std::string& path);
  std::optional<Value> DecodeValue(ir::TypeId type, const Json& json, const std::string& path);
  std::optional<Value> DecodeRecord(const ir::TypeData& type, const Json& json,
                                    const std::string& path);
  // Decodes the members of `object` that `fields` (ir::Field or ir::Attribute) declare into
  // `out`, aligned with `fields`; false if one is missing or invalid.
  template <typename Declared>
  bool DecodeFields(std::span<const Declared> fields, const Json& object, const std::string& path,
                    std::vector<Value>& out);
  // An entity reference {type, id}; `allowed` empty means any entity type.
  std::optional<Value> DecodeEntityRef(std::span<const ir::EntityTypeId> allowed, const Json& json,
                                       const std::string& path);

  // ---- the request document (request.cc) ---------------------------------------------------
  void DecodeEntities(const Json& json, const std::string& path);
  void CheckCycles();

  // ---- what the runtime counted (request_session.cc) ----------------------------------------
  void DecodeSession(const Json& json, const std::string& path);
  void DecodeCounters(const Json& json, const std::string& path);

  const ir::Policy& policy_;
  const RequestLimits& limits_;
  std::map<std::string, uint32_t, std::less<>> entity_types_;
  std::vector<RequestError> errors_;
  Request request_;
  bool index_ready_ = false;  // entity references can be resolved
};

}  // namespace writ::runtime::internal

#endif  // WRIT_RUNTIME_INTERNAL_REQUEST_DECODE_H_
