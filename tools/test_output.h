// How `writ test` writes what runtime::RunTests returns: readable text, one JSON document, and
// JUnit XML for CI systems. Kept apart from the command so each format is testable on its own.
#ifndef WRIT_TOOLS_TEST_OUTPUT_H_
#define WRIT_TOOLS_TEST_OUTPUT_H_

#include <string>

#include "compiler/ir/policy.h"
#include "runtime/test_runner.h"

namespace writ::cli {

// The share of covered declarations, 100 when there are none.
double CoveragePercent(const runtime::TestReport& report);

// Failures with their expected and actual decisions and source locations, each passing test
// too when `verbose`, then a summary line.
std::string TestsText(const ir::Policy& policy, const runtime::TestReport& report, bool verbose);

// The coverage table: per file, covered / total, then every declaration no test exercised.
std::string CoverageText(const ir::Policy& policy, const runtime::TestReport& report);

// One JSON document (version 1): tests with their failures, a summary and, when `coverage`,
// per-file coverage with every declaration.
std::string TestsJson(const ir::Policy& policy, const runtime::TestReport& report, bool coverage);

// JUnit XML: one <testsuite> per package, one <testcase> per test, a <failure> per failed test.
std::string TestsJunit(const ir::Policy& policy, const runtime::TestReport& report);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_TEST_OUTPUT_H_
