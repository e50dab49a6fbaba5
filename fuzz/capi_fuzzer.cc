// The C plugin ABI (plugin_api/include/newsparse/newsparse.h) driven from fuzz bytes through the
// function table a dlopen() host uses: engine_open with options and error structs of any
// struct_size (zero, smaller than, equal to or larger than the library's), NULL handles and
// pointers, parse with random options, every result accessor and result_json. Checks the
// header's contracts: bytes of a caller's struct beyond its struct_size are never written, an
// error fills `code` with the returned status, every span lies in the text or is NONE, every
// index and pool range is in bounds, every string is NUL-terminated.
//
// Input layout: byte 0 flags, bytes 1-4 error struct_size, bytes 5-8 options struct_size, then
// up to 64 bytes of options contents (see below), then the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/engine.h"
#include "newsparse/newsparse.h"

namespace {

const newsparse_api* api = nullptr;
newsparse_engine* engine = nullptr;        // default options
newsparse_engine* small_engine = nullptr;  // max_article_bytes = 64: exercises TOO_LARGE
newsparse_workspace* workspace = nullptr;

constexpr size_t kBuf = 320;  // room for structs larger than the library's (error: 272)
constexpr uint8_t kCanary = 0xA5;

uint32_t Read32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// An error struct of struct_size `size` inside a canary-filled buffer.
struct ErrorBuf {
  alignas(8) unsigned char bytes[kBuf];
  explicit ErrorBuf(uint32_t size) {
    std::memset(bytes, kCanary, sizeof bytes);
    std::memcpy(bytes, &size, 4);
  }
  newsparse_error* get() { return reinterpret_cast<newsparse_error*>(bytes); }
  // Nothing written at or beyond struct_size (nothing at all for struct_size 0), `code` set to
  // the returned status when it lies within struct_size, the message NUL-terminated inside it.
  void Check(int32_t status) const {
    uint32_t size;
    std::memcpy(&size, bytes, 4);
    const size_t from = std::max<size_t>(size, 4);  // struct_size itself is bytes 0-3
    for (size_t i = from; i < kBuf; ++i) {
      if (bytes[i] != kCanary) std::abort();
    }
    if (status == NEWSPARSE_OK || size == 0) return;
    if (size >= offsetof(newsparse_error, code) + 4) {
      int32_t code;
      std::memcpy(&code, bytes + offsetof(newsparse_error, code), 4);
      if (code != status) std::abort();
    }
    const size_t at = offsetof(newsparse_error, message);
    if (size > at) {
      const size_t end = std::min<size_t>(size, at + NEWSPARSE_ERROR_MESSAGE_SIZE);
      if (std::memchr(bytes + at, 0, end - at) == nullptr) std::abort();
    }
  }
};

void CheckSpan(newsparse_span s, uint64_t n, bool may_be_absent) {
  if (s.begin == NEWSPARSE_NONE && s.end == NEWSPARSE_NONE && may_be_absent) return;
  if (s.begin > s.end || s.end > n) std::abort();
}

void CheckStr(newsparse_str s) {
  if (s.data == nullptr || s.data[s.size] != '\0') std::abort();
}

void CheckResult(newsparse_result* r, const char* text, uint64_t n) {
  if (api->result_text_size(r) != n) std::abort();
  uint32_t n_spans, n_strings, n_indices, count;
  const newsparse_span* spans = api->result_spans(r, &n_spans);
  const newsparse_str* strings = api->result_strings(r, &n_strings);
  const uint32_t* indices = api->result_indices(r, &n_indices);
  for (uint32_t i = 0; i < n_spans; ++i) CheckSpan(spans[i], n, false);
  for (uint32_t i = 0; i < n_strings; ++i) CheckStr(strings[i]);
  uint32_t n_mentions, n_entities;
  const newsparse_mention* mentions = api->result_mentions(r, &n_mentions);
  const newsparse_entity* entities = api->result_entities(r, &n_entities);
  for (uint32_t i = 0; i < n_mentions; ++i) {
    CheckSpan(mentions[i].span, n, false);
    if (mentions[i].entity != NEWSPARSE_NONE && mentions[i].entity >= n_entities) std::abort();
  }
  for (uint32_t i = 0; i < n_entities; ++i) {
    const newsparse_entity& e = entities[i];
    if (e.id != i) std::abort();
    CheckStr(e.name);
    if (uint64_t{e.mentions_begin} + e.mentions_count > n_indices ||
        uint64_t{e.aliases_begin} + e.aliases_count > n_strings ||
        uint64_t{e.titles_begin} + e.titles_count > n_strings) {
      std::abort();
    }
    for (uint32_t k = 0; k < e.mentions_count; ++k) {
      if (indices[e.mentions_begin + k] >= n_mentions) std::abort();
    }
  }
  const newsparse_attribution* atts = api->result_attributions(r, &count);
  for (uint32_t i = 0; i < count; ++i) {
    CheckSpan(atts[i].cue, n, false);
    CheckSpan(atts[i].source, n, true);
    if (atts[i].source_entity != NEWSPARSE_NONE && atts[i].source_entity >= n_entities) {
      std::abort();
    }
    if (uint64_t{atts[i].content_begin} + atts[i].content_count > n_spans) std::abort();
  }
  const newsparse_date* dates = api->result_dates(r, &count);
  for (uint32_t i = 0; i < count; ++i) {
    CheckSpan(dates[i].span, n, false);
    CheckStr(dates[i].value);
  }
  const newsparse_credit* credits = api->result_credits(r, &count);
  for (uint32_t i = 0; i < count; ++i) {
    CheckSpan(credits[i].span, n, false);
    CheckStr(credits[i].kind_name);
  }
  uint32_t n_places;
  const newsparse_place* places = api->result_places(r, &n_places);
  for (uint32_t i = 0; i < n_places; ++i) {
    CheckSpan(places[i].span, n, false);
    CheckStr(places[i].city);
    CheckStr(places[i].region);
    CheckStr(places[i].country);
  }
  if (const newsparse_dateline* d = api->result_dateline(r)) {
    CheckSpan(d->span, n, false);
    CheckSpan(d->byline, n, true);
    CheckSpan(d->date, n, true);
    CheckSpan(d->source, n, true);
    CheckSpan(d->place.span, n, true);
    CheckStr(d->source_name);
    if (d->body_start > n || d->places_count != n_places) std::abort();
  } else if (n_places != 0) {
    std::abort();
  }
  // JSON: the right size works; a different size is refused.
  const char* json = nullptr;
  uint64_t json_size = 0;
  if (api->result_json(r, text, n, &json, &json_size, nullptr) != NEWSPARSE_OK) std::abort();
  if (json == nullptr || json[json_size] != '\0' || json_size == 0 || json[0] != '{') std::abort();
  ErrorBuf eb(sizeof(newsparse_error));
  const int32_t s = api->result_json(r, text, n + 1, &json, &json_size, eb.get());
  if (s != NEWSPARSE_ERR_INVALID_ARGUMENT) std::abort();
  eb.Check(s);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  api = newsparse_get_api(NEWSPARSE_ABI_MAJOR);
  if (api == nullptr || newsparse_get_api(NEWSPARSE_ABI_MAJOR + 1) != nullptr) std::abort();
  const std::string data_dir = newsparse::DefaultDataDir();
  newsparse_engine_options eo;
  std::memset(&eo, 0, sizeof eo);
  eo.struct_size = sizeof eo;
  eo.data_dir = data_dir.c_str();
  if (api->engine_open(&eo, &engine, nullptr) != NEWSPARSE_OK) std::abort();
  eo.max_article_bytes = 64;
  if (api->engine_open(&eo, &small_engine, nullptr) != NEWSPARSE_OK) std::abort();
  if (api->workspace_new(engine, &workspace, nullptr) != NEWSPARSE_OK) std::abort();
  // From here on an engine_open that falls back on the default data folder (a struct too short
  // to hold data_dir) fails fast instead of loading the data again for every input.
  setenv("NEWSPARSE_DATA_DIR", "/nonexistent-newsparse-fuzz-data", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kHeader = 9 + 64;
  if (size < kHeader) return 0;
  const uint8_t flags = data[0];
  const uint32_t error_size = Read32(data + 1) % (kBuf + 1);
  const uint32_t options_size = Read32(data + 5) % (kBuf + 1);
  const uint8_t* contents = data + 9;  // 64 bytes copied over the options struct after struct_size
  const char* text = reinterpret_cast<const char*>(data + kHeader);
  const uint64_t n = size - kHeader;

  // Status strings: never NULL, for any code.
  if (api->status_string(static_cast<int32_t>(Read32(data + 1))) == nullptr) std::abort();

  alignas(8) unsigned char options[kBuf];
  std::memset(options, 0, sizeof options);
  std::memcpy(options + 4, contents, 64);
  std::memcpy(options, &options_size, 4);

  if (flags & 0x80) {
    // engine_open with random options: the data folder never exists, so only errors come back.
    newsparse_engine_options* eo = reinterpret_cast<newsparse_engine_options*>(options);
    std::string dir = "/nonexistent-newsparse-fuzz/";
    dir.append(text, std::min<uint64_t>(n, 32));
    if (std::memchr(dir.data(), 0, dir.size()) != nullptr) dir.resize(std::strlen(dir.c_str()));
    if (options_size >= offsetof(newsparse_engine_options, data_dir) + sizeof(char*)) {
      eo->data_dir = (flags & 1) ? nullptr : dir.c_str();
    }
    ErrorBuf eb(error_size);
    newsparse_engine* e = reinterpret_cast<newsparse_engine*>(1);
    const int32_t s = api->engine_open((flags & 2) ? nullptr : eo, (flags & 4) ? nullptr : &e,
                                       (flags & 8) ? nullptr : eb.get());
    if (s == NEWSPARSE_OK) std::abort();
    if (!(flags & 4) && e != nullptr) std::abort();
    if (!(flags & 8)) eb.Check(s);
    return 0;
  }

  // NULL handles and pointers are INVALID_ARGUMENT, never a crash.
  if (flags & 0x40) {
    newsparse_result* r = nullptr;
    ErrorBuf eb(error_size);
    int32_t s = api->parse(nullptr, workspace, text, n, nullptr, &r, eb.get());
    if (s != NEWSPARSE_ERR_INVALID_ARGUMENT || r != nullptr) std::abort();
    eb.Check(s);
    s = api->parse(engine, nullptr, text, n, nullptr, &r, nullptr);
    if (s != NEWSPARSE_ERR_INVALID_ARGUMENT) std::abort();
    s = api->parse(engine, workspace, text, n, nullptr, nullptr, nullptr);
    if (s != NEWSPARSE_ERR_INVALID_ARGUMENT) std::abort();
    if (n > 0 && api->parse(engine, workspace, nullptr, n, nullptr, &r, nullptr) !=
                     NEWSPARSE_ERR_INVALID_ARGUMENT) {
      std::abort();
    }
    if (api->workspace_new(nullptr, nullptr, nullptr) != NEWSPARSE_ERR_INVALID_ARGUMENT) {
      std::abort();
    }
    uint32_t count = 7;
    if (api->result_mentions(nullptr, &count) != nullptr || count != 0) std::abort();
    if (api->result_dateline(nullptr) != nullptr || api->result_text_size(nullptr) != 0) {
      std::abort();
    }
    if (api->engine_data_dir(nullptr)[0] != '\0') std::abort();
    api->result_free(nullptr);
    api->workspace_free(nullptr);
    api->engine_free(nullptr);
    return 0;
  }

  // A parse with random options, on the default or the 64-byte-limit engine, with the shared
  // workspace or a fresh one.
  const newsparse_engine* e = (flags & 1) ? small_engine : engine;
  newsparse_workspace* ws = workspace;
  newsparse_workspace* own = nullptr;
  if (flags & 2) {
    if (api->workspace_new(e, &own, nullptr) != NEWSPARSE_OK) std::abort();
    ws = own;
  }
  ErrorBuf eb(error_size);
  newsparse_result* r = reinterpret_cast<newsparse_result*>(1);
  const int32_t s =
      api->parse(e, ws, n == 0 && (flags & 4) ? nullptr : text, n,
                 (flags & 8) ? nullptr : reinterpret_cast<newsparse_parse_options*>(options), &r,
                 (flags & 0x10) ? nullptr : eb.get());
  if (!(flags & 0x10)) eb.Check(s);
  if (s == NEWSPARSE_OK) {
    if (r == nullptr) std::abort();
    if (e == small_engine && n > 64) std::abort();
    CheckResult(r, text, n);
    api->result_free(r);
  } else {
    if (r != nullptr) std::abort();
    if (s != NEWSPARSE_ERR_INVALID_ARGUMENT && s != NEWSPARSE_ERR_TOO_LARGE) std::abort();
    if (s == NEWSPARSE_ERR_TOO_LARGE && (e != small_engine || n <= 64)) std::abort();
    if (s == NEWSPARSE_ERR_INVALID_ARGUMENT && (flags & 8)) std::abort();  // NULL options: valid
  }
  api->workspace_free(own);
  return 0;
}
