#include "core/cue_tagger.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/attribution_internal.h"
#include "core/ner_model.h"

namespace newsparse {
namespace {

constexpr char kMagic[8] = {'N', 'P', 'C', 'U', 'E', 'T', 'A', 'G'};
constexpr size_t kHeaderSize = 8 + 4 * 6;
constexpr size_t kRowSize = 8 + 2 * kCueLabels;
constexpr size_t kMaxWordBytes = kMaxCueWordBytes;

uint64_t Feat(uint64_t tmpl, uint64_t v) { return ner::Combine(tmpl * 0x9E3779B97F4A7C15ULL, v); }
uint64_t Feat2(uint64_t tmpl, uint64_t a, uint64_t b) { return ner::Combine(Feat(tmpl, a), b); }

// -s / -ed / -ing / -ly / other, for lower-cased words of at least four letters.
uint64_t SuffixClass(std::string_view w) {
  auto ends = [&](std::string_view s) {
    if (w.size() < s.size() + 2) return false;
    for (size_t k = 0; k < s.size(); ++k) {
      if (ner::AsciiLower(static_cast<unsigned char>(w[w.size() - s.size() + k])) != s[k]) {
        return false;
      }
    }
    return true;
  };
  if (ends("ing")) return 1;
  if (ends("ed")) return 2;
  if (ends("ly")) return 4;
  if (ends("ss")) return 5;
  if (ends("s")) return 3;
  return 0;
}

// The lower-cased hash of token k: from the table, or computed when there is none.
uint64_t LowerAt(const CueTaggerInput& in, uint32_t k) {
  if (in.lower != nullptr) return in.lower[k];
  std::string_view w = TokenText(in.text, in.tokens->tokens[k]);
  if (w.size() > kMaxWordBytes) w = w.substr(0, kMaxWordBytes);
  return CueLowerHash(w);
}

uint64_t ShapeOf(const Token& t) {
  if (t.kind != TokenKind::kWord) return 10 + static_cast<uint64_t>(t.kind);
  return static_cast<uint64_t>(t.shape);
}

void PutU32(std::string* out, uint32_t v) {
  for (int k = 0; k < 4; ++k) out->push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[k])) << (8 * k);
  return v;
}
float AsFloat(uint32_t v) {
  float f;
  std::memcpy(&f, &v, 4);
  return f;
}
uint32_t FloatBits(float f) {
  uint32_t v;
  std::memcpy(&v, &f, 4);
  return v;
}

}  // namespace

uint8_t CueLexiconByte(int64_t gold, int64_t corpus, bool seed) {
  uint32_t ratio = 11;
  if (corpus > 0) {
    const double r = static_cast<double>(gold) / static_cast<double>(corpus);
    ratio = 1 + static_cast<uint32_t>(std::clamp(std::floor(r * 10), 0.0, 9.0));
  }
  const uint32_t count = gold < 5 ? 0 : gold < 20 ? 1 : gold < 100 ? 2 : 3;
  return static_cast<uint8_t>(ratio | (count << 4) | (seed ? 0x40 : 0));
}

int CueWordFeatures(const CueTaggerInput& in, uint32_t i, uint32_t flags, uint64_t* out) {
  const Token& t = in.tokens->tokens[i];
  std::string_view w = TokenText(in.text, t);
  if (w.size() > kMaxWordBytes) w = w.substr(0, kMaxWordBytes);
  const uint64_t lower = ner::HashLower(w);
  const uint64_t suffix = SuffixClass(w);
  int m = 0;
  out[m++] = Feat(1, ner::HashBytes(w));
  out[m++] = Feat(2, lower);
  out[m++] = Feat(3, suffix);
  out[m++] = Feat(4, ShapeOf(t));
  out[m++] = Feat2(5, suffix, ShapeOf(t));
  if ((flags & kCueFeatureLexicon) != 0) {
    const uint8_t lex = in.lex[i];
    out[m++] = Feat(6, lex);
    out[m++] = Feat2(7, lex & 0x0F, suffix);
    out[m++] = Feat2(8, lex >> 4, lex != 0);
  }
  return m;
}

int CueContextFeatures(const CueTaggerInput& in, uint32_t i, uint32_t flags, uint64_t* out) {
  const uint32_t n = static_cast<uint32_t>(in.tokens->tokens.size());
  const bool lexf = (flags & kCueFeatureLexicon) != 0;
  auto lower = [&](int64_t k) -> uint64_t {
    if (k < 0) return 1;
    if (k >= n) return 2;
    return LowerAt(in, static_cast<uint32_t>(k));
  };
  auto shape = [&](int64_t k) -> uint64_t {
    if (k < 0 || k >= n) return 30;
    return ShapeOf(in.tokens->tokens[k]);
  };
  auto lexb = [&](int64_t k) -> uint64_t {
    if (k < 0 || k >= n) return 0xFF;
    return in.lex[k] & 0x0F;
  };
  const uint64_t w0 = lower(i);
  const uint64_t wm1 = lower(int64_t{i} - 1), wp1 = lower(int64_t{i} + 1);
  const uint64_t wm2 = lower(int64_t{i} - 2), wp2 = lower(int64_t{i} + 2);
  const uint64_t pos = in.sent_pos[i] < 4 ? in.sent_pos[i] : 4;
  const uint64_t left = in.sent_left[i] < 3 ? in.sent_left[i] : 3;
  const uint64_t qd = in.quote_dist[i] < 4 ? in.quote_dist[i] : in.quote_dist[i] < 8 ? 5 : 6;
  int m = 0;
  out[m++] = Feat(20, wm1);
  out[m++] = Feat(21, wp1);
  out[m++] = Feat(22, wm2);
  out[m++] = Feat(23, wp2);
  out[m++] = Feat2(24, wm1, w0);
  out[m++] = Feat2(25, w0, wp1);
  out[m++] = Feat2(26, shape(int64_t{i} - 1), shape(int64_t{i} + 1));
  out[m++] = Feat2(27, w0, shape(int64_t{i} - 1));
  out[m++] = Feat2(28, w0, shape(int64_t{i} + 1));
  out[m++] = Feat2(29, shape(int64_t{i} - 2), shape(int64_t{i} - 1));
  out[m++] = Feat2(30, shape(int64_t{i} + 1), shape(int64_t{i} + 2));
  out[m++] = Feat(31, pos * 8 + left);
  out[m++] = Feat2(32, w0, pos);
  out[m++] = Feat(33, qd * 2 + in.in_quote[i]);
  out[m++] = Feat2(34, w0, qd);
  out[m++] = Feat2(35, w0, wp2);
  if (lexf) {
    out[m++] = Feat2(36, lexb(int64_t{i} - 1), lexb(int64_t{i} + 1));
    out[m++] = Feat(37, lexb(int64_t{i} - 2));
    out[m++] = Feat(38, lexb(int64_t{i} + 2));
    out[m++] = Feat2(39, lexb(i), wm1);
    out[m++] = Feat2(40, lexb(i), wp1);
    out[m++] = Feat2(41, lexb(i), qd);
  }
  return m;
}

void BuildCueTaggerTables(std::string_view text, const Tokens& tokens,
                          const std::vector<int32_t>& quote_of, CueTaggerTables* t,
                          bool with_lower) {
  const uint32_t n = static_cast<uint32_t>(tokens.tokens.size());
  t->lower.resize(with_lower ? n : 0);
  for (uint32_t i = 0; with_lower && i < n; ++i) {
    std::string_view w = TokenText(text, tokens.tokens[i]);
    if (w.size() > kMaxWordBytes) w = w.substr(0, kMaxWordBytes);
    t->lower[i] = CueLowerHash(w);
  }
  t->lex.resize(n);
  t->in_quote.resize(n);
  t->quote_dist.resize(n);
  t->sent_pos.resize(n);
  t->sent_left.resize(n);
  uint32_t last = 1u << 30;
  for (uint32_t i = 0; i < n; ++i) {
    t->in_quote[i] = quote_of[i] >= 0 ? 1 : 0;
    if (tokens.tokens[i].kind == TokenKind::kQuote) last = i;
    const uint32_t d = last == (1u << 30) ? 15 : i - last;
    t->quote_dist[i] = static_cast<uint8_t>(d < 15 ? d : 15);
  }
  uint32_t next = 1u << 30;
  for (uint32_t i = n; i-- > 0;) {
    if (tokens.tokens[i].kind == TokenKind::kQuote) next = i;
    const uint32_t d = next == (1u << 30) ? 15 : next - i;
    if (d < t->quote_dist[i]) t->quote_dist[i] = static_cast<uint8_t>(d);
  }
  for (const TokenRange& r : tokens.sentences) {
    for (uint32_t i = r.begin; i < r.end && i < n; ++i) {
      const uint32_t pos = i - r.begin, left = r.end - 1 - i;
      t->sent_pos[i] = static_cast<uint8_t>(pos < 255 ? pos : 255);
      t->sent_left[i] = static_cast<uint8_t>(left < 255 ? left : 255);
    }
  }
}

uint64_t CuePrevFeature(int prev) { return Feat(50, static_cast<uint64_t>(prev)); }
uint64_t CuePrevWordFeature(int prev, uint64_t lower) {
  return Feat2(51, static_cast<uint64_t>(prev), lower);
}

namespace {

// All features of token i given the previous label: word, previous label, context.
int AllFeatures(const CueTaggerInput& in, uint32_t i, uint32_t flags, int prev, uint64_t* feats) {
  int m = CueWordFeatures(in, i, flags, feats);
  feats[m++] = CuePrevFeature(prev);
  feats[m++] = CuePrevWordFeature(prev, LowerAt(in, i));
  m += CueContextFeatures(in, i, flags, feats + m);
  return m;
}

struct Acc {
  double w[kCueLabels] = {};
  double u[kCueLabels] = {};
};

}  // namespace

void TagCueLabels(const CueTaggerModel& model, const CueTaggerInput& in,
                  std::vector<uint8_t>* out) {
  const uint32_t n = static_cast<uint32_t>(in.tokens->tokens.size());
  out->assign(n, kCueO);
  uint64_t feats[kMaxCueWordFeatures + kMaxCueContextFeatures + 2];
  int prev = kCueO;
  for (uint32_t i = 0; i < n; ++i) {
    if (!CueTaggable(in, i)) {
      prev = kCueO;
      continue;
    }
    const int m = AllFeatures(in, i, model.flags, prev, feats);
    float sc[kCueLabels] = {};
    for (int k = 0; k < m; ++k) model.Add(feats[k], sc);
    int best = kCueO;
    for (int l = 1; l < kCueLabels; ++l) {
      if (CueLabelAllowed(prev, l) && sc[l] > sc[best]) best = l;
    }
    (*out)[i] = static_cast<uint8_t>(best);
    prev = best;
  }
}

CueTaggerModel TrainCueTagger(const std::vector<CueTrainingText>& texts,
                              const CueTrainOptions& options,
                              std::vector<size_t>* errors_per_epoch) {
  absl::flat_hash_map<uint64_t, Acc> weights;
  double c = 1;
  uint64_t seed = options.seed;
  const uint32_t flags = options.flags;
  uint64_t feats[kMaxCueWordFeatures + kMaxCueContextFeatures + 2];
  std::vector<size_t> order(texts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (int ep = 0; ep < options.epochs; ++ep) {
    attribution_internal::DeterministicShuffle(&order, &seed);
    size_t errors = 0;
    for (size_t idx : order) {
      const CueTrainingText& t = texts[idx];
      const CueTaggerInput in = t.tables->Input(t.text, *t.tokens);
      const uint32_t n = static_cast<uint32_t>(t.tokens->tokens.size());
      int prev = kCueO;
      for (uint32_t i = 0; i < n; ++i) {
        if (!CueTaggable(in, i)) {
          prev = kCueO;
          continue;
        }
        const int m = AllFeatures(in, i, flags, prev, feats);
        double sc[kCueLabels] = {};
        for (int k = 0; k < m; ++k) {
          auto it = weights.find(feats[k]);
          if (it == weights.end()) continue;
          for (int l = 0; l < kCueLabels; ++l) sc[l] += it->second.w[l];
        }
        int best = kCueO;
        for (int l = 1; l < kCueLabels; ++l) {
          if (CueLabelAllowed(prev, l) && sc[l] > sc[best]) best = l;
        }
        // After a predicted O, a gold I can only be continued as a new span: learn B there.
        const int y = t.labels[i] == kCueI && prev == kCueO ? static_cast<int>(kCueB) : t.labels[i];
        if (best != y) {
          ++errors;
          for (int k = 0; k < m; ++k) {
            Acc& a = weights[feats[k]];
            a.w[y] += 1;
            a.u[y] += c;
            a.w[best] -= 1;
            a.u[best] -= c;
          }
        }
        c += 1;
        prev = best;
      }
    }
    if (errors_per_epoch != nullptr) errors_per_epoch->push_back(errors);
  }
  // Averaged weights, inserted in sorted feature order (a deterministic table and file).
  std::vector<std::pair<uint64_t, CueWeights>> rows;
  for (const auto& [h, a] : weights) {
    CueWeights avg;
    bool keep = false;
    for (int l = 0; l < kCueLabels; ++l) {
      avg[l] = static_cast<float>(a.w[l] - a.u[l] / c);
      keep = keep || std::fabs(avg[l]) > options.min_weight;
    }
    if (keep) rows.emplace_back(h, avg);
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& x, const auto& y) { return x.first < y.first; });
  CueTaggerModel model;
  model.flags = flags;
  model.weights.Reserve(rows.size());
  for (const auto& [h, avg] : rows) *model.weights.Insert(h) = avg;
  // The skip bound: a quantile of the context margins of the words tagged B after an O.
  float bound = 0;
  std::vector<float> margins;
  for (const CueTrainingText& t : texts) {
    const CueTaggerInput in = t.tables->Input(t.text, *t.tokens);
    int prev = kCueO;
    for (uint32_t i = 0; i < t.tokens->tokens.size(); ++i) {
      if (!CueTaggable(in, i)) {
        prev = kCueO;
        continue;
      }
      float word[kCueLabels] = {}, ctx[kCueLabels] = {};
      const int mw = CueWordFeatures(in, i, flags, feats);
      for (int k = 0; k < mw; ++k) model.Add(feats[k], word);
      model.Add(CuePrevFeature(prev), word);
      model.Add(CuePrevWordFeature(prev, LowerAt(in, i)), word);
      const int mc = CueContextFeatures(in, i, flags, feats);
      for (int k = 0; k < mc; ++k) model.Add(feats[k], ctx);
      int best = kCueO;
      for (int l = 1; l < kCueLabels; ++l) {
        if (CueLabelAllowed(prev, l) && word[l] + ctx[l] > word[best] + ctx[best]) best = l;
      }
      if (prev == kCueO && best == kCueB) margins.push_back(ctx[kCueB] - ctx[kCueO]);
      prev = best;
    }
  }
  if (!margins.empty()) {
    std::sort(margins.begin(), margins.end());
    const double q = std::min(1.0, std::max(0.0, options.bound_quantile));
    const size_t at = static_cast<size_t>(q * static_cast<double>(margins.size() - 1) + 0.5);
    bound = margins[at];
  }
  model.context_bound = bound;
  return model;
}

std::string SerializeCueTagger(const CueTaggerModel& model) {
  float max_abs = 0;
  size_t rows = 0;
  model.weights.ForEachSlot([&](uint64_t key, const CueWeights& w) {
    if (key == 0) return;
    ++rows;
    for (float x : w) max_abs = std::max(max_abs, std::fabs(x));
  });
  float scale = max_abs > 0 ? 32767.0f / max_abs : 1.0f;
  // Weights so small that 32767 / max_abs overflows (a loaded image with a huge scale) keep the
  // largest finite scale, which the loader accepts; they quantise to small integers or zero.
  if (!std::isfinite(scale)) scale = std::numeric_limits<float>::max();
  std::string out(kMagic, 8);
  PutU32(&out, kCueTaggerVersion);
  PutU32(&out, kCueLabels);
  PutU32(&out, model.flags);
  PutU32(&out, FloatBits(model.context_bound));
  PutU32(&out, FloatBits(scale));
  PutU32(&out, static_cast<uint32_t>(rows));
  model.weights.ForEachSlot([&](uint64_t key, const CueWeights& w) {
    if (key == 0) return;
    for (int k = 0; k < 8; ++k) out.push_back(static_cast<char>((key >> (8 * k)) & 0xFF));
    for (float x : w) {
      const int16_t q =
          static_cast<int16_t>(std::clamp<long>(std::lround(x * scale), -32767, 32767));
      out.push_back(static_cast<char>(q & 0xFF));
      out.push_back(static_cast<char>((static_cast<uint16_t>(q) >> 8) & 0xFF));
    }
  });
  PutU32(&out, ner::Crc32(out));
  return out;
}

absl::StatusOr<CueTaggerModel> ParseCueTagger(std::string_view bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return absl::InvalidArgumentError("cue tagger model: bad magic (not an NPCUETAG file)");
  }
  if (bytes.size() < kHeaderSize + 4) return absl::DataLossError("cue tagger model: truncated");
  const char* p = bytes.data();
  const uint32_t version = GetU32(p + 8);
  if (version != kCueTaggerVersion) {
    return absl::FailedPreconditionError(absl::StrCat("cue tagger model: format version ", version,
                                                      ", this build reads ", kCueTaggerVersion));
  }
  if (GetU32(p + 12) != kCueLabels) {
    return absl::InvalidArgumentError("cue tagger model: wrong number of labels");
  }
  const uint32_t rows = GetU32(p + 28);
  const uint64_t need = kHeaderSize + static_cast<uint64_t>(rows) * kRowSize + 4;
  if (bytes.size() < need) return absl::DataLossError("cue tagger model: truncated");
  if (bytes.size() > need) return absl::DataLossError("cue tagger model: trailing bytes");
  const uint32_t crc = GetU32(p + need - 4);
  if (ner::Crc32(bytes.substr(0, need - 4)) != crc) {
    return absl::DataLossError("cue tagger model: checksum mismatch");
  }
  CueTaggerModel model;
  model.flags = GetU32(p + 16);
  if ((model.flags & ~kCueKnownFeatures) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("cue tagger model: unknown feature flags 0x",
                                                   absl::Hex(model.flags), " (this build knows 0x",
                                                   absl::Hex(kCueKnownFeatures), ")"));
  }
  model.context_bound = AsFloat(GetU32(p + 20));
  const float scale = AsFloat(GetU32(p + 24));
  if (!(scale > 0) || !std::isfinite(scale) || !std::isfinite(model.context_bound)) {
    return absl::InvalidArgumentError("cue tagger model: bad scale or bound");
  }
  model.weights.Reserve(rows);
  const char* r = p + kHeaderSize;
  for (uint32_t k = 0; k < rows; ++k, r += kRowSize) {
    uint64_t key = 0;
    for (int b = 0; b < 8; ++b)
      key |= static_cast<uint64_t>(static_cast<unsigned char>(r[b])) << (8 * b);
    CueWeights w;
    for (int l = 0; l < kCueLabels; ++l) {
      const uint16_t u = static_cast<uint16_t>(static_cast<unsigned char>(r[8 + 2 * l]) |
                                               (static_cast<unsigned char>(r[9 + 2 * l]) << 8));
      w[l] = static_cast<float>(static_cast<int16_t>(u)) / scale;
      if (!std::isfinite(w[l])) {  // a tiny scale overflows the division
        return absl::InvalidArgumentError(absl::StrCat(
            "cue tagger model: row ", k, " has a non-finite weight (scale too small)"));
      }
    }
    *model.weights.Insert(key) = w;
  }
  return model;
}

}  // namespace newsparse
