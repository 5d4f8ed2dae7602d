// How the `writ` command line is put together: each command lives in its own cmd_<name>.cc and
// registers one subcommand on the root; main.cc runs the one the user chose.
#ifndef WRIT_TOOLS_COMMAND_H_
#define WRIT_TOOLS_COMMAND_H_

#include <functional>

#include <CLI/CLI.hpp>

namespace writ::cli {

// A registered subcommand. `run` may only be called after the root parsed successfully with
// this subcommand selected; it returns the process exit code (exit_codes.h).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// `writ check`: parse and type-check policies (cmd_check.cc).
Command AddCheckCommand(CLI::App& root);
// `writ lint`: the lint rules of docs/lint.md over checked policies (cmd_lint.cc).
Command AddLintCommand(CLI::App& root);
// `writ fmt`: canonical formatting, in place or as a check (cmd_fmt.cc).
Command AddFmtCommand(CLI::App& root);
// `writ build`: compile policies to the decision IR and print it (cmd_build.cc).
Command AddBuildCommand(CLI::App& root);
// `writ eval`: decide one request against policies and print the decision (cmd_eval.cc).
Command AddEvalCommand(CLI::App& root);
// `writ test`: run the test blocks of policies, with coverage and JUnit output (cmd_test.cc).
Command AddTestCommand(CLI::App& root);
// `writ run`: replay a scripted agent session through the runtime (cmd_run.cc).
Command AddRunCommand(CLI::App& root);
// `writ session list|show`: inspect a runtime store (cmd_session.cc).
Command AddSessionCommand(CLI::App& root);
// `writ audit verify|show|export|head|prove|check-proof`: the audit trail (cmd_audit.cc).
Command AddAuditCommand(CLI::App& root);
// `writ cred verify|leases|init|put|get|list`: leases and sealed secrets (cmd_cred.cc).
Command AddCredCommand(CLI::App& root);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_COMMAND_H_
