// The tokenizer as it was before the block-classifier rewrite (commit 6785219), kept unchanged as
// the reference that the fast tokenizer must match token for token: the tokenizer benchmark
// checks the two agree on every article before timing either, and tokenizer_diff compares them on
// a whole corpus and on generated text. Not part of the library.
#include "benchmarks/tokenizer_reference.h"

#include <array>
#include <cstring>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/status.h"
#include "core/text.h"

namespace newsparse {
namespace reference {
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

void ReferenceTokenize(std::string_view text, Tokens* out) {
  out->Clear();
  TokenVector& toks = out->tokens;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin;

  uint8_t pending = kSpaceBefore;  // flags for the next token
  int newlines = 0;                // line breaks since the last token
  bool indent_after_newline = false;
  bool paragraph_break = true;  // the first token starts a paragraph

  // Tokens are written through a raw cursor into the vector's storage, grown geometrically; the
  // vector is cut to the real count at the end. (push_back's per-call bookkeeping was a fifth of
  // the tokenizer's time.)
  if (toks.capacity() < 64) toks.reserve(64);
  toks.resize(toks.capacity());
  Token* cursor = toks.data();
  Token* limit = cursor + toks.size();

  auto emit = [&](const char* b, const char* e, TokenKind kind, TokenShape shape, uint8_t extra) {
    if (cursor == limit) {
      const size_t used = toks.size();
      toks.resize(used * 2);
      cursor = toks.data() + used;
      limit = toks.data() + toks.size();
    }
    Token& t = *cursor++;
    t = Token{};
    t.begin = static_cast<uint32_t>(b - begin);
    t.end = static_cast<uint32_t>(e - begin);
    t.kind = kind;
    t.shape = shape;
    t.flags = pending | extra;
    if (newlines > 0 || paragraph_break) {
      if (newlines >= 2 || (newlines == 1 && indent_after_newline) || paragraph_break) {
        t.flags |= kParagraphStart;
      }
      newlines = 0;
      indent_after_newline = false;
      paragraph_break = false;
    }
    pending = 0;
  };

  while (p < end) {
    const unsigned char b = static_cast<unsigned char>(*p);
    if (b == ' ' && newlines == 0) {
      pending |= kSpaceBefore;
      ++p;
      continue;
    }
    CharInfo ci;
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
        const char* start = p;
        // Letters seen after the first character, as kFlag* bits.
        uint8_t seen = 0;
        const bool first_upper = ci.cls == CharClass::kUpper;
        const bool first_digit = ci.cls == CharClass::kDigit;
        bool non_ascii = ci.len > 1;
        bool internal_period = false;
        const char* segment_start = p;  // since the start or the last internal period
        p += ci.len;
        while (true) {
          // The run of word characters: an ASCII table loop, ICU only for non-ASCII bytes.
          while (true) {
            uint8_t f;
            while (p < end && ((f = kWordFlags[static_cast<unsigned char>(*p)]) & 0x0F) != 0) {
              seen |= f;
              ++p;
            }
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
        const bool upper_later = (seen & kFlagUpper) != 0;
        const bool any_lower = (seen & kFlagLower) != 0 || ci.cls == CharClass::kLower;
        const bool any_upper = first_upper || upper_later;
        const bool any_digit = first_digit || (seen & kFlagDigit) != 0;
        uint8_t extra = non_ascii ? kNonAscii : 0;
        // A period right after the word: keep it for abbreviations and initials.
        if (p < end && *p == '.') {
          const std::string_view w(start, p - start);
          const bool initial = (w.size() == 1 && first_upper) || internal_period;
          const bool two_periods = p + 1 < end && p[1] == '.';
          if (!two_periods && (initial || Abbreviations().contains(ToAbsl(w)))) {
            ++p;
            extra |= kAbbreviation;
          }
        }
        TokenShape shape;
        if (!any_upper && !any_lower) {
          shape = TokenShape::kDigits;
        } else if (any_digit) {
          shape = TokenShape::kAlphaNum;
        } else if (!any_lower) {
          shape = upper_later ? TokenShape::kAllCaps : TokenShape::kCapitalized;
        } else if (!any_upper) {
          shape = TokenShape::kLower;
        } else if (first_upper && !upper_later) {
          shape = TokenShape::kCapitalized;
        } else {
          shape = TokenShape::kMixed;
        }
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

  // Sentences and paragraphs, in one pass over the tokens.
  const uint32_t n = static_cast<uint32_t>(toks.size());
  uint32_t sentence_begin = 0;
  uint32_t paragraph_begin = 0;
  bool end_pending = false;  // a sentence-final mark was seen; closers may follow
  for (uint32_t i = 0; i < n; ++i) {
    Token& t = toks[i];
    const std::string_view s = TokenText(text, t);
    bool new_sentence = false;
    if (i > 0 && t.Has(kParagraphStart)) {
      out->paragraphs.push_back({paragraph_begin, i});
      paragraph_begin = i;
      new_sentence = true;
    } else if (i > 0 && end_pending) {
      if (IsCloser(s, t)) continue;  // stays with the sentence it closes
      // The next sentence starts with anything but a lower-case word.
      new_sentence = !(t.kind == TokenKind::kWord && t.shape == TokenShape::kLower) &&
                     t.kind != TokenKind::kPunct;
    } else if (i > 0 && toks[i - 1].Has(kAbbreviation)) {
      const Token& a = toks[i - 1];
      std::string_view aw = TokenText(text, a);
      aw.remove_suffix(1);
      const auto it = Abbreviations().find(ToAbsl(aw));
      const bool title = it != Abbreviations().end() && it->second == AbbrevKind::kTitle;
      const bool single_initial = aw.size() == 1;
      new_sentence = !title && !single_initial && IsSentenceOpener(s);
    }
    end_pending = false;
    if (new_sentence && i > sentence_begin) {
      out->sentences.push_back({sentence_begin, i});
      sentence_begin = i;
    }
    if (t.kind == TokenKind::kPunct && IsSentenceFinal(s)) end_pending = true;
  }
  if (n > 0) {
    out->sentences.push_back({sentence_begin, n});
    out->paragraphs.push_back({paragraph_begin, n});
  }
  for (const TokenRange& r : out->sentences) toks[r.begin].flags |= kSentenceStart;
}

}  // namespace reference
}  // namespace newsparse
