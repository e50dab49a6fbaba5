#include "core/engine.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/adversarial_inputs.h"

namespace newsparse {
namespace {

std::unique_ptr<Engine> MakeEngine(uint64_t max_bytes = 64ull << 20) {
  EngineOptions options;
  options.max_article_bytes = max_bytes;
  auto engine = Engine::Create(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return std::move(*engine);
}

TEST(StagesTest, Parses) {
  EXPECT_EQ(*ParseStages("all"), kStageAll);
  EXPECT_EQ(*ParseStages("dateline"), kStageDateline);
  EXPECT_EQ(*ParseStages("dateline, entities"), kStageDateline | kStageEntities);
  EXPECT_FALSE(ParseStages("datelines").ok());
  EXPECT_FALSE(ParseStages("").ok());
}

TEST(EngineTest, TooLargeArticleIsAnError) {
  auto engine = MakeEngine(16);
  Workspace ws;
  Article a;
  EXPECT_TRUE(engine->Parse("short", {}, &ws, &a).ok());
  const absl::Status s = engine->Parse("this text is longer than sixteen bytes", {}, &ws, &a);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::string out;
  engine->ParseToJson("this text is longer than sixteen bytes", {}, "", &ws, &out);
  EXPECT_NE(out.find("\"kind\":\"too_large\""), std::string::npos) << out;
}

TEST(EngineTest, TooManyTokensIsAnErrorOnlyForTokenStages) {
  EngineOptions options;
  options.max_article_tokens = 10;
  auto engine = Engine::Create(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Workspace ws;
  Article a;
  EXPECT_TRUE((*engine)->Parse("Two words.", {}, &ws, &a).ok());
  const std::string parens = "LONDON (Reuters) - ((((((((((((((((";
  const absl::Status s = (*engine)->Parse(parens, {}, &ws, &a);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("tokens exceeds the limit of 10 tokens"), absl::string_view::npos)
      << s;
  std::string out;
  (*engine)->ParseToJson(parens, {}, "", &ws, &out);
  EXPECT_NE(out.find("\"kind\":\"too_large\""), std::string::npos) << out;
  // The dateline stage alone reads the head and needs no tokens.
  ParseOptions dateline_only;
  dateline_only.stages = kStageDateline;
  ASSERT_TRUE((*engine)->Parse(parens, dateline_only, &ws, &a).ok());
  ASSERT_TRUE(a.dateline.has_value());
  // The next article is parsed normally with the same scratch.
  EXPECT_TRUE((*engine)->Parse("Two words.", {}, &ws, &a).ok());
  options.max_article_tokens = 0;
  EXPECT_FALSE(Engine::Create(options).ok());
}

TEST(EngineTest, JsonlBatchKeepsOrderAndNumbersErrorLines) {
  auto engine = MakeEngine();
  std::vector<std::string> storage;
  for (int i = 0; i < 500; ++i) {
    storage.push_back(i % 7 == 3 ? std::string("{broken")
                                 : "{\"id\": " + std::to_string(i) + ", \"text\": \"Article " +
                                       std::to_string(i) + ".\"}");
  }
  std::vector<std::string_view> lines(storage.begin(), storage.end());
  std::vector<std::string> out;
  engine->ParseJsonlBatch(lines, 10, JsonlFields(), ParseOptions(), 4, &out);
  ASSERT_EQ(out.size(), lines.size());
  for (int i = 0; i < 500; ++i) {
    if (i % 7 == 3) {
      EXPECT_NE(out[i].find("\"line\":" + std::to_string(10 + i)), std::string::npos) << out[i];
    } else {
      EXPECT_EQ(out[i].rfind("{\"schema_version\":1,\"id\":" + std::to_string(i) + ",", 0), 0u)
          << out[i];
      EXPECT_NE(out[i].find("\"error\":null"), std::string::npos);
    }
  }
}

TEST(EngineTest, TextBatchMatchesSingleParses) {
  auto engine = MakeEngine();
  std::vector<std::string> storage = {"BEIJING, Oct. 3 (Xinhua) -- A.", "", "x\xFFy",
                                      "Plain text."};
  std::vector<std::string_view> texts(storage.begin(), storage.end());
  std::vector<std::string> batch;
  engine->ParseTextBatch(texts, {}, {}, ParseOptions(), 3, &batch);
  Workspace ws;
  for (size_t i = 0; i < texts.size(); ++i) {
    std::string single;
    engine->ParseToJson(texts[i], ParseOptions(), "", &ws, &single);
    EXPECT_EQ(batch[i], single);
  }
}

// The Workspace and Article reused from article to article (entity storage recycled, JSON
// written into a reused string) give each article the JSON a fresh Workspace gives it.
TEST(EngineTest, ReusedWorkspaceMatchesFreshOnes) {
  auto engine = MakeEngine();
  const std::vector<std::string> texts = {
      "BEIJING, Oct. 3 (Xinhua) -- Chinese President Xi Jinping met officials of the Ministry of "
      "Commerce (MOC) on Tuesday. \"We agree,\" Xi said. The MOC said it would act next week.",
      "Plain text without names.",
      "OSLO (Reuters) - Anna Berg, chief executive of Nordic Timber Holdings, said on Monday the "
      "company would cut jobs. Berg told reporters in Bergen that \"the market is weak\".",
      "x\xFFy \"quoted\" \\ back\tslash"};
  Workspace reused;
  std::string out;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& text : texts) {
      out.clear();
      engine->ParseToJson(text, ParseOptions(), "", &reused, &out);
      Workspace fresh;
      std::string want;
      engine->ParseToJson(text, ParseOptions(), "", &fresh, &want);
      EXPECT_EQ(out, want);
    }
  }
}

TEST(ResolveThreadsTest, DocumentedCases) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // 0 (or less): every core, capped at the number of items.
  EXPECT_EQ(ResolveThreads(0, 1000000), cores);
  EXPECT_EQ(ResolveThreads(-2, 1000000), cores);
  EXPECT_EQ(ResolveThreads(0, 1), 1);
  // An explicit count is taken as asked, even above the core count, but never above n.
  EXPECT_EQ(ResolveThreads(2, 100), 2);
  EXPECT_EQ(ResolveThreads(cores + 3, 1000), cores + 3);
  EXPECT_EQ(ResolveThreads(8, 3), 3);
  // One row (or none) runs inline on the calling thread.
  EXPECT_EQ(ResolveThreads(8, 1), 1);
  EXPECT_EQ(ResolveThreads(8, 0), 1);
  EXPECT_EQ(ResolveThreads(1, 100), 1);
}

TEST(ParallelForTest, VisitsEveryIndexOnce) {
  std::vector<int> hits(10000, 0);
  ParallelFor(hits.size(), 4, [&](size_t i, Workspace*) { hits[i]++; });
  for (int h : hits) ASSERT_EQ(h, 1);
  ParallelFor(0, 4, [&](size_t, Workspace*) { FAIL(); });
}

}  // namespace
}  // namespace newsparse

namespace newsparse {
namespace {

TEST(EngineTest, DatesStageResolvesAgainstTheReference) {
  auto engine = MakeEngine();
  Workspace ws;
  Article a;
  ParseOptions options;
  options.reference_date = absl::CivilDay(2023, 2, 23);
  const std::string_view text = "A diplomat said on Wednesday that talks would go on.";
  ASSERT_TRUE(engine->Parse(text, options, &ws, &a).ok());
  ASSERT_EQ(a.dates.size(), 1u);
  EXPECT_EQ(Slice(text, a.dates[0].span), "Wednesday");
  EXPECT_EQ(a.dates[0].value, "2023-02-22");
  // Only the chosen stages run.
  options.stages = kStageDateline;
  ASSERT_TRUE(engine->Parse(text, options, &ws, &a).ok());
  EXPECT_TRUE(a.dates.empty());
}

}  // namespace
}  // namespace newsparse

namespace newsparse {
namespace {

// The example article of ../shared/data (read at run time, never copied): every stage's
// acceptance criteria from the issues, on one real article.
TEST(EngineTest, XinhuaExampleArticle) {
  const std::string path =
      std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/../../shared/data/examples/xinhua-2023-02-23.txt";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "example article not found: " << path;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto engine = MakeEngine();
  Workspace ws;
  Article a;
  ASSERT_TRUE(engine->Parse(text, ParseOptions(), &ws, &a).ok());
  // Dateline: place, date from the metadata prefix, source from the closing credit.
  ASSERT_TRUE(a.dateline.has_value());
  EXPECT_EQ(Slice(text, a.dateline->place.span), "MOSCOW");
  EXPECT_EQ(a.dateline->place.city, "Moscow");
  EXPECT_EQ(a.dateline->place.country, "RU");
  ASSERT_TRUE(a.dateline->date && a.dateline->date->value);
  EXPECT_EQ(*a.dateline->date->value, absl::CivilDay(2023, 2, 23));
  ASSERT_TRUE(a.dateline->source.has_value());
  EXPECT_EQ(a.dateline->source->name, "Xinhua");
  // Entities.
  auto find = [&](std::string_view name) -> const Entity* {
    for (const Entity& e : a.entities) {
      if (e.name == name) return &e;
    }
    return nullptr;
  };
  const Entity* wang = find("Wang Yi");
  const Entity* putin = find("Vladimir Putin");
  const Entity* xi = find("Xi Jinping");
  const Entity* cpc = find("Communist Party of China");
  ASSERT_NE(wang, nullptr);
  ASSERT_NE(putin, nullptr);
  ASSERT_NE(xi, nullptr);
  ASSERT_NE(cpc, nullptr);
  size_t wang_mentions = 0;
  for (size_t at = text.find("Wang"); at != std::string::npos; at = text.find("Wang", at + 1)) {
    ++wang_mentions;
  }
  EXPECT_EQ(wang->mentions.size(), wang_mentions);  // "Wang Yi" and every "Wang"
  EXPECT_EQ(wang->type, EntityType::kPerson);
  EXPECT_NE(std::find(putin->titles.begin(), putin->titles.end(), "Russian President"),
            putin->titles.end());
  EXPECT_NE(std::find(xi->titles.begin(), xi->titles.end(), "Chinese President"), xi->titles.end());
  EXPECT_NE(std::find(cpc->aliases.begin(), cpc->aliases.end(), "CPC"), cpc->aliases.end());
  // Dates: "on Wednesday" is the day before the dateline.
  bool wednesday = false;
  for (const DateMention& d : a.dates) {
    wednesday |= Slice(text, d.span) == "Wednesday" && d.value == "2023-02-22";
  }
  EXPECT_TRUE(wednesday);
  // Attribution: every statement of Wang and Putin, pronouns and the role phrase resolved.
  int by_wang = 0, by_putin = 0;
  for (const Attribution& at : a.attributions) {
    ASSERT_TRUE(at.source.has_value());
    ASSERT_TRUE(at.source->entity.has_value()) << Slice(text, at.source->span);
    if (*at.source->entity == wang->id) ++by_wang;
    if (*at.source->entity == putin->id) ++by_putin;
    if (Slice(text, at.source->span) == "a senior Chinese diplomat") {
      EXPECT_EQ(*at.source->entity, wang->id);
    }
  }
  EXPECT_GE(by_wang, 8);
  EXPECT_GE(by_putin, 3);
}

}  // namespace
}  // namespace newsparse

namespace newsparse {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // shadow memory and quarantines make RSS meaningless
#else
constexpr bool kSanitized = false;
#endif

// In a child process: loads the engine, warms a workspace on a small article, then parses a text
// of `kind` and `bytes`; returns the growth of the peak RSS during that parse, in bytes (-1 on
// failure). A fresh process per measurement, so that each has its own high-water mark.
int64_t PeakGrowthOfOneParse(testing::AdversarialKind kind, size_t bytes) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const std::string text = testing::BuildAdversarialInput(kind, bytes);
    auto engine = Engine::Create({});
    if (!engine.ok()) _exit(2);
    Workspace ws;
    Article article;
    const std::string warm =
        testing::BuildAdversarialInput(testing::AdversarialKind::kArticle, 4096);
    if (!(*engine)->Parse(warm, {}, &ws, &article).ok()) _exit(2);
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    const int64_t before = u.ru_maxrss;
    if (!(*engine)->Parse(text, {}, &ws, &article).ok()) _exit(2);
    getrusage(RUSAGE_SELF, &u);
    const int64_t growth = (u.ru_maxrss - before) * 1024;
    _exit(write(fds[1], &growth, sizeof growth) == sizeof growth ? 0 : 2);
  }
  close(fds[1]);
  int64_t growth = -1;
  if (read(fds[0], &growth, sizeof growth) != sizeof growth) growth = -1;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? growth : -1;
}

// The bound documented in engine.h and the README: parsing one article raises the peak RSS by at
// most kPeakMemoryPerArticleByte times its size (worst case: one token per byte).
TEST(EngineMemoryTest, PeakGrowthIsBoundedByAMultipleOfTheArticleSize) {
  if (kSanitized) GTEST_SKIP() << "RSS is not meaningful under a sanitizer";
  // 2 MB: the worst case (one token per byte) already needs some 640 MB.
  constexpr size_t kBytes = 2u << 20;
  for (testing::AdversarialKind kind :
       {testing::AdversarialKind::kArticle, testing::AdversarialKind::kParens,
        testing::AdversarialKind::kCapWords}) {
    const int64_t growth = PeakGrowthOfOneParse(kind, kBytes);
    ASSERT_GE(growth, 0) << testing::AdversarialKindName(kind);
    EXPECT_LE(static_cast<double>(growth) / kBytes, kPeakMemoryPerArticleByte)
        << testing::AdversarialKindName(kind) << ": " << growth / (1 << 20) << " MB";
  }
}

}  // namespace
}  // namespace newsparse
