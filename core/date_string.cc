#include "core/date_string.h"

#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "core/date_grammar.h"
#include "core/dates.h"
#include "core/text.h"
#include "unicode/uchar.h"

namespace newsparse {
namespace {

constexpr int kLanguages = kDateGrammarLanguages;
constexpr const char* const* kLanguageCodes = kDateGrammarLanguageCodes;

// "yesterday", "today", "tomorrow" in each language, in kLanguageCodes order (the project's own
// lists; accents and case are folded when matching).
constexpr const char* kRelativeWords[kLanguages][3] = {
    {"yesterday", "today", "tomorrow"}, {"hier", "aujourd'hui", "demain"},
    {"ayer", "hoy", "mañana"},          {"ontem", "hoje", "amanhã"},
    {"ieri", "oggi", "domani"},         {"gestern", "heute", "morgen"},
    {"вчера", "сегодня", "завтра"}};

// Code points below this are folded through a table (Latin, Latin-1, Latin Extended, Greek and
// Cyrillic); any other non-ASCII code point ends a word.
constexpr uint32_t kFoldTableSize = 0x500;

struct FoldEntry {
  char bytes[6] = {};
  uint8_t size = 0;  // 0: not a letter
};

// What a folded word means in each language: month 1-12, weekday 1-7 (Monday 1), relative day
// offset + 2 (1 yesterday, 2 today, 3 tomorrow); 0 where it means nothing of that kind.
struct WordInfo {
  std::array<int8_t, kLanguages> month{};
  std::array<int8_t, kLanguages> weekday{};
  std::array<int8_t, kLanguages> relative{};
};

// The one value `values` holds for the languages in `mask`, or 0 when none or several.
int Unique(const std::array<int8_t, kLanguages>& values, uint32_t mask) {
  int found = 0;
  for (int l = 0; l < kLanguages; ++l) {
    if (!(mask & (1u << l)) || values[l] == 0) continue;
    if (found != 0 && found != values[l]) return 0;
    found = values[l];
  }
  return found;
}

// Decodes one well-formed UTF-8 code point at s[i] (2 to 4 bytes); 0 length when malformed.
uint32_t DecodeUtf8At(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i + k])); };
  *len = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    *len = 2;
    return ((b0 & 0x1Fu) << 6) | (at(1) & 0x3F);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    const uint32_t cp = ((b0 & 0x0Fu) << 12) | ((at(1) & 0x3F) << 6) | (at(2) & 0x3F);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    *len = 3;
    return cp;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const uint32_t cp =
        ((b0 & 0x07u) << 18) | ((at(1) & 0x3F) << 12) | ((at(2) & 0x3F) << 6) | (at(3) & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    *len = 4;
    return cp;
  }
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A day of a year this parser reads (1000-9999).
bool ValidDay(int64_t y, int m, int d) {
  return y >= 1000 && y <= 9999 && ValidCivilDay(static_cast<int>(y), m, d);
}

// One token of a date string.
struct DateToken {
  enum Kind : uint8_t { kWord, kNumber, kPunct } kind;
  bool space_before;     // white space between this token and the previous one
  uint8_t digits;        // kNumber: how many digits
  char punct;            // kPunct: the character
  int value;             // kNumber: the value (at most 9 digits are read)
  const WordInfo* info;  // kWord: the table entry, or nullptr for an unknown word
  uint16_t folded_size;  // kWord: size of the folded word (for "st", "de", ...)
  char folded[8];        // kWord: the first bytes of the folded word
};

constexpr int kMaxTokens = 16;

}  // namespace

struct DateStringParser::Tables {
  std::array<FoldEntry, kFoldTableSize> fold;
  absl::flat_hash_map<std::string, WordInfo> words;

  // Folds the word s[i, ...) (letters, and an apostrophe between letters) into `out` (capacity
  // `cap`); returns the word's end in `s` and sets `*size` (kNpos-like cap + 1 when too long).
  size_t FoldWord(std::string_view s, size_t i, char* out, size_t cap, size_t* size) const {
    size_t n = 0;
    bool overflow = false;
    auto put = [&](const char* p, size_t len) {
      if (n + len > cap) {
        overflow = true;
        return;
      }
      std::memcpy(out + n, p, len);
      n += len;
    };
    size_t j = i;
    while (j < s.size()) {
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
          const char lower = static_cast<char>(c | 0x20);
          put(&lower, 1);
          ++j;
          continue;
        }
        if (c == '\'' && j > i && j + 1 < s.size() && LetterAt(s, j + 1)) {
          put("'", 1);
          ++j;
          continue;
        }
        break;
      }
      size_t len;
      const uint32_t cp = DecodeUtf8At(s, j, &len);
      if (len == 0) break;
      if (cp == 0x2019 && j > i && j + len < s.size() && LetterAt(s, j + len)) {
        put("'", 1);  // a typographic apostrophe
        j += len;
        continue;
      }
      if (cp >= kFoldTableSize || fold[cp].size == 0) break;
      put(fold[cp].bytes, fold[cp].size);
      j += len;
    }
    *size = overflow ? cap + 1 : n;
    return j;
  }

  bool LetterAt(std::string_view s, size_t i) const {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    size_t len;
    const uint32_t cp = DecodeUtf8At(s, i, &len);
    return len != 0 && cp < kFoldTableSize && fold[cp].size != 0;
  }

  std::string FoldToString(std::string_view word) const {
    char buf[128];
    size_t size;
    const size_t end = FoldWord(word, 0, buf, sizeof(buf), &size);
    if (end != word.size() || size > sizeof(buf)) return std::string();
    return std::string(buf, size);
  }
};

std::optional<uint32_t> DateLanguageBit(std::string_view code) {
  for (int l = 0; l < kLanguages; ++l) {
    if (code == kLanguageCodes[l]) return 1u << l;
  }
  return std::nullopt;
}

DateStringParser::DateStringParser() : tables_(std::make_unique<Tables>()) {}
DateStringParser::~DateStringParser() = default;

absl::StatusOr<std::unique_ptr<DateStringParser>> DateStringParser::Create() {
  std::unique_ptr<DateStringParser> parser(new DateStringParser());
  Tables& t = *parser->tables_;
  for (UChar32 cp = 0x80; cp < static_cast<UChar32>(kFoldTableSize); ++cp) {
    if (!u_isalpha(cp)) continue;
    std::string utf8;
    if (absl::Status st = CasedWithoutMarks(cp, /*upper=*/false, &utf8); !st.ok()) return st;
    if (utf8.empty() || utf8.size() > sizeof(t.fold[cp].bytes)) continue;
    std::memcpy(t.fold[cp].bytes, utf8.data(), utf8.size());
    t.fold[cp].size = static_cast<uint8_t>(utf8.size());
  }

  // Full names and their prefixes, per language; a prefix naming two values is dropped.
  auto slot = [](WordInfo& info, DateNameKind kind) -> std::array<int8_t, kLanguages>& {
    return kind == DateNameKind::kMonth ? info.month : info.weekday;
  };
  NamePrefixes prefixes[kLanguages][2];  // per language: months, weekdays
  absl::Status st = ForEachIcuDateName(/*weekdays=*/true, [&](const IcuDateName& name) {
    std::string_view utf8 = name.utf8;
    while (!utf8.empty() && utf8.back() == '.') utf8.remove_suffix(1);
    const std::string key = t.FoldToString(utf8);
    if (key.empty()) return;
    slot(t.words[key], name.kind)[name.language] = static_cast<int8_t>(name.value);
    if (name.wide) prefixes[name.language][static_cast<int>(name.kind)].Add(key, name.value);
  });
  if (!st.ok()) return st;
  for (int l = 0; l < kLanguages; ++l) {
    for (DateNameKind kind : {DateNameKind::kMonth, DateNameKind::kWeekday}) {
      prefixes[l][static_cast<int>(kind)].ForEachUnambiguous(
          [&](const std::string& key, int value) {
            int8_t& v = slot(t.words[key], kind)[l];
            if (v == 0) v = static_cast<int8_t>(value);  // a name itself wins over a prefix
          });
    }
    for (int r = 0; r < 3; ++r) {
      const std::string key = t.FoldToString(kRelativeWords[l][r]);
      if (key.empty()) return absl::InternalError("a relative day word does not fold");
      t.words[key].relative[l] = static_cast<int8_t>(r + 1);
    }
  }
  return parser;
}

std::optional<absl::CivilDay> DateStringParser::Parse(std::string_view s,
                                                      std::optional<absl::CivilDay> reference,
                                                      uint32_t languages) const {
  if (s.size() > kMaxDateStringBytes) return std::nullopt;
  const Tables& t = *tables_;

  // Tokens: words, numbers and single punctuation characters; white space separates them.
  DateToken tok[kMaxTokens];
  int n = 0;
  bool space = false;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      ++i;
      continue;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      space = true;  // no-break space
      i += 2;
      continue;
    }
    if (n == kMaxTokens) return std::nullopt;
    DateToken& k = tok[n++];
    k.space_before = space;
    space = false;
    if (IsDigit(s[i])) {
      k.kind = DateToken::kNumber;
      int v = 0;
      size_t j = i;
      while (j < s.size() && IsDigit(s[j])) {
        if (j - i < 9) v = v * 10 + (s[j] - '0');
        ++j;
      }
      k.digits = static_cast<uint8_t>(j - i > 255 ? 255 : j - i);
      k.value = v;
      i = j;
      continue;
    }
    if (c == ',' || c == '.' || c == '-' || c == '/') {
      k.kind = DateToken::kPunct;
      k.punct = static_cast<char>(c);
      ++i;
      continue;
    }
    char buf[48];
    size_t size;
    const size_t end = t.FoldWord(s, i, buf, sizeof(buf), &size);
    if (end == i) return std::nullopt;  // a character that is in no date
    k.kind = DateToken::kWord;
    k.info = nullptr;
    if (size <= sizeof(buf)) {
      auto it = t.words.find(absl::string_view(buf, size));
      if (it != t.words.end()) k.info = &it->second;
    }
    k.folded_size = static_cast<uint16_t>(size);
    std::memcpy(k.folded, buf, size < sizeof(k.folded) ? size : sizeof(k.folded));
    i = end;
  }
  if (n > 0 && tok[n - 1].kind == DateToken::kPunct && tok[n - 1].punct == '.')
    --n;  // final period
  if (n == 0) return std::nullopt;

  auto is_punct = [&](int p, char ch) {
    return p < n && tok[p].kind == DateToken::kPunct && tok[p].punct == ch;
  };
  auto is_word = [&](int p, std::string_view w) {
    return p < n && tok[p].kind == DateToken::kWord && tok[p].folded_size == w.size() &&
           std::memcmp(tok[p].folded, w.data(), w.size()) == 0;
  };
  auto month_at = [&](int p) {
    return p < n && tok[p].kind == DateToken::kWord && tok[p].info != nullptr
               ? Unique(tok[p].info->month, languages)
               : 0;
  };
  auto weekday_at = [&](int p) {
    return p < n && tok[p].kind == DateToken::kWord && tok[p].info != nullptr
               ? Unique(tok[p].info->weekday, languages)
               : 0;
  };
  auto day_at = [&](int p) {
    return p < n && tok[p].kind == DateToken::kNumber && tok[p].digits <= 2 && tok[p].value >= 1 &&
                   tok[p].value <= 31
               ? tok[p].value
               : 0;
  };
  // An ordinal suffix written against the day: "23rd", "1er".
  auto ordinal_at = [&](int p) {
    if (p >= n || tok[p].kind != DateToken::kWord || tok[p].space_before) return false;
    if ((languages & kDateEnglish) &&
        (is_word(p, "st") || is_word(p, "nd") || is_word(p, "rd") || is_word(p, "th"))) {
      return true;
    }
    return (languages & kDateFrench) && is_word(p, "er");
  };
  // A year after the date: [","] ["de"] YYYY, then Russian "г"["."] or "года".
  auto year_at = [&](int p, int* year, int* next) {
    if (is_punct(p, ',')) ++p;
    if ((languages & (kDateSpanish | kDatePortuguese)) && (is_word(p, "de") || is_word(p, "del")))
      ++p;
    if (p >= n || tok[p].kind != DateToken::kNumber || tok[p].digits != 4) return false;
    *year = tok[p].value;
    ++p;
    if (languages & kDateRussian) {
      if (is_word(p, "\xD0\xB3")) {  // "г"
        ++p;
        if (is_punct(p, '.')) ++p;
      } else if (is_word(p, "\xD0\xB3\xD0\xBE\xD0\xB4\xD0\xB0")) {  // "года"
        ++p;
      }
    }
    *next = p;
    return true;
  };
  auto resolve = [&](int year, int month, int day) -> std::optional<absl::CivilDay> {
    if (year != 0) {
      if (!ValidDay(year, month, day)) return std::nullopt;
      return absl::CivilDay(year, month, day);
    }
    if (!reference) return std::nullopt;
    return NearestDay(month, day, *reference);
  };

  int p = 0;
  // ISO 8601: YYYY-MM-DD.
  if (n == 5 && tok[0].kind == DateToken::kNumber && tok[0].digits == 4 && is_punct(1, '-') &&
      tok[2].kind == DateToken::kNumber && tok[2].digits == 2 && is_punct(3, '-') &&
      tok[4].kind == DateToken::kNumber && tok[4].digits == 2 && !tok[1].space_before &&
      !tok[2].space_before && !tok[3].space_before && !tok[4].space_before) {
    return resolve(tok[0].value == 0 ? -1 : tok[0].value, tok[2].value, tok[4].value);
  }
  if (tok[0].kind == DateToken::kWord && tok[0].info != nullptr) {
    // A relative day, alone.
    if (n == 1) {
      if (const int r = Unique(tok[0].info->relative, languages); r != 0) {
        if (!reference) return std::nullopt;
        return *reference + (r - 2);
      }
    }
    // A weekday, alone or before a date.
    if (const int wd = weekday_at(0); wd != 0) {
      if (n == 1 || (n == 2 && is_punct(1, '.'))) {
        if (!reference) return std::nullopt;
        return *reference - ((WeekdayIndex(*reference) + 1 - wd + 7) % 7);
      }
      if (month_at(0) == 0) {
        p = 1;
        if (is_punct(p, '.')) ++p;
        if (is_punct(p, ',')) ++p;
      }
    }
  }
  int year = 0;
  int next = 0;
  // Month first: "Feb. 23", "Oct. 31, 2005", "february 23rd".
  if (const int m = month_at(p); m != 0) {
    int q = p + 1;
    if (is_punct(q, '.')) ++q;
    if (is_punct(q, ',')) ++q;
    const int d = day_at(q);
    if (d == 0) return std::nullopt;
    ++q;
    if (ordinal_at(q)) ++q;
    if (q == n) return resolve(0, m, d);
    if (year_at(q, &year, &next) && next == n) return resolve(year, m, d);
    return std::nullopt;
  }
  // Day first: "23 feb", "23. Februar 2023", "23 de febrero de 2023", "1er mars".
  if (const int d = day_at(p); d != 0) {
    int q = p + 1;
    if (ordinal_at(q)) ++q;
    if (is_punct(q, '.')) ++q;
    if ((languages & (kDateSpanish | kDatePortuguese)) && is_word(q, "de")) ++q;
    const int m = month_at(q);
    if (m == 0 || !tok[q].space_before) return std::nullopt;
    ++q;
    if (is_punct(q, '.')) ++q;
    if (q == n) return resolve(0, m, d);
    if (year_at(q, &year, &next) && next == n) return resolve(year, m, d);
  }
  return std::nullopt;
}

}  // namespace newsparse
