#include "core/date_string.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

const absl::CivilDay kThu(2023, 2, 23);  // a Thursday

class DateStringTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto p = DateStringParser::Create();
    ASSERT_TRUE(p.ok()) << p.status();
    parser_ = std::move(*p).release();
  }
  static void TearDownTestSuite() {
    delete parser_;
    parser_ = nullptr;
  }

  // The day as "YYYY-MM-DD", or "none".
  static std::string Day(std::string_view s, std::optional<absl::CivilDay> ref = kThu,
                         uint32_t languages = kDateAllLanguages) {
    const std::optional<absl::CivilDay> d = parser_->Parse(s, ref, languages);
    if (!d) return "none";
    return absl::FormatCivilTime(*d);
  }

  static DateStringParser* parser_;
};

DateStringParser* DateStringTest::parser_ = nullptr;

TEST_F(DateStringTest, MonthFirstLikeADateline) {
  EXPECT_EQ(Day("Feb. 23"), "2023-02-23");
  EXPECT_EQ(Day("Feb 26"), "2023-02-26");  // three days after the reference: nearest is this year
  EXPECT_EQ(Day("March 3, 2024"), "2024-03-03");
  EXPECT_EQ(Day("Oct. 31, 2005"), "2005-10-31");
  EXPECT_EQ(Day("february 23rd"), "2023-02-23");
  EXPECT_EQ(Day("Sept. 9"), "2022-09-09");
  EXPECT_EQ(Day("  Feb 23 - "), "none");  // a dateline's separator is not part of a date
  EXPECT_EQ(Day("  Feb 23.  "), "2023-02-23");
}

TEST_F(DateStringTest, DayFirstInTheDatelineLanguages) {
  EXPECT_EQ(Day("23 feb"), "2023-02-23");
  EXPECT_EQ(Day("30 janvier"), "2023-01-30");
  EXPECT_EQ(Day("1er mars 2021"), "2021-03-01");
  EXPECT_EQ(Day("23 февраля"), "2023-02-23");
  EXPECT_EQ(Day("23 февраля 2022 г."), "2022-02-23");
  EXPECT_EQ(Day("3. März"), "2023-03-03");
  EXPECT_EQ(Day("23 de febrero de 2020"), "2020-02-23");
  EXPECT_EQ(Day("12 dicembre"), "2022-12-12");
  EXPECT_EQ(Day("7 FÉVR."), "2023-02-07");
  EXPECT_EQ(Day("7 fevrier"), "2023-02-07");  // accents are folded
}

TEST_F(DateStringTest, IsoDates) {
  EXPECT_EQ(Day("2023-02-23"), "2023-02-23");
  EXPECT_EQ(Day("2023-02-23", std::nullopt), "2023-02-23");
  EXPECT_EQ(Day("2023-02-29"), "none");
  EXPECT_EQ(Day("2024-02-29"), "2024-02-29");
  EXPECT_EQ(Day("2023-13-01"), "none");
  EXPECT_EQ(Day("2023-2-23"), "none");
  EXPECT_EQ(Day("2023 - 02 - 23"), "none");
  EXPECT_EQ(Day("2023-02-23T10:00"), "none");
}

TEST_F(DateStringTest, WeekdaysAndRelativeWordsNeedTheReference) {
  EXPECT_EQ(Day("Wednesday"), "2023-02-22");
  EXPECT_EQ(Day("Thursday"), "2023-02-23");  // the reference day itself
  EXPECT_EQ(Day("Friday"), "2023-02-17");
  EXPECT_EQ(Day("mercredi"), "2023-02-22");
  EXPECT_EQ(Day("среда"), "2023-02-22");
  EXPECT_EQ(Day("Wed."), "2023-02-22");
  EXPECT_EQ(Day("yesterday"), "2023-02-22");
  EXPECT_EQ(Day("Today"), "2023-02-23");
  EXPECT_EQ(Day("tomorrow"), "2023-02-24");
  EXPECT_EQ(Day("aujourd'hui"), "2023-02-23");
  EXPECT_EQ(Day("aujourd\u2019hui"), "2023-02-23");
  EXPECT_EQ(Day("вчера"), "2023-02-22");
  EXPECT_EQ(Day("Wednesday", std::nullopt), "none");
  EXPECT_EQ(Day("yesterday", std::nullopt), "none");
  EXPECT_EQ(Day("Feb. 23", std::nullopt), "none");  // no year, no reference: never guessed
  EXPECT_EQ(Day("Feb. 23, 2023", std::nullopt), "2023-02-23");
}

TEST_F(DateStringTest, AWeekdayBeforeADateIsReadAndNotChecked) {
  EXPECT_EQ(Day("Thursday, Feb. 23, 2023"), "2023-02-23");
  EXPECT_EQ(Day("Monday, Feb. 23, 2023"), "2023-02-23");
  EXPECT_EQ(Day("Thu 23 February"), "2023-02-23");
}

TEST_F(DateStringTest, YearlessDatesTakeTheNearestYear) {
  const absl::CivilDay jan2(2023, 1, 2);
  EXPECT_EQ(Day("Dec 31", jan2), "2022-12-31");
  EXPECT_EQ(Day("Jan 3", jan2), "2023-01-03");
  EXPECT_EQ(Day("July 4", jan2), "2022-07-04");                        // 182 days back, 183 ahead
  EXPECT_EQ(Day("July 3", jan2), "2023-07-03");                        // 183 days back, 182 ahead
  EXPECT_EQ(Day("July 2", absl::CivilDay(2024, 1, 1)), "2023-07-02");  // 183 either way: past
  EXPECT_EQ(Day("Feb 29", jan2), "2024-02-29");  // the only leap year in reach
  EXPECT_EQ(Day("Feb 29", absl::CivilDay(2022, 6, 1)), "none");
}

// The nearest-year rule against a direct computation with absl's civil days, across leap years,
// year ends and month lengths.
TEST_F(DateStringTest, NearestYearMatchesCivilDayArithmetic) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int checked = 0;
  for (absl::CivilDay ref(2022, 12, 1); ref < absl::CivilDay(2025, 3, 1); ref += 11) {
    for (int m = 1; m <= 12; ++m) {
      for (int d : {1, 15, 28, 29, 30, 31}) {
        std::optional<absl::CivilDay> want;
        for (int y = static_cast<int>(ref.year()) - 1; y <= ref.year() + 1; ++y) {
          const absl::CivilDay c(y, m, d);
          if (c.month() != m || c.day() != d) continue;  // no such day that year
          const auto dist = [&](absl::CivilDay x) { return x > ref ? x - ref : ref - x; };
          if (!want || dist(c) < dist(*want)) want = c;
        }
        const std::string s = std::string(kMonths[m - 1]) + " " + std::to_string(d);
        EXPECT_EQ(Day(s, ref), want ? absl::FormatCivilTime(*want) : "none") << s << " " << ref;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 5000);
}

TEST_F(DateStringTest, LanguagesRestrictTheWords) {
  EXPECT_EQ(Day("30 janvier", kThu, kDateEnglish), "none");
  EXPECT_EQ(Day("30 janvier", kThu, kDateFrench), "2023-01-30");
  EXPECT_EQ(Day("hier", kThu, kDateEnglish), "none");
  EXPECT_EQ(Day("hier", kThu, kDateFrench | kDateEnglish), "2023-02-22");
  EXPECT_EQ(Day("Feb 23", kThu, kDateRussian), "none");
  EXPECT_EQ(Day("2023-02-23", kThu, 0), "2023-02-23");  // ISO needs no words
  EXPECT_EQ(DateLanguageBit("fr"), kDateFrench);
  EXPECT_EQ(DateLanguageBit("xx"), std::nullopt);
  EXPECT_EQ(DateLanguageBit("EN"), std::nullopt);
}

TEST_F(DateStringTest, GarbageIsNoDate) {
  EXPECT_EQ(Day(""), "none");
  EXPECT_EQ(Day("   "), "none");
  EXPECT_EQ(Day("."), "none");
  EXPECT_EQ(Day("Feb"), "none");
  EXPECT_EQ(Day("February 2023"), "none");  // a month, not a day
  EXPECT_EQ(Day("Feb. 30"), "none");
  EXPECT_EQ(Day("Feb. 32"), "none");
  EXPECT_EQ(Day("Feb. 0"), "none");
  EXPECT_EQ(Day("Feb. 23, 23"), "none");
  EXPECT_EQ(Day("Feb. 23, 0999"), "none");
  EXPECT_EQ(Day("02/23/2023"), "none");
  EXPECT_EQ(Day("next Friday"), "none");
  EXPECT_EQ(Day("SALVADOR, Feb 26"), "none");
  EXPECT_EQ(Day("Feb 23 Feb 24"), "none");
  EXPECT_EQ(Day("99999999999999999999 Feb"), "none");
  EXPECT_EQ(Day("Feb 99999999999999999999"), "none");
  EXPECT_EQ(Day(std::string_view("Feb\0 23", 7)), "none");
}

TEST_F(DateStringTest, InvalidUtf8IsNoLetter) {
  EXPECT_EQ(Day("23 f\xC3vrier"), "none");
  EXPECT_EQ(Day("23 \xFF\xFE"), "none");
  EXPECT_EQ(Day("\xD0"), "none");             // a lead byte at the end
  EXPECT_EQ(Day("23 \xED\xA0\x80"), "none");  // an encoded surrogate
  EXPECT_EQ(Day("Feb 23\xC2"), "none");
}

TEST_F(DateStringTest, LongStringsAreNotRead) {
  std::string padded = "Feb 23";
  padded.append(kMaxDateStringBytes - padded.size(), ' ');
  EXPECT_EQ(Day(padded), "2023-02-23");
  padded.push_back(' ');
  EXPECT_EQ(Day(padded), "none");
  const std::string huge(size_t{64} << 20, '7');
  EXPECT_EQ(Day(huge), "none");
  // Many short tokens within the bound: more than the parser keeps is no date either.
  EXPECT_EQ(Day(", , , , , , , , , , , , , , , , , , , , Feb 23"), "none");
}

TEST_F(DateStringTest, LongWordsDoNotOverflow) {
  const std::string word(kMaxDateStringBytes - 3, 'a');
  EXPECT_EQ(Day("23 " + word), "none");
  std::string cyrillic = "23 ";
  while (cyrillic.size() + 2 <= kMaxDateStringBytes) cyrillic += "\xD1\x91";  // ё
  EXPECT_EQ(Day(cyrillic), "none");
}

}  // namespace
}  // namespace newsparse
