#include "core/attribution.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/attribution_internal.h"
#include "core/engine.h"
#include "core/ner_hash.h"
#include "core/tokenizer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/attribution_finder.h"

namespace newsparse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The finder's table-driven hash is ner::HashLower exactly (the cue model's keys depend on it):
// every single byte, every pair of bytes, and words of odd and even length in mixed case and UTF-8.
TEST(AttributionHashTest, HashLowerFastIsHashLower) {
  using attribution_internal::HashLowerFast;
  EXPECT_EQ(HashLowerFast(""), ner::HashLower(""));
  for (int a = 0; a < 256; ++a) {
    const char one[1] = {static_cast<char>(a)};
    ASSERT_EQ(HashLowerFast(std::string_view(one, 1)), ner::HashLower(std::string_view(one, 1)))
        << a;
    for (int b = 0; b < 256; b += 7) {
      const char two[2] = {static_cast<char>(a), static_cast<char>(b)};
      ASSERT_EQ(HashLowerFast(std::string_view(two, 2)), ner::HashLower(std::string_view(two, 2)))
          << a << " " << b;
    }
  }
  for (std::string_view w : {"said", "SAID", "Said", "told", "according", "Zürich", "ÉTAT", "a",
                             "AbCdEfGhIjKlMnOpQrStUvWxYz@[`{"}) {
    EXPECT_EQ(HashLowerFast(w), ner::HashLower(w)) << w;
  }
  EXPECT_EQ(HashLowerFast("SAID"), HashLowerFast("said"));
  EXPECT_NE(HashLowerFast("said"), HashLowerFast("sad"));
}

// The branch-free binary search answers as std::partition_point on every length from 0 to 40
// and every split point, including none and all before it.
TEST(AttributionHashTest, BranchlessPartitionPointIsPartitionPoint) {
  using attribution_internal::BranchlessPartitionPoint;
  for (uint32_t n = 0; n <= 40; ++n) {
    std::vector<uint32_t> a(n);
    for (uint32_t k = 0; k < n; ++k) a[k] = 3 * k + 1;  // 1, 4, 7, ...
    for (uint32_t x = 0; x <= 3 * n + 2; ++x) {
      auto before = [x](uint32_t v) { return v < x; };
      const size_t want =
          static_cast<size_t>(std::partition_point(a.begin(), a.end(), before) - a.begin());
      ASSERT_EQ(BranchlessPartitionPoint(a.data(), a.size(), before), want) << n << " " << x;
    }
  }
  EXPECT_EQ(attribution_internal::HashLowerFast(std::string_view()), ner::HashLower(""));
}

// ValueOr reads four slots a step: it must give Find's answer for present and absent keys, in
// long collision runs and in runs that wrap around the end of the slot array.
TEST(AttributionHashTest, ValueOrIsFind) {
  ner::HashTable64<float> table;
  table.Reserve(500);  // 1,024 slots
  std::vector<uint64_t> keys;
  for (uint64_t k = 1; k <= 960; ++k) keys.push_back(ner::Mix64(k));  // 480 kept: load 0.47
  // Keys whose home slot is one of the last slots, so that their run wraps around.
  for (uint64_t k = 1; keys.size() < 980; ++k) {
    const uint64_t key = ner::Mix64(k << 20);
    if (((key * 0x9E3779B97F4A7C15ULL) >> 32 & 1023) >= 1020) keys.push_back(key);
  }
  for (size_t i = 0; i < keys.size(); i += 2) *table.Insert(keys[i]) = static_cast<float>(i + 1);
  for (size_t i = 0; i < keys.size(); ++i) {
    const float* want = table.Find(keys[i]);
    ASSERT_EQ(want != nullptr, i % 2 == 0) << i;
    ASSERT_EQ(table.ValueOr(keys[i], -1.0f), want != nullptr ? *want : -1.0f) << i;
  }
  EXPECT_EQ(table.capacity(), 1024u);     // no growth: the runs are as long as at full load
  for (uint64_t k = 1; k < 20000; ++k) {  // absent keys
    const uint64_t key = ner::Mix64(k) ^ 0x5555;
    if (table.Find(key) == nullptr) ASSERT_EQ(table.ValueOr(key, -2.0f), -2.0f) << k;
  }
}

// One attribution as text slices, for readable assertions.
struct Found {
  std::string cue;
  std::string source;    // empty when there is none
  std::string resolved;  // what a pronoun or role phrase refers to
  std::vector<std::string> content;
  AttributionKind kind;
  std::optional<uint32_t> entity;
};

const AttributionFinder& Finder() { return SharedAttributionFinder(); }

std::vector<Found> FindIn(std::string_view text, const std::vector<Entity>& entities = {}) {
  Tokens tokens;
  Tokenize(text, &tokens);
  AttributionScratch scratch;
  std::vector<Attribution> atts;
  Finder().Find(text, tokens, entities, &scratch, &atts);
  std::vector<Found> out;
  for (const Attribution& a : atts) {
    Found f;
    f.cue = std::string(Slice(text, a.cue));
    if (a.source) {
      f.source = std::string(Slice(text, a.source->span));
      if (a.source->resolved) f.resolved = std::string(Slice(text, *a.source->resolved));
      f.entity = a.source->entity;
    }
    for (const Span& s : a.content) f.content.emplace_back(Slice(text, s));
    f.kind = a.kind;
    out.push_back(std::move(f));
  }
  return out;
}

// Runs Find and returns the raw attributions (slicing every content of a huge input into strings
// would itself be quadratic).
std::vector<Attribution> FindRaw(std::string_view text) {
  Tokens tokens;
  Tokenize(text, &tokens);
  AttributionScratch scratch;
  std::vector<Attribution> atts;
  Finder().Find(text, tokens, {}, &scratch, &atts);
  return atts;
}

std::vector<std::string> QuotesIn(std::string_view text) {
  Tokens tokens;
  Tokenize(text, &tokens);
  std::vector<QuoteSpan> quotes;
  PairQuotes(text, tokens, &quotes);
  std::vector<std::string> out;
  for (const QuoteSpan& q : quotes) {
    out.emplace_back(text.substr(tokens.tokens[q.open].begin,
                                 tokens.tokens[q.close].end - tokens.tokens[q.open].begin));
  }
  return out;
}

// ---- Quote pairing ----------------------------------------------------------------------------

TEST(PairQuotesTest, EveryStyle) {
  EXPECT_THAT(QuotesIn("a \"b c\" d"), ElementsAre("\"b c\""));
  EXPECT_THAT(QuotesIn("a \xE2\x80\x9C"
                       "b c\xE2\x80\x9D d"),
              ElementsAre("\xE2\x80\x9C"
                          "b c\xE2\x80\x9D"));
  EXPECT_THAT(QuotesIn("a ``b c'' d"), ElementsAre("``b c''"));
  EXPECT_THAT(QuotesIn("a ''b c'' d"), ElementsAre("''b c''"));
  EXPECT_THAT(QuotesIn("a \xC2\xAB"
                       "b c\xC2\xBB d"),
              ElementsAre("\xC2\xAB"
                          "b c\xC2\xBB"));
  EXPECT_THAT(QuotesIn("a \xE2\x80\x9E"
                       "b c\xE2\x80\x9C d"),
              ElementsAre("\xE2\x80\x9E"
                          "b c\xE2\x80\x9C"));
}

TEST(PairQuotesTest, NestedQuoteOfAnotherStyleStaysInside) {
  EXPECT_THAT(QuotesIn("\xC2\xAB"
                       "He said \xE2\x80\x9Cno\xE2\x80\x9D to us\xC2\xBB, she said."),
              ElementsAre("\xC2\xAB"
                          "He said \xE2\x80\x9Cno\xE2\x80\x9D to us\xC2\xBB"));
  // Single quotes inside double quotes are not paired at all.
  EXPECT_THAT(QuotesIn("\"He called it 'a farce' today,\" she said."),
              ElementsAre("\"He called it 'a farce' today,\""));
}

TEST(PairQuotesTest, UnmatchedMarkClosesAtParagraphEnd) {
  const std::string text = "He said \"this never closes.\n\nShe said \"this one does\" and left.";
  EXPECT_THAT(QuotesIn(text), ElementsAre("\"this never closes.", "\"this one does\""));
}

TEST(PairQuotesTest, MultiParagraphQuoteIsChained) {
  const std::string text =
      "\"First paragraph of the quote.\n\n\"Second paragraph.\n\n\"Last one,\" she said.";
  Tokens tokens;
  Tokenize(text, &tokens);
  std::vector<QuoteSpan> quotes;
  PairQuotes(text, tokens, &quotes);
  ASSERT_EQ(quotes.size(), 3u);
  EXPECT_FALSE(quotes[0].closed);
  EXPECT_EQ(quotes[0].next, 1);
  EXPECT_EQ(quotes[1].prev, 0);
  EXPECT_EQ(quotes[1].next, 2);
  EXPECT_TRUE(quotes[2].closed);
}

// ---- Direct quotes ----------------------------------------------------------------------------

TEST(AttributionTest, QuoteThenCue) {
  auto f = FindIn("\"The bridge will open in May,\" Mayor Ana Ruiz said on Tuesday.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Mayor Ana Ruiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"The bridge will open in May,\""));
  EXPECT_EQ(f[0].kind, AttributionKind::kDirect);
}

TEST(AttributionTest, CurlyQuotesAndInvertedCue) {
  auto f = FindIn("\xE2\x80\x9CWe are not leaving,\xE2\x80\x9D said Tom Berg, a union leader.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Tom Berg, a union leader");
  EXPECT_THAT(f[0].content, ElementsAre("\xE2\x80\x9CWe are not leaving,\xE2\x80\x9D"));
}

TEST(AttributionTest, GuillemetsAndLowQuotes) {
  auto f = FindIn(
      "\xC2\xAB"
      "Prices will fall soon,\xC2\xBB the minister said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "the minister");
  EXPECT_THAT(f[0].content, ElementsAre("\xC2\xAB"
                                        "Prices will fall soon,\xC2\xBB"));
  auto g = FindIn(
      "\xE2\x80\x9E"
      "Prices will fall soon,\xE2\x80\x9C the minister said.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_THAT(g[0].content, ElementsAre("\xE2\x80\x9E"
                                        "Prices will fall soon,\xE2\x80\x9C"));
  auto h = FindIn("``Prices will fall soon,'' the minister said.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_THAT(h[0].content, ElementsAre("``Prices will fall soon,''"));
}

TEST(AttributionTest, CueThenQuote) {
  auto f = FindIn("The coach said: \"We played badly and we know it.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "The coach");
  EXPECT_THAT(f[0].content, ElementsAre("\"We played badly and we know it.\""));
  EXPECT_EQ(f[0].kind, AttributionKind::kDirect);
}

// The kind of each attribution comes from the quote marks inside its content: all of it quoted
// (direct), a quote inside reported speech (mixed), none (indirect), with marks before and after
// a content that holds none.
TEST(AttributionTest, KindsFromTheQuoteMarksInsideTheContent) {
  auto f = FindIn(
      "\"The bridge will open in June,\" the mayor said. "
      "The engineer said the delay was \"entirely avoidable\" and costly. "
      "The contractor said the steel arrived late. "
      "\"We are sorry,\" its director said.");
  ASSERT_EQ(f.size(), 4u);
  EXPECT_THAT(f[0].content, ElementsAre("\"The bridge will open in June,\""));
  EXPECT_EQ(f[0].kind, AttributionKind::kDirect);
  EXPECT_EQ(f[1].source, "The engineer");
  EXPECT_EQ(f[1].kind, AttributionKind::kMixed);
  EXPECT_EQ(f[2].source, "The contractor");
  EXPECT_THAT(f[2].content, ElementsAre("the steel arrived late"));
  EXPECT_EQ(f[2].kind, AttributionKind::kIndirect);
  EXPECT_EQ(f[3].kind, AttributionKind::kDirect);
}

TEST(AttributionTest, QuoteSplitAroundItsCue) {
  auto f = FindIn("\"Judge,\" Kowalski said, \"I have never seen that letter before.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Kowalski");
  EXPECT_THAT(f[0].content, ElementsAre("\"Judge,\"", "\"I have never seen that letter before.\""));
}

TEST(AttributionTest, QuoteOfSeveralSentencesAndFollowingQuote) {
  auto f =
      FindIn("\"The plant is safe. Nobody was hurt,\" the manager said. \"We will reopen soon.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content,
              ElementsAre("\"The plant is safe. Nobody was hurt,\"", "\"We will reopen soon.\""));
}

TEST(AttributionTest, QuoteOpeningTheNextSentenceContinuesTheContent) {
  auto f = FindIn(
      "''The harbor needs dredging,'' Mr. Ortiz said. ''Ships wait for days. Some turn away.''");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Mr. Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("''The harbor needs dredging,''",
                                        "''Ships wait for days. Some turn away.''"));
  // The next quote has a cue of its own: it is that cue's content.
  auto g = FindIn("\"The harbor needs dredging,\" Ortiz said. \"Ships wait for days,\" he added.");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_THAT(g[0].content, ElementsAre("\"The harbor needs dredging,\""));
  EXPECT_THAT(g[1].content, ElementsAre("\"Ships wait for days,\""));
  // A quote in the next paragraph is not taken.
  auto h = FindIn("\"The harbor needs dredging,\" Ortiz said.\n\n\"Ships wait for days.\"");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_THAT(h[0].content, ElementsAre("\"The harbor needs dredging,\""));
}

TEST(AttributionTest, CueWithAColonAtTheParagraphEndTakesTheNextParagraphsQuote) {
  auto f = FindIn(
      "At the hearing, Ortiz continued:\n\n\"The pumps failed twice. Nobody told the town.\"\n\n"
      "The hearing ended at noon.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "continued");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"The pumps failed twice. Nobody told the town.\""));
  // No quote in the next paragraph: no attribution.
  EXPECT_THAT(FindIn("At the hearing, Ortiz continued:\n\nThe hearing ended at noon."), IsEmpty());
}

TEST(AttributionTest, QuoteOverSeveralParagraphs) {
  auto f = FindIn(
      "Pérez said: \"The first part of my answer is long.\n\n"
      "\"The second part is longer still.\n\n"
      "\"And this is the end.\"\n\nThe meeting ended at noon.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Pérez");
  EXPECT_THAT(f[0].content,
              ElementsAre("\"The first part of my answer is long.",
                          "\"The second part is longer still.", "\"And this is the end.\""));
}

TEST(AttributionTest, ScareQuotesAndTitlesAreNotAttributions) {
  EXPECT_THAT(FindIn("The so-called \"peace plan\" was published on Monday."), IsEmpty());
  EXPECT_THAT(FindIn("She bought \"War and Peace\" twice last summer."), IsEmpty());
}

// The cue scan skips eight non-cue tokens a step: a cue at any offset from the article start,
// and one among the last tokens of an article whose length is no multiple of eight, is found.
TEST(AttributionTest, CueAtEveryOffsetIsFound) {
  for (int lead = 0; lead < 20; ++lead) {
    std::string text;
    for (int k = 0; k < lead; ++k) text += "Rain fell. ";
    text += "Officials said the bridge reopens";
    for (int tail = 0; tail < 9; ++tail) {
      const std::string t = text + std::string(tail, '!') + ".";
      const std::vector<Found> f = FindIn(t);
      ASSERT_EQ(f.size(), 1u) << t;
      EXPECT_EQ(f[0].cue, "said") << t;
      EXPECT_EQ(f[0].source, "Officials") << t;
    }
  }
}

TEST(AttributionTest, OddNumberOfMarksDoesNotBreakTheRest) {
  auto f = FindIn(
      "The gate had a sign, \"closed for the winter. Nobody came.\n\n"
      "Officials said the park would reopen in May.\n\n"
      "\"It is a pity,\" the ranger said.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].source, "Officials");
  EXPECT_THAT(f[0].content, ElementsAre("the park would reopen in May"));
  EXPECT_EQ(f[1].source, "the ranger");
  EXPECT_THAT(f[1].content, ElementsAre("\"It is a pity,\""));
}

TEST(AttributionTest, NestedQuoteInsideTheContent) {
  auto f = FindIn("\"He told me 'never again' and left,\" Marta Lind said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Marta Lind");
  EXPECT_THAT(f[0].content, ElementsAre("\"He told me 'never again' and left,\""));
}

// ---- Reported speech --------------------------------------------------------------------------

TEST(AttributionTest, SaidThat) {
  auto f = FindIn("The governor said that the road would be closed until June.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "The governor");
  EXPECT_THAT(f[0].content, ElementsAre("that the road would be closed until June"));
  EXPECT_EQ(f[0].kind, AttributionKind::kIndirect);
}

TEST(AttributionTest, SaidWithoutThat) {
  auto f = FindIn("Officials said the road would be closed until June.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Officials");
  EXPECT_THAT(f[0].content, ElementsAre("the road would be closed until June"));
  EXPECT_EQ(f[0].resolved, "");
  EXPECT_EQ(f[0].entity, std::nullopt);
}

TEST(AttributionTest, TrailingCue) {
  auto f = FindIn("The road will be closed until June, a city official said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "a city official");
  EXPECT_THAT(f[0].content, ElementsAre("The road will be closed until June"));
}

TEST(AttributionTest, InvertedCueWithApposition) {
  auto f = FindIn(
      "The talks were useful, said Lena Park, head of the trade office, at a news conference.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Lena Park, head of the trade office");
  EXPECT_THAT(f[0].content, ElementsAre("The talks were useful"));
}

TEST(AttributionTest, AccordingTo) {
  auto f = FindIn("According to the report, exports fell by a third.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "According to");
  EXPECT_EQ(f[0].source, "the report");
  EXPECT_THAT(f[0].content, ElementsAre("exports fell by a third"));
  auto g = FindIn("Exports fell by a third, according to the report.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "the report");
  EXPECT_THAT(g[0].content, ElementsAre("Exports fell by a third"));
}

TEST(AttributionTest, ReportingVerbsInEveryInflection) {
  for (std::string_view verb :
       {"says", "said", "noted", "added", "stressed", "warned", "insisted", "argued", "claimed",
        "denied", "announced", "confirmed", "explained", "acknowledged", "has said", "tells"}) {
    const std::string text =
        absl::StrCat("The ministry ", std::string(verb), " that the dam would hold.");
    auto f = FindIn(text);
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_EQ(f[0].cue, verb) << text;
    EXPECT_EQ(f[0].source, "The ministry") << text;
    EXPECT_THAT(f[0].content, ElementsAre("that the dam would hold")) << text;
  }
}

TEST(AttributionTest, ToldReportersAndInAStatement) {
  auto f = FindIn("Kim told reporters that the vote would be delayed.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "told");
  EXPECT_EQ(f[0].source, "Kim");
  EXPECT_THAT(f[0].content, ElementsAre("that the vote would be delayed"));
  auto g = FindIn("The company said in a statement that sales rose.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "The company");
  EXPECT_THAT(g[0].content, ElementsAre("that sales rose"));
}

TEST(AttributionTest, AdverbAndAuxiliaryBelongToTheCue) {
  auto f = FindIn("Garcia also said the budget was too small.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "also said");
  EXPECT_EQ(f[0].source, "Garcia");
  auto g = FindIn("Garcia now says the budget is too small.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "now says");
  EXPECT_EQ(g[0].source, "Garcia");
  auto h = FindIn("Unions have long argued that the budget is too small.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].cue, "have long argued");
  EXPECT_EQ(h[0].source, "Unions");
}

TEST(AttributionTest, MiddleCueSplitsTheContent) {
  auto f = FindIn("The plan, the mayor said, is too expensive for the city.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "the mayor");
  EXPECT_THAT(f[0].content, ElementsAre("The plan", "is too expensive for the city"));
}

TEST(AttributionTest, AddingShareTheSpeaker) {
  auto f = FindIn("Prices will rise, Nowak said, adding that wages will not.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1].cue, "adding");
  EXPECT_EQ(f[1].source, "Nowak");
  EXPECT_THAT(f[1].content, ElementsAre("that wages will not"));
}

TEST(AttributionTest, AddresseeAfterATrailingCueIsSkipped) {
  auto f = FindIn("\"We cannot wait for the money,\" Mr. Hobbs told The Daily Ledger.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "told");
  EXPECT_EQ(f[0].source, "Mr. Hobbs");
  EXPECT_THAT(f[0].content, ElementsAre("\"We cannot wait for the money,\""));
  auto g = FindIn("\"The vote is lost,\" she told me. \"Nobody will change that.\"");
  ASSERT_GE(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "told");
  EXPECT_EQ(g[0].source, "she");
  EXPECT_EQ(g[0].content.front(), "\"The vote is lost,\"");
  auto h = FindIn("\"Roads first,\" the mayor told the town hall audience.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].source, "the mayor");
}

TEST(AttributionTest, SecondVerbOfTheSubjectSpeaks) {
  auto f = FindIn("Pollard says Vance promised to keep backing the plan and said she would fight.");
  ASSERT_GE(f.size(), 2u);
  EXPECT_EQ(f.back().cue, "said");
  EXPECT_EQ(f.back().source, "Pollard");
  EXPECT_THAT(f.back().content, ElementsAre("she would fight"));
  auto g = FindIn("Officials announced an arrest on Friday, and said the curfew would stay.");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[1].cue, "said");
  EXPECT_EQ(g[1].source, "Officials");
  EXPECT_THAT(g[1].content, ElementsAre("the curfew would stay"));
  auto h = FindIn("Mr. Olsen mostly backed farmers in office, and said he opposed the levy.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].source, "Mr. Olsen");
}

TEST(AttributionTest, RolePhraseAndNameBeforeTheCue) {
  auto f = FindIn("The city's budget director, Anna Kowal, said the fund cannot pay for roofs.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "The city's budget director, Anna Kowal");
  EXPECT_THAT(f[0].content, ElementsAre("the fund cannot pay for roofs"));
  auto g = FindIn("Rep. Ann Lee (D-Ore.), chair of the budget panel, said the bill will pass.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "Rep. Ann Lee (D-Ore.), chair of the budget panel");
  auto h = FindIn("Kern -- author of a book on city budgets -- said the plan is sound.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].source, "Kern -- author of a book on city budgets");
  EXPECT_THAT(h[0].content, ElementsAre("the plan is sound"));
}

TEST(AttributionTest, TimePhraseBetweenSourceAndCue) {
  auto f = FindIn("Sandoval on Tuesday said he wants to close four loopholes.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Sandoval");
  EXPECT_THAT(f[0].content, ElementsAre("he wants to close four loopholes"));
}

TEST(AttributionTest, ParticipleAfterAPrepositionTakesTheSubject) {
  auto f = FindIn("The governor spoke to a reporter on Friday by saying the tax was fair.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "saying");
  EXPECT_EQ(f[0].source, "The governor");
  EXPECT_THAT(f[0].content, ElementsAre("the tax was fair"));
}

TEST(AttributionTest, ContentEndsAtANewPredicateOrAClauseAfterAQuote) {
  auto f = FindIn("Lind said the levy was fair, and he plans to keep it next year.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the levy was fair"));
  auto g = FindIn("The panel ruled that the claim was \"true,\" but it added a long note.");
  ASSERT_GE(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "ruled");
  EXPECT_THAT(g[0].content, ElementsAre("that the claim was \"true,\""));
}

TEST(AttributionTest, PassiveWithTheSourceAfterBy) {
  auto f = FindIn("The budget gap was first reported by the Valley Courier on Monday.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "was first reported by");
  EXPECT_EQ(f[0].source, "the Valley Courier");
  EXPECT_THAT(f[0].content, ElementsAre("The budget gap"));
}

TEST(AttributionTest, ContentEndsBeforeAnotherSubjectAndCue) {
  auto f =
      FindIn("The mayor stressed that the repairs were not done, and road crews warned of delays.");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "stressed");
  EXPECT_THAT(f[0].content, ElementsAre("that the repairs were not done"));
}

TEST(AttributionTest, DayNameAfterTheCueAndParticlesOutAndOff) {
  auto f = FindIn("Police announced Friday the arrest of a man in the shooting.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the arrest of a man in the shooting"));
  auto g = FindIn("Reyes laid out her plans to widen the port and build two new docks.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "laid out");
  EXPECT_THAT(g[0].content, ElementsAre("her plans to widen the port and build two new docks"));
}

TEST(AttributionTest, SentenceInitialSaidWithAColon) {
  auto f = FindIn("Most experts were doubtful. Said Ortiz: \"I do not think the plan will work.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "Said");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"I do not think the plan will work.\""));
}

TEST(AttributionTest, HeadingsWithAColonAreNotSpeakers) {
  EXPECT_THAT(FindIn("The Latest: Storm closes two bridges in the valley.\n\nCorrection: An "
                     "earlier version gave the wrong date for the vote."),
              IsEmpty());
  // A credit line at the end of a story.
  EXPECT_THAT(FindIn("The bridge reopened on Monday.\n\nContributing: Jo Doe, Valley News."),
              IsEmpty());
  auto f = FindIn("ORTIZ: We will not close the school.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "ORTIZ");
}

TEST(AttributionTest, PartyTagInSource) {
  auto f = FindIn("Sen. Mary Holt (D-Ore.) said the bill would pass next week.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Sen. Mary Holt (D-Ore.)");
}

TEST(AttributionTest, SpeakerLabels) {
  auto f = FindIn(
      "Partial transcript:\n\nHOST: Will the minister attend the summit tomorrow?\n\n"
      "DORSEY: She will not attend, and nobody has asked her to.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].cue, ":");
  EXPECT_EQ(f[0].source, "HOST");
  EXPECT_THAT(f[0].content, ElementsAre("Will the minister attend the summit tomorrow?"));
  EXPECT_EQ(f[1].source, "DORSEY");
  auto g = FindIn("\"The river has never been this low.\" \xE2\x80\x95 Ines Kovac, a farmer");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "Ines Kovac");
  EXPECT_THAT(g[0].content, ElementsAre("\"The river has never been this low.\""));
}

// A dash label right after a curly closing mark (no space), and after a quote whose opening mark
// was typed as a closing one (the marks do not pair): the quote fills its paragraph up to the
// dash, the name ends the paragraph.
TEST(AttributionTest, SpeakerLabelAfterACurlyQuoteWithoutSpaceOrPairing) {
  auto f = FindIn(
      "Readers answered.\n\n\xE2\x80\x9CThe ferry is late every day.\xE2\x80\x9D\xE2\x80\x95 "
      "Ines Kovac\n\n\xE2\x80\x9DWe need a second boat.\xE2\x80\x9D \xE2\x80\x95 Tom Hale\n\n"
      "The council meets in May.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].source, "Ines Kovac");
  EXPECT_THAT(f[0].content, ElementsAre("\xE2\x80\x9CThe ferry is late every day.\xE2\x80\x9D"));
  EXPECT_EQ(f[1].cue, "\xE2\x80\x95");
  EXPECT_EQ(f[1].source, "Tom Hale");
  EXPECT_THAT(f[1].content, ElementsAre("\xE2\x80\x9DWe need a second boat.\xE2\x80\x9D"));
  // A straight mark with a dash right after it (no space) is taken for a byline, not a label.
  EXPECT_TRUE(FindIn("\"The club is the best in town.\"--Ana Ruiz").empty());
}

TEST(AttributionTest, ParticipleOfTheSentenceSubject) {
  auto f = FindIn("The senator walked out of the chamber on Friday, saying the vote was rigged.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "saying");
  EXPECT_EQ(f[0].source, "The senator");
  EXPECT_THAT(f[0].content, ElementsAre("the vote was rigged"));
}

// "...," adding that ...: the comma before the participle stands inside the closing quote.
TEST(AttributionTest, ParticipleAfterAQuoteClosedAfterItsComma) {
  auto f = FindIn(
      "In a statement, Ortiz said: \"The mine was a success for a decade,\" adding that its "
      "profits tripled in one year.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[1].cue, "adding");
  EXPECT_EQ(f[1].source, "Ortiz");
  EXPECT_THAT(f[1].content, ElementsAre("that its profits tripled in one year"));
}

// The subject of "..., saying" / "by saying" after an opening phrase and its comma.
TEST(AttributionTest, ParticipleSubjectAfterAnOpeningPhrase) {
  auto f = FindIn("On Friday, the senator ended the debate by saying the bill was dead.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "saying");
  EXPECT_EQ(f[0].source, "the senator");
  EXPECT_THAT(f[0].content, ElementsAre("the bill was dead"));
  auto g = FindIn("In the morning, Ortiz closed the road, warning that the bridge could fail.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "Ortiz");
  EXPECT_THAT(g[0].content, ElementsAre("that the bridge could fail"));
}

// "Asked whether ..., X said ...": the question is a source-less attribution of its own.
TEST(AttributionTest, AskedQuestionHasNoSource) {
  auto f = FindIn("Asked whether the bridge was safe, Ortiz said the engineers would decide.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].cue, "Asked");
  EXPECT_EQ(f[0].source, "");
  EXPECT_THAT(f[0].content, ElementsAre("whether the bridge was safe"));
  EXPECT_EQ(f[1].source, "Ortiz");
  auto g = FindIn("Ortiz smiled when asked about the \"missing,\" funds last week.");
  ASSERT_GE(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "asked about");
  EXPECT_THAT(g[0].content, ElementsAre("the \"missing,\""));
}

// "Conceding that ..., Ortiz said ...": the opening participle's object is its content, the
// subject after the comma its source.
TEST(AttributionTest, ParticipleOpeningTheSentence) {
  auto f = FindIn("Conceding that the bridge will open late, Ortiz said the money is there.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].cue, "Conceding");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("that the bridge will open late"));
  EXPECT_EQ(f[1].cue, "said");
  EXPECT_EQ(f[1].source, "Ortiz");
  EXPECT_THAT(f[1].content, ElementsAre("the money is there"));
  // The same after a subordinating preposition.
  auto g = FindIn("After praising the crews, the mayor said the roads would reopen Monday.");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].cue, "praising");
  EXPECT_EQ(g[0].source, "the mayor");
  EXPECT_THAT(g[0].content, ElementsAre("the crews"));
}

// "The levy, opposed by most farmers, failed": a reduced passive between commas.
TEST(AttributionTest, ReducedPassiveBetweenCommas) {
  auto f = FindIn("The levy, opposed by most farmers, failed in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "opposed");
  EXPECT_EQ(f[0].source, "most farmers");
  EXPECT_THAT(f[0].content, ElementsAre("The levy"));
}

TEST(AttributionTest, ParticleJoinsTheCue) {
  auto f = FindIn("The mayor talked about the cost of the new stadium.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "talked about");
  EXPECT_THAT(f[0].content, ElementsAre("the cost of the new stadium"));
}

TEST(AttributionTest, ToParticleAndLongerLexiconPhrasesJoinTheCue) {
  auto f = FindIn("The mayor pointed to the empty shops on Main Street.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "pointed to");
  EXPECT_THAT(f[0].content, ElementsAre("the empty shops on Main Street"));
  auto g = FindIn("The governor made it clear that the tax would not rise.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].cue, "made it clear");
  EXPECT_EQ(g[0].source, "The governor");
  EXPECT_THAT(g[0].content, ElementsAre("that the tax would not rise"));
  // "said to" is no lexicon phrase: "to" stays out of the cue.
  auto h = FindIn("Ruiz said to the crowd that the mill would reopen.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].cue, "said");
}

TEST(AttributionTest, SourcesJoinedByAndFromTheSentenceStart) {
  auto f = FindIn("Ortiz and his aides said the count was wrong.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz and his aides");
  auto g = FindIn("Federal and state officials said the dam held.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].source, "Federal and state officials");
  // A verb before "and": two clauses, the second subject speaks.
  auto h = FindIn("The levee failed and engineers said the pumps stopped.");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].source, "engineers");
}

TEST(AttributionTest, RelativePronounAfterAnInvertedSourceIsLeftOut) {
  auto f = FindIn("\"We ran out of sandbags,\" said Lena Park, who added that help came late.");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Lena Park");
}

// "..., which reported ...": PolNeAR marks the relative pronoun as the source, as for "who".
TEST(AttributionTest, WhichAfterACommaIsTheSource) {
  auto f = FindIn(
      "The flood was first covered by the county paper, which reported that two bridges fell.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "reported");
  EXPECT_EQ(f[0].source, "which");
  EXPECT_THAT(f[0].content, ElementsAre("that two bridges fell"));
  // Not a relative pronoun after a comma: no speaker.
  EXPECT_TRUE(FindIn("Nobody knew which reported figure was right.").empty());
}

// "said a county engineer who runs the work, asking ...": the relative clause (no comma before
// "who") is part of the inverted source, as PolNeAR marks it.
TEST(AttributionTest, RelativeClauseEndsAnInvertedSource) {
  auto f = FindIn(
      "\"The bridge will open by spring,\" said a county engineer who runs the work, asking not "
      "to be named.");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "a county engineer who runs the work");
  EXPECT_THAT(f[0].content, ElementsAre("\"The bridge will open by spring,\""));
}

TEST(AttributionTest, ContractedNegationBelongsToTheCue) {
  auto f = FindIn("The mayor didn't say when the new bridge over the river would open.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "didn't say");
  EXPECT_EQ(f[0].source, "The mayor");
  EXPECT_THAT(f[0].content, ElementsAre("when the new bridge over the river would open"));
  // The curly apostrophe too.
  f = FindIn("Ortiz doesn\xE2\x80\x99t believe the port will close before the winter.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "doesn\xE2\x80\x99t believe");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the port will close before the winter"));
}

TEST(AttributionTest, NegationOrAdverbCueWordTakesTheVerbAfterIt) {
  auto f = FindIn("Ortiz strongly opposes the plan to close the northern port.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "strongly opposes");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the plan to close the northern port"));
  f = FindIn("Ortiz hasn't endorsed the plan to close the northern port this year.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "hasn't endorsed");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the plan to close the northern port this year"));
  f = FindIn("The council wouldn't discuss whether the new bridge would open in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "wouldn't discuss");
  EXPECT_EQ(f[0].source, "The council");
  EXPECT_THAT(f[0].content, ElementsAre("whether the new bridge would open in May"));
}

TEST(AttributionTest, AuxiliariesBeforeAProgressiveJoinTheCue) {
  auto f = FindIn("Ortiz has been telling reporters that the port would close before the winter.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "has been telling");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("that the port would close before the winter"));
  f = FindIn("The union will be urging its members to vote against the new contract.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "will be urging");
  EXPECT_EQ(f[0].source, "The union");
}

TEST(AttributionTest, ABareObjectOfTwoWordsIsAContentButNotATimeWord) {
  auto f = FindIn("Ortiz rejected the idea.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "rejected");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the idea"));
  EXPECT_THAT(FindIn("Ortiz said Friday."), IsEmpty());
  EXPECT_THAT(FindIn("Ortiz said sarcastically."), IsEmpty());
}

// "to" and one verb is a bare object too ("declined to comment"); "to" before an
// object word is a preposition ("spoke to reporters").
TEST(AttributionTest, AToInfinitiveOfOneWordIsAContent) {
  auto f = FindIn("A spokeswoman for the port authority declined to comment.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "declined");
  EXPECT_EQ(f[0].source, "A spokeswoman for the port authority");
  EXPECT_THAT(f[0].content, ElementsAre("to comment"));
  f = FindIn("The union has refused to negotiate.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "has refused");
  EXPECT_EQ(f[0].source, "The union");
  EXPECT_THAT(f[0].content, ElementsAre("to negotiate"));
  EXPECT_THAT(FindIn("Ortiz spoke to reporters."), IsEmpty());
  EXPECT_THAT(FindIn("Ortiz declined to Brussels."), IsEmpty());
}

// ", even if ..." goes on with the content (PolNeAR's contents do), where ", though ..." ends it.
TEST(AttributionTest, ContentGoesOnThroughACommaAndEven) {
  auto f = FindIn("Ortiz said the port would stay open, even if the strike went on for weeks.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content,
              ElementsAre("the port would stay open, even if the strike went on for weeks"));
  f = FindIn("Ortiz said the port would stay open, though the strike went on for weeks.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the port would stay open"));
}

// After a cue, a preposition or a time phrase opens no speaker: "said in a statement", "said of
// the plan", "said on Friday", "said last week" (the source was "in a statement").
TEST(AttributionTest, APrepositionAfterTheCueIsNoSource) {
  auto f = FindIn(
      "\"The port will stay open,\" Jo Earnest, the city's press secretary, said in a "
      "statement.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Jo Earnest, the city's press secretary");
  EXPECT_THAT(f[0].content, ElementsAre("\"The port will stay open,\""));
  f = FindIn("\"It will fail,\" Ana Ruiz, an adviser to the mayor, said of the plan.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ana Ruiz, an adviser to the mayor");
  f = FindIn("\"It will fail,\" Ana Ruiz, an adviser to the mayor, said last week.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ana Ruiz, an adviser to the mayor");
}

// A role phrase, then the name between commas, after the content: "\"...,\" the city's press
// secretary, Jo Earnest, said on Tuesday." (as from the sentence start).
TEST(AttributionTest, RoleThenNameAfterTheContent) {
  auto f = FindIn(
      "\"The port will stay open,\" the city's press secretary, Jo Earnest, said on Tuesday.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "the city's press secretary, Jo Earnest");
  EXPECT_THAT(f[0].content, ElementsAre("\"The port will stay open,\""));
  f = FindIn("The port will stay open, a spokeswoman, Ana White, said on Tuesday.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "a spokeswoman, Ana White");
  EXPECT_THAT(f[0].content, ElementsAre("The port will stay open"));
}

// "in" + a lower-case phrase stays in a source read backwards unless the phrase holds an occasion
// or a time word ("in an interview", "in the past week").
TEST(AttributionTest, InStaysInTheSourceUnlessAnOccasionFollows) {
  auto f = FindIn("A report in a local paper said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "A report in a local paper");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
  f = FindIn("Most farmers in the valley have said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Most farmers in the valley");
}

// An aside after the speaker's name and its comma ("however", "meanwhile", "though") is not part
// of the source.
TEST(AttributionTest, AnAsideAfterTheNameIsNotTheSource) {
  auto f = FindIn("Ana Ruiz, however, said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ana Ruiz");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
  f = FindIn("\"The port will close,\" said Ana Ruiz, though the mayor disagreed.");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Ana Ruiz");
}

// "to" / "with" / "by" after a noun and before a name or a determiner stay in a source read
// backwards.
TEST(AttributionTest, ToAndWithAfterANounStayInTheSource) {
  auto f = FindIn("Aides to the mayor said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Aides to the mayor");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
  f = FindIn("Officials with the Port Authority said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Officials with the Port Authority");
  f = FindIn("A 2009 report by the Valley Institute said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "A 2009 report by the Valley Institute");
  // A verb before "to" ends the phrase: the sentence's subject speaks.
  f = FindIn("The mayor walked to the harbour and said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "The mayor");
}

// A short plain phrase joined by "and" after a comma or a closing quote is part of the source, as
// from the sentence start ("he and Ana Ruiz", "reporters and editors").
TEST(AttributionTest, AndJoinsASourceAfterTheContent) {
  auto f = FindIn("\"The port will close,\" he and Ana Ruiz said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "he and Ana Ruiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"The port will close,\""));
  f = FindIn("The port will close in May, local reporters and editors said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "local reporters and editors");
  // Not across a verb-like word: "The port closed and officials said ...".
  f = FindIn("The port closed, the ferry stopped and officials said the strike would go on.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "officials");
}

// "More than" before a number, and "early" / "this" not before a time word, stay at the start of
// a source read backwards.
TEST(AttributionTest, MoreThanAndEarlyStayInTheSource) {
  auto f = FindIn("More than 4 in 10 farmers said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "More than 4 in 10 farmers");
  f = FindIn("Early voters in the valley said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Early voters in the valley");
}

// "seem" / "appear" have no source in PolNeAR: their subject is the first part of the content, and
// an expletive "it" is left out.
TEST(AttributionTest, SeemAndAppearHaveNoSource) {
  auto f = FindIn("The mayor appeared to be tired of the long strike at the port.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "appeared");
  EXPECT_EQ(f[0].source, "");
  EXPECT_THAT(f[0].content, ElementsAre("The mayor", "to be tired of the long strike at the port"));
  f = FindIn("It seems that the port will close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "");
  EXPECT_THAT(f[0].content, ElementsAre("that the port will close in May"));
}

// A participle and its "by" agent after a noun stay in a source read backwards.
TEST(AttributionTest, AParticipleAndItsAgentStayInTheSource) {
  auto f = FindIn("A panel of farmers led by the mayor said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "A panel of farmers led by the mayor");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
}

// After the cue, "in" / "by" / "to" between a lower-case noun and a name stay in the source.
TEST(AttributionTest, APrepositionBeforeANameStaysInAnInvertedSource) {
  auto f = FindIn("\"The port will close,\" said a top aide to Mayor Ruiz.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "a top aide to Mayor Ruiz");
  f = FindIn("\"The port will close,\" said an analysis by Valley Research.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "an analysis by Valley Research");
  f = FindIn("\"The port will close,\" said Ortiz in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz");
}

// A name opening the sentence, a comma and an apposition before the cue: the source is the name
// and its first apposition, the content follows the cue (not an inverted "..., said X").
TEST(AttributionTest, NameAndAppositionBeforeTheCue) {
  auto f = FindIn("Rendell, a surrogate for the mayor, said he had battled the flu for weeks.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said");
  EXPECT_EQ(f[0].source, "Rendell, a surrogate for the mayor");
  EXPECT_THAT(f[0].content, ElementsAre("he had battled the flu for weeks"));
  f = FindIn(
      "Jean Ayrault, the foreign minister of France, a member of the council, said the port "
      "would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Jean Ayrault, the foreign minister of France");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
  f = FindIn("Ortiz, in an interview on Friday, said the port would close in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in May"));
  // An adverb and a clause before the comma: the inverted "said X" stands.
  f = FindIn(
      "More importantly, this is because the port is old, said Ortiz, a member of the "
      "council.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz, a member of the council");
}

// An opening adverbial before the source's comma is no content when the sentence goes on after
// the cue; a content before ", X said." still is.
TEST(AttributionTest, AnOpeningAdverbialIsNoContent) {
  auto f = FindIn("After reading the passage aloud, Ortiz said, \"It could not be clearer.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"It could not be clearer.\""));
  f = FindIn("Happily, Ortiz said, the port will reopen in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("the port will reopen in May"));
  f = FindIn("After the vote, Ortiz said in a statement that the port will reopen in May.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("that the port will reopen in May"));
  f = FindIn("The port will reopen in May, Ortiz said.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("The port will reopen in May"));
}

TEST(AttributionTest, AProportionsInStaysInTheSource) {
  auto f = FindIn("Six in 10 voters said the economy was their main worry this year.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Six in 10 voters");
  f = FindIn("About 4 in 10 farmers said the new port would help them.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "About 4 in 10 farmers");
}

TEST(AttributionTest, AnLyAdverbBeforeTheClauseEndJoinsTheCue) {
  auto f = FindIn("\"The bridge will surely open on time,\" Ortiz said sarcastically.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "said sarcastically");
  EXPECT_EQ(f[0].source, "Ortiz");
  EXPECT_THAT(f[0].content, ElementsAre("\"The bridge will surely open on time,\""));
}

TEST(AttributionTest, ContentEndsAtAQuoteClosedAfterItsComma) {
  auto f =
      FindIn("Ortiz insisted that the plan was \"fully funded,\" citing a grant from the state.");
  ASSERT_GE(f.size(), 1u);
  EXPECT_EQ(f[0].cue, "insisted");
  EXPECT_THAT(f[0].content, ElementsAre("that the plan was \"fully funded,\""));
  // A list of quoted phrases goes on after "and".
  auto g = FindIn("Ortiz said the town was \"tired,\" and \"broke\" after the flood.");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_THAT(g[0].content, ElementsAre("the town was \"tired,\" and \"broke\" after the flood"));
}

TEST(AttributionTest, ContentEndsBeforeANewClauseAfterAComma) {
  auto f = FindIn("Ortiz said the port would close before the winter, he walked out of the hall.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the port would close before the winter"));
  f = FindIn(
      "The mayor said crime fell by a tenth last year, compared with a rise the year before.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("crime fell by a tenth last year"));
  f = FindIn("Ortiz said the port would close in the winter, however, the council has not voted.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the port would close in the winter"));
  // Inside a quote the comma ends nothing.
  f = FindIn("Ortiz said: \"The port will close, we know that, and the hall too.\"");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content,
              ElementsAre("\"The port will close, we know that, and the hall too.\""));
}

TEST(AttributionTest, IncludingDoesNotEndTheContent) {
  auto f = FindIn("Ortiz said the storm closed six roads, including the coast highway.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the storm closed six roads, including the coast highway"));
}

TEST(AttributionTest, ContentStopsAtAHangingClause) {
  auto f = FindIn("Lee said the deal was fair, but critics disagreed with him.");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].content, ElementsAre("the deal was fair"));
}

// Two contents of one sentence end at the same clause break: the second starts inside the stretch
// the first one scanned (the finder keeps each token's next break once it is found).
TEST(AttributionTest, ContentsOfOneSentenceShareItsClauseBreak) {
  auto f = FindIn(
      "Lee said the deal was fair and Ortiz told reporters the plan was late, but critics "
      "disagreed with both.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].source, "Lee");
  EXPECT_THAT(f[0].content,
              ElementsAre("the deal was fair and Ortiz told reporters the plan was late"));
  EXPECT_EQ(f[1].source, "Ortiz");
  EXPECT_EQ(f[1].cue, "told");
  EXPECT_THAT(f[1].content, ElementsAre("the plan was late"));
}

// The word lists (pronouns, stop words, ...) ignore case, and hold at the very end of a text,
// where fewer than 16 bytes follow a word (the lists' table reads a word 16 bytes at a time).
TEST(AttributionTest, WordListsIgnoreCaseAndHoldAtTheEndOfTheText) {
  // "she" in any case is a pronoun that resolves to the earlier speaker of its gender.
  for (std::string_view she : {"she", "She", "SHE"}) {
    const std::string text =
        "Mrs. Olsen said the school would close. The bridge will open in May, " + std::string(she) +
        " said";
    auto f = FindIn(text);
    ASSERT_EQ(f.size(), 2u) << text;
    EXPECT_EQ(f[1].cue, "said") << text;
    EXPECT_EQ(f[1].source, she) << text;
    EXPECT_EQ(f[1].resolved, "Mrs. Olsen") << text;
    EXPECT_THAT(f[1].content, ElementsAre("The bridge will open in May")) << text;
  }
  // "The": a determiner, never a speaker on its own, in any case.
  for (std::string_view text :
       {"The bridge will open in May, the said", "The bridge will open in May, THE said"}) {
    EXPECT_THAT(FindIn(text), IsEmpty()) << text;
  }
}

// ---- Sources: pronouns, role phrases, entities ------------------------------------------------

TEST(AttributionTest, PronounsResolveToTheSalientSpeakerOfTheirGender) {
  auto f = FindIn(
      "Mrs. Olsen said the school would close. Mr. Brandt said it would not. "
      "She said that the decision was final.");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[2].source, "She");
  EXPECT_EQ(f[2].resolved, "Mrs. Olsen");
}

// A surname tells no gender ("Wang", "Okafor"); a source written by surname alone takes the gender
// of its entity's full name, so "She" skips the latest speaker "Okafor" (John Okafor) for "Chen"
// (Mary Chen). Without entities neither surname is gendered and "She" takes the latest speaker.
TEST(AttributionTest, SurnameSourcesTakeTheGenderOfTheirEntitysFullName) {
  const std::string text =
      "John Okafor and Mary Chen met in Lagos on Monday. Chen said the talks were useful. "
      "Okafor said a deal would follow in March. She said the two sides agreed on prices.";
  auto person = [&](uint32_t id, const std::string& name, std::string_view surname) {
    Entity e;
    e.id = id;
    e.type = EntityType::kPerson;
    e.name = name;
    const auto first = static_cast<uint32_t>(text.find(name));
    e.mentions.push_back(Span{first, first + static_cast<uint32_t>(name.size())});
    for (size_t at = text.find(surname, first + name.size()); at != std::string::npos;
         at = text.find(surname, at + 1)) {
      e.mentions.push_back(
          Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + surname.size())});
    }
    return e;
  };
  auto f = FindIn(text, {person(0, "John Okafor", "Okafor"), person(1, "Mary Chen", "Chen")});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].entity, 1u);
  EXPECT_EQ(f[1].entity, 0u);
  EXPECT_EQ(f[2].source, "She");
  EXPECT_EQ(f[2].resolved, "Chen");
  EXPECT_EQ(f[2].entity, 1u);
  auto g = FindIn(text);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[2].resolved, "Okafor");
}

TEST(AttributionTest, EntityClustersGiveTheEntity) {
  const std::string text = "Omar Haddad said the port would reopen. He added that ships wait.";
  Entity e;
  e.id = 7;
  e.type = EntityType::kPerson;
  e.name = "Omar Haddad";
  e.mentions.push_back(Span{0, 11});
  auto f = FindIn(text, {e});
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].entity, 7u);
  EXPECT_EQ(f[1].source, "He");
  EXPECT_EQ(f[1].entity, 7u);
}

// "The governor" refers back to a person whose name or title says governor, never to the
// earlier plural common noun "Critics" (capitalised only because it opens its sentence).
TEST(AttributionTest, DefiniteRolePhraseSkipsAPluralCommonNoun) {
  auto f = FindIn(
      "Critics said the new toll would hurt commuters. The governor said the toll would pay for "
      "the bridge.");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].source, "Critics");
  EXPECT_EQ(f[1].source, "The governor");
  EXPECT_EQ(f[1].resolved, "");
  EXPECT_EQ(f[1].entity, std::nullopt);
  auto g = FindIn(
      "Governor Ann Pike said the toll would pay for the bridge. Critics said it would hurt "
      "commuters. The governor said the bridge could not wait.");
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[2].source, "The governor");
  EXPECT_EQ(g[2].resolved, "Governor Ann Pike");
}

// With entity clusters, "the governor" resolves to the person cluster whose title agrees, and
// stays unresolved when the only earlier person has another title.
TEST(AttributionTest, DefiniteRolePhraseNeedsAPersonWhoseTitleAgrees) {
  const std::string text =
      "Ann Pike said the toll would pay for the bridge. Critics said it would hurt commuters. "
      "The governor said the bridge could not wait.";
  Entity pike;
  pike.id = 0;
  pike.type = EntityType::kPerson;
  pike.name = "Ann Pike";
  pike.mentions.push_back(Span{0, 8});
  pike.titles.push_back("Governor");
  auto f = FindIn(text, {pike});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].entity, 0u);
  EXPECT_EQ(f[1].source, "Critics");
  EXPECT_EQ(f[1].entity, std::nullopt);
  EXPECT_EQ(f[2].source, "The governor");
  EXPECT_EQ(f[2].resolved, "Ann Pike");
  EXPECT_EQ(f[2].entity, 0u);
  pike.titles = {"Senator"};
  auto g = FindIn(text, {pike});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[2].source, "The governor");
  EXPECT_EQ(g[2].resolved, "");
  EXPECT_EQ(g[2].entity, std::nullopt);
}

// The shape of a Xinhua report (written for this test): reported speech only, a role phrase in
// the lead, "said Wang Yi, director of ...", then "He said that ...".
TEST(AttributionTest, XinhuaStyleReportedSpeech) {
  const std::string text =
      "BEIJING, March 3 \xE2\x80\x94 The two countries will deepen cooperation in trade and "
      "energy, a senior Chinese diplomat said here on Friday.\n\n"
      "Both sides share a commitment to development and stability, said Wang Yi, director of "
      "the Office of the Central Foreign Affairs Commission, at a meeting with visiting "
      "Brazilian Foreign Minister Mauro Vieira.\n\n"
      "Wang welcomed the minister. He said that the two countries are good partners.\n\n"
      "Vieira said Brazil values the relationship.\n\n"
      "He added that his country is ready to expand exchanges.";
  auto f = FindIn(text);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].source, "a senior Chinese diplomat");
  EXPECT_EQ(f[0].resolved,
            "Wang Yi, director of the Office of the Central Foreign Affairs "
            "Commission");
  EXPECT_THAT(f[0].content, ElementsAre("The two countries will deepen cooperation in trade and "
                                        "energy"));
  EXPECT_EQ(f[1].cue, "said");
  EXPECT_EQ(f[1].source,
            "Wang Yi, director of the Office of the Central Foreign Affairs "
            "Commission");
  EXPECT_THAT(f[1].content,
              ElementsAre("Both sides share a commitment to development and stability"));
  EXPECT_EQ(f[2].source, "He");
  EXPECT_EQ(f[2].resolved,
            "Wang Yi, director of the Office of the Central Foreign Affairs "
            "Commission");
  EXPECT_THAT(f[2].content, ElementsAre("that the two countries are good partners"));
  EXPECT_EQ(f[3].source, "Vieira");
  EXPECT_EQ(f[4].source, "He");
  EXPECT_EQ(f[4].resolved, "Vieira");
  for (const Found& a : f) EXPECT_EQ(a.kind, AttributionKind::kIndirect);
}

// ---- Linear time on hostile inputs (no wall-clock asserts: they must finish, sanely) ----------

TEST(AttributionTest, MegabyteOfQuoteMarks) {
  const std::string text(1 << 20, '"');
  EXPECT_THAT(FindRaw(text), IsEmpty());
}

// A sentence of 100,000 "and"-joined names, each pair followed by a cue: the phrase before each
// "and" is read within a bounded window (kMaxAndPhrase), so this stays linear.
TEST(AttributionTest, HundredThousandAndsBeforeCues) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += ", the officials and reporters said";
  text += ".";
  const std::vector<Attribution> atts = FindRaw(text);
  EXPECT_GT(atts.size(), 1000u);
  for (const Attribution& a : atts) {
    ASSERT_TRUE(a.source.has_value());
    EXPECT_EQ(Slice(text, a.source->span), "the officials and reporters");
  }
}

TEST(AttributionTest, HundredThousandHeSaid) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "he said ";
  text += "the end.";
  const std::vector<Attribution> atts = FindRaw(text);
  EXPECT_GT(atts.size(), 1000u);
  for (const Attribution& a : atts) {
    EXPECT_EQ(Slice(text, a.cue), "said");
    ASSERT_TRUE(a.source.has_value());
    EXPECT_EQ(Slice(text, a.source->span), "he");
  }
}

TEST(AttributionTest, MegabyteOfOpenParentheses) {
  std::string text = "Officials said ";
  text += std::string(1 << 20, '(');
  text += " the plan failed.";
  auto f = FindIn(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].source, "Officials");
}

TEST(AttributionTest, ManyParagraphsWithAnOpenQuoteEach) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "\"Open quote here, the aide said.\n\n";
  // Each paragraph reopens the mark: one quote over 20,000 paragraphs, with nobody quoted.
  EXPECT_EQ(QuotesIn(text).size(), 20000u);
  EXPECT_THAT(FindRaw(text), IsEmpty());
}

TEST(AttributionTest, WarmScratchAndReusedOutputGiveTheSameAttributions) {
  const std::string a =
      "\"The pier is closed,\" the harbor master said. Ruiz said the ferry would run.";
  const std::string b = "Kim told reporters that the vote would be delayed.";
  auto find = [](const std::string& text, AttributionScratch* scratch,
                 std::vector<Attribution>* out) {
    Tokens tokens;
    Tokenize(text, &tokens);
    Finder().Find(text, tokens, {}, scratch, out);
  };
  AttributionScratch warm;
  std::vector<Attribution> out;
  find(a, &warm, &out);
  ASSERT_EQ(out.size(), 2u);
  find(b, &warm, &out);  // the previous result's contents go to the scratch
  // Two contents went to the scratch, and the new attribution took its storage from one of them.
  EXPECT_LT(warm.spare_contents.size(), 2u);
  AttributionScratch cold;
  std::vector<Attribution> fresh;
  find(b, &cold, &fresh);
  ASSERT_EQ(out.size(), fresh.size());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Slice(b, out[0].cue), Slice(b, fresh[0].cue));
  ASSERT_EQ(out[0].content.size(), fresh[0].content.size());
  EXPECT_EQ(Slice(b, out[0].content[0]), "that the vote would be delayed");
  // RecycleAttributions empties the vector and keeps the contents' storage.
  const size_t spare = warm.spare_contents.size();
  RecycleAttributions(&out, &warm);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(warm.spare_contents.size(), spare + 1);
  EXPECT_TRUE(warm.spare_contents.back().empty());
}

TEST(AttributionTest, EmptyText) { EXPECT_THAT(FindIn(""), IsEmpty()); }

TEST(AttributionFinderTest, BadLexiconIsDataLoss) {
  auto f = AttributionFinder::CreateFromLexicon("said\tverb\tnot-a-number\t3\n");
  EXPECT_EQ(f.status().code(), absl::StatusCode::kDataLoss);
  // A negative count (found by fuzz/tsv_fuzzer.cc: it reached an out-of-range float-to-unsigned
  // conversion in the lexicon byte) is malformed too.
  for (const char* line : {"learned\tverb\t-4\t31\n", "learned\tverb\t4\t-31\n"}) {
    auto n = AttributionFinder::CreateFromLexicon(line);
    EXPECT_EQ(n.status().code(), absl::StatusCode::kDataLoss) << line;
    EXPECT_THAT(std::string(n.status().message()), HasSubstr("line 1")) << line;
  }
  auto g = AttributionFinder::Create("/nonexistent-dir");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kNotFound);
}

// The cue model's feature keys changed with "features v2" (integer keys): a model file without it
// in its header is refused, naming the file, instead of being read as weights of other features.
TEST(AttributionFinderTest, CueModelOfOlderFeaturesIsRefused) {
  const std::string dir = ::testing::TempDir() + "/cue_model_v1_" + std::to_string(getpid());
  ASSERT_TRUE(mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST);
  {
    std::ifstream in(DefaultDataDir() + "/attribution_cues.tsv", std::ios::binary);
    std::ofstream out(dir + "/attribution_cues.tsv", std::ios::binary);
    ASSERT_TRUE(in && out);
    out << in.rdbuf();
  }
  const std::string model = dir + "/attribution_cue_model.tsv";
  auto write = [&](const std::string& header) {
    std::ofstream out(model, std::ios::binary);
    out << header << "\n0\t-2.5\n1a2b\t0.75\n";
  };
  write("# attribution cue model: feature hash (hex) <TAB> weight");
  auto old = AttributionFinder::Create(dir);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(old.status().message().find(model), std::string::npos) << old.status();
  write("# attribution cue model: features v2; feature hash (hex) <TAB> weight");
  auto current = AttributionFinder::Create(dir);
  EXPECT_TRUE(current.ok()) << current.status();
  std::remove(model.c_str());
  std::remove((dir + "/attribution_cues.tsv").c_str());
  rmdir(dir.c_str());
}

// Find scores a candidate from the per-word sums made at load (CandidateScore); they must give
// the score of the model's features one by one (CueScore) on the shipped model, for the lexicon's
// candidates at a sentence start and inside one, next to words of every shape and at both ends of
// the text.
TEST(AttributionFinderTest, CandidateScoreIsTheCueModelsScore) {
  ASSERT_TRUE(Finder().has_cue_model());
  constexpr std::string_view kText =
      "Reiterated warnings came late. The mayor conceded on Tuesday that 42 buses were late, "
      "and the council argued - again - that \"nobody\" had warned it. Officials believe the "
      "depot, which Smith-Jones told reporters about, reopened; BRIEFS noted nothing. Suggesting "
      "delays, a spokeswoman said the unions had urged calm, according to the memo. Asked, he "
      "insisted";
  Tokens tokens;
  Tokenize(kText, &tokens);
  int scored = 0;
  for (uint32_t i = 0; i < tokens.tokens.size(); ++i) {
    const std::string_view w = Slice(kText, Span{tokens.tokens[i].begin, tokens.tokens[i].end});
    std::string lower(w);
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (tokens.tokens[i].kind != TokenKind::kWord || Finder().CandidateKind(lower) == 0) {
      EXPECT_EQ(Finder().CandidateScore(kText, tokens, i), 0.0f) << w;  // no candidate
      continue;
    }
    ++scored;
    const float expected = Finder().CueScore(kText, tokens, i, false);
    EXPECT_NE(expected, 0.0f) << w;
    EXPECT_NEAR(Finder().CandidateScore(kText, tokens, i), expected, 1e-4) << w;
  }
  EXPECT_GE(scored, 12);
  EXPECT_EQ(Finder().CandidateScore(kText, tokens, 1), 0.0f);  // "warnings": no candidate
}

// The two filters Find asks before the candidate table (the word's shape, then its hash's Bloom
// filter) never turn a candidate away (every single-word cue of the shipped lexicon that is a
// candidate passes both, in any casing), and they turn most other words away (made-up words: at 2
// bits of 64 Kbit for each of about 900 candidates, about 0.1 % pass the Bloom filter).
TEST(AttributionFinderTest, CandidateFilterHasNoFalseNegatives) {
  std::ifstream in(DefaultDataDir() + "/attribution_cues.tsv", std::ios::binary);
  ASSERT_TRUE(in);
  std::string line;
  int candidates = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::string word = line.substr(0, line.find('\t'));
    if (word.find(' ') != std::string::npos || Finder().CandidateKind(word) == 0) continue;
    ++candidates;
    EXPECT_TRUE(Finder().MayBeCandidate(ner::HashLower(word))) << word;
    std::string upper = word;  // the hash is of the lower-cased word, as Find hashes a token
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_TRUE(Finder().MayBeCandidate(ner::HashLower(upper))) << upper;
    EXPECT_TRUE(Finder().MayBeCandidateWord(word)) << word;  // the shape filter before the hash
    EXPECT_TRUE(Finder().MayBeCandidateWord(upper)) << upper;
    upper[0] = word[0];  // mixed case
    EXPECT_TRUE(Finder().MayBeCandidateWord(upper)) << upper;
  }
  EXPECT_GE(candidates, 500);
  EXPECT_FALSE(Finder().MayBeCandidateWord(""));
  // Made-up lower-case words of 3 to 14 letters: most fail the shape filter (about 1 % of the
  // 1,024 bits a length has are set).
  uint64_t seed = 12345;
  int shaped = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string word;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const int len = 3 + static_cast<int>((seed >> 33) % 12);
    for (int j = 0; j < len; ++j) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      word.push_back(static_cast<char>('a' + (seed >> 33) % 26));
    }
    shaped += Finder().MayBeCandidateWord(word) ? 1 : 0;
  }
  EXPECT_LT(shaped, 20000 / 20);
  int passed = 0;
  constexpr int kWords = 20000;
  for (int k = 0; k < kWords; ++k) {
    const std::string word = absl::StrCat("zqx", k, "vw");
    ASSERT_EQ(Finder().CandidateKind(word), 0) << word;
    passed += Finder().MayBeCandidate(ner::HashLower(word)) ? 1 : 0;
  }
  EXPECT_LT(passed, kWords / 100);
}

}  // namespace
}  // namespace newsparse
