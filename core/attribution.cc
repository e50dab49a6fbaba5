#include "core/attribution.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/attribution_internal.h"
#include "core/status.h"

namespace newsparse {
namespace {

// Upper bounds of every look from a cue; they keep Find linear.
constexpr int kMaxSourceTokens = 14;
constexpr int kMaxApposition = 16;
constexpr int kMaxSkipAdverbs = 3;
constexpr int kMaxObjectSkip = 8;
constexpr int kMaxAttributionsBack = 30;
constexpr size_t kMaxWordBytes = 24;
constexpr int kMaxParenthesis = 8;
constexpr uint32_t kMaxDatelineTokens = 16;
constexpr uint32_t kMaxLabelQuote = 400;
constexpr uint32_t kMaxQuestion = 64;
// How far a content is searched for a comma that opens a new clause (keeps ContentAfter O(1)).
constexpr uint32_t kMaxClauseScan = 64;
// How far after a cue "that", a colon or a quote is looked for when an opening adverbial comes
// before the source ("After ..., Ortiz said in a statement that ...").
constexpr uint32_t kMaxIntroScan = 8;
// How far back the phrase before a source's "and" is read ("reporters and editors said").
constexpr int64_t kMaxAndPhrase = 8;

// ---- Token helpers ---------------------------------------------------------------------------

// Case-insensitive ASCII equality of a token with a lower-case word.
bool EqLower(std::string_view tok, std::string_view lower) {
  if (tok.size() != lower.size()) return false;
  for (size_t i = 0; i < tok.size(); ++i) {
    char c = tok[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool InList(std::string_view tok, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (EqLower(tok, w)) return true;
  }
  return false;
}

// ---- The finder's fixed word lists -----------------------------------------------------------

// Which fixed list of lower-case words a token is asked about (FixedWords::sets): the lists the
// rules read near each cue, and single words ("and", "that") the rules compare tokens with.
enum WordList : uint8_t {
  kPersonalPronoun,      // he, she, they, i, we, it, you
  kClauseOpener,         // words after a comma that start another clause: ", but ...", ", who"
  kSourceEndPrep,        // prepositions that end a source read backwards ("officials on")
  kSourceInnerPrep,      // prepositions that belong to a source after a noun ("head of")
  kSourceStartPrep,      // prepositions that never open a speaker's name after a cue ("said in")
  kSourceAside,          // however, meanwhile, ... (an aside after a speaker's name and comma)
  kComparative,          // more, less, fewer ("more than 4 in 10 voters")
  kEarlyLate,            // early, late, this, last (kept at a source's start before no time word)
  kTimeDeterminer,       // this, last, next, late, early (before a time word: "said last week")
  kInByTo,               // in, by, to (between a lower-case noun and a name in a source)
  kToWithBy,             // to, with, by (after a noun inside a source read backwards)
  kSeemAppear,           // seem, seems, seemed, appear, appears, appeared (no source in PolNeAR)
  kItThere,              // it, there (an expletive subject)
  kIntroWord,            // as, while, when, ... (opens an adverbial before a speaker's comma)
  kRelativeWord,         // who, whom, whose, which
  kClauseWord,           // auxiliaries and subordinators: a word that makes a phrase a clause
  kTimeWord,             // monday ... ago
  kSourceStop,           // words that never belong to a source noun phrase (and the time words)
  kCueAdverb,            // adverbs and auxiliaries between a source and its cue
  kLyNoun,               // words in -ly that are no adverb ("family", "july")
  kNewClauseAfterComma,  // ", he ...", ", compared ...", ", however ..."
  kNumberWord,           // one ... nine, half, two-thirds, three-quarters
  kOccasionNoun,         // interview, speech, statement, ...
  kPreposition,          // in, on, at, ... (with "last", "this", "late", "early")
  kObjectWord,           // addressees skipped after "told" ("reporters", "him")
  kDeterminer,           // a, an, the, some, his, ...
  kMaleWord,             // titles, pronouns, kin and given names that tell a man
  kFemaleWord,           // the same for a woman
  kTakesObject,          // told, asked, warned, ... (verbs that take the addressee)
  kForwardTimePrep,      // in, on, at, during, to, after, before (before a time word)
  kForwardStop,          // the same and via, while, when, as (end a source read forwards)
  kSubjectVerb,          // is, was, has, ... (common verbs after a sentence's subject)
  kWhoWhich,             // who, which
  kWhoWhose,             // who, whose
  kHeading,              // correction, update, ... (a colon heading, no speaker)
  kAskedLead,            // when, if, after, once ("when asked ...")
  kLeadConjunction,      // and, so, also (a sentence-initial conjunction)
  kContentParticle,      // about, of, against, on, over (after a cue, out of the content)
  kDayWord,              // monday ... sunday, yesterday, today, tonight
  kAndClauseWord,        // has, have, had, is, was, will, would, also, then (", and has ...")
  kButClauseWord,        // he, she, they, it, has, ... ("but he ...")
  kAndOr,                // and, or
  kHaveAux,              // has, have, had
  kParticle,             // out, for, on, up, back, off, to
  kOutOff,               // out, off
  kParticipleLead,       // after, before, by, despite, while, since, when, without
  kSubjectLead,          // by, after, before, while, for, from ("replied by saying")
  kProgressiveAux,       // is, was, are, were, been, be
  kPassiveAux,           // the same and being
  kTimeLead,             // on, last, this, early, late ("on Tuesday said")
  kObjectEnd,            // that, how, whether, why, what, to (after "told reporters")
  kCueParticle,          // about, of, against, over, as ("talked about")
  kArticle,              // a, an, the
  kIndefinite,           // a, an
  kAndBut,               // and, but
  // Single words.
  kWordAnd,
  kWordAmpersand,
  kWordAbout,
  kWordIn,
  kWordThat,
  kWordTo,
  kWordWho,
  kWordWhich,
  kWordAsked,
  kWordBy,
  kWordOf,
  kWordTold,
  kWordHere,
  kWordThere,
  kWordRecently,
  kWordAdding,
  kWordIncluding,
  kWordBut,
  kWordThe,
  kWordThey,
  kWordHe,
  kWordShe,
  kWordAccording,
  kWordThan,
  kWordWith,
  kNumWordLists
};

// Every word of the lists above has an id (1 .. kMaxWords - 1; 0 is any other word) and each list
// is a bit set of ids. A token's id is found once per article (AttributionScratch::word_id, on
// first use) in a ShortWordTable, without a branch on the token's bytes; the lists' tests near
// each cue then read one bit instead of hashing and comparing the token's text for every list
// (the same answers: ASCII-case-insensitive equality with a list word). Built once (a
// function-local static), then immutable and shared by threads.
class FixedWords {
 public:
  static constexpr uint32_t kMaxWords = 512;
  static constexpr size_t kMaxLen = attribution_internal::ShortWordTable::kMaxLen;

  struct Set {
    uint64_t bits[kMaxWords / 64] = {};
    bool Has(uint32_t id) const { return ((bits[id >> 6] >> (id & 63)) & 1) != 0; }
  };

  FixedWords();
  const Set& operator[](WordList l) const { return sets_[l]; }

  // The id of the token [p, p + len) of a text that ends at `end` (0 when it is no list word).
  uint32_t IdAt(const char* p, size_t len, const char* end) const {
    return table_.Find(p, len, end);
  }
  uint32_t IdOf(std::string_view w) const { return table_.Find(w); }
  bool In(WordList l, std::string_view w) const { return sets_[l].Has(IdOf(w)); }

 private:
  // Adds the words of a list (build time).
  void Add(WordList l, std::initializer_list<std::string_view> words);
  void Add(WordList l, WordList more) {
    for (uint32_t k = 0; k < kMaxWords / 64; ++k) sets_[l].bits[k] |= sets_[more].bits[k];
  }

  std::vector<std::string_view> words_;  // by id - 1 (views of string literals)
  Set sets_[kNumWordLists];
  attribution_internal::ShortWordTable table_;  // word -> id
};

void FixedWords::Add(WordList l, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    // A programming error: the lists are short lower-case literals.
    if (w.empty() || w.size() > kMaxLen) std::abort();
    for (char ch : w) {
      if (ch >= 'A' && ch <= 'Z') std::abort();
    }
    uint32_t id = 0;
    for (size_t k = 0; k < words_.size() && id == 0; ++k) {
      if (words_[k] == w) id = static_cast<uint32_t>(k + 1);
    }
    if (id == 0) {
      words_.push_back(w);
      id = static_cast<uint32_t>(words_.size());
      if (id >= kMaxWords) std::abort();
    }
    sets_[l].bits[id >> 6] |= uint64_t{1} << (id & 63);
  }
}

FixedWords::FixedWords() {
  Add(kPersonalPronoun, {"he", "she", "they", "i", "we", "it", "you"});
  // Not ", even": PolNeAR's contents go on through ", even if ..." / ", even as ...".
  Add(kClauseOpener, {"but", "though", "although", "saying", "adding", "according", "which", "who",
                      "while", "whereas", "noting", "arguing", "citing", "calling"});
  Add(kSourceEndPrep, {"on", "with", "about", "over"});
  Add(kSourceInnerPrep, {"in", "at", "from", "for", "of"});
  Add(kSourceStartPrep, {"in",   "on",  "at",   "during",  "after",   "before",    "via",
                         "as",   "for", "from", "with",    "without", "through",   "while",
                         "when", "of",  "to",   "outside", "inside",  "afterward", "afterwards"});
  // Not "who" / "which": gold sources keep a relative clause between commas more often than not.
  Add(kSourceAside,
      {"however", "meanwhile", "though", "but", "too", "instead", "nonetheless", "nevertheless"});
  Add(kComparative, {"more", "less", "fewer"});
  Add(kEarlyLate, {"early", "late", "this", "last"});
  Add(kTimeDeterminer, {"this", "last", "next", "late", "early"});
  Add(kInByTo, {"in", "by", "to"});
  Add(kToWithBy, {"to", "with", "by"});
  Add(kSeemAppear, {"seem", "seems", "seemed", "appear", "appears", "appeared"});
  Add(kItThere, {"it", "there"});
  Add(kRelativeWord, {"who", "whom", "whose", "which"});
  Add(kClauseWord,
      {"is",      "was",  "are",   "were", "be",       "been",   "has",   "have",  "had",  "will",
       "would",   "can",  "could", "may",  "might",    "should", "must",  "do",    "does", "did",
       "because", "that", "if",    "when", "although", "though", "since", "until", "so"});
  Add(kIntroWord, {"as", "while", "when", "after", "before", "although", "though", "because",
                   "since", "despite", "if", "once", "but", "and", "so", "yet"});
  Add(kTimeWord,
      {"monday",    "tuesday",  "wednesday",  "thursday", "friday",    "saturday", "sunday",
       "yesterday", "today",    "tonight",    "morning",  "afternoon", "evening",  "night",
       "week",      "weekend",  "month",      "year",     "earlier",   "later",    "now",
       "then",      "recently", "previously", "once",     "again",     "ago"});
  Add(kSourceStop,
      {"that",   "which",   "who",     "whom",      "whose",    "where",   "when",   "while",
       "as",     "if",      "because", "since",     "although", "though",  "but",    "or",
       "so",     "than",    "after",   "before",    "until",    "what",    "how",    "why",
       "there",  "is",      "was",     "are",       "were",     "be",      "been",   "being",
       "has",    "have",    "had",     "do",        "does",     "did",     "will",   "would",
       "can",    "could",   "may",     "might",     "should",   "must",    "not",    "to",
       "also",   "and",     "however", "meanwhile", "yet",      "nor",     "even",   "just",
       "only",   "still",   "instead", "indeed",    "here",     "said",    "says",   "told",
       "by",     "about",   "into",    "over",      "under",    "against", "than",   "like",
       "unlike", "through", "between", "among",     "during",   "without", "within", "upon",
       "amid",   "despite", "toward",  "towards"});
  Add(kSourceStop, kTimeWord);
  Add(kCueAdverb,
      {"also",       "later",        "then",         "previously", "repeatedly",   "recently",
       "once",       "again",        "earlier",      "often",      "publicly",     "privately",
       "reportedly", "has",          "have",         "had",        "never",        "always",
       "already",    "frequently",   "would",        "will",       "did",          "does",
       "do",         "simply",       "flatly",       "quickly",    "further",      "first",
       "separately", "correctly",    "rightly",      "famously",   "emphatically", "just",
       "clearly",    "specifically", "subsequently", "initially",  "jokingly",     "may",
       "might",      "could",        "can",          "should",     "not",          "even",
       "still",      "openly",       "directly",     "explicitly", "ultimately",   "now",
       "long",       "finally"});
  Add(kLyNoun, {"family", "ally", "supply", "assembly", "daily", "weekly", "monthly", "rally",
                "only", "july", "early", "reply", "italy", "anomaly", "bully"});
  Add(kNewClauseAfterComma, {"he", "she", "they", "we", "compared", "however"});
  Add(kNumberWord, {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "half",
                    "two-thirds", "three-quarters"});
  Add(kOccasionNoun,
      {"interview", "speech",     "statement", "meeting",  "remarks", "rally",    "conference",
       "event",     "appearance", "hearing",   "briefing", "debate",  "tweet",    "tweets",
       "letter",    "op-ed",      "post",      "call",     "address", "session",  "visit",
       "trip",      "stop",       "time",      "program",  "show",    "broadcast"});
  Add(kPreposition,
      {"in",   "on",   "at",    "during",  "to",      "before",    "after",      "while",  "when",
       "as",   "from", "with",  "via",     "through", "after",     "for",        "of",     "last",
       "this", "late", "early", "outside", "inside",  "afterward", "afterwards", "without"});
  Add(kObjectWord,
      {"him",         "her",         "them",      "me",         "us",       "you",
       "reporters",   "journalists", "lawmakers", "supporters", "the",      "a",
       "an",          "his",         "their",     "its",        "my",       "our",
       "your",        "audience",    "crowd",     "voters",     "senators", "congress",
       "members",     "people",      "viewers",   "listeners",  "readers",  "host",
       "interviewer", "colleagues",  "everyone",  "anyone",     "reporter", "correspondent"});
  Add(kDeterminer, {"a", "an", "the", "one", "another", "some", "several", "many", "two", "three",
                    "this", "these", "those", "that", "his", "her", "their", "its"});
  // Titles, pronouns, kin and role words, and common English given names; never surnames (a
  // surname does not tell a gender: "Wang", "Clinton"). A source written by surname alone takes
  // the gender of its entity's full name (see `gender` in Find).
  Add(kMaleWord,
      {"mr.",    "mr",       "he",     "him",     "his",    "sir",    "king",   "prince", "father",
       "man",    "john",     "david",  "michael", "donald", "barack", "bernie", "ted",    "marco",
       "jeb",    "ben",      "chris",  "mike",    "paul",   "joe",    "bill",   "george", "james",
       "robert", "vladimir", "tim",    "mitch",   "newt",   "rudy",   "scott",  "jeff",   "mark",
       "peter",  "richard",  "thomas", "william", "steve",  "kevin",  "brian",  "eric",   "jim",
       "tom",    "bob",      "rick",   "rand",    "harry",  "reince", "corey"});
  Add(kFemaleWord, {"mrs.",      "mrs",   "ms.",      "ms",      "miss",     "she",      "her",
                    "hers",      "queen", "princess", "mother",  "woman",    "hillary",  "nancy",
                    "elizabeth", "mary",  "angela",   "theresa", "sarah",    "michelle", "melania",
                    "ivanka",    "carly", "susan",    "karen",   "jennifer", "amy",      "kirsten",
                    "jill",      "huma",  "debbie",   "donna",   "kellyanne"});
  Add(kTakesObject, {"told",      "tell",       "tells",    "telling",   "asked",    "warned",
                     "assured",   "informed",   "reminded", "urged",     "ask",      "asks",
                     "warns",     "urges",      "warning",  "urging",    "asking",   "encouraged",
                     "encourage", "encourages", "pressed",  "reminding", "implored", "advised"});
  Add(kForwardTimePrep, {"in", "on", "at", "during", "to", "after", "before"});
  Add(kForwardStop,
      {"in", "on", "at", "during", "to", "after", "before", "via", "while", "when", "as"});
  Add(kSubjectVerb, {"is", "was", "has", "had", "are", "were", "went", "took", "made", "gave",
                     "sent", "wrote", "spoke", "met", "left", "came", "held", "won", "lost"});
  Add(kWhoWhich, {"who", "which"});
  Add(kWhoWhose, {"who", "whose"});
  Add(kHeading, {"correction", "corrections", "clarification", "update",       "updated",
                 "note",       "editor",      "editors",       "related",      "watch",
                 "read",       "photos",      "video",         "source",       "sources",
                 "breaking",   "opinion",     "analysis",      "contributing", "contributors"});
  Add(kAskedLead, {"when", "if", "after", "once"});
  Add(kLeadConjunction, {"and", "so", "also"});
  Add(kContentParticle, {"about", "of", "against", "on", "over"});
  Add(kDayWord, {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "yesterday", "today", "tonight"});
  Add(kAndClauseWord, {"has", "have", "had", "is", "was", "will", "would", "also", "then"});
  Add(kButClauseWord, {"he", "she", "they", "it", "has", "have", "had", "is", "was", "are", "were",
                       "also", "then"});
  Add(kAndOr, {"and", "or"});
  Add(kHaveAux, {"has", "have", "had"});
  Add(kParticle, {"out", "for", "on", "up", "back", "off", "to"});
  Add(kOutOff, {"out", "off"});
  Add(kParticipleLead, {"after", "before", "by", "despite", "while", "since", "when", "without"});
  Add(kSubjectLead, {"by", "after", "before", "while", "for", "from"});
  Add(kProgressiveAux, {"is", "was", "are", "were", "been", "be"});
  Add(kPassiveAux, {"is", "was", "are", "were", "been", "be", "being"});
  Add(kTimeLead, {"on", "last", "this", "early", "late"});
  Add(kObjectEnd, {"that", "how", "whether", "why", "what", "to"});
  Add(kCueParticle, {"about", "of", "against", "over", "as"});
  Add(kArticle, {"a", "an", "the"});
  Add(kIndefinite, {"a", "an"});
  Add(kAndBut, {"and", "but"});
  Add(kWordAnd, {"and"});
  Add(kWordAmpersand, {"&"});
  Add(kWordAbout, {"about"});
  Add(kWordIn, {"in"});
  Add(kWordThat, {"that"});
  Add(kWordTo, {"to"});
  Add(kWordWho, {"who"});
  Add(kWordWhich, {"which"});
  Add(kWordAsked, {"asked"});
  Add(kWordBy, {"by"});
  Add(kWordOf, {"of"});
  Add(kWordTold, {"told"});
  Add(kWordHere, {"here"});
  Add(kWordThere, {"there"});
  Add(kWordRecently, {"recently"});
  Add(kWordAdding, {"adding"});
  Add(kWordIncluding, {"including"});
  Add(kWordBut, {"but"});
  Add(kWordThe, {"the"});
  Add(kWordThey, {"they"});
  Add(kWordHe, {"he"});
  Add(kWordShe, {"she"});
  Add(kWordAccording, {"according"});
  Add(kWordThan, {"than"});
  Add(kWordWith, {"with"});
  // A programming error: the lists above always make a table.
  if (!table_.Build(words_)) std::abort();
}

const FixedWords& Words() {
  static const FixedWords* const kWords = new FixedWords();
  return *kWords;
}

// The lists' tests on a string (the lexicon's words, entity names; Find asks them of tokens
// through Ctx::Is).
bool InWordList(WordList l, std::string_view w) { return Words().In(l, w); }
bool IsPersonalPronoun(std::string_view t) { return InWordList(kPersonalPronoun, t); }
bool IsSourceStop(std::string_view t) { return InWordList(kSourceStop, t); }
bool IsCueAdverb(std::string_view t) { return InWordList(kCueAdverb, t); }
bool IsPreposition(std::string_view t) { return InWordList(kPreposition, t); }
bool IsDeterminer(std::string_view t) { return InWordList(kDeterminer, t); }

// A contracted negation ("didn't", "doesn’t", "won't") between a source and its cue: part of the
// cue, never the speaker.
bool IsNegation(std::string_view t) {
  return t.size() > 3 && t[0] >= 'a' && t[0] <= 'z' &&
         (t.substr(t.size() - 3) == "n't" ||
          (t.size() > 5 && t.substr(t.size() - 5) == "n\xE2\x80\x99t"));
}

enum QuoteRole : uint8_t { kNoQuote, kOpener, kCloser, kStraight, kLowOpener, kRightCurly };

// The role of a double quote mark token; single quotes are not paired (kNoQuote).
QuoteRole RoleOf(std::string_view t) {
  if (t == "\"") return kStraight;
  if (t == "\xE2\x80\x9C" || t == "\xC2\xAB" || t == "``") return kOpener;  // “ « ``
  if (t == "\xE2\x80\x9D") return kRightCurly;                              // ”
  if (t == "''") return kStraight;             // NYT style writes '' for both marks
  if (t == "\xC2\xBB") return kCloser;         // »
  if (t == "\xE2\x80\x9E") return kLowOpener;  // „
  return kNoQuote;
}

bool IsCapitalised(const Token& t) {
  return t.kind == TokenKind::kWord &&
         (t.shape == TokenShape::kCapitalized || t.shape == TokenShape::kAllCaps ||
          t.shape == TokenShape::kMixed);
}

// Gender cues for pronoun resolution: +1 male, -1 female, 0 unknown (of the word with id `id`).
int GenderOfId(uint32_t id) {
  const FixedWords& w = Words();
  if (w[kMaleWord].Has(id)) return 1;
  if (w[kFemaleWord].Has(id)) return -1;
  return 0;
}

// ---- Quote pairing ---------------------------------------------------------------------------

bool SpaceAfter(const Tokens& tk, uint32_t i) {
  return i + 1 >= tk.tokens.size() || tk.tokens[i + 1].Has(kSpaceBefore);
}

// A mark with space (or the start, or an opening bracket) before it and a word right after it.
bool LooksOpening(std::string_view text, const Tokens& tk, uint32_t i) {
  const Token& t = tk.tokens[i];
  bool before = t.Has(kSpaceBefore) || i == 0;
  if (!before) {
    std::string_view p = TokenText(text, tk.tokens[i - 1]);
    before = p == "(" || p == "[" || p == "\xE2\x80\x94" || p == "-" || p == "--";
  }
  return before && !SpaceAfter(tk, i);
}

}  // namespace

void PairQuotes(std::string_view text, const Tokens& tk, std::vector<QuoteSpan>* out) {
  out->clear();
  const uint32_t n = static_cast<uint32_t>(tk.tokens.size());
  int64_t open = -1;  // token index of the open mark
  QuoteRole open_role = kNoQuote;
  int depth = 0;            // nested marks of another style inside the open quote
  int32_t chain_prev = -1;  // the segment the open quote continues (multi-paragraph quotes)
  auto push = [&](uint32_t close, bool closed) -> int32_t {
    QuoteSpan q;
    q.open = static_cast<uint32_t>(open);
    q.close = close;
    q.closed = closed;
    q.prev = chain_prev;
    const int32_t idx = static_cast<int32_t>(out->size());
    if (chain_prev >= 0) (*out)[chain_prev].next = idx;
    out->push_back(q);
    open = -1;
    depth = 0;
    chain_prev = -1;
    return idx;
  };
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tk.tokens[i];
    // Most tokens are no mark and, outside a quote or inside a paragraph, change nothing.
    if (t.kind != TokenKind::kQuote && (open < 0 || !t.Has(kParagraphStart))) continue;
    const QuoteRole role = t.kind == TokenKind::kQuote ? RoleOf(TokenText(text, t)) : kNoQuote;
    if (t.Has(kParagraphStart) && i > 0 && open >= 0) {
      // The paragraph ended inside a quote: close it there. When this paragraph reopens the same
      // kind of mark, the quote continues (news style for quotes of several paragraphs).
      const int32_t seg = push(i - 1, false);
      if (role == kOpener || role == kLowOpener || role == kStraight ||
          (role == kRightCurly && LooksOpening(text, tk, i))) {
        open = i;
        open_role = role;
        chain_prev = seg;
        continue;
      }
    }
    if (role == kNoQuote) continue;
    if (open < 0) {
      if (role == kOpener || role == kLowOpener ||
          (role == kStraight && (LooksOpening(text, tk, i) || SpaceAfter(tk, i) == false)) ||
          (role == kRightCurly && LooksOpening(text, tk, i))) {
        open = i;
        open_role = role;
        chain_prev = -1;
      }
      continue;  // a stray closing mark is ignored
    }
    // A quote is open.
    const bool closes =
        role == kCloser || role == kRightCurly || role == kStraight ||
        (role == kOpener && open_role == kLowOpener && TokenText(text, t) == "\xE2\x80\x9C");
    if (closes) {
      if (depth > 0 && role != kStraight) {
        --depth;
        continue;
      }
      push(i, true);
      continue;
    }
    // Another opening mark inside the open quote.
    if (TokenText(text, t) != TokenText(text, tk.tokens[open])) {
      ++depth;  // a nested quote in another style
    } else {
      push(i - 1, false);  // the same mark again: the previous one was never closed
      open = i;
      open_role = role;
    }
  }
  if (open >= 0 && n > 0) push(n - 1, false);
}

// ---- Lexicon ---------------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<AttributionFinder>> AttributionFinder::Create(
    const std::string& data_dir, const AttributionOptions& options) {
  const std::string path = data_dir + "/attribution_cues.tsv";
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  NEWSPARSE_ASSIGN_OR_RETURN(std::unique_ptr<AttributionFinder> f,
                             CreateFromLexicon(ss.str(), options));
  if (options.span_model != SpanModelUse::kOff) {
    // Asked for, so required: without it the finder would silently run the patterns alone and
    // give other results (NotFound naming the path; kOff runs without it).
    NEWSPARSE_ASSIGN_OR_RETURN(SpanModel span, LoadSpanModel(data_dir + "/attribution_span.model"));
    f->SetSpanModel(std::move(span), options.span_model);
  }
  const std::string tagger_path = data_dir + "/attribution_cue_tagger.model";
  if (options.cue_source != CueSource::kRules) {
    std::ifstream tin(tagger_path, std::ios::binary);
    if (tin) {  // optional
      std::stringstream tss;
      tss << tin.rdbuf();
      absl::StatusOr<CueTaggerModel> model = ParseCueTagger(tss.str());
      if (!model.ok()) {
        return absl::Status(model.status().code(),
                            absl::StrCat(tagger_path, ": ", model.status().message()));
      }
      f->SetCueTagger(*std::move(model));
    }
  }
  if (!options.use_cue_model) return f;
  const std::string model_path = data_dir + "/attribution_cue_model.tsv";
  std::ifstream model(model_path, std::ios::binary);
  if (!model) return f;  // optional
  std::string bytes;
  model.seekg(0, std::ios::end);
  const std::streamoff size = model.tellg();
  model.seekg(0, std::ios::beg);
  if (size > 0) {
    bytes.resize(static_cast<size_t>(size));
    model.read(bytes.data(), size);
    if (model.gcount() != size)
      return absl::DataLossError(absl::StrCat("cannot read ", model_path));
  }
  NEWSPARSE_RETURN_IF_ERROR(f->ParseCueModel(bytes, model_path));
  f->PrecomputeCueScores();
  return f;
}

namespace {

// A hexadecimal feature hash of 1 to 16 digits (no sign, no "0x", no white space).
bool ParseHexHash(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 16) return false;
  uint64_t h = 0;
  for (char ch : s) {
    uint64_t d;
    if (ch >= '0' && ch <= '9') {
      d = static_cast<uint64_t>(ch - '0');
    } else if (ch >= 'a' && ch <= 'f') {
      d = static_cast<uint64_t>(ch - 'a' + 10);
    } else if (ch >= 'A' && ch <= 'F') {
      d = static_cast<uint64_t>(ch - 'A' + 10);
    } else {
      return false;
    }
    h = (h << 4) | d;
  }
  *out = h;
  return true;
}

// A weight as written by the trainer ("-0.8901", "12", "3e-05"). The short plain decimals the
// trainer writes take an exact path: at most 7 significant digits and 10 decimals make the
// mantissa and the power of ten exact floats, so one float division rounds correctly and gives
// the same float as absl::SimpleAtof, which reads every other form.
bool ParseWeight(std::string_view s, float* out) {
  static constexpr float kPow10[] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f,
                                     1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
  size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  uint32_t mantissa = 0;
  int digits = 0, decimals = 0;
  bool dot = false, exact = i < s.size();
  for (; i < s.size() && exact; ++i) {
    const char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      if (mantissa != 0 || ch != '0') ++digits;
      mantissa = mantissa * 10 + static_cast<uint32_t>(ch - '0');
      if (dot) ++decimals;
      exact = digits <= 7 && decimals <= 10;
    } else if (ch == '.' && !dot && i + 1 < s.size()) {
      dot = true;
    } else {
      exact = false;
    }
  }
  if (exact && (s[s.size() - 1] != '.') && s.size() > (negative ? 1u : 0u)) {
    const float v = static_cast<float>(mantissa) / kPow10[decimals];
    *out = negative ? -v : v;
    return true;
  }
  return absl::SimpleAtof(absl::string_view(s.data(), s.size()), out);
}

}  // namespace

absl::Status AttributionFinder::ParseCueModel(std::string_view tsv, std::string_view name) {
  // About 24 bytes a line; reserving avoids the rehashes of a growing table.
  cue_weights_.Reserve(tsv.size() / 24 + 1);
  int line_no = 0;
  size_t pos = 0;
  bool v2 = false;  // a comment line names "features v2" (the integer keys of CueFeatures)
  while (pos < tsv.size()) {
    size_t nl = tsv.find('\n', pos);
    if (nl == std::string_view::npos) nl = tsv.size();
    const std::string_view line = tsv.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line[0] == '#') {
      v2 = v2 || line.find("features v2") != std::string_view::npos;
      continue;
    }
    if (line.empty()) continue;
    if (!v2) {
      return absl::FailedPreconditionError(
          absl::StrCat(ToAbsl(name),
                       ": a cue model without \"features v2\" in its header (string-hashed "
                       "features of an older build); retrain it with attribution_train"));
    }
    const size_t tab = line.find('\t');
    uint64_t h = 0;
    float w = 0;
    if (tab == std::string_view::npos || !ParseHexHash(line.substr(0, tab), &h) ||
        !ParseWeight(line.substr(tab + 1), &w)) {
      return absl::DataLossError(
          absl::StrCat(ToAbsl(name), " line ", line_no, ": expected hash, weight"));
    }
    if (h == 0) {
      cue_bias_ = w;
    } else {
      *cue_weights_.Insert(h) = w;
    }
  }
  has_cue_model_ = true;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<AttributionFinder>> AttributionFinder::CreateFromLexicon(
    std::string_view tsv, const AttributionOptions& options) {
  std::unique_ptr<AttributionFinder> f(new AttributionFinder());
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(ToAbsl(tsv), '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> cols = absl::StrSplit(line, '\t');
    int64_t gold = 0, corpus = 0;
    if (cols.size() != 4 || !absl::SimpleAtoi(cols[2], &gold) ||
        !absl::SimpleAtoi(cols[3], &corpus) || gold < 0 || corpus < 0) {
      return absl::DataLossError(absl::StrCat("attribution_cues.tsv line ", line_no,
                                              ": expected cue, kind, two counts (>= 0)"));
    }
    const std::string cue(cols[0]);
    const absl::string_view kind = cols[1];
    const bool seed = kind == "verb" || kind == "phrase";
    const double ratio = corpus > 0 ? static_cast<double>(gold) / corpus : 1.0;
    bool keep = seed ? (corpus == 0 || ratio >= options.min_seed_ratio)
                     : (gold >= options.min_learned_count && ratio >= options.min_learned_ratio);
    const size_t sp = cue.find(' ');
    if (sp == std::string::npos && cue.size() <= kMaxWordBytes) {
      f->lex_bytes_[cue] = CueLexiconByte(gold, corpus, seed);
      uint8_t k = kVerb;
      if (cue == "according") {
        k = kAccording;
      } else if (cue.size() > 4 && cue.compare(cue.size() - 3, 3, "ing") == 0) {
        k = kParticiple;
      }
      // Candidates of the cue model: words seen as the head of a cue, minus function words.
      if ((gold >= 2 || seed) && ratio >= options.min_candidate_ratio && !IsCueAdverb(cue) &&
          !(IsSourceStop(cue) && !seed) && !IsDeterminer(cue) && !IsPreposition(cue) &&
          !IsPersonalPronoun(cue)) {
        // A hand-written verb that is a cue most times it occurs needs no model score.
        const bool sure = seed && corpus > 0 && ratio >= options.sure_cue_ratio;
        f->candidates_[cue] = static_cast<uint8_t>(k | (sure ? kSureCue : 0));
      }
    }
    if (!keep) continue;
    if (sp == std::string::npos) {
      if (cue.size() > kMaxWordBytes) continue;
      uint8_t k = kVerb;
      if (cue == "according") {
        k = kAccording;
      } else if (cue.size() > 4 && cue.compare(cue.size() - 3, 3, "ing") == 0) {
        k = kParticiple;
      }
      f->words_[cue] = k;
    } else if (kind == "phrase" || kind == "learned_phrase") {
      // Two-word verb + particle cues ("pointed out", "called for"); longer phrases are matched
      // through their verb.
      const std::string head = cue.substr(0, sp);
      const std::string rest = cue.substr(sp + 1);
      if (head != "according" && !InList(rest, {"out", "for", "on", "up", "back", "off", "to"}) &&
          !absl::StartsWith(rest, "in ") && !absl::StartsWith(rest, "on ")) {
        std::vector<std::string> tail = absl::StrSplit(rest, ' ', absl::SkipEmpty());
        if (tail.size() >= 2 && tail.size() <= 4) f->tails_[ner::HashLower(head)].push_back(tail);
      }
      if (rest.find(' ') != std::string::npos || head.size() > kMaxWordBytes ||
          rest.size() > kMaxWordBytes) {
        continue;
      }
      if (head == "according" && rest == "to") {
        f->words_["according"] = kAccording;
        continue;
      }
      if (!InList(rest, {"out", "for", "on", "up", "back", "off", "to"})) continue;
      f->pairs_[cue] = 1;
      if (!f->words_.contains(head)) f->words_[head] = kPhraseHead;
    }
  }
  if (!f->words_.contains("according")) f->words_["according"] = kAccording;
  f->candidates_["according"] = kAccording;
  // The per-token lookups of Find go through the words' hashes.
  f->word_ids_.Reserve(f->words_.size());
  for (const auto& [w, k] : f->words_) *f->word_ids_.Insert(ner::HashLower(w)) = k;
  f->candidate_ids_.Reserve(f->candidates_.size());
  for (const auto& [w, k] : f->candidates_) {
    const uint64_t h = ner::HashLower(w);
    f->candidate_ids_.Insert(h)->kind = k;
    if (!w.empty()) {
      const uint32_t shape = WordShapeBit(w);
      f->candidate_shapes_[shape >> 6] |= uint64_t{1} << (shape & 63);
    }
    for (int b = 0; b < 2; ++b) {
      const uint32_t bit = FilterBit(h, b);
      f->candidate_filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
    }
  }
  f->cue_threshold_ = options.cue_threshold;
  f->min_span_content_ = options.min_span_content;
  f->span_cue_threshold_ = std::min(options.span_cue_threshold, options.cue_threshold);
  f->span_requires_source_ = options.span_requires_source;
  f->cue_source_ = options.cue_source;
  f->cue_span_ = options.cue_span;
  f->tagger_fallback_ = options.tagger_fallback;
  return f;
}

uint8_t AttributionFinder::LexiconByte(std::string_view lower) const {
  auto it = lex_bytes_.find(ToAbsl(lower));
  return it == lex_bytes_.end() ? 0 : it->second;
}

// ---- Cue model -------------------------------------------------------------------------------

namespace {

// FNV-1a over a feature template id and two lower-cased strings with a separator between them.
// Cue-model feature keys (features v2): a template id and small integers (CueCode), mixed with
// the FNV-1a hashes of the lower-cased words involved (attribution_internal::FeatureKey).
constexpr uint64_t CueCode(uint64_t tmpl, uint64_t x = 0, uint64_t y = 0) {
  return tmpl | x << 8 | y << 16;
}

// The cue model's window of tokens i-2 .. i+2 but token i itself: into wh[d + 2] the lower-cased
// word's hash (kLongWordHash over kMaxWordBytes), into sh[d + 2] its shape class; kEndHash and 7
// outside the text. The caller fills wh[2] and sh[2].
template <typename Shape>
void CueWindow(std::string_view text, const Tokens& tokens, uint32_t i, uint64_t* wh, Shape* sh) {
  const int64_t n = static_cast<int64_t>(tokens.tokens.size());
  // The four neighbours one after the other, not in a loop (whose steps, the skipped middle
  // one among them, would each be a branch).
  auto neighbour = [&](int d) {
    const int64_t k = static_cast<int64_t>(i) + d;
    if (k < 0 || k >= n) {
      wh[d + 2] = attribution_internal::kEndHash;
      sh[d + 2] = 7;
      return;
    }
    const Token& t = tokens.tokens[k];
    const std::string_view w = TokenText(text, t);
    wh[d + 2] = w.size() > kMaxWordBytes ? attribution_internal::kLongWordHash
                                         : attribution_internal::HashLowerFast(w);
    sh[d + 2] = attribution_internal::ShapeCode(t);
  };
  neighbour(-2);
  neighbour(-1);
  neighbour(1);
  neighbour(2);
}

}  // namespace

int CueFeatures(std::string_view text, const Tokens& tokens, uint32_t i, bool in_quote,
                uint64_t* out) {
  // Tokens i-2 .. i+2: word hash, suffix hash (token i only) and shape class (7: outside the
  // text).
  using attribution_internal::FeatureKey;
  uint64_t wh[5];
  uint64_t sh[5];
  uint64_t suffix = attribution_internal::kLongSuffixHash;
  CueWindow(text, tokens, i, wh, sh);
  const Token& ti = tokens.tokens[i];
  const std::string_view wi = TokenText(text, ti);
  wh[2] = wi.size() > kMaxWordBytes ? attribution_internal::kLongWordHash
                                    : attribution_internal::HashLowerFast(wi);
  if (wi.size() <= kMaxWordBytes) {
    suffix = attribution_internal::HashLowerFast(wi.size() > 3 ? wi.substr(wi.size() - 3) : wi);
  }
  sh[2] = attribution_internal::ShapeCode(ti);
  const uint64_t w = wh[2];
  const uint64_t q = in_quote ? 1 : 0;
  const uint64_t ss = tokens.tokens[i].Has(kSentenceStart) ? 1 : 0;
  int m = 0;
  out[m++] = FeatureKey(CueCode(1), w);
  out[m++] = FeatureKey(CueCode(2), wh[1]);
  out[m++] = FeatureKey(CueCode(3), wh[3]);
  out[m++] = FeatureKey(CueCode(4), wh[0]);
  out[m++] = FeatureKey(CueCode(5), wh[4]);
  out[m++] = FeatureKey(CueCode(6), wh[1], w);
  out[m++] = FeatureKey(CueCode(7), w, wh[3]);
  out[m++] = FeatureKey(CueCode(8, sh[1], sh[3]), 0);
  out[m++] = FeatureKey(CueCode(9, sh[1]), w);
  out[m++] = FeatureKey(CueCode(10, sh[3]), w);
  out[m++] = FeatureKey(CueCode(11), suffix);
  out[m++] = FeatureKey(CueCode(12, q), 0);
  out[m++] = FeatureKey(CueCode(13, q), w);
  out[m++] = FeatureKey(CueCode(14, sh[0], sh[1]), 0);
  out[m++] = FeatureKey(CueCode(15, sh[3], sh[4]), 0);
  out[m++] = FeatureKey(CueCode(16, ss), w);
  out[m++] = FeatureKey(CueCode(17), w, wh[4]);
  return m;
}

float AttributionFinder::CueScore(std::string_view text, const Tokens& tokens, uint32_t i,
                                  bool in_quote) const {
  if (!has_cue_model_) return 0;
  uint64_t feats[kMaxCueFeatures];
  const int m = CueFeatures(text, tokens, i, in_quote, feats);
  float score = cue_bias_;
  for (int k = 0; k < m; ++k) {
    if (const float* w = cue_weights_.Find(feats[k])) score += *w;
  }
  return score;
}

namespace {
// A cue feature's weight, 0 when the model has none.
inline float CueWeight(const ner::HashTable64<float>& weights, uint64_t key) {
  return weights.ValueOr(key, 0.0f);
}
}  // namespace

void AttributionFinder::PrecomputeCueScores() {
  using attribution_internal::FeatureKey;
  static constexpr uint64_t kTemplate[3] = {8, 14, 15};
  for (int t = 0; t < 3; ++t) {
    for (uint64_t a = 0; a < 8; ++a) {
      for (uint64_t b = 0; b < 8; ++b) {
        cue_shape_pairs_[t][a][b] =
            CueWeight(cue_weights_, FeatureKey(CueCode(kTemplate[t], a, b), 0));
      }
    }
  }
  for (const auto& [word, kind] : candidates_) {
    const uint64_t w = ner::HashLower(word);
    Candidate* cand = candidate_ids_.Insert(w);
    const std::string_view sv(word);
    const uint64_t suffix = ner::HashLower(sv.size() > 3 ? sv.substr(sv.size() - 3) : sv);
    for (uint64_t ss = 0; ss < 2; ++ss) {
      // The templates of CueFeatures that depend on the word alone (quote state 0).
      cand->word_score[ss] = cue_bias_ + CueWeight(cue_weights_, FeatureKey(CueCode(1), w)) +
                             CueWeight(cue_weights_, FeatureKey(CueCode(11), suffix)) +
                             CueWeight(cue_weights_, FeatureKey(CueCode(12, 0), 0)) +
                             CueWeight(cue_weights_, FeatureKey(CueCode(13, 0), w)) +
                             CueWeight(cue_weights_, FeatureKey(CueCode(16, ss), w));
    }
  }
}

float AttributionFinder::CandidateScore(std::string_view text, const Tokens& tokens,
                                        uint32_t i) const {
  if (!has_cue_model_ || i >= tokens.tokens.size()) return 0;
  const std::string_view w = TokenText(text, tokens.tokens[i]);
  if (w.size() > kMaxWordBytes) return 0;
  const uint64_t h = attribution_internal::HashLowerFast(w);
  const Candidate* cand = candidate_ids_.Find(h);
  return cand == nullptr ? 0 : CandidateScore(text, tokens, i, h, *cand);
}

float AttributionFinder::CandidateScore(std::string_view text, const Tokens& tokens, uint32_t i,
                                        uint64_t h, const Candidate& cand) const {
  using attribution_internal::FeatureKey;
  // Tokens i-2 .. i+2 as in CueFeatures (token i's hash is `h`).
  uint64_t wh[5];
  uint8_t sh[5];
  CueWindow(text, tokens, i, wh, sh);
  wh[2] = h;
  sh[2] = attribution_internal::ShapeCode(tokens.tokens[i]);
  const uint64_t w = wh[2];
  const uint64_t ss = tokens.tokens[i].Has(kSentenceStart) ? 1 : 0;
  // The nine context keys first, each slot asked for at once: the weight table (megabytes) is
  // mostly out of the caches, and the loads then overlap instead of waiting one after another.
  const uint64_t key[9] = {FeatureKey(CueCode(2), wh[1]),    FeatureKey(CueCode(3), wh[3]),
                           FeatureKey(CueCode(4), wh[0]),    FeatureKey(CueCode(5), wh[4]),
                           FeatureKey(CueCode(6), wh[1], w), FeatureKey(CueCode(7), w, wh[3]),
                           FeatureKey(CueCode(9, sh[1]), w), FeatureKey(CueCode(10, sh[3]), w),
                           FeatureKey(CueCode(17), w, wh[4])};
  for (const uint64_t k : key) cue_weights_.Prefetch(k);
  // Summed in the order of CueFeatures' templates, as before (the same float result).
  return cand.word_score[ss] + CueWeight(cue_weights_, key[0]) + CueWeight(cue_weights_, key[1]) +
         CueWeight(cue_weights_, key[2]) + CueWeight(cue_weights_, key[3]) +
         CueWeight(cue_weights_, key[4]) + CueWeight(cue_weights_, key[5]) +
         cue_shape_pairs_[0][sh[1]][sh[3]] + CueWeight(cue_weights_, key[6]) +
         CueWeight(cue_weights_, key[7]) + cue_shape_pairs_[1][sh[0]][sh[1]] +
         cue_shape_pairs_[2][sh[3]][sh[4]] + CueWeight(cue_weights_, key[8]);
}

uint8_t AttributionFinder::CandidateKind(std::string_view lower) const {
  auto it = candidates_.find(ToAbsl(lower));
  // kSureCue is a flag of the table, not a kind.
  return it == candidates_.end() ? static_cast<uint8_t>(kNotCue)
                                 : static_cast<uint8_t>(it->second & ~kSureCue);
}

void AttributionFinder::SpanCueRange(std::string_view text, const Tokens& tokens, uint32_t head,
                                     uint8_t kind, uint32_t* cue_b, uint32_t* cue_e) {
  *cue_b = *cue_e = head;
  if (head + 1 >= tokens.tokens.size()) return;
  const Token& next = tokens.tokens[head + 1];
  if (next.kind != TokenKind::kWord) return;
  const std::string_view word = TokenText(text, next);
  if (kind == kAccording || kind == kPhraseHead ||
      (word.size() <= 4 && InList(word, {"out", "for", "on", "up", "back", "off"}))) {
    *cue_e = head + 1;
  }
}

// ---- Cue tagger -----------------------------------------------------------------------------

void AttributionFinder::PrepareCueTaggerTables(std::string_view text, const Tokens& tokens,
                                               CueTaggerTables* tables) const {
  std::vector<QuoteSpan> quotes;
  PairQuotes(text, tokens, &quotes);
  std::vector<int32_t> quote_of(tokens.tokens.size(), -1);
  for (uint32_t q = 0; q < quotes.size(); ++q) {
    for (uint32_t k = quotes[q].open; k <= quotes[q].close; ++k) {
      quote_of[k] = static_cast<int32_t>(q);
    }
  }
  BuildCueTaggerTables(text, tokens, quote_of, tables);
  std::string lower;
  for (size_t i = 0; i < tokens.tokens.size(); ++i) {
    const Token& t = tokens.tokens[i];
    tables->lex[i] = 0;
    if (t.kind != TokenKind::kWord || t.end - t.begin > kMaxWordBytes) continue;
    lower.clear();
    for (char ch : TokenText(text, t)) {
      lower.push_back((ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch);
    }
    tables->lex[i] = LexiconByte(lower);
  }
}

void AttributionFinder::TagCues(std::string_view text, const Tokens& tokens, bool gate,
                                AttributionScratch* s) const {
  const CueTaggerModel& model = *cue_tagger_;
  const uint32_t n = static_cast<uint32_t>(tokens.tokens.size());
  CueTaggerTables& t = s->tagger_tables;
  BuildCueTaggerTables(text, tokens, s->quote_of, &t, /*with_lower=*/false);
  // Room for every token's word without growing, so the entries stay where they are.
  size_t cap = 16;
  while (cap < 2 * static_cast<size_t>(n) + 2) cap <<= 1;
  s->word_cache.ResetSlots(cap);
  s->word_entry.assign(n, nullptr);
  // Pass 1: the lexicon byte of every word, looked up once per distinct word of the article.
  char buf[kMaxWordBytes];
  for (uint32_t i = 0; i < n; ++i) {
    const Token& tok = tokens.tokens[i];
    t.lex[i] = 0;
    if (tok.kind != TokenKind::kWord) continue;
    std::string_view w = TokenText(text, tok);
    if (w.size() > kMaxWordBytes) continue;
    const uint64_t key = ner::HashBytes(w);
    AttributionScratch::WordEntry* e = s->word_cache.FindMutable(key);
    if (e == nullptr) {
      e = s->word_cache.Insert(key);
      for (size_t k = 0; k < w.size(); ++k) {
        const char ch = w[k];
        buf[k] = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
      }
      const std::string_view lower(buf, w.size());
      e->lex = LexiconByte(lower);
    }
    t.lex[i] = e->lex;
    s->word_entry[i] = e;
  }
  // Pass 2: greedy decoding, left to right.
  const CueTaggerInput in = t.Input(text, tokens);
  s->tag_label.assign(n, kCueO);
  uint64_t feats[kMaxCueContextFeatures + kMaxCueWordFeatures];
  AttributionScratch::WordEntry long_word;  // words over kMaxWordBytes are not cached
  int prev = kCueO;
  for (uint32_t i = 0; i < n; ++i) {
    if (!CueTaggable(in, i)) {
      prev = kCueO;
      continue;
    }
    const std::string_view w = TokenText(text, tokens.tokens[i]);
    AttributionScratch::WordEntry* e = s->word_entry[i];
    if (e == nullptr) {
      long_word = {};
      e = &long_word;
    }
    if (!e->scored) {
      const int m = CueWordFeatures(in, i, model.flags, feats);
      for (int k = 0; k < m; ++k) model.Add(feats[k], e->word);
      const uint64_t lower =
          CueLowerHash(w.size() > kMaxWordBytes ? w.substr(0, kMaxWordBytes) : w);
      for (int p = 0; p < kCueLabels; ++p) {
        model.Add(CuePrevFeature(p), e->prev[p]);
        model.Add(CuePrevWordFeature(p, lower), e->prev[p]);
      }
      e->scored = true;
    }
    float sc[kCueLabels];
    for (int l = 0; l < kCueLabels; ++l) sc[l] = e->word[l] + e->prev[prev][l];
    if (gate && prev == kCueO && sc[kCueB] - sc[kCueO] + model.context_bound < 0) {
      prev = kCueO;
      continue;
    }
    const int m = CueContextFeatures(in, i, model.flags, feats);
    for (int k = 0; k < m; ++k) model.Add(feats[k], sc);
    int best = kCueO;
    for (int l = 1; l < kCueLabels; ++l) {
      if (CueLabelAllowed(prev, l) && sc[l] > sc[best]) best = l;
    }
    s->tag_label[i] = static_cast<uint8_t>(best);
    prev = best;
  }
}

// ---- Finder ----------------------------------------------------------------------------------

namespace {

// TokenText for a token outside the text or with begin > end (substr's check and clamping).
__attribute__((noinline, cold)) std::string_view ClampedTokenText(std::string_view text,
                                                                  const Token& t) {
  return TokenText(text, t);
}

// The first index j >= i with kinds[j] != 0 (CueKind kNotCue is 0), or n: eight kinds a step,
// since most tokens are no cue.
inline uint32_t NextCue(const uint8_t* kinds, uint32_t i, uint32_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, kinds + i, 8);
    if (w != 0) return i + static_cast<uint32_t>(__builtin_ctzll(w) >> 3);
  }
#endif
  while (i < n && kinds[i] == 0) ++i;
  return i;
}

// AttributionScratch::word_id of a token not looked up yet (ids are below
// FixedWords::kMaxWords).
constexpr uint16_t kUnknownWord = 0xFFFF;
static_assert(FixedWords::kMaxWords <= kUnknownWord, "word ids fit below kUnknownWord");

// Everything one Find call works on.
struct Ctx {
  std::string_view text;
  const Tokens* tk;
  AttributionScratch* s;
  std::vector<Attribution>* out;
  uint32_t n;
  const FixedWords* words;

  // TokenText(text, token i): the usual case (a token inside the text) inline, without substr's
  // range check; the finder takes millions of token texts a megabyte.
  __attribute__((always_inline)) std::string_view T(uint32_t i) const {
    const Token& t = tk->tokens[i];
    if (__builtin_expect(t.begin <= t.end && t.end <= text.size(), 1)) {
      return std::string_view(text.data() + t.begin, t.end - t.begin);
    }
    return ClampedTokenText(text, t);
  }
  const Token& K(uint32_t i) const { return tk->tokens[i]; }
  // The FixedWords id of token i, found on its first use in this article (s->word_id holds
  // kUnknownWord until then): most tokens are never asked, those near a cue several times.
  __attribute__((always_inline)) uint32_t W(uint32_t i) const {
    const uint16_t id = s->word_id[i];
    return id != kUnknownWord ? id : LookUpWord(i);
  }
  __attribute__((noinline)) uint32_t LookUpWord(uint32_t i) const {
    const Token& t = tk->tokens[i];
    const uint32_t id =
        __builtin_expect(t.begin <= t.end && t.end <= text.size(), 1)
            ? words->IdAt(text.data() + t.begin, t.end - t.begin, text.data() + text.size())
            : words->IdOf(ClampedTokenText(text, t));
    s->word_id[i] = static_cast<uint16_t>(id);
    return id;
  }
  // True when token i is a word of the list `l` (ASCII case ignored).
  __attribute__((always_inline)) bool Is(WordList l, uint32_t i) const {
    return (*words)[l].Has(W(i));
  }
  TokenRange Sentence(uint32_t i) const { return tk->sentences[s->sentence_of[i]]; }
  bool IsComma(uint32_t i) const { return T(i) == ","; }
  // A comma, or a dash with space before it ("Kall -- co-editor of the book -- said").
  bool IsAppositionMark(uint32_t i) const {
    return IsComma(i) || (K(i).kind == TokenKind::kDash && K(i).Has(kSpaceBefore));
  }
  bool IsEndPunct(uint32_t i) const {
    std::string_view t = T(i);
    return t == "." || t == "!" || t == "?";
  }
  bool IsQuoteMark(uint32_t i) const {
    return K(i).kind == TokenKind::kQuote && RoleOf(T(i)) != kNoQuote;
  }
  // The quote (index) closed by the mark at `i`, or -1.
  int32_t ClosedAt(uint32_t i) const {
    const int32_t q = s->quote_of[i];
    return q >= 0 && s->quotes[q].close == i && s->quotes[q].closed ? q : -1;
  }
  int32_t OpenedAt(uint32_t i) const {
    const int32_t q = s->quote_of[i];
    return q >= 0 && s->quotes[q].open == i ? q : -1;
  }
  Span SpanOf(uint32_t b, uint32_t e) const {  // tokens [b, e] inclusive
    return Span{K(b).begin, K(e).end};
  }
};

// A lower-case adverb in -ly ("cynically said"); a few nouns in -ly are not.
bool IsLyAdverb(const Ctx& c, uint32_t i) {
  const std::string_view t = c.T(i);
  return t.size() > 4 && t.substr(t.size() - 2) == "ly" && t[0] >= 'a' && t[0] <= 'z' &&
         !c.Is(kLyNoun, i);
}

// Scans a source noun phrase backwards from token `last` (inclusive) down to `limit`. Returns
// the first token of the phrase, or -1 when there is none.
int64_t SourceBackward(const Ctx& c, int64_t last, uint32_t limit) {
  if (last < static_cast<int64_t>(limit)) return -1;
  // "Rep. Jason Chaffetz (R-Utah) said": the parenthesis stays in the phrase (the caller's end).
  if (c.T(last) == ")") {
    int64_t k = last - 1;
    while (k > static_cast<int64_t>(limit) && last - k < kMaxParenthesis && c.T(k) != "(" &&
           c.T(k) != ")") {
      --k;
    }
    if (k <= static_cast<int64_t>(limit) || c.T(k) != "(") return -1;
    last = k - 1;
  }
  if (c.K(last).kind != TokenKind::kWord && c.K(last).kind != TokenKind::kNumber) return -1;
  if (c.Is(kPersonalPronoun, last)) return last;
  // "percent", "officials" are fine; a bare determiner or a function word is not a speaker.
  if (c.Is(kSourceStop, last) || c.Is(kDeterminer, last) || c.s->cue_kind[last] != 0) return -1;
  int64_t first = last;
  for (int64_t j = last - 1; j >= static_cast<int64_t>(limit) && last - j < kMaxSourceTokens; --j) {
    const Token& t = c.K(j);
    const std::string_view w = c.T(j);
    if (t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber) {
      if (c.s->quote_of[j] >= 0) break;
      if (c.Is(kWordAnd, j) || c.Is(kWordAmpersand, j)) {
        // "Smith and Jones said": only between capitalised names.
        if (j > static_cast<int64_t>(limit) && IsCapitalised(c.K(j - 1)) &&
            IsCapitalised(c.K(j + 1))) {
          first = j;
          continue;
        }
        // "Sanders and his aides said", "Federal and state officials said": a phrase from the
        // sentence start, without a verb-like word, joined by "and".
        if (j > static_cast<int64_t>(limit) && j - static_cast<int64_t>(limit) <= 6 &&
            c.K(limit).Has(kSentenceStart) &&
            SourceBackward(c, j - 1, limit) == static_cast<int64_t>(limit)) {
          bool plain = true;
          for (int64_t k = limit; k < j && plain; ++k) {
            const std::string_view v = c.T(static_cast<uint32_t>(k));
            plain = c.K(k).kind == TokenKind::kWord &&
                    !(c.K(k).shape == TokenShape::kLower && v.size() > 3 &&
                      (v.substr(v.size() - 2) == "ed" || v.substr(v.size() - 3) == "ing"));
          }
          if (plain) {
            first = limit;
            break;
          }
        }
        // "Reporters and editors said", "he and Brafman", "..., Sanders and his aides said": a
        // short plain phrase (no -ed/-ing word) before "and" that starts a sentence or follows a
        // comma, a closing quote or a colon. The inner phrase is read within kMaxAndPhrase
        // tokens, so that the recursion stays bounded.
        if (j > static_cast<int64_t>(limit)) {
          const int64_t inner_limit = std::max<int64_t>(limit, j - 1 - kMaxAndPhrase);
          const int64_t b = SourceBackward(c, j - 1, static_cast<uint32_t>(inner_limit));
          bool plain =
              b >= 0 && (c.K(b).Has(kSentenceStart) ||
                         (b > static_cast<int64_t>(limit) &&
                          (c.IsComma(b - 1) || c.ClosedAt(b - 1) >= 0 || c.T(b - 1) == ":")));
          for (int64_t k = b; plain && k < j; ++k) {
            const std::string_view v = c.T(static_cast<uint32_t>(k));
            plain = (c.K(k).kind == TokenKind::kWord || c.K(k).kind == TokenKind::kNumber) &&
                    !(c.K(k).shape == TokenShape::kLower && v.size() > 3 &&
                      (v.substr(v.size() - 2) == "ed" || v.substr(v.size() - 3) == "ing"));
          }
          if (plain) {
            first = b;
            break;
          }
        }
        break;
      }
      // "About 4 in 10 voters", "about half of them": an approximate number stays in.
      if (c.Is(kWordAbout, j) && j + 1 <= last &&
          (c.K(j + 1).kind == TokenKind::kNumber || c.Is(kNumberWord, j + 1))) {
        first = j;
        break;
      }
      // "More than 4 in 10 voters": a comparative before a number stays in, as "about".
      if (c.Is(kWordThan, j) && j + 1 <= last && j > static_cast<int64_t>(limit) &&
          (c.K(j + 1).kind == TokenKind::kNumber || c.Is(kNumberWord, j + 1)) &&
          c.Is(kComparative, j - 1)) {
        first = j - 1;
        --j;
        continue;
      }
      // "A panel of reporters led by the editor said", "a poll conducted by Gallup found": a
      // participle and its agent after a noun stay in the phrase.
      if (c.Is(kWordBy, j) && j > static_cast<int64_t>(limit) + 1 && j + 1 <= last) {
        const std::string_view v = c.T(j - 1);
        if (c.K(j - 1).shape == TokenShape::kLower && v.size() >= 3 &&
            v.substr(v.size() - 2) == "ed" && c.K(j - 2).kind == TokenKind::kWord &&
            !c.Is(kSourceStop, j - 2) && !c.Is(kPreposition, j - 2) && c.s->cue_kind[j - 1] == 0) {
          first = j - 1;
          --j;
          continue;
        }
      }
      // "Aides to the mayor said", "officials with the committee said", "a report by the
      // institute found": "to" / "with" / "by" after a noun (no verb-like word, no cue) and before
      // a name or a determiner stays in the phrase.
      if (c.Is(kToWithBy, j) && j > static_cast<int64_t>(limit) && j + 1 <= last &&
          (IsCapitalised(c.K(j + 1)) || c.Is(kDeterminer, j + 1))) {
        const std::string_view v = c.T(j - 1);
        if (c.K(j - 1).kind == TokenKind::kWord && !c.Is(kSourceStop, j - 1) &&
            !c.Is(kPreposition, j - 1) && c.s->cue_kind[j - 1] == 0 &&
            !(v.size() > 3 &&
              (v.substr(v.size() - 2) == "ed" || v.substr(v.size() - 3) == "ing"))) {
          first = j;
          continue;
        }
      }
      if (c.Is(kSourceStop, j) || c.Is(kPersonalPronoun, j) || c.s->cue_kind[j] == 1) break;
      if (c.Is(kOccasionNoun, j) && IsCapitalised(c.K(j + 1))) break;
      if (c.Is(kSourceEndPrep, j)) break;
      // "Six in 10 voters said": a proportion's "in" stays in the phrase.
      if (c.Is(kWordIn, j) && c.K(j + 1).kind == TokenKind::kNumber &&
          j > static_cast<int64_t>(limit) &&
          (c.K(j - 1).kind == TokenKind::kNumber || c.Is(kNumberWord, j - 1))) {
        first = j;
        continue;
      }
      // "Stumpf in an interview said", "Ortiz in recent weeks has said": an occasion or a time
      // ends the phrase; "An earlier report in a local paper said" keeps its "in".
      if (c.Is(kWordIn, j) && !IsCapitalised(c.K(j + 1))) {
        bool occasion = false;
        for (int64_t k = j + 1; k <= last && !occasion; ++k) {
          occasion = c.Is(kOccasionNoun, k) || c.Is(kTimeWord, k);
        }
        if (occasion) break;
      }
      if (c.Is(kSourceInnerPrep, j)) {
        // A preposition belongs to the phrase only when a noun precedes it ("officials in").
        if (j == static_cast<int64_t>(limit)) break;
        const Token& p = c.K(j - 1);
        if (p.kind != TokenKind::kWord || c.Is(kSourceStop, j - 1) || c.Is(kPreposition, j - 1))
          break;
      }
      first = j;
      continue;
    }
    if (t.kind == TokenKind::kPunct && (w == "&" || w == ".")) {
      if (w == ".") break;
      first = j;
      continue;
    }
    if (t.kind == TokenKind::kDash && !t.Has(kSpaceBefore)) {  // "Wall Street-based"
      first = j;
      continue;
    }
    if (w == ")") {  // "Rep. Jason Chaffetz (R-Utah) said"
      int64_t k = j - 1;
      while (k > static_cast<int64_t>(limit) && j - k < kMaxParenthesis && c.T(k) != "(" &&
             c.T(k) != ")") {
        --k;
      }
      if (k >= static_cast<int64_t>(limit) && c.T(k) == "(" && k > static_cast<int64_t>(limit)) {
        first = k;
        j = k;
        continue;
      }
    }
    break;
  }
  // A phrase must not start with a preposition or conjunction.
  while (first < last && (c.Is(kPreposition, first) || c.Is(kWordAnd, first)) &&
         !(c.Is(kWordAbout, first) &&
           (c.K(first + 1).kind == TokenKind::kNumber || c.Is(kNumberWord, first + 1))) &&
         // "Early results of the poll", "This reporter": not before a time word ("This week").
         !(c.Is(kEarlyLate, first) && !c.Is(kTimeWord, first + 1))) {
    ++first;
  }
  return first;
}

// Scans a source noun phrase forwards from `first` up to `limit` (exclusive). Returns the last
// token, or -1.
int64_t SourceForward(const Ctx& c, uint32_t first, uint32_t limit) {
  if (first >= limit) return -1;
  const Token& t0 = c.K(first);
  if (t0.kind != TokenKind::kWord && t0.kind != TokenKind::kNumber) return -1;
  if (c.Is(kPersonalPronoun, first)) return first;
  if (c.Is(kSourceStop, first) && !c.Is(kWordThat, first)) return -1;
  // "said on Friday", "said in a statement", "said of the plan", "said last week": no speaker.
  if (t0.shape == TokenShape::kLower &&
      (c.Is(kSourceStartPrep, first) ||
       (first + 1 < limit && c.Is(kTimeDeterminer, first) && c.Is(kTimeWord, first + 1)))) {
    return -1;
  }
  int64_t last = -1;
  for (uint32_t j = first; j < limit && j - first < kMaxSourceTokens; ++j) {
    const Token& t = c.K(j);
    const std::string_view w = c.T(j);
    if (t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber) {
      // "said a top aide to Mayor Ruiz", "said an analysis by Reuters", "said an article in
      // Politico": in / by / to between a lower-case noun and a name stay in the phrase.
      if (j > first && j + 1 < limit && c.Is(kInByTo, j) && IsCapitalised(c.K(j + 1)) &&
          !c.Is(kTimeWord, j + 1) && c.K(j - 1).kind == TokenKind::kWord &&
          c.K(j - 1).shape == TokenShape::kLower) {
        last = j;
        continue;
      }
      if (j > first && (c.Is(kSourceStop, j) || c.Is(kPersonalPronoun, j))) {
        if (!(c.Is(kWordAnd, j) && j + 1 < limit && IsCapitalised(c.K(j + 1)) &&
              IsCapitalised(c.K(j - 1)))) {
          break;
        }
      }
      if (j > first && c.Is(kForwardTimePrep, j) && j + 1 < limit &&
          (c.Is(kTimeWord, j + 1) || c.Is(kDeterminer, j + 1))) {
        break;
      }
      if (j > first && (c.Is(kForwardStop, j) || c.s->cue_kind[j] != 0 || c.Is(kTimeWord, j))) {
        break;
      }
      last = j;
      continue;
    }
    if (t.kind == TokenKind::kDash && !t.Has(kSpaceBefore)) continue;
    if (w == "(" && last >= 0) {  // "said Rep. Jason Chaffetz (R-Utah)"
      uint32_t k = j + 1;
      while (k < limit && k - j < kMaxParenthesis && c.T(k) != ")" && c.T(k) != "(") ++k;
      if (k < limit && c.T(k) == ")") {
        last = k;
        j = k;
        continue;
      }
    }
    if (w == "&") continue;
    break;
  }
  if (last < 0) return -1;
  // "said a senior official" ... trailing determiners never end a phrase.
  while (last > first && (c.Is(kDeterminer, last) || c.Is(kPreposition, last))) --last;
  return last;
}

// The subject at the start of a sentence, read up to its verb (a cue, a lower-case word in -ed,
// or a common irregular verb), for "The senator walked out, saying ...". An opening phrase of a
// preposition or time word and at most five words before a comma ("On Friday, the senator ...")
// is skipped. Returns the subject's last token and sets `*begin` to its first, or returns -1 when
// the sentence (after that phrase) does not start with a pronoun, a name or a determiner.
int64_t SubjectAt(const Ctx& c, uint32_t sb, uint32_t limit, uint32_t* begin) {
  if (sb >= limit) return -1;
  // "On Thursday, the panel held ...": an opening prepositional or time phrase of at most five
  // words and its comma come before the subject.
  if (c.Is(kPreposition, sb) || c.Is(kTimeWord, sb)) {
    for (uint32_t k = sb + 1; k < limit && k - sb <= 5; ++k) {
      if (c.IsComma(k)) {
        if (k + 1 < limit) sb = k + 1;
        break;
      }
      if (c.K(k).kind != TokenKind::kWord && c.K(k).kind != TokenKind::kNumber) break;
    }
  }
  *begin = sb;
  if (c.Is(kPersonalPronoun, sb)) return sb;
  if (!(IsCapitalised(c.K(sb)) || c.Is(kDeterminer, sb))) return -1;
  for (uint32_t k = sb + 1; k < limit && k - sb < kMaxSourceTokens; ++k) {
    const std::string_view w = c.T(k);
    const bool verb = c.s->cue_kind[k] != 0 ||
                      (c.K(k).shape == TokenShape::kLower &&
                       ((w.size() > 3 && w.substr(w.size() - 2) == "ed") || c.Is(kSubjectVerb, k)));
    if (verb || (c.K(k).shape == TokenShape::kLower && (IsLyAdverb(c, k) || c.Is(kCueAdverb, k)))) {
      return k - 1;
    }
    if (c.K(k).kind != TokenKind::kWord || c.Is(kSourceStop, k)) return -1;
  }
  return -1;
}

// "said Kenneth Baer, a former official who runs a firm." The apposition after a name belongs
// to the source, up to the sentence end or a comma that opens a prepositional or -ing phrase.
int64_t ExtendApposition(const Ctx& c, int64_t src_e, uint32_t se) {
  const uint32_t k0 = static_cast<uint32_t>(src_e) + 1;
  if (k0 + 1 >= se || !c.IsComma(k0)) return src_e;
  auto opens_phrase = [&](uint32_t k) {
    const std::string_view w = c.T(k);
    return c.Is(kPreposition, k) || c.Is(kTimeWord, k) || c.s->cue_kind[k] != 0 ||
           c.IsQuoteMark(k) || (w.size() > 4 && w.substr(w.size() - 3) == "ing") ||
           c.IsEndPunct(k) || c.Is(kSourceAside, k);
  };
  if (opens_phrase(k0 + 1) && !c.Is(kWordOf, k0 + 1)) return src_e;
  int64_t last = src_e;
  for (uint32_t k = k0 + 1; k < se && k - k0 < 3 * kMaxApposition; ++k) {
    if (c.IsEndPunct(k) || c.IsQuoteMark(k) || c.s->cue_kind[k] == 1 || c.T(k) == ";") break;
    if (c.IsComma(k)) {
      if (k + 1 >= se || opens_phrase(k + 1)) break;
      continue;
    }
    last = k;
  }
  // "said Ana Ruiz, who": the relative pronoun alone (its verb is a cue of its own) is not part
  // of the source.
  if (last > src_e && c.Is(kWhoWhich, static_cast<uint32_t>(last)) &&
      c.IsComma(static_cast<uint32_t>(last) - 1)) {
    last -= 2;
  }
  return last;
}

// "said a senior official who oversees the work, asking ...": a relative clause right after an
// inverted source (no comma before "who") belongs to it when it ends the clause (a comma, a
// closing bracket or the sentence end within kMaxApposition tokens, no quote mark or cue
// between). Returns the clause's last token, else `src_e`.
int64_t ExtendRelativeClause(const Ctx& c, int64_t src_e, uint32_t se) {
  const uint32_t k0 = static_cast<uint32_t>(src_e) + 1;
  if (k0 + 1 >= se || !c.Is(kWhoWhose, k0)) return src_e;
  uint32_t k = k0 + 1;
  for (; k < se && k - k0 < kMaxApposition; ++k) {
    if (c.IsComma(k) || c.IsEndPunct(k) || c.T(k) == ";" || c.T(k) == ")") break;
    if (c.IsQuoteMark(k) || c.s->cue_kind[k] != 0) return src_e;
  }
  // Too long (no end within kMaxApposition tokens), or nothing after the pronoun.
  if (k - k0 >= kMaxApposition || k == k0 + 1) return src_e;
  return static_cast<int64_t>(k) - 1;
}

// A speaker label's dash at `i` after a quote mark that did not pair: the quote mark at i - 1
// ends a quote that opened with a mark at the paragraph's first token (of either direction),
// with no other double quote mark between, and at most three capitalised words (and full stops)
// after the dash end the paragraph. Returns the first token of the quote, else -1. Looks at
// most kMaxLabelQuote tokens back and kMaxSourceTokens ahead.
int64_t UnpairedLabelQuote(const Ctx& c, uint32_t i) {
  const uint32_t n = static_cast<uint32_t>(c.tk->tokens.size());
  uint32_t k = i + 1;
  for (; k < n && k - i <= 4; ++k) {
    if (c.K(k).Has(kParagraphStart) || c.K(k).Has(kNewlineBefore)) break;
    if (!(IsCapitalised(c.K(k)) || c.IsEndPunct(k))) return -1;
  }
  if (k < n && !(c.K(k).Has(kParagraphStart) || c.K(k).Has(kNewlineBefore))) return -1;
  // Straight marks pair by position only; an unpaired one is too often a stray mark.
  if (i < 3 || RoleOf(c.T(i - 1)) == kStraight) return -1;
  for (uint32_t j = i - 2; j > 0 && i - j < kMaxLabelQuote; --j) {
    if (c.IsQuoteMark(j)) {
      return (c.K(j).Has(kParagraphStart) || c.K(j).Has(kNewlineBefore)) && j + 1 < i - 1
                 ? static_cast<int64_t>(j)
                 : -1;
    }
    if (c.K(j).Has(kParagraphStart) || c.K(j).Has(kNewlineBefore)) return -1;
  }
  return -1;
}

// The speaker labels: "PENCE: Well, look ..." at a paragraph start (the colon at `i`), and
// "\"...\" \u2015 Jane Doe" after a quote (the dash at `i`). `i` is a punctuation mark or a dash,
// 0 < i < n - 1. Kept out of the token loop that asks it: most tokens are neither.
enum SpeakerLabelMark { kNoLabel, kColonLabel, kDashLabel };
__attribute__((noinline)) SpeakerLabelMark SpeakerLabel(const Ctx& c, uint32_t i) {
  const Token& t = c.K(i);
  if (t.kind == TokenKind::kPunct && c.T(i) == ":" && !c.tk->tokens[i + 1].Has(kParagraphStart) &&
      !c.tk->tokens[i + 1].Has(kNewlineBefore)) {
    uint32_t k = i;
    bool names = true;
    while (k > 0 && i - k < 5) {
      --k;
      const Token& w = c.tk->tokens[k];
      const bool opening_mark = w.kind == TokenKind::kQuote && k + 1 < i &&
                                (w.Has(kParagraphStart) || w.Has(kNewlineBefore));
      if (!(IsCapitalised(w) || opening_mark || (w.kind == TokenKind::kPunct && c.T(k) == "."))) {
        names = false;
        break;
      }
      if (w.Has(kParagraphStart) || w.Has(kNewlineBefore)) break;
    }
    const Token& first = c.tk->tokens[k];
    // Headings are not speakers: "The Latest: ...", "Correction: ...", "Update: ...".
    const uint32_t w0 = first.kind == TokenKind::kQuote ? k + 1 : k;
    if (names && w0 < i && (c.Is(kDeterminer, w0) || c.Is(kHeading, w0))) {
      names = false;
    }
    if (names && (k == 0 || first.Has(kParagraphStart) || first.Has(kNewlineBefore)) &&
        (c.s->quote_of[i] < 0 || c.OpenedAt(k) >= 0)) {
      return kColonLabel;
    }
  } else if (t.kind == TokenKind::kDash && IsCapitalised(c.tk->tokens[i + 1]) &&
             c.IsQuoteMark(i - 1) &&
             (t.Has(kSpaceBefore) || RoleOf(c.T(i - 1)) == kCloser ||
              RoleOf(c.T(i - 1)) == kRightCurly)) {
    // "\"...\" \u2015 Jane Doe", also with no space before the dash ("...\u201d\u2015 Jane
    // Doe"). A quote whose marks did not pair ("\u201d...\u201d \u2015 Jane Doe", a typo for
    // the opening mark) counts when it fills its paragraph up to the dash and the name ends
    // the paragraph: then the content is the paragraph before the dash.
    if (c.ClosedAt(i - 1) >= 0 || (UnpairedLabelQuote(c, i) >= 0)) return kDashLabel;
  }
  return kNoLabel;
}

// True when the tokens from the sentence start `sb` to the apposition mark `l` are a role phrase,
// the mark `k`, and a name: "The state's campaign chairman, Jo Doe," (then they are a source).
bool RoleThenName(const Ctx& c, uint32_t sb, int64_t k, int64_t l) {
  return k > static_cast<int64_t>(sb) && k + 1 < l && IsCapitalised(c.K(k + 1)) &&
         !IsCapitalised(c.K(k - 1)) && !c.Is(kPersonalPronoun, sb) &&
         SourceBackward(c, l - 1, static_cast<uint32_t>(k + 1)) == k + 1 &&
         SourceBackward(c, k - 1, sb) == static_cast<int64_t>(sb);
}

// "Jo Doe, a spokeswoman for the port, said ...": a capitalised name opening the sentence at `sb`,
// then a comma (the first after `sb`, before `l`, at most kMaxSourceTokens on). Returns that
// comma's index, else -1.
int64_t NameThenAppositionAt(const Ctx& c, uint32_t sb, int64_t l) {
  if (!IsCapitalised(c.K(sb))) return -1;
  int64_t k = sb + 1;
  for (; k < l && k - sb < kMaxSourceTokens; ++k) {
    if (c.IsQuoteMark(k) || c.IsEndPunct(k) || IsLyAdverb(c, static_cast<uint32_t>(k))) return -1;
    if (c.IsComma(k)) break;
  }
  if (k + 1 >= l || !c.IsComma(k) || SourceBackward(c, k - 1, sb) != static_cast<int64_t>(sb)) {
    return -1;
  }
  // The appositions up to `l` hold no main clause ("More importantly, this is because ..., said
  // Wang"): no auxiliary or subordinator outside a relative clause, at most 2 * kMaxApposition
  // tokens.
  if (l - k > 2 * kMaxApposition) return -1;
  bool relative = false;
  for (int64_t j = k + 1; j < l; ++j) {
    const uint32_t w = static_cast<uint32_t>(j);
    if (c.Is(kRelativeWord, w)) relative = true;
    if (c.IsComma(j)) relative = false;
    if (!relative && c.Is(kClauseWord, w)) return -1;
  }
  return k;
}

// RoleThenName for the last apposition mark before `l` (at most kMaxSourceTokens back).
bool RoleThenNameBefore(const Ctx& c, uint32_t sb, int64_t l) {
  for (int64_t k = l - 1; k > static_cast<int64_t>(sb) && l - k < kMaxSourceTokens; --k) {
    if (c.IsAppositionMark(k)) return RoleThenName(c, sb, k, l);
  }
  return false;
}

// True when the tokens (b..e] after a trailing cue end the clause: ".", ",", or a prepositional /
// time phrase ("said on Wednesday.", "said in a statement").
bool ClauseEndsAfter(const Ctx& c, uint32_t i, uint32_t sentence_end) {
  if (i >= sentence_end) return true;
  const std::string_view w = c.T(i);
  if (c.IsEndPunct(i) || w == "," || w == ";" || w == ")" || c.ClosedAt(i) >= 0) return true;
  if (c.K(i).kind == TokenKind::kDash) return true;
  if (c.Is(kPreposition, i) || c.Is(kTimeWord, i) || c.Is(kWordTold, i) || c.Is(kWordHere, i) ||
      c.Is(kWordThere, i) || c.Is(kWordRecently, i) || c.Is(kWordAdding, i)) {
    return !c.Is(kWordThat, i);
  }
  return false;
}

// The first token after the addressee of an object-taking cue that starts at `i` ("told me",
// "told reporters", "told USA Today", "told the local audience"), or `i` when there is none.
uint32_t SkipAddressee(const Ctx& c, uint32_t i, uint32_t se) {
  if (i >= se || c.K(i).kind != TokenKind::kWord || c.s->quote_of[i] >= 0) return i;
  if (c.Is(kDeterminer, i) && !c.Is(kWordThat, i)) {
    // "the local audience": up to three words after the determiner.
    uint32_t k = i + 1;
    while (k < se && k - i <= 3 && c.K(k).kind == TokenKind::kWord && !c.Is(kPreposition, k) &&
           !c.Is(kTimeWord, k) && !c.Is(kWordThat, k) && c.s->cue_kind[k] == 0) {
      ++k;
    }
    return k > i + 1 ? k : i;
  }
  if (c.Is(kObjectWord, i)) return i + 1;
  if (IsCapitalised(c.K(i)) && !c.Is(kTimeWord, i) && !c.Is(kPreposition, i)) {
    uint32_t k = i + 1;
    while (k < se && k - i < kMaxObjectSkip && IsCapitalised(c.K(k))) ++k;
    return k;
  }
  return i;
}

// Appends the content spans of a quote chain from quote `q` (its head) up to and including `q_last`
// and token `end` inside q_last.
void AddQuoteChain(const Ctx& c, int32_t head, uint32_t begin_tok, uint32_t end_tok,
                   std::vector<Span>* content) {
  int32_t q = head;
  uint32_t b = begin_tok;
  for (int guard = 0; q >= 0 && guard < 64; ++guard) {
    const QuoteSpan& qs = c.s->quotes[q];
    if (end_tok <= qs.close) {
      content->push_back(c.SpanOf(b, end_tok));
      return;
    }
    content->push_back(c.SpanOf(b, qs.close));
    q = qs.next;
    if (q >= 0) b = c.s->quotes[q].open;
  }
}

// The head of the chain of quote `q`.
int32_t ChainHead(const Ctx& c, int32_t q) {
  for (int guard = 0; guard < 64 && c.s->quotes[q].prev >= 0; ++guard) q = c.s->quotes[q].prev;
  return q;
}

// Content that ends at token `end` (inclusive), starting at the sentence start `sb` or earlier when
// a quote that ends here opened before the sentence.
void ContentBefore(const Ctx& c, uint32_t sb, uint32_t end, std::vector<Span>* content) {
  if (end < sb) return;
  // The article's first sentence may start with its dateline ("MOSCOW, Feb. 23 -- ..."): the
  // content starts after the dateline's dash.
  if (c.tk->paragraphs.size() < 3 || sb < c.tk->paragraphs[2].end) {
    for (uint32_t k = sb; k < end && k - sb < kMaxDatelineTokens; ++k) {
      if (c.K(k).kind == TokenKind::kDash && c.K(k).Has(kSpaceBefore)) {
        if (k > sb) sb = k + 1;
        break;
      }
      if (c.s->cue_kind[k] != 0 || c.s->quote_of[k] >= 0) break;
      if (c.K(k).shape == TokenShape::kLower && !(c.s->sentence_of[sb] == 0)) break;
    }
  }
  // A sentence-initial conjunction is not part of what was said ("And prices rose, he said").
  if (sb < end && c.Is(kLeadConjunction, sb)) ++sb;
  const int32_t q = c.ClosedAt(end);
  if (q >= 0 && c.s->quotes[q].open <= sb) {
    const int32_t head = ChainHead(c, q);
    AddQuoteChain(c, head, c.s->quotes[head].open, end, content);
    return;
  }
  content->push_back(c.SpanOf(sb, end));
}

// AttributionScratch::next_break of a token not asked yet.
constexpr uint32_t kUnknownBreak = UINT32_MAX;

// True when token i (outside quotes) ends the clause of the content before it: a comma before
// "but", "though", "who", ... or a semicolon, ", and" before a new predicate, "and" / "but"
// before a verb or a pronoun, a word after a quote closed after its own comma. `se` is the end
// of i's sentence.
bool BreaksClause(const Ctx& c, uint32_t i, uint32_t se) {
  const AttributionScratch* s = c.s;
  // Words inside a quote never break a clause.
  if (s->quote_of[i] >= 0) return false;
  const std::string_view w = c.T(i);
  // Every break but the last test below is at a token of 1 byte (";", ",") or 3 ("and", "but"):
  // tested first without branching (length and first byte), one branch for most tokens.
  const unsigned char b0 = w.empty() ? 0 : static_cast<unsigned char>(w[0]);
  const unsigned char l0 = b0 | 0x20;
  // Unsigned operands: the bitwise operators are meant (no short-circuit branches).
  const unsigned len1 = w.size() == 1, len3 = w.size() == 3;
  const unsigned punct = static_cast<unsigned>(b0 == ';') | static_cast<unsigned>(b0 == ',');
  const unsigned conj = static_cast<unsigned>(l0 == 'a') | static_cast<unsigned>(l0 == 'b');
  const bool may_break = ((len1 & punct) | (len3 & conj)) != 0;
  bool brk = false;
  if (!may_break) {
    // Nothing to test but the last test below.
  } else if (w.size() == 1) {
    if (w[0] == ';') {
      brk = true;
    } else if (w[0] == ',' && i + 1 < se && s->quote_of[i + 1] < 0) {
      brk = c.Is(kClauseOpener, i + 1) ||
            (c.K(i + 1).shape == TokenShape::kLower && c.T(i + 1).size() > 5 &&
             c.T(i + 1).substr(c.T(i + 1).size() - 3) == "ing" && !c.Is(kWordIncluding, i + 1));
      // ", and plans to ...", ", and he ...": a new predicate or clause after the reported one.
      if (!brk && c.Is(kWordAnd, i + 1) && i + 2 < se) {
        brk =
            s->cue_kind[i + 2] != 0 || c.Is(kPersonalPronoun, i + 2) || c.Is(kAndClauseWord, i + 2);
        // ", and rights groups warned that ...": a short subject, then a cue verb.
        for (uint32_t k = i + 3; !brk && k < se && k < i + 7; ++k) {
          if (c.K(k).kind != TokenKind::kWord || s->quote_of[k] >= 0) break;
          brk = s->cue_kind[k] == AttributionFinder::kVerb && c.K(k).shape == TokenShape::kLower;
        }
      }
    }
  } else if (w.size() == 3) {
    if (c.Is(kWordAnd, i)) {
      brk = i + 1 < se &&
            s->cue_kind[i + 1] == AttributionFinder::kVerb;  // "..., and says he will ..."
    } else if (c.Is(kWordBut, i) && i + 1 < se) {
      brk = c.Is(kButClauseWord, i + 1);
    }
  }
  // "... is \"true,\" but ...": the comma sits inside the quote; the clause ends here.
  // (Tested for a token after a quoted one only: most tokens are not.)
  if (!brk && i >= 2 && s->quote_of[i - 1] >= 0 && c.K(i).kind == TokenKind::kWord && !w.empty() &&
      c.ClosedAt(i - 1) >= 0 && c.T(i - 2) == "," && !c.Is(kAndOr, i)) {
    brk = true;
  }
  return brk;
}

// The first clause break at or after `begin` in its sentence (BreaksClause), or the sentence's
// end. Every token scanned keeps the answer in s->next_break, and a scan stops at a token that
// has one: each token is tested at most once per article however many contents start before it
// (linear in the text).
uint32_t NextBreak(const Ctx& c, uint32_t begin) {
  uint32_t* const next = c.s->next_break.data();
  const uint32_t se = std::min(c.Sentence(begin).end, c.n);
  uint32_t j = begin;
  uint32_t result = se;
  for (; j < se; ++j) {
    if (next[j] != kUnknownBreak) {
      result = next[j];
      break;
    }
    if (BreaksClause(c, j, se)) {
      next[j] = j;
      result = j;
      break;
    }
  }
  for (uint32_t k = begin; k < j; ++k) next[k] = result;
  return result;
}

// Content that starts at token `begin` and runs to the end of its sentence, or further when a
// quote that opens inside it closes later (a quote of several sentences or paragraphs).
void ContentAfter(const Ctx& c, uint32_t begin, uint32_t se, std::vector<Span>* content) {
  if (begin >= se) return;
  // "talked about X", "warned against X": the particle is not part of the content.
  if (begin + 1 < se && c.Is(kContentParticle, begin)) ++begin;
  // "announced Friday the arrest of ...": a day name right after the cue is not content.
  if (begin + 2 < se && c.s->quote_of[begin] < 0 && c.Is(kDayWord, begin)) {
    ++begin;
  }
  // A clause that only hangs off the reported one ("..., but ...", "..., who ...") ends it.
  uint32_t end = std::min(se, NextBreak(c, begin));
  if (end <= begin) return;
  --end;
  // A credit after the last sentence: "... means. (Xinhua)".
  if (c.T(end) == ")" && end > begin + 3) {
    uint32_t k = end - 1;
    while (k > begin + 1 && end - k < 5 && c.T(k) != "(") --k;
    if (c.T(k) == "(" && c.IsEndPunct(k - 1)) end = k - 1;
  }
  // "..., he did not say which": a comma (outside quotes) before a subject pronoun, "compared"
  // or "however" opens a clause of its own; the content ends before it.
  // Tested on the token's first byte first: most tokens are no comma.
  const Token* const toks = c.tk->tokens.data();
  const uint32_t scan_end = std::min(end, begin + kMaxClauseScan);
  for (uint32_t k = begin + 1; k + 1 < scan_end; ++k) {
    const uint32_t b = toks[k].begin;
    if (toks[k].end != b + 1 || b >= c.text.size() || c.text[b] != ',') continue;
    if (c.s->quote_of[k] < 0 && c.Is(kNewClauseAfterComma, k + 1)) {
      end = k - 1;
      break;
    }
  }
  while (end > begin && (c.IsEndPunct(end) || c.T(end) == ";" || c.T(end) == ":")) --end;
  const int32_t q = c.s->quote_of[end];
  if (q >= 0 && c.s->quotes[q].close > end && c.s->quotes[q].open >= begin) {
    // Runs on past the sentence: to the quote's close, across its paragraphs.
    content->push_back(c.SpanOf(begin, c.s->quotes[q].close));
    int32_t nq = c.s->quotes[q].next;
    for (int guard = 0; nq >= 0 && guard < 64; ++guard) {
      content->push_back(c.SpanOf(c.s->quotes[nq].open, c.s->quotes[nq].close));
      nq = c.s->quotes[nq].next;
    }
    return;
  }
  content->push_back(c.SpanOf(begin, end));
}

// "Judge," X said, "I have never ...": the quote that reopens right after the cue's comma is the
// rest of the content (with the paragraphs it runs over).
void AddReopenedQuote(const Ctx& c, uint32_t k, std::vector<Span>* content) {
  if (k + 1 >= c.n || !c.IsComma(k)) return;
  int32_t q = c.OpenedAt(k + 1);
  if (q < 0 || c.s->quotes[q].prev >= 0) return;
  for (int guard = 0; q >= 0 && guard < 64; ++guard) {
    content->push_back(c.SpanOf(c.s->quotes[q].open, c.s->quotes[q].close));
    q = c.s->quotes[q].next;
  }
}

// "\"A,\" he said. \"B.\"": PolNeAR's content runs on into a quote that opens the next sentence
// of the same paragraph (in 1,110 of 1,162 such cases in PolNeAR train), unless a cue of its own
// follows that quote in its sentence ("\"B,\" he added."). `last` is the attribution's last
// token; the quote must start right after the full stop that follows it.
void AddFollowingQuote(const Ctx& c, uint32_t last, std::vector<Span>* content) {
  const uint32_t k = last + 2;
  if (k >= c.n || !c.IsEndPunct(last + 1)) return;
  if (c.K(k).Has(kParagraphStart) || c.K(k).Has(kNewlineBefore)) return;
  int32_t q = c.OpenedAt(k);
  if (q < 0 || !c.s->quotes[q].closed || c.s->quotes[q].prev >= 0) return;
  int32_t end_q = q;
  for (int guard = 0; c.s->quotes[end_q].next >= 0 && guard < 64; ++guard) {
    end_q = c.s->quotes[end_q].next;
  }
  const uint32_t close = c.s->quotes[end_q].close;
  const uint32_t se = std::min(c.Sentence(close).end, c.n);
  for (uint32_t j = close + 1; j < se; ++j) {
    if (c.s->cue_kind[j] != 0 && c.s->quote_of[j] < 0) return;
  }
  for (int guard = 0; q >= 0 && guard < 64; ++guard) {
    content->push_back(c.SpanOf(c.s->quotes[q].open, c.s->quotes[q].close));
    q = c.s->quotes[q].next;
  }
}

using Found = AttributionFound;

}  // namespace

void RecycleAttributions(std::vector<Attribution>* atts, AttributionScratch* scratch) {
  for (Attribution& a : *atts) {
    if (a.content.capacity() == 0 || scratch->spare_contents.size() >= kMaxSpareContents) continue;
    a.content.clear();
    scratch->spare_contents.push_back(std::move(a.content));
  }
  atts->clear();
}

void AttributionFinder::Find(std::string_view text, const Tokens& tokens,
                             const std::vector<Entity>& entities, AttributionScratch* s,
                             std::vector<Attribution>* out) const {
  RecycleAttributions(out, s);
  const uint32_t n = static_cast<uint32_t>(tokens.tokens.size());
  if (n == 0) return;
  Ctx c{text, &tokens, s, out, n, &Words()};

  // Per-token tables.
  s->sentence_of.resize(n);
  for (uint32_t si = 0; si < tokens.sentences.size(); ++si) {
    const TokenRange r = tokens.sentences[si];
    if (r.begin < std::min(r.end, n)) {
      std::fill(s->sentence_of.begin() + r.begin, s->sentence_of.begin() + std::min(r.end, n), si);
    }
  }
  PairQuotes(text, tokens, &s->quotes);
  s->quote_of.assign(n, -1);
  for (uint32_t q = 0; q < s->quotes.size(); ++q) {
    for (uint32_t i = s->quotes[q].open; i <= s->quotes[q].close; ++i) {
      s->quote_of[i] = static_cast<int32_t>(q);
    }
  }
  s->used.assign(n, 0);
  s->cue_kind.assign(n, 0);
  s->word_id.assign(n, kUnknownWord);
  // Weak cues (for the span model only) exist only below a lower span_cue_threshold.
  const bool weak_cues =
      span_use_ == SpanModelUse::kFallback && span_cue_threshold_ < cue_threshold_;
  if (weak_cues) s->weak_cue_kind.assign(n, 0);
  const bool tagger = cue_tagger_ != nullptr && cue_source_ != CueSource::kRules;
  // The tagged spans (tag_b / tag_e) exist only with the tagger; nothing reads them without it.
  if (tagger) {
    s->tag_b.assign(n, -1);
    s->tag_e.assign(n, -1);
    TagCues(text, tokens, /*gate=*/true, s);
    // Each tagged span becomes a cue anchored at its head word, which the rules below start from:
    // the lexicon word of the span with the highest cue ratio ("has said" -> "said"), else its
    // first word that is not an auxiliary, adverb, preposition or determiner ("wants").
    for (uint32_t b = 0; b < n; ++b) {
      if (s->tag_label[b] != kCueB) continue;
      uint32_t e = b;
      while (e + 1 < n && s->tag_label[e + 1] == kCueI) ++e;
      int64_t head = -1;
      int best = 0;
      for (uint32_t k = b; k <= e; ++k) {
        const uint8_t lex = s->tagger_tables.lex[k];
        if (lex == 0 || c.Is(kCueAdverb, k) || c.Is(kPreposition, k) || c.Is(kDeterminer, k))
          continue;
        const int r = (lex & 0x0F) + ((lex & 0x40) != 0 ? 16 : 0);
        if (r > best) {
          best = r;
          head = k;
        }
      }
      for (uint32_t k = b; head < 0 && k <= e; ++k) {
        if (!c.Is(kCueAdverb, k) && !c.Is(kPreposition, k) && !c.Is(kDeterminer, k) &&
            !c.Is(kProgressiveAux, k)) {
          head = k;
        }
      }
      if (head < 0) head = b;
      const std::string_view hw = c.T(static_cast<uint32_t>(head));
      uint8_t kind = kVerb;
      if (c.Is(kWordAccording, static_cast<uint32_t>(head))) {
        kind = kAccording;
      } else if (hw.size() > 4 && EqLower(hw.substr(hw.size() - 3), "ing")) {
        kind = kParticiple;
      }
      s->cue_kind[head] = kind;
      s->tag_b[head] = static_cast<int32_t>(b);
      s->tag_e[head] = static_cast<int32_t>(e);
      b = e;
    }
  }
  // One pass over the tokens: the rule cues (words), the speaker labels (":" and dashes) and the
  // quote marks (for the attributions' kinds, at the end).
  // The rule cues: always without the tagger, and with it only for kTaggerAndRules.
  const bool rule_cues = !tagger || cue_source_ == CueSource::kTaggerAndRules;
  s->quote_marks.clear();
  for (uint32_t i = 0; i < n; ++i) {
    const Token& t = tokens.tokens[i];
    const std::string_view word = c.T(i);
    // The tests that let most tokens go are combined without branching (bitwise, not
    // short-circuit), so that a token costs one unpredictable branch rather than one a test.
    // The non-words read here: quote marks, ":" and dashes.
    const unsigned char first = word.empty() ? 0 : static_cast<unsigned char>(word[0]);
    const bool special = (t.kind == TokenKind::kQuote) | (t.kind == TokenKind::kDash) |
                         ((t.kind == TokenKind::kPunct) & (word.size() == 1) & (first == ':'));
    if (special) {
      if (t.kind == TokenKind::kQuote) {
        if (RoleOf(word) != kNoQuote) s->quote_marks.push_back(i);
      } else if (i > 0 && i + 1 < n) {
        const SpeakerLabelMark label = SpeakerLabel(c, i);
        if (label != kNoLabel) s->cue_kind[i] = label == kColonLabel ? kLabelColon : kLabelDash;
      }
      continue;
    }
    // A word of 3 to kMaxWordBytes bytes, not all capitals, outside quotes (words inside a quote
    // are never cues: the quote is content), and with a candidate's shape (most words are no
    // candidate: the shape filter answers most of them without hashing the word, the hash's
    // Bloom filter most others without reading the table).
    const uint32_t len = t.end - t.begin;
    bool maybe = (t.kind == TokenKind::kWord) & (t.shape != TokenShape::kAllCaps) &
                 (s->quote_of[i] < 0) & (len - 3 <= kMaxWordBytes - 3);
    if (has_cue_model_) maybe &= MayBeCandidateWord(word);
    if (!maybe) continue;
    if (tagger && (!rule_cues || s->tag_label[i] != kCueO)) continue;
    if (has_cue_model_) {
      const uint64_t h = attribution_internal::HashLowerFast(word);
      if (!MayBeCandidate(h)) continue;
      const Candidate* cand = candidate_ids_.Find(h);
      if (cand == nullptr) continue;
      const uint8_t kind = cand->kind;
      if ((kind & kSureCue) != 0) {
        s->cue_kind[i] = kind & ~kSureCue;
        continue;
      }
      const float score = CandidateScore(text, tokens, i, h, *cand);  // token i is outside quotes
      if (score > cue_threshold_) {
        s->cue_kind[i] = kind;
      } else if (weak_cues && score > span_cue_threshold_) {
        s->weak_cue_kind[i] = kind;  // for the span model only
      }
      continue;
    }
    if (const uint8_t* kind = word_ids_.Find(attribution_internal::HashLowerFast(word)))
      s->cue_kind[i] = *kind;
  }

  // Clause breaks (NextBreak): found when a content asks for them, each token tested at most
  // once per article.
  s->next_break.assign(n, kUnknownBreak);
  s->mention_entity.assign(n, -1);
  for (const Entity& e : entities) {
    for (const Span& m : e.mentions) {
      const uint32_t mb = m.begin;
      for (size_t k = attribution_internal::BranchlessPartitionPoint(
               tokens.tokens.data(), n, [mb](const Token& t) { return t.end <= mb; });
           k < n && tokens.tokens[k].begin < m.end; ++k) {
        s->mention_entity[k] = static_cast<int32_t>(e.id);
      }
    }
  }

  std::vector<Found>& found = s->found;  // small: one per attribution
  found.clear();
  // The content being built (one buffer, reused), and the vector an emitted attribution keeps:
  // a spare one (empty, with its capacity) when there is one.
  auto new_content = [s]() -> std::vector<Span>& {
    s->content_buf.clear();
    return s->content_buf;
  };
  auto keep_content = [s](const std::vector<Span>& content, std::vector<Span>* to) {
    if (!s->spare_contents.empty()) {
      *to = std::move(s->spare_contents.back());
      s->spare_contents.pop_back();
    }
    to->assign(content.begin(), content.end());
  };

  int64_t cur_head = -1;  // the cue word the loop below is at
  auto emit = [&](uint32_t cue_b, uint32_t cue_e, int64_t src_b, int64_t src_e,
                  std::vector<Span>&& content) {
    if (content.empty()) return;
    if (tagger && cur_head >= 0 && s->tag_b[cur_head] >= 0 && cue_span_ != CueSpan::kRules) {
      const uint32_t tb = static_cast<uint32_t>(s->tag_b[cur_head]);
      const uint32_t te = static_cast<uint32_t>(s->tag_e[cur_head]);
      if (cue_span_ == CueSpan::kTagger) {
        cue_b = tb;
        cue_e = te;
      } else {
        cue_b = std::min(cue_b, tb);
        cue_e = std::max(cue_e, te);
      }
    }
    // "Christie appeared to end his bid ...", "It seems that ...": PolNeAR gives seem / appear
    // no source; the subject is part of the content (an expletive "it" / "there" is not).
    if (src_b >= 0 && src_e >= src_b && src_e < static_cast<int64_t>(cue_b) && cur_head >= 0 &&
        c.Is(kSeemAppear, static_cast<uint32_t>(cur_head))) {
      if (!(src_b == src_e && c.Is(kItThere, static_cast<uint32_t>(src_b)))) {
        content.insert(content.begin(),
                       c.SpanOf(static_cast<uint32_t>(src_b), static_cast<uint32_t>(src_e)));
      }
      src_b = -1;
    }
    Found f;
    f.a.cue = c.SpanOf(cue_b, cue_e);
    if (src_b >= 0 && src_e >= src_b) {
      f.a.source = AttributionSource{c.SpanOf(src_b, src_e), std::nullopt, std::nullopt};
      f.src_b = static_cast<uint32_t>(src_b);
      f.src_e = static_cast<uint32_t>(src_e);
      for (int64_t k = src_b; k <= src_e; ++k) s->used[k] = 1;
    }
    for (uint32_t k = cue_b; k <= cue_e; ++k) s->used[k] = 2;
    keep_content(content, &f.a.content);
    found.push_back(std::move(f));
  };

  // The span model's attribution of the cue at token `i` (its particle or "to" included): the
  // SOURCE run nearest the cue and the CONTENT runs of the cue's window. False when it labels no
  // content.
  bool span_words_ready = false;  // s->span_words reset for this text
  auto model_attribution = [&](uint32_t i, uint8_t kind) {
    cur_head = i;
    uint32_t cue_b = i, cue_e = i;
    if (tagger && s->tag_b[i] >= 0) {  // a tagged cue: its span
      cue_b = static_cast<uint32_t>(s->tag_b[i]);
      cue_e = static_cast<uint32_t>(s->tag_e[i]);
    } else {
      SpanCueRange(text, tokens, i, kind, &cue_b, &cue_e);
    }
    for (uint32_t k = cue_b; k <= cue_e; ++k) {
      if (k != i && s->used[k] != 0) return false;
    }
    if (!span_words_ready) {
      s->span_words.Reset(n);
      span_words_ready = true;
    }
    SpanWindow w = MakeSpanWindow(text, tokens, s->quote_of.data(), cue_b, cue_e);
    w.cache = &s->span_words;
    span_model_.Tag(w, &s->span_between, &s->span_labels);
    ReadSpanRuns(w, s->span_labels, min_span_content_, &s->span_runs);
    if (s->span_runs.content.empty()) return false;
    if (span_requires_source_ && s->span_runs.source_begin > s->span_runs.source_end) return false;
    std::vector<Span>& content = new_content();
    for (const auto& [b, e] : s->span_runs.content) content.push_back(c.SpanOf(b, e));
    emit(cue_b, cue_e, s->span_runs.source_begin, s->span_runs.source_end, std::move(content));
    return true;
  };
  auto model_cue = [&](uint8_t kind) {
    return kind == kVerb || kind == kParticiple || kind == kPhraseHead || kind == kAccording;
  };

  static_assert(kNotCue == 0, "NextCue skips zero kinds");
  const uint8_t* const kinds = s->cue_kind.data();
  for (uint32_t i = NextCue(kinds, 0, n); i < n; i = NextCue(kinds, i + 1, n)) {
    const uint8_t kind = kinds[i];
    if (kind == kNotCue || s->used[i] != 0 || (s->quote_of[i] >= 0 && kind != kLabelColon)) {
      continue;
    }
    cur_head = i;
    if (span_use_ == SpanModelUse::kFirst && model_cue(kind) && model_attribution(i, kind)) {
      continue;
    }
    const TokenRange sent = c.Sentence(i);
    const uint32_t sb = sent.begin, se = sent.end;
    uint32_t cue_b = i, cue_e = i;

    if (kind == kLabelColon) {
      // Content: the rest of the paragraph.
      uint32_t k = i;
      while (k > 0 && !c.K(k).Has(kParagraphStart) && !c.K(k).Has(kNewlineBefore)) --k;
      uint32_t e = i + 1;
      while (e + 1 < n && !c.K(e + 1).Has(kParagraphStart) && !c.K(e + 1).Has(kNewlineBefore) &&
             e - i < 4096) {
        ++e;
      }
      std::vector<Span>& content = new_content();
      content.push_back(c.SpanOf(i + 1, e));
      if (c.K(k).kind == TokenKind::kQuote) ++k;  // "\"WALLACE: ...\""
      emit(i, i, k, i - 1, std::move(content));
      continue;
    }
    if (kind == kLabelDash) {
      const int64_t src_e = SourceForward(c, i + 1, se > i + 1 ? se : n);
      if (src_e < 0) continue;
      std::vector<Span>& content = new_content();
      const int32_t q = c.ClosedAt(i - 1);
      if (q >= 0) {
        const int32_t head = ChainHead(c, q);
        AddQuoteChain(c, head, c.s->quotes[head].open, i - 1, &content);
      } else {
        const int64_t open = UnpairedLabelQuote(c, i);
        if (open < 0) continue;
        content.push_back(c.SpanOf(static_cast<uint32_t>(open), i - 1));
      }
      emit(i, i, i + 1, src_e, std::move(content));
      continue;
    }
    // Two-word cues.
    if (kind == kPhraseHead || kind == kAccording) {
      if (i + 1 >= n) continue;
      if (kind == kAccording) {
        if (!c.Is(kWordTo, i + 1)) continue;
        cue_e = i + 1;
        // Source after "according to".
        const int64_t src_e = SourceForward(c, i + 2, se);
        if (src_e < 0) continue;
        std::vector<Span>& content = new_content();
        const uint32_t after = static_cast<uint32_t>(src_e) + 1;
        // Content before: "The plan failed, according to officials." Content after:
        // "According to officials, the plan failed."
        uint32_t before_end = i;
        if (before_end > sb && c.IsComma(before_end - 1)) --before_end;
        const bool has_before = before_end > sb;
        if (has_before) ContentBefore(c, sb, before_end - 1, &content);
        if (after < se && c.IsComma(after) && after + 1 < se) {
          const uint32_t b = after + 1;
          if (!c.IsEndPunct(b)) ContentAfter(c, b, se, &content);
        } else if (!has_before && after < se && !c.IsEndPunct(after)) {
          ContentAfter(c, after, se, &content);
        }
        emit(cue_b, cue_e, i + 2, src_e, std::move(content));
        continue;
      }
      // kPhraseHead: only with its particle.
      std::string key;
      key.reserve(32);
      for (char ch : c.T(i)) key.push_back(static_cast<char>(std::tolower(ch)));
      key.push_back(' ');
      for (char ch : c.T(i + 1)) key.push_back(static_cast<char>(std::tolower(ch)));
      if (!pairs_.contains(key)) continue;
      cue_e = i + 1;
    } else if (i + 1 < n && c.K(i + 1).kind == TokenKind::kWord) {
      // A verb cue with its particle ("pointed out", "called for").
      const std::string_view nx = c.T(i + 1);
      if (nx.size() <= 4 && c.Is(kParticle, i + 1)) {
        std::string key;
        for (char ch : c.T(i)) key.push_back(static_cast<char>(std::tolower(ch)));
        key.push_back(' ');
        for (char ch : nx) key.push_back(static_cast<char>(std::tolower(ch)));
        // "laid out", "backed off": these two particles join any cue verb.
        if (pairs_.contains(key) || c.Is(kOutOff, i + 1)) cue_e = i + 1;
      }
    }
    // A longer lexicon phrase through its head word ("made it clear", "put it").
    if (cue_e == i && !tails_.empty()) {
      const auto it = tails_.find(ner::HashLower(c.T(i)));
      if (it != tails_.end()) {
        size_t best = 0;
        for (const std::vector<std::string>& tail : it->second) {
          if (tail.size() <= best || i + tail.size() >= se) continue;
          size_t k = 0;
          while (k < tail.size() && EqLower(c.T(i + 1 + k), tail[k])) ++k;
          if (k == tail.size()) best = k;
        }
        cue_e = i + static_cast<uint32_t>(best);
      }
    }
    // "didn't disclose", "strongly opposes", "doesn't even mention": a negation or an adverb the
    // lexicon has as a cue word takes the verb after it (and one adverb between).
    if (cue_e == i && (IsNegation(c.T(i)) || IsLyAdverb(c, i)) && i + 2 < se) {
      uint32_t v = i + 1;
      if ((c.Is(kCueAdverb, v) || IsLyAdverb(c, v)) && v + 2 < se) ++v;
      if (c.K(v).kind == TokenKind::kWord && c.K(v).shape == TokenShape::kLower &&
          !c.Is(kPreposition, v) && !c.Is(kDeterminer, v) && c.s->quote_of[v] < 0) {
        cue_e = v;
      }
    }
    // "Asked whether ..., Ortiz said ...", "when asked about ...": the question is the content and
    // PolNeAR marks no source (the answer is an attribution of its own). The content runs to the
    // first comma outside quotes (or a quote closed after its comma), else to the sentence end.
    if (kind == kVerb && cue_e == i && c.Is(kWordAsked, i) &&
        (i == sb || (i > sb && c.Is(kAskedLead, i - 1)))) {
      uint32_t b = i + 1;
      if (b < se && c.Is(kWordAbout, b)) cue_e = b++;
      uint32_t k = b;
      while (k < se && k - b < kMaxQuestion && !c.IsEndPunct(k) &&
             !(c.IsComma(k) && c.s->quote_of[k] < 0) &&
             !(c.ClosedAt(k) >= 0 && k > b && c.IsComma(k - 1))) {
        ++k;
      }
      const uint32_t last = k < se && c.ClosedAt(k) >= 0 ? k : k - 1;
      if (k < se && k - b < kMaxQuestion && last >= b + 1 && c.K(b).kind == TokenKind::kWord) {
        std::vector<Span>& content = new_content();
        content.push_back(c.SpanOf(b, last));
        emit(i, cue_e, -1, -1, std::move(content));
        continue;
      }
      cue_e = i;
    }
    // A directly preceding auxiliary belongs to the cue ("has said").
    if (cue_b > sb && c.Is(kHaveAux, cue_b - 1)) --cue_b;

    // Left of the cue: skip adverbs ("Trump also said").
    int64_t l = static_cast<int64_t>(cue_b) - 1;
    for (int k = 0; k < kMaxSkipAdverbs && l >= static_cast<int64_t>(sb) &&
                    (c.Is(kCueAdverb, l) || IsLyAdverb(c, l) || IsNegation(c.T(l)));
         ++k) {
      --l;
    }
    // The adverbs and auxiliaries belong to the cue ("also said", "has repeatedly warned").
    if (l + 1 < static_cast<int64_t>(cue_b)) cue_b = static_cast<uint32_t>(l + 1);
    // A time phrase between source and cue is in neither ("Sanders on Tuesday said").
    if (kind == kVerb && l > static_cast<int64_t>(sb) + 1 && c.Is(kTimeWord, l) &&
        c.Is(kTimeLead, l - 1) && c.K(l - 2).kind == TokenKind::kWord &&
        !c.Is(kSourceStop, l - 2)) {
      l -= 2;
    }
    // "Ortiz said sarcastically.", "asked rhetorically,": an -ly adverb between the cue and the
    // clause's end belongs to the cue (gold: 23 of 24 times in PolNeAR train).
    if (cue_e + 2 < se && IsLyAdverb(c, cue_e + 1) &&
        (c.IsComma(cue_e + 2) || c.IsEndPunct(cue_e + 2))) {
      ++cue_e;
    }
    const uint32_t r = cue_e + 1;  // first token right of the cue

    // "Conceding that the deal is late, Ortiz said ...": a participle opening the sentence; its
    // object up to the first comma outside quotes is the content, the subject after the comma
    // (followed by a verb) the source.
    if (kind == kParticiple && cue_e == i &&
        (i == sb || (i == sb + 1 && c.Is(kParticipleLead, sb)))) {
      uint32_t k = r;
      while (k < se && k - r < kMaxQuestion && !c.IsEndPunct(k) &&
             !(c.IsComma(k) && c.s->quote_of[k] < 0)) {
        ++k;
      }
      if (k > r + 1 && k + 2 < se && c.IsComma(k) && c.K(r).kind == TokenKind::kWord) {
        const int64_t src_e = SourceForward(c, k + 1, se);
        if (src_e >= 0 && src_e + 1 < se &&
            (c.s->cue_kind[src_e + 1] != 0 || c.Is(kCueAdverb, src_e + 1) ||
             c.K(src_e + 1).shape == TokenShape::kLower)) {
          std::vector<Span>& content = new_content();
          content.push_back(c.SpanOf(r, k - 1));
          emit(cue_b, cue_e, k + 1, src_e, std::move(content));
          continue;
        }
      }
    }
    // Participles continue an attribution of the same sentence: "..., he said, adding that ...".
    if (kind == kParticiple) {
      // "...," adding that ...: the comma may stand inside the quote that closes before the cue.
      const bool after_comma = l >= static_cast<int64_t>(sb) &&
                               (c.IsComma(l) || (l > static_cast<int64_t>(sb) &&
                                                 c.ClosedAt(l) >= 0 && c.IsComma(l - 1)));
      if (after_comma && (found.empty() || found.back().a.cue.begin < c.K(sb).begin) && r < se) {
        // "Trump tweeted on Friday, saying ...": the subject of the sentence speaks.
        uint32_t subj_b = sb;
        const int64_t e = SubjectAt(c, sb, static_cast<uint32_t>(l), &subj_b);
        if (e >= 0) {
          std::vector<Span>& content = new_content();
          ContentAfter(c, r, se, &content);
          emit(cue_b, cue_e, subj_b, e, std::move(content));
          continue;
        }
      }
      if (after_comma && !found.empty()) {
        const Found& prev = found.back();
        // The previous attribution must lie in this sentence.
        if (prev.a.cue.end <= c.K(i).begin && prev.a.cue.begin >= c.K(sb).begin && r < se) {
          std::vector<Span>& content = new_content();
          ContentAfter(c, r, se, &content);
          if (prev.a.source) {
            // The speaker is shared: copy the span without marking it as used again.
            Found f;
            f.a.cue = c.SpanOf(cue_b, cue_e);
            f.a.source = prev.a.source;
            f.src_b = prev.src_b;
            f.src_e = prev.src_e;
            keep_content(content, &f.a.content);
            if (!f.a.content.empty()) found.push_back(std::move(f));
            for (uint32_t k = cue_b; k <= cue_e; ++k) s->used[k] = 2;
          }
          continue;
        }
      }
      // "Obama replied on Friday by saying ...": the subject of the sentence speaks.
      if (l > static_cast<int64_t>(sb) && r < se && c.Is(kSubjectLead, l)) {
        uint32_t subj_b = sb;
        const int64_t e = SubjectAt(c, sb, static_cast<uint32_t>(l), &subj_b);
        if (e >= 0) {
          std::vector<Span>& content = new_content();
          ContentAfter(c, r, se, &content);
          emit(i, cue_e, subj_b, e, std::move(content));
          continue;
        }
      }
      // "is saying", "was warning": a verb with a progressive auxiliary.
      if (!(l >= static_cast<int64_t>(sb) && c.Is(kProgressiveAux, l))) {
        continue;
      }
      cue_b = static_cast<uint32_t>(l);
      --l;
      // "will be challenging", "has been urging", "is now saying": auxiliaries and adverbs before
      // the progressive one belong to the cue too.
      for (int k = 0; k < kMaxSkipAdverbs && l >= static_cast<int64_t>(sb) &&
                      (c.Is(kCueAdverb, l) || IsLyAdverb(c, l) || IsNegation(c.T(l)));
           ++k) {
        cue_b = static_cast<uint32_t>(l);
        --l;
      }
    }

    // Sentence-initial inverted cue: "Said Ellis: \"I doubt it.\"".
    if (kind == kVerb && i == sb && i + 3 < se && IsCapitalised(c.K(i))) {
      const int64_t src_e = SourceForward(c, i + 1, se);
      if (src_e >= 0 && src_e + 2 < se && (c.T(src_e + 1) == ":" || c.IsComma(src_e + 1))) {
        std::vector<Span>& content = new_content();
        ContentAfter(c, static_cast<uint32_t>(src_e) + 2, se, &content);
        emit(i, i, i + 1, src_e, std::move(content));
        continue;
      }
    }
    // 0. Passive: "The plan was first reported by the Post": the subject is the content, the
    // agent after "by" the source, the cue runs from the auxiliary to "by".
    if (kind == kVerb && r + 1 < se && c.Is(kWordBy, r) && l >= static_cast<int64_t>(sb) &&
        c.Is(kPassiveAux, l)) {
      int64_t k = l;
      while (k > static_cast<int64_t>(sb) && (c.Is(kPassiveAux, k) || c.Is(kCueAdverb, k))) {
        --k;
      }
      const int64_t src_e = SourceForward(c, r + 1, se);
      const int64_t obj_b = SourceBackward(c, k, sb);
      if (src_e >= 0 && obj_b >= 0 && k < l) {
        std::vector<Span>& content = new_content();
        content.push_back(c.SpanOf(static_cast<uint32_t>(obj_b), static_cast<uint32_t>(k)));
        emit(static_cast<uint32_t>(k + 1), r, r + 1, src_e, std::move(content));
        continue;
      }
    }
    // "The bill, opposed by House Republicans, died": a reduced passive between commas, dashes or
    // brackets; the noun phrase before it is the content, the agent the source, the verb the cue.
    if (kind == kVerb && r + 1 < se && c.Is(kWordBy, r) && l > static_cast<int64_t>(sb) &&
        l == static_cast<int64_t>(cue_b) - 1 && (c.IsAppositionMark(l) || c.T(l) == "(")) {
      const int64_t src_e = SourceForward(c, r + 1, se);
      const int64_t obj_b = SourceBackward(c, l - 1, sb);
      if (src_e >= 0 && obj_b >= 0 && src_e + 1 < se &&
          (c.IsAppositionMark(src_e + 1) || c.T(src_e + 1) == ")")) {
        std::vector<Span>& content = new_content();
        content.push_back(c.SpanOf(static_cast<uint32_t>(obj_b), static_cast<uint32_t>(l - 1)));
        emit(cue_b, cue_e, r + 1, src_e, std::move(content));
        continue;
      }
    }
    // 1. Inverted: "..., said Wang Yi, director of ...". Not after "The city's budget director,
    // Anna Kowal," nor "Anna Kowal, the city's budget director," from the sentence start (that is
    // the source of a cue followed by its content).
    if (l >= static_cast<int64_t>(sb) && l > static_cast<int64_t>(sb) &&
        (c.IsComma(l) || c.ClosedAt(l) >= 0) && l == static_cast<int64_t>(cue_b) - 1 &&
        !(c.IsComma(l) && RoleThenNameBefore(c, sb, l)) &&
        !(c.IsComma(l) && NameThenAppositionAt(c, sb, l) >= 0)) {
      int64_t src_e = SourceForward(c, r, se);
      if (src_e >= 0) src_e = ExtendRelativeClause(c, src_e, se);
      if (src_e >= 0 && ClauseEndsAfter(c, src_e + 1, se)) {
        src_e = ExtendApposition(c, src_e, se);
        std::vector<Span>& content = new_content();
        uint32_t end = static_cast<uint32_t>(l);
        if (c.IsComma(end) && end > sb) --end;
        ContentBefore(c, sb, end, &content);
        if (!content.empty() && c.ClosedAt(end) >= 0) {
          AddReopenedQuote(c, static_cast<uint32_t>(src_e) + 1, &content);
        }
        if (!content.empty()) AddFollowingQuote(c, static_cast<uint32_t>(src_e), &content);
        emit(cue_b, cue_e, r, src_e, std::move(content));
        continue;
      }
    }
    // A quote ending with ! or ? ends the sentence before "X said.": "Win!" he said.
    // 2. Source to the left of the cue.
    int64_t src_b = SourceBackward(c, l, sb);
    int64_t src_e = l;
    if (src_b < 0 && l >= static_cast<int64_t>(sb) && c.Is(kWordWho, l)) {
      src_b = l;  // "..., who said": PolNeAR marks the relative pronoun as the source
    }
    if (src_b < 0 && l > static_cast<int64_t>(sb) && c.Is(kWordWhich, l) &&
        c.IsAppositionMark(l - 1)) {
      src_b = l;  // "the agency, which reported that ...": the same for a non-human speaker
    }
    if (src_b < 0 && l > static_cast<int64_t>(sb) && c.Is(kAndBut, l)) {
      // "He claimed vast wealth and said ...", "X says A and said B", "Officials announced an
      // arrest on Friday, and said ...": the subject of the sentence speaks.
      uint32_t subj_b = sb;
      int64_t e = SubjectAt(c, sb, static_cast<uint32_t>(l), &subj_b);
      if (e < 0 && !c.IsComma(l - 1)) {
        subj_b = sb;
        e = SourceForward(c, sb, static_cast<uint32_t>(l));
        if (e >= 0 && c.s->cue_kind[e + 1] != 0 && c.s->cue_kind[e + 1] != kVerb) e = -1;
      }
      if (e >= 0 &&
          (c.Is(kPersonalPronoun, subj_b) || IsCapitalised(c.K(e)) || IsCapitalised(c.K(subj_b)))) {
        src_b = subj_b;
        src_e = e;
      }
    }
    if (src_b < 0 && l > static_cast<int64_t>(sb) && c.IsComma(l)) {
      // "Jo Doe, the port's spokeswoman, which ..., said": the name opening the sentence and its
      // first apposition.
      const int64_t k = NameThenAppositionAt(c, sb, l);
      if (k >= 0) {
        int64_t e = k + 1;
        while (e < l && !c.IsComma(e) && !c.IsQuoteMark(e) && e - k < kMaxSourceTokens) ++e;
        if (e <= l && c.IsComma(e)) {
          src_b = sb;
          src_e = e - 1;
          // "Clinton, in an interview, said", "Biden, echoing Erdogan, said": a parenthetical or
          // an aside, not an apposition.
          const uint32_t a = static_cast<uint32_t>(k + 1);
          const std::string_view w = c.T(a);
          if ((c.Is(kPreposition, a) && !c.Is(kWordOf, a)) || c.Is(kSourceAside, a) ||
              (c.K(k + 1).shape == TokenShape::kLower && w.size() > 4 &&
               w.substr(w.size() - 3) == "ing")) {
            src_e = k - 1;
          }
        }
      }
    }
    if (src_b < 0 && l > static_cast<int64_t>(sb) && c.IsAppositionMark(l)) {
      // "Wang Yi, director of the office, said ...": a name before one to three commas.
      int segments = 0;
      for (int64_t k = l - 1; k > static_cast<int64_t>(sb) && l - k < 2 * kMaxApposition; --k) {
        if (c.IsEndPunct(k) || c.s->cue_kind[k] == kVerb || c.IsQuoteMark(k)) break;
        if (!c.IsAppositionMark(k)) continue;
        if (k + 1 >= l) break;
        // "The state's campaign chairman, Jo Doe, said": a role phrase from the sentence start,
        // then the name between the marks.
        if (segments == 0 && RoleThenName(c, sb, k, l)) {
          src_b = sb;
          src_e = l - 1;
          break;
        }
        // "\"...,\" the city's spokeswoman, Jo Doe, said on Friday": the same after the content
        // (a comma or a closing quote mark before the role phrase).
        if (segments == 0) {
          int64_t rs = k - 1;
          while (rs > static_cast<int64_t>(sb) && k - rs < kMaxSourceTokens && !c.IsComma(rs - 1) &&
                 c.ClosedAt(rs - 1) < 0 && !c.IsQuoteMark(rs - 1) && !c.IsEndPunct(rs - 1)) {
            --rs;
          }
          if (rs > static_cast<int64_t>(sb) && (c.IsComma(rs - 1) || c.ClosedAt(rs - 1) >= 0) &&
              RoleThenName(c, static_cast<uint32_t>(rs), k, l)) {
            src_b = rs;
            src_e = l - 1;
            break;
          }
        }
        if (IsCapitalised(c.K(k - 1)) || c.T(k - 1) == ")") {
          const int64_t b = SourceBackward(c, k - 1, sb);
          if (b >= 0) {
            src_b = b;
            // "Clinton, at Monday's debate, said": a parenthetical, not an apposition.
            const std::string_view w = c.T(k + 1);
            const bool parenthetical = (c.Is(kPreposition, k + 1) && !c.Is(kWordOf, k + 1)) ||
                                       (c.K(k + 1).shape == TokenShape::kLower && w.size() > 4 &&
                                        w.substr(w.size() - 3) == "ing") ||
                                       c.Is(kSourceAside, k + 1);
            src_e = parenthetical ? k - 1 : l - 1;
            break;
          }
        }
        if (++segments >= 3) break;
      }
    }
    if (src_b < 0) continue;
    // What precedes the source: a comma or closing quote means the content came first.
    const int64_t p = src_b - 1;
    bool content_first =
        p > static_cast<int64_t>(sb) && (c.IsComma(p) || c.ClosedAt(p) >= 0 || c.T(p) == ":");
    if (content_first && c.IsComma(p) && c.s->quote_of[sb] < 0) {
      // "After reading the passage, Ortiz said, \"...\"", "On Friday, Ortiz tweeted: ...": an
      // opening adverbial phrase or clause (a preposition, a subordinator, a time word, an -ing,
      // -ed or -ly word first) before the source's comma is no content when the sentence goes on
      // after the cue.
      const std::string_view w0 = c.T(sb);
      const bool intro =
          c.Is(kPreposition, sb) || c.Is(kTimeWord, sb) || c.Is(kIntroWord, sb) ||
          (c.K(sb).kind == TokenKind::kWord && c.K(sb).shape != TokenShape::kAllCaps &&
           w0.size() > 4 &&
           (EqLower(w0.substr(w0.size() - 3), "ing") || EqLower(w0.substr(w0.size() - 2), "ed") ||
            EqLower(w0.substr(w0.size() - 2), "ly")));
      uint32_t k = r;
      while (k < se && (c.IsComma(k) || c.T(k) == ":")) ++k;
      // The sentence goes on: not "said here on Friday." (ClauseEndsAfter), but an opening quote,
      // or "that", a colon or a quote within kMaxIntroScan tokens ("said in a statement that").
      bool goes_on = k < se && (c.OpenedAt(k) >= 0 || !ClauseEndsAfter(c, k, se));
      for (uint32_t k2 = k; !goes_on && k2 < se && k2 < k + kMaxIntroScan; ++k2) {
        goes_on = c.OpenedAt(k2) >= 0 || c.Is(kWordThat, k2) || c.T(k2) == ":";
      }
      if (intro && goes_on) content_first = false;
    }
    const bool quote_before_sentence = src_b == sb && sb > 0 && c.ClosedAt(sb - 1) >= 0;
    // "\"...,\" she told reporters.": the addressee of the cue is skipped (in neither span).
    const uint32_t ra = c.Is(kTakesObject, i) ? SkipAddressee(c, r, se) : r;
    if ((content_first && (ClauseEndsAfter(c, r, se) || ClauseEndsAfter(c, ra, se))) ||
        (quote_before_sentence && (ra >= se || c.IsEndPunct(ra) || c.IsComma(ra)))) {
      std::vector<Span>& content = new_content();
      if (quote_before_sentence && !content_first) {
        const int32_t q = c.ClosedAt(sb - 1);
        const int32_t head = ChainHead(c, q);
        AddQuoteChain(c, head, c.s->quotes[head].open, sb - 1, &content);
      } else {
        uint32_t end = static_cast<uint32_t>(p);
        if (c.IsComma(end) && end > sb) --end;
        ContentBefore(c, sb, end, &content);
        if (!content.empty() && c.ClosedAt(end) >= 0) AddReopenedQuote(c, ra, &content);
        // "The plan, he said, is a disaster.": the sentence goes on after the cue.
        if (r < se && c.IsComma(r) && r + 1 < se) {
          const std::string_view w = c.T(r + 1);
          const bool goes_on = !c.IsEndPunct(r + 1) && !c.Is(kPreposition, r + 1) &&
                               c.s->cue_kind[r + 1] == 0 && c.s->quote_of[r + 1] < 0 &&
                               !(w.size() > 4 && w.substr(w.size() - 3) == "ing") &&
                               !c.Is(kTimeWord, r + 1);
          if (goes_on) ContentAfter(c, r + 1, se, &content);
        }
      }
      if (!content.empty()) AddFollowingQuote(c, ra - 1, &content);
      emit(cue_b, cue_e, src_b, src_e, std::move(content));
      continue;
    }
    // 3. "X said (that) ...": content follows the cue.
    uint32_t cb = r;
    while (cb < se && (c.T(cb) == ":" || c.T(cb) == ",")) ++cb;
    if (cb < se && !c.IsQuoteMark(cb) && !c.Is(kWordThat, cb)) {
      // Skip an object or a prepositional phrase up to "that" or ":" ("told reporters that",
      // "said in a statement that", "said on Wednesday that").
      const bool takes_object = c.Is(kTakesObject, i);
      bool skipped = false;
      if (takes_object) {
        // "told reporters that", "told \"Morning Joe\" on Friday that".
        for (uint32_t k = cb; k < se && k - cb < kMaxObjectSkip; ++k) {
          // "told reporters that", "urged officials to act", "told the host how ...".
          if (c.Is(kObjectEnd, k) || c.T(k) == ":") {
            if (c.Is(kWordTo, k) && k == cb) break;
            cb = c.T(k) == ":" ? k + 1 : k;
            skipped = true;
            break;
          }
          if (c.s->cue_kind[k] != 0 || c.IsEndPunct(k)) break;
        }
        if (!skipped && (c.Is(kObjectWord, cb) || IsCapitalised(c.K(cb)))) {
          // "told reporters the plan is dead": skip the object.
          if (c.Is(kDeterminer, cb) && cb + 2 < se) {
            cb += 2;
          } else {
            ++cb;
            while (cb < se && IsCapitalised(c.K(cb)) && c.K(cb - 1).kind == TokenKind::kWord &&
                   IsCapitalised(c.K(cb - 1))) {
              ++cb;
            }
          }
          skipped = true;
        }
      }
      if (!skipped && (c.Is(kPreposition, cb) || c.Is(kTimeWord, cb))) {
        // "said in a statement that", "said Friday that" (PolNeAR leaves the phrase out of the cue
        // as often as not; so does this).
        for (uint32_t k = cb; k < se && k - cb < kMaxObjectSkip; ++k) {
          if (c.Is(kWordThat, k) || c.T(k) == ":" || c.IsQuoteMark(k)) {
            cb = c.T(k) == ":" ? k + 1 : k;
            break;
          }
          if (c.IsComma(k) && k > cb) {
            cb = k + 1;
            break;
          }
        }
      }
    }
    // "talked about X", "pointed to X", "described it as": the particle belongs to the cue.
    if (cb == r && cb + 1 < se && c.Is(kCueParticle, cb)) {
      cue_e = cb;
      ++cb;
    }
    while (cb < se && (c.T(cb) == ":" || c.T(cb) == ",")) ++cb;
    // "Caddell continued:" at the end of a paragraph, the quote in the next one(s): the content.
    if (cb >= se && cb == r + 1 && c.T(r) == ":" && se < n && c.K(se).Has(kParagraphStart)) {
      int32_t q = c.OpenedAt(se);
      if (q >= 0 && c.s->quotes[q].prev < 0) {
        std::vector<Span>& content = new_content();
        for (int guard = 0; q >= 0 && guard < 64; ++guard) {
          content.push_back(c.SpanOf(c.s->quotes[q].open, c.s->quotes[q].close));
          q = c.s->quotes[q].next;
        }
        emit(cue_b, cue_e, src_b, src_e, std::move(content));
        continue;
      }
    }
    if (cb >= se || c.IsEndPunct(cb)) continue;
    // A content of one or two words is a bare object ("Ortiz rejected the idea", "Ruiz has
    // endorsed Ortiz"), but not a prepositional, adverbial or time phrase ("said with a smile",
    // "said sarcastically", "said Friday").
    if (se - cb < 3 + (c.IsEndPunct(se - 1) ? 1 : 0) && c.s->quote_of[cb] < 0) {
      // "Ortiz declined to comment.": a "to" infinitive is an object, not a preposition.
      const bool infinitive = c.Is(kWordTo, cb) && cb + 1 < se &&
                              c.K(cb + 1).kind == TokenKind::kWord &&
                              c.K(cb + 1).shape == TokenShape::kLower && !c.Is(kObjectWord, cb + 1);
      if (c.K(cb).kind != TokenKind::kWord || (c.Is(kPreposition, cb) && !infinitive) ||
          IsLyAdverb(c, cb) || c.Is(kTimeWord, cb)) {
        continue;
      }
    }
    std::vector<Span>& content = new_content();
    ContentAfter(c, cb, se, &content);
    emit(cue_b, cue_e, src_b, src_e, std::move(content));
  }

  // ---- The span model for the cues no pattern took ------------------------------------------
  if (span_use_ == SpanModelUse::kFallback) {
    const size_t before = found.size();
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t kind = s->cue_kind[i] != 0 || !weak_cues ? s->cue_kind[i] : s->weak_cue_kind[i];
      if (!model_cue(kind) || s->used[i] != 0 || s->quote_of[i] >= 0) continue;
      model_attribution(i, kind);
    }
    if (found.size() != before) {
      std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
        return a.a.cue.begin < b.a.cue.begin;
      });
    }
  }

  // ---- Tagged cues no rule took: "X wants to ...", "X's plan calls for ..." -------------------
  // The tagger found a cue span; the rules found no source/content pattern around it. The
  // content is the rest of the sentence after the span (else the sentence before it), the source
  // a noun phrase right before it, if any.
  if (tagger && tagger_fallback_ && span_use_ == SpanModelUse::kOff) {
    const size_t before = found.size();
    for (uint32_t i = 0; i < n; ++i) {
      if (s->tag_b[i] < 0 || s->used[i] != 0) continue;
      const uint32_t tb = static_cast<uint32_t>(s->tag_b[i]);
      const uint32_t te = static_cast<uint32_t>(s->tag_e[i]);
      const TokenRange sent = c.Sentence(i);
      const uint32_t sb = sent.begin, se = sent.end;
      bool taken = false;
      for (uint32_t k = tb; k <= te; ++k) taken = taken || s->used[k] != 0;
      if (taken) continue;
      cur_head = i;
      int64_t l = static_cast<int64_t>(tb) - 1;
      const int64_t src_b = l >= static_cast<int64_t>(sb) ? SourceBackward(c, l, sb) : -1;
      std::vector<Span>& content = new_content();
      uint32_t cb = te + 1;
      while (cb < se && (c.T(cb) == ":" || c.IsComma(cb))) ++cb;
      if (cb < se && !c.IsEndPunct(cb)) {
        ContentAfter(c, cb, se, &content);
      } else if (src_b < 0 && tb > sb + 1) {
        uint32_t end = tb - 1;
        if (c.IsComma(end) && end > sb) --end;
        ContentBefore(c, sb, end, &content);
      }
      emit(tb, te, src_b, src_b >= 0 ? l : -1, std::move(content));
    }
    if (found.size() > before) {
      std::stable_sort(found.begin(), found.end(), [](const Found& x, const Found& y) {
        return x.a.cue.begin < y.a.cue.begin;
      });
    }
  }

  // ---- Quotes that go on after the attribution: "A," she said. "B." -------------------------
  auto token_at = [&](uint32_t byte) -> uint32_t {  // the token holding byte offset `byte`
    const size_t k = attribution_internal::BranchlessPartitionPoint(
        tokens.tokens.data(), n, [byte](const Token& t) { return t.begin <= byte; });
    return k == 0 ? 0 : static_cast<uint32_t>(k - 1);
  };
  const uint32_t num_sentences = static_cast<uint32_t>(tokens.sentences.size());
  for (size_t fi = 0; fi < found.size(); ++fi) {
    Found& f = found[fi];
    uint32_t last = token_at(f.a.content.back().end - 1);
    last = std::max(last, token_at(f.a.cue.end - 1));
    if (f.a.source) last = std::max(last, f.src_e);
    uint32_t si = s->sentence_of[last] + 1;
    const uint32_t next_cue = fi + 1 < found.size() ? found[fi + 1].a.cue.begin : UINT32_MAX;
    while (si < num_sentences) {
      const TokenRange sr = tokens.sentences[si];
      if (tokens.tokens[sr.begin].Has(kParagraphStart)) break;
      const int32_t q = c.OpenedAt(sr.begin);
      if (q < 0 || !s->quotes[q].closed || s->quotes[q].prev >= 0) break;
      const uint32_t close = s->quotes[q].close;
      const TokenRange end_sr = tokens.sentences[s->sentence_of[close]];
      if (c.K(end_sr.end - 1).end > next_cue) break;  // another attribution claims it
      f.a.content.push_back(c.SpanOf(sr.begin, close));
      si = s->sentence_of[close] + 1;
    }
  }

  // ---- Sources: entities, pronouns, role phrases ----------------------------------------------
  auto named = [&](const Found& f) {
    if (!f.a.source) return false;
    for (uint32_t k = f.src_b; k <= f.src_e; ++k) {
      if (IsCapitalised(c.K(k)) && !(k == f.src_b && c.Is(kDeterminer, k)) &&
          !c.Is(kPersonalPronoun, k))
        return true;
    }
    return false;
  };
  // Entity ids are indices in the engine's output; look the id up so any numbering works.
  auto entity_by_id = [&](uint32_t id) -> const Entity* {
    if (id < entities.size() && entities[id].id == id) return &entities[id];
    for (const Entity& x : entities) {
      if (x.id == id) return &x;
    }
    return nullptr;
  };
  // The gender a source's words tell ("Mr. Lee", "she", "Hillary"), else its entity's full name's
  // ("Trump" of the entity "Donald Trump"); 0 when neither tells.
  auto gender = [&](const Found& f) {
    for (uint32_t k = f.src_b; k <= f.src_e; ++k) {
      const int g = GenderOfId(c.W(k));
      if (g != 0) return g;
    }
    if (f.a.source && f.a.source->entity) {
      if (const Entity* e = entity_by_id(*f.a.source->entity)) {
        for (absl::string_view w : absl::StrSplit(e->name, ' ', absl::SkipEmpty())) {
          if (const int g = GenderOfId(Words().IdOf(std::string_view(w.data(), w.size())));
              g != 0) {
            return g;
          }
        }
      }
    }
    return 0;
  };
  // The speaker a source span names: its first person, else its first organisation ("Wang Yi,
  // director of the Office ..." is Wang Yi, not the office). Places and other names never speak.
  auto entity_of = [&](uint32_t b, uint32_t e) -> std::optional<uint32_t> {
    std::optional<uint32_t> org;
    for (uint32_t k = b; k <= e && k < s->mention_entity.size(); ++k) {
      const int32_t id = s->mention_entity[k];
      if (id < 0) continue;
      const Entity* ent = entity_by_id(static_cast<uint32_t>(id));
      if (ent == nullptr) continue;
      const EntityType type = ent->type;
      if (type == EntityType::kPerson) return static_cast<uint32_t>(id);
      if (type == EntityType::kOrganization && !org) org = static_cast<uint32_t>(id);
    }
    return org;
  };
  // Whether a named source whose entity is `entity` can be the person a role phrase refers
  // to: a person cluster when it has an entity; no other cluster ("the White House"), and no
  // unclustered name when entities were given (the tagger saw no person there: "Critics").
  auto person_like = [&](std::optional<uint32_t> entity) {
    if (entity) {
      const Entity* ent = entity_by_id(*entity);
      return ent != nullptr && ent->type == EntityType::kPerson;
    }
    return entities.empty();
  };
  // Whether the role word (the role phrase's last word, "governor") is a word of g's source span
  // ("Governor Ann Pike") or of one of its entity's titles, ignoring case.
  auto role_agrees = [&](const Found& g, std::string_view role) {
    for (uint32_t k = g.src_b; k <= g.src_e; ++k) {
      if (EqLower(c.T(k), role)) return true;
    }
    const Entity* ent = g.a.source->entity ? entity_by_id(*g.a.source->entity) : nullptr;
    if (ent == nullptr) return false;
    for (const std::string& title : ent->titles) {
      for (absl::string_view w : absl::StrSplit(title, ' ', absl::SkipEmpty())) {
        if (EqLower(std::string_view(w.data(), w.size()), role)) return true;
      }
    }
    return false;
  };
  for (size_t fi = 0; fi < found.size(); ++fi) {
    Found& f = found[fi];
    if (!f.a.source) continue;
    // A role phrase ("a senior Chinese diplomat") is resolved below, not by the names inside it.
    const bool role_phrase =
        f.src_e > f.src_b && c.Is(kArticle, f.src_b) && c.K(f.src_e).shape == TokenShape::kLower;
    if (!role_phrase) f.a.source->entity = entity_of(f.src_b, f.src_e);
    if (f.a.source->entity) continue;
    if (f.src_b == f.src_e && c.Is(kPersonalPronoun, f.src_b)) {
      const int want = c.Is(kWordHe, f.src_b) ? 1 : c.Is(kWordShe, f.src_b) ? -1 : 0;
      if (want == 0 && !c.Is(kWordThey, f.src_b)) continue;
      // Most recent named speaker of a compatible gender.
      for (size_t k = fi, steps = 0; k-- > 0 && steps < kMaxAttributionsBack; ++steps) {
        const Found& g = found[k];
        if (!named(g)) {
          if (g.a.source && g.a.source->resolved && want != 0) {
            // A pronoun already resolved: follow it.
            const int gg = gender(g);
            if (gg == 0 || gg == want) {
              f.a.source->resolved = g.a.source->resolved;
              f.a.source->entity = g.a.source->entity;
              break;
            }
          }
          continue;
        }
        const int gg = gender(g);
        if (want != 0 && gg != 0 && gg != want) continue;
        if (want == 0 && g.src_b == g.src_e && c.K(g.src_b).shape == TokenShape::kCapitalized &&
            gg != 0) {
          continue;  // "they" rarely refers to one named person
        }
        f.a.source->resolved = g.a.source->span;
        f.a.source->entity = g.a.source->entity;
        break;
      }
      continue;
    }
    // Role phrases: "a senior Chinese diplomat" (the named speaker follows), "the diplomat"
    // (the named speaker preceded).
    const bool indefinite = c.Is(kIndefinite, f.src_b);
    const bool definite = c.Is(kWordThe, f.src_b);
    if ((indefinite || definite) && !named(f) == false && IsCapitalised(c.K(f.src_e))) {
      continue;  // "the White House": a name
    }
    if (!(indefinite || definite) || f.src_e == f.src_b) continue;
    if (c.K(f.src_e).shape != TokenShape::kLower) continue;
    if (indefinite) {
      const uint32_t para_limit = c.s->sentence_of[f.src_b] + 6;
      for (size_t k = fi + 1; k < found.size() && k < fi + 4; ++k) {
        const Found& g = found[k];
        if (c.s->sentence_of[g.src_b] > para_limit) break;
        if (named(g) && person_like(entity_of(g.src_b, g.src_e))) {
          f.a.source->resolved = g.a.source->span;
          f.a.source->entity = entity_of(g.src_b, g.src_e);
          break;
        }
      }
    } else {
      // "the governor": the most recent speaker who is a person and whose name or title says
      // governor; none (unresolved) rather than another speaker.
      const std::string_view role = c.T(f.src_e);
      for (size_t k = fi, steps = 0; k-- > 0 && steps < 6; ++steps) {
        const Found& g = found[k];
        if (named(g) && person_like(g.a.source->entity) && role_agrees(g, role)) {
          f.a.source->resolved = g.a.source->span;
          f.a.source->entity = g.a.source->entity;
          break;
        }
      }
    }
  }

  // Kinds, and the output in cue order (attributions are found in cue order already). Whether a
  // content holds a quote mark is a binary search in the sorted quote marks, so this stays
  // O(n log n) even when contents overlap.
  out->reserve(found.size());
  for (Found& f : found) {
    bool any_quote = false, all_quote = !f.a.content.empty();
    for (const Span& sp : f.a.content) {
      const uint32_t b = token_at(sp.begin), e = token_at(sp.end - 1);
      const bool starts = c.OpenedAt(b) >= 0;
      const size_t mark = attribution_internal::BranchlessPartitionPoint(
          s->quote_marks.data(), s->quote_marks.size(), [b](uint32_t q) { return q < b; });
      any_quote |= mark != s->quote_marks.size() && s->quote_marks[mark] <= e;
      all_quote &= starts;
    }
    f.a.kind = all_quote   ? AttributionKind::kDirect
               : any_quote ? AttributionKind::kMixed
                           : AttributionKind::kIndirect;
    out->push_back(std::move(f.a));
  }
}

}  // namespace newsparse
