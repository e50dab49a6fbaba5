// Tests of the entity tagger: chunking, the model file, a tiny training run, bad input.
#include "core/entities.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clusters.h"
#include "core/ner_gazetteer.h"
#include "core/ner_model.h"
#include "core/ner_train.h"
#include "core/tokenizer.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ner::MakeLabel;

std::vector<std::string> Chunks(const std::vector<std::string>& tags) {
  std::vector<NerChunk> out;
  ConllChunks(tags, 0, tags.size(), &out);
  std::vector<std::string> s;
  for (const auto& c : out) {
    s.push_back(std::string(ner::TypeName(c.type)) + ":" + std::to_string(c.begin) + "-" +
                std::to_string(c.end));
  }
  return s;
}

TEST(ConllChunksTest, Iob1IncludingAdjacentEntities) {
  // "I-PER I-PER B-PER": two adjacent persons (IOB1 uses B- only between same-type entities).
  EXPECT_EQ(Chunks({"I-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG", "I-ORG"}),
            (std::vector<std::string>{"PER:0-2", "PER:2-3", "LOC:4-5", "ORG:5-7"}));
  // IOB2 input works the same way.
  EXPECT_EQ(Chunks({"B-MISC", "I-MISC", "B-MISC", "O", "B-LOC"}),
            (std::vector<std::string>{"MISC:0-2", "MISC:2-3", "LOC:4-5"}));
  // An I- after O starts a chunk; an unknown type is not an entity.
  EXPECT_EQ(Chunks({"O", "I-ORG", "O", "I-XYZ"}), (std::vector<std::string>{"ORG:1-2"}));
}

TEST(BilouToChunksTest, DecodesAndToleratesInvalidSequences) {
  std::vector<uint8_t> l = {0,
                            (uint8_t)MakeLabel(0, ner::kPartB),
                            (uint8_t)MakeLabel(0, ner::kPartL),
                            (uint8_t)MakeLabel(2, ner::kPartU),
                            (uint8_t)MakeLabel(1, ner::kPartI),
                            (uint8_t)MakeLabel(1, ner::kPartI)};
  std::vector<NerChunk> out;
  BilouToChunks(l.data(), l.size(), 10, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].begin, 11u);
  EXPECT_EQ(out[0].end, 13u);
  EXPECT_EQ(out[1].type, 2);
  EXPECT_EQ(out[2].begin, 14u);
  EXPECT_EQ(out[2].end, 16u);
}

ner::NerModel TinyModel() {
  ner::NerModel m;
  m.features.clusters = false;
  m.features.gazetteer = false;
  m.features.document = true;
  m.features.context = false;
  m.features.kinds = false;
  m.rows = 1024;
  m.scale = 2.0f;
  std::vector<int16_t> dense(m.rows * ner::kNumLabels, 0);
  for (size_t i = 0; i < dense.size(); ++i) {
    if ((i / ner::kNumLabels) % 3 == 0) dense[i] = static_cast<int16_t>(i * 7 % 201 - 100);
  }
  m.SetDense(dense);
  EXPECT_EQ(m.Row(1), nullptr);
  EXPECT_EQ(m.Row(3)[2], dense[3 * ner::kNumLabels + 2]);
  return m;
}

TEST(NerModelTest, RoundTripAndCorruption) {
  ner::NerModel m = TinyModel();
  m.features.cap_runs = false;  // the groups are switched on one format version at a time below
  auto bytes = ner::SerializeNerModel(m);
  ASSERT_TRUE(bytes.ok());
  auto back = ner::ParseNerModel(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->weights, m.weights);
  EXPECT_EQ(back->nonzero, m.nonzero);
  EXPECT_EQ(back->rows, m.rows);
  EXPECT_TRUE(back->features.document);
  EXPECT_FALSE(back->features.clusters);
  EXPECT_EQ(back->scale, 2.0f);

  std::string flipped = *bytes;
  flipped[bytes->size() - 100] ^= 0x10;
  EXPECT_EQ(ner::ParseNerModel(flipped).status().code(), absl::StatusCode::kDataLoss);
  for (size_t cut : {size_t{0}, size_t{5}, size_t{20}, bytes->size() / 2, bytes->size() - 1}) {
    EXPECT_FALSE(ner::ParseNerModel(std::string_view(*bytes).substr(0, cut)).ok()) << cut;
  }
  std::string version = *bytes;
  version[8] = 99;
  EXPECT_FALSE(ner::ParseNerModel(version).ok());
  // Each format version records one more feature group: version v + 1 adds the group's flag
  // bit. A file without the bit reads as version v; the bit in a version v header is an
  // inconsistent header. `as_version` rewrites the version byte and recomputes the checksum.
  auto as_version = [](std::string b, char v) {
    b[8] = v;
    const uint32_t crc = ner::Crc32(std::string_view(b).substr(0, b.size() - 4));
    memcpy(&b[b.size() - 4], &crc, 4);
    return b;
  };
  struct Group {
    char version;  // the first version with the group
    bool ner::NerFeatureOptions::*flag;
  };
  for (const Group g :
       {Group{2, &ner::NerFeatureOptions::context}, Group{3, &ner::NerFeatureOptions::kinds},
        Group{4, &ner::NerFeatureOptions::cap_runs}}) {
    SCOPED_TRACE(static_cast<int>(g.version));
    auto without = ner::SerializeNerModel(m);
    ASSERT_TRUE(without.ok());
    auto back_without = ner::ParseNerModel(*without);
    ASSERT_TRUE(back_without.ok()) << back_without.status();
    EXPECT_FALSE(back_without->features.*g.flag);
    m.features.*g.flag = true;
    auto with = ner::SerializeNerModel(m);
    ASSERT_TRUE(with.ok());
    auto back_with = ner::ParseNerModel(*with);
    ASSERT_TRUE(back_with.ok()) << back_with.status();
    EXPECT_TRUE(back_with->features.*g.flag);
    EXPECT_TRUE(ner::ParseNerModel(as_version(*without, g.version - 1)).ok());
    EXPECT_EQ(ner::ParseNerModel(as_version(*with, g.version - 1)).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // The beam width the model was trained for (format version 5, bits 8-12 of the groups word).
  m.beam = 4;
  auto beam = ner::SerializeNerModel(m);
  ASSERT_TRUE(beam.ok());
  auto back_beam = ner::ParseNerModel(*beam);
  ASSERT_TRUE(back_beam.ok()) << back_beam.status();
  EXPECT_EQ(back_beam->beam, 4u);
  EXPECT_EQ((*beam)[8], 5);   // format version 5 with a beam width
  EXPECT_EQ((*bytes)[8], 4);  // a greedy model keeps version 4's bytes
  EXPECT_EQ(ner::ParseNerModel(as_version(*beam, 4)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string wide = *beam;
  wide[13] = static_cast<char>(ner::kMaxNerModelBeam + 1);  // beyond the widest beam
  wide = as_version(wide, 5);                               // the checksum again
  EXPECT_EQ(ner::ParseNerModel(wide).status().code(), absl::StatusCode::kInvalidArgument);
  m.beam = 0;
  std::string magic = *bytes;
  magic[0] = 'X';
  EXPECT_EQ(ner::ParseNerModel(magic).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ner::ParseNerModel(*bytes + "x").ok());

  // Through the file loader as well.
  const std::string path = ::testing::TempDir() + "/corrupt_" + std::to_string(getpid()) + ".model";
  {
    std::ofstream f(path, std::ios::binary);
    f.write(flipped.data(), static_cast<std::streamsize>(flipped.size()));
  }
  EXPECT_FALSE(EntityTagger::Load(path, ::testing::TempDir()).ok());
  EXPECT_EQ(EntityTagger::Load(path + ".missing", ".").status().code(),
            absl::StatusCode::kNotFound);
}

// A tiny corpus written for this test: people, organisations, places and nationalities in a
// few sentence patterns. Returns CoNLL (IOB1) text.
std::string TinyConll(int docs, int offset) {
  const char* per[] = {"Anna Berg", "Tomas Veld",  "Mira Okafor", "Jon Harrow",
                       "Lena Ruiz", "Piet Kramer", "Sven Dahl",   "Ada Lorne"};
  const char* org[] = {"Veltron Corp", "Ostbank", "Harbor Mills", "Norvale Group", "Kestrel Inc"};
  const char* loc[] = {"Dravik", "Port Selm", "Kalmora", "Tesin", "Varno"};
  const char* misc[] = {"Dravikian", "Selmish", "Kalmoran"};
  auto emit = [](std::string* s, const std::string& phrase, const std::string& type) {
    size_t b = 0;
    while (b < phrase.size()) {
      size_t e = phrase.find(' ', b);
      if (e == std::string::npos) e = phrase.size();
      *s += phrase.substr(b, e - b) + " X X " + (type.empty() ? "O" : "I-" + type) + "\n";
      b = e + 1;
    }
  };
  std::string s;
  for (int d = 0; d < docs; ++d) {
    s += "-DOCSTART- -X- O O\n\n";
    for (int k = 0; k < 6; ++k) {
      int i = d * 7 + k * 3 + offset;
      switch ((i + k) % 4) {
        case 0:
          emit(&s, per[i % 8], "PER"), emit(&s, "said", ""), emit(&s, org[i % 5], "ORG");
          emit(&s, "would open an office in", ""), emit(&s, loc[i % 5], "LOC"), emit(&s, ".", "");
          break;
        case 1:
          emit(&s, "The", ""), emit(&s, misc[i % 3], "MISC"), emit(&s, "minister met", "");
          emit(&s, per[(i + 3) % 8], "PER"), emit(&s, "in", ""), emit(&s, loc[(i + 1) % 5], "LOC");
          emit(&s, "on Monday .", "");
          break;
        case 2:
          emit(&s, "Shares of", ""), emit(&s, org[(i + 2) % 5], "ORG");
          emit(&s, "rose 3 percent , analyst", ""), emit(&s, per[(i + 5) % 8], "PER");
          emit(&s, "said .", "");
          break;
        default:
          emit(&s, loc[(i + 3) % 5], "LOC"), emit(&s, "and", ""), emit(&s, loc[(i + 4) % 5], "LOC");
          emit(&s, "signed a trade deal with", ""), emit(&s, org[(i + 1) % 5], "ORG");
          emit(&s, ".", "");
      }
      s += "\n";
    }
    if (d % 3 == 0) {
      // A sports report: places named as teams (ORG) in a results line (line and document kinds).
      const int i = d + offset;
      emit(&s, loc[i % 5], "ORG"), emit(&s, "beat", ""), emit(&s, loc[(i + 2) % 5], "ORG");
      emit(&s, "2-1 in the league .", "");
      s += "\n";
    }
  }
  return s;
}

// Splits written text at spaces into a NerInput (one sentence) with byte spans.
NerInput WordsOf(std::string_view text) {
  NerInput in;
  size_t b = 0;
  while (b < text.size()) {
    size_t e = text.find(' ', b);
    if (e == std::string_view::npos) e = text.size();
    in.words.push_back(text.substr(b, e - b));
    in.spans.push_back(Span{static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
    b = e + 1;
  }
  return in;
}

class TinyTrainingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs the cases of this suite as parallel processes.
    dir_ = new std::string(::testing::TempDir() + "/ner_tiny_" + std::to_string(getpid()));
    std::string cmd = "mkdir -p " + *dir_;
    ASSERT_EQ(system(cmd.c_str()), 0);
    std::ofstream(*dir_ + "/train.conll") << TinyConll(30, 0);
    std::ofstream(*dir_ + "/dev.conll") << TinyConll(8, 1);
    std::ofstream(*dir_ + "/ner_clusters.tsv")
        << "said\t1\t1\t1\t10\nrose\t1\t2\t2\t9\nmet\t1\t1\t3\t8\nin\t2\t3\t4\t12\n";
    std::ofstream(*dir_ + "/ner_gazetteer.tsv")
        << "Corp\torg.suffix\nInc\torg.suffix\nGroup\torg.suffix\nminister\tper.title\n";
    NerTrainOptions o;
    o.train_path = *dir_ + "/train.conll";
    o.dev_path = *dir_ + "/dev.conll";
    o.output_path = *dir_ + "/ner.model";
    o.data_dir = *dir_;
    o.epochs = 6;
    o.rows = 1 << 14;
    report_ = new NerTrainReport();
    absl::Status st = TrainNer(o, report_);
    ASSERT_TRUE(st.ok()) << st;
  }
  static std::string* dir_;
  static NerTrainReport* report_;
};
std::string* TinyTrainingTest::dir_ = nullptr;
NerTrainReport* TinyTrainingTest::report_ = nullptr;

TEST_F(TinyTrainingTest, LearnsTheTinyCorpus) {
  ASSERT_TRUE(report_->has_dev);
  EXPECT_GT(report_->dev.overall.f1, 90.0);
  EXPECT_LT(report_->model_bytes, ner::kNerModelHeaderSize + (1u << 14) * ner::kNumLabels * 2);
}

TEST_F(TinyTrainingTest, DeterministicForASeed) {
  NerTrainOptions o;
  o.train_path = *dir_ + "/train.conll";
  o.output_path = *dir_ + "/again.model";
  o.data_dir = *dir_;
  o.epochs = 6;
  o.rows = 1 << 14;
  ASSERT_TRUE(TrainNer(o, nullptr).ok());
  auto a = ner::ReadFileBytes(*dir_ + "/ner.model");
  auto b = ner::ReadFileBytes(*dir_ + "/again.model");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a == *b);
}

TEST_F(TinyTrainingTest, TagsADocumentIntoMentions) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok()) << tagger.status();
  constexpr std::string_view kText = "Mira Okafor said Ostbank would open an office in Tesin .";
  NerInput in = WordsOf(kText);
  NerScratch scratch;
  std::vector<Mention> m;
  ASSERT_TRUE((*tagger)->TagDocument(in, &scratch, &m).ok());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(Slice(kText, m[0].span), "Mira Okafor");
  EXPECT_EQ(m[0].type, EntityType::kPerson);
  EXPECT_EQ(Slice(kText, m[1].span), "Ostbank");
  EXPECT_EQ(m[1].type, EntityType::kOrganization);
  EXPECT_EQ(Slice(kText, m[2].span), "Tesin");
  EXPECT_EQ(m[2].type, EntityType::kLocation);

  // The same from another thread with its own scratch.
  std::vector<Mention> m2;
  std::thread th([&] {
    NerScratch s2;
    ASSERT_TRUE((*tagger)->TagDocument(in, &s2, &m2).ok());
  });
  th.join();
  ASSERT_EQ(m2.size(), m.size());

  // Bad arguments are errors, not crashes.
  in.spans.pop_back();
  EXPECT_FALSE((*tagger)->TagDocument(in, &scratch, &m).ok());
  NerInput bad;
  bad.words = {"a", "b"};
  bad.sentence_starts = {1};
  EXPECT_FALSE((*tagger)->TagLabels(bad, &scratch).ok());
  bad.sentence_starts = {0, 5};
  EXPECT_FALSE((*tagger)->TagLabels(bad, &scratch).ok());
}

// The per-scratch word cache must not change any label: one scratch shared by two different
// models, document after document, gives what a fresh scratch gives each time.
TEST_F(TinyTrainingTest, WordCacheKeepsLabelsAcrossDocumentsAndTaggers) {
  NerTrainOptions o;
  o.train_path = *dir_ + "/train.conll";
  o.output_path = *dir_ + "/other.model";
  o.data_dir = *dir_;
  o.epochs = 2;
  o.rows = 1 << 12;
  o.seed = 5;
  o.features.gazetteer = false;
  ASSERT_TRUE(TrainNer(o, nullptr).ok());
  auto a = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  auto b = EntityTagger::Load(*dir_ + "/other.model", *dir_);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<std::vector<std::string_view>> docs = {
      {"Mira", "Okafor", "met", "the", "minister", "in", "Tesin", "."},
      {"OSTBANK", "CORP", "SAID", "RATES", "ROSE"},
      {"Tesin", "Group", "said", "Mira", "Okafor", "would", "visit", "Tesin", "."},
  };
  NerScratch shared;
  for (int round = 0; round < 3; ++round) {
    for (const auto& words : docs) {
      for (const EntityTagger* t : {a->get(), b->get()}) {
        NerInput in;
        in.words = words;
        NerScratch fresh;
        ASSERT_TRUE(t->TagLabels(in, &fresh).ok());
        ASSERT_TRUE(t->TagLabels(in, &shared).ok());
        EXPECT_EQ(shared.labels(), fresh.labels());
      }
    }
  }
}

// The caches (word, word pair, shape trigram), the split of the features and the vector code
// (the AVX2 clone where the CPU has it) must give the scores of the plain feature extractor: pass-1
// scores recomputed here from FeatureExtractor::StaticFeatures, HistoryFeatures and
// ContextAggregation with the model's rows, for documents tagged with a fresh scratch (every lookup
// a miss), then again with a scratch shared by documents and taggers (hits, and entries evicted by
// other words); and the labels of greedy decoding over those scores.
TEST_F(TinyTrainingTest, CachedScoresEqualTheFeatureExtractorsScores) {
  NerTrainOptions o;
  o.train_path = *dir_ + "/train.conll";
  o.output_path = *dir_ + "/pass1.model";
  o.data_dir = *dir_;
  o.epochs = 3;
  o.rows = 1 << 14;
  o.features.document = false;  // labels() are then the pass-1 labels
  o.features.kinds = true;
  ASSERT_TRUE(TrainNer(o, nullptr).ok());
  auto tagger = EntityTagger::Load(*dir_ + "/pass1.model", *dir_);
  auto other = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok() && other.ok());
  const ner::NerModel& model = (*tagger)->model();
  ASSERT_TRUE(model.features.context && model.features.clusters && model.features.gazetteer &&
              model.features.kinds);
  auto clusters = ner::ClusterTable::Parse(*ner::ReadFileBytes(*dir_ + "/ner_clusters.tsv"));
  auto gazetteer = ner::Gazetteer::Parse(*ner::ReadFileBytes(*dir_ + "/ner_gazetteer.tsv"));
  ASSERT_TRUE(clusters.ok() && gazetteer.ok());
  const ner::FeatureExtractor fx(&*clusters, &*gazetteer, model.features);
  auto add_rows = [&](const uint64_t* f, int n, int32_t* scores) {
    for (int k = 0; k < n; ++k) {
      const int16_t* row = model.Row(ner::RowOf(f[k], model.rows));
      if (row == nullptr) continue;
      for (int l = 0; l < ner::kNumLabels; ++l) scores[l] += row[l];
    }
  };
  // Documents of words written here: repeated pairs in new neighbourhoods, all-caps lines, and
  // many distinct words and pairs (more than the smallest caches hold).
  std::vector<std::vector<std::string>> docs = {
      {"Mira", "Okafor", "met", "the", "minister", "in", "Tesin", ".", "Okafor", "said", "Tesin",
       "Group", "would", "open", "in", "Tesin", "."},
      {"OSTBANK", "CORP", "SAID", "RATES", "ROSE", "IN", "TESIN"},
      {"Tesin"},
      {"Okafor", ".", "Tesin", ".", "Mira", "Okafor", "."},
      {"Shares", "of", "Veltron", "Corp", "rose", "3", "percent", ",", "analyst", "Mira", "Okafor",
       "said", "."},
      // A sports report with results lines (line and document kinds).
      {"SOCCER", "-",       "TESIN", "BEAT", "VELTRON", ".",      "Tesin",  "Rovers",
       "beat",   "Veltron", "2-1",   "in",   "the",     "league", ".",      "Tesin",
       "3",      "Veltron", "1",     ".",    "Mira",    "Okafor", "scored", "."},
      // Sentences of 4 and 5 tokens: StaticScores prefetches the cache entries 4 tokens ahead.
      {"Mira", "Okafor", "said", ".", "Veltron", "Corp", "shares", "rose", "."},
  };
  std::vector<std::string> many;
  for (int i = 0; i < 3000; ++i) {
    std::string w = i % 3 == 0 ? "Ka" : "lo";
    for (int x = i * 7919 % 1000; x > 0; x /= 26) w += static_cast<char>('a' + x % 26);
    many.push_back(w);
    if (i % 17 == 16) many.push_back(".");
  }
  docs.push_back(many);
  // Adjacent word pairs whose conjunction sums do not fit int16 (the pair cache keeps them as
  // `wide`, with exact vectors in a 64-entry side cache), found among the pairs of the tiny
  // corpus's words: a document of each such pair twice in a row, then all of them again, so that
  // the side cache is hit, and evicted and refilled.
  {
    std::vector<std::string> vocab;
    std::istringstream corpus(TinyConll(30, 0));
    for (std::string line; std::getline(corpus, line);) {
      const std::string word = line.substr(0, line.find(' '));
      if (word.empty() || word == "-DOCSTART-") continue;
      if (std::find(vocab.begin(), vocab.end(), word) == vocab.end()) vocab.push_back(word);
    }
    std::vector<std::pair<std::string, std::string>> wide;
    uint64_t f[ner::kMaxStaticFeatures], scratch[4];
    for (const std::string& a : vocab) {
      for (const std::string& b : vocab) {
        const std::string_view pair[2] = {a, b};
        ner::TokenInfo info[2];
        fx.ComputeTokenInfo(pair, 2, info, scratch);
        int32_t to_left[ner::kNumLabels] = {}, to_right[ner::kNumLabels] = {};
        add_rows(f, ner::FeatureExtractor::PairWithNext(info[0], &info[1], f), to_left);
        add_rows(f, fx.PairWithPrevious(&info[0], info[1], f), to_right);
        for (int l = 0; l < ner::kNumLabels; ++l) {
          if (to_left[l] != static_cast<int16_t>(to_left[l]) ||
              to_right[l] != static_cast<int16_t>(to_right[l])) {
            wide.emplace_back(a, b);
            break;
          }
        }
      }
    }
    ASSERT_GT(wide.size(), 16u) << "of " << vocab.size() * vocab.size() << " pairs";
    std::vector<std::string> doc;
    for (const auto& [a, b] : wide) doc.insert(doc.end(), {a, b, a, b, "."});
    for (const auto& [a, b] : wide) doc.insert(doc.end(), {a, b, "."});
    docs.push_back(doc);
  }
  NerScratch shared;
  int64_t kind_weight = 0;  // the kind features' share of the scores (they must take part)
  int64_t run_weight = 0;   // the same for the capitalised-run features
  int64_t skipped = 0, next_to_skipped = 0;
  uint64_t wide_words = 0;  // word cache entries with a vector beyond int16 (WideWordEntry)
  uint64_t wide_pairs = 0, pairs_filled = 0;  // pair cache entries: beyond int16, and all
  for (int round = 0; round < 3; ++round) {
    NerInput first;
    for (const std::string& w : docs[0]) first.words.push_back(w);
    ASSERT_TRUE((*other)->TagLabels(first, &shared).ok());  // another tagger: caches reset
    for (const auto& words : docs) {
      NerInput in;
      for (const std::string& w : words) in.words.push_back(w);
      for (uint32_t i = 0; i < in.words.size(); ++i) {
        if (i == 0 || in.words[i - 1] == ".")
          in.sentence_starts.push_back(static_cast<uint32_t>(i));
      }
      if (in.sentence_starts.back() == in.words.size()) in.sentence_starts.pop_back();
      const size_t n = in.words.size();
      NerScratch fresh;
      ASSERT_TRUE((*tagger)->TagLabels(in, &fresh).ok());
      ASSERT_TRUE((*tagger)->TagLabels(in, &shared).ok());
      ASSERT_EQ(shared.labels(), fresh.labels());
      wide_words += fresh.wide_words();
      wide_pairs += fresh.wide_pairs();
      pairs_filled += fresh.pairs_filled();
      // The reference, sentence by sentence, then context aggregation over the document.
      std::vector<ner::TokenInfo> info(n);
      std::vector<uint64_t> scratch(2 * n);
      std::vector<uint32_t> ends(in.sentence_starts.begin() + 1, in.sentence_starts.end());
      ends.push_back(static_cast<uint32_t>(n));
      std::vector<int32_t> want(n * ner::kNumLabels, 0);
      uint64_t f[ner::kMaxStaticFeatures];
      uint32_t b = 0;
      for (uint32_t e : ends) {
        fx.ComputeTokenInfo(&in.words[b], e - b, &info[b], scratch.data());
        for (uint32_t i = b; i < e; ++i) {
          int32_t* w = &want[i * ner::kNumLabels];
          add_rows(f, fx.StaticFeatures(&info[b], e - b, i - b, f), w);
          const int p1 = i >= b + 1 ? fresh.labels()[i - 1] : -1;
          const int p2 = i >= b + 2 ? fresh.labels()[i - 2] : -1;
          add_rows(f, ner::FeatureExtractor::HistoryFeatures(info[i], p1, p2, f), w);
        }
        b = e;
      }
      std::vector<std::pair<uint64_t, uint64_t>> context;
      ner::FeatureExtractor::ContextAggregation(info.data(), n, ends.data(), ends.size(), &context);
      for (size_t i = 0; i < n; ++i) {
        if (!ner::FeatureExtractor::DocKeyed(info[i])) continue;
        for (const auto& [word, feature] : context) {
          if (word == info[i].lower) add_rows(&feature, 1, &want[i * ner::kNumLabels]);
        }
      }
      std::vector<uint8_t> kinds(ends.size());
      ner::FeatureExtractor::LineKinds(in.words.data(), info.data(), n, ends.data(), ends.size(),
                                       kinds.data());
      b = 0;
      for (size_t k = 0; k < ends.size(); ++k) {
        for (uint32_t i = b; i < ends[k]; ++i) {
          int32_t kind_scores[ner::kNumLabels] = {};
          add_rows(f, fx.KindFeatures(info[i], kinds[k], f), kind_scores);
          for (int l = 0; l < ner::kNumLabels; ++l) {
            want[i * ner::kNumLabels + l] += kind_scores[l];
            kind_weight += std::abs(kind_scores[l]);
          }
        }
        b = ends[k];
      }
      b = 0;
      for (uint32_t e : ends) {
        for (uint32_t i = b; i < e; ++i) {
          int32_t run_scores[ner::kNumLabels] = {};
          add_rows(f, fx.RunFeatures(&in.words[b], &info[b], e - b, i - b, f), run_scores);
          for (int l = 0; l < ner::kNumLabels; ++l) {
            want[i * ner::kNumLabels + l] += run_scores[l];
            run_weight += std::abs(run_scores[l]);
          }
        }
        b = e;
      }
      // Greedy decoding: each label is the first allowed label with the highest score; a settled
      // token (not scored) is O, and O may follow the label before it.
      b = 0;
      for (uint32_t e : ends) {
        for (uint32_t i = b; i < e; ++i) {
          if (!fresh.scored()[i]) {
            ++skipped;
            ASSERT_EQ(fresh.labels()[i], 0) << "token " << i;
            ASSERT_TRUE(ner::AllowedTransition(i > b ? fresh.labels()[i - 1] : -1, 0));
            continue;
          }
          for (uint32_t j = i >= b + 2 ? i - 2 : b; j <= i + 2 && j < e; ++j) {
            if (!fresh.scored()[j]) {
              ++next_to_skipped;
              break;
            }
          }
          uint32_t allowed = ner::AllowedMask(i > b ? fresh.labels()[i - 1] : -1);
          if (i + 1 == e) allowed &= ner::EndMask();
          int best = -1;
          for (int l = 0; l < ner::kNumLabels; ++l) {
            if (((allowed >> l) & 1) == 0) continue;
            if (best < 0 || want[i * ner::kNumLabels + l] > want[i * ner::kNumLabels + best]) {
              best = l;
            }
          }
          ASSERT_EQ(fresh.labels()[i], best < 0 ? 0 : best) << "token " << i;
        }
        b = e;
      }
      ASSERT_EQ(shared.scored(), fresh.scored());
      for (size_t i = 0; i < n; ++i) {
        if (!fresh.scored()[i]) continue;  // settled: labelled O without scores
        for (int l = 0; l < ner::kNumLabels; ++l) {
          ASSERT_EQ(fresh.pass1_scores()[i * ner::kNumLabels + l], want[i * ner::kNumLabels + l])
              << "round " << round << " token " << i << " (" << in.words[i] << ") label " << l;
          ASSERT_EQ(shared.pass1_scores()[i * ner::kNumLabels + l], want[i * ner::kNumLabels + l])
              << "round " << round << " token " << i << " (" << in.words[i] << ") label " << l;
        }
      }
    }
  }
  EXPECT_GT(kind_weight, 0);
  EXPECT_GT(run_weight, 0);
  // The settled-token rule took part: tokens left unscored, and scored tokens within two
  // positions of them (whose scores still equal the feature extractor's).
  EXPECT_GT(skipped, 100);
  EXPECT_GT(next_to_skipped, 100);
  // Words whose neighbour or O vectors do not fit int16 took part (their exact vectors come from
  // the wide cache, 64 entries: the thousands of words here also evict and recompute them).
  EXPECT_GT(wide_words, 100u) << wide_words;
  // The same for word pairs whose conjunction sums do not fit int16 (WidePairEntry, 64 entries).
  EXPECT_GT(wide_pairs, 50u) << wide_pairs << " of " << pairs_filled;
}

// Trains the model of the settled-token tests on the tiny corpus plus an organisation with
// lower-case words inside ("Veltron de la Mar"); returns its path.
std::string TrainSettledModel(const std::string& dir) {
  const std::string path = dir + "/settled.model";
  if (std::ifstream(path).good()) return path;
  std::string conll = TinyConll(30, 0);
  for (int d = 0; d < 12; ++d) {
    conll += "-DOCSTART- -X- O O\n\n";
    const char* lead[] = {"analyst Mira Okafor said", "Tomas Veld said", "shares of"};
    for (std::string_view w : {std::string_view(lead[d % 3])}) {
      for (std::string_view x : WordsOf(w).words) conll += std::string(x) + " X X O\n";
    }
    for (const char* w : {"Veltron", "de", "la", "Mar"}) conll += std::string(w) + " X X I-ORG\n";
    for (const char* w : {"would", "open", "an", "office", "in"}) {
      conll += std::string(w) + " X X O\n";
    }
    conll += "Tesin X X I-LOC\n. X X O\n\n";
  }
  std::ofstream(dir + "/settled.conll") << conll;
  NerTrainOptions o;
  o.train_path = dir + "/settled.conll";
  o.output_path = path;
  o.data_dir = dir;
  o.epochs = 6;
  o.rows = 1 << 14;
  EXPECT_TRUE(TrainNer(o, nullptr).ok());
  return path;
}

// The settled-token rule: a lower-case run is labelled O without scores, names inside it are
// still found, and a settled token after an opened entity (the "de" of "Veltron de la Mar") is
// scored after all; every scored token gets the scores and label it gets without the rule.
TEST_F(TinyTrainingTest, SettledTokensAreOWithoutScores) {
  const std::string model = TrainSettledModel(*dir_);
  auto tagger = EntityTagger::Load(model, *dir_);
  auto plain = EntityTagger::Load(model, *dir_);
  ASSERT_TRUE(tagger.ok() && plain.ok());
  EXPECT_EQ((*tagger)->settled_before(), 0);  // the default rule
  EXPECT_EQ((*tagger)->settled_after(), 1);
  (*plain)->set_settled_window(-1, -1);  // scores every token

  constexpr std::string_view kRun =
      "shares rose and prices fell in the morning as analyst Mira Okafor said rates would rise "
      "after Veltron de la Mar would open an office in Tesin .";
  NerInput in = WordsOf(kRun);
  const size_t n = in.words.size();
  NerScratch s, ps;
  std::vector<Mention> m, pm;
  ASSERT_TRUE((*tagger)->TagDocument(in, &s, &m).ok());
  ASSERT_TRUE((*plain)->TagDocument(in, &ps, &pm).ok());
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(Slice(kRun, m[0].span), "Mira Okafor");
  EXPECT_EQ(m[0].type, EntityType::kPerson);
  EXPECT_EQ(Slice(kRun, m[1].span), "Veltron de la Mar");
  EXPECT_EQ(m[1].type, EntityType::kOrganization);
  EXPECT_EQ(Slice(kRun, m[2].span), "Tesin");
  EXPECT_EQ(s.labels(), ps.labels());
  std::string scored;
  for (size_t i = 0; i < n; ++i) scored += s.scored()[i] ? 'S' : '-';
  // Scored: the tokens that are not plain (capitalised) or precede one ("analyst", "after",
  // "la", "in"), and "de": settled, but it follows B-ORG. "said", after the name, is settled.
  //             shares .. as an Mi Ok sa ra wo ri af Ve de la Ma wo op an of in Te .
  EXPECT_EQ(scored, "---------SSS----SSSSS----SS-");
  for (size_t i = 0; i < n; ++i) {
    if (!s.scored()[i]) {
      EXPECT_EQ(s.labels()[i], 0) << in.words[i];
      continue;
    }
    for (int l = 0; l < ner::kNumLabels; ++l) {
      ASSERT_EQ(s.pass1_scores()[i * ner::kNumLabels + l],
                ps.pass1_scores()[i * ner::kNumLabels + l])
          << "token " << i << " (" << in.words[i] << ") label " << l;
    }
  }
  EXPECT_EQ(std::count(ps.scored().begin(), ps.scored().end(), 1), static_cast<long>(n));
}

// A settled token that pass 1 labels O (the label before it lets O follow) but pass 2 must score
// (pass 2 opened an entity just before it): written documents in which a name recurs, so that
// the document features and the right context of pass 2 change labels. With the rule, every
// label and every scored token's pass-1 scores equal those of the tagger that scores every
// token, and the search reaches that path at least once.
TEST_F(TinyTrainingTest, SettledTokenScoredInPassTwoEqualsScoringEveryToken) {
  const std::string model = TrainSettledModel(*dir_);
  auto tagger = EntityTagger::Load(model, *dir_);
  auto plain = EntityTagger::Load(model, *dir_);
  ASSERT_TRUE(tagger.ok() && plain.ok());
  (*plain)->set_settled_window(-1, -1);
  const char* names[] = {"Veltron", "Mar", "Okafor", "Tesin", "Veld", "Harbor", "Kalmora"};
  const char* tails[] = {
      "de la Mar would open an office in Tesin .", "de la rates fell in the morning .",
      "de rates rose and prices fell .",           "said shares of Veltron de la Mar rose .",
      "and de la Mar said rates would rise .",     "la de la office would open ."};
  const char* leads[] = {"", "Veltron de la Mar would open an office in Tesin .",
                         "analyst Mira Okafor said Veltron rose .",
                         "Tomas Veld said shares of Mar fell ."};
  NerScratch s, ps;
  std::vector<uint8_t> marks;
  int docs = 0, pass2_scored = 0;
  for (const char* lead : leads) {
    for (const char* name : names) {
      for (const char* tail : tails) {
        std::string text = std::string(lead) + (*lead ? " " : "") + name + " " + tail + " " + name +
                           " " + tails[(docs + 1) % 6];
        NerInput in = WordsOf(text);
        for (size_t i = 0; i < in.words.size(); ++i) {
          if (i == 0 || in.words[i - 1] == ".")
            in.sentence_starts.push_back(static_cast<uint32_t>(i));
        }
        const size_t n = in.words.size();
        std::vector<Mention> m, pm;
        ASSERT_TRUE((*tagger)->TagDocument(in, &s, &m).ok());
        ASSERT_TRUE((*plain)->TagDocument(in, &ps, &pm).ok());
        ++docs;
        ASSERT_EQ(s.labels(), ps.labels()) << text;
        ASSERT_EQ(s.pass1_labels(), ps.pass1_labels()) << text;
        for (size_t i = 0; i < n; ++i) {
          if (!s.scored()[i]) {
            EXPECT_EQ(s.labels()[i], 0) << text << " token " << i;
            continue;
          }
          for (int l = 0; l < ner::kNumLabels; ++l) {
            ASSERT_EQ(s.pass1_scores()[i * ner::kNumLabels + l],
                      ps.pass1_scores()[i * ner::kNumLabels + l])
                << text << " token " << i << " (" << in.words[i] << ") label " << l;
          }
        }
        // The tokens scored in pass 2 only: settled, scored, and pass 1 let O follow the label
        // before them (else pass 1 scored them).
        in.sentence_starts.push_back(static_cast<uint32_t>(n));
        for (size_t k = 0; k + 1 < in.sentence_starts.size(); ++k) {
          const size_t b = in.sentence_starts[k], len = in.sentence_starts[k + 1] - b;
          marks.assign(len, 0);
          ner::FeatureExtractor::SettledTokens(s.token_info() + b, len, 0, 1, marks.data());
          for (size_t i = 1; i < len; ++i) {
            if (marks[i] && s.scored()[b + i] &&
                ner::AllowedTransition(s.pass1_labels()[b + i - 1], 0)) {
              ++pass2_scored;
              EXPECT_NE(s.labels()[b + i - 1], s.pass1_labels()[b + i - 1]) << text;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(docs, 4 * 7 * 6);
  EXPECT_GT(pass2_scored, 0);
  std::printf("settled tokens scored in pass 2 only: %d in %d documents\n", pass2_scored, docs);
}

// The per-token results of the scratch describe the last tagged document, an empty one too.
// The word and pair caches of a NerScratch that has tagged a few thousand tokens are large enough
// (2 MB and more) to be mapped with huge pages (ner::AllocateLarge); with huge pages turned off
// they are mapped with 4 KB pages. The labels and scores must not depend on it.
TEST_F(TinyTrainingTest, HugePageCachesGiveTheSameScoresAsSmallPages) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok()) << tagger.status();
  // 9,000 tokens of written words, names and sentence ends: the caches grow to 16,384 entries.
  std::vector<std::string> words;
  for (int i = 0; i < 9000; ++i) {
    std::string w = i % 5 == 0 ? "Ve" : (i % 7 == 0 ? "Corp" : "ta");
    for (int x = i * 104729 % 5000; x > 0; x /= 26) w += static_cast<char>('a' + x % 26);
    words.push_back(i % 13 == 12 ? "." : w);
  }
  NerInput in;
  for (const std::string& w : words) in.words.push_back(w);
  for (uint32_t i = 0; i < in.words.size(); i += 13) in.sentence_starts.push_back(i);
  const size_t n = in.words.size();
  std::vector<uint8_t> labels[2], scored[2];
  std::vector<int32_t> scores[2];
  for (int huge = 0; huge < 2; ++huge) {
    ner::SetHugePagesAllowed(huge == 1);
    NerScratch s;
    for (int round = 0; round < 2; ++round) {  // a cold, then a warm cache
      ASSERT_TRUE((*tagger)->TagLabels(in, &s).ok());
    }
    labels[huge] = s.labels();
    scored[huge] = s.scored();
    scores[huge].assign(n * ner::kNumLabels, 0);
    for (size_t i = 0; i < n; ++i) {
      if (!s.scored()[i]) continue;
      std::copy(s.pass1_scores() + i * ner::kNumLabels,
                s.pass1_scores() + (i + 1) * ner::kNumLabels, &scores[huge][i * ner::kNumLabels]);
    }
  }
  ner::SetHugePagesAllowed(true);
  EXPECT_EQ(labels[0], labels[1]);
  EXPECT_EQ(scored[0], scored[1]);
  EXPECT_EQ(scores[0], scores[1]);
  // The document is not trivial: some tokens are scored and some get entity labels.
  EXPECT_GT(std::count(scored[1].begin(), scored[1].end(), 1), 1000);
  EXPECT_GT(n - std::count(labels[1].begin(), labels[1].end(), 0), 100u);
}

// The caches grow in place as a scratch tags more tokens, keeping the entries they hold: a document
// tagged again right after a growth finds its pairs still cached (few filled anew), and its labels
// and scores equal those of a fresh scratch.
TEST_F(TinyTrainingTest, CachesGrowKeepingTheirEntries) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok()) << tagger.status();
  // 600 tokens of written words and names, a sentence end every 11. The caches take 2 entries per
  // token seen, rounded up to a power of two: 2,048 on the first tagging, 4,096 on the second (a
  // growth), 4,096 on the third, 8,192 on the fourth (a growth).
  NerInput in;
  std::vector<std::string> words;
  for (int i = 0; i < 600; ++i) {
    std::string w = i % 4 == 0 ? "Qa" : (i % 9 == 0 ? "Inc" : "lo");
    for (int x = i * 7919 % 700; x > 0; x /= 26) w += static_cast<char>('a' + x % 26);
    words.push_back(i % 11 == 10 ? "." : w);
  }
  for (const std::string& w : words) in.words.push_back(w);
  for (uint32_t i = 0; i < in.words.size(); i += 11) in.sentence_starts.push_back(i);
  const size_t n = in.words.size();
  NerScratch fresh;
  ASSERT_TRUE((*tagger)->TagLabels(in, &fresh).ok());
  NerScratch s;
  uint64_t filled_before = 0, filled_after = 0;
  for (int round = 0; round < 4; ++round) {
    filled_before = s.pairs_filled();
    ASSERT_TRUE((*tagger)->TagLabels(in, &s).ok());
    filled_after = s.pairs_filled();
    ASSERT_EQ(s.labels(), fresh.labels()) << round;
    ASSERT_EQ(s.scored(), fresh.scored()) << round;
    for (size_t i = 0; i < n; ++i) {
      if (!s.scored()[i]) continue;
      for (int l = 0; l < ner::kNumLabels; ++l) {
        ASSERT_EQ(s.pass1_scores()[i * ner::kNumLabels + l],
                  fresh.pass1_scores()[i * ner::kNumLabels + l])
            << round << " token " << i << " label " << l;
      }
    }
  }
  // The caches were never reset (the count goes on), and the last tagging, right after a growth,
  // filled few pairs anew.
  const uint64_t first = fresh.pairs_filled();
  ASSERT_GT(first, 100u);
  EXPECT_GT(filled_after, first);
  EXPECT_LT(filled_after - filled_before, first / 4);
}

TEST_F(TinyTrainingTest, EmptyDocumentLeavesNoTokensInTheScratch) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok());
  NerScratch s;
  std::vector<Mention> m;
  ASSERT_TRUE((*tagger)->TagDocument(WordsOf("rates fell after Mira Okafor left ."), &s, &m).ok());
  EXPECT_EQ(s.scored().size(), 7u);
  ASSERT_TRUE((*tagger)->TagDocument(NerInput(), &s, &m).ok());
  EXPECT_TRUE(s.labels().empty());
  EXPECT_TRUE(s.pass1_labels().empty());
  EXPECT_TRUE(s.scored().empty());
}

TEST_F(TinyTrainingTest, SettledWindowFromAString) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok());
  EntityTagger& t = **tagger;
  ASSERT_TRUE(t.SetSettledWindow("1:2").ok());
  EXPECT_EQ(t.settled_before(), 1);
  EXPECT_EQ(t.settled_after(), 2);
  // Malformed windows are errors and leave the window as it was (a typo must not turn the rule
  // off unnoticed).
  for (std::string_view bad : {"0,1", "", "1", "a:b", "1:2:3", "1:", ":2"}) {
    EXPECT_EQ(t.SetSettledWindow(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(t.settled_before(), 1) << bad;
    EXPECT_EQ(t.settled_after(), 2) << bad;
  }
  ASSERT_TRUE(t.SetSettledWindow("-1:-1").ok());
  EXPECT_EQ(t.settled_before(), -1);
  EXPECT_EQ(t.settled_after(), -1);
}

TEST_F(TinyTrainingTest, BadInputIsLinearAndSafe) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok());
  NerScratch scratch;
  std::vector<std::string> store = {"Word",     "ALLCAPS", "lower", "Москва", "北京",
                                    "\xFF\xFE", "caf\xC3", "",      "-",      "O'Neill"};
  NerInput in;
  for (int i = 0; i < 100000; ++i) in.words.push_back(store[i % store.size()]);
  // One 100k-token sentence. Its time is measured by benchmarks/linear_time_benchmark.cc (whose
  // CI check compares the time per MB at 1 MB and 8 MB), not by a wall-clock limit here.
  ASSERT_TRUE((*tagger)->TagLabels(in, &scratch).ok());
  EXPECT_EQ(scratch.labels().size(), 100000u);
  // All-caps and all-lower-case documents, several sentences, and an empty document.
  for (const char* w : {"REUTERS", "reuters"}) {
    NerInput d;
    for (int i = 0; i < 1000; ++i) d.words.push_back(w);
    for (uint32_t s = 0; s < 1000; s += 10) d.sentence_starts.push_back(s);
    ASSERT_TRUE((*tagger)->TagLabels(d, &scratch).ok());
  }
  NerInput empty;
  ASSERT_TRUE((*tagger)->TagLabels(empty, &scratch).ok());
  EXPECT_TRUE(scratch.labels().empty());
}

// Written documents for the beam tests: names from the tiny corpus (and unseen ones) in several
// sentences, names recurring in a sentence and across sentences (document features), lower-case
// runs (settled tokens) and a sentence of one token.
std::vector<NerInput> BeamDocuments(std::vector<std::string>* texts) {
  const char* names[] = {"Veltron",      "Mar",     "Okafor",      "Tesin",  "Veld",
                         "Harbor Mills", "Kalmora", "Quentor Bay", "Ostbank"};
  const char* tails[] = {"said Ostbank would open an office in Tesin .",
                         "de la Mar rose in the morning .",
                         "and Veltron Corp signed a trade deal with Kalmora .",
                         "minister met Anna Berg in Port Selm on Monday .",
                         "Dravikian shares of Veld rose .",
                         "rose 3 percent , analyst Lena Ruiz said ."};
  texts->clear();
  for (int d = 0; d < 54; ++d) {
    const std::string name = names[d % 9];
    texts->push_back(name + " " + tails[d % 6] + " " + name + " " + tails[(d + 1) % 6] + " " +
                     name + " and " + name + " " + tails[(d + 2) % 6] + " Ostbank");
  }
  std::vector<NerInput> docs;
  for (const std::string& text : *texts) {
    NerInput in = WordsOf(text);
    for (size_t i = 0; i < in.words.size(); ++i) {
      if (i == 0 || in.words[i - 1] == ".") in.sentence_starts.push_back(static_cast<uint32_t>(i));
    }
    docs.push_back(std::move(in));
  }
  return docs;
}

// Whether every sentence of `in` has a valid BILOU label sequence.
bool ValidBilou(const NerInput& in, const std::vector<uint8_t>& labels) {
  std::vector<uint32_t> ends;
  for (size_t k = 1; k < in.sentence_starts.size(); ++k) ends.push_back(in.sentence_starts[k]);
  ends.push_back(static_cast<uint32_t>(in.words.size()));
  uint32_t b = 0;
  for (uint32_t e : ends) {
    int prev = -1;
    for (uint32_t t = b; t < e; ++t) {
      if (!ner::AllowedTransition(prev, labels[t])) return false;
      prev = labels[t];
    }
    if (e > b && !ner::AllowedAtEnd(prev)) return false;
    b = e;
  }
  return true;
}

TEST_F(TinyTrainingTest, BeamWidthOneGivesGreedysLabels) {
  auto greedy = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  auto beam = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(greedy.ok() && beam.ok());
  EXPECT_EQ((*greedy)->beam_width(), 0);  // the model's: trained greedy
  ASSERT_TRUE((*beam)->SetBeamWidth(1).ok());
  std::vector<std::string> texts;
  const std::vector<NerInput> docs = BeamDocuments(&texts);
  for (const char* window : {"0:1", "-1:-1"}) {
    ASSERT_TRUE((*greedy)->SetSettledWindow(window).ok());
    ASSERT_TRUE((*beam)->SetSettledWindow(window).ok());
    NerScratch gs, bs;
    int entities = 0, changed_by_pass2 = 0;
    for (size_t d = 0; d < docs.size(); ++d) {
      ASSERT_TRUE((*greedy)->TagLabels(docs[d], &gs).ok());
      ASSERT_TRUE((*beam)->TagLabels(docs[d], &bs).ok());
      EXPECT_EQ(bs.pass1_labels(), gs.pass1_labels()) << window << ": " << texts[d];
      EXPECT_EQ(bs.labels(), gs.labels()) << window << ": " << texts[d];
      for (uint8_t l : gs.labels()) entities += l != 0;
      changed_by_pass2 += gs.labels() != gs.pass1_labels();
    }
    // The documents exercise entities and the second pass's document features.
    EXPECT_GT(entities, 100) << window;
    std::printf("window %s: %d entity labels, pass 2 changed %d of %zu documents\n", window,
                entities, changed_by_pass2, docs.size());
  }
}

TEST_F(TinyTrainingTest, BeamLabelsKeepTheBilouConstraints) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok());
  std::vector<std::string> texts;
  std::vector<NerInput> docs = BeamDocuments(&texts);
  NerInput one = WordsOf("Tesin");  // a sentence of one token
  docs.push_back(one);
  texts.push_back("Tesin");
  for (int k : {2, 3, 4, 8, 16}) {
    ASSERT_TRUE((*tagger)->SetBeamWidth(k).ok());
    NerScratch s;
    int entities = 0;
    for (size_t d = 0; d < docs.size(); ++d) {
      ASSERT_TRUE((*tagger)->TagLabels(docs[d], &s).ok());
      EXPECT_TRUE(ValidBilou(docs[d], s.pass1_labels())) << k << ": " << texts[d];
      EXPECT_TRUE(ValidBilou(docs[d], s.labels())) << k << ": " << texts[d];
      for (uint8_t l : s.labels()) entities += l != 0;
    }
    EXPECT_GT(entities, 100) << k;
  }
  // Widths out of range are errors; the width stays.
  for (int bad : {-1, EntityTagger::kMaxBeam + 1}) {
    EXPECT_EQ((*tagger)->SetBeamWidth(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ((*tagger)->beam_width(), 16);
}

// A tagger built by hand for the text "Alpha Gamma" (every feature group off): "Alpha" scores
// U-PER `u_per` and B-ORG 8, and the history feature "previous label B-ORG" (start before it)
// scores L-ORG `l_org_after_b_org`; every other weight is 0. Null (with a test failure) when the
// features it needs share a weight row.
std::unique_ptr<EntityTagger> AlphaGammaTagger(int16_t u_per, int16_t l_org_after_b_org) {
  ner::NerModel m;
  m.features.clusters = false;
  m.features.gazetteer = false;
  m.features.document = false;
  m.features.context = false;
  m.features.kinds = false;
  m.features.cap_runs = false;
  m.rows = 1 << 16;
  m.scale = 1.0f;
  const NerInput in = WordsOf("Alpha Gamma");
  ner::FeatureExtractor fx(nullptr, nullptr, m.features);
  ner::TokenInfo info[2];
  uint64_t hashes[4];
  fx.ComputeTokenInfo(in.words.data(), 2, info, hashes);
  // A feature of "Alpha" that "Gamma" lacks (the first ones, e.g. the bias, are shared).
  uint64_t fa[ner::kMaxStaticFeatures], fg[ner::kMaxStaticFeatures], f[ner::kMaxStaticFeatures];
  const int na = fx.WordFeatures(info[0], fa), ng = fx.WordFeatures(info[1], fg);
  uint64_t alpha_feature = 0;
  for (int i = 0; i < na && alpha_feature == 0; ++i) {
    if (std::find(fg, fg + ng, fa[i]) == fg + ng) alpha_feature = fa[i];
  }
  const uint32_t alpha = ner::RowOf(alpha_feature, m.rows);
  ner::FeatureExtractor::HistoryLabelFeatures(ner::MakeLabel(1, ner::kPartB), -1, f);
  const uint32_t after_b_org = ner::RowOf(f[0], m.rows);
  EXPECT_NE(alpha_feature, 0u);
  EXPECT_NE(alpha, after_b_org);
  if (alpha_feature == 0 || alpha == after_b_org) return nullptr;
  std::vector<int16_t> dense(static_cast<size_t>(m.rows) * ner::kNumLabels, 0);
  dense[alpha * ner::kNumLabels + ner::MakeLabel(0, ner::kPartU)] = u_per;
  dense[alpha * ner::kNumLabels + ner::MakeLabel(1, ner::kPartB)] = 8;
  dense[after_b_org * ner::kNumLabels + ner::MakeLabel(1, ner::kPartL)] = l_org_after_b_org;
  m.SetDense(dense);
  auto tagger = EntityTagger::FromParts(std::move(m), nullptr, nullptr);
  EXPECT_TRUE(tagger.ok()) << tagger.status();
  return tagger.ok() ? std::move(*tagger) : nullptr;
}

// Greedy decoding takes the locally best label and pays for it: "Alpha" scores U-PER 10 and
// B-ORG 8, "Gamma" after B-ORG scores L-ORG 5. Greedy takes U-PER, then O (total 10); a beam of 2
// keeps B-ORG and finds B-ORG L-ORG (13).
TEST(NerBeamTest, BeamFindsABetterScoringSequenceThanGreedy) {
  constexpr std::string_view kText = "Alpha Gamma";
  std::unique_ptr<EntityTagger> tagger = AlphaGammaTagger(10, 5);
  ASSERT_NE(tagger, nullptr);
  const NerInput in = WordsOf(kText);
  const int b_org = ner::MakeLabel(1, ner::kPartB), l_org = ner::MakeLabel(1, ner::kPartL);
  const int u_per = ner::MakeLabel(0, ner::kPartU);
  NerScratch s;
  std::vector<Mention> mentions;
  ASSERT_TRUE(tagger->TagDocument(in, &s, &mentions).ok());
  EXPECT_EQ(s.labels(), (std::vector<uint8_t>{static_cast<uint8_t>(u_per), 0}));
  ASSERT_EQ(mentions.size(), 1u);
  EXPECT_EQ(Slice(kText, mentions[0].span), "Alpha");
  EXPECT_EQ(mentions[0].type, EntityType::kPerson);
  for (int k : {1, 2, 4}) {
    ASSERT_TRUE(tagger->SetBeamWidth(k).ok());
    mentions.clear();
    ASSERT_TRUE(tagger->TagDocument(in, &s, &mentions).ok());
    ASSERT_EQ(mentions.size(), 1u) << k;
    if (k == 1) {  // greedy's choice
      EXPECT_EQ(Slice(kText, mentions[0].span), "Alpha");
      continue;
    }
    EXPECT_EQ(s.labels(),
              (std::vector<uint8_t>{static_cast<uint8_t>(b_org), static_cast<uint8_t>(l_org)}))
        << k;
    EXPECT_EQ(Slice(kText, mentions[0].span), "Alpha Gamma") << k;
    EXPECT_EQ(mentions[0].type, EntityType::kOrganization) << k;
  }
}

// The beam's margin (EntityTagger::kBeamMargin, 100 units at scale 1): an extension at most the
// margin behind the best one of its token is kept, one further behind ends there. "Alpha" scores
// U-PER `u_per_weight` and B-ORG 8, "Gamma" after B-ORG scores L-ORG 150, so B-ORG L-ORG (158)
// beats U-PER O whenever B-ORG survives the first token.
std::vector<uint8_t> AlphaGammaBeamLabels(int16_t u_per_weight, int k) {
  std::unique_ptr<EntityTagger> tagger = AlphaGammaTagger(u_per_weight, 150);
  if (tagger == nullptr) return {};
  EXPECT_TRUE(tagger->SetBeamWidth(k).ok());
  NerScratch s;
  std::vector<Mention> mentions;
  EXPECT_TRUE(tagger->TagDocument(WordsOf("Alpha Gamma"), &s, &mentions).ok());
  return s.labels();
}

TEST(NerBeamTest, BeamMarginKeepsExtensionsWithinItAndEndsTheOthers) {
  ASSERT_EQ(EntityTagger::kBeamMargin, 100.0);
  const uint8_t u_per = static_cast<uint8_t>(ner::MakeLabel(0, ner::kPartU));
  const std::vector<uint8_t> org = {static_cast<uint8_t>(ner::MakeLabel(1, ner::kPartB)),
                                    static_cast<uint8_t>(ner::MakeLabel(1, ner::kPartL))};
  for (int k : {2, 4}) {
    // B-ORG 100 behind U-PER (exactly the margin): kept, and its L-ORG wins.
    EXPECT_EQ(AlphaGammaBeamLabels(108, k), org) << k;
    // 101 behind: it ends at "Alpha", although its sequence would score more.
    EXPECT_EQ(AlphaGammaBeamLabels(109, k), (std::vector<uint8_t>{u_per, 0})) << k;
    // Far within the margin.
    EXPECT_EQ(AlphaGammaBeamLabels(20, k), org) << k;
  }
  // Greedy (k = 1) keeps U-PER whatever follows.
  EXPECT_EQ(AlphaGammaBeamLabels(20, 1), (std::vector<uint8_t>{u_per, 0}));
}

// The beam trainer (NerTrainOptions::beam): learns the tiny corpus with either update, the same
// bytes again for a seed, and a model other than greedy training's.
TEST_F(TinyTrainingTest, BeamTrainerLearnsDeterministically) {
  for (bool max_violation : {false, true}) {
    std::string bytes[2];
    for (int run = 0; run < 2; ++run) {
      NerTrainOptions o;
      o.train_path = *dir_ + "/train.conll";
      o.dev_path = *dir_ + "/dev.conll";
      o.output_path = *dir_ + "/beam" + std::to_string(run) + ".model";
      o.data_dir = *dir_;
      o.epochs = 6;
      o.rows = 1 << 14;
      o.beam = 4;
      o.max_violation = max_violation;
      NerTrainReport r;
      ASSERT_TRUE(TrainNer(o, &r).ok());
      EXPECT_GT(r.dev.overall.f1, 90.0) << max_violation;
      auto b = ner::ReadFileBytes(o.output_path);
      ASSERT_TRUE(b.ok());
      bytes[run] = *b;
    }
    EXPECT_TRUE(bytes[0] == bytes[1]) << max_violation;
    auto greedy = ner::ReadFileBytes(*dir_ + "/ner.model");
    ASSERT_TRUE(greedy.ok());
    EXPECT_FALSE(bytes[0] == *greedy) << max_violation;
  }
  NerTrainOptions bad;
  bad.train_path = *dir_ + "/train.conll";
  bad.output_path = *dir_ + "/bad.model";
  bad.data_dir = *dir_;
  bad.beam = EntityTagger::kMaxBeam + 1;
  EXPECT_EQ(TrainNer(bad, nullptr).code(), absl::StatusCode::kInvalidArgument);
}

// Beam decoding of a 100k-token sentence in which capitalised words recur (the pass-2 walk to
// their previous mention is bounded): labels for every token, valid BILOU sequences. Linear
// time is by construction (kMaxBeamDocWalk); no wall-clock limit here.
TEST_F(TinyTrainingTest, BeamOnALongSentenceIsSafe) {
  auto tagger = EntityTagger::Load(*dir_ + "/ner.model", *dir_);
  ASSERT_TRUE(tagger.ok());
  ASSERT_TRUE((*tagger)->SetBeamWidth(8).ok());
  std::vector<std::string> store = {"Veltron",  "said",   "Tesin", "Mar", "and",
                                    "\xFF\xFE", "Okafor", "of",    "the", "Москва"};
  NerInput in;
  for (int i = 0; i < 100000; ++i) in.words.push_back(store[(i * 7 + i / 10) % store.size()]);
  NerScratch s;
  ASSERT_TRUE((*tagger)->TagLabels(in, &s).ok());
  ASSERT_EQ(s.labels().size(), 100000u);
  EXPECT_TRUE(ValidBilou(in, s.labels()));
}

TEST(NerInputFromTokensTest, UsesTokenSpansAndSentences) {
  constexpr std::string_view kText = "Rain fell. Play stopped.";
  Tokens t;
  auto add = [&](uint32_t b, uint32_t e) {
    Token tok;
    tok.begin = b;
    tok.end = e;
    t.tokens.push_back(tok);
  };
  add(0, 4), add(5, 9), add(9, 10), add(11, 15), add(16, 23), add(23, 24);
  t.sentences = {TokenRange{0, 3}, TokenRange{3, 6}};
  NerInput in;
  NerInputFromTokens(kText, t, &in);
  ASSERT_EQ(in.words.size(), 6u);
  EXPECT_EQ(in.words[4], "stopped");
  EXPECT_EQ(in.sentence_starts, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(Slice(kText, in.spans[3]), "Play");
}

}  // namespace
}  // namespace newsparse
