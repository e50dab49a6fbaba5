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

// A mention's first token is found forward from the previous mention's by doubling steps and a
// binary search: mentions with every gap from none to hundreds of tokens between them, and one
// that ends the text, keep their titles and join the right entities.
TEST(ConsolidationTest, MentionsFarApartAndAtTheEnd) {
  std::string text = "Russian President Vladimir Putin met Kremlin spokesman Dmitry Peskov.";
  std::vector<Tagged> tagged = {{"Vladimir Putin", PER}, {"Dmitry Peskov", PER}};
  for (int gap = 0; gap < 300; gap = gap * 2 + 1) {
    for (int i = 0; i < gap; ++i) text += " more words here";
    text += gap % 2 ? " Putin spoke." : " Peskov spoke.";
  }
  text += " They met Putin";
  // Every "Putin" and "Peskov" after the first sentence, in text order.
  for (size_t at = text.find('.') + 1; at < text.size();) {
    const size_t putin = text.find("Putin", at), peskov = text.find("Peskov", at);
    const size_t next = std::min(putin, peskov);
    if (next == std::string::npos) break;
    tagged.push_back({next == putin ? "Putin" : "Peskov", PER});
    at = next + 1;
  }
  const Result r = Consolidated(text, tagged);
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_EQ(r.entities[0].name, "Vladimir Putin");
  EXPECT_EQ(r.entities[1].name, "Dmitry Peskov");
  EXPECT_THAT(r.entities[0].titles, ElementsAre("Russian President"));
  EXPECT_THAT(r.entities[1].titles, ElementsAre("Kremlin spokesman"));
  EXPECT_EQ(r.entities[0].mentions.size() + r.entities[1].mentions.size(), tagged.size());
  for (const Entity& e : r.entities) {
    for (const std::string& m : MentionTexts(text, e)) {
      EXPECT_NE(e.name.find(m), std::string::npos) << m << " in " << e.name;
    }
  }
  EXPECT_EQ(Slice(text, r.entities[0].mentions.back()), "Putin");
  EXPECT_EQ(r.entities[0].mentions.back().end, text.size());
}

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
  Result r =
      Consolidated(text, {{"SCO", ORG}, {"Shanghai Cooperation Organization", ORG}, {"SCO", ORG}});
  // "SCO (Long Form)": the short form written before its definition joins it too.
  ASSERT_EQ(r.entities.size(), 1u);
  const Entity& sco = r.entities[0];
  EXPECT_EQ(sco.name, "Shanghai Cooperation Organization");
  EXPECT_THAT(sco.aliases, ElementsAre("SCO"));
  EXPECT_THAT(MentionTexts(text, sco),
              ElementsAre("SCO", "Shanghai Cooperation Organization", "SCO"));
}

TEST(ConsolidationTest, AcronymsWithDigitsAndForeignAcronyms) {
  const std::string_view text =
      "Leaders of the Group of 20 (G20) met. The G20 agreed. The Spanish Socialist Workers' Party "
      "(PSOE) and the ELN (National Liberation Army) spoke. The PSOE and the ELN disagreed. "
      "DENVER (AP) -- It rained.";
  Result r = Consolidated(text, {{"Group of 20", ORG},
                                 {"G20", ORG},
                                 {"Spanish Socialist Workers' Party", ORG},
                                 {"PSOE", ORG},
                                 {"ELN", ORG},
                                 {"National Liberation Army", ORG},
                                 {"PSOE", ORG},
                                 {"ELN", ORG},
                                 {"DENVER", LOC},
                                 {"AP", ORG}});
  ASSERT_EQ(r.entities.size(), 5u);
  EXPECT_THAT(r.entities[0].aliases, ElementsAre("G20"));
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("Group of 20", "G20", "G20"));
  EXPECT_THAT(r.entities[1].aliases, ElementsAre("PSOE"));
  EXPECT_EQ(r.entities[1].mentions.size(), 3u);
  EXPECT_EQ(r.entities[2].name, "National Liberation Army");
  EXPECT_THAT(MentionTexts(text, r.entities[2]),
              ElementsAre("ELN", "National Liberation Army", "ELN"));
  EXPECT_THAT(MentionTexts(text, r.entities[3]), ElementsAre("DENVER"));
  EXPECT_THAT(MentionTexts(text, r.entities[4]), ElementsAre("AP"));
}

TEST(ConsolidationTest, AcronymWithoutDefinitionJoinsByInitials) {
  const std::string_view text =
      "WASHINGTON (AP) -- The Environmental Protection Agency and the Centers for Disease Control "
      "and Prevention met U.S. officials. The EPA and the CDC said the United States agreed.";
  Result r = Consolidated(text, {{"WASHINGTON", LOC},
                                 {"AP", ORG},
                                 {"Environmental Protection Agency", ORG},
                                 {"Centers for Disease Control and Prevention", ORG},
                                 {"U.S.", LOC},
                                 {"EPA", ORG},
                                 {"CDC", ORG},
                                 {"United States", LOC}});
  ASSERT_EQ(r.entities.size(), 5u);
  EXPECT_THAT(MentionTexts(text, r.entities[1]), ElementsAre("AP"));
  EXPECT_THAT(MentionTexts(text, r.entities[2]),
              ElementsAre("Environmental Protection Agency", "EPA"));
  EXPECT_THAT(r.entities[2].aliases, ElementsAre("EPA"));
  EXPECT_THAT(MentionTexts(text, r.entities[3]),
              ElementsAre("Centers for Disease Control and Prevention", "CDC"));
  EXPECT_EQ(r.entities[4].name, "United States");
  EXPECT_THAT(r.entities[4].aliases, ElementsAre("U.S."));
}

// The initials skip "of", "and", "for", "the", "de" in any case, but only as whole words: "Andes"
// gives its "a".
TEST(ConsolidationTest, InitialsSkipFunctionWordsInAnyCase) {
  const std::string_view text =
      "The Bank Of The South, the Banco de Desarrollo and the Andes Fund met. The BS, the BD and "
      "the AF agreed.";
  Result r = Consolidated(text, {{"Bank Of The South", ORG},
                                 {"Banco de Desarrollo", ORG},
                                 {"Andes Fund", ORG},
                                 {"BS", ORG},
                                 {"BD", ORG},
                                 {"AF", ORG}});
  ASSERT_EQ(r.entities.size(), 3u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("Bank Of The South", "BS"));
  EXPECT_THAT(MentionTexts(text, r.entities[1]), ElementsAre("Banco de Desarrollo", "BD"));
  EXPECT_THAT(MentionTexts(text, r.entities[2]), ElementsAre("Andes Fund", "AF"));
}

TEST(ConsolidationTest, AcronymInsideALongerNameIsNotAMention) {
  const std::string_view text =
      "The Communist Party of China (CPC) and the Political Bureau of the CPC Central Committee "
      "met. The CPC said so.";
  Result r = Consolidated(text, {{"Communist Party of China", ORG},
                                 {"CPC", ORG},
                                 {"Political Bureau of the CPC Central Committee", ORG}});
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]),
              ElementsAre("Communist Party of China", "CPC", "CPC"));
  EXPECT_EQ(r.entities[1].mentions.size(), 1u);
}

// Later uses of a defined acronym become mentions once each: a use the tagger already found is
// not added again, an untagged one is, also right after a tagged one and at the end of the text.
TEST(ConsolidationTest, AcronymUsesAreAddedOnceEach) {
  const std::string_view text =
      "The Communist Party of China (CPC) met. The CPC said so. CPC CPC officials and the CPC "
      "agreed with the CPC";
  Result r = Consolidated(text, {{"Communist Party of China", ORG}, {"CPC", ORG}, {"CPC", ORG}});
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]),
              ElementsAre("Communist Party of China", "CPC", "CPC", "CPC", "CPC", "CPC", "CPC"));
  EXPECT_EQ(r.entities[0].mentions.back().end, text.size());
  EXPECT_THAT(r.entities[0].aliases, ElementsAre("CPC"));
}

TEST(ConsolidationTest, ShortFormsOfSeveralWordsAndInnerSurnames) {
  const std::string_view text =
      "President María Fernanda Quiroga Salinas met Khalid bin Yousef Al Mazrouei and Finance "
      "Minister Javier Ortega Ruiz. Quiroga Salinas spoke, Al Mazrouei listened, Ortega left. "
      "Bin was not there.";
  Result r = Consolidated(text, {{"María Fernanda Quiroga Salinas", PER},
                                 {"Khalid bin Yousef Al Mazrouei", PER},
                                 {"Javier Ortega Ruiz", PER},
                                 {"Quiroga Salinas", PER},
                                 {"Al Mazrouei", PER},
                                 {"Ortega", PER},
                                 {"Bin", PER}});
  ASSERT_EQ(r.entities.size(), 4u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]),
              ElementsAre("María Fernanda Quiroga Salinas", "Quiroga Salinas"));
  EXPECT_THAT(r.entities[0].titles, ElementsAre("President"));
  EXPECT_THAT(MentionTexts(text, r.entities[1]),
              ElementsAre("Khalid bin Yousef Al Mazrouei", "Al Mazrouei"));
  EXPECT_THAT(MentionTexts(text, r.entities[2]), ElementsAre("Javier Ortega Ruiz", "Ortega"));
  EXPECT_THAT(MentionTexts(text, r.entities[3]), ElementsAre("Bin"));  // a particle alone
}

TEST(ConsolidationTest, TitlesWithAConnectorTailAndRolesWithoutLeadIn) {
  const std::string_view text =
      "Minister of Mining and Heavy Industry Batbayar Tsend met Chinese Ambassador to Russia Liu "
      "Hong and WTO Deputy Director-General Ngozi Adeyemi. It was fine, said Sarah Jennings, an "
      "economist at Thames Capital.";
  Result r = Consolidated(text, {{"Batbayar Tsend", PER},
                                 {"Chinese", MISC},
                                 {"Russia", LOC},
                                 {"Liu Hong", PER},
                                 {"WTO", ORG},
                                 {"Ngozi Adeyemi", PER},
                                 {"Sarah Jennings", PER},
                                 {"Thames Capital", ORG}});
  EXPECT_THAT(r.entities[0].titles, ElementsAre("Minister of Mining and Heavy Industry"));
  EXPECT_THAT(r.entities[3].titles, ElementsAre("Chinese Ambassador to Russia"));
  EXPECT_THAT(r.entities[5].titles, ElementsAre("WTO Deputy Director-General"));
  EXPECT_THAT(r.entities[6].titles, ElementsAre("economist at Thames Capital"));
}

TEST(ConsolidationTest, HonorificsAreDroppedAndNotTitles) {
  const std::string_view text =
      "Anna Berger runs the firm. Ms. Berger said sales rose. Dr. Berger is her title too.";
  Result r = Consolidated(text, {{"Anna Berger", PER}, {"Ms. Berger", PER}, {"Berger", PER}});
  ASSERT_EQ(r.entities.size(), 1u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]),
              ElementsAre("Anna Berger", "Ms. Berger", "Berger"));
  EXPECT_THAT(r.entities[0].titles, IsEmpty());
}

TEST(ConsolidationTest, TwoPeopleWithOneSurnameStayApart) {
  const std::string_view text =
      "John Smith and Mary Smith arrived. Mary Smith spoke first. Then Smith left.";
  Result r = Consolidated(
      text, {{"John Smith", PER}, {"Mary Smith", PER}, {"Mary Smith", PER}, {"Smith", PER}});
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("John Smith"));
  // The short form goes to the one named most recently.
  EXPECT_THAT(MentionTexts(text, r.entities[1]), ElementsAre("Mary Smith", "Mary Smith", "Smith"));
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
  Result r = Consolidated(
      text, {{"The European Union", ORG}, {"European Union", ORG}, {"Paris", LOC}, {"Paris", LOC}});
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

TEST(ConsolidationTest, CompanyShortNameAndLowerCaseTitleWords) {
  const std::string_view text =
      "Shares of Toyota Motor Corp fell. Toyota said so, and Kremlin spokesman Dmitri Polyakov and "
      "chief executive Anna Berger agreed. Toyota Tsusho was not involved.";
  Result r = Consolidated(text, {{"Toyota Motor Corp", ORG},
                                 {"Toyota", ORG},
                                 {"Kremlin", ORG},
                                 {"Dmitri Polyakov", PER},
                                 {"Anna Berger", PER},
                                 {"Toyota Tsusho", ORG}});
  ASSERT_EQ(r.entities.size(), 5u);
  EXPECT_THAT(MentionTexts(text, r.entities[0]), ElementsAre("Toyota Motor Corp", "Toyota"));
  EXPECT_THAT(r.entities[0].aliases, ElementsAre("Toyota"));
  EXPECT_THAT(r.entities[2].titles, ElementsAre("Kremlin spokesman"));
  EXPECT_THAT(r.entities[3].titles, ElementsAre("chief executive"));
  EXPECT_THAT(MentionTexts(text, r.entities[4]), ElementsAre("Toyota Tsusho"));
}

// A scratch that gets earlier results back reuses their entities' storage; nothing of theirs
// (names, aliases, titles, mentions) shows in the next result, which equals a fresh scratch's.
TEST(ConsolidationTest, RecycledEntitiesLeaveNothingBehind) {
  const std::string_view big =
      "Chinese President Xi Jinping met officials of the Ministry of Commerce (MOC) and of the "
      "Shanghai Cooperation Organization (SCO) in Beijing. Xi said the MOC and the SCO agreed.";
  const std::vector<Tagged> big_tags = {{"Chinese", MISC},
                                        {"Xi Jinping", PER},
                                        {"Ministry of Commerce", ORG},
                                        {"Shanghai Cooperation Organization", ORG},
                                        {"Beijing", LOC},
                                        {"Xi", PER}};
  const std::string_view small = "Anna Berg spoke in Oslo. Berg left.";
  const std::vector<Tagged> small_tags = {{"Anna Berg", PER}, {"Oslo", LOC}, {"Berg", PER}};
  ConsolidationScratch scratch;
  std::vector<Entity> entities;
  for (int round = 0; round < 3; ++round) {
    for (const auto& [text, tags] :
         {std::pair(big, big_tags), std::pair(small, small_tags), std::pair(big, big_tags)}) {
      Tokens tokens;
      Tokenize(text, &tokens);
      std::vector<Mention> mentions = MentionsOf(text, tags);
      if (round == 1) RecycleEntities(&entities, &scratch);  // as the engine does
      EXPECT_TRUE(round != 1 || entities.empty());
      Consolidate(text, tokens, &mentions, &entities, &scratch);
      const Result fresh = Consolidated(text, tags);
      ASSERT_EQ(entities.size(), fresh.entities.size()) << text;
      for (size_t i = 0; i < entities.size(); ++i) {
        EXPECT_EQ(entities[i].id, fresh.entities[i].id);
        EXPECT_EQ(entities[i].type, fresh.entities[i].type);
        EXPECT_EQ(entities[i].name, fresh.entities[i].name);
        EXPECT_EQ(entities[i].mentions, fresh.entities[i].mentions);
        EXPECT_EQ(entities[i].aliases, fresh.entities[i].aliases);
        EXPECT_EQ(entities[i].titles, fresh.entities[i].titles);
      }
    }
  }
}

// Name keys are kept in chunks of 4,096 bytes reused between articles (a longer key gets its own
// copy): organisations join by key across chunk boundaries, with a key longer than a chunk, and
// again when the scratch is reused.
TEST(ConsolidationTest, NameKeysAcrossStorageChunks) {
  std::string text;
  std::vector<Mention> twice;
  auto add = [&](const std::string& name) {
    const uint32_t at = static_cast<uint32_t>(text.size());
    text += name;
    twice.push_back({{at, static_cast<uint32_t>(text.size())}, ORG});
    text += " reported. ";
  };
  std::vector<std::string> names;
  for (int i = 0; i < 150; ++i) {
    names.push_back("Northern Consolidated Holdings Number " + std::to_string(i) + " Limited");
  }
  std::string huge = "Grand";
  while (huge.size() < 5000) huge += " Federation";
  names.push_back(huge);
  for (const std::string& n : names) add(n);
  for (const std::string& n : names) add(n);
  Tokens tokens;
  Tokenize(text, &tokens);
  ConsolidationScratch scratch;
  for (int round = 0; round < 2; ++round) {
    std::vector<Mention> mentions = twice;
    std::vector<Entity> entities;
    Consolidate(text, tokens, &mentions, &entities, &scratch);
    ASSERT_EQ(entities.size(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(entities[i].name, names[i]);
      EXPECT_EQ(entities[i].mentions.size(), 2u) << names[i].substr(0, 60);
    }
  }
}

}  // namespace
}  // namespace newsparse
