// The subcommands of `writ cred` (docs/credentials.md, "The cred command"), one function each;
// cmd_cred.cc registers them. Each returns the process exit code (exit_codes.h).
#ifndef WRIT_TOOLS_CRED_COMMAND_H_
#define WRIT_TOOLS_CRED_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace writ::cli {

struct CredOptions {
  std::string db;
  std::vector<std::string> public_keys;  // hex or .pub files
  std::string token;                     // verify: the token, or `-` for stdin
  std::string at;                        // a timestamp to judge expiry at; empty: now
  std::string session;
  std::string name;        // a secret's name
  std::string master_key;  // the master key file; empty: WRIT_MASTER_KEY
  std::string value_file;  // put: read the secret from this file instead of stdin
  bool json = false;
};

int RunCredVerify(const CredOptions& options);
int RunCredLeases(const CredOptions& options);
int RunCredInit(const CredOptions& options);
int RunCredPut(const CredOptions& options);
int RunCredGet(const CredOptions& options);
int RunCredList(const CredOptions& options);

// The instant `at` names (RFC 3339), or now when it is empty, in ms since the epoch; nullopt
// after printing why it does not parse.
std::optional<int64_t> JudgeAt(const std::string& at);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_CRED_COMMAND_H_
