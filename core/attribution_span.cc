#include "core/attribution_span.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/attribution_internal.h"
#include "core/ner_model.h"  // Crc32

namespace newsparse {
namespace {

constexpr char kMagic[8] = {'N', 'P', 'A', 'T', 'T', 'S', 'P', 'N'};
constexpr size_t kMaxWord = 24;

// Word hashes: FNV-1a of the ASCII-lower-cased bytes, then mixed. The classes of the old string
// features are kept: words longer than kMaxWord are one class ("<long>", its suffix another one),
// and the window's edges are "<s>" / "</s>".
using attribution_internal::FeatureKey;
using attribution_internal::ShapeCode;
constexpr uint64_t kLongWord = attribution_internal::kLongWordHash;
constexpr uint64_t kLongSuffix = attribution_internal::kLongSuffixHash;
constexpr uint64_t kBos = 0x3c733e2020202020ull;
constexpr uint64_t kEos = attribution_internal::kEndHash;

// Both hashes of a word in one pass over its bytes (the suffix from a seed of its own).
inline void WordHashes(std::string_view s, uint64_t* word, uint64_t* suffix) {
  if (s.size() > kMaxWord) {
    *word = kLongWord;
    *suffix = kLongSuffix;
    return;
  }
  const size_t tail = s.size() > 3 ? s.size() - 3 : 0;
  uint64_t h = ner::kFnvOffset, t = ner::kFnvOffset ^ 0x5f;
  for (size_t k = 0; k < s.size(); ++k) {
    const unsigned char c = ner::AsciiLower(static_cast<unsigned char>(s[k]));
    h = (h ^ c) * ner::kFnvPrime;
    if (k >= tail) t = (t ^ c) * ner::kFnvPrime;
  }
  *word = h;
  *suffix = t;
}

// The small-integer part of a feature: template id (< 64), side, and up to two small values.
constexpr uint64_t Code(uint64_t tmpl, uint64_t side, uint64_t x = 0, uint64_t y = 0) {
  return tmpl | side << 6 | x << 8 | y << 16;
}
// A feature key from a code and up to two word hashes (integer mixing, never 0: 0 is the bias).
inline uint64_t Key(uint64_t code) {
  const uint64_t h = ner::Mix64(code * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  return h == 0 ? 1 : h;
}
inline uint64_t Key(uint64_t code, uint64_t a) { return FeatureKey(code, a); }
inline uint64_t Key(uint64_t code, uint64_t a, uint64_t b) { return FeatureKey(code, a, b); }

uint8_t DistBucket(uint32_t d) {
  if (d <= 4) return static_cast<uint8_t>(d);
  if (d <= 6) return 5;
  if (d <= 9) return 6;
  if (d <= 14) return 7;
  if (d <= 20) return 8;
  if (d <= 30) return 9;
  return 10;
}

// The feature templates. Those over small integers only (side 0 left / 1 right, distance bucket
// < kDistBuckets, shape < kShapes, commas < 4, quotes < 3, quote-state qq < 4, sentence start,
// previous label) are also summed into dense tables by SpanModel::Freeze; those over words are
// looked up per token. SpanFeatures lists them all, in this order.
constexpr int kDistBuckets = 11, kShapes = 7;
uint64_t KeyDist(uint64_t side, uint64_t db) { return Key(Code(1, side, db)); }
uint64_t KeyShapeDist(uint64_t side, uint64_t shape, uint64_t db) {
  return Key(Code(3, side, shape, db));
}
uint64_t KeyCommasQuotes(uint64_t side, uint64_t c, uint64_t q) { return Key(Code(7, side, c, q)); }
uint64_t KeyQq(uint64_t side, uint64_t qq) { return Key(Code(8, side, qq)); }
uint64_t KeyStartShape(uint64_t side, uint64_t ss, uint64_t shape) {
  return Key(Code(10, side, ss, shape));
}
uint64_t KeyCommasDist(uint64_t side, uint64_t c, uint64_t db) {
  return Key(Code(13, side, c, db));
}
uint64_t KeyShapePair(uint64_t side, uint64_t shape, uint64_t ps) {
  return Key(Code(16, side, shape, ps));
}
uint64_t KeyQqQuotes(uint64_t side, uint64_t qq, uint64_t q) { return Key(Code(17, side, qq, q)); }
uint64_t KeyPrev(uint64_t prev) { return Key(Code(30, 0, prev)); }
uint64_t KeyPrevSide(uint64_t prev, uint64_t side) { return Key(Code(31, side, prev)); }
uint64_t KeyPrevShape(uint64_t prev, uint64_t side, uint64_t shape) {
  return Key(Code(32, side, prev, shape));
}
uint64_t KeyPrevCommas(uint64_t prev, uint64_t side, uint64_t c) {
  return Key(Code(34, side, prev, c));
}
uint64_t KeyWord(uint64_t side, uint64_t wd) { return Key(Code(2, side), wd); }
uint64_t KeyPrevWord(uint64_t side, uint64_t w) { return Key(Code(4, side), w); }
uint64_t KeyNextWord(uint64_t side, uint64_t w) { return Key(Code(5, side), w); }
uint64_t KeyCueDist(uint64_t side, uint64_t db, uint64_t cue) {
  return Key(Code(6, side, db), cue);
}
uint64_t KeySuffix(uint64_t side, uint64_t suf) { return Key(Code(9, side), suf); }
uint64_t KeyAfterCue(uint64_t side, uint64_t w) { return Key(Code(11, side), w); }
uint64_t KeyBeforeCue(uint64_t side, uint64_t w) { return Key(Code(12, side), w); }
uint64_t KeyCueCommas(uint64_t side, uint64_t c, uint64_t cue) {
  return Key(Code(14, side, c), cue);
}
uint64_t KeyWordPair(uint64_t side, uint64_t wprev, uint64_t wd) {
  return Key(Code(15, side), wprev, wd);
}
uint64_t KeyLabelWord(uint64_t prev, uint64_t wd) { return Key(Code(33, 0, prev), wd); }

// Dense table indices.
size_t IndexA(uint64_t side, uint64_t db, uint64_t shape, uint64_t commas) {
  return ((side * kDistBuckets + db) * kShapes + shape) * 4 + commas;
}
size_t IndexB(uint64_t side, uint64_t ss, uint64_t shape, uint64_t ps) {
  return ((side * 2 + ss) * kShapes + shape) * kShapes + ps;
}
size_t IndexC(uint64_t side, uint64_t commas, uint64_t quotes, uint64_t qq) {
  return ((side * 4 + commas) * 3 + quotes) * 4 + qq;
}
size_t IndexP(uint64_t prev, uint64_t side, uint64_t shape, uint64_t commas) {
  return ((prev * 2 + side) * kShapes + shape) * 4 + commas;
}

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

  // Per-token hashes and shapes: from the article's cache where the window has one (each token
  // hashed once per article, whatever the number of cues around it), else computed here.
  out->word.resize(len + 2);
  out->suffix.resize(len);
  out->shape.resize(len);
  out->prev_shape.resize(len);
  out->word[0] = kBos;
  out->word[len + 1] = kEos;
  SpanWordCache* cache = w.cache;
  if (cache != nullptr && cache->word.size() != tk.size()) cache->Reset(tk.size());
  for (uint32_t k = w.begin; k < w.end; ++k) {
    const uint32_t j = k - w.begin;
    uint64_t wh, sh;
    if (cache != nullptr && cache->word[k] != 0) {
      wh = cache->word[k];
      sh = cache->suffix[k];
    } else {
      WordHashes(TokenText(w.text, tk[k]), &wh, &sh);
      if (cache != nullptr) {
        cache->word[k] = wh;
        cache->suffix[k] = sh;
      }
    }
    out->word[j + 1] = wh;
    out->suffix[j] = sh;
    out->shape[j] = ShapeCode(tk[k]);
    // Kept from format version 1, whose string features the shipped weights were trained with
    // (removing it and the all-caps / lower-case shape merge below measured lower on PolNeAR
    // dev): the word before the article's first token reads as "</s>".
    if (k == 0) out->word[0] = kEos;
    out->prev_shape[j] = k > w.begin ? out->shape[j - 1] : ShapeCode(tk[k > 0 ? k - 1 : k]);
  }
  auto word = [&](int64_t k) {
    if (k < static_cast<int64_t>(w.begin)) return kBos;
    if (k >= static_cast<int64_t>(w.end)) return kEos;
    return out->word[k - w.begin + 1];
  };
  out->cue_word = word(w.cue_end);
  out->after_cue = word(static_cast<int64_t>(w.cue_end) + 1);
  out->before_cue = word(static_cast<int64_t>(w.cue_begin) - 1);
  out->cue_in_quote = w.quote_of != nullptr && w.quote_of[w.cue_begin] >= 0;
}

int SpanFeatures(const SpanWindow& w, const SpanBetween& between, uint32_t i, uint8_t prev_label,
                 uint64_t* out) {
  const uint32_t j = i - w.begin;
  const bool left = i < w.cue_begin;
  const uint64_t side = left ? 0 : 1;
  const uint64_t db = DistBucket(left ? w.cue_begin - i : i - w.cue_end);
  const uint64_t wd = between.word[j + 1];
  const uint64_t wprev = between.word[j];
  const uint64_t shape = between.shape[j];
  const uint64_t commas = between.commas[j];
  const uint64_t quotes = between.quotes[j];
  const bool tok_q = w.quote_of != nullptr && w.quote_of[i] >= 0;
  const uint64_t qq = (tok_q ? 2 : 0) + (between.cue_in_quote ? 1 : 0);
  const uint64_t sent_start = w.tokens->tokens[i].Has(kSentenceStart) ? 1 : 0;
  const uint64_t prev = prev_label;
  int m = 0;
  out[m++] = KeyDist(side, db);
  out[m++] = KeyWord(side, wd);
  out[m++] = KeyShapeDist(side, shape, db);
  out[m++] = KeyPrevWord(side, wprev);
  out[m++] = KeyNextWord(side, between.word[j + 2]);
  out[m++] = KeyCueDist(side, db, between.cue_word);
  out[m++] = KeyCommasQuotes(side, commas, quotes);
  out[m++] = KeyQq(side, qq);
  out[m++] = KeySuffix(side, between.suffix[j]);
  out[m++] = KeyStartShape(side, sent_start, shape);
  out[m++] = KeyAfterCue(side, between.after_cue);
  out[m++] = KeyBeforeCue(side, between.before_cue);
  out[m++] = KeyCommasDist(side, commas, db);
  out[m++] = KeyCueCommas(side, commas, between.cue_word);
  out[m++] = KeyWordPair(side, wprev, wd);
  out[m++] = KeyShapePair(side, shape, between.prev_shape[j]);
  out[m++] = KeyQqQuotes(side, qq, quotes);
  // Previous label.
  out[m++] = KeyPrev(prev);
  out[m++] = KeyPrevSide(prev, side);
  out[m++] = KeyPrevShape(prev, side, shape);
  out[m++] = KeyLabelWord(prev, wd);
  out[m++] = KeyPrevCommas(prev, side, commas);
  return m;
}

SpanModel::Row SpanModel::Score(const uint64_t* feats, int n) const {
  Row r = bias_;
  for (int k = 0; k < n; ++k) {
    const Row4* row = weights_.Find(feats[k]);
    if (row == nullptr) continue;
    for (int l = 0; l < kNumSpanLabels; ++l) r[l] += row->w[l];
  }
  return r;
}

void SpanModel::Freeze() {
  auto add = [&](Row4* r, uint64_t key) {
    if (const Row4* w = weights_.Find(key)) {
      for (int l = 0; l < kNumSpanLabels; ++l) r->w[l] += w->w[l];
    }
  };
  dense_a_.assign(2 * kDistBuckets * kShapes * 4, Row4{});
  dense_b_.assign(2 * 2 * kShapes * kShapes, Row4{});
  dense_c_.assign(2 * 4 * 3 * 4, Row4{});
  dense_p_.assign(kNumSpanLabels * 2 * kShapes * 4, Row4{});
  for (uint64_t side = 0; side < 2; ++side) {
    for (uint64_t shape = 0; shape < kShapes; ++shape) {
      for (uint64_t db = 0; db < kDistBuckets; ++db) {
        for (uint64_t c = 0; c < 4; ++c) {
          Row4* r = &dense_a_[IndexA(side, db, shape, c)];
          add(r, KeyDist(side, db));
          add(r, KeyShapeDist(side, shape, db));
          add(r, KeyCommasDist(side, c, db));
        }
      }
      for (uint64_t ss = 0; ss < 2; ++ss) {
        for (uint64_t ps = 0; ps < kShapes; ++ps) {
          Row4* r = &dense_b_[IndexB(side, ss, shape, ps)];
          add(r, KeyStartShape(side, ss, shape));
          add(r, KeyShapePair(side, shape, ps));
        }
      }
      for (uint64_t prev = 0; prev < kNumSpanLabels; ++prev) {
        for (uint64_t c = 0; c < 4; ++c) {
          Row4* r = &dense_p_[IndexP(prev, side, shape, c)];
          add(r, KeyPrev(prev));
          add(r, KeyPrevSide(prev, side));
          add(r, KeyPrevShape(prev, side, shape));
          add(r, KeyPrevCommas(prev, side, c));
        }
      }
    }
    for (uint64_t c = 0; c < 4; ++c) {
      for (uint64_t q = 0; q < 3; ++q) {
        for (uint64_t qq = 0; qq < 4; ++qq) {
          Row4* r = &dense_c_[IndexC(side, c, q, qq)];
          for (int l = 0; l < kNumSpanLabels; ++l) r->w[l] = bias_[l];
          add(r, KeyCommasQuotes(side, c, q));
          add(r, KeyQq(side, qq));
          add(r, KeyQqQuotes(side, qq, q));
        }
      }
    }
  }
  // A Bloom filter of the row keys (two bits per key, about 11 bits per key): most word features
  // are in no row, and the filter answers those from a table that stays in the cache.
  size_t bits = 1024;
  while (bits < 11 * weights_.size()) bits <<= 1;
  bloom_.assign(bits / 64, 0);
  bloom_mask_ = bits - 1;
  weights_.ForEachSlot([&](uint64_t key, const Row4&) {
    if (key == 0) return;
    for (uint64_t b : {key & bloom_mask_, (key >> 32) & bloom_mask_}) {
      bloom_[b >> 6] |= uint64_t{1} << (b & 63);
    }
  });
  frozen_ = true;
}

void SpanModel::Tag(const SpanWindow& w, SpanBetween* between, std::vector<uint8_t>* labels) const {
  labels->assign(w.end - w.begin, kSpanOther);
  ComputeSpanBetween(w, between);
  if (!frozen_) {  // rows set since the last Freeze: score the features one by one
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
    return;
  }
  // The same features as SpanFeatures: the small-integer templates from the dense tables, the
  // cue's words once per side (and per distance bucket / comma count, on first use), the token's
  // words from the hash table.
  const SpanBetween& b = *between;
  auto add = [](Row4* r, const Row4* w) {
    for (int l = 0; l < 4; ++l) r->w[l] += w->w[l];
  };
  static const Row4 kZero;
  auto find = [&](uint64_t key) -> const Row4* {
    const uint64_t b1 = key & bloom_mask_, b2 = (key >> 32) & bloom_mask_;
    if (((bloom_[b1 >> 6] >> (b1 & 63)) & (bloom_[b2 >> 6] >> (b2 & 63)) & 1) == 0) return &kZero;
    const Row4* r = weights_.Find(key);
    return r != nullptr ? r : &kZero;
  };
  Row4 cue_side[2];
  for (uint64_t side = 0; side < 2; ++side) {
    cue_side[side] = Row4{};
    add(&cue_side[side], find(KeyAfterCue(side, b.after_cue)));
    add(&cue_side[side], find(KeyBeforeCue(side, b.before_cue)));
  }
  Row4 cue_db[2][kDistBuckets], cue_commas[2][4];
  bool have_db[2][kDistBuckets] = {}, have_commas[2][4] = {};
  const bool any_quote = w.quote_of != nullptr;
  const Token* tk = w.tokens->tokens.data();
  uint8_t prev = kSpanOther;
  for (uint32_t i = w.begin; i < w.end; ++i) {
    if (i >= w.cue_begin && i <= w.cue_end) {
      prev = kSpanOther;
      continue;
    }
    const uint32_t j = i - w.begin;
    const bool left = i < w.cue_begin;
    const uint64_t side = left ? 0 : 1;
    const uint64_t db = DistBucket(left ? w.cue_begin - i : i - w.cue_end);
    const uint64_t shape = b.shape[j];
    const uint64_t commas = b.commas[j];
    const uint64_t quotes = b.quotes[j];
    const uint64_t qq = (any_quote && w.quote_of[i] >= 0 ? 2 : 0) + (b.cue_in_quote ? 1 : 0);
    const uint64_t ss = tk[i].Has(kSentenceStart) ? 1 : 0;
    const uint64_t wd = b.word[j + 1], wprev = b.word[j];
    if (!have_db[side][db]) {
      cue_db[side][db] = *find(KeyCueDist(side, db, b.cue_word));
      have_db[side][db] = true;
    }
    if (!have_commas[side][commas]) {
      cue_commas[side][commas] = *find(KeyCueCommas(side, commas, b.cue_word));
      have_commas[side][commas] = true;
    }
    Row4 r = dense_c_[IndexC(side, commas, quotes, qq)];
    add(&r, &dense_a_[IndexA(side, db, shape, commas)]);
    add(&r, &dense_b_[IndexB(side, ss, shape, b.prev_shape[j])]);
    add(&r, &dense_p_[IndexP(prev, side, shape, commas)]);
    add(&r, &cue_side[side]);
    add(&r, &cue_db[side][db]);
    add(&r, &cue_commas[side][commas]);
    add(&r, find(KeyWord(side, wd)));
    add(&r, find(KeyPrevWord(side, wprev)));
    add(&r, find(KeyNextWord(side, b.word[j + 2])));
    add(&r, find(KeySuffix(side, b.suffix[j])));
    add(&r, find(KeyWordPair(side, wprev, wd)));
    add(&r, find(KeyLabelWord(prev, wd)));
    uint8_t best = 0;
    for (int l = 1; l < kNumSpanLabels; ++l) {
      if (r.w[l] > r.w[best]) best = static_cast<uint8_t>(l);
    }
    (*labels)[j] = best;
    prev = best;
  }
}

std::string SpanModel::Serialize() const {
  std::vector<std::pair<uint64_t, Row>> rows;
  rows.reserve(num_rows());
  if (has_bias_) rows.emplace_back(0, bias_);
  weights_.ForEachSlot([&](uint64_t h, const Row4& row) {
    if (h != 0) rows.emplace_back(h, Row{row.w[0], row.w[1], row.w[2]});
  });
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
  m.Reserve(rows);
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
  m.Freeze();
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
  model.Freeze();
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
