#include "runtime/store/internal/sqlite_credentials.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "compiler/base/status.h"

namespace writ::runtime::store::internal {

const char* const kCredentialSchema = R"sql(
CREATE TABLE leases (
  id TEXT PRIMARY KEY, session TEXT NOT NULL, step TEXT NOT NULL, agent TEXT NOT NULL,
  acting_for TEXT NOT NULL, tool TEXT NOT NULL, credential TEXT NOT NULL, scopes TEXT NOT NULL,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL,
  revoke_reason TEXT NOT NULL);
CREATE INDEX leases_by_session ON leases (session, issued_at);
CREATE TABLE lease_keys (public_key BLOB PRIMARY KEY, added_at INTEGER NOT NULL);
CREATE TABLE secrets (name TEXT PRIMARY KEY, sealed BLOB NOT NULL, updated_at INTEGER NOT NULL);
)sql";

namespace {

#define WRIT_SELECT_LEASE                                                                 \
  "SELECT id, session, step, agent, acting_for, tool, credential, scopes, issued_at, " \
  "expires_at, revoked_at, revoke_reason FROM leases"

// Scopes as one column: each as its byte length, a colon and its bytes ("8:po.write").
std::string EncodeScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) out += fmt::format("{}:{}", scope.size(), scope);
  return out;
}

std::optional<std::vector<std::string>> DecodeScopes(std::string_view text) {
  std::vector<std::string> scopes;
  while (!text.empty()) {
    size_t length = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
    if (error != std::errc() || end == text.data() + text.size() || *end != ':') {
      return std::nullopt;
    }
    text.remove_prefix(static_cast<size_t>(end - text.data()) + 1);
    if (length > text.size()) return std::nullopt;
    scopes.emplace_back(text.substr(0, length));
    text.remove_prefix(length);
  }
  return scopes;
}

std::string_view AsBlob(const audit::PublicKey& key) {
  return {reinterpret_cast<const char*>(key.data()), key.size()};
}

}  // namespace

absl::StatusOr<LeaseRow> SqliteCredentials::ReadLease(const Statement& s) {
  LeaseRow r;
  r.id = s.Text(0);
  r.session = s.Text(1);
  r.step = s.Text(2);
  r.agent = s.Text(3);
  r.acting_for = s.Text(4);
  r.tool = s.Text(5);
  r.credential = s.Text(6);
  std::optional<std::vector<std::string>> scopes = DecodeScopes(s.Text(7));
  if (!scopes) {
    return absl::DataLossError(
        fmt::format("{}: the scopes of lease {} do not decode", path_, r.id));
  }
  r.scopes = *std::move(scopes);
  r.issued_at = s.Int(8);
  r.expires_at = s.Int(9);
  r.revoked_at = s.Int(10);
  r.revoke_reason = s.Text(11);
  return r;
}

absl::Status SqliteCredentials::PutLease(const LeaseRow& r) {
  WRIT_ASSIGN_OR_RETURN(
      Statement * s,
      statements_.Prepare("INSERT OR REPLACE INTO leases (id, session, step, agent, acting_for, "
                          "tool, credential, scopes, issued_at, expires_at, revoked_at, "
                          "revoke_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                          "?12)"));
  s->Bind(1, r.id).Bind(2, r.session).Bind(3, r.step).Bind(4, r.agent).Bind(5, r.acting_for);
  s->Bind(6, r.tool).Bind(7, r.credential).Bind(8, EncodeScopes(r.scopes));
  s->Bind(9, r.issued_at).Bind(10, r.expires_at).Bind(11, r.revoked_at);
  s->Bind(12, r.revoke_reason);
  return s->Run();
}

absl::StatusOr<std::optional<LeaseRow>> SqliteCredentials::GetLease(std::string_view id) {
  WRIT_ASSIGN_OR_RETURN(Statement * s, statements_.Prepare(WRIT_SELECT_LEASE " WHERE id = ?1"));
  s->Bind(1, id);
  WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<LeaseRow>();
  return ReadLease(*s);
}

absl::StatusOr<std::vector<LeaseRow>> SqliteCredentials::ListLeases(std::string_view session) {
  WRIT_ASSIGN_OR_RETURN(
      Statement * s,
      statements_.Prepare(WRIT_SELECT_LEASE " WHERE session = ?1 ORDER BY issued_at, rowid"));
  s->Bind(1, session);
  std::vector<LeaseRow> rows;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return rows;
    WRIT_ASSIGN_OR_RETURN(LeaseRow lease, ReadLease(*s));
    rows.push_back(std::move(lease));
  }
}

absl::Status SqliteCredentials::AddLeaseKey(const audit::PublicKey& key, int64_t at) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("INSERT INTO lease_keys (public_key, added_at) "
                                            "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
  s->BindBlob(1, AsBlob(key)).Bind(2, at);
  return s->Run();
}

absl::StatusOr<std::vector<audit::PublicKey>> SqliteCredentials::ListLeaseKeys() {
  WRIT_ASSIGN_OR_RETURN(
      Statement * s,
      statements_.Prepare("SELECT public_key FROM lease_keys ORDER BY added_at, public_key"));
  std::vector<audit::PublicKey> keys;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return keys;
    const std::string blob = s->Blob(0);
    audit::PublicKey key{};
    if (blob.size() != key.size()) {
      return absl::DataLossError(fmt::format("{}: a stored lease key is not 32 bytes", path_));
    }
    std::copy(blob.begin(), blob.end(), key.begin());
    keys.push_back(key);
  }
}

absl::StatusOr<std::optional<std::string>> SqliteCredentials::GetSecret(std::string_view name) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("SELECT sealed FROM secrets WHERE name = ?1"));
  s->Bind(1, name);
  WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s->Blob(0));
}

absl::Status SqliteCredentials::PutSecret(std::string_view name, std::string_view sealed,
                                          int64_t at) {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("INSERT OR REPLACE INTO secrets (name, sealed, "
                                            "updated_at) VALUES (?1, ?2, ?3)"));
  s->Bind(1, name).BindBlob(2, sealed).Bind(3, at);
  return s->Run();
}

absl::StatusOr<std::vector<SecretRow>> SqliteCredentials::ListSecrets() {
  WRIT_ASSIGN_OR_RETURN(Statement * s,
                        statements_.Prepare("SELECT name, updated_at FROM secrets ORDER BY name"));
  std::vector<SecretRow> rows;
  while (true) {
    WRIT_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return rows;
    rows.push_back({s->Text(0), s->Int(1)});
  }
}

}  // namespace writ::runtime::store::internal
