// Many threads sharing one engine over many articles; run under ThreadSanitizer in CI
// (scripts/test.sh builds a -DNEWSPARSE_SANITIZE=thread variant for this test).
#include <string>
#include <thread>
#include <vector>

#include "core/engine.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

std::string Article(int i) {
  return "BEIJING, March " + std::to_string(i % 28 + 1) +
         " (Xinhua) -- Officials said on Monday that talks on trade with the "
         "Shanghai Cooperation Organization (SCO) would resume. \"We are ready,\" Li Wenhua "
         "told reporters. The SCO said it agreed. Story " +
         std::to_string(i) + ".";
}

TEST(ThreadsTest, EightThreadsShareOneEngine) {
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok()) << engine.status();
  const Engine& shared = **engine;
  std::vector<std::string> texts;
  for (int i = 0; i < 400; ++i) texts.push_back(Article(i));
  // Reference output from one thread.
  std::vector<std::string> expected(texts.size());
  {
    Workspace ws;
    ParseOptions options;
    options.reference_date = absl::CivilDay(2024, 3, 20);
    for (size_t i = 0; i < texts.size(); ++i)
      shared.ParseToJson(texts[i], options, "", &ws, &expected[i]);
  }
  std::vector<std::vector<std::string>> got(8, std::vector<std::string>(texts.size()));
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Workspace ws;  // one per thread, reused across articles
      ParseOptions options;
      options.reference_date = absl::CivilDay(2024, 3, 20);
      for (size_t k = 0; k < texts.size(); ++k) {
        const size_t i = (k + 50 * t) % texts.size();  // different orders per thread
        shared.ParseToJson(texts[i], options, "", &ws, &got[t][i]);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 8; ++t) {
    for (size_t i = 0; i < texts.size(); ++i) ASSERT_EQ(got[t][i], expected[i]) << t << " " << i;
  }
  // The batch call with 8 threads agrees too.
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<std::string> batch;
  ParseOptions options;
  options.reference_date = absl::CivilDay(2024, 3, 20);
  shared.ParseTextBatch(views, {}, {}, options, 8, &batch);
  EXPECT_EQ(batch, expected);
}

}  // namespace
}  // namespace newsparse
