#include "core/article_json.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsparse {
namespace {

TEST(ArticleJsonTest, EmptyArticle) {
  Article a;
  OffsetMap m;
  std::string out;
  AppendArticleJson("text", a, "", &m, &out);
  EXPECT_EQ(out,
            "{\"schema_version\":1,\"id\":null,\"error\":null,\"dateline\":null,\"credits\":[],"
            "\"entities\":[],\"attributions\":[],\"dates\":[]}");
}

TEST(ArticleJsonTest, SpansAreCodePointOffsetsWithText) {
  // "МОСКВА" is 6 code points in 12 bytes.
  const std::string text = "МОСКВА, 23 февраля. /ТАСС/. Текст";
  auto span_of = [&](std::string_view part) {
    const size_t at = text.find(part);
    return Span{static_cast<uint32_t>(at), static_cast<uint32_t>(at + part.size())};
  };
  const Span date = span_of("23 февраля");
  const Span tass = span_of("ТАСС");
  const uint32_t body = span_of("Текст").begin;
  Article a;
  Dateline d;
  d.span = {0, body};
  d.place.span = {0, 12};
  d.place.city = "Moscow";
  d.place.country = "RU";
  d.places.push_back(d.place);
  d.date = DatelineDate{date, absl::CivilDay(2023, 2, 23)};
  d.source = Source{tass, "TASS"};
  d.body_start = body;
  a.dateline = d;
  a.credits.push_back({"agency", tass});
  Entity e;
  e.id = 0;
  e.type = EntityType::kLocation;
  e.name = "МОСКВА";
  e.mentions.push_back({0, 12});
  e.aliases.push_back("Moscow");
  a.entities.push_back(e);
  Attribution at;
  at.kind = AttributionKind::kDirect;
  at.cue = {0, 12};
  at.source = AttributionSource{{0, 12}, 0u};
  at.content.push_back({body, static_cast<uint32_t>(text.size())});
  a.attributions.push_back(at);
  a.dates.push_back({date, "2023-02-23"});
  OffsetMap m;
  std::string out;
  AppendArticleJson(text, a, "\"id-7\"", &m, &out);
  EXPECT_NE(out.find("\"id\":\"id-7\""), std::string::npos);
  EXPECT_NE(out.find("\"place\":{\"text\":\"МОСКВА\",\"span\":[0,6],\"city\":\"Moscow\","
                     "\"region\":null,\"country\":\"RU\"}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"date\":{\"text\":\"23 февраля\",\"span\":[8,18],\"value\":\"2023-02-23\"}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"source\":{\"text\":\"ТАСС\",\"span\":[21,25],\"name\":\"TASS\"}"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"body_start\":28"), std::string::npos) << out;
  EXPECT_NE(out.find("\"entity\":0"), std::string::npos) << out;
  EXPECT_NE(out.find("\"kind\":\"direct\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"type\":\"LOC\""), std::string::npos) << out;
}

TEST(ArticleJsonTest, InvalidBytesAreReplacementCharacters) {
  const std::string text =
      "a\xFF"
      "b";
  Article a;
  a.credits.push_back({"signoff", {0, 3}});
  OffsetMap m;
  std::string out;
  AppendArticleJson(text, a, "", &m, &out);
  EXPECT_NE(out.find("\"text\":\"a\xEF\xBF\xBD"
                     "b\",\"span\":[0,3]"),
            std::string::npos)
      << out;
}

// The record of an article (its text: `name`) with one entity named `name`, with `alias` as its
// alias unless empty.
std::string EntityJson(const std::string& name, const std::string& alias) {
  Article a;
  Entity e;
  e.name = name;
  if (!alias.empty()) e.aliases.push_back(alias);
  a.entities.push_back(e);
  OffsetMap m;
  std::string out;
  AppendArticleJson(name, a, "", &m, &out);
  return out;
}

// The record writer escapes text itself (eight or sixteen plain bytes at a time); every piece must
// come out as AppendJsonString writes it, wherever the byte that needs escaping falls in a block.
TEST(ArticleJsonTest, EscapingMatchesAppendJsonStringAtEveryPosition) {
  const std::vector<std::string> specials = {
      "\"",           "\\",           "\n",           "\r",
      "\t",           "\b",           "\f",           std::string(1, '\0'),
      "\x01",         "\x1f",         "\x7f",         "é",
      "\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBF\xBD", "\xff",
      "\xE2\x80",     "\xC3"};
  for (const std::string& special : specials) {
    for (size_t before = 0; before <= 40; ++before) {
      // A plain run, the special piece, and a plain run after it.
      const std::string name =
          std::string(before, 'a' + before % 26) + special + std::string(9, 'z') + "~ !";
      const std::string out = EntityJson(name, name + name);
      std::string want_name;
      AppendJsonString(name, &want_name);
      std::string want_alias;
      AppendJsonString(name + name, &want_alias);
      EXPECT_NE(out.find("\"name\":" + want_name + ","), std::string::npos)
          << "special " << static_cast<int>(static_cast<unsigned char>(special[0])) << " after "
          << before << ": " << out;
      EXPECT_NE(out.find("\"aliases\":[" + want_alias + "]"), std::string::npos) << out;
    }
  }
}

// Short strings are copied a word (or two overlapping half-words) at a time when nothing in them
// needs escaping: every length up to 20, plain and with a special byte at every position,
// including inside the last, overlapping word.
TEST(ArticleJsonTest, EscapingMatchesAppendJsonStringInShortStrings) {
  const std::vector<std::string> specials = {"", "\"", "\\", "\n", "\x1f", "\x7f", "é", "\xff"};
  for (const std::string& special : specials) {
    for (size_t size = 1; size <= 20; ++size) {
      for (size_t at = 0; at < size; ++at) {
        std::string name;
        for (size_t i = 0; i < size; ++i) {
          if (i == at) name += special;
          name += static_cast<char>('A' + (i * 7) % 26);
        }
        const std::string out = EntityJson(name, "");
        std::string want;
        AppendJsonString(name, &want);
        EXPECT_NE(out.find("\"name\":" + want + ","), std::string::npos)
            << "size " << size << ", special at " << at << ": " << out;
        if (special.empty()) break;  // the plain string once per size
      }
    }
  }
}

// A record far longer than the room reserved for its text: the writer grows the string many
// times, also between a string's opening quote and its escaped bytes (a string that needs
// escaping takes its worst-case room only after the plain attempt failed).
TEST(ArticleJsonTest, RecordMuchLongerThanItsTextGrowsCorrectly) {
  Article a;
  std::string want;
  for (int i = 0; i < 300; ++i) {
    Entity e;
    e.id = static_cast<uint32_t>(i);
    e.type = EntityType::kPerson;
    // Plain names, and long names with a quote mark or a line break in them.
    e.name = i % 3 == 0
                 ? std::string(static_cast<size_t>(i), 'n')
                 : std::string(static_cast<size_t>(40 + i), 'q') + (i % 3 == 1 ? "\"" : "\n") +
                       std::string(static_cast<size_t>(i % 17), 'r');
    e.titles.push_back("title \"" + std::to_string(i) + "\"");
    std::string name_json, title_json;
    AppendJsonString(e.name, &name_json);
    AppendJsonString(e.titles[0], &title_json);
    if (i) want += ",";
    want += "{\"id\":" + std::to_string(i) + ",\"type\":\"PER\",\"name\":" + name_json +
            ",\"mentions\":[],\"aliases\":[],\"titles\":[" + title_json + "]}";
    a.entities.push_back(std::move(e));
  }
  OffsetMap m;
  std::string out;
  AppendArticleJson("short text", a, "", &m, &out);
  EXPECT_NE(out.find("\"entities\":[" + want + "],\"attributions\":[]"), std::string::npos);
  EXPECT_EQ(out.back(), '}');
}

TEST(ArticleJsonTest, OffsetsOfEveryDigitCount) {
  // Spans over an ASCII text: code point offsets equal byte offsets.
  const std::string text(123457, 'x');
  for (uint32_t begin : {0u, 7u, 9u, 10u, 99u, 100u, 999u, 1000u, 12345u, 99999u, 123450u}) {
    Article a;
    DateMention d;
    d.span = {begin, begin + 7};
    d.value = "2023-02-23";
    a.dates.push_back(d);
    OffsetMap m;
    std::string out;
    AppendArticleJson(text, a, "42", &m, &out);
    const std::string want = "\"span\":[" + std::to_string(begin) + "," +
                             std::to_string(begin + 7) + "],\"value\":\"2023-02-23\"}";
    EXPECT_NE(out.find(want), std::string::npos) << begin;
    EXPECT_EQ(out.rfind("{\"schema_version\":1,\"id\":42,", 0), 0u);
  }
}

// A text longer than the writer reserves room for (it caps the room at 2.5 MB), with a short
// record, and then a long record for a long text: both come out whole.
TEST(ArticleJsonTest, LongTexts) {
  const std::string text = std::string(3000000, 'x') + " Sept. 3";
  Article a;
  DateMention d;
  d.span = {3000001, 3000008};
  d.value = "2023-09-03";
  a.dates.push_back(d);
  OffsetMap m;
  std::string out;
  AppendArticleJson(text, a, "", &m, &out);
  EXPECT_NE(out.find("\"dates\":[{\"text\":\"Sept. 3\",\"span\":[3000001,3000008],\"value\":"
                     "\"2023-09-03\"}]}"),
            std::string::npos);
  Entity e;
  e.name = "n";
  e.mentions.assign(400000, Span{0, 5});  // 400,000 mentions of "xxxxx": a record of ~14 MB
  a.entities.push_back(e);
  out.clear();
  AppendArticleJson(text, a, "", &m, &out);
  const std::string one = "{\"text\":\"xxxxx\",\"span\":[0,5]}";
  EXPECT_EQ(out.size(), out.find("\"mentions\":[") + 12 + 400000 * (one.size() + 1) - 1 +
                            std::string_view("],\"aliases\":[],\"titles\":[]}],\"attributions\":[],"
                                             "\"dates\":[{\"text\":\"Sept. 3\",\"span\":[3000001,"
                                             "3000008],\"value\":\"2023-09-03\"}]}")
                                .size());
  EXPECT_EQ(out.substr(out.find("\"mentions\":[") + 12, one.size() * 2 + 1), one + "," + one);
}

TEST(ArticleJsonTest, AppendsAfterWhatOutHolds) {
  Article a;
  OffsetMap m;
  std::string out = "previous line\n";
  AppendArticleJson("text", a, "", &m, &out);
  const std::string first = out;
  AppendArticleJson("text", a, "7", &m, &out);
  EXPECT_EQ(first.rfind("previous line\n{\"schema_version\":1,\"id\":null,", 0), 0u);
  EXPECT_EQ(out.substr(0, first.size()), first);
  EXPECT_EQ(out.substr(first.size()),
            "{\"schema_version\":1,\"id\":7,\"error\":null,\"dateline\":null,\"credits\":[],"
            "\"entities\":[],\"attributions\":[],\"dates\":[]}");
}

TEST(ArticleJsonTest, ErrorRecord) {
  std::string out;
  AppendErrorJson("7", "bad_json", "unexpected \"x\"", 12, &out);
  EXPECT_EQ(out,
            "{\"schema_version\":1,\"id\":7,\"error\":{\"kind\":\"bad_json\",\"message\":"
            "\"unexpected \\\"x\\\"\",\"line\":12},\"dateline\":null,\"credits\":[],"
            "\"entities\":[],\"attributions\":[],\"dates\":[]}");
}

}  // namespace
}  // namespace newsparse
