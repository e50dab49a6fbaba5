// Tokenizer: words, numbers, punctuation, quote marks and dashes with byte offsets and a shape,
// plus sentence and paragraph boundaries.
//
//   "MOSCOW, Feb. 23 (Xinhua) -- Wang said."
//   -> MOSCOW | , | Feb. | 23 | ( | Xinhua | ) | -- | Wang | said | .
//
// Rules (each one has a test in tokenizer_test.cc):
// - Known abbreviations keep their period ("Feb.", "Sept.", "Mr.", "Jr.", "Calif."), and so do
//   dotted initialisms ("U.S.", "U.N.", "J.") and single capital initials.
// - Every quote mark is its own token: " “ ” ‘ ’ « » „ ‚ `` and the doubled apostrophe '' .
//   An apostrophe inside a word stays in it ("don't", "O'Neill"); a possessive "'s" is split off.
// - Every dash is its own token: "-" (when not joining two word characters), "--", "—", "–", "_".
//   A hyphen between letters or digits joins them ("116,000-acre", "Russia-China").
// - Numbers keep their decimal point and thousands commas ("5.93", "20,000", "1987-02-26").
// - Tickers like "( XOM.N )" come out as "(", "XOM.N", ")".
// - A sentence ends after . ! ? (and a closing quote or bracket that follows) when the next token
//   starts a new sentence, never after an abbreviation followed by a number or lower-case word;
//   a paragraph ends at a blank line, and a paragraph end is always a sentence end.
//
// The hot path is ASCII only: byte tables, and SSE2 (baseline x86-64; a table loop elsewhere) to
// find the end of a run of letters and digits 16 bytes at a time; sentence and paragraph
// boundaries are decided as the tokens are written. ICU classifies only non-ASCII code points.
// Linear time; nothing is read outside `text`. Tokenize() reuses the vectors of `out`, so a
// Tokens object reused across articles allocates nothing once it has grown to the largest article.
//
// Thread safety: Tokenize is a pure function of its input; a Tokens object belongs to one thread.
#ifndef NEWSPARSE_CORE_TOKENIZER_H_
#define NEWSPARSE_CORE_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace newsparse {

enum class TokenKind : uint8_t {
  kWord,    // letters (possibly with digits, internal apostrophes, hyphens, periods)
  kNumber,  // starts with a digit
  kPunct,   // . , ; : ! ? ( ) [ ] { } / & etc.
  kQuote,   // any quote mark
  kDash,    // - -- — – _
  kSymbol,  // $ % + = @ # and non-ASCII symbols
};

// Word shape, for features and heuristics.
enum class TokenShape : uint8_t {
  kLower,        // "said"
  kCapitalized,  // "Moscow", "Feb."
  kAllCaps,      // "MOSCOW", "U.S."
  kMixed,        // "iPhone", "McDonald"
  kDigits,       // "23", "1987"
  kAlphaNum,     // "G7", "XOM.N" mixed letters and digits
  kOther,        // punctuation, symbols
};

// Bits of Token::flags.
enum TokenFlag : uint8_t {
  kAbbreviation = 1 << 0,    // word ends with a period that belongs to it ("Feb.", "U.S.")
  kSpaceBefore = 1 << 1,     // white space (or start of text) precedes the token
  kNewlineBefore = 1 << 2,   // a line break precedes the token
  kSentenceStart = 1 << 3,   // first token of a sentence
  kParagraphStart = 1 << 4,  // first token of a paragraph
  kNonAscii = 1 << 5,        // the token holds a non-ASCII byte
};

// A trivial type (no default member initialisers) so that the tokenizer can grow its output
// without zero-filling it first; write `Token t{}` for a zeroed one.
struct Token {
  uint32_t begin;  // byte offsets [begin, end)
  uint32_t end;
  TokenKind kind;
  TokenShape shape;
  uint8_t flags;

  bool Has(TokenFlag f) const { return (flags & f) != 0; }
};

// A range of token indices [begin, end).
struct TokenRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// An allocator whose value-less construct() default-initialises: resize() of a vector of trivial
// types then leaves new elements unwritten instead of zero-filling them.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using TokenVector = std::vector<Token, DefaultInitAllocator<Token>>;

struct Tokens {
  TokenVector tokens;
  std::vector<TokenRange> sentences;   // every token is in exactly one sentence
  std::vector<TokenRange> paragraphs;  // every token is in exactly one paragraph

  void Clear() {
    tokens.clear();
    sentences.clear();
    paragraphs.clear();
  }
};

// Tokenizes `text` into `out` (cleared first). Never fails: invalid UTF-8 bytes become symbol
// tokens. `text` must be shorter than 4 GiB (the engine checks this before calling).
void Tokenize(std::string_view text, Tokens* out);

// The text of token `t`.
inline std::string_view TokenText(std::string_view text, const Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

// True when `word` (without its final period) is a known abbreviation that takes a period, e.g.
// "Feb", "Sept", "Mr", "Calif", "Jr", "Corp". Case-sensitive on the first letter as written.
bool IsKnownAbbreviation(std::string_view word);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_TOKENIZER_H_
