#include "core/dates.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/date_grammar.h"

namespace newsparse {
namespace {

// A token's text lower-cased (ASCII) into a fixed buffer; longer tokens are not date words.
class Lower {
 public:
  explicit Lower(std::string_view s) {
    if (s.size() >= sizeof(buf_)) return;
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      buf_[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    }
    size_ = s.size();
  }
  std::string_view view() const { return std::string_view(buf_, size_); }

 private:
  char buf_[24];
  size_t size_ = 0;
};

struct Word {
  const char* text;
  int value;
};

constexpr Word kMonths[] = {{"january", 1},   {"jan", 1},    {"february", 2},  {"feb", 2},
                            {"march", 3},     {"mar", 3},    {"april", 4},     {"apr", 4},
                            {"may", 5},       {"june", 6},   {"jun", 6},       {"july", 7},
                            {"jul", 7},       {"august", 8}, {"aug", 8},       {"september", 9},
                            {"sept", 9},      {"sep", 9},    {"october", 10},  {"oct", 10},
                            {"november", 11}, {"nov", 11},   {"december", 12}, {"dec", 12}};

constexpr Word kWeekdays[] = {{"monday", 0}, {"tuesday", 1},  {"wednesday", 2}, {"thursday", 3},
                              {"friday", 4}, {"saturday", 5}, {"sunday", 6}};

constexpr Word kNumberWords[] = {{"a", 1},        {"an", 1},    {"one", 1},  {"two", 2},
                                 {"three", 3},    {"four", 4},  {"five", 5}, {"six", 6},
                                 {"seven", 7},    {"eight", 8}, {"nine", 9}, {"ten", 10},
                                 {"several", -1}, {"few", -1}};

// Every word that can start or be part of a date expression, lower-cased, with its meaning:
// 1..12 a month, 20..26 a weekday (Monday first), kNumberTrigger a number word ("a", "three"),
// kOtherTrigger anything else.
constexpr int kOtherTrigger = 100;
constexpr int kNumberTrigger = 101;

constexpr const char* kOtherTriggers[] = {"today", "tonight", "yesterday", "tomorrow", "last",
                                          "this",  "next",    "earlier",   "later"};

constexpr size_t kMaxTriggerLen = 9;

// Bit n of first2[a][b] is set when some trigger word has n bytes and starts with the letters
// a, b (b == 26: a one-letter word); bit n of last[z], when some trigger word of n bytes ends
// with z. Both must hold for a token to be looked up: the test that rejects most tokens before
// anything else is read (see MaybeTrigger).
struct TriggerFilter {
  uint16_t first2[26][27] = {};
  uint16_t last[26] = {};
  constexpr void Add(const char* w) {
    size_t n = 0;
    while (w[n] != '\0') ++n;
    first2[w[0] - 'a'][n > 1 ? w[1] - 'a' : 26] |= static_cast<uint16_t>(1u << n);
    last[w[n - 1] - 'a'] |= static_cast<uint16_t>(1u << n);
  }
  constexpr TriggerFilter() {
    for (const Word& w : kMonths) Add(w.text);
    for (const Word& w : kWeekdays) Add(w.text);
    for (const Word& w : kNumberWords) Add(w.text);
    for (const char* w : kOtherTriggers) Add(w);
  }
};
constexpr TriggerFilter kTriggerFilter;

// The index of ASCII letter `c` in either case (0 for 'a' and 'A'), or 26 and more.
inline unsigned LetterIndex(char c) { return static_cast<unsigned>((c | 0x20) - 'a'); }

// False when no trigger word matches the `len` bytes at `p` case-insensitively (len >= 1); true
// means "maybe" (Trigger decides).
inline bool MaybeTrigger(const char* p, size_t len) {
  if (len > kMaxTriggerLen) return false;
  const unsigned a = LetterIndex(p[0]);
  const unsigned b = len > 1 ? LetterIndex(p[1]) : 26;
  const unsigned z = LetterIndex(p[len - 1]);
  if (a >= 26 || b > 26 || (len > 1 && b == 26) || z >= 26) return false;
  return ((kTriggerFilter.first2[a][b] & kTriggerFilter.last[z]) >> len & 1u) != 0;
}

// Trigger words bucketed by (first letter, length), so that a token that passes MaybeTrigger is
// decided by a comparison or two.
struct TriggerTable {
  struct Entry {
    std::string_view word;
    int value;
  };
  static constexpr int kMaxLen = kMaxTriggerLen;
  std::vector<Entry> buckets[26][kMaxLen + 1];

  TriggerTable() {
    auto add = [&](std::string_view w, int v) { buckets[w[0] - 'a'][w.size()].push_back({w, v}); };
    for (const Word& w : kMonths) add(w.text, w.value);
    for (const Word& w : kWeekdays) add(w.text, 20 + w.value);
    for (const Word& w : kNumberWords) add(w.text, kNumberTrigger);
    for (const char* w : kOtherTriggers) add(w, kOtherTrigger);
  }
};

// The trigger value of `word` compared case-insensitively (ASCII), or -1.
int Trigger(std::string_view word) {
  if (word.empty() || !MaybeTrigger(word.data(), word.size())) return -1;
  static const TriggerTable* table = new TriggerTable();
  const char c0 = static_cast<char>(word[0] | 0x20);
  for (const TriggerTable::Entry& e : table->buckets[c0 - 'a'][word.size()]) {
    bool same = true;
    for (size_t i = 1; i < word.size() && same; ++i) {
      const char c = word[i];
      same = ((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c) == e.word[i];
    }
    if (same) return e.value;
  }
  return -1;
}

int Lookup(const Word* table, size_t n, std::string_view w) {
  for (size_t i = 0; i < n; ++i) {
    if (w == table[i].text) return table[i].value;
  }
  return -1;
}

template <size_t N>
int Lookup(const Word (&table)[N], std::string_view w) {
  return Lookup(table, N, w);
}

bool IsCapitalized(std::string_view s) { return !s.empty() && s[0] >= 'A' && s[0] <= 'Z'; }

// Parses all-digit `s` (at most 9 digits); -1 otherwise.
int Number(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// A day of month: "23", "23rd", "1st".
int DayNumber(std::string_view s) {
  if (s.size() > 2) {
    const std::string_view suffix = s.substr(s.size() - 2);
    if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
      s.remove_suffix(2);
    }
  }
  const int d = Number(s);
  return (s.size() <= 2 && d >= 1 && d <= 31) ? d : -1;
}

int YearNumber(std::string_view s) {
  const int y = s.size() == 4 ? Number(s) : -1;
  return (y >= 1800 && y <= 2199) ? y : -1;
}

std::string DayString(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string MonthString(absl::CivilMonth m) {
  return absl::StrFormat("%04d-%02d", m.year(), m.month());
}

class Finder {
 public:
  Finder(std::string_view text, const Tokens& tokens, std::optional<absl::CivilDay> ref,
         std::vector<DateMention>* out)
      : text_(text), toks_(tokens.tokens), ref_(ref), out_(out) {}

  void Run(const Tokens& tokens, size_t first) {
    for (const TokenRange& s : tokens.sentences) {
      if (s.end <= first) continue;
      const size_t b = std::max<size_t>(s.begin, first);
      sentence_begin_ = b;
      future_ = -1;  // computed when a pattern first needs it
      for (size_t i = b; i < s.end;) {
        // Most tokens can start no pattern; they are skipped without the call.
        if (!MayStartDate(i, s.end)) {
          ++i;
          continue;
        }
        const size_t used = Match(i, s.end);
        i += used ? used : 1;
      }
    }
  }

 private:
  std::string_view Text(size_t i) const { return TokenText(text_, toks_[i]); }

  // False when Match(i, end) is certainly 0: the token is neither a number that may start a
  // pattern nor a word that MaybeTrigger lets through (its text without a final abbreviation
  // period, as Bare()). A number token starts with a digit, so it is no month, weekday or word
  // like "today": it starts only an ISO date (10 bytes), "<day> <Month>" (a capitalised token
  // next) or "<n> <unit> ago" (a 3-byte token two on).
  bool MayStartDate(size_t i, size_t end) const {
    const Token& t = toks_[i];
    if (t.kind == TokenKind::kNumber) {
      return t.end - t.begin == 10 || (i + 1 < end && IsCapitalized(Text(i + 1))) ||
             (i + 2 < end && toks_[i + 2].end - toks_[i + 2].begin == 3);
    }
    if (t.kind != TokenKind::kWord || t.end <= t.begin) return false;
    size_t len = t.end - t.begin;
    if (t.Has(kAbbreviation) && text_[t.end - 1] == '.') --len;
    return len > 0 && MaybeTrigger(text_.data() + t.begin, len);
  }

  // The token without a final abbreviation period ("Feb." -> "Feb").
  std::string_view Bare(size_t i) const {
    std::string_view t = Text(i);
    if (toks_[i].Has(kAbbreviation) && !t.empty() && t.back() == '.') t.remove_suffix(1);
    return t;
  }

  bool Future(size_t end) {
    if (future_ < 0) future_ = HasFutureMarker(sentence_begin_, end) ? 1 : 0;
    return future_ == 1;
  }

  bool HasFutureMarker(size_t b, size_t e) const {
    for (size_t i = b; i < e; ++i) {
      if (IsFutureMarker(i, e, /*clause=*/false) || Lower(Text(i)).view() == "tomorrow") {
        return true;
      }
    }
    return false;
  }

  // "will", "shall", "'ll", "upcoming", "scheduled", or "due/plans/expected/set/going/likely to"
  // at token i (tokens before `e`); in a clause also "would", which in a whole sentence is too
  // often reported speech ("In April, X said it would ...").
  bool IsFutureMarker(size_t i, size_t e, bool clause) const {
    const Lower w(Text(i));
    const std::string_view v = w.view();
    if (v == "will" || (clause && v == "would") || v == "shall" || v == "'ll" || v == "upcoming" ||
        v == "scheduled") {
      return true;
    }
    return (v == "due" || v == "plans" || v == "plan" || v == "expected" || v == "set" ||
            v == "going" || v == "likely") &&
           i + 1 < e && Text(i + 1) == "to";
  }

  // A past-tense verb at token i: a common irregular one, or a lower-case word in "-ed" that is
  // not a participle after "be", "is", "will", "to" ... ("was closed" is read at "was").
  bool IsPastVerb(size_t i) const {
    static constexpr std::string_view kIrregular[] = {
        "said",   "told", "met",   "held",  "made",  "took",   "gave",   "went",   "came",
        "left",   "saw",  "spoke", "wrote", "began", "sent",   "won",    "lost",   "led",
        "found",  "was",  "were",  "had",   "did",   "rose",   "fell",   "grew",   "brought",
        "bought", "sold", "paid",  "flew",  "drew",  "struck", "fought", "sought", "thought",
        "became", "ran",  "stood", "kept",  "felt",  "threw",  "chose",  "spent",  "hit"};
    // Bit n of kIrregularLengths[c - 'a'] is set when an irregular verb of n bytes starts with c.
    static constexpr auto kIrregularLengths = [] {
      std::array<uint16_t, 26> lengths{};
      for (std::string_view w : kIrregular) lengths[w[0] - 'a'] |= 1u << w.size();
      return lengths;
    }();
    const std::string_view t = Text(i);
    if (t.empty() || t[0] < 'a' || t[0] > 'z') return false;
    if (t.size() < 16 && (kIrregularLengths[t[0] - 'a'] >> t.size() & 1u) != 0) {
      for (std::string_view w : kIrregular) {
        if (t == w) return true;
      }
    }
    // "-ed" words, not hyphenated adjectives ("long-awaited").
    if (t.find('-') != std::string_view::npos) return false;
    if (t.size() < 5 || t.substr(t.size() - 2) != "ed" || t.substr(t.size() - 3) == "eed" ||
        t == "hundred") {
      return t == "agreed";
    }
    if (i > 0) {
      const Lower prev(Text(i - 1));
      const std::string_view p = prev.view();
      if (p == "be" || p == "been" || p == "being" || p == "is" || p == "are" || p == "am" ||
          p == "will" || p == "would" || p == "to") {
        return false;
      }
    }
    return true;
  }

  // The tense of the clause of the expression in tokens [b, e) of a sentence ending before `end`:
  // the nearest cue before it back to a comma, semicolon, colon, quote, dash or the sentence start
  // (+1 a future marker, -1 a past verb); failing that, the first cue after it up to the next
  // such boundary, or after the comma of a fronted expression ("On Sunday, the bank asked ...").
  // 0 when there is no cue. For a month (`month`), "said", "told" and "says" date the report,
  // not the month it mentions: right before the month's preposition they make it past, elsewhere
  // they end the search.
  int ClauseTense(size_t b, size_t e, size_t end, bool month) const {
    auto reporting = [&](size_t k) {
      const std::string_view t = Text(k);
      return t == "said" || t == "told" || t == "says";
    };
    auto boundary = [&](size_t k) {
      const std::string_view t = Text(k);
      return t == "," || t == ";" || t == ":" || toks_[k].kind == TokenKind::kQuote ||
             toks_[k].kind == TokenKind::kDash;
    };
    size_t lead = 0;  // words between the clause start and the expression
    for (size_t k = b; k > sentence_begin_; ++lead) {
      --k;
      if (boundary(k)) break;
      // For a month, a report verb just before its preposition dates the report ("said in
      // April" is past); further away, the month is in what was reported.
      if (month && reporting(k)) {
        if (k + 2 >= b) return -1;
        break;
      }
      if (IsFutureMarker(k, end, /*clause=*/true)) return 1;
      if (IsPastVerb(k)) return -1;
    }
    // A fronted expression ("On Sunday, ...", "Also in July, ...") reads its clause after the
    // comma.
    const bool fronted = lead <= 2 && e < end && Text(e) == ",";
    for (size_t k = fronted ? e + 1 : e; k < end && !boundary(k); ++k) {
      if (month && reporting(k)) break;  // what follows was reported
      if (IsFutureMarker(k, end, /*clause=*/true)) return 1;
      if (IsPastVerb(k)) return -1;
    }
    return 0;
  }

  int Month(size_t i) const {
    const std::string_view raw = Bare(i);
    if (!IsCapitalized(raw)) return -1;
    const int m = Trigger(raw);
    if (m < 1 || m > 12) return -1;
    return m;
  }

  void Emit(size_t b, size_t e, std::string value) {
    DateMention d;
    d.span = {toks_[b].begin, toks_[e - 1].end};
    d.value = std::move(value);
    out_->push_back(std::move(d));
  }

  // Tries every pattern at token i; returns the number of tokens consumed (0: none).
  size_t Match(size_t i, size_t end) {
    // Most tokens are rejected here with one table lookup.
    const Token& tok = toks_[i];
    if (tok.kind == TokenKind::kWord) {
      const std::string_view bare = Bare(i);
      const int trigger = Trigger(bare);
      if (trigger < 0) return 0;
      // A number word ("a", "three") starts only "<n> <unit> ago", the last pattern below; every
      // other pattern needs a month, a weekday, a day number or another trigger word.
      if (trigger == kNumberTrigger && !(i + 2 < end && Lower(Text(i + 2)).view() == "ago")) {
        return 0;
      }
    } else if (tok.kind != TokenKind::kNumber) {
      return 0;
    }
    const std::string_view t = Text(i);
    // ISO date "2023-02-23".
    if (toks_[i].kind == TokenKind::kNumber && t.size() == 10 && t[4] == '-' && t[7] == '-') {
      const int y = Number(t.substr(0, 4)), m = Number(t.substr(5, 2)), d = Number(t.substr(8, 2));
      if (y > 0 && m > 0 && d > 0 && ValidCivilDay(y, m, d)) {
        Emit(i, i + 1, DayString(absl::CivilDay(y, m, d)));
        return 1;
      }
      return 0;
    }
    // Month Day[,] [Year] / Month Year / "in Month".
    if (const int m = Month(i); m > 0) {
      if (i + 1 < end) {
        const int d = DayNumber(Text(i + 1));
        if (d > 0) {
          size_t e = i + 2;
          int y = -1;
          if (e + 1 < end && Text(e) == "," && YearNumber(Text(e + 1)) > 0) {
            y = YearNumber(Text(e + 1));
            e += 2;
          } else if (e < end && YearNumber(Text(e)) > 0) {
            y = YearNumber(Text(e));
            e += 1;
          }
          return EmitMonthDay(i, e, y, m, d) ? e - i : 0;
        }
        const int y = YearNumber(Text(i + 1));
        if (y > 0) {
          Emit(i, i + 2, MonthString(absl::CivilMonth(y, m)));
          return 2;
        }
      }
      // "in January", "since March", "before July": the month of the nearest year; forward when
      // its clause (or, without a cue there, its sentence) is future, back after "since". "May"
      // and "March" count only when no capitalised word or possessive follows ("in May Day").
      const Lower prep(i > 0 ? Text(i - 1) : std::string_view());
      const std::string_view p = prep.view();
      const bool ambiguous =
          (Text(i) == "May" || Text(i) == "March") && i + 1 < end &&
          (IsCapitalized(Text(i + 1)) || Text(i + 1) == "'s" || Text(i + 1) == "\xE2\x80\x99s");
      if ((p == "in" || p == "since" || p == "until" || p == "by" || p == "before" ||
           p == "after" || p == "of" || p == "through") &&
          ref_ && !ambiguous) {
        const absl::CivilMonth ref_month(*ref_);
        const absl::CivilMonth before(ref_month.month() >= m ? ref_->year() : ref_->year() - 1, m);
        const absl::CivilMonth after(ref_month.month() <= m ? ref_->year() : ref_->year() + 1, m);
        // A deadline ("before July", "by August", "until") is not dated by a past verb of
        // reported speech ("Kyiv needed aid before November").
        const bool deadline = p == "before" || p == "by" || p == "until";
        const int tense = ClauseTense(i, i + 1, end, /*month=*/true);
        absl::CivilMonth month = (after - ref_month) < (ref_month - before) ? after : before;
        if (p == "since" || (tense < 0 && !deadline)) {
          month = before;
        } else if (tense > 0 || (tense == 0 && Future(end))) {
          month = after;
        }
        Emit(i, i + 1, MonthString(month));
        return 1;
      }
      return 0;
    }
    // Day Month [Year]: "23 February 2023".
    if (const int d = DayNumber(t); d > 0 && i + 1 < end) {
      const int m = Month(i + 1);
      if (m > 0) {
        size_t e = i + 2;
        int y = -1;
        if (e < end && YearNumber(Text(e)) > 0) {
          y = YearNumber(Text(e));
          ++e;
        }
        return EmitMonthDay(i, e, y, m, d) ? e - i : 0;
      }
    }
    const Lower lw(t);
    const std::string_view w = lw.view();
    // Weekdays, with an optional modifier before them.
    const int trig = IsCapitalized(t) ? Trigger(w) : -1;
    if (const int wd = trig >= 20 && trig < 27 ? trig - 20 : -1; wd >= 0) {
      // The clause decides ("..., the minister said on Monday"); without a cue, the sentence.
      const int tense = ClauseTense(i, i + 1, end, /*month=*/false);
      const bool future = tense > 0 || (tense == 0 && Future(end));
      // "Wednesday, Feb. 22": the explicit date that follows wins.
      if (i + 2 < end && Text(i + 1) == "," && Month(i + 2) > 0) return 1;
      if (!ref_) return 1;
      size_t b = i;
      int direction = future ? 1 : -1;  // bare weekday: the tense decides
      bool strict = false;
      // A modifier ("last", "this") only within the searched tokens: never before first_token
      // (found by fuzz/dates_fuzzer.cc) nor in the previous sentence.
      if (i > sentence_begin_) {
        const Lower prev(Text(i - 1));
        if (prev.view() == "last" || prev.view() == "past") {
          direction = -1;
          strict = true;
          b = i - 1;
        } else if (prev.view() == "next" || prev.view() == "coming") {
          direction = 1;
          strict = true;
          b = i - 1;
        } else if (prev.view() == "this") {
          b = i - 1;
          // The weekday of the reference's own (Monday-first) week.
          const absl::CivilDay day = *ref_ + (wd - WeekdayIndex(*ref_));
          Emit(b, i + 1, DayString(day));
          return 1;
        }
      }
      const int delta = wd - WeekdayIndex(*ref_);
      absl::CivilDay day = *ref_;
      if (direction < 0) {
        int back = (WeekdayIndex(*ref_) - wd + 7) % 7;  // 0: the reference day itself
        if (strict && back == 0) back = 7;
        day = *ref_ - back;
      } else {
        int fwd = (delta + 7) % 7;
        if (strict && fwd == 0) fwd = 7;
        day = *ref_ + fwd;
      }
      Emit(b, i + 1, DayString(day));
      return 1;
    }
    if (!ref_) return 0;
    const absl::CivilDay ref = *ref_;
    // Single words.
    if (w == "today" || w == "tonight") {
      Emit(i, i + 1, DayString(ref));
      return 1;
    }
    if (w == "yesterday") {
      Emit(i, i + 1, DayString(ref - 1));
      return 1;
    }
    if (w == "tomorrow") {
      Emit(i, i + 1, DayString(ref + 1));
      return 1;
    }
    // "last/this/next week|month|year", "earlier/later this month".
    if ((w == "last" || w == "this" || w == "next" || w == "earlier" || w == "later") &&
        i + 1 < end) {
      size_t unit_at = i + 1;
      int offset = w == "last" ? -1 : (w == "next" ? 1 : 0);
      if (w == "earlier" || w == "later") {
        if (Lower(Text(i + 1)).view() != "this" || i + 2 >= end) return 0;
        unit_at = i + 2;
        offset = 0;
      }
      const Lower unit(Text(unit_at));
      if (unit.view() == "week") {
        Emit(i, unit_at + 1, IsoWeek(ref + 7 * offset));
        return unit_at + 1 - i;
      }
      if (unit.view() == "month") {
        Emit(i, unit_at + 1, MonthString(absl::CivilMonth(ref) + offset));
        return unit_at + 1 - i;
      }
      if (unit.view() == "year") {
        Emit(i, unit_at + 1, absl::StrFormat("%04d", ref.year() + offset));
        return unit_at + 1 - i;
      }
      return 0;
    }
    // "three days ago", "a week ago", "2 months ago".
    if (i + 2 < end && Lower(Text(i + 2)).view() == "ago") {
      int n = Number(t);
      if (n < 0) n = Lookup(kNumberWords, w);
      if (n <= 0 || n > 1000) return 0;
      const Lower unit(Text(i + 1));
      const std::string_view u = unit.view();
      if (u == "day" || u == "days") {
        Emit(i, i + 3, DayString(ref - n));
      } else if (u == "week" || u == "weeks") {
        Emit(i, i + 3, IsoWeek(ref - 7 * n));
      } else if (u == "month" || u == "months") {
        Emit(i, i + 3, MonthString(absl::CivilMonth(ref) - n));
      } else if (u == "year" || u == "years") {
        Emit(i, i + 3, absl::StrFormat("%04d", ref.year() - n));
      } else {
        return 0;
      }
      return 3;
    }
    return 0;
  }

  bool EmitMonthDay(size_t b, size_t e, int y, int m, int d) {
    std::optional<absl::CivilDay> day;
    if (y > 0) {
      if (ValidCivilDay(y, m, d)) day = absl::CivilDay(y, m, d);
    } else if (ref_) {
      day = NearestDay(m, d, *ref_);  // date_grammar.h
    }
    if (!day) return false;
    Emit(b, e, DayString(*day));
    return true;
  }

  std::string_view text_;
  const TokenVector& toks_;
  std::optional<absl::CivilDay> ref_;
  std::vector<DateMention>* out_;
  size_t sentence_begin_ = 0;
  int future_ = -1;
};

}  // namespace

int WeekdayIndex(absl::CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::monday:
      return 0;
    case absl::Weekday::tuesday:
      return 1;
    case absl::Weekday::wednesday:
      return 2;
    case absl::Weekday::thursday:
      return 3;
    case absl::Weekday::friday:
      return 4;
    case absl::Weekday::saturday:
      return 5;
    case absl::Weekday::sunday:
      return 6;
  }
  return 0;
}

std::string IsoWeek(absl::CivilDay day) {
  // The ISO week belongs to the year of its Thursday.
  const absl::CivilDay thursday = day + (3 - WeekdayIndex(day));
  const absl::CivilDay jan1(thursday.year(), 1, 1);
  const int week = static_cast<int>((thursday - jan1) / 7) + 1;
  return absl::StrFormat("%04d-W%02d", thursday.year(), week);
}

void FindDates(std::string_view text, const Tokens& tokens, size_t first_token,
               std::optional<absl::CivilDay> reference, std::vector<DateMention>* out) {
  Finder(text, tokens, reference, out).Run(tokens, first_token);
}

}  // namespace newsparse
