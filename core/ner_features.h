// Feature extraction for the entity tagger (averaged perceptron, greedy BILOU decoding).
//
// Input is a sentence as token strings (std::string_view): the same code serves CoNLL tokens
// (training, evaluation) and the runtime tokenizer's tokens. Every feature is a 64-bit hash of a
// template id and its values; the model maps it to a row of a fixed-size weight table.
//
// Feature groups (switchable by NerFeatureOptions, recorded in the model file):
//  - local (always): word, lower-cased word, shape, prefixes/suffixes 1-4, words at -2..+2,
//    shapes at -1..+1, word bigrams, capitalisation in context (sentence start, all-caps
//    sentence), frequency of the lower-cased form relative to the written form (cluster table);
//  - clusters: the word's exchange class at each granularity, and its neighbours' classes;
//  - gazetteer: (category, B/I/L/U position) of every phrase match on the token and neighbours;
//  - document: in a second pass, the entity types the first pass gave the other mentions of the
//    same (capitalised) word in the document, and the type the second pass gave its last mention;
//  - context (aggregation, Ratinov & Roth 2009): a capitalised word gets the words seen next to
//    every mention of it in the document (both passes; see ContextAggregation);
//  - kinds: the kind of the line and of the document (results/table line, sports report; see
//    LineKinds), conjoined with a capitalised token's gazetteer categories, cluster and word, so
//    that a city in a results line or a sports report can be learned as a team (both passes).
// History features (previous one and two labels, conjoined with the word and shape) are always on.
//
// Thread safety: a FeatureExtractor is immutable after construction (it points to an immutable
// ClusterTable and Gazetteer, which must outlive it); its const methods may run on many threads.
#ifndef NEWSPARSE_CORE_NER_FEATURES_H_
#define NEWSPARSE_CORE_NER_FEATURES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clusters.h"
#include "core/ner_gazetteer.h"
#include "core/ner_hash.h"

namespace newsparse {
namespace ner {

// Labels: 0 = O, then 1 + 4 * type + {B, I, L, U}; type order PER, ORG, LOC, MISC (EntityType).
inline constexpr int kNumLabels = 17;
inline constexpr int kNumTypes = 4;
enum BilouPart : int { kPartB = 0, kPartI = 1, kPartL = 2, kPartU = 3 };
inline int MakeLabel(int type, int part) { return 1 + 4 * type + part; }
inline int LabelType(int label) { return label == 0 ? -1 : (label - 1) / 4; }
inline int LabelPart(int label) { return label == 0 ? -1 : (label - 1) % 4; }
// "O", "B-PER", "I-PER", "L-PER", "U-PER", ...
std::string LabelName(int label);
// "PER", "ORG", "LOC", "MISC" for 0..3.
std::string_view TypeName(int type);
// The type index of "PER"/"ORG"/"LOC"/"MISC", or -1.
int TypeFromName(std::string_view name);

// True when label `cur` may follow `prev` (-1 = sentence start) in a BILOU sequence.
bool AllowedTransition(int prev, int cur);
// Bit l of AllowedMask(prev) is set when label l may follow prev (-1 = sentence start).
uint32_t AllowedMask(int prev);
// The labels that may end a sentence (O, L-*, U-*), as a bit mask.
uint32_t EndMask();
// True when `label` may end a sentence (O, L-*, U-*).
inline bool AllowedAtEnd(int label) {
  int p = LabelPart(label);
  return label == 0 || p == kPartL || p == kPartU;
}

struct NerFeatureOptions {
  bool clusters = true;
  bool gazetteer = true;
  bool document = true;
  bool context = true;  // context aggregation over the document (ContextAggregation)
  bool kinds = true;    // line and document kinds (LineKinds, KindFeatures)
  // Capitalised runs (RunFeatures): a word of a run of capitalised words gets the run's first and
  // last words, the last word's suffix and the gazetteer bits of the run's other words.
  bool cap_runs = true;
};

// Bits of TokenInfo::flags.
enum NerTokenFlag : uint16_t {
  kNerCap = 1 << 0,      // first byte is an ASCII capital
  kNerAllCaps = 1 << 1,  // has an ASCII letter and no ASCII lower-case letter
  kNerHasDigit = 1 << 2,
  kNerSentStart = 1 << 3,
  kNerHeadline = 1 << 4,  // the sentence is written in capitals (headline)
  kNerHasCluster = 1 << 5,
  kNerNonAscii = 1 << 6,
  kNerHasUpper = 1 << 7,  // has an ASCII capital
  kNerPlain = 1 << 8,     // no ASCII capital, no non-ASCII byte, no gazetteer match, not empty
                          // and not only quote marks (" ' `): see SettledTokens
};

// Everything the features need about one token, computed once per token.
struct TokenInfo {
  uint64_t word = 0;                  // HashBytes(word)
  uint64_t lower = 0;                 // HashLower(word)
  uint64_t shape = 0;                 // HashBytes(WordShape(word))
  uint64_t prefix[4] = {0, 0, 0, 0};  // HashLower of the first 1..4 bytes
  uint64_t suffix[4] = {0, 0, 0, 0};  // HashLower of the last 1..4 bytes (reversed order)
  uint64_t gaz = 0;                   // GazBit mask
  uint64_t hyphen_first = 0;          // HashLower of the part before the first '-' (0 = none)
  uint64_t hyphen_last = 0;           // HashLower of the part after the last '-' (0 = none)
  uint16_t cls[kMaxClusterLevels] = {0xffff, 0xffff, 0xffff};
  uint16_t flags = 0;
  int8_t case_ratio = 0;  // log2 count(lower-cased form) - log2 count(word), clipped, or -9
};

// Compressed word shape: A-Z -> X, a-z -> x, 0-9 -> d, a non-ASCII character -> u, other bytes
// kept; runs of the same class collapse to one ("McDonald" -> "XxXx", "U.S." -> "X.X.",
// "1,000" -> "d,d"). At most 12 characters.
std::string WordShape(std::string_view word);

// Template ids (part of the model format).
enum NerTemplate : uint32_t {
  kTplBias = 1,
  kTplWord,
  kTplLower,
  kTplShape,
  kTplPrefix,
  kTplSuffix = kTplPrefix + 4,
  kTplLowerM1 = kTplSuffix + 4,
  kTplLowerM2,
  kTplLowerP1,
  kTplLowerP2,
  kTplShapeM1,
  kTplShapeP1,
  kTplBigramM1,
  kTplBigramP1,
  kTplShape3,
  kTplSentStartShape,
  kTplHeadlineLower,
  kTplHeadlineShape,
  kTplCapPattern,
  kTplCaseRatio,
  kTplCluster,
  kTplClusterM1 = kTplCluster + 4,
  kTplClusterP1 = kTplClusterM1 + 4,
  kTplClusterPair = kTplClusterP1 + 4,
  kTplGaz,
  kTplGazM1,
  kTplGazP1,
  kTplGazCount,
  kTplPrev1,
  kTplPrev12,
  kTplPrev1Lower,
  kTplPrev1Shape,
  kTplDocMajority,
  kTplDocHas,
  kTplDocLast,
  kTplDocSingle,
  kTplDocMajorityShape,
  kTplLowerM1Shape,
  kTplShapeLowerP1,
  kTplSentStartLower,
  kTplClusterM2,
  kTplClusterP2 = kTplClusterM2 + 4,
  kTplHyphenFirst = kTplClusterP2 + 4,
  kTplHyphenLast,
  kTplPrev1Cluster,
  kTplNext1Pass1,
  kTplNext2Pass1,
  kTplNext1Pass1Shape,
  kTplContextM1,
  kTplContextP1,
  kTplContextM2,
  kTplContextP2,
  kTplKind,
  kTplKindGaz,
  kTplKindCluster,
  kTplKindLower,
  kTplRunFirst,
  kTplRunLast,
  kTplRunLastSuffix,
  kTplRunGaz,
  kTplRunPosition,
};

// Bits of a sentence's kind (LineKinds).
enum NerLineKind : uint8_t {
  kNerTableLine = 1 << 0,     // a results or table line (scores, columns of numbers)
  kNerSportsReport = 1 << 1,  // the document is a sports report (cue words)
};

// A feature hash for template `tpl` with value `v`.
inline uint64_t Feat(uint32_t tpl, uint64_t v) { return Combine(tpl * 0x9E3779B97F4A7C15ULL, v); }

// 46 features without the gazetteer, then one per (category, position) bit of the token and of
// each of its two neighbours (4 positions a category).
inline constexpr int kMaxStaticFeatures = 48 + 3 * 4 * kNumGazetteerCategories;
inline constexpr int kMaxDynamicFeatures = 24;
// At most this many context-aggregation features per word and document (ContextAggregation).
inline constexpr int kMaxContextFeatures = 64;

// Per-document aggregate of one word's mentions (document features).
struct DocWordStats {
  uint16_t pass1[kNumTypes + 1] = {0, 0, 0, 0, 0};  // counts of pass-1 types, index 0 = O
  int8_t last_pass2 = -1;                           // type+1 of the last pass-2 mention, -1 none
};

class FeatureExtractor {
 public:
  // `clusters` and `gazetteer` may be null when the group is off; they must outlive this object.
  FeatureExtractor(const ClusterTable* clusters, const Gazetteer* gazetteer,
                   const NerFeatureOptions& options);

  const NerFeatureOptions& options() const { return options_; }

  // Fills info[0..n) for one sentence `words[0..n)`. `scratch` must have room for 2 * n values.
  // The same as ComputeTokenKeys, then CompleteTokenInfo on every token.
  void ComputeTokenInfo(const std::string_view* words, size_t n, TokenInfo* info,
                        uint64_t* scratch) const;
  // The part of ComputeTokenInfo that needs the whole sentence: word, lower, flags (without
  // kNerHasCluster) and gaz of every token; the other fields are left as they were.
  void ComputeTokenKeys(const std::string_view* words, size_t n, TokenInfo* info,
                        uint64_t* scratch) const;
  // The rest, which depends on the word alone (given its keys): shape, prefixes, suffixes,
  // hyphen parts, clusters, case ratio, kNerHasCluster.
  void CompleteTokenInfo(std::string_view word, TokenInfo* t) const;

  // Writes the label-independent features of token i of a sentence to out (at most
  // kMaxStaticFeatures) and returns their number.
  int StaticFeatures(const TokenInfo* info, size_t n, size_t i, uint64_t* out) const;

  // The features of StaticFeatures split by what they depend on, for the tagger's per-word cache
  // (as multisets, their union over one token equals StaticFeatures(info, n, i)):
  //  - WordFeatures(info[i]): the token's own word (its bytes, its gazetteer mask, its
  //  sentence-start
  //    and headline flags), written to out (at most kMaxStaticFeatures); returns their number;
  //  - NeighbourFeatures(nb, offset): the features of a token whose neighbour at `offset` (-2, -1,
  //    +1 or +2) is `nb` (nullptr: outside the sentence); they depend on that neighbour alone;
  //  - CapPattern(info, n, i): the value (< 512) of the capitalisation-pattern feature;
  //  - PairFeatures(info, n, i): the rest (conjunctions of the token with its neighbours).
  // Words with equal WordKey (HashBytes of the word, gazetteer mask, kNerSentStart | kNerHeadline)
  // have equal WordFeatures and NeighbourFeatures.
  int WordFeatures(const TokenInfo& t, uint64_t* out) const;
  int NeighbourFeatures(const TokenInfo* nb, int offset, uint64_t* out) const;
  // Inline: the taggers ask it of every scored token, and a call cost more than its arithmetic.
  static uint32_t CapPattern(const TokenInfo* info, size_t n, size_t i) {
    const TokenInfo& t = info[i];
    return (i >= 1 ? (info[i - 1].flags & 3) + 1 : 0) * 16 + (t.flags & 3) * 4 +
           (i + 1 < n ? (info[i + 1].flags & 3) + 1 : 0) + ((t.flags & kNerHeadline) ? 256 : 0);
  }
  int PairFeatures(const TokenInfo* info, size_t n, size_t i, uint64_t* out) const;
  // PairFeatures split: the conjunctions of token t with the token before it (nullptr: t starts
  // the sentence), of t with the token after it (nullptr: t ends it), and the shape trigram.
  // The first two depend on the two words alone (their TokenInfo from CompleteTokenInfo).
  // Inline: asked per pair-cache miss (kStartOfSentence: the lower-case key before the sentence).
  static constexpr uint64_t kStartOfSentence = 0x1111;
  int PairWithPrevious(const TokenInfo* prev, const TokenInfo& t, uint64_t* out) const {
    int k = 0;
    const uint64_t lm1 = prev ? prev->lower : kStartOfSentence;
    out[k++] = Feat(kTplBigramM1, Combine(lm1, t.lower));
    out[k++] = Feat(kTplLowerM1Shape, Combine(lm1, t.shape));
    if (options_.clusters) {
      const int lv = clusters_->levels() > 1 ? 1 : 0;
      out[k++] = Feat(kTplClusterPair,
                      (static_cast<uint64_t>(prev ? prev->cls[lv] : 0xfffe) << 16) | t.cls[lv]);
    }
    return k;
  }
  // Inline: asked per pair-cache miss (kEndOfSentence: the lower-case key past the sentence's end).
  static constexpr uint64_t kEndOfSentence = 0x2222;
  static int PairWithNext(const TokenInfo& t, const TokenInfo* next, uint64_t* out) {
    const uint64_t lp1 = next ? next->lower : kEndOfSentence;
    out[0] = Feat(kTplBigramP1, Combine(t.lower, lp1));
    out[1] = Feat(kTplShapeLowerP1, Combine(t.shape, lp1));
    return 2;
  }
  static uint64_t Shape3Feature(const TokenInfo* info, size_t n, size_t i);
  static uint32_t WordContext(const TokenInfo& t) {
    return t.flags & (kNerSentStart | kNerHeadline);
  }

  // History features of token `t` given the previous two labels (-1 = none).
  static int HistoryFeatures(const TokenInfo& t, int prev1, int prev2, uint64_t* out);
  // HistoryFeatures split: the ones of the labels alone (2) and the ones of the label before and
  // the token's word (3).
  static int HistoryLabelFeatures(int prev1, int prev2, uint64_t* out);
  // Inline: asked per scored token after an entity label and per word-cache miss.
  static int HistoryWordFeatures(const TokenInfo& t, int prev1, uint64_t* out) {
    const uint64_t a = static_cast<uint64_t>(prev1 + 1);
    out[0] = Feat(kTplPrev1Lower, Combine(a, t.lower));
    out[1] = Feat(kTplPrev1Shape, Combine(a, t.shape));
    out[2] = Feat(kTplPrev1Cluster, Combine(a, t.cls[0]));
    return 3;
  }

  // Document features of token `t` given the stats of its word with the token's own pass-1 type
  // (0 = O, 1 + type) removed. Returns 0 when the token is not capitalised.
  static int DocFeatures(const TokenInfo& t, const DocWordStats& others, uint64_t* out);
  // DocFeatures in parts, for a tagger that sums the parts that do not depend on the word at load
  // (EntityTagger's document tables). DocSummary reduces `others` to what the features read: the
  // total count, the first type with the highest count, and a bit (1 << type) per type with a
  // count. DocFeatures writes DocLeadFeature, then DocShapeFeature when total > 0, then
  // DocHasLastFeatures (at most kNumTypes + 2); DocContext is the token's context value.
  static void DocSummary(const DocWordStats& others, int* total, int* best, uint32_t* has) {
    int sum = 0, top = 0;
    uint32_t bits = 0;
    for (int c = 0; c <= kNumTypes; ++c) {
      sum += others.pass1[c];
      if (others.pass1[c] > others.pass1[top]) top = c;
      // Not `(count > 0 ? 1u : 0u) << c`: GCC 12 with -fsanitize=undefined compiles that loop
      // to set every bit (a miscompile, reproduced at -O1 to -O3); the cast form is correct.
      bits |= static_cast<uint32_t>(others.pass1[c] != 0) << c;
    }
    *total = sum;
    *best = top;
    *has = bits;
  }
  static int DocContext(const TokenInfo& t) {
    return (t.flags & kNerSentStart ? 1 : 0) + (t.flags & kNerHeadline ? 2 : 0);
  }
  static uint64_t DocLeadFeature(bool single, int ctx, int best) {
    return single ? Feat(kTplDocSingle, static_cast<uint64_t>(ctx))
                  : Feat(kTplDocMajority, static_cast<uint64_t>(best));
  }
  static uint64_t DocShapeFeature(int best, int ctx, uint64_t shape) {
    return Feat(kTplDocMajorityShape, Combine(static_cast<uint64_t>(best * 4 + ctx), shape));
  }
  static int DocHasLastFeatures(uint32_t has, int last_pass2, uint64_t* out) {
    int k = 0;
    for (int c = 0; c <= kNumTypes; ++c) {
      if ((has >> c) & 1) out[k++] = Feat(kTplDocHas, static_cast<uint64_t>(c));
    }
    if (last_pass2 >= 0) out[k++] = Feat(kTplDocLast, static_cast<uint64_t>(last_pass2));
    return k;
  }

  // Second-pass right context: the first-pass labels of the next two tokens of the sentence
  // (-1 = none), which the greedy left-to-right pass could not see. On every token.
  static int RightContextFeatures(const TokenInfo& t, int next1, int next2, uint64_t* out) {
    out[0] = Feat(kTplNext1Pass1, static_cast<uint64_t>(next1 + 1));
    out[1] = Feat(kTplNext2Pass1, static_cast<uint64_t>((next1 + 1) * 32 + next2 + 1));
    out[2] = Feat(kTplNext1Pass1Shape, Combine(static_cast<uint64_t>(next1 + 1), t.shape));
    return 3;
  }

  // RightContextFeatures split: the labels alone (2), the next label and the token's shape (1).
  static int RightLabelFeatures(int next1, int next2, uint64_t* out) {
    out[0] = Feat(kTplNext1Pass1, static_cast<uint64_t>(next1 + 1));
    out[1] = Feat(kTplNext2Pass1, static_cast<uint64_t>((next1 + 1) * 32 + next2 + 1));
    return 2;
  }
  static int RightWordFeatures(const TokenInfo& t, int next1, uint64_t* out) {
    out[0] = Feat(kTplNext1Pass1Shape, Combine(static_cast<uint64_t>(next1 + 1), t.shape));
    return 1;
  }

  // Context aggregation over one document of n tokens (info from ComputeTokenInfo, sentences
  // ending at sentence_ends[0..num_sentences), the last one at n): for every DocKeyed token, the
  // lower-cased words at -2, -1, +1 and +2 of each mention of its lower-cased word anywhere in the
  // document (sentence boundaries as markers), as features of templates kTplContextM2..P2. The
  // features of a word are the same for all its mentions. Fills `out` with (TokenInfo::lower,
  // feature) pairs sorted by word then feature, without duplicates, at most kMaxContextFeatures
  // per word (the smallest hashes: deterministic).
  // Linear in n apart from the sort.
  static void ContextAggregation(const TokenInfo* info, size_t n, const uint32_t* sentence_ends,
                                 size_t num_sentences,
                                 std::vector<std::pair<uint64_t, uint64_t>>* out);
  // ContextAggregation for a caller that has numbered the document's words already (the tagger's
  // document table): word[i] is the id (< num_words) of every DocKeyed token i, the same id for
  // the same TokenInfo::lower and distinct ids for distinct ones (the other tokens' entries are
  // not read). Fills offsets[0..num_words] and features so that features[offsets[g],
  // offsets[g + 1]) are word g's features: exactly the ones ContextAggregation pairs with that
  // word's TokenInfo::lower, in the same (ascending) order. Linear in n apart from one sort of
  // each word's own features (no sort of the whole document). Both vectors only grow in capacity.
  static void GroupedContextAggregation(const TokenInfo* info, size_t n,
                                        const uint32_t* sentence_ends, size_t num_sentences,
                                        const uint32_t* word, size_t num_words,
                                        std::vector<size_t>* offsets,
                                        std::vector<uint64_t>* features);

  // The kind of every sentence of one document of n tokens (words[0..n), their keys info[0..n)
  // from ComputeTokenKeys, sentences ending at sentence_ends[0..num_sentences), the last one at
  // n), NerLineKind bits written to kinds[0..num_sentences):
  //  - kNerTableLine: the sentence holds a score ("2-1" as one token, or digits, "-", digits), or
  //    at least two numbers making up a third of its tokens with at most one lower-case word of
  //    three letters or more (league tables, "Leeds 3 Chelsea 1");
  //  - kNerSportsReport (every sentence of the document): at least two distinct sports cue words
  //    in the document (lists written by the project, matched case-insensitively): strong cues
  //    ("soccer", "league", "striker", ...) always count, weak cues common in business news too
  //    ("motor", "beat", "goal", "round", ...) only when some sentence of the document is a
  //    results/table line; a word repeated counts once.
  // Linear in n. Pure function.
  static void LineKinds(const std::string_view* words, const TokenInfo* info, size_t n,
                        const uint32_t* sentence_ends, size_t num_sentences, uint8_t* kinds);
  // The strong (weak = false) or weak sports cue words LineKinds counts, lower case, for tools
  // that report by document kind (`newsparse_ner kinds --cues`). Thread-safe: static data.
  static std::vector<std::string_view> SportsCueWords(bool weak);
  // The kind features of token t in a sentence of kind `kind` (NerLineKind bits): none when kind
  // is 0 or the token is not capitalised; else the kind, the kind with each of the token's
  // gazetteer (category, position) bits (at most 16), with its cluster (middle level) and with
  // its lower-cased word. At most kMaxKindFeatures, written to out; returns their number.
  int KindFeatures(const TokenInfo& t, int kind, uint64_t* out) const;
  static constexpr int kMaxKindFeatures = 19;

  // The capitalised-run features of token i of a sentence (words[0..n), their keys info[0..n)
  // from ComputeTokenKeys; only word, lower, flags and gaz are read, so the tagger's cached
  // completion does not matter). A run is a maximal sequence of at least two tokens whose first
  // byte is an ASCII capital, in a sentence not written in capitals, of at most kMaxRunLength
  // tokens (a longer run gets no features, which keeps the cost linear). A token of a run gets
  // the run's first word (lower-cased; not on the first token), its last word and the last word's
  // 3-byte suffix (not on the last token), its (length, position) and the gazetteer
  // (category, position) bits of the run's other tokens (at most 8). None when cap_runs is off.
  // At most kMaxRunFeatures written to out; returns their number. Pure function.
  int RunFeatures(const std::string_view* words, const TokenInfo* info, size_t n, size_t i,
                  uint64_t* out) const;
  static constexpr int kMaxRunFeatures = 12;
  // False when RunFeatures(…, info, n, i, …) has no features to give whatever the options: token
  // i is not capitalised, or neither of its neighbours in the sentence is (no run of two). A
  // cheap test before the call. Pure function.
  static bool MayStartOrJoinRun(const TokenInfo* info, size_t n, size_t i) {
    return (info[i].flags & kNerCap) != 0 && ((i > 0 && (info[i - 1].flags & kNerCap) != 0) ||
                                              (i + 1 < n && (info[i + 1].flags & kNerCap) != 0));
  }
  static constexpr size_t kMaxRunLength = 8;

  // The tokens of one sentence of n tokens (keys info[0..n) from ComputeTokenKeys) whose label
  // the tagger settles as O without scoring them (EntityTagger): out[i] = 1 when every token j
  // of the sentence with i - before <= j <= i + after is plain (kNerPlain: has no ASCII capital
  // and no non-ASCII byte, matches no gazetteer phrase, is not empty and not a quote mark, i.e.
  // only " ' ` bytes); else out[i] = 0. before or after < 0: all 0. Linear in n. Pure function.
  static void SettledTokens(const TokenInfo* info, size_t n, int before, int after, uint8_t* out);

  // Whether a token takes part in document features (capitalised or all-caps word).
  static bool DocKeyed(const TokenInfo& t) {
    return (t.flags & (kNerCap | kNerAllCaps)) != 0 && (t.flags & kNerHasDigit) == 0;
  }

 private:
  const ClusterTable* clusters_;
  const Gazetteer* gazetteer_;
  NerFeatureOptions options_;
};

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_FEATURES_H_
