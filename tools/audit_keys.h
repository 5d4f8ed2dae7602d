// The key files of the audit trail (docs/audit.md, "Keys"): `writ run --audit-key FILE` signs
// tree heads with the secret key in FILE, creating it (mode 0600) with FILE.pub beside it when it
// does not exist; `writ audit verify --public-key` reads a public key from a file or the command
// line.
#ifndef WRIT_TOOLS_AUDIT_KEYS_H_
#define WRIT_TOOLS_AUDIT_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/audit/tree_head.h"

namespace writ::cli {

struct SigningKeyFile {
  runtime::audit::SecretKey key{};
  bool created = false;  // the file did not exist and was written
};

// Reads the secret key in `path` (128 hex digits and a newline), or creates it and `path`.pub
// (64 hex digits) when it does not exist. InvalidArgument for a file that holds anything else;
// a key file readable by others is refused too, since anyone who reads it can sign heads.
absl::StatusOr<SigningKeyFile> LoadOrCreateSigningKey(const std::string& path);

// Creates `path` with mode 0600 holding `text`, synced; fails if the file exists.
absl::Status WriteNewSecretFile(const std::string& path, const std::string& text);

// Refuses a secret key file that others can read or write: anyone who reads it holds the key.
absl::Status CheckPrivateFile(const std::string& path);

// A public key given as 64 hex digits, or as the path of a file holding them (a .pub file).
absl::StatusOr<runtime::audit::PublicKey> ReadPublicKey(const std::string& text_or_path);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_AUDIT_KEYS_H_
