#include "core/tokenizer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> Words(std::string_view text) {
  Tokens t;
  Tokenize(text, &t);
  std::vector<std::string> out;
  for (const Token& tok : t.tokens) out.emplace_back(TokenText(text, tok));
  return out;
}

std::vector<std::string> Sentences(std::string_view text) {
  Tokens t;
  Tokenize(text, &t);
  std::vector<std::string> out;
  for (const TokenRange& r : t.sentences) {
    out.emplace_back(
        text.substr(t.tokens[r.begin].begin, t.tokens[r.end - 1].end - t.tokens[r.begin].begin));
  }
  return out;
}

TEST(TokenizerTest, DatelineOfXinhuaStyle) {
  EXPECT_THAT(
      Words("MOSCOW, Feb. 23 (Xinhua) -- Wang said."),
      ElementsAre("MOSCOW", ",", "Feb.", "23", "(", "Xinhua", ")", "--", "Wang", "said", "."));
}

TEST(TokenizerTest, AbbreviationsKeepTheirPeriod) {
  EXPECT_THAT(Words("Sept. 5, the U.S. Senate, Mr. Smith Jr. of ANAHEIM, Calif. said"),
              ElementsAre("Sept.", "5", ",", "the", "U.S.", "Senate", ",", "Mr.", "Smith", "Jr.",
                          "of", "ANAHEIM", ",", "Calif.", "said"));
  EXPECT_THAT(Words("J. R. Tolkien met Corp. staff"),
              ElementsAre("J.", "R.", "Tolkien", "met", "Corp.", "staff"));
  EXPECT_THAT(Words("at 5 p.m. on Monday"), ElementsAre("at", "5", "p.m.", "on", "Monday"));
}

TEST(TokenizerTest, OrdinaryWordBeforePeriodIsSplit) {
  EXPECT_THAT(Words("He left. She stayed."), ElementsAre("He", "left", ".", "She", "stayed", "."));
}

TEST(TokenizerTest, EveryQuoteMarkIsItsOwnToken) {
  EXPECT_THAT(Words("\"a\" \xE2\x80\x9C"
                    "b\xE2\x80\x9D \xE2\x80\x98"
                    "c\xE2\x80\x99 \xC2\xAB"
                    "d\xC2\xBB "
                    "\xE2\x80\x9E"
                    "e\xE2\x80\x9C ''f'' ``g''"),
              ElementsAre("\"", "a", "\"", "\xE2\x80\x9C", "b", "\xE2\x80\x9D", "\xE2\x80\x98", "c",
                          "\xE2\x80\x99", "\xC2\xAB", "d", "\xC2\xBB", "\xE2\x80\x9E", "e",
                          "\xE2\x80\x9C", "''", "f", "''", "``", "g", "''"));
}

TEST(TokenizerTest, ApostrophesInsideWordsAndPossessives) {
  EXPECT_THAT(Words("O'Neill don't Putin's China\xE2\x80\x99s"),
              ElementsAre("O'Neill", "don't", "Putin", "'s", "China", "\xE2\x80\x99s"));
}

TEST(TokenizerTest, EveryDashIsItsOwnToken) {
  EXPECT_THAT(
      Words("A - B -- C \xE2\x80\x94 D \xE2\x80\x93 E _ F"),
      ElementsAre("A", "-", "B", "--", "C", "\xE2\x80\x94", "D", "\xE2\x80\x93", "E", "_", "F"));
  // Without spaces too: "N.C.—Donald".
  EXPECT_THAT(Words("SELMA, N.C.\xE2\x80\x94"
                    "Donald"),
              ElementsAre("SELMA", ",", "N.C.", "\xE2\x80\x94", "Donald"));
}

TEST(TokenizerTest, HyphenJoinsWordsAndNumbers) {
  EXPECT_THAT(Words("the 116,000-acre Russia-China deal of 5.93 mln on 1987-02-26"),
              ElementsAre("the", "116,000-acre", "Russia-China", "deal", "of", "5.93", "mln", "on",
                          "1987-02-26"));
}

TEST(TokenizerTest, Tickers) {
  EXPECT_THAT(
      Words("Exxon Mobil ( XOM.N ) and AT&T ( T.N ) rose"),
      ElementsAre("Exxon", "Mobil", "(", "XOM.N", ")", "and", "AT&T", "(", "T.N", ")", "rose"));
}

TEST(TokenizerTest, NumbersWithCommasAndSymbols) {
  EXPECT_THAT(Words("$20 billion, 3.5% or 1,000."),
              ElementsAre("$", "20", "billion", ",", "3.5", "%", "or", "1,000", "."));
}

TEST(TokenizerTest, ShapesAndKinds) {
  const std::string_view text = "Moscow MOSCOW said iPhone 1987 G7 ,";
  Tokens t;
  Tokenize(text, &t);
  ASSERT_EQ(t.tokens.size(), 7u);
  EXPECT_EQ(t.tokens[0].shape, TokenShape::kCapitalized);
  EXPECT_EQ(t.tokens[1].shape, TokenShape::kAllCaps);
  EXPECT_EQ(t.tokens[2].shape, TokenShape::kLower);
  EXPECT_EQ(t.tokens[3].shape, TokenShape::kMixed);
  EXPECT_EQ(t.tokens[4].shape, TokenShape::kDigits);
  EXPECT_EQ(t.tokens[4].kind, TokenKind::kNumber);
  EXPECT_EQ(t.tokens[5].shape, TokenShape::kAlphaNum);
  EXPECT_EQ(t.tokens[6].kind, TokenKind::kPunct);
}

TEST(TokenizerTest, NonAsciiWordsUseUnicodeClasses) {
  const std::string_view text = "МОСКВА, 23 февраля. São Paulo München";
  EXPECT_THAT(Words(text),
              ElementsAre("МОСКВА", ",", "23", "февраля", ".", "São", "Paulo", "München"));
  Tokens t;
  Tokenize(text, &t);
  EXPECT_EQ(t.tokens[0].shape, TokenShape::kAllCaps);
  EXPECT_EQ(t.tokens[3].shape, TokenShape::kLower);
  EXPECT_EQ(t.tokens[5].shape, TokenShape::kCapitalized);
  EXPECT_TRUE(t.tokens[5].Has(kNonAscii));
  EXPECT_FALSE(t.tokens[6].Has(kNonAscii));
}

TEST(TokenizerTest, NoBreakSpaceSeparatesTokens) {
  EXPECT_THAT(Words("WASHINGTON \xE2\x80\x94\xC2\xA0U.S. officials"),
              ElementsAre("WASHINGTON", "\xE2\x80\x94", "U.S.", "officials"));
}

TEST(TokenizerTest, SentenceBoundaries) {
  EXPECT_THAT(
      Sentences("Wang arrived on Monday. He met Putin. \"It went well,\" he said."),
      ElementsAre("Wang arrived on Monday.", "He met Putin.", "\"It went well,\" he said."));
  // Abbreviations before names and numbers do not end sentences.
  EXPECT_THAT(Sentences("Mr. Smith met Gen. Lee on Feb. 3 in Washington."),
              ElementsAre("Mr. Smith met Gen. Lee on Feb. 3 in Washington."));
  // A closing quote after the period stays in the sentence.
  EXPECT_THAT(Sentences("He said \"no.\" Then he left."),
              ElementsAre("He said \"no.\"", "Then he left."));
  // An initialism ends a sentence before a typical opener.
  EXPECT_THAT(Sentences("Sales rose in the U.S. The gain was small."),
              ElementsAre("Sales rose in the U.S.", "The gain was small."));
  EXPECT_THAT(Sentences("Is it? Yes! Fine..."), ElementsAre("Is it?", "Yes!", "Fine..."));
}

TEST(TokenizerTest, ParagraphsAtBlankLinesAndIndentation) {
  const std::string_view text =
      "First line\ncontinues here.\n\nSecond paragraph.\n    Third, indented.\nStill third.";
  Tokens t;
  Tokenize(text, &t);
  ASSERT_EQ(t.paragraphs.size(), 3u);
  auto para = [&](size_t i) {
    const TokenRange r = t.paragraphs[i];
    return std::string(
        text.substr(t.tokens[r.begin].begin, t.tokens[r.end - 1].end - t.tokens[r.begin].begin));
  };
  EXPECT_EQ(para(0), "First line\ncontinues here.");
  EXPECT_EQ(para(1), "Second paragraph.");
  EXPECT_EQ(para(2), "Third, indented.\nStill third.");
  // A paragraph start is a sentence start, and flags say so.
  const Token& third = t.tokens[t.paragraphs[2].begin];
  EXPECT_TRUE(third.Has(kParagraphStart));
  EXPECT_TRUE(third.Has(kSentenceStart));
  EXPECT_TRUE(third.Has(kNewlineBefore));
}

TEST(TokenizerTest, CrLfLineEndings) {
  Tokens t;
  Tokenize("One.\r\n\r\nTwo.", &t);
  EXPECT_EQ(t.paragraphs.size(), 2u);
}

TEST(TokenizerTest, EmptyAndWhitespaceOnly) {
  Tokens t;
  Tokenize("", &t);
  EXPECT_TRUE(t.tokens.empty());
  EXPECT_TRUE(t.sentences.empty());
  Tokenize(" \n\t \n ", &t);
  EXPECT_TRUE(t.tokens.empty());
  EXPECT_TRUE(t.paragraphs.empty());
}

TEST(TokenizerTest, InvalidUtf8BecomesSymbolTokens) {
  const std::string text =
      "ab\xFF"
      "cd \xE2\x82 end \xC3";
  Tokens t;
  Tokenize(text, &t);
  std::vector<std::string> words;
  for (const Token& tok : t.tokens) words.emplace_back(TokenText(text, tok));
  EXPECT_THAT(words, ElementsAre("ab", "\xFF", "cd", "\xE2\x82", "end", "\xC3"));
  EXPECT_EQ(t.tokens[1].kind, TokenKind::kSymbol);
}

TEST(TokenizerTest, TokensTileTheTextInOrderAndSentencesCoverAll) {
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += "Mr. O'Neill said \xE2\x80\x9Cyes.\xE2\x80\x9D It rose 5.9% to $3. ";
  Tokens t;
  Tokenize(text, &t);
  uint32_t last = 0;
  for (const Token& tok : t.tokens) {
    ASSERT_GE(tok.begin, last);
    ASSERT_GT(tok.end, tok.begin);
    last = tok.end;
  }
  uint32_t covered = 0;
  for (const TokenRange& r : t.sentences) {
    ASSERT_EQ(r.begin, covered);
    covered = r.end;
  }
  EXPECT_EQ(covered, t.tokens.size());
  EXPECT_EQ(t.sentences.size(), 400u);
}

TEST(TokenizerTest, ReusedTokensGiveSameResult) {
  Tokens t;
  Tokenize(std::string(5000, 'a') + " b c d e f g", &t);
  Tokenize("x y", &t);
  EXPECT_EQ(t.tokens.size(), 2u);
  EXPECT_EQ(t.sentences.size(), 1u);
}

TEST(TokenizerTest, LongRunsAreLinear) {
  // 1 MB of one character class each: must finish (no quadratic rescans) and stay consistent.
  for (char c : {'a', '.', '-', '"', '(', '\''}) {
    Tokens t;
    Tokenize(std::string(1 << 20, c), &t);
    EXPECT_FALSE(t.tokens.empty());
  }
}

}  // namespace
}  // namespace newsparse
