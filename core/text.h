// The text layer: UTF-8 decoding and validation, character classes, and offset conversion.
//
// Invalid UTF-8 never stops the analysis. The decoder follows the Unicode "maximal subpart"
// practice (Unicode 15, section 3.9, U+FFFD substitution; the same as Python's
// bytes.decode("utf-8", "replace")): each maximal invalid subsequence is read as one U+FFFD
// code point that keeps its original byte length, so byte offsets always point into the input
// and code point offsets agree with Python's replacement decoding.
//
// Thread safety: every function here is pure; the ICU-backed classifier tables are built once
// (thread-safe static initialisation) and are immutable afterwards.
#ifndef NEWSPARSE_CORE_TEXT_H_
#define NEWSPARSE_CORE_TEXT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace newsparse {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at `p` (p < end). Writes it to `*cp` (kReplacementChar for an
// invalid subsequence) and returns the number of bytes consumed (1..4, never 0).
int DecodeUtf8(const char* p, const char* end, char32_t* cp);

// True when `text` is entirely 7-bit ASCII (fast, word-at-a-time).
bool IsAscii(std::string_view text);

// OK when `text` is well-formed UTF-8; otherwise InvalidArgument naming the first bad byte offset.
absl::Status ValidateUtf8(std::string_view text);

// Appends `cp` to `out` as UTF-8 (a surrogate or out-of-range value becomes U+FFFD).
void AppendUtf8(char32_t cp, std::string* out);

// Character classes used by the tokenizer. ASCII is answered from a table; other code points
// from ICU's Unicode properties.
enum class CharClass : uint8_t {
  kSpace,    // white space, including NBSP and other Unicode spaces
  kNewline,  // \n (and \r, \u2028, \u2029)
  kUpper,    // upper- or title-case letter
  kLower,    // other letters (lower-case, and letters without case: CJK, Arabic, ...)
  kDigit,
  kQuote,   // " ' “ ” ‘ ’ « » „ ‚ ‹ › ` ´
  kDash,    // - – — ― − and _
  kPunct,   // other punctuation
  kSymbol,  // symbols and everything else (currency, math, emoji, invalid bytes)
  kMark,    // combining marks (joined to the word before them)
};

CharClass ClassifyCodePoint(char32_t cp);

namespace internal {
constexpr std::array<CharClass, 128> MakeAsciiTable() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    CharClass k = CharClass::kSymbol;
    if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
      k = CharClass::kSpace;
    } else if (c == '\n' || c == '\r') {
      k = CharClass::kNewline;
    } else if (c >= 'A' && c <= 'Z') {
      k = CharClass::kUpper;
    } else if (c >= 'a' && c <= 'z') {
      k = CharClass::kLower;
    } else if (c >= '0' && c <= '9') {
      k = CharClass::kDigit;
    } else if (c == '"' || c == '\'' || c == '`') {
      k = CharClass::kQuote;
    } else if (c == '-' || c == '_') {
      k = CharClass::kDash;
    } else if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' ||
               c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '\\' ||
               c == '&' || c == '*') {
      k = CharClass::kPunct;
    } else if (c < 0x20 || c == 0x7F) {
      k = CharClass::kSpace;  // other control characters separate tokens like white space
    }
    t[c] = k;
  }
  return t;
}
inline constexpr std::array<CharClass, 128> kAsciiClass = MakeAsciiTable();
}  // namespace internal

// The class of an ASCII byte (b < 0x80), from a table.
inline CharClass ClassifyAscii(unsigned char b) { return internal::kAsciiClass[b & 0x7F]; }

// Converts UTF-8 byte offsets of one text into code point offsets (Python str indices). Build
// once per text (O(n) for non-ASCII text, O(1) for ASCII), then query each offset.
// Thread safety: one thread at a time; reusable across texts via Reset.
class OffsetMap {
 public:
  void Reset(std::string_view text);
  // The code point index of byte offset `byte` (0 <= byte <= text.size()). An offset inside a
  // multi-byte sequence maps to the code point that contains it.
  uint32_t ToCodePoint(uint32_t byte) const;

 private:
  static constexpr uint32_t kBlock = 64;
  std::string_view text_;
  bool ascii_ = true;
  bool valid_ = true;
  std::vector<uint32_t> block_counts_;  // code points before each kBlock-byte block (valid text)
  std::vector<uint32_t> per_byte_;      // code point index of each byte (invalid text only)
};

// Appends `text` to `out` as the contents of a JSON string (no surrounding quotes), escaping
// quotes, backslashes and control characters and writing invalid UTF-8 as U+FFFD.
void AppendJsonEscaped(std::string_view text, std::string* out);

// Lower-cases ASCII letters of `text` into `out` (non-ASCII bytes are copied unchanged).
void AsciiLowerInto(std::string_view text, std::string* out);

// Sets *out to the UTF-8 of `cp` upper-cased (`upper`) or lower-cased, decomposed (NFD) and
// without its non-spacing marks: U+00E9 -> "E" / "e". For building folding tables at load time
// (ICU, not for the hot path). An error only if ICU's NFD normalizer is unavailable or fails.
absl::Status CasedWithoutMarks(char32_t cp, bool upper, std::string* out);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_TEXT_H_
