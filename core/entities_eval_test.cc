#include "core/entities_eval.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/json_value.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ::testing::HasSubstr;

// "Anna Berger met Tom Reed. Berger said Reed agreed." with gold clusters
// {Anna Berger, Berger} and {Tom Reed, Reed}.
constexpr char kText[] = "Anna Berger met Tom Reed. Berger said Reed agreed on Friday.";
constexpr Span kAnna{0, 11}, kTom{16, 24}, kBerger{26, 32}, kReed{38, 42};
constexpr Span kFriday{53, 59};

GoldDoc Gold() {
  absl::StatusOr<GoldDoc> doc = ParseGoldRecord(
      R"({"id": "t1", "date": "2024-03-14", "text": "Anna Berger met Tom Reed. Berger said Reed agreed on Friday.",)"
      R"( "entities": [{"name": "Anna Berger", "type": "PER", "mentions": ["Anna Berger", "Berger"],)"
      R"( "titles": ["Chief Executive"]},)"
      R"( {"name": "Tom Reed", "type": "PER", "mentions": ["Tom Reed", "Reed"], "aliases": ["TR"]}],)"
      R"( "dates": [{"text": "Friday", "value": "2024-03-08"}]})");
  EXPECT_TRUE(doc.ok()) << doc.status();
  return *doc;
}

Entity Make(std::vector<Span> mentions, EntityType type = EntityType::kPerson) {
  Entity e;
  e.type = type;
  e.name = "e";
  e.mentions = std::move(mentions);
  return e;
}

TEST(EntitiesEvalTest, GoldRecordLocatesMentionsAndDates) {
  const GoldDoc g = Gold();
  ASSERT_EQ(g.entities.size(), 2u);
  EXPECT_EQ(g.entities[0].mentions, (std::vector<Span>{kAnna, kBerger}));
  EXPECT_EQ(g.entities[1].mentions, (std::vector<Span>{kTom, kReed}));
  ASSERT_EQ(g.dates.size(), 1u);
  EXPECT_EQ(g.dates[0].span, kFriday);
  EXPECT_EQ(std::string(Slice(kText, kFriday)), "Friday");
}

TEST(EntitiesEvalTest, PerfectClusteringScoresOne) {
  Article a;
  a.entities = {Make({kAnna, kBerger}), Make({kTom, kReed})};
  a.entities[0].titles = {"chief  executive"};
  a.entities[1].aliases = {"TR"};
  a.dates = {{kFriday, "2024-03-08"}};
  EntityScorer s;
  s.Add(Gold(), a);
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.b_cubed.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.mentions.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.type_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.alias_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.title_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(r.title_precision, 1.0);
  EXPECT_DOUBLE_EQ(r.date_accuracy, 1.0);
  EXPECT_TRUE(r.disagreements.empty());
}

TEST(EntitiesEvalTest, EverythingMerged) {
  Article a;
  a.entities = {Make({kAnna, kTom, kBerger, kReed})};
  EntityScorer s;
  s.Add(Gold(), a);
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.b_cubed.precision, 0.5);  // each mention: 2 of its 4 cluster mates
  EXPECT_DOUBLE_EQ(r.b_cubed.recall, 1.0);
  EXPECT_DOUBLE_EQ(r.mentions.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.alias_accuracy, 0.0);
  EXPECT_THAT(r.disagreements[0], HasSubstr("[t1]"));
}

TEST(EntitiesEvalTest, EverythingSplit) {
  Article a;
  a.entities = {Make({kAnna}), Make({kTom}), Make({kBerger}), Make({kReed})};
  EntityScorer s;
  s.Add(Gold(), a);
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.b_cubed.precision, 1.0);
  EXPECT_DOUBLE_EQ(r.b_cubed.recall, 0.5);
  EXPECT_NEAR(r.b_cubed.f1, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.b_cubed_union.f1, 2.0 / 3.0, 1e-12);
}

TEST(EntitiesEvalTest, EmptyPredictionScoresZero) {
  EntityScorer s;
  s.Add(Gold(), Article());
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.b_cubed.f1, 0.0);
  EXPECT_DOUBLE_EQ(r.mentions.f1, 0.0);
  EXPECT_DOUBLE_EQ(r.b_cubed_union.precision, 1.0);  // the union variant's known weakness
}

TEST(EntitiesEvalTest, MissingAndSpuriousMentions) {
  // "Reed" missed, "Friday" predicted as a PER mention of its own.
  Article a;
  a.entities = {Make({kAnna, kBerger}), Make({kTom}), Make({kFriday})};
  EntityScorer s;
  s.Add(Gold(), a);
  const EntityEvalResult r = s.Result();
  // Strict: predicted Anna, Berger, Tom score precision 1, Friday 0; gold Anna, Berger recall 1,
  // Tom 1/2, Reed 0.
  EXPECT_DOUBLE_EQ(r.b_cubed.precision, 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(r.b_cubed.recall, 2.5 / 4.0);
  // Union of 5 mentions: Anna, Berger 1/1; Tom P 1 R 1/2; Reed (gold only) P 1 R 1/2;
  // Friday (predicted only) P 1 R 1.
  EXPECT_DOUBLE_EQ(r.b_cubed_union.precision, 1.0);
  EXPECT_DOUBLE_EQ(r.b_cubed_union.recall, 4.0 / 5.0);
  EXPECT_DOUBLE_EQ(r.mentions.precision, 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(r.mentions.recall, 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(r.date_detection.recall, 0.0);
  EXPECT_DOUBLE_EQ(r.date_accuracy, 0.0);
}

TEST(EntitiesEvalTest, DateValueMismatchAndTypeError) {
  Article a;
  a.entities = {Make({kAnna, kBerger}, EntityType::kOrganization), Make({kTom, kReed})};
  a.dates = {{{50, 59}, "2024-03-15"}};  // "on Friday", wrong value: overlaps the gold span
  EntityScorer s;
  s.Add(Gold(), a);
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.type_accuracy, 0.5);
  EXPECT_DOUBLE_EQ(r.date_detection.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.date_accuracy, 0.0);
  EXPECT_THAT(EntityEvalJson(r), HasSubstr("\"date_accuracy\":0.0000"));
  EXPECT_THAT(EntityEvalReport(r), HasSubstr("2024-03-15, gold 2024-03-08"));
}

TEST(EntitiesEvalTest, OracleMentionsRunConsolidationAndDates) {
  GoldDoc g = Gold();
  Tokens tokens;
  Article a;
  ParseWithOracleMentions(g, &tokens, &a);
  EntityScorer s;
  s.Add(g, a);
  const EntityEvalResult r = s.Result();
  EXPECT_DOUBLE_EQ(r.b_cubed.f1, 1.0);
  EXPECT_DOUBLE_EQ(r.date_accuracy, 1.0);
}

TEST(EntitiesEvalTest, BadRecordsAreRefused) {
  EXPECT_FALSE(ParseGoldRecord("{").ok());
  EXPECT_FALSE(
      ParseGoldRecord(R"({"id": "x", "date": "2024-13-01", "text": "", "entities": []})").ok());
  // A surface that is not in the text, and one that is out of order.
  EXPECT_FALSE(
      ParseGoldRecord(R"({"id": "x", "date": "2024-01-01", "text": "Ann met Bo.",)"
                      R"( "entities": [{"name": "C", "type": "PER", "mentions": ["Cy"]}]})")
          .ok());
  EXPECT_FALSE(
      ParseGoldRecord(R"({"id": "x", "date": "2024-01-01", "text": "Ann met Bo.",)"
                      R"( "entities": [{"name": "A", "type": "PER", "mentions": ["Bo", "Ann"]}]})")
          .ok());
  // A surface inside a word is not a mention.
  EXPECT_FALSE(
      ParseGoldRecord(R"({"id": "x", "date": "2024-01-01", "text": "Annex",)"
                      R"( "entities": [{"name": "A", "type": "PER", "mentions": ["Ann"]}]})")
          .ok());
  // Two entities whose next mention is the same occurrence, unless offsets pin it.
  const absl::StatusOr<GoldDoc> ok = ParseGoldRecord(
      R"({"id": "x", "date": "2024-01-01",)"
      R"( "text": "Al Li and Bo Li met. Li spoke.", "entities": [)"
      R"({"name": "Al Li", "type": "PER", "mentions": ["Al Li", "Li"]},)"
      R"({"name": "Bo Li", "type": "PER", "mentions": ["Bo Li", "Li"], "offsets": [10, 21]}]})");
  EXPECT_FALSE(ok.ok());  // Al Li's "Li" has nowhere left to go
  const absl::StatusOr<GoldDoc> amb_doc =
      ParseGoldRecord(R"({"id": "x", "date": "2024-01-01",)"
                      R"( "text": "Al Li and Bo Li met. Li spoke. Li left.", "entities": [)"
                      R"({"name": "Al Li", "type": "PER", "mentions": ["Al Li", "Li"]},)"
                      R"({"name": "Bo Li", "type": "PER", "mentions": ["Bo Li", "Li"]}]})");
  EXPECT_FALSE(amb_doc.ok());
  EXPECT_THAT(std::string(amb_doc.status().message()), HasSubstr("offsets"));
  const absl::StatusOr<GoldDoc> pinned = ParseGoldRecord(
      R"({"id": "x", "date": "2024-01-01",)"
      R"( "text": "Al Li and Bo Li met. Li spoke. Li left.", "entities": [)"
      R"({"name": "Al Li", "type": "PER", "mentions": ["Al Li", "Li"], "offsets": [0, 31]},)"
      R"({"name": "Bo Li", "type": "PER", "mentions": ["Bo Li", "Li"]}]})");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  // Offsets are whole byte offsets: a huge, fractional or negative number is an error (the
  // fuzzer reached the conversion of 1e117 to an integer, which is undefined).
  for (const char* bad : {"1e117", "2.5", "-1", "4294967296"}) {
    const absl::StatusOr<GoldDoc> doc = ParseGoldRecord(absl::StrCat(
        R"({"id": "x", "date": "2024-01-01", "text": "Al Li spoke.", "entities": [)",
        R"({"name": "Al Li", "type": "PER", "mentions": ["Al Li"], "offsets": [)", bad, "]}]}"));
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(doc.status().message()), HasSubstr("byte offsets")) << bad;
  }
  EXPECT_EQ(pinned->entities[0].mentions[1], (Span{31, 33}));
  EXPECT_EQ(pinned->entities[1].mentions[1], (Span{21, 23}));
}

TEST(JsonValueTest, ParsesNestedValuesAndRejectsBadInput) {
  absl::StatusOr<JsonValue> v =
      ParseJson(R"( {"a": [1, -2.5e1, "x\u00e9\ud83d\ude00", true, null, {}], "b": false} )");
  ASSERT_TRUE(v.ok()) << v.status();
  const JsonValue* a = v->Find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->array().size(), 6u);
  EXPECT_DOUBLE_EQ(a->array()[1].number(), -25.0);
  EXPECT_EQ(a->array()[2].str(), "x\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(a->array()[3].boolean());
  EXPECT_TRUE(a->array()[4].is_null());
  EXPECT_FALSE(v->Find("b")->boolean());
  for (const char* bad : {"", "[1,]", "{\"a\":1,\"a\":2}", "\"\\ud800\"", "01", "[1] 2", "\"\xC3\"",
                          "{\"a\" 1}", "tru"}) {
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;
  }
}

// The shipped gold set parses, and every mention and date surface is found, in order.
TEST(EntitiesEvalTest, ShippedGoldSetParses) {
  const std::string path = std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/eval/entities_gold.jsonl";
  absl::StatusOr<std::vector<GoldDoc>> docs = LoadEntityGold(path);
  ASSERT_TRUE(docs.ok()) << docs.status();
  EXPECT_GE(docs->size(), 30u);
  for (const GoldDoc& d : *docs) {
    EXPECT_FALSE(d.entities.empty()) << d.id;
    EXPECT_FALSE(d.dates.empty()) << d.id;
  }
}

// Consolidation and dates with the gold mentions meet the issue's targets on the shipped set
// (B-cubed F1 >= 95 %, date accuracy >= 95 %), so a regression in either shows up here.
TEST(EntitiesEvalTest, OracleMentionsMeetTheTargetsOnTheShippedGoldSet) {
  const std::string path = std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/eval/entities_gold.jsonl";
  absl::StatusOr<std::vector<GoldDoc>> docs = LoadEntityGold(path);
  ASSERT_TRUE(docs.ok()) << docs.status();
  EntityScorer scorer;
  Tokens tokens;
  Article article;
  for (const GoldDoc& d : *docs) {
    ParseWithOracleMentions(d, &tokens, &article);
    scorer.Add(d, article);
  }
  const EntityEvalResult r = scorer.Result();
  EXPECT_GE(r.b_cubed.f1, 0.95) << EntityEvalReport(r);
  EXPECT_GE(r.date_accuracy, 0.95) << EntityEvalReport(r);
  EXPECT_GE(r.type_accuracy, 0.95);
}

}  // namespace
}  // namespace newsparse
