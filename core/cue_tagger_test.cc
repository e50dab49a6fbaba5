#include "core/cue_tagger.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/attribution.h"
#include "core/ner_model.h"
#include "core/tokenizer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

// A small lexicon written for these tests (cue, kind, gold count, corpus count).
constexpr std::string_view kLexicon =
    "said\tverb\t90\t100\n"
    "warned\tverb\t40\t50\n"
    "according\tlearned\t30\t31\n"
    "according to\tphrase\t30\t0\n";

// A finder over kLexicon, or null (with the error reported) when it cannot be built: callers
// ASSERT_NE(finder, nullptr) before using it.
std::unique_ptr<AttributionFinder> SmallFinder(const AttributionOptions& options = {}) {
  auto f = AttributionFinder::CreateFromLexicon(kLexicon, options);
  if (!f.ok()) {
    ADD_FAILURE() << f.status();
    return nullptr;
  }
  return *std::move(f);
}

// A written text with its tables and labels; `cues` are the words of the cue spans, in order,
// each given as the exact substring of `text` it covers.
struct Example {
  std::string text;
  Tokens tokens;
  CueTaggerTables tables;
  std::vector<uint8_t> labels;
};

Example Make(const AttributionFinder& finder, std::string text,
             const std::vector<std::string>& cues) {
  Example e;
  e.text = std::move(text);
  Tokenize(e.text, &e.tokens);
  finder.PrepareCueTaggerTables(e.text, e.tokens, &e.tables);
  e.labels.assign(e.tokens.tokens.size(), kCueO);
  size_t from = 0;
  for (const std::string& cue : cues) {
    const size_t at = e.text.find(cue, from);
    EXPECT_NE(at, std::string::npos) << cue;
    from = at + cue.size();
    bool first = true;
    for (size_t i = 0; i < e.tokens.tokens.size(); ++i) {
      const Token& t = e.tokens.tokens[i];
      if (t.begin >= at && t.end <= at + cue.size()) {
        e.labels[i] = first ? kCueB : kCueI;
        first = false;
      }
    }
  }
  return e;
}

int TokenIndex(const Example& e, std::string_view word) {
  for (size_t i = 0; i < e.tokens.tokens.size(); ++i) {
    if (TokenText(e.text, e.tokens.tokens[i]) == word) return static_cast<int>(i);
  }
  return -1;
}

std::vector<uint64_t> Word(const Example& e, int i, uint32_t flags) {
  uint64_t f[kMaxCueWordFeatures];
  const int m = CueWordFeatures(e.tables.Input(e.text, e.tokens), i, flags, f);
  return std::vector<uint64_t>(f, f + m);
}

std::vector<uint64_t> Context(const Example& e, int i, uint32_t flags) {
  uint64_t f[kMaxCueContextFeatures];
  const int m = CueContextFeatures(e.tables.Input(e.text, e.tokens), i, flags, f);
  return std::vector<uint64_t>(f, f + m);
}

size_t Shared(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t k = 0;
  for (uint64_t x : a) k += std::count(b.begin(), b.end(), x) > 0;
  return k;
}

TEST(CueTaggerFeaturesTest, TablesOfAWrittenSentence) {
  auto finder = SmallFinder();
  ASSERT_NE(finder, nullptr);
  const Example e = Make(*finder, "The mayor said \"we will rebuild\" on Monday.", {});
  const int said = TokenIndex(e, "said"), we = TokenIndex(e, "we"), mayor = TokenIndex(e, "mayor");
  ASSERT_GE(said, 0);
  EXPECT_NE(e.tables.lex[said], 0);  // in the lexicon
  EXPECT_EQ(e.tables.lex[mayor], 0);
  EXPECT_EQ(e.tables.in_quote[said], 0);
  EXPECT_EQ(e.tables.in_quote[we], 1);
  EXPECT_EQ(e.tables.quote_dist[said], 1);  // the mark right after it
  EXPECT_EQ(e.tables.sent_pos[mayor], 1);
  EXPECT_EQ(e.tables.sent_pos[0], 0);
  EXPECT_EQ(e.tables.sent_left[e.tokens.tokens.size() - 1], 0);
  // The lexicon byte: ratio 0.9 -> bucket 10, 90 gold -> count bucket 2, a hand-written seed.
  EXPECT_EQ(e.tables.lex[said], CueLexiconByte(90, 100, true));
  EXPECT_EQ(CueLexiconByte(90, 100, true) & 0x0F, 10);
  EXPECT_EQ((CueLexiconByte(90, 100, true) >> 4) & 3, 2);
  EXPECT_EQ(CueLexiconByte(-4, 31, false) & 0x0F, 1);     // a negative ratio clamps to the lowest
  EXPECT_EQ(CueLexiconByte(500, 100, false) & 0x0F, 10);  // above 1 clamps to the highest
}

TEST(CueTaggerFeaturesTest, WordFeaturesShareTheLowerCaseAndSuffix) {
  auto finder = SmallFinder();
  ASSERT_NE(finder, nullptr);
  const Example a = Make(*finder, "Officials said so. Said the mayor: no.", {});
  const Example b = Make(*finder, "She was warning them and warned us.", {});
  const std::vector<uint64_t> said = Word(a, TokenIndex(a, "said"), kCueFeatureLexicon);
  const std::vector<uint64_t> cap = Word(a, TokenIndex(a, "Said"), kCueFeatureLexicon);
  EXPECT_EQ(said.size(), 8u);
  // "said" and "Said": the raw word and the shape differ, the lower-cased word, suffix class and
  // lexicon entry do not.
  EXPECT_EQ(Shared(said, cap), 5u);
  // Without the lexicon features there are fewer.
  EXPECT_EQ(Word(a, TokenIndex(a, "said"), 0).size(), 5u);
  // "warning" (-ing) and "warned" (-ed, in the lexicon) share no suffix class.
  const std::vector<uint64_t> ing = Word(b, TokenIndex(b, "warning"), 0);
  const std::vector<uint64_t> ed = Word(b, TokenIndex(b, "warned"), 0);
  EXPECT_LT(Shared(ing, ed), 2u);
}

TEST(CueTaggerFeaturesTest, ContextSeesQuotesAndNeighbours) {
  auto finder = SmallFinder();
  ASSERT_NE(finder, nullptr);
  const Example e = Make(*finder, "Kim said the plan worked. \"Kim said it,\" he said.", {});
  // The first and the quoted "said": the same word, another place (quote distance, neighbours).
  int first = -1, quoted = -1;
  for (size_t i = 0; i < e.tokens.tokens.size(); ++i) {
    if (TokenText(e.text, e.tokens.tokens[i]) != "said") continue;
    if (first < 0) {
      first = static_cast<int>(i);
    } else if (quoted < 0) {
      quoted = static_cast<int>(i);
    }
  }
  ASSERT_GE(quoted, 0);
  EXPECT_EQ(Word(e, first, kCueFeatureLexicon), Word(e, quoted, kCueFeatureLexicon));
  const std::vector<uint64_t> a = Context(e, first, kCueFeatureLexicon);
  const std::vector<uint64_t> b = Context(e, quoted, kCueFeatureLexicon);
  EXPECT_EQ(a.size(), 22u);
  EXPECT_LT(Shared(a, b), a.size());
  // "Kim said" is on both sides: the previous-word feature is shared.
  EXPECT_EQ(a[0], b[0]);
  EXPECT_FALSE(CueTaggable(e.tables.Input(e.text, e.tokens), quoted));
  EXPECT_TRUE(CueTaggable(e.tables.Input(e.text, e.tokens), first));
}

// Written training texts with a multi-word cue ("has repeatedly warned", "is pushing for") and a
// cue outside the lexicon ("wants").
std::vector<Example> TrainingExamples(const AttributionFinder& finder) {
  std::vector<Example> out;
  const char* names[] = {"Kim", "The mayor", "Officials", "Ana Ruiz", "The council", "Lee"};
  for (const char* name : names) {
    out.push_back(Make(finder, std::string(name) + " has repeatedly warned that the bridge is old.",
                       {"has repeatedly warned"}));
    out.push_back(Make(finder, std::string(name) + " wants the road closed by June.", {"wants"}));
    out.push_back(Make(finder, std::string(name) + " is pushing for a new vote on taxes.",
                       {"is pushing for"}));
    out.push_back(Make(finder, std::string(name) + " said the budget was too small.", {"said"}));
    out.push_back(Make(finder, std::string(name) + " has a house and is old.", {}));
    out.push_back(Make(finder, "The bridge is old, " + std::string(name) + " said.", {"said"}));
  }
  return out;
}

std::vector<CueTrainingText> Texts(const std::vector<Example>& ex) {
  std::vector<CueTrainingText> t;
  for (const Example& e : ex) t.push_back({e.text, &e.tokens, &e.tables, e.labels});
  return t;
}

std::vector<std::string> TaggedSpans(const CueTaggerModel& model, const Example& e) {
  std::vector<uint8_t> labels;
  TagCueLabels(model, e.tables.Input(e.text, e.tokens), &labels);
  std::vector<std::string> spans;
  for (size_t b = 0; b < labels.size(); ++b) {
    if (labels[b] != kCueB) continue;
    size_t k = b;
    while (k + 1 < labels.size() && labels[k + 1] == kCueI) ++k;
    spans.emplace_back(
        e.text.substr(e.tokens.tokens[b].begin, e.tokens.tokens[k].end - e.tokens.tokens[b].begin));
    b = k;
  }
  return spans;
}

TEST(CueTaggerTrainTest, TinyModelTagsAWrittenMultiWordCue) {
  auto finder = SmallFinder();
  ASSERT_NE(finder, nullptr);
  const std::vector<Example> train = TrainingExamples(*finder);
  CueTrainOptions options;
  options.epochs = 8;
  std::vector<size_t> errors;
  const CueTaggerModel model = TrainCueTagger(Texts(train), options, &errors);
  ASSERT_EQ(errors.size(), 8u);
  EXPECT_LT(errors.back(), errors.front());
  // New sentences, names it has not seen.
  const Example a = Make(*finder, "Pat has repeatedly warned that the dam is old.", {});
  EXPECT_THAT(TaggedSpans(model, a), ::testing::ElementsAre("has repeatedly warned"));
  const Example b = Make(*finder, "Mr. Ode wants the road closed by May.", {});
  EXPECT_THAT(TaggedSpans(model, b), ::testing::ElementsAre("wants"));
  const Example c = Make(*finder, "Mr. Ode has a house and is old.", {});
  EXPECT_THAT(TaggedSpans(model, c), ::testing::IsEmpty());
  // Deterministic for a seed.
  const CueTaggerModel again = TrainCueTagger(Texts(train), options);
  EXPECT_EQ(SerializeCueTagger(model), SerializeCueTagger(again));
}

TEST(CueTaggerTrainTest, FinderUsesTheTaggedSpans) {
  AttributionOptions options;
  options.cue_source = CueSource::kTagger;
  auto finder = SmallFinder(options);
  ASSERT_NE(finder, nullptr);
  const std::vector<Example> train = TrainingExamples(*finder);
  CueTrainOptions topt;
  topt.epochs = 8;
  finder->SetCueTagger(TrainCueTagger(Texts(train), topt));
  const std::string text =
      "Pat wants the road closed by May. Pat has repeatedly warned that it is old.";
  Tokens tokens;
  Tokenize(text, &tokens);
  AttributionScratch scratch;
  std::vector<Attribution> atts;
  finder->Find(text, tokens, {}, &scratch, &atts);
  ASSERT_EQ(atts.size(), 2u);
  EXPECT_EQ(Slice(text, atts[0].cue), "wants");
  ASSERT_TRUE(atts[0].source.has_value());
  EXPECT_EQ(Slice(text, atts[0].source->span), "Pat");
  ASSERT_EQ(atts[0].content.size(), 1u);
  EXPECT_EQ(Slice(text, atts[0].content[0]), "the road closed by May");
  EXPECT_EQ(Slice(text, atts[1].cue), "has repeatedly warned");
  ASSERT_TRUE(atts[1].source.has_value());
  EXPECT_EQ(Slice(text, atts[1].source->span), "Pat");
  ASSERT_EQ(atts[1].content.size(), 1u);
  EXPECT_EQ(Slice(text, atts[1].content[0]), "that it is old");
}

TEST(CueTaggerModelTest, RoundTripAndFileErrors) {
  CueTaggerModel model;
  model.context_bound = 2.5f;
  *model.weights.Insert(0x1234) = {1.0f, -2.0f, 0.5f};
  *model.weights.Insert(0x9999) = {0.0f, 4.0f, -4.0f};
  const std::string bytes = SerializeCueTagger(model);
  auto back = ParseCueTagger(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->weights.size(), 2u);
  EXPECT_FLOAT_EQ(back->context_bound, 2.5f);
  ASSERT_NE(back->weights.Find(0x9999), nullptr);
  EXPECT_NEAR((*back->weights.Find(0x9999))[1], 4.0f, 1e-3);
  EXPECT_NEAR((*back->weights.Find(0x1234))[0], 1.0f, 1e-3);

  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_EQ(ParseCueTagger(bad_magic).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCueTagger("").status().code(), absl::StatusCode::kInvalidArgument);
  for (size_t cut : {size_t{8}, size_t{20}, bytes.size() - 5, bytes.size() - 1}) {
    EXPECT_EQ(ParseCueTagger(std::string_view(bytes).substr(0, cut)).status().code(),
              absl::StatusCode::kDataLoss)
        << cut;
  }
  std::string flipped = bytes;
  flipped[40] = static_cast<char>(flipped[40] ^ 0x10);
  const absl::Status crc = ParseCueTagger(flipped).status();
  EXPECT_EQ(crc.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(crc.message()), ::testing::HasSubstr("checksum"));
  std::string version = bytes;
  version[8] = 9;
  EXPECT_EQ(ParseCueTagger(version).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ParseCueTagger(bytes + "x").status().code(), absl::StatusCode::kDataLoss);
}

// `bytes` with byte `at` set to `value` and the trailing CRC32 recomputed, so that the checks
// behind the checksum are reached.
std::string Resealed(std::string bytes, size_t at, char value) {
  bytes[at] = value;
  bytes.resize(bytes.size() - 4);
  const uint32_t crc = ner::Crc32(bytes);
  for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<char>((crc >> (8 * k)) & 0xFF));
  return bytes;
}

TEST(CueTaggerModelTest, UnknownFeatureFlagsAndLabelCountAreRejected) {
  CueTaggerModel model;
  *model.weights.Insert(0x1234) = {1.0f, -2.0f, 0.5f};
  const std::string bytes = SerializeCueTagger(model);
  ASSERT_TRUE(ParseCueTagger(Resealed(bytes, 16, 0)).ok());  // no lexicon features: known
  const absl::Status flags = ParseCueTagger(Resealed(bytes, 16, 0x03)).status();
  EXPECT_EQ(flags.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(flags.message()), ::testing::HasSubstr("unknown feature flags 0x3"));
  EXPECT_EQ(ParseCueTagger(Resealed(bytes, 19, 0x01)).status().code(),
            absl::StatusCode::kInvalidArgument);  // the top bit of the flags word
  EXPECT_EQ(ParseCueTagger(Resealed(bytes, 12, 2)).status().code(),
            absl::StatusCode::kInvalidArgument);  // two labels per row
}

// Found by fuzz/cue_tagger_fuzzer.cc: a tiny positive scale made the weights infinite.
TEST(CueTaggerModelTest, ScaleThatOverflowsTheWeightsIsRejected) {
  CueTaggerModel model;
  *model.weights.Insert(0x1234) = {1.0f, -2.0f, 0.5f};
  const std::string bytes = SerializeCueTagger(model);
  // Scale (bytes 24-27) 0x00000001: the smallest denormal float; then 0x7F800000: infinity.
  std::string tiny = Resealed(bytes, 24, 1);
  for (int k = 25; k < 28; ++k) tiny = Resealed(tiny, k, 0);
  const absl::Status overflow = ParseCueTagger(tiny).status();
  EXPECT_EQ(overflow.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(overflow.message()), ::testing::HasSubstr("non-finite weight"));
  std::string inf = Resealed(bytes, 24, 0);
  inf = Resealed(inf, 25, 0);
  inf = Resealed(inf, 26, static_cast<char>(0x80));
  inf = Resealed(inf, 27, 0x7F);
  EXPECT_EQ(ParseCueTagger(inf).status().code(), absl::StatusCode::kInvalidArgument);
}

// Found by fuzz/cue_tagger_fuzzer.cc: an image with a huge scale loads with weights so small that
// serializing them again computed an infinite scale, which the loader rejects. Any model that
// loads must serialize to an image that loads.
TEST(CueTaggerModelTest, TinyWeightsSerializeToAnImageThatLoads) {
  CueTaggerModel model;
  model.context_bound = 1.0f;
  *model.weights.Insert(0x1234) = {1e-40f, -2e-41f, 0.0f};  // denormals: 32767 / 1e-40 = inf
  const std::string bytes = SerializeCueTagger(model);
  auto back = ParseCueTagger(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_NE(back->weights.Find(0x1234), nullptr);
  for (float w : *back->weights.Find(0x1234)) EXPECT_TRUE(std::isfinite(w));
  EXPECT_TRUE(ParseCueTagger(SerializeCueTagger(*back)).ok());
}

}  // namespace
}  // namespace newsparse
