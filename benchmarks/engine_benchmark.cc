// Full engine parse (all stages) on real Reuters text (../shared/data/reuters2006), in MB/s and
// articles/s, on 1 and 2 threads sharing one Engine (one Workspace per thread). The same texts
// and thread layout as the plugin ABI's C host (plugin_api/examples/c_host.c --max-docs 20000),
// so the two figures measure the cost of the C boundary. The corpus is loaded and every parse
// checked before anything is timed.
//
// BM_EngineCreate and the BM_Load* benchmarks time the engine's start-up (Engine::Create) and
// each component's loader on the project's data/ folder (no corpus needed): what every
// `newsparse parse` call and every Spark executor pays once; BM_Crc32NerModel the model
// checksum inside the tagger's load, against zlib's.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "benchmarks/corpus.h"
#include "core/attribution.h"
#include "core/dateline.h"
#include "core/engine.h"
#include "core/entities.h"
#include "core/ner_model.h"

namespace newsparse {
namespace {

constexpr size_t kMaxDocs = 20000;

const std::vector<std::string>* Corpus() {
  static const std::vector<std::string>* corpus = [] {
    auto texts = LoadCorpusTexts(SharedDataDir() + "/reuters2006/reuters_2006_2013.jsonl.gz",
                                 "text", kMaxDocs);
    if (!texts.ok()) {
      std::fprintf(stderr, "corpus unavailable: %s\n", texts.status().ToString().c_str());
      return static_cast<std::vector<std::string>*>(nullptr);
    }
    return new std::vector<std::string>(std::move(*texts));
  }();
  return corpus;
}

void BM_EngineParseReuters2006(benchmark::State& state) {
  const auto* corpus = Corpus();
  const Engine* engine = SharedEngine();
  if (corpus == nullptr || corpus->empty() || engine == nullptr) {
    state.SkipWithError("../shared/data/reuters2006 or the engine unavailable");
    return;
  }
  Workspace ws;
  Article article;
  const size_t threads = static_cast<size_t>(state.threads());
  const size_t me = static_cast<size_t>(state.thread_index());
  size_t bytes = 0, docs = 0;
  for (size_t i = me; i < corpus->size(); i += threads) {
    if (!engine->Parse((*corpus)[i], ParseOptions(), &ws, &article).ok()) {
      state.SkipWithError("a parse failed");
      return;
    }
    bytes += (*corpus)[i].size();
    ++docs;
  }
  for (auto _ : state) {
    for (size_t i = me; i < corpus->size(); i += threads) {
      benchmark::DoNotOptimize(engine->Parse((*corpus)[i], ParseOptions(), &ws, &article));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * docs));
}
BENCHMARK(BM_EngineParseReuters2006)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(2);

// Runs `load` once per iteration; reports an error (and skips) when it fails.
template <typename Load>
void TimeLoad(benchmark::State& state, Load load) {
  for (auto _ : state) {
    auto loaded = load();
    if (!loaded.ok()) {
      state.SkipWithError(std::string(loaded.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(loaded->get());
  }
}

void BM_EngineCreate(benchmark::State& state) {
  TimeLoad(state, [] { return Engine::Create({}); });
}
BENCHMARK(BM_EngineCreate)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The three loaders Engine::Create calls, one by one.
void BM_LoadDateline(benchmark::State& state) {
  const std::string dir = DefaultDataDir();
  TimeLoad(state, [&] { return DatelineParser::Create(dir); });
}
BENCHMARK(BM_LoadDateline)->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_LoadEntityTagger(benchmark::State& state) {
  const std::string dir = DefaultDataDir();
  TimeLoad(state, [&] { return EntityTagger::Load(absl::StrCat(dir, "/ner.model"), dir); });
}
BENCHMARK(BM_LoadEntityTagger)->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_LoadAttribution(benchmark::State& state) {
  const std::string dir = DefaultDataDir();
  TimeLoad(state, [&] { return AttributionFinder::Create(dir); });
}
BENCHMARK(BM_LoadAttribution)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// The checksum every model load verifies, over data/ner.model (10.5 MB): zlib's crc32 (arg 0),
// and ner::Crc32 (1: carry-less multiplication where the CPU has it). The two values are compared
// before anything is timed.
void BM_Crc32NerModel(benchmark::State& state) {
  std::ifstream in(DefaultDataDir() + "/ner.model", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  if (bytes.empty()) {
    state.SkipWithError("data/ner.model unavailable");
    return;
  }
  auto zlib = [&] {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t at = 0; at < bytes.size(); at += 1u << 30) {
      const size_t n = std::min<size_t>(bytes.size() - at, 1u << 30);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
    }
    return static_cast<uint32_t>(crc);
  };
  const uint32_t want = zlib();
  if (ner::Crc32(bytes) != want) {
    state.SkipWithError("Crc32 differs from zlib's crc32");
    return;
  }
  const int64_t which = state.range(0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(which == 0 ? zlib() : ner::Crc32(bytes));
  }
  state.SetLabel(which == 0 ? "zlib" : ner::Crc32Accelerated() ? "Crc32 (pclmul)" : "Crc32 (zlib)");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_Crc32NerModel)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
