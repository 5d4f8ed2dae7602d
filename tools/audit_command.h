// The subcommands of `writ audit` (docs/audit.md, "The audit command"), one function each;
// cmd_audit.cc registers them. Each returns the process exit code (exit_codes.h).
#ifndef WRIT_TOOLS_AUDIT_COMMAND_H_
#define WRIT_TOOLS_AUDIT_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace writ::cli {

struct AuditOptions {
  std::string db;
  std::vector<std::string> public_keys;  // hex or files; empty: the store's own keys
  std::vector<std::string> tree_heads;   // files holding heads kept outside the store
  std::string session;
  std::optional<uint64_t> event;
  std::optional<uint64_t> consistency_from;
  std::optional<uint64_t> size;
  int64_t after = -1;
  std::string proof;  // check-proof: the file, or `-`
  std::string out;
  bool json = false;
  bool full = false;
};

int RunAuditVerify(const AuditOptions& options);
int RunAuditShow(const AuditOptions& options);
int RunAuditExport(const AuditOptions& options);
int RunAuditHead(const AuditOptions& options);
int RunAuditProve(const AuditOptions& options);
int RunAuditCheckProof(const AuditOptions& options);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_AUDIT_COMMAND_H_
