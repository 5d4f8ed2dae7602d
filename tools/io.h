// File and stream I/O for the commands: bounded reads and atomic writes. Failures are Status
// (error channel 2), reported by the caller as exit code 2.
#ifndef WRIT_TOOLS_IO_H_
#define WRIT_TOOLS_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace writ::cli {

// The bytes of an input, unless it was over the size limit: then `text` is empty, `too_large`
// is set and `size` is the input's size.
struct Input {
  std::string text;
  uint64_t size = 0;
  bool too_large = false;
};

// Reads a whole file, refusing before reading one larger than `max_bytes`. Fails if the file
// cannot be opened or read.
absl::StatusOr<Input> ReadInput(const std::string& path, uint64_t max_bytes);

// Reads standard input to its end, keeping at most `max_bytes` of it.
absl::StatusOr<Input> ReadStdin(uint64_t max_bytes);

// Replaces a file's contents so that a reader (or a crash) sees either the old or the new
// contents, never a mix: writes a temporary file next to it, syncs it and renames it over the
// original. Keeps the original's permission bits (a new file gets the umask's) and writes
// through a symbolic link to its target. On failure the original is untouched and the
// temporary file removed.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Writes bytes to stdout. Fails if the stream reports an error (e.g. a closed pipe).
absl::Status WriteStdout(std::string_view contents);

}  // namespace writ::cli

#endif  // WRIT_TOOLS_IO_H_
