// Source files and spans: the one place that knows how byte offsets map to lines and columns.
#ifndef WRIT_COMPILER_BASE_SOURCE_H_
#define WRIT_COMPILER_BASE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace writ {

// Index of a file in a SourceManager. Stable for the manager's lifetime.
struct FileId {
  uint32_t index = kInvalid;
  static constexpr uint32_t kInvalid = UINT32_MAX;
  bool valid() const { return index != kInvalid; }
  friend bool operator==(FileId, FileId) = default;
};

// A half-open byte range [begin, end) in one file. An invalid file means "no location".
struct Span {
  FileId file;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file.valid(); }
  // The smallest span covering both; either may be invalid.
  static Span Cover(Span a, Span b);
  friend bool operator==(const Span&, const Span&) = default;
};

// A 1-based line and column; the column counts Unicode code points, which is what an editor
// shows for the text the language accepts (valid UTF-8).
struct LineCol {
  uint32_t line = 0;
  uint32_t column = 0;
};

// One loaded file: its display path and its bytes, with a line index built on load.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  size_t line_count() const { return line_starts_.size(); }

  // Line and column of a byte offset; offsets past the end clamp to the end.
  LineCol Locate(uint32_t offset) const;
  // The text of a 1-based line without its line terminator; empty if out of range.
  std::string_view Line(uint32_t line) const;
  // Byte offset where a 1-based line starts; the file's size if out of range.
  uint32_t LineStart(uint32_t line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// Owns every file of one compilation, addressed by FileId.
class SourceManager {
 public:
  // Adds a file and returns its id. The text is kept as given (validation is the lexer's job).
  FileId Add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(id.index); }
  size_t size() const { return files_.size(); }

  // The text a span covers; empty for an invalid span.
  std::string_view Text(Span span) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

}  // namespace writ

#endif  // WRIT_COMPILER_BASE_SOURCE_H_
