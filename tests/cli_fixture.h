// The fixture of the command-line tests: runs the real `writ` executable (WRIT_BINARY) in a
// temporary folder and captures its exit code, stdout and stderr.
#ifndef WRIT_TESTS_CLI_FIXTURE_H_
#define WRIT_TESTS_CLI_FIXTURE_H_

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace writ::testing {

namespace fs = std::filesystem;

struct Result {
  int exit = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline void WriteAll(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "writ_cli_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // The JIT's object cache stays in the test's folder, not the user's.
    env_.push_back("WRIT_CACHE_DIR=" + (dir_ / "jit-cache").string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(std::string_view name, std::string_view text) {
    fs::path path = dir_ / name;
    WriteAll(path, text);
    return path;
  }

  // Runs writ with `args` in `cwd` (the temporary folder when empty), feeding `input` on stdin.
  Result Run(std::vector<std::string> args, std::string_view input = "", fs::path cwd = {}) {
    if (cwd.empty()) cwd = dir_;
    fs::path in = dir_ / ".stdin";
    fs::path out = dir_ / ".stdout";
    fs::path err = dir_ / ".stderr";
    WriteAll(in, input);
    args.insert(args.begin(), WRIT_BINARY);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    // First, so that they win over the same names inherited (getenv takes the first).
    for (std::string& variable : env_) envp.push_back(variable.data());
    for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
    envp.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid == 0) {
      // Only async-signal-safe calls between fork and exec.
      if (::chdir(cwd.c_str()) != 0) ::_exit(126);
      int fds[3] = {::open(in.c_str(), O_RDONLY),
                    ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
                    ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)};
      for (int i = 0; i < 3; ++i) {
        if (fds[i] < 0 || ::dup2(fds[i], i) < 0) ::_exit(126);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    Result result;
    int status = 0;
    if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return result;
    result.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = ReadAll(out);
    result.err = ReadAll(err);
    fs::remove(in);
    fs::remove(out);
    fs::remove(err);
    return result;
  }

  fs::path dir_;
  // "NAME=value" entries the command runs with, beyond this process's environment.
  std::vector<std::string> env_;
};

// `writ eval` on the example policies, run from the project root where they live.
class EvalCliTest : public CliTest {
 protected:
  Result Eval(std::vector<std::string> args, std::string_view input = "") {
    std::vector<std::string> full = {"eval", "--policy", std::string(WRIT_SOURCE_DIR) + "/policies"};
    full.insert(full.end(), args.begin(), args.end());
    return Run(full, input);
  }
  std::string Request() {
    return ReadAll(fs::path(WRIT_SOURCE_DIR) / "runtime/testdata/procurement_call.json");
  }
};

}  // namespace writ::testing

#endif  // WRIT_TESTS_CLI_FIXTURE_H_
