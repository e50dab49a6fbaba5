#include "core/consolidation.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

struct Tagged {
  const char* surface;
  EntityType type;
};

// Mentions for the given surfaces, found left to right in `text` (as a tagger would emit them).
std::vector<Mention> MentionsOf(std::string_view text, const std::vector<Tagged>& tagged) {
  std::vector<Mention> out;
  size_t from = 0;
  for (const Tagged& t : tagged) {
    const size_t at = text.find(t.surface, from);
    EXPECT_NE(at, std::string_view::npos) << t.surface;
    const size_t len = std::string_view(t.surface).size();
    out.push_back({{static_cast<uint32_t>(at), static_cast<uint32_t>(at + len)}, t.type});
    from = at + len;
  }
  return out;
}

struct Result {
  std::vector<Entity> entities;
  std::vector<Mention> mentions;
};

Result Consolidated(std::string_view text, const std::vector<Tagged>& tagged) {
  Tokens tokens;
  Tokenize(text, &tokens);
  Result r;
  r.mentions = MentionsOf(text, tagged);
  Consolidate(text, tokens, &r.mentions, &r.entities);
  return r;
}

std::vector<std::string> MentionTexts(std::string_view text, const Entity& e) {
  std::vector<std::string> out;
  for (const Span& s : e.mentions) out.emplace_back(Slice(text, s));
  return out;
}

constexpr EntityType PER = EntityType::kPerson;
constexpr EntityType ORG = EntityType::kOrganization;
constexpr EntityType LOC = EntityType::kLocation;
constexpr EntityType MISC = EntityType::kMisc;

TEST(ConsolidationTest, SurnameJoinsFullNameWithPrenameTitle) {
  const std::string_view text =
      "Russian President Vladimir Putin met the envoy. Putin said talks went well.";
  Result r = Consolidated(text, {{"Russian", MISC}, {"Vladimir Putin", PER}, {"Putin", PER}});
  ASSERT_EQ(r.entities.size(), 2u);
  const Entity& putin = r.entities[1];
  EXPECT_EQ(putin.name, "Vladimir Putin");
  EXPECT_EQ(putin.type, PER);
  EXPECT_THAT(MentionTexts(text, putin), ElementsAre("Vladimir Putin", "Putin"));
  EXPECT_THAT(putin.titles, ElementsAre("Russian President"));
}

TEST(ConsolidationTest, FamilyNameFirstAndAppositiveRole) {
  const std::string_view text =
      "The plan is sound, said Li Wenhua, director of the Office of Trade Affairs of the "
      "Ministry of Commerce (MOC), at a forum. Li said the MOC would act. Chinese President "
      "Xi Jinping agreed, Xi said.";
  Result r = Consolidated(text, {{"Li Wenhua", PER},
                        {"Office of Trade Affairs", ORG},
                        {"Ministry of Commerce", ORG},
                        {"Li", PER},
                        {"Chinese", MISC},
                        {"Xi Jinping", PER},
                        {"Xi", PER}});
  const Entity& li = r.entities[0];
  EXPECT_EQ(li.name, "Li Wenhua");
  EXPECT_THAT(MentionTexts(text, li), ElementsAre("Li Wenhua", "Li"));
  EXPECT_THAT(li.titles, ElementsAre("director of the Office of Trade Affairs of the Ministry of "
                                     "Commerce (MOC)"));
  const Entity* xi = nullptr;
  const Entity* moc = nullptr;
  for (const Entity& e : r.entities) {
    if (e.name == "Xi Jinping") xi = &e;
    if (e.name == "Ministry of Commerce") moc = &e;
  }
  ASSERT_NE(xi, nullptr);
  EXPECT_THAT(MentionTexts(text, *xi), ElementsAre("Xi Jinping", "Xi"));
  EXPECT_THAT(xi->titles, ElementsAre("Chinese President"));
  ASSERT_NE(moc, nullptr);
  EXPECT_THAT(moc->aliases, ElementsAre("MOC"));
  // The acronym's uses, tagged or not, are mentions of the long form's entity.
  EXPECT_THAT(MentionTexts(text, *moc), ElementsAre("Ministry of Commerce", "MOC", "MOC"));
}

TEST(ConsolidationTest, AcronymBeforeLongForm) {
  const std::string_view text =
      "Members of the SCO (Shanghai Cooperation Organization) met. The SCO agreed.";
  Result r = Consolidated(text, {{"SCO", ORG}, {"Shanghai Cooperation Organization", ORG}, {"SCO", ORG}});
  ASSERT_EQ(r.entities.size(), 2u);
  // "SCO" first seen before its definition stays its own entity, later uses join the long form.
  const Entity& sco = r.entities[1];
  EXPECT_EQ(sco.name, "Shanghai Cooperation Organization");
  EXPECT_THAT(sco.aliases, ElementsAre("SCO"));
  EXPECT_THAT(MentionTexts(text, sco), ElementsAre("Shanghai Cooperation Organization", "SCO"));
}

TEST(ConsolidationTest, HonorificsAreDroppedAndNotTitles) {
  const std::string_view text =
      "Anna Berger runs the firm. Ms. Berger said sales rose. Dr. Berger is her title too.";
  Result r = Consolidated(text, {{"Anna Berger", PER}, {"Ms. Berger", PER}, {"Berger", PER}});
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("Anna Berger", "Ms. Berger", "Berger"));
  EXPECT_THAT(r.entities[0].titles, IsEmpty());
}

TEST(ConsolidationTest, TwoPeopleWithOneSurnameStayApart) {
  const std::string_view text =
      "John Smith and Mary Smith arrived. Mary Smith spoke first. Then Smith left.";
  Result r = Consolidated(text, {{"John Smith", PER}, {"Mary Smith", PER}, {"Mary Smith", PER},
                        {"Smith", PER}});
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("John Smith"));
  // The short form goes to the one named most recently.
  EXPECT_THAT(MentionTexts(text, r.entities[1]),
              ElementsAre("Mary Smith", "Mary Smith", "Smith"));
}

TEST(ConsolidationTest, FullNameAfterShortFormUpgradesTheName) {
  const std::string_view text = "Putin arrived. Later, Vladimir Putin spoke.";
  Result r = Consolidated(text, {{"Putin", PER}, {"Vladimir Putin", PER}});
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_EQ(r.entities[0].name, "Vladimir Putin");
}

TEST(ConsolidationTest, TypeOfAJoiningMentionIsCorrected) {
  const std::string_view text = "Wang Yi met officials. Wang said the talks were useful.";
  Result r = Consolidated(text, {{"Wang Yi", PER}, {"Wang", LOC}});
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_EQ(r.mentions[1].type, PER);
}

TEST(ConsolidationTest, OrganisationsJoinByNormalisedName) {
  const std::string_view text =
      "The European Union said no. European Union officials agreed. Paris and Paris again.";
  Result r = Consolidated(text, {{"The European Union", ORG}, {"European Union", ORG}, {"Paris", LOC},
                        {"Paris", LOC}});
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_EQ(r.entities[0].mentions.size(), 2u);
  EXPECT_EQ(r.entities[1].type, LOC);
}

TEST(ConsolidationTest, SchwartzHearst) {
  EXPECT_TRUE(IsAcronymOf("CPC", "Communist Party of China"));
  EXPECT_TRUE(IsAcronymOf("SCO", "Shanghai Cooperation Organization"));
  EXPECT_TRUE(IsAcronymOf("NATO", "North Atlantic Treaty Organization"));
  EXPECT_TRUE(IsAcronymOf("MOFCOM", "Ministry of Commerce"));
  EXPECT_FALSE(IsAcronymOf("UN", "Paris"));
  EXPECT_FALSE(IsAcronymOf("BA", "Abba"));  // the first letter must start a word
  EXPECT_FALSE(IsAcronymOf("XYZ", "Communist Party of China"));
  EXPECT_FALSE(IsAcronymOf("CPC", "CPC"));
}

TEST(ConsolidationTest, NoMentionsNoEntities) {
  Result r = Consolidated("Nothing to see here.", {});
  EXPECT_THAT(r.entities, IsEmpty());
}

}  // namespace
}  // namespace newsparse
