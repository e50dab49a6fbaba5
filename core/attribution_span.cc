#include "core/attribution_span.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/attribution_internal.h"
#include "core/ner_model.h"  // Crc32

namespace newsparse {
namespace {

constexpr char kMagic[8] = {'N', 'P', 'A', 'T', 'T', 'S', 'P', 'N'};
constexpr size_t kMaxWord = 24;

// FNV-1a over a template id and up to three lower-cased strings, each closed by a separator.
uint64_t Hash(uint64_t tmpl, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  using attribution_internal::FeatureHashEnd;
  using attribution_internal::FeatureHashMix;
  using attribution_internal::FeatureHashSeparator;
  using attribution_internal::FeatureHashStart;
  uint64_t h = FeatureHashSeparator(FeatureHashMix(FeatureHashStart(tmpl), a));
  h = FeatureHashSeparator(FeatureHashMix(h, b));
  return FeatureHashEnd(FeatureHashSeparator(FeatureHashMix(h, c)));
}

using attribution_internal::TokenShapeClass;

std::string_view DistBucket(uint32_t d) {
  static constexpr std::string_view kNames[] = {"0",   "1",     "2",     "3",     "4",  "5-6",
                                                "7-9", "10-14", "15-20", "21-30", "31+"};
  if (d <= 4) return kNames[d];
  if (d <= 6) return kNames[5];
  if (d <= 9) return kNames[6];
  if (d <= 14) return kNames[7];
  if (d <= 20) return kNames[8];
  if (d <= 30) return kNames[9];
  return kNames[10];
}

constexpr std::string_view kLabelName[kNumSpanLabels] = {"O", "S", "C"};
constexpr std::string_view kDigit[4] = {"0", "1", "2", "3"};

void PutU32(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }
uint32_t GetU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

SpanWindow MakeSpanWindow(std::string_view text, const Tokens& tokens, const int32_t* quote_of,
                          uint32_t cue_begin, uint32_t cue_end) {
  SpanWindow w;
  w.text = text;
  w.tokens = &tokens;
  w.quote_of = quote_of;
  w.cue_begin = cue_begin;
  w.cue_end = cue_end;
  const uint32_t n = static_cast<uint32_t>(tokens.tokens.size());
  w.begin = cue_begin;
  w.end = cue_end + 1;
  auto it = std::upper_bound(tokens.sentences.begin(), tokens.sentences.end(), cue_begin,
                             [](uint32_t i, const TokenRange& r) { return i < r.begin; });
  if (it != tokens.sentences.begin()) {
    --it;
    if (cue_begin < it->end) {
      w.begin = it->begin;
      w.end = std::max(w.end, std::min(it->end, n));
    }
  }
  const uint32_t lo = cue_begin > kMaxSpanReach ? cue_begin - kMaxSpanReach : 0;
  const uint32_t hi = std::min<uint32_t>(n, cue_end + 1 + kMaxSpanReach);
  if (w.begin < lo) w.begin = lo;
  if (w.end > hi) w.end = hi;
  if (quote_of != nullptr) {
    while (w.begin > lo && quote_of[w.begin] >= 0 && quote_of[w.begin - 1] == quote_of[w.begin]) {
      --w.begin;
    }
    while (w.end < hi && quote_of[w.end - 1] >= 0 && quote_of[w.end] == quote_of[w.end - 1]) {
      ++w.end;
    }
  }
  return w;
}

void ComputeSpanBetween(const SpanWindow& w, SpanBetween* out) {
  const uint32_t len = w.end - w.begin;
  out->commas.assign(len, 0);
  out->quotes.assign(len, 0);
  const auto& tk = w.tokens->tokens;
  auto count = [&](uint32_t k, uint8_t* commas, uint8_t* quotes) {
    const Token& t = tk[k];
    if (t.kind == TokenKind::kQuote) {
      if (*quotes < 2) ++*quotes;
    } else if ((t.kind == TokenKind::kDash ||
                (t.kind == TokenKind::kPunct &&
                 (w.text[t.begin] == ',' || w.text[t.begin] == ':' || w.text[t.begin] == '('))) &&
               (w.quote_of == nullptr || w.quote_of[k] < 0)) {
      if (*commas < 3) ++*commas;
    }
  };
  // Left of the cue: counts of the tokens strictly between k and the cue.
  uint8_t commas = 0, quotes = 0;
  for (uint32_t k = w.cue_begin; k-- > w.begin;) {
    out->commas[k - w.begin] = commas;
    out->quotes[k - w.begin] = quotes;
    count(k, &commas, &quotes);
  }
  commas = 0;
  quotes = 0;
  for (uint32_t k = w.cue_end + 1; k < w.end; ++k) {
    out->commas[k - w.begin] = commas;
    out->quotes[k - w.begin] = quotes;
    count(k, &commas, &quotes);
  }
}

int SpanFeatures(const SpanWindow& w, const SpanBetween& between, uint32_t i, uint8_t prev_label,
                 uint64_t* out) {
  const auto& tk = w.tokens->tokens;
  auto word = [&](int64_t k) -> std::string_view {
    if (k < static_cast<int64_t>(w.begin)) return "<s>";
    if (k >= static_cast<int64_t>(w.end)) return "</s>";
    std::string_view s = TokenText(w.text, tk[k]);
    return s.size() > kMaxWord ? std::string_view("<long>") : s;
  };
  const bool left = i < w.cue_begin;
  const std::string_view side = left ? "L" : "R";
  const uint32_t d = left ? w.cue_begin - i : i - w.cue_end;
  const std::string_view db = DistBucket(d);
  const std::string_view wd = word(i);
  const std::string_view shape = TokenShapeClass(tk[i]);
  const std::string_view cue = word(w.cue_end);
  const std::string_view commas = kDigit[between.commas[i - w.begin]];
  const std::string_view quotes = kDigit[between.quotes[i - w.begin]];
  const bool tok_q = w.quote_of != nullptr && w.quote_of[i] >= 0;
  const bool cue_q = w.quote_of != nullptr && w.quote_of[w.cue_begin] >= 0;
  const std::string_view qq = tok_q ? (cue_q ? "QQ" : "Q-") : (cue_q ? "-Q" : "--");
  const std::string_view prev = kLabelName[prev_label];
  int m = 0;
  out[m++] = Hash(1, side, db);
  out[m++] = Hash(2, side, wd);
  out[m++] = Hash(3, side, shape, db);
  out[m++] = Hash(4, side, word(i - 1));
  out[m++] = Hash(5, side, word(i + 1));
  out[m++] = Hash(6, side, cue, db);
  out[m++] = Hash(7, side, commas, quotes);
  out[m++] = Hash(8, side, qq);
  out[m++] = Hash(9, side, wd.size() > 3 ? wd.substr(wd.size() - 3) : wd);
  out[m++] = Hash(10, side, tk[i].Has(kSentenceStart) ? "S" : "-", shape);
  out[m++] = Hash(11, side, word(w.cue_end + 1));
  out[m++] = Hash(12, side, word(static_cast<int64_t>(w.cue_begin) - 1));
  out[m++] = Hash(13, side, commas, db);
  out[m++] = Hash(14, side, cue, commas);
  out[m++] = Hash(15, side, word(i - 1), wd);
  out[m++] = Hash(16, side, shape, TokenShapeClass(tk[i > 0 ? i - 1 : i]));
  out[m++] = Hash(17, side, qq, quotes);
  // Previous label.
  out[m++] = Hash(30, prev);
  out[m++] = Hash(31, prev, side);
  out[m++] = Hash(32, prev, side, shape);
  out[m++] = Hash(33, prev, wd);
  out[m++] = Hash(34, prev, side, commas);
  return m;
}

SpanModel::Row SpanModel::Score(const uint64_t* feats, int n) const {
  Row r{};
  auto bias = weights_.find(0);
  if (bias != weights_.end()) r = bias->second;
  for (int k = 0; k < n; ++k) {
    auto it = weights_.find(feats[k]);
    if (it == weights_.end()) continue;
    for (int l = 0; l < kNumSpanLabels; ++l) r[l] += it->second[l];
  }
  return r;
}

void SpanModel::Tag(const SpanWindow& w, SpanBetween* between, std::vector<uint8_t>* labels) const {
  labels->assign(w.end - w.begin, kSpanOther);
  ComputeSpanBetween(w, between);
  uint64_t feats[kMaxSpanFeatures];
  uint8_t prev = kSpanOther;
  for (uint32_t i = w.begin; i < w.end; ++i) {
    if (i >= w.cue_begin && i <= w.cue_end) {
      prev = kSpanOther;
      continue;
    }
    const int m = SpanFeatures(w, *between, i, prev, feats);
    const Row r = Score(feats, m);
    uint8_t best = 0;
    for (int l = 1; l < kNumSpanLabels; ++l) {
      if (r[l] > r[best]) best = static_cast<uint8_t>(l);
    }
    (*labels)[i - w.begin] = best;
    prev = best;
  }
}

std::string SpanModel::Serialize() const {
  std::vector<std::pair<uint64_t, Row>> rows(weights_.begin(), weights_.end());
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string s(kMagic, 8);
  PutU32(&s, kSpanModelVersion);
  PutU32(&s, kNumSpanLabels);
  PutU32(&s, static_cast<uint32_t>(rows.size()));
  for (const auto& [h, row] : rows) {
    s.append(reinterpret_cast<const char*>(&h), 8);
    s.append(reinterpret_cast<const char*>(row.data()), sizeof(float) * kNumSpanLabels);
  }
  PutU32(&s, ner::Crc32(s));
  return s;
}

absl::StatusOr<SpanModel> ParseSpanModel(std::string_view b) {
  if (b.size() < 8 || std::memcmp(b.data(), kMagic, 8) != 0) {
    return absl::InvalidArgumentError("not a newsparse attribution span model (bad magic)");
  }
  constexpr size_t kHeader = 8 + 12;
  if (b.size() < kHeader + 4) return absl::DataLossError("attribution span model truncated");
  const uint32_t version = GetU32(b.data() + 8);
  const uint32_t labels = GetU32(b.data() + 12);
  const uint32_t rows = GetU32(b.data() + 16);
  if (version != kSpanModelVersion) {
    return absl::FailedPreconditionError(absl::StrCat("attribution span model format version ",
                                                      version, ", expected ", kSpanModelVersion));
  }
  if (labels != kNumSpanLabels) {
    return absl::InvalidArgumentError(
        absl::StrCat("attribution span model has ", labels, " labels, expected ", kNumSpanLabels));
  }
  constexpr size_t kRow = 8 + sizeof(float) * kNumSpanLabels;
  const size_t expect = kHeader + static_cast<size_t>(rows) * kRow + 4;
  if (b.size() < expect) return absl::DataLossError("attribution span model truncated");
  if (b.size() > expect) return absl::DataLossError("attribution span model has trailing bytes");
  if (ner::Crc32(b.substr(0, expect - 4)) != GetU32(b.data() + expect - 4)) {
    return absl::DataLossError("attribution span model checksum mismatch (corrupted file)");
  }
  SpanModel m;
  const char* p = b.data() + kHeader;
  uint64_t prev_hash = 0;
  for (uint32_t r = 0; r < rows; ++r, p += kRow) {
    uint64_t h;
    SpanModel::Row row;
    std::memcpy(&h, p, 8);
    std::memcpy(row.data(), p + 8, sizeof(float) * kNumSpanLabels);
    if (r > 0 && h <= prev_hash) {
      return absl::InvalidArgumentError(
          absl::StrCat("attribution span model row ", r, ": feature hashes ",
                       h == prev_hash ? "repeated" : "out of order", " (rows are written sorted)"));
    }
    for (float x : row) {
      if (!std::isfinite(x)) {
        return absl::InvalidArgumentError(
            absl::StrCat("attribution span model row ", r, ": non-finite weight"));
      }
    }
    prev_hash = h;
    m.Set(h, row);
  }
  return m;
}

absl::StatusOr<SpanModel> LoadSpanModel(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto m = ParseSpanModel(ss.str());
  if (!m.ok()) {
    return absl::Status(m.status().code(), absl::StrCat(path, ": ", m.status().message()));
  }
  return m;
}

SpanModel TrainSpanModel(const std::vector<SpanTrainingWindow>& windows,
                         const SpanTrainOptions& options, std::vector<size_t>* token_errors) {
  using Row = std::array<double, kNumSpanLabels>;  // double: u sums c up to millions
  absl::flat_hash_map<uint64_t, Row> w, u;
  double c = 1;
  uint64_t seed = options.seed;
  std::vector<size_t> order(windows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  SpanBetween between;
  uint64_t feats[kMaxSpanFeatures + 1];
  if (token_errors != nullptr) token_errors->clear();
  for (int ep = 0; ep < options.epochs; ++ep) {
    attribution_internal::DeterministicShuffle(&order, &seed);
    size_t errors = 0;
    for (size_t idx : order) {
      const SpanWindow& sw = windows[idx].window;
      const std::vector<uint8_t>& gold = windows[idx].labels;
      ComputeSpanBetween(sw, &between);
      uint8_t prev = kSpanOther;
      for (uint32_t i = sw.begin; i < sw.end; ++i) {
        if (i >= sw.cue_begin && i <= sw.cue_end) {
          prev = kSpanOther;
          continue;
        }
        int m = SpanFeatures(sw, between, i, prev, feats);
        feats[m++] = 0;  // bias
        Row r{};
        for (int k = 0; k < m; ++k) {
          auto it = w.find(feats[k]);
          if (it == w.end()) continue;
          for (int l = 0; l < kNumSpanLabels; ++l) r[l] += it->second[l];
        }
        uint8_t best = 0;
        for (int l = 1; l < kNumSpanLabels; ++l) {
          if (r[l] > r[best]) best = static_cast<uint8_t>(l);
        }
        const uint8_t y = gold[i - sw.begin];
        if (best != y) {
          ++errors;
          for (int k = 0; k < m; ++k) {
            Row& wr = w[feats[k]];
            Row& ur = u[feats[k]];
            wr[y] += 1;
            wr[best] -= 1;
            ur[y] += c;
            ur[best] -= c;
          }
        }
        prev = best;
        c += 1;
      }
    }
    if (token_errors != nullptr) token_errors->push_back(errors);
  }
  SpanModel model;
  for (const auto& [h, wr] : w) {
    SpanModel::Row avg;
    const Row& ur = u[h];
    bool keep = false, nonzero = false;
    for (int l = 0; l < kNumSpanLabels; ++l) {
      avg[l] = static_cast<float>(wr[l] - ur[l] / c);
      keep = keep || std::abs(avg[l]) >= options.min_weight;
      nonzero = nonzero || avg[l] != 0;
    }
    if (keep && nonzero) model.Set(h, avg);
  }
  return model;
}

void ReadSpanRuns(const SpanWindow& w, const std::vector<uint8_t>& labels, uint32_t min_content,
                  SpanRuns* out) {
  out->source_begin = 1;
  out->source_end = 0;
  out->content.clear();
  const auto& tk = w.tokens->tokens;
  // No punctuation or dash at either end (quote marks stay: they belong to a quoted content).
  auto edge = [&](uint32_t k) {
    return tk[k].kind == TokenKind::kPunct || tk[k].kind == TokenKind::kDash;
  };
  auto trim = [&](uint32_t* b, uint32_t* e) {
    while (*b <= *e && edge(*b)) ++*b;
    while (*e >= *b && *e > 0 && edge(*e)) --*e;
    return *b <= *e;
  };
  uint32_t best_dist = UINT32_MAX;
  for (uint32_t i = w.begin; i < w.end;) {
    const uint8_t l = labels[i - w.begin];
    if (l == kSpanOther) {
      ++i;
      continue;
    }
    uint32_t e = i;
    while (e + 1 < w.end && labels[e + 1 - w.begin] == l) ++e;
    uint32_t b = i;
    i = e + 1;
    if (!trim(&b, &e)) continue;
    if (l == kSpanSource) {
      const uint32_t d = e < w.cue_begin ? w.cue_begin - e : b - w.cue_end;
      if (d < best_dist) {
        best_dist = d;
        out->source_begin = b;
        out->source_end = e;
      }
    } else if (e - b + 1 >= min_content) {
      out->content.emplace_back(b, e);
    }
  }
}

}  // namespace newsparse
