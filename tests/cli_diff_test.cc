// The unified diff behind `writ fmt --diff`: applying it to the old text must give the new one,
// for minimal diffs and for the coarse fallback on very different inputs.
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tools/diff.h"

namespace writ::cli {
namespace {

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

// Applies a unified diff as `patch` would, checking every context and removed line; returns
// false (with a test failure) if the diff does not fit `before`.
bool Apply(std::string_view before, std::string_view diff, std::string& after) {
  std::vector<std::string> old_lines = Lines(before);
  std::vector<std::string> diff_lines = Lines(diff);
  if (diff_lines.size() < 2) return false;
  size_t next_old = 0;
  after.clear();
  for (size_t i = 2; i < diff_lines.size(); ++i) {
    const std::string& line = diff_lines[i];
    if (line.starts_with("@@")) {
      int old_start = 0, old_count = 0, new_start = 0, new_count = 0;
      EXPECT_EQ(std::sscanf(line.c_str(), "@@ -%d,%d +%d,%d @@", &old_start, &old_count,
                            &new_start, &new_count),
                4)
          << line;
      size_t first = old_count == 0 ? old_start : old_start - 1;
      while (next_old < first) after += old_lines[next_old++];
      continue;
    }
    std::string body = line.substr(1);
    bool no_newline = i + 1 < diff_lines.size() && diff_lines[i + 1].starts_with("\\ No newline");
    if (no_newline) {
      body.pop_back();
      ++i;
    }
    switch (line[0]) {
      case ' ':
      case '-':
        if (next_old >= old_lines.size() || old_lines[next_old] != body) {
          ADD_FAILURE() << "diff does not fit at old line " << next_old + 1 << ": " << line;
          return false;
        }
        if (line[0] == ' ') after += body;
        ++next_old;
        break;
      case '+': after += body; break;
      default: ADD_FAILURE() << "unexpected diff line: " << line; return false;
    }
  }
  while (next_old < old_lines.size()) after += old_lines[next_old++];
  return true;
}

void ExpectRoundTrip(std::string_view before, std::string_view after) {
  std::string diff = UnifiedDiff("f.writ", before, after);
  if (before == after) {
    EXPECT_EQ(diff, "");
    return;
  }
  std::string applied;
  ASSERT_TRUE(Apply(before, diff, applied)) << diff;
  EXPECT_EQ(applied, after) << diff;
}

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("f", "a\nb\n", "a\nb\n"), ""); }

TEST(UnifiedDiff, ExactOutputWithContext) {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(UnifiedDiff("f.writ", before, after),
            "--- f.writ\n"
            "+++ f.writ\n"
            "@@ -2,7 +2,7 @@\n"
            " 2\n"
            " 3\n"
            " 4\n"
            "-5\n"
            "+five\n"
            " 6\n"
            " 7\n"
            " 8\n");
}

TEST(UnifiedDiff, DistantChangesGetSeparateHunks) {
  std::string before;
  for (int i = 1; i <= 20; ++i) before += std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("2\n"), 2, "two\n");
  after.replace(after.find("19\n"), 3, "");
  std::string diff = UnifiedDiff("f", before, after);
  EXPECT_NE(diff.find("@@ -1,5 +1,5 @@\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -16,5 +16,4 @@\n"), std::string::npos) << diff;
  ExpectRoundTrip(before, after);
}

TEST(UnifiedDiff, MissingFinalNewline) {
  EXPECT_EQ(UnifiedDiff("f", "a", "a\n"),
            "--- f\n+++ f\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+a\n");
  ExpectRoundTrip("x\ny", "x\ny\n");
  ExpectRoundTrip("x\ny\n", "x\nz");
}

TEST(UnifiedDiff, EmptySides) {
  EXPECT_EQ(UnifiedDiff("f", "", "a\n"), "--- f\n+++ f\n@@ -0,0 +1,1 @@\n+a\n");
  EXPECT_EQ(UnifiedDiff("f", "a\n", ""), "--- f\n+++ f\n@@ -1,1 +0,0 @@\n-a\n");
}

TEST(UnifiedDiff, RandomEditsApplyBack) {
  std::mt19937 random(20240611);
  auto text = [&](int lines) {
    std::string out;
    for (int i = 0; i < lines; ++i) {
      out += static_cast<char>('a' + random() % 4);
      out += '\n';
    }
    if (random() % 4 == 0 && !out.empty()) out.pop_back();
    return out;
  };
  for (int round = 0; round < 500; ++round) {
    std::string before = text(static_cast<int>(random() % 30));
    std::string after;
    if (round % 2 == 0) {
      after = text(static_cast<int>(random() % 30));
    } else {
      // A few local edits of `before`, the shape formatting changes usually have.
      std::vector<std::string> lines = Lines(before);
      for (int edit = 0; edit < 3 && !lines.empty(); ++edit) {
        size_t at = random() % lines.size();
        if (random() % 2) {
          lines.erase(lines.begin() + static_cast<long>(at));
        } else {
          lines.insert(lines.begin() + static_cast<long>(at), "new\n");
        }
      }
      for (const std::string& line : lines) after += line;
    }
    ExpectRoundTrip(before, after);
    if (HasFailure()) break;
  }
}

TEST(UnifiedDiff, VeryDifferentInputsFallBackToOneHunk) {
  std::string before;
  std::string after;
  for (int i = 0; i < 3000; ++i) {
    before += "old " + std::to_string(i) + "\n";
    after += "new " + std::to_string(i) + "\n";
  }
  before = "same\n" + before + "tail\n";
  after = "same\n" + after + "tail\n";
  std::string diff = UnifiedDiff("f", before, after);
  EXPECT_NE(diff.find("@@ -1,3002 +1,3002 @@\n"), std::string::npos) << diff.substr(0, 200);
  ExpectRoundTrip(before, after);
}

}  // namespace
}  // namespace writ::cli
