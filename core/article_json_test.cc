#include "core/article_json.h"

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
