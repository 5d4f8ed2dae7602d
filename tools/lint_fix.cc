#include "tools/lint_fix.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "tools/io.h"

namespace writ::cli {
namespace {

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Widens a deletion to whole lines when it leaves nothing but blanks on them.
diag::FixIt WholeLines(std::string_view text, diag::FixIt fix) {
  if (!fix.replacement.empty()) return fix;
  size_t line_start = text.rfind('\n', fix.span.begin == 0 ? 0 : fix.span.begin - 1);
  line_start = (fix.span.begin == 0 || line_start == std::string_view::npos) ? 0 : line_start + 1;
  if (fix.span.begin > 0 && text[fix.span.begin - 1] == '\n') line_start = fix.span.begin;
  size_t line_end = text.find('\n', fix.span.end);
  if (line_end == std::string_view::npos) line_end = text.size();
  if (!Blank(text.substr(line_start, fix.span.begin - line_start)) ||
      !Blank(text.substr(fix.span.end, line_end - fix.span.end))) {
    return fix;
  }
  size_t end = std::min(line_end + 1, text.size());
  // A blank line before and after: keep one of them.
  bool blank_before = line_start == 0;
  if (line_start >= 1) {
    size_t prev = line_start >= 2 ? text.rfind('\n', line_start - 2) : std::string_view::npos;
    size_t prev_start = prev == std::string_view::npos ? 0 : prev + 1;
    blank_before = Blank(text.substr(prev_start, line_start - 1 - prev_start));
  }
  // The last declaration of the file: the blank line before it goes with it.
  if (end >= text.size() && blank_before && line_start > 0) {
    size_t prev = line_start >= 2 ? text.rfind('\n', line_start - 2) : std::string_view::npos;
    fix.span.begin = static_cast<uint32_t>(prev == std::string_view::npos ? 0 : prev + 1);
    fix.span.end = static_cast<uint32_t>(end);
    return fix;
  }
  size_t next_end = text.find('\n', end);
  if (next_end == std::string_view::npos) next_end = text.size();
  if (blank_before && end < text.size() && Blank(text.substr(end, next_end - end))) {
    end = std::min(next_end + 1, text.size());
  }
  fix.span.begin = static_cast<uint32_t>(line_start);
  fix.span.end = static_cast<uint32_t>(end);
  return fix;
}

}  // namespace

std::string ApplyFixes(const SourceFile& file, std::vector<diag::FixIt> fixes) {
  std::string_view text = file.text();
  for (diag::FixIt& fix : fixes) fix = WholeLines(text, fix);
  std::stable_sort(fixes.begin(), fixes.end(),
                   [](const diag::FixIt& a, const diag::FixIt& b) { return a.span.begin < b.span.begin; });
  std::string out;
  size_t at = 0;
  for (const diag::FixIt& fix : fixes) {
    if (fix.span.begin < at || fix.span.end > text.size()) continue;  // overlaps an earlier fix
    out.append(text.substr(at, fix.span.begin - at));
    out += fix.replacement;
    at = fix.span.end;
  }
  out.append(text.substr(at));
  return out;
}

absl::StatusOr<size_t> FixFiles(const SourceManager& sources,
                                std::span<const diag::Diagnostic> findings) {
  std::map<uint32_t, std::vector<diag::FixIt>> by_file;
  for (const diag::Diagnostic& d : findings) {
    for (const diag::FixIt& fix : d.fixits) {
      if (fix.span.valid()) by_file[fix.span.file.index].push_back(fix);
    }
  }
  size_t changed = 0;
  for (auto& [index, fixes] : by_file) {
    const SourceFile& file = sources.file(fixes.front().span.file);
    std::string fixed = ApplyFixes(file, fixes);
    if (fixed == file.text()) continue;
    if (absl::Status status = WriteFileAtomically(file.path(), fixed); !status.ok()) return status;
    ++changed;
  }
  return changed;
}

}  // namespace writ::cli
