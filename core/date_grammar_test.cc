#include "core/date_grammar.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using absl::CivilDay;

// "YYYY-MM-DD", or "none".
std::string Str(std::optional<CivilDay> d) {
  if (!d.has_value()) return "none";
  return absl::StrCat(absl::FormatCivilTime(*d));
}

// --- ValidCivilDay ---

TEST(ValidCivilDayTest, February29FollowsTheGregorianLeapYears) {
  EXPECT_FALSE(ValidCivilDay(1900, 2, 29));  // divisible by 100, not by 400
  EXPECT_TRUE(ValidCivilDay(2000, 2, 29));   // divisible by 400
  EXPECT_FALSE(ValidCivilDay(2100, 2, 29));
  EXPECT_TRUE(ValidCivilDay(2024, 2, 29));
  EXPECT_FALSE(ValidCivilDay(2023, 2, 29));
  EXPECT_TRUE(ValidCivilDay(1900, 2, 28));
  EXPECT_FALSE(ValidCivilDay(2000, 2, 30));
}

TEST(ValidCivilDayTest, DayAndMonthOutOfRange) {
  EXPECT_FALSE(ValidCivilDay(2024, 1, 0));
  EXPECT_FALSE(ValidCivilDay(2024, 1, 32));
  EXPECT_TRUE(ValidCivilDay(2024, 1, 31));
  EXPECT_TRUE(ValidCivilDay(2024, 1, 1));
  EXPECT_FALSE(ValidCivilDay(2024, 0, 1));
  EXPECT_FALSE(ValidCivilDay(2024, 13, 1));
  EXPECT_FALSE(ValidCivilDay(2024, -1, 1));
  EXPECT_TRUE(ValidCivilDay(2024, 12, 31));
  EXPECT_FALSE(ValidCivilDay(2024, 4, 31));
  EXPECT_FALSE(ValidCivilDay(2024, 11, 31));
  EXPECT_TRUE(ValidCivilDay(2024, 8, 31));
}

TEST(ValidCivilDayTest, AgreesWithCivilDayNormalisation) {
  // absl::CivilDay normalises an invalid day into the next month: valid exactly when it
  // keeps its fields.
  for (int y : {1600, 1700, 1900, 1999, 2000, 2023, 2024, 2100, 2400}) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        const CivilDay c(y, m, d);
        const bool kept = c.year() == y && c.month() == m && c.day() == d;
        EXPECT_EQ(ValidCivilDay(y, m, d), kept) << y << "-" << m << "-" << d;
      }
    }
  }
}

// --- DaysFromCivil ---

TEST(DaysFromCivilTest, AgreesWithCivilDayDifferencesOverFourThousandYears) {
  const CivilDay epoch(1970, 1, 1);
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), CivilDay(2000, 3, 1) - epoch);
  int checked = 0;
  // Every day from year -401 to 3600: negative years, eras, and 100/400-year rules.
  for (CivilDay d(-401, 1, 1); d <= CivilDay(3600, 12, 31); ++d) {
    const int64_t want = d - epoch;
    const int64_t got = DaysFromCivil(d.year(), d.month(), d.day());
    if (got != want) {
      ADD_FAILURE() << absl::FormatCivilTime(d) << ": " << got << " != " << want;
      if (++checked > 10) return;  // enough lines to read the pattern
    }
  }
}

// --- RecentDay ---

TEST(RecentDayTest, NoReferenceOrInvalidDay) {
  EXPECT_EQ(Str(RecentDay(2, 23, 0, std::nullopt)), "none");
  EXPECT_EQ(Str(RecentDay(2, 30, 0, CivilDay(2024, 6, 1))), "none");
  EXPECT_EQ(Str(RecentDay(4, 31, 0, CivilDay(2024, 6, 1))), "none");
  EXPECT_EQ(Str(RecentDay(13, 1, 0, CivilDay(2024, 6, 1))), "none");
  EXPECT_EQ(Str(RecentDay(1, 0, 0, CivilDay(2024, 6, 1))), "none");
}

TEST(RecentDayTest, WrittenYearIsTaken) {
  EXPECT_EQ(Str(RecentDay(2, 23, 1987, CivilDay(2024, 6, 1))), "1987-02-23");
  EXPECT_EQ(Str(RecentDay(2, 23, 1987, std::nullopt)), "1987-02-23");
  EXPECT_EQ(Str(RecentDay(2, 29, 2023, CivilDay(2024, 6, 1))), "none");
  EXPECT_EQ(Str(RecentDay(2, 29, 2024, std::nullopt)), "2024-02-29");
}

TEST(RecentDayTest, February29) {
  // On or before reference + 1 day, in a leap year.
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2024, 3, 1))), "2024-02-29");
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2024, 2, 29))), "2024-02-29");
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2024, 2, 28))), "2024-02-29");  // a day ahead
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2024, 2, 27))), "2020-02-29");
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2023, 6, 1))), "2020-02-29");
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2025, 1, 1))), "2024-02-29");
  // 2100 is no leap year: eight years back to 2096.
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2104, 2, 27))), "2096-02-29");
  EXPECT_EQ(Str(RecentDay(2, 29, 0, CivilDay(2104, 2, 28))), "2104-02-29");
  // A reference on Feb 28 of a leap year: the limit is Feb 29, not Mar 1.
  EXPECT_EQ(Str(RecentDay(3, 1, 0, CivilDay(2024, 2, 28))), "2023-03-01");
  // A reference on Feb 28 of a common year: the limit is Mar 1.
  EXPECT_EQ(Str(RecentDay(3, 1, 0, CivilDay(2023, 2, 28))), "2023-03-01");
}

TEST(RecentDayTest, YearRollover) {
  // December reference, January date: the limit crosses into the new year by one day only.
  EXPECT_EQ(Str(RecentDay(1, 1, 0, CivilDay(2023, 12, 31))), "2024-01-01");
  EXPECT_EQ(Str(RecentDay(1, 2, 0, CivilDay(2023, 12, 31))), "2023-01-02");
  EXPECT_EQ(Str(RecentDay(12, 31, 0, CivilDay(2023, 12, 31))), "2023-12-31");
  EXPECT_EQ(Str(RecentDay(1, 1, 0, CivilDay(2023, 12, 30))), "2023-01-01");
  // January reference, December date: last year's.
  EXPECT_EQ(Str(RecentDay(12, 31, 0, CivilDay(2024, 1, 1))), "2023-12-31");
  EXPECT_EQ(Str(RecentDay(12, 30, 0, CivilDay(2024, 1, 1))), "2023-12-30");
  EXPECT_EQ(Str(RecentDay(1, 1, 0, CivilDay(2024, 1, 1))), "2024-01-01");
  EXPECT_EQ(Str(RecentDay(1, 2, 0, CivilDay(2024, 1, 1))), "2024-01-02");
  EXPECT_EQ(Str(RecentDay(1, 3, 0, CivilDay(2024, 1, 1))), "2023-01-03");
}

// The contract, computed with absl::CivilDay arithmetic: the latest year from reference + 1
// back 8 years whose month-day exists and is on or before reference + 1 day.
std::optional<CivilDay> RecentDayByCivilArithmetic(int m, int d, CivilDay ref) {
  const CivilDay limit = ref + 1;
  for (int64_t y = limit.year(); y >= ref.year() - 8; --y) {
    const CivilDay c(y, m, d);
    if (c.month() != m || c.day() != d) continue;  // normalised: no such day that year
    if (c <= limit) return c;
  }
  return std::nullopt;
}

TEST(RecentDayTest, AgreesWithCivilArithmeticAroundLeapAndCenturyYears) {
  int failures = 0;
  for (const auto& [from, to] : {std::pair{CivilDay(2023, 1, 1), CivilDay(2025, 1, 3)},
                                 std::pair{CivilDay(2099, 12, 1), CivilDay(2101, 3, 5)},
                                 std::pair{CivilDay(2103, 12, 25), CivilDay(2104, 3, 2)}}) {
    for (CivilDay ref = from; ref <= to; ++ref) {
      for (int m = 1; m <= 12; ++m) {
        for (int d = 1; d <= 31; ++d) {
          if (!ValidCivilDay(2000, m, d)) continue;
          const std::string got = Str(RecentDay(m, d, 0, ref));
          const std::string want = Str(RecentDayByCivilArithmetic(m, d, ref));
          if (got != want && ++failures <= 10) {
            ADD_FAILURE() << m << "/" << d << " against " << ref << ": " << got << " != " << want;
          }
        }
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// --- NearestDay ---

TEST(NearestDayTest, NearestOfThreeYears) {
  EXPECT_EQ(Str(NearestDay(2, 23, CivilDay(2023, 2, 23))), "2023-02-23");
  EXPECT_EQ(Str(NearestDay(12, 30, CivilDay(2024, 1, 2))), "2023-12-30");
  EXPECT_EQ(Str(NearestDay(1, 3, CivilDay(2023, 12, 30))), "2024-01-03");
  EXPECT_EQ(Str(NearestDay(7, 1, CivilDay(2023, 2, 23))), "2023-07-01");
  // Feb 29: the leap year among the three, none when there is none.
  EXPECT_EQ(Str(NearestDay(2, 29, CivilDay(2023, 6, 1))), "2024-02-29");
  EXPECT_EQ(Str(NearestDay(2, 29, CivilDay(2025, 1, 1))), "2024-02-29");
  EXPECT_EQ(Str(NearestDay(2, 29, CivilDay(2026, 6, 1))), "none");
  EXPECT_EQ(Str(NearestDay(2, 30, CivilDay(2024, 2, 1))), "none");
  EXPECT_EQ(Str(NearestDay(13, 1, CivilDay(2024, 2, 1))), "none");
}

TEST(NearestDayTest, TieGoesToThePast) {
  // Jan 1 2024 -> Jan 1 2025 is 366 days: 2024-07-02 lies 183 days from each.
  const CivilDay ref(2024, 7, 2);
  ASSERT_EQ(ref - CivilDay(2024, 1, 1), CivilDay(2025, 1, 1) - ref);
  EXPECT_EQ(Str(NearestDay(1, 1, ref)), "2024-01-01");
}

TEST(NearestDayTest, YearsOutside1000To9999AreNotConsidered) {
  // Upper bound: 10000-01-01 would be the nearest (2 days), 9999's is taken.
  EXPECT_EQ(Str(NearestDay(1, 1, CivilDay(9999, 12, 30))), "9999-01-01");
  EXPECT_EQ(Str(NearestDay(12, 30, CivilDay(9999, 12, 30))), "9999-12-30");
  EXPECT_EQ(Str(NearestDay(1, 1, CivilDay(10000, 1, 1))), "9999-01-01");
  EXPECT_EQ(Str(NearestDay(1, 1, CivilDay(10001, 1, 1))), "none");
  // Lower bound: 0999-12-31 would be the nearest (1 day), 1000's is taken.
  EXPECT_EQ(Str(NearestDay(12, 31, CivilDay(1000, 1, 1))), "1000-12-31");
  EXPECT_EQ(Str(NearestDay(1, 1, CivilDay(1000, 1, 1))), "1000-01-01");
  EXPECT_EQ(Str(NearestDay(12, 31, CivilDay(999, 1, 1))), "1000-12-31");
  EXPECT_EQ(Str(NearestDay(12, 31, CivilDay(998, 6, 1))), "none");
}

TEST(NearestDayTest, AgreesWithCivilArithmetic) {
  int failures = 0;
  for (CivilDay ref(2023, 1, 1); ref <= CivilDay(2025, 1, 3); ++ref) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        std::optional<CivilDay> want;
        for (int64_t y = ref.year() - 1; y <= ref.year() + 1; ++y) {
          const CivilDay c(y, m, d);
          if (c.month() != m || c.day() != d) continue;
          const auto dist = [&](CivilDay x) { return x < ref ? ref - x : x - ref; };
          if (!want.has_value() || dist(c) < dist(*want)) want = c;
        }
        const std::string got = Str(NearestDay(m, d, ref));
        if (got != Str(want) && ++failures <= 10) {
          ADD_FAILURE() << m << "/" << d << " against " << ref << ": " << got
                        << " != " << Str(want);
        }
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// --- NamePrefixes ---

std::map<std::string, int> Prefixes(const NamePrefixes& p) {
  std::map<std::string, int> out;
  p.ForEachUnambiguous([&](const std::string& prefix, int value) { out[prefix] = value; });
  return out;
}

// Whether `s` is cut on code-point boundaries: it neither starts with a continuation byte nor
// ends inside a multi-byte sequence.
bool WholeCodePoints(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t len = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST(NamePrefixesTest, CyrillicPrefixesAreWholeCodePointsOfAtLeastThree) {
  NamePrefixes p;
  p.Add("февраль", 2);  // 7 code points, 14 bytes
  const std::map<std::string, int> want = {{"фев", 2}, {"февр", 2}, {"февра", 2}, {"феврал", 2}};
  EXPECT_EQ(Prefixes(p), want);  // not "фе" (4 bytes, 2 code points), not the whole name
}

TEST(NamePrefixesTest, FrenchAccentsAndAmbiguousPrefixes) {
  NamePrefixes p;
  p.Add("février", 2);
  p.Add("juin", 6);
  p.Add("juillet", 7);
  p.Add("décembre", 12);
  const std::map<std::string, int> got = Prefixes(p);
  EXPECT_EQ(got.count("fév"), 1u);  // 3 code points, 4 bytes
  EXPECT_EQ(got.at("fév"), 2);
  EXPECT_EQ(got.at("févr"), 2);
  EXPECT_EQ(got.count("fé"), 0u);   // 3 bytes, 2 code points
  EXPECT_EQ(got.count("jui"), 0u);  // juin and juillet
  EXPECT_EQ(got.at("juil"), 7);
  EXPECT_EQ(got.count("juin"), 0u);  // the whole name is not a prefix of itself
  EXPECT_EQ(got.at("déc"), 12);
  for (const auto& [prefix, value] : got) {
    EXPECT_TRUE(WholeCodePoints(prefix)) << prefix;
  }
}

TEST(NamePrefixesTest, RussianMonthsShareNoHalfLetters) {
  // June and July share "ию", which is too short anyway; March and May share "ма".
  NamePrefixes p;
  p.Add("июнь", 6);
  p.Add("июль", 7);
  p.Add("март", 3);
  p.Add("мая", 5);
  p.Add("май", 5);  // the same value twice under other spellings: not ambiguous
  const std::map<std::string, int> want = {{"июн", 6}, {"июл", 7}, {"мар", 3}};
  EXPECT_EQ(Prefixes(p), want);
}

TEST(NamePrefixesTest, SameNameTwiceStaysUnambiguousAndThreeAndFourByteLetters) {
  NamePrefixes p;
  p.Add("sept", 9);
  p.Add("september", 9);            // format and stand-alone forms of one month
  p.Add("a€b€c", 1);                // 3-byte letters
  p.Add("x\xF0\x9F\x98\x80yz", 4);  // a 4-byte letter
  const std::map<std::string, int> got = Prefixes(p);
  EXPECT_EQ(got.at("sep"), 9);
  EXPECT_EQ(got.at("sept"), 9);  // a prefix of "september", though also a whole name
  EXPECT_EQ(got.at("septembe"), 9);
  EXPECT_EQ(got.at("a€b"), 1);
  EXPECT_EQ(got.at("a€b€"), 1);
  EXPECT_EQ(got.at("x\xF0\x9F\x98\x80y"), 4);
  for (const auto& [prefix, value] : got) {
    EXPECT_TRUE(WholeCodePoints(prefix)) << prefix;
  }
  // "a€b€c" has 5 code points: prefixes of 3 and 4; "x😀yz" 4: one prefix of 3.
  int euro = 0, emoji = 0;
  for (const auto& [prefix, value] : got) {
    euro += value == 1;
    emoji += value == 4;
  }
  EXPECT_EQ(euro, 2);
  EXPECT_EQ(emoji, 1);
}

TEST(NamePrefixesTest, IcuMonthNamesGiveWholeCodePointPrefixes) {
  // Every language's wide month names, lower-cased by the test only in ASCII (ICU's names are
  // already lower case in fr, es, pt, it, ru).
  NamePrefixes p;
  int wide_months = 0;
  ASSERT_TRUE(ForEachIcuDateName(false, [&](const IcuDateName& n) {
                if (n.kind != DateNameKind::kMonth || !n.wide) return;
                ++wide_months;
                p.Add(n.utf8, n.value);
              }).ok());
  EXPECT_EQ(wide_months, kDateGrammarLanguages * 2 * 12);  // two contexts
  const std::map<std::string, int> got = Prefixes(p);
  EXPECT_GT(got.size(), 100u);
  for (const auto& [prefix, value] : got) {
    EXPECT_TRUE(WholeCodePoints(prefix)) << prefix;
    EXPECT_GE(value, 1);
    EXPECT_LE(value, 12);
  }
}

}  // namespace
}  // namespace newsparse
