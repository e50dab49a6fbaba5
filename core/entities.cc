#include "core/entities.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/ner_hash.h"
#include "core/status.h"

// Runtime CPU dispatch: the scoring code (17-label vector additions, weight-row ranks) is compiled
// twice, for baseline x86-64 (SSE2) and for x86-64-v3 (AVX2, BMI2, POPCNT: the rank's popcount
// becomes one instruction), and the dynamic loader picks one clone per process from the CPU it runs
// on (GCC target_clones, an ifunc). The clones compute the same integer sums. Not under
// ThreadSanitizer: its runtime is not yet initialised when the dynamic loader runs ifunc
// resolvers, and the program crashes before main (seen as a segfault at gtest discovery).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(NEWSPARSE_NO_CPU_DISPATCH) && !defined(__SANITIZE_THREAD__)
#define NEWSPARSE_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define NEWSPARSE_SIMD_CLONES
#endif

namespace newsparse {

using ner::kNumLabels;

void BilouToChunks(const uint8_t* labels, size_t n, uint32_t offset, std::vector<NerChunk>* out) {
  bool open = false;
  NerChunk cur;
  for (size_t i = 0; i < n; ++i) {
    const int l = labels[i];
    const int type = ner::LabelType(l);
    const int part = ner::LabelPart(l);
    if (open && (l == 0 || type != cur.type || part == ner::kPartB || part == ner::kPartU)) {
      out->push_back(cur);
      open = false;
    }
    if (l == 0) continue;
    if (!open) {
      cur.begin = offset + static_cast<uint32_t>(i);
      cur.type = type;
      open = true;
    }
    cur.end = offset + static_cast<uint32_t>(i) + 1;
    if (part == ner::kPartL || part == ner::kPartU) {
      out->push_back(cur);
      open = false;
    }
  }
  if (open) out->push_back(cur);
}

absl::StatusOr<std::unique_ptr<EntityTagger>> EntityTagger::FromParts(
    ner::NerModel model, std::unique_ptr<ner::ClusterTable> clusters,
    std::unique_ptr<ner::Gazetteer> gazetteer) {
  if (model.rows == 0 || model.nonzero.size() != (static_cast<size_t>(model.rows) + 63) / 64) {
    return absl::InvalidArgumentError("NER model bitmap does not match its header");
  }
  if (model.weights.size() != model.BuildRank() * kNumLabels) {
    return absl::InvalidArgumentError("NER model weights do not match its bitmap");
  }
  model.DropBitmap();  // Row() reads the bitmap words in `rank`
  if (model.features.clusters && clusters == nullptr) {
    return absl::FailedPreconditionError("the NER model needs a cluster table");
  }
  if (model.features.clusters && clusters->levels() != static_cast<int>(model.cluster_levels)) {
    return absl::FailedPreconditionError("cluster table levels differ from the NER model's");
  }
  if (model.features.gazetteer && gazetteer == nullptr) {
    return absl::FailedPreconditionError("the NER model needs a gazetteer");
  }
  std::unique_ptr<EntityTagger> t(new EntityTagger());
  model.clusters_blob = {};  // views into the loader's bytes: not kept
  model.gazetteer_blob = {};
  t->model_ = std::move(model);
  if (t->model_.features.clusters) t->clusters_ = std::move(clusters);
  if (t->model_.features.gazetteer) t->gazetteer_ = std::move(gazetteer);
  for (int p = -1; p < kNumLabels; ++p) t->allowed_[p + 1] = ner::AllowedMask(p);
  t->end_mask_ = ner::EndMask();
  for (int last = 0; last < 2; ++last) {
    for (int p = 0; p <= kNumLabels; ++p) {
      const uint32_t allowed = t->allowed_[p] & (last ? t->end_mask_ : ~0u);
      for (int l = 0; l < kNumLabels; ++l) {
        const bool on = (allowed >> l) & 1;
        t->keep_lane_[last][p][l] = on ? -1 : 0;
        t->fill_lane_[last][p][l] = on ? 0 : std::numeric_limits<int32_t>::min();
      }
    }
  }
  t->features_ = std::make_unique<ner::FeatureExtractor>(t->clusters_.get(), t->gazetteer_.get(),
                                                         t->model_.features);
  static std::atomic<uint64_t> next_id{1};
  t->id_ = next_id.fetch_add(1);
  t->BuildTables();
  t->beam_width_ = static_cast<int>(std::min(t->model_.beam, ner::kMaxNerModelBeam));
  t->beam_margin_ = static_cast<int64_t>(std::llround(kBeamMargin * t->model_.scale));
  return t;
}

absl::StatusOr<std::unique_ptr<EntityTagger>> EntityTagger::Load(std::string_view model_path,
                                                                 std::string_view data_dir) {
  std::string bytes;
  NEWSPARSE_ASSIGN_OR_RETURN(bytes, ner::ReadFileBytes(std::string(model_path)));
  return FromModelBytes(bytes, data_dir);
}

absl::StatusOr<std::unique_ptr<EntityTagger>> EntityTagger::FromModelBytes(
    std::string_view bytes, std::string_view data_dir) {
  ner::NerModel model;
  NEWSPARSE_ASSIGN_OR_RETURN(model, ner::ParseNerModel(bytes));
  // Images embedded in the model are used as they are; otherwise the TSV files in data_dir are
  // parsed and must be the ones the model was trained with.
  std::unique_ptr<ner::ClusterTable> clusters;
  std::unique_ptr<ner::Gazetteer> gazetteer;
  const std::string dir(data_dir);
  if (model.features.clusters && !model.clusters_blob.empty()) {
    ner::ClusterTable table;
    NEWSPARSE_ASSIGN_OR_RETURN(table, ner::ClusterTable::FromBlob(model.clusters_blob));
    clusters = std::make_unique<ner::ClusterTable>(std::move(table));
  } else if (model.features.clusters) {
    const std::string path = dir + "/ner_clusters.tsv";
    std::string content;
    NEWSPARSE_ASSIGN_OR_RETURN(content, ner::ReadFileBytes(path));
    if (ner::Crc32(content) != model.cluster_crc) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is not the cluster table the NER model was trained with"));
    }
    ner::ClusterTable table;
    NEWSPARSE_ASSIGN_OR_RETURN(table, ner::ClusterTable::Parse(content));
    clusters = std::make_unique<ner::ClusterTable>(std::move(table));
  }
  if (model.features.gazetteer && !model.gazetteer_blob.empty()) {
    ner::Gazetteer g;
    NEWSPARSE_ASSIGN_OR_RETURN(g, ner::Gazetteer::FromBlob(model.gazetteer_blob));
    gazetteer = std::make_unique<ner::Gazetteer>(std::move(g));
  } else if (model.features.gazetteer) {
    const std::string path = dir + "/ner_gazetteer.tsv";
    std::string content;
    NEWSPARSE_ASSIGN_OR_RETURN(content, ner::ReadFileBytes(path));
    if (ner::Crc32(content) != model.gazetteer_crc) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is not the gazetteer the NER model was trained with"));
    }
    ner::Gazetteer g;
    NEWSPARSE_ASSIGN_OR_RETURN(g, ner::Gazetteer::Parse(content));
    gazetteer = std::make_unique<ner::Gazetteer>(std::move(g));
  }
  return FromParts(std::move(model), std::move(clusters), std::move(gazetteer));
}

absl::Status EntityTagger::SetSettledWindow(std::string_view spec) {
  const std::vector<absl::string_view> parts = absl::StrSplit(ToAbsl(spec), ':');
  int before = 0, after = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &before) ||
      !absl::SimpleAtoi(parts[1], &after)) {
    return absl::InvalidArgumentError(
        absl::StrCat("settled window \"", ToAbsl(spec),
                     "\": want BEFORE:AFTER, two integers (-1:-1 scores every token)"));
  }
  set_settled_window(before, after);
  return absl::OkStatus();
}

// Always inlined: most calls add one to three rows, so the call (through the clones' ifunc) and
// its frame cost as much as the rows; inlined into a clone it takes the clone's instructions
// (POPCNT for the rank, AVX2 for the additions).
__attribute__((always_inline)) inline void EntityTagger::AddRows(const uint64_t* features, int n,
                                                                 int32_t* scores) const {
  const int16_t* rows[ner::kMaxStaticFeatures];
  int nr = 0;
  const ner::NerModel::RankWord* const rank = model_.rank.data();
  const int16_t* const weights = model_.weights.data();
  const uint32_t num_rows = model_.rows;
  for (int f = 0; f < n; ++f) {
    const int16_t* row = ner::NerModel::RowIn(rank, weights, ner::RowOf(features[f], num_rows));
    if (row == nullptr) continue;
    __builtin_prefetch(row);
    rows[nr++] = row;
  }
  for (int r = 0; r < nr; ++r) {
    for (int l = 0; l < kNumLabels; ++l) scores[l] += rows[r][l];
  }
}

namespace {

// Entries of the word cache (a power of two): at most 17 MB per NerScratch. On 2,000 reuters2006
// articles 32,768 entries cost 9 % fewer instructions per token than 8,192 (fewer words are
// scored anew after being evicted).
constexpr size_t kCacheSlots = 32768;
// No node of the beam's lattice (EntityTagger::BeamSentence): node indices are below it.
constexpr uint32_t kNoBeamNode = 0xffffffffu;
// History-word rows kept per token from the beam's pass 1 for its pass 2 (NerScratch::
// beam_history_): most tokens see at most two previous labels other than O.
constexpr size_t kBeamHistorySlots = 2;
// An empty slot's previous label (-1 is the sentence start's).
constexpr int8_t kNoBeamHistory = -2;
constexpr uint32_t kValid = 1u << 31;
// Entries of the shape-trigram cache (a power of two): 40 KB per NerScratch.
constexpr size_t kShape3Slots = 1024;

// Scratch buffers only grow: shrinking and growing again would value-initialise them anew.
template <typename T>
void GrowTo(std::vector<T>* v, size_t n) {
  if (v->size() < n) v->resize(n);
}

// dst and src never overlap (__restrict: the compiler vectorizes without an overlap check and
// scalar fallback).
// `src` is int32_t or int16_t (the word cache's narrow vectors, widened).
template <typename T>
inline void AddVec(int32_t* __restrict dst, const T* __restrict src) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] += src[l];
}

// dst += a + b, dst = a + b and dst = a + b + c over the labels (int32 vectors that do not
// overlap `dst`): one pass over dst instead of one per addend.
inline void AddVec2(int32_t* __restrict dst, const int32_t* __restrict a,
                    const int32_t* __restrict b) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] += a[l] + b[l];
}
inline void SumVec2(int32_t* __restrict dst, const int32_t* __restrict a,
                    const int32_t* __restrict b) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] = a[l] + b[l];
}
inline void SumVec3(int32_t* __restrict dst, const int32_t* __restrict a,
                    const int32_t* __restrict b, const int32_t* __restrict c) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] = a[l] + b[l] + c[l];
}

// The highest of the 17 lanes of `row` among those `keep` keeps (-1; the others read as `fill`'s
// INT32_MIN): EntityTagger::ChooseLabel's maximum, as two 8-lane vectors and lane 16.
inline int32_t MaxOfLanes(const int32_t* row, const int32_t* keep, const int32_t* fill) {
  static_assert(kNumLabels == 17, "MaxOfLanes covers 16 lanes and one more");
  typedef int32_t V8 __attribute__((vector_size(32)));
  V8 a, b, ka, kb, fa, fb;
  memcpy(&a, row, sizeof(a));
  memcpy(&b, row + 8, sizeof(b));
  memcpy(&ka, keep, sizeof(ka));
  memcpy(&kb, keep + 8, sizeof(kb));
  memcpy(&fa, fill, sizeof(fa));
  memcpy(&fb, fill + 8, sizeof(fb));
  a = (a & ka) | fa;
  b = (b & kb) | fb;
  V8 m = a > b ? a : b;
  V8 t = __builtin_shufflevector(m, m, 4, 5, 6, 7, 0, 1, 2, 3);
  m = m > t ? m : t;
  t = __builtin_shufflevector(m, m, 2, 3, 0, 1, 6, 7, 4, 5);
  m = m > t ? m : t;
  t = __builtin_shufflevector(m, m, 1, 0, 3, 2, 5, 4, 7, 6);
  m = m > t ? m : t;
  return std::max(m[0], (row[16] & keep[16]) | fill[16]);
}

// Bit l set where row[l] >= need, for the 17 lanes: the two 8-lane comparisons select each lane's
// bit, ORed together by three shuffles.
inline uint32_t LanesAtLeast(const int32_t* row, int32_t need) {
  typedef int32_t V8 __attribute__((vector_size(32)));
  const V8 lo_bits = {1, 2, 4, 8, 16, 32, 64, 128};
  const V8 hi_bits = {256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
  const V8 nv = {need, need, need, need, need, need, need, need};
  V8 a, b;
  memcpy(&a, row, sizeof(a));
  memcpy(&b, row + 8, sizeof(b));
  V8 m = ((a >= nv) & lo_bits) | ((b >= nv) & hi_bits);
  V8 t = __builtin_shufflevector(m, m, 4, 5, 6, 7, 0, 1, 2, 3);
  m |= t;
  t = __builtin_shufflevector(m, m, 2, 3, 0, 1, 6, 7, 4, 5);
  m |= t;
  t = __builtin_shufflevector(m, m, 1, 0, 3, 2, 5, 4, 7, 6);
  m |= t;
  return static_cast<uint32_t>(m[0]) | (static_cast<uint32_t>(row[16] >= need) << 16);
}

// Labels O the run of settled tokens of a sentence (of len tokens) that starts at token i
// (scored[i] == 0) and ends before the next scored token or at the sentence's end; updates the
// two previous labels as those O labels do (after the first, O follows O) and returns the index
// of the run's last token.
// Eight tokens a step while eight remain in the sentence: their marks read as one word (the first
// scored token is its lowest non-zero byte, little-endian) and eight labels written O at once;
// those past the run's end are written again when the loop reaches them (labels are written in
// token order and not read ahead).
inline size_t LabelSettledRun(const uint8_t* scored, size_t i, size_t len, uint8_t* labels,
                              int* prev1, int* prev2) {
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the run scan reads bytes as a word");
  size_t j = i;
  while (j + 8 <= len) {
    uint64_t marks;
    memcpy(&marks, scored + j, sizeof(marks));
    memset(labels + j, 0, 8);
    if (marks != 0) {
      j += static_cast<size_t>(__builtin_ctzll(marks)) / 8;
      break;
    }
    j += 8;
  }
  if (j + 8 > len) {
    while (j < len && !scored[j]) labels[j++] = 0;
  }
  *prev2 = j - i >= 2 ? 0 : *prev1;
  *prev1 = 0;
  return j - 1;
}

template <typename T>
inline void CopyVec(int32_t* __restrict dst, const T* __restrict src) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] = src[l];
}

// Whether every lane of `v` is within int16's range (the word cache's narrow vectors).
// v + 32768 is below 2^16 (as uint32) exactly for v in [-32768, 32767]: one add, shift and or
// per lane, which GCC vectorizes (the two comparisons per lane it left scalar).
inline bool FitsInt16(const int32_t* v) {
  uint32_t out = 0;
  for (int l = 0; l < kNumLabels; ++l) out |= (static_cast<uint32_t>(v[l]) + 0x8000u) >> 16;
  return out == 0;
}

// dst = src, where FitsInt16(src).
inline void NarrowVec(int16_t* __restrict dst, const int32_t* __restrict src) {
  for (int l = 0; l < kNumLabels; ++l) dst[l] = static_cast<int16_t>(src[l]);
}

// Entries of the wide cache and of the wide pair cache (a power of two): 32 KB and 12 KB per
// NerScratch.
constexpr size_t kWideSlots = 64;

// The word cache slot of token t (its keys from FeatureExtractor::ComputeTokenKeys): a hash of
// the word, its gazetteer mask and its context flags. `mask` = slots - 1.
// WordSlotOf takes the entry's keys (`context` with kValid).
inline size_t WordSlotOf(uint64_t word, uint64_t gaz, uint32_t context, size_t mask) {
  const uint64_t key = word ^ ner::Mix64(gaz + context);
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}
inline size_t WordSlot(const ner::TokenInfo& t, size_t mask) {
  return WordSlotOf(t.word, t.gaz, ner::FeatureExtractor::WordContext(t) | kValid, mask);
}

// The pair cache slot of adjacent words a, b (TokenInfo::word of each). `mask` = slots - 1.
inline size_t PairSlot(uint64_t a, uint64_t b, size_t mask) {
  const uint64_t key = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL);
  return static_cast<size_t>(key >> 40) & mask;
}

// Grows the direct-mapped `cache` to `slots` entries (a power of two, at least its size) keeping
// its entries: `slot_of(entry, i, mask)` is the slot of the entry at i (i for an empty one)
// under the new mask, whose low bits are the old mask's, so an entry at i stays or moves to i plus
// a multiple of the old size, into the part just added (all empty), and no two entries meet.
template <typename T, typename SlotOf>
void GrowKeeping(ner::LargeArray<T>* cache, size_t slots, SlotOf slot_of) {
  const size_t old = cache->size();
  cache->Grow(slots);
  T* const e = cache->data();
  for (size_t i = 0; i < old; ++i) {
    const size_t to = slot_of(e[i], i, slots - 1);
    if (to != i) {
      e[to] = e[i];
      e[i] = T();
    }
  }
}

// Tokens ahead whose cache entries StaticScores prefetches: the entries are read at random from
// megabytes of cache, so each lookup would otherwise wait for memory; a few tokens' work hides
// most of that wait.
constexpr size_t kPrefetchAhead = 4;

// Asks the CPU to load the `bytes` (a multiple of 64) at `p`, 64-byte aligned, into its caches.
inline void PrefetchLines(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t o = 0; o < bytes; o += 64) __builtin_prefetch(c + o);
}

}  // namespace

void EntityTagger::BuildTables() {
  uint64_t f[ner::kMaxStaticFeatures];
  history_table_.assign(kLabelPairs * kNumLabels, 0);
  right_table_.assign(kLabelPairs * kNumLabels, 0);
  for (int a = -1; a < kNumLabels; ++a) {
    for (int b = -1; b < kNumLabels; ++b) {
      const size_t k = static_cast<size_t>((a + 1) * (kNumLabels + 1) + b + 1) * kNumLabels;
      AddRows(f, ner::FeatureExtractor::HistoryLabelFeatures(a, b, f), &history_table_[k]);
      AddRows(f, ner::FeatureExtractor::RightLabelFeatures(a, b, f), &right_table_[k]);
    }
  }
  cap_table_.assign(512 * kNumLabels, 0);
  for (uint64_t v = 0; v < 512; ++v) {
    f[0] = ner::Feat(ner::kTplCapPattern, v);
    AddRows(f, 1, &cap_table_[v * kNumLabels]);
  }
  static constexpr int kOffsets[4] = {-2, -1, 1, 2};
  for (int k = 0; k < 4; ++k) {
    std::fill(boundary_[k], boundary_[k] + kNumLabels, 0);
    AddRows(f, features_->NeighbourFeatures(nullptr, kOffsets[k], f), boundary_[k]);
  }
  doc_lead_table_.assign(kDocLeads * kNumLabels, 0);
  doc_has_last_table_.assign(kDocHasLast * kNumLabels, 0);
  if (!model_.features.document) return;
  for (int ctx = 0; ctx < 4; ++ctx) {
    f[0] = ner::FeatureExtractor::DocLeadFeature(true, ctx, 0);
    AddRows(f, 1, &doc_lead_table_[ctx * kNumLabels]);
  }
  for (int best = 0; best <= ner::kNumTypes; ++best) {
    f[0] = ner::FeatureExtractor::DocLeadFeature(false, 0, best);
    AddRows(f, 1, &doc_lead_table_[(4 + best) * kNumLabels]);
  }
  for (uint32_t has = 0; has < (1u << (ner::kNumTypes + 1)); ++has) {
    for (int last = -1; last <= ner::kNumTypes; ++last) {
      AddRows(f, ner::FeatureExtractor::DocHasLastFeatures(has, last, f),
              &doc_has_last_table_[(has * kDocLasts + last + 1) * kNumLabels]);
    }
  }
}

// Finds the cache entry of token `t` (its keys from FeatureExtractor::ComputeTokenKeys; `slot` =
// WordSlot(t, word cache size - 1), which the caller may have hashed already) and
// completes `t` from it; on a miss FillWord completes `t` from `word` and fills the entry. The hit
// path is always inlined (a small leaf in the scoring loops); the miss path is a call.
__attribute__((always_inline)) inline const ner::WordEntry& EntityTagger::LookupWord(
    std::string_view word, ner::TokenInfo* tp, NerScratch* s, size_t slot) const {
  ner::TokenInfo& t = *tp;
  const uint32_t context = ner::FeatureExtractor::WordContext(t) | kValid;
  ner::WordEntry& e = s->word_cache_[slot];
  if (__builtin_expect(e.context == context && e.word == t.word && e.gaz == t.gaz, 1)) {
    t.shape = e.shape;
    for (int l = 0; l < ner::kMaxClusterLevels; ++l) t.cls[l] = e.cls[l];
    t.case_ratio = e.case_ratio;
    if (e.has_cluster) t.flags |= ner::kNerHasCluster;
    return e;
  }
  FillWord(word, tp, s, &e);
  return e;
}

// LookupWord's miss: completes `t` from `word` and fills the cache entry `e` (its slot).
NEWSPARSE_SIMD_CLONES __attribute__((noinline)) void EntityTagger::FillWord(
    std::string_view word, ner::TokenInfo* tp, NerScratch* s, ner::WordEntry* ep) const {
  ner::TokenInfo& t = *tp;
  ner::WordEntry& e = *ep;
  const uint32_t context = ner::FeatureExtractor::WordContext(t) | kValid;
  features_->CompleteTokenInfo(word, &t);
  e.shape = t.shape;
  for (int l = 0; l < ner::kMaxClusterLevels; ++l) e.cls[l] = t.cls[l];
  e.case_ratio = t.case_ratio;
  e.has_cluster = (t.flags & ner::kNerHasCluster) != 0;
  e.word = t.word;
  e.gaz = t.gaz;
  e.context = context;
  ner::WideWordEntry w;
  WordVectors(t, &w);
  CopyVec(e.self, w.self);
  e.wide = !FitsInt16(w.nb[0]) || !FitsInt16(w.nb[1]) || !FitsInt16(w.nb[2]) ||
           !FitsInt16(w.nb[3]) || !FitsInt16(w.hist_o) || !FitsInt16(w.next_o);
  if (!e.wide) {
    for (int k = 0; k < 4; ++k) NarrowVec(e.nb[k], w.nb[k]);
    NarrowVec(e.hist_o, w.hist_o);
    NarrowVec(e.next_o, w.next_o);
  } else {
    ++s->wide_words_;
    w.word = t.word;
    w.gaz = t.gaz;
    w.context = context;
    s->wide_cache_[WordSlot(t, s->wide_cache_.size() - 1)] = w;
  }
}

// The summed scores of the word-local features of token `t` (complete): its own, those it gives
// its neighbours, and the history / right-context ones after and before an O.
// All seven vectors' features are hashed first and all their rows found (and prefetched) before
// any is added: the rows are read at random from megabytes of weights, and so their loads overlap.
NEWSPARSE_SIMD_CLONES void EntityTagger::WordVectors(const ner::TokenInfo& t,
                                                     ner::WideWordEntry* w) const {
  constexpr int kGroups = 7;  // self, the four neighbours, hist_o, next_o
  uint64_t f[kGroups * ner::kMaxStaticFeatures];
  int end[kGroups];  // where each group's features end in f (each group writes at most
                     // kMaxStaticFeatures, so each has room)
  int k = features_->WordFeatures(t, f);
  end[0] = k;
  static constexpr int kOffsets[4] = {-2, -1, 1, 2};
  for (int o = 0; o < 4; ++o) {
    k += features_->NeighbourFeatures(&t, kOffsets[o], f + k);
    end[1 + o] = k;
  }
  k += ner::FeatureExtractor::HistoryWordFeatures(t, 0, f + k);
  end[5] = k;
  k += ner::FeatureExtractor::RightWordFeatures(t, 0, f + k);
  end[6] = k;
  const int16_t* rows[kGroups * ner::kMaxStaticFeatures];
  int row_end[kGroups];
  int nr = 0;
  const ner::NerModel::RankWord* const rank = model_.rank.data();
  const int16_t* const weights = model_.weights.data();
  const uint32_t num_rows = model_.rows;
  int i = 0;
  for (int g = 0; g < kGroups; ++g) {
    for (; i < end[g]; ++i) {
      const int16_t* row = ner::NerModel::RowIn(rank, weights, ner::RowOf(f[i], num_rows));
      if (row == nullptr) continue;
      __builtin_prefetch(row);
      rows[nr++] = row;
    }
    row_end[g] = nr;
  }
  int32_t* const out[kGroups] = {w->self,  w->nb[0],  w->nb[1], w->nb[2],
                                 w->nb[3], w->hist_o, w->next_o};
  int r = 0;
  for (int g = 0; g < kGroups; ++g) {
    int32_t* const scores = out[g];
    std::fill(scores, scores + kNumLabels, 0);
    for (; r < row_end[g]; ++r) {
      for (int l = 0; l < kNumLabels; ++l) scores[l] += rows[r][l];
    }
  }
}

// The exact vectors of a `wide` word (`word`, token `t` as LookupWord left it): from the wide
// cache, else computed again (a later wide word may have taken the slot; a word cache hit leaves
// `t` without the fields only the features need, so they are completed on a copy).
const ner::WideWordEntry& EntityTagger::WideVectors(std::string_view word, const ner::TokenInfo& t,
                                                    NerScratch* s) const {
  const uint32_t context = ner::FeatureExtractor::WordContext(t) | kValid;
  ner::WideWordEntry& w = s->wide_cache_[WordSlot(t, s->wide_cache_.size() - 1)];
  if (w.context == context && w.word == t.word && w.gaz == t.gaz) return w;
  ner::TokenInfo full = t;
  features_->CompleteTokenInfo(word, &full);
  WordVectors(full, &w);
  w.word = t.word;
  w.gaz = t.gaz;
  w.context = context;
  return w;
}

// The summed scores of the conjunction features of adjacent tokens a, b (complete), exact.
NEWSPARSE_SIMD_CLONES void EntityTagger::PairVectors(const ner::TokenInfo& a,
                                                     const ner::TokenInfo& b,
                                                     ner::WidePairEntry* w) const {
  uint64_t f[8];
  std::fill(w->to_left, w->to_left + kNumLabels, 0);
  AddRows(f, ner::FeatureExtractor::PairWithNext(a, &b, f), w->to_left);
  std::fill(w->to_right, w->to_right + kNumLabels, 0);
  AddRows(f, features_->PairWithPrevious(&a, b, f), w->to_right);
}

// The pair cache's entry of adjacent tokens a, b (completed TokenInfo; `slot` = PairSlot(a.word,
// b.word, pair cache size - 1)), filled on a miss. A
// `wide` entry's vectors are not to be read: WidePair gives them.
inline const ner::PairEntry& EntityTagger::LookupPair(const ner::TokenInfo& a,
                                                      const ner::TokenInfo& b, NerScratch* s,
                                                      size_t slot) const {
  ner::PairEntry& e = s->pair_cache_[slot];
  if (e.valid && e.left == a.word && e.right == b.word) return e;
  ner::WidePairEntry w;
  PairVectors(a, b, &w);
  e.left = a.word;
  e.right = b.word;
  e.valid = true;
  e.wide = !FitsInt16(w.to_left) || !FitsInt16(w.to_right);
  ++s->pairs_filled_;
  if (!e.wide) {
    NarrowVec(e.to_left, w.to_left);
    NarrowVec(e.to_right, w.to_right);
  } else {
    ++s->wide_pairs_;
    w.left = a.word;
    w.right = b.word;
    w.valid = true;
    s->wide_pair_cache_[PairSlot(a.word, b.word, s->wide_pair_cache_.size() - 1)] = w;
  }
  return e;
}

// The exact vectors of a `wide` pair a, b: from the wide pair cache, else computed again (a later
// wide pair may have taken the slot).
const ner::WidePairEntry& EntityTagger::WidePair(const ner::TokenInfo& a, const ner::TokenInfo& b,
                                                 NerScratch* s) const {
  ner::WidePairEntry& w =
      s->wide_pair_cache_[PairSlot(a.word, b.word, s->wide_pair_cache_.size() - 1)];
  if (w.valid && w.left == a.word && w.right == b.word) return w;
  PairVectors(a, b, &w);
  w.left = a.word;
  w.right = b.word;
  w.valid = true;
  return w;
}

// Adds the pair a, b's conjunction scores (from the pair cache, or exact for a wide pair): when
// `to_left`, those of a to `left`; when `to_right`, those of b to `right`.
__attribute__((always_inline)) inline void EntityTagger::AddPair(
    const ner::TokenInfo& a, const ner::TokenInfo& b, NerScratch* s, size_t slot, bool to_left,
    int32_t* left, bool to_right, int32_t* right) const {
  const ner::PairEntry& p = LookupPair(a, b, s, slot);
  if (__builtin_expect(!p.wide, 1)) {
    if (to_left) AddVec(left, p.to_left);
    if (to_right) AddVec(right, p.to_right);
  } else {
    const ner::WidePairEntry& w = WidePair(a, b, s);
    if (to_left) AddVec(left, w.to_left);
    if (to_right) AddVec(right, w.to_right);
  }
}

// The static (label-independent) scores of one sentence: each word's cached vectors are added
// to the token itself and, as a neighbour, to the tokens up to two positions away; then the
// conjunction features and the capitalisation pattern of each token.
// `need` (per token: its scores are wanted) nullptr = every token's; the rows of the other
// tokens are left as they were, and the words no wanted token sees (none within two positions)
// are not looked up.
NEWSPARSE_SIMD_CLONES void EntityTagger::StaticScores(const std::string_view* words,
                                                      ner::TokenInfo* info, size_t len,
                                                      const uint8_t* need, NerScratch* s,
                                                      int32_t* st, int32_t* hist_o,
                                                      int32_t* next_o) const {
  if (need != nullptr) {
    StaticScoresOf(words, info, len, need, s, st, hist_o, next_o);
    return;
  }
  // A token's vector is first written (copied, so nothing needs clearing) by the word two
  // positions before it, the first two tokens' by the first word.
  const ner::WordEntry* const word_cache = s->word_cache_.data();
  const size_t word_mask = s->word_cache_.size() - 1;
  for (size_t i = 0; i < len && i < kPrefetchAhead; ++i) {
    PrefetchLines(&word_cache[WordSlot(info[i], word_mask)], sizeof(ner::WordEntry));
  }
  for (size_t i = 0; i < len; ++i) {
    if (i + kPrefetchAhead < len) {
      PrefetchLines(&word_cache[WordSlot(info[i + kPrefetchAhead], word_mask)],
                    sizeof(ner::WordEntry));
    }
    const ner::WordEntry& e = LookupWord(words[i], &info[i], s, WordSlot(info[i], word_mask));
    int32_t* row = st + i * kNumLabels;
    // v: the entry (int16 vectors) or, for a wide word, its exact int32 vectors.
    auto add = [&](const auto& v) __attribute__((always_inline)) {
      if (i == 0) {
        CopyVec(row, v.self);
        if (len > 1) CopyVec(row + kNumLabels, v.nb[1]);
      } else {
        AddVec(row, v.self);
        AddVec(row - kNumLabels, v.nb[2]);
        if (i >= 2) AddVec(row - 2 * kNumLabels, v.nb[3]);
        if (i + 1 < len) AddVec(row + kNumLabels, v.nb[1]);
      }
      if (i + 2 < len) CopyVec(row + 2 * kNumLabels, v.nb[0]);
      CopyVec(hist_o + i * kNumLabels, v.hist_o);
      CopyVec(next_o + i * kNumLabels, v.next_o);
    };
    if (__builtin_expect(!e.wide, 1)) {
      add(e);
    } else {
      add(WideVectors(words[i], info[i], s));
    }
  }
  // Missing neighbours at the sentence's ends.
  AddVec(st, boundary_[1]);
  AddVec(st, boundary_[0]);
  if (len >= 2) AddVec(st + kNumLabels, boundary_[0]);
  AddVec(st + (len - 1) * kNumLabels, boundary_[2]);
  AddVec(st + (len - 1) * kNumLabels, boundary_[3]);
  if (len >= 2) AddVec(st + (len - 2) * kNumLabels, boundary_[3]);
  uint64_t f[ner::kMaxStaticFeatures];
  AddRows(f, features_->PairWithPrevious(nullptr, info[0], f), st);
  AddRows(f, ner::FeatureExtractor::PairWithNext(info[len - 1], nullptr, f),
          st + (len - 1) * kNumLabels);
  const ner::PairEntry* const pair_cache = s->pair_cache_.data();
  const size_t pair_mask = s->pair_cache_.size() - 1;
  for (size_t i = 0; i + 1 < len && i < kPrefetchAhead; ++i) {
    PrefetchLines(&pair_cache[PairSlot(info[i].word, info[i + 1].word, pair_mask)],
                  sizeof(ner::PairEntry));
  }
  for (size_t i = 0; i + 1 < len; ++i) {
    if (i + 1 + kPrefetchAhead < len) {
      PrefetchLines(&pair_cache[PairSlot(info[i + kPrefetchAhead].word,
                                         info[i + 1 + kPrefetchAhead].word, pair_mask)],
                    sizeof(ner::PairEntry));
    }
    AddPair(info[i], info[i + 1], s, PairSlot(info[i].word, info[i + 1].word, pair_mask), true,
            st + i * kNumLabels, true, st + (i + 1) * kNumLabels);
  }
  for (size_t i = 0; i < len; ++i) AddCapAndShape3(info, len, i, s, st + i * kNumLabels);
}

// Adds the capitalisation pattern's and the shape trigram's scores of token i of a sentence
// (info complete on i - 1 .. i + 1) to `row`. Always inlined: called per token from the
// vectorized clones, where GCC's size limits would otherwise make it an SSE2 call.
__attribute__((always_inline)) inline void EntityTagger::AddCapAndShape3(const ner::TokenInfo* info,
                                                                         size_t len, size_t i,
                                                                         NerScratch* s,
                                                                         int32_t* row) const {
  AddVec(row, &cap_table_[ner::FeatureExtractor::CapPattern(info, len, i) * kNumLabels]);
  // The shape trigram's row, from the cache (shapes repeat: a few hundred trigrams cover most
  // tokens), else hashed and looked up.
  const uint64_t a = i >= 1 ? info[i - 1].shape : 0, b = info[i].shape;
  const uint64_t c = i + 1 < len ? info[i + 1].shape : 0;
  const uint32_t tag = 4u | (i == 0 ? 1u : 0u) | (i + 1 == len ? 2u : 0u);
  const uint64_t key = (a * 0x9E3779B97F4A7C15ULL) ^ (b * 0xC2B2AE3D27D4EB4FULL) ^ c ^ tag;
  ner::Shape3Entry& e = s->shape3_cache_[(key ^ (key >> 29)) & (s->shape3_cache_.size() - 1)];
  if (e.tag != tag || e.shapes[0] != a || e.shapes[1] != b || e.shapes[2] != c) {
    e.shapes[0] = a;
    e.shapes[1] = b;
    e.shapes[2] = c;
    e.tag = tag;
    e.row = model_.Row(ner::RowOf(ner::FeatureExtractor::Shape3Feature(info, len, i), model_.rows));
  }
  if (e.row != nullptr) {
    for (int l = 0; l < kNumLabels; ++l) row[l] += e.row[l];
  }
}

// Adds to row i (of a sentence of len tokens) the scores of its missing neighbours and of its
// conjunctions with the sentence's ends. Always inlined: the callers are clones, and an
// out-of-line copy would be a baseline-ISA function (with its AddRows inlined: popcount in
// software).
__attribute__((always_inline)) inline void EntityTagger::AddBoundaries(const ner::TokenInfo* info,
                                                                       size_t len, size_t i,
                                                                       int32_t* row) const {
  if (i < 1) AddVec(row, boundary_[1]);
  if (i < 2) AddVec(row, boundary_[0]);
  if (i + 1 >= len) AddVec(row, boundary_[2]);
  if (i + 2 >= len) AddVec(row, boundary_[3]);
  uint64_t f[8];
  if (i == 0) AddRows(f, features_->PairWithPrevious(nullptr, info[0], f), row);
  if (i + 1 == len) AddRows(f, ner::FeatureExtractor::PairWithNext(info[i], nullptr, f), row);
}

// StaticScores for the tokens with need[i] != 0 only: their rows are cleared, then every word
// within two positions of one of them adds its cached vectors to the wanted rows.
NEWSPARSE_SIMD_CLONES void EntityTagger::StaticScoresOf(const std::string_view* words,
                                                        ner::TokenInfo* info, size_t len,
                                                        const uint8_t* need, NerScratch* s,
                                                        int32_t* st, int32_t* hist_o,
                                                        int32_t* next_o) const {
  for (size_t i = 0; i < len; ++i) {
    if (need[i]) std::fill(st + i * kNumLabels, st + (i + 1) * kNumLabels, 0);
  }
  // looked[j]: a token within two positions of j is wanted (one pass of ORs, vectorized inside).
  uint8_t* looked = s->looked_.data();
  auto window = [&](size_t j) {
    uint8_t v = 0;
    for (size_t k = j >= 2 ? j - 2 : 0; k <= j + 2 && k < len; ++k) v |= need[k];
    return v;
  };
  if (len <= 4) {
    for (size_t j = 0; j < len; ++j) looked[j] = window(j);
  } else {
    looked[0] = window(0);
    looked[1] = window(1);
    for (size_t j = 2; j + 2 < len; ++j) {
      looked[j] = need[j - 2] | need[j - 1] | need[j] | need[j + 1] | need[j + 2];
    }
    looked[len - 2] = window(len - 2);
    looked[len - 1] = window(len - 1);
  }
  const ner::WordEntry* const word_cache = s->word_cache_.data();
  const size_t word_mask = s->word_cache_.size() - 1;
  uint32_t* const word_slots = s->word_slots_.data();
  for (size_t i = 0; i < len && i < kPrefetchAhead; ++i) {
    if (!looked[i]) continue;
    word_slots[i] = static_cast<uint32_t>(WordSlot(info[i], word_mask));
    PrefetchLines(&word_cache[word_slots[i]], sizeof(ner::WordEntry));
  }
  for (size_t i = 0; i < len; ++i) {
    const size_t a = i + kPrefetchAhead;
    if (a < len && looked[a]) {
      word_slots[a] = static_cast<uint32_t>(WordSlot(info[a], word_mask));
      PrefetchLines(&word_cache[word_slots[a]], sizeof(ner::WordEntry));
    }
    if (!looked[i]) continue;
    const ner::WordEntry& e = LookupWord(words[i], &info[i], s, word_slots[i]);
    int32_t* row = st + i * kNumLabels;
    auto add = [&](const auto& v) __attribute__((always_inline)) {
      if (need[i]) {
        AddVec(row, v.self);
        CopyVec(hist_o + i * kNumLabels, v.hist_o);
        CopyVec(next_o + i * kNumLabels, v.next_o);
      }
      if (i >= 2 && need[i - 2]) AddVec(row - 2 * kNumLabels, v.nb[3]);
      if (i >= 1 && need[i - 1]) AddVec(row - kNumLabels, v.nb[2]);
      if (i + 1 < len && need[i + 1]) AddVec(row + kNumLabels, v.nb[1]);
      if (i + 2 < len && need[i + 2]) AddVec(row + 2 * kNumLabels, v.nb[0]);
    };
    if (__builtin_expect(!e.wide, 1)) {
      add(e);
    } else {
      add(WideVectors(words[i], info[i], s));
    }
  }
  for (size_t i = 0; i < len && i < 2; ++i) {
    if (need[i]) AddBoundaries(info, len, i, st + i * kNumLabels);
  }
  for (size_t i = len >= 2 ? std::max<size_t>(len - 2, 2) : 2; i < len; ++i) {
    if (need[i]) AddBoundaries(info, len, i, st + i * kNumLabels);
  }
  const ner::PairEntry* const pair_cache = s->pair_cache_.data();
  const size_t pair_mask = s->pair_cache_.size() - 1;
  uint32_t* const pair_slots = s->pair_slots_.data();
  for (size_t i = 0; i + 1 < len && i < kPrefetchAhead; ++i) {
    if (!need[i] && !need[i + 1]) continue;
    pair_slots[i] = static_cast<uint32_t>(PairSlot(info[i].word, info[i + 1].word, pair_mask));
  }
  for (size_t i = 0; i + 1 < len; ++i) {
    const size_t a = i + kPrefetchAhead;
    if (a + 1 < len && (need[a] || need[a + 1])) {
      pair_slots[a] = static_cast<uint32_t>(PairSlot(info[a].word, info[a + 1].word, pair_mask));
      PrefetchLines(&pair_cache[pair_slots[a]], sizeof(ner::PairEntry));
    }
    if (!need[i] && !need[i + 1]) continue;
    AddPair(info[i], info[i + 1], s, pair_slots[i], need[i], st + i * kNumLabels, need[i + 1],
            st + (i + 1) * kNumLabels);
  }
  for (size_t i = 0; i < len; ++i) {
    if (need[i]) AddCapAndShape3(info, len, i, s, st + i * kNumLabels);
  }
}

// The static scores of token i of a sentence that StaticScoresOf left out (a settled token whose
// label must be chosen after all), written to `row`, and its hist_o / next_o vectors. A settled
// token is neither capitalised nor DocKeyed, so no kind or context-aggregation score joins them.
NEWSPARSE_SIMD_CLONES void EntityTagger::ScoreSettled(const std::string_view* words,
                                                      ner::TokenInfo* info, size_t len, size_t i,
                                                      NerScratch* s, int32_t* row, int32_t* hist_o,
                                                      int32_t* next_o) const {
  std::fill(row, row + kNumLabels, 0);
  // Each entry is used at once: a later lookup may evict it.
  for (size_t j = i >= 2 ? i - 2 : 0; j <= i + 2 && j < len; ++j) {
    const ner::WordEntry& e =
        LookupWord(words[j], &info[j], s, WordSlot(info[j], s->word_cache_.size() - 1));
    auto add = [&](const auto& v) __attribute__((always_inline)) {
      if (j + 2 == i) AddVec(row, v.nb[0]);
      if (j + 1 == i) AddVec(row, v.nb[1]);
      if (j == i + 1) AddVec(row, v.nb[2]);
      if (j == i + 2) AddVec(row, v.nb[3]);
      if (j == i) {
        AddVec(row, v.self);
        CopyVec(hist_o, v.hist_o);
        CopyVec(next_o, v.next_o);
      }
    };
    if (__builtin_expect(!e.wide, 1)) {
      add(e);
    } else {
      add(WideVectors(words[j], info[j], s));
    }
  }
  AddBoundaries(info, len, i, row);
  const size_t pair_mask = s->pair_cache_.size() - 1;
  if (i >= 1) {
    AddPair(info[i - 1], info[i], s, PairSlot(info[i - 1].word, info[i].word, pair_mask), false,
            row, true, row);
  }
  if (i + 1 < len) {
    AddPair(info[i], info[i + 1], s, PairSlot(info[i].word, info[i + 1].word, pair_mask), true, row,
            false, row);
  }
  AddCapAndShape3(info, len, i, s, row);
}

// Adds the history features of token `t` after labels prev1, prev2 (-1 = none) to `scores`;
// `hist_o` holds the token's HistoryWordFeatures scores after an O.
inline void EntityTagger::AddHistory(const ner::TokenInfo& t, int prev1, int prev2,
                                     const int32_t* hist_o, int32_t* scores) const {
  constexpr int kPairs = kNumLabels + 1;
  const int32_t* table = &history_table_[((prev1 + 1) * kPairs + prev2 + 1) * kNumLabels];
  if (prev1 == 0) {
    AddVec2(scores, table, hist_o);
  } else {
    AddVec(scores, table);
    uint64_t f[8];
    AddRows(f, ner::FeatureExtractor::HistoryWordFeatures(t, prev1, f), scores);
  }
}

inline int EntityTagger::ChooseLabel(const int32_t* scores, int prev, bool last) const {
  // The first allowed label with the highest score (0 when none is allowed): the maximum over the
  // allowed lanes (the others read as INT32_MIN), then the first allowed lane that holds it. The
  // maximum of lanes 0-15 is taken in two 8-lane vectors (GCC vector types: one AVX2 register each
  // in the x86-64-v3 clone) reduced by three shuffles, lane 16 apart; the loop form it replaces
  // was vectorized 4 lanes at a time with a longer reduction.
  const int32_t* keep = keep_lane_[last ? 1 : 0][prev + 1];
  const int32_t* fill = fill_lane_[last ? 1 : 0][prev + 1];
  const int32_t best = MaxOfLanes(scores, keep, fill);
  for (uint32_t allowed = allowed_[prev + 1] & (last ? end_mask_ : ~0u); allowed != 0;
       allowed &= allowed - 1) {
    const int l = __builtin_ctz(allowed);
    if (scores[l] == best) return l;
  }
  return 0;
}

NEWSPARSE_SIMD_CLONES absl::Status EntityTagger::TagLabels(const NerInput& doc,
                                                           NerScratch* s) const {
  const size_t n = doc.words.size();
  if (!doc.spans.empty() && doc.spans.size() != n) {
    return absl::InvalidArgumentError("NerInput.spans must be empty or one per word");
  }
  if (n > 0xffffffffu) return absl::InvalidArgumentError("document too large");
  // Sentence ends.
  s->sentence_ends_.clear();
  for (size_t k = 0; k < doc.sentence_starts.size(); ++k) {
    const uint32_t b = doc.sentence_starts[k];
    if ((k == 0 && b != 0) || (k > 0 && b <= doc.sentence_starts[k - 1]) || b >= n) {
      return absl::InvalidArgumentError("NerInput.sentence_starts must ascend from 0 within words");
    }
    if (k > 0) s->sentence_ends_.push_back(b);
  }
  s->sentence_ends_.push_back(static_cast<uint32_t>(n));
  s->labels_.resize(n);
  s->pass1_.resize(n);
  s->scored_.resize(n);
  if (n == 0) return absl::OkStatus();
  GrowTo(&s->info_, n);
  GrowTo(&s->hashes_, 2 * n);
  GrowTo(&s->static_scores_, n * kNumLabels);
  GrowTo(&s->hist_o_, n * kNumLabels);
  GrowTo(&s->next_o_, n * kNumLabels);
  GrowTo(&s->looked_, n);
  GrowTo(&s->word_slots_, n);
  GrowTo(&s->pair_slots_, n);

  // The cache grows with the number of tokens the scratch has tagged (up to kCacheSlots), so
  // that a scratch used for one short document does not clear megabytes. It grows in place,
  // keeping its entries (one mapping reserved for kCacheSlots, its pages taken as written).
  if (s->cache_owner_ != id_) s->tokens_seen_ = 0;
  s->tokens_seen_ += n;
  size_t slots = 256;
  while (slots < 2 * s->tokens_seen_ && slots < kCacheSlots) slots <<= 1;
  if (s->cache_owner_ != id_) {
    s->word_cache_.Reset(slots, kCacheSlots);
    s->shape3_cache_.Reset(kShape3Slots);
    s->pair_cache_.Reset(slots, kCacheSlots);
    s->wide_cache_.Reset(kWideSlots);
    s->wide_words_ = 0;
    s->wide_pair_cache_.Reset(kWideSlots);
    s->pairs_filled_ = 0;
    s->wide_pairs_ = 0;
    s->cache_owner_ = id_;
  } else if (s->word_cache_.size() < slots) {
    GrowKeeping(&s->word_cache_, slots, [](const ner::WordEntry& e, size_t i, size_t mask) {
      return e.context == 0 ? i : WordSlotOf(e.word, e.gaz, e.context, mask);
    });
    GrowKeeping(&s->pair_cache_, slots, [](const ner::PairEntry& e, size_t i, size_t mask) {
      return e.valid ? PairSlot(e.left, e.right, mask) : i;
    });
  }

  uint64_t dyn[ner::kMaxDynamicFeatures];
  static_assert(ner::FeatureExtractor::kMaxKindFeatures <= ner::kMaxDynamicFeatures);
  int32_t scores[kNumLabels];
  constexpr int kPairs = kNumLabels + 1;
  // Static scores of every sentence (local features).
  uint32_t b = 0;
  for (uint32_t e : s->sentence_ends_) {
    const size_t len = e - b;
    ner::TokenInfo* info = &s->info_[b];
    features_->ComputeTokenKeys(&doc.words[b], len, info, s->hashes_.data());
    // The settled marks, then flipped in place into the tokens to score.
    uint8_t* need = &s->scored_[b];
    ner::FeatureExtractor::SettledTokens(info, len, settled_before_, settled_after_, need);
    // Eight marks (0 or 1) a step as one word, then the rest one by one.
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
      uint64_t marks;
      memcpy(&marks, need + i, sizeof(marks));
      any |= marks;
      marks ^= 0x0101010101010101ULL;
      memcpy(need + i, &marks, sizeof(marks));
    }
    for (; i < len; ++i) {
      any |= need[i];
      need[i] ^= 1;
    }
    StaticScores(&doc.words[b], info, len, any ? need : nullptr, s,
                 &s->static_scores_[b * kNumLabels], &s->hist_o_[b * kNumLabels],
                 &s->next_o_[b * kNumLabels]);
    b = e;
  }
  if (model_.features.kinds) {
    // Line and document kinds: their features join the static scores of capitalised tokens.
    const size_t ns = s->sentence_ends_.size();
    GrowTo(&s->kinds_, ns);
    ner::FeatureExtractor::LineKinds(doc.words.data(), s->info_.data(), n, s->sentence_ends_.data(),
                                     ns, s->kinds_.data());
    b = 0;
    for (size_t k = 0; k < ns; ++k) {
      const uint32_t e = s->sentence_ends_[k];
      if (s->kinds_[k] != 0) {
        for (uint32_t t = b; t < e; ++t) {
          AddRows(dyn, features_->KindFeatures(s->info_[t], s->kinds_[k], dyn),
                  &s->static_scores_[t * kNumLabels]);
        }
      }
      b = e;
    }
  }
  if (model_.features.cap_runs) {
    // Capitalised runs: their features join the static scores of the run's tokens.
    static_assert(ner::FeatureExtractor::kMaxRunFeatures <= ner::kMaxDynamicFeatures);
    b = 0;
    for (uint32_t e : s->sentence_ends_) {
      const ner::TokenInfo* info = &s->info_[b];
      for (uint32_t t = b; t < e; ++t) {
        if (!ner::FeatureExtractor::MayStartOrJoinRun(info, e - b, t - b)) continue;
        const int k = features_->RunFeatures(&doc.words[b], info, e - b, t - b, dyn);
        if (k > 0) AddRows(dyn, k, &s->static_scores_[t * kNumLabels]);
      }
      b = e;
    }
  }
  const bool doc_table = model_.features.document || model_.features.context;
  size_t doc_words = 0;  // distinct DocKeyed words of the document (ids 0..doc_words - 1)
  size_t keyed = 0;      // DocKeyed tokens (s->keyed_tokens_[0..keyed))
  if (doc_table) {
    // Document table: capitalised words keyed by their lower-cased hash, numbered in order of
    // their first mention; word_of_token_ holds each DocKeyed token's number.
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    if (s->table_keys_.size() < cap) {
      s->table_keys_.assign(cap, 0);
      s->table_gen_.assign(cap, 0);
      s->table_word_.resize(cap);
      s->gen_ = 0;
    }
    cap = s->table_keys_.size();
    if (++s->gen_ == 0) {
      std::fill(s->table_gen_.begin(), s->table_gen_.end(), 0);
      s->gen_ = 1;
    }
    const uint32_t gen = s->gen_;
    GrowTo(&s->word_of_token_, n);
    GrowTo(&s->keyed_tokens_, n);
    for (size_t t = 0; t < n; ++t) {
      const ner::TokenInfo& ti = s->info_[t];
      if (!ner::FeatureExtractor::DocKeyed(ti)) {
        s->word_of_token_[t] = 0xffffffffu;
        continue;
      }
      size_t slot = ner::Mix64(ti.lower) & (cap - 1);
      while (s->table_gen_[slot] == gen && s->table_keys_[slot] != ti.lower) {
        slot = (slot + 1) & (cap - 1);
      }
      if (s->table_gen_[slot] != gen) {
        s->table_gen_[slot] = gen;
        s->table_keys_[slot] = ti.lower;
        s->table_word_[slot] = static_cast<uint32_t>(doc_words++);
      }
      s->word_of_token_[t] = s->table_word_[slot];
      s->keyed_tokens_[keyed++] = static_cast<uint32_t>(t);
    }
    s->table_vals_.assign(doc_words, ner::DocWordStats());
    if (model_.features.context) {
      // Context aggregation: one summed score vector per word, added to each of its mentions.
      ner::FeatureExtractor::GroupedContextAggregation(
          s->info_.data(), n, s->sentence_ends_.data(), s->sentence_ends_.size(),
          s->word_of_token_.data(), doc_words, &s->context_offsets_, &s->context_features_);
      s->context_scores_.assign(doc_words * kNumLabels, 0);
      const size_t* off = s->context_offsets_.data();
      const uint64_t* features = s->context_features_.data();
      for (size_t g = 0; g < doc_words; ++g) {
        // A word has at most kMaxContextFeatures features; add them in chunks of the buffer.
        for (size_t k = off[g]; k < off[g + 1]; k += ner::kMaxStaticFeatures) {
          const size_t m = std::min<size_t>(ner::kMaxStaticFeatures, off[g + 1] - k);
          AddRows(features + k, static_cast<int>(m), &s->context_scores_[g * kNumLabels]);
        }
      }
      for (size_t k = 0; k < keyed; ++k) {
        const uint32_t t = s->keyed_tokens_[k];
        AddVec(&s->static_scores_[t * kNumLabels],
               &s->context_scores_[s->word_of_token_[t] * kNumLabels]);
      }
    }
  }
  if (beam_width_ > 0) {
    if (static_cast<uint64_t>(n) * static_cast<uint64_t>(beam_width_) >= kNoBeamNode) {
      return absl::InvalidArgumentError("document too large for the beam's lattice");
    }
    DecodeBeam(doc, s, keyed);
    return absl::OkStatus();
  }
  // Pass 1: static scores + history features, greedy decoding. A settled token is O where O
  // may follow the label before it, else scored now.
  b = 0;
  for (uint32_t e : s->sentence_ends_) {
    const size_t len = e - b;
    ner::TokenInfo* info = &s->info_[b];
    int prev1 = -1, prev2 = -1;
    for (size_t i = 0; i < len; ++i) {
      const size_t t = b + i;
      int32_t* st = &s->static_scores_[t * kNumLabels];
      if (!s->scored_[t]) {
        if (allowed_[prev1 + 1] & 1u) {
          i = LabelSettledRun(&s->scored_[b], i, len, &s->pass1_[b], &prev1, &prev2);
          continue;
        }
        ScoreSettled(&doc.words[b], info, len, i, s, st, &s->hist_o_[t * kNumLabels],
                     &s->next_o_[t * kNumLabels]);
        s->scored_[t] = 1;
      }
      AddHistory(info[i], prev1, prev2, &s->hist_o_[t * kNumLabels], st);
      // st now holds the pass-1 scores, which pass 2 starts from.
      const int label = ChooseLabel(st, prev1, i + 1 == len);
      s->pass1_[t] = static_cast<uint8_t>(label);
      prev2 = prev1;
      prev1 = label;
    }
    b = e;
  }
  if (!model_.features.document) {
    memcpy(s->labels_.data(), s->pass1_.data(), n);
    return absl::OkStatus();
  }
  for (size_t k = 0; k < keyed; ++k) {
    const uint32_t t = s->keyed_tokens_[k];
    s->table_vals_[s->word_of_token_[t]].pass1[ner::LabelType(s->pass1_[t]) + 1]++;
  }
  // Pass 2: cached local scores + document features; settled tokens as in pass 1.
  b = 0;
  for (uint32_t e : s->sentence_ends_) {
    const size_t len = e - b;
    int prev1 = -1, prev2 = -1;
    for (size_t i = 0; i < len; ++i) {
      const size_t t = b + i;
      if (!s->scored_[t] && (allowed_[prev1 + 1] & 1u)) {
        // None is DocKeyed (a settled token has no capital): the document table does not change.
        i = LabelSettledRun(&s->scored_[b], i, len, &s->labels_[b], &prev1, &prev2);
        continue;
      }
      const ner::TokenInfo& ti = s->info_[t];
      const int p1prev1 = i >= 1 ? s->pass1_[t - 1] : -1;
      const int p1prev2 = i >= 2 ? s->pass1_[t - 2] : -1;
      if (!s->scored_[t]) {
        // Scored now, with the history of the pass-1 labels as the other tokens' pass-1 scores.
        int32_t* st = &s->static_scores_[t * kNumLabels];
        ScoreSettled(&doc.words[b], &s->info_[b], len, i, s, st, &s->hist_o_[t * kNumLabels],
                     &s->next_o_[t * kNumLabels]);
        AddHistory(ti, p1prev1, p1prev2, &s->hist_o_[t * kNumLabels], st);
        s->scored_[t] = 1;
      }
      // scores = the pass-1 scores + the right context of the pass-1 labels (its table row, and
      // before an O the token's next_o vector, else its feature).
      int nd = 0;
      const int next1 = i + 1 < len ? s->pass1_[t + 1] : -1;
      const int next2 = i + 2 < len ? s->pass1_[t + 2] : -1;
      const int32_t* right = &right_table_[((next1 + 1) * kPairs + next2 + 1) * kNumLabels];
      if (next1 == 0) {
        SumVec3(scores, &s->static_scores_[t * kNumLabels], right, &s->next_o_[t * kNumLabels]);
      } else {
        SumVec2(scores, &s->static_scores_[t * kNumLabels], right);
        nd += ner::FeatureExtractor::RightWordFeatures(ti, next1, dyn + nd);
      }
      // The pass-1 scores hold the history of the pass-1 labels; when pass 2 chose other labels
      // before this token, that history is swapped for the one of pass 2's labels.
      if (prev1 != p1prev1 || prev2 != p1prev2) {
        int32_t old_history[kNumLabels] = {};
        AddHistory(ti, p1prev1, p1prev2, &s->hist_o_[t * kNumLabels], old_history);
        for (int l = 0; l < kNumLabels; ++l) scores[l] -= old_history[l];
        AddHistory(ti, prev1, prev2, &s->hist_o_[t * kNumLabels], scores);
      }
      const uint32_t g = s->word_of_token_[t];
      if (g != 0xffffffffu) {
        ner::DocWordStats others = s->table_vals_[g];
        others.pass1[ner::LabelType(s->pass1_[t]) + 1]--;
        // DocFeatures(ti, others) (a token with a word number is DocKeyed) from the document
        // tables, but for the one with the word's shape.
        int total = 0, best = 0;
        uint32_t has = 0;
        ner::FeatureExtractor::DocSummary(others, &total, &best, &has);
        const int ctx = ner::FeatureExtractor::DocContext(ti);
        AddVec2(scores, &doc_lead_table_[(total == 0 ? ctx : 4 + best) * kNumLabels],
                &doc_has_last_table_[(has * kDocLasts + others.last_pass2 + 1) * kNumLabels]);
        if (total != 0) dyn[nd++] = ner::FeatureExtractor::DocShapeFeature(best, ctx, ti.shape);
      }
      if (nd > 0) AddRows(dyn, nd, scores);
      const int label = ChooseLabel(scores, prev1, i + 1 == len);
      s->labels_[t] = static_cast<uint8_t>(label);
      if (g != 0xffffffffu) {
        s->table_vals_[g].last_pass2 = static_cast<int8_t>(ner::LabelType(label) + 1);
      }
      prev2 = prev1;
      prev1 = label;
    }
    b = e;
  }
  return absl::OkStatus();
}

namespace {
// One hypothesis of the beam: its path score (int64: a sentence's sum of int32 scores), its
// last node in the lattice and its two previous labels (-1 = none).
struct BeamHyp {
  int64_t score;
  uint32_t node;
  int8_t prev1;
  int8_t prev2;
};

}  // namespace

absl::Status EntityTagger::SetBeamWidth(int k) {
  if (k < 0 || k > kMaxBeam) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam width ", k, " out of range 0..", kMaxBeam, " (0 = greedy)"));
  }
  beam_width_ = k;
  return absl::OkStatus();
}

// Beam search over the sentence [b, e) of the document (see SetBeamWidth). Pass 1 (pass2 false)
// writes s->pass1_, pass 2 s->labels_ and then the document table's last pass-2 types.
NEWSPARSE_SIMD_CLONES void EntityTagger::BeamSentence(const NerInput& doc, NerScratch* s,
                                                      uint32_t b, uint32_t e, bool pass2) const {
  constexpr int kPairs = kNumLabels + 1;
  const size_t len = e - b;
  const size_t k = static_cast<size_t>(beam_width_);
  GrowTo(&s->beam_parent_, len * k);
  GrowTo(&s->beam_label_, len * k);
  uint32_t* const parent = s->beam_parent_.data();
  uint8_t* const node_label = s->beam_label_.data();
  ner::TokenInfo* const info = &s->info_[b];
  // The document's arrays as pointers: the lattice's byte stores would make the compiler load a
  // vector's data pointer again after each.
  uint8_t* const scored = s->scored_.data();
  const uint8_t* const pass1 = s->pass1_.data();
  int32_t* const static_scores = s->static_scores_.data();
  int32_t* const hist_o_all = s->hist_o_.data();
  int32_t* const next_o = s->next_o_.data();
  const uint32_t* const word_of_token = s->word_of_token_.data();
  int8_t* const history_label = s->beam_history_label_.data();
  int32_t* const history_rows = s->beam_history_.data();
  // The hypotheses and their extensions: two buffers that swap after each token.
  BeamHyp hyp_a[kMaxBeam], hyp_b[kMaxBeam];
  BeamHyp* hyps = hyp_a;
  BeamHyp* next = hyp_b;
  uint32_t from[kMaxBeam];             // per kept extension: its hypothesis
  int32_t rows[kMaxBeam][kNumLabels];  // per hypothesis: its scores of the token's labels
  uint32_t allowed_of[kMaxBeam];       // per hypothesis: the labels it may take here
  int32_t base[kNumLabels];
  int32_t word_history[kNumLabels + 1][kNumLabels];  // by previous label + 1 (one token's)
  const int32_t* word_history_of[kNumLabels + 1];    // the row in use, by previous label + 1
  uint64_t dyn[ner::kMaxDynamicFeatures];
  size_t nh = 1;
  hyps[0] = BeamHyp{0, kNoBeamNode, -1, -1};
  const uint32_t sentence_key = static_cast<uint32_t>(std::upper_bound(s->sentence_ends_.begin(),
                                                                       s->sentence_ends_.end(), b) -
                                                      s->sentence_ends_.begin()) +
                                1;
  for (size_t i = 0; i < len; ++i) {
    const size_t t = b + i;
    const bool last = i + 1 == len;
    uint32_t* const node_parent = parent + i * k;
    uint8_t* const labels_here = node_label + i * k;
    const bool settled = !scored[t];
    if (settled && nh == 1 && hyps[0].prev1 == 0 && hyps[0].prev2 == 0) {
      // One hypothesis, (O, O): the run of settled tokens from here takes O as it stands.
      uint32_t node = hyps[0].node;
      for (; i < len && !scored[b + i]; ++i) {
        parent[i * k] = node;
        node_label[i * k] = 0;
        node = static_cast<uint32_t>(i * k);
      }
      hyps[0].node = node;
      --i;
      continue;
    }
    if (settled && (allowed_[hyps[0].prev1 + 1] & 1u)) {
      // O may follow the best hypothesis: the hypotheses that O may follow take it without
      // scores, the others (inside an entity) end here; those that now share their two labels
      // keep the first (the best).
      size_t m = 0;
      for (size_t h = 0; h < nh; ++h) {
        if ((allowed_[hyps[h].prev1 + 1] & 1u) == 0) continue;
        bool dup = false;
        for (size_t j = 0; j < m && !dup; ++j) dup = next[j].prev2 == hyps[h].prev1;
        if (dup) continue;
        node_parent[m] = hyps[h].node;
        labels_here[m] = 0;
        next[m] = BeamHyp{hyps[h].score, static_cast<uint32_t>(i * k + m), 0, hyps[h].prev1};
        ++m;
      }
      nh = m;
      std::swap(hyps, next);
      continue;
    }
    int32_t* const st = &static_scores[t * kNumLabels];
    const int32_t* const hist_o = &hist_o_all[t * kNumLabels];
    if (settled) {
      ScoreSettled(&doc.words[b], info, len, i, s, st, &hist_o_all[t * kNumLabels],
                   &next_o[t * kNumLabels]);
      scored[t] = 1;
    }
    // The scores that do not depend on the hypothesis.
    uint32_t g = 0xffffffffu;
    int last_type = -1;  // the document table's last pass-2 type of the token's word
    uint32_t has = 0;
    size_t prev_mention = kNoBeamNode;  // the previous mention of the word in this sentence
    const int32_t* scores = base;       // the token's scores that do not depend on the hypothesis
    if (!pass2) {
      scores = st;
    } else {
      int nd = 0;
      const int next1 = i + 1 < len ? pass1[t + 1] : -1;
      const int next2 = i + 2 < len ? pass1[t + 2] : -1;
      const int32_t* right = &right_table_[((next1 + 1) * kPairs + next2 + 1) * kNumLabels];
      if (next1 == 0) {
        SumVec3(base, st, right, &next_o[t * kNumLabels]);
      } else {
        SumVec2(base, st, right);
        nd += ner::FeatureExtractor::RightWordFeatures(info[i], next1, dyn + nd);
      }
      g = word_of_token[t];
      if (g != 0xffffffffu) {
        ner::DocWordStats others = s->table_vals_[g];
        others.pass1[ner::LabelType(pass1[t]) + 1]--;
        int total = 0, best = 0;
        ner::FeatureExtractor::DocSummary(others, &total, &best, &has);
        const int ctx = ner::FeatureExtractor::DocContext(info[i]);
        last_type = others.last_pass2;
        AddVec2(base, &doc_lead_table_[(total == 0 ? ctx : 4 + best) * kNumLabels],
                &doc_has_last_table_[(has * kDocLasts + last_type + 1) * kNumLabels]);
        if (total != 0)
          dyn[nd++] = ner::FeatureExtractor::DocShapeFeature(best, ctx, info[i].shape);
        if (s->word_sentence_[g] == sentence_key && i - s->word_last_[g] <= kMaxBeamDocWalk) {
          prev_mention = s->word_last_[g];
        }
        s->word_sentence_[g] = sentence_key;
        s->word_last_[g] = static_cast<uint32_t>(i);
      }
      if (nd > 0) AddRows(dyn, nd, base);
    }
    // The k best extensions, best first (ties: the better hypothesis, then the lower label,
    // i.e. the order they are made in), at most one per pair of last two labels (recombination:
    // the better one of two that share them stays), none more than the margin behind the best
    // one. First each hypothesis's scores and the best extension's score; then only the
    // extensions within the margin of it are made, in the same order, kept by insertion. An
    // extension below the margin can neither stay nor push out nor replace one that stays (those
    // it beats are below the margin too), so the kept ones are those of making every extension.
    uint32_t have_word_history = 0;  // bit prev1 + 1: word_history[prev1 + 1] is filled
    uint32_t seen_prev1 = 0;         // bit prev1 + 1: a hypothesis with that label before
    uint32_t shared = 0;             // bit h: hypothesis h has the label before of an earlier one
    int64_t best = std::numeric_limits<int64_t>::min();
    for (size_t h = 0; h < nh; ++h) {
      const BeamHyp& hy = hyps[h];
      int32_t* const row = rows[h];
      // AddHistory, with the word's history features summed once per previous label.
      const int32_t* table = &history_table_[((hy.prev1 + 1) * kPairs + hy.prev2 + 1) * kNumLabels];
      if (hy.prev1 == 0) {
        SumVec3(row, scores, table, hist_o);
      } else {
        const int p = hy.prev1 + 1;
        if (((have_word_history >> p) & 1) == 0) {
          have_word_history |= 1u << p;
          // The token's cached row for this label, else made (into a free slot if one is left).
          int8_t* const slot_label = &history_label[t * kBeamHistorySlots];
          int32_t* const slot_rows = &history_rows[t * kBeamHistorySlots * kNumLabels];
          const int32_t* found = nullptr;
          int32_t* wh = word_history[p];
          for (size_t j = 0; j < kBeamHistorySlots; ++j) {
            if (slot_label[j] == hy.prev1) {
              found = slot_rows + j * kNumLabels;
              break;
            }
            if (slot_label[j] == kNoBeamHistory) {
              slot_label[j] = hy.prev1;
              wh = slot_rows + j * kNumLabels;
              break;
            }
          }
          if (found == nullptr) {
            std::fill(wh, wh + kNumLabels, 0);
            uint64_t f[8];
            AddRows(f, ner::FeatureExtractor::HistoryWordFeatures(info[i], hy.prev1, f), wh);
            found = wh;
          }
          word_history_of[p] = found;
        }
        SumVec3(row, scores, table, word_history_of[p]);
      }
      if (prev_mention != kNoBeamNode) {
        // The type this hypothesis gave the previous mention of the word, in place of the
        // table's.
        uint32_t node = hy.node;
        for (size_t j = i - 1; j > prev_mention; --j) node = parent[node];
        const int mine = ner::LabelType(node_label[node]) + 1;
        if (mine != last_type) {
          const int32_t* was = &doc_has_last_table_[(has * kDocLasts + last_type + 1) * kNumLabels];
          const int32_t* now = &doc_has_last_table_[(has * kDocLasts + mine + 1) * kNumLabels];
          for (int l = 0; l < kNumLabels; ++l) row[l] += now[l] - was[l];
        }
      }
      // Only a hypothesis with the label before of an earlier one can make an extension that
      // shares its two labels with a kept one.
      shared |= static_cast<uint32_t>((seen_prev1 >> (hy.prev1 + 1)) & 1) << h;
      seen_prev1 |= 1u << (hy.prev1 + 1);
      uint32_t allowed = allowed_[hy.prev1 + 1] & (last ? end_mask_ : ~0u);
      int32_t top;
      if (settled && (allowed & 1u)) {  // settled: O where O may follow
        allowed = 1u;
        top = row[0];
      } else {
        top = MaxOfLanes(row, keep_lane_[last ? 1 : 0][hy.prev1 + 1],
                         fill_lane_[last ? 1 : 0][hy.prev1 + 1]);
      }
      allowed_of[h] = allowed;
      if (allowed != 0) best = std::max(best, hy.score + top);
    }
    const int64_t floor = best - beam_margin_;
    size_t m = 0;
    for (size_t h = 0; h < nh; ++h) {
      const BeamHyp& hy = hyps[h];
      const int32_t* const row = rows[h];
      // The extensions of this hypothesis within the margin: row[l] >= floor - score.
      const int64_t need = floor - hy.score;
      if (need > std::numeric_limits<int32_t>::max()) continue;
      uint32_t allowed = allowed_of[h];
      if (need > std::numeric_limits<int32_t>::min()) {
        allowed &= LanesAtLeast(row, static_cast<int32_t>(need));
      }
      const bool shared_prev1 = (shared >> h) & 1;
      for (; allowed != 0; allowed &= allowed - 1) {
        const int l = __builtin_ctz(allowed);
        const int64_t score = hy.score + row[l];
        if (m == k && score <= next[m - 1].score) continue;
        size_t at = m;  // an extension with the same two labels already kept
        if (shared_prev1) {
          for (size_t j = 0; j < m; ++j) {
            if (next[j].prev1 == l && next[j].prev2 == hy.prev1) at = j;
          }
        }
        if (at < m) {
          if (score <= next[at].score) continue;
          for (size_t j = at; j + 1 < m; ++j) {
            next[j] = next[j + 1];
            from[j] = from[j + 1];
          }
          --m;
        }
        size_t pos = m < k ? m : k - 1;
        while (pos > 0 && next[pos - 1].score < score) {
          next[pos] = next[pos - 1];
          from[pos] = from[pos - 1];
          --pos;
        }
        next[pos] = BeamHyp{score, 0, static_cast<int8_t>(l), hy.prev1};
        from[pos] = static_cast<uint32_t>(h);
        if (m < k) ++m;
      }
    }
    if (m == 0) {  // unreachable (some label may always follow): O, as ChooseLabel
      next[0] = BeamHyp{hyps[0].score, 0, 0, hyps[0].prev1};
      from[0] = 0;
      m = 1;
    }
    for (size_t j = 0; j < m; ++j) {
      node_parent[j] = hyps[from[j]].node;
      labels_here[j] = static_cast<uint8_t>(next[j].prev1);
      next[j].node = static_cast<uint32_t>(i * k + j);
    }
    nh = m;
    std::swap(hyps, next);
  }
  // The best complete sequence (the hypotheses are sorted best first).
  uint8_t* const out = pass2 ? &s->labels_[b] : &s->pass1_[b];
  uint32_t node = hyps[0].node;
  for (size_t i = len; i-- > 0;) {
    out[i] = node_label[node];
    node = parent[node];
  }
  if (pass2) {
    for (size_t i = 0; i < len; ++i) {
      const uint32_t w = word_of_token[b + i];
      if (w != 0xffffffffu) {
        s->table_vals_[w].last_pass2 = static_cast<int8_t>(ner::LabelType(out[i]) + 1);
      }
    }
  }
}

// Both passes with beam search (TagLabels after the static scores and the document table).
void EntityTagger::DecodeBeam(const NerInput& doc, NerScratch* s, size_t keyed) const {
  const size_t n = doc.words.size();
  GrowTo(&s->beam_history_, n * kBeamHistorySlots * kNumLabels);
  GrowTo(&s->beam_history_label_, n * kBeamHistorySlots);
  std::fill(s->beam_history_label_.begin(), s->beam_history_label_.begin() + n * kBeamHistorySlots,
            kNoBeamHistory);
  uint32_t b = 0;
  for (uint32_t e : s->sentence_ends_) {
    BeamSentence(doc, s, b, e, false);
    b = e;
  }
  if (!model_.features.document) {
    memcpy(s->labels_.data(), s->pass1_.data(), n);
    return;
  }
  for (size_t k = 0; k < keyed; ++k) {
    const uint32_t t = s->keyed_tokens_[k];
    s->table_vals_[s->word_of_token_[t]].pass1[ner::LabelType(s->pass1_[t]) + 1]++;
  }
  const size_t words = s->table_vals_.size();
  GrowTo(&s->word_last_, words);
  GrowTo(&s->word_sentence_, words);
  std::fill(s->word_sentence_.begin(), s->word_sentence_.begin() + words, 0);
  b = 0;
  for (uint32_t e : s->sentence_ends_) {
    BeamSentence(doc, s, b, e, true);
    b = e;
  }
}

absl::Status EntityTagger::TagDocument(const NerInput& doc, NerScratch* scratch,
                                       std::vector<Mention>* out) const {
  if (doc.spans.size() != doc.words.size()) {
    return absl::InvalidArgumentError("TagDocument needs one span per word");
  }
  NEWSPARSE_RETURN_IF_ERROR(TagLabels(doc, scratch));
  // Decode per sentence so that no mention crosses a sentence boundary.
  std::vector<NerChunk>& chunks = scratch->chunks_;
  chunks.clear();
  uint32_t b = 0;
  for (uint32_t e : scratch->sentence_ends_) {
    if (e > doc.words.size()) break;
    BilouToChunks(scratch->labels_.data() + b, e - b, b, &chunks);
    b = e;
  }
  for (const NerChunk& c : chunks) {
    Mention m;
    m.span = Span{doc.spans[c.begin].begin, doc.spans[c.end - 1].end};
    m.type = static_cast<EntityType>(c.type);
    out->push_back(m);
  }
  return absl::OkStatus();
}

}  // namespace newsparse
