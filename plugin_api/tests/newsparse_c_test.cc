// Tests of libnewsparse.so.1 through its public C header only: version negotiation, misuse
// (NULL handles and pointers, struct_size smaller or larger than known, bad options), invalid
// UTF-8, empty and oversized text, lifetimes, threads, and the C++ wrapper. CI runs them under
// AddressSanitizer and UBSan too (scripts/test.sh).
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "newsparse/newsparse.h"
#include "newsparse/newsparse.hpp"

namespace {

constexpr std::string_view kArticle =
    "FRANKFURT, Oct 7 (Reuters) - Shares of Tallbrook Freight AG fell on Monday, the company "
    "said.\n\n(Reporting by Ines Harrow; Editing by Paul Kade)\n";

newsparse_error NewError() {
  newsparse_error e;
  std::memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  return e;
}

newsparse_engine_options Options(const char* data_dir = NEWSPARSE_TEST_DATA_DIR,
                                 uint64_t max_bytes = 0) {
  newsparse_engine_options o;
  std::memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.data_dir = data_dir;
  o.max_article_bytes = max_bytes;
  return o;
}

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    newsparse_engine_options o = Options();
    newsparse_error e = NewError();
    ASSERT_EQ(newsparse_engine_open(&o, &engine_, &e), NEWSPARSE_OK) << e.message;
    ASSERT_EQ(newsparse_workspace_new(engine_, &ws_, &e), NEWSPARSE_OK) << e.message;
  }
  void TearDown() override {
    newsparse_workspace_free(ws_);
    newsparse_engine_free(engine_);
  }

  int32_t Parse(std::string_view text, const newsparse_parse_options* options,
                newsparse_result** out, newsparse_error* e) {
    return newsparse_parse(engine_, ws_, text.data(), text.size(), options, out, e);
  }

  newsparse_engine* engine_ = nullptr;
  newsparse_workspace* ws_ = nullptr;
};

TEST(VersionTest, WindowIsMajorOneOnly) {
  EXPECT_EQ(newsparse_get_api(0), nullptr);
  EXPECT_EQ(newsparse_get_api(2), nullptr);
  EXPECT_EQ(newsparse_get_api(UINT32_MAX), nullptr);
  const newsparse_api* api = newsparse_get_api(NEWSPARSE_ABI_MAJOR);
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->struct_size, sizeof(newsparse_api));
  EXPECT_EQ(api->abi_major, 1u);
  EXPECT_EQ(api->abi_minor, static_cast<uint32_t>(NEWSPARSE_ABI_MINOR));
  // Every member is set, and the table is the functions themselves.
  const auto* first = reinterpret_cast<const char*>(&api->status_string);
  const auto* end = reinterpret_cast<const char*>(api) + api->struct_size;
  for (const char* p = first; p < end; p += sizeof(void*)) {
    void* fn = nullptr;
    std::memcpy(&fn, p, sizeof fn);
    EXPECT_NE(fn, nullptr) << "member at offset " << (p - reinterpret_cast<const char*>(api));
  }
  EXPECT_EQ(api->parse, &newsparse_parse);
  EXPECT_EQ(api->result_json, &newsparse_result_json);
}

TEST(StatusTest, EveryCodeHasText) {
  for (int32_t c = NEWSPARSE_OK; c <= NEWSPARSE_ERR_INTERNAL; ++c) {
    ASSERT_NE(newsparse_status_string(c), nullptr);
    EXPECT_STRNE(newsparse_status_string(c), "unknown status") << c;
  }
  EXPECT_STREQ(newsparse_status_string(NEWSPARSE_OK), "ok");
  EXPECT_STREQ(newsparse_status_string(-1), "unknown status");
  EXPECT_STREQ(newsparse_status_string(INT32_MAX), "unknown status");
}

TEST(EngineTest, NullOutAndNullOptions) {
  newsparse_error e = NewError();
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.code, NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.byte_offset, NEWSPARSE_NONE);
  EXPECT_STRNE(e.message, "");
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, nullptr), NEWSPARSE_ERR_INVALID_ARGUMENT);
  // NULL options: every default, the default data folder.
  newsparse_engine* engine = reinterpret_cast<newsparse_engine*>(0x1);
  ASSERT_EQ(newsparse_engine_open(nullptr, &engine, nullptr), NEWSPARSE_OK);
  EXPECT_STRNE(newsparse_engine_data_dir(engine), "");
  newsparse_engine_free(engine);
  EXPECT_STREQ(newsparse_engine_data_dir(nullptr), "");
  newsparse_engine_free(nullptr);
  newsparse_workspace_free(nullptr);
  newsparse_result_free(nullptr);
}

TEST(EngineTest, MissingDataDirIsDataError) {
  newsparse_engine_options o = Options("/nonexistent/newsparse-data");
  newsparse_error e = NewError();
  newsparse_engine* engine = reinterpret_cast<newsparse_engine*>(0x1);
  EXPECT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_ERR_DATA);
  EXPECT_EQ(engine, nullptr);
  EXPECT_NE(std::string(e.message).find("/nonexistent/newsparse-data"), std::string::npos);
}

TEST(EngineTest, OptionsStructSizes) {
  newsparse_error e = NewError();
  newsparse_engine* engine = nullptr;
  // struct_size 0: the host forgot to set it.
  newsparse_engine_options o = Options();
  o.struct_size = 0;
  EXPECT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  // Smaller than known (an older host): only struct_size and flags are read, the data_dir and
  // max_article_bytes fields (here garbage) take their defaults.
  o = Options(reinterpret_cast<const char*>(0x1), 5);
  o.struct_size = offsetof(newsparse_engine_options, data_dir);
  ASSERT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_OK) << e.message;
  newsparse_engine_free(engine);
  // A size cutting a field in half reads nothing of that field.
  o.struct_size = offsetof(newsparse_engine_options, data_dir) + 3;
  ASSERT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_OK) << e.message;
  newsparse_engine_free(engine);
  // Larger than known (a newer host): the unknown tail is ignored.
  struct Bigger {
    newsparse_engine_options known;
    uint64_t future[4];
  } big;
  std::memset(&big, 0xAB, sizeof big);
  big.known = Options();
  big.known.struct_size = sizeof big;
  ASSERT_EQ(newsparse_engine_open(&big.known, &engine, &e), NEWSPARSE_OK) << e.message;
  newsparse_engine_free(engine);
  // Reserved flags must be 0.
  o = Options();
  o.flags = 1;
  EXPECT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
}

TEST(ErrorStructTest, WritesOnlyWithinStructSize) {
  // struct_size 0: untouched.
  newsparse_error e;
  std::memset(&e, 0x5A, sizeof e);
  e.struct_size = 0;
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.code, 0x5A5A5A5A);
  // Only the code fits.
  std::memset(&e, 0x5A, sizeof e);
  e.struct_size = offsetof(newsparse_error, byte_offset);
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.code, NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e.byte_offset, 0x5A5A5A5Au);
  EXPECT_EQ(static_cast<unsigned char>(e.message[0]), 0x5A);
  // A message room of 8 bytes: truncated and NUL-terminated within it.
  std::memset(&e, 0x5A, sizeof e);
  e.struct_size = offsetof(newsparse_error, message) + 8;
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(std::strlen(e.message), 7u);
  EXPECT_EQ(static_cast<unsigned char>(e.message[8]), 0x5A);
  // Larger than known: the tail stays untouched.
  struct Bigger {
    newsparse_error known;
    unsigned char future[16];
  } big;
  std::memset(&big, 0x5A, sizeof big);
  big.known.struct_size = sizeof big;
  EXPECT_EQ(newsparse_engine_open(nullptr, nullptr, &big.known), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(big.known.code, NEWSPARSE_ERR_INVALID_ARGUMENT);
  for (unsigned char c : big.future) EXPECT_EQ(c, 0x5A);
}

TEST_F(CApiTest, NullHandlesAndPointers) {
  newsparse_error e = NewError();
  newsparse_result* r = reinterpret_cast<newsparse_result*>(0x1);
  const std::string_view t = kArticle;
  EXPECT_EQ(newsparse_parse(nullptr, ws_, t.data(), t.size(), nullptr, &r, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(newsparse_parse(engine_, nullptr, t.data(), t.size(), nullptr, &r, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(newsparse_parse(engine_, ws_, t.data(), t.size(), nullptr, nullptr, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(newsparse_parse(engine_, ws_, nullptr, 5, nullptr, &r, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(newsparse_parse(nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr),
            NEWSPARSE_ERR_INVALID_ARGUMENT);

  newsparse_workspace* ws = reinterpret_cast<newsparse_workspace*>(0x1);
  EXPECT_EQ(newsparse_workspace_new(nullptr, &ws, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(ws, nullptr);
  EXPECT_EQ(newsparse_workspace_new(engine_, nullptr, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);

  // Accessors on a NULL result: NULL and a count of 0; a NULL count is allowed.
  uint32_t n = 7;
  EXPECT_EQ(newsparse_result_dateline(nullptr), nullptr);
  EXPECT_EQ(newsparse_result_places(nullptr, &n), nullptr);
  EXPECT_EQ(n, 0u);
  n = 7;
  EXPECT_EQ(newsparse_result_entities(nullptr, &n), nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(newsparse_result_mentions(nullptr, nullptr), nullptr);
  EXPECT_EQ(newsparse_result_indices(nullptr, nullptr), nullptr);
  EXPECT_EQ(newsparse_result_text_size(nullptr), 0u);

  const char* json = "x";
  uint64_t json_size = 9;
  EXPECT_EQ(newsparse_result_json(nullptr, t.data(), t.size(), &json, &json_size, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(json, nullptr);
  EXPECT_EQ(json_size, 0u);
}

TEST_F(CApiTest, ParsesAndAccessorsAgree) {
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  ASSERT_EQ(Parse(kArticle, nullptr, &r, &e), NEWSPARSE_OK) << e.message;
  EXPECT_EQ(newsparse_result_text_size(r), kArticle.size());
  uint32_t n = 99;
  const newsparse_mention* mentions = newsparse_result_mentions(r, &n);
  EXPECT_EQ(mentions == nullptr, n == 0);
  const newsparse_dateline* d = newsparse_result_dateline(r);
  if (d != nullptr) {
    uint32_t places = 0;
    newsparse_result_places(r, &places);
    EXPECT_EQ(d->places_count, places);
  }
  const char* json = nullptr;
  uint64_t json_size = 0;
  ASSERT_EQ(newsparse_result_json(r, kArticle.data(), kArticle.size(), &json, &json_size, &e),
            NEWSPARSE_OK);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(std::strlen(json), json_size);
  EXPECT_EQ(std::string_view(json).substr(0, 19), "{\"schema_version\":1");
  // A later call replaces the buffer; the wrong text size is refused.
  ASSERT_EQ(newsparse_result_json(r, kArticle.data(), kArticle.size(), &json, nullptr, &e),
            NEWSPARSE_OK);
  EXPECT_EQ(newsparse_result_json(r, kArticle.data(), kArticle.size() - 1, &json, &json_size, &e),
            NEWSPARSE_ERR_INVALID_ARGUMENT);
  newsparse_result_free(r);
}

TEST_F(CApiTest, EmptyText) {
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  ASSERT_EQ(newsparse_parse(engine_, ws_, nullptr, 0, nullptr, &r, &e), NEWSPARSE_OK);
  EXPECT_EQ(newsparse_result_dateline(r), nullptr);
  const char* json = nullptr;
  ASSERT_EQ(newsparse_result_json(r, nullptr, 0, &json, nullptr, &e), NEWSPARSE_OK);
  EXPECT_NE(json, nullptr);
  newsparse_result_free(r);
  ASSERT_EQ(Parse("", nullptr, &r, &e), NEWSPARSE_OK);
  EXPECT_EQ(newsparse_result_text_size(r), 0u);
  newsparse_result_free(r);
}

TEST_F(CApiTest, InvalidUtf8IsNotAnError) {
  const std::string text =
      std::string("BERLIN, Jan 2 (Reuters) - Bad \xC3\x28 bytes \xFF\xFE and a cut \xE2\x82") +
      std::string("\0 nul", 5);
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  ASSERT_EQ(Parse(text, nullptr, &r, &e), NEWSPARSE_OK) << e.message;
  const char* json = nullptr;
  uint64_t size = 0;
  ASSERT_EQ(newsparse_result_json(r, text.data(), text.size(), &json, &size, &e), NEWSPARSE_OK);
  EXPECT_EQ(std::strlen(json), size);
  newsparse_result_free(r);
}

TEST(LimitTest, TextOverTheLimitOrFourGiB) {
  newsparse_engine_options o = Options(NEWSPARSE_TEST_DATA_DIR, 16);
  newsparse_error e = NewError();
  newsparse_engine* engine = nullptr;
  ASSERT_EQ(newsparse_engine_open(&o, &engine, &e), NEWSPARSE_OK);
  newsparse_workspace* ws = nullptr;
  ASSERT_EQ(newsparse_workspace_new(engine, &ws, &e), NEWSPARSE_OK);
  const std::string text(17, 'a');
  newsparse_result* r = reinterpret_cast<newsparse_result*>(0x1);
  EXPECT_EQ(newsparse_parse(engine, ws, text.data(), 17, nullptr, &r, &e), NEWSPARSE_ERR_TOO_LARGE);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(e.code, NEWSPARSE_ERR_TOO_LARGE);
  EXPECT_NE(std::string(e.message).find("17 bytes"), std::string::npos) << e.message;
  ASSERT_EQ(newsparse_parse(engine, ws, text.data(), 16, nullptr, &r, &e), NEWSPARSE_OK);
  newsparse_result_free(r);
  newsparse_workspace_free(ws);
  newsparse_engine_free(engine);

  // 4 GiB and more: refused before a byte is read (the buffer is only 17 bytes long).
  ASSERT_EQ(newsparse_engine_open(nullptr, &engine, &e), NEWSPARSE_OK);
  ASSERT_EQ(newsparse_workspace_new(engine, &ws, &e), NEWSPARSE_OK);
  o = Options(NEWSPARSE_TEST_DATA_DIR, UINT64_MAX);
  newsparse_engine* unlimited = nullptr;
  ASSERT_EQ(newsparse_engine_open(&o, &unlimited, &e), NEWSPARSE_OK);
  EXPECT_EQ(newsparse_parse(unlimited, ws, text.data(), uint64_t{1} << 32, nullptr, &r, &e),
            NEWSPARSE_ERR_TOO_LARGE);
  EXPECT_EQ(newsparse_parse(unlimited, ws, text.data(), UINT64_MAX, nullptr, &r, &e),
            NEWSPARSE_ERR_TOO_LARGE);
  newsparse_engine_free(unlimited);
  newsparse_workspace_free(ws);
  newsparse_engine_free(engine);
}

TEST_F(CApiTest, ParseOptions) {
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  newsparse_parse_options o;
  std::memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.stages = NEWSPARSE_STAGE_DATELINE | NEWSPARSE_STAGE_DATES;
  o.ref_year = 2024;
  o.ref_month = 2;
  o.ref_day = 29;
  ASSERT_EQ(Parse(kArticle, &o, &r, &e), NEWSPARSE_OK) << e.message;
  newsparse_result_free(r);

  newsparse_parse_options bad = o;
  bad.ref_year = 2023;  // 2023-02-29 does not exist
  EXPECT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  bad = o;
  bad.ref_month = 13;
  EXPECT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  bad = o;
  bad.stages = 0x10;  // a stage this library does not know
  EXPECT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  bad = o;
  bad.flags = 4;
  EXPECT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);
  bad = o;
  bad.struct_size = 0;
  EXPECT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_ERR_INVALID_ARGUMENT);

  // Smaller than known: the reference date and flags (garbage here) are not read.
  bad = o;
  bad.struct_size = offsetof(newsparse_parse_options, ref_year);
  bad.ref_month = 77;
  bad.flags = 0xFFFF;
  ASSERT_EQ(Parse(kArticle, &bad, &r, &e), NEWSPARSE_OK) << e.message;
  newsparse_result_free(r);
  // Larger than known: the tail is ignored.
  struct Bigger {
    newsparse_parse_options known;
    uint32_t future[6];
  } big;
  std::memset(&big, 0xCD, sizeof big);
  big.known = o;
  big.known.struct_size = sizeof big;
  ASSERT_EQ(Parse(kArticle, &big.known, &r, &e), NEWSPARSE_OK) << e.message;
  newsparse_result_free(r);
}

TEST_F(CApiTest, ResultOutlivesWorkspaceAndInputText) {
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  {
    std::string text(kArticle);
    ASSERT_EQ(Parse(text, nullptr, &r, &e), NEWSPARSE_OK);
    std::fill(text.begin(), text.end(), 'x');  // the text is not retained
  }
  newsparse_workspace_free(ws_);
  ws_ = nullptr;
  uint32_t n = 0;
  newsparse_result_credits(r, &n);
  EXPECT_EQ(newsparse_result_text_size(r), kArticle.size());
  newsparse_result_free(r);
}

// The core's dateline strings are views into the text (a city not in the place table, a region
// as written): the result must hold its own copies, for the accessors and for the JSON form.
TEST_F(CApiTest, DatelineStringsOutliveTheInputText) {
  constexpr std::string_view kText =
      "PORT ELDRIN, Calif., Oct 7 (Reuters) - The harbour board met on Monday, officials said.\n";
  newsparse_error e = NewError();
  newsparse_result* r = nullptr;
  {
    std::string text(kText);
    ASSERT_EQ(Parse(text, nullptr, &r, &e), NEWSPARSE_OK) << e.message;
    std::fill(text.begin(), text.end(), 'x');
  }
  auto str = [](newsparse_str s) {
    EXPECT_EQ(s.data[s.size], '\0');
    return std::string(s.data, s.size);
  };
  const newsparse_dateline* d = newsparse_result_dateline(r);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(str(d->place.city), "PORT ELDRIN");  // not in the table: as written
  EXPECT_EQ(str(d->place.region), "Calif.");
  EXPECT_EQ(str(d->place.country), "US");
  EXPECT_EQ(str(d->source_name), "Reuters");
  uint32_t n = 0;
  const newsparse_place* places = newsparse_result_places(r, &n);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(str(places[0].city), "PORT ELDRIN");
  EXPECT_EQ(str(places[0].region), "Calif.");
  // The JSON form, from another copy of the same text after the first one was overwritten.
  const std::string again(kText);
  const char* json = nullptr;
  uint64_t json_size = 0;
  ASSERT_EQ(newsparse_result_json(r, again.data(), again.size(), &json, &json_size, &e),
            NEWSPARSE_OK)
      << e.message;
  const std::string_view j(json, json_size);
  EXPECT_NE(j.find("\"city\":\"PORT ELDRIN\""), std::string_view::npos) << j;
  EXPECT_NE(j.find("\"region\":\"Calif.\""), std::string_view::npos) << j;
  newsparse_result_free(r);
}

TEST_F(CApiTest, OneEngineManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> failures(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      newsparse_workspace* ws = nullptr;
      if (newsparse_workspace_new(engine_, &ws, nullptr) != NEWSPARSE_OK) {
        ++failures[t];
        return;
      }
      for (int i = 0; i < 200; ++i) {
        newsparse_result* r = nullptr;
        if (newsparse_parse(engine_, ws, kArticle.data(), kArticle.size(), nullptr, &r, nullptr) !=
            NEWSPARSE_OK) {
          ++failures[t];
        }
        newsparse_result_free(r);
      }
      newsparse_workspace_free(ws);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures[0] + failures[1], 0);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WrapperTest, RaiiAndExceptions) {
  namespace np = newsparse::plugin;
  np::Engine engine = np::Engine::Open(NEWSPARSE_TEST_DATA_DIR, 64);
  np::Workspace ws = engine.NewWorkspace();
  for (const char* name : {"ap-byline.txt", "upi-unicode.txt", "dpa-oneline.txt"}) {
    const std::string text = ReadFile(std::string(NEWSPARSE_TEST_ARTICLES) + "/" + name);
    ASSERT_FALSE(text.empty()) << name;
    if (text.size() > 64) {
      try {
        engine.Parse(ws, text);
        ADD_FAILURE() << "expected TOO_LARGE";
      } catch (const np::Error& e) {
        EXPECT_EQ(e.code(), NEWSPARSE_ERR_TOO_LARGE);
      }
    }
  }
  np::Engine big = np::Engine::Open(NEWSPARSE_TEST_DATA_DIR);
  const std::string text = ReadFile(std::string(NEWSPARSE_TEST_ARTICLES) + "/ap-byline.txt");
  np::Result r = big.Parse(ws, text);
  EXPECT_EQ(r.mentions().size(), r.indices().size());
  EXPECT_EQ(r.Json(text).substr(0, 19), "{\"schema_version\":1");
  EXPECT_THROW(big.Parse(ws, text, {0x100, 0, 0, 0}), np::Error);
  EXPECT_THROW(np::Engine::Open("/nonexistent/newsparse-data"), np::Error);
  EXPECT_EQ(np::Slice(text, {NEWSPARSE_NONE, NEWSPARSE_NONE}), "");
  EXPECT_EQ(np::Slice(text, {3, 8}), "MARTA");
}

}  // namespace
