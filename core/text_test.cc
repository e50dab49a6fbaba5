#include "core/text.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsparse {
namespace {

// Code points as decoded with maximal-subpart replacement.
std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    char32_t cp;
    const int n = DecodeUtf8(p, end, &cp);
    EXPECT_GE(n, 1);
    out.push_back(cp);
    p += n;
  }
  return out;
}

TEST(Utf8Test, DecodesWellFormedSequences) {
  EXPECT_EQ(Decode("a\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80"),
            (std::vector<char32_t>{'a', 0xE9, 0x2014, 0x1F600}));
}

TEST(Utf8Test, MaximalSubpartReplacement) {
  // The Unicode standard's example (Table 3-8): 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
  // decodes as a, FFFD, FFFD, FFFD, b, FFFD, c, FFFD, FFFD, d.
  const std::string s = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  EXPECT_EQ(Decode(s), (std::vector<char32_t>{'a', 0xFFFD, 0xFFFD, 0xFFFD, 'b', 0xFFFD, 'c', 0xFFFD,
                                              0xFFFD, 'd'}));
  // Surrogates, overlongs and out-of-range sequences are invalid byte by byte.
  EXPECT_EQ(Decode("\xED\xA0\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_EQ(Decode("\xC0\xAF"), (std::vector<char32_t>{0xFFFD, 0xFFFD}));
  EXPECT_EQ(Decode("\xF4\x90\x80\x80"), (std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD}));
  // Truncated at the end of the buffer: one replacement, no read past the end.
  EXPECT_EQ(Decode(std::string_view("\xE2\x82", 2)), (std::vector<char32_t>{0xFFFD}));
}

TEST(Utf8Test, Validate) {
  EXPECT_TRUE(ValidateUtf8("plain ASCII and \xC3\xA9 and \xEF\xBF\xBD").ok());
  const absl::Status s = ValidateUtf8("abcdefghij\xFF");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("byte 10"), std::string::npos);
}

TEST(Utf8Test, IsAscii) {
  EXPECT_TRUE(IsAscii(""));
  EXPECT_TRUE(IsAscii("0123456789abcdefghij"));
  EXPECT_FALSE(IsAscii("0123456789abcdef\xC3\xA9"));
  // A non-ASCII byte at every position of a text long enough for the 32-byte steps.
  const std::string plain(100, 'a');
  EXPECT_TRUE(IsAscii(plain));
  for (size_t at = 0; at < plain.size(); ++at) {
    std::string t = plain;
    t[at] = '\x80';
    EXPECT_FALSE(IsAscii(t)) << at;
  }
}

TEST(Utf8Test, AppendUtf8RoundTrip) {
  std::string s;
  for (char32_t cp : {char32_t{'x'}, char32_t{0xE9}, char32_t{0x2014}, char32_t{0x1F600}}) {
    AppendUtf8(cp, &s);
  }
  EXPECT_EQ(s, "x\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80");
  std::string bad;
  AppendUtf8(0xD800, &bad);
  EXPECT_EQ(bad, "\xEF\xBF\xBD");
}

TEST(CharClassTest, Classes) {
  EXPECT_EQ(ClassifyCodePoint('A'), CharClass::kUpper);
  EXPECT_EQ(ClassifyCodePoint(0x0416), CharClass::kUpper);  // Ж
  EXPECT_EQ(ClassifyCodePoint(0x0436), CharClass::kLower);  // ж
  EXPECT_EQ(ClassifyCodePoint(0x4E2D), CharClass::kLower);  // 中 (a letter without case)
  EXPECT_EQ(ClassifyCodePoint(0x0661), CharClass::kDigit);  // Arabic-Indic one
  EXPECT_EQ(ClassifyCodePoint(0x00A0), CharClass::kSpace);  // no-break space
  EXPECT_EQ(ClassifyCodePoint(0x2014), CharClass::kDash);
  EXPECT_EQ(ClassifyCodePoint(0x201C), CharClass::kQuote);
  EXPECT_EQ(ClassifyCodePoint(0x00AB), CharClass::kQuote);
  EXPECT_EQ(ClassifyCodePoint(0x0301), CharClass::kMark);    // combining acute
  EXPECT_EQ(ClassifyCodePoint(0x20AC), CharClass::kSymbol);  // euro sign
  EXPECT_EQ(ClassifyCodePoint(0x2028), CharClass::kNewline);
}

TEST(OffsetMapTest, AsciiIsIdentity) {
  OffsetMap m;
  m.Reset("hello world");
  EXPECT_EQ(m.ToCodePoint(0), 0u);
  EXPECT_EQ(m.ToCodePoint(11), 11u);
}

TEST(OffsetMapTest, ValidUtf8CountsCodePoints) {
  // Long enough to cross several 64-byte blocks.
  std::string s;
  for (int i = 0; i < 100; ++i)
    s += "\xC3\xA9"
         "a\xF0\x9F\x98\x80";  // é a 😀: 7 bytes, 3 cps
  OffsetMap m;
  m.Reset(s);
  for (int i = 0; i <= 100; ++i) EXPECT_EQ(m.ToCodePoint(7 * i), 3u * i);
  EXPECT_EQ(m.ToCodePoint(static_cast<uint32_t>(s.size())), 300u);
  // An offset inside a sequence maps to the code point containing it.
  EXPECT_EQ(m.ToCodePoint(1), 0u);
  EXPECT_EQ(m.ToCodePoint(5), 2u);
}

TEST(OffsetMapTest, InvalidUtf8CountsReplacements) {
  const std::string s = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  OffsetMap m;
  m.Reset(s);
  EXPECT_EQ(m.ToCodePoint(1), 1u);    // after 'a'
  EXPECT_EQ(m.ToCodePoint(7), 4u);    // 'b'
  EXPECT_EQ(m.ToCodePoint(9), 6u);    // 'c'
  EXPECT_EQ(m.ToCodePoint(13), 10u);  // end
}

TEST(JsonEscapeTest, EscapesAndReplaces) {
  std::string out;
  AppendJsonEscaped("a\"b\\c\n\x01\xE2\x80\xA8\xFF\xC3\xA9", &out);
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0001\\u2028\xEF\xBF\xBD\xC3\xA9");
}

}  // namespace
}  // namespace newsparse
