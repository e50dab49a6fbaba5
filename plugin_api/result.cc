#include "plugin_api/result.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>

namespace newsparse::capi {
namespace {

constexpr newsparse_span kNoSpan = {NEWSPARSE_NONE, NEWSPARSE_NONE};

newsparse_span ToC(Span s) { return {s.begin, s.end}; }

// Borrows `s` (owned by the result's Article, which never changes after BuildResult).
newsparse_str ToC(const std::string& s) {
  newsparse_str out;
  std::memset(&out, 0, sizeof out);
  out.data = s.c_str();
  out.size = static_cast<uint32_t>(s.size());
  return out;
}

uint32_t EntityTypeCode(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return NEWSPARSE_ENTITY_PERSON;
    case EntityType::kOrganization:
      return NEWSPARSE_ENTITY_ORGANIZATION;
    case EntityType::kLocation:
      return NEWSPARSE_ENTITY_LOCATION;
    case EntityType::kMisc:
      return NEWSPARSE_ENTITY_MISC;
  }
  return NEWSPARSE_ENTITY_OTHER;
}

uint32_t AttributionKindCode(AttributionKind kind) {
  switch (kind) {
    case AttributionKind::kDirect:
      return NEWSPARSE_ATTRIBUTION_DIRECT;
    case AttributionKind::kIndirect:
      return NEWSPARSE_ATTRIBUTION_INDIRECT;
    case AttributionKind::kMixed:
      return NEWSPARSE_ATTRIBUTION_MIXED;
  }
  return NEWSPARSE_ATTRIBUTION_OTHER;
}

// A NUL-terminated copy of `s` kept by the result (a deque never moves its elements);
// {"", 0} when `s` is empty.
newsparse_str Own(std::string_view s, std::deque<std::string>* owned) {
  newsparse_str out;
  std::memset(&out, 0, sizeof out);
  out.data = "";
  if (s.empty()) return out;
  const std::string& copy = owned->emplace_back(s);
  out.data = copy.c_str();
  out.size = static_cast<uint32_t>(copy.size());
  return out;
}

std::string_view View(const newsparse_str& s) { return std::string_view(s.data, s.size); }

// Copies the place's strings into `owned` and points the place's views at the copies.
newsparse_place ToC(Place* p, std::deque<std::string>* owned) {
  newsparse_place out;
  std::memset(&out, 0, sizeof out);
  out.span = ToC(p->span);
  out.city = Own(p->city, owned);
  out.region = Own(p->region, owned);
  out.country = Own(p->country, owned);
  p->city = View(out.city);
  p->region = View(out.region);
  p->country = View(out.country);
  return out;
}

uint32_t Count(size_t n) { return static_cast<uint32_t>(n); }

}  // namespace

uint32_t CreditKindCode(std::string_view kind) {
  if (kind == "signoff") return NEWSPARSE_CREDIT_SIGNOFF;
  if (kind == "reporting") return NEWSPARSE_CREDIT_REPORTING;
  if (kind == "additional_reporting") return NEWSPARSE_CREDIT_ADDITIONAL_REPORTING;
  if (kind == "editing") return NEWSPARSE_CREDIT_EDITING;
  if (kind == "agency") return NEWSPARSE_CREDIT_AGENCY;
  return NEWSPARSE_CREDIT_OTHER;
}

void BuildResult(uint64_t text_size, newsparse_result* r) {
  const Article& a = r->article;
  r->text_size = text_size;

  if (r->article.dateline) {
    // The dateline's strings are views into the text, which the result does not keep: they are
    // copied into the result and the Article's views re-pointed at the copies, so that the
    // records and newsparse_result_json never read the caller's (maybe freed) text.
    Dateline& d = *r->article.dateline;
    newsparse_dateline out;
    std::memset(&out, 0, sizeof out);
    out.span = ToC(d.span);
    out.byline = d.byline ? ToC(*d.byline) : kNoSpan;
    out.date = d.date ? ToC(d.date->span) : kNoSpan;
    if (d.date && d.date->value) {
      out.date_year = static_cast<int32_t>(d.date->value->year());
      out.date_month = static_cast<uint8_t>(d.date->value->month());
      out.date_day = static_cast<uint8_t>(d.date->value->day());
    }
    std::deque<std::string>* owned = &r->dateline_strings;
    out.source = d.source ? ToC(d.source->span) : kNoSpan;
    out.source_name = Own(d.source ? d.source->name : std::string_view(), owned);
    if (d.source) d.source->name = View(out.source_name);
    out.place = ToC(&d.place, owned);
    if (d.place.span.empty()) out.place.span = kNoSpan;
    out.body_start = d.body_start;
    out.places_count = Count(d.places.size());
    r->dateline = out;
    r->places.reserve(d.places.size());
    for (Place& p : d.places) r->places.push_back(ToC(&p, owned));
  }

  r->credits.reserve(a.credits.size());
  for (const Credit& c : a.credits) {
    newsparse_credit out;
    std::memset(&out, 0, sizeof out);
    out.span = ToC(c.span);
    out.kind = CreditKindCode(c.kind);
    out.kind_name = ToC(c.kind);
    r->credits.push_back(out);
  }

  // Mentions: every cluster's mentions, sorted into text order; each cluster then lists its own
  // mentions (in text order) as a range of the index pool.
  size_t total_mentions = 0;
  for (const Entity& e : a.entities) total_mentions += e.mentions.size();
  r->mentions.reserve(total_mentions);
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    for (const Span& s : e.mentions) {
      newsparse_mention m;
      std::memset(&m, 0, sizeof m);
      m.span = ToC(s);
      m.type = EntityTypeCode(e.type);
      m.entity = Count(i);
      r->mentions.push_back(m);
    }
  }
  std::stable_sort(r->mentions.begin(), r->mentions.end(),
                   [](const newsparse_mention& x, const newsparse_mention& y) {
                     if (x.span.begin != y.span.begin) return x.span.begin < y.span.begin;
                     return x.span.end < y.span.end;
                   });
  std::vector<uint32_t> first(a.entities.size() + 1, 0);  // counting sort by cluster
  for (const newsparse_mention& m : r->mentions) ++first[m.entity + 1];
  for (size_t i = 1; i < first.size(); ++i) first[i] += first[i - 1];
  r->indices.assign(r->mentions.size(), 0);
  {
    std::vector<uint32_t> next(first.begin(), first.end() - 1);
    for (size_t k = 0; k < r->mentions.size(); ++k) {
      r->indices[next[r->mentions[k].entity]++] = Count(k);
    }
  }

  r->entities.reserve(a.entities.size());
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    newsparse_entity out;
    std::memset(&out, 0, sizeof out);
    out.id = e.id;
    out.type = EntityTypeCode(e.type);
    out.name = ToC(e.name);
    out.mentions_begin = first[i];
    out.mentions_count = first[i + 1] - first[i];
    out.aliases_begin = Count(r->strings.size());
    out.aliases_count = Count(e.aliases.size());
    for (const std::string& s : e.aliases) r->strings.push_back(ToC(s));
    out.titles_begin = Count(r->strings.size());
    out.titles_count = Count(e.titles.size());
    for (const std::string& s : e.titles) r->strings.push_back(ToC(s));
    r->entities.push_back(out);
  }

  r->attributions.reserve(a.attributions.size());
  for (const Attribution& at : a.attributions) {
    newsparse_attribution out;
    std::memset(&out, 0, sizeof out);
    out.kind = AttributionKindCode(at.kind);
    out.cue = ToC(at.cue);
    out.source = at.source ? ToC(at.source->span) : kNoSpan;
    out.source_entity = NEWSPARSE_NONE;
    if (at.source && at.source->entity && *at.source->entity < a.entities.size()) {
      out.source_entity = *at.source->entity;
    }
    out.content_begin = Count(r->spans.size());
    out.content_count = Count(at.content.size());
    for (const Span& s : at.content) r->spans.push_back(ToC(s));
    r->attributions.push_back(out);
  }

  r->dates.reserve(a.dates.size());
  for (const DateMention& dm : a.dates) {
    newsparse_date out;
    std::memset(&out, 0, sizeof out);
    out.span = ToC(dm.span);
    out.value = ToC(dm.value);
    r->dates.push_back(out);
  }
}

}  // namespace newsparse::capi
