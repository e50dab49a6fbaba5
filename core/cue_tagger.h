// The attribution cue tagger: a greedy averaged-perceptron sequence tagger that labels the cue
// spans of a text with BIO labels ("has said" -> B I, "according to" -> B I, "wants" -> B), over
// every word token outside quotation marks. It replaces "lexicon candidates + cue model" as the
// source of cues in AttributionFinder (core/attribution.h), which keeps its rules for sources and
// contents, anchored at the head word of each tagged span.
//
// Features of token i (CueTaggerFeatures): word-level ones, which depend only on the token's bytes
// and its lexicon entry (word, lower-cased word, suffix class -s/-ed/-ing/-ly/other, shape,
// lexicon bucket), and context ones (the +-2 lower-cased words and their lexicon flags, in/out of
// quotes and the distance to the nearest quote mark, position in the sentence, neighbours'
// shapes and capitalisation, word bigrams); plus the previous label (alone and with the word).
// The finder caches the word-level scores per distinct word of an article and skips the context
// features of a token whose word-level margin for B plus the model's learned bound
// (`context_bound`, a quantile of the context margins of the tokens the trained model tags B
// on the training data; see CueTrainOptions::bound_quantile) stays below zero.
//
// Model file (data/attribution_cue_tagger.model), little-endian:
//   char[8]  magic "NPCUETAG"
//   uint32   format version (kCueTaggerVersion)
//   uint32   labels per row (kCueLabels)
//   uint32   feature flags (bit 0: lexicon features)
//   float    context bound
//   float    weight scale (int16 weight = round(weight * scale))
//   uint32   number of rows N
//   N x      { uint64 feature hash, int16 weights[kCueLabels] }
//   uint32   CRC32 (zlib) of every byte before it
// Learned weights only (feature hashes and numbers); no text.
//
// Thread safety: CueTaggerModel is immutable after parsing; the functions are pure.
#ifndef NEWSPARSE_CORE_CUE_TAGGER_H_
#define NEWSPARSE_CORE_CUE_TAGGER_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ner_hash.h"
#include "core/tokenizer.h"

namespace newsparse {

inline constexpr uint32_t kCueTaggerVersion = 1;
inline constexpr int kCueLabels = 3;
enum CueLabel : uint8_t { kCueO = 0, kCueB = 1, kCueI = 2 };
inline constexpr uint32_t kCueFeatureLexicon = 1;
// Every feature bit this build knows; a model with another bit set is rejected.
inline constexpr uint32_t kCueKnownFeatures = kCueFeatureLexicon;
inline constexpr int kMaxCueWordFeatures = 8;
inline constexpr int kMaxCueContextFeatures = 24;
// Words are hashed on their first kMaxCueWordBytes bytes.
inline constexpr size_t kMaxCueWordBytes = 24;

using CueWeights = std::array<float, kCueLabels>;

struct CueTaggerModel {
  uint32_t flags = kCueFeatureLexicon;
  float context_bound = 0;
  ner::HashTable64<CueWeights> weights;

  // Adds the weights of `feature` to `scores` (nothing for an unknown feature).
  void Add(uint64_t feature, float* scores) const {
    const CueWeights* w = weights.Find(feature);
    if (w == nullptr) return;
    for (int l = 0; l < kCueLabels; ++l) scores[l] += (*w)[l];
  }
};

// Serializes `model` (weights rounded to int16 at a scale fitted to the largest weight).
std::string SerializeCueTagger(const CueTaggerModel& model);

// Parses a model file's bytes. Errors (never a crash): InvalidArgument for a wrong magic, a
// wrong label count, feature flags outside kCueKnownFeatures, a scale or bound that is not
// finite (or a scale that is not positive) or a scale so small that a weight overflows,
// FailedPrecondition for an
// unsupported version, DataLoss for a truncated file, trailing bytes or a checksum mismatch.
absl::StatusOr<CueTaggerModel> ParseCueTagger(std::string_view bytes);

// What the features of one text read, per token (all vectors have one entry per token).
struct CueTaggerInput {
  std::string_view text;
  const Tokens* tokens = nullptr;
  // Lexicon byte of each word (CueLexiconByte; 0 = not in data/attribution_cues.tsv).
  const uint8_t* lex = nullptr;
  // 1 inside a paired quotation (marks included), else 0.
  const uint8_t* in_quote = nullptr;
  // Token distance to the nearest double quote mark, capped at 15.
  const uint8_t* quote_dist = nullptr;
  // Token index within its sentence, capped at 255.
  const uint8_t* sent_pos = nullptr;
  // Tokens before the end of its sentence, capped at 255.
  const uint8_t* sent_left = nullptr;
  // CueLowerHash of each token's first kMaxCueWordBytes bytes, or nullptr (then the features
  // hash the words they need).
  const uint64_t* lower = nullptr;
};

// The lexicon byte of a cue word with `gold` gold cues and `corpus` occurrences in PolNeAR
// train: bits 0-3 the ratio gold/corpus in tenths (1..11, 11 = phrase-only counts), bits 4-5 the
// gold count bucket (<5, <20, <100, more), bit 6 a hand-written seed. Never 0.
uint8_t CueLexiconByte(int64_t gold, int64_t corpus, bool seed);

// The word-level feature hashes of token `i` (a word). Returns how many (<= kMaxCueWordFeatures).
int CueWordFeatures(const CueTaggerInput& in, uint32_t i, uint32_t flags, uint64_t* out);
// The context feature hashes of token `i`. Returns how many (<= kMaxCueContextFeatures).
int CueContextFeatures(const CueTaggerInput& in, uint32_t i, uint32_t flags, uint64_t* out);
// The previous-label features: the label alone, and with the lower-cased word hash `lower`.
uint64_t CuePrevFeature(int prev);
uint64_t CuePrevWordFeature(int prev, uint64_t lower);
// The lower-cased word hash used by CuePrevWordFeature.
inline uint64_t CueLowerHash(std::string_view w) { return ner::HashLower(w); }

// Per-token tables of a text for the features (filled by BuildCueTaggerTables; `lex` by the
// caller, one lexicon byte per token).
struct CueTaggerTables {
  std::vector<uint8_t> lex, in_quote, quote_dist, sent_pos, sent_left;
  std::vector<uint64_t> lower;
  // An input over these tables.
  CueTaggerInput Input(std::string_view text, const Tokens& tokens) const {
    return {text,
            &tokens,
            lex.data(),
            in_quote.data(),
            quote_dist.data(),
            sent_pos.data(),
            sent_left.data(),
            lower.empty() ? nullptr : lower.data()};
  }
};
// Fills in_quote, quote_dist, sent_pos, sent_left and lower of `tables` (resizes lex to the
// token count, leaving its values to the caller). `quote_of` holds, per token, the index of its
// paired quotation or -1 (see PairQuotes). Linear in the number of tokens.
// Without `with_lower`, `lower` is left empty (for a caller that reads few tokens' context).
void BuildCueTaggerTables(std::string_view text, const Tokens& tokens,
                          const std::vector<int32_t>& quote_of, CueTaggerTables* tables,
                          bool with_lower = true);

// One training text: its tokens, feature tables and gold labels (one per token; tokens that are
// not CueTaggable must be O, and an I must follow a B or an I).
struct CueTrainingText {
  std::string_view text;
  const Tokens* tokens = nullptr;
  const CueTaggerTables* tables = nullptr;
  std::vector<uint8_t> labels;
};

struct CueTrainOptions {
  int epochs = 12;
  uint64_t seed = 12345;  // the texts are shuffled per epoch by an LCG from this seed
  uint32_t flags = kCueFeatureLexicon;
  double min_weight = 0;  // drop features whose averaged weights are all within this of 0
  // The skip bound is this quantile of the context margins of the words the model tags B after
  // an O on the training texts (1 = their maximum: no training decision changes).
  double bound_quantile = 1.0;
};

// Trains the tagger: a greedy averaged perceptron, decoding left to right with its own previous
// label (a gold I after a predicted O is learned as B). Sets `context_bound` to the
// `bound_quantile` quantile of the context margins (B over O) of the tokens the trained model tags
// B after an O on `texts`.
// Deterministic for given texts and options. `errors_per_epoch`, when not null, receives the
// training errors of each epoch.
CueTaggerModel TrainCueTagger(const std::vector<CueTrainingText>& texts,
                              const CueTrainOptions& options,
                              std::vector<size_t>* errors_per_epoch = nullptr);

// Tags `in` with `model` (greedy, no skip bound): one label per token into `out`.
void TagCueLabels(const CueTaggerModel& model, const CueTaggerInput& in, std::vector<uint8_t>* out);

// True when `label` may follow `prev` (I only after B or I).
inline bool CueLabelAllowed(int prev, int label) { return label != kCueI || prev != kCueO; }

// True for the tokens the tagger labels: words outside quotations (every other token is O).
inline bool CueTaggable(const CueTaggerInput& in, uint32_t i) {
  return in.tokens->tokens[i].kind == TokenKind::kWord && in.in_quote[i] == 0;
}

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_CUE_TAGGER_H_
