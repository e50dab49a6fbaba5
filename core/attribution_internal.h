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
#include <cstring>
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

// The bytes of a word of 1 to 15 bytes in its first and second eight (little-endian), by length
// (ShortWordTable).
struct ShortWordMasks {
  uint64_t low[16], high[16];
  constexpr ShortWordMasks() : low(), high() {
    for (size_t len = 0; len < 16; ++len) {
      low[len] = len >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * len)) - 1;
      high[len] = len <= 8 ? 0 : (uint64_t{1} << (8 * (len - 8))) - 1;
    }
  }
};
inline constexpr ShortWordMasks kShortWordMasks;

// A table from short words (1 to kMaxLen bytes, ASCII case ignored) to values 1 .. (0: absent),
// looked up without a branch on the word's bytes: the word is read as two 64-bit words (the bytes
// after it masked off), ASCII-lower-cased eight bytes at a time, and the kMaxProbe slots from its
// home slot are all compared, the hit or-ed in by a mask. The attribution stage asks it of many
// tokens near cues and of every cue candidate, where hashing the bytes one by one would
// mispredict the loop's exit for most words. Exact: no two keys share an entry. Immutable after
// Build, so safe to share between threads.
class ShortWordTable {
 public:
  static constexpr size_t kMaxLen = 15;  // a word and its length fit in 16 bytes

  // Builds the table: the i-th word (at most kMaxLen bytes, not empty; words equal after
  // lower-casing must not repeat) gets the value i + 1. False when a word is too long or empty,
  // or no table was found that keeps every word within kMaxProbe slots of its home slot.
  bool Build(const std::vector<std::string_view>& words) {
    for (std::string_view w : words) {
      if (w.empty() || w.size() > kMaxLen) return false;
    }
    uint32_t bits = 4;
    while ((size_t{1} << bits) < 4 * words.size()) ++bits;
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int grow = 0; grow < 3; ++grow, ++bits) {
      for (int attempt = 0; attempt < 256; ++attempt) {
        seed = ner::Mix64(seed + static_cast<uint64_t>(attempt)) | 1;
        if (TryBuild(words, bits, seed)) return true;
      }
    }
    table_.clear();
    return false;
  }

  // The value of the word [p, p + len) of a text that ends at `end` (p + len <= end); 0 when it
  // is no word of the table. Reads 16 bytes from p when they lie before `end`.
  uint32_t Find(const char* p, size_t len, const char* end) const {
    if (len - 1 >= kMaxLen || table_.empty()) return 0;  // empty, or too long for any key
    uint64_t lo, hi;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (__builtin_expect(end - p >= 16, 1)) {
      std::memcpy(&lo, p, 8);
      std::memcpy(&hi, p + 8, 8);
      return Lookup(lo & kShortWordMasks.low[len], hi & kShortWordMasks.high[len], len);
    }
#endif
    (void)end;
    char buf[16] = {};
    std::memcpy(buf, p, len);
    std::memcpy(&lo, buf, 8);
    std::memcpy(&hi, buf + 8, 8);
    return Lookup(lo, hi, len);
  }
  uint32_t Find(std::string_view w) const { return Find(w.data(), w.size(), w.data() + w.size()); }

 private:
  static constexpr uint32_t kMaxProbe = 2;
  struct Entry {
    uint64_t lo = 0, hi = 0;  // the lower-cased bytes; hi's top byte holds the length (never 0)
    uint32_t value = 0;
  };

  // ASCII-lower-cases the eight bytes of `x` (other bytes unchanged).
  static uint64_t Lower8(uint64_t x) {
    constexpr uint64_t k7f = 0x7f7f7f7f7f7f7f7full, k80 = 0x8080808080808080ull;
    const uint64_t low7 = x & k7f;
    const uint64_t ge_a = low7 + 0x3f3f3f3f3f3f3f3full;  // high bit set where low7 >= 'A'
    const uint64_t gt_z = low7 + 0x2525252525252525ull;  // high bit set where low7 > 'Z'
    const uint64_t upper = ge_a & ~gt_z & ~x & k80;      // an ASCII capital letter
    return x | (upper >> 2);                             // + 0x20
  }
  uint32_t Slot(uint64_t lo, uint64_t hi) const {
    return static_cast<uint32_t>(((lo ^ (hi * 0xC2B2AE3D27D4EB4Full)) * mult_) >> shift_) & mask_;
  }
  // The key of a word's bytes (the bytes after it zero).
  static void Key(uint64_t* lo, uint64_t* hi, size_t len) {
    *lo = Lower8(*lo);
    *hi = Lower8(*hi) | static_cast<uint64_t>(len) << 56;
  }
  uint32_t Lookup(uint64_t lo, uint64_t hi, size_t len) const {
    Key(&lo, &hi, len);
    const uint32_t slot = Slot(lo, hi);
    uint32_t value = 0;
    for (uint32_t j = 0; j < kMaxProbe; ++j) {
      const Entry& e = table_[(slot + j) & mask_];
      const uint32_t hit = ((e.lo ^ lo) | (e.hi ^ hi)) == 0;
      value |= e.value & (0u - hit);
    }
    return value;
  }
  bool TryBuild(const std::vector<std::string_view>& words, uint32_t bits, uint64_t mult) {
    mult_ = mult;
    shift_ = 64 - bits;
    mask_ = (1u << bits) - 1;
    table_.assign(size_t{1} << bits, Entry());
    for (size_t k = 0; k < words.size(); ++k) {
      char buf[16] = {};
      std::memcpy(buf, words[k].data(), words[k].size());
      uint64_t lo, hi;
      std::memcpy(&lo, buf, 8);
      std::memcpy(&hi, buf + 8, 8);
      Key(&lo, &hi, words[k].size());
      const uint32_t slot = Slot(lo, hi);
      bool placed = false;
      for (uint32_t j = 0; j < kMaxProbe && !placed; ++j) {
        Entry& e = table_[(slot + j) & mask_];
        if (e.value != 0 && e.lo == lo && e.hi == hi) return false;  // a repeated word
        if (e.value == 0) {
          e = Entry{lo, hi, static_cast<uint32_t>(k + 1)};
          placed = true;
        }
      }
      if (!placed) return false;
    }
    return true;
  }

  std::vector<Entry> table_;
  uint64_t mult_ = 1;
  uint32_t shift_ = 63, mask_ = 0;
};

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
