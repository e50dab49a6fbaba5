#include "core/dateline.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "core/dateline_eval.h"
#include "core/jsonl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ::testing::ElementsAre;

std::string DataDir() {
  if (const char* env = std::getenv("NEWSPARSE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return NEWSPARSE_SOURCE_DATA_DIR;
}

class DatelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto parser = DatelineParser::Create(DataDir());
    ASSERT_TRUE(parser.ok()) << parser.status();
    parser_ = parser->release();
  }
  static void TearDownTestSuite() {
    delete parser_;
    parser_ = nullptr;
  }

  static std::optional<Dateline> Parse(std::string_view text,
                                       std::optional<absl::CivilDay> ref = absl::CivilDay(2024, 3,
                                                                                          15)) {
    return parser_->Parse(text, 0, ref);
  }

  static std::string DateOf(const Dateline& d) {
    if (!d.date.has_value() || !d.date->value.has_value()) return "none";
    return absl::FormatCivilTime(*d.date->value);
  }

  static const DatelineParser* parser_;
};

const DatelineParser* DatelineTest::parser_ = nullptr;

// ---------------------------------------------------------------------------------------------
// Places.

TEST_F(DatelineTest, CityAndCountry) {
  constexpr std::string_view kText = "KYIV, Ukraine — Russian forces shelled the city overnight.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "KYIV, Ukraine");
  EXPECT_EQ(d->place.city, "Kyiv");
  EXPECT_EQ(d->place.region, "Ukraine");
  EXPECT_EQ(d->place.country, "UA");
  EXPECT_FALSE(d->date.has_value());
  EXPECT_FALSE(d->source.has_value());
  EXPECT_EQ(Slice(kText, d->span), "KYIV, Ukraine —");
  EXPECT_EQ(kText.substr(d->body_start, 7), "Russian");
}

TEST_F(DatelineTest, ApStateAbbreviation) {
  constexpr std::string_view kText = "ANAHEIM, Calif. (AP) — The team won again on Sunday.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "ANAHEIM, Calif.");
  EXPECT_EQ(d->place.city, "Anaheim");
  EXPECT_EQ(d->place.region, "Calif.");
  EXPECT_EQ(d->place.country, "US");
  ASSERT_TRUE(d->source.has_value());
  EXPECT_EQ(Slice(kText, d->source->span), "AP");
  EXPECT_EQ(d->source->name, "AP");
  EXPECT_EQ(kText.substr(d->body_start, 3), "The");
}

TEST_F(DatelineTest, RegionSettlesAmbiguousCity) {
  constexpr std::string_view kMo = "KANSAS CITY, Mo. (AP) — Text.";
  constexpr std::string_view kGa = "ATHENS, Ga. (AP) — Text.";
  constexpr std::string_view kGr = "ATHENS (AP) — Text.";
  constexpr std::string_view kGe = "TBILISI, Georgia (AP) — Text.";
  auto mo = Parse(kMo);
  auto ga = Parse(kGa);
  auto gr = Parse(kGr);
  auto ge = Parse(kGe);
  ASSERT_TRUE(mo && ga && gr && ge);
  EXPECT_EQ(mo->place.country, "US");
  EXPECT_EQ(ga->place.city, "Athens");
  EXPECT_EQ(ga->place.country, "US");
  EXPECT_EQ(gr->place.country, "GR");
  EXPECT_EQ(ge->place.country, "GE");  // "Georgia" is a state and a country
}

TEST_F(DatelineTest, WashingtonIsTheCapital) {
  constexpr std::string_view kText = "WASHINGTON (Reuters) - The Senate voted on Tuesday.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->place.city, "Washington");
  EXPECT_EQ(d->place.country, "US");
}

TEST_F(DatelineTest, CountryInParentheses) {
  constexpr std::string_view kText = "Nagpur (India) (AFP) – Officials said on Monday.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "Nagpur (India)");
  EXPECT_EQ(d->place.city, "Nagpur");
  EXPECT_EQ(d->place.region, "India");
  EXPECT_EQ(d->place.country, "IN");
  EXPECT_EQ(d->source->name, "AFP");
}

TEST_F(DatelineTest, MultiPlace) {
  constexpr std::string_view kText =
      "SAN FRANCISCO/NEW YORK (Reuters) - Two firms agreed to merge.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->places.size(), 2u);
  EXPECT_EQ(Slice(kText, d->places[0].span), "SAN FRANCISCO");
  EXPECT_EQ(Slice(kText, d->places[1].span), "NEW YORK");
  EXPECT_EQ(d->places[0].city, "San Francisco");
  EXPECT_EQ(d->places[1].country, "US");
  EXPECT_EQ(Slice(kText, d->place.span), "SAN FRANCISCO");
}

TEST_F(DatelineTest, MultiPlaceWithRegionsAndDate) {
  constexpr std::string_view kText =
      "MIZATA, El Salvador/LONDON, Nov 22 (Reuters) - Surfers gathered on the beach.";
  auto d = Parse(kText, absl::CivilDay(2023, 11, 22));
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->places.size(), 2u);
  EXPECT_EQ(Slice(kText, d->places[0].span), "MIZATA, El Salvador");
  EXPECT_EQ(d->places[0].city, "MIZATA");  // not in the table: as written
  EXPECT_EQ(d->places[0].country, "SV");
  EXPECT_EQ(d->places[1].city, "London");
  EXPECT_EQ(Slice(kText, d->date->span), "Nov 22");
  EXPECT_EQ(DateOf(*d), "2023-11-22");
  EXPECT_EQ(kText.substr(d->body_start, 7), "Surfers");
}

TEST_F(DatelineTest, TwoPlacesWithStates) {
  constexpr std::string_view kText =
      "PALO ALTO, California/MEMPHIS, Tennessee (Reuters) - A deal was signed.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->places.size(), 2u);
  EXPECT_EQ(d->places[0].city, "Palo Alto");
  EXPECT_EQ(d->places[1].city, "Memphis");
  EXPECT_EQ(d->places[1].region, "Tennessee");
  EXPECT_EQ(d->places[1].country, "US");
}

TEST_F(DatelineTest, NormalisedNames) {
  struct Case {
    std::string_view text, city, country;
  };
  const Case kCases[] = {
      {"SAO PAULO (Reuters) - Text.", "São Paulo", "BR"},
      {"MÜNCHEN (dpa) - Die Polizei teilte mit.", "Munich", "DE"},
      {"KIEV, August 25. /TASS/. Text.", "Kyiv", "UA"},
      {"LA HAYA, 31 dic (Xinhua) -- Texto.", "The Hague", "NL"},
      {"ROMA, 1 LUG (ANSA) - Testo.", "Rome", "IT"},
      {"NEW DELHI (Reuters) - Text.", "New Delhi", "IN"},
      {"МОСКВА, 10 фев — РИА Новости. Текст.", "Moscow", "RU"},
  };
  for (const Case& c : kCases) {
    auto d = Parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(d->place.city, c.city) << c.text;
    EXPECT_EQ(d->place.country, c.country) << c.text;
  }
}

TEST_F(DatelineTest, CountryAsPlace) {
  constexpr std::string_view kText = "BAHRAIN - The ministry said on Monday.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "BAHRAIN");
  EXPECT_EQ(d->place.city, "");
  EXPECT_EQ(d->place.country, "BH");
}

// ---------------------------------------------------------------------------------------------
// Dates and languages.

TEST_F(DatelineTest, EnglishDateForms) {
  struct Case {
    std::string_view text, date, value;
  };
  const Case kCases[] = {
      {"BEIJING, Feb. 23 (Xinhua) -- Text.", "Feb. 23", "2024-02-23"},
      {"SALVADOR, Feb 26 - Showers continued.", "Feb 26", "2024-02-26"},
      {"BEIJING, Sept. 3 (Xinhua) -- Text.", "Sept. 3", "2023-09-03"},
      {"LONDON, March 2 - Text.", "March 2", "2024-03-02"},
      {"WASHINGTON, Oct. 31, 2005 (UPI) -- Text.", "Oct. 31, 2005", "2005-10-31"},
      {"MOSCOW, January 21. /TASS/. The Kremlin said.", "January 21", "2024-01-21"},
      {"NEW YORK, MArch 9 - Text.", "MArch 9", "2024-03-09"},
      {"TOKYO, Marc 4 - Text.", "Marc 4", "2024-03-04"},
      {"TOKYO, Apri 4 - Text.", "Apri 4", "2023-04-04"},
      {"TOKYO, Junee 4 - Text.", "Junee 4", "2023-06-04"},
  };
  for (const Case& c : kCases) {
    auto d = Parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    ASSERT_TRUE(d->date.has_value()) << c.text;
    EXPECT_EQ(Slice(c.text, d->date->span), c.date) << c.text;
    EXPECT_EQ(DateOf(*d), c.value) << c.text;
  }
}

TEST_F(DatelineTest, OtherLanguages) {
  struct Case {
    std::string_view text, date, value, source;
  };
  const Case kCases[] = {
      {"OTTAWA, 30 janvier (Reuters) - Le gouvernement a annoncé.", "30 janvier", "2024-01-30",
       "Reuters"},
      {"MANILLE, 3 décembre (Reuters) - Texte.", "3 décembre", "2023-12-03", "Reuters"},
      {"PARÍS, 4 dic (Reuters) - El banco dijo.", "4 dic", "2023-12-04", "Reuters"},
      {"Madrid, 10 abr (EFE).- El Gobierno aprobó.", "10 abr", "2023-04-10", "EFE"},
      {"Montevidéu, 12 jul (EFE).- Os países.", "12 jul", "2023-07-12", "EFE"},
      {"(ANSA) - ROMA, 22 MAR - Il ministro ha detto.", "22 MAR", "2023-03-22", "ANSA"},
      {"Berlin, 3. März (dpa) - Die Regierung.", "3. März", "2024-03-03", "dpa"},
      {"МОСКВА, 23 февраля. /ТАСС/. Федеральная служба.", "23 февраля", "2024-02-23", "TASS"},
      {"МОСКВА, 10 фев — РИА Новости. Правительство.", "10 фев", "2024-02-10", "RIA Novosti"},
      {"Москва. 22 ноября. INTERFAX.RU - США направят.", "22 ноября", "2023-11-22", "Interfax"},
      {"MADRID, 9 Sep. (EUROPA PRESS) - El Gobierno.", "9 Sep.", "2023-09-09", "Europa Press"},
      {"Paris, 21 jan 2019 (AFP) - Le texte.", "21 jan 2019", "2019-01-21", "AFP"},
  };
  for (const Case& c : kCases) {
    auto d = Parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    ASSERT_TRUE(d->date.has_value()) << c.text;
    EXPECT_EQ(Slice(c.text, d->date->span), c.date) << c.text;
    EXPECT_EQ(DateOf(*d), c.value) << c.text;
    ASSERT_TRUE(d->source.has_value()) << c.text;
    EXPECT_EQ(d->source->name, c.source) << c.text;
  }
}

TEST_F(DatelineTest, MonthNumberFromIcuSymbols) {
  EXPECT_EQ(parser_->MonthNumber("Feb."), 2);
  EXPECT_EQ(parser_->MonthNumber("février"), 2);
  EXPECT_EQ(parser_->MonthNumber("FEVRIER"), 2);
  EXPECT_EQ(parser_->MonthNumber("febrero"), 2);
  EXPECT_EQ(parser_->MonthNumber("fevereiro"), 2);
  EXPECT_EQ(parser_->MonthNumber("febbraio"), 2);
  EXPECT_EQ(parser_->MonthNumber("Februar"), 2);
  EXPECT_EQ(parser_->MonthNumber("февраля"), 2);
  EXPECT_EQ(parser_->MonthNumber("февраль"), 2);
  EXPECT_EQ(parser_->MonthNumber("LUG"), 7);
  EXPECT_EQ(parser_->MonthNumber("GEN"), 1);
  EXPECT_EQ(parser_->MonthNumber("Sept"), 9);
  EXPECT_EQ(parser_->MonthNumber("mai"), 5);
  EXPECT_EQ(parser_->MonthNumber("Mai"), 5);
  EXPECT_EQ(parser_->MonthNumber("Mär"), 3);
  EXPECT_FALSE(parser_->MonthNumber("JUI").has_value());  // juin or juillet
  EXPECT_FALSE(parser_->MonthNumber("Monday").has_value());
  EXPECT_FALSE(parser_->MonthNumber("").has_value());
}

TEST_F(DatelineTest, YearBoundaries) {
  constexpr std::string_view kDec = "BEIJING, Dec. 31 (Xinhua) -- Text.";
  constexpr std::string_view kJan = "BEIJING, Jan. 1 (Xinhua) -- Text.";
  EXPECT_EQ(DateOf(*Parse(kDec, absl::CivilDay(2024, 1, 2))), "2023-12-31");
  EXPECT_EQ(DateOf(*Parse(kJan, absl::CivilDay(2023, 12, 31))), "2024-01-01");
  EXPECT_EQ(DateOf(*Parse(kJan, absl::CivilDay(2024, 1, 1))), "2024-01-01");
  // One day after the reference is allowed (Asia-Pacific dateline stamped the day before).
  EXPECT_EQ(DateOf(*Parse("TOKYO, March 3 - Text.", absl::CivilDay(2024, 3, 2))), "2024-03-03");
  // Two days after is last year's.
  EXPECT_EQ(DateOf(*Parse("TOKYO, March 4 - Text.", absl::CivilDay(2024, 3, 2))), "2023-03-04");
}

// Every month-day against references around month and year ends and leap days: the value must
// be the latest such day on or before reference + 1 day (checked here by walking back one year
// at a time with absl::CivilDay, independently of the parser's arithmetic).
TEST_F(DatelineTest, DateResolutionMatchesItsDefinition) {
  static constexpr std::string_view kMonths[] = {"Jan.", "Feb.", "March", "April", "May",  "June",
                                                 "July", "Aug.", "Sept.", "Oct.",  "Nov.", "Dec."};
  const absl::CivilDay kReferences[] = {
      absl::CivilDay(2023, 12, 31), absl::CivilDay(2024, 1, 1),  absl::CivilDay(2024, 2, 28),
      absl::CivilDay(2024, 2, 29),  absl::CivilDay(2023, 2, 28), absl::CivilDay(2024, 3, 31),
      absl::CivilDay(2024, 6, 15),  absl::CivilDay(2100, 2, 28), absl::CivilDay(1987, 10, 19)};
  int checked = 0;
  for (const absl::CivilDay ref : kReferences) {
    const absl::CivilDay limit = ref + 1;
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        std::string expected = "none";
        for (int y = static_cast<int>(limit.year()); y >= ref.year() - 8; --y) {
          const absl::CivilDay c(y, month, day);
          if (c.month() != month || c.day() != day || c > limit) continue;  // not a real day
          expected = absl::FormatCivilTime(c);
          break;
        }
        const std::string text =
            "LONDON, " + std::string(kMonths[month - 1]) + " " + std::to_string(day) + " - Text.";
        auto d = Parse(text, ref);
        ASSERT_TRUE(d.has_value()) << text;
        ASSERT_TRUE(d->date.has_value()) << text;
        EXPECT_EQ(DateOf(*d), expected) << text << " with reference " << ref;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 9 * 12 * 31);
}

// Lookup keys fold case, accents, periods and white space; ASCII letter runs take a faster path
// than the rest, so keys mix the two.
TEST_F(DatelineTest, LookupKeysFoldTheSameWhateverTheirShape) {
  EXPECT_EQ(parser_->MonthNumber("SEPTEMBER"), 9);
  EXPECT_EQ(parser_->MonthNumber("september"), 9);
  EXPECT_EQ(parser_->MonthNumber("sEpT."), 9);
  EXPECT_EQ(parser_->MonthNumber("F.e.b."), 2);
  EXPECT_EQ(parser_->MonthNumber("févr."), 2);
  EXPECT_EQ(parser_->MonthNumber("FÉVRIER"), 2);
  EXPECT_EQ(parser_->MonthNumber("Dezember"), 12);
  EXPECT_FALSE(parser_->MonthNumber("Septembers").has_value());
  EXPECT_FALSE(parser_->MonthNumber("Sept-").has_value());
  struct Case {
    std::string_view text, city;
  };
  const Case kCases[] = {
      {"NEW YORK, March 2 (Reuters) - Text.", "New York City"},
      {"New York, March 2 (Reuters) - Text.", "New York City"},
      {"SÃO PAULO, March 2 (Reuters) - Text.", "São Paulo"},
      {"São Paulo, March 2 (Reuters) - Text.", "São Paulo"},
      {"RIO DE JANEIRO, March 2 (Reuters) - Text.", "Rio de Janeiro"},
      {"WASHINGTON, March 2 (Reuters) - Text.", "Washington"},
      {"ST. LOUIS, March 2 (Reuters) - Text.", "St. Louis"},
      {"MÜNCHEN, 2. März (dpa) - Text.", "Munich"},
  };
  for (const Case& c : kCases) {
    auto d = Parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    EXPECT_EQ(d->place.city, c.city) << c.text;
  }
}

TEST_F(DatelineTest, InvalidAndUnresolvableDates) {
  auto feb30 = Parse("LONDON, Feb 30 - Text.");
  ASSERT_TRUE(feb30.has_value());
  ASSERT_TRUE(feb30->date.has_value());
  EXPECT_FALSE(feb30->date->value.has_value());
  // Feb 29 resolves to the most recent leap year.
  EXPECT_EQ(DateOf(*Parse("LONDON, Feb 29 - Text.", absl::CivilDay(2023, 6, 1))), "2020-02-29");
  // No reference and no year: the date is there, its value is not.
  auto no_ref = Parse("LONDON, Feb 3 - Text.", std::nullopt);
  ASSERT_TRUE(no_ref.has_value());
  ASSERT_TRUE(no_ref->date.has_value());
  EXPECT_FALSE(no_ref->date->value.has_value());
  // A written year needs no reference.
  EXPECT_EQ(DateOf(*Parse("PARIS, Oct. 31, 2005 (UPI) -- Text.", std::nullopt)), "2005-10-31");
}

// ---------------------------------------------------------------------------------------------
// Agencies, separators, odd shapes.

TEST_F(DatelineTest, Agencies) {
  struct Case {
    std::string_view text, source, name;
  };
  const Case kCases[] = {
      {"HOUSTON, Jan 27 (Reuters) - Text.", "Reuters", "Reuters"},
      {"TORONTO (AP) — Text.", "AP", "AP"},
      {"BEIJING, Nov. 24 (Xinhua) -- Text.", "Xinhua", "Xinhua"},
      {"LOS ANGELES, June 25 (UPI) -- Text.", "UPI", "UPI"},
      {"Jan. 5 (Bloomberg) -- Text.", "Bloomberg", "Bloomberg"},
      {"Washington (CNN) -- Democrats pledged.", "CNN", "CNN"},
      {"Berlin (dpa) - Die Bundesregierung.", "dpa", "dpa"},
      {"Nueva Delhi, 21 ene (EFE).- Texto.", "EFE", "EFE"},
      {"TOKYO (Kyodo) -- Text.", "Kyodo", "Kyodo"},
      {"SEOUL, April 15 (Yonhap) -- Text.", "Yonhap", "Yonhap"},
      {"Mumbai, Dec 9 (PTI) Kunal said.", "PTI", "PTI"},
      {"New Delhi, July 26 (IANS) Hours after.", "IANS", "IANS"},
      {"GAZA (Europa Press) - Texto.", "Europa Press", "Europa Press"},
      {"MOSCOW, January 21. /TASS/. Text.", "TASS", "TASS"},
  };
  for (const Case& c : kCases) {
    auto d = Parse(c.text);
    ASSERT_TRUE(d.has_value()) << c.text;
    ASSERT_TRUE(d->source.has_value()) << c.text;
    EXPECT_EQ(Slice(c.text, d->source->span), c.source) << c.text;
    EXPECT_EQ(d->source->name, c.name) << c.text;
    EXPECT_EQ(c.text.substr(d->body_start).back(), '.') << c.text;
  }
}

TEST_F(DatelineTest, NoSeparatorForPti) {
  constexpr std::string_view kText = "New Delhi, Sep 20 (PTI) The discontinuation was announced.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->span), "New Delhi, Sep 20 (PTI)");
  EXPECT_EQ(d->place.city, "New Delhi");
  EXPECT_EQ(kText.substr(d->body_start, 3), "The");
}

TEST_F(DatelineTest, Separators) {
  const std::string_view kTexts[] = {
      "WASHINGTON - Text",
      "WASHINGTON -- Text",
      "WASHINGTON — Text",
      "WASHINGTON – Text",
      "WASHINGTON _ Text",
      "WASHINGTON —Text",
      "WASHINGTON —\u00a0Text",
      "WASHINGTON\u00a0— Text",
      "SELMA, N.C.—Text",
      "WASHINGTON (AP) _ Text",
      "Madrid, 10 abr (EFE).- Text",
      "BRISBANE, Australia, Jan. 1(Xinhua) -- Text",
      "LIMA, Peru  (Reuters) - Text",
  };
  for (std::string_view text : kTexts) {
    auto d = Parse(text);
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(text.substr(d->body_start), "Text") << text;
  }
}

TEST_F(DatelineTest, DateWithoutCity) {
  constexpr std::string_view kText = "Nov. 28 (UPI) -- The company said.";
  auto d = Parse(kText, absl::CivilDay(2023, 11, 28));
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->places.empty());
  EXPECT_TRUE(d->place.span.empty());
  EXPECT_EQ(Slice(kText, d->date->span), "Nov. 28");
  EXPECT_EQ(DateOf(*d), "2023-11-28");
  EXPECT_EQ(d->source->name, "UPI");
  EXPECT_EQ(kText.substr(d->body_start, 3), "The");
}

TEST_F(DatelineTest, AgencyOnly) {
  constexpr std::string_view kText = "(Reuters) - The following are facts.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->places.empty());
  EXPECT_TRUE(d->place.span.empty());
  EXPECT_EQ(d->place.span.begin, d->span.begin);
  EXPECT_FALSE(d->date.has_value());
  EXPECT_EQ(Slice(kText, d->source->span), "Reuters");
  EXPECT_EQ(Slice(kText, d->span), "(Reuters) -");
  EXPECT_EQ(kText.substr(d->body_start, 3), "The");
}

TEST_F(DatelineTest, AgencyFirstAnsa) {
  constexpr std::string_view kText = "(ANSA) - ROMA, 08 FEB - Il governo ha deciso.";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->span), "(ANSA) - ROMA, 08 FEB -");
  EXPECT_EQ(Slice(kText, d->place.span), "ROMA");
  EXPECT_EQ(Slice(kText, d->date->span), "08 FEB");
  EXPECT_EQ(DateOf(*d), "2024-02-08");
  EXPECT_EQ(d->source->name, "ANSA");
  EXPECT_EQ(kText.substr(d->body_start, 2), "Il");
}

TEST_F(DatelineTest, Reuters1987Shapes) {
  constexpr std::string_view kText =
      "    GRAND RAPIDS, MICH., March 20 -\n    Shr 43 cts vs 37 cts";
  auto d = Parse(kText, absl::CivilDay(1987, 3, 20));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "GRAND RAPIDS, MICH.");
  EXPECT_EQ(d->place.city, "Grand Rapids");
  EXPECT_EQ(d->place.country, "US");
  EXPECT_EQ(DateOf(*d), "1987-03-20");
  EXPECT_EQ(kText.substr(d->body_start, 3), "Shr");

  constexpr std::string_view kReuter = "OKLAHOMA CITY, Okla. March 11, Reuter - Text.";
  auto r = Parse(kReuter, absl::CivilDay(1987, 3, 11));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(Slice(kReuter, r->place.span), "OKLAHOMA CITY, Okla.");
  EXPECT_EQ(r->source->name, "Reuters");

  constexpr std::string_view kLower = "Mexico city, march 18 - mexico's reserves rose.";
  auto l = Parse(kLower, absl::CivilDay(1987, 3, 18));
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->place.city, "Mexico City");
  EXPECT_EQ(DateOf(*l), "1987-03-18");

  constexpr std::string_view kTypo = "RENO, Nev., Mach 4 - Text.";
  auto t = Parse(kTypo, absl::CivilDay(1987, 3, 4));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(DateOf(*t), "1987-03-04");
}

TEST_F(DatelineTest, MoreWireShapes) {
  constexpr std::string_view kCp = "Canadian Press - VANCOUVER (CP) - The council voted.";
  auto cp = Parse(kCp);
  ASSERT_TRUE(cp.has_value());
  EXPECT_EQ(Slice(kCp, cp->place.span), "VANCOUVER");
  EXPECT_EQ(Slice(kCp, cp->source->span), "CP");
  EXPECT_EQ(kCp.substr(cp->body_start, 3), "The");

  constexpr std::string_view kRelease =
      "NEW YORK and CHICAGO (December 22, 2013) — Two firms said.";
  auto rel = Parse(kRelease);
  ASSERT_TRUE(rel.has_value());
  ASSERT_EQ(rel->places.size(), 2u);
  EXPECT_EQ(rel->places[1].city, "Chicago");
  EXPECT_EQ(Slice(kRelease, rel->date->span), "December 22, 2013");
  EXPECT_EQ(DateOf(*rel), "2013-12-22");

  constexpr std::string_view kYonhap =
      "(LEAD) Talks resume (ATTN: ADDS details in paras 4-5) By Kim Min-ji SEOUL, Nov. 24 "
      "(Yonhap) -- The talks resumed.";
  auto y = Parse(kYonhap);
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(Slice(kYonhap, *y->byline), "By Kim Min-ji");
  EXPECT_EQ(y->place.city, "Seoul");
  EXPECT_EQ(y->source->name, "Yonhap");

  constexpr std::string_view kAnsa = "ROMA - (ANSA) - Scontri in centro.";
  auto a = Parse(kAnsa);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->place.city, "Rome");
  EXPECT_EQ(a->source->name, "ANSA");
  EXPECT_EQ(kAnsa.substr(a->body_start, 7), "Scontri");

  constexpr std::string_view kAggregator = "AP - A company founded by two students said.";
  auto ag = Parse(kAggregator);
  ASSERT_TRUE(ag.has_value());
  EXPECT_TRUE(ag->places.empty());
  EXPECT_EQ(ag->source->name, "AP");

  constexpr std::string_view kTass = "ВАШИНГТОН, 22 января. /ТАСС/. Текст.";
  auto t = Parse(kTass);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->place.city, "Washington");
  EXPECT_EQ(t->place.country, "US");
  EXPECT_EQ(Slice(kTass, t->date->span), "22 января");
}

TEST_F(DatelineTest, Bylines) {
  constexpr std::string_view kPti = "By Shirish B Pradhan Kathmandu, Oct 17 (PTI) The late king.";
  auto d = Parse(kPti);
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->byline.has_value());
  EXPECT_EQ(Slice(kPti, *d->byline), "By Shirish B Pradhan");
  EXPECT_EQ(Slice(kPti, d->place.span), "Kathmandu");
  EXPECT_EQ(d->source->name, "PTI");

  constexpr std::string_view kAp = "By JOHN SMITH WASHINGTON (AP) — The vote.";
  auto a = Parse(kAp);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(Slice(kAp, *a->byline), "By JOHN SMITH");
  EXPECT_EQ(Slice(kAp, a->place.span), "WASHINGTON");

  constexpr std::string_view kSpaced = "By ANNA LEE    SHANGHAI, China (AP) -- Text.";
  auto s = Parse(kSpaced);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(Slice(kSpaced, *s->byline), "By ANNA LEE");
  EXPECT_EQ(Slice(kSpaced, s->place.span), "SHANGHAI, China");
}

TEST_F(DatelineTest, Preambles) {
  constexpr std::string_view kAdvisory =
      "(Adds analyst comment)     By  Jane Roe CHICAGO  Oct 23 (Reuters) - Text.";
  auto d = Parse(kAdvisory, absl::CivilDay(2006, 10, 23));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kAdvisory, d->place.span), "CHICAGO");
  EXPECT_EQ(Slice(kAdvisory, *d->byline), "By  Jane Roe");
  EXPECT_EQ(DateOf(*d), "2006-10-23");

  constexpr std::string_view kNames = "Jane Roe and John Doe    NEW YORK  (Reuters) - Text.";
  auto n = Parse(kNames);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(Slice(kNames, *n->byline), "Jane Roe and John Doe");
  EXPECT_EQ(Slice(kNames, n->place.span), "NEW YORK");
}

TEST_F(DatelineTest, LeadingWhiteSpaceAndOffset) {
  constexpr std::string_view kText = " date 2023-02-23 \n  MOSCOW, Feb. 23 — Officials said.";
  size_t consumed = 0;
  auto ref = ParseMetadataDate(kText, &consumed);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(absl::FormatCivilTime(*ref), "2023-02-23");
  EXPECT_EQ(kText.substr(consumed, 6), "MOSCOW");
  auto d = parser_->Parse(kText, consumed, ref);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(kText, d->place.span), "MOSCOW");
  EXPECT_EQ(DateOf(*d), "2023-02-23");
}

TEST(ParseMetadataDateTest, Forms) {
  size_t consumed = 99;
  EXPECT_FALSE(ParseMetadataDate("MOSCOW, Feb. 23 —", &consumed).has_value());
  EXPECT_EQ(consumed, 0u);
  EXPECT_FALSE(ParseMetadataDate(" date 2023-02-30 X", &consumed).has_value());
  EXPECT_FALSE(ParseMetadataDate(" date 2023-02-2", &consumed).has_value());
  EXPECT_FALSE(ParseMetadataDate("", &consumed).has_value());
  EXPECT_FALSE(ParseMetadataDate("dated 2023-02-23 X", &consumed).has_value());
  auto d = ParseMetadataDate("date 2024-01-31", &consumed);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(consumed, 15u);
}

// ---------------------------------------------------------------------------------------------
// Negatives and bad input.

TEST_F(DatelineTest, Negatives) {
  const std::string_view kTexts[] = {
      "Mehmet Oz — the TV doctor turned candidate — said on Monday.",
      "NATO — the alliance said on Monday that it would meet.",
      "WASHINGTON state officials said on Monday that the fires were out.",
      "STOCKS FALL AS OIL PRICES SOAR",
      "BREAKING: Explosion reported in the city centre",
      "Acute Flaccid Paralysis (AFP) - ICD-10 code G61.0",
      "Apple Filing Protocol (AFP) - a network protocol.",
      "The company said on Monday - in a statement - that profit rose.",
      "Paris Hilton — the heiress — said on Monday.",
      "May 5 - a day to remember.",
      "Shares of Apple rose 3 percent (AAPL) - analysts said.",
      "In LONDON, the rain continued.",
      "UNITED NATIONS SECURITY COUNCIL MEETS TODAY",
      "Today, March 5 - markets were closed.",
      "He said: LONDON - is great.",
      "(Corrects spelling) The chief executive resigned.",
  };
  for (std::string_view text : kTexts) {
    auto d = Parse(text);
    EXPECT_FALSE(d.has_value()) << text << " -> " << Slice(text, d->span);
  }
}

TEST_F(DatelineTest, BadInput) {
  EXPECT_FALSE(Parse("").has_value());
  EXPECT_FALSE(Parse("   \n\t  ").has_value());
  EXPECT_FALSE(Parse("\xC2\xA0\xC2\xA0").has_value());
  EXPECT_FALSE(Parse("\xFF\xFE\x80\x80 LONDON").has_value());
  EXPECT_FALSE(parser_->Parse("LONDON - Text", 99, absl::CivilDay(2024, 1, 1)).has_value());
  // Invalid UTF-8 inside the place: no crash, no dateline unless well formed.
  (void)Parse(
      "MOS\xC3"
      "COW, Feb. 23 (Xinhua) -- Text.");
  (void)Parse("\xE2\x80");
  (void)Parse("LONDON \xE2\x80");
  // Cut off at the end of the buffer: the view ends inside the dateline.
  const std::string full = "WASHINGTON (Reuters) - The Senate voted.";
  for (size_t n = 0; n <= full.size(); ++n) {
    const std::string copy = full.substr(0, n);  // exact-size heap buffer for sanitizers
    auto d = Parse(copy);
    if (d.has_value()) {
      EXPECT_LE(d->span.end, n);
      EXPECT_LE(d->body_start, n);
    }
  }
  EXPECT_FALSE(Parse(std::string_view(full).substr(0, 15)).has_value());  // "WASHINGTON (Reu"
}

// The cost's independence from the length is measured, not timed here:
// dateline_benchmark's BM_ParseArticleLength (1 KB against 1 MB articles).
TEST_F(DatelineTest, HugeInputIsSafe) {
  std::string huge(100u << 20, 'a');  // 100 MB, no newline
  EXPECT_FALSE(Parse(huge).has_value());
  std::vector<Credit> credits;
  parser_->ParseCredits(huge, &credits, nullptr);
  EXPECT_TRUE(credits.empty());
  huge.replace(0, 20, "LONDON (Reuters) - X");
  auto d = Parse(huge);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->place.city, "London");
}

// ---------------------------------------------------------------------------------------------
// Credits.

std::vector<std::string> Kinds(const std::vector<Credit>& credits) {
  std::vector<std::string> kinds;
  for (const Credit& c : credits) kinds.push_back(c.kind);
  return kinds;
}

TEST_F(DatelineTest, CreditsReuterSignoff) {
  constexpr std::string_view kText = "LONDON, March 2 - Profit rose.\n    Reuter\n";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, &*d);
  ASSERT_THAT(Kinds(credits), ElementsAre("signoff"));
  EXPECT_EQ(Slice(kText, credits[0].span), "Reuter");
  ASSERT_TRUE(d->source.has_value());
  EXPECT_EQ(d->source->name, "Reuters");
  EXPECT_EQ(Slice(kText, d->source->span), "Reuter");
}

TEST_F(DatelineTest, CreditsReportingParenthesis) {
  constexpr std::string_view kText =
      "HONG KONG (Reuters) - A deal.\n(Reporting by Jane Roe in Hong Kong; additional reporting "
      "by John Doe in Shanghai; Editing by Ann Smith)  ((jane.roe@example.com))";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, &*d);
  ASSERT_THAT(Kinds(credits), ElementsAre("reporting", "additional_reporting", "editing"));
  EXPECT_EQ(Slice(kText, credits[0].span), "Reporting by Jane Roe in Hong Kong");
  EXPECT_EQ(Slice(kText, credits[1].span), "additional reporting by John Doe in Shanghai");
  EXPECT_EQ(Slice(kText, credits[2].span), "Editing by Ann Smith");
  EXPECT_EQ(d->source->name, "Reuters");  // from the dateline, unchanged
}

TEST_F(DatelineTest, CreditsAdditionalReportingOnly) {
  constexpr std::string_view kText = "Text.\n(Additional reporting by  Jane Roe  and  John Doe  )";
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, nullptr);
  ASSERT_THAT(Kinds(credits), ElementsAre("additional_reporting"));
  EXPECT_EQ(Slice(kText, credits[0].span), "Additional reporting by  Jane Roe  and  John Doe");
}

TEST_F(DatelineTest, CreditsXinhua) {
  constexpr std::string_view kText =
      "MOSCOW, Feb. 23 — Text.\n\nWang said the talks went well. (Xinhua)";
  auto d = Parse(kText);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->source.has_value());
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, &*d);
  ASSERT_THAT(Kinds(credits), ElementsAre("agency"));
  EXPECT_EQ(Slice(kText, credits[0].span), "(Xinhua)");
  ASSERT_TRUE(d->source.has_value());
  EXPECT_EQ(Slice(kText, d->source->span), "Xinhua");
  EXPECT_EQ(d->source->name, "Xinhua");

  constexpr std::string_view kEnditem = "BEIJING, Nov. 24 (Xinhua) -- Text. Enditem";
  credits.clear();
  parser_->ParseCredits(kEnditem, &credits, nullptr);
  ASSERT_THAT(Kinds(credits), ElementsAre("signoff"));
  EXPECT_EQ(Slice(kEnditem, credits[0].span), "Enditem");
}

TEST_F(DatelineTest, CreditsAssociatedPress) {
  constexpr std::string_view kText =
      "Text of the story.\n\nAssociated Press writers Jane Roe in Atlanta and John Doe in "
      "Denver contributed to this report.\n\nCopyright 2024 The Associated Press. All Rights "
      "Reserved.";
  Dateline d;
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, &d);
  ASSERT_THAT(Kinds(credits), ElementsAre("contributors", "copyright"));
  EXPECT_EQ(Slice(kText, credits[0].span),
            "Associated Press writers Jane Roe in Atlanta and John Doe in Denver contributed to "
            "this report.");
  ASSERT_TRUE(d.source.has_value());
  EXPECT_EQ(d.source->name, "AP");
}

TEST_F(DatelineTest, CreditsAfpInitials) {
  constexpr std::string_view kText = "PARIS (AFP) - Text of the story.\n\nasl/tib/pid\n";
  std::vector<Credit> credits;
  parser_->ParseCredits(kText, &credits, nullptr);
  ASSERT_THAT(Kinds(credits), ElementsAre("editor_initials"));
  EXPECT_EQ(Slice(kText, credits[0].span), "asl/tib/pid");
}

TEST_F(DatelineTest, CreditsNone) {
  std::vector<Credit> credits;
  parser_->ParseCredits("", &credits, nullptr);
  parser_->ParseCredits("   ", &credits, nullptr);
  parser_->ParseCredits("The market closed higher on Friday.", &credits, nullptr);
  parser_->ParseCredits("\xFF\xFE(", &credits, nullptr);
  EXPECT_TRUE(credits.empty());
}

// ---------------------------------------------------------------------------------------------
// The example article (read at run time; never copied into the repository).

TEST_F(DatelineTest, XinhuaExampleArticle) {
  const std::string path =
      std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/../../shared/data/examples/xinhua-2023-02-23.txt";
  std::ifstream in(path, std::ios::binary);
  if (!in) GTEST_SKIP() << "example not found: " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  size_t consumed = 0;
  auto ref = ParseMetadataDate(text, &consumed);
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(absl::FormatCivilTime(*ref), "2023-02-23");
  auto d = parser_->Parse(text, consumed, ref);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(Slice(text, d->place.span), "MOSCOW");
  EXPECT_EQ(d->place.city, "Moscow");
  EXPECT_EQ(d->place.country, "RU");
  EXPECT_EQ(DateOf(*d), "2023-02-23");
  std::vector<Credit> credits;
  parser_->ParseCredits(text, &credits, &*d);
  ASSERT_TRUE(d->source.has_value());
  EXPECT_EQ(d->source->name, "Xinhua");
  EXPECT_EQ(Slice(text, d->source->span), "Xinhua");
}

// ---------------------------------------------------------------------------------------------
// Evaluation helpers.

TEST_F(DatelineTest, GoldDatelineParsing) {
  GoldDateline g = ParseGoldDateline(*parser_, "SALVADOR, Feb 26 -");
  EXPECT_EQ(g.place, "SALVADOR");
  EXPECT_EQ(g.month, 2);
  EXPECT_EQ(g.day, 26);
  g = ParseGoldDateline(*parser_, "AMSTERDAM, 2 March -");
  EXPECT_EQ(g.place, "AMSTERDAM");
  EXPECT_EQ(g.month, 3);
  g = ParseGoldDateline(*parser_, "TOKYO -");
  EXPECT_EQ(g.place, "TOKYO");
  EXPECT_EQ(g.month, 0);
  g = ParseGoldDateline(*parser_, "WASHINGTON, March 12, Reuter -");
  EXPECT_EQ(g.place, "WASHINGTON");
}

TEST(ReadJsonStringsTest, Escapes) {
  std::vector<std::optional<std::string>> v;
  ASSERT_TRUE(ReadJsonStrings(R"({"id": 3, "a": "x\ny\"z\\", "n": null, "arr": [1, {"k": "v"}],)"
                              R"( "b": "\u00e9\ud83d\ude00\u0041", "c": "\ud800x"})",
                              {"a", "b", "c", "n", "missing"}, &v)
                  .ok());
  EXPECT_EQ(v[0], "x\ny\"z\\");
  EXPECT_EQ(v[1],
            "\xC3\xA9\xF0\x9F\x98\x80"
            "A");
  EXPECT_EQ(v[2], "\xEF\xBF\xBDx");
  EXPECT_FALSE(v[3].has_value());
  EXPECT_FALSE(v[4].has_value());
  EXPECT_FALSE(ReadJsonStrings(R"({"a": "unterminated)", {"a"}, &v).ok());
  EXPECT_FALSE(ReadJsonStrings("[]", {"a"}, &v).ok());
}

TEST_F(DatelineTest, EvalOnHandWrittenDocs) {
  std::vector<DatelineEvalDoc> docs = {
      {"1", "LONDON, March 2 - Text.", "LONDON, March 2 -", absl::CivilDay(1987, 3, 2)},
      {"2", "TOKYO, March 3 - Text.", "TOKYO, March 3 -", absl::CivilDay(1987, 3, 2)},
      {"3", "The market fell.", std::nullopt, absl::CivilDay(1987, 3, 2)},
      {"4", "us 7.80 - 7.81", "us 7.80 -", absl::CivilDay(1987, 3, 2)},
  };
  std::string disagreements;
  auto r = EvalDatelines(*parser_, docs, true, &disagreements);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->true_positives, 2u);
  EXPECT_EQ(r->false_negatives, 1u);
  EXPECT_EQ(r->false_positives, 0u);
  EXPECT_EQ(r->date_exact, 2u);
  EXPECT_NE(disagreements.find("missed"), std::string::npos);
  EXPECT_FALSE(EvalDatelines(*parser_, {}, true, nullptr).ok());
}

// ---------------------------------------------------------------------------------------------
// The place table as loaded from places.tsv (a table written here, beside the shipped region and
// country files).

class PlaceTableTest : public ::testing::Test {
 protected:
  // A data folder holding the shipped regions.tsv and countries.tsv and `places` as places.tsv.
  static std::string WriteDataDir(const std::string& name, std::string_view places) {
    const std::string dir = ::testing::TempDir() + "/" + name;
    std::string cmd = "mkdir -p '" + dir + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    for (const char* file : {"regions.tsv", "countries.tsv"}) {
      std::ifstream in(DataDir() + "/" + file, std::ios::binary);
      std::ofstream out(dir + "/" + file, std::ios::binary);
      out << in.rdbuf();
    }
    std::ofstream(dir + "/places.tsv", std::ios::binary) << places;
    return dir;
  }

  // The place of the dateline that opens "<head> (Reuters) - The council met.", as
  // "city|country", or "none".
  static std::string PlaceOf(const DatelineParser& parser, std::string_view head) {
    const std::string text = std::string(head) + " (Reuters) - The council met on Monday.";
    const std::optional<Dateline> d = parser.Parse(text, 0, absl::CivilDay(2024, 3, 15));
    if (!d.has_value()) return "none";
    return std::string(d->place.city) + "|" + std::string(d->place.country);
  }
};

// Invented towns: two share a main name, the most populous one carries the other's name among
// its alternates, and one alternate is shared by two towns.
constexpr std::string_view kInventedPlaces =
    "# invented for the test\n"
    "# name\tcountry\tadmin1\tpopulation\talternate names\n"
    "Avonbury\tGB\tENG\t900000\tAvonburgh|AVONBURY|\xC3\x80vonbury-on-Sea\n"
    "Port Merrow\tUS\tME\t400000\tMerrow Harbour|Lindholm||Avonburgh\n"
    "Lindholm\tSE\t27\t90000\tLindh\xC3\xB3lm|Lindholm\n"
    "Lindholm\tUS\tMN\t20000\t\n"
    "\n";

TEST_F(PlaceTableTest, CandidatesKeepMainNamesFirstThenFileOrder) {
  auto parser = DatelineParser::Create(WriteDataDir("invented_places", kInventedPlaces));
  ASSERT_TRUE(parser.ok()) << parser.status();
  const DatelineParser& p = **parser;
  EXPECT_EQ(PlaceOf(p, "AVONBURY"), "Avonbury|GB");
  // Case, accents and periods fold away in the keys and the lookups alike.
  EXPECT_EQ(PlaceOf(p, "Avonbury"), "Avonbury|GB");
  EXPECT_EQ(PlaceOf(p, "AVONBURY-ON-SEA"), "Avonbury|GB");
  EXPECT_EQ(PlaceOf(p, "MERROW HARBOUR"), "Port Merrow|US");
  // A shared alternate: the first town in the file.
  EXPECT_EQ(PlaceOf(p, "AVONBURGH"), "Avonbury|GB");
  // Main names before alternates, although Port Merrow (an alternate "Lindholm") comes first.
  EXPECT_EQ(PlaceOf(p, "LINDHOLM"), "Lindholm|SE");
  EXPECT_EQ(PlaceOf(p, "LINDH\xC3\x93LM"), "Lindholm|SE");
  // A region picks among all the candidates: the main name in Minnesota, the alternate in Maine.
  EXPECT_EQ(PlaceOf(p, "LINDHOLM, Minn."), "Lindholm|US");
  EXPECT_EQ(PlaceOf(p, "LINDHOLM, Maine"), "Port Merrow|US");
  // Not in the table: the name as written, no country.
  EXPECT_EQ(PlaceOf(p, "QUILLSBY"), "QUILLSBY|");
}

TEST_F(PlaceTableTest, MalformedLineIsDataLoss) {
  for (const std::string_view bad : {
           "Avonbury\tGB\tENG\t900000\n",              // four fields
           "Avonbury\tGB\tENG\t900000\tA\tB\n",        // six fields
           "Avonbury\tGBR\tENG\t900000\tAvonburgh\n",  // a three-letter country
           "Avonbury\tGB\tENG\tmany\tAvonburgh\n",     // population not a number
       }) {
    auto parser = DatelineParser::Create(WriteDataDir("bad_places", bad));
    ASSERT_FALSE(parser.ok()) << bad;
    EXPECT_EQ(parser.status().code(), absl::StatusCode::kDataLoss) << bad;
    EXPECT_NE(parser.status().message().find("bad line in"), std::string_view::npos);
  }
}

}  // namespace
}  // namespace newsparse
