#include "tests/golden_expectations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace writ::golden {
namespace {

namespace fs = std::filesystem;

std::regex CaretPattern(char letter) {
  return std::regex(std::string(R"(^(\s*)//( *)(\^~*) ()") + letter + R"(\d{4}): (.*)$)");
}

std::regex ExplicitPattern(char letter) {
  return std::regex(std::string(R"(^\s*// expect ()") + letter +
                    R"(\d{4}) at (?:(\d+):(\d+)|end): (.*)$)");
}

}  // namespace

std::string Expectation::Key(bool with_length) const {
  std::ostringstream out;
  out << fs::path(file).filename().string() << ":";
  if (at_end) {
    out << "end";
  } else {
    out << line << ":" << column;
  }
  if (with_length && length > 0) out << "+" << length;
  out << " " << code << ": " << message;
  return out.str();
}

bool IsExpectationLine(const std::string& line, char letter) {
  return std::regex_match(line, CaretPattern(letter)) ||
         std::regex_match(line, ExplicitPattern(letter));
}

std::vector<Expectation> ParseExpectations(const std::string& path, char letter) {
  const std::regex caret = CaretPattern(letter);
  const std::regex explicit_position = ExplicitPattern(letter);
  std::vector<Expectation> out;
  std::vector<std::string> lines = SplitLines(ReadAll(path));
  uint32_t target = 0;  // 1-based line that caret comments refer to
  for (uint32_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    Expectation e;
    e.file = path;
    if (std::regex_match(lines[i], m, caret)) {
      e.line = target;
      // The caret's column counts from the comment line's start, as the referenced line does.
      e.column = CodePoints(m[1].str()) + 2 + static_cast<uint32_t>(m[2].length()) + 1;
      e.length = static_cast<uint32_t>(m[3].length());
      e.code = m[4];
      e.message = m[5];
      out.push_back(e);
    } else if (std::regex_match(lines[i], m, explicit_position)) {
      e.code = m[1];
      if (m[2].matched) {
        e.line = static_cast<uint32_t>(std::stoul(m[2]));
        e.column = static_cast<uint32_t>(std::stoul(m[3]));
      } else {
        e.at_end = true;
      }
      e.message = m[4];
      out.push_back(e);
    } else {
      target = i + 1;
    }
  }
  return out;
}

std::vector<std::string> CaseFiles(const std::string& case_path) {
  if (!fs::is_directory(case_path)) return {case_path};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(case_path)) {
    if (entry.path().extension() == ".writ") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

uint32_t CodePoints(std::string_view text) {
  uint32_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace writ::golden
