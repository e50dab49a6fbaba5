#include "core/tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/status.h"
#include "core/text.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define NEWSPARSE_TOKENIZER_SSE2 1
#else
#define NEWSPARSE_TOKENIZER_SSE2 0
#endif

namespace newsparse {
namespace {

// How an abbreviation behaves at a possible sentence end.
enum class AbbrevKind : uint8_t {
  kTitle,    // "Mr.", "Gen.", "St.": always followed by the rest of a name, never ends a sentence
  kGeneral,  // "Feb.", "Calif.", "Corp.": ends a sentence only before a typical sentence opener
};

const absl::flat_hash_map<std::string, AbbrevKind>& Abbreviations() {
  static const auto* table = [] {
    auto* t = new absl::flat_hash_map<std::string, AbbrevKind>();
    const char* titles[] = {"Mr",   "Mrs",  "Ms",     "Dr",   "Prof",  "Gen",  "Lt",  "Col",  "Maj",
                            "Capt", "Cmdr", "Adm",    "Sgt",  "Cpl",   "Pvt",  "Gov", "Sen",  "Rep",
                            "Rev",  "Fr",   "Hon",    "Pres", "Supt",  "Insp", "Det", "Amb",  "St",
                            "Mt",   "Ft",   "Messrs", "Mme",  "Mlle",  "Sra",  "Sr",  "Brig", "Cdr",
                            "Atty", "Gens", "Reps",   "Sens", "Lieut", "Msgr", "Dir", "Asst"};
    const char* general[] = {
        // Months (AP/Xinhua style) and weekday abbreviations that are not also words.
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Tues",
        "Thurs", "Wed",
        // Companies and people.
        "Corp", "Inc", "Co", "Ltd", "Bros", "Cos", "Jr", "Esq", "Plc", "Pty", "Assn", "Dept",
        "Univ", "Govt",
        // AP state abbreviations used in datelines.
        "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan",
        "Kans", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev",
        "Okla", "Ore", "Pa", "Tenn", "Vt", "Va", "Wash", "Wis", "Wyo", "Penn", "Alta", "Ont", "Que",
        // Addresses, references and the rest.
        "Ave", "Blvd", "Rd", "Sq", "Hwy", "Ln", "No", "Nos", "Vol", "Vols", "Fig", "Figs", "vs",
        "etc", "approx", "est", "incl", "cf", "al", "ca", "pp", "ed", "eds", "Mfg", "Intl", "Natl",
        "Mt"};
    for (const char* a : titles) {
      (*t)[a] = AbbrevKind::kTitle;
      std::string upper(a);
      for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      t->emplace(upper, AbbrevKind::kTitle);
    }
    for (const char* a : general) {
      t->emplace(a, AbbrevKind::kGeneral);
      std::string upper(a);
      for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      t->emplace(upper, AbbrevKind::kGeneral);
    }
    // "No", "MO", "LA", "PA", "CO", "DEL", "ILL", "IND", "MISS", "WASH", "ORE" in capitals are
    // words or other abbreviations far more often than state names with a period.
    for (const char* a : {"NO", "LA", "PA", "CO", "DEL", "ILL", "IND", "MISS", "WASH", "ORE", "MO",
                          "AL", "ED", "EST", "CA"}) {
      t->erase(a);
    }
    return t;
  }();
  return *table;
}

// Words that open a sentence after an ambiguous abbreviation ("... in the U.S. The ...").
bool IsSentenceOpener(std::string_view w) {
  static const auto* openers = new absl::flat_hash_set<absl::string_view>{
      "The",    "He",      "She",   "It",         "They",      "We",    "I",        "But",
      "And",    "In",      "A",     "An",         "This",      "That",  "These",    "Those",
      "His",    "Her",     "Its",   "Their",      "Our",       "There", "Some",     "Many",
      "Most",   "On",      "At",    "For",        "As",        "If",    "When",     "While",
      "After",  "Before",  "Since", "However",    "Meanwhile", "Also",  "Analysts", "Officials",
      "Shares", "Earlier", "Last",  "Separately", "Still",     "Yet",   "So",       "Both",
      "Such",   "Other",   "One",   "Two",        "What",      "Why",   "How",      "Who",
      "THE"};
  return openers->contains(ToAbsl(w));
}

enum : uint8_t {
  kFlagUpper = 1,
  kFlagLower = 2,
  kFlagDigit = 4,
  kFlagMark = 8,
  kFlagNonAscii = 16,  // a byte >= 0x80: leave the table loop and decode
  kFlagJoiner = 32,    // - & ' . , may join two word characters
};

constexpr std::array<uint8_t, 256> MakeWordFlags() {
  std::array<uint8_t, 256> t{};
  for (int c = 128; c < 256; ++c) t[c] = kFlagNonAscii;
  for (int c = 0; c < 128; ++c) {
    if (c >= 'A' && c <= 'Z') t[c] = kFlagUpper;
    if (c >= 'a' && c <= 'z') t[c] = kFlagLower;
    if (c >= '0' && c <= '9') t[c] = kFlagDigit;
  }
  for (char c : {'-', '&', '\'', '.', ','}) t[static_cast<unsigned char>(c)] = kFlagJoiner;
  return t;
}
constexpr std::array<uint8_t, 256> kWordFlags = MakeWordFlags();

inline bool IsWordClass(CharClass c) {
  return c == CharClass::kUpper || c == CharClass::kLower || c == CharClass::kDigit ||
         c == CharClass::kMark;
}

inline bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct CharInfo {
  CharClass cls;
  char32_t cp;
  int len;
};

inline CharInfo ReadChar(const char* p, const char* end) {
  const unsigned char b = static_cast<unsigned char>(*p);
  if (b < 0x80) return {ClassifyAscii(b), b, 1};
  char32_t cp;
  const int len = DecodeUtf8(p, end, &cp);
  return {ClassifyCodePoint(cp), cp, len};
}

inline bool IsApostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019; }

// Is the token at [b, e) a sentence-final punctuation mark?
inline bool IsSentenceFinal(std::string_view t) {
  return t == "." || t == "!" || t == "?" || t == "..." || t == "\xE2\x80\xA6";
}

// A closing mark that stays with the sentence it closes.
inline bool IsCloser(std::string_view t, const Token& tok) {
  if (t == ")" || t == "]" || t == "\xE2\x80\x9D" || t == "\xE2\x80\x99" || t == "\xC2\xBB" ||
      t == "''") {
    return true;
  }
  // A straight quote right after the period with no space before it closes the quotation.
  return (t == "\"" || t == "'") && !tok.Has(kSpaceBefore);
}

}  // namespace

bool IsKnownAbbreviation(std::string_view word) {
  // Bit min(n, 31) of entry c: some abbreviation of n bytes starts with byte c. Most words before
  // a period (sentence ends) fail this test and skip the hash lookup.
  static const auto* lengths = [] {
    auto* t = new std::array<uint32_t, 256>{};
    for (const auto& [key, kind] : Abbreviations()) {
      if (!key.empty())
        (*t)[static_cast<unsigned char>(key[0])] |= 1u << std::min<size_t>(key.size(), 31);
    }
    return t;
  }();
  if (word.empty() ||
      (((*lengths)[static_cast<unsigned char>(word[0])] >> std::min<size_t>(word.size(), 31)) &
       1) == 0) {
    return false;
  }
  return Abbreviations().contains(ToAbsl(word));
}

namespace {

// The run of ASCII letters and digits starting at `*p`: advances `*p` past it and returns the
// kFlagUpper / kFlagLower / kFlagDigit bits of the letters and digits it held. Sixteen bytes at a
// time with SSE2 (baseline x86-64) while 16 bytes remain, so a word ends with one bit scan
// instead of one branch per byte; the last bytes of the text go through the table. Never reads
// at or past `end`.
inline uint8_t ScanAlnumRun(const char** p, const char* end) {
  const char* q = *p;
  uint8_t seen = 0;
#if NEWSPARSE_TOKENIZER_SSE2
  // x in [lo, hi] <=> (x + 0x80 - lo) as a signed byte < -0x80 + (hi - lo + 1): one add and one
  // signed compare per range (bytes >= 0x80 wrap to values outside every range).
  const auto in_range = [](__m128i x, char lo, char hi) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(-0x80 + (hi - lo + 1))), shifted);
  };
  while (end - q >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const unsigned upper = static_cast<unsigned>(_mm_movemask_epi8(in_range(x, 'A', 'Z')));
    const unsigned lower = static_cast<unsigned>(_mm_movemask_epi8(in_range(x, 'a', 'z')));
    const unsigned digit = static_cast<unsigned>(_mm_movemask_epi8(in_range(x, '0', '9')));
    const unsigned n = static_cast<unsigned>(__builtin_ctz(~(upper | lower | digit)));  // <= 16
    const unsigned run = (1u << n) - 1;
    seen |= static_cast<uint8_t>(((upper & run) != 0 ? kFlagUpper : 0) |
                                 ((lower & run) != 0 ? kFlagLower : 0) |
                                 ((digit & run) != 0 ? kFlagDigit : 0));
    q += n;
    if (n < 16) {
      *p = q;
      return seen;
    }
  }
#endif
  uint8_t f;
  while (q < end && ((f = kWordFlags[static_cast<unsigned char>(*q)]) & 0x0F) != 0) {
    seen |= f;
    ++q;
  }
  *p = q;
  return seen;
}

// The shape of a word from the class of its first character and the kFlagUpper / kFlagLower /
// kFlagDigit bits of the rest: a table of the rules in tokenizer.h, so no branches per word.
constexpr TokenShape ShapeOf(CharClass first, uint8_t seen) {
  const bool first_upper = first == CharClass::kUpper;
  const bool upper_later = (seen & kFlagUpper) != 0;
  const bool any_lower = (seen & kFlagLower) != 0 || first == CharClass::kLower;
  const bool any_upper = first_upper || upper_later;
  const bool any_digit = first == CharClass::kDigit || (seen & kFlagDigit) != 0;
  if (!any_upper && !any_lower) return TokenShape::kDigits;
  if (any_digit) return TokenShape::kAlphaNum;
  if (!any_lower) return upper_later ? TokenShape::kAllCaps : TokenShape::kCapitalized;
  if (!any_upper) return TokenShape::kLower;
  if (first_upper && !upper_later) return TokenShape::kCapitalized;
  return TokenShape::kMixed;
}

// Index: (first character's class - kUpper) * 8 + seen bits; the first character is one of
// kUpper, kLower, kDigit (consecutive in CharClass) or kMark.
constexpr int ShapeIndex(CharClass first, uint8_t seen) {
  return (first == CharClass::kMark
              ? 3
              : static_cast<int>(first) - static_cast<int>(CharClass::kUpper)) *
             8 +
         (seen & 7);
}
constexpr std::array<TokenShape, 32> MakeShapeTable() {
  std::array<TokenShape, 32> t{};
  const CharClass firsts[] = {CharClass::kUpper, CharClass::kLower, CharClass::kDigit,
                              CharClass::kMark};
  for (CharClass first : firsts) {
    for (uint8_t seen = 0; seen < 8; ++seen) t[ShapeIndex(first, seen)] = ShapeOf(first, seen);
  }
  return t;
}
constexpr std::array<TokenShape, 32> kShapes = MakeShapeTable();
static_assert(static_cast<int>(CharClass::kLower) == static_cast<int>(CharClass::kUpper) + 1 &&
              static_cast<int>(CharClass::kDigit) == static_cast<int>(CharClass::kUpper) + 2);

// Sentence state carried from one token to the next (see SentenceStep).
enum : uint8_t {
  kStatePrevAbbreviation = kAbbreviation,  // the previous token is an abbreviation
  kStateEndPending = 0x80,                 // a sentence-final mark was seen; closers may follow
};

// Doubles the token buffer; `*cursor` and `*limit` point into the new storage.
__attribute__((noinline)) void GrowTokens(TokenVector* toks, Token** cursor, Token** limit) {
  const size_t used = toks->size();
  toks->resize(used * 2);
  *cursor = toks->data() + used;
  *limit = toks->data() + toks->size();
}

// Bytes the fast path of Tokenize handles itself; everything else goes through the general code.
enum : uint8_t {
  kFastOther = 0,   // the general code decides
  kFastSpace = 1,   // ' '
  kFastSingle = 2,  // a one-byte token whose kind is kFastKind[b]
  kFastUpper = 8,   // an ASCII letter or digit starts a word; value - 8 is the first
  kFastLower = 16,  // character's row in kShapes
  kFastDigit = 24,
};

constexpr std::array<uint8_t, 256> MakeFastClass() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c) {
    const CharClass k = internal::kAsciiClass[c];
    if (c == ' ') {
      t[c] = kFastSpace;
    } else if (k == CharClass::kUpper) {
      t[c] = kFastUpper;
    } else if (k == CharClass::kLower) {
      t[c] = kFastLower;
    } else if (k == CharClass::kDigit) {
      t[c] = kFastDigit;
    } else if ((k == CharClass::kPunct && c != '.' && c != '!' && c != '?') ||
               k == CharClass::kSymbol || c == '"') {
      // Always a token of one byte; "." (runs), "!" and "?" (sentence ends), the other quote
      // marks (doubled quotes, possessives) and dashes (runs) are left to the general code.
      t[c] = kFastSingle;
    }
  }
  return t;
}
constexpr std::array<uint8_t, 256> kFastClass = MakeFastClass();

constexpr std::array<TokenKind, 128> MakeFastKind() {
  std::array<TokenKind, 128> t{};
  for (int c = 0; c < 128; ++c) {
    const CharClass k = internal::kAsciiClass[c];
    t[c] = k == CharClass::kPunct   ? TokenKind::kPunct
           : k == CharClass::kQuote ? TokenKind::kQuote
                                    : TokenKind::kSymbol;
  }
  return t;
}
constexpr std::array<TokenKind, 128> kFastKind = MakeFastKind();

}  // namespace

void Tokenize(std::string_view text, Tokens* out) {
  out->Clear();
  TokenVector& toks = out->tokens;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;

  uint8_t pending = kSpaceBefore;  // flags for the next token
  int newlines = 0;                // line breaks since the last token
  bool indent_after_newline = false;
  bool paragraph_break = true;  // the first token starts a paragraph

  // Sentences and paragraphs are found as the tokens are written. A token can start a sentence
  // only at a paragraph start, after a sentence-final mark (and the closers that follow it) or
  // after an abbreviation; `state` is zero everywhere else, so an ordinary token costs one test.
  uint8_t state = 0;
  uint32_t sentence_begin = 0;
  uint32_t paragraph_begin = 0;

  // Tokens are written through a raw cursor into the vector's storage, grown geometrically; the
  // vector is cut to the real count at the end. (push_back's per-call bookkeeping was a fifth of
  // the tokenizer's time.)
  if (toks.capacity() < 64) toks.reserve(64);
  toks.resize(toks.capacity());
  Token* cursor = toks.data();
  Token* limit = cursor + toks.size();

  // The sentence rules for token `t` (index i) when `state` or its paragraph start asks for them.
  auto sentence_step = [&](Token& t, uint32_t i) {
    const std::string_view s = TokenText(text, t);
    bool new_sentence = false;
    if (i > 0 && t.Has(kParagraphStart)) {
      out->paragraphs.push_back({paragraph_begin, i});
      paragraph_begin = i;
      new_sentence = true;
    } else if (i > 0 && (state & kStateEndPending)) {
      if (IsCloser(s, t)) {  // stays with the sentence it closes; the end is still pending
        state = kStateEndPending | (t.flags & kAbbreviation);
        return;
      }
      // The next sentence starts with anything but a lower-case word.
      new_sentence = !(t.kind == TokenKind::kWord && t.shape == TokenShape::kLower) &&
                     t.kind != TokenKind::kPunct;
    } else if (i > 0 && (state & kStatePrevAbbreviation)) {
      const Token& a = (&t)[-1];
      std::string_view aw = TokenText(text, a);
      aw.remove_suffix(1);
      const auto it = Abbreviations().find(ToAbsl(aw));
      const bool title = it != Abbreviations().end() && it->second == AbbrevKind::kTitle;
      const bool single_initial = aw.size() == 1;
      new_sentence = !title && !single_initial && IsSentenceOpener(s);
    }
    if (new_sentence && i > sentence_begin) {
      out->sentences.push_back({sentence_begin, i});
      sentence_begin = i;
      t.flags |= kSentenceStart;
    }
    state = t.flags & kAbbreviation;
    if (t.kind == TokenKind::kPunct && IsSentenceFinal(s)) state |= kStateEndPending;
  };

  auto emit = [&](const char* b, const char* e, TokenKind kind, TokenShape shape, uint8_t extra) {
    if (cursor == limit) GrowTokens(&toks, &cursor, &limit);
    uint8_t flags = pending | extra;
    if (newlines > 0 || paragraph_break) {
      if (newlines >= 2 || (newlines == 1 && indent_after_newline) || paragraph_break) {
        flags |= kParagraphStart;
      }
      newlines = 0;
      indent_after_newline = false;
      paragraph_break = false;
    }
    pending = 0;
    Token& t = *cursor++;
    t.begin = static_cast<uint32_t>(b - begin);
    t.end = static_cast<uint32_t>(e - begin);
    t.kind = kind;
    t.shape = shape;
    t.flags = flags;
    if ((state | (flags & kParagraphStart)) != 0 || kind == TokenKind::kPunct) {
      sentence_step(t, static_cast<uint32_t>(cursor - 1 - toks.data()));
    } else {
      state = flags & kAbbreviation;
    }
  };

  // The fast path: while no line break is pending, plain ASCII words (ending in a space, a
  // punctuation mark or a final period), single spaces and one-byte punctuation are tokenized
  // here with few live variables; anything else (line breaks, joiners, non-ASCII, quotes,
  // dashes, ". ! ?") leaves it for one step of the general code below, which handles every case.
  auto emit_fast = [&](const char* b, const char* e, TokenKind kind, TokenShape shape,
                       uint8_t extra) {
    if (cursor == limit) GrowTokens(&toks, &cursor, &limit);
    Token& t = *cursor++;
    t.begin = static_cast<uint32_t>(b - begin);
    t.end = static_cast<uint32_t>(e - begin);
    t.kind = kind;
    t.shape = shape;
    t.flags = pending | extra;
    pending = 0;
    if (state != 0) {
      sentence_step(t, static_cast<uint32_t>(cursor - 1 - toks.data()));
    } else {
      state = extra;  // kAbbreviation (= kStatePrevAbbreviation) or 0
    }
  };

  // The word the general code is reading (declared here so that the fast path can hand over a
  // word it has started: `goto word_resume`).
  unsigned char b = 0;  // the byte at p
  CharInfo ci{};
  const char* start = nullptr;
  uint8_t seen = 0;  // letters seen after the first character, as kFlag* bits
  bool first_upper = false;
  bool non_ascii = false;
  bool internal_period = false;
  const char* segment_start = nullptr;  // since the start or the last internal period

  while (p < end) {
    if (newlines == 0 && !paragraph_break) {
      while (p < end) {
        unsigned char c = static_cast<unsigned char>(*p);
        uint8_t fc = kFastClass[c];
        if (fc == kFastSpace) {
          pending |= kSpaceBefore;
          ++p;
          continue;
        }
        if (fc >= kFastUpper) {
          while (true) {
            const char* q = p + 1;
            const uint8_t run_seen = ScanAlnumRun(&q, end);
            uint8_t extra = 0;
            if (q < end) {
              const unsigned char stop = static_cast<unsigned char>(*q);
              if (kWordFlags[stop] != 0) {
                // A joiner or a non-ASCII byte. Only "." and "," that join nothing (no letter or
                // digit after them) end the word here; the general code decides the rest,
                // taking over the word read so far.
                if ((stop != '.' && stop != ',') ||
                    (q + 1 < end && IsAsciiAlnum(static_cast<unsigned char>(q[1])))) {
                  ci = {fc == kFastUpper   ? CharClass::kUpper
                        : fc == kFastLower ? CharClass::kLower
                                           : CharClass::kDigit,
                        c, 1};
                  start = p;
                  seen = run_seen;
                  first_upper = fc == kFastUpper;
                  non_ascii = false;
                  internal_period = false;
                  segment_start = p;
                  p = q;
                  goto word_resume;
                }
                if (stop == '.') {
                  const std::string_view w(p, q - p);
                  const bool initial = w.size() == 1 && fc == kFastUpper;
                  const bool two_periods = q + 1 < end && q[1] == '.';
                  if (!two_periods && (initial || IsKnownAbbreviation(w))) {
                    ++q;
                    extra = kAbbreviation;
                  }
                }
              }
            }
            emit_fast(p, q, fc == kFastDigit ? TokenKind::kNumber : TokenKind::kWord,
                      kShapes[fc - kFastUpper + run_seen], extra);
            p = q;
            // The most common step of all: one space, then the next word.
            if (end - p < 2 || *p != ' ') break;
            c = static_cast<unsigned char>(p[1]);
            fc = kFastClass[c];
            if (fc < kFastUpper) break;
            pending |= kSpaceBefore;
            ++p;
          }
          continue;
        }
        if (fc == kFastSingle) {
          emit_fast(p, p + 1, kFastKind[c & 0x7F], TokenShape::kOther, 0);
          ++p;
          continue;
        }
        break;
      }
      if (p >= end) break;
    }
    b = static_cast<unsigned char>(*p);
    if (b == ' ' && newlines == 0) {
      pending |= kSpaceBefore;
      ++p;
      continue;
    }
    if (const uint8_t f = kWordFlags[b]; (f & (kFlagUpper | kFlagLower | kFlagDigit)) != 0) {
      // The common case first: an ASCII letter or digit starts a word.
      ci = {f == kFlagUpper ? CharClass::kUpper
                            : (f == kFlagLower ? CharClass::kLower : CharClass::kDigit),
            b, 1};
      goto word;
    }
    if (b < 0x80) {
      ci = {ClassifyAscii(b), b, 1};
    } else {
      ci = ReadChar(p, end);
    }
    switch (ci.cls) {
      case CharClass::kSpace:
        pending |= kSpaceBefore;
        if (newlines > 0 && p + 1 < end && (p[0] == ' ' || p[0] == '\t') &&
            (p[1] == ' ' || p[1] == '\t' || p[0] == '\t')) {
          indent_after_newline = true;
        }
        p += ci.len;
        continue;
      case CharClass::kNewline:
        pending |= kSpaceBefore | kNewlineBefore;
        if (!(b == '\n' && p > begin && p[-1] == '\r')) ++newlines;
        indent_after_newline = false;
        p += ci.len;
        continue;
      case CharClass::kUpper:
      case CharClass::kLower:
      case CharClass::kDigit:
      case CharClass::kMark:
      word : {
        start = p;
        seen = 0;
        first_upper = ci.cls == CharClass::kUpper;
        non_ascii = ci.len > 1;
        internal_period = false;
        segment_start = p;
        p += ci.len;
        while (true) {
        word_resume:  // the fast path stopped at a joiner or non-ASCII byte after an ASCII run
          // The run of word characters: an ASCII table loop, ICU only for non-ASCII bytes.
          while (true) {
            seen |= ScanAlnumRun(&p, end);
            if (p >= end) goto word_done;
            const uint8_t stop = kWordFlags[static_cast<unsigned char>(*p)];
            if (stop == 0) goto word_done;  // the common case: space or punctuation ends it
            if (stop == kFlagJoiner) break;
            const CharInfo c = ReadChar(p, end);  // non-ASCII
            if (!IsWordClass(c.cls)) break;
            seen |= c.cls == CharClass::kUpper   ? kFlagUpper
                    : c.cls == CharClass::kLower ? kFlagLower
                    : c.cls == CharClass::kDigit ? kFlagDigit
                                                 : kFlagMark;
            non_ascii = true;
            p += c.len;
          }
          if (p + 1 >= end) break;
          // Joiners between two word characters.
          const unsigned char j = static_cast<unsigned char>(*p);
          const unsigned char prev = static_cast<unsigned char>(p[-1]);
          if (j == '-' || j == '&') {
            if (j == '&' && ((seen & kFlagLower) || !(first_upper || (seen & kFlagUpper)))) {
              break;  // "AT&T", "S&P" only
            }
            const CharInfo next = ReadChar(p + 1, end);
            if (!IsWordClass(next.cls) || next.cls == CharClass::kMark) break;
            p += 1;
            segment_start = p;
            continue;
          }
          if (j == '\'' || (j == 0xE2 && p + 2 < end && static_cast<unsigned char>(p[1]) == 0x80 &&
                            static_cast<unsigned char>(p[2]) == 0x99)) {
            const int alen = j == '\'' ? 1 : 3;
            if (p + alen >= end) break;
            const CharInfo next = ReadChar(p + alen, end);
            if (next.cls != CharClass::kUpper && next.cls != CharClass::kLower) break;
            // Possessive or contraction "'s" is split off: "Putin's" -> "Putin" "'s".
            if (next.cp == 's' || next.cp == 'S') {
              const char* after = p + alen + 1;
              if (after >= end || !IsWordClass(ReadChar(after, end).cls)) break;
            }
            p += alen;
            continue;
          }
          if (j == '.' || j == ',') {
            const unsigned char n = static_cast<unsigned char>(p[1]);
            const bool prev_digit = prev >= '0' && prev <= '9';
            const bool next_digit = n >= '0' && n <= '9';
            bool join = false;
            if (prev_digit && next_digit) {
              join = true;  // "5.93", "20,000"
            } else if (j == '.' && IsAsciiAlnum(n)) {
              const ptrdiff_t segment = p - segment_start;
              bool caps = true;
              for (const char* q = segment_start; q < p; ++q) caps &= !(*q >= 'a' && *q <= 'z');
              // "U.S", "XOM.N", "e.g", "p.m"
              join = segment == 1 || (caps && segment <= 4 && (first_upper || (seen & kFlagUpper)));
            }
            if (!join) break;
            if (j == '.') internal_period = true;
            p += 1;
            segment_start = p;
            continue;
          }
          break;
        }
      word_done:
        uint8_t extra = non_ascii ? kNonAscii : 0;
        // A period right after the word: keep it for abbreviations and initials.
        if (p < end && *p == '.') {
          const std::string_view w(start, p - start);
          const bool initial = (w.size() == 1 && first_upper) || internal_period;
          const bool two_periods = p + 1 < end && p[1] == '.';
          if (!two_periods && (initial || IsKnownAbbreviation(w))) {
            ++p;
            extra |= kAbbreviation;
          }
        }
        const TokenShape shape = kShapes[ShapeIndex(ci.cls, seen)];
        const TokenKind kind = ci.cls == CharClass::kDigit ? TokenKind::kNumber : TokenKind::kWord;
        emit(start, p, kind, shape, extra);
        continue;
      }
      case CharClass::kQuote: {
        const char* start = p;
        // Doubled ASCII quotes '' and `` are one quote mark.
        if ((b == '\'' || b == '`') && p + 1 < end && p[1] == static_cast<char>(b)) {
          p += 2;
        } else if (IsApostrophe(ci.cp) && p + ci.len < end && cursor != toks.data() &&
                   !(pending & kSpaceBefore) && (p[ci.len] == 's' || p[ci.len] == 'S') &&
                   (p + ci.len + 1 >= end || !IsWordClass(ReadChar(p + ci.len + 1, end).cls))) {
          // Possessive "'s" right after a word.
          p += ci.len + 1;
          emit(start, p, TokenKind::kWord, TokenShape::kLower, 0);
          continue;
        } else {
          p += ci.len;
        }
        emit(start, p, TokenKind::kQuote, TokenShape::kOther, ci.len > 1 ? kNonAscii : 0);
        continue;
      }
      case CharClass::kDash: {
        const char* start = p;
        if (b == '-' || b == '_') {
          while (p < end && *p == static_cast<char>(b)) ++p;  // "--", "___" are one dash
        } else {
          p += ci.len;
        }
        emit(start, p, TokenKind::kDash, TokenShape::kOther, ci.len > 1 ? kNonAscii : 0);
        continue;
      }
      case CharClass::kPunct: {
        const char* start = p;
        if (b == '.') {
          while (p < end && *p == '.') ++p;  // "..." is one token
        } else {
          p += ci.len;
        }
        emit(start, p, TokenKind::kPunct, TokenShape::kOther, ci.len > 1 ? kNonAscii : 0);
        continue;
      }
      case CharClass::kSymbol:
      default: {
        const char* start = p;
        p += ci.len;
        emit(start, p, TokenKind::kSymbol, TokenShape::kOther, ci.len > 1 ? kNonAscii : 0);
        continue;
      }
    }
  }

  toks.resize(cursor - toks.data());
  const uint32_t n = static_cast<uint32_t>(toks.size());
  if (n > 0) {
    out->sentences.push_back({sentence_begin, n});
    out->paragraphs.push_back({paragraph_begin, n});
    toks[0].flags |= kSentenceStart;  // later sentence starts are marked as they are found
  }
}

}  // namespace newsparse
