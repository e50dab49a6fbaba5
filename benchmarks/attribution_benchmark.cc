// Attribution throughput on real Reuters text (../shared/data/reuters2006): AttributionFinder::Find
// alone, on texts tokenized before the timing starts. The output is verified first (every span
// inside its text, cues in order, contents non-empty); reports bytes/s, articles/s and tokens/s.
// NEWSPARSE_ATTRIBUTION_ARTICLES limits the articles (default 20,000);
// NEWSPARSE_ATTRIBUTION_CUES=rules|tagger|both picks AttributionOptions::cue_source,
// NEWSPARSE_ATTRIBUTION_SPAN=off|fallback|first AttributionOptions::span_model.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "benchmarks/corpus.h"
#include "core/attribution.h"
#include "core/engine.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace {

struct Prepared {
  std::vector<std::string> texts;
  std::vector<Tokens> tokens;
  std::unique_ptr<AttributionFinder> finder;
  size_t bytes = 0, token_count = 0;
};

const Prepared* Corpus() {
  static const Prepared* corpus = []() -> const Prepared* {
    size_t limit = 20000;
    if (const char* env = std::getenv("NEWSPARSE_ATTRIBUTION_ARTICLES"); env && *env != '\0') {
      limit = static_cast<size_t>(std::strtoull(env, nullptr, 10));
    }
    AttributionOptions options;
    if (const char* env = std::getenv("NEWSPARSE_ATTRIBUTION_CUES"); env && *env != '\0') {
      const std::string v = env;
      options.cue_source = v == "tagger" ? CueSource::kTagger
                           : v == "both" ? CueSource::kTaggerAndRules
                                         : CueSource::kRules;
    }
    if (const char* env = std::getenv("NEWSPARSE_ATTRIBUTION_SPAN"); env && *env != '\0') {
      const std::string v = env;
      options.span_model = v == "first"      ? SpanModelUse::kFirst
                           : v == "fallback" ? SpanModelUse::kFallback
                                             : SpanModelUse::kOff;
    }
    auto texts =
        LoadCorpusTexts(SharedDataDir() + "/reuters2006/reuters_2006_2013.jsonl.gz", "text", limit);
    if (!texts.ok()) {
      std::fprintf(stderr, "corpus unavailable: %s\n", texts.status().ToString().c_str());
      return nullptr;
    }
    auto finder = AttributionFinder::Create(DefaultDataDir(), options);
    if (!finder.ok()) {
      std::fprintf(stderr, "%s\n", finder.status().ToString().c_str());
      return nullptr;
    }
    auto* p = new Prepared;
    p->texts = std::move(*texts);
    p->finder = std::move(*finder);
    p->tokens.resize(p->texts.size());
    for (size_t i = 0; i < p->texts.size(); ++i) {
      Tokenize(p->texts[i], &p->tokens[i]);
      p->bytes += p->texts[i].size();
      p->token_count += p->tokens[i].tokens.size();
    }
    return p;
  }();
  return corpus;
}

bool Verify(const std::string& text, const std::vector<Attribution>& atts) {
  uint32_t last_cue = 0;
  auto inside = [&](const Span& s) { return s.begin < s.end && s.end <= text.size(); };
  for (const Attribution& a : atts) {
    if (!inside(a.cue) || a.cue.begin < last_cue || a.content.empty()) return false;
    last_cue = a.cue.begin;
    if (a.source && !inside(a.source->span)) return false;
    for (const Span& s : a.content) {
      if (!inside(s)) return false;
    }
  }
  return true;
}

void BM_AttributionReuters2006(benchmark::State& state) {
  const Prepared* corpus = Corpus();
  if (corpus == nullptr || corpus->texts.empty()) {
    state.SkipWithError("../shared/data/reuters2006 not found (set NEWSPARSE_SHARED_DATA)");
    return;
  }
  AttributionScratch scratch;
  std::vector<Attribution> out;
  const std::vector<Entity> no_entities;
  size_t found = 0;
  for (size_t i = 0; i < corpus->texts.size(); ++i) {
    corpus->finder->Find(corpus->texts[i], corpus->tokens[i], no_entities, &scratch, &out);
    if (!Verify(corpus->texts[i], out)) {
      state.SkipWithError("attribution output failed verification");
      return;
    }
    found += out.size();
  }
  for (auto _ : state) {
    for (size_t i = 0; i < corpus->texts.size(); ++i) {
      corpus->finder->Find(corpus->texts[i], corpus->tokens[i], no_entities, &scratch, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus->bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus->texts.size()));
  state.counters["tokens_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * corpus->token_count), benchmark::Counter::kIsRate);
  state.counters["articles"] = static_cast<double>(corpus->texts.size());
  state.counters["attributions_per_article"] =
      static_cast<double>(found) / static_cast<double>(corpus->texts.size());
}
BENCHMARK(BM_AttributionReuters2006)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
