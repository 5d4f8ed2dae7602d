// The rustc-style text renderer. JSON and SARIF live in render_json.cc.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/diagnostics/render.h"

namespace writ::diag {
namespace {

// ---- color ----------------------------------------------------------------------------------

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[1;31m";
constexpr std::string_view kYellow = "\x1b[1;33m";
constexpr std::string_view kGreen = "\x1b[1;32m";
constexpr std::string_view kBlue = "\x1b[1;34m";

class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  std::string operator()(std::string_view style, std::string_view text) const {
    if (!enabled_ || text.empty()) return std::string(text);
    return fmt::format("{}{}{}", style, text, kReset);
  }

 private:
  bool enabled_;
};

std::string_view SeverityStyle(Severity severity) {
  switch (severity) {
    case Severity::kError: return kRed;
    case Severity::kWarning: return kYellow;
    case Severity::kNote: return kGreen;
  }
  return kRed;
}

// ---- display columns ------------------------------------------------------------------------

// Terminal cells a code point occupies: 0 for combining marks and zero-width characters, 2 for
// East Asian wide characters and emoji, 1 otherwise. An approximation of wcwidth that does not
// depend on the process locale, so output is the same on every machine.
int CellWidth(uint32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
      (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF) {
    return 0;
  }
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// Length of the valid UTF-8 sequence at `text[i]` with its code point, or 0 if it is not one.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = 0;
  uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

// A source line made safe and aligned for a terminal: tabs become spaces, control characters
// and bytes that are not UTF-8 become U+FFFD, and every byte knows its display column.
struct DisplayLine {
  std::string text;
  std::vector<uint32_t> column_of_byte;  // size = source bytes + 1; 0-based cells

  DisplayLine(std::string_view line, int tab_width) {
    column_of_byte.reserve(line.size() + 1);
    uint32_t column = 0;
    size_t i = 0;
    while (i < line.size()) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      size_t length = 1;
      int width = 1;
      if (c == '\t') {
        width = tab_width;
        text.append(static_cast<size_t>(tab_width), ' ');
      } else if (c < 0x20 || c == 0x7F) {
        text += "\xEF\xBF\xBD";
      } else if (c < 0x80) {
        text += static_cast<char>(c);
      } else {
        uint32_t cp = 0;
        length = DecodeUtf8(line, i, cp);
        if (length == 0) {
          length = 1;
          text += "\xEF\xBF\xBD";
        } else {
          width = CellWidth(cp);
          text.append(line.substr(i, length));
        }
      }
      for (size_t k = 0; k < length; ++k) column_of_byte.push_back(column);
      column += static_cast<uint32_t>(width);
      i += length;
    }
    column_of_byte.push_back(column);
  }
};

// ---- layout ---------------------------------------------------------------------------------

// One underline: the primary span or a label, placed on the source line where it starts.
struct Mark {
  uint32_t line = 0;
  uint32_t begin = 0;  // display columns, 0-based, [begin, end)
  uint32_t end = 0;
  LineCol start;
  std::string_view message;
  bool primary = false;
};

struct FileGroup {
  FileId file;
  std::vector<Mark> marks;
};

bool Locatable(const SourceManager& sources, Span span) {
  return span.valid() && span.file.index < sources.size();
}

Mark PlaceMark(const SourceFile& file, Span span, std::string_view message, bool primary,
               int tab_width) {
  uint32_t size = static_cast<uint32_t>(file.text().size());
  uint32_t begin = std::min(span.begin, size);
  uint32_t end = std::clamp(span.end, begin, size);
  Mark mark;
  mark.start = file.Locate(begin);
  mark.line = mark.start.line;
  mark.message = message;
  mark.primary = primary;
  uint32_t line_start = file.LineStart(mark.line);
  std::string_view text = file.Line(mark.line);
  // A span reaching past its first line is underlined to the end of that line.
  uint32_t line_end = line_start + static_cast<uint32_t>(text.size());
  uint32_t first = std::min(begin, line_end) - line_start;
  uint32_t last = std::min(end, line_end) - line_start;
  DisplayLine display(text, tab_width);
  mark.begin = display.column_of_byte[first];
  mark.end = std::max(display.column_of_byte[last], mark.begin + 1);
  return mark;
}

std::vector<FileGroup> GroupMarks(const SourceManager& sources, const Diagnostic& diagnostic,
                                  int tab_width) {
  std::vector<FileGroup> groups;
  auto add = [&](Span span, std::string_view message, bool primary) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const FileGroup& group) { return group.file == span.file; });
    if (it == groups.end()) it = groups.insert(groups.end(), FileGroup{span.file, {}});
    it->marks.push_back(PlaceMark(sources.file(span.file), span, message, primary, tab_width));
  };
  if (Locatable(sources, diagnostic.span)) add(diagnostic.span, {}, true);
  for (const Label& label : diagnostic.labels) {
    if (Locatable(sources, label.span)) add(label.span, label.message, false);
  }
  for (FileGroup& group : groups) {
    std::stable_sort(group.marks.begin(), group.marks.end(), [](const Mark& a, const Mark& b) {
      if (a.line != b.line) return a.line < b.line;
      if (a.begin != b.begin) return a.begin < b.begin;
      return a.primary && !b.primary;
    });
  }
  return groups;
}

size_t Digits(uint32_t n) { return fmt::formatted_size("{}", n); }

class TextWriter {
 public:
  TextWriter(const SourceManager& sources, const TextOptions& options)
      : sources_(sources), options_(options), paint_(options.color) {}

  std::string Render(const Diagnostic& diagnostic) {
    const KindInfo& info = diagnostic.info();
    std::string_view severity_style = SeverityStyle(diagnostic.severity);
    out_ +=
        paint_(severity_style, fmt::format("{}[{}]", SeverityName(diagnostic.severity), info.id));
    out_ += paint_(kBold, fmt::format(": {}", diagnostic.message));
    out_ += '\n';

    std::vector<FileGroup> groups = GroupMarks(sources_, diagnostic, options_.tab_width);
    uint32_t widest = 1;
    for (const FileGroup& group : groups) {
      for (const Mark& mark : group.marks) widest = std::max(widest, mark.line);
    }
    gutter_ = std::string(Digits(widest), ' ');

    for (size_t g = 0; g < groups.size(); ++g) {
      if (g > 0) EmptyGutterLine();
      WriteGroup(groups[g], g == 0, severity_style);
    }

    std::vector<std::pair<std::string_view, std::string_view>> footer;
    for (const Label& label : diagnostic.labels) {
      if (!Locatable(sources_, label.span)) footer.emplace_back("note", label.message);
    }
    for (const std::string& note : diagnostic.notes) footer.emplace_back("note", note);
    if (!diagnostic.help.empty()) footer.emplace_back("help", diagnostic.help);
    if (!footer.empty() && !groups.empty()) EmptyGutterLine();
    for (const auto& [kind, text] : footer) WriteFooter(kind, text);
    return std::move(out_);
  }

 private:
  void EmptyGutterLine() {
    out_ += paint_(kBlue, fmt::format("{} |", gutter_));
    out_ += '\n';
  }

  void WriteGroup(const FileGroup& group, bool first, std::string_view severity_style) {
    const SourceFile& file = sources_.file(group.file);
    // The header points at the primary span when this group has it, else at its first label.
    const Mark* anchor = &group.marks.front();
    for (const Mark& mark : group.marks) {
      if (mark.primary) anchor = &mark;
    }
    out_ += paint_(kBlue, fmt::format("{}{} ", gutter_, first ? "-->" : ":::"));
    out_ += fmt::format("{}:{}:{}\n", file.path(), anchor->start.line, anchor->start.column);
    EmptyGutterLine();

    uint32_t previous = 0;
    for (size_t i = 0; i < group.marks.size();) {
      uint32_t line = group.marks[i].line;
      size_t next = i;
      while (next < group.marks.size() && group.marks[next].line == line) ++next;
      if (previous != 0 && line > previous + 1) out_ += paint_(kBlue, "...") + "\n";
      WriteLine(file, line, std::span(group.marks).subspan(i, next - i), severity_style);
      previous = line;
      i = next;
    }
  }

  // A source line and the underline rows below it. Marks share a row while they do not overlap
  // and only the rightmost of the row carries a message (a message runs to the end of the row).
  void WriteLine(const SourceFile& file, uint32_t line, std::span<const Mark> marks,
                 std::string_view severity_style) {
    DisplayLine display(file.Line(line), options_.tab_width);
    std::string number = fmt::format("{:>{}}", line, gutter_.size());
    out_ += paint_(kBlue, fmt::format("{} |", number));
    if (!display.text.empty()) out_ += ' ' + display.text;
    out_ += '\n';

    std::vector<std::vector<const Mark*>> rows;
    for (const Mark& mark : marks) {
      if (!rows.empty()) {
        const Mark* last = rows.back().back();
        if (last->message.empty() && last->end < mark.begin) {
          rows.back().push_back(&mark);
          continue;
        }
      }
      rows.push_back({&mark});
    }
    for (const std::vector<const Mark*>& row : rows) {
      std::string text = paint_(kBlue, fmt::format("{} |", gutter_)) + ' ';
      uint32_t column = 0;
      for (const Mark* mark : row) {
        text.append(mark->begin - column, ' ');
        uint32_t width = mark->end - mark->begin;
        std::string underline = mark->primary ? '^' + std::string(width - 1, '~')
                                              : std::string(width, '-');
        if (!mark->message.empty()) underline += fmt::format(" {}", mark->message);
        text += paint_(mark->primary ? severity_style : kBlue, underline);
        column = mark->end;
      }
      out_ += text;
      out_ += '\n';
    }
  }

  // `= note: text`, with later lines of a multi-line text aligned under the first.
  void WriteFooter(std::string_view kind, std::string_view text) {
    std::string prefix = fmt::format("{} = {}:", gutter_, kind);
    std::string indent(prefix.size() + 1, ' ');
    out_ += paint_(kBold, prefix);
    bool first = true;
    size_t start = 0;
    while (true) {
      size_t newline = text.find('\n', start);
      std::string_view piece = text.substr(start, newline - start);
      out_ += first ? " " : indent;
      out_ += piece;
      out_ += '\n';
      first = false;
      if (newline == std::string_view::npos) break;
      start = newline + 1;
    }
  }

  const SourceManager& sources_;
  const TextOptions& options_;
  Painter paint_;
  std::string gutter_ = " ";
  std::string out_;
};

std::string Plural(int count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

}  // namespace

std::string RenderText(const SourceManager& sources, const Diagnostic& diagnostic,
                       const TextOptions& options) {
  return TextWriter(sources, options).Render(diagnostic);
}

std::string RenderText(const SourceManager& sources, std::span<const Diagnostic> diagnostics,
                       const TextOptions& options) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics) {
    out += RenderText(sources, diagnostic, options);
    out += '\n';
  }
  std::string summary = RenderSummary(diagnostics, options);
  if (!summary.empty()) out += summary;
  return out;
}

std::string RenderSummary(std::span<const Diagnostic> diagnostics, const TextOptions& options) {
  int errors = 0;
  int warnings = 0;
  std::set<uint32_t> files;
  for (const Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity == Severity::kNote) continue;
    (diagnostic.severity == Severity::kError ? errors : warnings)++;
    if (diagnostic.span.valid()) files.insert(diagnostic.span.file.index);
  }
  if (errors == 0 && warnings == 0) return {};
  std::string counts;
  if (errors > 0) counts = Plural(errors, "error");
  if (warnings > 0) counts += (counts.empty() ? "" : " and ") + Plural(warnings, "warning");
  if (!files.empty()) counts += " in " + Plural(static_cast<int>(files.size()), "file");
  Painter paint(options.color);
  Severity severity = errors > 0 ? Severity::kError : Severity::kWarning;
  return paint(SeverityStyle(severity), SeverityName(severity)) + paint(kBold, ": " + counts) +
         "\n";
}

}  // namespace writ::diag
