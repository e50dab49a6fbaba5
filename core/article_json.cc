#include "core/article_json.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace newsparse {
namespace {

class Writer {
 public:
  Writer(std::string_view text, const OffsetMap& offsets, std::string* out)
      : text_(text), offsets_(offsets), out_(out) {}

  // The pieces are put together in a small buffer where that saves appends to `out_` (each
  // append is a call into the library): the hot path writes many short pieces per span.
  void Raw(std::string_view s) { out_->append(s.data(), s.size()); }
  void Key(std::string_view k) {
    if (k.size() > 32) {
      out_->push_back('"');
      out_->append(k.data(), k.size());
      out_->append("\":");
      return;
    }
    char buf[36];
    buf[0] = '"';
    std::memcpy(buf + 1, k.data(), k.size());
    buf[k.size() + 1] = '"';
    buf[k.size() + 2] = ':';
    out_->append(buf, k.size() + 3);
  }
  void Str(std::string_view s) { AppendJsonString(s, out_); }
  void Uint(uint64_t v) {
    char buf[20];
    out_->append(buf, WriteUint(v, buf) - buf);
  }

  // Writes the decimal digits of `v` at `p`; returns the end.
  static char* WriteUint(uint64_t v, char* p) {
    char digits[20];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) *p++ = digits[--n];
    return p;
  }

  // [start, end] in code points, after `prefix` and before `suffix`, in one append.
  void Offsets(Span s, std::string_view prefix = {}, std::string_view suffix = {}) {
    char buf[64];
    char* p = buf;
    // prefix and suffix are short literals (the buffer also holds two numbers of at most 10
    // digits and three brackets/commas).
    if (!prefix.empty()) std::memcpy(p, prefix.data(), prefix.size());
    p += prefix.size();
    *p++ = '[';
    p = WriteUint(offsets_.ToCodePoint(s.begin), p);
    *p++ = ',';
    p = WriteUint(offsets_.ToCodePoint(s.end), p);
    *p++ = ']';
    if (!suffix.empty()) std::memcpy(p, suffix.data(), suffix.size());
    p += suffix.size();
    out_->append(buf, p - buf);
  }

  // "text": ..., "span": [..] without braces.
  void SpanFields(Span s) {
    Raw("\"text\":\"");
    AppendJsonEscaped(Slice(text_, s), out_);
    Offsets(s, "\",\"span\":");
  }

  void SpanObject(Span s) {
    Raw("{\"text\":\"");
    AppendJsonEscaped(Slice(text_, s), out_);
    Offsets(s, "\",\"span\":", "}");
  }

  void Place(const newsparse::Place& p) {
    Raw("{");
    SpanFields(p.span);
    Raw(",");
    Key("city");
    Str(p.city);
    Raw(",");
    Key("region");
    if (p.region.empty()) {
      Raw("null");
    } else {
      Str(p.region);
    }
    Raw(",");
    Key("country");
    if (p.country.empty()) {
      Raw("null");
    } else {
      Str(p.country);
    }
    Raw("}");
  }

  void Day(const std::optional<absl::CivilDay>& d) {
    if (d) {
      Str(absl::FormatCivilTime(*d));
    } else {
      Raw("null");
    }
  }

  void DatelineObject(const Dateline& d) {
    Raw("{");
    SpanFields(d.span);
    Raw(",");
    Key("place");
    if (d.place.span.empty()) {
      Raw("null");
    } else {
      Place(d.place);
    }
    Raw(",");
    Key("places");
    Raw("[");
    for (size_t i = 0; i < d.places.size(); ++i) {
      if (i) Raw(",");
      Place(d.places[i]);
    }
    Raw("],");
    Key("date");
    if (d.date) {
      Raw("{");
      SpanFields(d.date->span);
      Raw(",");
      Key("value");
      Day(d.date->value);
      Raw("}");
    } else {
      Raw("null");
    }
    Raw(",");
    Key("source");
    if (d.source) {
      Raw("{");
      SpanFields(d.source->span);
      Raw(",");
      Key("name");
      Str(d.source->name);
      Raw("}");
    } else {
      Raw("null");
    }
    Raw(",");
    Key("byline");
    if (d.byline) {
      SpanObject(*d.byline);
    } else {
      Raw("null");
    }
    Raw(",");
    Key("body_start");
    Uint(offsets_.ToCodePoint(d.body_start));
    Raw("}");
  }

  void StringList(const std::vector<std::string>& v) {
    Raw("[");
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) Raw(",");
      Str(v[i]);
    }
    Raw("]");
  }

 private:
  std::string_view text_;
  const OffsetMap& offsets_;
  std::string* out_;
};

void AppendHeader(std::string_view id_json, std::string* out) {
  absl::StrAppend(out, "{\"schema_version\":", kJsonSchemaVersion, ",\"id\":");
  if (id_json.empty()) {
    out->append("null");
  } else {
    out->append(id_json.data(), id_json.size());
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(s, out);
  out->push_back('"');
}

void AppendArticleJson(std::string_view text, const Article& a, std::string_view id_json,
                       OffsetMap* offsets, std::string* out) {
  offsets->Reset(text);
  Writer w(text, *offsets, out);
  AppendHeader(id_json, out);
  w.Raw(",\"error\":null,");
  w.Key("dateline");
  if (a.dateline) {
    w.DatelineObject(*a.dateline);
  } else {
    w.Raw("null");
  }
  w.Raw(",");
  w.Key("credits");
  w.Raw("[");
  for (size_t i = 0; i < a.credits.size(); ++i) {
    if (i) w.Raw(",");
    w.Raw("{");
    w.Key("kind");
    w.Str(a.credits[i].kind);
    w.Raw(",");
    w.SpanFields(a.credits[i].span);
    w.Raw("}");
  }
  w.Raw("],");
  w.Key("entities");
  w.Raw("[");
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    if (i) w.Raw(",");
    w.Raw("{");
    w.Key("id");
    w.Uint(e.id);
    w.Raw(",");
    w.Key("type");
    w.Str(EntityTypeName(e.type));
    w.Raw(",");
    w.Key("name");
    w.Str(e.name);
    w.Raw(",");
    w.Key("mentions");
    w.Raw("[");
    for (size_t m = 0; m < e.mentions.size(); ++m) {
      if (m) w.Raw(",");
      w.SpanObject(e.mentions[m]);
    }
    w.Raw("],");
    w.Key("aliases");
    w.StringList(e.aliases);
    w.Raw(",");
    w.Key("titles");
    w.StringList(e.titles);
    w.Raw("}");
  }
  w.Raw("],");
  w.Key("attributions");
  w.Raw("[");
  for (size_t i = 0; i < a.attributions.size(); ++i) {
    const Attribution& at = a.attributions[i];
    if (i) w.Raw(",");
    w.Raw("{");
    w.Key("kind");
    w.Str(AttributionKindName(at.kind));
    w.Raw(",");
    w.Key("cue");
    w.SpanObject(at.cue);
    w.Raw(",");
    w.Key("source");
    if (at.source) {
      w.Raw("{");
      w.SpanFields(at.source->span);
      w.Raw(",");
      w.Key("entity");
      if (at.source->entity) {
        w.Uint(*at.source->entity);
      } else {
        w.Raw("null");
      }
      w.Raw("}");
    } else {
      w.Raw("null");
    }
    w.Raw(",");
    w.Key("content");
    w.Raw("[");
    for (size_t c = 0; c < at.content.size(); ++c) {
      if (c) w.Raw(",");
      w.SpanObject(at.content[c]);
    }
    w.Raw("]}");
  }
  w.Raw("],");
  w.Key("dates");
  w.Raw("[");
  for (size_t i = 0; i < a.dates.size(); ++i) {
    if (i) w.Raw(",");
    w.Raw("{");
    w.SpanFields(a.dates[i].span);
    w.Raw(",");
    w.Key("value");
    w.Str(a.dates[i].value);
    w.Raw("}");
  }
  w.Raw("]}");
}

void AppendErrorJson(std::string_view id_json, std::string_view kind, std::string_view message,
                     uint64_t line, std::string* out) {
  AppendHeader(id_json, out);
  out->append(",\"error\":{\"kind\":");
  AppendJsonString(kind, out);
  out->append(",\"message\":");
  AppendJsonString(message, out);
  absl::StrAppend(out, ",\"line\":", line, "}");
  out->append(
      ",\"dateline\":null,\"credits\":[],\"entities\":[],\"attributions\":[],\"dates\":[]}");
}

}  // namespace newsparse
