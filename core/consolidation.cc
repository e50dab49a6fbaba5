#include "core/consolidation.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/status.h"

namespace newsparse {
namespace {

// Honorifics are dropped from names and are not titles.
const absl::flat_hash_set<std::string>& Honorifics() {
  static const auto* s = new absl::flat_hash_set<std::string>{
      "mr",   "mr.",  "mrs",   "mrs.", "ms",   "ms.", "miss", "dr",   "dr.",    "sir",    "dame",
      "lord", "lady", "madam", "mme",  "mme.", "m.",  "herr", "frau", "messrs", "messrs."};
  return *s;
}

// Words that make a run of capitalised words before a name a title.
const absl::flat_hash_set<std::string>& TitleWords() {
  static const auto* s = new absl::flat_hash_set<std::string>{"president",
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
const absl::flat_hash_set<std::string>& RoleWords() {
  static const auto* s = new absl::flat_hash_set<std::string>{"director",
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
bool IsTitleWord(const std::string& w) {
  if (TitleWords().contains(w)) return true;
  const size_t dash = w.rfind('-');
  return dash != std::string::npos && dash + 1 < w.size() &&
         TitleWords().contains(w.substr(dash + 1));
}

// Name particles that never stand alone for a person ("bin", "de", "van").
bool IsNameParticle(std::string_view w) {
  static const auto* s = new absl::flat_hash_set<std::string>{
      "bin",   "ibn", "bint", "al", "el", "abu", "de",  "da",  "das", "do",  "dos", "del",
      "della", "di",  "du",   "la", "le", "van", "von", "der", "den", "ter", "y",   "e"};
  return s->contains(std::string(w));
}

// Words that may open an appositive role without belonging to it ("a", "also", "its").
bool IsRoleLeadIn(std::string_view w) {
  return w == "a" || w == "an" || w == "the" || w == "also" || w == "its" || w == "his" ||
         w == "her" || w == "their";
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return out;
}

bool IsAlnumAscii(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

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
  if (s.size() < 2 || s.size() > 10 || t.kind != TokenKind::kWord) return false;
  int caps = 0, digits = 0;
  for (char c : s) {
    caps += (c >= 'A' && c <= 'Z');
    digits += (c >= '0' && c <= '9');
  }
  return caps >= 1 && caps + digits >= 2 &&
         (t.shape == TokenShape::kAllCaps || t.shape == TokenShape::kMixed ||
          t.shape == TokenShape::kAlphaNum);
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
  EntityType type;
  std::vector<std::string> name_tokens;  // lower-cased words of the canonical name
  Span name_span;                        // where the canonical name is written
  std::vector<Span> mentions;
  std::vector<std::string> aliases;
  std::vector<std::string> titles;
  size_t last_seen = 0;  // token index of the latest mention (salience)
};

class Consolidator {
 public:
  Consolidator(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions)
      : text_(text), toks_(tokens.tokens), mentions_(*mentions) {}

  void Run(std::vector<Entity>* entities) {
    mention_cluster_.assign(mentions_.size(), SIZE_MAX);
    for (const Mention& m : mentions_) {
      if (m.type == EntityType::kPerson) person_ends_.insert(m.span.end);
    }
    FindAcronyms();
    for (size_t m = 0; m < mentions_.size(); ++m) {
      if (mention_cluster_[m] == SIZE_MAX) Place(m);  // an acronym may have placed it already
    }
    AddAcronymUses();
    Export(entities);
  }

 private:
  std::string_view Text(size_t i) const { return TokenText(text_, toks_[i]); }

  // The first token at or after byte `b`.
  size_t TokenAt(uint32_t b) const {
    return std::lower_bound(toks_.begin(), toks_.end(), b,
                            [](const Token& t, uint32_t v) { return t.begin < v; }) -
           toks_.begin();
  }

  // Token range [first, last) of a span.
  std::pair<size_t, size_t> TokensOf(Span s) const {
    size_t b = TokenAt(s.begin);
    size_t e = b;
    while (e < toks_.size() && toks_[e].end <= s.end) ++e;
    return {b, e};
  }

  // The words of a mention without honorifics, titles and a possessive "'s"; also returns the
  // title words it started with (kept as a title) and the name's span.
  std::vector<std::string> NameWords(const Mention& m, Span* name_span, std::string* title) {
    auto [b, e] = TokensOf(m.span);
    while (e > b &&
           (Text(e - 1) == "'s" || Text(e - 1) == "\xE2\x80\x99s" || !IsWordToken(toks_[e - 1]))) {
      --e;
    }
    size_t title_end = b;
    if (m.type == EntityType::kPerson) {
      while (b < e) {
        const std::string w = LowerAscii(Text(b));
        if (Honorifics().contains(w)) {
          ++b;
          title_end = b;
        } else if (e - b > 1 && TitleWords().contains(w)) {
          ++b;
          title_end = b;
        } else {
          break;
        }
      }
      // Titles inside the mention ("President Vladimir Putin"), honorifics excluded.
      size_t tb = TokensOf(m.span).first;
      while (tb < title_end && Honorifics().contains(LowerAscii(Text(tb)))) ++tb;
      if (tb < title_end) {
        *title =
            std::string(text_.substr(toks_[tb].begin, toks_[title_end - 1].end - toks_[tb].begin));
      }
    }
    std::vector<std::string> words;
    if (b >= e) {
      *name_span = m.span;
      words.push_back(LowerAscii(Slice(text_, m.span)));
      return words;
    }
    *name_span = {toks_[b].begin, toks_[e - 1].end};
    for (size_t i = b; i < e; ++i) {
      if (!IsWordToken(toks_[i])) continue;
      if (m.type != EntityType::kPerson && i == b && LowerAscii(Text(i)) == "the") continue;
      words.push_back(LowerAscii(Text(i)));
    }
    if (words.empty()) words.push_back(LowerAscii(Slice(text_, *name_span)));
    return words;
  }

  static std::string Key(const std::vector<std::string>& words) {
    std::string k;
    for (const std::string& w : words) {
      if (!k.empty()) k.push_back(' ');
      k += w;
    }
    return k;
  }

  // Schwartz-Hearst pairs "Long Form (SF)" and "SF (Long Form)" among the mentions.
  void FindAcronyms() {
    for (size_t m = 0; m < mentions_.size(); ++m) {
      auto [b, e] = TokensOf(mentions_[m].span);
      // Long form mention followed by "( SF )".
      // An organisation's all-capitals short form beside its name of several words counts even
      // when its letters do not match the (translated) name: "Spanish Socialist Workers' Party
      // (PSOE)", "the ELN (National Liberation Army)"; not "DENVER (AP)".
      const bool org = mentions_[m].type == EntityType::kOrganization && e > b + 1;
      if (e + 2 < toks_.size() && Text(e) == "(" && Text(e + 2) == ")" &&
          LooksLikeAcronym(Text(e + 1), toks_[e + 1]) &&
          (IsAcronymOf(Text(e + 1), Slice(text_, mentions_[m].span)) ||
           (org && IsAllCapsWord(Text(e + 1))))) {
        acronym_of_[std::string(Text(e + 1))] = m;
        continue;
      }
      // "SF ( Long Form )": the mention sits inside parentheses after an acronym-like token.
      if (b >= 2 && e < toks_.size() && Text(b - 1) == "(" && Text(e) == ")" &&
          LooksLikeAcronym(Text(b - 2), toks_[b - 2]) &&
          (IsAcronymOf(Text(b - 2), Slice(text_, mentions_[m].span)) ||
           (org && IsAllCapsWord(Text(b - 2))))) {
        acronym_of_[std::string(Text(b - 2))] = m;
      }
    }
  }

  void Join(size_t c, size_t m, const std::vector<std::string>& words, Span name_span,
            const std::string& title) {
    Cluster& cl = clusters_[c];
    cl.mentions.push_back(mentions_[m].span);
    mentions_[m].type = cl.type;  // consistency with the cluster
    if (words.size() > cl.name_tokens.size()) {
      cl.name_tokens = words;
      cl.name_span = name_span;
    }
    cl.last_seen = TokensOf(mentions_[m].span).first;
    AddTitle(c, title);
    AddAppositiveAndPrenameTitles(c, m);
    mention_cluster_[m] = c;
  }

  void AddTitle(size_t c, const std::string& title) {
    if (title.empty()) return;
    auto& titles = clusters_[c].titles;
    if (std::find(titles.begin(), titles.end(), title) == titles.end()) titles.push_back(title);
  }

  size_t NewCluster(size_t m, const std::vector<std::string>& words, Span name_span,
                    const std::string& title) {
    Cluster cl;
    cl.type = mentions_[m].type;
    cl.name_tokens = words;
    cl.name_span = name_span;
    clusters_.push_back(std::move(cl));
    const size_t c = clusters_.size() - 1;
    clusters_[c].mentions.push_back(mentions_[m].span);
    clusters_[c].last_seen = TokensOf(mentions_[m].span).first;
    AddTitle(c, title);
    AddAppositiveAndPrenameTitles(c, m);
    mention_cluster_[m] = c;
    return c;
  }

  // The most recently seen person cluster whose name starts or ends with `word`; failing that,
  // one whose name of three or more words holds it inside ("Ortega" of "Javier Ortega Ruiz",
  // the first of two Spanish surnames). Particles ("bin", "de") never match.
  std::optional<size_t> PersonByPart(const std::string& word) const {
    std::optional<size_t> best, inner;
    if (IsNameParticle(word)) return best;
    for (size_t c = 0; c < clusters_.size(); ++c) {
      const Cluster& cl = clusters_[c];
      if (cl.type != EntityType::kPerson || cl.name_tokens.empty()) continue;
      if (cl.name_tokens.front() == word || cl.name_tokens.back() == word) {
        if (!best || cl.last_seen > clusters_[*best].last_seen) best = c;
      } else if (cl.name_tokens.size() >= 3 &&
                 std::find(cl.name_tokens.begin() + 1, cl.name_tokens.end() - 1, word) !=
                     cl.name_tokens.end() - 1) {
        if (!inner || cl.last_seen > clusters_[*inner].last_seen) inner = c;
      }
    }
    return best ? best : inner;
  }

  // The most recently seen person cluster whose longer name ends with `words` ("Quiroga Salinas"
  // of "María Fernanda Quiroga Salinas", "bin Salman" of "Mohammed bin Salman").
  std::optional<size_t> PersonBySuffix(const std::vector<std::string>& words) const {
    std::optional<size_t> best;
    for (size_t c = 0; c < clusters_.size(); ++c) {
      const Cluster& cl = clusters_[c];
      if (cl.type != EntityType::kPerson || cl.name_tokens.size() <= words.size()) continue;
      if (!std::equal(words.begin(), words.end(), cl.name_tokens.end() - words.size())) continue;
      if (!best || cl.last_seen > clusters_[*best].last_seen) best = c;
    }
    return best;
  }

  // For a non-person mention: the most recent non-person cluster that it names by acronym, in
  // either direction ("EPA" after "Environmental Protection Agency", "United States" after
  // "U.S."), without a parenthesised definition. Returns the cluster and the acronym.
  std::optional<std::pair<size_t, std::string>> ByUndefinedAcronym(size_t m) const {
    auto [b, e] = TokensOf(mentions_[m].span);
    const std::string_view surface = Slice(text_, mentions_[m].span);
    const bool is_acronym = e == b + 1 && LooksLikeAcronym(surface, toks_[b]);
    std::optional<std::pair<size_t, std::string>> best;
    for (size_t c = 0; c < clusters_.size(); ++c) {
      const Cluster& cl = clusters_[c];
      if (cl.type == EntityType::kPerson) continue;
      const std::string_view name = Slice(text_, cl.name_span);
      const size_t nb = TokenAt(cl.name_span.begin);
      const bool name_is_acronym =
          cl.name_tokens.size() == 1 && nb < toks_.size() && LooksLikeAcronym(name, toks_[nb]);
      std::string acronym;
      if (is_acronym && !name_is_acronym && InitialsMatch(surface, name)) {
        acronym = std::string(surface);
      } else if (!is_acronym && name_is_acronym && e > b + 1 && InitialsMatch(name, surface)) {
        acronym = std::string(name);
      } else {
        continue;
      }
      if (!best || cl.last_seen > clusters_[best->first].last_seen) best = {{c, acronym}};
    }
    return best;
  }

  // Without a definition beside it, an acronym must spell the initials of the name's words
  // (function words "of", "and", "for", "the" skipped) or, from three letters, begin them:
  // "EPA", "U.S.", "CDC" (Centers for Disease Control and Prevention), not "AP".
  static bool InitialsMatch(std::string_view acronym, std::string_view name) {
    std::string letters, initials;
    for (char c : acronym) {
      if (IsAlnumAscii(c)) letters.push_back(LowerChar(c));
    }
    bool word_start = true;
    for (size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      if (!IsAlnumAscii(c) && static_cast<unsigned char>(c) < 0x80) {
        word_start = true;
        continue;
      }
      if (word_start) {
        size_t end = i;
        while (end < name.size() && name[end] != ' ' && name[end] != '-') ++end;
        const std::string w = LowerAscii(name.substr(i, end - i));
        if (w != "of" && w != "and" && w != "for" && w != "the" && w != "de") {
          initials.push_back(LowerChar(c));
        }
      }
      word_start = false;
    }
    return letters.size() >= 2 &&
           (letters == initials || (letters.size() >= 3 && initials.rfind(letters, 0) == 0));
  }

  // The most recent organisation whose name of several words starts with the single word of an
  // organisation mention and ends in a company suffix ("Corp", "Inc", "Ltd", "Group", ...).
  std::optional<size_t> CompanyByShortName(size_t m, const std::vector<std::string>& words) const {
    static const auto* suffixes = new absl::flat_hash_set<std::string>{
        "corp",     "corp.",   "corporation", "inc",  "inc.",    "incorporated", "ltd",
        "ltd.",     "limited", "co",          "co.",  "company", "plc",          "group",
        "holdings", "ag",      "sa",          "s.a.", "nv",      "llc"};
    std::optional<size_t> best;
    if (mentions_[m].type != EntityType::kOrganization || words.size() != 1) return best;
    for (size_t c = 0; c < clusters_.size(); ++c) {
      const Cluster& cl = clusters_[c];
      if (cl.type != EntityType::kOrganization || cl.name_tokens.size() < 2 ||
          cl.name_tokens.front() != words[0] || !suffixes->contains(cl.name_tokens.back())) {
        continue;
      }
      if (!best || cl.last_seen > clusters_[*best].last_seen) best = c;
    }
    return best;
  }

  void AddAlias(size_t c, const std::string& alias) {
    auto& aliases = clusters_[c].aliases;
    if (std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) aliases.push_back(alias);
  }

  void Place(size_t m) {
    Span name_span;
    std::string title;
    const std::vector<std::string> words = NameWords(mentions_[m], &name_span, &title);
    const std::string key = Key(words);
    const std::string surface(Slice(text_, mentions_[m].span));
    // An acronym defined for a cluster.
    if (auto it = acronym_of_.find(surface); it != acronym_of_.end() && it->second != m) {
      // "the SCO (Shanghai Cooperation Organization)": the long form is placed first.
      if (mention_cluster_[it->second] == SIZE_MAX && it->second > m) Place(it->second);
      if (mention_cluster_[it->second] != SIZE_MAX) {
        Join(mention_cluster_[it->second], m, {}, name_span, title);
        return;
      }
    }
    if (mentions_[m].type == EntityType::kPerson) {
      if (auto it = by_key_.find(key);
          it != by_key_.end() && clusters_[it->second].type == EntityType::kPerson) {
        Join(it->second, m, words, name_span, title);
        return;
      }
      if (words.size() == 1) {
        if (auto c = PersonByPart(words[0])) {
          Join(*c, m, words, name_span, title);
          return;
        }
        if (auto it = by_key_.find(key); it != by_key_.end()) {
          Join(it->second, m, words, name_span, title);
          return;
        }
      } else {
        // A short form of several words: "Quiroga Salinas", "bin Salman".
        if (auto c = PersonBySuffix(words)) {
          Join(*c, m, words, name_span, title);
          return;
        }
        // A full name after its short form: "Putin ... Vladimir Putin".
        for (size_t c = 0; c < clusters_.size(); ++c) {
          Cluster& cl = clusters_[c];
          if (cl.type == EntityType::kPerson && cl.name_tokens.size() == 1 &&
              (cl.name_tokens[0] == words.front() || cl.name_tokens[0] == words.back())) {
            Join(c, m, words, name_span, title);
            by_key_[key] = c;
            return;
          }
        }
      }
      by_key_[key] = NewCluster(m, words, name_span, title);
      return;
    }
    // Organisations, places, other names: the same normalised name.
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      Join(it->second, m, words, name_span, title);
      return;
    }
    // An acronym used without a definition, or a full name after its acronym.
    if (auto hit = ByUndefinedAcronym(m)) {
      Join(hit->first, m, words, name_span, title);
      by_key_[key] = hit->first;
      AddAlias(hit->first, hit->second);
      return;
    }
    // A company's short name: "Toyota" after "Toyota Motor Corp".
    if (auto c = CompanyByShortName(m, words); c) {
      Join(*c, m, words, name_span, title);
      AddAlias(*c, std::string(Slice(text_, name_span)));
      return;
    }
    // A single word that names a person of the article ("Wang" tagged LOC).
    if (words.size() == 1) {
      if (auto c = PersonByPart(words[0])) {
        Join(*c, m, words, name_span, title);
        return;
      }
    }
    by_key_[key] = NewCluster(m, words, name_span, title);
  }

  // Pre-name titles ("Russian President Vladimir Putin") and appositive roles ("Wang Yi,
  // director of the Office of ...") of a person mention.
  void AddAppositiveAndPrenameTitles(size_t c, size_t m) {
    if (clusters_[c].type != EntityType::kPerson) return;
    auto [b, e] = TokensOf(mentions_[m].span);
    // Pre-name: a run of capitalised words (and "of", "for", "and") that holds a title word; next
    // to the name also lower-case title words ("Kremlin spokesman", "chief executive").
    size_t j = b;
    bool has_title_word = false;
    bool lower_ok = true;  // only lower-case title words so far
    while (j > 0) {
      const Token& t = toks_[j - 1];
      const std::string w = LowerAscii(Text(j - 1));
      const bool lower_title =
          lower_ok && t.kind == TokenKind::kWord && t.shape == TokenShape::kLower && IsTitleWord(w);
      if (!lower_title) lower_ok = false;
      if (lower_title || IsCapitalizedToken(t) ||
          (t.kind == TokenKind::kWord && IsTitleConnector(w) && j < b)) {
        if (Honorifics().contains(w) || person_ends_.contains(t.end)) break;  // not another name
        has_title_word |= IsTitleWord(w);
        --j;
        if (t.Has(kSentenceStart)) break;
        continue;
      }
      break;
    }
    while (j < b && (IsTitleConnector(LowerAscii(Text(j))) || LowerAscii(Text(j)) == "the")) ++j;
    // The run must end in a title word ("Foreign Minister", not "Minister Smith's party"), or in
    // a phrase that a connector joins to one ("Minister of Mining and Heavy Industry").
    bool ends_title = false;
    for (size_t i = b; i > j; --i) {
      if (IsTitleWord(LowerAscii(Text(i - 1)))) {
        ends_title = i == b || IsTitleConnector(LowerAscii(Text(i)));
        break;
      }
    }
    if (has_title_word && j < b && ends_title) {
      // Leave out a leading word that only starts the sentence ("Then President ...").
      AddTitle(c, std::string(text_.substr(toks_[j].begin, toks_[b - 1].end - toks_[j].begin)));
    }
    // Appositive: ", <role phrase>" up to the next clause boundary.
    if (e + 1 < toks_.size() && Text(e) == ",") {
      size_t k = e + 1;
      bool role = false;
      for (size_t i = k; i < std::min(toks_.size(), k + 4); ++i) {
        const std::string w = LowerAscii(Text(i));
        if (RoleWords().contains(w)) {
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
        if (!role || !TitleWords().contains(LowerAscii(Text(k)))) return;
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
        const std::string lw = LowerAscii(w);
        if (lw == "said" || lw == "says" || lw == "told" || lw == "added") break;
        ++end;
      }
      while (k < end && IsRoleLeadIn(LowerAscii(Text(k)))) ++k;  // "a", "also", "its"
      if (end > k) {
        AddTitle(c, std::string(text_.substr(toks_[k].begin, toks_[end - 1].end - toks_[k].begin)));
      }
    }
  }

  // Every use of a defined acronym after its definition becomes a mention of its entity.
  void AddAcronymUses() {
    if (acronym_of_.empty()) return;
    absl::flat_hash_set<uint32_t> known;
    std::vector<Span> spans;  // every mention, to skip an acronym inside a longer name
    for (const Cluster& cl : clusters_) {
      for (const Span& s : cl.mentions) {
        known.insert(s.begin);
        spans.push_back(s);
      }
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    auto inside_mention = [&](const Token& t) {
      auto it = std::upper_bound(spans.begin(), spans.end(), t.begin,
                                 [](uint32_t v, const Span& s) { return v < s.begin; });
      if (it == spans.begin()) return false;
      --it;
      return it->begin < t.begin && t.end <= it->end;
    };
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (toks_[i].kind != TokenKind::kWord) continue;
      const auto it = acronym_of_.find(std::string(Text(i)));
      if (it == acronym_of_.end()) continue;
      const size_t c = mention_cluster_[it->second];
      if (c == SIZE_MAX) continue;
      Cluster& cl = clusters_[c];
      if (std::find(cl.aliases.begin(), cl.aliases.end(), it->first) == cl.aliases.end()) {
        cl.aliases.push_back(it->first);
      }
      if (known.contains(toks_[i].begin) || inside_mention(toks_[i])) continue;
      cl.mentions.push_back({toks_[i].begin, toks_[i].end});
      known.insert(toks_[i].begin);
    }
  }

  void Export(std::vector<Entity>* entities) {
    entities->clear();
    // Ids in order of first mention.
    std::vector<size_t> order(clusters_.size());
    for (size_t c = 0; c < clusters_.size(); ++c) {
      std::sort(clusters_[c].mentions.begin(), clusters_[c].mentions.end(),
                [](const Span& a, const Span& b) { return a.begin < b.begin; });
      order[c] = c;
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return clusters_[a].mentions.front().begin < clusters_[b].mentions.front().begin;
    });
    for (size_t c : order) {
      Cluster& cl = clusters_[c];
      Entity e;
      e.id = static_cast<uint32_t>(entities->size());
      e.type = cl.type;
      e.name = std::string(Slice(text_, cl.name_span));
      e.mentions = std::move(cl.mentions);
      e.aliases = std::move(cl.aliases);
      e.titles = std::move(cl.titles);
      entities->push_back(std::move(e));
    }
  }

  std::string_view text_;
  const TokenVector& toks_;
  std::vector<Mention>& mentions_;
  std::vector<Cluster> clusters_;
  std::vector<size_t> mention_cluster_;
  absl::flat_hash_map<std::string, size_t> by_key_;
  absl::flat_hash_map<std::string, size_t> acronym_of_;  // short form -> defining mention
  absl::flat_hash_set<uint32_t> person_ends_;            // where person mentions end
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
                 std::vector<Entity>* entities) {
  Consolidator(text, tokens, mentions).Run(entities);
}

}  // namespace newsparse
