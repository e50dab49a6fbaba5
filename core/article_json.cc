#include "core/article_json.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace newsparse {
namespace {

// "00" "01" ... "99".
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes into `out` through a cursor: the string is grown ahead in chunks and every piece is a
// memcpy or a store at the cursor rather than a std::string::append call (several hundred per
// article). The destructor trims `out` to what was written.
class Writer {
 public:
  Writer(std::string_view text, const OffsetMap& offsets, std::string* out)
      : text_(text), offsets_(offsets), out_(out), pos_(out->size()) {
    // Capacity for the usual record at once (reserve() writes nothing): the record of a
    // reuters2006 article is about 2.4 times its text. Grow() then extends the size within it in
    // small steps, so that only a small margin past the record is ever zero-filled. Capped for a
    // long text, whose record may be much shorter than that: past the cap the string's own
    // doubling takes over.
    const size_t expected = pos_ + std::min<size_t>(text.size(), kMaxReservedText) / 2 * 5 + kChunk;
    if (out->capacity() < expected) out->reserve(expected);
  }
  ~Writer() { out_->resize(pos_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Room for `n` more bytes at the cursor; returns the cursor.
  char* Reserve(size_t n) {
    if (out_->size() - pos_ < n) Grow(n);
    return out_->data() + pos_;
  }
  void Advance(char* end) { pos_ = end - out_->data(); }

  __attribute__((always_inline)) void Raw(std::string_view s) {
    std::memcpy(Reserve(s.size()), s.data(), s.size());
    pos_ += s.size();
  }
  // `s` quoted and escaped as AppendJsonString writes it.
  // Room for the string as it is first: most need no escaping, and the room for the worst case
  // (kMaxEscapedPerByte per byte) is taken only for one that does.
  void Str(std::string_view s) {
    char* p = Reserve(s.size() + 2);
    *p++ = '"';
    if (char* done = WritePlainWords(s, p)) {
      *done = '"';
      Advance(done + 1);
      return;
    }
    p = Reserve(s.size() * kMaxEscapedPerByte + 2) + 1;  // after the '"' written above
    p = WriteEscapedSlow(s, p);
    *p++ = '"';
    Advance(p);
  }
  void Uint(uint64_t v) { Advance(WriteUint(v, Reserve(20))); }

  // The bytes AppendJsonEscaped appends for `s`, written at `p` (which has room for
  // kMaxEscapedPerByte bytes per byte of `s`); returns the end.
  // Str() tries WritePlainWords first, which takes most strings.
  static char* WriteEscapedSlow(std::string_view s, char* p) {
    static constexpr char kHex[] = "0123456789abcdef";
    const char* q = s.data();
    const char* end = q + s.size();
    while (q < end) {
      // Eight plain bytes (printable ASCII other than '"' and '\\') at a time.
      while (end - q >= 8) {
        uint64_t w;
        std::memcpy(&w, q, 8);
        if (!AllPlain(w)) break;
        std::memcpy(p, &w, 8);
        p += 8;
        q += 8;
      }
      if (q == end) break;
      const unsigned char c = static_cast<unsigned char>(*q);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        *p++ = static_cast<char>(c);
        ++q;
        continue;
      }
      if (c < 0x80) {
        *p++ = '\\';
        switch (c) {
          case '"':
            *p++ = '"';
            break;
          case '\\':
            *p++ = '\\';
            break;
          case '\n':
            *p++ = 'n';
            break;
          case '\r':
            *p++ = 'r';
            break;
          case '\t':
            *p++ = 't';
            break;
          case '\b':
            *p++ = 'b';
            break;
          case '\f':
            *p++ = 'f';
            break;
          default:
            std::memcpy(p, "u00", 3);
            p[3] = kHex[c >> 4];
            p[4] = kHex[c & 0xF];
            p += 5;
        }
        ++q;
        continue;
      }
      char32_t cp;
      const int n = DecodeUtf8(q, end, &cp);
      if (cp == kReplacementChar) {
        std::memcpy(p, "\xEF\xBF\xBD", 3);  // U+FFFD
        p += 3;
      } else if (cp == 0x2028 || cp == 0x2029) {
        std::memcpy(p, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);  // safe for JavaScript consumers
        p += 6;
      } else {
        std::memcpy(p, q, n);
        p += n;
      }
      q += n;
    }
    return p;
  }

  // True when none of the 8 bytes of `w` needs escaping: no byte below 0x20, at or above 0x80,
  // '"' or '\\' (exact: each test below is nonzero iff some byte has that property).
  // The same for the 4 bytes of a uint32_t.
  template <typename Word>
  static bool AllPlain(Word w) {
    constexpr Word kOnes = static_cast<Word>(0x0101010101010101ULL);
    constexpr Word kHigh = static_cast<Word>(0x8080808080808080ULL);
    const Word below_space = (w - kOnes * 0x20) & ~w;
    const Word quote = ((w ^ (kOnes * '"')) - kOnes) & ~(w ^ (kOnes * '"'));
    const Word backslash = ((w ^ (kOnes * '\\')) - kOnes) & ~(w ^ (kOnes * '\\'));
    return ((below_space | quote | backslash | w) & kHigh) == 0;
  }

#if defined(__SSE2__)
  // AllPlain for 16 bytes: a signed compare with 0x20 catches the bytes below it and those at or
  // above 0x80 (negative as signed) at once.
  static bool AllPlain16(__m128i v) {
    const __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    return _mm_movemask_epi8(bad) == 0;
  }
#endif

  // Writes `s` at `p` when none of its bytes needs escaping and it has at least 4 of them, with
  // whole words (the last one overlapping the one before); returns the end, or nullptr (having
  // written only plain bytes, which the caller overwrites from `p`).
  static char* WritePlainWords(std::string_view s, char* p) {
    const char* q = s.data();
    const size_t size = s.size();
#if defined(__SSE2__)
    // 16 bytes a step (SSE2 is baseline x86-64), the last block overlapping the one before.
    if (size >= 16) {
      size_t i = 0;
      for (; i + 16 <= size; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i));
        if (!AllPlain16(v)) return nullptr;
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + i), v);
      }
      if (i < size) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + size - 16));
        if (!AllPlain16(v)) return nullptr;
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + size - 16), v);
      }
      return p + size;
    }
#endif
    if (size >= 8) {
      size_t i = 0;
      for (; i + 8 <= size; i += 8) {
        uint64_t w;
        std::memcpy(&w, q + i, 8);
        if (!AllPlain(w)) return nullptr;
        std::memcpy(p + i, &w, 8);
      }
      if (i < size) {
        uint64_t w;
        std::memcpy(&w, q + size - 8, 8);
        if (!AllPlain(w)) return nullptr;
        std::memcpy(p + size - 8, &w, 8);
      }
      return p + size;
    }
    if (size >= 4) {
      uint32_t a, b;
      std::memcpy(&a, q, 4);
      std::memcpy(&b, q + size - 4, 4);
      if (!AllPlain(a) || !AllPlain(b)) return nullptr;
      std::memcpy(p, &a, 4);
      std::memcpy(p + size - 4, &b, 4);
      return p + size;
    }
    return nullptr;
  }

  // Writes the decimal digits of `v` at `p` (room for 20); returns the end.
  static char* WriteUint(uint64_t v, char* p) {
    int n = 1;
    uint64_t x = v;
    for (; x >= 10000; x /= 10000) n += 4;  // offsets have at most 10 digits: two steps
    n += (x >= 10) + (x >= 100) + (x >= 1000);
    char* end = p + n;
    char* q = end;
    while (v >= 100) {
      const char* two = &kDigitPairs[2 * (v % 100)];
      v /= 100;
      *--q = two[1];
      *--q = two[0];
    }
    if (v >= 10) {
      *--q = kDigitPairs[2 * v + 1];
      *--q = kDigitPairs[2 * v];
    } else {
      *--q = static_cast<char>('0' + v);
    }
    return end;
  }

  // [start, end] in code points, after `prefix` and before `suffix` (short literals).
  void Offsets(Span s, std::string_view prefix = {}, std::string_view suffix = {}) {
    char* p = Reserve(prefix.size() + suffix.size() + 24);
    if (!prefix.empty()) std::memcpy(p, prefix.data(), prefix.size());
    p += prefix.size();
    *p++ = '[';
    p = WriteUint(offsets_.ToCodePoint(s.begin), p);
    *p++ = ',';
    p = WriteUint(offsets_.ToCodePoint(s.end), p);
    *p++ = ']';
    if (!suffix.empty()) std::memcpy(p, suffix.data(), suffix.size());
    Advance(p + suffix.size());
  }

  // "text": ..., "span": [..] without braces.
  void SpanFields(Span s) {
    Raw("\"text\":");
    Str(Slice(text_, s));
    Offsets(s, ",\"span\":");
  }

  void SpanObject(Span s) {
    Raw("{\"text\":");
    Str(Slice(text_, s));
    Offsets(s, ",\"span\":", "}");
  }

  void Place(const newsparse::Place& p) {
    Raw("{");
    SpanFields(p.span);
    Raw(",\"city\":");
    Str(p.city);
    Raw(",\"region\":");
    if (p.region.empty()) {
      Raw("null");
    } else {
      Str(p.region);
    }
    Raw(",\"country\":");
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
    Raw(",\"place\":");
    if (d.place.span.empty()) {
      Raw("null");
    } else {
      Place(d.place);
    }
    Raw(",\"places\":");
    Raw("[");
    for (size_t i = 0; i < d.places.size(); ++i) {
      if (i) Raw(",");
      Place(d.places[i]);
    }
    Raw("],\"date\":");
    if (d.date) {
      Raw("{");
      SpanFields(d.date->span);
      Raw(",\"value\":");
      Day(d.date->value);
      Raw("}");
    } else {
      Raw("null");
    }
    Raw(",\"source\":");
    if (d.source) {
      Raw("{");
      SpanFields(d.source->span);
      Raw(",\"name\":");
      Str(d.source->name);
      Raw("}");
    } else {
      Raw("null");
    }
    Raw(",\"byline\":");
    if (d.byline) {
      SpanObject(*d.byline);
    } else {
      Raw("null");
    }
    Raw(",\"body_start\":");
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
  // A byte becomes at most 6 ("\\u00XX"; U+2028 takes 3 bytes to 6, an invalid byte 1 to 3).
  static constexpr size_t kMaxEscapedPerByte = 6;

  // Extends the room by at least a chunk: a few resizes per article, each zero-filling only the
  // new room (within the capacity reserved by the constructor for the usual record);
  // std::string's own capacity doubling keeps appending to a long `out` linear.
  static constexpr size_t kChunk = 1024;
  static constexpr size_t kMaxReservedText = size_t{1} << 20;  // 2.5 MB of room at most
  void Grow(size_t n) { out_->resize(pos_ + std::max(n, kChunk)); }

  std::string_view text_;
  const OffsetMap& offsets_;
  std::string* out_;
  size_t pos_;  // bytes of *out_ written; the rest is room
};

// The start of every record, with kJsonSchemaVersion written out.
constexpr std::string_view kHeaderStart = "{\"schema_version\":1,\"id\":";
static_assert(kJsonSchemaVersion == 1, "update kHeaderStart");

void AppendHeader(std::string_view id_json, std::string* out) {
  out->append(kHeaderStart.data(), kHeaderStart.size());
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
  w.Raw(kHeaderStart);
  w.Raw(id_json.empty() ? std::string_view("null") : id_json);
  w.Raw(",\"error\":null,\"dateline\":");
  if (a.dateline) {
    w.DatelineObject(*a.dateline);
  } else {
    w.Raw("null");
  }
  w.Raw(",\"credits\":");
  w.Raw("[");
  for (size_t i = 0; i < a.credits.size(); ++i) {
    if (i) w.Raw(",");
    w.Raw("{\"kind\":");
    w.Str(a.credits[i].kind);
    w.Raw(",");
    w.SpanFields(a.credits[i].span);
    w.Raw("}");
  }
  w.Raw("],\"entities\":");
  w.Raw("[");
  for (size_t i = 0; i < a.entities.size(); ++i) {
    const Entity& e = a.entities[i];
    if (i) w.Raw(",");
    w.Raw("{\"id\":");
    w.Uint(e.id);
    w.Raw(",\"type\":");
    w.Str(EntityTypeName(e.type));
    w.Raw(",\"name\":");
    w.Str(e.name);
    w.Raw(",\"mentions\":");
    w.Raw("[");
    for (size_t m = 0; m < e.mentions.size(); ++m) {
      if (m) w.Raw(",");
      w.SpanObject(e.mentions[m]);
    }
    w.Raw("],\"aliases\":");
    w.StringList(e.aliases);
    w.Raw(",\"titles\":");
    w.StringList(e.titles);
    w.Raw("}");
  }
  w.Raw("],\"attributions\":");
  w.Raw("[");
  for (size_t i = 0; i < a.attributions.size(); ++i) {
    const Attribution& at = a.attributions[i];
    if (i) w.Raw(",");
    w.Raw("{\"kind\":");
    w.Str(AttributionKindName(at.kind));
    w.Raw(",\"cue\":");
    w.SpanObject(at.cue);
    w.Raw(",\"source\":");
    if (at.source) {
      w.Raw("{");
      w.SpanFields(at.source->span);
      w.Raw(",\"entity\":");
      if (at.source->entity) {
        w.Uint(*at.source->entity);
      } else {
        w.Raw("null");
      }
      w.Raw("}");
    } else {
      w.Raw("null");
    }
    w.Raw(",\"content\":");
    w.Raw("[");
    for (size_t c = 0; c < at.content.size(); ++c) {
      if (c) w.Raw(",");
      w.SpanObject(at.content[c]);
    }
    w.Raw("]}");
  }
  w.Raw("],\"dates\":");
  w.Raw("[");
  for (size_t i = 0; i < a.dates.size(); ++i) {
    if (i) w.Raw(",");
    w.Raw("{");
    w.SpanFields(a.dates[i].span);
    w.Raw(",\"value\":");
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
