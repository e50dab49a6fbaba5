// The full pipeline (every stage and the JSON form) on real Reuters text, 1 and 2 threads sharing
// one engine, through the corpus runner. Reports MB/s, articles/s and tokens/s; the per-stage
// split is printed as counters (milliseconds of CPU time per stage per MB).
//
// Units: Google Benchmark prints bytes_per_second in binary units ("9.6M/s" is 9.6 MiB/s, i.e.
// 10.07 MB/s), so the counters MB_per_s (1e6 bytes per wall-clock second of the parse, the
// figure `newsparse bench` prints as MB/s) and MB_per_cpu_s (per CPU-second of the parsing
// threads: the time a thread waits for a core left out) are the ones to compare with the corpus
// runner and the targets.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks/corpus.h"
#include "core/corpus.h"
#include "core/engine.h"

namespace newsparse {
namespace {

void BM_Pipeline(benchmark::State& state) {
  const auto* corpus = Reuters2006Texts();
  const Engine* engine = SharedEngine();
  if (corpus == nullptr || corpus->empty() || engine == nullptr) {
    state.SkipWithError("../shared/data/reuters2006 or the engine data not found");
    return;
  }
  const int threads = static_cast<int>(state.range(0));
  ParseOptions options;
  // Verify first: every article parses without an error record.
  const CorpusRunReport check = RunCorpus(*engine, *corpus, options, threads);
  if (check.stats.errors != 0 || check.stats.articles != corpus->size()) {
    state.SkipWithError("pipeline output failed verification");
    return;
  }
  StageStats stats;
  double seconds = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    const CorpusRunReport r = RunCorpus(*engine, *corpus, options, threads);
    state.SetIterationTime(r.seconds);
    seconds += r.seconds;
    cpu_seconds += r.cpu_seconds;
    stats.Add(r.stats);
  }
  state.SetBytesProcessed(static_cast<int64_t>(stats.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(stats.articles));
  state.counters["tokens_per_s"] = benchmark::Counter(static_cast<double>(stats.tokens) / seconds);
  const double mb = static_cast<double>(stats.bytes) / 1e6;
  state.counters["MB_per_s"] = benchmark::Counter(mb / seconds);
  state.counters["MB_per_cpu_s"] = benchmark::Counter(mb / cpu_seconds);
  for (int i = 0; i < StageStats::kCount; ++i) {
    state.counters[std::string("ms_per_MB_") + std::string(StageStats::Name(i))] =
        benchmark::Counter(static_cast<double>(stats.nanos[i]) / 1e6 / mb);
  }
}
BENCHMARK(BM_Pipeline)
    ->Arg(1)
    ->Arg(2)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
