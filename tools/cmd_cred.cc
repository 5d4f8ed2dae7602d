// `writ cred verify|leases|init|put|get|list`: the credential broker's side of a store
// (docs/credentials.md, "The cred command"). This file registers the subcommands and holds the
// ones for sealed secrets; verification and the lease listing are in cred_verify.cc.
#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/ir/print.h"
#include "runtime/credentials/master_key.h"
#include "runtime/credentials/secrets.h"
#include "runtime/session/store_credentials.h"
#include "runtime/store/sqlite_store.h"
#include "tools/audit_keys.h"
#include "tools/command.h"
#include "tools/cred_command.h"
#include "tools/exit_codes.h"
#include "tools/io.h"
#include "tools/output.h"
#include "tools/stores.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace credentials = runtime::credentials;
namespace store = runtime::store;

constexpr const char* kMasterKeyVariable = "WRIT_MASTER_KEY";

// The master key of --master-key FILE (which only its owner may read), or of WRIT_MASTER_KEY.
absl::StatusOr<credentials::MasterKey> LoadMasterKey(const CredOptions& options) {
  if (!options.master_key.empty()) {
    if (absl::Status status = CheckPrivateFile(options.master_key); !status.ok()) return status;
    return credentials::MasterKey::FromFile(options.master_key);
  }
  absl::StatusOr<credentials::MasterKey> key = credentials::MasterKey::FromEnv(kMasterKeyVariable);
  if (key.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(fmt::format(
        "no master key: pass --master-key FILE (`writ cred init` makes one) or set {}",
        kMasterKeyVariable));
  }
  return key;
}

// What the commands on secrets share: a vault over the store's secrets table.
struct OpenVault {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<runtime::StoreSecretTable> table;
  std::unique_ptr<credentials::SecretVault> vault;
};

// Opens the store (creating it when `create`) and the master key; nullopt after printing why
// one of them cannot be used.
std::optional<OpenVault> Open(const CredOptions& options, bool create) {
  absl::StatusOr<credentials::MasterKey> key = LoadMasterKey(options);
  if (!key.ok()) {
    PrintError(key.status());
    return std::nullopt;
  }
  absl::StatusOr<std::unique_ptr<store::Store>> opened =
      create ? store::OpenSqliteStore(options.db) : OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return std::nullopt;
  }
  OpenVault out;
  out.store = std::move(*opened);
  out.table = std::make_unique<runtime::StoreSecretTable>(*out.store);
  out.vault = std::make_unique<credentials::SecretVault>(*std::move(key), *out.table);
  return out;
}

int Written(const absl::Status& status) {
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int RunCredInit(const CredOptions& options) {
  absl::StatusOr<credentials::MasterKey> key = credentials::MasterKey::Generate();
  if (!key.ok()) {
    PrintError(key.status());
    return kExitInternal;
  }
  std::string text = key->ToHex() + "\n";
  absl::Status status = WriteNewSecretFile(options.master_key, text);
  std::fill(text.begin(), text.end(), '\0');
  if (!status.ok()) return Written(status);
  return Written(WriteStdout(fmt::format(
      "created the master key {} (mode 0600); keep it away from the store and its backups\n",
      options.master_key)));
}

int RunCredPut(const CredOptions& options) {
  absl::StatusOr<Input> input = options.value_file.empty()
                                    ? ReadStdin(credentials::kMaxSecretBytes + 1)
                                    : ReadInput(options.value_file, credentials::kMaxSecretBytes);
  if (!input.ok()) {
    PrintError(input.status());
    return kExitUsage;
  }
  std::string value = std::move(input->text);
  // A secret typed or piped in ends with a newline that is not part of it.
  if (options.value_file.empty() && !value.empty() && value.back() == '\n') value.pop_back();
  if (options.value_file.empty() && !value.empty() && value.back() == '\r') value.pop_back();
  std::optional<OpenVault> open = Open(options, /*create=*/true);
  if (!open) return kExitUsage;
  absl::Status status = open->vault->Put(options.name, value);
  std::fill(value.begin(), value.end(), '\0');
  if (!status.ok()) return Written(status);
  return Written(
      WriteStdout(fmt::format("sealed secret `{}` stored in {}\n", options.name, options.db)));
}

int RunCredGet(const CredOptions& options) {
  std::optional<OpenVault> open = Open(options, /*create=*/false);
  if (!open) return kExitUsage;
  absl::StatusOr<std::string> value = open->vault->Get(options.name);
  if (!value.ok()) {
    PrintError(value.status());
    // A secret that is not there, or does not open with this key, is a finding, not a usage
    // error: the command line was right.
    return value.status().code() == absl::StatusCode::kNotFound ||
                   value.status().code() == absl::StatusCode::kUnauthenticated ||
                   value.status().code() == absl::StatusCode::kDataLoss
               ? kExitFindings
               : kExitUsage;
  }
  absl::Status written = WriteStdout(*value);
  std::fill(value->begin(), value->end(), '\0');
  return Written(written);
}

int RunCredList(const CredOptions& options) {
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::vector<store::SecretRow> rows;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    absl::StatusOr<std::vector<store::SecretRow>> listed = tx.ListSecrets();
    if (!listed.ok()) return listed.status();
    rows = std::move(*listed);
    return absl::OkStatus();
  });
  if (!status.ok()) return Written(status);
  std::string out;
  if (options.json) {
    Json list = Json::array();
    for (const store::SecretRow& row : rows) {
      list.push_back({{"name", row.name}, {"updated_at", ir::FormatTimestamp(row.updated_at)}});
    }
    out = list.dump(2) + "\n";
  } else if (rows.empty()) {
    out = "no secrets\n";
  } else {
    for (const store::SecretRow& row : rows) {
      out += fmt::format("{}  (stored {})\n", row.name, ir::FormatTimestamp(row.updated_at));
    }
  }
  return Written(WriteStdout(out));
}

Command AddCredCommand(CLI::App& root) {
  auto o = std::make_shared<CredOptions>();
  CLI::App* app =
      root.add_subcommand("cred", "Verify leases, list them, and keep sealed upstream secrets");
  app->require_subcommand(1);
  auto master = [&](CLI::App* sub) {
    sub->add_option("--master-key", o->master_key,
                    std::string("The master key file (default: the ") + kMasterKeyVariable +
                        " environment variable, 64 hex digits)");
  };

  CLI::App* verify = app->add_subcommand("verify", "Check a lease token");
  verify->add_option("TOKEN", o->token, "The token, or `-` for stdin")->required();
  verify->add_option("--public-key", o->public_keys,
                     "The runtime's lease key: 64 hex digits or a .pub file (repeatable)");
  verify->add_option("--db", o->db,
                     "A store: its lease keys (unless --public-key) and its revocations");
  verify->add_option("--at", o->at, "Judge expiry at this instant (RFC 3339) instead of now");
  verify->add_flag("--json", o->json, "One JSON document: valid, error, message, claims");
  verify->footer(
      "With only --public-key the check is offline: signature, format and lifetime. With --db\n"
      "it also fails leases the store revoked, and those of ended sessions. Errors: malformed,\n"
      "bad_signature, expired, not_yet_valid, revoked. Exit codes: 0 valid; 1 invalid; 2 usage\n"
      "or I/O error; 3 internal error.");

  CLI::App* leases = app->add_subcommand("leases", "List the leases a store recorded");
  leases->add_option("--db", o->db, "The SQLite store")->required();
  leases->add_option("--session", o->session, "Only this session's leases");
  leases->add_option("--at", o->at, "Judge expiry at this instant (RFC 3339) instead of now");
  leases->add_flag("--json", o->json, "One JSON array");
  leases->footer("Each lease: its id, session and step, credential and scopes, tool, expiry and\n"
                 "state (live, expired, or revoked with when and why). Tokens are never stored.\n"
                 "Exit codes: 0 listed; 2 usage or I/O error.");

  CLI::App* init = app->add_subcommand("init", "Create a master key file for sealed secrets");
  init->add_option("--master-key", o->master_key, "The file to create (mode 0600)")->required();
  init->footer("Refuses to overwrite an existing file. Exit codes: 0 created; 2 usage or I/O\n"
               "error.");

  CLI::App* put = app->add_subcommand("put", "Seal an upstream secret into a store");
  put->add_option("NAME", o->name, "The secret's name: the credential that redeems it")
      ->required();
  put->add_option("--db", o->db, "The SQLite store (created if missing)")->required();
  put->add_option("--value-file", o->value_file,
                  "Read the secret from this file (default: stdin, without its final newline)");
  master(put);
  put->footer("The secret is sealed with libsodium's secretbox under the master key; the store\n"
              "never holds it in the clear. Exit codes: 0 stored; 2 usage or I/O error, or no\n"
              "usable master key.");

  CLI::App* get = app->add_subcommand("get", "Print a sealed secret, opened with the master key");
  get->add_option("NAME", o->name, "The secret's name")->required();
  get->add_option("--db", o->db, "The SQLite store")->required();
  master(get);
  get->footer("Exit codes: 0 printed; 1 no such secret, or it does not open with this key (wrong\n"
              "master key, or corrupted); 2 usage or I/O error, or no usable master key.");

  CLI::App* list = app->add_subcommand("list", "List the names of a store's sealed secrets");
  list->add_option("--db", o->db, "The SQLite store")->required();
  list->add_flag("--json", o->json, "One JSON array");
  list->footer("Names and when each was stored; never the secrets. Exit codes: 0 listed; 2 usage\n"
               "or I/O error.");

  app->footer("Leases are minted by the session runtime for allowed calls whose rules `grant` a\n"
              "credential (docs/credentials.md).");
  return Command{app, [o, verify, leases, init, put, get] {
                   if (verify->parsed()) return RunCredVerify(*o);
                   if (leases->parsed()) return RunCredLeases(*o);
                   if (init->parsed()) return RunCredInit(*o);
                   if (put->parsed()) return RunCredPut(*o);
                   if (get->parsed()) return RunCredGet(*o);
                   return RunCredList(*o);
                 }};
}

}  // namespace writ::cli
