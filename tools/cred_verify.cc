// `writ cred verify` and `writ cred leases`: a lease token checked offline with the public key,
// or against a store that also knows the revocations; and the leases a store recorded.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/ir/print.h"
#include "runtime/credentials/verify.h"
#include "runtime/session/store_credentials.h"
#include "runtime/store/store.h"
#include "runtime/value.h"
#include "tools/audit_keys.h"
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

// A token is at most 5557 bytes (docs/credentials.md, "Limits"); stdin may add a newline.
constexpr uint64_t kMaxTokenInput = 8192;

std::string_view Spelling(credentials::LeaseError error) {
  switch (error) {
    case credentials::LeaseError::kNone: return "none";
    case credentials::LeaseError::kMalformed: return "malformed";
    case credentials::LeaseError::kBadSignature: return "bad_signature";
    case credentials::LeaseError::kExpired: return "expired";
    case credentials::LeaseError::kNotYetValid: return "not_yet_valid";
    case credentials::LeaseError::kRevoked: return "revoked";
    case credentials::LeaseError::kInternal: return "internal";
  }
  return "internal";
}

std::string Trim(std::string text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

Json ClaimsJson(const credentials::LeaseClaims& c) {
  return {{"id", c.id},
          {"session", c.session},
          {"agent", c.agent},
          {"acting_for", c.acting_for.empty() ? Json() : Json(c.acting_for)},
          {"tool", c.tool},
          {"credential", c.credential},
          {"scopes", c.scopes},
          {"issued_at", ir::FormatTimestamp(c.issued_at_ms)},
          {"expires_at", ir::FormatTimestamp(c.expires_at_ms)}};
}

std::string ClaimsText(const credentials::LeaseClaims& c) {
  return fmt::format(
      "ok: lease {}\n  session   {}\n  agent     {}{}\n  tool      {}\n  grants    {} [{}]\n"
      "  valid     {} to {}\n",
      c.id, c.session, c.agent, c.acting_for.empty() ? "" : " acting for " + c.acting_for,
      c.tool, c.credential, fmt::join(c.scopes, ", "), ir::FormatTimestamp(c.issued_at_ms),
      ir::FormatTimestamp(c.expires_at_ms));
}

}  // namespace

std::optional<int64_t> JudgeAt(const std::string& at) {
  if (at.empty()) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  runtime::ScalarParse parsed = runtime::ParseTimestamp(at);
  if (!parsed.ok) {
    PrintError(fmt::format("--at: {}", parsed.error));
    return std::nullopt;
  }
  return parsed.value.number;
}

int RunCredVerify(const CredOptions& options) {
  std::string token = options.token;
  if (token == "-") {
    absl::StatusOr<Input> input = ReadStdin(kMaxTokenInput);
    if (!input.ok()) {
      PrintError(input.status());
      return kExitUsage;
    }
    token = input->text;
  }
  token = Trim(std::move(token));
  std::optional<int64_t> now = JudgeAt(options.at);
  if (!now) return kExitUsage;

  std::vector<credentials::PublicKey> keys;
  for (const std::string& given : options.public_keys) {
    absl::StatusOr<credentials::PublicKey> key = ReadPublicKey(given);
    if (!key.ok()) {
      PrintError(key.status());
      return kExitUsage;
    }
    keys.push_back(*key);
  }
  std::unique_ptr<store::Store> opened;
  std::unique_ptr<runtime::StoreRevocations> revocations;
  if (!options.db.empty()) {
    absl::StatusOr<std::unique_ptr<store::Store>> s = OpenExistingStore(options.db);
    if (!s.ok()) {
      PrintError(s.status());
      return kExitUsage;
    }
    opened = std::move(*s);
    if (options.public_keys.empty()) {
      absl::Status status = opened->Transact([&](store::Transaction& tx) -> absl::Status {
        absl::StatusOr<std::vector<credentials::PublicKey>> stored = tx.ListLeaseKeys();
        if (!stored.ok()) return stored.status();
        keys = std::move(*stored);
        return absl::OkStatus();
      });
      if (!status.ok()) {
        PrintError(status);
        return kExitUsage;
      }
      if (keys.empty()) {
        PrintError(fmt::format("{}: the store has signed no leases; pass --public-key", options.db));
        return kExitUsage;
      }
    }
    revocations = std::make_unique<runtime::StoreRevocations>(*opened);
  }
  if (keys.empty()) {
    PrintError("nothing to verify with: pass --public-key KEY, or --db FILE to use the store's "
               "keys and revocations");
    return kExitUsage;
  }

  absl::StatusOr<credentials::LeaseClaims> verified;
  for (const credentials::PublicKey& key : keys) {
    verified = credentials::VerifyLease(token, key, *now, revocations.get());
    if (credentials::LeaseErrorOf(verified.status()) != credentials::LeaseError::kBadSignature) {
      break;
    }
  }
  const credentials::LeaseError error = credentials::LeaseErrorOf(verified.status());
  std::string out;
  if (options.json) {
    Json doc = {{"valid", verified.ok()},
                {"error", verified.ok() ? Json() : Json(Spelling(error))},
                {"message", verified.ok() ? Json() : Json(std::string(verified.status().message()))},
                {"revocations_checked", revocations != nullptr},
                {"claims", verified.ok() ? ClaimsJson(*verified) : Json()}};
    out = doc.dump(2) + "\n";
  } else if (verified.ok()) {
    out = ClaimsText(*verified);
    if (revocations == nullptr) {
      out += "  (offline: revocations were not checked; pass --db to check them)\n";
    }
  } else {
    out = fmt::format("invalid ({}): {}\n", Spelling(error),
                      std::string(verified.status().message()));
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  if (error == credentials::LeaseError::kInternal) return kExitInternal;
  return verified.ok() ? kExitOk : kExitFindings;
}

int RunCredLeases(const CredOptions& options) {
  std::optional<int64_t> now = JudgeAt(options.at);
  if (!now) return kExitUsage;
  absl::StatusOr<std::unique_ptr<store::Store>> opened = OpenExistingStore(options.db);
  if (!opened.ok()) {
    PrintError(opened.status());
    return kExitUsage;
  }
  std::vector<store::LeaseRow> leases;
  absl::Status status = (*opened)->Transact([&](store::Transaction& tx) -> absl::Status {
    std::vector<std::string> sessions = {options.session};
    if (options.session.empty()) {
      absl::StatusOr<std::vector<store::SessionRow>> rows = tx.ListSessions();
      if (!rows.ok()) return rows.status();
      sessions.clear();
      for (const store::SessionRow& row : *rows) sessions.push_back(row.id);
    }
    for (const std::string& session : sessions) {
      absl::StatusOr<std::vector<store::LeaseRow>> rows = tx.ListLeases(session);
      if (!rows.ok()) return rows.status();
      leases.insert(leases.end(), rows->begin(), rows->end());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) {
    PrintError(status);
    return kExitUsage;
  }
  auto state = [&](const store::LeaseRow& lease) -> std::string {
    if (lease.revoked_at != 0) return "revoked";
    return *now >= lease.expires_at ? "expired" : "live";
  };
  std::string out;
  if (options.json) {
    Json list = Json::array();
    for (const store::LeaseRow& l : leases) {
      list.push_back({{"id", l.id},
                      {"session", l.session},
                      {"step", l.step},
                      {"agent", l.agent},
                      {"acting_for", l.acting_for.empty() ? Json() : Json(l.acting_for)},
                      {"tool", l.tool},
                      {"credential", l.credential},
                      {"scopes", l.scopes},
                      {"issued_at", ir::FormatTimestamp(l.issued_at)},
                      {"expires_at", ir::FormatTimestamp(l.expires_at)},
                      {"state", state(l)},
                      {"revoked_at", l.revoked_at != 0 ? Json(ir::FormatTimestamp(l.revoked_at))
                                                       : Json()},
                      {"revoke_reason", l.revoked_at != 0 ? Json(l.revoke_reason) : Json()}});
    }
    out = list.dump(2) + "\n";
  } else if (leases.empty()) {
    out = options.session.empty() ? "no leases\n"
                                  : fmt::format("no leases for session `{}`\n", options.session);
  } else {
    for (const store::LeaseRow& l : leases) {
      std::string what = state(l);
      if (l.revoked_at != 0) {
        what += fmt::format(" at {}: {}", ir::FormatTimestamp(l.revoked_at), l.revoke_reason);
      }
      out += fmt::format("{}  {}#{}  {} [{}] for {}  until {}  {}\n", l.id.substr(0, 8),
                         l.session, l.step, l.credential, fmt::join(l.scopes, ", "), l.tool,
                         ir::FormatTimestamp(l.expires_at), what);
    }
  }
  if (absl::Status written = WriteStdout(out); !written.ok()) {
    PrintError(written);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace writ::cli
