// alloc_count [--docs N] [--stages LIST]: heap allocations per article of Engine::ParseToJson in
// steady state, on the first N (default 2,000) reuters2006 articles.
//
// Every article is parsed once to warm the Workspace (and the output string, which is reused),
// then the whole set is parsed again while a replaced global operator new counts the calls made
// by this thread; the second pass is what a long corpus run pays per article. Reports the total,
// the mean per article and the share of articles that allocated at all. Exits 0 with a message
// when the corpus is absent.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "benchmarks/corpus.h"
#include "core/engine.h"

namespace {

thread_local bool counting = false;
thread_local uint64_t allocations = 0;

void* Allocate(std::size_t n) {
  if (counting) ++allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t n) { return Allocate(n); }
void* operator new[](std::size_t n) { return Allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

int main(int argc, char** argv) {
  size_t docs = 2000;
  newsparse::ParseOptions options;  // all stages unless --stages says otherwise
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--docs") == 0 && i + 1 < argc) {
      docs = std::strtoul(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--stages") == 0 && i + 1 < argc) {
      auto stages = newsparse::ParseStages(argv[++i]);
      if (!stages.ok()) {
        std::fprintf(stderr, "alloc_count: %s\n", stages.status().ToString().c_str());
        return 2;
      }
      options.stages = *stages;
    } else {
      std::fprintf(stderr, "usage: alloc_count [--docs N] [--stages LIST]\n");
      return 2;
    }
  }
  const std::vector<std::string>* texts = newsparse::Reuters2006Texts();
  if (texts == nullptr) {
    std::printf("alloc_count: reuters2006 corpus absent, skipped\n");
    return 0;
  }
  const newsparse::Engine* engine = newsparse::SharedEngine();
  if (engine == nullptr) return 1;
  if (docs == 0 || docs > texts->size()) docs = texts->size();
  newsparse::Workspace ws;
  std::string out;
  for (size_t i = 0; i < docs; ++i) {
    out.clear();
    engine->ParseToJson((*texts)[i], options, "", &ws, &out);
  }
  uint64_t total = 0;
  size_t allocating = 0;
  uint64_t worst = 0;
  for (size_t i = 0; i < docs; ++i) {
    out.clear();
    allocations = 0;
    counting = true;
    engine->ParseToJson((*texts)[i], options, "", &ws, &out);
    counting = false;
    total += allocations;
    allocating += allocations != 0;
    if (allocations > worst) worst = allocations;
  }
  std::printf(
      "articles %zu (second pass, warm workspace): %llu allocations, %.2f per article, %.1f %% of "
      "articles allocate, at most %llu in one\n",
      docs, static_cast<unsigned long long>(total), static_cast<double>(total) / docs,
      100.0 * allocating / docs, static_cast<unsigned long long>(worst));
  return 0;
}
