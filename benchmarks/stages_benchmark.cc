// The stages after the tagger, each timed alone on real Reuters text: entity consolidation
// (BM_Consolidate), body dates (BM_FindDates) and the JSON writer (BM_ArticleJson).
// Data: the first 2,000 reuters2006 articles ($NEWSPARSE_STAGES_ARTICLES to change)
// ($NEWSPARSE_SHARED_DATA, default <source>/../shared/data); skipped when absent. The inputs of
// each stage (tokens, the tagger's mentions, the parsed Articles) are computed once, outside the
// timing. Each benchmark first checks its output and only then times. Small enough to run under
// callgrind:
//   NEWSPARSE_STAGES_ARTICLES=300 valgrind --tool=callgrind
//   --toggle-collect='newsparse::Consolidate*'
//       build/benchmarks/stages_benchmark --benchmark_filter=Consolidate --benchmark_min_time=0.01
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/corpus.h"
#include "core/article_json.h"
#include "core/consolidation.h"
#include "core/dates.h"
#include "core/engine.h"
#include "core/entities.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace {

// $NEWSPARSE_STAGES_ARTICLES articles (default 2,000; fewer for a quick callgrind run).
size_t NumArticles() {
  const char* env = std::getenv("NEWSPARSE_STAGES_ARTICLES");
  const long n = env != nullptr ? std::atol(env) : 0;
  return n > 0 ? static_cast<size_t>(n) : 2000;
}

struct Prepared {
  std::vector<std::string> texts;
  std::vector<Tokens> tokens;
  std::vector<std::vector<Mention>> mentions;  // the tagger's, before consolidation
  std::vector<Article> articles;               // the whole pipeline's result
  uint64_t bytes = 0;
};

const Prepared* Load() {
  static const Prepared* prepared = []() -> const Prepared* {
    auto texts = LoadCorpusTexts(SharedDataDir() + "/reuters2006/reuters_2006_2013.jsonl.gz",
                                 "text", NumArticles());
    if (!texts.ok()) {
      std::fprintf(stderr, "corpus unavailable: %s\n", texts.status().ToString().c_str());
      return nullptr;
    }
    auto tagger = EntityTagger::Load(std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/ner.model",
                                     NEWSPARSE_SOURCE_DATA_DIR);
    const Engine* engine = SharedEngine();
    if (!tagger.ok() || engine == nullptr) {
      std::fprintf(stderr, "data/ner.model or the engine data not loadable\n");
      return nullptr;
    }
    auto* p = new Prepared;
    p->texts = std::move(*texts);
    const size_t n = p->texts.size();
    p->tokens.resize(n);
    p->mentions.resize(n);
    p->articles.resize(n);
    NerInput input;
    NerScratch scratch;
    Workspace ws;
    for (size_t i = 0; i < n; ++i) {
      const std::string& text = p->texts[i];
      p->bytes += text.size();
      Tokenize(text, &p->tokens[i]);
      NerInputFromTokens(text, p->tokens[i], &input);
      if (!(*tagger)->TagDocument(input, &scratch, &p->mentions[i]).ok() ||
          !engine->Parse(text, ParseOptions(), &ws, &p->articles[i]).ok()) {
        std::fprintf(stderr, "article %zu failed to parse\n", i);
        return nullptr;
      }
    }
    return p;
  }();
  return prepared;
}

void SetCounters(benchmark::State& state, const Prepared& p) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * p.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * p.texts.size()));
}

void BM_Consolidate(benchmark::State& state) {
  const Prepared* p = Load();
  if (p == nullptr) return state.SkipWithError("reuters2006 or the data files not found");
  std::vector<Mention> mentions;
  std::vector<Entity> entities;
  ConsolidationScratch scratch;  // per thread, as in the engine's Workspace
  // Verify: the entities hold every mention of the tagger once, each with its text.
  for (size_t i = 0; i < p->texts.size(); ++i) {
    mentions = p->mentions[i];
    Consolidate(p->texts[i], p->tokens[i], &mentions, &entities, &scratch);
    size_t tagged = 0;
    for (const Entity& e : entities) {
      if (e.mentions.empty() || e.name.empty()) {
        return state.SkipWithError("an entity without mentions or name");
      }
      for (const Span& s : e.mentions) {
        for (const Mention& m : mentions) tagged += m.span == s;
      }
    }
    if (tagged != mentions.size()) return state.SkipWithError("a mention left out of the entities");
  }
  for (auto _ : state) {
    for (size_t i = 0; i < p->texts.size(); ++i) {
      mentions.assign(p->mentions[i].begin(), p->mentions[i].end());
      Consolidate(p->texts[i], p->tokens[i], &mentions, &entities, &scratch);
      benchmark::DoNotOptimize(entities.data());
    }
  }
  SetCounters(state, *p);
}
BENCHMARK(BM_Consolidate)->Unit(benchmark::kMillisecond);

void BM_FindDates(benchmark::State& state) {
  const Prepared* p = Load();
  if (p == nullptr) return state.SkipWithError("reuters2006 or the data files not found");
  const absl::CivilDay reference(2008, 6, 15);
  std::vector<DateMention> dates;
  size_t found = 0;
  for (size_t i = 0; i < p->texts.size(); ++i) {
    dates.clear();
    FindDates(p->texts[i], p->tokens[i], 0, reference, &dates);
    for (const DateMention& d : dates) {
      if (d.value.size() < 4 || d.span.empty()) return state.SkipWithError("a date without value");
    }
    found += dates.size();
  }
  if (found == 0) return state.SkipWithError("no dates found");
  for (auto _ : state) {
    for (size_t i = 0; i < p->texts.size(); ++i) {
      dates.clear();
      FindDates(p->texts[i], p->tokens[i], 0, reference, &dates);
      benchmark::DoNotOptimize(dates.data());
    }
  }
  SetCounters(state, *p);
  state.counters["dates"] = static_cast<double>(found);
}
BENCHMARK(BM_FindDates)->Unit(benchmark::kMillisecond);

void BM_ArticleJson(benchmark::State& state) {
  const Prepared* p = Load();
  if (p == nullptr) return state.SkipWithError("reuters2006 or the data files not found");
  OffsetMap offsets;
  std::string out;
  for (size_t i = 0; i < p->texts.size(); ++i) {
    out.clear();
    AppendArticleJson(p->texts[i], p->articles[i], "", &offsets, &out);
    if (out.size() < 2 || out.front() != '{' || out.back() != '}') {
      return state.SkipWithError("JSON output is not an object");
    }
  }
  for (auto _ : state) {
    for (size_t i = 0; i < p->texts.size(); ++i) {
      out.clear();
      AppendArticleJson(p->texts[i], p->articles[i], "", &offsets, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  SetCounters(state, *p);
}
BENCHMARK(BM_ArticleJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
