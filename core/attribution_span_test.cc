#include "core/attribution_span.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribution.h"
#include "core/engine.h"
#include "core/ner_model.h"
#include "core/tokenizer.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

// A tokenized project-written text with its quote table.
struct Doc {
  explicit Doc(std::string t) : text(std::move(t)) {
    Tokenize(text, &tokens);
    std::vector<QuoteSpan> quotes;
    PairQuotes(text, tokens, &quotes);
    quote_of.assign(tokens.tokens.size(), -1);
    for (uint32_t q = 0; q < quotes.size(); ++q) {
      for (uint32_t k = quotes[q].open; k <= quotes[q].close; ++k) quote_of[k] = q;
    }
  }
  // The index of the first token whose text is `word`.
  uint32_t Find(std::string_view word) const {
    for (uint32_t i = 0; i < tokens.tokens.size(); ++i) {
      if (TokenText(text, tokens.tokens[i]) == word) return i;
    }
    ADD_FAILURE() << "no token " << word;
    return 0;
  }
  std::string Slice(uint32_t b, uint32_t e) const {  // tokens [b, e], inclusive
    return text.substr(tokens.tokens[b].begin, tokens.tokens[e].end - tokens.tokens[b].begin);
  }
  SpanWindow Window(std::string_view cue) const {
    const uint32_t c = Find(cue);
    return MakeSpanWindow(text, tokens, quote_of.data(), c, c);
  }
  std::string text;
  Tokens tokens;
  std::vector<int32_t> quote_of;
};

TEST(SpanWindowTest, IsTheCuesSentence) {
  const Doc d("The river rose. Engineers said the dam held. Nobody left.");
  const SpanWindow w = d.Window("said");
  EXPECT_EQ(d.Slice(w.begin, w.end - 1), "Engineers said the dam held.");
}

TEST(SpanWindowTest, WidensToAQuoteThatCrossesTheSentenceEnd) {
  const Doc d("The coach said: \"We lost. We learn.\" Then he left.");
  const SpanWindow w = d.Window("said");
  EXPECT_EQ(d.Slice(w.begin, w.end - 1), "The coach said: \"We lost. We learn.\"");
}

TEST(SpanBetweenTest, CountsCommasAndQuotesBetweenTokenAndCue) {
  const Doc d("The mayor, a former judge, said \"no\" today.");
  const SpanWindow w = d.Window("said");
  SpanBetween between;
  ComputeSpanBetween(w, &between);
  EXPECT_EQ(between.commas[d.Find("mayor") - w.begin], 2);
  EXPECT_EQ(between.commas[d.Find("judge") - w.begin], 1);
  EXPECT_EQ(between.quotes[d.Find("no") - w.begin], 1);
  EXPECT_EQ(between.quotes[d.Find("today") - w.begin], 2);
}

TEST(SpanFeaturesTest, SideDistanceAndPreviousLabelChangeTheFeatures) {
  const Doc d("Ana Ruiz said rates will fall. Rates will fall, Ana Ruiz said.");
  const uint32_t said1 = d.Find("said");
  const SpanWindow w1 = MakeSpanWindow(d.text, d.tokens, d.quote_of.data(), said1, said1);
  uint32_t said2 = said1 + 1;
  while (TokenText(d.text, d.tokens.tokens[said2]) != "said") ++said2;
  const SpanWindow w2 = MakeSpanWindow(d.text, d.tokens, d.quote_of.data(), said2, said2);
  SpanBetween b1, b2;
  ComputeSpanBetween(w1, &b1);
  ComputeSpanBetween(w2, &b2);
  uint64_t f[kMaxSpanFeatures], g[kMaxSpanFeatures], h[kMaxSpanFeatures];
  // "rates" right of the cue in the first sentence, "Rates" far left of it in the second.
  const int n1 = SpanFeatures(w1, b1, said1 + 1, kSpanOther, f);
  const int n2 = SpanFeatures(w2, b2, w2.begin, kSpanOther, g);
  ASSERT_GT(n1, 10);
  ASSERT_LE(n1, kMaxSpanFeatures);
  ASSERT_EQ(n1, n2);
  EXPECT_NE(f[0], g[0]);  // side and distance bucket
  // The same token with another previous label differs only in the previous-label features.
  const int n3 = SpanFeatures(w1, b1, said1 + 1, kSpanContent, h);
  ASSERT_EQ(n1, n3);
  int differ = 0;
  for (int k = 0; k < n1; ++k) differ += f[k] != h[k];
  EXPECT_EQ(differ, 5);
  // Pure: the same call gives the same hashes.
  uint64_t again[kMaxSpanFeatures];
  ASSERT_EQ(SpanFeatures(w1, b1, said1 + 1, kSpanOther, again), n1);
  for (int k = 0; k < n1; ++k) EXPECT_EQ(f[k], again[k]);
}

// A tiny model trained on written sentences of two shapes: "<Name> <cue> <clause>." and
// "<clause>, <Name> <cue>.".
struct Tiny {
  Tiny() {
    const char* kTrain[] = {
        "Maria Lopez said the bridge will reopen soon.",
        "The budget is too small, Peter Novak said.",
        "Ahmed Saleh warned the harvest could fail this year.",
        "Prices will keep rising, Lena Fischer warned.",
        "John Carter argued the vote was unfair to farmers.",
        "The school needs more teachers, Rosa Diaz argued.",
        "Kim Park said the port would close for a week.",
        "The talks went well, Omar Haddad said.",
        "Eva Stone claimed the report was wrong about taxes.",
        "The road is unsafe at night, Ivan Petrov claimed.",
    };
    docs.reserve(std::size(kTrain));
    for (const char* t : kTrain) docs.emplace_back(t);
    for (const Doc& d : docs) {
      uint32_t cue = 0;
      for (uint32_t i = 0; i < d.tokens.tokens.size(); ++i) {
        const std::string_view w = TokenText(d.text, d.tokens.tokens[i]);
        if (w == "said" || w == "warned" || w == "argued" || w == "claimed") cue = i;
      }
      SpanTrainingWindow win;
      win.window = MakeSpanWindow(d.text, d.tokens, d.quote_of.data(), cue, cue);
      const SpanWindow& w = win.window;
      win.labels.assign(w.end - w.begin, kSpanOther);
      const bool name_first = cue == 2;
      for (uint32_t i = w.begin; i < w.end; ++i) {
        const Token& t = d.tokens.tokens[i];
        if (i == cue || t.kind == TokenKind::kPunct) continue;
        const bool in_name = name_first ? i < cue : (i + 3 > cue && i < cue);
        win.labels[i - w.begin] = in_name ? kSpanSource : kSpanContent;
      }
      windows.push_back(std::move(win));
    }
    SpanTrainOptions options;
    options.epochs = 10;
    model = TrainSpanModel(windows, options, &errors);
  }
  std::vector<Doc> docs;  // windows point into these; reserve keeps them in place
  std::vector<SpanTrainingWindow> windows;
  std::vector<size_t> errors;
  SpanModel model;
};

const Tiny& TinyModel() {
  static const Tiny* tiny = new Tiny;
  return *tiny;
}

TEST(SpanModelTest, TrainingConverges) {
  const Tiny& t = TinyModel();
  ASSERT_EQ(t.errors.size(), 10u);
  EXPECT_GT(t.errors.front(), t.errors.back());
  EXPECT_EQ(t.errors.back(), 0u);
  EXPECT_GT(t.model.num_rows(), 0u);
}

// The tiny model tags `text` around its "said"; the source and the one content run must be
// `source` and `content`.
void ExpectSpans(const std::string& text, std::string_view source, std::string_view content) {
  const Tiny& t = TinyModel();
  const Doc d(text);
  const SpanWindow w = d.Window("said");
  SpanBetween between;
  std::vector<uint8_t> labels;
  t.model.Tag(w, &between, &labels);
  SpanRuns runs;
  ReadSpanRuns(w, labels, 2, &runs);
  ASSERT_LE(runs.source_begin, runs.source_end);
  EXPECT_EQ(d.Slice(runs.source_begin, runs.source_end), source);
  ASSERT_EQ(runs.content.size(), 1u);
  EXPECT_EQ(d.Slice(runs.content[0].first, runs.content[0].second), content);
}

TEST(SpanModelTest, LabelsAWrittenSourceAndContent) {
  ExpectSpans("Nora Quinn said the ferry will stop running in May.", "Nora Quinn",
              "the ferry will stop running in May");
}

TEST(SpanModelTest, LabelsContentBeforeTheCue) {
  ExpectSpans("The clinic will open on Monday, Paul Berg said.", "Paul Berg",
              "The clinic will open on Monday");
}

TEST(SpanModelTest, SerializeRoundTripsTheScores) {
  const Tiny& t = TinyModel();
  const std::string bytes = t.model.Serialize();
  absl::StatusOr<SpanModel> back = ParseSpanModel(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->num_rows(), t.model.num_rows());
  EXPECT_EQ(back->Serialize(), bytes);
  const Doc d("Nora Quinn said the ferry will stop running in May.");
  const SpanWindow w = d.Window("said");
  SpanBetween between;
  std::vector<uint8_t> a, b;
  t.model.Tag(w, &between, &a);
  back->Tag(w, &between, &b);
  EXPECT_EQ(a, b);
}

// The shipped model tags a written article the same way whether it reads the small-integer
// templates from its dense tables (a frozen model, as loaded) or scores SpanFeatures one by one
// (the same model unfrozen by setting its bias again), and whether the word hashes come from an
// article cache shared by every window or are computed per window: every token as a cue.
TEST(SpanModelTest, FrozenTablesAndWordCacheTagLikeTheFeatures) {
  absl::StatusOr<SpanModel> shipped = LoadSpanModel(DefaultDataDir() + "/attribution_span.model");
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  ASSERT_TRUE(shipped->frozen());
  SpanModel slow = *shipped;
  slow.Set(0, slow.Score(nullptr, 0));  // the same bias: unfreezes, weights unchanged
  ASSERT_FALSE(slow.frozen());
  const Doc d(
      "PARIS, May 3 - The city's transport chief, Lucie Marchand, said on Tuesday that the "
      "night trains would run again from June. \"We owe it to the workers,\" she told reporters, "
      "adding that the unions had agreed. Critics warned the plan was too costly, according to "
      "a council memo. The NEW LINES will cost 40 million euros, officials said.");
  SpanWordCache cache;
  cache.Reset(d.tokens.tokens.size());
  SpanBetween between;
  std::vector<uint8_t> fast, reference, cached;
  int content_labels = 0;
  for (uint32_t i = 0; i < d.tokens.tokens.size(); ++i) {
    SpanWindow w = MakeSpanWindow(d.text, d.tokens, d.quote_of.data(), i, i);
    shipped->Tag(w, &between, &fast);
    slow.Tag(w, &between, &reference);
    ASSERT_EQ(fast, reference) << "cue " << TokenText(d.text, d.tokens.tokens[i]);
    w.cache = &cache;
    shipped->Tag(w, &between, &cached);
    ASSERT_EQ(cached, reference) << "cue " << TokenText(d.text, d.tokens.tokens[i]);
    for (uint8_t l : fast) content_labels += l == kSpanContent;
  }
  EXPECT_GT(content_labels, 0);  // the comparison saw the model label something
  // A cache sized for another text is reset, not read.
  SpanWordCache other;
  other.word.assign(3, 42);
  other.suffix.assign(3, 42);
  const uint32_t said = d.Find("said");
  SpanWindow w = MakeSpanWindow(d.text, d.tokens, d.quote_of.data(), said, said);
  slow.Tag(w, &between, &reference);
  w.cache = &other;
  shipped->Tag(w, &between, &cached);
  EXPECT_EQ(cached, reference);
  EXPECT_EQ(other.word.size(), d.tokens.tokens.size());
}

TEST(SpanModelFileTest, BadMagic) {
  std::string bytes = TinyModel().model.Serialize();
  bytes[0] = 'X';
  absl::StatusOr<SpanModel> m = ParseSpanModel(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseSpanModel("").ok());
}

TEST(SpanModelFileTest, Truncated) {
  const std::string bytes = TinyModel().model.Serialize();
  for (size_t len : {size_t{10}, size_t{23}, bytes.size() / 2, bytes.size() - 1}) {
    absl::StatusOr<SpanModel> m = ParseSpanModel(std::string_view(bytes).substr(0, len));
    ASSERT_FALSE(m.ok()) << len;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss) << len;
  }
  absl::StatusOr<SpanModel> m = ParseSpanModel(bytes + "x");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss);
}

TEST(SpanModelFileTest, ChecksumMismatch) {
  std::string bytes = TinyModel().model.Serialize();
  bytes[bytes.size() / 2] ^= 0x20;  // a weight byte
  absl::StatusOr<SpanModel> m = ParseSpanModel(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(m.status().message()).find("checksum"), std::string::npos);
}

TEST(SpanModelFileTest, OtherVersion) {
  std::string bytes = TinyModel().model.Serialize();
  bytes[8] = 9;
  absl::StatusOr<SpanModel> m = ParseSpanModel(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SpanModelFileTest, OtherLabelCount) {
  std::string bytes = TinyModel().model.Serialize();
  bytes[12] = 4;  // labels per row; checked before the checksum
  absl::StatusOr<SpanModel> m = ParseSpanModel(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(m.status().message()).find("4 labels"), std::string::npos);
}

// `bytes` with the trailing CRC32 recomputed, so that the checks behind the checksum are reached.
std::string Resealed(std::string bytes) {
  bytes.resize(bytes.size() - 4);
  const uint32_t crc = ner::Crc32(bytes);
  bytes.append(reinterpret_cast<const char*>(&crc), 4);
  return bytes;
}

// A model file of two rows, hashes 5 and 9.
std::string TwoRows(float weight = 1.0f) {
  SpanModel m;
  m.Set(5, {weight, 0.0f, -1.0f});
  m.Set(9, {0.5f, 2.0f, 0.0f});
  return m.Serialize();
}
constexpr size_t kFirstRow = 20, kRowBytes = 8 + 4 * kNumSpanLabels;

TEST(SpanModelFileTest, NonFiniteWeight) {
  EXPECT_TRUE(ParseSpanModel(TwoRows()).ok());
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    absl::StatusOr<SpanModel> m = ParseSpanModel(TwoRows(bad));
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(m.status().message()).find("non-finite"), std::string::npos);
  }
}

TEST(SpanModelFileTest, RepeatedOrUnsortedHashes) {
  const std::string bytes = TwoRows();
  std::string swapped = bytes;  // row 9 first, then row 5
  swapped.replace(kFirstRow, kRowBytes, bytes, kFirstRow + kRowBytes, kRowBytes);
  swapped.replace(kFirstRow + kRowBytes, kRowBytes, bytes, kFirstRow, kRowBytes);
  absl::StatusOr<SpanModel> m = ParseSpanModel(Resealed(swapped));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(m.status().message()).find("out of order"), std::string::npos);

  std::string repeated = bytes;  // the second row's hash becomes the first's
  repeated.replace(kFirstRow + kRowBytes, 8, bytes, kFirstRow, 8);
  m = ParseSpanModel(Resealed(repeated));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(m.status().message()).find("repeated"), std::string::npos);
}

TEST(SpanModelTest, SetReplacesTheRow) {
  SpanModel m;
  m.Set(7, {1.0f, 2.0f, 3.0f});
  m.Set(7, {0.5f, 0.0f, 0.0f});
  EXPECT_EQ(m.num_rows(), 1u);
  const uint64_t feat = 7;
  const SpanModel::Row r = m.Score(&feat, 1);
  EXPECT_FLOAT_EQ(r[0], 0.5f);
  EXPECT_FLOAT_EQ(r[1], 0.0f);
  EXPECT_FLOAT_EQ(r[2], 0.0f);
}

TEST(SpanModelFileTest, MissingFileIsNotFound) {
  absl::StatusOr<SpanModel> m = LoadSpanModel("/nonexistent/attribution_span.model");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
}

TEST(SpanModelFileTest, ShippedModelLoads) {
  absl::StatusOr<SpanModel> m = LoadSpanModel(DefaultDataDir() + "/attribution_span.model");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_GT(m->num_rows(), 1000u);
}

// The run-time anchor of the span model, shared with the trainer: a particle or "to" joins the
// head word, a plain verb stays alone.
TEST(SpanCueRangeTest, HeadPlusParticleOrTo) {
  using F = AttributionFinder;
  const Doc d("Mills pointed out, according to aides, that Ray said no.");
  uint32_t b = 0, e = 0;
  F::SpanCueRange(d.text, d.tokens, d.Find("pointed"), F::kVerb, &b, &e);
  EXPECT_EQ(d.Slice(b, e), "pointed out");
  F::SpanCueRange(d.text, d.tokens, d.Find("according"), F::kAccording, &b, &e);
  EXPECT_EQ(d.Slice(b, e), "according to");
  F::SpanCueRange(d.text, d.tokens, d.Find("said"), F::kVerb, &b, &e);
  EXPECT_EQ(d.Slice(b, e), "said");
  F::SpanCueRange(d.text, d.tokens, d.Find("said"), F::kPhraseHead, &b, &e);
  EXPECT_EQ(d.Slice(b, e), "said no");
  F::SpanCueRange(d.text, d.tokens, d.Find("aides"), F::kVerb, &b, &e);  // "," is no word
  EXPECT_EQ(d.Slice(b, e), "aides");
  const uint32_t last = static_cast<uint32_t>(d.tokens.tokens.size() - 1);
  F::SpanCueRange(d.text, d.tokens, last, F::kAccording, &b, &e);  // nothing after it
  EXPECT_EQ(b, last);
  EXPECT_EQ(e, last);
}

// A data folder with the cue lexicon but no span model: the finder that asks for the model is an
// error naming the file, not a finder that quietly runs the patterns alone; kOff needs no model.
TEST(SpanModelFileTest, FinderWithoutTheModelFileIsNotFound) {
  const std::string dir = ::testing::TempDir() + "/no_span_model_" + std::to_string(getpid());
  ASSERT_TRUE(mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST);
  {
    std::ifstream in(DefaultDataDir() + "/attribution_cues.tsv", std::ios::binary);
    std::ofstream out(dir + "/attribution_cues.tsv", std::ios::binary);
    ASSERT_TRUE(in && out);
    out << in.rdbuf();
  }
  std::remove((dir + "/attribution_span.model").c_str());
  for (SpanModelUse use : {SpanModelUse::kFallback, SpanModelUse::kFirst}) {
    AttributionOptions options;
    options.span_model = use;
    auto finder = AttributionFinder::Create(dir, options);
    ASSERT_FALSE(finder.ok());
    EXPECT_EQ(finder.status().code(), absl::StatusCode::kNotFound);
    EXPECT_NE(finder.status().message().find(dir + "/attribution_span.model"), std::string::npos)
        << finder.status();
  }
  AttributionOptions off;
  off.span_model = SpanModelUse::kOff;
  auto rules = AttributionFinder::Create(dir, off);
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_FALSE((*rules)->has_span_model());
  std::remove((dir + "/attribution_cues.tsv").c_str());
  rmdir(dir.c_str());
}

// The finder with the tiny model for every cue (kFirst): the model's spans become the
// attribution.
TEST(SpanModelFinderTest, ModelFirstGivesTheModelsSpans) {
  auto finder = AttributionFinder::Create(DefaultDataDir());
  ASSERT_TRUE(finder.ok()) << finder.status();
  (*finder)->SetSpanModel(TinyModel().model, SpanModelUse::kFirst);
  const std::string text = "Nora Quinn said the ferry will stop running in May.";
  Tokens tokens;
  Tokenize(text, &tokens);
  AttributionScratch scratch;
  std::vector<Attribution> out;
  (*finder)->Find(text, tokens, {}, &scratch, &out);
  ASSERT_EQ(out.size(), 1u);
  auto slice = [&](const Span& s) { return text.substr(s.begin, s.end - s.begin); };
  EXPECT_EQ(slice(out[0].cue), "said");
  ASSERT_TRUE(out[0].source.has_value());
  EXPECT_EQ(slice(out[0].source->span), "Nora Quinn");
  ASSERT_EQ(out[0].content.size(), 1u);
  EXPECT_EQ(slice(out[0].content[0]), "the ferry will stop running in May");
}

// A cue no hand-written pattern takes (a long source with a parenthesis between dashes) still
// gives an attribution with the shipped model as the fallback, and none without it.
TEST(SpanModelFinderTest, ShippedModelIsTheFallbackForCuesNoPatternTakes) {
  auto by_default = AttributionFinder::Create(DefaultDataDir());
  ASSERT_TRUE(by_default.ok());
  EXPECT_FALSE((*by_default)->has_span_model());  // opt-in: it doubles the finder's cost
  AttributionOptions off;
  off.span_model = SpanModelUse::kOff;
  AttributionOptions fallback;
  fallback.span_model = SpanModelUse::kFallback;
  auto rules = AttributionFinder::Create(DefaultDataDir(), off);
  auto both = AttributionFinder::Create(DefaultDataDir(), fallback);
  ASSERT_TRUE(rules.ok() && both.ok());
  ASSERT_TRUE((*both)->has_span_model());
  EXPECT_FALSE((*rules)->has_span_model());
  const std::string text =
      "The letter from the three senators \u2013 sent to the agency on Friday \u2013 argues that "
      "the rules are unlawful.";
  Tokens tokens;
  Tokenize(text, &tokens);
  AttributionScratch scratch;
  std::vector<Attribution> out;
  (*rules)->Find(text, tokens, {}, &scratch, &out);
  EXPECT_TRUE(out.empty());
  (*both)->Find(text, tokens, {}, &scratch, &out);
  ASSERT_EQ(out.size(), 1u);
  auto slice = [&](const Span& s) { return text.substr(s.begin, s.end - s.begin); };
  EXPECT_EQ(slice(out[0].cue), "argues");
  ASSERT_TRUE(out[0].source.has_value());
  EXPECT_EQ(slice(out[0].source->span), "The letter from the three senators");
  ASSERT_EQ(out[0].content.size(), 1u);
  EXPECT_EQ(slice(out[0].content[0]), "that the rules are unlawful");
}

}  // namespace
}  // namespace newsparse
