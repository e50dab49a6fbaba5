// Linear time: the full pipeline (every stage) on adversarial inputs built by
// tests/adversarial_inputs.h (quote marks, unmatched "(", one sentence of capitalised words,
// "he said" repeated, a wire article), timed per MB at 1 MB and 8 MB (and the article at 50 MB).
// Needs no corpus.
//
//   linear_time_benchmark                      Google Benchmark: CPU ms per MB per kind and size
//   linear_time_benchmark --check [max_ratio]  the CI check: for each kind, CPU time per MB at
//                                              8 MB / at 1 MB (minimum of a few repetitions);
//                                              exits 1 when a ratio exceeds max_ratio (2)
//   linear_time_benchmark --memory [--kinds=article,parens] [MB...]
//                                              peak RSS growth of one parse per input kind and
//                                              size (default 1 8 32 MB), each parse in a fresh
//                                              child process
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/corpus.h"
#include "core/engine.h"
#include "tests/adversarial_inputs.h"

namespace newsparse {
namespace {

using testing::AdversarialKind;
using testing::AdversarialKindName;
using testing::BuildAdversarialInput;
using testing::kAllAdversarialKinds;

constexpr size_t kMB = size_t{1} << 20;

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void BM_LinearTime(benchmark::State& state) {
  const auto kind = static_cast<AdversarialKind>(state.range(0));
  const size_t bytes = static_cast<size_t>(state.range(1)) * kMB;
  const Engine* engine = SharedEngine();
  if (engine == nullptr) {
    state.SkipWithError("the engine could not be created");
    return;
  }
  const std::string text = BuildAdversarialInput(kind, bytes);
  Workspace ws;
  Article article;
  if (!engine->Parse(text, ParseOptions(), &ws, &article).ok()) {  // checked and warm
    state.SkipWithError("the parse failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(engine->Parse(text, ParseOptions(), &ws, &article));
  }
  state.SetLabel(std::string(AdversarialKindName(kind)));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  // CPU milliseconds per MB: CPU seconds / (iterations * MB / 1000).
  state.counters["cpu_ms_per_MB"] = benchmark::Counter(
      static_cast<double>(text.size()) / static_cast<double>(kMB) / 1e3,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void Args(benchmark::internal::Benchmark* b) {
  for (AdversarialKind kind : kAllAdversarialKinds) {
    for (int mb : {1, 8}) b->Args({static_cast<int>(kind), mb});
  }
  b->Args({static_cast<int>(AdversarialKind::kArticle), 50});
}
BENCHMARK(BM_LinearTime)->Apply(Args)->Unit(benchmark::kMillisecond)->MinTime(0.5);

// CPU seconds per MB of one parse of `text`, the minimum of `reps` parses; `stage_per_mb`
// receives the wall-clock nanoseconds per MB of each stage in that fastest parse.
double CpuSecondsPerMB(const Engine& engine, const std::string& text, int reps, Workspace* ws,
                       std::array<double, StageStats::kCount>* stage_per_mb) {
  Article article;
  ParseOptions options;
  options.collect_stats = true;
  const double mb = static_cast<double>(text.size()) / static_cast<double>(kMB);
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    ws->stats = StageStats();
    const double t0 = CpuSeconds();
    const absl::Status s = engine.Parse(text, options, ws, &article);
    const double t1 = CpuSeconds();
    if (!s.ok()) {
      std::fprintf(stderr, "parse failed: %s\n", s.ToString().c_str());
      std::exit(2);
    }
    if (t1 - t0 < best) {
      best = t1 - t0;
      for (int i = 0; i < StageStats::kCount; ++i) {
        (*stage_per_mb)[i] = static_cast<double>(ws->stats.nanos[i]) / mb;
      }
    }
  }
  return best / mb;
}

int RunCheck(double max_ratio) {
  const Engine* engine = SharedEngine();
  if (engine == nullptr) return 2;
  bool ok = true;
  std::printf("%-10s %14s %14s %8s   per stage, wall ms/MB: @1MB->@8MB\n", "input", "ms/MB @1MB",
              "ms/MB @8MB", "ratio");
  for (AdversarialKind kind : kAllAdversarialKinds) {
    Workspace ws;
    std::array<double, StageStats::kCount> small_stages{}, large_stages{};
    const std::string small = BuildAdversarialInput(kind, kMB);
    const std::string large = BuildAdversarialInput(kind, 8 * kMB);
    CpuSecondsPerMB(*engine, small, 1, &ws, &small_stages);  // warm the workspace and caches
    double a = 0, b = 0, ratio = 0;
    // A ratio over the limit is measured again (up to three rounds in all) before it counts: on a
    // shared machine one slow repetition must not fail the check, while a superlinear stage
    // exceeds the limit in every round. (Callgrind counts the same instructions per MB at 1 and
    // 8 MB for the article, quotes and capitalised-words inputs, once the engine's fixed load cost
    // is taken out; what remains in their time ratio, about 1.5-1.7 on a quiet machine, is cache
    // and TLB misses in the larger per-article tables.)
    for (int round = 0; round < 3; ++round) {
      a = CpuSecondsPerMB(*engine, small, 5, &ws, &small_stages);
      b = CpuSecondsPerMB(*engine, large, 2, &ws, &large_stages);
      ratio = b / a;
      if (ratio <= max_ratio) break;
    }
    const bool pass = ratio <= max_ratio;
    ok = ok && pass;
    std::printf("%-10s %14.1f %14.1f %8.2f  ", std::string(AdversarialKindName(kind)).c_str(),
                1e3 * a, 1e3 * b, ratio);
    for (int i = 0; i < StageStats::kCount; ++i) {
      if (small_stages[i] + large_stages[i] < 1e6) continue;  // under 1 ms/MB: not shown
      std::printf(" %s %.0f->%.0f", std::string(StageStats::Name(i)).c_str(), small_stages[i] / 1e6,
                  large_stages[i] / 1e6);
    }
    std::printf("%s\n", pass ? "" : "  FAIL: superlinear");
    std::fflush(stdout);
  }
  std::printf("%s (limit %.2f)\n", ok ? "linear" : "superlinear", max_ratio);
  return ok ? 0 : 1;
}

long MaxRssKb() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Child: builds the input, loads the engine, warms a workspace on a small article, then parses
// the big input; writes the peak RSS growth of that parse (KB) to `fd`.
[[noreturn]] void MemoryChild(AdversarialKind kind, size_t bytes, int fd) {
  const std::string text = BuildAdversarialInput(kind, bytes);
  const Engine* engine = SharedEngine();
  if (engine == nullptr) _exit(2);
  Workspace ws;
  Article article;
  const std::string warm = BuildAdversarialInput(AdversarialKind::kArticle, 4096);
  if (!engine->Parse(warm, ParseOptions(), &ws, &article).ok()) _exit(2);
  const long before = MaxRssKb();
  if (!engine->Parse(text, ParseOptions(), &ws, &article).ok()) _exit(2);
  const long growth = MaxRssKb() - before;
  if (write(fd, &growth, sizeof growth) != sizeof growth) _exit(2);
  _exit(0);
}

int RunMemory(const std::vector<int>& sizes_mb, const std::string& kinds) {
  std::printf("%-10s %8s %14s %10s\n", "input", "size", "peak growth", "x size");
  for (AdversarialKind kind : kAllAdversarialKinds) {
    if (!kinds.empty() && kinds.find(AdversarialKindName(kind)) == std::string::npos) continue;
    for (int mb : sizes_mb) {
      int fds[2];
      if (pipe(fds) != 0) return 2;
      const pid_t pid = fork();
      if (pid == 0) MemoryChild(kind, static_cast<size_t>(mb) * kMB, fds[1]);
      close(fds[1]);
      long growth_kb = -1;
      const bool got = read(fds[0], &growth_kb, sizeof growth_kb) == sizeof growth_kb;
      close(fds[0]);
      int status = 0;
      waitpid(pid, &status, 0);
      if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 2;
      std::printf("%-10s %5d MB %11.1f MB %10.2f\n", std::string(AdversarialKindName(kind)).c_str(),
                  mb, growth_kb / 1024.0, static_cast<double>(growth_kb) / (1024.0 * mb));
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace newsparse

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--check") == 0) {
    return newsparse::RunCheck(argc >= 3 ? std::atof(argv[2]) : 2.0);
  }
  if (argc >= 2 && std::strcmp(argv[1], "--memory") == 0) {
    std::vector<int> sizes;
    std::string kinds;
    for (int i = 2; i < argc; ++i) {
      if (std::strncmp(argv[i], "--kinds=", 8) == 0) {
        kinds = argv[i] + 8;
      } else {
        sizes.push_back(std::atoi(argv[i]));
      }
    }
    if (sizes.empty()) sizes = {1, 8, 32};
    return newsparse::RunMemory(sizes, kinds);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
