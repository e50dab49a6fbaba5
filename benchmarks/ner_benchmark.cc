// Entity tagger throughput (features + two-pass greedy decoding), on real text:
//  - BM_NerTagConll: the CoNLL-2003 development set (eng.testa), tokens as given;
//  - BM_NerTagReuters: reuters2006 articles tokenized with ner::SimpleTokenize.
// Data: $NEWSPARSE_SHARED_DATA (default <source>/../shared/data); skipped when absent.
// Model: <source>/data/ner.model with its data files, loaded outside the timing. Each benchmark
// first checks the output (dev F1, mentions found) and only then times.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/entities.h"
#include "core/ner_corpus.h"
#include "core/ner_train.h"

namespace newsparse {
namespace {

std::string SharedData() {
  const char* env = std::getenv("NEWSPARSE_SHARED_DATA");
  return env != nullptr ? env : std::string(NEWSPARSE_SOURCE_DIR) + "/../shared/data";
}

const EntityTagger* Tagger() {
  static std::unique_ptr<EntityTagger> tagger = [] {
    auto t = EntityTagger::Load(std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/ner.model",
                                NEWSPARSE_SOURCE_DATA_DIR);
    return t.ok() ? std::move(*t) : nullptr;
  }();
  return tagger.get();
}

struct Corpus {
  std::vector<std::string> storage;  // owns the words (stable: reserved up front)
  std::vector<NerInput> docs;
  int64_t tokens = 0;
};

void RunTimed(benchmark::State& state, const Corpus& c) {
  NerScratch scratch;
  for (auto _ : state) {
    for (const NerInput& d : c.docs) {
      absl::Status st = Tagger()->TagLabels(d, &scratch);
      benchmark::DoNotOptimize(st);
      benchmark::DoNotOptimize(scratch.labels().data());
    }
  }
  state.counters["tokens_per_s"] = benchmark::Counter(
      static_cast<double>(c.tokens), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens"] = static_cast<double>(c.tokens);
  state.counters["docs_per_s"] = benchmark::Counter(static_cast<double>(c.docs.size()),
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

void BM_NerTagConll(benchmark::State& state) {
  const std::string path = SharedData() + "/conll2003/eng.testa";
  if (Tagger() == nullptr) return state.SkipWithError("data/ner.model not loadable");
  auto docs = ner::ReadConll(path);
  if (!docs.ok()) return state.SkipWithError(("no CoNLL dev set: " + path).c_str());
  // Verify: the model must reproduce a sane dev F1 before it is timed.
  auto eval = EvalNer(*Tagger(), path);
  if (!eval.ok() || eval->overall.f1 < 85.0) return state.SkipWithError("dev F1 check failed");
  static Corpus c;
  if (c.docs.empty()) {
    size_t words = 0;
    for (const auto& d : *docs) words += d.words.size();
    c.storage.reserve(words);
    for (const auto& d : *docs) {
      NerInput in;
      for (const auto& w : d.words) {
        c.storage.push_back(w);
        in.words.push_back(c.storage.back());
      }
      in.sentence_starts = d.sentence_starts;
      c.tokens += static_cast<int64_t>(in.words.size());
      c.docs.push_back(std::move(in));
    }
  }
  state.counters["dev_f1"] = eval->overall.f1;
  RunTimed(state, c);
}
BENCHMARK(BM_NerTagConll)->Unit(benchmark::kMillisecond);

void BM_NerTagReuters(benchmark::State& state) {
  const std::string path = SharedData() + "/reuters2006/reuters_2006_2013.jsonl.gz";
  if (Tagger() == nullptr) return state.SkipWithError("data/ner.model not loadable");
  static Corpus c;
  static std::vector<std::string> texts;
  if (c.docs.empty()) {
    absl::Status st = ner::ForEachJsonLineText(path, "text", 2000, [&](std::string_view t) {
      texts.emplace_back(t);
      return true;
    });
    if (!st.ok()) return state.SkipWithError(("no reuters2006 corpus: " + path).c_str());
    std::vector<std::string_view> toks;
    for (const std::string& t : texts) {
      toks.clear();
      ner::SimpleTokenize(t, &toks);
      NerInput in;
      in.sentence_starts.push_back(0);
      for (size_t i = 0; i < toks.size(); ++i) {
        in.words.push_back(toks[i]);
        in.spans.push_back(Span{static_cast<uint32_t>(toks[i].data() - t.data()),
                                static_cast<uint32_t>(toks[i].data() - t.data() + toks[i].size())});
        // Naive sentence split after . ! ? for the benchmark.
        if ((toks[i] == "." || toks[i] == "!" || toks[i] == "?") && i + 1 < toks.size()) {
          in.sentence_starts.push_back(static_cast<uint32_t>(i + 1));
        }
      }
      c.tokens += static_cast<int64_t>(in.words.size());
      c.docs.push_back(std::move(in));
    }
  }
  // Verify: a real article yields person, organisation and location mentions.
  NerScratch scratch;
  std::vector<Mention> m;
  int types = 0;
  for (size_t d = 0; d < std::min<size_t>(c.docs.size(), 50); ++d) {
    if (!Tagger()->TagDocument(c.docs[d], &scratch, &m).ok()) {
      return state.SkipWithError("TagDocument failed");
    }
  }
  for (int t = 0; t < 3; ++t) {
    for (const Mention& x : m) {
      if (static_cast<int>(x.type) == t) {
        ++types;
        break;
      }
    }
  }
  if (types < 3) return state.SkipWithError("too few mention types found on reuters2006");
  state.counters["mentions_first50"] = static_cast<double>(m.size());
  RunTimed(state, c);
}
BENCHMARK(BM_NerTagReuters)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
