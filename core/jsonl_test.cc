#include "core/jsonl.h"

#include "gtest/gtest.h"

namespace newsparse {
namespace {

JsonlFields Fields(std::string date_field = "") {
  JsonlFields f;
  f.date_field = std::move(date_field);
  return f;
}

TEST(JsonlTest, ReadsTextDateAndId) {
  JsonlRecord r;
  JsonlError e;
  ASSERT_TRUE(ParseJsonlRecord(
      R"({"id": "a-1", "date": "2023-02-23T10:00:00", "text": "MOSCOW, Feb. 23 \u2014 \"Hi\"\n", "x": [1, {"y": null}]})",
      Fields("date"), &r, &e))
      << e.message;
  EXPECT_EQ(r.text, "MOSCOW, Feb. 23 \xE2\x80\x94 \"Hi\"\n");
  EXPECT_EQ(r.id_json, "\"a-1\"");
  ASSERT_TRUE(r.date.has_value());
  EXPECT_EQ(*r.date, absl::CivilDay(2023, 2, 23));
}

TEST(JsonlTest, NumericIdAndSurrogatePairs) {
  JsonlRecord r;
  JsonlError e;
  ASSERT_TRUE(ParseJsonlRecord(R"({"id": 42, "text": "\ud83d\ude00 ok"})", Fields(), &r, &e));
  EXPECT_EQ(r.id_json, "42");
  EXPECT_EQ(r.text, "\xF0\x9F\x98\x80 ok");
}

TEST(JsonlTest, NullDateMeansNoReference) {
  JsonlRecord r;
  JsonlError e;
  ASSERT_TRUE(ParseJsonlRecord(R"({"text": "x", "date": null})", Fields("date"), &r, &e));
  EXPECT_FALSE(r.date.has_value());
}

struct BadCase {
  const char* line;
  const char* kind;
};

class JsonlBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(JsonlBadTest, ReportsKind) {
  JsonlRecord r;
  JsonlError e;
  EXPECT_FALSE(ParseJsonlRecord(GetParam().line, Fields("date"), &r, &e));
  EXPECT_EQ(e.kind, GetParam().kind) << GetParam().line << " -> " << e.message;
  EXPECT_FALSE(e.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonlBadTest,
    ::testing::Values(BadCase{"", "bad_json"}, BadCase{"not json", "bad_json"},
                      BadCase{"[1, 2]", "bad_json"}, BadCase{R"({"text": "x")", "bad_json"},
                      BadCase{R"({"text": "x", "date": "2023-01-01"} extra)", "bad_json"},
                      BadCase{R"({"text": "bad \q escape", "date": null})", "bad_json"},
                      BadCase{R"({"text": "\ud800 lone", "date": null})", "bad_json"},
                      BadCase{"{\"text\": \"raw\tcontrol\", \"date\": null}", "bad_json"},
                      BadCase{"{\"text\": \"bad \xFF byte\", \"date\": null}", "invalid_utf8"},
                      BadCase{R"({"date": "2023-01-01"})", "missing_field"},
                      BadCase{R"({"text": "x"})", "missing_field"},
                      BadCase{R"({"text": 5, "date": null})", "wrong_type"},
                      BadCase{R"({"text": "x", "date": 20230101})", "wrong_type"},
                      BadCase{R"({"text": "x", "date": "2023-02-30"})", "bad_date"},
                      BadCase{R"({"text": "x", "date": "yesterday"})", "bad_date"},
                      BadCase{R"({"text": "x", "date": null, "id": [1]})", "wrong_type"}));

TEST(JsonlTest, IdIsKeptOnErrors) {
  JsonlRecord r;
  JsonlError e;
  EXPECT_FALSE(ParseJsonlRecord(R"({"id": "k", "text": 1})", Fields(), &r, &e));
  EXPECT_EQ(r.id_json, "\"k\"");
}

TEST(JsonlTest, BadDateMessageQuotesTheValueAsTheBindingDoes) {
  JsonlRecord r;
  JsonlError e;
  EXPECT_FALSE(
      ParseJsonlRecord(R"({"text": "x", "date": "next \"Tuesday\""})", Fields("date"), &r, &e));
  EXPECT_EQ(e.kind, "bad_date");
  EXPECT_EQ(e.message, R"(date: 'next \"Tuesday\"' is not an ISO date (YYYY-MM-DD))");
  // Cut to 40 bytes, never inside a UTF-8 sequence: 39 ASCII bytes then a 2-byte "é".
  const std::string long_value = std::string(39, 'x') + "\xC3\xA9 and more";
  EXPECT_FALSE(ParseJsonlRecord("{\"text\": \"x\", \"date\": \"" + long_value + "\"}",
                                Fields("date"), &r, &e));
  EXPECT_EQ(e.message, "date: '" + std::string(39, 'x') + "' is not an ISO date (YYYY-MM-DD)");
}

TEST(JsonlTest, DeepNestingIsAnErrorNotACrash) {
  std::string line = "{\"text\": \"x\", \"deep\": ";
  line += std::string(100000, '[');
  line += std::string(100000, ']');
  line += "}";
  JsonlRecord r;
  JsonlError e;
  EXPECT_FALSE(ParseJsonlRecord(line, Fields(), &r, &e));
  EXPECT_EQ(e.kind, "bad_json");
}

TEST(JsonlTest, CrlfAndByteOrderMark) {
  JsonlRecord r;
  JsonlError e;
  EXPECT_TRUE(ParseJsonlRecord("\xEF\xBB\xBF{\"text\": \"x\"}\r", Fields(), &r, &e)) << e.message;
}

TEST(IsoDateTest, Parses) {
  EXPECT_EQ(ParseIsoDate("2024-02-29"), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(ParseIsoDate("1987-02-26T15:01:01"), absl::CivilDay(1987, 2, 26));
  EXPECT_FALSE(ParseIsoDate("2023-02-29").has_value());
  EXPECT_FALSE(ParseIsoDate("2023-13-01").has_value());
  EXPECT_FALSE(ParseIsoDate("26-FEB-1987").has_value());
  EXPECT_FALSE(ParseIsoDate("2023-02-2x").has_value());
}

}  // namespace
}  // namespace newsparse
