// Attribution: who said what.
//
//   "The talks were useful," Wang Yi said on Wednesday.
//   -> cue "said", source "Wang Yi", content "\"The talks were useful,\"" (direct)
//   According to officials, the plan failed.
//   -> cue "According to", source "officials", content "the plan failed" (indirect)
//
// What is found (each form has a test in attribution_test.cc):
// - Cues: reporting verbs in every inflection, with the auxiliaries and adverbs between them and
//   the source ("has said", "also said", "now says", "is warning"), a following particle
//   ("talked about", "pointed out", and "to" where the lexicon has the pair: "pointed to"), a
//   lexicon phrase of three or more words through its head word ("made it clear", "issued a
//   statement saying"), "according to", and speaker labels ("PENCE: ...", a quote followed by a
//   dash and a name). Which words are cues: data/attribution_cues.tsv (hand-written verbs plus
//   counts from PolNeAR train) and, when data/attribution_cue_model.tsv is present, an averaged
//   perceptron over each candidate word in its context (see data/README.md). With
//   AttributionOptions::cue_source = kTagger (opt-in; data/attribution_cue_tagger.model), the cue
//   tagger of core/cue_tagger.h labels cue spans over every word outside quotes instead, and the
//   rules below start from the head word of each span. "in a statement",
//   "told reporters": the cue is the verb; the phrase or object is skipped, in neither cue nor
//   content (PolNeAR leaves them out of the cue as often as not).
// - Direct quotes in every style: straight "...", curly “...”, ``...'' and NYT ''...'', «...»,
//   „...“; a quote split around its cue ("Judge," X said, "I have ..."), quotes that go on after
//   the cue's sentence in the same paragraph ("A," X said. "B." -- unless a cue follows "B"), the
//   quote that opens the paragraph after "X continued:", a quote running over several paragraphs
//   where each paragraph reopens the mark, nested quotes of another style. A quote with no cue next
//   to it (scare quotes, titles: the so-called "peace plan") is not an attribution. An unmatched
//   mark is closed at the end of its paragraph, so it never breaks the rest of the text.
// - Reported speech: "X said (that) ...", "..., X said.", "..., said X, <apposition>.",
//   "According to X, ...", "..., according to X.", "X, he said, ...", "..., adding that ..."
//   (the speaker of the sentence's attribution or its subject). Content is the reported clause
//   without cue and source; a leading "that" is kept (PolNeAR annotates it); it ends at the
//   sentence end or a hanging clause (", but ...", ", who ...", ", saying ...", or what follows
//   a quote closed after its own comma: "was \"fully funded,\" citing ...").
// - Cues no pattern takes ("The letter from the senators - sent on Friday - argues that ..."):
//   when data/attribution_span.model is present, a learned tagger labels the source and content
//   in the cue's sentence (core/attribution_span.h; AttributionOptions::span_model, off by
//   default: it doubles the finder's cost on news text for +0.5 F1 on PolNeAR dev); the
//   attribution is kept when it finds both.
// - Sources: the speaker's span as written, appositions included ("Wang Yi, director of ...",
//   "a senior Chinese diplomat", "officials", "he", "Ortiz and his aides"). `entity` is the id of
//   the entity cluster with a mention inside the source span, or, for a pronoun ("he", "she",
//   "they") or a role phrase, the cluster of the speaker it refers to. `resolved` is the span of
//   that named speaker as written in another attribution: pronouns take the latest named speaker of
//   a compatible gender (titles and first names), "a senior diplomat" the next named speaker within
//   a few sentences, "the diplomat" the previous one. Without clusters (an empty `entities`),
//   `entity` stays null and only `resolved` is set; anonymous sources ("officials said") keep their
//   span with neither.
//
// Complexity: linear in the number of tokens for any input (quote marks are paired in one pass
// with an open-mark state reset at paragraph ends; every backward or forward look from a cue is
// bounded by a constant number of tokens; content ends, clause breaks and quote-mark counts come
// from per-token tables built in one pass each).
//
// Thread safety: an AttributionFinder is immutable after Create() and may be shared by any number
// of threads; an AttributionScratch belongs to one thread at a time and is reused across texts.
// Find allocates nothing per token once the scratch has grown to the largest article; it
// allocates per attribution found (the output and its content list).
#ifndef NEWSPARSE_CORE_ATTRIBUTION_H_
#define NEWSPARSE_CORE_ATTRIBUTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/article.h"
#include "core/attribution_span.h"
#include "core/cue_tagger.h"
#include "core/tokenizer.h"

namespace newsparse {

// One paired quotation: tokens [open, close] (both quote marks, inclusive). A quote left open at
// its paragraph's end has `closed == false` and `close` = the paragraph's last token. A quote that
// the next paragraph reopens is chained: `next` / `prev` are indices into the same vector, or -1.
struct QuoteSpan {
  uint32_t open = 0;
  uint32_t close = 0;
  int32_t prev = -1;
  int32_t next = -1;
  bool closed = false;
};

// Pairs the double quote marks of `tokens` in one linear pass (single quotes and apostrophes are
// ignored: they nest inside double quotes or are apostrophes). Appends to `out` (cleared first) in
// text order. Thread safety: pure function.
void PairQuotes(std::string_view text, const Tokens& tokens, std::vector<QuoteSpan>* out);

// One attribution while the finder works on an article: the attribution and its source tokens.
struct AttributionFound {
  Attribution a;
  uint32_t src_b = 0, src_e = 0;  // source tokens, inclusive (when a.source)
};

// Per-thread scratch for AttributionFinder::Find.
struct AttributionScratch {
  // The article's attributions while they are found (kept to reuse its storage), and content
  // vectors of earlier results (RecycleAttributions) that new attributions take their storage
  // from: a warm scratch allocates nothing per attribution.
  std::vector<AttributionFound> found;
  std::vector<std::vector<Span>> spare_contents;
  std::vector<Span> content_buf;  // the content being built
  std::vector<QuoteSpan> quotes;
  std::vector<int32_t> quote_of;        // per token: index of the quote holding it, or -1
  std::vector<uint32_t> sentence_of;    // per token: its sentence index
  std::vector<uint8_t> cue_kind;        // per token: 0 none, else a CueKind
  std::vector<uint8_t> used;            // per token: already part of an attribution's cue/source
  std::vector<uint16_t> word_id;        // per token: its id in the fixed word lists (on demand)
  std::vector<uint32_t> quote_marks;    // the quote marks' token indices, ascending
  std::vector<uint32_t> next_break;     // per token: the next clause break (found on demand)
  std::vector<int32_t> mention_entity;  // per token: entity id of a mention covering it, or -1
  std::string lower;                    // lower-cased token buffer
  std::vector<uint8_t> weak_cue_kind;   // per token: a CueKind for the span model only, or 0
  std::vector<uint8_t> span_labels;     // the span model's labels of one cue window
  SpanBetween span_between;             // its per-token counts and hashes
  SpanWordCache span_words;             // the article's word hashes for the span model
  SpanRuns span_runs;                   // the runs read off the labels
  // The cue tagger's state: per-token tables, labels, the tagged span of each head token
  // (tag_b / tag_e, -1 where none; filled with the tagger only), and the per-article cache of
  // word-level scores.
  CueTaggerTables tagger_tables;
  std::vector<uint8_t> tag_label;
  std::vector<int32_t> tag_b, tag_e;
  struct WordEntry {
    uint8_t lex = 0;
    bool scored = false;
    float word[kCueLabels] = {};
    float prev[kCueLabels][kCueLabels] = {};  // [previous label][label]
  };
  ner::HashTable64<WordEntry> word_cache;
  std::vector<WordEntry*> word_entry;  // per token: its word's cache entry, or nullptr
};

// Moves the content vectors of `atts` (emptied, their capacity kept) into
// `scratch->spare_contents` (at most kMaxSpareContents are kept) and leaves `atts` empty. Call it
// on a previous result before the vector is cleared; AttributionFinder::Find does it to `out`.
inline constexpr size_t kMaxSpareContents = 1024;
void RecycleAttributions(std::vector<Attribution>* atts, AttributionScratch* scratch);

// Cue lexicon thresholds. A lexicon word counts as a cue when it was written by hand (kind
// "verb"/"phrase") with gold/corpus >= min_seed_ratio, or learned with at least
// min_learned_count gold cues and gold/corpus >= min_learned_ratio.
// The cue model's features of token `i` (a word): hashes of the word, its neighbours and their
// shapes. Writes at most kMaxCueFeatures hashes to `out` and returns how many. Pure function;
// shared by the finder and the training tool (tools/attribution_train_main.cc).
inline constexpr int kMaxCueFeatures = 24;
int CueFeatures(std::string_view text, const Tokens& tokens, uint32_t i, bool in_quote,
                uint64_t* out);

// How the finder uses the span model (data/attribution_span.model) for the source and content of
// a cue.
enum class SpanModelUse : uint8_t {
  kOff,       // the hand-written patterns only
  kFallback,  // the model for the cues no pattern takes
  kFirst,     // the model for every cue; the patterns where it finds no content
};

// Where the cues come from.
enum class CueSource {
  kRules,           // lexicon candidates + the cue model (data/attribution_cue_model.tsv)
  kTagger,          // the cue tagger (data/attribution_cue_tagger.model), when present
  kTaggerAndRules,  // both: a rule cue counts where no tagged span covers it
};
// Which span an attribution's cue gets when the tagger found it.
enum class CueSpan {
  kRules,   // the rules' span around the head word (auxiliaries, particles)
  kTagger,  // the tagged span
  kUnion,   // from the first to the last token of either
};

struct AttributionOptions {
  // The span model's use; anything but kOff needs data/attribution_span.model (Create fails
  // without it). Off by default: Find 76 -> 97 instructions/byte, attribution 20-21 % ->
  // 28-29 % of the entity stage's CPU time in the engine (pipeline_benchmark), over issue #6's
  // 25 %, for +0.5 cue F1 on PolNeAR dev.
  SpanModelUse span_model = SpanModelUse::kOff;
  // A content run of the span model needs at least this many tokens.
  uint32_t min_span_content = 2;
  // The span model's attribution needs a SOURCE run too (else it is dropped).
  bool span_requires_source = true;
  // With kFallback, a candidate word whose cue model score is above this (but not above
  // cue_threshold) is a cue for the span model only: no pattern starts from it.
  float span_cue_threshold = 1.0f;
  CueSource cue_source = CueSource::kRules;
  CueSpan cue_span = CueSpan::kRules;
  // A tagged cue for which no rule finds a source/content pattern still gives an attribution:
  // content the rest of its sentence (or the sentence before it), source a noun phrase before it.
  bool tagger_fallback = false;
  // Use data/attribution_cue_model.tsv when it is present.
  bool use_cue_model = true;
  // A candidate word is a cue when its model score exceeds this.
  float cue_threshold = 1.0f;
  // Candidate words of the cue model need gold/corpus >= this in PolNeAR train (speed: the
  // model scores only candidates).
  double min_candidate_ratio = 0.05;
  // A hand-written cue verb with gold/corpus >= this in PolNeAR train is a cue wherever it occurs
  // outside quotes, whatever the model's score (the model only decides the less certain words).
  double sure_cue_ratio = 0.3;
  double min_seed_ratio = 0.1;
  int min_learned_count = 5;
  double min_learned_ratio = 0.3;
};

namespace attribution_internal {
inline absl::string_view ToAbslView(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace attribution_internal

class AttributionFinder {
 public:
  // Loads `data_dir`/attribution_cues.tsv; attribution_span.model unless `options.span_model` is
  // kOff; and the optional attribution_cue_model.tsv and attribution_cue_tagger.model beside it.
  // Errors: NotFound (naming the path) when the lexicon is missing, or the span model is missing
  // while `options.span_model` asks for it (the finder never silently falls back to the patterns
  // alone); DataLoss when a line is malformed; the errors of ParseSpanModel / ParseCueTagger for
  // a corrupt model.
  static absl::StatusOr<std::unique_ptr<AttributionFinder>> Create(
      const std::string& data_dir, const AttributionOptions& options = {});
  // The same from the lexicon's contents (tests, embedding).
  static absl::StatusOr<std::unique_ptr<AttributionFinder>> CreateFromLexicon(
      std::string_view tsv, const AttributionOptions& options = {});

  // Finds the attributions of `text` (tokenized into `tokens` by Tokenize) and appends them to
  // `out` (cleared first; its content vectors go to `scratch` for reuse, see RecycleAttributions)
  // in text order of their cue. `entities` may be empty (see above); their
  // mention spans must lie inside `text`. Never fails. Thread-safe (const); `scratch` must not be
  // used by another thread at the same time.
  void Find(std::string_view text, const Tokens& tokens, const std::vector<Entity>& entities,
            AttributionScratch* scratch, std::vector<Attribution>* out) const;

  // Installs a cue tagger model (tests, embedding); cues then come from it as `options` of
  // Create said (CueSource::kRules ignores it).
  void SetCueTagger(CueTaggerModel model) {
    cue_tagger_ = std::make_unique<CueTaggerModel>(std::move(model));
  }
  const CueTaggerModel* cue_tagger() const { return cue_tagger_.get(); }
  // The lexicon byte (CueLexiconByte) of a lower-cased word, 0 when it is not in the lexicon.
  uint8_t LexiconByte(std::string_view lower) const;
  // Fills `tables` for `text`: pairs its quotes and looks up every word's lexicon byte (for
  // training and tests; Find does the same with a per-article cache).
  void PrepareCueTaggerTables(std::string_view text, const Tokens& tokens,
                              CueTaggerTables* tables) const;
  // Fills `s->tagger_tables` and `s->tag_label` for `text` with the tagger (quote_of must be
  // filled). `gate` enables the learned skip bound. Requires cue_tagger() != nullptr.
  void TagCues(std::string_view text, const Tokens& tokens, bool gate, AttributionScratch* s) const;

  // The number of single-word and multi-word cues in use.
  size_t num_cue_words() const { return words_.size(); }
  // True when a cue model was loaded (then it, not the lexicon thresholds, decides which
  // candidate words are cues).
  bool has_cue_model() const { return has_cue_model_; }
  // The cue model's score of token `i` (a candidate word); 0 without a model.
  float CueScore(std::string_view text, const Tokens& tokens, uint32_t i, bool in_quote) const;
  // The score Find gives token `i` (outside quotes, where Find looks for cues): CueScore(text,
  // tokens, i, false) from the candidate word's weights summed at load (bias, the word's own, its
  // suffix's, the quote state's and the sentence start's) and dense tables of the shape pairs, so
  // that only the context keys are looked up. Equal to CueScore up to float rounding (the sum's
  // order differs); 0 when token `i` is no candidate word or there is no model. Thread-safe.
  float CandidateScore(std::string_view text, const Tokens& tokens, uint32_t i) const;
  // True unless no candidate word has the length, first, second and last bytes of `word` (bytes
  // compared & 31, the same for both cases of an ASCII letter): the filter Find asks before it
  // hashes a word. Never false for a candidate in any ASCII casing; true for about a third of a
  // news text's other words. Thread-safe.
  bool MayBeCandidateWord(std::string_view word) const {
    if (word.empty()) return false;
    const uint32_t bit = WordShapeBit(word);
    return ((candidate_shapes_[bit >> 6] >> (bit & 63)) & 1) != 0;
  }
  // True unless no candidate word hashes to `h` (ner::HashLower): the Bloom filter Find asks
  // before the candidate table. Never false for a candidate; true for a small share of other
  // words. Thread-safe.
  bool MayBeCandidate(uint64_t h) const {
    const uint32_t a = FilterBit(h, 0), b = FilterBit(h, 1);
    return ((candidate_filter_[a >> 6] >> (a & 63)) & (candidate_filter_[b >> 6] >> (b & 63)) &
            1) != 0;
  }
  // True when a span model was loaded and is in use.
  bool has_span_model() const { return span_use_ != SpanModelUse::kOff; }
  // Replaces the span model (tests, embedding); `use` kOff drops it.
  void SetSpanModel(SpanModel model, SpanModelUse use) {
    span_model_ = std::move(model);
    span_use_ = use;
  }
  // The CueKind of a lower-cased candidate word (any lexicon word), or kNotCue.
  uint8_t CandidateKind(std::string_view lower) const;

  // The cue tokens [*cue_b, *cue_e] the span model is anchored on for the cue word at token
  // `head` (of CueKind `kind`) when no tagged span gives them: the head, plus the next token when
  // it is a word and the head is "according" (to) or a learned phrase's head, or the next word is
  // a particle (out, for, on, up, back, off). `head` must index `tokens`. Pure function: Find and
  // the span model's trainer (tools/attribution_train_main.cc) share it, so that training windows
  // are the windows tagged at run time.
  static void SpanCueRange(std::string_view text, const Tokens& tokens, uint32_t head, uint8_t kind,
                           uint32_t* cue_b, uint32_t* cue_e);

  // True when the lower-case word `word` is a cue (or the first word of one) in the lexicon.
  bool IsCueWord(std::string_view word) const {
    return words_.contains(attribution_internal::ToAbslView(word));
  }

  // Cue kinds (values of AttributionScratch::cue_kind).
  enum CueKind : uint8_t {
    kNotCue = 0,
    kVerb = 1,        // say, said, told, ...
    kParticiple = 2,  // saying, adding, noting (a second cue of the same speaker)
    kAccording = 3,   // "according" (+ "to")
    kPhraseHead = 4,  // first word of a learned multi-word cue ("pointed" out)
    kLabelColon = 5,  // "PENCE: ..." speaker label at a paragraph start (transcripts, headlines)
    kLabelDash = 6,   // "\"...\" \u2015 Jane Doe": a dash and a name after a quote
  };
  // Flag bit of the candidate table: a word that is a cue without the model's score.
  static constexpr uint8_t kSureCue = 0x80;

 private:
  AttributionFinder() = default;
  // Reads the cue model's lines ("<hex feature hash>\t<weight>", '#' comments) into cue_weights_
  // and cue_bias_ (hash 0). DataLossError naming `name` and the line on a malformed line.
  absl::Status ParseCueModel(std::string_view tsv, std::string_view name);
  // Lower-cased word -> CueKind.
  absl::flat_hash_map<std::string, uint8_t> words_;
  // Lower-cased "head next" two-word cues ("pointed out", "called for") -> 1.
  absl::flat_hash_map<std::string, uint8_t> pairs_;
  // Lexicon phrases of three or more words, and of two words whose second word is no particle,
  // keyed by ner::HashLower of their first word: the lower-cased words after it ("made" ->
  // {"it", "clear"}; "put" -> {"it"}). A cue word followed by such a tail takes it into the cue.
  // Phrases whose tail opens with "in" or "on" ("said in a statement") are left out: PolNeAR puts
  // the occasion in the cue about as often as not.
  absl::flat_hash_map<uint64_t, std::vector<std::vector<std::string>>> tails_;
  // Lower-cased candidate word -> CueKind, for the cue model (every single word of the lexicon).
  absl::flat_hash_map<std::string, uint8_t> candidates_;
  // words_ and candidates_ keyed by ner::HashLower of the word (Find's per-token lookups; a
  // 64-bit FNV-1a hash, as the entity stage keys its word tables).
  ner::HashTable64<uint8_t> word_ids_;
  // A candidate word's kind (with kSureCue) and the sum of the cue model's weights that depend on
  // the word alone outside quotes (bias, templates 1, 11, 12, 13, 16), per sentence-start state.
  struct Candidate {
    uint8_t kind = 0;
    float word_score[2] = {0, 0};
  };
  ner::HashTable64<Candidate> candidate_ids_;
  // A two-bit Bloom filter of the candidates' hashes (64 Kbit = 8 KB): most words of a text are
  // no candidate, and the filter answers them without reading the larger candidate table.
  static constexpr int kCandidateFilterBits = 16;
  std::vector<uint64_t> candidate_filter_ = std::vector<uint64_t>(1u << (kCandidateFilterBits - 6));
  static uint32_t FilterBit(uint64_t h, int k) {
    return static_cast<uint32_t>((h * (k == 0 ? 0x9E3779B97F4A7C15ull : 0xC2B2AE3D27D4EB4Full)) >>
                                 (64 - kCandidateFilterBits));
  }
  // One bit (of 64 Kbit = 8 KB) per candidate's length and first, second and last bytes & 31.
  std::vector<uint64_t> candidate_shapes_ = std::vector<uint64_t>(1u << (16 - 6));
  static uint32_t WordShapeBit(std::string_view w) {  // w not empty
    const uint32_t key = static_cast<uint32_t>(w.size() & 0xFFF) << 15 |
                         (static_cast<uint32_t>(w[0]) & 31) << 10 |
                         (static_cast<uint32_t>(w[w.size() > 1 ? 1 : 0]) & 31) << 5 |
                         (static_cast<uint32_t>(w.back()) & 31);
    return (key * 0x9E3779B1u) >> 16;
  }
  // Fills Candidate::word_score and the dense shape-pair tables (after the candidates and the cue
  // model are read; CreateFromLexicon fills the candidate table and its Bloom filter).
  void PrecomputeCueScores();
  // The same for a token `i` of at most 24 bytes (kMaxWordBytes) whose ner::HashLower is `h` and
  // whose candidate entry is `cand`.
  float CandidateScore(std::string_view text, const Tokens& tokens, uint32_t i, uint64_t h,
                       const Candidate& cand) const;
  float cue_shape_pairs_[3][8][8] = {};  // templates 8 (-1, +1), 14 (-2, -1), 15 (+1, +2)
  // The cue model (data/attribution_cue_model.tsv; optional): feature hash -> weight.
  ner::HashTable64<float> cue_weights_;  // keys never 0 (CueFeatures), so none is remapped
  float cue_bias_ = 0;
  bool has_cue_model_ = false;
  float cue_threshold_ = 0;
  // The span model (data/attribution_span.model; optional).
  SpanModel span_model_;
  SpanModelUse span_use_ = SpanModelUse::kOff;
  uint32_t min_span_content_ = 2;
  float span_cue_threshold_ = 1.0f;
  bool span_requires_source_ = true;
  // Lower-cased single lexicon word -> CueLexiconByte.
  absl::flat_hash_map<std::string, uint8_t> lex_bytes_;
  std::unique_ptr<CueTaggerModel> cue_tagger_;
  CueSource cue_source_ = CueSource::kTagger;
  CueSpan cue_span_ = CueSpan::kRules;
  bool tagger_fallback_ = false;
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ATTRIBUTION_H_
