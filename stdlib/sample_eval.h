// Precision and recall of the std.pii detectors on the labelled samples in
// tests/stdlib_samples/: one file per detector, `<kind>.tsv`, each line `label TAB text` with
// label 1 (the detector must fire) or 0 (it must not), `#` comment lines, and the escapes
// \n, \t and \\ in the text. Used by the test that gates the detectors and by bench_stdlib.
#ifndef WRIT_STDLIB_SAMPLE_EVAL_H_
#define WRIT_STDLIB_SAMPLE_EVAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace writ::stdlib {

struct Sample {
  bool positive = false;
  std::string text;
  int line = 0;
};

struct DetectorScore {
  uint32_t kind = 0;
  std::string name;
  size_t positives = 0;
  size_t negatives = 0;
  size_t true_positives = 0;
  size_t false_positives = 0;
  size_t false_negatives = 0;
  std::vector<std::string> errors;  // "line N: missed ..." or "line N: false alarm ..."

  double precision() const;  // 1 when nothing was flagged
  double recall() const;     // 1 when there was nothing to find
};

// The samples of `<dir>/<kind name>.tsv`; false if the file cannot be read or a line is
// malformed (with the reason in *error).
bool LoadSamples(const std::string& dir, uint32_t kind, std::vector<Sample>* samples,
                 std::string* error);

// Runs the detector `kind` over its samples.
DetectorScore Score(uint32_t kind, const std::vector<Sample>& samples);

// A fixed-width table of the scores, one row per detector.
std::string FormatScores(const std::vector<DetectorScore>& scores);

}  // namespace writ::stdlib

#endif  // WRIT_STDLIB_SAMPLE_EVAL_H_
