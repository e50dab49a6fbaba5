// Checks that the fast tokenizer (core/tokenizer.cc) produces exactly what the reference tokenizer
// (benchmarks/tokenizer_reference.cc) produces: every token (offsets, kind, shape, flags), every
// sentence and every paragraph. Two inputs:
//   - the reuters2006 corpus (all of it by default; `--max N` for the first N articles), skipped
//     with a message when ../shared/data is absent;
//   - `--random N` generated texts built from fragments written here (abbreviations, initials,
//     quote marks, dashes, numbers, tickers, non-ASCII letters, invalid bytes, blank lines), cut
//     at random points so that every construct also meets the end of the buffer.
// Exit status 0 when everything agrees, 1 on the first difference (printed with its offset).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/corpus.h"
#include "benchmarks/tokenizer_reference.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace {

bool SameToken(const Token& a, const Token& b) {
  return a.begin == b.begin && a.end == b.end && a.kind == b.kind && a.shape == b.shape &&
         a.flags == b.flags;
}

bool SameRanges(const std::vector<TokenRange>& a, const std::vector<TokenRange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].begin != b[i].begin || a[i].end != b[i].end) return false;
  }
  return true;
}

// Compares the two tokenizers on `text`; prints the first difference and returns false.
bool Compare(std::string_view text, const char* what, size_t index, Tokens* fast, Tokens* ref) {
  Tokenize(text, fast);
  reference::ReferenceTokenize(text, ref);
  const size_t n = std::min(fast->tokens.size(), ref->tokens.size());
  for (size_t i = 0; i < n; ++i) {
    const Token& a = fast->tokens[i];
    const Token& b = ref->tokens[i];
    if (!SameToken(a, b)) {
      std::fprintf(stderr,
                   "%s %zu: token %zu differs: fast [%u,%u) kind %d shape %d flags %#x, "
                   "reference [%u,%u) kind %d shape %d flags %#x\n",
                   what, index, i, a.begin, a.end, static_cast<int>(a.kind),
                   static_cast<int>(a.shape), a.flags, b.begin, b.end, static_cast<int>(b.kind),
                   static_cast<int>(b.shape), b.flags);
      return false;
    }
  }
  if (fast->tokens.size() != ref->tokens.size()) {
    std::fprintf(stderr, "%s %zu: %zu tokens, reference %zu\n", what, index, fast->tokens.size(),
                 ref->tokens.size());
    return false;
  }
  if (!SameRanges(fast->sentences, ref->sentences)) {
    std::fprintf(stderr, "%s %zu: sentences differ (%zu vs reference %zu)\n", what, index,
                 fast->sentences.size(), ref->sentences.size());
    return false;
  }
  if (!SameRanges(fast->paragraphs, ref->paragraphs)) {
    std::fprintf(stderr, "%s %zu: paragraphs differ (%zu vs reference %zu)\n", what, index,
                 fast->paragraphs.size(), ref->paragraphs.size());
    return false;
  }
  return true;
}

// Pieces of wire-style text and of the tokenizer's edge cases, all written for this check.
const char* const kFragments[] = {
    "Mr.", "Mrs.", "Feb.", "Sept.", "Calif.", "Jr.", "Corp.", "U.S.", "U.N.", "J.", "e.g.", "p.m.",
    "XOM.N", "( XOM.N )", "The", "the", "He", "said", "board", "McDonald", "iPhone", "MOSCOW", "G7",
    "5.93", "20,000", "1987-02-26", "116,000-acre", "Russia-China", "AT&T", "S&P", "R&d", "don't",
    "O'Neill", "Putin's", "'s", "'S", "''", "``", "\"", "'", "-", "--", "---", "_", "__", ".", "..",
    "...", "....", "!", "?", ",", ";", ":", "(", ")", "[", "]", "{", "}", "/", "\\", "&", "*", "$",
    "%", "+", "=", "@", "#", "~", "\t", " ", "  ", "   ", "\n", "\n\n", "\r\n", "\r", "\n  ",
    "\n\t", "\f", "\x01", "\x7f",
    // Non-ASCII: quotes, dashes, ellipsis, letters with and without case, a combining mark,
    // NBSP, a line separator, a CJK letter, an emoji, a replacement character, invalid bytes.
    "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB", "\xC2\xBB",
    "\xE2\x80\x9E", "\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\xA6", "Jos\xC3\xA9", "\xC3\x89tat",
    "M\xC3\xBCller", "e\xCC\x81", "\xC2\xA0", "\xE2\x80\xA8", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",
    "\xEF\xBF\xBD", "\x80", "\xC3", "\xE2\x80", "\xF0\x9F", "\xFF", "\xD0\x9C\xD0\xBE\xD1\x81",
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "x", "A", "a", "0", "9",
    "Z", "z"};

std::string RandomText(std::mt19937* rng) {
  constexpr size_t kCount = sizeof(kFragments) / sizeof(kFragments[0]);
  std::uniform_int_distribution<size_t> pick(0, kCount - 1);
  std::uniform_int_distribution<int> length(1, 80);
  std::uniform_int_distribution<int> glue(0, 3);
  std::string s;
  const int n = length(*rng);
  for (int i = 0; i < n; ++i) {
    s += kFragments[pick(*rng)];
    if (glue(*rng) == 0) s += ' ';  // fragments mostly touch: joiners meet their neighbours
  }
  // Cut at a random byte (possibly inside a multi-byte sequence) to exercise the buffer end.
  std::uniform_int_distribution<size_t> cut(0, s.size());
  s.resize(cut(*rng));
  return s;
}

int Main(int argc, char** argv) {
  size_t max_docs = 0;
  size_t random = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
      max_docs = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
      random = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: tokenizer_diff [--max N] [--random N]\n");
      return 2;
    }
  }
  Tokens fast, ref;
  std::mt19937 rng(20261127);
  for (size_t i = 0; i < random; ++i) {
    const std::string text = RandomText(&rng);
    if (!Compare(text, "generated text", i, &fast, &ref)) return 1;
  }
  if (random > 0) std::printf("generated texts: %zu agree\n", random);

  const std::string path = SharedDataDir() + "/reuters2006/reuters_2006_2013.jsonl.gz";
  auto texts = LoadCorpusTexts(path, "text", max_docs);
  if (!texts.ok()) {
    std::printf("reuters2006 skipped: %s\n", texts.status().ToString().c_str());
    return 0;
  }
  size_t bytes = 0, tokens = 0, sentences = 0;
  for (size_t i = 0; i < texts->size(); ++i) {
    if (!Compare((*texts)[i], "article", i, &fast, &ref)) return 1;
    bytes += (*texts)[i].size();
    tokens += fast.tokens.size();
    sentences += fast.sentences.size();
  }
  std::printf("reuters2006: %zu articles, %zu bytes, %zu tokens, %zu sentences agree\n",
              texts->size(), bytes, tokens, sentences);
  return 0;
}

}  // namespace
}  // namespace newsparse

int main(int argc, char** argv) { return newsparse::Main(argc, argv); }
