// Dateline parser throughput on real wire heads (Reuters-21578), and proof that the cost does not
// grow with the article's length.
//
// The corpus is read from $NEWSPARSE_SHARED_DATA/reuters21578/reuters21578.jsonl.gz (default
// <source>/../shared/data); without it the corpus benchmark is skipped with a message. The
// corpus is loaded and the parse verified before anything is timed.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "core/dateline.h"
#include "core/dateline_eval.h"
#include "core/jsonl.h"

namespace newsparse {
namespace {

struct Corpus {
  std::unique_ptr<DatelineParser> parser;
  std::vector<std::string> texts;
  // The heads the parser inspects (first kDatelineHeadBytes of each text), copied into one
  // contiguous arena in corpus order, as a batch pipeline would hold them.
  std::string arena;
  std::vector<std::string_view> heads;
  std::vector<std::optional<absl::CivilDay>> references;
  std::string error;  // why the corpus benchmark cannot run
};

std::string SharedDataDir() {
  if (const char* env = std::getenv("NEWSPARSE_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/../../shared/data";
}

std::optional<absl::CivilDay> IsoDay(const std::string& s) {
  int y, m, d;
  const absl::string_view v(s);
  if (v.size() < 10 || !absl::SimpleAtoi(v.substr(0, 4), &y) ||
      !absl::SimpleAtoi(v.substr(5, 2), &m) || !absl::SimpleAtoi(v.substr(8, 2), &d)) {
    return std::nullopt;
  }
  return absl::CivilDay(y, m, d);
}

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus();
    auto parser = DatelineParser::Create(NEWSPARSE_SOURCE_DATA_DIR);
    if (!parser.ok()) {
      c->error = std::string(parser.status().message());
      return c;
    }
    c->parser = std::move(*parser);
    const std::string path = SharedDataDir() + "/reuters21578/reuters21578.jsonl.gz";
    gzFile f = gzopen(path.c_str(), "rb");
    if (f == nullptr) {
      c->error = "corpus not found: " + path + " (set NEWSPARSE_SHARED_DATA)";
      return c;
    }
    std::string data;
    std::vector<char> buf(1 << 20);
    int n;
    while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0)
      data.append(buf.data(), n);
    gzclose(f);
    std::vector<std::optional<std::string>> v;
    size_t start = 0;
    while (start < data.size()) {
      size_t nl = data.find('\n', start);
      if (nl == std::string::npos) nl = data.size();
      const std::string_view line(data.data() + start, nl - start);
      start = nl + 1;
      if (!ReadJsonStrings(line, {"text", "body", "date_iso"}, &v).ok()) continue;
      if (!v[0] || v[0]->empty() || !v[1] || v[1]->empty()) continue;
      c->texts.push_back(std::move(*v[0]));
      c->references.push_back(v[2] ? IsoDay(*v[2]) : std::nullopt);
    }
    size_t total = 0;
    for (const std::string& t : c->texts) total += std::min(t.size(), kDatelineHeadBytes);
    c->arena.reserve(total);
    for (const std::string& t : c->texts) c->arena.append(t, 0, kDatelineHeadBytes);
    for (size_t i = 0, at = 0; i < c->texts.size(); ++i) {
      const size_t n = std::min(c->texts[i].size(), kDatelineHeadBytes);
      c->heads.emplace_back(c->arena.data() + at, n);
      at += n;
    }
    // Verify before timing: the parser must find the datelines, and the head alone must give
    // the same dateline as the whole text.
    size_t found = 0;
    for (size_t i = 0; i < c->texts.size(); ++i) {
      const auto whole = c->parser->Parse(c->texts[i], 0, c->references[i]);
      const auto head = c->parser->Parse(c->heads[i], 0, c->references[i]);
      found += whole.has_value();
      if (whole.has_value() != head.has_value() ||
          (whole.has_value() && !(whole->span == head->span))) {
        c->error = "head and whole text disagree on story " + std::to_string(i);
      }
    }
    if (c->texts.empty() || found < c->texts.size() * 99 / 100) {
      c->error = "verification failed: " + std::to_string(found) + " datelines in " +
                 std::to_string(c->texts.size()) + " stories";
    }
    std::cerr << "Reuters-21578: " << c->texts.size() << " stories, " << found
              << " datelines found\n";
    return c;
  }();
  return *corpus;
}

// One pass over the corpus heads, results destroyed. Not inlined, so that callgrind can count
// the timed work alone: valgrind --tool=callgrind --toggle-collect='*ParseAllHeads*'.
__attribute__((noinline)) void ParseAllHeads(const Corpus& c) {
  for (size_t i = 0; i < c.heads.size(); ++i) {
    auto d = c.parser->Parse(c.heads[i], 0, c.references[i]);
    benchmark::DoNotOptimize(d);
  }
}

void BM_ParseReuters21578(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  const size_t bytes = c.arena.size();
  for (auto _ : state) ParseAllHeads(c);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.heads.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseReuters21578)->Unit(benchmark::kMillisecond);

// The same head in an article of state.range(0) bytes: the time per parse must not change.
void BM_ParseArticleLength(benchmark::State& state) {
  static const auto* parser = [] {
    auto p = DatelineParser::Create(NEWSPARSE_SOURCE_DATA_DIR);
    return p.ok() ? p->release() : nullptr;
  }();
  if (parser == nullptr) {
    state.SkipWithError("cannot load data/");
    return;
  }
  std::string text = "WASHINGTON, March 2 (Reuters) - The Senate voted on a bill. ";
  while (text.size() < static_cast<size_t>(state.range(0))) text += "More text follows here. ";
  text.resize(state.range(0));
  text += "\nReuter";
  const absl::CivilDay ref(2024, 3, 2);
  std::vector<Credit> credits;
  if (!parser->Parse(text, 0, ref).has_value()) {
    state.SkipWithError("verification failed");
    return;
  }
  for (auto _ : state) {
    auto d = parser->Parse(text, 0, ref);
    credits.clear();
    parser->ParseCredits(text, &credits, d ? &*d : nullptr);
    benchmark::DoNotOptimize(d);
    benchmark::DoNotOptimize(credits.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseArticleLength)->Arg(1 << 10)->Arg(1 << 20);

}  // namespace
}  // namespace newsparse

BENCHMARK_MAIN();
