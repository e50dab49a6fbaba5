// Tokenizer throughput on real Reuters text (../shared/data/reuters2006), in MB/s per core.
// The corpus is loaded and the output verified before anything is timed.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks/corpus.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace {

// Every token lies inside the text, in order, and sentences cover all tokens.
bool Verify(const std::string& text, const Tokens& t) {
  uint32_t last = 0;
  for (const Token& tok : t.tokens) {
    if (tok.begin < last || tok.end <= tok.begin || tok.end > text.size()) return false;
    last = tok.end;
  }
  uint32_t covered = 0;
  for (const TokenRange& s : t.sentences) {
    if (s.begin != covered) return false;
    covered = s.end;
  }
  return covered == t.tokens.size();
}

void BM_TokenizeReuters2006(benchmark::State& state) {
  const auto* corpus = Reuters2006Texts();
  if (corpus == nullptr || corpus->empty()) {
    state.SkipWithError("../shared/data/reuters2006 not found (set NEWSPARSE_SHARED_DATA)");
    return;
  }
  Tokens tokens;
  size_t bytes = 0, token_count = 0;
  for (const std::string& text : *corpus) {
    Tokenize(text, &tokens);
    if (!Verify(text, tokens)) {
      state.SkipWithError("tokenizer output failed verification");
      return;
    }
    bytes += text.size();
    token_count += tokens.tokens.size();
  }
  for (auto _ : state) {
    for (const std::string& text : *corpus) {
      Tokenize(text, &tokens);
      benchmark::DoNotOptimize(tokens.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus->size()));
  state.counters["tokens_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * token_count), benchmark::Counter::kIsRate);
  state.counters["articles"] = static_cast<double>(corpus->size());
}
BENCHMARK(BM_TokenizeReuters2006)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
