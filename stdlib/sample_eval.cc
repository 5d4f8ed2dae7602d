#include "stdlib/sample_eval.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "stdlib/native.h"

namespace writ::stdlib {
namespace {

bool Unescape(const std::string& in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\') {
      out->push_back(in[i]);
      continue;
    }
    if (++i == in.size()) return false;
    switch (in[i]) {
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case '\\': out->push_back('\\'); break;
      default: return false;
    }
  }
  return true;
}

}  // namespace

double DetectorScore::precision() const {
  const size_t flagged = true_positives + false_positives;
  return flagged == 0 ? 1.0 : static_cast<double>(true_positives) / flagged;
}

double DetectorScore::recall() const {
  return positives == 0 ? 1.0 : static_cast<double>(true_positives) / positives;
}

bool LoadSamples(const std::string& dir, uint32_t kind, std::vector<Sample>* samples,
                 std::string* error) {
  const char* name = writ_pii_kind_name(kind);
  if (name == nullptr) {
    *error = "unknown kind";
    return false;
  }
  const std::string path = dir + "/" + name + ".tsv";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  samples->clear();
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (line.size() < 2 || (line[0] != '0' && line[0] != '1') || line[1] != '\t') {
      *error = path + ":" + std::to_string(number) + ": expected `0|1 TAB text`";
      return false;
    }
    Sample sample;
    sample.positive = line[0] == '1';
    sample.line = number;
    if (!Unescape(line.substr(2), &sample.text)) {
      *error = path + ":" + std::to_string(number) + ": bad escape";
      return false;
    }
    samples->push_back(std::move(sample));
  }
  return true;
}

DetectorScore Score(uint32_t kind, const std::vector<Sample>& samples) {
  DetectorScore score;
  score.kind = kind;
  score.name = writ_pii_kind_name(kind);
  for (const Sample& s : samples) {
    const bool fired = writ_pii_contains_kind(s.text.data(), s.text.size(), kind);
    (s.positive ? score.positives : score.negatives)++;
    if (fired && s.positive) ++score.true_positives;
    if (fired && !s.positive) ++score.false_positives;
    if (!fired && s.positive) ++score.false_negatives;
    if (fired != s.positive) {
      score.errors.push_back("line " + std::to_string(s.line) +
                             (s.positive ? ": missed: " : ": false alarm: ") + s.text);
    }
  }
  return score;
}

std::string FormatScores(const std::vector<DetectorScore>& scores) {
  std::ostringstream out;
  char row[160];
  std::snprintf(row, sizeof row, "%-14s %9s %9s %5s %5s %5s %10s %8s\n", "detector", "positive",
                "negative", "TP", "FP", "FN", "precision", "recall");
  out << row;
  for (const DetectorScore& s : scores) {
    std::snprintf(row, sizeof row, "%-14s %9zu %9zu %5zu %5zu %5zu %10.4f %8.4f\n",
                  s.name.c_str(), s.positives, s.negatives, s.true_positives, s.false_positives,
                  s.false_negatives, s.precision(), s.recall());
    out << row;
  }
  return out.str();
}

}  // namespace writ::stdlib
