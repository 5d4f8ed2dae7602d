// Throughput of the standard library's scanners on generated text (MB/s, counters
// bytes_per_second), and the detectors' precision and recall on tests/stdlib_samples/, printed
// before the benchmarks run. The figures are recorded in docs/stdlib.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/stdlib_corpus.h"
#include "stdlib/native.h"
#include "stdlib/sample_eval.h"

namespace writ::bench {
namespace {

constexpr size_t kTextSize = 1 << 20;

const std::string& Text() {
  static const std::string text = MixedText(kTextSize, 2024);
  return text;
}

const std::string& Script() {
  static const std::string script = SqlScript(kTextSize, 2024);
  return script;
}

// Counts every finding of the kinds in `mask`: a full scan, never stopping at the first.
void Find(benchmark::State& state, uint32_t mask) {
  const std::string& text = Text();
  size_t count = 0;
  for (auto _ : state) {
    writ_pii_find(text.data(), text.size(), mask, nullptr, 0, &count);
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["findings"] = static_cast<double>(count);
}

void Redact(benchmark::State& state) {
  const std::string& text = Text();
  std::string out(writ_pii_redact_bound(text.size()), '\0');
  size_t size = 0;
  for (auto _ : state) {
    writ_pii_redact(text.data(), text.size(), WRIT_PII_ALL, out.data(), out.size(), &size);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void ClassifyScript(benchmark::State& state, uint32_t dialects) {
  const std::string& sql = Script();
  for (auto _ : state) {
    benchmark::DoNotOptimize(writ_sql_classify(sql.data(), sql.size(), dialects));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * sql.size()));
}

void ClassifyQueries(benchmark::State& state) {
  const std::vector<std::string> queries = TypicalQueries();
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& q : queries) {
      benchmark::DoNotOptimize(writ_sql_classify(q.data(), q.size(), WRIT_SQL_ALL_DIALECTS));
    }
  }
  for (const std::string& q : queries) bytes += q.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * queries.size()));
}

void TablesQueries(benchmark::State& state) {
  const std::vector<std::string> queries = TypicalQueries();
  char storage[4096];
  writ_std_string items[256];
  size_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& q : queries) {
      writ_std_arena arena{storage, sizeof storage, 0};
      size_t count = 0;
      writ_sql_tables(q.data(), q.size(), WRIT_SQL_ALL_DIALECTS, &arena, items, 256, &count);
      benchmark::DoNotOptimize(count);
    }
  }
  for (const std::string& q : queries) bytes += q.size();
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * queries.size()));
}

void Length(benchmark::State& state) {
  const std::string& text = Text();
  for (auto _ : state) benchmark::DoNotOptimize(writ_text_length(text.data(), text.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void Glob(benchmark::State& state) {
  const std::string& text = Text();
  const std::string glob = "*status=500*dur_ms=9??*";
  for (auto _ : state) {
    benchmark::DoNotOptimize(writ_text_glob(text.data(), text.size(), glob.data(), glob.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void Regex(benchmark::State& state) {
  const std::string& text = Text();
  writ_regex* re = nullptr;
  const std::string pattern = "(?i)password\\s*[:=]\\s*\\S{12,}";
  writ_regex_compile(pattern.data(), pattern.size(), &re, nullptr, 0);
  bool matched = false;
  for (auto _ : state) {
    writ_regex_matches(re, text.data(), text.size(), &matched);
    benchmark::DoNotOptimize(matched);
  }
  writ_regex_free(re);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void PrintPrecisionRecall() {
  std::vector<stdlib::DetectorScore> scores;
  for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
    std::vector<stdlib::Sample> samples;
    std::string error;
    if (!stdlib::LoadSamples(WRIT_STDLIB_SAMPLES_DIR, kind, &samples, &error)) {
      std::fprintf(stderr, "bench_stdlib: %s\n", error.c_str());
      continue;
    }
    scores.push_back(stdlib::Score(kind, samples));
  }
  std::printf("Precision and recall on tests/stdlib_samples/\n%s\n",
              stdlib::FormatScores(scores).c_str());
  std::fflush(stdout);
}

void Register() {
  for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
    benchmark::RegisterBenchmark((std::string("pii/") + writ_pii_kind_name(kind)).c_str(),
                                 [kind](benchmark::State& s) { Find(s, uint32_t{1} << kind); });
  }
  benchmark::RegisterBenchmark("pii/all_find", [](benchmark::State& s) { Find(s, WRIT_PII_ALL); });
  benchmark::RegisterBenchmark("pii/all_redact", Redact);
  benchmark::RegisterBenchmark("sql/classify_script_all_dialects", [](benchmark::State& s) {
    ClassifyScript(s, WRIT_SQL_ALL_DIALECTS);
  });
  benchmark::RegisterBenchmark("sql/classify_script_postgresql", [](benchmark::State& s) {
    ClassifyScript(s, WRIT_SQL_POSTGRESQL);
  });
  benchmark::RegisterBenchmark("sql/classify_typical_queries", ClassifyQueries);
  benchmark::RegisterBenchmark("sql/tables_typical_queries", TablesQueries);
  benchmark::RegisterBenchmark("text/length", Length);
  benchmark::RegisterBenchmark("text/glob", Glob);
  benchmark::RegisterBenchmark("text/regex", Regex);
}

}  // namespace
}  // namespace writ::bench

int main(int argc, char** argv) {
  writ::bench::PrintPrecisionRecall();
  writ::bench::Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
