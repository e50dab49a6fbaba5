#include "core/ner_train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/ner_corpus.h"
#include "core/ner_hash.h"
#include "core/status.h"

namespace newsparse {
namespace {

using ner::kNumLabels;
using ner::kNumTypes;

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Splits "B-PER" into ('B', type index); 'O' -> ('O', -1).
void SplitTag(const std::string& tag, char* prefix, int* type) {
  if (tag.size() < 3 || tag[1] != '-') {
    *prefix = 'O';
    *type = -1;
    return;
  }
  *prefix = tag[0];
  *type = ner::TypeFromName(std::string_view(tag).substr(2));
  if (*type < 0) *prefix = 'O';
}

struct TrainDoc {
  std::vector<std::string> words;
  std::vector<uint32_t> sentence_ends;
  std::vector<uint8_t> gold;  // BILOU labels
  std::vector<ner::TokenInfo> info;
  std::vector<uint32_t> feat_begin;  // per token, into rows (size n + 1)
  std::vector<uint32_t> rows;        // static feature rows
  std::vector<uint8_t> groups;       // per row: NerBagGroup bits and kRareGroup (same size)
  std::vector<uint8_t> jack;         // first-pass labels from a model that did not see the doc
};

// A group bit of TrainDoc::groups beside NerBagGroup: a feature under the count cutoff.
constexpr uint8_t kRareGroup = 1 << 2;

// How one perceptron learns (NerTrainOptions): the feature groups it never scores nor updates,
// word dropout and the margin.
struct LearnOptions {
  uint8_t mask = 0;          // TrainDoc::groups bits left out
  double dropout = 0;        // word dropout probability on capitalised tokens
  uint64_t mixture_key = 0;  // the dropout hash's key for this perceptron (seed, mixture)
  float margin = 0;
  int beam = 0;                // 0: greedy with the gold history; k >= 1: beam search (RunDocBeam)
  bool max_violation = false;  // beam: max-violation update, else early update
};

// Whether word dropout leaves out the own-word features of token t of document d in the epoch
// whose key is `epoch_key` (the same in both passes).
bool DropWord(const LearnOptions& o, uint64_t epoch_key, size_t d, size_t t) {
  const uint64_t h = ner::Mix64(epoch_key ^ ner::Mix64((static_cast<uint64_t>(d) << 24) ^ t));
  return static_cast<double>(h >> 11) * 0x1.0p-53 < o.dropout;
}

// Averaged perceptron over a hashed table (lazy averaging: avg = w - u / c).
class Perceptron {
 public:
  explicit Perceptron(uint32_t rows)
      : rows_(rows),
        w_(static_cast<size_t>(rows) * kNumLabels, 0.0f),
        u_(static_cast<size_t>(rows) * kNumLabels, 0.0) {}
  uint32_t rows() const { return rows_; }
  void Add(uint32_t row, float* scores) const {
    const float* r = &w_[static_cast<size_t>(row) * kNumLabels];
    for (int l = 0; l < kNumLabels; ++l) scores[l] += r[l];
  }
  void Update(uint32_t row, int gold, int pred) {
    const size_t b = static_cast<size_t>(row) * kNumLabels;
    w_[b + gold] += 1;
    u_[b + gold] += c_;
    w_[b + pred] -= 1;
    u_[b + pred] -= c_;
  }
  // w[row][label] += delta (the structured update of the beam trainer, one path at a time).
  void Adjust(uint32_t row, int label, float delta) {
    const size_t i = static_cast<size_t>(row) * kNumLabels + label;
    w_[i] += delta;
    u_[i] += c_ * delta;
  }
  void Tick() { ++c_; }
  void Average() {
    for (size_t i = 0; i < w_.size(); ++i) w_[i] = static_cast<float>(w_[i] - u_[i] / c_);
    std::vector<double>().swap(u_);
  }
  const std::vector<float>& weights() const { return w_; }

 private:
  uint32_t rows_;
  std::vector<float> w_;
  std::vector<double> u_;
  double c_ = 1;
};

// The best allowed label other than `except` (-1: none excluded); -1 when there is none.
int BestAllowed(const float* scores, int prev, bool last, int except) {
  int best = -1;
  for (int l = 0; l < kNumLabels; ++l) {
    if (l == except) continue;
    if (!ner::AllowedTransition(prev, l) || (last && !ner::AllowedAtEnd(l))) continue;
    if (best < 0 || scores[l] > scores[best]) best = l;
  }
  return best;
}

int Choose(const float* scores, int prev, bool last) {
  const int best = BestAllowed(scores, prev, last, -1);
  return best < 0 ? 0 : best;
}

// Which of the history features of token `ti` (HistoryFeatures) hold its word: those that change
// when its word hashes do. Bit f of the result for feature f.
uint32_t HistoryWordBits(const ner::TokenInfo& ti, int prev1, int prev2) {
  uint64_t a[ner::kMaxDynamicFeatures], b[ner::kMaxDynamicFeatures];
  ner::TokenInfo probe = ti;
  probe.word = ner::Mix64(ti.word ^ 0x5bd1e995u);
  probe.lower = ner::Mix64(ti.lower ^ 0x5bd1e995u);
  const int n = ner::FeatureExtractor::HistoryFeatures(ti, prev1, prev2, a);
  ner::FeatureExtractor::HistoryFeatures(probe, prev1, prev2, b);
  uint32_t bits = 0;
  for (int f = 0; f < n; ++f) bits |= static_cast<uint32_t>(a[f] != b[f]) << f;
  return bits;
}

// One pass over a document: decodes greedily; updates the perceptron when `learn`.
// second_pass: adds document features from doc.jack (first-pass labels of the other mentions)
// and the pass's own earlier labels. Writes the labels to *out.
// `d` is the document's index (for word dropout), `epoch_key` the epoch's dropout key; `lo` says
// which features this perceptron leaves out and how it updates.
void RunDoc(const TrainDoc& doc, size_t d, bool second_pass, bool learn, const LearnOptions& lo,
            uint64_t epoch_key, Perceptron* p, std::vector<uint8_t>* out) {
  const size_t n = doc.words.size();
  out->resize(n);
  // Document stats from the jackknifed first-pass labels.
  absl::flat_hash_map<uint64_t, ner::DocWordStats> table;
  if (second_pass) {
    for (size_t t = 0; t < n; ++t) {
      if (ner::FeatureExtractor::DocKeyed(doc.info[t])) {
        table[doc.info[t].lower].pass1[ner::LabelType(doc.jack[t]) + 1]++;
      }
    }
  }
  uint64_t dyn[ner::kMaxDynamicFeatures];
  uint32_t dyn_rows[ner::kMaxDynamicFeatures];
  float scores[kNumLabels];
  size_t b = 0;
  for (uint32_t e : doc.sentence_ends) {
    int prev1 = -1, prev2 = -1;
    for (size_t t = b; t < e; ++t) {
      std::fill(scores, scores + kNumLabels, 0.0f);
      const ner::TokenInfo& ti = doc.info[t];
      uint8_t skip = lo.mask;
      if (learn && lo.dropout > 0 && (ti.flags & ner::kNerCap) && DropWord(lo, epoch_key, d, t)) {
        skip |= kNerBagWord;
      }
      for (uint32_t k = doc.feat_begin[t]; k < doc.feat_begin[t + 1]; ++k) {
        if ((doc.groups[k] & skip) == 0) p->Add(doc.rows[k], scores);
      }
      int nd = ner::FeatureExtractor::HistoryFeatures(ti, prev1, prev2, dyn);
      // Dynamic features left out: the history features with the word when it is masked.
      const uint32_t dyn_skip = (skip & kNerBagWord) ? HistoryWordBits(ti, prev1, prev2) : 0;
      ner::DocWordStats* entry = nullptr;
      if (second_pass) {
        nd += ner::FeatureExtractor::RightContextFeatures(
            ti, t + 1 < e ? doc.jack[t + 1] : -1, t + 2 < e ? doc.jack[t + 2] : -1, dyn + nd);
      }
      if (second_pass && ner::FeatureExtractor::DocKeyed(ti)) {
        entry = &table[ti.lower];
        ner::DocWordStats others = *entry;
        others.pass1[ner::LabelType(doc.jack[t]) + 1]--;
        nd += ner::FeatureExtractor::DocFeatures(ti, others, dyn + nd);
      }
      for (int f = 0; f < nd; ++f) {
        dyn_rows[f] = ner::RowOf(dyn[f], p->rows());
        if ((dyn_skip >> f & 1) == 0) p->Add(dyn_rows[f], scores);
      }
      const int pred = Choose(scores, prev1, t + 1 == e);
      const int gold = doc.gold[t];
      if (learn) {
        // On an error, against the prediction; with a margin, also against the best other label
        // when the gold label wins by less than the margin.
        int against = pred != gold ? pred : -1;
        if (against < 0 && lo.margin > 0) {
          const int rival = BestAllowed(scores, prev1, t + 1 == e, gold);
          if (rival >= 0 && scores[gold] - scores[rival] < lo.margin) against = rival;
        }
        if (against >= 0) {
          for (uint32_t k = doc.feat_begin[t]; k < doc.feat_begin[t + 1]; ++k) {
            if ((doc.groups[k] & skip) == 0) p->Update(doc.rows[k], gold, against);
          }
          for (int f = 0; f < nd; ++f) {
            if ((dyn_skip >> f & 1) == 0) p->Update(dyn_rows[f], gold, against);
          }
        }
        p->Tick();
      }
      (*out)[t] = static_cast<uint8_t>(pred);
      if (entry != nullptr) {
        // The predicted label (gold here measured 0.3 F1 worse on dev).
        entry->last_pass2 = static_cast<int8_t>(ner::LabelType(pred) + 1);
      }
      prev2 = prev1;
      // Training conditions on the gold history (teacher forcing): +2 F1 on dev over the
      // predicted history, which cascaded early errors through the BILOU constraints.
      prev1 = learn ? gold : pred;
    }
    b = e;
  }
}

// The beam trainer (NerTrainOptions::beam): a structured perceptron (Collins & Roark 2004) that
// decodes each sentence as EntityTagger does with SetBeamWidth(k): the same features, the
// hypotheses' own histories, recombination by the two previous labels, and in the second pass
// the document feature of the previous mention's pass-2 type taken from the hypothesis when that
// mention is in the same sentence at most EntityTagger::kMaxBeamDocWalk tokens back. Every token
// is scored (no settled tokens, as in greedy training). Learning: early update (the gold prefix
// against the best hypothesis where the gold one leaves the beam, or the whole sentence when the
// best complete sequence is wrong) or max-violation update (Huang, Fayong & Guo 2012: the prefix
// where the best hypothesis beats the gold prefix by the most). The weights change at the end of
// each sentence, so decoding sees fixed weights; the averaging clock ticks once per token.
class BeamTrainer {
 public:
  BeamTrainer(const TrainDoc& doc, size_t d, bool second_pass, bool learn, const LearnOptions& lo,
              uint64_t epoch_key, Perceptron* p)
      : doc_(doc),
        d_(d),
        second_(second_pass),
        learn_(learn),
        lo_(lo),
        epoch_key_(epoch_key),
        p_(p),
        k_(static_cast<size_t>(lo.beam)) {}

  void Run(std::vector<uint8_t>* out) {
    const size_t n = doc_.words.size();
    out->assign(n, 0);
    if (second_) {
      for (size_t t = 0; t < n; ++t) {
        if (ner::FeatureExtractor::DocKeyed(doc_.info[t])) {
          table_[doc_.info[t].lower].pass1[ner::LabelType(doc_.jack[t]) + 1]++;
        }
      }
    }
    size_t b = 0;
    for (uint32_t e : doc_.sentence_ends) {
      Sentence(b, e, out->data() + b);
      b = e;
    }
  }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  struct Hyp {
    double score;
    uint32_t node;
    int8_t prev1, prev2;
  };
  struct Cand {
    double score;
    uint32_t order;  // hypothesis * kNumLabels + label (the tie-break, as at run time)
  };

  // The rows of the features of token t (sentence position i) that depend on the path (history,
  // and in pass 2 the document features with the previous mention's pass-2 type `last`), with a
  // bit per row in *skip for the rows this perceptron leaves out. Returns their number.
  int PathRows(size_t t, int prev1, int prev2, int last, uint32_t* rows, uint32_t* skip) const {
    uint64_t f[ner::kMaxDynamicFeatures];
    const ner::TokenInfo& ti = doc_.info[t];
    int nd = ner::FeatureExtractor::HistoryFeatures(ti, prev1, prev2, f);
    *skip = dropped_[t - begin_] ? HistoryWordBits(ti, prev1, prev2) : 0;
    if (keyed_[t - begin_]) {
      ner::DocWordStats others = others_[t - begin_];
      others.last_pass2 = static_cast<int8_t>(last);
      nd += ner::FeatureExtractor::DocFeatures(ti, others, f + nd);
    }
    for (int j = 0; j < nd; ++j) rows[j] = ner::RowOf(f[j], p_->rows());
    return nd;
  }

  // Scores of token t after (prev1, prev2) with `last` (see PathRows): the static sum plus the
  // path's rows.
  void Score(size_t t, int prev1, int prev2, int last, float* scores) const {
    const float* st = &static_[(t - begin_) * kNumLabels];
    std::copy(st, st + kNumLabels, scores);
    uint32_t rows[ner::kMaxDynamicFeatures], skip = 0;
    const int nd = PathRows(t, prev1, prev2, last, rows, &skip);
    for (int j = 0; j < nd; ++j) {
      if ((skip >> j & 1) == 0) p_->Add(rows[j], scores);
    }
  }

  // The previous mention's pass-2 type for token position i of a path whose labels at positions
  // < i are label_at(j): the path's label when the previous mention of the word is in this
  // sentence within the walk, else the document table's.
  template <typename LabelAt>
  int LastType(size_t i, LabelAt label_at) const {
    const uint32_t pm = prev_mention_[i];
    if (pm == kNone) return others_[i].last_pass2;
    return ner::LabelType(label_at(pm)) + 1;
  }

  // Adds delta to the weights of `label` on every feature of position i of a path.
  void UpdateAt(size_t i, int label, int prev1, int prev2, int last, float delta) {
    const size_t t = begin_ + i;
    const uint8_t sk = skip_[i];
    for (uint32_t r = doc_.feat_begin[t]; r < doc_.feat_begin[t + 1]; ++r) {
      if ((doc_.groups[r] & sk) == 0) p_->Adjust(doc_.rows[r], label, delta);
    }
    for (int j = 0; j < nright_[i]; ++j) p_->Adjust(right_[i * 3 + j], label, delta);
    uint32_t rows[ner::kMaxDynamicFeatures], skip = 0;
    const int nd = PathRows(t, prev1, prev2, last, rows, &skip);
    for (int j = 0; j < nd; ++j) {
      if ((skip >> j & 1) == 0) p_->Adjust(rows[j], label, delta);
    }
  }

  void Sentence(size_t b, size_t e, uint8_t* out) {
    const size_t len = e - b;
    begin_ = b;
    // What does not depend on the path: the static sums (with the masks and word dropout), in
    // pass 2 with the right context of the jackknifed labels; the document stats.
    static_.assign(len * kNumLabels, 0.0f);
    skip_.assign(len, 0);
    dropped_.assign(len, 0);
    keyed_.assign(len, 0);
    others_.assign(len, ner::DocWordStats());
    prev_mention_.assign(len, kNone);
    nright_.assign(len, 0);
    right_.assign(len * 3, 0);
    for (size_t i = 0; i < len; ++i) {
      const size_t t = b + i;
      const ner::TokenInfo& ti = doc_.info[t];
      uint8_t sk = lo_.mask;
      if (learn_ && lo_.dropout > 0 && (ti.flags & ner::kNerCap) &&
          DropWord(lo_, epoch_key_, d_, t)) {
        sk |= kNerBagWord;
        dropped_[i] = 1;
      }
      skip_[i] = sk;
      float* st = &static_[i * kNumLabels];
      for (uint32_t r = doc_.feat_begin[t]; r < doc_.feat_begin[t + 1]; ++r) {
        if ((doc_.groups[r] & sk) == 0) p_->Add(doc_.rows[r], st);
      }
      if (second_) {
        uint64_t f[3];
        const int nr = ner::FeatureExtractor::RightContextFeatures(
            ti, t + 1 < e ? doc_.jack[t + 1] : -1, t + 2 < e ? doc_.jack[t + 2] : -1, f);
        nright_[i] = static_cast<uint8_t>(nr);
        for (int j = 0; j < nr; ++j) {
          right_[i * 3 + j] = ner::RowOf(f[j], p_->rows());
          p_->Add(right_[i * 3 + j], st);
        }
        if (ner::FeatureExtractor::DocKeyed(ti)) {
          keyed_[i] = 1;
          others_[i] = table_[ti.lower];
          others_[i].pass1[ner::LabelType(doc_.jack[t]) + 1]--;
          for (size_t j = i; j-- > 0 && i - j <= EntityTagger::kMaxBeamDocWalk;) {
            if (keyed_[j] && doc_.info[b + j].lower == ti.lower) {
              prev_mention_[i] = static_cast<uint32_t>(j);
              break;
            }
          }
        }
      }
    }
    // The beam.
    parent_.assign(len * k_, kNone);
    label_.assign(len * k_, 0);
    best_.assign(len, 0.0);
    gold_prefix_.assign(len, 0.0);
    Hyp hyps[EntityTagger::kMaxBeam], next[EntityTagger::kMaxBeam];
    Cand cands[EntityTagger::kMaxBeam * kNumLabels];
    float scores[kNumLabels];
    size_t nh = 1;
    hyps[0] = Hyp{0.0, kNone, -1, -1};
    uint32_t gold_node = kNone;  // the gold prefix's node while it is in the beam
    bool gold_in = true;
    size_t fell_out = len;  // the position where the gold prefix left the beam
    double gold_score = 0;
    const uint8_t* gold = &doc_.gold[b];
    for (size_t i = 0; i < len; ++i) {
      const size_t t = b + i;
      const bool last = i + 1 == len;
      size_t nc = 0;
      for (size_t h = 0; h < nh; ++h) {
        const Hyp& hy = hyps[h];
        const int lt = keyed_[i] ? LastType(i,
                                            [&](size_t j) {
                                              uint32_t node = hy.node;
                                              for (size_t q = i - 1; q > j; --q)
                                                node = parent_[node];
                                              return label_[node];
                                            })
                                 : -1;
        Score(t, hy.prev1, hy.prev2, lt, scores);
        for (int l = 0; l < kNumLabels; ++l) {
          if (!ner::AllowedTransition(hy.prev1, l) || (last && !ner::AllowedAtEnd(l))) continue;
          cands[nc++] = Cand{hy.score + scores[l], static_cast<uint32_t>(h * kNumLabels + l)};
        }
      }
      if (learn_) {
        const int gp1 = i >= 1 ? gold[i - 1] : -1, gp2 = i >= 2 ? gold[i - 2] : -1;
        const int lt = keyed_[i] ? LastType(i, [&](size_t j) { return gold[j]; }) : -1;
        Score(t, gp1, gp2, lt, scores);
        gold_score += scores[gold[i]];
        gold_prefix_[i] = gold_score;
      }
      std::sort(cands, cands + nc, [](const Cand& x, const Cand& y) {
        return x.score > y.score || (x.score == y.score && x.order < y.order);
      });
      size_t m = 0;
      bool gold_kept = false;
      for (size_t c = 0; c < nc && m < k_; ++c) {
        const size_t h = cands[c].order / kNumLabels;
        const int8_t l = static_cast<int8_t>(cands[c].order % kNumLabels);
        bool dup = false;
        for (size_t j = 0; j < m && !dup; ++j)
          dup = next[j].prev1 == l && next[j].prev2 == hyps[h].prev1;
        if (dup) continue;
        parent_[i * k_ + m] = hyps[h].node;
        label_[i * k_ + m] = static_cast<uint8_t>(l);
        if (learn_ && gold_in && hyps[h].node == gold_node && l == gold[i]) {
          gold_kept = true;
          gold_node = static_cast<uint32_t>(i * k_ + m);
        }
        next[m] = Hyp{cands[c].score, static_cast<uint32_t>(i * k_ + m), l, hyps[h].prev1};
        ++m;
      }
      nh = m;
      std::copy(next, next + nh, hyps);
      best_[i] = hyps[0].score;
      if (learn_ && gold_in && !gold_kept) {
        gold_in = false;
        fell_out = i;
      }
    }
    auto path = [&](uint32_t node, size_t upto, uint8_t* labels) {
      for (size_t i = upto + 1; i-- > 0;) {
        labels[i] = label_[node];
        node = parent_[node];
      }
    };
    path(hyps[0].node, len - 1, out);
    if (learn_) {
      // The update point and the predicted prefix.
      size_t at = len;
      if (lo_.max_violation) {
        double worst = 0;
        for (size_t i = 0; i < len; ++i) {
          if (best_[i] - gold_prefix_[i] > worst) {
            worst = best_[i] - gold_prefix_[i];
            at = i;
          }
        }
        if (at == len && !std::equal(out, out + len, gold)) at = len - 1;
      } else if (fell_out < len) {
        at = fell_out;
      } else if (!std::equal(out, out + len, gold)) {
        at = len - 1;
      }
      if (at < len) {
        pred_.resize(len);
        path(static_cast<uint32_t>(at * k_), at, pred_.data());
        for (size_t i = 0; i <= at; ++i) {
          const int g1 = i >= 1 ? gold[i - 1] : -1, g2 = i >= 2 ? gold[i - 2] : -1;
          const int p1 = i >= 1 ? pred_[i - 1] : -1, p2 = i >= 2 ? pred_[i - 2] : -1;
          const int gl = keyed_[i] ? LastType(i, [&](size_t j) { return gold[j]; }) : -1;
          const int pl = keyed_[i] ? LastType(i, [&](size_t j) { return pred_[j]; }) : -1;
          if (gold[i] == pred_[i] && g1 == p1 && g2 == p2 && gl == pl) continue;
          UpdateAt(i, gold[i], g1, g2, gl, 1.0f);
          UpdateAt(i, pred_[i], p1, p2, pl, -1.0f);
        }
      }
      for (size_t i = 0; i < len; ++i) p_->Tick();
    }
    if (second_) {
      for (size_t i = 0; i < len; ++i) {
        if (keyed_[i]) {
          table_[doc_.info[b + i].lower].last_pass2 =
              static_cast<int8_t>(ner::LabelType(out[i]) + 1);
        }
      }
    }
  }

  const TrainDoc& doc_;
  size_t d_;
  bool second_, learn_;
  const LearnOptions& lo_;
  uint64_t epoch_key_;
  Perceptron* p_;
  size_t k_;
  absl::flat_hash_map<uint64_t, ner::DocWordStats> table_;
  size_t begin_ = 0;
  std::vector<float> static_;
  std::vector<uint8_t> skip_, dropped_, keyed_, nright_, label_, pred_;
  std::vector<ner::DocWordStats> others_;
  std::vector<uint32_t> prev_mention_, right_, parent_;
  std::vector<double> best_, gold_prefix_;
};

// One pass over a document, greedy (RunDoc) or with the beam trainer (lo.beam > 0).
void RunDocWith(const TrainDoc& doc, size_t d, bool second_pass, bool learn, const LearnOptions& lo,
                uint64_t epoch_key, Perceptron* p, std::vector<uint8_t>* out) {
  if (lo.beam > 0) {
    BeamTrainer(doc, d, second_pass, learn, lo, epoch_key, p).Run(out);
  } else {
    RunDoc(doc, d, second_pass, learn, lo, epoch_key, p, out);
  }
}

void Shuffle(std::vector<size_t>* v, std::mt19937_64* rng) {
  for (size_t i = v->size(); i > 1; --i) {
    size_t j = (*rng)() % i;
    std::swap((*v)[i - 1], (*v)[j]);
  }
}

void TrainEpochs(std::vector<TrainDoc>& docs, const std::vector<size_t>& subset, int epochs,
                 bool with_second_pass, uint64_t seed, const LearnOptions& lo, Perceptron* p,
                 const std::function<void(const std::string&)>& log) {
  std::mt19937_64 rng(seed);
  std::vector<size_t> order = subset;
  std::vector<uint8_t> labels;
  for (int ep = 0; ep < epochs; ++ep) {
    Shuffle(&order, &rng);
    const uint64_t epoch_key = ner::Mix64(lo.mixture_key + static_cast<uint64_t>(ep) + 1);
    int64_t errors = 0, tokens = 0;
    for (size_t d : order) {
      RunDocWith(docs[d], d, false, true, lo, epoch_key, p, &labels);
      for (size_t t = 0; t < labels.size(); ++t) errors += labels[t] != docs[d].gold[t];
      tokens += static_cast<int64_t>(labels.size());
      if (with_second_pass) RunDocWith(docs[d], d, true, true, lo, epoch_key, p, &labels);
    }
    if (log) {
      log(absl::StrFormat("  epoch %d: first-pass token errors %.3f%%", ep + 1,
                          100.0 * errors / std::max<int64_t>(1, tokens)));
    }
  }
  p->Average();
}

// The features of token i of a sentence as the trainer stores them (static, kind, run features;
// not the context aggregation, which is appended per word), written to out; returns their number.
int TokenFeatures(const ner::FeatureExtractor& fx, const std::string_view* views,
                  const ner::TokenInfo* info, size_t n, size_t i, int kind, uint64_t* out) {
  int k = fx.StaticFeatures(info, n, i, out);
  k += fx.KindFeatures(info[i], kind, out + k);
  k += fx.RunFeatures(views, info, n, i, out + k);
  return k;
}

// Sets the NerBagGroup bits of the `count` features feats[0..count) of token i of a sentence:
// a feature is of group kNerBagWord when it is not among the token's features once the word
// hashes of token i are replaced, of kNerBagNeighbours when it is not among them once those of
// the tokens around it (as far as a capitalised run reaches) are. `probe` is a copy of the
// sentence's info (restored on return).
void ProbeGroups(const ner::FeatureExtractor& fx, const std::string_view* views,
                 ner::TokenInfo* probe, size_t n, size_t i, int kind, const uint64_t* feats,
                 int count, uint8_t* groups) {
  uint64_t alt[ner::kMaxStaticFeatures + ner::FeatureExtractor::kMaxKindFeatures +
               ner::FeatureExtractor::kMaxRunFeatures];
  auto mark = [&](uint8_t bit) {
    const int na = TokenFeatures(fx, views, probe, n, i, kind, alt);
    std::sort(alt, alt + na);
    for (int f = 0; f < count; ++f) {
      if (!std::binary_search(alt, alt + na, feats[f])) groups[f] |= bit;
    }
  };
  auto replace = [&](size_t j, uint64_t salt) {
    probe[j].word = ner::Mix64(probe[j].word ^ salt);
    probe[j].lower = ner::Mix64(probe[j].lower ^ salt);
  };
  const uint64_t saved_word = probe[i].word, saved_lower = probe[i].lower;
  replace(i, 0x6a09e667f3bcc908ULL);
  mark(kNerBagWord);
  probe[i].word = saved_word;
  probe[i].lower = saved_lower;
  const size_t reach = ner::FeatureExtractor::kMaxRunLength;
  const size_t b = i >= reach ? i - reach : 0, e = std::min(n, i + reach + 1);
  std::vector<std::pair<uint64_t, uint64_t>> saved;
  for (size_t j = b; j < e; ++j) {
    if (j == i) continue;
    saved.emplace_back(probe[j].word, probe[j].lower);
    replace(j, 0xbb67ae8584caa73bULL + j - b);
  }
  mark(kNerBagNeighbours);
  size_t s = 0;
  for (size_t j = b; j < e; ++j) {
    if (j == i) continue;
    probe[j].word = saved[s].first;
    probe[j].lower = saved[s].second;
    ++s;
  }
}

void Finish(NerTypeScores* s) {
  s->precision = s->predicted > 0 ? 100.0 * s->correct / s->predicted : 0;
  s->recall = s->gold > 0 ? 100.0 * s->correct / s->gold : 0;
  s->f1 =
      s->precision + s->recall > 0 ? 2 * s->precision * s->recall / (s->precision + s->recall) : 0;
}

}  // namespace

void ConllChunks(const std::vector<std::string>& tags, size_t begin, size_t end,
                 std::vector<NerChunk>* out) {
  char prev_prefix = 'O';
  int prev_type = -1;
  bool open = false;
  NerChunk cur;
  for (size_t i = begin; i < end; ++i) {
    char prefix;
    int type;
    SplitTag(tags[i], &prefix, &type);
    // End of chunk (conlleval endOfChunk) before token i.
    bool chunk_end = false;
    if (prev_prefix == 'B' && prefix == 'B') chunk_end = true;
    if (prev_prefix == 'B' && prefix == 'O') chunk_end = true;
    if (prev_prefix == 'I' && prefix == 'B') chunk_end = true;
    if (prev_prefix == 'I' && prefix == 'O') chunk_end = true;
    if (prev_prefix != 'O' && prev_type != type) chunk_end = true;
    // Start of chunk (conlleval startOfChunk) at token i.
    bool chunk_start = false;
    if (prev_prefix == 'B' && prefix == 'B') chunk_start = true;
    if (prev_prefix == 'I' && prefix == 'B') chunk_start = true;
    if (prev_prefix == 'O' && prefix == 'B') chunk_start = true;
    if (prev_prefix == 'O' && prefix == 'I') chunk_start = true;
    if (prefix != 'O' && prev_type != type) chunk_start = true;
    if (open && chunk_end) {
      out->push_back(cur);
      open = false;
    }
    if (chunk_start && prefix != 'O') {
      cur.begin = static_cast<uint32_t>(i);
      cur.type = type;
      open = true;
    }
    if (open) cur.end = static_cast<uint32_t>(i) + 1;
    prev_prefix = prefix;
    prev_type = type;
  }
  if (open) out->push_back(cur);
}

absl::StatusOr<NerEvalResult> EvalNer(const EntityTagger& tagger, std::string_view conll_path) {
  std::vector<ner::ConllDocument> docs;
  NEWSPARSE_ASSIGN_OR_RETURN(docs, ner::ReadConll(std::string(conll_path)));
  NerEvalResult r;
  NerScratch scratch;
  NerInput in;
  std::vector<NerChunk> gold, pred;
  double secs = 0, cpu = 0;
  for (const auto& d : docs) {
    in.Clear();
    for (const auto& w : d.words) in.words.push_back(w);
    in.sentence_starts = d.sentence_starts;
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = ThreadCpuSeconds();
    NEWSPARSE_RETURN_IF_ERROR(tagger.TagLabels(in, &scratch));
    cpu += ThreadCpuSeconds() - c0;
    secs += Since(t0);
    gold.clear();
    pred.clear();
    for (size_t s = 0; s < d.sentence_starts.size(); ++s) {
      const size_t b = d.sentence_starts[s];
      const size_t e = s + 1 < d.sentence_starts.size() ? d.sentence_starts[s + 1] : d.words.size();
      ConllChunks(d.tags, b, e, &gold);
      BilouToChunks(scratch.labels().data() + b, e - b, static_cast<uint32_t>(b), &pred);
    }
    // Both lists are in text order; count exact matches.
    size_t gi = 0;
    for (const NerChunk& p : pred) {
      while (gi < gold.size() && gold[gi].begin < p.begin) ++gi;
      if (gi < gold.size() && gold[gi].begin == p.begin && gold[gi].end == p.end &&
          gold[gi].type == p.type) {
        r.overall.correct++;
        r.per_type[p.type].correct++;
      }
    }
    for (const NerChunk& g : gold) {
      r.overall.gold++;
      r.per_type[g.type].gold++;
    }
    for (const NerChunk& p : pred) {
      r.overall.predicted++;
      r.per_type[p.type].predicted++;
    }
    r.documents++;
    r.tokens += static_cast<int64_t>(d.words.size());
  }
  Finish(&r.overall);
  for (auto& t : r.per_type) Finish(&t);
  r.seconds = secs;
  r.cpu_seconds = cpu;
  r.tokens_per_s = cpu > 0 ? r.tokens / cpu : 0;
  return r;
}

std::string NerEvalJson(const NerEvalResult& r) {
  auto one = [](const NerTypeScores& s) {
    return absl::StrFormat(
        "\"precision\": %.2f, \"recall\": %.2f, \"f1\": %.2f, \"gold\": %d, \"predicted\": %d, "
        "\"correct\": %d",
        s.precision, s.recall, s.f1, s.gold, s.predicted, s.correct);
  };
  std::string j = "{" + one(r.overall) + ", \"per_type\": {";
  for (int t = 0; t < kNumTypes; ++t) {
    absl::StrAppend(&j, t ? ", " : "", "\"", std::string(ner::TypeName(t)), "\": {",
                    one(r.per_type[t]), "}");
  }
  absl::StrAppend(
      &j, "}, ",
      absl::StrFormat("\"documents\": %d, \"tokens\": %d, "
                      "\"seconds\": %.4f, \"cpu_seconds\": %.4f, \"tokens_per_s\": %.0f}",
                      r.documents, r.tokens, r.seconds, r.cpu_seconds, r.tokens_per_s));
  return j;
}

absl::Status ParseNerBags(std::string_view spec, std::vector<uint8_t>* masks) {
  masks->clear();
  for (absl::string_view piece : absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',')) {
    const std::string_view bag(piece.data(), piece.size());
    if (bag == "all") {
      masks->push_back(0);
    } else if (bag == "no_word") {
      masks->push_back(kNerBagWord);
    } else if (bag == "no_neighbours") {
      masks->push_back(kNerBagNeighbours);
    } else if (bag == "no_words") {
      masks->push_back(kNerBagWord | kNerBagNeighbours);
    } else {
      masks->clear();
      return absl::InvalidArgumentError(
          absl::StrCat("bags: unknown entry '", std::string(bag),
                       "' (all, no_word, no_neighbours, no_words, comma-separated)"));
    }
  }
  return absl::OkStatus();
}

NerTrainOptions ShippedNerTrainOptions() {
  NerTrainOptions o;
  o.mixtures = 5;
  o.beam = 3;
  return o;
}

absl::Status TrainNer(const NerTrainOptions& o, NerTrainReport* report) {
  if (o.train_path.empty() || o.output_path.empty()) {
    return absl::InvalidArgumentError("train_path and output_path are required");
  }
  if (o.epochs < 1 || o.epochs > 100) return absl::InvalidArgumentError("epochs: 1..100");
  if (o.rows < 1024 || o.rows > (1u << 26)) return absl::InvalidArgumentError("rows: 1024..2^26");
  if (o.features.document && o.folds < 2) return absl::InvalidArgumentError("folds >= 2");
  if (o.mixtures < 1 || o.mixtures > 16) return absl::InvalidArgumentError("mixtures: 1..16");
  if (o.bags.size() > static_cast<size_t>(o.mixtures)) {
    return absl::InvalidArgumentError("bags: at most one entry per mixture");
  }
  for (uint8_t b : o.bags) {
    if (b & ~(kNerBagWord | kNerBagNeighbours)) return absl::InvalidArgumentError("bags: bad mask");
  }
  if (!(o.word_dropout >= 0 && o.word_dropout <= 1)) {
    return absl::InvalidArgumentError("word_dropout: 0..1");
  }
  if (o.min_count < 0) return absl::InvalidArgumentError("min_count >= 0");
  if (o.beam < 0 || o.beam > EntityTagger::kMaxBeam) {
    return absl::InvalidArgumentError(absl::StrCat("beam: 0..", EntityTagger::kMaxBeam));
  }
  if (o.beam > 0 && o.margin > 0) return absl::InvalidArgumentError("beam: no margin update");
  if (!(o.margin >= 0 && o.margin < 1e6f)) return absl::InvalidArgumentError("margin: 0..1e6");
  if (o.holdout_folds != 0 &&
      (o.holdout_folds < 2 || o.holdout_fold < 0 || o.holdout_fold >= o.holdout_folds)) {
    return absl::InvalidArgumentError("holdout: folds >= 2 and 0 <= fold < folds");
  }
  if (o.fold_gazetteers.size() == 1) {
    return absl::InvalidArgumentError("fold_gazetteers: none or at least 2 files");
  }
  if (!o.fold_gazetteers.empty() && (!o.features.gazetteer || o.holdout_folds != 0)) {
    return absl::InvalidArgumentError(
        "fold_gazetteers: needs the gazetteer group and every training document");
  }
  bool need_groups = o.word_dropout > 0;
  for (uint8_t b : o.bags) need_groups |= b != 0;
  NerTrainReport local;
  NerTrainReport& rep = report ? *report : local;
  auto log = [&](const std::string& s) {
    if (o.log) o.log(s);
  };
  const auto t0 = std::chrono::steady_clock::now();

  // Data files.
  ner::NerModel model;
  model.features = o.features;
  model.rows = o.rows;
  model.beam = static_cast<uint32_t>(o.beam);
  std::unique_ptr<ner::ClusterTable> clusters;
  std::unique_ptr<ner::Gazetteer> gazetteer;
  if (o.features.clusters) {
    std::string content;
    NEWSPARSE_ASSIGN_OR_RETURN(content, ner::ReadFileBytes(o.data_dir + "/ner_clusters.tsv"));
    model.cluster_crc = ner::Crc32(content);
    ner::ClusterTable t;
    NEWSPARSE_ASSIGN_OR_RETURN(t, ner::ClusterTable::Parse(content));
    clusters = std::make_unique<ner::ClusterTable>(std::move(t));
    model.cluster_levels = static_cast<uint32_t>(clusters->levels());
  }
  if (o.features.gazetteer) {
    std::string content;
    NEWSPARSE_ASSIGN_OR_RETURN(content, ner::ReadFileBytes(o.data_dir + "/ner_gazetteer.tsv"));
    model.gazetteer_crc = ner::Crc32(content);
    ner::Gazetteer g;
    NEWSPARSE_ASSIGN_OR_RETURN(g, ner::Gazetteer::Parse(content));
    gazetteer = std::make_unique<ner::Gazetteer>(std::move(g));
  }
  ner::FeatureExtractor main_fx(clusters.get(), gazetteer.get(), o.features);
  // Per-fold gazetteers of the training documents (NerTrainOptions::fold_gazetteers).
  std::vector<std::unique_ptr<ner::Gazetteer>> fold_gaz;
  std::vector<ner::FeatureExtractor> fold_fx;
  fold_fx.reserve(o.fold_gazetteers.size());
  for (const std::string& path : o.fold_gazetteers) {
    std::string content;
    NEWSPARSE_ASSIGN_OR_RETURN(content, ner::ReadFileBytes(path));
    ner::Gazetteer g;
    NEWSPARSE_ASSIGN_OR_RETURN(g, ner::Gazetteer::Parse(content));
    fold_gaz.push_back(std::make_unique<ner::Gazetteer>(std::move(g)));
  }
  for (const auto& g : fold_gaz) fold_fx.emplace_back(clusters.get(), g.get(), o.features);

  // Training documents with precomputed static feature rows.
  std::vector<ner::ConllDocument> conll;
  NEWSPARSE_ASSIGN_OR_RETURN(conll, ner::ReadConll(o.train_path));
  if (o.holdout_folds >= 2) {
    std::vector<ner::ConllDocument> kept;
    for (size_t d = 0; d < conll.size(); ++d) {
      if (static_cast<int>(d % o.holdout_folds) != o.holdout_fold) {
        kept.push_back(std::move(conll[d]));
      }
    }
    conll = std::move(kept);
    log(absl::StrCat("holdout fold ", o.holdout_fold, "/", o.holdout_folds, ": ", conll.size(),
                     " documents kept"));
  }
  std::vector<TrainDoc> docs(conll.size());
  std::vector<uint64_t> scratch;
  uint64_t feats[ner::kMaxStaticFeatures + ner::FeatureExtractor::kMaxKindFeatures +
                 ner::FeatureExtractor::kMaxRunFeatures];
  std::vector<NerChunk> chunks;
  std::vector<std::pair<uint64_t, uint64_t>> context;
  std::vector<uint8_t> kinds;
  std::vector<ner::TokenInfo> probe;
  uint8_t token_groups[ner::kMaxStaticFeatures + ner::FeatureExtractor::kMaxKindFeatures +
                       ner::FeatureExtractor::kMaxRunFeatures];
  // With the count cutoff: every stored feature's hash (parallel to the documents' rows).
  std::vector<std::vector<uint64_t>> hashes(o.min_count > 1 ? conll.size() : 0);
  for (size_t d = 0; d < conll.size(); ++d) {
    TrainDoc& td = docs[d];
    const ner::FeatureExtractor& fx = fold_fx.empty() ? main_fx : fold_fx[d % fold_fx.size()];
    td.words = std::move(conll[d].words);
    const size_t n = td.words.size();
    td.gold.assign(n, 0);
    td.info.resize(n);
    td.feat_begin.assign(n + 1, 0);
    const auto& starts = conll[d].sentence_starts;
    std::vector<std::string_view> views(td.words.begin(), td.words.end());
    for (size_t s = 0; s < starts.size(); ++s) {
      const size_t b = starts[s];
      const size_t e = s + 1 < starts.size() ? starts[s + 1] : n;
      td.sentence_ends.push_back(static_cast<uint32_t>(e));
      chunks.clear();
      ConllChunks(conll[d].tags, b, e, &chunks);
      for (const NerChunk& c : chunks) {
        if (c.end - c.begin == 1) {
          td.gold[c.begin] = static_cast<uint8_t>(ner::MakeLabel(c.type, ner::kPartU));
        } else {
          td.gold[c.begin] = static_cast<uint8_t>(ner::MakeLabel(c.type, ner::kPartB));
          for (uint32_t k = c.begin + 1; k + 1 < c.end; ++k) {
            td.gold[k] = static_cast<uint8_t>(ner::MakeLabel(c.type, ner::kPartI));
          }
          td.gold[c.end - 1] = static_cast<uint8_t>(ner::MakeLabel(c.type, ner::kPartL));
        }
      }
      scratch.resize(2 * (e - b));
      fx.ComputeTokenInfo(&views[b], e - b, &td.info[b], scratch.data());
    }
    // Static rows of every token: its sentence's features, then the document's context
    // aggregation of its word (the same list for every mention of the word).
    if (o.features.context) {
      ner::FeatureExtractor::ContextAggregation(td.info.data(), n, td.sentence_ends.data(),
                                                td.sentence_ends.size(), &context);
    }
    kinds.assign(td.sentence_ends.size(), 0);
    if (o.features.kinds) {
      ner::FeatureExtractor::LineKinds(views.data(), td.info.data(), n, td.sentence_ends.data(),
                                       td.sentence_ends.size(), kinds.data());
    }
    // Stored in the order static, context aggregation, kind, run features (the order the
    // scores were summed in before the groups existed, which keeps the default's bytes).
    size_t b = 0;
    for (size_t s = 0; s < td.sentence_ends.size(); ++s) {
      const uint32_t e = td.sentence_ends[s];
      if (need_groups) probe.assign(td.info.begin() + b, td.info.begin() + e);
      for (size_t i = b; i < e; ++i) {
        const int nf = fx.StaticFeatures(&td.info[b], e - b, i - b, feats);
        const int nk = fx.KindFeatures(td.info[i], kinds[s], feats + nf);
        const int nr = fx.RunFeatures(&views[b], &td.info[b], e - b, i - b, feats + nf + nk);
        std::fill(token_groups, token_groups + nf + nk + nr, 0);
        if (need_groups) {
          ProbeGroups(fx, &views[b], probe.data(), e - b, i - b, kinds[s], feats, nf + nk + nr,
                      token_groups);
        }
        auto store = [&](uint64_t h, uint8_t group) {
          td.rows.push_back(ner::RowOf(h, o.rows));
          td.groups.push_back(group);
          if (!hashes.empty()) hashes[d].push_back(h);
        };
        for (int f = 0; f < nf; ++f) store(feats[f], token_groups[f]);
        if (o.features.context && ner::FeatureExtractor::DocKeyed(td.info[i])) {
          auto it = std::lower_bound(context.begin(), context.end(),
                                     std::make_pair(td.info[i].lower, uint64_t{0}));
          for (; it != context.end() && it->first == td.info[i].lower; ++it) {
            store(it->second, kNerBagNeighbours);
          }
        }
        for (int f = nf; f < nf + nk + nr; ++f) store(feats[f], token_groups[f]);
        td.feat_begin[i + 1] = static_cast<uint32_t>(td.rows.size());
      }
      b = e;
    }
    td.jack.assign(n, 0);
    rep.train_tokens += static_cast<int64_t>(n);
  }
  if (o.min_count > 1) {
    absl::flat_hash_map<uint64_t, uint32_t> counts;
    for (const auto& h : hashes) {
      for (uint64_t f : h) ++counts[f];
    }
    int64_t rare = 0, stored = 0;
    for (size_t d = 0; d < docs.size(); ++d) {
      for (size_t k = 0; k < hashes[d].size(); ++k) {
        if (counts[hashes[d][k]] < static_cast<uint32_t>(o.min_count)) {
          docs[d].groups[k] |= kRareGroup;
          ++rare;
        }
      }
      stored += static_cast<int64_t>(hashes[d].size());
      std::vector<uint64_t>().swap(hashes[d]);
    }
    int64_t rare_types = 0;
    for (const auto& c : counts) rare_types += c.second < static_cast<uint32_t>(o.min_count);
    log(absl::StrFormat("count cutoff %d: %d of %d feature types, %d of %d occurrences left out",
                        o.min_count, rare_types, counts.size(), rare, stored));
  }
  rep.train_documents = static_cast<int64_t>(docs.size());
  log(absl::StrCat("train: ", docs.size(), " documents, ", rep.train_tokens,
                   " tokens; features in ", Since(t0), " s"));

  // Jackknife first-pass labels for the document features: neither bagged nor with word dropout
  // (they stand for the run-time first pass), with the count cutoff and the margin.
  LearnOptions fold_learn;
  fold_learn.mask = o.min_count > 1 ? kRareGroup : 0;
  fold_learn.margin = o.margin;
  fold_learn.beam = o.beam;
  fold_learn.max_violation = o.max_violation;
  if (o.features.document) {
    for (int f = 0; f < o.folds; ++f) {
      std::vector<size_t> in, out;
      for (size_t d = 0; d < docs.size(); ++d)
        (static_cast<int>(d % o.folds) == f ? out : in).push_back(d);
      Perceptron p(o.rows);
      TrainEpochs(docs, in, o.epochs, false, o.seed + 1000 + f, fold_learn, &p, nullptr);
      std::vector<uint8_t> labels;
      for (size_t d : out) {
        LearnOptions decode;
        decode.beam = o.beam;
        RunDocWith(docs[d], d, false, false, decode, 0, &p, &labels);
        docs[d].jack = labels;
      }
      log(absl::StrCat("fold ", f + 1, "/", o.folds, " done at ", Since(t0), " s"));
    }
  }
  // The final model: the mean of `mixtures` averaged perceptrons trained on every document in
  // different orders (seed, seed + 1, ...); parameter mixing smooths the order dependence.
  std::vector<size_t> all(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) all[d] = d;
  std::vector<float> mixed;
  for (int k = 0; k < o.mixtures; ++k) {
    Perceptron one(o.rows);
    LearnOptions learn = fold_learn;
    if (static_cast<size_t>(k) < o.bags.size()) learn.mask |= o.bags[k];
    learn.dropout = o.word_dropout;
    learn.mixture_key = ner::Mix64(o.seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(k));
    if (learn.mask & (kNerBagWord | kNerBagNeighbours)) {
      log(absl::StrCat("model ", k + 1, ": masked", (learn.mask & kNerBagWord) ? " word" : "",
                       (learn.mask & kNerBagNeighbours) ? " neighbours" : ""));
    }
    TrainEpochs(docs, all, o.epochs, o.features.document, o.seed + 7919 * k, learn, &one, log);
    if (k == 0) {
      mixed = one.weights();
    } else {
      for (size_t i = 0; i < mixed.size(); ++i) mixed[i] += one.weights()[i];
    }
    log(absl::StrCat("model ", k + 1, "/", o.mixtures, " done at ", Since(t0), " s"));
  }
  for (float& w : mixed) w /= static_cast<float>(o.mixtures);
  struct {
    const std::vector<float>& weights() const { return *w; }
    const std::vector<float>* w;
  } p{&mixed};

  // Quantize to int16.
  float max_abs = 0;
  for (float w : p.weights()) max_abs = std::max(max_abs, std::fabs(w));
  model.scale = max_abs > 0 ? 32000.0f / max_abs : 1.0f;
  std::vector<int16_t> dense(p.weights().size());
  int64_t nonzero = 0, lost = 0;
  for (size_t i = 0; i < dense.size(); ++i) {
    const float w = p.weights()[i];
    const long q = std::lround(w * model.scale);
    dense[i] = static_cast<int16_t>(std::clamp<long>(q, -32767, 32767));
    if (w != 0) {
      ++nonzero;
      if (q == 0) ++lost;
    }
  }
  model.SetDense(dense);
  const std::string clusters_blob = clusters ? clusters->ToBlob() : std::string();
  const std::string gazetteer_blob = gazetteer ? gazetteer->ToBlob() : std::string();
  model.clusters_blob = clusters_blob;
  model.gazetteer_blob = gazetteer_blob;
  log(absl::StrFormat(
      "weights: %d nonzero of %d, %d rounded to zero, max |w| %.1f; %d non-zero rows", nonzero,
      dense.size(), lost, max_abs, model.weights.size() / kNumLabels));
  std::string bytes;
  NEWSPARSE_ASSIGN_OR_RETURN(bytes, ner::SerializeNerModel(model));
  {
    std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(o.output_path.c_str(), "wb"), fclose);
    if (!f || fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) {
      return absl::UnavailableError(absl::StrCat("cannot write ", o.output_path));
    }
  }
  rep.model_bytes = bytes.size();
  rep.seconds = Since(t0);
  log(absl::StrCat("model written: ", bytes.size(), " bytes, training ", rep.seconds, " s"));
  if (!o.dev_path.empty()) {
    std::unique_ptr<EntityTagger> tagger;
    NEWSPARSE_ASSIGN_OR_RETURN(tagger, EntityTagger::Load(o.output_path, o.data_dir));
    NEWSPARSE_ASSIGN_OR_RETURN(rep.dev, EvalNer(*tagger, o.dev_path));
    rep.has_dev = true;
  }
  return absl::OkStatus();
}

}  // namespace newsparse
