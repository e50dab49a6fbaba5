/* c_host: a plain C host of libnewsparse.so.1 that dlopen()s the library, negotiates the ABI
 * through newsparse_get_api() and uses nothing but the returned function table.
 *
 *   c_host [--lib PATH] [--threads N] [--field text] [--max-docs N] [--repeat R] CORPUS.jsonl[.gz]
 *       parses every record's text field with N threads sharing one engine (one workspace per
 *       thread) and prints articles/s and MB/s (texts are loaded before timing starts).
 *   c_host [--lib PATH] --dump-json FILE...    one line per file: newsparse_result_json
 *   c_host [--lib PATH] --dump-spans FILE...   one line per file: every record with byte spans
 *   c_host [--lib PATH] --print-data-dir       the engine's default data folder
 *
 * The data folder is the library's default (or --data-dir DIR). Exit status: 0 when every
 * article parsed, 1 otherwise, 2 for bad usage. */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "newsparse/newsparse.h"

#ifndef NEWSPARSE_DEFAULT_LIB
#define NEWSPARSE_DEFAULT_LIB "libnewsparse.so.1"
#endif

static const newsparse_api* api;

/* ---- A growable byte buffer ---------------------------------------------------------------- */

typedef struct {
  char* data;
  size_t size;
  size_t cap;
} buffer;

static void buf_reserve(buffer* b, size_t extra) {
  if (b->size + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->size + extra + 1) cap *= 2;
  b->data = (char*)realloc(b->data, cap);
  if (b->data == NULL) {
    fprintf(stderr, "c_host: out of memory\n");
    exit(1);
  }
  b->cap = cap;
}

static void buf_put(buffer* b, const char* s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->size, s, n);
  b->size += n;
  b->data[b->size] = '\0';
}

static void buf_puts(buffer* b, const char* s) { buf_put(b, s, strlen(s)); }

static void buf_printf_u(buffer* b, unsigned long long v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%llu", v);
  buf_puts(b, tmp);
}

/* Appends `s` as a JSON string; invalid UTF-8 is not expected here (strings come from the
 * library, which writes valid UTF-8). */
static void buf_json_string(buffer* b, const char* s, size_t n) {
  size_t i;
  buf_put(b, "\"", 1);
  for (i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      char esc[2];
      esc[0] = '\\';
      esc[1] = (char)c;
      buf_put(b, esc, 2);
    } else if (c < 0x20) {
      char esc[8];
      snprintf(esc, sizeof esc, "\\u%04x", c);
      buf_puts(b, esc);
    } else {
      buf_put(b, (const char*)&s[i], 1);
    }
  }
  buf_put(b, "\"", 1);
}

/* ---- A tiny JSON Lines text-field extractor ----------------------------------------------- */

static const char* skip_ws(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) ++p;
  return p;
}

static int hex4(const char* p, const char* end, unsigned* out) {
  unsigned v = 0;
  int i;
  if (end - p < 4) return 0;
  for (i = 0; i < 4; ++i) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= (unsigned)(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= (unsigned)(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= (unsigned)(c - 'A' + 10);
    } else {
      return 0;
    }
  }
  *out = v;
  return 1;
}

static void put_utf8(buffer* b, unsigned cp) {
  char s[4];
  if (cp < 0x80) {
    s[0] = (char)cp;
    buf_put(b, s, 1);
  } else if (cp < 0x800) {
    s[0] = (char)(0xC0 | (cp >> 6));
    s[1] = (char)(0x80 | (cp & 0x3F));
    buf_put(b, s, 2);
  } else if (cp < 0x10000) {
    s[0] = (char)(0xE0 | (cp >> 12));
    s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[2] = (char)(0x80 | (cp & 0x3F));
    buf_put(b, s, 3);
  } else {
    s[0] = (char)(0xF0 | (cp >> 18));
    s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[3] = (char)(0x80 | (cp & 0x3F));
    buf_put(b, s, 4);
  }
}

/* Reads the JSON string at p (at its opening quote); unescapes into `out` when not NULL.
 * Returns the position after the closing quote, or NULL when malformed. */
static const char* read_string(const char* p, const char* end, buffer* out) {
  if (p >= end || *p != '"') return NULL;
  ++p;
  while (p < end) {
    const char* run = p;
    while (p < end && *p != '"' && *p != '\\') ++p;
    if (out != NULL) buf_put(out, run, (size_t)(p - run));
    if (p >= end) return NULL;
    if (*p == '"') return p + 1;
    ++p; /* backslash */
    if (p >= end) return NULL;
    if (*p == 'u') {
      unsigned cp, lo;
      if (!hex4(p + 1, end, &cp)) return NULL;
      p += 5;
      if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
          hex4(p + 2, end, &lo) && lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      } else if (cp >= 0xD800 && cp < 0xE000) {
        cp = 0xFFFD; /* lone surrogate */
      }
      if (out != NULL) put_utf8(out, cp);
      continue;
    }
    if (out != NULL) {
      char c;
      switch (*p) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        default:
          c = *p;
          break; /* " \ / */
      }
      buf_put(out, &c, 1);
    }
    ++p;
  }
  return NULL;
}

/* Skips one JSON value (string-aware bracket matching); returns the position after it, or
 * NULL when malformed. */
static const char* skip_value(const char* p, const char* end) {
  int depth = 0;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      p = read_string(p, end, NULL);
      if (p == NULL) return NULL;
      if (depth == 0) return p;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return p;
      if (--depth == 0) return p + 1;
    } else if (depth == 0 && c == ',') {
      return p;
    }
    ++p;
  }
  return depth == 0 ? p : NULL;
}

/* Extracts the string field `field` of the top-level object in [p, end) into `out`.
 * Returns 1 on success, 0 when absent, not a string, or malformed. */
static int extract_field(const char* p, const char* end, const char* field, buffer* out) {
  buffer key = {NULL, 0, 0};
  int found = 0;
  p = skip_ws(p, end);
  if (p >= end || *p != '{') return 0;
  ++p;
  for (;;) {
    p = skip_ws(p, end);
    if (p >= end || *p != '"') break;
    key.size = 0;
    p = read_string(p, end, &key);
    if (p == NULL) break;
    p = skip_ws(p, end);
    if (p >= end || *p != ':') break;
    p = skip_ws(p + 1, end);
    if (key.data != NULL && strcmp(key.data, field) == 0) {
      if (p < end && *p == '"') found = read_string(p, end, out) != NULL;
      break;
    }
    p = skip_value(p, end);
    if (p == NULL) break;
    p = skip_ws(p, end);
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    break;
  }
  free(key.data);
  return found;
}

/* ---- Corpus loading ------------------------------------------------------------------------ */

typedef struct {
  char** texts;
  uint64_t* sizes;
  size_t count;
  size_t cap;
  uint64_t bytes;
} corpus;

static int load_corpus(const char* path, const char* field, size_t max_docs, corpus* c) {
  gzFile f = gzopen(path, "rb"); /* reads plain files too */
  buffer line = {NULL, 0, 0};
  char chunk[1 << 16];
  if (f == NULL) {
    fprintf(stderr, "c_host: cannot open %s: %s\n", path, strerror(errno));
    return 0;
  }
  gzbuffer(f, 1 << 20);
  for (;;) {
    int eof = gzgets(f, chunk, sizeof chunk) == NULL;
    if (!eof) buf_puts(&line, chunk);
    if (eof || (line.size > 0 && line.data[line.size - 1] == '\n')) {
      if (line.size > 0) {
        buffer text = {NULL, 0, 0};
        if (extract_field(line.data, line.data + line.size, field, &text)) {
          if (c->count == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 1024;
            c->texts = (char**)realloc(c->texts, c->cap * sizeof(char*));
            c->sizes = (uint64_t*)realloc(c->sizes, c->cap * sizeof(uint64_t));
            if (c->texts == NULL || c->sizes == NULL) return 0;
          }
          c->texts[c->count] = text.data != NULL ? text.data : (char*)calloc(1, 1);
          c->sizes[c->count] = text.size;
          c->bytes += text.size;
          ++c->count;
        } else {
          free(text.data);
        }
        line.size = 0;
      }
      if (eof || (max_docs != 0 && c->count >= max_docs)) break;
    }
  }
  free(line.data);
  gzclose(f);
  return 1;
}

static char* read_file(const char* path, uint64_t* size) {
  FILE* f = fopen(path, "rb");
  buffer b = {NULL, 0, 0};
  char chunk[65536];
  size_t n;
  if (f == NULL) {
    fprintf(stderr, "c_host: cannot open %s: %s\n", path, strerror(errno));
    return NULL;
  }
  buf_reserve(&b, 0);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(&b, chunk, n);
  fclose(f);
  *size = b.size;
  return b.data;
}

/* ---- Parsing ------------------------------------------------------------------------------- */

static newsparse_error new_error(void) {
  newsparse_error e;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  return e;
}

typedef struct {
  const newsparse_engine* engine;
  const corpus* c;
  size_t* next; /* shared work counter (atomic builtins) */
  size_t repeat;
  size_t failures;
  uint64_t records; /* a checksum of what was read, so nothing is optimised away */
} worker_args;

static void* worker(void* arg) {
  worker_args* w = (worker_args*)arg;
  newsparse_workspace* ws = NULL;
  newsparse_error err = new_error();
  const size_t total = w->c->count * w->repeat;
  if (api->workspace_new(w->engine, &ws, &err) != NEWSPARSE_OK) {
    fprintf(stderr, "c_host: workspace: %s\n", err.message);
    w->failures = total;
    return NULL;
  }
  for (;;) {
    const size_t i = __atomic_fetch_add(w->next, 1, __ATOMIC_RELAXED);
    newsparse_result* r = NULL;
    uint32_t n = 0;
    if (i >= total) break;
    if (api->parse(w->engine, ws, w->c->texts[i % w->c->count], w->c->sizes[i % w->c->count], NULL,
                   &r, &err) != NEWSPARSE_OK) {
      ++w->failures;
      continue;
    }
    w->records += api->result_dateline(r) != NULL;
    api->result_mentions(r, &n);
    w->records += n;
    api->result_attributions(r, &n);
    w->records += n;
    api->result_free(r);
  }
  api->workspace_free(ws);
  return NULL;
}

static double clock_seconds(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_seconds(void) { return clock_seconds(CLOCK_MONOTONIC); }

/* CPU time of the whole process (every thread): on a shared machine it shows the cost per
 * article even when the wall clock is dominated by other load. */
static double cpu_seconds(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static int bench(const newsparse_engine* engine, const char* path, const char* field,
                 size_t max_docs, int threads, size_t repeat) {
  corpus c;
  pthread_t* tids;
  worker_args* args;
  size_t next = 0, failures = 0;
  uint64_t records = 0;
  double t0, dt, cpu0, cpu;
  int i;
  memset(&c, 0, sizeof c);
  if (!load_corpus(path, field, max_docs, &c)) return 1;
  if (c.count == 0) {
    fprintf(stderr, "c_host: no record with a string field \"%s\" in %s\n", field, path);
    return 1;
  }
  tids = (pthread_t*)calloc((size_t)threads, sizeof *tids);
  args = (worker_args*)calloc((size_t)threads, sizeof *args);
  t0 = now_seconds();
  cpu0 = cpu_seconds();
  for (i = 0; i < threads; ++i) {
    args[i].engine = engine;
    args[i].c = &c;
    args[i].next = &next;
    args[i].repeat = repeat;
    pthread_create(&tids[i], NULL, worker, &args[i]);
  }
  for (i = 0; i < threads; ++i) {
    pthread_join(tids[i], NULL);
    failures += args[i].failures;
    records += args[i].records;
  }
  dt = now_seconds() - t0;
  cpu = cpu_seconds() - cpu0;
  printf(
      "c_host: %zu articles (%.1f MB) x %zu, %d thread(s): %.3f s, %.0f articles/s, "
      "%.1f MB/s, %zu failed, %llu records; cpu %.3f s, %.1f MB per cpu-second\n",
      c.count, (double)c.bytes / 1e6, repeat, threads, dt, (double)(c.count * repeat) / dt,
      (double)c.bytes * (double)repeat / 1e6 / dt, failures, (unsigned long long)records, cpu,
      (double)c.bytes * (double)repeat / 1e6 / cpu);
  for (next = 0; next < c.count; ++next) free(c.texts[next]);
  free(c.texts);
  free(c.sizes);
  free(tids);
  free(args);
  return failures == 0 ? 0 : 1;
}

/* ---- Dumps --------------------------------------------------------------------------------- */

static void put_span(buffer* b, newsparse_span s) {
  if (s.begin == NEWSPARSE_NONE && s.end == NEWSPARSE_NONE) {
    buf_puts(b, "null");
    return;
  }
  buf_puts(b, "[");
  buf_printf_u(b, s.begin);
  buf_puts(b, ",");
  buf_printf_u(b, s.end);
  buf_puts(b, "]");
}

static void put_str_or_null(buffer* b, newsparse_str s) {
  if (s.size == 0) {
    buf_puts(b, "null");
  } else {
    buf_json_string(b, s.data, s.size);
  }
}

static void put_index(buffer* b, uint32_t i) {
  if (i == NEWSPARSE_NONE) {
    buf_puts(b, "null");
  } else {
    buf_printf_u(b, i);
  }
}

static const char* entity_type_name(uint32_t t) {
  switch (t) {
    case NEWSPARSE_ENTITY_PERSON:
      return "PER";
    case NEWSPARSE_ENTITY_ORGANIZATION:
      return "ORG";
    case NEWSPARSE_ENTITY_LOCATION:
      return "LOC";
    case NEWSPARSE_ENTITY_MISC:
      return "MISC";
    default:
      return "OTHER";
  }
}

static const char* attribution_kind_name(uint32_t k) {
  switch (k) {
    case NEWSPARSE_ATTRIBUTION_DIRECT:
      return "direct";
    case NEWSPARSE_ATTRIBUTION_INDIRECT:
      return "indirect";
    case NEWSPARSE_ATTRIBUTION_MIXED:
      return "mixed";
    default:
      return "other";
  }
}

static void put_place(buffer* b, const newsparse_place* p) {
  buf_puts(b, "{\"span\":");
  put_span(b, p->span);
  buf_puts(b, ",\"city\":");
  buf_json_string(b, p->city.data, p->city.size);
  buf_puts(b, ",\"region\":");
  put_str_or_null(b, p->region);
  buf_puts(b, ",\"country\":");
  put_str_or_null(b, p->country);
  buf_puts(b, "}");
}

static void put_string_range(buffer* b, const newsparse_str* strings, uint32_t begin,
                             uint32_t count) {
  uint32_t i;
  buf_puts(b, "[");
  for (i = 0; i < count; ++i) {
    if (i) buf_puts(b, ",");
    buf_json_string(b, strings[begin + i].data, strings[begin + i].size);
  }
  buf_puts(b, "]");
}

/* Every record of the result with UTF-8 byte spans (the format plugin_api/tests/parity.py
 * rebuilds from the core's JSON form). */
static void dump_spans(const newsparse_result* r, buffer* b) {
  const newsparse_dateline* d = api->result_dateline(r);
  uint32_t n_places, n_credits, n_mentions, n_entities, n_attr, n_dates, n_spans, n_strings,
      n_indices, i, k;
  const newsparse_place* places = api->result_places(r, &n_places);
  const newsparse_credit* credits = api->result_credits(r, &n_credits);
  const newsparse_mention* mentions = api->result_mentions(r, &n_mentions);
  const newsparse_entity* entities = api->result_entities(r, &n_entities);
  const newsparse_attribution* attr = api->result_attributions(r, &n_attr);
  const newsparse_date* dates = api->result_dates(r, &n_dates);
  const newsparse_span* spans = api->result_spans(r, &n_spans);
  const newsparse_str* strings = api->result_strings(r, &n_strings);
  const uint32_t* indices = api->result_indices(r, &n_indices);
  (void)n_spans;
  (void)n_strings;
  (void)n_indices;

  buf_puts(b, "{\"dateline\":");
  if (d == NULL) {
    buf_puts(b, "null");
  } else {
    buf_puts(b, "{\"span\":");
    put_span(b, d->span);
    buf_puts(b, ",\"byline\":");
    put_span(b, d->byline);
    buf_puts(b, ",\"date\":");
    put_span(b, d->date);
    buf_puts(b, ",\"date_value\":");
    if (d->date_year != 0) {
      char day[32];
      snprintf(day, sizeof day, "\"%04d-%02u-%02u\"", (int)d->date_year, (unsigned)d->date_month,
               (unsigned)d->date_day);
      buf_puts(b, day);
    } else {
      buf_puts(b, "null");
    }
    buf_puts(b, ",\"source\":");
    put_span(b, d->source);
    buf_puts(b, ",\"source_name\":");
    if (d->source.begin == NEWSPARSE_NONE) {
      buf_puts(b, "null");
    } else {
      buf_json_string(b, d->source_name.data, d->source_name.size);
    }
    buf_puts(b, ",\"place\":");
    if (d->place.span.begin == NEWSPARSE_NONE) {
      buf_puts(b, "null");
    } else {
      put_place(b, &d->place);
    }
    buf_puts(b, ",\"places\":[");
    for (i = 0; i < n_places; ++i) {
      if (i) buf_puts(b, ",");
      put_place(b, &places[i]);
    }
    buf_puts(b, "],\"body_start\":");
    buf_printf_u(b, d->body_start);
    buf_puts(b, "}");
  }
  buf_puts(b, ",\"credits\":[");
  for (i = 0; i < n_credits; ++i) {
    if (i) buf_puts(b, ",");
    buf_puts(b, "{\"kind\":");
    buf_json_string(b, credits[i].kind_name.data, credits[i].kind_name.size);
    buf_puts(b, ",\"span\":");
    put_span(b, credits[i].span);
    buf_puts(b, "}");
  }
  buf_puts(b, "],\"mentions\":[");
  for (i = 0; i < n_mentions; ++i) {
    if (i) buf_puts(b, ",");
    buf_puts(b, "{\"span\":");
    put_span(b, mentions[i].span);
    buf_puts(b, ",\"type\":\"");
    buf_puts(b, entity_type_name(mentions[i].type));
    buf_puts(b, "\",\"entity\":");
    put_index(b, mentions[i].entity);
    buf_puts(b, "}");
  }
  buf_puts(b, "],\"entities\":[");
  for (i = 0; i < n_entities; ++i) {
    const newsparse_entity* e = &entities[i];
    if (i) buf_puts(b, ",");
    buf_puts(b, "{\"id\":");
    buf_printf_u(b, e->id);
    buf_puts(b, ",\"type\":\"");
    buf_puts(b, entity_type_name(e->type));
    buf_puts(b, "\",\"name\":");
    buf_json_string(b, e->name.data, e->name.size);
    buf_puts(b, ",\"mentions\":[");
    for (k = 0; k < e->mentions_count; ++k) {
      if (k) buf_puts(b, ",");
      put_span(b, mentions[indices[e->mentions_begin + k]].span);
    }
    buf_puts(b, "],\"aliases\":");
    put_string_range(b, strings, e->aliases_begin, e->aliases_count);
    buf_puts(b, ",\"titles\":");
    put_string_range(b, strings, e->titles_begin, e->titles_count);
    buf_puts(b, "}");
  }
  buf_puts(b, "],\"attributions\":[");
  for (i = 0; i < n_attr; ++i) {
    if (i) buf_puts(b, ",");
    buf_puts(b, "{\"kind\":\"");
    buf_puts(b, attribution_kind_name(attr[i].kind));
    buf_puts(b, "\",\"cue\":");
    put_span(b, attr[i].cue);
    buf_puts(b, ",\"source\":");
    put_span(b, attr[i].source);
    buf_puts(b, ",\"entity\":");
    put_index(b, attr[i].source_entity);
    buf_puts(b, ",\"content\":[");
    for (k = 0; k < attr[i].content_count; ++k) {
      if (k) buf_puts(b, ",");
      put_span(b, spans[attr[i].content_begin + k]);
    }
    buf_puts(b, "]}");
  }
  buf_puts(b, "],\"dates\":[");
  for (i = 0; i < n_dates; ++i) {
    if (i) buf_puts(b, ",");
    buf_puts(b, "{\"span\":");
    put_span(b, dates[i].span);
    buf_puts(b, ",\"value\":");
    buf_json_string(b, dates[i].value.data, dates[i].value.size);
    buf_puts(b, "}");
  }
  buf_puts(b, "]}");
}

static int dump(const newsparse_engine* engine, int spans, char** files, int n) {
  newsparse_workspace* ws = NULL;
  newsparse_error err = new_error();
  int i, failures = 0;
  if (api->workspace_new(engine, &ws, &err) != NEWSPARSE_OK) {
    fprintf(stderr, "c_host: workspace: %s\n", err.message);
    return 1;
  }
  for (i = 0; i < n; ++i) {
    uint64_t size = 0;
    char* text = read_file(files[i], &size);
    newsparse_result* r = NULL;
    if (text == NULL || api->parse(engine, ws, text, size, NULL, &r, &err) != NEWSPARSE_OK) {
      if (text != NULL) fprintf(stderr, "c_host: %s: %s\n", files[i], err.message);
      ++failures;
      free(text);
      continue;
    }
    if (spans) {
      buffer b = {NULL, 0, 0};
      dump_spans(r, &b);
      printf("%s\n", b.data);
      free(b.data);
    } else {
      const char* json = NULL;
      uint64_t json_size = 0;
      if (api->result_json(r, text, size, &json, &json_size, &err) != NEWSPARSE_OK) {
        fprintf(stderr, "c_host: %s: %s\n", files[i], err.message);
        ++failures;
      } else {
        fwrite(json, 1, (size_t)json_size, stdout);
        putchar('\n');
      }
    }
    api->result_free(r);
    free(text);
  }
  api->workspace_free(ws);
  return failures == 0 ? 0 : 1;
}

/* ---- main ---------------------------------------------------------------------------------- */

static int usage(void) {
  fprintf(stderr,
          "usage: c_host [--lib PATH] [--data-dir DIR] [--threads N] [--field NAME] "
          "[--max-docs N] [--repeat R] CORPUS.jsonl[.gz]\n"
          "       c_host [--lib PATH] [--data-dir DIR] --dump-json|--dump-spans FILE...\n"
          "       c_host [--lib PATH] --print-data-dir\n");
  return 2;
}

int main(int argc, char** argv) {
  const char* lib = NEWSPARSE_DEFAULT_LIB;
  const char* data_dir = NULL;
  const char* field = "text";
  int threads = 1, mode = 0, i, rc;
  size_t max_docs = 0, repeat = 1;
  void* handle;
  newsparse_get_api_fn get_api;
  newsparse_engine_options options;
  newsparse_engine* engine = NULL;
  newsparse_error err = new_error();

  for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--dump-json") == 0) {
      mode = 1;
    } else if (strcmp(a, "--dump-spans") == 0) {
      mode = 2;
    } else if (strcmp(a, "--print-data-dir") == 0) {
      mode = 3;
    } else if (i + 1 < argc && strcmp(a, "--lib") == 0) {
      lib = argv[++i];
    } else if (i + 1 < argc && strcmp(a, "--data-dir") == 0) {
      data_dir = argv[++i];
    } else if (i + 1 < argc && strcmp(a, "--field") == 0) {
      field = argv[++i];
    } else if (i + 1 < argc && strcmp(a, "--threads") == 0) {
      threads = atoi(argv[++i]);
    } else if (i + 1 < argc && strcmp(a, "--max-docs") == 0) {
      max_docs = (size_t)strtoull(argv[++i], NULL, 10);
    } else if (i + 1 < argc && strcmp(a, "--repeat") == 0) {
      repeat = (size_t)strtoull(argv[++i], NULL, 10);
    } else {
      return usage();
    }
  }
  if (threads < 1 || repeat < 1 || (mode == 0 && argc - i != 1)) return usage();

  handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    fprintf(stderr, "c_host: %s\n", dlerror());
    return 1;
  }
  *(void**)(&get_api) = dlsym(handle, "newsparse_get_api");
  if (get_api == NULL) {
    fprintf(stderr, "c_host: %s has no newsparse_get_api\n", lib);
    return 1;
  }
  api = get_api(NEWSPARSE_ABI_MAJOR);
  if (api == NULL) {
    fprintf(stderr, "c_host: %s does not serve ABI major %d\n", lib, NEWSPARSE_ABI_MAJOR);
    return 1;
  }
  /* This host needs every member up to result_json (minor 0). */
  if (offsetof(newsparse_api, result_json) + sizeof api->result_json > api->struct_size) {
    fprintf(stderr, "c_host: function table too short\n");
    return 1;
  }

  memset(&options, 0, sizeof options);
  options.struct_size = sizeof options;
  options.data_dir = data_dir;
  if (api->engine_open(&options, &engine, &err) != NEWSPARSE_OK) {
    fprintf(stderr, "c_host: %s: %s\n", api->status_string(err.code), err.message);
    return 1;
  }
  if (mode == 3) {
    printf("%s\n", api->engine_data_dir(engine));
    rc = 0;
  } else if (mode == 0) {
    rc = bench(engine, argv[i], field, max_docs, threads, repeat);
  } else {
    rc = dump(engine, mode == 2, argv + i, argc - i);
  }
  api->engine_free(engine);
  dlclose(handle);
  return rc;
}
