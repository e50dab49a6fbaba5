// The cost of the C boundary: the same 20,000 Reuters texts parsed by the core directly
// (Engine::Parse into a reused Article) and through libnewsparse.so.1 (newsparse_parse, a new
// result per article, result_free), in one process. Run with interleaved repetitions so that load
// from other jobs on a shared machine hits both alike:
//   c_abi_benchmark --benchmark_repetitions=6 --benchmark_enable_random_interleaving=true
#include <benchmark/benchmark.h>

#include <cstdio>

#include "benchmarks/corpus.h"
#include "core/engine.h"
#include "newsparse/newsparse.h"

namespace newsparse {
namespace {

size_t Bytes(const std::vector<std::string>& corpus) {
  size_t n = 0;
  for (const std::string& t : corpus) n += t.size();
  return n;
}

void BM_CoreParse(benchmark::State& state) {
  const auto* corpus = Reuters2006Texts();
  auto engine = Engine::Create({});
  if (corpus == nullptr || !engine.ok()) {
    state.SkipWithError("corpus or engine unavailable");
    return;
  }
  Workspace ws;
  Article article;
  for (auto _ : state) {
    for (const std::string& text : *corpus) {
      benchmark::DoNotOptimize((*engine)->Parse(text, ParseOptions(), &ws, &article));
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Bytes(*corpus)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus->size()));
}
BENCHMARK(BM_CoreParse)->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_CApiParse(benchmark::State& state) {
  const auto* corpus = Reuters2006Texts();
  const newsparse_api* api = newsparse_get_api(NEWSPARSE_ABI_MAJOR);
  newsparse_engine* engine = nullptr;
  newsparse_workspace* ws = nullptr;
  if (corpus == nullptr || api == nullptr || api->engine_open(nullptr, &engine, nullptr) != 0 ||
      api->workspace_new(engine, &ws, nullptr) != 0) {
    state.SkipWithError("corpus or library unavailable");
    api->engine_free(engine);
    return;
  }
  for (const std::string& text : *corpus) {  // verify before timing
    newsparse_result* r = nullptr;
    if (api->parse(engine, ws, text.data(), text.size(), nullptr, &r, nullptr) != 0) {
      state.SkipWithError("a parse failed");
      break;
    }
    api->result_free(r);
  }
  for (auto _ : state) {
    for (const std::string& text : *corpus) {
      newsparse_result* r = nullptr;
      api->parse(engine, ws, text.data(), text.size(), nullptr, &r, nullptr);
      benchmark::DoNotOptimize(r);
      api->result_free(r);
    }
  }
  api->workspace_free(ws);
  api->engine_free(engine);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Bytes(*corpus)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus->size()));
}
BENCHMARK(BM_CApiParse)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
