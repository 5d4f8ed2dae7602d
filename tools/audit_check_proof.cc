// `writ audit check-proof`: checks a proof that `writ audit prove` wrote, with nothing but the
// runtime's public key. Every hash is recomputed: the leaf from the event's encoding, the root
// from the path; the tree head's signature must be the key's. Any field out of place is a
// failed check (exit 1), never a crash.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/audit/event_encoding.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/proof.h"
#include "runtime/audit/tree_head.h"
#include "tools/audit_command.h"
#include "tools/audit_keys.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace audit = runtime::audit;

constexpr uint64_t kMaxProofBytes = 1 << 20;

std::optional<std::string> Str(const Json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

absl::StatusOr<audit::SignedTreeHead> Head(const Json& doc, const char* key,
                                           const std::vector<audit::PublicKey>& keys) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_object()) {
    return absl::InvalidArgumentError(fmt::format("the proof has no `{}`", key));
  }
  std::optional<std::string> hex = Str(*it, "encoded");
  std::optional<std::string> bytes = hex ? audit::BytesFromHex(*hex) : std::nullopt;
  if (!bytes) return absl::InvalidArgumentError(fmt::format("`{}.encoded` is not hex", key));
  absl::StatusOr<audit::SignedTreeHead> head = audit::DecodeTreeHead(*bytes);
  if (!head.ok()) return absl::InvalidArgumentError(fmt::format("`{}` does not decode", key));
  for (const audit::PublicKey& k : keys) {
    if (audit::VerifyTreeHead(*head, k).ok()) return head;
  }
  return absl::UnauthenticatedError(
      fmt::format("`{}` is not signed by the given key", key));
}

absl::StatusOr<std::vector<audit::Hash>> Path(const Json& doc) {
  auto it = doc.find("path");
  if (it == doc.end() || !it->is_array()) return absl::InvalidArgumentError("the proof has no `path`");
  std::vector<audit::Hash> path;
  for (const Json& entry : *it) {
    std::optional<audit::Hash> hash =
        entry.is_string() ? audit::HashFromHex(entry.get<std::string>()) : std::nullopt;
    if (!hash) return absl::InvalidArgumentError("a `path` entry is not 64 hex digits");
    path.push_back(*hash);
  }
  return path;
}

// What the proof shows, as one line; an error when it shows nothing.
absl::StatusOr<std::string> Check(const Json& doc, const std::vector<audit::PublicKey>& keys) {
  if (!doc.is_object()) return absl::InvalidArgumentError("a proof is a JSON object");
  std::optional<std::string> kind = Str(doc, "proof");
  absl::StatusOr<audit::SignedTreeHead> head = Head(doc, "tree_head", keys);
  if (!head.ok()) return head.status();
  absl::StatusOr<std::vector<audit::Hash>> path = Path(doc);
  if (!path.ok()) return path.status();
  if (kind == "consistency") {
    absl::StatusOr<audit::SignedTreeHead> old = Head(doc, "old_tree_head", keys);
    if (!old.ok()) return old.status();
    absl::Status shown = audit::VerifyConsistency(old->head.size, head->head.size, old->head.root,
                                                  head->head.root, *path);
    if (!shown.ok()) return shown;
    return fmt::format("the log of {} events extends the log of {} events", head->head.size,
                       old->head.size);
  }
  if (kind != "inclusion") {
    return absl::InvalidArgumentError("`proof` must be \"inclusion\" or \"consistency\"");
  }
  std::optional<std::string> hex = Str(doc, "encoding");
  std::optional<std::string> encoding = hex ? audit::BytesFromHex(*hex) : std::nullopt;
  if (!encoding) return absl::InvalidArgumentError("`encoding` is not hex");
  absl::StatusOr<audit::AuditEvent> event = audit::Decode(*encoding);
  if (!event.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("`encoding` is not an event: {}", std::string(event.status().message())));
  }
  auto seq = doc.find("seq");
  if (seq == doc.end() || !seq->is_number_unsigned() || seq->get<uint64_t>() != event->seq) {
    return absl::InvalidArgumentError("`seq` is not the position the event's encoding carries");
  }
  const audit::Hash leaf = audit::LeafHash(*encoding);
  if (std::optional<std::string> claimed = Str(doc, "leaf_hash");
      claimed && *claimed != audit::ToHex(leaf)) {
    return absl::InvalidArgumentError("`leaf_hash` is not the hash of `encoding`");
  }
  absl::Status shown =
      audit::VerifyInclusion(leaf, event->seq, head->head.size, *path, head->head.root);
  if (!shown.ok()) return shown;
  return fmt::format("event {} ({}) is in the log of {} events", event->seq,
                     audit::Spelling(event->kind), head->head.size);
}

}  // namespace

int RunAuditCheckProof(const AuditOptions& options) {
  std::vector<audit::PublicKey> keys;
  for (const std::string& key : options.public_keys) {
    absl::StatusOr<audit::PublicKey> parsed = ReadPublicKey(key);
    if (!parsed.ok()) {
      PrintError(parsed.status());
      return kExitUsage;
    }
    keys.push_back(*parsed);
  }
  absl::StatusOr<Input> input = options.proof == "-" ? ReadStdin(kMaxProofBytes)
                                                     : ReadInput(options.proof, kMaxProofBytes);
  if (!input.ok()) {
    PrintError(input.status());
    return kExitUsage;
  }
  if (input->too_large) {
    PrintError(fmt::format("{}: a proof is at most {} bytes", options.proof, kMaxProofBytes));
    return kExitUsage;
  }
  Json doc = Json::parse(input->text, nullptr, false);
  absl::StatusOr<std::string> shown =
      doc.is_discarded() ? absl::InvalidArgumentError("the proof is not JSON") : Check(doc, keys);
  const std::string out = shown.ok() ? fmt::format("ok: {}\n", *shown)
                                     : fmt::format("invalid: {}\n", std::string(shown.status().message()));
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return shown.ok() ? kExitOk : kExitFindings;
}

}  // namespace writ::cli
