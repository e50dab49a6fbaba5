// Tests of the trainer's learner options (feature bagging, word dropout, count cutoff, margin) on
// a small corpus written for this test. The checks read the trained model's weight rows.
#include "core/ner_train.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "core/ner_features.h"
#include "core/ner_gazetteer.h"
#include "core/ner_hash.h"
#include "core/ner_model.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

constexpr uint32_t kRows = 1u << 20;  // few collisions among the corpus's features

const char* const kPeople[] = {"Orla Feeney", "Bram Tolver", "Ines Carrow", "Dev Malhotri",
                               "Kasia Wren",  "Hugo Mbatta", "Lio Sandor",  "Petra Quist"};
const char* const kOrgs[] = {"Pellam Foods", "Grisholt", "Tarn Energy", "Vossberg Bank"};
const char* const kPlaces[] = {"Ardenne", "Lake Morrow", "Castelvo", "Brinmouth"};
// Names that occur once in the corpus (the count cutoff).
const char* const kOnce[] = {"Zephyrine", "Quillan", "Marrowby", "Tessaly"};

void Emit(std::string* s, const std::string& phrase, const std::string& type) {
  size_t b = 0;
  while (b < phrase.size()) {
    size_t e = phrase.find(' ', b);
    if (e == std::string::npos) e = phrase.size();
    *s += phrase.substr(b, e - b) + " X X " + (type.empty() ? "O" : "I-" + type) + "\n";
    b = e + 1;
  }
}

// CoNLL (IOB1) text of `docs` documents of five sentences each.
std::string Corpus(int docs) {
  std::string s;
  for (int d = 0; d < docs; ++d) {
    s += "-DOCSTART- -X- O O\n\n";
    for (int k = 0; k < 5; ++k) {
      const int i = d * 5 + k;
      switch (i % 3) {
        case 0:
          Emit(&s, kPeople[i % 8], "PER"), Emit(&s, "joined", "");
          Emit(&s, kOrgs[i % 4], "ORG"), Emit(&s, "in", ""), Emit(&s, kPlaces[i % 4], "LOC");
          Emit(&s, "last year .", "");
          break;
        case 1:
          Emit(&s, "The", ""), Emit(&s, kOrgs[(i + 1) % 4], "ORG");
          Emit(&s, "chief ,", ""), Emit(&s, kPeople[(i + 3) % 8], "PER");
          Emit(&s, ", said sales rose .", "");
          break;
        default:
          Emit(&s, "Flights to", ""), Emit(&s, kPlaces[(i + 1) % 4], "LOC");
          Emit(&s, "were cut , officials in", ""), Emit(&s, kPlaces[(i + 2) % 4], "LOC");
          Emit(&s, "said .", "");
      }
      s += "\n";
    }
    if (d < 4) {
      Emit(&s, "Analyst", ""), Emit(&s, kOnce[d], "PER"), Emit(&s, "spoke .", "");
      s += "\n";
    }
  }
  return s;
}

class LearnerOptionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/ner_learner_" + std::to_string(getpid()));
    ASSERT_EQ(system(("mkdir -p " + *dir_).c_str()), 0);
    std::ofstream(*dir_ + "/train.conll") << Corpus(24);
    // Gazetteers for the per-fold (silver) lists: the model's own holds no silver phrase, the
    // even documents' list one (a name of the corpus), the odd documents' none.
    std::ofstream(*dir_ + "/ner_gazetteer.tsv") << "# test\nardenne\tloc.city\n";
    std::ofstream(*dir_ + "/fold0.tsv") << "ardenne\tloc.city\norla feeney\tsilver.per\n";
    std::ofstream(*dir_ + "/fold1.tsv") << "ardenne\tloc.city\n";
  }

  // Options with the local features only (no data files needed), one perceptron, and no word
  // dropout (on by default), so that each test turns on only the option it checks.
  static NerTrainOptions Base(const std::string& name) {
    NerTrainOptions o;
    o.word_dropout = 0;
    o.train_path = *dir_ + "/train.conll";
    o.output_path = *dir_ + "/" + name + ".model";
    o.data_dir = *dir_;
    o.epochs = 4;
    o.mixtures = 1;
    o.rows = kRows;
    o.features.clusters = false;
    o.features.gazetteer = false;
    o.features.document = false;
    o.features.context = false;
    o.features.kinds = false;
    o.features.cap_runs = false;
    return o;
  }

  static std::string Train(const NerTrainOptions& o) {
    const absl::Status st = TrainNer(o, nullptr);
    EXPECT_TRUE(st.ok()) << st;
    auto bytes = ner::ReadFileBytes(o.output_path);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::string();
  }

  // How many of the features (template, value) have a non-zero weight row in the model.
  static int Learned(const std::string& bytes, uint32_t tpl, const std::vector<uint64_t>& values) {
    auto model = ner::ParseNerModel(bytes);
    EXPECT_TRUE(model.ok()) << model.status();
    if (!model.ok()) return -1;
    int n = 0;
    for (uint64_t v : values) {
      n += model->Row(ner::RowOf(ner::Feat(tpl, v), model->rows)) != nullptr;
    }
    return n;
  }

  // The word hashes (kTplWord) and lower-cased hashes of every word of `names`.
  static std::vector<uint64_t> Words(const std::vector<std::string>& names, bool lower) {
    std::vector<uint64_t> out;
    for (const std::string& name : names) {
      size_t b = 0;
      while (b < name.size()) {
        size_t e = name.find(' ', b);
        if (e == std::string::npos) e = name.size();
        const std::string_view w(name.data() + b, e - b);
        out.push_back(lower ? ner::HashLower(w) : ner::HashBytes(w));
        b = e + 1;
      }
    }
    return out;
  }

  static std::vector<std::string> Names() {
    std::vector<std::string> v(std::begin(kPeople), std::end(kPeople));
    v.insert(v.end(), std::begin(kOrgs), std::end(kOrgs));
    v.insert(v.end(), std::begin(kPlaces), std::end(kPlaces));
    return v;
  }

  static std::string* dir_;
};
std::string* LearnerOptionsTest::dir_ = nullptr;

TEST(ParseNerBagsTest, EntriesAndErrors) {
  std::vector<uint8_t> m;
  ASSERT_TRUE(ParseNerBags("no_word,no_neighbours,all,no_words", &m).ok());
  EXPECT_EQ(m, (std::vector<uint8_t>{kNerBagWord, kNerBagNeighbours, 0,
                                     kNerBagWord | kNerBagNeighbours}));
  EXPECT_EQ(ParseNerBags("no_word,bogus", &m).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(ParseNerBags("", &m).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseNerBags("all,", &m).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LearnerOptionsTest, BadOptionsAreInvalidArgument) {
  NerTrainOptions o = Base("bad");
  o.bags = {0, kNerBagWord};  // two entries, one mixture
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o = Base("bad");
  o.word_dropout = 1.5;
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o = Base("bad");
  o.margin = -1;
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o = Base("bad");
  o.min_count = -2;
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(LearnerOptionsTest, MaskedWordFeaturesGetNoWeight) {
  const std::vector<std::string> names = Names();
  const std::string plain = Train(Base("plain"));
  NerTrainOptions o = Base("no_word");
  o.bags = {kNerBagWord};
  const std::string no_word = Train(o);
  // Without the mask the names' own-word rows are learned; with it none is, while the shape
  // and neighbour features still are.
  EXPECT_GT(Learned(plain, ner::kTplWord, Words(names, false)), 4);
  EXPECT_GT(Learned(plain, ner::kTplLower, Words(names, true)), 4);
  EXPECT_EQ(Learned(no_word, ner::kTplWord, Words(names, false)), 0);
  EXPECT_EQ(Learned(no_word, ner::kTplLower, Words(names, true)), 0);
  EXPECT_GT(Learned(no_word, ner::kTplLowerM1, Words(names, true)), 0);
  EXPECT_GT(Learned(no_word, ner::kTplShape, {ner::HashBytes(ner::WordShape("Orla"))}), 0);
}

TEST_F(LearnerOptionsTest, MaskedNeighbourFeaturesGetNoWeight) {
  const std::vector<std::string> names = Names();
  const std::string plain = Train(Base("plain2"));
  NerTrainOptions o = Base("no_neighbours");
  o.bags = {kNerBagNeighbours};
  const std::string no_nb = Train(o);
  const std::vector<uint64_t> context_words = Words({"joined in last year The chief said"}, true);
  for (uint32_t tpl : {ner::kTplLowerM1, ner::kTplLowerP1, ner::kTplLowerM2, ner::kTplLowerP2}) {
    EXPECT_GT(Learned(plain, tpl, context_words), 0) << tpl;
    EXPECT_EQ(Learned(no_nb, tpl, context_words), 0) << tpl;
  }
  EXPECT_GT(Learned(no_nb, ner::kTplWord, Words(names, false)), 4);
}

TEST_F(LearnerOptionsTest, BagsOfAllFeaturesTrainTheSameModel) {
  NerTrainOptions o = Base("two");
  o.mixtures = 2;
  const std::string unbagged = Train(o);
  o.output_path = *dir_ + "/two_all.model";
  o.bags = {0, 0};
  EXPECT_TRUE(Train(o) == unbagged);
  // A bagged mixture changes the mean.
  o.output_path = *dir_ + "/two_bagged.model";
  o.bags = {kNerBagWord, 0};
  EXPECT_FALSE(Train(o) == unbagged);
}

TEST_F(LearnerOptionsTest, WordDropoutIsDeterministicForASeed) {
  NerTrainOptions o = Base("drop_a");
  o.word_dropout = 0.3;
  o.seed = 5;
  const std::string a = Train(o);
  o.output_path = *dir_ + "/drop_b.model";
  const std::string b = Train(o);
  EXPECT_TRUE(a == b);
  o.output_path = *dir_ + "/drop_seed6.model";
  o.seed = 6;
  const std::string other_seed = Train(o);
  o.output_path = *dir_ + "/drop_none.model";
  o.seed = 5;
  o.word_dropout = 0;
  const std::string none = Train(o);
  EXPECT_FALSE(a == none);
  EXPECT_FALSE(a == other_seed);
  // Dropping every occurrence: no capitalised word's own-word row is learned.
  o.output_path = *dir_ + "/drop_all.model";
  o.word_dropout = 1;
  const std::string all = Train(o);
  EXPECT_GT(Learned(none, ner::kTplWord, Words(Names(), false)), 4);
  EXPECT_EQ(Learned(all, ner::kTplWord, Words(Names(), false)), 0);
}

TEST_F(LearnerOptionsTest, CountCutoffLeavesOutFeaturesSeenOnce) {
  const std::vector<std::string> once(std::begin(kOnce), std::end(kOnce));
  const std::string plain = Train(Base("plain3"));
  NerTrainOptions o = Base("cutoff");
  o.min_count = 2;
  const std::string cut = Train(o);
  EXPECT_GT(Learned(plain, ner::kTplWord, Words(once, false)), 0);
  EXPECT_EQ(Learned(cut, ner::kTplWord, Words(once, false)), 0);
  // Words seen often are still learned.
  EXPECT_GT(Learned(cut, ner::kTplWord, Words(Names(), false)), 4);
}

TEST_F(LearnerOptionsTest, MarginUpdatesOnCorrectLabelsToo) {
  const std::string plain = Train(Base("plain4"));
  NerTrainOptions o = Base("margin");
  o.margin = 1000;  // every token falls short of it: an update on each
  const std::string wide = Train(o);
  auto a = ner::ParseNerModel(plain);
  auto b = ner::ParseNerModel(wide);
  ASSERT_TRUE(a.ok() && b.ok());
  // Updates on every token reach rows that error-driven updates never touch ("rose", "sales").
  const std::vector<uint64_t> plain_words = Words({"sales rose officials were"}, false);
  EXPECT_EQ(Learned(plain, ner::kTplWord, plain_words), 0);
  EXPECT_EQ(Learned(wide, ner::kTplWord, plain_words), 4);
  EXPECT_GT(b->weights.size(), a->weights.size());
}

TEST_F(LearnerOptionsTest, HoldoutAndFoldGazetteerOptionsAreChecked) {
  NerTrainOptions o = Base("bad_holdout");
  o.holdout_folds = 2;
  o.holdout_fold = 2;
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o = Base("bad_holdout");
  o.holdout_folds = 1;
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o = Base("bad_folds");
  o.features.gazetteer = true;
  o.fold_gazetteers = {*dir_ + "/fold0.tsv"};  // one file: no folds
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
  o.fold_gazetteers = {*dir_ + "/fold0.tsv", *dir_ + "/missing.tsv"};
  EXPECT_FALSE(TrainNer(o, nullptr).ok());
  o.fold_gazetteers = {*dir_ + "/fold0.tsv", *dir_ + "/fold1.tsv"};
  o.features.gazetteer = false;  // the lists need the gazetteer group
  EXPECT_EQ(TrainNer(o, nullptr).code(), absl::StatusCode::kInvalidArgument);
}

// --holdout=K/N leaves out the documents d with d % N == K: the names that occur only in
// documents 0 and 2 (kOnce[0], kOnce[2]) are not learned, those of documents 1 and 3 are.
TEST_F(LearnerOptionsTest, HoldoutLeavesOutOneFoldsDocuments) {
  NerTrainOptions o = Base("holdout");
  o.holdout_folds = 2;
  o.holdout_fold = 0;
  const std::string half = Train(o);
  o.output_path = *dir_ + "/holdout_other.model";
  o.holdout_fold = 1;
  const std::string other = Train(o);
  const std::vector<uint64_t> even = Words({kOnce[0], kOnce[2]}, false);
  const std::vector<uint64_t> odd = Words({kOnce[1], kOnce[3]}, false);
  EXPECT_EQ(Learned(half, ner::kTplWord, even), 0);
  EXPECT_GT(Learned(half, ner::kTplWord, odd), 0);
  EXPECT_GT(Learned(other, ner::kTplWord, even), 0);
  EXPECT_EQ(Learned(other, ner::kTplWord, odd), 0);
}

// The fold gazetteers decide the training documents' gazetteer bits; the model embeds (and run
// time uses) the data directory's gazetteer.
TEST_F(LearnerOptionsTest, FoldGazetteersFeedTrainingOnly) {
  NerTrainOptions o = Base("gaz_main");
  o.features.gazetteer = true;
  const std::string main_only = Train(o);
  o.output_path = *dir_ + "/gaz_folds.model";
  o.fold_gazetteers = {*dir_ + "/fold0.tsv", *dir_ + "/fold1.tsv"};
  const std::string folds = Train(o);
  constexpr int kSilverPer = 9;
  ASSERT_EQ(ner::kGazetteerCategories[kSilverPer], "silver.per");
  // kTplGaz values: (bit index) * 2 + capitalised; "Orla" is B, "Feeney" L of the phrase.
  const std::vector<uint64_t> silver_bits = {(kSilverPer * 4 + ner::kGazB) * 2 + 1,
                                             (kSilverPer * 4 + ner::kGazL) * 2 + 1};
  EXPECT_EQ(Learned(main_only, ner::kTplGaz, silver_bits), 0);
  EXPECT_GT(Learned(folds, ner::kTplGaz, silver_bits), 0);
  auto model = ner::ParseNerModel(folds);
  ASSERT_TRUE(model.ok()) << model.status();
  auto gaz = ner::Gazetteer::FromBlob(model->gazetteer_blob);
  ASSERT_TRUE(gaz.ok()) << gaz.status();
  const uint64_t words[2] = {ner::HashLower("Orla"), ner::HashLower("Feeney")};
  uint64_t masks[2] = {0, 0};
  gaz->Match(words, 2, masks);
  EXPECT_EQ(masks[0] | masks[1], 0u);
  EXPECT_EQ(gaz->size(), 1u);  // "ardenne" only
}

}  // namespace
}  // namespace newsparse
