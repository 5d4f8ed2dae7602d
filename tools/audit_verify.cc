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

constexpr size_t kChunk = 4096;

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
  size_t stored_heads = 0;
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

void Compare(const store::AuditHead& stored, audit::VerifyResult& result) {
  if (stored.size > result.events_checked) {
    result.problem = audit::Problem::kTruncated;
    result.position = result.events_checked;
    result.message = fmt::format(
        "the log ends after {} events but the store's head says {}: events were deleted",
        result.events_checked, stored.size);
  } else if (stored.size < result.events_checked) {
    result.problem = audit::Problem::kInserted;
    result.position = stored.size;
    result.message = fmt::format(
        "the store's head says {} events but the log holds {}: events from position {} on were "
        "added behind the writer's back",
        stored.size, result.events_checked, stored.size);
  } else if (stored.chain != result.chain || stored.root != result.root) {
    result.problem = audit::Problem::kTreeHeadMismatch;
    result.position = result.covered;
    result.message = fmt::format(
        "the events do not have the chain head and root the store's writer recorded: the log was "
        "rewritten at or after position {}",
        result.covered);
  }
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
          {"tree_heads", in.heads.size()},
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
    absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
    if (!heads.ok()) {
      // A stored head that does not decode is tampering too.
      result = audit::VerifyResult{.problem = audit::Problem::kBadTreeHead,
                                   .message = std::string(heads.status().message())};
      return absl::OkStatus();
    }
    in.stored_heads = heads->size();
    in.heads.insert(in.heads.begin(), heads->begin(), heads->end());
    if (in.keys.empty()) {
      absl::StatusOr<std::vector<audit::PublicKey>> keys = tx.ListAuditKeys();
      if (!keys.ok()) return keys.status();
      in.keys = std::move(*keys);
      in.keys_from_store = true;
    }
    audit::LogVerifier verifier(in.keys, in.heads);
    int64_t after = -1;
    bool more = true;
    while (more) {
      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(after, kChunk);
      if (!rows.ok()) return rows.status();
      for (const store::AuditRow& row : *rows) {
        if (!verifier.Add(row.event)) {
          more = false;
          break;
        }
      }
      if (rows->size() < kChunk) more = false;
      if (!rows->empty()) after = rows->back().key;
    }
    result = verifier.Finish();
    if (!result->ok()) return absl::OkStatus();
    absl::StatusOr<store::AuditHead> stored = tx.ReadStoredAuditHead();
    if (!stored.ok()) {
      result->problem = audit::Problem::kTruncated;
      result->position = result->events_checked;
      result->message = std::string(stored.status().message());
      return absl::OkStatus();
    }
    Compare(*stored, *result);
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
