// The C records built from a hand-made Article that fills every field of the model: proves the
// ABI carries the dateline, places, credits, entity mentions and clusters, attributions and
// dates the stages will produce, without an ABI change when they land.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/article.h"
#include "plugin_api/result.h"

namespace newsparse::capi {
namespace {

constexpr std::string_view kText =
    "By LENA VOSS\n"
    "KYIV, Ukraine/WARSAW, Feb. 23 (Reuters) - Finance Minister Petro Danylenko said the "
    "budget was \"on track\". Danylenko met the IMF on Friday.\n"
    "(Reporting by Olha Mazur; Editing by Ian Brill)";

Span Find(std::string_view needle, size_t from = 0) {
  const size_t at = kText.find(needle, from);
  EXPECT_NE(at, std::string_view::npos) << needle;
  return {static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

std::string_view S(newsparse_span s) {
  if (s.begin == NEWSPARSE_NONE) return "<none>";
  return Slice(kText, Span{s.begin, s.end});
}

std::string_view S(newsparse_str s) { return std::string_view(s.data, s.size); }

Article FullArticle() {
  Article a;
  Dateline d;
  d.span = Find("KYIV, Ukraine/WARSAW, Feb. 23 (Reuters) - ");
  d.place = {Find("KYIV, Ukraine"), "Kyiv", "Ukraine", "UA"};
  d.places = {d.place, {Find("WARSAW"), "Warsaw", "", "PL"}};
  d.date = DatelineDate{Find("Feb. 23"), absl::CivilDay(2024, 2, 23)};
  d.source = Source{Find("Reuters"), "Reuters"};
  d.byline = Find("By LENA VOSS");
  d.body_start = Find("Finance").begin;
  a.dateline = d;
  a.credits = {{"reporting", Find("Reporting by Olha Mazur")},
               {"editing", Find("Editing by Ian Brill")},
               {"something_new", Find("Ian Brill")}};
  Entity person;
  person.id = 0;
  person.type = EntityType::kPerson;
  person.name = "Petro Danylenko";
  person.mentions = {Find("Petro Danylenko"), Find("Danylenko", Find("budget").begin)};
  person.titles = {"Finance Minister"};
  Entity imf;
  imf.id = 1;
  imf.type = EntityType::kOrganization;
  imf.name = "International Monetary Fund";
  imf.mentions = {Find("IMF")};
  imf.aliases = {"IMF", "the Fund"};
  Entity place;
  place.id = 2;
  place.type = EntityType::kLocation;
  place.name = "Kyiv";
  place.mentions = {Find("KYIV")};  // first in the text, last cluster
  a.entities = {person, imf, place};
  Attribution at;
  at.kind = AttributionKind::kMixed;
  at.cue = Find("said");
  at.source = AttributionSource{Find("Finance Minister Petro Danylenko"), 0u, std::nullopt};
  at.content = {Find("the budget was"), Find("on track")};
  Attribution dangling;
  dangling.kind = AttributionKind::kIndirect;
  dangling.cue = Find("met");
  dangling.source = AttributionSource{Find("Danylenko", Find("budget").begin), 17u, std::nullopt};
  a.attributions = {at, dangling};
  a.dates = {{Find("Friday"), "2024-02-23"}};
  return a;
}

TEST(ResultBuilderTest, EveryFieldOfTheArticle) {
  newsparse_result r;
  r.article = FullArticle();
  BuildResult(kText.size(), &r);
  EXPECT_EQ(r.text_size, kText.size());

  ASSERT_TRUE(r.dateline.has_value());
  const newsparse_dateline& d = *r.dateline;
  EXPECT_EQ(S(d.span), "KYIV, Ukraine/WARSAW, Feb. 23 (Reuters) - ");
  EXPECT_EQ(S(d.byline), "By LENA VOSS");
  EXPECT_EQ(S(d.date), "Feb. 23");
  EXPECT_EQ(d.date_year, 2024);
  EXPECT_EQ(d.date_month, 2);
  EXPECT_EQ(d.date_day, 23);
  EXPECT_EQ(S(d.source), "Reuters");
  EXPECT_EQ(S(d.source_name), "Reuters");
  EXPECT_EQ(S(d.place.span), "KYIV, Ukraine");
  EXPECT_EQ(S(d.place.city), "Kyiv");
  EXPECT_EQ(S(d.place.region), "Ukraine");
  EXPECT_EQ(S(d.place.country), "UA");
  EXPECT_EQ(kText.substr(d.body_start, 7), "Finance");
  ASSERT_EQ(d.places_count, 2u);
  ASSERT_EQ(r.places.size(), 2u);
  EXPECT_EQ(S(r.places[1].span), "WARSAW");
  EXPECT_EQ(S(r.places[1].region), "");
  EXPECT_EQ(r.places[1].region.data[0], '\0');
  EXPECT_EQ(S(r.places[1].country), "PL");

  ASSERT_EQ(r.credits.size(), 3u);
  EXPECT_EQ(r.credits[0].kind, static_cast<uint32_t>(NEWSPARSE_CREDIT_REPORTING));
  EXPECT_EQ(S(r.credits[0].span), "Reporting by Olha Mazur");
  EXPECT_EQ(r.credits[1].kind, static_cast<uint32_t>(NEWSPARSE_CREDIT_EDITING));
  EXPECT_EQ(r.credits[2].kind, static_cast<uint32_t>(NEWSPARSE_CREDIT_OTHER));
  EXPECT_EQ(S(r.credits[2].kind_name), "something_new");

  // Mentions in text order, each linked to its cluster.
  ASSERT_EQ(r.mentions.size(), 4u);
  EXPECT_EQ(S(r.mentions[0].span), "KYIV");
  EXPECT_EQ(r.mentions[0].entity, 2u);
  EXPECT_EQ(r.mentions[0].type, static_cast<uint32_t>(NEWSPARSE_ENTITY_LOCATION));
  EXPECT_EQ(S(r.mentions[1].span), "Petro Danylenko");
  EXPECT_EQ(r.mentions[1].entity, 0u);
  EXPECT_EQ(r.mentions[1].type, static_cast<uint32_t>(NEWSPARSE_ENTITY_PERSON));
  EXPECT_EQ(S(r.mentions[2].span), "Danylenko");
  EXPECT_EQ(S(r.mentions[3].span), "IMF");
  EXPECT_EQ(r.mentions[3].entity, 1u);

  // Clusters: their mentions (through the index pool), aliases and titles (string pool).
  ASSERT_EQ(r.entities.size(), 3u);
  const newsparse_entity& p = r.entities[0];
  EXPECT_EQ(p.id, 0u);
  EXPECT_EQ(p.type, static_cast<uint32_t>(NEWSPARSE_ENTITY_PERSON));
  EXPECT_EQ(S(p.name), "Petro Danylenko");
  ASSERT_EQ(p.mentions_count, 2u);
  EXPECT_EQ(S(r.mentions[r.indices[p.mentions_begin]].span), "Petro Danylenko");
  EXPECT_EQ(S(r.mentions[r.indices[p.mentions_begin + 1]].span), "Danylenko");
  EXPECT_EQ(p.aliases_count, 0u);
  ASSERT_EQ(p.titles_count, 1u);
  EXPECT_EQ(S(r.strings[p.titles_begin]), "Finance Minister");
  const newsparse_entity& imf = r.entities[1];
  EXPECT_EQ(imf.type, static_cast<uint32_t>(NEWSPARSE_ENTITY_ORGANIZATION));
  ASSERT_EQ(imf.mentions_count, 1u);
  EXPECT_EQ(S(r.mentions[r.indices[imf.mentions_begin]].span), "IMF");
  ASSERT_EQ(imf.aliases_count, 2u);
  EXPECT_EQ(S(r.strings[imf.aliases_begin]), "IMF");
  EXPECT_EQ(S(r.strings[imf.aliases_begin + 1]), "the Fund");
  EXPECT_EQ(r.strings[imf.aliases_begin + 1].data[8], '\0');
  EXPECT_EQ(r.entities[2].id, 2u);
  EXPECT_EQ(S(r.mentions[r.indices[r.entities[2].mentions_begin]].span), "KYIV");
  EXPECT_EQ(r.indices.size(), r.mentions.size());

  ASSERT_EQ(r.attributions.size(), 2u);
  const newsparse_attribution& a = r.attributions[0];
  EXPECT_EQ(a.kind, static_cast<uint32_t>(NEWSPARSE_ATTRIBUTION_MIXED));
  EXPECT_EQ(S(a.cue), "said");
  EXPECT_EQ(S(a.source), "Finance Minister Petro Danylenko");
  EXPECT_EQ(a.source_entity, 0u);
  ASSERT_EQ(a.content_count, 2u);
  EXPECT_EQ(S(r.spans[a.content_begin]), "the budget was");
  EXPECT_EQ(S(r.spans[a.content_begin + 1]), "on track");
  // An entity index outside the article is never handed out.
  EXPECT_EQ(r.attributions[1].source_entity, NEWSPARSE_NONE);
  EXPECT_EQ(r.attributions[1].kind, static_cast<uint32_t>(NEWSPARSE_ATTRIBUTION_INDIRECT));
  EXPECT_EQ(r.attributions[1].content_count, 0u);

  ASSERT_EQ(r.dates.size(), 1u);
  EXPECT_EQ(S(r.dates[0].span), "Friday");
  EXPECT_EQ(S(r.dates[0].value), "2024-02-23");
}

TEST(ResultBuilderTest, AbsentFieldsUseTheSentinels) {
  newsparse_result r;
  Dateline d;
  d.span = Find("KYIV, Ukraine/WARSAW, Feb. 23 (Reuters) - ");
  d.date = DatelineDate{Find("Feb. 23"), std::nullopt};  // written but not resolvable
  r.article.dateline = d;
  Attribution at;
  at.cue = Find("said");
  r.article.attributions = {at};
  BuildResult(kText.size(), &r);
  ASSERT_TRUE(r.dateline.has_value());
  EXPECT_EQ(r.dateline->byline.begin, NEWSPARSE_NONE);
  EXPECT_EQ(r.dateline->byline.end, NEWSPARSE_NONE);
  EXPECT_EQ(r.dateline->source.begin, NEWSPARSE_NONE);
  EXPECT_EQ(S(r.dateline->source_name), "");
  EXPECT_EQ(r.dateline->place.span.begin, NEWSPARSE_NONE);
  EXPECT_EQ(S(r.dateline->date), "Feb. 23");
  EXPECT_EQ(r.dateline->date_year, 0);
  EXPECT_EQ(r.dateline->date_month, 0);
  EXPECT_EQ(r.dateline->places_count, 0u);
  EXPECT_TRUE(r.places.empty());
  EXPECT_EQ(r.attributions[0].source.begin, NEWSPARSE_NONE);
  EXPECT_EQ(r.attributions[0].source_entity, NEWSPARSE_NONE);
  EXPECT_TRUE(r.mentions.empty());
  EXPECT_TRUE(r.indices.empty());
}

TEST(ResultBuilderTest, CreditKindCodes) {
  EXPECT_EQ(CreditKindCode("signoff"), static_cast<uint32_t>(NEWSPARSE_CREDIT_SIGNOFF));
  EXPECT_EQ(CreditKindCode("additional_reporting"),
            static_cast<uint32_t>(NEWSPARSE_CREDIT_ADDITIONAL_REPORTING));
  EXPECT_EQ(CreditKindCode("agency"), static_cast<uint32_t>(NEWSPARSE_CREDIT_AGENCY));
  EXPECT_EQ(CreditKindCode(""), static_cast<uint32_t>(NEWSPARSE_CREDIT_OTHER));
}

}  // namespace
}  // namespace newsparse::capi
