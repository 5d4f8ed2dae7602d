// Myers' O(ND) difference algorithm over lines, then grouping into unified-diff hunks.
#include "tools/diff.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace writ::cli {
namespace {

constexpr int kContext = 3;
// Beyond this many differing lines the O(D^2) trace of Myers' algorithm gets large; such a
// diff is not read line by line anyway, so one replacing hunk is as useful.
constexpr int kMaxEdits = 2000;

// Lines with their terminators, so a missing final newline is a difference.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

enum class OpKind { kEqual, kDelete, kInsert };

struct Op {
  OpKind kind;
  int a;  // line index in `before` where the op applies
  int b;  // line index in `after`
};

using Lines = std::vector<std::string_view>;

// The shortest edit script from a[a0, a1) to b[b0, b1), appended to `ops`; false (nothing
// appended) when it needs more than kMaxEdits edits.
bool Myers(const Lines& a, int a0, int a1, const Lines& b, int b0, int b1, std::vector<Op>& ops) {
  int n = a1 - a0;
  int m = b1 - b0;
  int max = std::min(n + m, kMaxEdits);
  int offset = max + 1;
  std::vector<int> v(2 * static_cast<size_t>(max) + 3, 0);
  // trace[d][k + d]: the furthest x on diagonal k after d edits.
  std::vector<std::vector<int>> trace;
  int found = -1;
  for (int d = 0; d <= max && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                            : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[a0 + x] == b[b0 + y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.emplace_back(v.begin() + offset - d, v.begin() + offset + d + 1);
  }
  if (found < 0) return false;

  std::vector<Op> reversed;
  int x = n;
  int y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& previous = trace[d - 1];
    auto at = [&](int k) { return previous[k + d - 1]; };
    int k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    int previous_k = down ? k + 1 : k - 1;
    int previous_x = at(previous_k);
    int previous_y = previous_x - previous_k;
    while (x > previous_x + (down ? 0 : 1) && y > previous_y + (down ? 1 : 0)) {
      --x, --y;
      reversed.push_back({OpKind::kEqual, a0 + x, b0 + y});
    }
    if (down) {
      --y;
      reversed.push_back({OpKind::kInsert, a0 + x, b0 + y});
    } else {
      --x;
      reversed.push_back({OpKind::kDelete, a0 + x, b0 + y});
    }
  }
  while (x > 0 && y > 0) {
    --x, --y;
    reversed.push_back({OpKind::kEqual, a0 + x, b0 + y});
  }
  ops.insert(ops.end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::vector<Op> Diff(const Lines& a, const Lines& b) {
  int n = static_cast<int>(a.size());
  int m = static_cast<int>(b.size());
  int prefix = 0;
  while (prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
  int suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix]) {
    ++suffix;
  }
  std::vector<Op> ops;
  for (int i = 0; i < prefix; ++i) ops.push_back({OpKind::kEqual, i, i});
  if (!Myers(a, prefix, n - suffix, b, prefix, m - suffix, ops)) {
    for (int i = prefix; i < n - suffix; ++i) ops.push_back({OpKind::kDelete, i, prefix});
    for (int j = prefix; j < m - suffix; ++j) ops.push_back({OpKind::kInsert, n - suffix, j});
  }
  for (int i = 0; i < suffix; ++i) ops.push_back({OpKind::kEqual, n - suffix + i, m - suffix + i});
  return ops;
}

void AppendLine(std::string& out, char marker, std::string_view line) {
  out += marker;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  Lines a = SplitLines(before);
  Lines b = SplitLines(after);
  std::vector<Op> ops = Diff(a, b);

  std::string out = fmt::format("--- {}\n+++ {}\n", path, path);
  int size = static_cast<int>(ops.size());
  int next = 0;
  while (true) {
    int change = next;
    while (change < size && ops[change].kind == OpKind::kEqual) ++change;
    if (change == size) break;
    int start = std::max(next, change - kContext);
    // Extend while the next change is close enough that the two hunks' context would touch.
    int last_change = change;
    int end = change;
    for (; end < size; ++end) {
      if (ops[end].kind != OpKind::kEqual) {
        last_change = end;
      } else if (end - last_change > 2 * kContext) {
        break;
      }
    }
    end = std::min(size, last_change + kContext + 1);

    int a_count = 0;
    int b_count = 0;
    for (int i = start; i < end; ++i) {
      if (ops[i].kind != OpKind::kInsert) ++a_count;
      if (ops[i].kind != OpKind::kDelete) ++b_count;
    }
    // Unified diff numbers lines from 1, except that an empty range names the line before it.
    int a_start = ops[start].a + (a_count > 0 ? 1 : 0);
    int b_start = ops[start].b + (b_count > 0 ? 1 : 0);
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_start, a_count, b_start, b_count);
    for (int i = start; i < end; ++i) {
      switch (ops[i].kind) {
        case OpKind::kEqual: AppendLine(out, ' ', a[ops[i].a]); break;
        case OpKind::kDelete: AppendLine(out, '-', a[ops[i].a]); break;
        case OpKind::kInsert: AppendLine(out, '+', b[ops[i].b]); break;
      }
    }
    next = end;
  }
  return out;
}

}  // namespace writ::cli
