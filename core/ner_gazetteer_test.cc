// Tests of the tagger's gazetteer: Match against a string-comparing reference on written phrases,
// the first-word filter, the image round trip, and the hash inverse the filter is built with.
#include "core/ner_gazetteer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ner_hash.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace ner {
namespace {

struct Phrase {
  std::vector<std::string> tokens;
  uint32_t categories;
};

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t sp = s.find(' ', b);
    if (sp == std::string_view::npos) sp = s.size();
    if (sp > b) out.emplace_back(s.substr(b, sp - b));
    b = sp + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(AsciiLower(static_cast<unsigned char>(c)));
  return out;
}

// The masks by direct comparison of lower-cased token strings with every phrase.
std::vector<uint64_t> ReferenceMasks(const std::vector<Phrase>& phrases,
                                     const std::vector<std::string>& words) {
  std::vector<uint64_t> masks(words.size(), 0);
  for (const Phrase& p : phrases) {
    const size_t len = p.tokens.size();
    if (len == 0 || len > kMaxGazetteerPhrase) continue;
    for (size_t i = 0; i + len <= words.size(); ++i) {
      bool same = true;
      for (size_t k = 0; k < len && same; ++k) same = Lower(words[i + k]) == Lower(p.tokens[k]);
      if (!same) continue;
      for (int c = 0; c < kNumGazetteerCategories; ++c) {
        if (((p.categories >> c) & 1) == 0) continue;
        if (len == 1) {
          masks[i] |= GazBit(c, kGazU);
          continue;
        }
        masks[i] |= GazBit(c, kGazB);
        for (size_t k = 1; k + 1 < len; ++k) masks[i + k] |= GazBit(c, kGazI);
        masks[i + len - 1] |= GazBit(c, kGazL);
      }
    }
  }
  return masks;
}

std::vector<uint64_t> Masks(const Gazetteer& g, const std::vector<std::string>& words) {
  std::vector<uint64_t> hashes;
  for (const std::string& w : words) hashes.push_back(HashLower(w));
  std::vector<uint64_t> masks(words.size(), 0);
  g.Match(hashes.data(), hashes.size(), masks.data());
  return masks;
}

const std::vector<Phrase>& WrittenPhrases() {
  static const auto* phrases = new std::vector<Phrase>{
      {Split("Port Ellery"), 1u << 0},
      {Split("Port Ellery Harbour Authority"), 1u << 7},
      {Split("Ellery"), (1u << 5) | (1u << 9)},
      {Split("the Marrow Valley"), 1u << 2},
      {Split("Marrow"), 1u << 12},
      {Split("Corvanian"), 1u << 3},
      {Split("Inc."), 1u << 6},
      {Split("deputy minister"), 1u << 4},
      {Split("minister"), 1u << 4},
      {Split("last Tuesday"), 1u << 8},
      {Split("a b c d e f"), (1u << 10) | (1u << 11)},
      {Split("a b c d e f g"), 1u << 1},  // 7 tokens: longer than any phrase, never added
      {Split("Zürich-Nord"), 1u << 0},    // non-ASCII bytes keep their case
      {Split("ALL CAPS HOLDINGS"), (1u << kNumGazetteerCategories) - 1},
  };
  return *phrases;
}

Gazetteer BuildWritten() {
  Gazetteer g;
  for (const Phrase& p : WrittenPhrases()) {
    std::string joined;
    for (const std::string& t : p.tokens) joined += (joined.empty() ? "" : " ") + t;
    g.Add(joined, p.categories);
  }
  return g;
}

TEST(GazetteerTest, MatchEqualsStringComparisonOnWrittenSentences) {
  const Gazetteer g = BuildWritten();
  const std::vector<std::string> sentences[] = {
      Split("The PORT ELLERY harbour authority said port Ellery Harbour Authority and Ellery"),
      Split("In the Marrow Valley a Corvanian deputy minister met the minister last tuesday"),
      Split("a b c d e f g a b c d e a b c d e f"),
      Split("zürich-nord Zürich-Nord ZüRICH-NORD all caps holdings Inc. inc."),
      Split("Ellery Port Ellery Port Ellery Harbour"),
      Split("nothing here matches at all , really ."),
      {},
  };
  for (const auto& words : sentences) {
    SCOPED_TRACE(words.empty() ? std::string("(empty)") : words[0]);
    EXPECT_EQ(Masks(g, words), ReferenceMasks(WrittenPhrases(), words));
  }
  // A few masks spelled out, so the reference itself is pinned.
  const auto m = Masks(g, Split("met Port Ellery Harbour Authority"));
  EXPECT_EQ(m[0], 0u);
  EXPECT_EQ(m[1], GazBit(0, kGazB) | GazBit(7, kGazB));
  EXPECT_EQ(m[2], GazBit(0, kGazL) | GazBit(7, kGazI) | GazBit(5, kGazU) | GazBit(9, kGazU));
  EXPECT_EQ(m[4], GazBit(7, kGazL));
}

TEST(GazetteerTest, MatchEqualsStringComparisonOnRandomSentences) {
  const Gazetteer g = BuildWritten();
  std::vector<std::string> vocabulary = {
      "port",      "Ellery",      "HARBOUR", "authority", "the",      "marrow",  "Valley",
      "corvanian", "inc.",        "deputy",  "Minister",  "last",     "tuesday", "a",
      "b",         "c",           "d",       "e",         "f",        "g",       "said",
      ",",         "Zürich-Nord", "all",     "caps",      "holdings", "of"};
  uint64_t state = 12345;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> words;
    const int n = round % 40;
    for (int i = 0; i < n; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      words.push_back(vocabulary[(state >> 33) % vocabulary.size()]);
    }
    ASSERT_EQ(Masks(g, words), ReferenceMasks(WrittenPhrases(), words)) << "round " << round;
  }
}

TEST(GazetteerTest, ImageRoundTripMatchesTheSame) {
  const Gazetteer g = BuildWritten();
  auto back = Gazetteer::FromBlob(g.ToBlob());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->size(), g.size());
  const auto words =
      Split("the Marrow Valley and Port Ellery Harbour Authority a b c d e f ALL caps Holdings");
  EXPECT_EQ(Masks(*back, words), ReferenceMasks(WrittenPhrases(), words));
  for (const Phrase& p : WrittenPhrases()) {
    EXPECT_TRUE(back->MayStartPhrase(HashLower(p.tokens[0]))) << p.tokens[0];
  }
}

TEST(GazetteerTest, ParsedFileFiltersFirstWords) {
  std::string file = "# written test lists\n";
  for (int i = 0; i < 2000; ++i) {
    file += "Firstword" + std::to_string(i) + " second" + std::to_string(i) + "\tloc.city\n";
  }
  auto g = Gazetteer::Parse(file);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->size(), 2000u);
  for (int i = 0; i < 2000; ++i) {
    EXPECT_TRUE(g->MayStartPhrase(HashLower("firstword" + std::to_string(i))));
  }
  // The filter rejects most other words (about 16 bits per table key: a few percent pass).
  int passed = 0;
  for (int i = 0; i < 2000; ++i) {
    passed += g->MayStartPhrase(HashLower("otherword" + std::to_string(i))) ? 1 : 0;
  }
  EXPECT_LT(passed, 200);
  // Second words alone start nothing; the pair matches.
  const auto m = Masks(*g, Split("second7 Firstword7 SECOND7"));
  EXPECT_EQ(m[0], 0u);
  EXPECT_EQ(m[1], GazBit(0, kGazB));
  EXPECT_EQ(m[2], GazBit(0, kGazL));
}

TEST(GazetteerTest, EmptyGazetteerMatchesNothing) {
  const Gazetteer g;
  const auto words = Split("Port Ellery the a");
  EXPECT_EQ(Masks(g, words), std::vector<uint64_t>(words.size(), 0));
}

TEST(NerHashTest, Mix64InverseAndUncombine) {
  uint64_t x = 1;
  for (int i = 0; i < 1000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    EXPECT_EQ(Mix64Inverse(Mix64(x)), x);
    EXPECT_EQ(Mix64(Mix64Inverse(x)), x);
    EXPECT_EQ(UncombineValue(PhraseHashStart(), Combine(PhraseHashStart(), x)), x);
    EXPECT_EQ(UncombineValue(x, Combine(x, ~x)), ~x);
  }
  EXPECT_EQ(Mix64Inverse(Mix64(0)), 0u);
  EXPECT_EQ(Mix64Inverse(Mix64(~uint64_t{0})), ~uint64_t{0});
}

}  // namespace
}  // namespace ner
}  // namespace newsparse
