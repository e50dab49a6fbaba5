// Helpers shared by the attribution stage's sources (core/attribution.cc, attribution_span.cc,
// cue_tagger.cc) and its trainer (tools/attribution_train_main.cc). Internal: not part of the
// library's public API.
//
// The feature hashes are part of the model files (data/attribution_cue_model.tsv,
// attribution_span.model): changing them requires retraining those models.
//
// Thread safety: pure functions.
#ifndef NEWSPARSE_CORE_ATTRIBUTION_INTERNAL_H_
#define NEWSPARSE_CORE_ATTRIBUTION_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ner_hash.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace attribution_internal {

// Integer feature keys of the cue model (features v2) and the span model (format 2): a small
// integer code (template id and small values) mixed with up to two 64-bit word hashes; never 0,
// since key 0 is the bias.
inline uint64_t FeatureKey(uint64_t code, uint64_t a) {
  const uint64_t h = ner::Mix64((code * 0x9E3779B97F4A7C15ull) ^ a);
  return h == 0 ? 1 : h;
}
inline uint64_t FeatureKey(uint64_t code, uint64_t a, uint64_t b) {
  const uint64_t h = ner::Mix64(ner::Mix64((code * 0x9E3779B97F4A7C15ull) ^ a) + b);
  return h == 0 ? 1 : h;
}

// ASCII lower-casing of every byte value as a table (other bytes unchanged): ner::AsciiLower.
struct LowerTable {
  unsigned char byte[256];
  constexpr LowerTable() : byte() {
    for (int c = 0; c < 256; ++c) {
      byte[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  }
};
inline constexpr LowerTable kLowerTable;

// ner::HashLower(s) (FNV-1a over the ASCII-lower-cased bytes), the same value with fewer
// instructions a byte: the lower-casing read from a table, two bytes a step. The attribution
// stage hashes every word near a cue and every cue candidate.
inline uint64_t HashLowerFast(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* const end = p + s.size();
  uint64_t h = ner::kFnvOffset;
  for (; end - p >= 2; p += 2) {
    h = (h ^ kLowerTable.byte[p[0]]) * ner::kFnvPrime;
    h = (h ^ kLowerTable.byte[p[1]]) * ner::kFnvPrime;
  }
  // The odd last byte: hashed whatever the length and kept by a conditional move, not a branch
  // (word lengths are odd or even at random).
  const size_t n = s.size();
  const unsigned char last = n != 0 ? end[-1] : 0;
  const uint64_t odd = (h ^ kLowerTable.byte[last]) * ner::kFnvPrime;
  return (n & 1) != 0 ? odd : h;
}

// The first index i in [0, n) of `a` (partitioned: `before` true for a prefix, false after)
// with before(a[i]) false, n when there is none: std::partition_point's answer. The halving
// step is a conditional move, not a branch, so the loop's only branch is its trip count (which
// depends on n alone): the attribution stage's lookups of byte offsets among the tokens and of
// tokens among the quote marks would otherwise mispredict about half of their steps.
template <typename T, typename Before>
inline size_t BranchlessPartitionPoint(const T* a, size_t n, Before before) {
  if (n == 0) return 0;
  const T* base = a;
  while (n > 1) {
    const size_t half = n / 2;
    base = before(base[half]) ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - a) + (before(*base) ? 1 : 0);
}

// The word-hash classes both models share: a word longer than the models' 24-byte limit, its
// suffix, and the position after the text ("</s>").
inline constexpr uint64_t kLongWordHash = 0x6c6f6e6720776f72ull;
inline constexpr uint64_t kLongSuffixHash = 0x6c6f6e6720737566ull;
inline constexpr uint64_t kEndHash = 0x3c2f733e20202020ull;

// The shape class of a token in feature keys: 0 lower-case or all-caps word (the all-caps class
// was merged into the lower-case one by the string features the models were first trained
// with), 2 other word, 3 number, 4 quote mark, 5 dash, 6 anything else (1 is unused).
// Read from a table by the kind, without branching (the kinds of neighbouring tokens mix).
inline uint8_t ShapeCode(const Token& t) {
  static_assert(
      static_cast<int>(TokenKind::kWord) == 0 && static_cast<int>(TokenKind::kNumber) == 1 &&
          static_cast<int>(TokenKind::kPunct) == 2 && static_cast<int>(TokenKind::kQuote) == 3 &&
          static_cast<int>(TokenKind::kDash) == 4 && static_cast<int>(TokenKind::kSymbol) == 5,
      "the table below follows TokenKind");
  static constexpr uint8_t kByKind[8] = {2, 3, 6, 4, 5, 6, 6, 6};  // a word: 2 unless plain
  const unsigned kind = static_cast<unsigned>(t.kind);
  const uint8_t code = kind < 8 ? kByKind[kind] : 6;
  const bool plain_word = (t.kind == TokenKind::kWord) &
                          ((t.shape == TokenShape::kLower) | (t.shape == TokenShape::kAllCaps));
  return plain_word ? 0 : code;
}

// Shuffles `order` in place (Fisher-Yates with a 64-bit LCG), advancing `*seed`: the training
// order of one epoch, the same for the same seed on every platform.
inline void DeterministicShuffle(std::vector<size_t>* order, uint64_t* seed) {
  for (size_t i = order->size(); i > 1; --i) {
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    std::swap((*order)[i - 1], (*order)[(*seed >> 33) % i]);
  }
}

}  // namespace attribution_internal
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ATTRIBUTION_INTERNAL_H_
