// `writ audit verify`: reads the whole log once, in one read of the store, and checks it against
// every signed tree head (the store's and those given with --tree-head) and against the head the
// store's writer keeps beside the rows.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/tree_head.h"
#include "runtime/audit/verifier.h"
#include "runtime/store/store.h"
#include "runtime/store/verify_log.h"
#include "tools/audit_command.h"
#include "tools/audit_keys.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"
#include "tools/stores.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace audit = runtime::audit;
namespace store = runtime::store;

// A tree head file: the 113 bytes EncodeTreeHead writes, or their 226 hex digits.
absl::StatusOr<audit::SignedTreeHead> ReadTreeHeadFile(const std::string& path) {
  absl::StatusOr<Input> input = ReadInput(path, 4096);
  if (!input.ok()) return input.status();
  std::string bytes = input->text;
  const size_t end = bytes.find_last_not_of(" \t\r\n");
  const std::string trimmed = end == std::string::npos ? "" : bytes.substr(0, end + 1);
  if (trimmed.size() == 2 * audit::kTreeHeadBytes) {
    if (std::optional<std::string> decoded = audit::BytesFromHex(trimmed)) bytes = *decoded;
  }
  absl::StatusOr<audit::SignedTreeHead> head = audit::DecodeTreeHead(bytes);
  if (!head.ok()) {
    return absl::InvalidArgumentError(fmt::format(
        "{}: not a tree head (expected what `writ audit head --out` writes)", path));
  }
  return head;
}

struct Inputs {
  std::vector<audit::PublicKey> keys;
  bool keys_from_store = false;
  std::vector<audit::SignedTreeHead> heads;
  size_t heads_checked_against = 0;  // the store's and those given
};

absl::StatusOr<Inputs> ReadInputs(const AuditOptions& options) {
  Inputs in;
  for (const std::string& key : options.public_keys) {
    absl::StatusOr<audit::PublicKey> parsed = ReadPublicKey(key);
    if (!parsed.ok()) return parsed.status();
    in.keys.push_back(*parsed);
  }
  for (const std::string& path : options.tree_heads) {
    absl::StatusOr<audit::SignedTreeHead> head = ReadTreeHeadFile(path);
    if (!head.ok()) return head.status();
    in.heads.push_back(*head);
  }
  return in;
}

Json ResultJson(const audit::VerifyResult& result, const Inputs& in) {
  Json keys = Json::array();
  for (const audit::PublicKey& key : in.keys) keys.push_back(audit::ToHex(key));
  return {{"ok", result.ok()},
          {"problem", audit::Spelling(result.problem)},
          {"position", result.ok() ? Json() : Json(result.position)},
          {"tree_head", result.tree_head ? Json(*result.tree_head) : Json()},
          {"message", result.message},
          {"events_checked", result.events_checked},
          {"tree_heads", in.heads_checked_against},
          {"tree_heads_checked", result.tree_heads_checked},
          {"keys", std::move(keys)},
          {"keys_from", in.keys_from_store ? "store" : "command line"}};
}

}  // namespace

int RunAuditVerify(const AuditOptions& options) {
  absl::StatusOr<Inputs> inputs = ReadInputs(options);
  if (!inputs.ok()) {
    PrintError(inputs.status());
    return kExitUsage;
  }
  Inputs& in = *inputs;
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::optional<audit::VerifyResult> result;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<store::LogCheck> check = store::VerifyStoredLog(tx, in.keys, in.heads);
    if (!check.ok()) return check.status();
    result = std::move(check->result);
    in.keys = std::move(check->keys);
    in.keys_from_store = check->keys_from_store;
    in.heads_checked_against = check->tree_heads;
    return absl::OkStatus();
  });
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  if (in.keys_from_store && !options.json) {
    PrintStatus(
        "note: the tree heads were checked with the keys stored in the same database; pass "
        "--public-key to check them against a key kept elsewhere",
        ColorMode::kNever);
  }
  std::string out;
  if (options.json) {
    out = ResultJson(*result, in).dump(2) + "\n";
  } else if (result->ok()) {
    out = fmt::format("ok: {}\n", result->message);
  } else {
    out = fmt::format("{} at {}: {}\n", audit::Spelling(result->problem), result->position,
                      result->message);
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return result->ok() ? kExitOk : kExitFindings;
}

}  // namespace writ::cli
