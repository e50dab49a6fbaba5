// The engine: runs the chosen pipeline stages over one article or a batch of them.
//
//   auto engine = Engine::Create({});            // loads lexicons and models once
//   Workspace ws;                                // one per thread, reused across articles
//   Article article;
//   absl::Status s = (*engine)->Parse(text, {}, &ws, &article);
//
// Stages: tokens (always, when a token-based stage runs) -> dateline and credits -> entities ->
// attribution -> dates. A caller that asks only for the dateline pays only for it.
//
// Thread safety: an Engine is immutable after Create() and may be shared by any number of
// threads. A Workspace belongs to one thread at a time.
//
// Time and memory: a parse takes time linear in the article's size (checked in CI on
// adversarial inputs by benchmarks/linear_time_benchmark.cc --check). Parsing one article raises
// the process's peak memory by at most kPeakMemoryPerArticleByte times its size in bytes; the
// cost is per token (about 610 bytes of scratch and results per token, most of it the entity
// tagger's per-token features and scores and its beam's lattice), so prose (one token per 5-6
// bytes) needs about 125 times its size and the worst case, one token per byte ("((((..."), about
// 610 times (measured with linear_time_benchmark --memory; checked by EngineMemoryTest). The Workspace keeps that
// capacity for the next article. max_article_bytes caps the size and max_article_tokens the
// token count, so the memory of one parse is at most the smaller of kPeakMemoryPerArticleByte *
// max_article_bytes and about 610 bytes * max_article_tokens (about 10 GB for the 16 M-token
// default, reached only by adversarial text; lower the limits where memory is tight).
#ifndef NEWSPARSE_CORE_ENGINE_H_
#define NEWSPARSE_CORE_ENGINE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/article.h"
#include "core/attribution.h"
#include "core/consolidation.h"
#include "core/dateline.h"
#include "core/entities.h"
#include "core/jsonl.h"
#include "core/text.h"
#include "core/tokenizer.h"

namespace newsparse {

// The bound on the peak memory growth of one parse, as a multiple of the article's size (see
// the file comment).
inline constexpr double kPeakMemoryPerArticleByte = 700;

// Bits of ParseOptions::stages.
enum Stage : uint32_t {
  kStageDateline = 1u << 0,     // dateline, byline, credits
  kStageEntities = 1u << 1,     // entity mentions and clusters
  kStageAttribution = 1u << 2,  // who said what
  kStageDates = 1u << 3,        // dates in the body
  kStageAll = (1u << 4) - 1,
};

// "all", or a comma-separated list of "dateline", "entities", "attribution", "dates".
// Errors: InvalidArgument naming an unknown stage.
absl::StatusOr<uint32_t> ParseStages(std::string_view spec);

struct EngineOptions {
  // The folder of run-time data (lexicons, place table, model). Empty: $NEWSPARSE_DATA_DIR, else
  // the source tree's data/ folder this library was built from.
  std::string data_dir;
  // Articles larger than this are refused with an error (never an out-of-memory).
  uint64_t max_article_bytes = 64ull << 20;
  // Articles with more tokens than this are refused with the same error once tokenized (only
  // when a token stage runs). Prose has one token per 5-6 bytes, so 64 MB of it is about 12
  // million tokens and never meets the default; text made of punctuation (one token per byte)
  // does, which caps the memory of any one parse at about 610 bytes times this count (10 GB).
  uint64_t max_article_tokens = 16ull << 20;
};

struct ParseOptions {
  uint32_t stages = kStageAll;
  // Accumulate per-stage time into Workspace::stats: the parsing thread's CPU time
  // (CLOCK_THREAD_CPUTIME_ID; two clock reads per stage, well under 1 % of a parse).
  bool collect_stats = false;
  // The article's date, used to resolve dates without a year. A metadata prefix such as
  // " date 2023-02-23" at the start of the text is used when this is unset.
  std::optional<absl::CivilDay> reference_date;
};

// Time and volume per stage, accumulated by Parse when ParseOptions::collect_stats is set.
struct StageStats {
  enum Index { kTokens, kDateline, kEntities, kConsolidation, kAttribution, kDates, kJson, kCount };
  std::array<int64_t, kCount> nanos{};  // thread CPU time per stage, summed over articles
  uint64_t articles = 0;
  uint64_t bytes = 0;
  uint64_t tokens = 0;
  uint64_t errors = 0;

  void Add(const StageStats& other);
  // "tokens", "dateline", "entities" (the tagger), "consolidation", "attribution", "dates", "json".
  static std::string_view Name(int index);
};

// Per-thread scratch, reused across articles so the hot path allocates nothing once warm.
struct Workspace {
  StageStats stats;
  Tokens tokens;
  OffsetMap offsets;
  Article article;     // used by the batch calls
  JsonlRecord record;  // used by the JSON Lines batch call
  JsonlError record_error;
  AttributionScratch attribution;  // attribution stage
  NerInput ner_input;              // entity stage
  NerScratch ner;
  std::vector<Mention> mentions;
  ConsolidationScratch consolidation;  // consolidation stage
};

class Engine {
 public:
  // Errors: NotFound / DataLoss when a data file is missing or malformed.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const EngineOptions& options);

  // Parses `text` into `article` (cleared first). Errors: InvalidArgument when the text exceeds
  // max_article_bytes (or 4 GiB). Invalid UTF-8 is analysed as U+FFFD (see text.h), never an
  // error. Thread-safe (const); `ws` must not be used by another thread at the same time.
  absl::Status Parse(std::string_view text, const ParseOptions& options, Workspace* ws,
                     Article* article) const;

  // Parses `text` and appends its JSON form (one line, no newline) to `out`; a parse error
  // becomes an error record. `id_json` as in AppendArticleJson.
  void ParseToJson(std::string_view text, const ParseOptions& options, std::string_view id_json,
                   Workspace* ws, std::string* out) const;

  // Parses JSON Lines records; `out[i]` receives the JSON form of `lines[i]` (an error record for a
  // line that cannot be read, numbered first_line + i). Uses `threads` threads (0: all cores);
  // output order is input order. `options.reference_date` applies to records without a date.
  void ParseJsonlBatch(const std::vector<std::string_view>& lines, uint64_t first_line,
                       const JsonlFields& fields, const ParseOptions& options, int threads,
                       std::vector<std::string>* out) const;

  // Parses plain texts in parallel, JSON form as above; `dates` is empty or one per text.
  void ParseTextBatch(const std::vector<std::string_view>& texts,
                      const std::vector<std::optional<absl::CivilDay>>& dates,
                      const std::vector<std::string>& ids_json, const ParseOptions& options,
                      int threads, std::vector<std::string>* out) const;

  const std::string& data_dir() const { return data_dir_; }
  const EngineOptions& options() const { return options_; }

  ~Engine();

 private:
  Engine();
  EngineOptions options_;
  std::string data_dir_;
  std::unique_ptr<DatelineParser> dateline_;
  std::unique_ptr<EntityTagger> tagger_;            // entity stage (data/ner.model)
  std::unique_ptr<AttributionFinder> attribution_;  // attribution stage (data/attribution_cues.tsv)
};

// How many threads a batch of `n` items runs on when `threads` are asked for: `threads`, or with
// 0 (or less) every core (std::thread::hardware_concurrency, at least 1); never more than `n`
// and at least 1. One means the batch runs inline on the calling thread. Thread-safe.
int ResolveThreads(int threads, size_t n);

// Runs fn(i, workspace) for i in [0, n) on ResolveThreads(threads, n) threads (0: hardware
// concurrency), each with its own Workspace; with one, inline on the calling thread. Blocks until
// all are done. Exceptions must not escape `fn`.
void ParallelFor(size_t n, int threads, const std::function<void(size_t, Workspace*)>& fn);

// The default data folder: $NEWSPARSE_DATA_DIR, else the source tree's data/.
std::string DefaultDataDir();

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ENGINE_H_
