// Tokenizer throughput on real Reuters text (../shared/data/reuters2006), in MB/s per core.
// The corpus is loaded and the output verified before anything is timed: every token lies inside
// its text and in order, sentences cover the tokens, and the fast tokenizer's output equals the
// reference tokenizer's (benchmarks/tokenizer_reference.cc) token for token. BM_TokenizeReference
// times the reference in the same run, so the ratio of the two is the speed-up on this machine.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks/corpus.h"
#include "benchmarks/tokenizer_reference.h"
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

bool SameTokens(const Tokens& a, const Tokens& b) {
  if (a.tokens.size() != b.tokens.size() || a.sentences.size() != b.sentences.size() ||
      a.paragraphs.size() != b.paragraphs.size()) {
    return false;
  }
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    const Token& x = a.tokens[i];
    const Token& y = b.tokens[i];
    if (x.begin != y.begin || x.end != y.end || x.kind != y.kind || x.shape != y.shape ||
        x.flags != y.flags) {
      return false;
    }
  }
  for (size_t i = 0; i < a.sentences.size(); ++i) {
    if (a.sentences[i].begin != b.sentences[i].begin) return false;
  }
  for (size_t i = 0; i < a.paragraphs.size(); ++i) {
    if (a.paragraphs[i].begin != b.paragraphs[i].begin) return false;
  }
  return true;
}

using TokenizeFn = void (*)(std::string_view, Tokens*);

void RunTokenizer(benchmark::State& state, TokenizeFn tokenize) {
  const auto* corpus = Reuters2006Texts();
  if (corpus == nullptr || corpus->empty()) {
    state.SkipWithError("../shared/data/reuters2006 not found (set NEWSPARSE_SHARED_DATA)");
    return;
  }
  Tokens tokens, expected;
  size_t bytes = 0, token_count = 0;
  for (const std::string& text : *corpus) {
    tokenize(text, &tokens);
    reference::ReferenceTokenize(text, &expected);
    if (!Verify(text, tokens) || !SameTokens(tokens, expected)) {
      state.SkipWithError("tokenizer output failed verification");
      return;
    }
    bytes += text.size();
    token_count += tokens.tokens.size();
  }
  for (auto _ : state) {
    for (const std::string& text : *corpus) {
      tokenize(text, &tokens);
      benchmark::DoNotOptimize(tokens.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus->size()));
  state.counters["tokens_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * token_count), benchmark::Counter::kIsRate);
  state.counters["articles"] = static_cast<double>(corpus->size());
}

void BM_TokenizeReuters2006(benchmark::State& state) { RunTokenizer(state, &Tokenize); }
BENCHMARK(BM_TokenizeReuters2006)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The reference implementation, for the speed-up ratio measured in the same run.
void BM_TokenizeReference(benchmark::State& state) {
  RunTokenizer(state, &reference::ReferenceTokenize);
}
BENCHMARK(BM_TokenizeReference)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
