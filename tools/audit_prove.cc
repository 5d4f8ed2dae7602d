// `writ audit prove` and `writ audit check-proof`: Merkle proofs an auditor checks without the
// log (docs/audit.md, "Proofs from the command line"). A proof is one JSON document that carries
// the signed tree head it is against, so checking it needs only the runtime's public key.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/audit/event_encoding.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/merkle.h"
#include "runtime/audit/proof.h"
#include "runtime/audit/tree_head.h"
#include "runtime/store/store.h"
#include "tools/audit_command.h"
#include "tools/audit_keys.h"
#include "tools/audit_output.h"
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

Json HeadJson(const audit::SignedTreeHead& head) {
  return {{"size", head.head.size},
          {"root", audit::ToHex(head.head.root)},
          {"timestamp_ms", head.head.timestamp},
          {"encoded", audit::BytesToHex(audit::EncodeTreeHead(head))}};
}

Json PathJson(const std::vector<audit::Hash>& path) {
  Json out = Json::array();
  for (const audit::Hash& hash : path) out.push_back(audit::ToHex(hash));
  return out;
}

// The stored head a proof is against: the one of `size` when given, else the largest.
absl::StatusOr<audit::SignedTreeHead> PickHead(const std::vector<audit::SignedTreeHead>& heads,
                                               std::optional<uint64_t> size) {
  const audit::SignedTreeHead* best = nullptr;
  for (const audit::SignedTreeHead& head : heads) {
    if (size && head.head.size != *size) continue;
    if (best == nullptr || head.head.size > best->head.size ||
        (head.head.size == best->head.size && head.head.timestamp > best->head.timestamp)) {
      best = &head;
    }
  }
  if (best != nullptr) return *best;
  if (size) {
    return absl::NotFoundError(fmt::format("the store has no signed tree head of size {}", *size));
  }
  return absl::NotFoundError(
      "the store has no signed tree head yet (a terminate signs one, and so does `writ run`)");
}

struct Loaded {
  std::vector<audit::SignedTreeHead> heads;
  audit::MemoryTree tree;
  std::optional<store::AuditRow> event_row;
};

absl::StatusOr<Loaded> Load(store::Store& s, std::optional<uint64_t> event) {
  Loaded loaded;
  absl::Status status = s.Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<audit::SignedTreeHead>> heads = tx.ListTreeHeads();
    if (!heads.ok()) return heads.status();
    loaded.heads = std::move(*heads);
    int64_t after = -1;
    while (true) {
      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(after, kChunk);
      if (!rows.ok()) return rows.status();
      for (store::AuditRow& row : *rows) {
        if (event && loaded.tree.size() == *event) loaded.event_row = row;
        loaded.tree.Append(audit::LeafHash(row.event.encoding));
      }
      if (rows->size() < kChunk) return absl::OkStatus();
      after = rows->back().key;
    }
  });
  if (!status.ok()) return status;
  return loaded;
}

absl::StatusOr<Json> Prove(const AuditOptions& options, Loaded& loaded) {
  absl::StatusOr<audit::SignedTreeHead> head = PickHead(loaded.heads, options.size);
  if (!head.ok()) return head.status();
  const uint64_t size = head->head.size;
  if (size > loaded.tree.size()) {
    return absl::FailedPreconditionError(fmt::format(
        "the log holds {} events but its tree head signs {}; run `writ audit verify`",
        loaded.tree.size(), size));
  }
  if (options.consistency_from) {
    absl::StatusOr<audit::SignedTreeHead> old = PickHead(loaded.heads, *options.consistency_from);
    if (!old.ok()) return old.status();
    if (old->head.size > size) {
      return absl::InvalidArgumentError(fmt::format(
          "the older tree head (size {}) is larger than the newer (size {})", old->head.size, size));
    }
    absl::StatusOr<std::vector<audit::Hash>> path =
        audit::ConsistencyProof(loaded.tree, old->head.size, size);
    if (!path.ok()) return path.status();
    return Json{{"proof", "consistency"},
                {"old_tree_head", HeadJson(*old)},
                {"tree_head", HeadJson(*head)},
                {"path", PathJson(*path)}};
  }
  const uint64_t seq = *options.event;
  if (seq >= size) {
    return absl::FailedPreconditionError(fmt::format(
        "event {} is not covered by the tree head of size {} yet; sign a newer head", seq, size));
  }
  if (!loaded.event_row) return absl::NotFoundError(fmt::format("no event {}", seq));
  const std::string& encoding = loaded.event_row->event.encoding;
  absl::StatusOr<std::vector<audit::Hash>> path = audit::InclusionProof(loaded.tree, seq, size);
  if (!path.ok()) return path.status();
  Json proof = {{"proof", "inclusion"}, {"seq", seq}};
  if (absl::StatusOr<audit::AuditEvent> decoded = audit::Decode(encoding); decoded.ok()) {
    proof["event"] = EventJson(*decoded);
  }
  proof["encoding"] = audit::BytesToHex(encoding);
  proof["leaf_hash"] = audit::ToHex(audit::LeafHash(encoding));
  proof["tree_head"] = HeadJson(*head);
  proof["path"] = PathJson(*path);
  return proof;
}

}  // namespace

int RunAuditProve(const AuditOptions& options) {
  if (options.event.has_value() == options.consistency_from.has_value()) {
    PrintError("give either an EVENT (an inclusion proof) or --consistency SIZE, not both");
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  absl::StatusOr<Loaded> loaded = Load(**opened, options.event);
  if (!loaded.ok()) {
    PrintError(loaded.status());
    return kExitUsage;
  }
  absl::StatusOr<Json> proof = Prove(options, *loaded);
  if (!proof.ok()) {
    PrintError(proof.status());
    return kExitFindings;
  }
  const std::string text = proof->dump(2) + "\n";
  absl::Status written = options.out.empty() ? WriteStdout(text)
                                             : WriteFileAtomically(options.out, text);
  if (!written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace writ::cli
