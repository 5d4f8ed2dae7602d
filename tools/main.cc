// The `writ` command line: the root parser, error handling and exit codes. Each command is in
// its own cmd_<name>.cc and registered here.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "compiler/diagnostics/diagnostic.h"
#include "tools/command.h"
#include "tools/exit_codes.h"
#include "tools/output.h"

namespace writ::cli {
namespace {

// An unknown first word gets a "did you mean" instead of CLI11's generic complaint about an
// unexpected argument.
bool RejectUnknownCommand(int argc, char** argv, const std::vector<Command>& commands) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::string word = argv[1];
  std::vector<std::string> names;
  for (const Command& command : commands) {
    if (command.app->get_name() == word) return false;
    names.push_back(command.app->get_name());
  }
  std::string message = fmt::format("unknown command `{}`", word);
  if (std::string guess = diag::ClosestMatch(word, names); !guess.empty()) {
    message += fmt::format("; did you mean `{}`?", guess);
  }
  PrintError(message + "\nrun `writ --help` to see the commands");
  return true;
}

int Main(int argc, char** argv) {
  CLI::App app("Writ checks, formats and tests policies that govern AI agents.", "writ");
  app.set_version_flag("--version", fmt::format("writ {}", WritVersion()),
                       "Print the version and exit");
  app.footer(std::string(kExitCodeHelp));
  app.failure_message([](const CLI::App* failed, const CLI::Error& error) {
    (void)failed;
    return fmt::format("writ: error: {}\nrun `writ --help` or `writ <command> --help` for usage\n",
                       error.what());
  });
  std::vector<Command> commands = {AddCheckCommand(app), AddLintCommand(app),
                                   AddFmtCommand(app), AddBuildCommand(app),
                                   AddEvalCommand(app), AddTestCommand(app),
                                   AddRunCommand(app), AddSessionCommand(app),
                                   AddAuditCommand(app), AddCredCommand(app)};
  for (const Command& command : commands) command.app->fallthrough(false);

  if (RejectUnknownCommand(argc, argv, commands)) return kExitUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Help and version are "errors" that exit 0; every other parse failure is a usage error.
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  std::fputs(app.help().c_str(), stderr);
  return kExitUsage;
}

}  // namespace
}  // namespace writ::cli

int main(int argc, char** argv) {
  try {
    return writ::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    writ::cli::PrintInternalError(e.what());
  } catch (...) {
    writ::cli::PrintInternalError("unknown exception");
  }
  return writ::cli::kExitInternal;
}
