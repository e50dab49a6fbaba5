#include "core/attribution_eval.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/attribution_finder.h"

namespace newsparse {
namespace {

const AttributionFinder& Finder() { return SharedAttributionFinder(); }

// A PolNeAR-style span of `part` in `text` (ASCII text: byte offsets are str offsets).
std::string SpanJson(std::string_view text, std::string_view part) {
  const size_t b = text.find(part);
  EXPECT_NE(b, std::string_view::npos) << part;
  return "{\"start\": " + std::to_string(b) + ", \"end\": " + std::to_string(b + part.size()) +
         ", \"text\": \"" + std::string(part) + "\"}";
}

std::string WriteGold(const std::string& name, const std::string& line) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << line << "\n";
  return path;
}

// One article: a found attribution, a cue the finder takes but cannot complete ("Lee said."), and
// a cue word outside the lexicon.
TEST(AttributionEvalTest, ScoresAndNamesTheMissedCueKinds) {
  constexpr std::string_view kText =
      "The mayor said the bridge would reopen in June. Lee said. Voters zorbled the plan.";
  const std::string line =
      std::string("{\"id\": \"a\", \"primary\": true, \"text\": \"") + std::string(kText) +
      "\", \"attributions\": [" + "{\"cue\": [" + SpanJson(kText, "said") + "], \"source\": [" +
      SpanJson(kText, "The mayor") + "], \"content\": [" +
      SpanJson(kText, "the bridge would reopen in June") + "]}, " + "{\"cue\": [" +
      SpanJson(kText, "said.") + "], \"source\": [" + SpanJson(kText, "Lee") +
      "], \"content\": []}, " + "{\"cue\": [" + SpanJson(kText, "zorbled") + "], \"source\": [" +
      SpanJson(kText, "Voters") + "], \"content\": [" + SpanJson(kText, "the plan") + "]}]}";
  const std::string path = WriteGold("attribution_eval_kinds.jsonl", line);
  auto r = EvaluateAttributions(Finder(), path, "");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->articles, 1);
  EXPECT_EQ(r->gold, 3);
  EXPECT_EQ(r->matched, 1);
  EXPECT_DOUBLE_EQ(r->all_exact.tp, 1);
  EXPECT_DOUBLE_EQ(r->cue.exact.recall(), 1.0 / 3);
  EXPECT_EQ(r->error_kinds["missed: cue word taken as a cue, no source/content pattern fired"], 1);
  EXPECT_EQ(r->error_kinds["missed: cue word not in lexicon (nominal, belief, action cues)"], 1);
  std::remove(path.c_str());
}

// Records that are not primary and blank lines are skipped; a line that is not JSON, lacks its
// text or holds a malformed span list is DataLoss naming its line (for the eval and the reader
// the cue trainer uses alike).
TEST(AttributionEvalTest, GoldReaderSkipsNonPrimaryAndNamesTheBadLine) {
  constexpr std::string_view kText = "The mayor said the bridge would reopen.";
  const std::string good = std::string("{\"id\": \"a\", \"primary\": true, \"text\": \"") +
                           std::string(kText) + "\", \"attributions\": [{\"cue\": [" +
                           SpanJson(kText, "said") + "]}]}";
  const std::string secondary = "{\"primary\": false, \"text\": 1}";
  {
    const std::string path = WriteGold("attribution_eval_skip.jsonl", secondary + "\n\n" + good);
    auto r = EvaluateAttributions(Finder(), path, "");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->articles, 1);
    EXPECT_EQ(r->gold, 1);
    auto cues = ReadGoldCues(path);
    ASSERT_TRUE(cues.ok()) << cues.status();
    ASSERT_EQ(cues->size(), 1u);
    EXPECT_EQ((*cues)[0].text, kText);
    ASSERT_EQ((*cues)[0].cues.size(), 1u);
    EXPECT_EQ((*cues)[0].cues[0].begin, kText.find("said"));
    std::remove(path.c_str());
  }
  const std::pair<std::string, std::string> bad[] = {
      {"{\"primary\": true, \"text\": \"x\"", "line 2: bad JSON"},
      {"[1, 2]", "line 2: bad JSON"},
      {"{\"primary\": true, \"text\": \"x\"}", "line 2: no text/attributions"},
      {"{\"primary\": true, \"text\": \"x\", \"attributions\": [{\"cue\": [{\"start\": 0}]}]}",
       "line 2: bad span list"},
  };
  for (const auto& [line, message] : bad) {
    const std::string path = WriteGold("attribution_eval_bad.jsonl", good + "\n" + line);
    auto r = EvaluateAttributions(Finder(), path, "");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << line;
    EXPECT_THAT(std::string(r.status().message()), ::testing::HasSubstr(message)) << line;
    auto cues = ReadGoldCues(path);
    EXPECT_EQ(cues.status().code(), absl::StatusCode::kDataLoss) << line;
    std::remove(path.c_str());
  }
}

// One article annotated by three annotators and one by its primary annotator only.
TEST(AttributionEvalTest, AgreementScoresEachOtherAnnotatorAgainstThePrimaryOne) {
  constexpr std::string_view kText =
      "The mayor said the bridge would reopen in June. Officials warned of delays.";
  auto att = [&](std::string_view cue, std::string_view source, std::string_view content) {
    return std::string("{\"cue\": [") + SpanJson(kText, cue) + "], \"source\": [" +
           SpanJson(kText, source) + "], \"content\": [" + SpanJson(kText, content) + "]}";
  };
  auto record = [&](const char* id, const char* annotator, bool primary, const std::string& atts) {
    return std::string("{\"id\": \"") + id + "\", \"annotator\": \"" + annotator +
           "\", \"primary\": " + (primary ? "true" : "false") + ", \"text\": \"" +
           std::string(kText) + "\", \"attributions\": [" + atts + "]}";
  };
  const std::string mayor = att("said", "The mayor", "the bridge would reopen in June");
  const std::string officials = att("warned", "Officials", "of delays");
  const std::string lines =
      record("a", "p", true, mayor + ", " + officials) + "\n" +
      // The same two attributions: full agreement.
      record("a", "x", false, mayor + ", " + officials) + "\n" +
      // Only the first, its content one word shorter.
      record("a", "y", false, att("said", "The mayor", "the bridge would reopen in")) + "\n" +
      record("b", "p", true, mayor) + "\n" +
      // An annotation without a primary record of its id is skipped.
      record("c", "y", false, mayor);
  const std::string path = WriteGold("attribution_eval_agreement.jsonl", lines);
  auto r = EvaluateAgreement(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->articles, 1);
  EXPECT_EQ(r->comparisons, 2);
  EXPECT_EQ(r->gold, 4);
  EXPECT_EQ(r->predicted, 3);
  EXPECT_EQ(r->matched, 3);
  EXPECT_DOUBLE_EQ(r->cue.exact.precision(), 1.0);
  EXPECT_DOUBLE_EQ(r->cue.exact.recall(), 3.0 / 4);
  EXPECT_DOUBLE_EQ(r->content.exact.tp, 2);
  // Content words: gold 6 + 2 + 6 + 2, predicted 6 + 2 + 5, shared 6 + 2 + 5.
  EXPECT_DOUBLE_EQ(r->content.overlap.tp, 13);
  EXPECT_DOUBLE_EQ(r->content.overlap.gold, 16);
  EXPECT_DOUBLE_EQ(r->content.overlap.predicted, 13);
  EXPECT_DOUBLE_EQ(r->all_exact.tp, 2);
  EXPECT_THAT(AttributionEvalJson(*r), ::testing::HasSubstr("\"comparisons\": 2}"));

  // The finder on the same articles only: article "a" (two gold attributions), not "b".
  auto finder = EvaluateAttributions(Finder(), path, "", /*multi_annotated_only=*/true);
  ASSERT_TRUE(finder.ok()) << finder.status();
  EXPECT_EQ(finder->articles, 1);
  EXPECT_EQ(finder->gold, 2);
  EXPECT_THAT(AttributionEvalJson(*finder), ::testing::Not(::testing::HasSubstr("comparisons")));
  auto all = EvaluateAttributions(Finder(), path, "");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->articles, 2);
  std::remove(path.c_str());

  // Two records of one article with different texts cannot be compared.
  std::string other = record("a", "z", false, mayor);
  other.replace(other.find("June"), 4, "July");
  const std::string bad_path = WriteGold("attribution_eval_agreement_bad.jsonl",
                                         record("a", "p", true, mayor) + "\n" + other);
  auto bad = EvaluateAgreement(bad_path);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(bad.status().message()), ::testing::HasSubstr("annotator z"));
  std::remove(bad_path.c_str());
}

TEST(AttributionEvalTest, MissingFileIsNotFound) {
  auto r = EvaluateAttributions(Finder(), ::testing::TempDir() + "no_such_gold.jsonl", "");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace newsparse
