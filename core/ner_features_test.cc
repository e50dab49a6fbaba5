// Tests of NER feature extraction: shapes, affixes, windows, gazetteer matches, cluster lookups.
#include "core/ner_features.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "core/ner_hash.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace ner {
namespace {

struct Sentence {
  std::vector<std::string_view> words;
  std::vector<TokenInfo> info;
  std::vector<uint64_t> scratch;
};

Sentence Compute(const FeatureExtractor& fx, std::vector<std::string_view> words) {
  Sentence s;
  s.words = std::move(words);
  s.info.resize(s.words.size());
  s.scratch.resize(2 * s.words.size());
  fx.ComputeTokenInfo(s.words.data(), s.words.size(), s.info.data(), s.scratch.data());
  return s;
}

std::vector<uint64_t> Static(const FeatureExtractor& fx, const Sentence& s, size_t i) {
  uint64_t out[kMaxStaticFeatures];
  int n = fx.StaticFeatures(s.info.data(), s.info.size(), i, out);
  return std::vector<uint64_t>(out, out + n);
}

bool Has(const std::vector<uint64_t>& v, uint64_t f) {
  return std::find(v.begin(), v.end(), f) != v.end();
}

TEST(WordShapeTest, CollapsesCharacterClasses) {
  EXPECT_EQ(WordShape("McDonald"), "XxXx");
  EXPECT_EQ(WordShape("U.S."), "X.X.");
  EXPECT_EQ(WordShape("1,000"), "d,d");
  EXPECT_EQ(WordShape("said"), "x");
  EXPECT_EQ(WordShape("G7"), "Xd");
  EXPECT_EQ(WordShape("Zürich"), "Xux");
  EXPECT_EQ(WordShape(""), "");
}

TEST(LabelTest, BilouNamesAndTransitions) {
  EXPECT_EQ(LabelName(0), "O");
  EXPECT_EQ(LabelName(MakeLabel(2, kPartU)), "U-LOC");
  EXPECT_EQ(LabelName(MakeLabel(3, kPartB)), "B-MISC");
  EXPECT_TRUE(AllowedTransition(-1, MakeLabel(0, kPartB)));
  EXPECT_FALSE(AllowedTransition(-1, MakeLabel(0, kPartI)));
  EXPECT_TRUE(AllowedTransition(MakeLabel(1, kPartB), MakeLabel(1, kPartL)));
  EXPECT_FALSE(AllowedTransition(MakeLabel(1, kPartB), MakeLabel(2, kPartL)));
  EXPECT_FALSE(AllowedTransition(MakeLabel(1, kPartB), 0));
  EXPECT_TRUE(AllowedTransition(MakeLabel(1, kPartL), MakeLabel(0, kPartU)));
  EXPECT_FALSE(AllowedAtEnd(MakeLabel(0, kPartI)));
}

TEST(FeatureExtractorTest, AffixesWindowAndCapitalisation) {
  FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  Sentence s = Compute(fx, {"The", "Ministry", "of", "Fisheries", "said"});
  const TokenInfo& t = s.info[1];
  EXPECT_EQ(t.word, HashBytes("Ministry"));
  EXPECT_EQ(t.lower, HashLower("ministry"));
  EXPECT_EQ(t.prefix[0], HashLower("m"));
  EXPECT_EQ(t.prefix[3], HashLower("mini"));
  EXPECT_EQ(t.shape, HashBytes("Xx"));
  EXPECT_TRUE(t.flags & kNerCap);
  EXPECT_FALSE(t.flags & kNerAllCaps);
  EXPECT_TRUE(s.info[0].flags & kNerSentStart);
  EXPECT_FALSE(t.flags & kNerHeadline);
  // Suffixes are hashed right to left: the 3-byte suffix of "Ministry" reads "yrt".
  EXPECT_EQ(t.suffix[2], HashLower("yrt"));

  std::vector<uint64_t> f = Static(fx, s, 1);
  EXPECT_TRUE(Has(f, Feat(kTplLower, HashLower("ministry"))));
  EXPECT_TRUE(Has(f, Feat(kTplLowerM1, HashLower("the"))));
  EXPECT_TRUE(Has(f, Feat(kTplLowerP1, HashLower("of"))));
  EXPECT_TRUE(Has(f, Feat(kTplLowerP2, HashLower("fisheries"))));
  EXPECT_TRUE(Has(f, Feat(kTplBigramP1, Combine(HashLower("ministry"), HashLower("of")))));
  EXPECT_FALSE(Has(f, Feat(kTplLowerM1, HashLower("of"))));
  // Groups that are off contribute nothing.
  for (uint64_t x : f) EXPECT_NE(x, Feat(kTplCluster, 0xffff));
}

TEST(FeatureExtractorTest, HeadlineAndHyphen) {
  FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  Sentence s = Compute(fx, {"RAIN", "STOPS", "PLAY", "IN", "PORTO-NOVO"});
  for (const TokenInfo& t : s.info) {
    EXPECT_TRUE(t.flags & kNerHeadline);
    EXPECT_TRUE(t.flags & kNerAllCaps);
  }
  EXPECT_EQ(s.info[4].hyphen_first, HashLower("porto"));
  EXPECT_EQ(s.info[4].hyphen_last, HashLower("novo"));
  EXPECT_TRUE(Has(Static(fx, s, 2), Feat(kTplHeadlineLower, HashLower("play"))));
}

TEST(FeatureExtractorTest, GazetteerMatchesCarryBilouPositions) {
  Gazetteer g;
  g.Add("New York", 1u << 0);                 // loc.city
  g.Add("New York Stock Exchange", 1u << 7);  // org.known
  g.Add("York", 1u << 0);
  g.Add("Inc.", 1u << 6);  // org.suffix
  NerFeatureOptions opt;
  opt.clusters = false;
  FeatureExtractor fx(nullptr, &g, opt);
  Sentence s = Compute(fx, {"the", "NEW", "york", "Stock", "Exchange", "and", "Acme", "Inc."});
  EXPECT_EQ(s.info[0].gaz, 0u);
  EXPECT_TRUE(s.info[1].gaz & GazBit(0, kGazB));
  EXPECT_TRUE(s.info[2].gaz & GazBit(0, kGazL));
  EXPECT_TRUE(s.info[2].gaz & GazBit(0, kGazU));  // "York" alone
  EXPECT_TRUE(s.info[1].gaz & GazBit(7, kGazB));
  EXPECT_TRUE(s.info[2].gaz & GazBit(7, kGazI));
  EXPECT_TRUE(s.info[3].gaz & GazBit(7, kGazI));
  EXPECT_TRUE(s.info[4].gaz & GazBit(7, kGazL));
  EXPECT_EQ(s.info[5].gaz, 0u);
  EXPECT_TRUE(s.info[7].gaz & GazBit(6, kGazU));
  // Token 2 gets the (category, position) feature, its neighbour the +1 feature.
  EXPECT_TRUE(Has(Static(fx, s, 2), Feat(kTplGaz, (0 * 4 + kGazL) * 2 + 0)));
  EXPECT_TRUE(Has(Static(fx, s, 1), Feat(kTplGazP1, 0 * 4 + kGazL)));
}

// A token matching every category at every position, with neighbours that do too, stays within
// kMaxStaticFeatures (the bound grows with the category count; the silver.* categories made 13).
TEST(FeatureExtractorTest, EveryGazetteerBitFitsTheStaticBound) {
  Gazetteer g;
  const uint32_t all = (1u << kNumGazetteerCategories) - 1;
  g.Add("Ab-c", all);
  g.Add("Ab-c Ab-c", all);
  g.Add("Ab-c Ab-c Ab-c", all);
  auto table = ClusterTable::Parse("Ab-c\t5\t50\t500\t12\n");
  ASSERT_TRUE(table.ok());
  FeatureExtractor fx(&*table, &g, NerFeatureOptions{});
  Sentence s = Compute(fx, {"Ab-c", "Ab-c", "Ab-c", "Ab-c", "Ab-c"});
  EXPECT_EQ(__builtin_popcountll(s.info[2].gaz), 4 * kNumGazetteerCategories);
  for (size_t i = 0; i < s.words.size(); ++i) {
    uint64_t out[2 * kMaxStaticFeatures];
    const int n = fx.StaticFeatures(s.info.data(), s.info.size(), i, out);
    EXPECT_LE(n, kMaxStaticFeatures) << i;
    if (i == 2) EXPECT_GT(n, 3 * 4 * kNumGazetteerCategories);
  }
}

TEST(FeatureExtractorTest, GazetteerParse) {
  auto g = Gazetteer::Parse("# c\nNew York\tloc.city,org.known\nInc.\torg.suffix\n");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->size(), 2u);
  auto silver = Gazetteer::Parse("quillmark holdings\tsilver.org\nvantor\tsilver.per,silver.org\n");
  ASSERT_TRUE(silver.ok()) << silver.status();
  EXPECT_EQ(silver->size(), 2u);
  EXPECT_FALSE(Gazetteer::Parse("Paris\tloc.nowhere\n").ok());
  EXPECT_FALSE(Gazetteer::Parse("no tab here\n").ok());
}

// A gazetteer image whose phrase carries a category bit beyond the known categories is corrupt
// (Match would shift a 64-bit mask by 4 * 23 bits); found by fuzz/model_fuzzer.cc.
TEST(GazetteerTest, ImageWithAnUnknownCategoryBitIsDataLoss) {
  Gazetteer g;
  g.Add("bank of oslo", 1u << 7);
  const std::string blob = g.ToBlob();
  ASSERT_TRUE(Gazetteer::FromBlob(blob).ok());
  bool patched = false;
  for (size_t at = 16; at + 12 <= blob.size(); at += 12) {
    uint32_t v;
    std::memcpy(&v, blob.data() + at + 8, 4);
    if ((v & ((1u << kNumGazetteerCategories) - 1)) == 0) continue;  // empty or prefix-only slot
    std::string bad = blob;
    v |= 1u << 23;
    std::memcpy(bad.data() + at + 8, &v, 4);
    EXPECT_EQ(Gazetteer::FromBlob(bad).status().code(), absl::StatusCode::kDataLoss);
    patched = true;
  }
  EXPECT_TRUE(patched);
}

TEST(FeatureExtractorTest, ClusterLookupAndCaseRatio) {
  auto table = ClusterTable::Parse("Berlin\t5\t50\t500\t12\nbank\t7\t70\t700\t14\n");
  ASSERT_TRUE(table.ok());
  NerFeatureOptions opt;
  opt.gazetteer = false;
  FeatureExtractor fx(&*table, nullptr, opt);
  Sentence s = Compute(fx, {"BERLIN", "Bank", "Qwzx"});
  EXPECT_EQ(s.info[0].cls[2], 500);  // via the lower-case fallback
  EXPECT_TRUE(s.info[0].flags & kNerHasCluster);
  EXPECT_EQ(s.info[1].cls[0], 7);
  EXPECT_EQ(s.info[2].cls[0], 0xffff);
  EXPECT_FALSE(s.info[2].flags & kNerHasCluster);
  // "bank" (2^14) is far more frequent than "Bank" (absent): ratio clipped to +4.
  EXPECT_EQ(s.info[1].case_ratio, 4);
  EXPECT_EQ(s.info[2].case_ratio, -9);
  std::vector<uint64_t> f = Static(fx, s, 1);
  EXPECT_TRUE(Has(f, Feat(kTplCluster + 1, 70)));
  EXPECT_TRUE(Has(f, Feat(kTplClusterM1 + 1, 50)));
  EXPECT_TRUE(Has(f, Feat(kTplClusterP1 + 1, 0xffff)));
}

// The tagger caches the word-local parts of StaticFeatures; together the parts must be exactly
// StaticFeatures (as multisets) for every token, including the sentence's ends.
TEST(FeatureExtractorTest, SplitFeaturesAddUpToStaticFeatures) {
  auto table = ClusterTable::Parse("Berlin\t5\t50\t500\t12\nbank\t7\t70\t700\t14\n");
  ASSERT_TRUE(table.ok());
  Gazetteer g;
  g.Add("Berlin", 1u << 0);
  g.Add("Acme Bank", 1u << 7);
  FeatureExtractor fx(&*table, &g, NerFeatureOptions{});
  for (std::vector<std::string_view> words :
       {std::vector<std::string_view>{"Acme", "Bank", "opened", "in", "BERLIN", "-", "Oder", "."},
        std::vector<std::string_view>{"BANK", "RATES"}, std::vector<std::string_view>{"Berlin"}}) {
    Sentence s = Compute(fx, words);
    const size_t n = s.info.size();
    for (size_t i = 0; i < n; ++i) {
      uint64_t out[kMaxStaticFeatures];
      std::vector<uint64_t> parts(out, out + fx.WordFeatures(s.info[i], out));
      for (int off : {-2, -1, 1, 2}) {
        const long j = static_cast<long>(i) + off;
        const TokenInfo* nb = j >= 0 && j < static_cast<long>(n) ? &s.info[j] : nullptr;
        const int k = fx.NeighbourFeatures(nb, off, out);
        parts.insert(parts.end(), out, out + k);
      }
      parts.push_back(Feat(kTplCapPattern, FeatureExtractor::CapPattern(s.info.data(), n, i)));
      const int k = fx.PairFeatures(s.info.data(), n, i, out);
      parts.insert(parts.end(), out, out + k);
      std::vector<uint64_t> whole = Static(fx, s, i);
      std::sort(parts.begin(), parts.end());
      std::sort(whole.begin(), whole.end());
      EXPECT_EQ(parts, whole) << words[i];
    }
    for (int prev1 : {-1, 0, 3}) {
      uint64_t a[kMaxDynamicFeatures], b[kMaxDynamicFeatures];
      const int na = FeatureExtractor::HistoryFeatures(s.info[0], prev1, 5, a);
      int nb = FeatureExtractor::HistoryLabelFeatures(prev1, 5, b);
      nb += FeatureExtractor::HistoryWordFeatures(s.info[0], prev1, b + nb);
      EXPECT_EQ(std::vector<uint64_t>(a, a + na), std::vector<uint64_t>(b, b + nb));
      const int ra = FeatureExtractor::RightContextFeatures(s.info[0], prev1, 2, a);
      int rb = FeatureExtractor::RightLabelFeatures(prev1, 2, b);
      rb += FeatureExtractor::RightWordFeatures(s.info[0], prev1, b + rb);
      EXPECT_EQ(std::vector<uint64_t>(a, a + ra), std::vector<uint64_t>(b, b + rb));
    }
  }
}

std::vector<uint64_t> Runs(const FeatureExtractor& fx, const Sentence& s, size_t i) {
  uint64_t out[FeatureExtractor::kMaxRunFeatures];
  const int n = fx.RunFeatures(s.words.data(), s.info.data(), s.info.size(), i, out);
  return std::vector<uint64_t>(out, out + n);
}

TEST(FeatureExtractorTest, CapitalisedRunFeatures) {
  Gazetteer g;
  g.Add("Acme Bank", 1u << 7);
  NerFeatureOptions opt;
  opt.cap_runs = true;
  FeatureExtractor fx(nullptr, &g, opt);
  Sentence s = Compute(fx, {"Shares", "of", "Acme", "Bank", "Holdings", "rose", "in", "Oslo", "."});
  // "Acme": first of the run of three; gets the last word and its suffix.
  std::vector<uint64_t> f = Runs(fx, s, 2);
  EXPECT_TRUE(Has(f, Feat(kTplRunPosition, 3 * 16 + 0)));
  EXPECT_TRUE(Has(f, Feat(kTplRunLast, HashLower("holdings"))));
  EXPECT_TRUE(Has(f, Feat(kTplRunLastSuffix, HashLower("ngs"))));
  EXPECT_FALSE(Has(f, Feat(kTplRunFirst, HashLower("acme"))));
  // "Holdings": last of the run; gets the first word and the gazetteer bits of "Acme Bank".
  f = Runs(fx, s, 4);
  EXPECT_TRUE(Has(f, Feat(kTplRunFirst, HashLower("acme"))));
  EXPECT_FALSE(Has(f, Feat(kTplRunLast, HashLower("holdings"))));
  const uint64_t bits = s.info[2].gaz | s.info[3].gaz;
  ASSERT_NE(bits, 0u);
  for (uint64_t b = bits; b != 0; b &= b - 1) {
    EXPECT_TRUE(Has(f, Feat(kTplRunGaz, static_cast<uint64_t>(__builtin_ctzll(b)))));
  }
  // Single capitalised words, lower-case words: no run.
  EXPECT_TRUE(Runs(fx, s, 0).empty());
  EXPECT_TRUE(Runs(fx, s, 5).empty());
  EXPECT_TRUE(Runs(fx, s, 7).empty());
  // A headline (all capitals) and a run longer than kMaxRunLength get none.
  Sentence h = Compute(fx, {"ACME", "BANK", "RATES"});
  EXPECT_TRUE(Runs(fx, h, 0).empty());
  std::vector<std::string_view> long_run(FeatureExtractor::kMaxRunLength + 1, "Word");
  long_run.push_back("ends");
  Sentence l = Compute(fx, long_run);
  for (size_t i = 0; i < long_run.size(); ++i) EXPECT_TRUE(Runs(fx, l, i).empty()) << i;
  // Off with the option.
  opt.cap_runs = false;
  FeatureExtractor off(nullptr, &g, opt);
  EXPECT_TRUE(Runs(off, Compute(off, {"Acme", "Bank"}), 0).empty());
  // MayStartOrJoinRun is false only where RunFeatures gives nothing, and true on every token of
  // a run: single capitalised words at either end, runs at both ends, a lower-case word.
  Sentence m = Compute(fx, {"Oslo", "and", "Acme", "Bank", "said", "Tesin", "Varnok", "Ltd"});
  for (const Sentence* x : {&s, &h, &l, &m}) {
    for (size_t i = 0; i < x->words.size(); ++i) {
      const bool may = FeatureExtractor::MayStartOrJoinRun(x->info.data(), x->words.size(), i);
      if (!may) EXPECT_TRUE(Runs(fx, *x, i).empty()) << x->words[i];
      if (!Runs(fx, *x, i).empty()) EXPECT_TRUE(may) << x->words[i];
    }
  }
  const std::string may_m = [&] {
    std::string r;
    for (size_t i = 0; i < m.words.size(); ++i) {
      r += FeatureExtractor::MayStartOrJoinRun(m.info.data(), m.words.size(), i) ? 'R' : '.';
    }
    return r;
  }();
  EXPECT_EQ(may_m, "..RR.RRR");
  Sentence one = Compute(fx, {"Oslo"});
  EXPECT_FALSE(FeatureExtractor::MayStartOrJoinRun(one.info.data(), 1, 0));
}

TEST(FeatureExtractorTest, DocumentFeatures) {
  TokenInfo t;
  t.flags = kNerCap;
  DocWordStats others;
  uint64_t out[kMaxDynamicFeatures];
  int n = FeatureExtractor::DocFeatures(t, others, out);
  ASSERT_EQ(n, 1);
  EXPECT_EQ(out[0], Feat(kTplDocSingle, 0));
  others.pass1[1 + 1] = 2;  // ORG twice
  others.pass1[0] = 1;      // O once
  others.last_pass2 = 2;
  n = FeatureExtractor::DocFeatures(t, others, out);
  std::vector<uint64_t> v(out, out + n);
  EXPECT_TRUE(Has(v, Feat(kTplDocMajority, 2)));
  EXPECT_TRUE(Has(v, Feat(kTplDocHas, 0)));
  EXPECT_TRUE(Has(v, Feat(kTplDocLast, 2)));
  t.flags = 0;  // lower-case words take no document features
  EXPECT_EQ(FeatureExtractor::DocFeatures(t, others, out), 0);
}

// The document features as the tagger's tables take them apart (DocSummary, DocLeadFeature,
// DocShapeFeature, DocHasLastFeatures) against their definition written out here, in its order:
// single (no other mention typed) or majority type, majority with the shape, each type with a
// mention, the last pass-2 type. Every count vector of 0-2 per type, every last type, every
// context (sentence start, headline).
TEST(FeatureExtractorTest, DocumentFeaturesInPartsFollowTheirDefinition) {
  TokenInfo t;
  t.shape = HashBytes("Xx");
  uint64_t out[kMaxDynamicFeatures];
  int cases = 0, single = 0;
  for (int flags : {0, int{kNerSentStart}, int{kNerHeadline}, kNerSentStart | kNerHeadline}) {
    t.flags = static_cast<uint16_t>(kNerCap | flags);
    ASSERT_TRUE(FeatureExtractor::DocKeyed(t));
    const uint64_t ctx = (flags & kNerSentStart ? 1 : 0) + (flags & kNerHeadline ? 2 : 0);
    EXPECT_EQ(FeatureExtractor::DocContext(t), static_cast<int>(ctx));
    for (int code = 0; code < 243; ++code) {
      DocWordStats others;
      for (int c = 0, x = code; c <= kNumTypes; ++c, x /= 3) others.pass1[c] = x % 3;
      for (int last = -1; last <= kNumTypes; ++last) {
        others.last_pass2 = static_cast<int8_t>(last);
        std::vector<uint64_t> want;
        int total = 0, best = 0;
        for (int c = 0; c <= kNumTypes; ++c) {
          total += others.pass1[c];
          if (others.pass1[c] > others.pass1[best]) best = c;
        }
        if (total == 0) {
          want.push_back(Feat(kTplDocSingle, ctx));
          ++single;
        } else {
          want.push_back(Feat(kTplDocMajority, best));
          want.push_back(Feat(kTplDocMajorityShape, Combine(best * 4 + ctx, t.shape)));
          for (int c = 0; c <= kNumTypes; ++c) {
            if (others.pass1[c] > 0) want.push_back(Feat(kTplDocHas, c));
          }
        }
        if (last >= 0) want.push_back(Feat(kTplDocLast, static_cast<uint64_t>(last)));
        const int n = FeatureExtractor::DocFeatures(t, others, out);
        ASSERT_EQ(std::vector<uint64_t>(out, out + n), want) << code << " " << last;
        int sum = -1, top = -1;
        uint32_t has = 0xffffffffu;
        FeatureExtractor::DocSummary(others, &sum, &top, &has);
        EXPECT_EQ(sum, total);
        EXPECT_EQ(top, best);
        std::vector<uint64_t> parts = {
            FeatureExtractor::DocLeadFeature(total == 0, static_cast<int>(ctx), top)};
        if (total != 0) {
          parts.push_back(FeatureExtractor::DocShapeFeature(top, static_cast<int>(ctx), t.shape));
        }
        const int k = FeatureExtractor::DocHasLastFeatures(has, last, out);
        parts.insert(parts.end(), out, out + k);
        EXPECT_EQ(parts, want) << code << " " << last;
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 4 * 243 * 6);
  EXPECT_EQ(single, 4 * 6);
}

// Context aggregation: every mention of a capitalised word gets the words next to all of its
// mentions in the document; lower-case words get none; a word's list is capped.
TEST(FeatureExtractorTest, ContextAggregationPoolsTheDocument) {
  FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  // Two sentences of one document, written for this test.
  std::vector<std::string_view> words = {"Varnok", "said", "on",     "Monday", ".",
                                         "Shares", "of",   "VARNOK", "rose",   "."};
  std::vector<TokenInfo> info(words.size());
  std::vector<uint64_t> scratch(2 * words.size());
  fx.ComputeTokenInfo(words.data(), 5, info.data(), scratch.data());
  fx.ComputeTokenInfo(words.data() + 5, 5, info.data() + 5, scratch.data());
  const uint32_t ends[] = {5, 10};
  std::vector<std::pair<uint64_t, uint64_t>> ctx;
  FeatureExtractor::ContextAggregation(info.data(), words.size(), ends, 2, &ctx);
  ASSERT_TRUE(std::is_sorted(ctx.begin(), ctx.end()));
  std::vector<uint64_t> varnok;
  for (const auto& [key, feat] : ctx) {
    if (key == HashLower("varnok")) varnok.push_back(feat);
  }
  // Both spellings share one list: 4 positions x 2 mentions, all distinct.
  EXPECT_EQ(varnok.size(), 8u);
  EXPECT_TRUE(Has(varnok, Feat(kTplContextP1, HashLower("said"))));
  EXPECT_TRUE(Has(varnok, Feat(kTplContextP2, HashLower("on"))));
  EXPECT_TRUE(Has(varnok, Feat(kTplContextM1, HashLower("of"))));
  EXPECT_TRUE(Has(varnok, Feat(kTplContextM2, HashLower("shares"))));
  EXPECT_TRUE(Has(varnok, Feat(kTplContextP1, HashLower("rose"))));
  // Window positions do not cross the sentence boundary: "." ends sentence 1, so Shares has no
  // left neighbour word, and Monday's right neighbour is "." but its +2 is the boundary.
  std::vector<uint64_t> monday;
  for (const auto& [key, feat] : ctx) {
    if (key == HashLower("monday")) monday.push_back(feat);
    EXPECT_NE(key, HashLower("said"));  // lower-case words are not keyed
  }
  EXPECT_EQ(monday.size(), 4u);
  EXPECT_FALSE(Has(monday, Feat(kTplContextP2, HashLower("shares"))));

  // A word with many different neighbours keeps at most kMaxContextFeatures of them.
  std::vector<std::string> many;
  for (int i = 0; i < 100; ++i) many.push_back("w" + std::to_string(i) + " Varnok");
  std::vector<std::string_view> w2;
  std::vector<uint32_t> ends2;
  for (const std::string& pair : many) {
    const std::string_view v(pair);
    w2.push_back(v.substr(0, v.find(' ')));
    w2.push_back(v.substr(v.find(' ') + 1));
    ends2.push_back(static_cast<uint32_t>(w2.size()));
  }
  std::vector<TokenInfo> info2(w2.size());
  std::vector<uint64_t> scratch2(4);
  for (size_t i = 0; i < w2.size(); i += 2) {
    fx.ComputeTokenInfo(&w2[i], 2, &info2[i], scratch2.data());
  }
  FeatureExtractor::ContextAggregation(info2.data(), w2.size(), ends2.data(), ends2.size(), &ctx);
  EXPECT_EQ(ctx.size(), static_cast<size_t>(kMaxContextFeatures));
}

// GroupedContextAggregation gives each word exactly ContextAggregation's list for it, whatever
// the numbering of the words, with the cap on a word with many neighbours. Text written for this
// test.
TEST(FeatureExtractorTest, GroupedContextAggregationEqualsContextAggregation) {
  FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  std::vector<std::string> owned;
  std::vector<uint32_t> ends;
  // Sentence 1 and 2 mention Varnok and Tesin; then 90 two-word sentences give Ostbank more
  // than kMaxContextFeatures distinct neighbours; a one-word sentence ends the document.
  for (std::string_view w : {"Varnok", "said", "on", "Monday", "that", "Tesin", "would", "pay"}) {
    owned.emplace_back(w);
  }
  ends.push_back(static_cast<uint32_t>(owned.size()));
  for (std::string_view w : {"Shares", "of", "VARNOK", "and", "Tesin", "rose", "."}) {
    owned.emplace_back(w);
  }
  ends.push_back(static_cast<uint32_t>(owned.size()));
  for (int i = 0; i < 90; ++i) {
    owned.push_back("w" + std::to_string(i));
    owned.push_back("Ostbank");
    ends.push_back(static_cast<uint32_t>(owned.size()));
  }
  owned.push_back("Tesin");
  ends.push_back(static_cast<uint32_t>(owned.size()));
  const std::vector<std::string_view> words(owned.begin(), owned.end());
  const size_t n = words.size();
  std::vector<TokenInfo> info(n);
  std::vector<uint64_t> scratch(2 * n);
  for (size_t s = 0, b = 0; s < ends.size(); b = ends[s++]) {
    fx.ComputeTokenInfo(&words[b], ends[s] - b, &info[b], scratch.data());
  }
  std::vector<std::pair<uint64_t, uint64_t>> ctx;
  FeatureExtractor::ContextAggregation(info.data(), n, ends.data(), ends.size(), &ctx);
  // The words numbered from the last mention backwards; tokens that are not DocKeyed get an id
  // out of range, which must not be read.
  std::vector<uint64_t> keys;
  std::vector<uint32_t> word(n, 0xffffffffu);
  for (size_t i = n; i-- > 0;) {
    if (!FeatureExtractor::DocKeyed(info[i])) continue;
    auto it = std::find(keys.begin(), keys.end(), info[i].lower);
    word[i] = static_cast<uint32_t>(it - keys.begin());
    if (it == keys.end()) keys.push_back(info[i].lower);
  }
  ASSERT_EQ(keys.size(), 5u);  // tesin, ostbank, shares, monday, varnok
  std::vector<size_t> offsets;
  std::vector<uint64_t> features = {7, 7, 7};  // stale contents of a reused buffer
  FeatureExtractor::GroupedContextAggregation(info.data(), n, ends.data(), ends.size(), word.data(),
                                              keys.size(), &offsets, &features);
  ASSERT_EQ(offsets.size(), keys.size() + 1);
  size_t total = 0;
  for (size_t g = 0; g < keys.size(); ++g) {
    std::vector<uint64_t> want;
    for (const auto& [key, feat] : ctx) {
      if (key == keys[g]) want.push_back(feat);
    }
    const std::vector<uint64_t> got(features.begin() + offsets[g],
                                    features.begin() + offsets[g + 1]);
    EXPECT_EQ(got, want) << "word " << g;
    total += got.size();
  }
  EXPECT_EQ(total, ctx.size());
  const uint64_t ostbank = HashLower("ostbank");
  const size_t og = std::find(keys.begin(), keys.end(), ostbank) - keys.begin();
  ASSERT_LT(og, keys.size());
  EXPECT_EQ(offsets[og + 1] - offsets[og], static_cast<size_t>(kMaxContextFeatures));
}

// Line kinds: score lines and tables of numbers are table lines, prose is not; a document with
// two sports cue words marks every sentence as a sports report. Text written for this test.
TEST(FeatureExtractorTest, LineKindsFindResultsLinesAndSportsReports) {
  std::vector<std::string_view> words = {"Tesin",  "Rovers", "beat",    "Ostbank",
                                         "2-1",    "on",     "Sunday",  ".",  // 0..7 score token
                                         "Tesin",  "3",      "Ostbank", "1",  // 8..11 results line
                                         "Varnok", "10",     "6",       "2",
                                         "2",      "18",     "9",       "20",  // 12..19 table row
                                         "Mira",   "Okafor", "said",    "the",
                                         "coach",  "would",  "stay",    ".",  // 20..27 prose
                                         "Varnok", "won",    "3",       "-",
                                         "0",      "."};  // 28..33 split score
  const uint32_t ends[] = {8, 12, 20, 28, 34};
  uint8_t kinds[5] = {9, 9, 9, 9, 9};
  const FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  const Sentence all = Compute(fx, words);  // keys and flags do not depend on the sentence
  FeatureExtractor::LineKinds(words.data(), all.info.data(), words.size(), ends, 5, kinds);
  EXPECT_EQ(kinds[0], kNerTableLine | kNerSportsReport);
  EXPECT_EQ(kinds[1], kNerTableLine | kNerSportsReport);
  EXPECT_EQ(kinds[2], kNerTableLine | kNerSportsReport);
  EXPECT_EQ(kinds[3], kNerSportsReport);  // "coach", and "beat" (weak) with results lines
  EXPECT_EQ(kinds[4], kNerTableLine | kNerSportsReport);

  // Business prose with numbers: neither kind ("2.5" and "1996" are numbers, but the sentence has
  // lower-case words and no score).
  std::vector<std::string_view> business = {"Ostbank", "said", "profit", "rose",    "2.5",
                                            "percent", "in",   "1996",   ",",       "and",
                                            "shares",  "fell", "1",      "percent", "."};
  const uint32_t one_end[] = {static_cast<uint32_t>(business.size())};
  uint8_t kind = 9;
  const Sentence biz = Compute(fx, business);
  FeatureExtractor::LineKinds(business.data(), biz.info.data(), business.size(), one_end, 1, &kind);
  EXPECT_EQ(kind, 0);
  // Sentence ends past the words or out of order: clipped, no reads outside words.
  const uint32_t bad_ends[] = {40, 3};
  uint8_t bad[2];
  FeatureExtractor::LineKinds(business.data(), biz.info.data(), business.size(), bad_ends, 2, bad);
  EXPECT_EQ(bad[0], 0);
  EXPECT_EQ(bad[1], 0);
  FeatureExtractor::LineKinds(nullptr, nullptr, 0, nullptr, 0, nullptr);  // an empty document
}

// The sports report needs two distinct cue words; the weak ones ("motor", "beat", "goal", "round")
// count only in a document with a results/table line. Text written for this test.
TEST(FeatureExtractorTest, SportsReportNeedsDistinctStrongCuesOrAScore) {
  const FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  auto kinds_of = [&](std::vector<std::string_view> words, std::vector<uint32_t> ends) {
    const Sentence s = Compute(fx, words);
    std::vector<uint8_t> kinds(ends.size(), 9);
    FeatureExtractor::LineKinds(words.data(), s.info.data(), words.size(), ends.data(), ends.size(),
                                kinds.data());
    return kinds;
  };
  // Business news full of weak cues, one of them twice: not a sports report.
  const auto business = kinds_of(
      {"Ford", "Motor", "beat",   "forecasts", "and",    "said",    "its", "goal",   "for",
       "the",  "next",  "round",  "of",        "talks",  "was",     "a",   "draw",   "with",
       "the",  "union", ",",      "as",        "shares", "beat",    "the", "market", ".",
       "Ford", "Motor", "shares", "rose",      "3",      "percent", "."},
      {27, 34});
  EXPECT_EQ(business, (std::vector<uint8_t>{0, 0}));
  // One strong cue repeated is one word: not a sports report.
  const auto repeated =
      kinds_of({"The", "league", "said", "the", "league", "would", "vote", "."}, {8});
  EXPECT_EQ(repeated, (std::vector<uint8_t>{0}));
  // A written sports report with no score: two distinct strong cues.
  const auto report = kinds_of({"The", "striker", "scored", "twice", "as", "Tesin", "won", "the",
                                "league", ".", "Its", "coach", "was", "pleased", "."},
                               {10, 15});
  EXPECT_EQ(report, (std::vector<uint8_t>{kNerSportsReport, kNerSportsReport}));
  // Weak cues count once a line is a results line (here a score).
  const auto scored =
      kinds_of({"Tesin", "beat", "Ostbank", "2-1", "with", "a", "late", "goal", "."}, {9});
  EXPECT_EQ(scored, (std::vector<uint8_t>{kNerTableLine | kNerSportsReport}));
  // The cue lists: lower case, strong and weak disjoint.
  const auto strong = FeatureExtractor::SportsCueWords(false);
  const auto weak = FeatureExtractor::SportsCueWords(true);
  EXPECT_NE(std::find(strong.begin(), strong.end(), "league"), strong.end());
  EXPECT_NE(std::find(weak.begin(), weak.end(), "motor"), weak.end());
  for (std::string_view w : weak) {
    EXPECT_EQ(std::find(strong.begin(), strong.end(), w), strong.end()) << w;
  }
}

// Kind features: only capitalised tokens in a line of some kind; the kind alone, with each
// gazetteer bit, with the cluster and with the lower-cased word.
TEST(FeatureExtractorTest, KindFeaturesConjoinTheKindWithGazetteerAndWord) {
  auto gaz = Gazetteer::Parse("tesin\tloc.city\n");
  ASSERT_TRUE(gaz.ok());
  NerFeatureOptions options;
  options.kinds = true;
  FeatureExtractor fx(nullptr, &*gaz, options);
  Sentence s = Compute(fx, {"Tesin", "3", "Ostbank", "1"});
  uint64_t out[FeatureExtractor::kMaxKindFeatures];
  const int kind = kNerTableLine | kNerSportsReport;
  int n = fx.KindFeatures(s.info[0], kind, out);
  std::vector<uint64_t> v(out, out + n);
  ASSERT_EQ(n, 3);  // kind, kind x gazetteer (loc.city, U), kind x word; no clusters here
  EXPECT_TRUE(Has(v, Feat(kTplKind, kind)));
  EXPECT_TRUE(Has(v, Feat(kTplKindGaz, kind * 64 + 0 * 4 + kGazU)));
  EXPECT_TRUE(Has(v, Feat(kTplKindLower, Combine(kind, HashLower("tesin")))));
  n = fx.KindFeatures(s.info[2], kNerTableLine, out);
  v.assign(out, out + n);
  ASSERT_EQ(n, 2);  // not in the gazetteer
  EXPECT_TRUE(Has(v, Feat(kTplKind, kNerTableLine)));
  EXPECT_EQ(fx.KindFeatures(s.info[0], 0, out), 0);     // prose line
  EXPECT_EQ(fx.KindFeatures(s.info[1], kind, out), 0);  // a number
}

// The marks of SettledTokens as a string, one character a token: 'S' settled, '.' not.
std::string SettledMarks(const Sentence& s, int before, int after) {
  std::vector<uint8_t> out(s.words.size(), 7);
  FeatureExtractor::SettledTokens(s.info.data(), s.words.size(), before, after, out.data());
  std::string marks;
  for (uint8_t m : out) marks += m == 1 ? 'S' : m == 0 ? '.' : '?';
  return marks;
}

TEST(FeatureExtractorTest, SettledTokensAreRunsOfPlainTokens) {
  Gazetteer g;
  g.Add("minister", 1u << 3);
  NerFeatureOptions opt;
  opt.clusters = false;
  FeatureExtractor fx(nullptr, &g, opt);
  // Not plain: a capital anywhere ("Okafor", "eBay"), a gazetteer match ("minister"), a
  // non-ASCII byte ("caf\xC3\xA9"), a quote mark ('"', "''"); plain: lower case, digits,
  // punctuation.
  Sentence s =
      Compute(fx, {"shares", "rose", "3",    "percent", ",",      "the",         "minister", "said",
                   "on",     "eBay", "and",  "in",      "the",    "caf\xC3\xA9", "as",       "\"",
                   "rates",  "''",   "fell", "after",   "Okafor", "left",        "."});
  //                         sh ro 3  pe ,  th mi sa on eB an in th ca as "  ra '' fe af Ok le .
  EXPECT_EQ(SettledMarks(s, 0, 0), "SSSSSS.SS.SSS.S.S.SS.SS");
  EXPECT_EQ(SettledMarks(s, 0, 1), "SSSSS..S..SS......S..SS");
  EXPECT_EQ(SettledMarks(s, 1, 1), "SSSSS......S..........S");
  EXPECT_EQ(SettledMarks(s, -1, 1), std::string(23, '.'));
  EXPECT_EQ(SettledMarks(s, 0, -1), std::string(23, '.'));
  // The sentence's ends count as plain: the last token needs no token after it.
  Sentence t = Compute(fx, {"rates", "fell"});
  EXPECT_EQ(SettledMarks(t, 2, 2), "SS");
  Sentence u = Compute(fx, {"Okafor"});
  EXPECT_EQ(SettledMarks(u, 0, 0), ".");
}

// Every pattern of plain and other tokens in sentences of up to 10 tokens, every window up to
// 3:3 (0:1, the default, has a one-pass path of its own): the marks are the definition's.
TEST(FeatureExtractorTest, SettledTokensFollowTheDefinitionOnEveryPattern) {
  for (size_t n = 0; n <= 10; ++n) {
    std::vector<TokenInfo> info(n);
    std::vector<uint8_t> out(n);
    for (uint32_t bits = 0; bits < (1u << n); ++bits) {
      for (size_t i = 0; i < n; ++i) {
        info[i].flags = ((bits >> i) & 1) ? static_cast<uint16_t>(kNerPlain | kNerHasDigit)
                                          : static_cast<uint16_t>(kNerCap);
      }
      for (int before = 0; before <= 3; ++before) {
        for (int after = 0; after <= 3; ++after) {
          std::fill(out.begin(), out.end(), 7);
          FeatureExtractor::SettledTokens(info.data(), n, before, after, out.data());
          for (size_t i = 0; i < n; ++i) {
            bool want = true;
            for (size_t j = i >= static_cast<size_t>(before) ? i - before : 0;
                 j <= i + after && j < n; ++j) {
              want = want && ((bits >> j) & 1) != 0;
            }
            ASSERT_EQ(out[i], want ? 1 : 0) << "n " << n << " pattern " << bits << " window "
                                            << before << ":" << after << " token " << i;
          }
        }
      }
    }
  }
}

// The reference FNV-1a 64 of the model format, written out byte by byte.
uint64_t ReferenceFnv(std::string_view s, bool lower) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    if (lower && c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    h = (h ^ c) * 0x100000001b3ULL;
  }
  return h;
}

// ComputeTokenKeys's word and lower hashes and flags equal the definitions on words of every
// length 0-40: lower-case, capitalised, a capital further on, all capitals, digits, quote marks
// and bytes >= 0x80, alone and in sentences of mixed and all-capital words.
TEST(FeatureExtractorTest, TokenKeysEqualTheReferenceHashesAndFlags) {
  FeatureExtractor fx(nullptr, nullptr, NerFeatureOptions{});
  const std::string fillers[] = {"abcdefghij", "ABCDEFGHIJ", "a1b2c3'd4e",
                                 "\xc3\xa9t\xc3\xa9x\xff\x80Q", "zZ-`\"9.,x"};
  std::vector<std::string> words;
  for (size_t len = 0; len <= 40; ++len) {
    for (size_t f = 0; f < std::size(fillers); ++f) {
      std::string w;
      for (size_t k = 0; k < len; ++k) w.push_back(fillers[f][(k * 7 + f) % fillers[f].size()]);
      words.push_back(w);
      if (len > 0) {
        std::string cap = w, late = w;
        cap[0] = 'K';
        late[len - 1] = 'M';  // a capital at the end only
        words.push_back(cap);
        words.push_back(late);
      }
    }
  }
  for (const std::string& w : {"\x80", "\xff\xfe", "\"", "'`", "QUOTE", "lower"})
    words.push_back(w);
  auto check = [&](const std::vector<std::string_view>& sentence) {
    Sentence s = Compute(fx, sentence);
    bool any_lower = false, any_upper = false;
    for (std::string_view w : sentence) {
      for (unsigned char c : w) {
        any_lower |= c >= 'a' && c <= 'z';
        any_upper |= c >= 'A' && c <= 'Z';
      }
    }
    for (size_t i = 0; i < sentence.size(); ++i) {
      const std::string_view w = sentence[i];
      SCOPED_TRACE(testing::Message() << "word " << i << " of length " << w.size());
      EXPECT_EQ(s.info[i].word, ReferenceFnv(w, false));
      EXPECT_EQ(s.info[i].lower, ReferenceFnv(w, true));
      EXPECT_EQ(s.info[i].word, HashBytes(w));
      EXPECT_EQ(s.info[i].lower, HashLower(w));
      bool upper = false, lower = false, digit = false, high = false, only_quotes = !w.empty();
      for (unsigned char c : w) {
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        digit |= c >= '0' && c <= '9';
        high |= c >= 0x80;
        only_quotes &= c == '"' || c == '\'' || c == '`';
      }
      const uint16_t f = s.info[i].flags;
      EXPECT_EQ((f & kNerCap) != 0, !w.empty() && w[0] >= 'A' && w[0] <= 'Z');
      EXPECT_EQ((f & kNerAllCaps) != 0, upper && !lower);
      EXPECT_EQ((f & kNerHasUpper) != 0, upper);
      EXPECT_EQ((f & kNerHasDigit) != 0, digit);
      EXPECT_EQ((f & kNerNonAscii) != 0, high);
      EXPECT_EQ((f & kNerPlain) != 0, !w.empty() && !upper && !high && !only_quotes);
      EXPECT_EQ((f & kNerSentStart) != 0, i == 0);
      EXPECT_EQ((f & kNerHeadline) != 0, any_upper && !any_lower);
    }
  };
  for (const std::string& w : words) check({w});
  std::vector<std::string_view> all(words.begin(), words.end());
  check(all);
  std::vector<std::string_view> capitals;
  for (std::string_view w : all) {
    bool lower = false;
    for (unsigned char c : w) lower |= c >= 'a' && c <= 'z';
    if (!lower) capitals.push_back(w);
  }
  check(capitals);  // a headline: some words with capitals, none with lower-case letters
  check({});
}

}  // namespace
}  // namespace ner
}  // namespace newsparse
