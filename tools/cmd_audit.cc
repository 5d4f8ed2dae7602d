// `writ audit verify|show|export|head|prove|check-proof`: the audit trail of a runtime store
// (docs/audit.md, "The audit command"). This file registers the subcommands and holds the ones
// that print events; verification and proofs have their own files.
#include <fmt/format.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runtime/audit/event_encoding.h"
#include "runtime/audit/hash.h"
#include "runtime/audit/tree_head.h"
#include "runtime/store/store.h"
#include "tools/audit_command.h"
#include "tools/audit_output.h"
#include "tools/command.h"
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

// Calls `each` with every row of the log (or of one session) in order, one chunk per read.
absl::Status ForEachRow(store::Store& s, const AuditOptions& options,
                        const std::function<absl::Status(const store::AuditRow&)>& each) {
  return s.Transact([&](store::Transaction& tx) -> absl::Status {
    if (!options.session.empty()) {
      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadSessionAudit(options.session);
      if (!rows.ok()) return rows.status();
      for (const store::AuditRow& row : *rows) {
        if (row.key <= options.after) continue;
        if (absl::Status status = each(row); !status.ok()) return status;
      }
      return absl::OkStatus();
    }
    int64_t after = options.after;
    while (true) {
      absl::StatusOr<std::vector<store::AuditRow>> rows = tx.ReadAudit(after, kChunk);
      if (!rows.ok()) return rows.status();
      for (const store::AuditRow& row : *rows) {
        if (absl::Status status = each(row); !status.ok()) return status;
      }
      if (rows->size() < kChunk) return absl::OkStatus();
      after = rows->back().key;
    }
  });
}

int Finish(const absl::Status& status, size_t malformed) {
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  if (malformed > 0) {
    PrintError(fmt::format("{} rows do not decode as events; run `writ audit verify`", malformed));
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

int RunAuditShow(const AuditOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  size_t malformed = 0;
  size_t shown = 0;
  Json list = Json::array();
  std::string text;
  absl::Status status = ForEachRow(**opened, options, [&](const store::AuditRow& row) {
    absl::StatusOr<audit::AuditEvent> event = audit::Decode(row.event.encoding);
    ++shown;
    if (!event.ok()) {
      ++malformed;
      text += fmt::format("  #{:<5} (a row that does not decode: {})\n", row.key,
                          std::string(event.status().message()));
      return absl::OkStatus();
    }
    if (options.json) {
      list.push_back(EventJson(*event));
    } else {
      text += EventLine(*event, options.full);
    }
    // Print as we go so a long log shows progress and memory stays bounded.
    if (!options.json && text.size() > (1 << 16)) {
      absl::Status written = WriteStdout(text);
      text.clear();
      return written;
    }
    return absl::OkStatus();
  });
  if (status.ok() && shown == 0 && !options.session.empty()) {
    PrintError(fmt::format("{}: no audit events for session `{}`", options.db, options.session));
    return kExitFindings;
  }
  if (status.ok()) {
    status = WriteStdout(options.json ? list.dump(2) + "\n" : text);
  }
  return Finish(status, malformed);
}

int RunAuditExport(const AuditOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  size_t malformed = 0;
  std::string text;
  absl::Status status = ForEachRow(**opened, options, [&](const store::AuditRow& row) {
    absl::StatusOr<audit::AuditEvent> event = audit::Decode(row.event.encoding);
    if (!event.ok()) {
      ++malformed;
      Json bad = {{"seq", row.key},
                  {"malformed", std::string(event.status().message())},
                  {"encoding", audit::BytesToHex(row.event.encoding)}};
      text += bad.dump() + "\n";
    } else {
      text += ExportJson(*event, row.event).dump() + "\n";
    }
    if (text.size() > (1 << 16)) {
      absl::Status written = WriteStdout(text);
      text.clear();
      return written;
    }
    return absl::OkStatus();
  });
  if (status.ok()) status = WriteStdout(text);
  return Finish(status, malformed);
}

int RunAuditHead(const AuditOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::vector<audit::SignedTreeHead> heads;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<audit::SignedTreeHead>> listed = tx.ListTreeHeads();
    if (!listed.ok()) return listed.status();
    heads = std::move(*listed);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  if (heads.empty()) {
    PrintError(fmt::format("{}: no signed tree head yet", options.db));
    return kExitFindings;
  }
  const audit::SignedTreeHead* latest = &heads.front();
  for (const audit::SignedTreeHead& head : heads) {
    if (head.head.size > latest->head.size ||
        (head.head.size == latest->head.size && head.head.timestamp > latest->head.timestamp)) {
      latest = &head;
    }
  }
  const std::string encoded = audit::BytesToHex(audit::EncodeTreeHead(*latest)) + "\n";
  if (!options.out.empty()) {
    if (absl::Status written = WriteFileAtomically(options.out, encoded); !written.ok()) {
      PrintError(written);
      return kExitUsage;
    }
  }
  std::string out;
  if (options.json) {
    out = Json{{"size", latest->head.size},
               {"root", audit::ToHex(latest->head.root)},
               {"timestamp", latest->head.timestamp},
               {"encoded", encoded.substr(0, encoded.size() - 1)}}
              .dump(2) + "\n";
  } else if (options.out.empty()) {
    out = encoded;
  } else {
    out = fmt::format("tree head of size {} written to {}\n", latest->head.size, options.out);
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return kExitOk;
}

Command AddAuditCommand(CLI::App& root) {
  auto o = std::make_shared<AuditOptions>();
  CLI::App* app = root.add_subcommand("audit", "Verify, read and prove the audit trail of a store");
  app->require_subcommand(1);
  auto db = [&](CLI::App* sub) {
    sub->add_option("--db", o->db, "The SQLite store")->required();
  };
  CLI::App* verify = app->add_subcommand(
      "verify", "Check the log against its hash chain and signed tree heads");
  db(verify);
  verify->add_option("--public-key", o->public_keys,
                     "A trusted key: 64 hex digits or a .pub file (repeatable); default: the "
                     "store's own keys");
  verify->add_option("--tree-head", o->tree_heads,
                     "A tree head kept outside the store (`writ audit head --out`); repeatable");
  verify->add_flag("--json", o->json, "One JSON document");
  verify->footer(
      "Exit codes: 0 the log verifies; 1 it does not (the output names the first bad position\n"
      "and what happened there: edited, deleted, inserted, reordered, truncated, malformed,\n"
      "tree_head_mismatch, bad_tree_head); 2 usage or I/O error; 3 internal error.");

  CLI::App* show = app->add_subcommand("show", "Print events readably: one session's trace, or all");
  db(show);
  show->add_option("--session", o->session, "Only this session's events");
  show->add_flag("--full", o->full, "Print whole payloads, decisions and reports");
  show->add_flag("--json", o->json, "One JSON array of events");
  show->footer("Exit codes: 0 printed; 1 no events for the session, or rows that do not decode;\n"
               "2 usage or I/O error; 3 internal error.");

  CLI::App* exp = app->add_subcommand("export", "Write events as JSON Lines, with their hashes");
  db(exp);
  exp->add_option("--session", o->session, "Only this session's events");
  exp->add_option("--after", o->after, "Only events after this position (incremental export)");
  exp->footer("One JSON object per line: seq, kind, at, at_ms, session, step, fields, leaf_hash,\n"
              "chain. Exit codes: 0 written; 1 rows that do not decode (written as `malformed`);\n"
              "2 usage or I/O error; 3 internal error.");

  CLI::App* head = app->add_subcommand("head", "Print the latest signed tree head, to keep elsewhere");
  db(head);
  head->add_option("--out", o->out, "Also write it (226 hex digits) to this file");
  head->add_flag("--json", o->json, "Size, root, timestamp and the encoded head as JSON");
  head->footer("Keep heads outside the store: `writ audit verify --tree-head FILE` then catches a\n"
               "log cut back together with its stored heads. Exit codes: 0 printed; 1 no head yet;\n"
               "2 usage or I/O error.");

  CLI::App* prove = app->add_subcommand("prove", "A Merkle proof: an event's inclusion, or consistency");
  db(prove);
  prove->add_option("EVENT", o->event, "The event's position (seq): an inclusion proof");
  prove->add_option("--consistency", o->consistency_from,
                    "The size of an older signed head: a consistency proof to the newer one");
  prove->add_option("--size", o->size, "Prove against the signed head of this size (default: the latest)");
  prove->add_option("--out", o->out, "Write the proof here instead of stdout");
  prove->footer("The proof is a JSON document carrying its signed tree head; check it anywhere with\n"
                "`writ audit check-proof FILE --public-key KEY`. Exit codes: 0 written; 1 no head\n"
                "covers the event; 2 usage or I/O error.");

  CLI::App* check = app->add_subcommand("check-proof", "Check a proof with only the public key");
  check->add_option("PROOF", o->proof, "The proof file, or `-` for stdin")->required();
  check->add_option("--public-key", o->public_keys, "The runtime's key: hex or a .pub file")
      ->required();
  check->footer("Exit codes: 0 the proof holds; 1 it does not (the output says why); 2 usage or\n"
                "I/O error.");

  app->footer("Reads the audit trail that `writ run` or an embedding writes (docs/audit.md).");
  return Command{app, [o, verify, show, exp, head, prove] {
                   if (verify->parsed()) return RunAuditVerify(*o);
                   if (show->parsed()) return RunAuditShow(*o);
                   if (exp->parsed()) return RunAuditExport(*o);
                   if (head->parsed()) return RunAuditHead(*o);
                   if (prove->parsed()) return RunAuditProve(*o);
                   return RunAuditCheckProof(*o);
                 }};
}

}  // namespace writ::cli
