// Helpers shared by the checker's tests: compile policy text through the driver, render its
// diagnostics compactly, and the schema the diagnostic cases extend.
#ifndef WRIT_COMPILER_CHECK_CHECK_TEST_UTIL_H_
#define WRIT_COMPILER_CHECK_CHECK_TEST_UTIL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/driver/driver.h"

namespace writ::check::test_util {

using Sources = std::vector<std::pair<std::string, std::string>>;

inline std::unique_ptr<driver::Compilation> Compile(const Sources& sources) {
  auto out = std::make_unique<driver::Compilation>();
  driver::CompileSources(sources, *out);
  return out;
}

// "W0204 12:45 message" for each diagnostic, then " [label L:C text]" for each label,
// " [note: ...]" for each note and " [help: ...]" when it has help.
inline std::vector<std::string> Render(const driver::Compilation& c) {
  std::vector<std::string> out;
  for (const diag::Diagnostic& d : c.diagnostics.diagnostics()) {
    std::string line = std::string(d.info().id);
    if (d.span.valid()) {
      LineCol at = c.sources.file(d.span.file).Locate(d.span.begin);
      line += " " + std::to_string(at.line) + ":" + std::to_string(at.column);
    }
    line += " " + d.message;
    for (const diag::Label& label : d.labels) {
      LineCol at = c.sources.file(label.span.file).Locate(label.span.begin);
      line += " [label " + std::to_string(at.line) + ":" + std::to_string(at.column) + " " +
              label.message + "]";
    }
    for (const std::string& note : d.notes) line += " [note: " + note + "]";
    if (!d.help.empty()) line += " [help: " + d.help + "]";
    out.push_back(line);
  }
  return out;
}

inline std::vector<std::string> Diagnose(const Sources& sources) { return Render(*Compile(sources)); }

// The schema every diagnostic case extends; a case's first line is line 12.
inline constexpr char kSchema[] = R"(package golden
import std.sql
import std.pii
import std.text as txt
entity Department
entity User in Department { department: string, approval_limit: money, manager?: User }
enum Region { us, eu }
agent Bot { acts_for: User, region: Region, credentials { erp: ["po.write", "po.read"] ttl 15m } }
agent Helper { acts_for: User, region: Region, level: int }
tool payments.transfer(amount: money, to: string, tags: set<string>)
tool db.query(sql: string) -> { rows_affected: int, text: string }
)";

}  // namespace writ::check::test_util

#endif  // WRIT_COMPILER_CHECK_CHECK_TEST_UTIL_H_
