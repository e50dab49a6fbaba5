#include "core/ner_features.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "core/ner_hash.h"

namespace newsparse {
namespace ner {
namespace {

constexpr uint64_t kBos = FeatureExtractor::kStartOfSentence;
constexpr uint64_t kEos = FeatureExtractor::kEndOfSentence;

// Per byte: its ASCII lower-case form, and its class (bit 0 ASCII upper, 1 ASCII lower, 2 ASCII
// digit, 3 non-ASCII, 4 quote mark " ' `, 5 any other ASCII byte).
// seen_flags: the TokenInfo flags of a word from the union of its bytes' classes (kNerAllCaps,
// kNerHasUpper, kNerHasDigit, kNerNonAscii, and kNerPlain before the gazetteer is consulted; one
// load instead of a branch per flag). Classes 4 and 5 only serve kNerPlain.
struct ByteTables {
  unsigned char lower[256];
  unsigned char cls[256];
  uint16_t seen_flags[64];
  constexpr ByteTables() : lower(), cls(), seen_flags() {
    for (int c = 0; c < 256; ++c) {
      const bool up = c >= 'A' && c <= 'Z';
      lower[c] = static_cast<unsigned char>(up ? c + 32 : c);
      const bool quote = c == '"' || c == '\'' || c == '`';
      cls[c] = up                       ? 1
               : (c >= 'a' && c <= 'z') ? 2
               : (c >= '0' && c <= '9') ? 4
               : c >= 0x80              ? 8
               : quote                  ? 16
                                        : 32;
    }
    for (int seen = 0; seen < 64; ++seen) {
      const bool plain = seen != 0 && (seen & (1 | 8)) == 0 && seen != 16;
      seen_flags[seen] =
          static_cast<uint16_t>(((seen & 3) == 1 ? kNerAllCaps : 0) |
                                ((seen & 1) ? kNerHasUpper : 0) | ((seen & 4) ? kNerHasDigit : 0) |
                                ((seen & 8) ? kNerNonAscii : 0) | (plain ? kNerPlain : 0));
    }
  }
};
constexpr ByteTables kByteTables;

}  // namespace

std::string_view TypeName(int type) {
  static constexpr std::string_view kNames[] = {"PER", "ORG", "LOC", "MISC"};
  return type >= 0 && type < kNumTypes ? kNames[type] : std::string_view("O");
}

int TypeFromName(std::string_view name) {
  for (int t = 0; t < kNumTypes; ++t) {
    if (TypeName(t) == name) return t;
  }
  return -1;
}

std::string LabelName(int label) {
  if (label <= 0 || label >= kNumLabels) return "O";
  static constexpr char kParts[] = {'B', 'I', 'L', 'U'};
  std::string s(1, kParts[LabelPart(label)]);
  s += '-';
  s += TypeName(LabelType(label));
  return s;
}

bool AllowedTransition(int prev, int cur) {
  const bool prev_open = prev > 0 && (LabelPart(prev) == kPartB || LabelPart(prev) == kPartI);
  const int cp = LabelPart(cur);
  if (prev_open) {
    return cur > 0 && (cp == kPartI || cp == kPartL) && LabelType(cur) == LabelType(prev);
  }
  return cur == 0 || cp == kPartB || cp == kPartU;
}

namespace {
struct TransitionMasks {
  uint32_t allowed[kNumLabels + 1];
  uint32_t end = 0;
  TransitionMasks() {
    for (int p = -1; p < kNumLabels; ++p) {
      allowed[p + 1] = 0;
      for (int l = 0; l < kNumLabels; ++l) {
        if (AllowedTransition(p, l)) allowed[p + 1] |= 1u << l;
      }
    }
    for (int l = 0; l < kNumLabels; ++l) {
      if (AllowedAtEnd(l)) end |= 1u << l;
    }
  }
};
const TransitionMasks& Masks() {
  static const TransitionMasks m;
  return m;
}
}  // namespace

uint32_t AllowedMask(int prev) { return Masks().allowed[prev + 1]; }
uint32_t EndMask() { return Masks().end; }

std::string WordShape(std::string_view word) {
  std::string s;
  char last = 0;
  for (unsigned char c : word) {
    char k;
    if (c >= 'A' && c <= 'Z')
      k = 'X';
    else if (c >= 'a' && c <= 'z')
      k = 'x';
    else if (c >= '0' && c <= '9')
      k = 'd';
    else if (c >= 0x80) {
      if ((c & 0xC0) == 0x80) continue;  // continuation byte
      k = 'u';
    } else {
      k = static_cast<char>(c);
    }
    if (k == last) continue;
    last = k;
    s.push_back(k);
    if (s.size() >= 12) break;
  }
  return s;
}

FeatureExtractor::FeatureExtractor(const ClusterTable* clusters, const Gazetteer* gazetteer,
                                   const NerFeatureOptions& options)
    : clusters_(clusters), gazetteer_(gazetteer), options_(options) {
  if (clusters_ == nullptr) options_.clusters = false;
  if (gazetteer_ == nullptr) options_.gazetteer = false;
}

void FeatureExtractor::ComputeTokenKeys(const std::string_view* words, size_t n, TokenInfo* info,
                                        uint64_t* scratch) const {
  // HashBytes (word) and HashLower (lower) of each word, bit-identical to them: a word whose first
  // byte is an ASCII capital takes both in one loop over the bytes after it; any other word takes
  // HashBytes alone, which is also its HashLower unless it has an ASCII capital further on (then a
  // second loop).
  unsigned seen_all = 0;  // the union of the tokens' byte classes
  for (size_t i = 0; i < n; ++i) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(words[i].data());
    const unsigned char* const end = p + words[i].size();
    TokenInfo& t = info[i];
    uint64_t hw = kFnvOffset, hl;
    unsigned seen = 0;  // bit 0 upper, 1 lower, 2 digit, 3 non-ASCII, 4 quote, 5 other
    const bool cap = p != end && kByteTables.cls[*p] == 1;
    if (cap) {
      // The capital, then the rest hashed as it is in both chains; a capital in the rest (rare:
      // "McDonald", "NATO") means the lower-cased chain is taken again with the lower-case table.
      const unsigned char c0 = *p;
      hw = (hw ^ c0) * kFnvPrime;
      hl = (kFnvOffset ^ kByteTables.lower[c0]) * kFnvPrime;
      const uint64_t hl0 = hl;
      const unsigned char* q = p + 1;
      unsigned rest = 0;
      for (; end - q >= 2; q += 2) {
        const unsigned char c1 = q[0], c2 = q[1];
        hw = (hw ^ c1) * kFnvPrime;
        hl = (hl ^ c1) * kFnvPrime;
        hw = (hw ^ c2) * kFnvPrime;
        hl = (hl ^ c2) * kFnvPrime;
        rest |= kByteTables.cls[c1] | kByteTables.cls[c2];
      }
      if (q != end) {
        hw = (hw ^ *q) * kFnvPrime;
        hl = (hl ^ *q) * kFnvPrime;
        rest |= kByteTables.cls[*q];
      }
      if ((rest & 1) != 0) {
        hl = hl0;
        for (q = p + 1; q != end; ++q) hl = (hl ^ kByteTables.lower[*q]) * kFnvPrime;
      }
      seen = rest | 1;
    } else {
      const unsigned char* q = p;
      for (; end - q >= 2; q += 2) {
        const unsigned char c0 = q[0], c1 = q[1];
        hw = (hw ^ c0) * kFnvPrime;
        hw = (hw ^ c1) * kFnvPrime;
        seen |= kByteTables.cls[c0] | kByteTables.cls[c1];
      }
      if (q != end) {
        hw = (hw ^ *q) * kFnvPrime;
        seen |= kByteTables.cls[*q];
      }
      hl = hw;
      if ((seen & 1) != 0) {
        hl = kFnvOffset;
        for (; p != end; ++p) hl = (hl ^ kByteTables.lower[*p]) * kFnvPrime;
      }
    }
    t.word = hw;
    t.lower = hl;
    t.gaz = 0;
    t.flags = static_cast<uint16_t>(kByteTables.seen_flags[seen] | (cap ? kNerCap : 0));
    seen_all |= seen;
    scratch[i] = hl;
  }
  if (n > 0) info[0].flags |= kNerSentStart;
  // Every token with a letter is all capitals (no token has a lower-case letter, one has a
  // capital).
  const bool headline = (seen_all & 3) == 1;
  uint64_t* const gaz = scratch + n;
  std::fill(gaz, gaz + n, uint64_t{0});
  if (options_.gazetteer) gazetteer_->Match(scratch, n, gaz);
  if (headline) {
    for (size_t i = 0; i < n; ++i) info[i].flags |= kNerHeadline;
  }
  // Most tokens match nothing: their gaz stays 0 from the loop above.
  for (size_t i = 0; i < n; ++i) {
    if (gaz[i] == 0) continue;
    info[i].gaz = gaz[i];
    info[i].flags &= static_cast<uint16_t>(~kNerPlain);
  }
}

void FeatureExtractor::CompleteTokenInfo(std::string_view w, TokenInfo* tp) const {
  TokenInfo& t = *tp;
  // The cluster table (megabytes, read at random) is probed at the end: its first reads load
  // while the word's bytes are read.
  if (options_.clusters) {
    clusters_->Prefetch(t.word);
    if ((t.flags & kNerHasUpper) != 0) clusters_->Prefetch(t.lower);
  }
  uint64_t hl = kFnvOffset;
  char shape[12];
  int shape_len = 0;
  char last = 0;
  const size_t len = w.size();
  for (size_t k = 0; k < len; ++k) {
    const unsigned char c = static_cast<unsigned char>(w[k]);
    if (k < 4) {
      hl = (hl ^ AsciiLower(c)) * kFnvPrime;
      t.prefix[k] = hl;
    }
    char cls;
    if (c >= 'A' && c <= 'Z') {
      cls = 'X';
    } else if (c >= 'a' && c <= 'z') {
      cls = 'x';
    } else if (c >= '0' && c <= '9') {
      cls = 'd';
    } else if (c >= 0x80) {
      if ((c & 0xC0) == 0x80) continue;
      cls = 'u';
    } else {
      cls = static_cast<char>(c);
    }
    if (cls != last && shape_len < 12) {
      shape[shape_len++] = cls;
      last = cls;
    }
  }
  for (size_t k = len; k < 4; ++k) t.prefix[k] = len == 0 ? kFnvOffset : t.prefix[len - 1];
  t.hyphen_first = t.hyphen_last = 0;
  if (len > 2) {
    const size_t first = w.find('-');
    if (first != std::string_view::npos && first > 0 && first + 1 < len) {
      t.hyphen_first = HashLower(w.substr(0, first));
      t.hyphen_last = HashLower(w.substr(w.rfind('-') + 1));
    }
  }
  uint64_t hs = kFnvOffset;
  for (size_t k = 0; k < 4; ++k) {
    if (k < len) hs = (hs ^ AsciiLower(static_cast<unsigned char>(w[len - 1 - k]))) * kFnvPrime;
    t.suffix[k] = hs;
  }
  t.shape = HashBytes(std::string_view(shape, shape_len));
  for (int l = 0; l < kMaxClusterLevels; ++l) t.cls[l] = 0xffff;
  t.case_ratio = 0;
  t.flags &= static_cast<uint16_t>(~kNerHasCluster);
  if (options_.clusters) {
    const bool upper = (t.flags & kNerHasUpper) != 0;
    // Exact form, else the capitalised form, else the lower-cased form.
    const ClusterEntry* e = clusters_->FindExact(t.word);
    const int word_log2 = e != nullptr ? e->log2_count : -1;
    if (e == nullptr && upper) e = clusters_->FindExact(HashCapitalized(w));
    const ClusterEntry* el = upper ? clusters_->FindExact(t.lower) : nullptr;
    const int lower_log2 = el != nullptr ? el->log2_count : -1;
    if (e == nullptr) e = el;
    if (e != nullptr) {
      for (int l = 0; l < kMaxClusterLevels; ++l) t.cls[l] = e->cls[l];
      t.flags |= kNerHasCluster;
    }
    if (upper) {
      t.case_ratio = (word_log2 < 0 && lower_log2 < 0)
                         ? int8_t{-9}
                         : static_cast<int8_t>(std::clamp(lower_log2 - word_log2, -4, 4));
    }
  }
}

void FeatureExtractor::ComputeTokenInfo(const std::string_view* words, size_t n, TokenInfo* info,
                                        uint64_t* scratch) const {
  ComputeTokenKeys(words, n, info, scratch);
  for (size_t i = 0; i < n; ++i) CompleteTokenInfo(words[i], &info[i]);
}

int FeatureExtractor::StaticFeatures(const TokenInfo* info, size_t n, size_t i,
                                     uint64_t* out) const {
  int k = 0;
  const TokenInfo& t = info[i];
  const TokenInfo* m1 = i >= 1 ? &info[i - 1] : nullptr;
  const TokenInfo* m2 = i >= 2 ? &info[i - 2] : nullptr;
  const TokenInfo* p1 = i + 1 < n ? &info[i + 1] : nullptr;
  const TokenInfo* p2 = i + 2 < n ? &info[i + 2] : nullptr;
  const uint64_t lm1 = m1 ? m1->lower : kBos, lm2 = m2 ? m2->lower : kBos;
  const uint64_t lp1 = p1 ? p1->lower : kEos, lp2 = p2 ? p2->lower : kEos;
  const uint64_t sm1 = m1 ? m1->shape : kBos, sp1 = p1 ? p1->shape : kEos;
  out[k++] = Feat(kTplBias, 0);
  out[k++] = Feat(kTplWord, t.word);
  out[k++] = Feat(kTplLower, t.lower);
  out[k++] = Feat(kTplShape, t.shape);
  for (int j = 0; j < 4; ++j) {
    out[k++] = Feat(kTplPrefix + j, t.prefix[j]);
    out[k++] = Feat(kTplSuffix + j, t.suffix[j]);
  }
  out[k++] = Feat(kTplLowerM1, lm1);
  out[k++] = Feat(kTplLowerM2, lm2);
  out[k++] = Feat(kTplLowerP1, lp1);
  out[k++] = Feat(kTplLowerP2, lp2);
  out[k++] = Feat(kTplShapeM1, sm1);
  out[k++] = Feat(kTplShapeP1, sp1);
  out[k++] = Feat(kTplBigramM1, Combine(lm1, t.lower));
  out[k++] = Feat(kTplBigramP1, Combine(t.lower, lp1));
  out[k++] = Feat(kTplShape3, Combine(Combine(sm1, t.shape), sp1));
  out[k++] = Feat(kTplLowerM1Shape, Combine(lm1, t.shape));
  out[k++] = Feat(kTplShapeLowerP1, Combine(t.shape, lp1));
  if (t.hyphen_first != 0) {
    out[k++] = Feat(kTplHyphenFirst, t.hyphen_first);
    out[k++] = Feat(kTplHyphenLast, t.hyphen_last);
  }
  if (t.flags & kNerSentStart) {
    out[k++] = Feat(kTplSentStartShape, t.shape);
    out[k++] = Feat(kTplSentStartLower, t.lower);
  }
  if (t.flags & kNerHeadline) {
    out[k++] = Feat(kTplHeadlineLower, t.lower);
    out[k++] = Feat(kTplHeadlineShape, t.shape);
  }
  const uint64_t cap_pattern = (m1 ? (m1->flags & 3) + 1 : 0) * 16 + (t.flags & 3) * 4 +
                               (p1 ? (p1->flags & 3) + 1 : 0) +
                               ((t.flags & kNerHeadline) ? 256 : 0);
  out[k++] = Feat(kTplCapPattern, cap_pattern);
  if (options_.clusters) {
    if (t.flags & (kNerCap | kNerAllCaps)) {
      out[k++] = Feat(kTplCaseRatio, static_cast<uint64_t>(t.case_ratio + 16) +
                                         ((t.flags & kNerSentStart) ? 64 : 0) +
                                         ((t.flags & kNerHeadline) ? 128 : 0));
    }
    const int levels = clusters_->levels();
    for (int l = 0; l < levels; ++l) {
      out[k++] = Feat(kTplCluster + l, t.cls[l]);
      out[k++] = Feat(kTplClusterM1 + l, m1 ? m1->cls[l] : 0xfffe);
      out[k++] = Feat(kTplClusterP1 + l, p1 ? p1->cls[l] : 0xfffd);
    }
    for (int l = 1; l < levels; ++l) {
      out[k++] = Feat(kTplClusterM2 + l, m2 ? m2->cls[l] : 0xfffe);
      out[k++] = Feat(kTplClusterP2 + l, p2 ? p2->cls[l] : 0xfffd);
    }
    const int lv = levels > 1 ? 1 : 0;
    out[k++] =
        Feat(kTplClusterPair, (static_cast<uint64_t>(m1 ? m1->cls[lv] : 0xfffe) << 16) | t.cls[lv]);
  }
  if (options_.gazetteer) {
    const uint64_t cap = (t.flags & (kNerCap | kNerAllCaps)) ? 1 : 0;
    int count = 0;
    for (uint64_t g = t.gaz; g != 0; g &= g - 1) {
      out[k++] = Feat(kTplGaz, static_cast<uint64_t>(__builtin_ctzll(g)) * 2 + cap);
      ++count;
    }
    out[k++] = Feat(kTplGazCount, count * 2 + cap);
    if (m1) {
      for (uint64_t g = m1->gaz; g != 0; g &= g - 1) out[k++] = Feat(kTplGazM1, __builtin_ctzll(g));
    }
    if (p1) {
      for (uint64_t g = p1->gaz; g != 0; g &= g - 1) out[k++] = Feat(kTplGazP1, __builtin_ctzll(g));
    }
  }
  return k;
}

int FeatureExtractor::WordFeatures(const TokenInfo& t, uint64_t* out) const {
  int k = 0;
  out[k++] = Feat(kTplBias, 0);
  out[k++] = Feat(kTplWord, t.word);
  out[k++] = Feat(kTplLower, t.lower);
  out[k++] = Feat(kTplShape, t.shape);
  for (int j = 0; j < 4; ++j) {
    out[k++] = Feat(kTplPrefix + j, t.prefix[j]);
    out[k++] = Feat(kTplSuffix + j, t.suffix[j]);
  }
  if (t.hyphen_first != 0) {
    out[k++] = Feat(kTplHyphenFirst, t.hyphen_first);
    out[k++] = Feat(kTplHyphenLast, t.hyphen_last);
  }
  if (t.flags & kNerSentStart) {
    out[k++] = Feat(kTplSentStartShape, t.shape);
    out[k++] = Feat(kTplSentStartLower, t.lower);
  }
  if (t.flags & kNerHeadline) {
    out[k++] = Feat(kTplHeadlineLower, t.lower);
    out[k++] = Feat(kTplHeadlineShape, t.shape);
  }
  if (options_.clusters) {
    if (t.flags & (kNerCap | kNerAllCaps)) {
      out[k++] = Feat(kTplCaseRatio, static_cast<uint64_t>(t.case_ratio + 16) +
                                         ((t.flags & kNerSentStart) ? 64 : 0) +
                                         ((t.flags & kNerHeadline) ? 128 : 0));
    }
    const int levels = clusters_->levels();
    for (int l = 0; l < levels; ++l) out[k++] = Feat(kTplCluster + l, t.cls[l]);
  }
  if (options_.gazetteer) {
    const uint64_t cap = (t.flags & (kNerCap | kNerAllCaps)) ? 1 : 0;
    int count = 0;
    for (uint64_t g = t.gaz; g != 0; g &= g - 1) {
      out[k++] = Feat(kTplGaz, static_cast<uint64_t>(__builtin_ctzll(g)) * 2 + cap);
      ++count;
    }
    out[k++] = Feat(kTplGazCount, count * 2 + cap);
  }
  return k;
}

int FeatureExtractor::NeighbourFeatures(const TokenInfo* nb, int offset, uint64_t* out) const {
  int k = 0;
  const int levels = options_.clusters ? clusters_->levels() : 0;
  switch (offset) {
    case -1:
      out[k++] = Feat(kTplLowerM1, nb ? nb->lower : kBos);
      out[k++] = Feat(kTplShapeM1, nb ? nb->shape : kBos);
      for (int l = 0; l < levels; ++l) out[k++] = Feat(kTplClusterM1 + l, nb ? nb->cls[l] : 0xfffe);
      if (options_.gazetteer && nb) {
        for (uint64_t g = nb->gaz; g != 0; g &= g - 1)
          out[k++] = Feat(kTplGazM1, __builtin_ctzll(g));
      }
      break;
    case 1:
      out[k++] = Feat(kTplLowerP1, nb ? nb->lower : kEos);
      out[k++] = Feat(kTplShapeP1, nb ? nb->shape : kEos);
      for (int l = 0; l < levels; ++l) out[k++] = Feat(kTplClusterP1 + l, nb ? nb->cls[l] : 0xfffd);
      if (options_.gazetteer && nb) {
        for (uint64_t g = nb->gaz; g != 0; g &= g - 1)
          out[k++] = Feat(kTplGazP1, __builtin_ctzll(g));
      }
      break;
    case -2:
      out[k++] = Feat(kTplLowerM2, nb ? nb->lower : kBos);
      for (int l = 1; l < levels; ++l) out[k++] = Feat(kTplClusterM2 + l, nb ? nb->cls[l] : 0xfffe);
      break;
    case 2:
      out[k++] = Feat(kTplLowerP2, nb ? nb->lower : kEos);
      for (int l = 1; l < levels; ++l) out[k++] = Feat(kTplClusterP2 + l, nb ? nb->cls[l] : 0xfffd);
      break;
    default:
      break;
  }
  return k;
}

uint64_t FeatureExtractor::Shape3Feature(const TokenInfo* info, size_t n, size_t i) {
  const uint64_t sm1 = i >= 1 ? info[i - 1].shape : kBos;
  const uint64_t sp1 = i + 1 < n ? info[i + 1].shape : kEos;
  return Feat(kTplShape3, Combine(Combine(sm1, info[i].shape), sp1));
}

int FeatureExtractor::PairFeatures(const TokenInfo* info, size_t n, size_t i, uint64_t* out) const {
  int k = PairWithPrevious(i >= 1 ? &info[i - 1] : nullptr, info[i], out);
  k += PairWithNext(info[i], i + 1 < n ? &info[i + 1] : nullptr, out + k);
  out[k++] = Shape3Feature(info, n, i);
  return k;
}

int FeatureExtractor::HistoryLabelFeatures(int prev1, int prev2, uint64_t* out) {
  const uint64_t a = static_cast<uint64_t>(prev1 + 1), b = static_cast<uint64_t>(prev2 + 1);
  out[0] = Feat(kTplPrev1, a);
  out[1] = Feat(kTplPrev12, a * 32 + b);
  return 2;
}

int FeatureExtractor::HistoryFeatures(const TokenInfo& t, int prev1, int prev2, uint64_t* out) {
  const uint64_t a = static_cast<uint64_t>(prev1 + 1), b = static_cast<uint64_t>(prev2 + 1);
  out[0] = Feat(kTplPrev1, a);
  out[1] = Feat(kTplPrev12, a * 32 + b);
  out[2] = Feat(kTplPrev1Lower, Combine(a, t.lower));
  out[3] = Feat(kTplPrev1Shape, Combine(a, t.shape));
  out[4] = Feat(kTplPrev1Cluster, Combine(a, t.cls[0]));
  return 5;
}

int FeatureExtractor::DocFeatures(const TokenInfo& t, const DocWordStats& others, uint64_t* out) {
  if (!DocKeyed(t)) return 0;
  int total = 0, best = 0;
  uint32_t has = 0;
  DocSummary(others, &total, &best, &has);
  const int ctx = DocContext(t);
  int k = 0;
  out[k++] = DocLeadFeature(total == 0, ctx, best);
  if (total != 0) out[k++] = DocShapeFeature(best, ctx, t.shape);
  // has == 0 when total == 0: no kTplDocHas feature then.
  k += DocHasLastFeatures(has, others.last_pass2, out + k);
  return k;
}

void FeatureExtractor::ContextAggregation(const TokenInfo* info, size_t n,
                                          const uint32_t* sentence_ends, size_t num_sentences,
                                          std::vector<std::pair<uint64_t, uint64_t>>* out) {
  // Four pairs per DocKeyed token, written in place: `out` only grows (a scratch buffer reused
  // between documents keeps its capacity and is not cleared), and is cut to size at the end.
  size_t keyed = 0;
  for (size_t i = 0; i < n; ++i) keyed += DocKeyed(info[i]) ? 1 : 0;
  if (out->size() < 4 * keyed) out->resize(4 * keyed);
  std::pair<uint64_t, uint64_t>* const pairs = out->data();
  std::pair<uint64_t, uint64_t>* o = pairs;
  size_t b = 0;
  for (size_t s = 0; s < num_sentences && b < n; ++s) {
    const size_t e = std::min<size_t>(sentence_ends[s], n);
    for (size_t i = b; i < e; ++i) {
      if (!DocKeyed(info[i])) continue;
      const uint64_t key = info[i].lower;
      o[0] = {key, Feat(kTplContextM1, i >= b + 1 ? info[i - 1].lower : kBos)};
      o[1] = {key, Feat(kTplContextP1, i + 1 < e ? info[i + 1].lower : kEos)};
      o[2] = {key, Feat(kTplContextM2, i >= b + 2 ? info[i - 2].lower : kBos)};
      o[3] = {key, Feat(kTplContextP2, i + 2 < e ? info[i + 2].lower : kEos)};
      o += 4;
    }
    b = e;
  }
  std::sort(pairs, o);
  const size_t m = static_cast<size_t>(std::unique(pairs, o) - pairs);
  // Keep at most kMaxContextFeatures per word.
  size_t w = 0;
  for (size_t r = 0; r < m;) {
    size_t end = r;
    while (end < m && pairs[end].first == pairs[r].first) ++end;
    const size_t keep = std::min(end - r, static_cast<size_t>(kMaxContextFeatures));
    for (size_t k = 0; k < keep; ++k) pairs[w++] = pairs[r + k];
    r = end;
  }
  out->resize(w);
}

void FeatureExtractor::GroupedContextAggregation(const TokenInfo* info, size_t n,
                                                 const uint32_t* sentence_ends,
                                                 size_t num_sentences, const uint32_t* word,
                                                 size_t num_words, std::vector<size_t>* offsets,
                                                 std::vector<uint64_t>* features) {
  // A counting sort of the four features of each DocKeyed token by its word: offsets[g + 1]
  // counts word g's, then offsets[g] is where word g's start and serves as its write cursor.
  offsets->assign(num_words + 1, 0);
  size_t* const off = offsets->data();
  for (size_t i = 0; i < n; ++i) {
    if (DocKeyed(info[i])) off[word[i] + 1] += 4;
  }
  for (size_t g = 0; g < num_words; ++g) off[g + 1] += off[g];
  if (features->size() < off[num_words]) features->resize(off[num_words]);
  uint64_t* const f = features->data();
  size_t b = 0;
  for (size_t s = 0; s < num_sentences && b < n; ++s) {
    const size_t e = std::min<size_t>(sentence_ends[s], n);
    for (size_t i = b; i < e; ++i) {
      if (!DocKeyed(info[i])) continue;
      uint64_t* o = f + off[word[i]];
      off[word[i]] += 4;
      o[0] = Feat(kTplContextM1, i >= b + 1 ? info[i - 1].lower : kBos);
      o[1] = Feat(kTplContextP1, i + 1 < e ? info[i + 1].lower : kEos);
      o[2] = Feat(kTplContextM2, i >= b + 2 ? info[i - 2].lower : kBos);
      o[3] = Feat(kTplContextP2, i + 2 < e ? info[i + 2].lower : kEos);
    }
    b = e;
  }
  // Now off[g] is where word g's features end (and word g + 1's start): word g's run is
  // [g ? end of g - 1 : 0, off[g]). Each run is sorted, made unique and cut to
  // kMaxContextFeatures, moved down in place (w never passes the run's start), and off becomes
  // the runs' new starts.
  // Most runs are one or two mentions' 4 or 8 features: sorted by insertion, which costs less than
  // std::sort's set-up on so few (the sorted order is the same).
  size_t w = 0, start = 0;
  for (size_t g = 0; g < num_words; ++g) {
    const size_t end = off[g];
    uint64_t* const r = f + start;
    const size_t len = end - start;
    if (len <= 16) {
      for (size_t k = 1; k < len; ++k) {
        const uint64_t v = r[k];
        size_t j = k;
        for (; j > 0 && r[j - 1] > v; --j) r[j] = r[j - 1];
        r[j] = v;
      }
    } else {
      std::sort(r, r + len);
    }
    // Unique and cut, moved down: the write position w + keep never passes the read position.
    off[g] = w;
    size_t keep = 0;
    for (size_t k = 0; k < len && keep < static_cast<size_t>(kMaxContextFeatures); ++k) {
      if (keep > 0 && r[k] == f[w + keep - 1]) continue;
      f[w + keep++] = r[k];
    }
    w += keep;
    start = end;
  }
  off[num_words] = w;
}

namespace {

// Cue words of sports reports (project-written). The strong ones rarely occur in business or
// general news; the weak ones do ("Ford Motor", "beat forecasts", "goal", "second round", ...) and
// count only in a document that also holds a results/table line.
constexpr std::string_view kSportsCues[] = {
    "soccer",     "football",   "cricket",  "tennis",       "golf",      "rugby",
    "baseball",   "basketball", "hockey",   "cycling",      "athletics", "boxing",
    "racing",     "skiing",     "league",   "championship", "scored",    "scorers",
    "striker",    "midfielder", "coach",    "innings",      "wickets",   "wicket",
    "batsman",    "bowler",     "lap",      "standings",    "halftime",  "half-time",
    "tournament", "olympic",    "olympics", "nba",          "nhl",       "nfl"};
constexpr std::string_view kWeakSportsCues[] = {
    "motor", "cup",   "match", "matches", "beat",  "beats",  "drew",      "draw",
    "goal",  "goals", "seed",  "seeded",  "round", "played", "champions", "penalty"};

struct CueSet {
  std::vector<std::pair<uint64_t, int>> hashes;  // (hash, cue index), sorted; weak: index >= 64
  // Bit (hash >> 54) of every cue, a 1,024-bit filter: most words fail this test alone.
  uint64_t filter[16] = {};
  CueSet() {
    static_assert(std::size(kSportsCues) <= 64 && std::size(kWeakSportsCues) <= 64);
    int i = 0;
    for (std::string_view w : kSportsCues) Add(w, i++);
    i = 64;
    for (std::string_view w : kWeakSportsCues) Add(w, i++);
    std::sort(hashes.begin(), hashes.end());
  }
  void Add(std::string_view w, int index) {
    const uint64_t h = HashLower(w);
    hashes.emplace_back(h, index);
    filter[h >> 60] |= uint64_t{1} << ((h >> 54) & 63);
  }
  // The cue index of the word with lower-case hash h (strong 0..63, weak 64..127), or -1.
  int Find(uint64_t h) const {
    if (((filter[h >> 60] >> ((h >> 54) & 63)) & 1) == 0) return -1;
    auto it = std::lower_bound(hashes.begin(), hashes.end(), std::make_pair(h, -1));
    return it != hashes.end() && it->first == h ? it->second : -1;
  }
};
const CueSet& SportsCues() {
  static const CueSet s;
  return s;
}

bool IsDigits(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "2-1": digits, one '-', digits.
bool IsScore(std::string_view w) {
  const size_t dash = w.find('-');
  return dash != std::string_view::npos && IsDigits(w.substr(0, dash)) &&
         IsDigits(w.substr(dash + 1));
}

// A number token: a digit, and only digits and . , : / - otherwise.
bool IsNumber(std::string_view w) {
  bool digit = false;
  for (char c : w) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '.' && c != ',' && c != ':' && c != '/' && c != '-') {
      return false;
    }
  }
  return digit;
}

// A lower-case word of three ASCII letters or more.
bool IsLowerWord(std::string_view w) {
  if (w.size() < 3) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

std::vector<std::string_view> FeatureExtractor::SportsCueWords(bool weak) {
  if (weak)
    return std::vector<std::string_view>(std::begin(kWeakSportsCues), std::end(kWeakSportsCues));
  return std::vector<std::string_view>(std::begin(kSportsCues), std::end(kSportsCues));
}

void FeatureExtractor::LineKinds(const std::string_view* words, const TokenInfo* info, size_t n,
                                 const uint32_t* sentence_ends, size_t num_sentences,
                                 uint8_t* kinds) {
  const CueSet& cues = SportsCues();
  static const uint64_t dash_hash = HashBytes("-");  // TokenInfo::word of "-"
  uint64_t strong = 0, weak = 0;                     // distinct cue words seen, one bit each
  bool any_score = false;                            // some sentence is a results/table line
  size_t b = 0;
  for (size_t s = 0; s < num_sentences; ++s) {
    const size_t e = std::min<size_t>(std::max<size_t>(sentence_ends[s], b), n);
    size_t numbers = 0;
    bool score = false;
    // Only tokens with a digit can be numbers; the words themselves are read for those and for
    // "-" alone. The cue words have no digit.
    for (size_t i = b; i < e; ++i) {
      if ((info[i].flags & kNerHasDigit) == 0) {
        const int cue = cues.Find(info[i].lower);
        if (cue >= 64) {
          weak |= uint64_t{1} << (cue - 64);
        } else if (cue >= 0) {
          strong |= uint64_t{1} << cue;
        }
        // The word's hash first: the word itself is read only when it matches.
        if (info[i].word == dash_hash && words[i] == "-" && i > b && i + 1 < e &&
            IsDigits(words[i - 1]) && IsDigits(words[i + 1])) {
          score = true;
        }
      } else if (IsNumber(words[i])) {
        ++numbers;
        score = score || IsScore(words[i]);
      }
    }
    bool table = score;
    if (!table && numbers >= 2 && 3 * numbers >= e - b) {
      size_t lower = 0;
      for (size_t i = b; i < e && lower <= 1; ++i) lower += IsLowerWord(words[i]) ? 1 : 0;
      table = lower <= 1;
    }
    kinds[s] = table ? kNerTableLine : 0;
    any_score = any_score || table;
    b = e;
  }
  const int distinct = __builtin_popcountll(strong) + (any_score ? __builtin_popcountll(weak) : 0);
  if (distinct >= 2) {
    for (size_t s = 0; s < num_sentences; ++s) kinds[s] |= kNerSportsReport;
  }
}

void FeatureExtractor::SettledTokens(const TokenInfo* info, size_t n, int before, int after,
                                     uint8_t* out) {
  if (before < 0 || after < 0) {
    std::fill(out, out + n, 0);
    return;
  }
  if (before == 0 && after == 1) {
    // The default window in one pass: the token and the next one (if any) are plain.
    for (size_t i = 0; i + 1 < n; ++i) {
      out[i] = (info[i].flags & info[i + 1].flags & kNerPlain) != 0 ? 1 : 0;
    }
    if (n > 0) out[n - 1] = (info[n - 1].flags & kNerPlain) != 0 ? 1 : 0;
    return;
  }
  // Settled: no token that is not plain within `before` positions before it or `after` after.
  // Backwards: the run of plain tokens starting at i (bit 1 of out[i]: plain); forwards: the run
  // ending at i. A run that reaches the sentence's end (start) is long enough.
  size_t run = 0;
  for (size_t i = n; i-- > 0;) {
    const bool plain = (info[i].flags & kNerPlain) != 0;
    run = plain ? run + 1 : 0;
    const bool long_enough = plain && (run > static_cast<size_t>(after) || i + run == n);
    out[i] = static_cast<uint8_t>((plain ? 2 : 0) | (long_enough ? 1 : 0));
  }
  run = 0;
  for (size_t i = 0; i < n; ++i) {
    run = (out[i] & 2) ? run + 1 : 0;
    out[i] = (out[i] & 1) && (run > static_cast<size_t>(before) || run == i + 1) ? 1 : 0;
  }
}

int FeatureExtractor::KindFeatures(const TokenInfo& t, int kind, uint64_t* out) const {
  if (kind == 0 || (t.flags & (kNerCap | kNerAllCaps)) == 0) return 0;
  int k = 0;
  const uint64_t kv = static_cast<uint64_t>(kind);
  out[k++] = Feat(kTplKind, kv);
  if (options_.gazetteer) {
    int count = 0;
    for (uint64_t g = t.gaz; g != 0 && count < 16; g &= g - 1, ++count) {
      out[k++] = Feat(kTplKindGaz, kv * 64 + static_cast<uint64_t>(__builtin_ctzll(g)));
    }
  }
  if (options_.clusters) {
    const int lv = clusters_->levels() > 1 ? 1 : 0;
    out[k++] = Feat(kTplKindCluster, (kv << 16) | t.cls[lv]);
  }
  out[k++] = Feat(kTplKindLower, Combine(kv, t.lower));
  return k;
}

int FeatureExtractor::RunFeatures(const std::string_view* words, const TokenInfo* info, size_t n,
                                  size_t i, uint64_t* out) const {
  if (!options_.cap_runs || (info[i].flags & kNerCap) == 0 || (info[i].flags & kNerHeadline))
    return 0;
  // The run around i, scanning at most kMaxRunLength tokens each way.
  size_t b = i, e = i + 1;
  while (b > 0 && i - b <= kMaxRunLength && (info[b - 1].flags & kNerCap)) --b;
  while (e < n && e - i <= kMaxRunLength && (info[e].flags & kNerCap)) ++e;
  const size_t len = e - b;
  if (len < 2 || len > kMaxRunLength) return 0;
  int k = 0;
  const size_t pos = i - b;
  out[k++] = Feat(kTplRunPosition, len * 16 + pos);
  if (i != b) out[k++] = Feat(kTplRunFirst, info[b].lower);
  if (i + 1 != e) {
    out[k++] = Feat(kTplRunLast, info[e - 1].lower);
    const std::string_view last = words[e - 1];
    out[k++] =
        Feat(kTplRunLastSuffix, HashLower(last.substr(last.size() > 3 ? last.size() - 3 : 0)));
  }
  if (options_.gazetteer) {
    uint64_t bits = 0;
    for (size_t j = b; j < e; ++j) {
      if (j != i) bits |= info[j].gaz;
    }
    int count = 0;
    for (; bits != 0 && count < 8; bits &= bits - 1, ++count) {
      out[k++] = Feat(kTplRunGaz, static_cast<uint64_t>(__builtin_ctzll(bits)));
    }
  }
  return k;
}

}  // namespace ner
}  // namespace newsparse
