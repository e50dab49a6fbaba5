#include "core/entities.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/ner_hash.h"
#include "core/status.h"

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
  t->features_ = std::make_unique<ner::FeatureExtractor>(t->clusters_.get(), t->gazetteer_.get(),
                                                         t->model_.features);
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

inline void EntityTagger::AddRow(uint64_t feature, int32_t* scores) const {
  const int16_t* row = model_.Row(ner::RowOf(feature, model_.rows));
  if (row == nullptr) return;
  for (int l = 0; l < kNumLabels; ++l) scores[l] += row[l];
}

inline int EntityTagger::ChooseLabel(const int32_t* scores, int prev, bool last) const {
  uint32_t allowed = allowed_[prev + 1] & (last ? end_mask_ : ~0u);
  int best = -1;
  for (; allowed != 0; allowed &= allowed - 1) {
    const int l = __builtin_ctz(allowed);
    if (best < 0 || scores[l] > scores[best]) best = l;
  }
  return best < 0 ? 0 : best;
}

absl::Status EntityTagger::TagLabels(const NerInput& doc, NerScratch* s) const {
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
  if (n == 0) return absl::OkStatus();
  s->info_.resize(n);
  s->hashes_.resize(2 * n);
  s->static_scores_.resize(n * kNumLabels);

  uint64_t feats[ner::kMaxStaticFeatures];
  uint64_t dyn[ner::kMaxDynamicFeatures];
  int32_t scores[kNumLabels];
  // Pass 1: local features, greedy decoding.
  uint32_t b = 0;
  for (uint32_t e : s->sentence_ends_) {
    const size_t len = e - b;
    ner::TokenInfo* info = &s->info_[b];
    features_->ComputeTokenInfo(&doc.words[b], len, info, s->hashes_.data());
    // Static (label-independent) scores, software-pipelined: the rows of token i + 1 are
    // located and prefetched before the rows of token i are summed.
    const int16_t* rows_a[ner::kMaxStaticFeatures];
    const int16_t* rows_b[ner::kMaxStaticFeatures];
    const int16_t** cur = rows_a;
    const int16_t** next = rows_b;
    auto gather = [&](size_t i, const int16_t** rows) {
      const int nf = features_->StaticFeatures(info, len, i, feats);
      int nr = 0;
      for (int f = 0; f < nf; ++f) {
        const int16_t* row = model_.Row(ner::RowOf(feats[f], model_.rows));
        if (row == nullptr) continue;
        __builtin_prefetch(row);
        rows[nr++] = row;
      }
      return nr;
    };
    int n_cur = len > 0 ? gather(0, cur) : 0;
    for (size_t i = 0; i < len; ++i) {
      const int n_next = i + 1 < len ? gather(i + 1, next) : 0;
      int32_t* st = &s->static_scores_[(b + i) * kNumLabels];
      memset(st, 0, sizeof(int32_t) * kNumLabels);
      for (int f = 0; f < n_cur; ++f) {
        const int16_t* row = cur[f];
        for (int l = 0; l < kNumLabels; ++l) st[l] += row[l];
      }
      std::swap(cur, next);
      n_cur = n_next;
    }
    // Greedy decoding with the history features.
    int prev1 = -1, prev2 = -1;
    for (size_t i = 0; i < len; ++i) {
      memcpy(scores, &s->static_scores_[(b + i) * kNumLabels], sizeof(scores));
      const int nh = ner::FeatureExtractor::HistoryFeatures(info[i], prev1, prev2, dyn);
      for (int f = 0; f < nh; ++f) AddRow(dyn[f], scores);
      const int label = ChooseLabel(scores, prev1, i + 1 == len);
      s->pass1_[b + i] = static_cast<uint8_t>(label);
      prev2 = prev1;
      prev1 = label;
    }
    b = e;
  }
  if (!model_.features.document) {
    memcpy(s->labels_.data(), s->pass1_.data(), n);
    return absl::OkStatus();
  }
  // Document table: capitalised words keyed by their lower-cased hash.
  size_t cap = 16;
  while (cap < 2 * n) cap <<= 1;
  if (s->table_keys_.size() < cap) {
    s->table_keys_.assign(cap, 0);
    s->table_gen_.assign(cap, 0);
    s->table_vals_.resize(cap);
    s->gen_ = 0;
  }
  cap = s->table_keys_.size();
  if (++s->gen_ == 0) {
    std::fill(s->table_gen_.begin(), s->table_gen_.end(), 0);
    s->gen_ = 1;
  }
  const uint32_t gen = s->gen_;
  s->slot_of_token_.resize(n);
  for (size_t t = 0; t < n; ++t) {
    const ner::TokenInfo& ti = s->info_[t];
    if (!ner::FeatureExtractor::DocKeyed(ti)) {
      s->slot_of_token_[t] = 0xffffffffu;
      continue;
    }
    size_t slot = ner::Mix64(ti.lower) & (cap - 1);
    while (s->table_gen_[slot] == gen && s->table_keys_[slot] != ti.lower) {
      slot = (slot + 1) & (cap - 1);
    }
    if (s->table_gen_[slot] != gen) {
      s->table_gen_[slot] = gen;
      s->table_keys_[slot] = ti.lower;
      s->table_vals_[slot] = ner::DocWordStats();
    }
    s->table_vals_[slot].pass1[ner::LabelType(s->pass1_[t]) + 1]++;
    s->slot_of_token_[t] = static_cast<uint32_t>(slot);
  }
  // Pass 2: cached local scores + document features.
  b = 0;
  for (uint32_t e : s->sentence_ends_) {
    const size_t len = e - b;
    int prev1 = -1, prev2 = -1;
    for (size_t i = 0; i < len; ++i) {
      const size_t t = b + i;
      memcpy(scores, &s->static_scores_[t * kNumLabels], sizeof(scores));
      const ner::TokenInfo& ti = s->info_[t];
      int nd = ner::FeatureExtractor::HistoryFeatures(ti, prev1, prev2, dyn);
      nd += ner::FeatureExtractor::RightContextFeatures(
          ti, i + 1 < len ? s->pass1_[t + 1] : -1, i + 2 < len ? s->pass1_[t + 2] : -1, dyn + nd);
      const uint32_t slot = s->slot_of_token_[t];
      if (slot != 0xffffffffu) {
        ner::DocWordStats others = s->table_vals_[slot];
        others.pass1[ner::LabelType(s->pass1_[t]) + 1]--;
        nd += ner::FeatureExtractor::DocFeatures(ti, others, dyn + nd);
      }
      for (int f = 0; f < nd; ++f) AddRow(dyn[f], scores);
      const int label = ChooseLabel(scores, prev1, i + 1 == len);
      s->labels_[t] = static_cast<uint8_t>(label);
      if (slot != 0xffffffffu) {
        s->table_vals_[slot].last_pass2 = static_cast<int8_t>(ner::LabelType(label) + 1);
      }
      prev2 = prev1;
      prev1 = label;
    }
    b = e;
  }
  return absl::OkStatus();
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
