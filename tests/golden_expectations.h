// The inline expectation comments of the golden tests (tests/golden/README.md), shared by the
// checker's golden test (W codes) and the linter's (L codes):
//   //     ^~~~ W0204: message     a diagnostic on the nearest line above that is not an
//                                  expectation; the caret is its column, the carets and
//                                  tildes its length
//   // expect W0103 at 1:1: message   (or `at end`) a diagnostic at an explicit position
#ifndef WRIT_TESTS_GOLDEN_EXPECTATIONS_H_
#define WRIT_TESTS_GOLDEN_EXPECTATIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace writ::golden {

// One expected or actual diagnostic, in the form the comments write it.
struct Expectation {
  std::string file;
  uint32_t line = 0;  // 0 with at_end set means "at the end of the file"
  uint32_t column = 0;
  uint32_t length = 0;  // 0 when the comment does not state a length (explicit form)
  bool at_end = false;
  std::string code;
  std::string message;

  // "case.writ:3:5+4 W0204: message"; without the length when `with_length` is false.
  std::string Key(bool with_length = true) const;
};

// `letter` is the first letter of the codes a test expects: 'W' or 'L'.
bool IsExpectationLine(const std::string& line, char letter);
std::vector<Expectation> ParseExpectations(const std::string& path, char letter);

// A case is a `.writ` file or a folder of them, in name order.
std::vector<std::string> CaseFiles(const std::string& case_path);

std::string ReadAll(const std::string& path);
std::vector<std::string> SplitLines(const std::string& text);
// Columns are measured in code points.
uint32_t CodePoints(std::string_view text);

}  // namespace writ::golden

#endif  // WRIT_TESTS_GOLDEN_EXPECTATIONS_H_
