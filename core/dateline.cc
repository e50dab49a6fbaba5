// Dateline, byline and credits parser. See dateline.h for the contract.
//
// Design: Create() loads the place table and builds every lexicon once (month names from ICU's
// date format symbols, a per-code-point case/accent folding table from ICU). Parse() then works
// on raw bytes of a bounded head: a hand-written recursive-descent reader over positions, hash
// lookups keyed by folded (upper-cased, accent- and period-stripped) text in a stack buffer. No
// ICU and no allocation on that path: the Dateline holds views into the text and the tables
// (article.h) and keeps its usual single place inline.
#include "core/dateline.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "core/date_grammar.h"
#include "core/text.h"

namespace newsparse {
namespace {

constexpr size_t kNpos = std::string_view::npos;
constexpr uint32_t kFoldTableSize = 0x530;  // Latin, Greek, Cyrillic.
constexpr size_t kKeyCap = 160;             // longest folded key looked up

enum : uint8_t { kLetter = 1, kUpper = 2, kLower = 4 };

struct FoldEntry {
  char bytes[7] = {};
  uint8_t size = 0;
  uint8_t flags = 0;
};

// Decodes the UTF-8 code point at s[i]; invalid or truncated sequences yield U+FFFD, length 1.
inline uint32_t Decode(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    *len = 1;
    return b0;
  }
  size_t n = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    *len = 1;
    return 0xFFFD;
  }
  if (i + n > s.size()) {
    *len = 1;
    return 0xFFFD;
  }
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      *len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = n;
  return cp;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Letter classes of ASCII bytes, and their folded form (0: dropped, ' ': white space).
constexpr std::array<uint8_t, 128> kAsciiClass = [] {
  std::array<uint8_t, 128> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kLetter | kUpper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kLetter | kLower;
  return t;
}();
// kAsciiClass over all 256 byte values (zero at and above 0x80).
constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) t[c] = kAsciiClass[c];
  return t;
}();
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  t['.'] = 0;
  t[' '] = t['\t'] = t['\n'] = t['\r'] = ' ';
  return t;
}();

inline uint16_t PackCountry(std::string_view cc) {
  return cc.size() == 2 ? static_cast<uint16_t>((static_cast<unsigned char>(cc[0]) << 8) |
                                                static_cast<unsigned char>(cc[1]))
                        : 0;
}

struct City {
  std::string name;
  std::string country;
  uint16_t cc = 0;  // PackCountry(country)
  std::string admin1;
  uint32_t population = 0;
};

struct RegionInfo {
  std::string country;
  uint16_t cc = 0;
  uint32_t admin1_packed = 0;
  std::string admin1;
};

struct MonthInfo {
  int8_t month = 0;
  bool full = false;  // a full name ("January", "февраля"), not an abbreviation
};

// The first min(n, 8) bytes at p as a little-endian word, zero-padded: the value of
// `uint64_t w = 0; std::memcpy(&w, p, min(n, 8));` without a variable-length copy (which
// compiles to a library call costing more than the rest of a lookup).
__attribute__((always_inline)) inline uint64_t LoadUpTo8(const char* p, size_t n) {
  auto byte = [p](size_t k) -> uint64_t { return static_cast<unsigned char>(p[k]); };
  if (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);  // bytes n-4 .. n-1; the top n-4 of them are bytes 4 .. n-1
    return lo | ((static_cast<uint64_t>(hi) >> (8 * (8 - n))) << 32);
  }
  if (n == 0) return 0;
  return byte(0) | (byte(n >> 1) << (8 * (n >> 1))) | (byte(n - 1) << (8 * (n - 1)));
}

__attribute__((always_inline)) inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  const uint64_t w = LoadUpTo8(p, n);
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  return h;
}

// An immutable open-addressing map from folded keys to values, built once from a hash map.
// Values live inside the slots, and a slot is verified by the key's 64-bit hash, length and
// first eight bytes (exact for keys up to eight bytes; for longer keys a false match needs a
// 64-bit hash collision with the same length and prefix), so a lookup usually touches a single
// cache line.
template <typename V>
class FrozenMap {
 public:
  template <typename Src>
  void Build(Src&& src) {
    size_t cap = 16;
    while (cap < src.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.clear();
    slots_.resize(cap);
    for (auto& [key, value] : src) {
      const uint64_t h = HashBytes(key.data(), key.size());
      size_t i = Index(h);
      while (slots_[i].len != kEmpty) i = (i + 1) & mask_;
      Slot& slot = slots_[i];
      slot.hash = h;
      slot.prefix = Prefix(key.data(), key.size());
      slot.len = static_cast<uint32_t>(key.size());
      slot.value = std::move(value);
    }
    size_ = src.size();
    src.clear();
  }

  const V* Find(const char* key, size_t n) const {
    if (slots_.empty()) return nullptr;
    const uint64_t h = HashBytes(key, n);
    const uint64_t prefix = Prefix(key, n);
    for (size_t i = Index(h);; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.len == kEmpty) return nullptr;
      if (slot.hash == h && slot.len == n && slot.prefix == prefix) return &slot.value;
    }
  }

  size_t size() const { return size_; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    uint64_t prefix = 0;
    uint32_t len = kEmpty;
    V value{};
  };
  __attribute__((always_inline)) static uint64_t Prefix(const char* p, size_t n) {
    return LoadUpTo8(p, n);
  }
  size_t Index(uint64_t h) const { return (h ^ (h >> 21)) & mask_; }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// The candidates of a folded city name: TablesImpl::city_ids[first, first + count), main-name
// matches first.
struct CityRange {
  uint32_t first = 0;
  uint32_t count = 0;
};

// Up to four bytes of a first-level administrative code ("CA", "ENG"), packed.
inline uint32_t PackAdmin1(std::string_view code) {
  uint32_t v = 0;
  std::memcpy(&v, code.data(), std::min<size_t>(code.size(), 4));
  return v;
}

struct TablesImpl {
  std::array<FoldEntry, kFoldTableSize> fold;
  std::vector<City> cities;
  // Filled by LoadPlaces: every folded city name (views into city_keys) with its range of
  // city_ids. Freeze() turns them into city_index_f and drops them.
  std::vector<std::pair<std::string_view, CityRange>> city_ranges;
  std::string city_keys;
  absl::flat_hash_map<std::string, std::vector<RegionInfo>> regions;
  absl::flat_hash_map<std::string, MonthInfo> months;
  absl::flat_hash_map<std::string, std::string> agencies;       // "(X)" forms
  absl::flat_hash_map<std::string, std::string> bare_agencies;  // unbracketed forms
  // Frozen copies of the maps above used by the parser (the maps are emptied by Freeze()).
  FrozenMap<CityRange> city_index_f;
  std::vector<uint32_t> city_ids;     // the candidates of every CityRange
  std::vector<uint16_t> city_cc;      // per city: PackCountry(country)
  std::vector<uint32_t> city_admin1;  // per city: PackAdmin1(admin1)
  FrozenMap<std::vector<RegionInfo>> regions_f;
  FrozenMap<MonthInfo> months_f;
  FrozenMap<std::string> agencies_f, bare_agencies_f;
  // The leading words of the multi-word unbracketed forms ("RIA", "CANADIAN"), folded, and the
  // byte length of the longest unbracketed form as written: AgencyBare() stops reading words
  // when neither can still match.
  absl::flat_hash_set<std::string> bare_prefixes;
  FrozenMap<bool> bare_prefixes_f;
  size_t bare_max_bytes = 0;
  size_t bare_first_word_max_bytes = 0;  // the same for the first word ("INTERFAX.RU")
  // bare_pairs[a] has bit b set when an unbracketed form starts with the ASCII letters 'A' + a,
  // 'A' + b once folded ("RE" of REUTER, "AP"): a word starting with two ASCII letters that
  // are not such a pair cannot start a form, which AgencyBare() checks before folding.
  std::array<uint32_t, 26> bare_pairs{};

  // Whether `s` can start an unbracketed agency form (false only when it certainly cannot).
  bool MayStartBareAgency(std::string_view s) const {
    if (s.size() < 2) return true;
    const auto a = static_cast<unsigned char>(kAsciiFold[static_cast<unsigned char>(s[0]) & 0x7F]);
    const auto b = static_cast<unsigned char>(kAsciiFold[static_cast<unsigned char>(s[1]) & 0x7F]);
    if ((s[0] & 0x80) || (s[1] & 0x80) || a < 'A' || a > 'Z' || b < 'A' || b > 'Z') return true;
    return (bare_pairs[a - 'A'] >> (b - 'A')) & 1u;
  }

  void Freeze() {
    city_index_f.Build(city_ranges);
    city_ranges.shrink_to_fit();
    city_keys.clear();
    city_keys.shrink_to_fit();
    for (const City& c : cities) {
      city_cc.push_back(c.cc);
      city_admin1.push_back(PackAdmin1(c.admin1));
    }
    regions_f.Build(std::move(regions));
    months_f.Build(std::move(months));
    agencies_f.Build(std::move(agencies));
    bare_agencies_f.Build(std::move(bare_agencies));
    std::vector<std::pair<std::string, bool>> prefixes;
    for (const std::string& p : bare_prefixes) prefixes.emplace_back(p, true);
    bare_prefixes.clear();
    bare_prefixes_f.Build(prefixes);
  }

  // Folds `in` (upper case, accents and periods dropped, white space collapsed) into `out`.
  // Returns the length, or kNpos when it does not fit in `cap`.
  size_t Fold(std::string_view in, char* out, size_t cap) const {
    if (const size_t k = in.size(); k - 1 < 8 && cap >= 8) {
      // One to eight ASCII letters ("March", "PARIS", most keys): upper-cased as one word.
      constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x80 * kOnes;
      const uint64_t w = LoadUpTo8(in.data(), k);
      const uint64_t mask = k == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * k)) - 1;
      const uint64_t x = w | (0x20 * kOnes);  // letters in lower case; no byte carries below
      const uint64_t at_least_a = (x + 0x1F * kOnes) & kHigh;  // byte >= 'a'
      const uint64_t above_z = (x + 0x05 * kOnes) & kHigh;     // byte > 'z'
      if ((w & kHigh & mask) == 0 && (at_least_a & ~above_z & mask) == (kHigh & mask)) {
        const uint64_t upper = w & ~(0x20 * kOnes);
        std::memcpy(out, &upper, 8);  // bytes past k are scratch inside `cap`
        return k;
      }
    }
    size_t n = 0, i = 0;
    bool pending_space = false;
    if (in.size() <= cap) {
      // The leading ASCII run, without bound checks: an ASCII byte yields at most one byte (a
      // pending space stands for a white space byte already read), so n <= i < size <= cap.
      for (const char* p = in.data(); i < in.size();) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (kByteClass[c]) {
          // A run of ASCII letters, upper-cased by clearing the case bit.
          if (pending_space) {
            out[n++] = ' ';
            pending_space = false;
          }
          do {
            out[n++] = static_cast<char>(p[i] & 0xDF);
            ++i;
          } while (i < in.size() && kByteClass[static_cast<unsigned char>(p[i])]);
          continue;
        }
        if (c >= 0x80) break;
        ++i;
        const char f = kAsciiFold[c];
        if (f == 0) continue;
        if (f == ' ') {
          pending_space = n > 0;
          continue;
        }
        if (pending_space) {
          out[n++] = ' ';
          pending_space = false;
        }
        out[n++] = f;
      }
    }
    auto emit_space = [&]() -> bool {
      if (pending_space) {
        if (n >= cap) return false;
        out[n++] = ' ';
        pending_space = false;
      }
      return true;
    };
    while (i < in.size()) {
      const auto c = static_cast<unsigned char>(in[i]);
      if (c < 0x80) {
        ++i;
        const char f = kAsciiFold[c];
        if (f == 0) continue;
        if (f == ' ') {
          pending_space = n > 0;
          continue;
        }
        if (pending_space && !emit_space()) return kNpos;
        if (n >= cap) return kNpos;
        out[n++] = f;
        continue;
      }
      size_t len;
      const uint32_t cp = Decode(in, i, &len);
      if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F) {
        pending_space = n > 0;
        i += len;
        continue;
      }
      if (!emit_space()) return kNpos;
      if (cp == 0x2019) {
        if (n >= cap) return kNpos;
        out[n++] = '\'';
      } else if (cp < kFoldTableSize) {
        const FoldEntry& e = fold[cp];
        if (n + e.size > cap) return kNpos;
        std::memcpy(out + n, e.bytes, e.size);
        n += e.size;
      } else {
        if (n + len > cap) return kNpos;
        std::memcpy(out + n, in.data() + i, len);
        n += len;
      }
      i += len;
    }
    return n;
  }

  std::string FoldToString(std::string_view in) const {
    std::string out(in.size() * 3 + 8, '\0');
    const size_t n = Fold(in, out.data(), out.size());
    out.resize(n == kNpos ? 0 : n);
    return out;
  }

  // Letter class of the code point at s[i] (kLetter|kUpper|kLower bits), its length in `len`.
  uint8_t Class(std::string_view s, size_t i, size_t* len) const {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      *len = 1;
      return kAsciiClass[c];
    }
    const uint32_t cp = Decode(s, i, len);
    return cp < kFoldTableSize ? fold[cp].flags : 0;
  }

  const MonthInfo* Month(std::string_view word) const {
    char buf[48];
    const size_t n = Fold(word, buf, sizeof(buf));
    if (n == kNpos || n == 0) return nullptr;
    return months_f.Find(buf, n);
  }

  const CityRange* Cities(std::string_view name) const {
    char buf[kKeyCap];
    const size_t n = Fold(name, buf, sizeof(buf));
    if (n == kNpos || n == 0) return nullptr;
    return city_index_f.Find(buf, n);
  }

  const std::vector<RegionInfo>* Region(std::string_view name) const {
    char buf[kKeyCap];
    const size_t n = Fold(name, buf, sizeof(buf));
    if (n == kNpos || n == 0) return nullptr;
    return regions_f.Find(buf, n);
  }

  const std::string* Agency(std::string_view name, bool bare) const {
    char buf[64];
    const size_t n = Fold(name, buf, sizeof(buf));
    if (n == kNpos || n == 0) return nullptr;
    return (bare ? bare_agencies_f : agencies_f).Find(buf, n);
  }

  // An unbracketed agency form ("INTERFAX.RU", "РИА Новости"); `*is_prefix` tells whether `name`
  // is the leading words of a longer form ("РИА").
  const std::string* BareAgency(std::string_view name, bool* is_prefix) const {
    *is_prefix = false;
    char buf[64];
    const size_t n = Fold(name, buf, sizeof(buf));
    if (n == kNpos || n == 0) return nullptr;
    if (const std::string* found = bare_agencies_f.Find(buf, n)) return found;
    *is_prefix = bare_prefixes_f.Find(buf, n) != nullptr;
    return nullptr;
  }
};

using Tables = TablesImpl;

// ---------------------------------------------------------------------------------------------
// Loading.

absl::Status ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return absl::OkStatus();
}

absl::Status BuildFoldTable(Tables* t) {
  for (UChar32 cp = 0; cp < static_cast<UChar32>(kFoldTableSize); ++cp) {
    FoldEntry& e = t->fold[cp];
    uint8_t flags = 0;
    if (u_isalpha(cp)) {
      flags |= kLetter;
      if (u_isUUppercase(cp) || u_istitle(cp)) flags |= kUpper;
      if (u_isULowercase(cp)) flags |= kLower;
    } else if (u_charType(cp) == U_NON_SPACING_MARK) {
      flags |= kLetter;  // combining accents continue a word
    }
    e.flags = flags;
    std::string utf8;
    if (absl::Status st = CasedWithoutMarks(cp, /*upper=*/true, &utf8); !st.ok()) return st;
    if (utf8.size() > sizeof(e.bytes)) utf8.resize(0);
    std::memcpy(e.bytes, utf8.data(), utf8.size());
    e.size = static_cast<uint8_t>(utf8.size());
  }
  return absl::OkStatus();
}

// Month names from ICU for the supported languages (date_grammar.h), plus unambiguous prefixes of
// the full names (RIA's "фев", Reuters' "Sept") and the wire variants the brief names.
absl::Status BuildMonths(Tables* t) {
  absl::flat_hash_map<std::string, MonthInfo> exact;
  NamePrefixes prefixes;
  auto add_exact = [&](const std::string& key, int month, bool full) {
    if (key.empty()) return;
    auto [it, inserted] = exact.try_emplace(key, MonthInfo{static_cast<int8_t>(month), full});
    if (!inserted && it->second.month != month) it->second.month = -1;
    if (!inserted && full) it->second.full = true;
  };
  absl::Status st = ForEachIcuDateName(/*weekdays=*/false, [&](const IcuDateName& name) {
    const std::string key = t->FoldToString(name.utf8);
    add_exact(key, name.value, name.wide);
    if (name.wide) prefixes.Add(key, name.value);
  });
  if (!st.ok()) return st;
  prefixes.ForEachUnambiguous([&](const std::string& key, int month) {
    if (!exact.contains(key)) exact.emplace(key, MonthInfo{static_cast<int8_t>(month), false});
  });
  add_exact("SEPT", 9, false);
  add_exact("JUNEE", 6, false);  // Reuters-21578 typo
  for (auto& [key, info] : exact) {
    if (info.month > 0) t->months.emplace(key, info);
  }
  return absl::OkStatus();
}

void BuildAgencies(Tables* t) {
  struct Agency {
    const char* canonical;
    std::vector<const char*> forms;
  };
  const Agency kAgencies[] = {
      {"Reuters", {"Reuters", "Reuter"}},
      {"AP", {"AP", "Associated Press"}},
      {"AFP", {"AFP", "Agence France-Presse"}},
      {"Xinhua", {"Xinhua"}},
      {"UPI", {"UPI"}},
      {"Bloomberg", {"Bloomberg"}},
      {"CNN", {"CNN"}},
      {"dpa", {"dpa", "dpa-AFX"}},
      {"EFE", {"EFE", "EFECOM"}},
      {"ANSA", {"ANSA"}},
      {"TASS", {"TASS", "ITAR-TASS", "ТАСС", "ИТАР-ТАСС"}},
      {"PTI", {"PTI"}},
      {"IANS", {"IANS"}},
      {"ANI", {"ANI"}},
      {"UNI", {"UNI"}},
      {"Kyodo", {"Kyodo"}},
      {"Jiji", {"Jiji", "Jiji Press"}},
      {"Yonhap", {"Yonhap"}},
      {"RIA Novosti", {"RIA Novosti", "РИА Новости"}},
      {"Interfax", {"Interfax", "Интерфакс"}},
      {"Europa Press", {"Europa Press"}},
      {"Canadian Press", {"CP"}},
      {"AAP", {"AAP"}},
      {"Sputnik", {"Sputnik"}},
      {"KUNA", {"KUNA"}},
      {"WAM", {"WAM"}},
      {"IRNA", {"IRNA"}},
      {"Bernama", {"Bernama"}},
      {"Antara", {"Antara"}},
      {"Prensa Latina", {"Prensa Latina", "PL"}},
      {"Notimex", {"Notimex"}},
      {"Lusa", {"Lusa"}},
      {"PAP", {"PAP"}},
      {"CTK", {"CTK", "ČTK"}},
      {"MTI", {"MTI"}},
      {"Belga", {"Belga"}},
      {"ANP", {"ANP"}},
      {"APA", {"APA"}},
      {"NTB", {"NTB"}},
      {"Anadolu", {"Anadolu", "AA"}},
      {"Ukrinform", {"Ukrinform"}},
      {"UNIAN", {"UNIAN"}},
      {"BelTA", {"BelTA"}},
      {"Agerpres", {"Agerpres"}},
      {"SPA", {"SPA"}},
      {"MENA", {"MENA"}},
      {"Dow Jones", {"Dow Jones"}},
      {"AFX", {"AFX"}},
      {"Xinhua", {"Xinhua News Agency"}},
  };
  for (const Agency& a : kAgencies) {
    for (const char* form : a.forms) t->agencies.emplace(t->FoldToString(form), a.canonical);
  }
  // Written without brackets at a fixed position: "/TASS/" is handled by its slashes; these are
  // RIA's "— РИА Новости.", Interfax's "INTERFAX.RU -", the 1987 ", Reuter -", the aggregator
  // prefix "AP - ".
  const std::pair<const char*, const char*> kBare[] = {
      {"РИА Новости", "RIA Novosti"},
      {"RIA Novosti", "RIA Novosti"},
      {"INTERFAX.RU", "Interfax"},
      {"Interfax", "Interfax"},
      {"Reuter", "Reuters"},
      {"Reuters", "Reuters"},
      {"AP", "AP"},
      {"AFP", "AFP"},
      {"UPI", "UPI"},
      {"Canadian Press", "Canadian Press"},
  };
  for (const auto& [form, canonical] : kBare) {
    const std::string folded = t->FoldToString(form);
    t->bare_agencies.emplace(folded, canonical);
    if (folded.size() >= 2 && folded[0] >= 'A' && folded[0] <= 'Z' && folded[1] >= 'A' &&
        folded[1] <= 'Z') {
      t->bare_pairs[folded[0] - 'A'] |= 1u << (folded[1] - 'A');
    }
    t->bare_max_bytes = std::max(t->bare_max_bytes, std::strlen(form));
    t->bare_first_word_max_bytes =
        std::max(t->bare_first_word_max_bytes, std::string_view(form).find(' ') == kNpos
                                                   ? std::strlen(form)
                                                   : std::string_view(form).find(' '));
    for (size_t sp = folded.find(' '); sp != std::string::npos; sp = folded.find(' ', sp + 1)) {
      t->bare_prefixes.insert(folded.substr(0, sp));
    }
  }
}

absl::Status LoadRegions(const std::string& dir, Tables* t) {
  for (const char* file : {"regions.tsv", "countries.tsv"}) {
    const std::string path = absl::StrCat(dir, "/", file);
    std::string content;
    if (auto s = ReadFile(path, &content); !s.ok()) return s;
    for (absl::string_view line : absl::StrSplit(content, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
      if (std::string(file) == "countries.tsv") {
        if (f.size() < 2) return absl::DataLossError(absl::StrCat("bad line in ", path));
        // iso2 \t name
        std::swap(f[0], f[1]);
      }
      if (f.size() < 2 || f[1].size() != 2) {
        return absl::DataLossError(absl::StrCat("bad line in ", path, ": ", line));
      }
      const std::string key = t->FoldToString(std::string_view(f[0].data(), f[0].size()));
      const std::string admin1 = f.size() > 2 ? std::string(f[2]) : std::string();
      RegionInfo info{std::string(f[1]), PackCountry(std::string_view(f[1].data(), 2)),
                      admin1.empty() ? 0 : PackAdmin1(admin1), admin1};
      auto& list = t->regions[key];
      bool dup = false;
      for (const auto& r : list) dup |= r.cc == info.cc && r.admin1_packed == info.admin1_packed;
      if (!dup) list.push_back(std::move(info));
    }
  }
  return absl::OkStatus();
}

// How many times `c` occurs in `s` (memchr strides over the bytes between).
size_t CountByte(std::string_view s, char c) {
  size_t n = 0;
  for (const char *p = s.data(), *end = p + s.size();; ++p, ++n) {
    p = static_cast<const char*>(std::memchr(p, c, end - p));
    if (p == nullptr) return n;
  }
}

// A population field: up to 9 plain digits are read here, anything else as absl::SimpleAtoi
// reads it (signs, spaces, overflow).
bool ParsePopulation(std::string_view s, uint32_t* out) {
  if (!s.empty() && s.size() <= 9) {
    uint32_t v = 0;
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) v = v * 10 + (s[i] - '0');
    if (i == s.size()) {
      *out = v;
      return true;
    }
  }
  return absl::SimpleAtoi(absl::string_view(s.data(), s.size()), out);
}

// The next field of `line` from `*pos` up to `sep` (or the end); moves `*pos` past the separator.
// Returns false when `line` has no more fields.
bool NextField(std::string_view line, char sep, size_t* pos, std::string_view* field) {
  if (*pos > line.size()) return false;
  const char* start = line.data() + *pos;
  const void* hit = std::memchr(start, sep, line.size() - *pos);
  const size_t end = hit == nullptr ? line.size() : static_cast<const char*>(hit) - line.data();
  *field = line.substr(*pos, end - *pos);
  *pos = end + 1;
  return true;
}

// Reads places.tsv into t->cities and the candidate lists (t->city_ids, t->city_ranges): for
// each folded name, the ids of the cities whose main name folds to it, in file (population)
// order, then those with it among their alternate names, each id once. The file is parsed in
// place and the names are grouped in one open-addressing table over a single key buffer, so
// loading allocates a few large arrays rather than a string and a vector per name.
absl::Status LoadPlaces(const std::string& dir, Tables* t) {
  const std::string path = absl::StrCat(dir, "/places.tsv");
  std::string content;
  if (auto s = ReadFile(path, &content); !s.ok()) return s;
  // The folded names' offsets below are 32-bit and folding at most triples a name, so a table
  // over 1 GiB could overflow them: refuse it rather than build wrong keys.
  if (content.size() > (size_t{1} << 30)) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path, " is ", content.size(), " bytes; the place table holds at most 1 GiB"));
  }
  const std::string_view all(content);
  // Upper bounds for the reservations: lines, and names (a name per line plus one per '|').
  const size_t max_lines = CountByte(all, '\n') + 1;
  const size_t max_names = max_lines + CountByte(all, '|');
  t->cities.reserve(max_lines);
  std::vector<std::string_view> alternates;  // each city's alternate-name field
  alternates.reserve(max_lines);
  for (size_t pos = 0; pos <= all.size();) {
    const size_t nl = std::min(all.find('\n', pos), all.size());
    const std::string_view line = all.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    std::string_view f[5];
    size_t n = 0, at = 0;
    std::string_view field;
    while (n < 6 && NextField(line, '\t', &at, &field)) {
      if (n < 5) f[n] = field;
      ++n;
    }
    uint32_t population = 0;
    if (n != 5 || f[1].size() != 2 || !ParsePopulation(f[3], &population)) {
      return absl::DataLossError(
          absl::StrCat("bad line in ", path, ": ",
                       absl::string_view(line.data(), std::min<size_t>(line.size(), 80))));
    }
    t->cities.push_back(City{std::string(f[0]), std::string(f[1]), PackCountry(f[1]),
                             std::string(f[2]), population});
    alternates.push_back(f[4]);
  }
  // The distinct folded names, in order of first use; their bytes live in `keys`.
  struct Group {
    uint64_t hash;
    uint32_t offset, size;  // in `keys`
    uint32_t last_id;       // the city id added to it last
    uint32_t count;         // ids in it
  };
  std::vector<Group> groups;
  groups.reserve(max_names);
  // Folded names are written straight into `keys` (grown on demand to FoldToString's bound for
  // the name at hand) and kept there when new.
  std::string keys(all.size() + 64, '\0');
  size_t keys_used = 0;
  size_t cap = 16;
  while (cap < max_names * 2) cap <<= 1;
  std::vector<uint32_t> slots(cap, UINT32_MAX);        // group index per slot
  std::vector<std::pair<uint32_t, uint32_t>> members;  // (group, id), in order of addition
  members.reserve(max_names);
  // The group of the folded form of `name` (created when new); false when it folds to nothing.
  auto group_of = [&](std::string_view name, bool keep_empty, uint32_t* g) -> bool {
    const size_t room = name.size() * 3 + 8;  // as FoldToString: always enough
    if (keys.size() - keys_used < room) keys.resize(std::max(keys.size() * 2, keys_used + room));
    char* out = keys.data() + keys_used;
    size_t n = t->Fold(name, out, room);
    if (n == kNpos) n = 0;
    if (n == 0 && !keep_empty) return false;
    const uint64_t h = HashBytes(out, n);
    for (size_t i = (h ^ (h >> 21)) & (cap - 1);; i = (i + 1) & (cap - 1)) {
      const uint32_t k = slots[i];
      if (k == UINT32_MAX) {
        *g = slots[i] = static_cast<uint32_t>(groups.size());
        groups.push_back(
            Group{h, static_cast<uint32_t>(keys_used), static_cast<uint32_t>(n), UINT32_MAX, 0});
        keys_used += n;
        return true;
      }
      const Group& gr = groups[k];
      if (gr.hash == h && gr.size == n && std::memcmp(keys.data() + gr.offset, out, n) == 0) {
        *g = k;
        return true;
      }
    }
  };
  auto add = [&](uint32_t g, uint32_t id) {
    members.emplace_back(g, id);
    groups[g].last_id = id;
    ++groups[g].count;
  };
  // Main names first (an empty folded name is kept, as a key no lookup reaches), then alternate
  // names; within each, the file's population order.
  const auto num_cities = static_cast<uint32_t>(t->cities.size());
  std::vector<uint32_t> main_group(num_cities);
  for (uint32_t id = 0; id < num_cities; ++id) {
    group_of(t->cities[id].name, /*keep_empty=*/true, &main_group[id]);
    add(main_group[id], id);
  }
  for (uint32_t id = 0; id < num_cities; ++id) {
    std::string_view field;
    for (size_t at = 0; NextField(alternates[id], '|', &at, &field);) {
      uint32_t g;
      if (field.empty() || !group_of(field, /*keep_empty=*/false, &g)) continue;
      // Already listed: as this city's main name, or as one of its alternates just before
      // (the ids of a group grow, so an earlier city cannot be its last).
      if (main_group[id] == g || groups[g].last_id == id) continue;
      add(g, id);
    }
  }
  // Each group's ids as one range of city_ids, in order of addition.
  t->city_ids.resize(members.size());
  t->city_ranges.clear();
  t->city_ranges.reserve(groups.size());
  std::vector<uint32_t> fill(groups.size());
  uint32_t first = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    fill[g] = first;
    t->city_ranges.emplace_back(std::string_view(), CityRange{first, groups[g].count});
    first += groups[g].count;
  }
  for (const auto& [g, id] : members) t->city_ids[fill[g]++] = id;
  keys.resize(keys_used);
  t->city_keys = std::move(keys);
  for (size_t g = 0; g < groups.size(); ++g) {
    t->city_ranges[g].first =
        std::string_view(t->city_keys).substr(groups[g].offset, groups[g].size);
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------------
// The head reader.

// Positions inside the head (at most kDatelineHeadBytes) fit in 16 bits; small structs keep the
// per-parse scratch cheap to reset.
using Pos = uint16_t;
static_assert(kDatelineHeadBytes < 65535);

// Scratch structs without default member initialisers: resetting them must stay cheap.
struct Seg {
  Pos begin, end;
  bool all_caps;  // has upper-case letters and no lower-case ones
};

struct RawPlace {
  Seg city;
  Seg regions[3];
  int n_regions;
  Pos end;  // end of the place as written (after its last region)
};

struct RawDate {
  Pos begin, end;
  int month, day, year;
};

struct Raw {
  Pos begin = 0, end = 0, body = 0;
  RawPlace places[4];
  int n_places = 0;
  bool has_date = false;
  RawDate date;
  bool has_source = false;
  Pos src_begin = 0, src_end = 0;
  const std::string* src_name = nullptr;

  void Reset() {
    begin = end = body = 0;
    n_places = 0;
    has_date = has_source = false;
    src_begin = src_end = 0;
    src_name = nullptr;
  }
};

class HeadReader {
 public:
  HeadReader(const Tables& t, std::string_view s) : t_(t), s_(s) {}

  bool At(size_t i, char c) const { return i < s_.size() && s_[i] == c; }

  // s_[b, e), for b <= e <= s_.size() (unchecked, unlike substr()).
  std::string_view View(size_t b, size_t e) const { return std::string_view(s_.data() + b, e - b); }

  // Accepts lower-case place words ("Mexico city", "peoria"); such places must be known.
  void set_lax(bool lax) { lax_ = lax; }

  // "," or " ," at i: returns the position after the comma, else kNpos.
  size_t Comma(size_t i) const {
    if (At(i, ',')) return i + 1;
    if (At(i, ' ') && At(i + 1, ',')) return i + 2;
    return kNpos;
  }

  // Horizontal white space: space, tab, NBSP and the Unicode spaces U+2000..U+200A, U+202F.
  size_t HSpace(size_t i) const {
    if (i >= s_.size()) return 0;
    const auto c = static_cast<unsigned char>(s_[i]);
    if (c == ' ' || c == '\t') return 1;
    if (c == 0xC2 && i + 1 < s_.size() && static_cast<unsigned char>(s_[i + 1]) == 0xA0) return 2;
    if (c == 0xE2 && i + 2 < s_.size() && static_cast<unsigned char>(s_[i + 1]) == 0x80) {
      const auto c2 = static_cast<unsigned char>(s_[i + 2]);
      if (c2 <= 0x8A || c2 == 0xAF) return 3;
    }
    return 0;
  }

  size_t SkipWs(size_t i, bool newlines = true) const {
    while (i < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i]);
      if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
        ++i;
        continue;
      }
      if (c < 0x80) break;  // no other ASCII byte is white space
      const size_t n = HSpace(i);
      if (n == 0) break;
      i += n;
    }
    return i;
  }

  // A word: letters, with inner '.', '\'', '’' and '-' ("N.C.", "WINSTON-SALEM", "Calif.").
  // Returns its end (== i when no word starts at i); `first` gets the class of the first letter.
  // Word() with a one-entry memo: a parse asks about the same first word several times (as a
  // byline, an agency, a date, a place).
  __attribute__((always_inline)) size_t Word(size_t i, uint8_t* first, bool* has_upper,
                                             bool* has_lower) const {
    if (i != word_memo_pos_) {
      word_memo_pos_ = i;
      word_memo_end_ = WordUncached(i, &word_memo_first_, &word_memo_seen_);
    }
    *first = word_memo_first_;
    *has_upper = (word_memo_seen_ & kUpper) != 0;
    *has_lower = (word_memo_seen_ & kLower) != 0;
    return word_memo_end_;
  }

  // Word() without the memo; `*seen` gets the union of the letters' classes.
  __attribute__((noinline)) size_t WordUncached(size_t i, uint8_t* first, uint8_t* seen_out) const {
    const char* p = s_.data();
    const size_t n = s_.size();
    *first = 0;
    *seen_out = 0;
    if (i >= n) return i;
    size_t len = 1;
    const auto c0 = static_cast<unsigned char>(p[i]);
    const uint8_t head = c0 < 0x80 ? kAsciiClass[c0] : t_.Class(s_, i, &len);
    if (!(head & kLetter)) return i;
    uint8_t seen = head;
    size_t j = i + len;
    while (j < n) {
      // The run of ASCII letters, one table load and test a byte (kByteClass is zero for every
      // byte that is not an ASCII letter).
      if (const uint8_t cls = kByteClass[static_cast<unsigned char>(p[j])]) {
        seen |= cls;
        ++j;
        continue;
      }
      const auto c = static_cast<unsigned char>(p[j]);
      if (c < 0x80) {
        if (const uint8_t cls = kAsciiClass[c]) {  // non-zero for letters only
          seen |= cls;
          ++j;
          continue;
        }
        if (c == '.') {
          ++j;  // "N.C." / "Feb." / "Москва."
          continue;
        }
        if (c == '\'' || c == '-') {
          size_t l2;
          if (j + 1 < n && (t_.Class(s_, j + 1, &l2) & kLetter)) {
            ++j;
            continue;
          }
        }
        break;
      }
      const uint8_t cls = t_.Class(s_, j, &len);
      if (cls & kLetter) {
        seen |= cls;
        j += len;
        continue;
      }
      if (c == 0xE2 && j + 3 < n && p[j + 1] == '\x80' && p[j + 2] == '\x99') {
        size_t l2;
        if (t_.Class(s_, j + 3, &l2) & kLetter) {
          j += 3;  // "’"
          continue;
        }
      }
      break;
    }
    *first = head;
    *seen_out = seen;
    return j;
  }

  size_t Digits(size_t i, int max, int* value) const {
    size_t j = i;
    int v = 0;
    while (j < s_.size() && IsDigit(s_[j]) && static_cast<int>(j - i) < max) {
      v = v * 10 + (s_[j] - '0');
      ++j;
    }
    if (j == i || (j < s_.size() && IsDigit(s_[j]))) return i;
    *value = v;
    return j;
  }

  // Spaces (at most 3, no newline) then a digit.
  __attribute__((always_inline)) size_t SpacesThenDigit(size_t i) const {
    if (i + 1 >= s_.size()) return kNpos;
    const auto c = static_cast<unsigned char>(s_[i]);
    if (c == ' ') {
      const auto c1 = static_cast<unsigned char>(s_[i + 1]);
      if (IsDigit(c1)) return i + 1;                           // the usual case
      if (c1 < 0x80 && c1 != ' ' && c1 != '\t') return kNpos;  // " YORK"
    } else if (c != '\t' && c != 0xC2 && c != 0xE2) {
      return kNpos;  // no white space at all (a multi-byte space starts with C2 or E2)
    }
    size_t j = i;
    for (int k = 0; k < 3; ++k) {
      const size_t n = HSpace(j);
      if (n == 0) break;
      j += n;
    }
    return (j > i && j < s_.size() && IsDigit(s_[j])) ? j : kNpos;
  }

  // "Feb. 23", "Oct. 31, 2005", "March 2", "23 feb", "21 jan 2019", "22 MAR", "23 февраля".
  // Date() with a one-entry memo: the same position is asked about several times per parse.
  size_t Date(size_t i, RawDate* d) const {
    if (i != memo_pos_) {
      memo_pos_ = i;
      memo_end_ = DateUncached(i, &memo_date_);
    }
    if (memo_end_ != kNpos) *d = memo_date_;
    return memo_end_;
  }

  size_t DateUncached(size_t i, RawDate* d) const {
    if (i >= s_.size()) return kNpos;
    if (IsDigit(s_[i])) {
      int day = 0;
      const size_t de = Digits(i, 2, &day);
      if (de == i || day < 1 || day > 31) return kNpos;
      size_t w = de;
      if (At(w, '.') && HSpace(w + 1)) ++w;  // German "3. März"
      int spaces = 0;
      while (size_t n = HSpace(w)) {
        w += n;
        if (++spaces > 2) return kNpos;
      }
      if (spaces == 0) return kNpos;
      uint8_t first;
      bool up, low;
      size_t we = Word(w, &first, &up, &low);
      if (we == w) return kNpos;
      const MonthInfo* m = t_.Month(View(w, we));
      if (m == nullptr) return kNpos;
      if (m->full && s_[we - 1] == '.') --we;
      d->begin = i;
      d->month = m->month;
      d->day = day;
      d->year = 0;
      d->end = we;
      const size_t ys = SpacesThenDigit(we);
      int year = 0;
      if (ys != kNpos) {
        const size_t ye = Digits(ys, 4, &year);
        if (ye == ys + 4 && year >= 1900 && year < 2200) {
          d->year = year;
          d->end = ye;
        }
      }
      return d->end;
    }
    uint8_t first;
    bool up, low;
    const size_t we = Word(i, &first, &up, &low);
    if (we == i) return kNpos;
    size_t ds = SpacesThenDigit(we);
    if (ds == kNpos && At(we, ',')) ds = SpacesThenDigit(we + 1);  // "April, 13"
    if (ds == kNpos) return kNpos;
    const MonthInfo* m = t_.Month(View(i, we));
    MonthInfo typo;
    if (m == nullptr && (first & kUpper)) {
      typo.month = static_cast<int8_t>(MisspeltEnglishMonth(View(i, we)));
      if (typo.month > 0) m = &typo;
    }
    if (m == nullptr) return kNpos;
    int day = 0;
    const size_t de = Digits(ds, 2, &day);
    if (de == ds || day < 1 || day > 31) return kNpos;
    if (de < s_.size()) {
      size_t l;
      const auto c = static_cast<unsigned char>(s_[de]);
      if ((c < 0x80 ? kAsciiClass[c] : t_.Class(s_, de, &l)) & kLetter) return kNpos;  // "2O"
    }
    d->begin = i;
    d->month = m->month;
    d->day = day;
    d->year = 0;
    d->end = de;
    size_t y = de;
    if (At(y, ',')) ++y;
    const size_t ys = SpacesThenDigit(y);
    int year = 0;
    if (ys != kNpos) {
      const size_t ye = Digits(ys, 4, &year);
      if (ye == ys + 4 && year >= 1900 && year < 2200) {
        d->year = year;
        d->end = ye;
      }
    }
    return d->end;
  }

  // An English month name written with one typing error (a letter dropped, added, changed or
  // two letters swapped: "Narch", "Jne", "Macrh"); 0 when none or more than one is that close.
  static int MisspeltEnglishMonth(std::string_view word) {
    static constexpr std::string_view kNames[] = {"JANUARY",   "FEBRUARY", "MARCH",    "APRIL",
                                                  "MAY",       "JUNE",     "JULY",     "AUGUST",
                                                  "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER"};
    if (word.size() < 3 || word.size() > 10) return 0;
    char w[12];
    for (size_t k = 0; k < word.size(); ++k) {
      char c = word[k];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
      if (c < 'A' || c > 'Z') return 0;
      w[k] = c;
    }
    const std::string_view up(w, word.size());
    int found = 0;
    for (int m = 0; m < 12; ++m) {
      const std::string_view n = kNames[m];
      if (n.size() < 4 || up.size() + 1 < n.size() || up.size() > n.size() + 1) continue;
      if (WithinOneEdit(up, n)) {
        if (found != 0) return 0;
        found = m + 1;
      }
    }
    return found;
  }

  // Damerau-Levenshtein distance <= 1 (one insertion, deletion, substitution or transposition).
  static bool WithinOneEdit(std::string_view a, std::string_view b) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    if (i == a.size() && i == b.size()) return true;
    if (a.size() == b.size()) {
      if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
      return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
             a.substr(i + 2) == b.substr(i + 2);  // transposition
    }
    if (a.size() + 1 == b.size()) return a.substr(i) == b.substr(i + 1);
    if (b.size() + 1 == a.size()) return a.substr(i + 1) == b.substr(i);
    return false;
  }

  // Whether the word ending at `word_end` is followed by what a month name needs after it.
  bool MayStartDate(size_t word_end) const {
    return SpacesThenDigit(word_end) != kNpos ||
           (At(word_end, ',') && SpacesThenDigit(word_end + 1) != kNpos);
  }

  bool IsDateStart(size_t i) const {
    RawDate d;
    return Date(i, &d) != kNpos;
  }

  static bool IsConnector(std::string_view w) {
    static constexpr std::string_view kWords[] = {
        "de", "del", "da", "do", "dos", "das", "la",   "le",  "les", "el", "al", "am",
        "an", "der", "di", "du", "of",  "on",  "upon", "sur", "en",  "y",  "et", "im"};
    for (std::string_view k : kWords) {
      if (w == k) return true;
    }
    return false;
  }

  // A place or region segment: capitalised words joined by single spaces ("NEW YORK",
  // "Rio de Janeiro"), stopping before a date. Returns its end, or kNpos.
  size_t Segment(size_t i, Seg* seg, bool allow_and = false) const {
    uint8_t first;
    bool up, low;
    size_t e = Word(i, &first, &up, &low);
    if (e == i || !(first & (lax_ ? kLetter : kUpper))) return kNpos;
    bool any_up = up, any_low = low || lax_;
    size_t end = e;
    int words = 1;
    while (words < 6 && end - i < 64) {
      const size_t sp = HSpace(end);
      if (sp == 0) break;
      const size_t w = end + sp;
      bool up2, low2;
      const size_t we = Word(w, &first, &up2, &low2);
      if (we == w) break;
      if (!(first & kUpper) && !lax_) {
        // A lower-case connector followed by a capitalised word: "Rio de Janeiro".
        const std::string_view word = View(w, we);
        if (!(IsConnector(word) || (allow_and && word == "and"))) break;
        const size_t sp2 = HSpace(we);
        if (sp2 == 0) break;
        uint8_t f3;
        bool u3, l3;
        const size_t we3 = Word(we + sp2, &f3, &u3, &l3);
        if (we3 == we + sp2 || !(f3 & kUpper)) break;
        if (MayStartDate(we3) && IsDateStart(we + sp2)) break;
        any_up |= u3;
        any_low |= l3 || !allow_and;  // a connector makes the segment mixed case
        end = we3;
        words += 2;
        continue;
      }
      if (MayStartDate(we) && IsDateStart(w)) break;
      any_up |= up2;
      any_low |= low2;
      end = we;
      ++words;
    }
    seg->begin = i;
    seg->end = end;
    seg->all_caps = any_up && !any_low;
    return end;
  }

  // "(Reuters)", "( EFE )", "(ЕFE)"; returns the end after ')' or kNpos.
  size_t AgencyParen(size_t i, Raw* r) const {
    if (!At(i, '(')) return kNpos;
    size_t j = i + 1;
    const size_t limit = std::min(s_.size(), i + 48);
    while (j < limit && s_[j] != ')' && s_[j] != '(' && s_[j] != '\n') ++j;
    if (j >= limit || s_[j] != ')') return kNpos;
    size_t b = SkipWs(i + 1, false), e = j;
    while (e > b && (s_[e - 1] == ' ' || s_[e - 1] == '\t')) --e;
    if (e == b) return kNpos;
    const std::string* name = t_.Agency(View(b, e), false);
    if (name == nullptr) return kNpos;
    r->has_source = true;
    r->src_begin = b;
    r->src_end = e;
    r->src_name = name;
    return j + 1;
  }

  // "/TASS/" or "/ТАСС/".
  size_t AgencySlashes(size_t i, Raw* r) const {
    if (!At(i, '/')) return kNpos;
    const size_t limit = std::min(s_.size(), i + 24);
    size_t j = i + 1;
    while (j < limit && s_[j] != '/' && s_[j] != ' ') ++j;
    if (j >= limit || s_[j] != '/' || j == i + 1) return kNpos;
    const std::string* name = t_.Agency(View(i + 1, j), false);
    if (name == nullptr) return kNpos;
    r->has_source = true;
    r->src_begin = i + 1;
    r->src_end = j;
    r->src_name = name;
    return j + 1;
  }

  // Whether an unbracketed agency form can start at i, from its first byte: R(euter, IA),
  // A(P, FP), U(PI), I(NTERFAX), C(anadian Press), Р (D0).
  bool MayStartBareAgencyAt(size_t i) const {
    if (i >= s_.size()) return false;
    const auto c0 = static_cast<unsigned char>(s_[i]);
    return c0 == 'R' || c0 == 'A' || c0 == 'U' || c0 == 'I' || c0 == 'C' || c0 == 0xD0;
  }

  // An unbracketed agency of one to three words ("РИА Новости", "INTERFAX.RU", "Reuter").
  size_t AgencyBare(size_t i, Raw* r) const {
    if (!MayStartBareAgencyAt(i)) return kNpos;
    if (!t_.MayStartBareAgency(s_.substr(i, 2))) return kNpos;  // "ROME", "CHICAGO"
    size_t e = i;
    for (int words = 0; words < 3; ++words) {
      uint8_t first;
      bool up, low;
      const size_t we = Word(e, &first, &up, &low);
      if (we == e) break;
      size_t name_end = we;
      while (name_end > i && s_[name_end - 1] == '.') --name_end;  // "РИА Новости."
      if (name_end - i > (words == 0 ? t_.bare_first_word_max_bytes : t_.bare_max_bytes)) break;
      bool is_prefix;
      if (const std::string* name = t_.BareAgency(View(i, name_end), &is_prefix)) {
        r->has_source = true;
        r->src_begin = i;
        r->src_end = name_end;
        r->src_name = name;
        return name_end;
      }
      if (!is_prefix) break;  // no form goes on after these words
      const size_t sp = HSpace(we);
      if (sp == 0) break;
      e = we + sp;
    }
    return kNpos;
  }

  // "-", "--", "—", "–", "―", "_", ".-", cp1252 0x97. Returns the end or kNpos.
  size_t Separator(size_t i) const {
    if (i + 1 < s_.size() && s_[i] == '-' && s_[i + 1] == ' ') return i + 1;  // the usual " - "
    if (i >= s_.size()) return kNpos;
    size_t j = i;
    if (s_[j] == '.' && j + 1 < s_.size() &&
        (s_[j + 1] == '-' || static_cast<unsigned char>(s_[j + 1]) == 0xE2)) {
      ++j;  // EFE ".-"
    }
    const size_t start = j;
    while (j < s_.size() && j - start < 9) {
      const auto c = static_cast<unsigned char>(s_[j]);
      if (c == '-') {
        ++j;
      } else if (c == 0xE2 && j + 2 < s_.size() && static_cast<unsigned char>(s_[j + 1]) == 0x80 &&
                 (static_cast<unsigned char>(s_[j + 2]) >= 0x93 &&
                  static_cast<unsigned char>(s_[j + 2]) <= 0x95)) {
        j += 3;
      } else if (c == 0x97) {
        ++j;
      } else {
        break;
      }
    }
    if (j == start) {
      // "_" as a dash (old AP/NYT wire) when white space follows.
      if (s_[j] == '_' && (j + 1 >= s_.size() || s_[j + 1] == ' ' || s_[j + 1] == '\n')) {
        return j + 1;
      }
      return kNpos;
    }
    if (j < s_.size() && IsDigit(s_[j])) return kNpos;  // "-5" is a number
    return j;
  }

  // Place: city segment, regions (", Calif.", " (India)"), more places joined by "/".
  size_t Places(size_t i, Raw* r) const {
    size_t k = i;
    bool first_caps = false;
    while (r->n_places < 4) {
      RawPlace& p = r->places[r->n_places];
      p = RawPlace();
      size_t e = Segment(k, &p.city, r->n_places > 0 && first_caps);
      if (e == kNpos) break;
      if (r->n_places == 0) first_caps = p.city.all_caps;
      p.end = e;
      // Regions.
      while (p.n_regions < 3) {
        size_t m = e;
        if (HSpace(m) && At(m + HSpace(m), '(')) m += HSpace(m);
        if (At(m, '(')) {
          Raw probe;
          if (AgencyParen(m, &probe) != kNpos) break;
          size_t j = m + 1;
          const size_t limit = std::min(s_.size(), m + 40);
          while (j < limit && s_[j] != ')' && s_[j] != '(' && s_[j] != '\n' && !IsDigit(s_[j])) {
            ++j;
          }
          if (j >= limit || s_[j] != ')' || j == m + 1) break;
          p.regions[p.n_regions++] = Seg{static_cast<Pos>(m + 1), static_cast<Pos>(j), false};
          e = j + 1;
          p.end = e;
          continue;
        }
        m = Comma(m);
        if (m == kNpos) break;
        m = SkipWs(m, false);
        if (IsDateStart(m)) break;
        if (MayStartBareAgencyAt(m)) {
          Raw probe;
          if (AgencyBare(m, &probe) != kNpos) break;
        }
        Seg reg;
        const size_t re = Segment(m, &reg, true);
        if (re == kNpos) break;
        p.regions[p.n_regions++] = reg;
        e = re;
        p.end = e;
      }
      ++r->n_places;
      // Another place?
      size_t m = e;
      if (At(m, ' ') && At(m + 1, '/')) ++m;
      if (At(m, '/')) {
        m = SkipWs(m + 1, false);
        k = m;
        continue;
      }
      if (first_caps && s_.substr(m, 5) == " and ") {
        Seg probe;
        if (Segment(m + 5, &probe) != kNpos && probe.all_caps) {
          k = m + 5;
          continue;
        }
      }
      break;
    }
    if (r->n_places == 0) return kNpos;
    return r->places[r->n_places - 1].end;
  }

  // "COLUMBUS Ohio", "FARMINGTON Conn.": a city and its region without a comma between.
  bool SplitTrailingRegion(RawPlace* p) const {
    if (p->n_regions != 0) return false;
    size_t last = p->city.end;
    while (last > p->city.begin && s_[last - 1] != ' ') --last;
    if (last <= p->city.begin + size_t{1}) return false;
    const Seg region{static_cast<Pos>(last), p->city.end, false};
    if (t_.Region(View(region.begin, region.end)) == nullptr) return false;
    Seg city{p->city.begin, static_cast<Pos>(last - 1), true};
    bool any_upper = false;
    for (size_t k = city.begin; k < city.end;) {
      size_t len;
      const uint8_t cls = t_.Class(s_, k, &len);
      if (cls & kLower) city.all_caps = false;
      if (cls & kUpper) any_upper = true;
      k += len;
    }
    city.all_caps &= any_upper;
    if (!city.all_caps && t_.Cities(View(city.begin, city.end)) == nullptr) {
      return false;
    }
    p->city = city;
    p->regions[0] = region;
    p->n_regions = 1;
    return true;
  }

  bool KnownPlace(const RawPlace& p) const {
    if (t_.Cities(CityText(p)) != nullptr) return true;
    if (t_.Region(CityText(p)) != nullptr) return true;
    return KnownRegion(p) != nullptr;
  }

  // The entries of the first region of `p` that the region table knows ("Calif.", "Ukraine"),
  // or nullptr when it knows none.
  const std::vector<RegionInfo>* KnownRegion(const RawPlace& p) const {
    for (int k = 0; k < p.n_regions; ++k) {
      const Seg& r = p.regions[k];
      if (const auto* found = t_.Region(View(r.begin, r.end))) return found;
    }
    return nullptr;
  }

  __attribute__((always_inline)) std::string_view CityText(const RawPlace& p) const {
    size_t e = p.city.end;
    // "Москва." (Interfax): the period closes the dateline part, not the name.
    if (e > p.city.begin + size_t{1} && s_[e - 1] == '.' && p.n_regions == 0) {
      const std::string_view w = View(p.city.begin, e - 1);
      if (w.find('.') == std::string_view::npos && w.size() >= 4) --e;
    }
    return View(p.city.begin, e);
  }

  // The full grammar at `i` (no byline). `agency_first` forbids a second leading agency.
  bool ParseAt(size_t i, Raw* r, bool nested = false) const {
    r->Reset();
    r->begin = i;
    if (i >= s_.size()) return false;
    // Agency first: "(Reuters) - ", "(ANSA) - ROMA, 22 MAR - ".
    if (!nested && s_[i] == '(') {
      const size_t a = AgencyParen(i, r);
      if (a == kNpos) return false;
      size_t sep = Separator(SkipWs(a, false));
      if (sep == kNpos) {
        // "(Reuters) Apple said ...", "(Reuters) NEW YORK - ...": no separator, then a
        // capitalised word.
        const size_t next = SkipWs(a, false);
        size_t len;
        if (next == a || next >= s_.size() || !(t_.Class(s_, next, &len) & kUpper)) return false;
        sep = a;
      }
      Raw inner;
      const size_t body = SkipWs(sep);
      if (ParseAt(body, &inner, true) && !inner.has_source && inner.n_places > 0) {
        inner.begin = i;
        inner.has_source = true;
        inner.src_begin = r->src_begin;
        inner.src_end = r->src_end;
        inner.src_name = r->src_name;
        *r = inner;
        return true;
      }
      r->end = sep;
      r->body = body;
      return true;
    }
    // Aggregator prefix "AP - ", "Canadian Press - VANCOUVER (CP) - ".
    if (!nested && (s_[i] == 'A' || s_[i] == 'R' || s_[i] == 'U' || s_[i] == 'C')) {
      Raw probe;
      const size_t a = AgencyBare(i, &probe);
      if (a != kNpos && HSpace(a)) {
        const size_t sep = Separator(SkipWs(a, false));
        if (sep != kNpos && HSpace(sep)) {
          const size_t body = SkipWs(sep);
          Raw inner;
          if (ParseAt(body, &inner, true) && inner.n_places > 0) {
            *r = inner;  // the dateline's own agency, if any, wins
            if (!r->has_source) {
              r->has_source = true;
              r->src_begin = probe.src_begin;
              r->src_end = probe.src_end;
              r->src_name = probe.src_name;
            }
            r->begin = static_cast<Pos>(i);
            return true;
          }
          *r = probe;
          r->begin = static_cast<Pos>(i);
          r->end = static_cast<Pos>(sep);
          r->body = static_cast<Pos>(body);
          return true;
        }
      }
    }
    size_t k = i;
    // Date first ("Nov. 28 (UPI) --", "30 ноября. INTERFAX.RU - ") or places.
    if (Date(i, &r->date) != kNpos) {
      r->has_date = true;
      k = r->date.end;
    } else {
      k = Places(i, r);
      if (k == kNpos) return false;
      // A date after ", ", white space, or Interfax's "Москва. ".
      size_t m = k;
      const size_t comma = Comma(m);
      if (comma != kNpos) m = comma;
      const size_t ws = SkipWs(m, false);
      if (ws < s_.size() && (ws > k || s_[k - 1] == '.')) {
        if (Date(ws, &r->date) != kNpos) {
          r->has_date = true;
          k = r->date.end;
        }
      }
    }
    // Agency after the place/date.
    bool tass_style = false;
    {
      size_t m = k;
      if (r->has_date && At(m, ',')) ++m;  // "CHICAGO, March 4, -"
      const size_t ws = SkipWs(m, false);
      size_t a = AgencyParen(ws, r);
      if (a == kNpos && !r->has_date && At(ws, '(')) {
        // A press release's "NEW YORK and CHICAGO (December 22, 2013) — ".
        RawDate date;
        const size_t de = Date(ws + 1, &date);
        if (de != kNpos && At(de, ')')) {
          r->has_date = true;
          r->date = date;
          k = de + 1;
        }
      }
      if (a == kNpos && At(k, ',')) {
        a = AgencyBare(ws, r);  // ", Reuter -"
        if (a != kNpos && *r->src_name != "Reuters") {
          r->has_source = false;
          a = kNpos;
        }
      }
      if (a == kNpos && r->has_date && At(k, '.')) {
        // "January 21. /TASS/." or "22 ноября. INTERFAX.RU - "
        const size_t w2 = SkipWs(k + 1, false);
        a = AgencySlashes(w2, r);
        if (a != kNpos) {
          tass_style = true;
        } else {
          a = AgencyBare(w2, r);
          if (a != kNpos && *r->src_name != "Interfax") {
            r->has_source = false;
            a = kNpos;
          }
        }
      }
      if (a != kNpos) {
        k = a;
      } else if (At(k, ',')) {
        k = k + 1;  // "CHICAGO, March 4, -", "FORT WORTH, Texas, -"
      }
    }
    // Separator.
    size_t sep = kNpos;
    const size_t ws = SkipWs(k, false);
    if (tass_style) {
      if (At(k, '.')) sep = k + 1;
    } else {
      sep = Separator(ws);
      // "NEW DELHI (Reuters). The ..."
      if (sep == kNpos && r->has_source && ws == k && At(k, '.') && HSpace(k + 1)) sep = k + 1;
    }
    if (sep != kNpos && !r->has_source) {
      // RIA: "— РИА Новости. "
      const size_t w2 = SkipWs(sep, false);
      Raw probe;
      // Only "RIA Novosti" / "РИА Новости" (Cyrillic Р is D0 A0) is read here.
      const bool ria = At(w2, 'R') || At(w2, '\xD0');
      const size_t a = ria ? AgencyBare(w2, &probe) : kNpos;
      if (a != kNpos && *probe.src_name == "RIA Novosti" && At(a, '.')) {
        r->has_source = true;
        r->src_begin = probe.src_begin;
        r->src_end = probe.src_end;
        r->src_name = probe.src_name;
        sep = a + 1;
      }
    }
    // Acceptance.
    if (r->n_places == 0) {
      if (!r->has_source || !r->has_date) return false;  // date alone needs an agency
    } else {
      RawPlace& p0 = r->places[0];
      if (!p0.city.all_caps && !KnownPlace(p0) && !SplitTrailingRegion(&p0)) return false;
      if (r->has_source || r->has_date) {
        // accepted: capitals or a known place
      } else {
        if (sep == kNpos || !p0.city.all_caps || !KnownPlace(p0)) return false;
        if (p0.city.end - p0.city.begin < 2) return false;
      }
    }
    if (sep == kNpos) {
      if (!r->has_source) return false;
      // PTI / IANS: the body follows the agency tag directly.
      if (k < s_.size() && HSpace(k) == 0 && s_[k] != '\n') return false;
      r->end = k;
      r->body = SkipWs(k);
      return true;
    }
    r->end = sep;
    r->body = SkipWs(sep);
    if (!r->has_source && r->n_places > 0 && At(r->body, '(')) {
      // "ROMA - (ANSA) - ": the agency between two separators.
      Raw probe;
      const size_t a = AgencyParen(r->body, &probe);
      const size_t sep2 = a == kNpos ? kNpos : Separator(SkipWs(a, false));
      if (sep2 != kNpos) {
        r->has_source = true;
        r->src_begin = probe.src_begin;
        r->src_end = probe.src_end;
        r->src_name = probe.src_name;
        r->end = static_cast<Pos>(sep2);
        r->body = static_cast<Pos>(SkipWs(sep2));
      }
    }
    if (!r->has_date && !r->has_source && r->n_places > 0) {
      // "KANSAS CITY, Mo. - March 13 - " (1987 wire): a date between two separators.
      RawDate date;
      const size_t de = Date(r->body, &date);
      if (de != kNpos) {
        const size_t sep2 = Separator(SkipWs(de, false));
        if (sep2 != kNpos) {
          r->has_date = true;
          r->date = date;
          r->end = sep2;
          r->body = SkipWs(sep2);
        }
      }
    }
    return true;
  }

  // A dateline after a preamble: an advisory "(Adds analyst comment)", a headline, a byline
  // without "By" ("Herbert Lash    NEW YORK  (Reuters) - "). Tries each position that follows a
  // run of two or more spaces or a line break and accepts a dateline with an agency or a date
  // there. A "By ..." chunk or a short run of capitalised names just before it is the byline
  // (`*byline_begin` .. `*byline_end`).
  bool AfterPreamble(size_t i, Raw* r, size_t* byline_begin, size_t* byline_end,
                     bool* has_byline) const {
    int attempts = 0;
    size_t chunk = i;  // start of the current gap-delimited chunk
    for (size_t j = i + 1; j < s_.size() && attempts < 48; ++j) {
      const char c = s_[j];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
      const size_t gap_begin = [&] {
        size_t g = j;
        while (g > i &&
               (s_[g - 1] == ' ' || s_[g - 1] == '\t' || s_[g - 1] == '\n' || s_[g - 1] == '\r')) {
          --g;
        }
        return g;
      }();
      // After two spaces, a line break, or a closing parenthesis ("(ATTN: ...) By ...").
      const bool gap = j - gap_begin >= 2 || (j - gap_begin == 1 && s_[gap_begin] == '\n') ||
                       (j - gap_begin == 1 && gap_begin > i && s_[gap_begin - 1] == ')');
      if (!gap) continue;
      ++attempts;
      Raw cand;
      size_t by_end = 0;
      if (ParseWithByline(j, &cand, &by_end)) {
        if (cand.has_source || cand.has_date) {
          *r = cand;
          *byline_begin = j;
          *byline_end = by_end;
          *has_byline = true;
          return true;
        }
      } else if (ParseAt(j, &cand) && (cand.has_source || cand.has_date)) {
        *r = cand;
        *has_byline = LooksLikeNames(chunk, gap_begin);
        if (*has_byline) {
          *byline_begin = chunk;
          *byline_end = gap_begin;
        }
        return true;
      }
      chunk = j;
    }
    return false;
  }

  // "Herbert Lash", "Jennifer Saba  and Soyoung Kim": two to eight capitalised words or "and".
  bool LooksLikeNames(size_t b, size_t e) const {
    int words = 0;
    for (size_t k = b; k < e;) {
      k = SkipWs(k, false);
      if (k >= e) break;
      uint8_t first;
      bool up, low;
      const size_t we = Word(k, &first, &up, &low);
      if (we == k || we > e) return false;
      const std::string_view w = View(k, we);
      if (!(first & kUpper) && w != "and") return false;
      ++words;
      k = we;
    }
    return words >= 2 && words <= 8;
  }

  // "By JOHN SMITH WASHINGTON (AP) --": tries the dateline at each later word.
  bool ParseWithByline(size_t i, Raw* r, size_t* byline_end) const {
    uint8_t first;
    bool up, low;
    const char c0 = s_[i];
    if (c0 != 'B' && c0 != 'b' && c0 != 'P' && c0 != 'p' && c0 != 'V' && c0 != 'v') return false;
    const size_t we = Word(i, &first, &up, &low);
    if (we - i != 2 && we - i != 3) return false;  // "By", "Par", "Por", "Von"
    const std::string_view w = View(i, we);
    if (!(w == "By" || w == "BY" || w == "by" || w == "Par" || w == "par" || w == "Por" ||
          w == "por" || w == "Von" || w == "von") ||
        HSpace(we) == 0) {
      return false;
    }
    size_t j = SkipWs(we, false);
    Raw fallback;
    bool have_fallback = false;
    size_t fallback_end = 0;
    size_t prev_end = we;
    for (int words = 0; words < 10 && j < s_.size(); ++words) {
      if (words > 0) {
        Raw cand;
        if (ParseAt(j, &cand)) {
          bool known = cand.n_places > 0 && t_.Cities(CityText(cand.places[0])) != nullptr;
          if (known) {
            *r = cand;
            *byline_end = prev_end;
            return true;
          }
          const bool gap = j - prev_end >= 2 || s_[prev_end] == '\n' || s_[prev_end - 1] == ')' ||
                           s_[prev_end - 1] == '.';
          if (!have_fallback && (gap || cand.n_places == 0)) {
            fallback = cand;
            fallback_end = prev_end;
            have_fallback = true;
          }
        }
      }
      // Next token of the byline: a word, "(AP Baseball Writer)", "and", "et".
      size_t e;
      if (s_[j] == '(') {
        e = s_.find(')', j);
        if (e == kNpos || e - j > 60) break;
        ++e;
      } else {
        e = Word(j, &first, &up, &low);
        if (e == j) break;
      }
      prev_end = e;
      if (At(e, ',')) ++e;
      const size_t next = SkipWs(e);
      if (next == e) break;
      j = next;
    }
    if (!have_fallback) return false;
    *r = fallback;
    *byline_end = fallback_end;
    return true;
  }

 private:
  const Tables& t_;
  std::string_view s_;
  bool lax_ = false;
  mutable size_t word_memo_pos_ = kNpos;
  mutable size_t word_memo_end_ = 0;
  mutable uint8_t word_memo_first_ = 0;
  mutable uint8_t word_memo_seen_ = 0;
  mutable size_t memo_pos_ = kNpos;
  mutable size_t memo_end_ = kNpos;
  mutable RawDate memo_date_;
};

// Sets out->country when every entry of a region names the same country.
void SetUnambiguousCountry(const std::vector<RegionInfo>& region, Place* out) {
  for (const RegionInfo& r : region) {
    if (r.cc != region[0].cc) return;
  }
  out->country = region[0].country;
}

void FillPlace(const Tables& t, std::string_view s, const RawPlace& p, uint32_t base, Place* out,
               const HeadReader& reader) {
  const std::string_view city = reader.CityText(p);
  const size_t end = p.n_regions > 0 ? p.end : p.city.begin + city.size();
  out->span = Span{static_cast<uint32_t>(base + p.city.begin), static_cast<uint32_t>(base + end)};
  if (p.n_regions > 0) {
    out->region = s.substr(p.regions[0].begin, p.regions[p.n_regions - 1].end - p.regions[0].begin);
  }
  // Region constraints.
  const std::vector<RegionInfo>* region = reader.KnownRegion(p);
  const CityRange* hits = t.Cities(city);
  const City* best = nullptr;
  if (hits != nullptr && region == nullptr) {
    // ids are in order of preference: main names before alternate names ("New Delhi" is also
    // an alternate name of Delhi), each by population.
    best = &t.cities[t.city_ids[hits->first]];
  } else if (hits != nullptr) {
    int best_rank = 0;
    for (uint32_t k = hits->first; k < hits->first + hits->count; ++k) {
      const uint32_t id = t.city_ids[k];
      const uint16_t cc = t.city_cc[id];
      int rank = 0;
      for (const RegionInfo& r : *region) {
        if (r.cc != cc) continue;
        rank =
            std::max(rank, (r.admin1_packed != 0 && r.admin1_packed == t.city_admin1[id]) ? 2 : 1);
      }
      if (rank > best_rank) {
        best_rank = rank;
        best = &t.cities[id];
        if (rank == 2) break;
      }
    }
  }
  if (best != nullptr) {
    out->city = best->name;
    out->country = best->country;
    return;
  }
  if (region != nullptr) {
    out->city = city;
    SetUnambiguousCountry(*region, out);
    return;
  }
  if (const std::vector<RegionInfo>* country = t.Region(city)) {
    SetUnambiguousCountry(*country, out);  // the place is a country or a region: "BAHRAIN -"
    return;
  }
  out->city = city;
}

// Whether hay[i, i + needle.size()) equals `needle` (lower case) ignoring ASCII case.
bool EqualsNoCaseAt(std::string_view hay, size_t i, std::string_view needle) {
  for (size_t k = 0; k < needle.size(); ++k) {
    char c = hay[i + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != needle[k]) return false;
  }
  return true;
}

// Case-insensitive ASCII search of `needle` (lower case) in `hay` from `from`. The candidates
// are the positions of the needle's first byte in either case, found with memchr, so a search
// costs about two memchr passes over `hay` plus one comparison per candidate.
size_t FindNoCase(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size() || from > hay.size() - needle.size()) {
    return kNpos;
  }
  const size_t last = hay.size() - needle.size();  // the last possible start
  const char lower = needle[0];
  const char upper = lower >= 'a' && lower <= 'z' ? static_cast<char>(lower - 32) : lower;
  auto next = [&](char c, size_t at) -> size_t {
    if (at > last) return kNpos;
    const void* p = std::memchr(hay.data() + at, c, last - at + 1);
    return p == nullptr ? kNpos : static_cast<const char*>(p) - hay.data();
  };
  size_t next_lower = next(lower, from);
  size_t next_upper = upper == lower ? kNpos : next(upper, from);
  while (next_lower != kNpos || next_upper != kNpos) {
    const size_t i = std::min(next_lower, next_upper);
    if (EqualsNoCaseAt(hay, i, needle)) return i;
    if (i == next_lower) next_lower = next(lower, i + 1);
    if (i == next_upper) next_upper = next(upper, i + 1);
  }
  return kNpos;
}

bool StartsNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsNoCaseAt(s, 0, prefix);
}

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

// ---------------------------------------------------------------------------------------------

struct DatelineParser::Tables : public TablesImpl {};

std::optional<absl::CivilDay> ParseMetadataDate(std::string_view text, size_t* consumed) {
  *consumed = 0;
  size_t i = 0;
  while (i < text.size() && i < 64 && IsSpaceByte(text[i])) ++i;
  if (!StartsNoCase(text.substr(i), "date")) return std::nullopt;
  i += 4;
  const size_t ws = i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ':')) ++i;
  if (i == ws || i + 10 > text.size()) return std::nullopt;
  const std::string_view d = text.substr(i, 10);
  for (size_t k = 0; k < 10; ++k) {
    const bool dash = k == 4 || k == 7;
    if (dash ? d[k] != '-' : !IsDigit(d[k])) return std::nullopt;
  }
  i += 10;
  if (i < text.size() && !IsSpaceByte(text[i])) return std::nullopt;
  const int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  const int m = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  if (!ValidCivilDay(y, m, day)) return std::nullopt;
  while (i < text.size() && IsSpaceByte(text[i])) ++i;
  *consumed = i;
  return absl::CivilDay(y, m, day);
}

DatelineParser::DatelineParser() = default;
DatelineParser::~DatelineParser() = default;

absl::StatusOr<std::unique_ptr<DatelineParser>> DatelineParser::Create(std::string_view data_dir) {
  auto tables = std::make_unique<Tables>();
  const std::string dir(data_dir);
  if (auto s = BuildFoldTable(tables.get()); !s.ok()) return s;
  if (auto s = BuildMonths(tables.get()); !s.ok()) return s;
  BuildAgencies(tables.get());
  if (auto s = LoadRegions(dir, tables.get()); !s.ok()) return s;
  if (auto s = LoadPlaces(dir, tables.get()); !s.ok()) return s;
  tables->Freeze();
  std::unique_ptr<DatelineParser> parser(new DatelineParser());
  parser->tables_ = std::move(tables);
  return parser;
}

std::optional<int> DatelineParser::MonthNumber(std::string_view word) const {
  const MonthInfo* m = tables_->Month(word);
  if (m == nullptr) return std::nullopt;
  return m->month;
}

std::optional<Dateline> DatelineParser::Parse(std::string_view text, size_t offset,
                                              std::optional<absl::CivilDay> reference) const {
  // One result object returned from every path, so that it is built in place (no move).
  std::optional<Dateline> result;
  if (offset >= text.size() || text.size() > UINT32_MAX) return result;
  const std::string_view s(text.data() + offset,
                           std::min(text.size() - offset, kDatelineHeadBytes));
  const auto base = static_cast<uint32_t>(offset);
  HeadReader reader(*tables_, s);
  size_t i = 0;
  if (s.size() >= 3 && s[0] == '\xEF' && s[1] == '\xBB' && s[2] == '\xBF') i = 3;  // BOM
  i = reader.SkipWs(i);
  while (i < s.size() && s[i] == '*') ++i;  // "****LONDON, March 5 -" (1987 wire flag)
  i = reader.SkipWs(i);
  if (i >= s.size()) return result;

  Raw raw;
  size_t byline_end = 0;
  bool has_byline = false;
  // A byline starts with "By", "Par", "Por" or "Von" (ParseWithByline checks this again; testing
  // the first byte here saves most heads the call).
  const char c0 = s[i] | 0x20;
  if ((c0 == 'b' || c0 == 'p' || c0 == 'v') && reader.ParseWithByline(i, &raw, &byline_end)) {
    has_byline = true;
  } else if (!reader.ParseAt(i, &raw)) {
    reader.set_lax(true);
    const bool lax_ok = reader.ParseAt(i, &raw);
    reader.set_lax(false);
    if (!lax_ok && !reader.AfterPreamble(i, &raw, &i, &byline_end, &has_byline)) {
      return result;
    }
  }

  Dateline& d = result.emplace();
  d.span = Span{static_cast<uint32_t>(base + raw.begin), static_cast<uint32_t>(base + raw.end)};
  if (has_byline) {
    // Trim trailing white space and punctuation of the byline ("By JOHN SMITH,").
    while (byline_end > i &&
           (s[byline_end - 1] == ' ' || s[byline_end - 1] == ',' || s[byline_end - 1] == '\t')) {
      --byline_end;
    }
  }
  d.body_start = static_cast<uint32_t>(base + raw.body);
  if (has_byline) {
    d.byline = Span{static_cast<uint32_t>(base + i), static_cast<uint32_t>(base + byline_end)};
  }
  for (int k = 0; k < raw.n_places; ++k) {
    FillPlace(*tables_, s, raw.places[k], base, &d.places.emplace_back(), reader);
  }
  if (!d.places.empty()) {
    d.place = d.places.front();
  } else {
    d.place.span = Span{d.span.begin, d.span.begin};
  }
  if (raw.has_date) {
    DatelineDate date;
    date.span = Span{static_cast<uint32_t>(base + raw.date.begin),
                     static_cast<uint32_t>(base + raw.date.end)};
    date.value = RecentDay(raw.date.month, raw.date.day, raw.date.year, reference);
    d.date = date;
  }
  if (raw.has_source) {
    d.source = Source{Span{static_cast<uint32_t>(base + raw.src_begin),
                           static_cast<uint32_t>(base + raw.src_end)},
                      *raw.src_name};
  }
  return result;
}

void DatelineParser::ParseCredits(std::string_view text, std::vector<Credit>* out,
                                  Dateline* dateline) const {
  if (text.empty() || text.size() > UINT32_MAX) return;
  size_t tail_begin = text.size() > kCreditsTailBytes ? text.size() - kCreditsTailBytes : 0;
  while (tail_begin < text.size() &&
         (static_cast<unsigned char>(text[tail_begin]) & 0xC0) == 0x80) {
    ++tail_begin;  // start on a UTF-8 boundary
  }
  const std::string_view t = text.substr(tail_begin);
  const auto base = static_cast<uint32_t>(tail_begin);
  std::vector<Credit> found;
  std::optional<Source> agency;
  int agency_rank = 0;  // 3: closing "(X)", 2: sign-off "Reuter", 1: AP contributors/copyright
  auto add = [&](const char* kind, size_t b, size_t e) {
    found.push_back(
        Credit{kind, Span{static_cast<uint32_t>(base + b), static_cast<uint32_t>(base + e)}});
  };
  // `name` is a literal or a table's string: it outlives the result (see article.h).
  auto offer_agency = [&](int rank, size_t b, size_t e, std::string_view name) {
    if (rank > agency_rank) {
      agency_rank = rank;
      agency = Source{Span{static_cast<uint32_t>(base + b), static_cast<uint32_t>(base + e)}, name};
    }
  };

  // 1. Peel closing tokens from the end: sign-off words, "(Agency)", AFP initials.
  size_t end = t.size();
  for (int round = 0; round < 4; ++round) {
    while (end > 0 && (IsSpaceByte(t[end - 1]) ||
                       (end >= 2 && t[end - 2] == '\xC2' && t[end - 1] == '\xA0'))) {
      end -= (IsSpaceByte(t[end - 1]) ? 1 : 2);
    }
    if (end == 0) break;
    size_t b = end;
    while (b > 0 && !IsSpaceByte(t[b - 1])) --b;
    const std::string_view last = t.substr(b, end - b);
    if (last == "Reuter" || last == "REUTER" || last == "reuter" || last == "Reuters" ||
        last == "REUTERS") {
      add("signoff", b, end);
      offer_agency(2, b, end, "Reuters");
      end = b;
      continue;
    }
    if (last == "Enditem" || last == "ENDITEM" || last == "enditem" || last == "ENDIT") {
      add("signoff", b, end);
      end = b;
      continue;
    }
    if (t[end - 1] == ')') {
      const size_t open = t.rfind('(', end - 1);
      if (open == kNpos || end - open > 400) break;
      const std::string_view inner = t.substr(open + 1, end - 1 - open - 1);
      if (inner.size() <= 40) {
        size_t ib = 0, ie = inner.size();
        while (ib < ie && inner[ib] == ' ') ++ib;
        while (ie > ib && inner[ie - 1] == ' ') --ie;
        if (const std::string* name = tables_->Agency(inner.substr(ib, ie - ib), false)) {
          add("agency", open, end);
          offer_agency(3, open + 1 + ib, open + 1 + ie, *name);
          end = open;
          continue;
        }
      }
      if (StartsNoCase(inner, "reporting by") || StartsNoCase(inner, "additional reporting") ||
          StartsNoCase(inner, "editing by") || StartsNoCase(inner, "writing by") ||
          StartsNoCase(inner, "compiled by")) {
        end = open;  // emitted by the scan below
        continue;
      }
      break;
    }
    // AFP desk initials: "asl/tib/pid" alone on the last line.
    size_t line_b = end;
    if (const void* nl = memrchr(t.data(), '\n', line_b)) {
      line_b = static_cast<const char*>(nl) - t.data() + 1;
    } else {
      line_b = 0;
    }
    while (line_b < end && (t[line_b] == ' ' || t[line_b] == '\t')) ++line_b;
    const std::string_view line = t.substr(line_b, end - line_b);
    bool initials = line.find('/') != kNpos && line.size() >= 5 && line.size() <= 40;
    for (size_t k = 0, run = 0; initials && k <= line.size(); ++k) {
      if (k == line.size() || line[k] == '/') {
        initials = run >= 2 && run <= 4;
        run = 0;
      } else if (line[k] >= 'a' && line[k] <= 'z') {
        ++run;
      } else {
        initials = false;
      }
    }
    if (initials) {
      add("editor_initials", line_b, end);
      end = line_b;
      continue;
    }
    break;
  }

  // 2. Reuters credit parentheses anywhere in the tail, split at ";".
  for (size_t from = 0; from < t.size();) {
    const size_t open = t.find('(', from);
    if (open == kNpos) break;
    from = open + 1;
    const std::string_view rest = t.substr(open + 1);
    if (!(StartsNoCase(rest, "reporting by") || StartsNoCase(rest, "additional reporting") ||
          StartsNoCase(rest, "editing by") || StartsNoCase(rest, "writing by") ||
          StartsNoCase(rest, "compiled by") || StartsNoCase(rest, "edited by"))) {
      continue;
    }
    const size_t close = t.find(')', open);
    if (close == kNpos) break;
    size_t cb = open + 1;
    const char* kind = "other";
    while (cb < close) {
      size_t ce = t.find(';', cb);
      if (ce == kNpos || ce > close) ce = close;
      size_t b = cb, e = ce;
      while (b < e && IsSpaceByte(t[b])) ++b;
      while (e > b && IsSpaceByte(t[e - 1])) --e;
      const std::string_view clause = t.substr(b, e - b);
      // A clause without its own verb continues the previous one ("Editing by A; B"); contact
      // details ("Reuters Messaging: ...", "e-mail: ...") are not credits.
      const bool contact = clause.find('@') != kNpos || clause.find(':') != kNpos;
      if (StartsNoCase(clause, "additional reporting")) {
        kind = "additional_reporting";
      } else if (StartsNoCase(clause, "reporting")) {
        kind = "reporting";
      } else if (StartsNoCase(clause, "editing") || StartsNoCase(clause, "edited")) {
        kind = "editing";
      } else if (StartsNoCase(clause, "writing") || StartsNoCase(clause, "compiled") ||
                 StartsNoCase(clause, "written")) {
        kind = "writing";
      }
      if (e > b && !contact) add(kind, b, e);
      cb = ce + 1;
    }
    from = close + 1;
  }

  // 3. "... contributed to this report." and copyright lines.
  for (size_t from = 0;;) {
    const size_t at = FindNoCase(t, "contributed to this report", from);
    if (at == kNpos) break;
    size_t b = at;
    while (b > 0 && t[b - 1] != '\n' && !(t[b - 1] == ' ' && b >= 2 && t[b - 2] == '.')) --b;
    size_t e = at + std::string_view("contributed to this report").size();
    if (e < t.size() && t[e] == '.') ++e;
    add("contributors", b, e);
    const size_t ap = FindNoCase(t.substr(b, e - b), "associated press");
    if (ap != kNpos) offer_agency(1, b + ap, b + ap + 16, "AP");
    from = e;
  }
  // "Copyright 2024 The Associated Press..." / "Copyright (c) ..." / "Copyright © ...".
  size_t at = kNpos;
  for (size_t from = 0; (from = t.find("Copyright ", from)) != kNpos; from += 10) {
    const char next = from + 10 < t.size() ? t[from + 10] : '\0';
    if (IsDigit(next) || next == '(' || next == '\xC2') {
      at = from;
      break;
    }
  }
  if (at != kNpos) {
    size_t e = t.find('\n', at);
    if (e == kNpos) e = t.size();
    while (e > at && IsSpaceByte(t[e - 1])) --e;
    add("copyright", at, e);
    const size_t ap = FindNoCase(t.substr(at, e - at), "associated press");
    if (ap != kNpos) offer_agency(1, at + ap, at + ap + 16, "AP");
  }

  std::sort(found.begin(), found.end(),
            [](const Credit& a, const Credit& b) { return a.span.begin < b.span.begin; });
  for (Credit& c : found) out->push_back(std::move(c));
  if (dateline != nullptr && !dateline->source.has_value() && agency.has_value()) {
    dateline->source = std::move(agency);
  }
}

}  // namespace newsparse
