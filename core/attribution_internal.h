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

#include "core/tokenizer.h"

namespace newsparse {
namespace attribution_internal {

// FNV-1a feature hashes, built from these steps: the start state of feature template `tmpl`,
// the ASCII-lower-cased bytes of a string, a separator byte (0xFF), and the end (0 -> 1, since
// hash 0 is the bias).
inline uint64_t FeatureHashStart(uint64_t tmpl) {
  return 1469598103934665603ull ^ (tmpl * 0x9E3779B97F4A7C15ull);
}
inline uint64_t FeatureHashMix(uint64_t h, std::string_view s) {
  for (char ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ull;
  }
  return h;
}
inline uint64_t FeatureHashSeparator(uint64_t h) { return (h ^ 0xFF) * 1099511628211ull; }
inline uint64_t FeatureHashEnd(uint64_t h) { return h == 0 ? 1 : h; }

// The shape class of a token in feature strings: "w" lower-case word, "W" all-caps word, "C"
// other word, "9" number, "q" quote mark, "-" dash, "p" anything else.
inline std::string_view TokenShapeClass(const Token& t) {
  switch (t.kind) {
    case TokenKind::kWord:
      return t.shape == TokenShape::kLower ? "w" : t.shape == TokenShape::kAllCaps ? "W" : "C";
    case TokenKind::kNumber:
      return "9";
    case TokenKind::kQuote:
      return "q";
    case TokenKind::kDash:
      return "-";
    default:
      return "p";
  }
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
