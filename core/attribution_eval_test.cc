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

TEST(AttributionEvalTest, MissingFileIsNotFound) {
  auto r = EvaluateAttributions(Finder(), ::testing::TempDir() + "no_such_gold.jsonl", "");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace newsparse
