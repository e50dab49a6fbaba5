// The attribution span model: given a cue, labels the tokens of the cue's sentence as SOURCE,
// CONTENT or neither (O), so that a cue no hand-written pattern handles still yields an
// attribution ("Critics fear the plan will fail", "The report shows that ...").
//
//   "Officials fear the plan will fail."  cue "fear"
//   -> O? S S ... : source "Officials", content "the plan will fail"
//
// The tagger is a greedy left-to-right averaged perceptron over hashed features of each token:
// its side of the cue (left/right) and distance bucket, its word, shape and neighbours, the cue's
// word, the commas and quote marks between it and the cue, whether it or the cue is inside a
// quote, and the previous token's label. Each token's word and suffix are hashed once per article
// (SpanWordCache) and a feature key is its template's small integers and those word hashes
// combined by integer mixing: tagging a token builds no string and allocates nothing. It is trained
// on PolNeAR train (primary annotations) by tools/attribution_train_main.cc (--span) and ships as
// data/attribution_span.model.
//
// Model file layout (little-endian):
//   char[8]  magic "NPATTSPN"
//   uint32   format version (kSpanModelVersion)
//   uint32   labels per row (kNumSpanLabels)
//   uint32   number of rows N
//   N times: uint64 feature hash, float weights[kNumSpanLabels]
//   uint32   CRC32 (zlib) of every byte before it
// Rows are sorted by hash, each hash once, every weight finite.
// Errors from ParseSpanModel: InvalidArgument for a bad magic, another label count, a non-finite
// weight or hashes repeated or out of order, FailedPrecondition for another format version,
// DataLoss for a truncated file, trailing bytes or a CRC mismatch.
//
// Format version 2: the integer-mixed feature keys above (version 1 hashed feature strings; its
// files are rejected, the features having other keys).
//
// Complexity: Tag is linear in the window (features are computed per token with counts carried
// outward from the cue). Thread safety: a SpanModel is immutable after loading and may be shared
// by any number of threads; MakeSpanWindow, ComputeSpanBetween, SpanFeatures and ReadSpanRuns are
// pure functions, and SpanModel::Tag is const (its scratch is the caller's).
#ifndef NEWSPARSE_CORE_ATTRIBUTION_SPAN_H_
#define NEWSPARSE_CORE_ATTRIBUTION_SPAN_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ner_hash.h"
#include "core/tokenizer.h"

namespace newsparse {

enum SpanLabel : uint8_t { kSpanOther = 0, kSpanSource = 1, kSpanContent = 2 };
inline constexpr int kNumSpanLabels = 3;
inline constexpr uint32_t kSpanModelVersion = 2;
// Features of one token, the previous-label ones included.
inline constexpr int kMaxSpanFeatures = 24;
// Tokens labelled on either side of the cue at most (longer sentences are cut there).
inline constexpr uint32_t kMaxSpanReach = 80;

// Per-article cache of the word and suffix hashes of the span features, per token (0: not
// hashed yet), filled by ComputeSpanBetween for the tokens of the windows it sees. Reset(n) it
// for each new text (n = its token count); a cache whose size is not the text's token count is
// reset by ComputeSpanBetween.
struct SpanWordCache {
  std::vector<uint64_t> word, suffix;
  void Reset(size_t n) {
    word.assign(n, 0);
    suffix.assign(n, 0);
  }
};

// What the features of a window see. `quote_of` (per token of `tokens`: the index of the quote
// holding it, or -1) may be null (then nothing is inside a quote). The cue is the token range
// [cue_begin, cue_end] (inclusive); the window [begin, end) holds the cue. `cache` (may be null:
// then every window hashes its words anew) is the article's SpanWordCache.
struct SpanWindow {
  std::string_view text;
  const Tokens* tokens = nullptr;
  const int32_t* quote_of = nullptr;
  SpanWordCache* cache = nullptr;
  uint32_t cue_begin = 0, cue_end = 0;
  uint32_t begin = 0, end = 0;
};

// The window of the cue [cue_begin, cue_end]: its sentence, widened to the ends of a quote that
// crosses the sentence's edges, and cut at kMaxSpanReach tokens on either side of the cue.
// `quote_of` as in SpanWindow (may be null). Pure function.
SpanWindow MakeSpanWindow(std::string_view text, const Tokens& tokens, const int32_t* quote_of,
                          uint32_t cue_begin, uint32_t cue_end);

// What the features of a window's tokens read, filled by ComputeSpanBetween: per token of the
// window in order, the commas / dashes outside quotes (capped at 3) and quote marks (capped at
// 2) between it and the cue, its word and suffix hashes and shape classes; the cue's words.
// Reused from window to window (no allocation once grown).
struct SpanBetween {
  std::vector<uint8_t> commas;
  std::vector<uint8_t> quotes;
  std::vector<uint64_t> word;    // [0] "<s>", [1 + k] token k of the window, [len + 1] "</s>"
  std::vector<uint64_t> suffix;  // its last three bytes
  std::vector<uint8_t> shape, prev_shape;  // its shape class and the previous token's
  uint64_t cue_word = 0, after_cue = 0, before_cue = 0;
  bool cue_in_quote = false;
};
// Fills `out` for window `w`, reading and filling w.cache when it is set.
void ComputeSpanBetween(const SpanWindow& w, SpanBetween* out);

// The features of token `i` of the window (not a cue token) given the previous token's label.
// Writes at most kMaxSpanFeatures hashes to `out` and returns how many. Pure function; shared by
// the finder and the trainer.
int SpanFeatures(const SpanWindow& w, const SpanBetween& between, uint32_t i, uint8_t prev_label,
                 uint64_t* out);

class SpanModel {
 public:
  using Row = std::array<float, kNumSpanLabels>;
  SpanModel() = default;

  // Labels the window's tokens greedily, left to right: writes one SpanLabel per token of
  // [w.begin, w.end) to `labels` (resized); cue tokens get kSpanOther. `between` is scratch.
  // A frozen model (Freeze) reads the templates over small integers from dense tables of their
  // summed rows and looks up only the word features per token; an unfrozen one scores
  // SpanFeatures one by one (the same scores up to float rounding).
  void Tag(const SpanWindow& w, SpanBetween* between, std::vector<uint8_t>* labels) const;

  // The label scores of one feature vector (bias included).
  Row Score(const uint64_t* feats, int n) const;

  // Sets the weights of feature `hash` to `row`, replacing any earlier row of that hash (the
  // trainer's output; hash 0 is the bias).
  // Unfreezes the model until the next Freeze.
  void Set(uint64_t hash, const Row& row) {
    frozen_ = false;
    if (hash == 0) {
      bias_ = row;
      has_bias_ = true;
    } else {
      Row4& r = *weights_.Insert(hash);
      for (int l = 0; l < kNumSpanLabels; ++l) r.w[l] = row[l];
    }
  }
  size_t num_rows() const { return weights_.size() + (has_bias_ ? 1 : 0); }
  // Builds the dense tables Tag reads (ParseSpanModel and TrainSpanModel return frozen models).
  void Freeze();
  bool frozen() const { return frozen_; }
  // Room for `rows` rows without growing.
  void Reserve(size_t rows) { weights_.Reserve(rows); }

  // The model file image (layout above) and its parser.
  std::string Serialize() const;

 private:
  // Feature keys are well mixed and never 0, so an open-addressing table keyed by them directly
  // (at most half full: a miss, the common case, ends at the first or second slot).
  // A row padded to four floats (the slot's size is the same: 8 + 16 bytes), added as one vector.
  struct alignas(8) Row4 {
    float w[4] = {0, 0, 0, 0};
  };
  ner::HashTable64<Row4> weights_;
  Row bias_{};
  bool has_bias_ = false;
  // The summed rows of the small-integer templates (attribution_span.cc: IndexA/B/C/P; C holds
  // the bias), valid while frozen_.
  std::vector<Row4> dense_a_, dense_b_, dense_c_, dense_p_;
  // A Bloom filter of the row keys (bits key & mask and (key >> 32) & mask), valid while frozen_.
  std::vector<uint64_t> bloom_;
  uint64_t bloom_mask_ = 0;
  bool frozen_ = false;
};

// Training (tools/attribution_train_main.cc --span; tests). One window per gold attribution: the
// window of its cue (MakeSpanWindow) and the gold label of each window token. The text, tokens
// and quote table must outlive the call.
struct SpanTrainingWindow {
  SpanWindow window;
  std::vector<uint8_t> labels;  // one SpanLabel per token of [window.begin, window.end)
};
struct SpanTrainOptions {
  int epochs = 6;
  uint64_t seed = 12345;  // the order of the windows in each epoch
  double min_weight = 0;  // rows whose averaged weights are all below this are dropped
};
// A greedy averaged perceptron (the previous label is the predicted one, as when tagging).
// Deterministic for a seed. `token_errors`, when not null, receives the errors of each epoch.
SpanModel TrainSpanModel(const std::vector<SpanTrainingWindow>& windows,
                         const SpanTrainOptions& options,
                         std::vector<size_t>* token_errors = nullptr);

absl::StatusOr<SpanModel> ParseSpanModel(std::string_view bytes);
// Reads and parses a model file. NotFound when it cannot be opened.
absl::StatusOr<SpanModel> LoadSpanModel(const std::string& path);

// The source and content token runs read off the labels of window `w`: the source is the
// SOURCE run nearest the cue; the content, every CONTENT run of at least `min_content` tokens
// (in text order). Runs are inclusive token ranges; a missing source has begin > end.
struct SpanRuns {
  int64_t source_begin = 1, source_end = 0;
  std::vector<std::pair<uint32_t, uint32_t>> content;
};
void ReadSpanRuns(const SpanWindow& w, const std::vector<uint8_t>& labels, uint32_t min_content,
                  SpanRuns* out);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ATTRIBUTION_SPAN_H_
