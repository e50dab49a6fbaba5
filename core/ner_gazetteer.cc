#include "core/ner_gazetteer.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/ner_hash.h"

namespace newsparse {
namespace ner {

void Gazetteer::Add(std::string_view phrase, uint32_t category_mask) {
  AddPhrase(phrase, category_mask);
  BuildFilter();
}

void Gazetteer::BuildFilter() {
  int bits_log2 = 12;
  while (bits_log2 < 30 && (size_t{1} << bits_log2) < 16 * map_.size()) ++bits_log2;
  filter_shift_ = 64 - bits_log2;
  first_filter_.assign((size_t{1} << bits_log2) / 64, 0);
  auto set = [&](uint64_t key) {
    const uint64_t first = UncombineValue(PhraseHashStart(), key);
    const uint64_t slot = (first * 0x9E3779B97F4A7C15ULL) >> filter_shift_;
    first_filter_[slot >> 6] |= uint64_t{1} << (slot & 63);
  };
  map_.ForEachSlot([&](uint64_t key, uint32_t) {
    if (key == 0) return;
    set(key);
    if (key == 1) set(0);  // the table stores key 0 as 1
  });
}

void Gazetteer::AddPhrase(std::string_view phrase, uint32_t category_mask) {
  uint64_t h = PhraseHashStart();
  size_t b = 0;
  int ntok = 0;
  while (b <= phrase.size()) {
    size_t sp = phrase.find(' ', b);
    if (sp == std::string_view::npos) sp = phrase.size();
    if (sp > b) {
      if (ntok > 0) *map_.Insert(h) |= kPrefixBit;  // the phrase so far is a proper prefix
      h = Combine(h, HashLower(phrase.substr(b, sp - b)));
      ++ntok;
      if (ntok > kMaxGazetteerPhrase) return;
    }
    b = sp + 1;
  }
  if (ntok == 0) return;
  uint32_t& v = *map_.Insert(h);
  if ((v & ~kPrefixBit) == 0) ++phrases_;
  v |= category_mask;
}

absl::StatusOr<Gazetteer> Gazetteer::Parse(std::string_view content) {
  Gazetteer g;
  g.map_.Reserve(static_cast<size_t>(std::count(content.begin(), content.end(), '\n')) * 3 / 2 +
                 16);
  size_t pos = 0;
  int64_t line_no = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    std::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab == 0) {
      return absl::InvalidArgumentError(absl::StrCat("gazetteer line ", line_no, ": no tab"));
    }
    uint32_t mask = 0;
    std::string_view cats = line.substr(tab + 1);
    size_t b = 0;
    while (b <= cats.size()) {
      size_t comma = cats.find(',', b);
      if (comma == std::string_view::npos) comma = cats.size();
      std::string_view c = cats.substr(b, comma - b);
      int found = -1;
      for (int k = 0; k < kNumGazetteerCategories; ++k) {
        if (kGazetteerCategories[k] == c) found = k;
      }
      if (found < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("gazetteer line ", line_no, ": unknown category '", std::string(c), "'"));
      }
      mask |= 1u << found;
      b = comma + 1;
    }
    g.AddPhrase(line.substr(0, tab), mask);
  }
  g.BuildFilter();
  return g;
}

namespace {
constexpr uint32_t kGazBlobMagic = 0x315a4147;  // "GAZ1"
}  // namespace

std::string Gazetteer::ToBlob() const {
  std::string s;
  s.reserve(16 + map_.capacity() * 12);
  auto put = [&](const void* p, size_t n) { s.append(static_cast<const char*>(p), n); };
  const uint32_t magic = kGazBlobMagic, phrases = static_cast<uint32_t>(phrases_);
  const uint64_t cap = map_.capacity();
  put(&magic, 4);
  put(&phrases, 4);
  put(&cap, 8);
  map_.ForEachSlot([&](uint64_t key, uint32_t v) {
    const uint32_t value = key ? v : 0;
    put(&key, 8);
    put(&value, 4);
  });
  return s;
}

absl::StatusOr<Gazetteer> Gazetteer::FromBlob(std::string_view b) {
  uint32_t magic = 0, phrases = 0;
  uint64_t cap = 0;
  if (b.size() >= 16) {
    memcpy(&magic, b.data(), 4);
    memcpy(&phrases, b.data() + 4, 4);
    memcpy(&cap, b.data() + 8, 8);
  }
  Gazetteer g;
  if (magic != kGazBlobMagic || cap > (uint64_t{1} << 28) || b.size() != 16 + cap * 12 ||
      !g.map_.ResetSlots(cap)) {
    return absl::DataLossError("bad embedded gazetteer");
  }
  g.phrases_ = phrases;
  const char* p = b.data() + 16;
  for (size_t i = 0; i < cap; ++i, p += 12) {
    uint64_t key;
    uint32_t v;
    memcpy(&key, p, 8);
    memcpy(&v, p + 8, 4);
    // Only the category bits and the prefix bit may be set: Match turns each category bit into a
    // bit of a 64-bit mask (found by the model fuzzer: a corrupted image gave category 23).
    if ((v & ~(kPrefixBit | ((1u << kNumGazetteerCategories) - 1))) != 0) {
      return absl::DataLossError("bad embedded gazetteer");
    }
    g.map_.SetSlot(i, key, v);
  }
  if (!g.map_.Consistent()) return absl::DataLossError("bad embedded gazetteer");
  g.BuildFilter();
  return g;
}

namespace {
// For 7 category bits at a time: the mask with bit 4c set for each category bit c (GazBit(c, 0)).
struct SpreadTables {
  uint64_t lo[128];  // categories 0-6
  uint64_t hi[128];  // categories 7-13
  constexpr SpreadTables() : lo(), hi() {
    for (int m = 0; m < 128; ++m) {
      for (int b = 0; b < 7; ++b) {
        if ((m >> b) & 1) {
          lo[m] |= uint64_t{1} << (4 * b);
          hi[m] |= uint64_t{1} << (4 * (b + 7));
        }
      }
    }
  }
};
constexpr SpreadTables kSpread;
static_assert(kNumGazetteerCategories <= 14, "kSpread covers 14 categories");
}  // namespace

void Gazetteer::Match(const uint64_t* lower_hashes, size_t n, uint64_t* masks) const {
  for (size_t i = 0; i < n; ++i) {
    if (!MayStartPhrase(lower_hashes[i])) continue;
    uint64_t h = PhraseHashStart();
    for (size_t len = 1; len <= kMaxGazetteerPhrase && i + len <= n; ++len) {
      h = Combine(h, lower_hashes[i + len - 1]);
      const uint32_t* v = map_.Find(h);
      if (v == nullptr) break;
      const uint32_t cats = *v & ~kPrefixBit;
      if (cats != 0) {
        // Category bit c -> bit 4c (GazBit(c, 0)), then shifted to each position.
        const uint64_t spread = kSpread.lo[cats & 127] | kSpread.hi[(cats >> 7) & 127];
        if (len == 1) {
          masks[i] |= spread << kGazU;
        } else {
          masks[i] |= spread << kGazB;
          for (size_t k = 1; k + 1 < len; ++k) masks[i + k] |= spread << kGazI;
          masks[i + len - 1] |= spread << kGazL;
        }
      }
      if ((*v & kPrefixBit) == 0) break;
    }
  }
}

}  // namespace ner
}  // namespace newsparse
