#include "core/dates.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

std::vector<std::pair<std::string, std::string>> Dates(std::string_view text,
                                                       std::optional<absl::CivilDay> ref) {
  Tokens t;
  Tokenize(text, &t);
  std::vector<DateMention> out;
  FindDates(text, t, 0, ref, &out);
  std::vector<std::pair<std::string, std::string>> r;
  for (const DateMention& d : out) r.emplace_back(std::string(Slice(text, d.span)), d.value);
  return r;
}

const absl::CivilDay kThu(2023, 2, 23);  // a Thursday

TEST(DatesTest, BareWeekdayIsTheMostRecentOnOrBefore) {
  EXPECT_THAT(Dates("A diplomat said here on Wednesday.", kThu),
              ElementsAre(Pair("Wednesday", "2023-02-22")));
  EXPECT_THAT(Dates("The talks ended on Thursday.", kThu),
              ElementsAre(Pair("Thursday", "2023-02-23")));
  EXPECT_THAT(Dates("Monday's meeting was short.", kThu),
              ElementsAre(Pair("Monday", "2023-02-20")));
}

TEST(DatesTest, TheClauseOfAWeekdayDecidesItsTense) {
  // Reported speech: the report is past even when the reported words are future.
  EXPECT_THAT(Dates("The kingdom will keep the cut, the minister said Monday.", kThu),
              ElementsAre(Pair("Monday", "2023-02-20")));
  EXPECT_THAT(Dates("He, who arrived on Sunday, will leave on Friday.", kThu),
              ElementsAre(Pair("Sunday", "2023-02-19"), Pair("Friday", "2023-02-24")));
  EXPECT_THAT(Dates("The company on Wednesday unveiled a plan to cut jobs.", kThu),
              ElementsAre(Pair("Wednesday", "2023-02-22")));
  EXPECT_THAT(Dates("The council would vote on Monday. The bank is likely to act on Friday.", kThu),
              ElementsAre(Pair("Monday", "2023-02-27"), Pair("Friday", "2023-02-24")));
  // A participle after "be" is no past cue: the tense is read at "would".
  EXPECT_THAT(Dates("Schools would be closed Friday and Monday.", kThu),
              ElementsAre(Pair("Friday", "2023-02-24"), Pair("Monday", "2023-02-27")));
}

TEST(DatesTest, MonthAfterAPrepositionIsTheNearestUnlessTheClauseSaysOtherwise) {
  EXPECT_THAT(Dates("The first cut is seen in June, and a deal before July looked unlikely, he "
                    "said.",
                    kThu),
              ElementsAre(Pair("June", "2023-06"), Pair("July", "2023-07")));
  EXPECT_THAT(Dates("Trains would run in December. Sales grew in January.", kThu),
              ElementsAre(Pair("December", "2023-12"), Pair("January", "2023-01")));
  EXPECT_THAT(Dates("Output fell in May. Rates have been on hold since March.", kThu),
              ElementsAre(Pair("May", "2022-05"), Pair("March", "2022-03")));
  EXPECT_THAT(Dates("Aid will arrive by August, until the end of September.", kThu),
              ElementsAre(Pair("August", "2023-08"), Pair("September", "2023-09")));
  EXPECT_THAT(Dates("He said Kyiv needed aid before June.", kThu),
              ElementsAre(Pair("June", "2023-06")));
  EXPECT_TRUE(Dates("Crowds gathered in May Day parades.", kThu).empty());
  // A report verb right before the month dates the report; further away, it ends the search.
  EXPECT_THAT(Dates("The agency said in April it would act. In September the firm said it "
                    "would grow.",
                    kThu),
              ElementsAre(Pair("April", "2022-04"), Pair("September", "2022-09")));
}

TEST(DatesTest, FrontedWeekdayReadsTheClauseAfterItsComma) {
  EXPECT_THAT(Dates("Also on Sunday, the bank asked a judge for time, which would help.", kThu),
              ElementsAre(Pair("Sunday", "2023-02-19")));
  EXPECT_THAT(Dates("On Monday, the board will vote.", kThu),
              ElementsAre(Pair("Monday", "2023-02-27")));
  // A hyphenated "-ed" adjective is no past verb.
  EXPECT_THAT(Dates("A long-awaited ruling on Friday is expected to settle it.", kThu),
              ElementsAre(Pair("Friday", "2023-02-24")));
}

TEST(DatesTest, FutureTenseResolvesForward) {
  EXPECT_THAT(Dates("The ministers will meet on Wednesday.", kThu),
              ElementsAre(Pair("Wednesday", "2023-03-01")));
  EXPECT_THAT(Dates("The vote is scheduled for Saturday.", kThu),
              ElementsAre(Pair("Saturday", "2023-02-25")));
}

TEST(DatesTest, ModifiedWeekdays) {
  EXPECT_THAT(
      Dates("He left last Thursday and returns next Thursday.", kThu),
      ElementsAre(Pair("last Thursday", "2023-02-16"), Pair("next Thursday", "2023-03-02")));
  EXPECT_THAT(Dates("It opened this Monday.", kThu),
              ElementsAre(Pair("this Monday", "2023-02-20")));
}

TEST(DatesTest, RelativeWords) {
  EXPECT_THAT(Dates("Prices fell yesterday, rose today and may rise tomorrow.", kThu),
              ElementsAre(Pair("yesterday", "2023-02-22"), Pair("today", "2023-02-23"),
                          Pair("tomorrow", "2023-02-24")));
  EXPECT_THAT(Dates("Sales rose last week and earlier this month, unlike last year.", kThu),
              ElementsAre(Pair("last week", "2023-W07"), Pair("earlier this month", "2023-02"),
                          Pair("last year", "2022")));
  EXPECT_THAT(Dates("It began three days ago, not 2 weeks ago.", kThu),
              ElementsAre(Pair("three days ago", "2023-02-20"), Pair("2 weeks ago", "2023-W06")));
}

// Every trigger word, in any case and with a period where it is an abbreviation, still reaches
// the patterns past the filter that skips the other tokens (first two letters, last letter and
// length); number words start only "<n> <unit> ago".
TEST(DatesTest, TriggerWordsInEveryFormPassTheTokenFilter) {
  EXPECT_THAT(Dates("Talks on SEPT. 4, on Sept. 5, on sep 6 and on DECEMBER 7, 2022.", kThu),
              ElementsAre(Pair("SEPT. 4", "2022-09-04"), Pair("Sept. 5", "2022-09-05"),
                          Pair("DECEMBER 7, 2022", "2022-12-07")));
  EXPECT_THAT(Dates("He left TODAY, she left Yesterday; they meet NEXT MONTH.", kThu),
              ElementsAre(Pair("TODAY", "2023-02-23"), Pair("Yesterday", "2023-02-22"),
                          Pair("NEXT MONTH", "2023-03")));
  // ("an hour" is not a unit of the patterns, "several" and "few" carry no number.)
  EXPECT_THAT(Dates("A week ago, an hour ago, a few years ago and Several months ago.", kThu),
              ElementsAre(Pair("A week ago", "2023-W07")));
  // Words that share a trigger's first letters, last letter or length are not dates.
  EXPECT_TRUE(
      Dates("The thin man, the tenth one, ten men, a jam, an ape, a decimal.", kThu).empty());
  EXPECT_TRUE(Dates("Tomorrows. Mayday. Junk. Lasts. Earliest. Thisbe. Octane.", kThu).empty());
}

TEST(DatesTest, AbsoluteDates) {
  EXPECT_THAT(Dates("Talks on Feb. 20 and March 3, 2024 and on 2023-01-05.", kThu),
              ElementsAre(Pair("Feb. 20", "2023-02-20"), Pair("March 3, 2024", "2024-03-03"),
                          Pair("2023-01-05", "2023-01-05")));
  EXPECT_THAT(Dates("Signed on 23 February 2022 and due in March 2024.", kThu),
              ElementsAre(Pair("23 February 2022", "2022-02-23"), Pair("March 2024", "2024-03")));
  // A month-day without a year takes the year nearest the reference.
  EXPECT_THAT(Dates("Results from Dec. 30 were revised.", absl::CivilDay(2024, 1, 2)),
              ElementsAre(Pair("Dec. 30", "2023-12-30")));
}

TEST(DatesTest, WeekdayBeforeAnExplicitDateDefersToIt) {
  EXPECT_THAT(Dates("On Wednesday, Feb. 22, the council met.", kThu),
              ElementsAre(Pair("Feb. 22", "2023-02-22")));
}

TEST(DatesTest, WithoutReferenceOnlyYearsResolve) {
  EXPECT_THAT(Dates("On Wednesday, and on March 3, 2024, and on Feb. 2.", std::nullopt),
              ElementsAre(Pair("March 3, 2024", "2024-03-03")));
}

TEST(DatesTest, NotDates) {
  EXPECT_TRUE(Dates("May I ask? The march was long. He may go.", kThu).empty());
  EXPECT_TRUE(Dates("Feb. 30 is not a day.", kThu).empty());
}

TEST(DatesTest, IsoWeekAtYearBoundaries) {
  EXPECT_EQ(IsoWeek(absl::CivilDay(2021, 1, 3)), "2020-W53");
  EXPECT_EQ(IsoWeek(absl::CivilDay(2024, 12, 30)), "2025-W01");
  EXPECT_EQ(IsoWeek(absl::CivilDay(2023, 2, 23)), "2023-W08");
}

}  // namespace
}  // namespace newsparse

namespace newsparse {
namespace {

// A weekday's modifier before first_token is not part of the search (found by the dates fuzzer:
// "this Friday" with first_token at "Friday" gave a span starting before it).
TEST(DatesTest, NothingBeforeTheFirstToken) {
  constexpr std::string_view kText = "We meet this Friday.";
  Tokens t;
  Tokenize(kText, &t);
  size_t friday = 0;
  while (friday < t.tokens.size() && TokenText(kText, t.tokens[friday]) != "Friday") ++friday;
  ASSERT_LT(friday, t.tokens.size());
  std::vector<DateMention> out;
  FindDates(kText, t, friday, absl::CivilDay(2023, 2, 23), &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Slice(kText, out[0].span), "Friday");
  FindDates(kText, t, 0, absl::CivilDay(2023, 2, 23), &(out = {}));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Slice(kText, out[0].span), "this Friday");
}

}  // namespace
}  // namespace newsparse

namespace newsparse {
namespace {

// Trigger words pass filters on their letters and length before the table lookup:
// every month, weekday and relative word, written capitalised and in capitals, gives the same
// date as its usual form (and a past irregular verb still sets the tense after the verb filter).
TEST(DatesTest, TriggerWordsInEveryCaseAreFound) {
  auto upper = [](std::string s) {
    for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
    return s;
  };
  const std::vector<std::string> months = {
      "January",   "February", "March",    "April",    "May",  "June", "July",  "August",
      "September", "October",  "November", "December", "Jan.", "Feb.", "Sept.", "Dec."};
  for (const std::string& m : months) {
    const auto want = Dates("It was agreed on " + m + " 3, 2021.", kThu);
    ASSERT_EQ(want.size(), 1u) << m;
    EXPECT_EQ(Dates("It was agreed on " + upper(m) + " 3, 2021.", kThu).size(), 1u) << m;
    EXPECT_EQ(Dates("It was agreed on " + upper(m) + " 3, 2021.", kThu)[0].second, want[0].second);
  }
  for (const std::string w :
       {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}) {
    const auto want = Dates("The minister spoke on " + w + ".", kThu);
    ASSERT_EQ(want.size(), 1u) << w;
    EXPECT_EQ(Dates("The minister spoke on " + upper(w) + ".", kThu),
              (std::vector<std::pair<std::string, std::string>>{{upper(w), want[0].second}}));
  }
  for (const std::string w :
       {"today", "tonight", "yesterday", "tomorrow", "last week", "next month", "this year",
        "earlier this month", "three days ago", "a week ago", "two months ago", "ten years ago"}) {
    const auto want = Dates("Prices rose " + w + ".", kThu);
    ASSERT_EQ(want.size(), 1u) << w;
    std::string capitalised = w;
    capitalised[0] = static_cast<char>(capitalised[0] - 32);
    EXPECT_EQ(Dates(capitalised + " prices rose.", kThu).size(), 1u) << capitalised;
    EXPECT_EQ(Dates(capitalised + " prices rose.", kThu)[0].second, want[0].second);
  }
  // Irregular past verbs before a bare weekday make it past; "will" makes it future.
  for (const std::string v : {"said", "met", "sought", "thought", "became", "hit", "was"}) {
    EXPECT_THAT(Dates("They " + v + " on Friday.", kThu), ElementsAre(Pair("Friday", "2023-02-17")))
        << v;
  }
  EXPECT_THAT(Dates("They will meet on Friday.", kThu), ElementsAre(Pair("Friday", "2023-02-24")));
  // Lower-case month and weekday names are words, not dates.
  EXPECT_THAT(Dates("Prices may march higher in may, and on monday 3 june.", kThu), IsEmpty());
}

}  // namespace
}  // namespace newsparse
