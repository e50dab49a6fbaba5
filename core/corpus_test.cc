#include "core/corpus.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace newsparse {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/newsparse_corpus_test_" + name;
}

void WriteGzip(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  gzclose(f);
}

std::string Records(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += "{\"id\": " + std::to_string(i) + ", \"text\": \"Story " + std::to_string(i) +
         " was filed on Monday.\"}\n";
  }
  return s;
}

TEST(CorpusTest, ReadsPlainAndGzipLines) {
  const std::string plain = TempPath("plain.jsonl");
  std::ofstream(plain) << Records(10) << "{\"no_text\": 1}";  // no final newline
  auto lines = ReadLines(plain, 0);
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(lines->size(), 11u);
  auto texts = LoadCorpusTexts(plain, "text", 0);
  ASSERT_TRUE(texts.ok());
  ASSERT_EQ(texts->size(), 10u);
  EXPECT_EQ((*texts)[3], "Story 3 was filed on Monday.");

  const std::string gz = TempPath("c.jsonl.gz");
  WriteGzip(gz, Records(100));
  auto limited = LoadCorpusTexts(gz, "text", 7);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 7u);
  std::remove(plain.c_str());
  std::remove(gz.c_str());
}

TEST(CorpusTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadLines("/nonexistent/newsparse.jsonl", 0).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CorpusTest, RunCorpusCountsEveryArticleAndStage) {
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back("Officials met on Monday. They said no.");
  ParseOptions options;
  options.reference_date = absl::CivilDay(2024, 5, 2);
  const CorpusRunReport r = RunCorpus(**engine, texts, options, 2);
  EXPECT_EQ(r.threads, 2);
  EXPECT_EQ(r.stats.articles, 300u);
  EXPECT_EQ(r.stats.bytes, 300u * texts[0].size());
  EXPECT_EQ(r.stats.tokens, 300u * 9);  // Officials met on Monday . They said no .
  EXPECT_EQ(r.stats.errors, 0u);
  EXPECT_GT(r.output_bytes, 0u);
  EXPECT_GT(r.peak_rss_kb, 0u);
  // The parsing threads' CPU time: some, and no more than the threads could use in the wall time.
  EXPECT_GT(r.cpu_seconds, 0);
  EXPECT_LE(r.cpu_seconds, r.threads * r.seconds + 1e-3);
  // It covers the stage timers (plus what runs between them).
  int64_t stage_nanos = 0;
  for (int64_t n : r.stats.nanos) stage_nanos += n;
  EXPECT_GE(r.cpu_seconds + 1e-3, static_cast<double>(stage_nanos) / 1e9);
}

TEST(CorpusTest, RunCorpusUsesNoMoreThreadsThanTexts) {
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  const std::vector<std::string> texts = {"Officials met on Monday.", "They said no."};
  const CorpusRunReport r = RunCorpus(**engine, texts, ParseOptions(), 8);
  EXPECT_EQ(r.threads, 2);
  EXPECT_EQ(r.stats.articles, 2u);
  EXPECT_EQ(RunCorpus(**engine, {}, ParseOptions(), 4).threads, 1);
}

TEST(CorpusTest, StreamCorpusCyclesToTheTarget) {
  auto engine = Engine::Create({});
  ASSERT_TRUE(engine.ok());
  const std::string gz = TempPath("stream.jsonl.gz");
  WriteGzip(gz, Records(50));
  uint64_t calls = 0;
  auto r = StreamCorpus(**engine, gz, "text", 10000, 500, ParseOptions(), 2,
                        [&](uint64_t, uint64_t) { ++calls; });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(r->stats.bytes, 10000u);
  EXPECT_LT(r->stats.bytes, 10000u + 600u);
  EXPECT_GT(calls, 10u);
  // One pass when the target is 0.
  auto once = StreamCorpus(**engine, gz, "text", 0, 1 << 20, ParseOptions(), 1, nullptr);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->stats.articles, 50u);
  std::remove(gz.c_str());
}

}  // namespace
}  // namespace newsparse
