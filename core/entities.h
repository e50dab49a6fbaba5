// Entity recognition: CoNLL-2003 types PER / ORG / LOC / MISC in tokenized text.
//
//   auto tagger = EntityTagger::Load("data/ner.model", "data");   // once, shared by threads
//   NerScratch scratch;                                            // one per thread, reused
//   NerInput in;  // words + byte spans + sentence starts of one document
//   std::vector<Mention> mentions;
//   tagger.value()->TagDocument(in, &scratch, &mentions);          // appends Mentions
//
// Model: an averaged perceptron over hashed features (core/ner_features.h) with left-to-right
// BILOU decoding under transition constraints, greedy or a beam search (SetBeamWidth: the width
// the model was trained for by default), run twice per document: the second
// pass adds document features built from the first pass's labels (core/ner_features.h); with
// context aggregation (a feature group of the model) both passes also see, for a capitalised
// word, the words around every mention of it in the document. The model file (core/ner_model.h)
// records the feature groups and the checksums of the cluster table (data/ner_clusters.tsv) and
// gazetteer (data/ner_gazetteer.tsv) it was trained with.
//
// Cost: linear in the number of tokens (a bounded number of table lookups per token, gazetteer
// phrases of at most 6 tokens), plus a sort of each capitalised word's context features (four per
// mention; O(n log n) at worst); any bytes are accepted in token strings (invalid UTF-8 included).
//
// Thread safety: an EntityTagger is immutable after Load() and its const methods may run on many
// threads at once, each with its own NerScratch. A NerScratch belongs to one thread at a time; it
// keeps its buffers between documents, so tagging allocates nothing once it has grown to the
// largest document.
//
// Speed: most features depend on one word alone, so a NerScratch caches the summed label scores
// of each word it has seen (and of the features it gives its neighbours): a direct-mapped cache of
// up to 32,768 entries (at most 10.5 MB per scratch; it grows with the tokens tagged, to twice
// their number), kept between documents while the same tagger uses the scratch; a second one holds
// the summed scores of the conjunction features of adjacent word pairs (up to 32,768 entries,
// 4 MB), and a small one the weight rows of shape trigrams. Their entries are whole cache lines
// and are prefetched a few tokens ahead (the caches are larger than L2 and read at random); the
// word and pair entries hold their vectors as int16, except a word's own scores (exact: a word or
// pair with a sum beyond int16 keeps its int32 vectors in a small side cache). The caches and the
// model's weight rows live in ner::AllocateLarge memory: 2 MB pages where the kernel's transparent
// huge pages allow them (fewer TLB misses; $NEWSPARSE_HUGE_PAGES=0 turns them off). The caches
// change no score: labels are the same as from a fresh scratch. Reuse one scratch per thread for
// the speed. On x86-64 built with GCC the scoring code has an x86-64-v3 (AVX2) clone, chosen at
// load time on CPUs that have it (same results; the baseline build stays portable x86-64;
// -DNEWSPARSE_NO_CPU_DISPATCH turns it off).
//
// Settled tokens: a token that FeatureExtractor::SettledTokens marks (by default: it and the
// token after it, if any, are lower-case ASCII, digits or punctuation, outside every gazetteer
// phrase and not quote marks; see set_settled_window) is labelled O without being scored
// whenever O may follow the label before it, in both passes; when the label before it opens an
// entity (B-, I-) it is scored like any other token. The word-cache lookups and score additions
// that only such tokens need are skipped (a skipped word still gives its neighbour scores to a
// scored token within two positions); a scored token gets exactly the scores it would get
// without the rule. It is an approximation: the tagger, scoring every token, gives 3 of 569,856
// such reuters2006 tokens and none of eng.testa's an entity label (data/README.md);
// set_settled_window(-1, -1) scores every token.
#ifndef NEWSPARSE_CORE_ENTITIES_H_
#define NEWSPARSE_CORE_ENTITIES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/article.h"
#include "core/clusters.h"
#include "core/ner_features.h"
#include "core/ner_gazetteer.h"
#include "core/ner_model.h"

namespace newsparse {

// One document to tag. The views must stay valid during the call.
struct NerInput {
  std::vector<std::string_view> words;    // every token of the document, in order
  std::vector<Span> spans;                // byte span of each token (same size as words), or
                                          // empty when only labels are wanted
  std::vector<uint32_t> sentence_starts;  // first token of each sentence, ascending, starting
                                          // at 0; empty = the whole document is one sentence
  void Clear() {
    words.clear();
    spans.clear();
    sentence_starts.clear();
  }
};

// Runtime adapter from the tokenizer's output (core/tokenizer.h `Tokens`): fills `out` with the
// tokens and sentences of `tokens` over `text`. A template so that this header does not depend
// on the tokenizer's implementation; it needs only the fields `tokens[i].begin/end` and
// `sentences[j].begin/end`. To be wired into the engine once core/tokenizer.cc lands.
template <typename TokensT>
void NerInputFromTokens(std::string_view text, const TokensT& tokens, NerInput* out) {
  out->Clear();
  const size_t n = tokens.tokens.size();
  out->words.resize(n);
  out->spans.resize(n);
  std::string_view* words = out->words.data();
  Span* spans = out->spans.data();
  for (size_t i = 0; i < n; ++i) {
    const auto& t = tokens.tokens[i];
    const uint32_t b = t.begin <= text.size() ? t.begin : static_cast<uint32_t>(text.size());
    const uint32_t e = t.end <= text.size() && t.end >= b ? t.end : b;
    words[i] = std::string_view(text.data() + b, e - b);
    spans[i] = Span{b, e};
  }
  for (const auto& s : tokens.sentences) {
    if (s.begin < s.end && s.begin < out->words.size() &&
        (out->sentence_starts.empty() || s.begin > out->sentence_starts.back())) {
      out->sentence_starts.push_back(s.begin);
    }
  }
  if (!out->sentence_starts.empty()) out->sentence_starts[0] = 0;
}

// Mentions (token ranges and types) decoded from BILOU labels, tolerant of invalid sequences:
// B/I/L of a type continue an open entity of that type, any other label closes it.
struct NerChunk {
  uint32_t begin = 0;  // token index
  uint32_t end = 0;    // exclusive
  int type = 0;        // 0..3 = PER, ORG, LOC, MISC
};
void BilouToChunks(const uint8_t* labels, size_t n, uint32_t offset, std::vector<NerChunk>* out);

namespace ner {
// One word's summed label scores in EntityTagger's word cache (inside NerScratch), keyed by
// FeatureExtractor's word key (word hash, gazetteer mask, context flags). The word's own scores are
// int32; the vectors it gives its neighbours and the history/right-context vectors after an O are
// int16 (sums of few features; on 2,000 reuters2006 articles 0.14 % of words have one that does
// not fit, always the +1 neighbour's). A word with a vector out of int16's range is `wide`: its
// exact vectors are then in the scratch's small wide cache (WideWordEntry); nothing saturates.
struct alignas(64) WordEntry {
  uint64_t word = 0;
  uint64_t gaz = 0;
  uint64_t shape = 0;               // the word's TokenInfo fields that the scores of its
  uint32_t context = 0;             // FeatureExtractor::WordContext | kValid; 0 = empty slot
  uint16_t cls[kMaxClusterLevels];  // neighbours and labels need
  int8_t case_ratio = 0;
  bool has_cluster = false;
  int32_t self[kNumLabels];    // WordFeatures
  int16_t nb[4][kNumLabels];   // NeighbourFeatures as the neighbour at -2, -1, +1, +2
  int16_t hist_o[kNumLabels];  // HistoryWordFeatures after an O
  int16_t next_o[kNumLabels];  // RightWordFeatures before an O
  bool wide = false;           // a vector is out of int16's range: see WideWordEntry
};
// 5 whole cache lines (309 bytes of data): a lookup touches no line of a neighbouring entry.
static_assert(sizeof(WordEntry) == 320, "WordEntry is meant to fill 5 cache lines");
// The exact int32 vectors of a `wide` word (keyed like WordEntry), in NerScratch's wide cache.
struct alignas(64) WideWordEntry {
  uint64_t word = 0;
  uint64_t gaz = 0;
  uint32_t context = 0;  // 0 = empty slot
  int32_t self[kNumLabels];
  int32_t nb[4][kNumLabels];
  int32_t hist_o[kNumLabels];
  int32_t next_o[kNumLabels];
};
// The weight row of one shape-trigram feature (FeatureExtractor::Shape3Feature) in EntityTagger's
// trigram cache (inside NerScratch), keyed by the three shape hashes.
struct Shape3Entry {
  uint64_t shapes[3] = {0, 0, 0};  // before (0 at a sentence start), token, after (0 at its end)
  const int16_t* row = nullptr;    // nullptr: an all-zero row
  uint32_t tag = 0;                // 4 | sentence start | 2 * sentence end; 0 = empty slot
};
// The summed scores of the conjunction features of two adjacent words (a, b) in EntityTagger's
// pair cache (inside NerScratch), keyed by the two word hashes: FeatureExtractor::PairWithNext(a,
// b) on a and FeatureExtractor::PairWithPrevious(a, b) on b. They depend on the two words alone.
// The vectors are int16 (sums of at most a few features), range-checked: a pair with a sum out of
// int16's range is `wide`, its exact vectors are then in the scratch's small wide pair cache
// (WidePairEntry); nothing saturates.
struct alignas(64) PairEntry {
  uint64_t left = 0;   // TokenInfo::word of a
  uint64_t right = 0;  // TokenInfo::word of b
  int16_t to_left[kNumLabels];
  int16_t to_right[kNumLabels];
  bool valid = false;  // false = empty slot
  bool wide = false;   // a vector is out of int16's range: see WidePairEntry
};
// 2 whole cache lines (86 bytes of data, line-aligned).
static_assert(sizeof(PairEntry) == 128, "PairEntry is meant to fill 2 cache lines");
// The exact int32 vectors of a `wide` pair (keyed like PairEntry), in NerScratch's wide pair cache.
struct alignas(64) WidePairEntry {
  uint64_t left = 0;
  uint64_t right = 0;
  bool valid = false;  // false = empty slot
  int32_t to_left[kNumLabels];
  int32_t to_right[kNumLabels];
};
}  // namespace ner

// Per-thread scratch buffers of EntityTagger (opaque; reuse it across documents).
class NerScratch {
 public:
  // The labels of the last tagged document, one per token (ner::LabelName gives "B-PER" etc.).
  const std::vector<uint8_t>& labels() const { return labels_; }
  // The pass-1 scores of the last tagged document, ner::kNumLabels per token (the first
  // labels().size() * kNumLabels values): every feature but the document features and the
  // second pass's right context, with the history of the pass-1 labels. For tests of the caches.
  // Only the tokens that were scored hold scores (scored()); the others hold stale values.
  // With beam decoding (EntityTagger::SetBeamWidth) they are the scores without the history.
  const int32_t* pass1_scores() const { return static_scores_.data(); }
  // Per token of the last tagged document: 1 when it was scored, 0 when it was labelled O as a
  // settled token without scores (see EntityTagger).
  const std::vector<uint8_t>& scored() const { return scored_; }
  // The pass-1 labels of the last tagged document, one per token (equal to labels() when the
  // model has no document features). For tests and tools.
  const std::vector<uint8_t>& pass1_labels() const { return pass1_; }
  // The TokenInfo of each token of the last tagged document (keys complete; the word-dependent
  // fields only on tokens within two positions of a scored one). For tools and tests.
  const ner::TokenInfo* token_info() const { return info_.data(); }
  // Word cache entries filled as `wide` (a neighbour or O vector beyond int16) since the caches
  // were last reset. For tests and tools.
  uint64_t wide_words() const { return wide_words_; }
  // Pair cache entries filled since the caches were last reset, and how many of them were filled
  // as `wide` (a sum beyond int16; see ner::PairEntry). For tests and tools.
  uint64_t pairs_filled() const { return pairs_filled_; }
  uint64_t wide_pairs() const { return wide_pairs_; }

 private:
  friend class EntityTagger;
  std::vector<ner::TokenInfo> info_;
  std::vector<uint64_t> hashes_;
  std::vector<int32_t> static_scores_;  // per token: static scores, then after pass 1 the pass-1
                                        // scores (static + history of the pass-1 labels)
  std::vector<uint8_t> pass1_;
  std::vector<uint8_t> labels_;
  std::vector<uint8_t> scored_;  // per token: its static scores are computed
  std::vector<uint8_t> looked_;  // per token of a sentence: its word cache entry was read
  // Per token of a sentence: its word cache slot, and the pair cache slot of it and the next
  // token, hashed once when the entry is prefetched (StaticScoresOf).
  std::vector<uint32_t> word_slots_;
  std::vector<uint32_t> pair_slots_;
  std::vector<uint32_t> sentence_ends_;
  std::vector<uint8_t> kinds_;  // NerLineKind bits of each sentence (model with kinds)
  std::vector<NerChunk> chunks_;
  // The document table: DocKeyed words (by TokenInfo::lower) numbered by first mention.
  std::vector<uint32_t> word_of_token_;  // per token: its word's number, or 0xffffffff
  std::vector<uint32_t> keyed_tokens_;   // the DocKeyed tokens, ascending
  std::vector<uint64_t> table_keys_;     // open addressing: lower-cased hash of each slot's word
  std::vector<uint32_t> table_gen_;      // the document (gen_) that filled the slot
  std::vector<uint32_t> table_word_;     // the slot's word number
  std::vector<ner::DocWordStats> table_vals_;  // per word number
  // Context aggregation of the document (FeatureExtractor::GroupedContextAggregation) and the
  // summed scores of each word's context features, per word number.
  std::vector<size_t> context_offsets_;
  std::vector<uint64_t> context_features_;
  std::vector<int32_t> context_scores_;
  uint32_t gen_ = 0;
  // Per-token score vectors: history features of the word after an O label, and the second
  // pass's right-context feature of the word before an O label.
  std::vector<int32_t> hist_o_;
  std::vector<int32_t> next_o_;
  // The word cache: summed label scores of each word's word-local features (see WordEntry in
  // entities.cc), direct-mapped, kept between documents while the same tagger uses it.
  ner::LargeArray<ner::WordEntry> word_cache_;
  // Shape trigrams (few distinct ones) and their weight rows, direct-mapped, same owner.
  ner::LargeArray<ner::Shape3Entry> shape3_cache_;
  // The exact vectors of the cache's `wide` words, direct-mapped, same owner.
  ner::LargeArray<ner::WideWordEntry> wide_cache_;
  uint64_t wide_words_ = 0;
  // Adjacent word pairs and their conjunction scores, direct-mapped, same owner.
  ner::LargeArray<ner::PairEntry> pair_cache_;
  // The exact vectors of the pair cache's `wide` pairs, direct-mapped, same owner.
  ner::LargeArray<ner::WidePairEntry> wide_pair_cache_;
  uint64_t pairs_filled_ = 0;
  uint64_t wide_pairs_ = 0;
  // Beam decoding (EntityTagger::SetBeamWidth): the lattice of one sentence (beam width nodes
  // per token: the node's label and its parent's index) and, per document word, the last token of
  // the current sentence that mentions it (word_sentence_ = the sentence's number + 1).
  std::vector<uint32_t> beam_parent_;
  std::vector<uint8_t> beam_label_;
  std::vector<uint32_t> word_last_;
  std::vector<uint32_t> word_sentence_;
  // Per token, kBeamHistorySlots history-word score rows (HistoryWordFeatures after a previous
  // label that is not O) and their previous labels (-2: empty): made in pass 1, read in pass 2.
  std::vector<int32_t> beam_history_;
  std::vector<int8_t> beam_history_label_;
  uint64_t cache_owner_ = 0;  // EntityTagger::id_ the caches were filled by (0 = empty)
  uint64_t tokens_seen_ = 0;  // tokens tagged by that tagger with this scratch
};

class EntityTagger {
 public:
  // Loads the model file and, from `data_dir`, the cluster table (ner_clusters.tsv) and the
  // gazetteer (ner_gazetteer.tsv) when the model uses them. Errors: NotFound for a missing file,
  // DataLoss / InvalidArgument / FailedPrecondition for a corrupted, truncated or incompatible
  // model, FailedPrecondition when a data file differs from the one the model was trained with.
  static absl::StatusOr<std::unique_ptr<EntityTagger>> Load(std::string_view model_path,
                                                            std::string_view data_dir);

  // The same from the model file's bytes (read during the call only; the fuzz target of the
  // loader uses it). Same errors as Load; any byte string gives a tagger or an error status.
  static absl::StatusOr<std::unique_ptr<EntityTagger>> FromModelBytes(std::string_view bytes,
                                                                      std::string_view data_dir);

  // Builds a tagger from parts (training and tests). `clusters` / `gazetteer` may be null when
  // the model does not use them; the tagger takes ownership.
  static absl::StatusOr<std::unique_ptr<EntityTagger>> FromParts(
      ner::NerModel model, std::unique_ptr<ner::ClusterTable> clusters,
      std::unique_ptr<ner::Gazetteer> gazetteer);

  // Tags `doc` and appends one Mention per entity (byte span from doc.spans, type) to `*out`,
  // in text order. Errors: InvalidArgument when doc.spans is neither empty nor words-sized, or
  // sentence_starts is not ascending within the document, or with a beam of width k
  // (SetBeamWidth) the document has 2^32 / k tokens or more (nothing is appended then).
  absl::Status TagDocument(const NerInput& doc, NerScratch* scratch,
                           std::vector<Mention>* out) const;

  // Tags `doc` and leaves one label per token in scratch->labels(). Same errors as TagDocument.
  absl::Status TagLabels(const NerInput& doc, NerScratch* scratch) const;

  // The model; its bitmap is in `rank` only (`nonzero` is empty: NerModel::DropBitmap).
  const ner::NerModel& model() const { return model_; }

  // The window of the settled-token rule (see above): the tokens before and after a token that
  // must be plain too (FeatureExtractor::SettledTokens); 0 and 1 by default; a negative value
  // scores every token. Not thread-safe: set it before the tagger is shared between threads.
  void set_settled_window(int before, int after) {
    settled_before_ = before < 0 || after < 0 ? -1 : before;
    settled_after_ = before < 0 || after < 0 ? -1 : after;
  }
  // The same from a "BEFORE:AFTER" string (two integers, as tools and benchmarks take it; "-1:-1"
  // scores every token). InvalidArgument, the window unchanged, for any other form.
  absl::Status SetSettledWindow(std::string_view spec);
  int settled_before() const { return settled_before_; }
  int settled_after() const { return settled_after_; }

  // Decoding (data/README.md has its figures). The default is the model's (NerModel::beam, the
  // decoding its weights were trained for). 0: the greedy passes above. k >= 1: beam search of
  // width k over each sentence in both passes, the hypotheses scored with the same features (the
  // history features of each hypothesis's own two previous labels) and recombined by those two
  // labels (the model's history state), the best-scoring complete sequence kept; k = 1 gives
  // greedy's labels. In pass 2 a mention's document features see the pass-2 type its hypothesis
  // gave the previous mention of the same word when that is in the same sentence at most
  // kMaxBeamDocWalk tokens back (greedy: any distance), else the type fixed by the sentences
  // before. Settled tokens: when O may follow the best hypothesis, the hypotheses that O may
  // follow take O without scores and the others end there (as greedy scores a settled token only
  // inside an entity); else the token is scored and those that O may follow take O. Cost: per
  // scored token, the history and label choice of each hypothesis (a few times greedy's; the
  // figures are in data/README.md); the lattice takes 5 k bytes per token of the longest sentence
  // in the scratch. Not thread-safe: set it before the tagger is shared.
  static constexpr int kMaxBeam = static_cast<int>(ner::kMaxNerModelBeam);
  static constexpr size_t kMaxBeamDocWalk = 256;
  // Pruning: a hypothesis more than this many weight units (the trainer's float weights, before
  // quantisation) behind the best one at a token ends there. The largest weight of the shipped
  // model is 51; at 100 its dev F1 is that of no pruning, and the tagger runs 23 % fewer
  // instructions (data/README.md).
  static constexpr double kBeamMargin = 100.0;
  // InvalidArgument, the width unchanged, outside 0..kMaxBeam.
  absl::Status SetBeamWidth(int k);
  int beam_width() const { return beam_width_; }

 private:
  EntityTagger() = default;
  void AddRows(const uint64_t* features, int n, int32_t* scores) const;
  int ChooseLabel(const int32_t* scores, int prev, bool last) const;
  void BuildTables();
  const ner::WordEntry& LookupWord(std::string_view word, ner::TokenInfo* t, NerScratch* s,
                                   size_t slot) const;
  void FillWord(std::string_view word, ner::TokenInfo* t, NerScratch* s, ner::WordEntry* e) const;
  void WordVectors(const ner::TokenInfo& t, ner::WideWordEntry* w) const;
  const ner::WideWordEntry& WideVectors(std::string_view word, const ner::TokenInfo& t,
                                        NerScratch* s) const;
  const ner::PairEntry& LookupPair(const ner::TokenInfo& a, const ner::TokenInfo& b, NerScratch* s,
                                   size_t slot) const;
  void PairVectors(const ner::TokenInfo& a, const ner::TokenInfo& b, ner::WidePairEntry* w) const;
  const ner::WidePairEntry& WidePair(const ner::TokenInfo& a, const ner::TokenInfo& b,
                                     NerScratch* s) const;
  void AddPair(const ner::TokenInfo& a, const ner::TokenInfo& b, NerScratch* s, size_t slot,
               bool to_left, int32_t* left, bool to_right, int32_t* right) const;
  void StaticScores(const std::string_view* words, ner::TokenInfo* info, size_t len,
                    const uint8_t* need, NerScratch* s, int32_t* st, int32_t* hist_o,
                    int32_t* next_o) const;
  void StaticScoresOf(const std::string_view* words, ner::TokenInfo* info, size_t len,
                      const uint8_t* need, NerScratch* s, int32_t* st, int32_t* hist_o,
                      int32_t* next_o) const;
  void AddCapAndShape3(const ner::TokenInfo* info, size_t len, size_t i, NerScratch* s,
                       int32_t* row) const;
  void AddBoundaries(const ner::TokenInfo* info, size_t len, size_t i, int32_t* row) const;
  void ScoreSettled(const std::string_view* words, ner::TokenInfo* info, size_t len, size_t i,
                    NerScratch* s, int32_t* row, int32_t* hist_o, int32_t* next_o) const;
  void AddHistory(const ner::TokenInfo& t, int prev1, int prev2, const int32_t* hist_o,
                  int32_t* scores) const;
  void DecodeBeam(const NerInput& doc, NerScratch* s, size_t keyed) const;
  void BeamSentence(const NerInput& doc, NerScratch* s, uint32_t b, uint32_t e, bool pass2) const;

  ner::NerModel model_;
  std::unique_ptr<ner::ClusterTable> clusters_;
  std::unique_ptr<ner::Gazetteer> gazetteer_;
  std::unique_ptr<ner::FeatureExtractor> features_;
  uint32_t allowed_[ner::kNumLabels + 1] = {};  // label masks by previous label + 1
  uint32_t end_mask_ = 0;
  // Per lane of a score vector, for ChooseLabel: [last][prev + 1][label] = -1 where the label may
  // follow prev (and end a sentence when last), else 0; and INT32_MIN where it may not, else 0.
  int32_t keep_lane_[2][ner::kNumLabels + 1][ner::kNumLabels] = {};
  int32_t fill_lane_[2][ner::kNumLabels + 1][ner::kNumLabels] = {};
  // Summed scores of the features that depend on labels alone or on a sentence boundary, filled
  // by BuildTables: [(prev1 + 1) * 18 + prev2 + 1] history, [(next1 + 1) * 18 + next2 + 1] right
  // context, [cap pattern] capitalisation pattern, [-2, -1, +1, +2] a missing neighbour.
  static constexpr int kLabelPairs = (ner::kNumLabels + 1) * (ner::kNumLabels + 1);
  std::vector<int32_t> history_table_;  // kLabelPairs x kNumLabels
  std::vector<int32_t> right_table_;    // kLabelPairs x kNumLabels
  std::vector<int32_t> cap_table_;      // 512 x kNumLabels
  int32_t boundary_[4][ner::kNumLabels] = {};
  // Summed scores of the document features that do not depend on the word (with
  // model_.features.document): [ctx] kTplDocSingle (no other mention typed in pass 1), [4 + best]
  // kTplDocMajority; [has * kDocLasts + last_pass2 + 1] the kTplDocHas and kTplDocLast features
  // (FeatureExtractor::DocSummary's values). Pass 2 adds one of each and looks up the shape one.
  static constexpr int kDocLeads = 4 + ner::kNumTypes + 1;
  static constexpr int kDocLasts = ner::kNumTypes + 2;
  static constexpr int kDocHasLast = (1 << (ner::kNumTypes + 1)) * kDocLasts;
  std::vector<int32_t> doc_lead_table_;      // kDocLeads x kNumLabels
  std::vector<int32_t> doc_has_last_table_;  // kDocHasLast x kNumLabels
  uint64_t id_ = 0;  // unique per tagger instance (keys NerScratch's word cache)
  int settled_before_ = 0;
  int settled_after_ = 1;
  int beam_width_ = 0;
  int64_t beam_margin_ = 0;  // kBeamMargin in the model's integer score units
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ENTITIES_H_
