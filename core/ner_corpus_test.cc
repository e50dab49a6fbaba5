// Tests of the NER corpus readers, the simple tokenizer and word-cluster induction.
#include "core/ner_corpus.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/clusters.h"
#include "core/ner_hash.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace ner {
namespace {

std::vector<std::string> Tok(std::string_view text) {
  std::vector<std::string_view> v;
  SimpleTokenize(text, &v);
  return std::vector<std::string>(v.begin(), v.end());
}

TEST(JsonStringFieldTest, DecodesEscapesAndSurrogatePairs) {
  std::string out;
  auto r = JsonStringField(
      R"({"id": 7, "meta": {"text": "no"}, "list": [1, "x\"]"], "text": "a\"b\\c\n\u00e9\ud83d\ude00/"})",
      "text", &out);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(*r);
  EXPECT_EQ(out, "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80/");
}

TEST(JsonStringFieldTest, LoneSurrogateBecomesReplacementChar) {
  std::string out;
  auto r = JsonStringField(R"({"text": "x\ud800y\udc00z"})", "text", &out);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(out, "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
}

TEST(JsonStringFieldTest, MissingFieldAndMalformedLines) {
  std::string out;
  auto r = JsonStringField(R"({"title": "t"})", "text", &out);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_FALSE(JsonStringField(R"({"text": "unterminated)", "text", &out).ok());
  EXPECT_FALSE(JsonStringField("[1, 2]", "text", &out).ok());
  EXPECT_FALSE(JsonStringField(R"({"a" 1})", "text", &out).ok());
  EXPECT_FALSE(JsonStringField(R"({"text": "bad \q escape"})", "text", &out).ok());
}

TEST(SimpleTokenizeTest, SplitsLikeConll) {
  EXPECT_EQ(Tok("Acme Corp. said (on Tuesday) it won't sell Smith's U.S. unit."),
            (std::vector<std::string>{"Acme", "Corp.", "said", "(", "on", "Tuesday", ")", "it",
                                      "wo", "n't", "sell", "Smith", "'s", "U.S.", "unit", "."}));
  EXPECT_EQ(Tok("\"Yes,\" she said -- 1,200 shares."),
            (std::vector<std::string>{"\"", "Yes", ",", "\"", "she", "said", "--", "1,200",
                                      "shares", "."}));
  EXPECT_EQ(Tok("  "), std::vector<std::string>{});
}

TEST(SimpleTokenizeTest, InvalidUtf8AndLongInputAreSafe) {
  std::string bad = "caf\xC3 \xFF\xFE word";
  EXPECT_EQ(Tok(bad).size(), 3u);
  std::string big;
  for (int i = 0; i < 100000; ++i) big += "Word, ";
  EXPECT_EQ(Tok(big).size(), 200000u);
}

TEST(ForEachJsonLineTextTest, ReadsPlainAndGzipFiles) {
  const std::string path = ::testing::TempDir() + "/ner_corpus_test.jsonl";
  {
    std::ofstream f(path);
    f << R"({"id": 1, "text": "first line"})"
      << "\n\n"
      << R"({"id": 2})"
      << "\n"
      << R"({"text": "second"})"
      << "\n";
  }
  std::vector<std::string> got;
  ASSERT_TRUE(ForEachJsonLineText(path, "text", 0, [&](std::string_view t) {
                got.emplace_back(t);
                return true;
              }).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"first line", "second"}));
  EXPECT_FALSE(ForEachJsonLineText(path + ".missing", "text", 0, [](std::string_view) {
                 return true;
               }).ok());
}

TEST(ExchangeClustersTest, SeparatesWordsWithDifferentContexts) {
  // Two word families: {0,1,2} always follow 6, {3,4,5} always follow 7.
  std::vector<uint32_t> ids;
  for (int r = 0; r < 200; ++r) {
    ids.push_back(6);
    ids.push_back(r % 3);
    ids.push_back(7);
    ids.push_back(3 + r % 3);
  }
  double obj = 0;
  std::vector<uint16_t> cls = ExchangeClusters(ids, 8, 4, 10, &obj);
  ASSERT_EQ(cls.size(), 8u);
  EXPECT_EQ(cls[0], cls[1]);
  EXPECT_EQ(cls[1], cls[2]);
  EXPECT_EQ(cls[3], cls[4]);
  EXPECT_EQ(cls[4], cls[5]);
  EXPECT_NE(cls[0], cls[3]);
}

TEST(ClusterTableTest, ParsesAndFallsBackToLowerCase) {
  auto t =
      ClusterTable::Parse("# comment\nParis\t3\t17\t250\t9\nparis\t1\t2\t3\t4\nthe\t0\t0\t0\t16\n");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->levels(), 3);
  const ClusterEntry* e = t->FindExact(HashBytes("Paris"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->cls[1], 17);
  EXPECT_EQ(e->log2_count, 9);
  EXPECT_EQ(t->FindExact(HashCapitalized("PARIS")), e);
  EXPECT_EQ(t->FindExact(HashLower("PARIS"))->cls[2], 3);
  EXPECT_EQ(t->FindExact(HashBytes("Lyon")), nullptr);
  EXPECT_FALSE(ClusterTable::Parse("word\tx\t1\n").ok());
  EXPECT_FALSE(ClusterTable::Parse("a\t1\t2\nb\t1\t2\t3\n").ok());
}

TEST(ClusterTableTest, BinaryImageRoundTrip) {
  auto t = ClusterTable::Parse("Paris\t3\t17\t250\t9\nthe\t0\t1\t2\t16\n");
  ASSERT_TRUE(t.ok());
  std::string blob = t->ToBlob();
  auto back = ClusterTable::FromBlob(blob);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_NE(back->FindExact(HashBytes("Paris")), nullptr);
  EXPECT_EQ(back->FindExact(HashBytes("Paris"))->cls[2], 250);
  EXPECT_EQ(back->levels(), 3);
  EXPECT_FALSE(ClusterTable::FromBlob(blob.substr(0, blob.size() - 1)).ok());
  EXPECT_FALSE(ClusterTable::FromBlob("").ok());
}

// A line with more fields than the table's levels allow is an error, not silently cut.
TEST(ClusterTableTest, TooManyLevelsIsAnError) {
  EXPECT_TRUE(ClusterTable::Parse("a\t1\t2\t3\t4\n").ok());
  EXPECT_FALSE(ClusterTable::Parse("a\t1\t2\t3\t4\t5\n").ok());
  EXPECT_FALSE(ClusterTable::Parse("a\t1\t2\t3\t4\t5\t6\t7\n").ok());
}

}  // namespace
}  // namespace ner
}  // namespace newsparse
