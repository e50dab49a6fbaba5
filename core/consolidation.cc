#include "core/consolidation.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "core/status.h"

namespace newsparse {
namespace {

// A small fixed set of lower-case words, looked up by a view without hashing or building a
// string: the words are bucketed by their first byte and compared by length, then bytes.
class WordSet {
 public:
  WordSet(std::initializer_list<std::string_view> words) {
    for (const std::string_view w : words) {
      if (!w.empty()) buckets_[static_cast<unsigned char>(w[0])].emplace_back(w);
    }
  }
  bool contains(std::string_view w) const {
    if (w.empty()) return false;
    for (const std::string& x : buckets_[static_cast<unsigned char>(w[0])]) {
      if (x.size() == w.size() && std::memcmp(x.data(), w.data(), w.size()) == 0) return true;
    }
    return false;
  }

 private:
  std::array<std::vector<std::string>, 256> buckets_;
};

bool In(const WordSet& set, std::string_view w) { return set.contains(w); }

// Honorifics are dropped from names and are not titles.
const WordSet& Honorifics() {
  static const auto* s = new WordSet{"mr",  "mr.",  "mrs", "mrs.", "ms",   "ms.",    "miss",
                                     "dr",  "dr.",  "sir", "dame", "lord", "lady",   "madam",
                                     "mme", "mme.", "m.",  "herr", "frau", "messrs", "messrs."};
  return *s;
}

// Words that make a run of capitalised words before a name a title.
const WordSet& TitleWords() {
  static const auto* s = new WordSet{"president",
                                     "vice",
                                     "prime",
                                     "minister",
                                     "chancellor",
                                     "secretary",
                                     "governor",
                                     "senator",
                                     "sen.",
                                     "rep.",
                                     "representative",
                                     "congressman",
                                     "congresswoman",
                                     "mayor",
                                     "king",
                                     "queen",
                                     "prince",
                                     "princess",
                                     "pope",
                                     "premier",
                                     "chairman",
                                     "chairwoman",
                                     "chair",
                                     "chief",
                                     "ceo",
                                     "cfo",
                                     "coo",
                                     "director",
                                     "ambassador",
                                     "general",
                                     "gen.",
                                     "admiral",
                                     "adm.",
                                     "judge",
                                     "justice",
                                     "spokesman",
                                     "spokeswoman",
                                     "spokesperson",
                                     "commissioner",
                                     "leader",
                                     "speaker",
                                     "envoy",
                                     "ayatollah",
                                     "sheikh",
                                     "emir",
                                     "sultan",
                                     "coach",
                                     "captain",
                                     "capt.",
                                     "col.",
                                     "colonel",
                                     "lt.",
                                     "lieutenant",
                                     "sgt.",
                                     "sergeant",
                                     "prof.",
                                     "professor",
                                     "president-elect",
                                     "attorney",
                                     "counsel",
                                     "economist",
                                     "analyst",
                                     "executive",
                                     "officer",
                                     "head",
                                     "founder",
                                     "deputy",
                                     "commander",
                                     "marshal",
                                     "bishop",
                                     "cardinal",
                                     "archbishop",
                                     "rabbi",
                                     "imam",
                                     "gov.",
                                     "supt.",
                                     "det.",
                                     "detective",
                                     "inspector",
                                     "lawmaker",
                                     "legislator",
                                     "candidate",
                                     "nominee",
                                     "manager",
                                     "editor",
                                     "councillor",
                                     "councilman",
                                     "councilwoman",
                                     "magistrate",
                                     "sheriff",
                                     "superintendent",
                                     "crown",
                                     "state",
                                     "foreign",
                                     "defense",
                                     "defence",
                                     "finance",
                                     "interior",
                                     "trade"};
  return *s;
}

// Words that open an appositive role: "Wang Yi, director of ...".
const WordSet& RoleWords() {
  static const auto* s = new WordSet{"director",
                                     "minister",
                                     "president",
                                     "chairman",
                                     "chairwoman",
                                     "chair",
                                     "spokesman",
                                     "spokeswoman",
                                     "spokesperson",
                                     "secretary",
                                     "head",
                                     "chief",
                                     "leader",
                                     "member",
                                     "founder",
                                     "co-founder",
                                     "executive",
                                     "officer",
                                     "economist",
                                     "analyst",
                                     "professor",
                                     "ambassador",
                                     "envoy",
                                     "governor",
                                     "mayor",
                                     "senator",
                                     "representative",
                                     "commander",
                                     "general",
                                     "ceo",
                                     "manager",
                                     "editor",
                                     "correspondent",
                                     "adviser",
                                     "advisor",
                                     "deputy",
                                     "vice",
                                     "official",
                                     "researcher",
                                     "strategist",
                                     "partner",
                                     "lawyer",
                                     "attorney",
                                     "judge",
                                     "prime",
                                     "counsel",
                                     "coach",
                                     "captain",
                                     "chancellor",
                                     "premier",
                                     "king",
                                     "queen",
                                     "prince",
                                     "candidate",
                                     "owner",
                                     "author",
                                     "scientist",
                                     "fellow",
                                     "lecturer",
                                     "expert",
                                     "consultant",
                                     "trader",
                                     "banker",
                                     "investor",
                                     "councillor",
                                     "lawmaker",
                                     "legislator",
                                     "mp",
                                     "chairperson",
                                     "dean",
                                     "rector",
                                     "principal",
                                     "administrator",
                                     "commissioner",
                                     "coordinator",
                                     "negotiator",
                                     "diplomat",
                                     "speaker",
                                     "mother",
                                     "father",
                                     "son",
                                     "daughter",
                                     "wife",
                                     "husband",
                                     "brother",
                                     "sister",
                                     "widow",
                                     "cfo",
                                     "coo",
                                     "cto",
                                     "vice-president",
                                     "vice-chairman",
                                     "president-elect",
                                     "nominee",
                                     "superintendent"};
  return *s;
}

// Words that may join capitalised words inside a title ("Secretary of State").
bool IsTitleConnector(std::string_view w) {
  return w == "of" || w == "for" || w == "and" || w == "to";
}

// A title word, also as the last part of a hyphenated word ("Director-General").
bool IsTitleWord(std::string_view w) {
  if (In(TitleWords(), w)) return true;
  const size_t dash = w.rfind('-');
  return dash != std::string_view::npos && dash + 1 < w.size() &&
         In(TitleWords(), w.substr(dash + 1));
}

// Name particles that never stand alone for a person ("bin", "de", "van").
bool IsNameParticle(std::string_view w) {
  static const auto* s = new WordSet{"bin", "ibn", "bint", "al",  "el",    "abu", "de", "da",
                                     "das", "do",  "dos",  "del", "della", "di",  "du", "la",
                                     "le",  "van", "von",  "der", "den",   "ter", "y",  "e"};
  return In(*s, w);
}

// Words that may open an appositive role without belonging to it ("a", "also", "its").
bool IsRoleLeadIn(std::string_view w) {
  return w == "a" || w == "an" || w == "the" || w == "also" || w == "its" || w == "his" ||
         w == "her" || w == "their";
}

constexpr bool IsAlnumAscii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool IsWordToken(const Token& t) {
  return t.kind == TokenKind::kWord || t.kind == TokenKind::kNumber;
}

bool IsCapitalizedToken(const Token& t) {
  return t.kind == TokenKind::kWord &&
         (t.shape == TokenShape::kCapitalized || t.shape == TokenShape::kAllCaps ||
          t.shape == TokenShape::kMixed);
}

// An acronym-like token: 2..10 characters, at least two capitals, no spaces.
bool LooksLikeAcronym(std::string_view s, const Token& t) {
  // The token's shape first: most names are capitalized words, rejected without a byte count.
  if (s.size() < 2 || s.size() > 10 || t.kind != TokenKind::kWord ||
      !(t.shape == TokenShape::kAllCaps || t.shape == TokenShape::kMixed ||
        t.shape == TokenShape::kAlphaNum)) {
    return false;
  }
  int caps = 0, digits = 0;
  for (char c : s) {
    caps += (c >= 'A' && c <= 'Z');
    digits += (c >= '0' && c <= '9');
  }
  return caps >= 1 && caps + digits >= 2;
}

// An all-capital-letter short form (no periods or digits), such as a foreign-language acronym
// ("PSOE", "ELN") that the Schwartz-Hearst letter test cannot confirm against an English name.
bool IsAllCapsWord(std::string_view s) {
  if (s.size() < 2 || s.size() > 6) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

struct Cluster {
  EntityType type = EntityType::kMisc;
  // Lower-cased words of the canonical name: views into the article's lower-cased copy.
  std::vector<std::string_view> name_tokens;
  Span name_span;                // where the canonical name is written
  bool name_is_acronym = false;  // a single acronym-like word ("EPA", "U.S.")
  // The name's letters lower-cased when it is an acronym, else its words' initials (see
  // AcronymLetters, NameInitials): what ByUndefinedAcronym compares.
  std::string initials;
  bool initials_ready = false;  // `initials` computed for the current name (on first use)
  std::vector<Span> mentions;
  std::vector<std::string> aliases;
  std::vector<std::string> titles;
  size_t last_seen = 0;  // token index of the latest mention (salience)
};

}  // namespace

// Copies of strings that live until Reset(), in chunks kept between articles: a warm arena
// allocates only for a string longer than a chunk. The views it returns stay valid until Reset.
class StringArena {
 public:
  std::string_view Store(std::string_view s) {
    if (s.size() > kChunk) {
      oversized_.emplace_back(s.data(), s.size());  // heap buffers do not move with the vector
      return oversized_.back();
    }
    if (current_ == chunks_.size() || used_ + s.size() > kChunk) {
      if (current_ < chunks_.size()) ++current_;  // the current one is full
      if (current_ == chunks_.size()) chunks_.push_back(std::make_unique<char[]>(kChunk));
      used_ = 0;
    }
    char* at = chunks_[current_].get() + used_;
    if (!s.empty()) std::memcpy(at, s.data(), s.size());
    used_ += s.size();
    return std::string_view(at, s.size());
  }
  void Reset() {
    current_ = 0;
    used_ = 0;
    oversized_.clear();
  }

 private:
  static constexpr size_t kChunk = 4096;
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t current_ = 0;  // the chunk being filled (== chunks_.size() before the first)
  size_t used_ = 0;     // bytes of it used
  std::vector<std::string> oversized_;
};

// Everything Consolidate needs per article, kept between articles so that its containers keep
// their capacity (clusters are reused in place; the hash tables are cleared, not freed).
struct ConsolidationScratch::Impl {
  std::string lower;  // the article lower-cased (ASCII), byte for byte
  std::vector<Cluster> clusters;
  size_t num_clusters = 0;  // clusters[0, num_clusters) are this article's
  int acronym_names = 0;    // non-person clusters whose name is an acronym
  std::vector<size_t> mention_cluster;
  std::vector<std::pair<size_t, size_t>> mention_tokens;  // token range of each mention
  std::vector<std::string_view> words;                    // NameWords' result
  std::string key;                                        // Key's buffer
  std::string initials;                                   // ByUndefinedAcronym's
  StringArena key_storage;                                // the keys of by_key
  absl::flat_hash_map<absl::string_view, size_t> by_key;  // views into key_storage
  absl::flat_hash_map<std::string, size_t> acronym_of;    // short form -> defining mention
  std::vector<uint32_t> person_ends;                      // where person mentions end, ascending
  std::vector<Span> spans;                                // AddAcronymUses: every mention
  std::vector<size_t> order;                              // Export: clusters by first mention
  // Entities of earlier results handed back by RecycleEntities: Export moves them into the new
  // result, so their strings and vectors keep their storage (a warm scratch allocates nothing
  // for an entity no larger than one it has seen).
  std::vector<Entity> spare;
};

ConsolidationScratch::ConsolidationScratch() : impl_(std::make_unique<Impl>()) {}
ConsolidationScratch::~ConsolidationScratch() = default;
ConsolidationScratch::ConsolidationScratch(ConsolidationScratch&&) noexcept = default;
ConsolidationScratch& ConsolidationScratch::operator=(ConsolidationScratch&&) noexcept = default;

namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Moves the entities of `entities` into `scratch->spare` and leaves `entities` empty.
void RecycleInto(std::vector<Entity>* entities, ConsolidationScratch::Impl* scratch) {
  for (Entity& e : *entities) scratch->spare.push_back(std::move(e));
  entities->clear();
}

class Consolidator {
 public:
  Consolidator(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions,
               ConsolidationScratch::Impl* scratch)
      : text_(text), toks_(tokens.tokens), mentions_(*mentions), s_(*scratch) {}

  void Run(std::vector<Entity>* entities) {
    // Branch-free so that the compiler vectorises it.
    const size_t size = text_.size();
    s_.lower.resize(size);
    char* lower = s_.lower.data();
    const unsigned char* in = reinterpret_cast<const unsigned char*>(text_.data());
    for (size_t i = 0; i < size; ++i) {
      const unsigned char c = in[i];
      lower[i] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
    }
    s_.num_clusters = 0;
    s_.acronym_names = 0;
    s_.by_key.clear();
    s_.key_storage.Reset();
    s_.acronym_of.clear();
    s_.person_ends.clear();
    s_.mention_cluster.assign(mentions_.size(), SIZE_MAX);
    s_.mention_tokens.resize(mentions_.size());
    // Mentions come in text order: their first tokens are found going forward from the previous
    // one, by steps that double and then a binary search (a binary search over all tokens where
    // a mention starts before the previous one).
    size_t t = 0;
    uint32_t previous = 0;
    for (size_t m = 0; m < mentions_.size(); ++m) {
      const Span span = mentions_[m].span;
      if (span.begin < previous) {
        t = TokenAt(span.begin);
      } else {
        t = TokenAtFrom(t, span.begin);
      }
      previous = span.begin;
      size_t e = t;
      while (e < toks_.size() && toks_[e].end <= span.end) ++e;
      s_.mention_tokens[m] = {t, e};
      if (mentions_[m].type == EntityType::kPerson) s_.person_ends.push_back(mentions_[m].span.end);
    }
    std::sort(s_.person_ends.begin(), s_.person_ends.end());
    FindAcronyms();
    for (size_t m = 0; m < mentions_.size(); ++m) {
      if (s_.mention_cluster[m] == SIZE_MAX) Place(m);  // an acronym may have placed it already
    }
    AddAcronymUses();
    Export(entities);
  }

 private:
  std::string_view Text(size_t i) const { return TokenText(text_, toks_[i]); }
  // Token i lower-cased (ASCII).
  std::string_view Lower(size_t i) const {
    return std::string_view(s_.lower).substr(toks_[i].begin, toks_[i].end - toks_[i].begin);
  }
  std::string_view LowerSlice(Span span) const { return Slice(s_.lower, span); }

  size_t NumClusters() const { return s_.num_clusters; }
  Cluster& At(size_t c) { return s_.clusters[c]; }
  const Cluster& At(size_t c) const { return s_.clusters[c]; }

  bool IsPersonEnd(uint32_t end) const {
    return std::binary_search(s_.person_ends.begin(), s_.person_ends.end(), end);
  }

  // The first token at or after byte `b`, which is token `from` or a later one (tokens before
  // `from` start before `b`).
  size_t TokenAtFrom(size_t from, uint32_t b) const {
    const size_t n = toks_.size();
    if (from >= n || toks_[from].begin >= b) return from;
    // toks_[lo].begin < b; the answer is in (lo, lo + step].
    size_t lo = from, step = 1;
    while (lo + step < n && toks_[lo + step].begin < b) {
      lo += step;
      step *= 2;
    }
    const auto hi = toks_.begin() + static_cast<std::ptrdiff_t>(std::min(n, lo + step));
    return std::lower_bound(toks_.begin() + static_cast<std::ptrdiff_t>(lo + 1), hi, b,
                            [](const Token& t, uint32_t v) { return t.begin < v; }) -
           toks_.begin();
  }

  // The first token at or after byte `b`.
  size_t TokenAt(uint32_t b) const {
    return std::lower_bound(toks_.begin(), toks_.end(), b,
                            [](const Token& t, uint32_t v) { return t.begin < v; }) -
           toks_.begin();
  }

  // The words of mention `m` (into s_.words) without honorifics, titles and a possessive "'s";
  // also returns the title words it started with (kept as a title) and the name's span.
  void NameWords(size_t m, Span* name_span, std::string* title) {
    const Mention& mention = mentions_[m];
    auto [b, e] = s_.mention_tokens[m];
    const size_t first = b;
    while (e > b &&
           (Text(e - 1) == "'s" || Text(e - 1) == "\xE2\x80\x99s" || !IsWordToken(toks_[e - 1]))) {
      --e;
    }
    size_t title_end = b;
    if (mention.type == EntityType::kPerson) {
      while (b < e) {
        const std::string_view w = Lower(b);
        if (In(Honorifics(), w)) {
          ++b;
          title_end = b;
        } else if (e - b > 1 && In(TitleWords(), w)) {
          ++b;
          title_end = b;
        } else {
          break;
        }
      }
      // Titles inside the mention ("President Vladimir Putin"), honorifics excluded.
      size_t tb = first;
      while (tb < title_end && In(Honorifics(), Lower(tb))) ++tb;
      if (tb < title_end) {
        title->assign(text_.substr(toks_[tb].begin, toks_[title_end - 1].end - toks_[tb].begin));
      }
    }
    std::vector<std::string_view>& words = s_.words;
    words.clear();
    if (b >= e) {
      *name_span = mention.span;
      words.push_back(LowerSlice(mention.span));
      return;
    }
    *name_span = {toks_[b].begin, toks_[e - 1].end};
    for (size_t i = b; i < e; ++i) {
      if (!IsWordToken(toks_[i])) continue;
      if (mention.type != EntityType::kPerson && i == b && Lower(i) == "the") continue;
      words.push_back(Lower(i));
    }
    if (words.empty()) words.push_back(LowerSlice(*name_span));
  }

  // The words joined by single spaces: a view of the first bytes of s_.key, valid until the
  // next call.
  std::string_view Key(const std::vector<std::string_view>& words) {
    // Sized first, then copied: a space goes before a word once the key is not empty. The buffer
    // only grows (no resize call and zero-fill per mention).
    std::string& k = s_.key;
    size_t size = 0;
    for (const std::string_view w : words) size += (size > 0) + w.size();
    if (k.size() < size) k.resize(std::max(size, 2 * k.size()));
    char* p = k.data();
    for (const std::string_view w : words) {
      if (p != k.data()) *p++ = ' ';
      if (!w.empty()) std::memcpy(p, w.data(), w.size());
      p += w.size();
    }
    return std::string_view(k.data(), size);
  }

  // Schwartz-Hearst pairs "Long Form (SF)" and "SF (Long Form)" among the mentions.
  void FindAcronyms() {
    for (size_t m = 0; m < mentions_.size(); ++m) {
      auto [b, e] = s_.mention_tokens[m];
      // Long form mention followed by "( SF )".
      // An organisation's all-capitals short form beside its name of several words counts even
      // when its letters do not match the (translated) name: "Spanish Socialist Workers' Party
      // (PSOE)", "the ELN (National Liberation Army)"; not "DENVER (AP)".
      const bool org = mentions_[m].type == EntityType::kOrganization && e > b + 1;
      if (e + 2 < toks_.size() && Text(e) == "(" && Text(e + 2) == ")" &&
          LooksLikeAcronym(Text(e + 1), toks_[e + 1]) &&
          (IsAcronymOf(Text(e + 1), Slice(text_, mentions_[m].span)) ||
           (org && IsAllCapsWord(Text(e + 1))))) {
        s_.acronym_of[AbslView(Text(e + 1))] = m;
        continue;
      }
      // "SF ( Long Form )": the mention sits inside parentheses after an acronym-like token.
      if (b >= 2 && e < toks_.size() && Text(b - 1) == "(" && Text(e) == ")" &&
          LooksLikeAcronym(Text(b - 2), toks_[b - 2]) &&
          (IsAcronymOf(Text(b - 2), Slice(text_, mentions_[m].span)) ||
           (org && IsAllCapsWord(Text(b - 2))))) {
        s_.acronym_of[AbslView(Text(b - 2))] = m;
      }
    }
  }

  // Sets cluster c's canonical name.
  void SetName(Cluster& cl, const std::vector<std::string_view>& words, Span name_span) {
    cl.name_tokens.assign(words.begin(), words.end());
    cl.name_span = name_span;
    const std::string_view name = Slice(text_, name_span);
    const bool was_acronym = cl.name_is_acronym;
    if (cl.name_tokens.size() == 1) {
      const size_t nb = TokenAt(name_span.begin);
      cl.name_is_acronym = nb < toks_.size() && LooksLikeAcronym(name, toks_[nb]);
    } else {
      cl.name_is_acronym = false;
    }
    if (cl.type != EntityType::kPerson) {
      s_.acronym_names += static_cast<int>(cl.name_is_acronym) - static_cast<int>(was_acronym);
    }
    cl.initials_ready = false;
  }

  // Cluster c's `initials`, computed on first use after its name was set.
  const std::string& Initials(size_t c) {
    Cluster& cl = At(c);
    if (!cl.initials_ready) {
      const std::string_view name = Slice(text_, cl.name_span);
      if (cl.name_is_acronym) {
        AcronymLetters(name, &cl.initials);
      } else {
        NameInitials(name, &cl.initials);
      }
      cl.initials_ready = true;
    }
    return cl.initials;
  }

  void Join(size_t c, size_t m, const std::vector<std::string_view>& words, Span name_span,
            const std::string& title) {
    Cluster& cl = At(c);
    cl.mentions.push_back(mentions_[m].span);
    mentions_[m].type = cl.type;  // consistency with the cluster
    if (words.size() > cl.name_tokens.size()) SetName(cl, words, name_span);
    cl.last_seen = s_.mention_tokens[m].first;
    AddTitle(c, title);
    AddAppositiveAndPrenameTitles(c, m);
    s_.mention_cluster[m] = c;
  }

  void AddTitle(size_t c, std::string_view title) {
    if (title.empty()) return;
    auto& titles = At(c).titles;
    if (std::find(titles.begin(), titles.end(), title) == titles.end()) titles.emplace_back(title);
  }

  size_t NewCluster(size_t m, const std::vector<std::string_view>& words, Span name_span,
                    const std::string& title) {
    if (s_.num_clusters == s_.clusters.size()) s_.clusters.emplace_back();
    const size_t c = s_.num_clusters++;
    Cluster& cl = At(c);
    cl.type = mentions_[m].type;
    cl.name_is_acronym = false;  // a reused cluster: its old name no longer counts
    SetName(cl, words, name_span);
    cl.mentions.clear();
    cl.aliases.clear();
    cl.titles.clear();
    cl.mentions.push_back(mentions_[m].span);
    cl.last_seen = s_.mention_tokens[m].first;
    AddTitle(c, title);
    AddAppositiveAndPrenameTitles(c, m);
    s_.mention_cluster[m] = c;
    return c;
  }

  // The most recently seen person cluster whose name starts or ends with `word`; failing that,
  // one whose name of three or more words holds it inside ("Ortega" of "Javier Ortega Ruiz",
  // the first of two Spanish surnames). Particles ("bin", "de") never match.
  std::optional<size_t> PersonByPart(std::string_view word) const {
    std::optional<size_t> best, inner;
    if (IsNameParticle(word)) return best;
    for (size_t c = 0; c < NumClusters(); ++c) {
      const Cluster& cl = At(c);
      if (cl.type != EntityType::kPerson || cl.name_tokens.empty()) continue;
      if (cl.name_tokens.front() == word || cl.name_tokens.back() == word) {
        if (!best || cl.last_seen > At(*best).last_seen) best = c;
      } else if (cl.name_tokens.size() >= 3 &&
                 std::find(cl.name_tokens.begin() + 1, cl.name_tokens.end() - 1, word) !=
                     cl.name_tokens.end() - 1) {
        if (!inner || cl.last_seen > At(*inner).last_seen) inner = c;
      }
    }
    return best ? best : inner;
  }

  // The most recently seen person cluster whose longer name ends with `words` ("Quiroga Salinas"
  // of "María Fernanda Quiroga Salinas", "bin Salman" of "Mohammed bin Salman").
  std::optional<size_t> PersonBySuffix(const std::vector<std::string_view>& words) const {
    std::optional<size_t> best;
    for (size_t c = 0; c < NumClusters(); ++c) {
      const Cluster& cl = At(c);
      if (cl.type != EntityType::kPerson || cl.name_tokens.size() <= words.size()) continue;
      if (!std::equal(words.begin(), words.end(), cl.name_tokens.end() - words.size())) continue;
      if (!best || cl.last_seen > At(*best).last_seen) best = c;
    }
    return best;
  }

  // For a non-person mention: the most recent non-person cluster that it names by acronym, in
  // either direction ("EPA" after "Environmental Protection Agency", "United States" after
  // "U.S."), without a parenthesised definition. Returns the cluster and the acronym (a view
  // into the text).
  std::optional<std::pair<size_t, std::string_view>> ByUndefinedAcronym(size_t m) {
    auto [b, e] = s_.mention_tokens[m];
    const std::string_view surface = Slice(text_, mentions_[m].span);
    const bool is_acronym = e == b + 1 && LooksLikeAcronym(surface, toks_[b]);
    std::optional<std::pair<size_t, std::string_view>> best;
    if (!is_acronym && (e <= b + 1 || s_.acronym_names == 0)) return best;
    // The mention's letters (an acronym, matched against names' initials) or its initials
    // (matched against acronym names' letters).
    std::string& own = s_.initials;
    bool own_ready = false;  // computed when a first cluster needs it
    for (size_t c = 0; c < NumClusters(); ++c) {
      const Cluster& cl = At(c);
      if (cl.type == EntityType::kPerson || cl.name_is_acronym == is_acronym) continue;
      if (!own_ready) {
        if (is_acronym) {
          AcronymLetters(surface, &own);
        } else {
          NameInitials(surface, &own);
        }
        own_ready = true;
      }
      const bool match =
          is_acronym ? InitialsMatch(own, Initials(c)) : InitialsMatch(Initials(c), own);
      if (!match) continue;
      if (!best || cl.last_seen > At(best->first).last_seen) {
        best = {{c, is_acronym ? surface : Slice(text_, cl.name_span)}};
      }
    }
    return best;
  }

  // The letters and digits of an acronym, lower-cased: "U.S." -> "us".
  static void AcronymLetters(std::string_view acronym, std::string* out) {
    out->resize(acronym.size());
    char* o = out->data();
    for (char c : acronym) {
      if (IsAlnumAscii(c)) *o++ = LowerChar(c);
    }
    out->resize(static_cast<size_t>(o - out->data()));
  }

  // The initials of a name's words, lower-cased, function words "of", "and", "for", "the", "de"
  // skipped: "Centers for Disease Control and Prevention" -> "cdcp". A word starts after an
  // ASCII character that is not a letter or digit.
  static void NameInitials(std::string_view name, std::string* out) {
    // Written through a pointer into room for one initial per byte, then trimmed: no push_back
    // per initial. A byte is a separator (ASCII, not a letter or digit) or part of a word.
    out->resize(name.size());
    char* o = out->data();
    const unsigned char* s = reinterpret_cast<const unsigned char*>(name.data());
    const size_t n = name.size();
    size_t i = 0;
    while (true) {
      while (i < n && IsSeparatorByte(s[i])) ++i;
      if (i == n) break;
      const size_t start = i++;
      while (i < n && !IsSeparatorByte(s[i])) ++i;
      // A function word is a whole word of 2 or 3 letters before a space, a hyphen or the end.
      const size_t len = i - start;
      const bool function_word = len >= 2 && len <= 3 && (i == n || s[i] == ' ' || s[i] == '-') &&
                                 IsFunctionWord(s + start, len);
      if (!function_word) *o++ = LowerChar(static_cast<char>(s[start]));
    }
    out->resize(static_cast<size_t>(o - out->data()));
  }

  // An ASCII byte that is not a letter or digit (NameInitials' word boundary).
  static bool IsSeparatorByte(unsigned char c) {
    static constexpr auto kSeparator = [] {
      std::array<bool, 256> t{};
      for (int c = 0; c < 0x80; ++c) t[c] = !IsAlnumAscii(static_cast<char>(c));
      return t;
    }();
    return kSeparator[c];
  }

  // Without a definition beside it, an acronym must spell the initials of the name's words
  // or, from three letters, begin them: "EPA", "U.S.", "CDC" (Centers for Disease Control and
  // Prevention), not "AP".
  static bool InitialsMatch(std::string_view letters, std::string_view initials) {
    return letters.size() >= 2 &&
           (letters == initials ||
            (letters.size() >= 3 && initials.substr(0, letters.size()) == letters));
  }

  // The `len` (2 or 3) bytes at `p`, of a word (ASCII letters and digits, non-ASCII bytes), are
  // "of", "and", "for", "the" or "de" in any case. `| 0x20` lower-cases a capital and leaves the
  // other bytes of a word outside a-z, so the bytes are compared packed in one integer.
  static bool IsFunctionWord(const unsigned char* p, size_t len) {
    constexpr auto kPack = [](const char* w) {
      uint32_t k = 0;
      for (; *w != '\0'; ++w) k = k << 8 | static_cast<unsigned char>(*w);
      return k;
    };
    uint32_t k = 0;
    for (size_t j = 0; j < len; ++j) k = k << 8 | (p[j] | 0x20u);
    if (len == 2) return k == kPack("of") || k == kPack("de");
    return k == kPack("and") || k == kPack("for") || k == kPack("the");
  }

  // The most recent organisation whose name of several words starts with the single word of an
  // organisation mention and ends in a company suffix ("Corp", "Inc", "Ltd", "Group", ...).
  std::optional<size_t> CompanyByShortName(size_t m,
                                           const std::vector<std::string_view>& words) const {
    static const auto* suffixes = new WordSet{
        "corp",     "corp.",   "corporation", "inc",  "inc.",    "incorporated", "ltd",
        "ltd.",     "limited", "co",          "co.",  "company", "plc",          "group",
        "holdings", "ag",      "sa",          "s.a.", "nv",      "llc"};
    std::optional<size_t> best;
    if (mentions_[m].type != EntityType::kOrganization || words.size() != 1) return best;
    for (size_t c = 0; c < NumClusters(); ++c) {
      const Cluster& cl = At(c);
      if (cl.type != EntityType::kOrganization || cl.name_tokens.size() < 2 ||
          cl.name_tokens.front() != words[0] || !In(*suffixes, cl.name_tokens.back())) {
        continue;
      }
      if (!best || cl.last_seen > At(*best).last_seen) best = c;
    }
    return best;
  }

  void AddAlias(size_t c, std::string_view alias) {
    auto& aliases = At(c).aliases;
    if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) {
      aliases.emplace_back(alias);
    }
  }

  // by_key[key] = c.
  void SetKey(std::string_view key, size_t c) {
    // One hash and probe: a new key is stored and inserted where the probe ended.
    const auto it = s_.by_key.lazy_emplace(AbslView(key), [&](const auto& construct) {
      construct(AbslView(s_.key_storage.Store(key)), c);
    });
    it->second = c;
  }

  std::optional<size_t> FindKey(std::string_view key) const {
    const auto it = s_.by_key.find(AbslView(key));
    if (it == s_.by_key.end()) return std::nullopt;
    return it->second;
  }

  void Place(size_t m) {
    Span name_span;
    std::string title;
    NameWords(m, &name_span, &title);
    // s_.words and s_.key are overwritten by a nested Place (an acronym's long form placed
    // first), which always returns right after.
    const std::vector<std::string_view>& words = s_.words;
    const std::string_view key = Key(words);
    const std::string_view surface = Slice(text_, mentions_[m].span);
    // An acronym defined for a cluster.
    if (auto it =
            s_.acronym_of.empty() ? s_.acronym_of.end() : s_.acronym_of.find(AbslView(surface));
        it != s_.acronym_of.end() && it->second != m) {
      const size_t long_form = it->second;
      // "the SCO (Shanghai Cooperation Organization)": the long form is placed first.
      if (s_.mention_cluster[long_form] == SIZE_MAX && long_form > m) Place(long_form);
      if (s_.mention_cluster[long_form] != SIZE_MAX) {
        Join(s_.mention_cluster[long_form], m, {}, name_span, title);
        return;
      }
    }
    const std::optional<size_t> by_key = FindKey(key);
    if (mentions_[m].type == EntityType::kPerson) {
      if (by_key && At(*by_key).type == EntityType::kPerson) {
        Join(*by_key, m, words, name_span, title);
        return;
      }
      if (words.size() == 1) {
        if (auto c = PersonByPart(words[0])) {
          Join(*c, m, words, name_span, title);
          return;
        }
        if (by_key) {
          Join(*by_key, m, words, name_span, title);
          return;
        }
      } else {
        // A short form of several words: "Quiroga Salinas", "bin Salman".
        if (auto c = PersonBySuffix(words)) {
          Join(*c, m, words, name_span, title);
          return;
        }
        // A full name after its short form: "Putin ... Vladimir Putin".
        for (size_t c = 0; c < NumClusters(); ++c) {
          const Cluster& cl = At(c);
          if (cl.type == EntityType::kPerson && cl.name_tokens.size() == 1 &&
              (cl.name_tokens[0] == words.front() || cl.name_tokens[0] == words.back())) {
            Join(c, m, words, name_span, title);
            SetKey(key, c);
            return;
          }
        }
      }
      SetKey(key, NewCluster(m, words, name_span, title));
      return;
    }
    // Organisations, places, other names: the same normalised name.
    if (by_key) {
      Join(*by_key, m, words, name_span, title);
      return;
    }
    // An acronym used without a definition, or a full name after its acronym.
    if (auto hit = ByUndefinedAcronym(m)) {
      Join(hit->first, m, words, name_span, title);
      SetKey(key, hit->first);
      AddAlias(hit->first, hit->second);
      return;
    }
    // A company's short name: "Toyota" after "Toyota Motor Corp".
    if (auto c = CompanyByShortName(m, words); c) {
      Join(*c, m, words, name_span, title);
      AddAlias(*c, Slice(text_, name_span));
      return;
    }
    // A single word that names a person of the article ("Wang" tagged LOC).
    if (words.size() == 1) {
      if (auto c = PersonByPart(words[0])) {
        Join(*c, m, words, name_span, title);
        return;
      }
    }
    SetKey(key, NewCluster(m, words, name_span, title));
  }

  // Pre-name titles ("Russian President Vladimir Putin") and appositive roles ("Wang Yi,
  // director of the Office of ...") of a person mention.
  void AddAppositiveAndPrenameTitles(size_t c, size_t m) {
    if (At(c).type != EntityType::kPerson) return;
    auto [b, e] = s_.mention_tokens[m];
    // Pre-name: a run of capitalised words (and "of", "for", "and") that holds a title word; next
    // to the name also lower-case title words ("Kremlin spokesman", "chief executive").
    size_t j = b;
    bool has_title_word = false;
    bool lower_ok = true;  // only lower-case title words so far
    while (j > 0) {
      const Token& t = toks_[j - 1];
      const std::string_view w = Lower(j - 1);
      const bool lower_title =
          lower_ok && t.kind == TokenKind::kWord && t.shape == TokenShape::kLower && IsTitleWord(w);
      if (!lower_title) lower_ok = false;
      if (lower_title || IsCapitalizedToken(t) ||
          (t.kind == TokenKind::kWord && IsTitleConnector(w) && j < b)) {
        if (In(Honorifics(), w) || IsPersonEnd(t.end)) break;  // not another name
        has_title_word |= IsTitleWord(w);
        --j;
        if (t.Has(kSentenceStart)) break;
        continue;
      }
      break;
    }
    while (j < b && (IsTitleConnector(Lower(j)) || Lower(j) == "the")) ++j;
    // The run must end in a title word ("Foreign Minister", not "Minister Smith's party"), or in
    // a phrase that a connector joins to one ("Minister of Mining and Heavy Industry").
    bool ends_title = false;
    for (size_t i = b; i > j; --i) {
      if (IsTitleWord(Lower(i - 1))) {
        ends_title = i == b || IsTitleConnector(Lower(i));
        break;
      }
    }
    if (has_title_word && j < b && ends_title) {
      // Leave out a leading word that only starts the sentence ("Then President ...").
      AddTitle(c, text_.substr(toks_[j].begin, toks_[b - 1].end - toks_[j].begin));
    }
    // Appositive: ", <role phrase>" up to the next clause boundary.
    if (e + 1 < toks_.size() && Text(e) == ",") {
      size_t k = e + 1;
      bool role = false;
      for (size_t i = k; i < std::min(toks_.size(), k + 4); ++i) {
        const std::string_view w = Lower(i);
        if (In(RoleWords(), w)) {
          role = true;
          break;
        }
        if (!(w == "a" || w == "an" || w == "the" || w == "also" || w == "its" || w == "his" ||
              w == "her" || w == "their" || w == "former" || w == "senior" || w == "deputy" ||
              w == "acting" || w == "chief" || IsCapitalizedToken(toks_[i]))) {
          break;
        }
      }
      if (!role || toks_[k].shape == TokenShape::kCapitalized) {
        // A role starts lower-case ("director of ...") or with a title word ("Foreign Minister").
        if (!role || !In(TitleWords(), Lower(k))) return;
      }
      size_t end = k;
      const size_t limit = std::min(toks_.size(), k + 40);
      while (end < limit) {
        const std::string_view w = Text(end);
        if (w == "(") {
          size_t close = end + 1;
          while (close < limit && Text(close) != ")" && close < end + 8) ++close;
          if (close < limit && Text(close) == ")") {
            end = close + 1;
            continue;
          }
          break;
        }
        if (w == "," || w == "." || w == ";" || w == ":" || toks_[end].kind == TokenKind::kQuote ||
            toks_[end].kind == TokenKind::kDash || toks_[end].Has(kSentenceStart)) {
          break;
        }
        const std::string_view lw = Lower(end);
        if (lw == "said" || lw == "says" || lw == "told" || lw == "added") break;
        ++end;
      }
      while (k < end && IsRoleLeadIn(Lower(k))) ++k;  // "a", "also", "its"
      if (end > k) AddTitle(c, text_.substr(toks_[k].begin, toks_[end - 1].end - toks_[k].begin));
    }
  }

  // Every use of a defined acronym after its definition becomes a mention of its entity.
  void AddAcronymUses() {
    if (s_.acronym_of.empty()) return;
    // Cheap filters before the lookup: the short forms' lengths and first bytes.
    size_t min_len = SIZE_MAX, max_len = 0;
    std::array<bool, 256> first{};
    for (const auto& [short_form, m] : s_.acronym_of) {
      min_len = std::min(min_len, short_form.size());
      max_len = std::max(max_len, short_form.size());
      first[static_cast<unsigned char>(short_form[0])] = true;
    }
    // Every mention before this pass, by start: a token where one starts is already a mention,
    // and one inside a longer mention is part of a name. (A use added below starts at its own
    // token, which no later token shares, so the list need not grow.)
    std::vector<Span>& spans = s_.spans;
    spans.clear();
    for (size_t c = 0; c < NumClusters(); ++c) {
      spans.insert(spans.end(), At(c).mentions.begin(), At(c).mentions.end());
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    auto in_mention = [&](const Token& t) {
      auto it = std::upper_bound(spans.begin(), spans.end(), t.begin,
                                 [](uint32_t v, const Span& s) { return v < s.begin; });
      if (it == spans.begin()) return false;
      --it;  // the last mention that starts at or before the token
      return it->begin == t.begin || t.end <= it->end;
    };
    // The tokens through a local pointer and count: the lookups and push_backs below would make
    // the compiler reload them from the vector at every token.
    const Token* toks = toks_.data();
    const size_t num_tokens = toks_.size();
    const char* text = text_.data();
    for (size_t i = 0; i < num_tokens; ++i) {
      const Token& t = toks[i];
      const size_t size = t.end - t.begin;
      if (t.kind != TokenKind::kWord || size < min_len || size > max_len ||
          !first[static_cast<unsigned char>(text[t.begin])]) {
        continue;
      }
      const auto it = s_.acronym_of.find(AbslView(Text(i)));
      if (it == s_.acronym_of.end()) continue;
      const size_t c = s_.mention_cluster[it->second];
      if (c == SIZE_MAX) continue;
      Cluster& cl = At(c);
      if (std::find(cl.aliases.begin(), cl.aliases.end(), it->first) == cl.aliases.end()) {
        cl.aliases.push_back(it->first);
      }
      if (in_mention(t)) continue;
      cl.mentions.push_back({t.begin, t.end});
    }
  }

  void Export(std::vector<Entity>* entities) {
    RecycleInto(entities, &s_);
    // Ids in order of first mention.
    std::vector<size_t>& order = s_.order;
    order.resize(NumClusters());
    for (size_t c = 0; c < NumClusters(); ++c) {
      std::sort(At(c).mentions.begin(), At(c).mentions.end(),
                [](const Span& a, const Span& b) { return a.begin < b.begin; });
      order[c] = c;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return At(a).mentions.front().begin < At(b).mentions.front().begin;
    });
    entities->reserve(NumClusters());
    for (size_t c : order) {
      Cluster& cl = At(c);
      // Copied, not moved: the cluster's vectors keep their capacity for the next article, and
      // the entity's own storage comes from a spare one where there is one.
      Entity& e = entities->emplace_back();
      if (!s_.spare.empty()) {
        e = std::move(s_.spare.back());
        s_.spare.pop_back();
      }
      e.id = static_cast<uint32_t>(entities->size() - 1);
      e.type = cl.type;
      e.name.assign(Slice(text_, cl.name_span));
      e.mentions.assign(cl.mentions.begin(), cl.mentions.end());
      e.aliases.assign(cl.aliases.begin(), cl.aliases.end());
      e.titles.assign(cl.titles.begin(), cl.titles.end());
    }
  }

  std::string_view text_;
  const TokenVector& toks_;
  std::vector<Mention>& mentions_;
  ConsolidationScratch::Impl& s_;
};

}  // namespace

bool IsAcronymOf(std::string_view short_form, std::string_view long_form) {
  // Schwartz & Hearst (2003): match the short form's characters right to left in the long
  // form; the first character must start a word of the long form.
  int s = static_cast<int>(short_form.size()) - 1;
  int l = static_cast<int>(long_form.size()) - 1;
  if (s < 1 || long_form.size() <= short_form.size()) return false;
  while (s >= 0) {
    const char c = LowerChar(short_form[s]);
    if (!IsAlnumAscii(c)) {
      --s;
      continue;
    }
    while (l >= 0 &&
           (LowerChar(long_form[l]) != c || (s == 0 && l > 0 && IsAlnumAscii(long_form[l - 1])))) {
      --l;
    }
    if (l < 0) return false;
    --l;
    --s;
  }
  return true;
}

void Consolidate(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions,
                 std::vector<Entity>* entities, ConsolidationScratch* scratch) {
  Consolidator(text, tokens, mentions, scratch->impl_.get()).Run(entities);
}

void RecycleEntities(std::vector<Entity>* entities, ConsolidationScratch* scratch) {
  RecycleInto(entities, scratch->impl_.get());
}

void Consolidate(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions,
                 std::vector<Entity>* entities) {
  ConsolidationScratch scratch;
  Consolidate(text, tokens, mentions, entities, &scratch);
}

}  // namespace newsparse
