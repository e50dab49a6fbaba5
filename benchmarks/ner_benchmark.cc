// Entity tagger throughput on real text:
//  - BM_NerReuters (issue #4's figure): tokenize + features + decode on the first 2,000
//    reuters2006 articles ($NEWSPARSE_NER_BENCH_DOCS to change the number): the project's
//    tokenizer, NerInputFromTokens and TagDocument per article, as the engine's entity stage;
//  - BM_NerTagReuters: the tagger alone (features + two-pass greedy decoding) on the same
//    articles, tokenized outside the timing;
//  - BM_NerTagConll: the tagger alone on the CoNLL-2003 development set (eng.testa), its tokens;
//  - BM_NerLoad: EntityTagger::Load of the shipped model with its cluster and gazetteer tables
//    (issue #4 asks for <= 100 ms), one load per iteration.
// Data: $NEWSPARSE_SHARED_DATA (default <source>/../shared/data); skipped when absent.
// Model: <source>/data/ner.model with its data files, loaded outside the timing;
// $NEWSPARSE_NER_SETTLED_WINDOW="before:after" sets EntityTagger::set_settled_window ("-1:-1"
// scores every token; any other form is an error), to time the settled-token rule against no
// rule in one build; $NEWSPARSE_NER_BEAM=K sets EntityTagger::SetBeamWidth (0 = greedy; default:
// the model's width). Each benchmark first checks the output (dev F1, mentions found) and only
// then times.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "core/entities.h"
#include "core/ner_corpus.h"
#include "core/ner_train.h"
#include "core/tokenizer.h"

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
    if (!t.ok()) return std::unique_ptr<EntityTagger>();
    if (const char* env = std::getenv("NEWSPARSE_NER_SETTLED_WINDOW");
        env != nullptr && *env != '\0') {
      if (absl::Status st = (*t)->SetSettledWindow(env); !st.ok()) {
        std::fprintf(stderr, "NEWSPARSE_NER_SETTLED_WINDOW: %s\n", st.ToString().c_str());
        return std::unique_ptr<EntityTagger>();  // the benchmarks report the tagger missing
      }
    }
    if (const char* env = std::getenv("NEWSPARSE_NER_BEAM"); env != nullptr && *env != '\0') {
      int k = 0;
      absl::Status st = absl::SimpleAtoi(env, &k)
                            ? (*t)->SetBeamWidth(k)
                            : absl::InvalidArgumentError(std::string("not an integer: ") + env);
      if (!st.ok()) {
        std::fprintf(stderr, "NEWSPARSE_NER_BEAM: %s\n", st.ToString().c_str());
        return std::unique_ptr<EntityTagger>();
      }
    }
    return std::move(*t);
  }();
  return tagger.get();
}

// Memory counters: peak RSS of the process and how much of its anonymous memory the kernel
// backs with 2 MB pages now (AnonHugePages in /proc/self/smaps_rollup; 0 where absent), to see
// whether the tagger's tables got huge pages (ner::LargeBuffer; $NEWSPARSE_HUGE_PAGES=0 = off).
void MemoryCounters(benchmark::State& state) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    state.counters["peak_rss_mb"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  }
  double huge_kb = 0;
  if (FILE* f = std::fopen("/proc/self/smaps_rollup", "r")) {
    char line[256];
    while (std::fgets(line, sizeof(line), f) != nullptr) {
      double kb = 0;
      if (std::sscanf(line, "AnonHugePages: %lf kB", &kb) == 1) huge_kb = kb;
    }
    std::fclose(f);
  }
  state.counters["huge_mb"] = huge_kb / 1024.0;
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
  // Pair cache entries filled as `wide` (a sum beyond int16), in percent of the entries filled
  // since the scratch's caches were last reset.
  if (scratch.pairs_filled() > 0) {
    state.counters["wide_pair_pct"] = 100.0 * static_cast<double>(scratch.wide_pairs()) /
                                      static_cast<double>(scratch.pairs_filled());
  }
  MemoryCounters(state);
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

// The first $NEWSPARSE_NER_BENCH_DOCS (default 2,000) reuters2006 articles, loaded once.
const std::vector<std::string>* ReutersTexts() {
  static const std::vector<std::string>* texts = [] {
    size_t limit = 2000;
    if (const char* env = std::getenv("NEWSPARSE_NER_BENCH_DOCS"); env != nullptr && *env != '\0') {
      limit = static_cast<size_t>(std::strtoull(env, nullptr, 10));
    }
    auto* v = new std::vector<std::string>();
    const std::string path = SharedData() + "/reuters2006/reuters_2006_2013.jsonl.gz";
    absl::Status st = ner::ForEachJsonLineText(path, "text", limit, [&](std::string_view t) {
      v->emplace_back(t);
      return true;
    });
    if (!st.ok() || v->empty()) {
      delete v;
      return static_cast<std::vector<std::string>*>(nullptr);
    }
    return v;
  }();
  return texts;
}

// Verify: tagging the first 50 articles the way the engine does (the project's tokenizer, then
// the tagger) yields person, organisation and location mentions.
bool CheckReuters(const std::vector<std::string>& texts, benchmark::State& state) {
  Tokens tokens;
  NerInput in;
  NerScratch scratch;
  std::vector<Mention> m;
  size_t check_tokens = 0;
  for (size_t d = 0; d < std::min<size_t>(texts.size(), 50); ++d) {
    Tokenize(texts[d], &tokens);
    NerInputFromTokens(texts[d], tokens, &in);
    check_tokens += in.words.size();
    if (!Tagger()->TagDocument(in, &scratch, &m).ok()) {
      state.SkipWithError("TagDocument failed");
      return false;
    }
  }
  int types = 0;
  for (int t = 0; t < 3; ++t) {
    for (const Mention& x : m) {
      if (static_cast<int>(x.type) == t) {
        ++types;
        break;
      }
    }
  }
  if (types < 3) {
    state.SkipWithError("too few mention types found on reuters2006");
    return false;
  }
  state.counters["mentions_first50"] = static_cast<double>(m.size());
  // A checksum of every label on every article (the tagger's output), so that two builds can
  // be compared: a speed change must leave it as it was.
  uint32_t crc = 0;
  for (const std::string& t : texts) {
    Tokenize(t, &tokens);
    NerInputFromTokens(t, tokens, &in);
    if (!Tagger()->TagLabels(in, &scratch).ok()) {
      state.SkipWithError("TagLabels failed");
      return false;
    }
    crc = static_cast<uint32_t>(
        crc32(crc, scratch.labels().data(), static_cast<uInt>(scratch.labels().size())));
  }
  state.counters["labels_crc"] = static_cast<double>(crc);
  // Tokens of the check, for instruction counts taken over the whole run (callgrind).
  state.counters["check_tokens"] = static_cast<double>(check_tokens);
  return true;
}

// Issue #4's measure: tokenize + features + decode, i.e. what the engine's entity stage does per
// article (core/tokenizer.h Tokenize, NerInputFromTokens, TagDocument to mentions), with the
// model loaded outside the timing.
void BM_NerReuters(benchmark::State& state) {
  if (Tagger() == nullptr) return state.SkipWithError("data/ner.model not loadable");
  const std::vector<std::string>* texts = ReutersTexts();
  if (texts == nullptr) return state.SkipWithError("no reuters2006 corpus in the shared data");
  if (!CheckReuters(*texts, state)) return;
  Tokens tokens;
  NerInput in;
  NerScratch scratch;
  std::vector<Mention> mentions;
  int64_t ntokens = 0, bytes = 0;
  for (auto _ : state) {
    ntokens = 0;
    bytes = 0;
    for (const std::string& t : *texts) {
      Tokenize(t, &tokens);
      NerInputFromTokens(t, tokens, &in);
      mentions.clear();
      absl::Status st = Tagger()->TagDocument(in, &scratch, &mentions);
      benchmark::DoNotOptimize(st);
      benchmark::DoNotOptimize(mentions.data());
      ntokens += static_cast<int64_t>(in.words.size());
      bytes += static_cast<int64_t>(t.size());
    }
  }
  state.SetBytesProcessed(bytes * state.iterations());
  state.counters["tokens_per_s"] = benchmark::Counter(
      static_cast<double>(ntokens), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["tokens"] = static_cast<double>(ntokens);
  state.counters["docs_per_s"] = benchmark::Counter(static_cast<double>(texts->size()),
                                                    benchmark::Counter::kIsIterationInvariantRate);
  MemoryCounters(state);
}
BENCHMARK(BM_NerReuters)->Unit(benchmark::kMillisecond);

// The tagger alone (features + decode) on the same articles, tokenized outside the timing.
void BM_NerTagReuters(benchmark::State& state) {
  if (Tagger() == nullptr) return state.SkipWithError("data/ner.model not loadable");
  const std::vector<std::string>* texts = ReutersTexts();
  if (texts == nullptr) return state.SkipWithError("no reuters2006 corpus in the shared data");
  if (!CheckReuters(*texts, state)) return;
  static Corpus c;
  if (c.docs.empty()) {
    Tokens tokens;
    for (const std::string& t : *texts) {
      Tokenize(t, &tokens);
      NerInput in;
      NerInputFromTokens(t, tokens, &in);
      c.tokens += static_cast<int64_t>(in.words.size());
      c.docs.push_back(std::move(in));
    }
  }
  RunTimed(state, c);
}
BENCHMARK(BM_NerTagReuters)->Unit(benchmark::kMillisecond);

// Loading the shipped model (ner.model, ner_clusters.tsv, ner_gazetteer.tsv), as the engine does
// once at start. Verified: the loaded tagger must tag a written sentence with an entity.
void BM_NerLoad(benchmark::State& state) {
  const std::string dir = NEWSPARSE_SOURCE_DATA_DIR;
  {
    auto t = EntityTagger::Load(dir + "/ner.model", dir);
    if (!t.ok()) return state.SkipWithError(std::string(t.status().message()).c_str());
    NerInput in;
    in.words = {"Officials", "in", "Paris", "said", "on", "Monday", "."};
    NerScratch scratch;
    if (!(*t)->TagLabels(in, &scratch).ok() || scratch.labels().size() != in.words.size()) {
      return state.SkipWithError("the loaded model did not tag a written sentence");
    }
  }
  for (auto _ : state) {
    auto t = EntityTagger::Load(dir + "/ner.model", dir);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_NerLoad)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
