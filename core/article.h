// The Article model: the result of parsing one news article.
//
// Every position is a UTF-8 byte span [begin, end) into the text that was parsed. The JSON form
// (article_json.h) converts them to Unicode code point offsets. A field that a stage did not fill
// (because the stage was not run, or found nothing) is empty / std::nullopt: nothing is ever
// invented.
//
// Lifetime of the dateline's strings: the string fields of Place (city, region, country) and
// Source (name) are std::string_views, not owned strings (building owned copies was a fifth of
// the dateline parser's cost). Each one points either into the parsed text (a region as written,
// a city not in the place table) or into the immutable tables of the DatelineParser (or Engine)
// that parsed it (a normalised city, a country code, an agency name). They are valid for as long
// as BOTH that text and that parser/engine live; they are not NUL-terminated. A caller that keeps
// a Dateline longer than either must copy them (the Python module and the C ABI do). The other
// derived strings (entity names, credit kinds, ISO dates of DateMention) are owned by the Article.
//
// Thread safety: plain values; an Article is owned by one thread at a time.
#ifndef NEWSPARSE_CORE_ARTICLE_H_
#define NEWSPARSE_CORE_ARTICLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/time/civil_time.h"

namespace newsparse {

// A half-open UTF-8 byte range [begin, end) into the parsed text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  bool empty() const { return begin >= end; }
  uint32_t size() const { return end > begin ? end - begin : 0; }
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// The text of `span` inside `text`; empty when the span lies outside it.
inline std::string_view Slice(std::string_view text, Span span) {
  if (span.end > text.size() || span.begin > span.end) return {};
  return text.substr(span.begin, span.end - span.begin);
}

// One place of a dateline: "ANAHEIM, Calif." -> span of the whole, city "Anaheim",
// region "Calif.", country "US". The views follow the lifetime rule in the file comment.
struct Place {
  Span span;                 // the whole place as written, e.g. "KYIV, Ukraine"
  std::string_view city;     // normalised (GeoNames) name, or the written name when unknown
  std::string_view region;   // region or country part as written ("Calif.", "Ukraine"), or empty
  std::string_view country;  // ISO 3166-1 alpha-2 where unambiguous, else empty
};

struct DatelineDate {
  Span span;                            // as written: "Feb. 23", "23 февраля"
  std::optional<absl::CivilDay> value;  // resolved day, or nullopt when it cannot be resolved
};

struct Source {
  Span span;              // as written: "Xinhua", "Reuters", "ТАСС"
  std::string_view name;  // canonical agency name: "Xinhua", "Reuters", "TASS" (a parser table's)
};

struct Dateline {
  Span span;    // the whole dateline, separator included
  Place place;  // the first (or only) place; empty span when none
  // Every place, in order (multi-place datelines). The usual single place is stored inline, so
  // a dateline allocates nothing.
  absl::InlinedVector<Place, 1> places;
  std::optional<DatelineDate> date;
  std::optional<Source> source;
  std::optional<Span> byline;  // "By JOHN SMITH" before the dateline
  uint32_t body_start = 0;     // byte offset where the body text starts
};

// A credit or sign-off at the end of the article ("Reuter", "(Reporting by ...)", "Enditem").
struct Credit {
  std::string kind;  // "signoff", "reporting", "additional_reporting", "editing", "agency", ...
  Span span;
};

enum class EntityType : uint8_t { kPerson, kOrganization, kLocation, kMisc };

// "PER", "ORG", "LOC", "MISC".
std::string_view EntityTypeName(EntityType type);

struct Mention {
  Span span;
  EntityType type = EntityType::kMisc;
};

// One entity of the article: every mention that names it, with its aliases and titles.
struct Entity {
  uint32_t id = 0;
  EntityType type = EntityType::kMisc;
  std::string name;                  // canonical (fullest) name
  std::vector<Span> mentions;        // in text order
  std::vector<std::string> aliases;  // other names (acronyms, short forms)
  std::vector<std::string> titles;   // "Russian President", "director of ..."
};

enum class AttributionKind : uint8_t { kDirect, kIndirect, kMixed };

// "direct", "indirect", "mixed".
std::string_view AttributionKindName(AttributionKind kind);

struct AttributionSource {
  Span span;
  std::optional<uint32_t> entity;  // index into Article::entities (== Entity::id)
  // For a pronoun or role phrase ("he", "a senior diplomat"): the named speaker it refers to, as
  // written in another attribution's source ("Wang Yi"). Set even without entity clusters.
  std::optional<Span> resolved;
};

struct Attribution {
  AttributionKind kind = AttributionKind::kIndirect;
  Span cue;
  std::optional<AttributionSource> source;
  std::vector<Span> content;
};

// A date mentioned in the body, resolved against the article date.
struct DateMention {
  Span span;
  std::string value;  // "YYYY-MM-DD", "YYYY-MM" or "YYYY-Www"
};

struct Article {
  std::optional<Dateline> dateline;
  std::vector<Credit> credits;
  std::vector<Entity> entities;
  std::vector<Attribution> attributions;
  std::vector<DateMention> dates;

  // Empties every field and keeps the vectors' capacity (Articles are reused across parses).
  void Clear();
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ARTICLE_H_
