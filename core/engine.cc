#include "core/engine.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/article_json.h"
#include "core/consolidation.h"
#include "core/dates.h"
#include "core/status.h"

namespace newsparse {

absl::StatusOr<uint32_t> ParseStages(std::string_view spec) {
  uint32_t stages = 0;
  for (absl::string_view part_a : absl::StrSplit(ToAbsl(spec), ',', absl::SkipWhitespace())) {
    std::string_view part = ToStd(part_a);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part == "all") {
      stages |= kStageAll;
    } else if (part == "dateline") {
      stages |= kStageDateline;
    } else if (part == "entities") {
      stages |= kStageEntities;
    } else if (part == "attribution") {
      stages |= kStageAttribution;
    } else if (part == "dates") {
      stages |= kStageDates;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown stage \"", ToAbsl(part),
                       "\" (expected all, dateline, entities, attribution, dates)"));
    }
  }
  if (stages == 0) return absl::InvalidArgumentError("no stage chosen");
  return stages;
}

std::string DefaultDataDir() {
  if (const char* env = std::getenv("NEWSPARSE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return NEWSPARSE_SOURCE_DATA_DIR;
}

Engine::Engine() = default;
Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const EngineOptions& options) {
  std::unique_ptr<Engine> engine(new Engine());
  engine->options_ = options;
  engine->data_dir_ = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  if (options.max_article_bytes == 0) {
    return absl::InvalidArgumentError("max_article_bytes must be positive");
  }
  if (options.max_article_tokens == 0) {
    return absl::InvalidArgumentError("max_article_tokens must be positive");
  }
  NEWSPARSE_ASSIGN_OR_RETURN(engine->dateline_, DatelineParser::Create(engine->data_dir_));
  NEWSPARSE_ASSIGN_OR_RETURN(
      engine->tagger_,
      EntityTagger::Load(absl::StrCat(engine->data_dir_, "/ner.model"), engine->data_dir_));
  NEWSPARSE_ASSIGN_OR_RETURN(engine->attribution_, AttributionFinder::Create(engine->data_dir_));
  return engine;
}

void StageStats::Add(const StageStats& o) {
  for (int i = 0; i < kCount; ++i) nanos[i] += o.nanos[i];
  articles += o.articles;
  bytes += o.bytes;
  tokens += o.tokens;
  errors += o.errors;
}

std::string_view StageStats::Name(int index) {
  static constexpr std::string_view kNames[kCount] = {
      "tokens", "dateline", "entities", "consolidation", "attribution", "dates", "json"};
  return index >= 0 && index < kCount ? kNames[index] : "unknown";
}

namespace {

// Adds the calling thread's CPU time from construction to destruction to one stage when stats
// are enabled. CPU time rather than wall time, so that other processes on a busy machine do not
// inflate the per-stage figures (a clock_gettime call, about 0.1-0.3 us, twice per stage).
int64_t ThreadCpuNanos() {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

class StageTimer {
 public:
  StageTimer(bool enabled, int64_t* sink)
      : sink_(enabled ? sink : nullptr), start_(enabled ? ThreadCpuNanos() : 0) {}
  ~StageTimer() {
    if (sink_ != nullptr) *sink_ += ThreadCpuNanos() - start_;
  }

 private:
  int64_t* sink_;
  int64_t start_;
};

// NerInputFromTokens (entities.h) without its Clear(): the vectors keep their size from the
// previous article, so resize() value-initialises only what this article adds beyond it, and
// every element below the token count is then overwritten. Same result. `tokens` is what
// Tokenize made of `text` just before, so every token has begin <= end <= text.size()
// (tokenizer.h) and is copied without the clamping NerInputFromTokens does for any input.
void FillNerInput(std::string_view text, const Tokens& tokens, NerInput* out) {
  const size_t n = tokens.tokens.size();
  out->words.resize(n);
  out->spans.resize(n);
  std::string_view* words = out->words.data();
  Span* spans = out->spans.data();
  const Token* toks = tokens.tokens.data();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = toks[i].begin;
    const uint32_t e = toks[i].end;
    words[i] = std::string_view(text.data() + b, e - b);
    spans[i] = Span{b, e};
  }
  std::vector<uint32_t>& starts = out->sentence_starts;
  starts.clear();
  for (const TokenRange& s : tokens.sentences) {
    if (s.begin < s.end && s.begin < n && (starts.empty() || s.begin > starts.back())) {
      starts.push_back(s.begin);
    }
  }
  if (!starts.empty()) starts[0] = 0;
}

}  // namespace

absl::Status Engine::Parse(std::string_view text, const ParseOptions& options, Workspace* ws,
                           Article* article) const {
  // The previous result's entities go back to the scratch, which reuses their storage.
  RecycleEntities(&article->entities, &ws->consolidation);
  RecycleAttributions(&article->attributions, &ws->attribution);
  article->Clear();
  if (text.size() > options_.max_article_bytes || text.size() >= (uint64_t{1} << 32)) {
    return absl::InvalidArgumentError(absl::StrCat("article of ", text.size(),
                                                   " bytes exceeds the limit of ",
                                                   options_.max_article_bytes, " bytes"));
  }
  const bool stats = options.collect_stats;
  StageStats& st = ws->stats;
  if (stats) {
    ++st.articles;
    st.bytes += text.size();
  }
  const bool needs_tokens =
      (options.stages & (kStageEntities | kStageAttribution | kStageDates)) != 0;
  if (needs_tokens) {
    StageTimer timer(stats, &st.nanos[StageStats::kTokens]);
    Tokenize(text, &ws->tokens);
    if (stats) st.tokens += ws->tokens.tokens.size();
    if (ws->tokens.tokens.size() > options_.max_article_tokens) {
      const size_t n = ws->tokens.tokens.size();
      ws->tokens.Clear();
      return absl::InvalidArgumentError(absl::StrCat("article of ", n,
                                                     " tokens exceeds the limit of ",
                                                     options_.max_article_tokens, " tokens"));
    }
  } else {
    ws->tokens.Clear();
  }
  // The article date: the caller's, else a metadata prefix (" date 2023-02-23 ...").
  size_t meta_bytes = 0;
  const std::optional<absl::CivilDay> meta_date = ParseMetadataDate(text, &meta_bytes);
  const std::optional<absl::CivilDay> reference =
      options.reference_date ? options.reference_date : meta_date;
  // The dateline also serves the dates stage: its date is the local day of the story.
  std::optional<Dateline> dateline;
  if (options.stages & (kStageDateline | kStageDates)) {
    StageTimer timer(stats, &st.nanos[StageStats::kDateline]);
    dateline = dateline_->Parse(text, meta_bytes, reference);
    if (options.stages & kStageDateline) {
      dateline_->ParseCredits(text, &article->credits, dateline ? &*dateline : nullptr);
    }
  }
  if (options.stages & kStageDates) {
    StageTimer timer(stats, &st.nanos[StageStats::kDates]);
    std::optional<absl::CivilDay> day = reference;
    uint32_t body = static_cast<uint32_t>(meta_bytes);
    if (dateline) {
      if (dateline->date && dateline->date->value) day = dateline->date->value;
      body = dateline->body_start;
    }
    const TokenVector& toks = ws->tokens.tokens;
    const size_t first = std::lower_bound(toks.begin(), toks.end(), body,
                                          [](const Token& t, uint32_t b) { return t.begin < b; }) -
                         toks.begin();
    FindDates(text, ws->tokens, first, day, &article->dates);
  }
  if (options.stages & kStageDateline) article->dateline = std::move(dateline);
  // Entities: the tagger's mentions over the whole text, grouped into the article's entities.
  if (options.stages & kStageEntities) {
    StageTimer timer(stats, &st.nanos[StageStats::kEntities]);
    FillNerInput(text, ws->tokens, &ws->ner_input);
    ws->mentions.clear();
    NEWSPARSE_RETURN_IF_ERROR(tagger_->TagDocument(ws->ner_input, &ws->ner, &ws->mentions));
  }
  if (options.stages & kStageEntities) {
    StageTimer timer(stats, &st.nanos[StageStats::kConsolidation]);
    Consolidate(text, ws->tokens, &ws->mentions, &article->entities, &ws->consolidation);
  }
  // Attribution: uses the entity clusters when the entity stage ran before it.
  if ((options.stages & kStageAttribution) != 0) {
    StageTimer timer(stats, &st.nanos[StageStats::kAttribution]);
    attribution_->Find(text, ws->tokens, article->entities, &ws->attribution,
                       &article->attributions);
  }
  return absl::OkStatus();
}

void Engine::ParseToJson(std::string_view text, const ParseOptions& options,
                         std::string_view id_json, Workspace* ws, std::string* out) const {
  const absl::Status s = Parse(text, options, ws, &ws->article);
  if (!s.ok()) {
    if (options.collect_stats) ++ws->stats.errors;
    AppendErrorJson(id_json,
                    s.code() == absl::StatusCode::kInvalidArgument ? "too_large" : "internal",
                    ToStd(s.message()), 0, out);
    return;
  }
  StageTimer timer(options.collect_stats, &ws->stats.nanos[StageStats::kJson]);
  AppendArticleJson(text, ws->article, id_json, &ws->offsets, out);
}

void Engine::ParseJsonlBatch(const std::vector<std::string_view>& lines, uint64_t first_line,
                             const JsonlFields& fields, const ParseOptions& options, int threads,
                             std::vector<std::string>* out) const {
  out->assign(lines.size(), std::string());
  ParallelFor(lines.size(), threads, [&](size_t i, Workspace* ws) {
    std::string& o = (*out)[i];
    const uint64_t line_no = first_line + i;
    if (!ParseJsonlRecord(lines[i], fields, &ws->record, &ws->record_error)) {
      AppendErrorJson(ws->record.id_json, ws->record_error.kind, ws->record_error.message, line_no,
                      &o);
      return;
    }
    ParseOptions opts = options;
    if (ws->record.date) opts.reference_date = ws->record.date;
    const absl::Status s = Parse(ws->record.text, opts, ws, &ws->article);
    if (!s.ok()) {
      AppendErrorJson(ws->record.id_json, "too_large", ToStd(s.message()), line_no, &o);
      return;
    }
    AppendArticleJson(ws->record.text, ws->article, ws->record.id_json, &ws->offsets, &o);
  });
}

void Engine::ParseTextBatch(const std::vector<std::string_view>& texts,
                            const std::vector<std::optional<absl::CivilDay>>& dates,
                            const std::vector<std::string>& ids_json, const ParseOptions& options,
                            int threads, std::vector<std::string>* out) const {
  out->assign(texts.size(), std::string());
  ParallelFor(texts.size(), threads, [&](size_t i, Workspace* ws) {
    ParseOptions opts = options;
    if (i < dates.size() && dates[i]) opts.reference_date = dates[i];
    const std::string_view id = i < ids_json.size() ? std::string_view(ids_json[i]) : "";
    ParseToJson(texts[i], opts, id, ws, &(*out)[i]);
  });
}

int ResolveThreads(int threads, size_t n) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(n, 1)));
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t, Workspace*)>& fn) {
  threads = ResolveThreads(threads, n);
  if (threads <= 1) {
    Workspace ws;
    for (size_t i = 0; i < n; ++i) fn(i, &ws);
    return;
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    Workspace ws;
    while (true) {
      const size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) break;
      fn(i, &ws);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace newsparse
