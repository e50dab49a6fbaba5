// Inputs built to provoke superlinear behaviour in the pipeline, shared by
// benchmarks/linear_time_benchmark.cc and the memory-bound test (core/engine_test.cc). Every text
// is generated here from the project's own words; nothing comes from a corpus.
//
//   kQuotes    quote marks of mixed styles (" “ ” ‘ ’ « » „ '' '), no other text
//   kParens    unmatched "(" only
//   kCapWords  one sentence of capitalised made-up words ("Borak Tumen Ilsa ..."), one final "."
//   kHeSaid    "he said " repeated
//   kArticle   a wire article: a dateline, then paragraphs cycling through project-written
//              sentences (names, quotes, reported speech, dates, numbers)
//
// BuildAdversarialInput(kind, bytes) returns a text of about `bytes` bytes (never more than
// bytes + 200), valid UTF-8, deterministic. At 1 MB the kinds hold about 1 MB of quote marks,
// 1 MB of "(", 190,000 capitalised words and 131,000 "he said": the sizes.
#ifndef NEWSPARSE_TESTS_ADVERSARIAL_INPUTS_H_
#define NEWSPARSE_TESTS_ADVERSARIAL_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace newsparse::testing {

enum class AdversarialKind { kQuotes, kParens, kCapWords, kHeSaid, kArticle };
inline constexpr AdversarialKind kAllAdversarialKinds[] = {
    AdversarialKind::kQuotes, AdversarialKind::kParens, AdversarialKind::kCapWords,
    AdversarialKind::kHeSaid, AdversarialKind::kArticle};

inline std::string_view AdversarialKindName(AdversarialKind kind) {
  switch (kind) {
    case AdversarialKind::kQuotes:
      return "quotes";
    case AdversarialKind::kParens:
      return "parens";
    case AdversarialKind::kCapWords:
      return "cap_words";
    case AdversarialKind::kHeSaid:
      return "he_said";
    case AdversarialKind::kArticle:
      return "article";
  }
  return "?";
}

inline std::string BuildAdversarialInput(AdversarialKind kind, size_t bytes) {
  std::string s;
  s.reserve(bytes + 64);
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&state]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  switch (kind) {
    case AdversarialKind::kQuotes: {
      static constexpr std::string_view kMarks[] = {
          "\"", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "''", "'"};
      while (s.size() < bytes) s += kMarks[next() % 10];
      break;
    }
    case AdversarialKind::kParens:
      s.assign(bytes, '(');
      break;
    case AdversarialKind::kCapWords: {
      static constexpr std::string_view kConsonants = "bdfgklmnprstvz";
      static constexpr std::string_view kVowels = "aeiou";
      while (s.size() + 1 < bytes) {
        if (!s.empty()) s += ' ';
        const int len = 2 + static_cast<int>(next() % 3);  // consonant-vowel pairs
        for (int i = 0; i < len; ++i) {
          char c = kConsonants[next() % kConsonants.size()];
          if (i == 0) c = static_cast<char>(c - 'a' + 'A');
          s += c;
          s += kVowels[next() % kVowels.size()];
        }
      }
      s += '.';
      break;
    }
    case AdversarialKind::kHeSaid:
      while (s.size() < bytes) s += "he said ";
      break;
    case AdversarialKind::kArticle: {
      static constexpr std::string_view kSentences[] = {
          "Finance Minister Amina Rotich said on Tuesday the budget deficit would narrow to 4.2 "
          "percent of output next year.",
          "\"We will not raise taxes on fuel,\" she told reporters in Nairobi, adding that the "
          "plan had the backing of the cabinet.",
          "The Kenya Shilling Board (KSB) kept its main rate at 9.5 percent, according to a "
          "statement issued after its March 4 meeting.",
          "Opposition leader John Mbeki called the figures optimistic and said the government "
          "had missed its targets in each of the last three years.",
          "Shares of East Coast Breweries Ltd rose 3 percent to 212 shillings by midday, while "
          "the broader index was flat.",
          "\"It is a sensible budget,\" said Lee Park, an economist at Harbour Capital in "
          "London. \"The question is whether it holds until June.\"",
          "The ministry plans to sell 1.5 billion dollars of bonds before the end of the year, "
          "two officials familiar with the matter said.",
          "Parliament is due to vote on the measures next week, the speaker's office said in a "
          "statement on Monday.",
      };
      s += "NAIROBI, March 4 (Wire) -- ";
      size_t i = 0;
      while (s.size() < bytes) {
        s += kSentences[i % 8];
        ++i;
        s += (i % 3 == 0) ? "\n\n" : " ";
      }
      break;
    }
  }
  return s;
}

}  // namespace newsparse::testing

#endif  // NEWSPARSE_TESTS_ADVERSARIAL_INPUTS_H_
