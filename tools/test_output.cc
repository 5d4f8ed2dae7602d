#include "tools/test_output.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "compiler/ir/print.h"

namespace writ::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string Where(const ir::Policy& policy, ir::Loc loc) { return ir::FormatLoc(policy, loc); }

// "call payments.transfer as procurement.ProcurementBot::"bot-7"".
std::string Describe(const ir::Test& test, const ir::TestRequest& request,
                     const ir::Policy& policy) {
  const ir::TestEntity& principal = test.entities.at(request.principal);
  return fmt::format("{} {} as {}::{}", ir::Spelling(request.phase), policy.tool(request.tool).name,
                     policy.entity_type(principal.type).name, ir::Quote(principal.id));
}

// The failed step of a failed test (RunTests stops at it), or null.
const runtime::TestStep* FailedStep(const runtime::TestResult& result) {
  for (const runtime::TestStep& step : result.steps) {
    if (!step.failures.empty()) return &step;
  }
  return nullptr;
}

// The failure of a test as several lines: where the request is, what it was, what went wrong.
std::string FailureText(const ir::Policy& policy, const runtime::TestResult& result) {
  const runtime::TestStep* step = FailedStep(result);
  if (step == nullptr) return "";
  std::string text = fmt::format("{}: {}\n", Where(policy, step->request->loc),
                                 Describe(*result.test, *step->request, policy));
  for (const std::string& failure : step->failures) text += fmt::format("  {}\n", failure);
  return text;
}

// Declarations by file, in file order.
std::map<uint32_t, std::vector<const runtime::CoveredDecl*>> ByFile(
    const runtime::TestReport& report) {
  std::map<uint32_t, std::vector<const runtime::CoveredDecl*>> files;
  for (const runtime::CoveredDecl& decl : report.coverage) files[decl.loc.file].push_back(&decl);
  return files;
}

size_t CountCovered(const std::vector<const runtime::CoveredDecl*>& decls) {
  size_t covered = 0;
  for (const runtime::CoveredDecl* decl : decls) covered += decl->covered ? 1 : 0;
  return covered;
}

double Percent(size_t covered, size_t total) {
  return total == 0 ? 100.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(total);
}

std::string FileName(const ir::Policy& policy, uint32_t file) {
  return file < policy.files.size() ? policy.files[file] : "-";
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no way to write most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

double CoveragePercent(const runtime::TestReport& report) {
  size_t covered = 0;
  for (const runtime::CoveredDecl& decl : report.coverage) covered += decl.covered ? 1 : 0;
  return Percent(covered, report.coverage.size());
}

std::string TestsText(const ir::Policy& policy, const runtime::TestReport& report, bool verbose) {
  std::string text;
  for (const runtime::TestResult& result : report.results) {
    const ir::Test& test = *result.test;
    const std::string& package = policy.packages.at(test.package.index).name;
    if (result.passed()) {
      if (verbose) {
        text += fmt::format("PASS  {} {} ({:.2f} ms)\n", package, ir::Quote(test.name),
                            result.millis);
      }
      continue;
    }
    text += fmt::format("FAIL  {} {} at {}\n", package, ir::Quote(test.name),
                        Where(policy, test.loc));
    std::string failure = FailureText(policy, result);
    size_t begin = 0;
    while (begin < failure.size()) {
      size_t end = failure.find('\n', begin);
      text += "      " + failure.substr(begin, end - begin) + "\n";
      begin = end + 1;
    }
  }
  if (report.results.empty()) {
    text += "no tests ran\n";
  } else {
    text += fmt::format("{} {}: {} passed, {} failed\n", report.results.size(),
                        report.results.size() == 1 ? "test" : "tests", report.passed(),
                        report.failed());
  }
  return text;
}

std::string CoverageText(const ir::Policy& policy, const runtime::TestReport& report) {
  size_t covered_total = 0;
  std::string files;
  std::string missing;
  for (const auto& [file, decls] : ByFile(report)) {
    size_t covered = CountCovered(decls);
    covered_total += covered;
    files += fmt::format("  {:>6.1f}%  {:>3}/{:<3} {}\n", Percent(covered, decls.size()), covered,
                         decls.size(), FileName(policy, file));
    for (const runtime::CoveredDecl* decl : decls) {
      if (decl->covered) continue;
      missing += fmt::format("  {} {} {}\n", Where(policy, decl->loc), decl->kind, decl->id);
    }
  }
  std::string text = fmt::format("coverage: {}/{} declarations exercised by tests ({:.1f}%)\n",
                                 covered_total, report.coverage.size(), CoveragePercent(report));
  text += files;
  if (!missing.empty()) text += "not exercised by any test:\n" + missing;
  return text;
}

std::string TestsJson(const ir::Policy& policy, const runtime::TestReport& report, bool coverage) {
  Json tests = Json::array();
  for (const runtime::TestResult& result : report.results) {
    const ir::Test& test = *result.test;
    Json entry = {{"package", policy.packages.at(test.package.index).name},
                  {"name", test.name},
                  {"location", Where(policy, test.loc)},
                  {"passed", result.passed()},
                  {"millis", result.millis}};
    Json failures = Json::array();
    if (const runtime::TestStep* step = FailedStep(result)) {
      for (const std::string& failure : step->failures) {
        failures.push_back({{"location", Where(policy, step->request->loc)},
                            {"request", Describe(test, *step->request, policy)},
                            {"expected", runtime::Spelling(runtime::ExpectedEffect(
                                             step->request->expected))},
                            {"actual", runtime::Spelling(step->decision.effect)},
                            {"message", failure}});
      }
    }
    entry["failures"] = std::move(failures);
    tests.push_back(std::move(entry));
  }
  Json doc = {{"version", 1},
              {"tests", std::move(tests)},
              {"summary",
               {{"total", report.results.size()},
                {"passed", report.passed()},
                {"failed", report.failed()}}}};
  if (coverage) {
    Json files = Json::array();
    size_t covered_total = 0;
    for (const auto& [file, decls] : ByFile(report)) {
      size_t covered = CountCovered(decls);
      covered_total += covered;
      Json declarations = Json::array();
      for (const runtime::CoveredDecl* decl : decls) {
        declarations.push_back({{"id", decl->id},
                                {"kind", decl->kind},
                                {"location", Where(policy, decl->loc)},
                                {"covered", decl->covered}});
      }
      files.push_back({{"file", FileName(policy, file)},
                       {"covered", covered},
                       {"total", decls.size()},
                       {"percent", Percent(covered, decls.size())},
                       {"declarations", std::move(declarations)}});
    }
    doc["coverage"] = {{"covered", covered_total},
                       {"total", report.coverage.size()},
                       {"percent", CoveragePercent(report)},
                       {"files", std::move(files)}};
  }
  return doc.dump(2) + "\n";
}

std::string TestsJunit(const ir::Policy& policy, const runtime::TestReport& report) {
  // Suites in the order their packages' first tests ran.
  std::vector<uint32_t> order;
  std::map<uint32_t, std::vector<const runtime::TestResult*>> suites;
  for (const runtime::TestResult& result : report.results) {
    uint32_t package = result.test->package.index;
    if (!suites.contains(package)) order.push_back(package);
    suites[package].push_back(&result);
  }
  double total_seconds = 0;
  for (const runtime::TestResult& result : report.results) total_seconds += result.millis / 1000;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites name=\"writ test\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
                     "time=\"{:.6f}\">\n",
                     report.results.size(), report.failed(), total_seconds);
  for (uint32_t package : order) {
    const std::vector<const runtime::TestResult*>& results = suites[package];
    const std::string& name = policy.packages.at(package).name;
    size_t failures = 0;
    double seconds = 0;
    for (const runtime::TestResult* result : results) {
      failures += result->passed() ? 0 : 1;
      seconds += result->millis / 1000;
    }
    xml += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
        "time=\"{:.6f}\">\n",
        XmlEscape(name), results.size(), failures, seconds);
    for (const runtime::TestResult* result : results) {
      const ir::Test& test = *result->test;
      xml += fmt::format(
          "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.6f}\"",
          XmlEscape(test.name), XmlEscape(name), XmlEscape(FileName(policy, test.loc.file)),
          test.loc.line, result->millis / 1000);
      if (result->passed()) {
        xml += "/>\n";
        continue;
      }
      const runtime::TestStep* step = FailedStep(*result);
      xml += fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                         XmlEscape(step->failures.front()),
                         XmlEscape(FailureText(policy, *result)));
      xml += "    </testcase>\n";
    }
    xml += "  </testsuite>\n";
  }
  xml += "</testsuites>\n";
  return xml;
}

}  // namespace writ::cli
