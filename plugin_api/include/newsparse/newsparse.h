/*
 * newsparse.h: the stable C ABI of newsparse (ABI major 1).
 *
 * This pure C99 header is the whole binary interface of libnewsparse.so.1. Nothing of C++ crosses
 * it. A host either links the library and calls the functions by name, or dlopen()s
 * "libnewsparse.so.1", looks up the single entry point newsparse_get_api() and calls through the
 * returned function table.
 *
 *   const newsparse_api* api = newsparse_get_api(NEWSPARSE_ABI_MAJOR);
 *   newsparse_engine_options eo;  memset(&eo, 0, sizeof eo);  eo.struct_size = sizeof eo;
 *   newsparse_engine* engine;     api->engine_open(&eo, &engine, &err);   (once, shared)
 *   newsparse_workspace* ws;      api->workspace_new(engine, &ws, &err);   (one per thread)
 *   newsparse_result* r;          api->parse(engine, ws, text, size, NULL, &r, &err);
 *   const newsparse_entity* e = api->result_entities(r, &n);  ...  api->result_free(r);
 *
 * Handles and their lifetimes
 *   newsparse_engine     lexicons and models; immutable after open; shared by any number of
 *                        threads; freed last (after every workspace and result made from it).
 *   newsparse_workspace  scratch memory; used by one thread at a time; reused across parses.
 *   newsparse_result     one parsed article; immutable (except newsparse_result_json, see there);
 *                        owns every array and string it hands out, which stay valid and unchanged
 *                        until newsparse_result_free(). May be read by several threads at once.
 *   The input text is never retained: it may be freed as soon as newsparse_parse() returns.
 *
 * Positions
 *   Every position is a UTF-8 byte offset into the parsed text; a span is half-open
 *   [begin, end). An absent span is {NEWSPARSE_NONE, NEWSPARSE_NONE}; an absent index is
 *   NEWSPARSE_NONE (UINT32_MAX). Invalid UTF-8 is not an error: each maximal invalid subsequence
 *   is analysed as one U+FFFD and keeps its original bytes, so offsets always point into the
 *   input. Texts of 4 GiB or more, or longer than the engine's max_article_bytes, are refused.
 *
 * Records
 *   Output records are plain structs in borrowed arrays owned by the result. They are frozen
 *   within ABI major 1: fixed-width fields, no implicit padding, reserved fields (always 0 today)
 *   for growth. Records refer to each other by index, never by pointer. Fields holding a kind
 *   (entity type, attribution kind, credit kind) are uint32_t; treat unknown values as "other".
 *   Strings are borrowed UTF-8 (newsparse_str): pointer and byte length, also NUL-terminated;
 *   an absent string is {"", 0}.
 *
 * Errors
 *   Every call that can fail returns an int32_t status (NEWSPARSE_OK or a NEWSPARSE_ERR_* code)
 *   and takes an optional caller-owned newsparse_error (NULL: no details). No globals, no
 *   thread-locals. No function throws, longjmps or aborts; NULL handles and pointers are
 *   reported as NEWSPARSE_ERR_INVALID_ARGUMENT (or ignored by the *_free functions).
 *
 * Structs passed in (options, error) begin with uint32_t struct_size = sizeof the struct as the
 * caller knows it. The library reads and writes only the fields that lie wholly within
 * struct_size bytes (a longer struct from a newer host is read as far as the library knows it; a
 * shorter one from an older host gets defaults for the fields it lacks). An options struct with
 * struct_size 0 is INVALID_ARGUMENT; an error struct with struct_size 0 is left untouched.
 *
 * Versioning (see plugin_api/README.md): a minor version may append functions and members of
 * newsparse_api, add status codes, stage bits and kind values, carve fields out of reserved ones
 * and append to struct_size structs. Anything else is a new major: new SONAME and symbol version.
 */
#ifndef NEWSPARSE_NEWSPARSE_H_
#define NEWSPARSE_NEWSPARSE_H_

#include <stddef.h>
#include <stdint.h>

#if defined(NEWSPARSE_BUILDING_LIBRARY) && defined(__GNUC__)
#define NEWSPARSE_API __attribute__((visibility("default")))
#else
#define NEWSPARSE_API
#endif

#if defined(__cplusplus)
#define NEWSPARSE_NOEXCEPT noexcept
extern "C" {
#else
#define NEWSPARSE_NOEXCEPT
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

/* The ABI this header describes. */
#define NEWSPARSE_ABI_MAJOR 1
#define NEWSPARSE_ABI_MINOR 0
/* The window of host majors this library serves: [MIN_COMPATIBLE, NEWSPARSE_ABI_MAJOR]. */
#define NEWSPARSE_ABI_MIN_COMPATIBLE_MAJOR 1

/* ---- Status codes -------------------------------------------------------------------------- */

#define NEWSPARSE_OK 0
/* A NULL handle or pointer, struct_size 0, an unknown stage bit, an impossible date. */
#define NEWSPARSE_ERR_INVALID_ARGUMENT 1
/* The text is 4 GiB or longer, or longer than the engine's max_article_bytes. */
#define NEWSPARSE_ERR_TOO_LARGE 2
/* Memory ran out; nothing was leaked and the handles stay usable. */
#define NEWSPARSE_ERR_NO_MEMORY 3
/* The data folder is missing, unreadable or malformed. */
#define NEWSPARSE_ERR_DATA 4
/* The host's ABI major is outside the window the library serves (newsparse_get_api returned
 * NULL; for hosts to report, no function of major 1 returns it). */
#define NEWSPARSE_ERR_VERSION 5
/* A bug in newsparse (an unexpected exception was caught at the boundary). */
#define NEWSPARSE_ERR_INTERNAL 6

/* The absent position or index. */
#define NEWSPARSE_NONE UINT32_MAX

/* Size of newsparse_error.message, NUL included. */
#define NEWSPARSE_ERROR_MESSAGE_SIZE 256

/* ---- Basic types --------------------------------------------------------------------------- */

/* A half-open UTF-8 byte range [begin, end); absent: begin == end == NEWSPARSE_NONE. */
typedef struct newsparse_span {
  uint32_t begin;
  uint32_t end;
} newsparse_span;

/* A borrowed UTF-8 string, NUL-terminated (data[size] == 0); absent: {"", 0}. */
typedef struct newsparse_str {
  const char* data;
  uint32_t size;
  uint32_t reserved;
} newsparse_str;

/* Caller-owned error details, filled when a call fails (untouched on success).
 * Set struct_size = sizeof(newsparse_error) before the call. */
typedef struct newsparse_error {
  uint32_t struct_size;
  int32_t code;         /* the status the call returned */
  uint32_t byte_offset; /* offending byte offset in the input, or NEWSPARSE_NONE */
  uint32_t reserved;
  char message[NEWSPARSE_ERROR_MESSAGE_SIZE]; /* English, NUL-terminated, possibly truncated */
} newsparse_error;

/* Opaque handles (see "Handles and their lifetimes" above). */
typedef struct newsparse_engine newsparse_engine;
typedef struct newsparse_workspace newsparse_workspace;
typedef struct newsparse_result newsparse_result;

/* ---- Options ------------------------------------------------------------------------------- */

typedef struct newsparse_engine_options {
  uint32_t struct_size; /* sizeof(newsparse_engine_options) */
  uint32_t flags;       /* reserved, must be 0 */
  /* Folder of run-time data, NUL-terminated; read during the call only. NULL or "": the
   * $NEWSPARSE_DATA_DIR environment variable, else <prefix>/share/newsparse/data next to the
   * installed library, else the data/ folder of the source tree the library was built from. */
  const char* data_dir;
  /* Longer texts are refused with NEWSPARSE_ERR_TOO_LARGE. 0: the default, 64 MiB. */
  uint64_t max_article_bytes;
} newsparse_engine_options;

/* Bits of newsparse_parse_options.stages. */
#define NEWSPARSE_STAGE_DATELINE 0x1u    /* dateline, byline, credits */
#define NEWSPARSE_STAGE_ENTITIES 0x2u    /* entity mentions and clusters */
#define NEWSPARSE_STAGE_ATTRIBUTION 0x4u /* who said what */
#define NEWSPARSE_STAGE_DATES 0x8u       /* dates in the body */
#define NEWSPARSE_STAGE_ALL 0xFu

typedef struct newsparse_parse_options {
  uint32_t struct_size; /* sizeof(newsparse_parse_options) */
  uint32_t stages;      /* NEWSPARSE_STAGE_* bits; 0: all; unknown bits: INVALID_ARGUMENT */
  /* The article's date, resolving dates without a year. ref_year 0: none (a " date YYYY-MM-DD"
   * metadata prefix of the text is used when present). An impossible date: INVALID_ARGUMENT. */
  int32_t ref_year;
  uint8_t ref_month; /* 1..12 */
  uint8_t ref_day;   /* 1..31 */
  uint16_t reserved0;
  uint32_t flags; /* reserved, must be 0 */
  uint32_t reserved1;
} newsparse_parse_options;

/* ---- Output records (frozen within ABI major 1) -------------------------------------------- */

/* Entity types (newsparse_mention.type, newsparse_entity.type). */
#define NEWSPARSE_ENTITY_OTHER 0
#define NEWSPARSE_ENTITY_PERSON 1       /* "PER" */
#define NEWSPARSE_ENTITY_ORGANIZATION 2 /* "ORG" */
#define NEWSPARSE_ENTITY_LOCATION 3     /* "LOC" */
#define NEWSPARSE_ENTITY_MISC 4         /* "MISC" */

/* Attribution kinds (newsparse_attribution.kind). */
#define NEWSPARSE_ATTRIBUTION_OTHER 0
#define NEWSPARSE_ATTRIBUTION_DIRECT 1   /* a quotation */
#define NEWSPARSE_ATTRIBUTION_INDIRECT 2 /* reported speech */
#define NEWSPARSE_ATTRIBUTION_MIXED 3    /* partly quoted */

/* Credit kinds (newsparse_credit.kind); newsparse_credit.kind_name always has the name. */
#define NEWSPARSE_CREDIT_OTHER 0
#define NEWSPARSE_CREDIT_SIGNOFF 1              /* "signoff": "Reuter", "Enditem" */
#define NEWSPARSE_CREDIT_REPORTING 2            /* "reporting" */
#define NEWSPARSE_CREDIT_ADDITIONAL_REPORTING 3 /* "additional_reporting" */
#define NEWSPARSE_CREDIT_EDITING 4              /* "editing" */
#define NEWSPARSE_CREDIT_AGENCY 5               /* "agency" */

/* A place of a dateline: "ANAHEIM, Calif." -> city "Anaheim", region "Calif.", country "US". */
typedef struct newsparse_place {
  newsparse_span span;   /* the place as written */
  newsparse_str city;    /* normalised name, or the written name when unknown */
  newsparse_str region;  /* region or country part as written; absent: {"", 0} */
  newsparse_str country; /* ISO 3166-1 alpha-2 where unambiguous; absent: {"", 0} */
  uint32_t reserved[2];
} newsparse_place;

/* The dateline: "By JOHN SMITH\nMOSCOW, Feb. 23 (Xinhua) -- ...". */
typedef struct newsparse_dateline {
  newsparse_span span;       /* the whole dateline, separator included */
  newsparse_span byline;     /* "By JOHN SMITH" before the dateline; absent: NONE */
  newsparse_span date;       /* the date as written; absent: NONE */
  newsparse_span source;     /* the agency as written ("Xinhua"); absent: NONE */
  newsparse_str source_name; /* canonical agency name ("Xinhua", "TASS"); absent: {"", 0} */
  newsparse_place place;     /* the first (or only) place; span NONE when none */
  int32_t date_year;         /* the resolved date; 0 when absent or unresolved */
  uint8_t date_month;        /* 1..12, 0 when absent */
  uint8_t date_day;          /* 1..31, 0 when absent */
  uint16_t reserved0;
  uint32_t body_start;   /* byte offset where the body text starts */
  uint32_t places_count; /* == the count newsparse_result_places() returns */
  uint32_t reserved[4];
} newsparse_dateline;

/* A credit or sign-off at the end of the article ("Reuter", "(Reporting by ...)"). */
typedef struct newsparse_credit {
  newsparse_span span;
  uint32_t kind; /* NEWSPARSE_CREDIT_* (unknown values: other) */
  uint32_t reserved0;
  newsparse_str kind_name; /* "signoff", "reporting", ... as in the JSON form */
  uint32_t reserved[2];
} newsparse_credit;

/* One mention of an entity, in text order. */
typedef struct newsparse_mention {
  newsparse_span span;
  uint32_t type;   /* NEWSPARSE_ENTITY_* */
  uint32_t entity; /* index into newsparse_result_entities(); NONE when not clustered */
  uint32_t reserved[2];
} newsparse_mention;

/* One entity (a cluster of mentions). Ranges index the pools of the result:
 *   mentions: indices[mentions_begin .. mentions_begin + mentions_count) are indices into
 *             newsparse_result_mentions() (that cluster's mentions, in text order);
 *   aliases:  strings[aliases_begin .. + aliases_count)  other names (acronyms, short forms);
 *   titles:   strings[titles_begin .. + titles_count)    "Russian President", "director of ...". */
typedef struct newsparse_entity {
  uint32_t id;        /* equals its index in the array */
  uint32_t type;      /* NEWSPARSE_ENTITY_* */
  newsparse_str name; /* canonical (fullest) name */
  uint32_t mentions_begin;
  uint32_t mentions_count;
  uint32_t aliases_begin;
  uint32_t aliases_count;
  uint32_t titles_begin;
  uint32_t titles_count;
  uint32_t reserved[2];
} newsparse_entity;

/* Who said what: "Officials said ..." -> cue "said", source "Officials", content spans. */
typedef struct newsparse_attribution {
  uint32_t kind;          /* NEWSPARSE_ATTRIBUTION_* */
  uint32_t source_entity; /* index into newsparse_result_entities(); NONE when unlinked */
  newsparse_span cue;
  newsparse_span source;  /* absent: NONE */
  uint32_t content_begin; /* content: spans[content_begin .. + content_count) of the span pool */
  uint32_t content_count;
  uint32_t reserved[2];
} newsparse_attribution;

/* A date mentioned in the body, resolved against the article date. */
typedef struct newsparse_date {
  newsparse_span span;
  newsparse_str value; /* "YYYY-MM-DD", "YYYY-MM" or "YYYY-Www" */
  uint32_t reserved[2];
} newsparse_date;

/* ---- Functions ----------------------------------------------------------------------------- */

/* The static English text of a status code ("ok", "invalid argument", ...; "unknown status" for
 * others). Never NULL; valid forever. Thread-safe. */
NEWSPARSE_API const char* newsparse_status_string(int32_t status) NEWSPARSE_NOEXCEPT;

/* Opens an engine. `options` may be NULL (all defaults) and is read during the call only.
 * On success *out receives a new engine that the caller owns and releases with
 * newsparse_engine_free(); on failure *out is set to NULL (when `out` is not NULL).
 * Thread-safe. Errors: INVALID_ARGUMENT (out NULL, struct_size 0, flags not 0),
 * DATA (data folder missing or malformed), NO_MEMORY, INTERNAL. */
NEWSPARSE_API int32_t newsparse_engine_open(const newsparse_engine_options* options,
                                            newsparse_engine** out,
                                            newsparse_error* error) NEWSPARSE_NOEXCEPT;

/* The data folder the engine loaded, NUL-terminated; owned by the engine and valid until it is
 * freed. "" for a NULL engine. Thread-safe. */
NEWSPARSE_API const char* newsparse_engine_data_dir(const newsparse_engine* engine)
    NEWSPARSE_NOEXCEPT;

/* Releases an engine. NULL is a no-op. Every workspace and result made from it must be freed
 * first. Not concurrent with any other use of the engine. */
NEWSPARSE_API void newsparse_engine_free(newsparse_engine* engine) NEWSPARSE_NOEXCEPT;

/* Makes a workspace (per-thread scratch) for `engine`, owned by the caller and released with
 * newsparse_workspace_free(). The engine must outlive it. Thread-safe.
 * Errors: INVALID_ARGUMENT (engine or out NULL), NO_MEMORY, INTERNAL. */
NEWSPARSE_API int32_t newsparse_workspace_new(const newsparse_engine* engine,
                                              newsparse_workspace** out,
                                              newsparse_error* error) NEWSPARSE_NOEXCEPT;

/* Releases a workspace. NULL is a no-op. Results parsed with it stay valid. */
NEWSPARSE_API void newsparse_workspace_free(newsparse_workspace* workspace) NEWSPARSE_NOEXCEPT;

/* Parses the UTF-8 `text` of `text_size` bytes (need not be NUL-terminated; may be NULL when
 * text_size is 0) with `options` (NULL: all stages, no reference date). On success *out receives
 * a new result owned by the caller (release with newsparse_result_free()); on failure *out is
 * NULL. The text is not retained. Invalid UTF-8 is analysed as U+FFFD, never an error.
 * Thread rule: `engine` may be shared by any number of threads; `workspace` must not be used by
 * another thread during the call. Errors: INVALID_ARGUMENT (a NULL handle or out pointer, text
 * NULL with text_size > 0, bad options), TOO_LARGE, NO_MEMORY, INTERNAL. */
NEWSPARSE_API int32_t newsparse_parse(const newsparse_engine* engine,
                                      newsparse_workspace* workspace, const char* text,
                                      uint64_t text_size, const newsparse_parse_options* options,
                                      newsparse_result** out,
                                      newsparse_error* error) NEWSPARSE_NOEXCEPT;

/* Releases a result and every array and string it handed out. NULL is a no-op. */
NEWSPARSE_API void newsparse_result_free(newsparse_result* result) NEWSPARSE_NOEXCEPT;

/* Result accessors. Each returns a borrowed array owned by `result` (valid until
 * newsparse_result_free) and stores its length in *count (when count is not NULL). An empty
 * array, or a NULL result, gives NULL and a count of 0. Thread-safe on a shared result. */

/* The byte length of the parsed text (0 for a NULL result). */
NEWSPARSE_API uint64_t newsparse_result_text_size(const newsparse_result* result)
    NEWSPARSE_NOEXCEPT;
/* The dateline, or NULL when the article has none (or the stage did not run). */
NEWSPARSE_API const newsparse_dateline* newsparse_result_dateline(const newsparse_result* result)
    NEWSPARSE_NOEXCEPT;
/* Every place of the dateline, in order (multi-place datelines). */
NEWSPARSE_API const newsparse_place* newsparse_result_places(const newsparse_result* result,
                                                             uint32_t* count) NEWSPARSE_NOEXCEPT;
NEWSPARSE_API const newsparse_credit* newsparse_result_credits(const newsparse_result* result,
                                                               uint32_t* count) NEWSPARSE_NOEXCEPT;
/* Every entity mention in text order (by begin, then end). */
NEWSPARSE_API const newsparse_mention* newsparse_result_mentions(
    const newsparse_result* result, uint32_t* count) NEWSPARSE_NOEXCEPT;
/* Entity clusters; entity i has id i. */
NEWSPARSE_API const newsparse_entity* newsparse_result_entities(const newsparse_result* result,
                                                                uint32_t* count) NEWSPARSE_NOEXCEPT;
NEWSPARSE_API const newsparse_attribution* newsparse_result_attributions(
    const newsparse_result* result, uint32_t* count) NEWSPARSE_NOEXCEPT;
NEWSPARSE_API const newsparse_date* newsparse_result_dates(const newsparse_result* result,
                                                           uint32_t* count) NEWSPARSE_NOEXCEPT;
/* Pools that records refer to by range (see newsparse_entity and newsparse_attribution). */
NEWSPARSE_API const newsparse_span* newsparse_result_spans(const newsparse_result* result,
                                                           uint32_t* count) NEWSPARSE_NOEXCEPT;
NEWSPARSE_API const newsparse_str* newsparse_result_strings(const newsparse_result* result,
                                                            uint32_t* count) NEWSPARSE_NOEXCEPT;
NEWSPARSE_API const uint32_t* newsparse_result_indices(const newsparse_result* result,
                                                       uint32_t* count) NEWSPARSE_NOEXCEPT;

/* Writes the JSON form of the result (schema_version 1, one line, "id": null; offsets in Unicode
 * code points, see README.md) into a buffer owned by the result: *json receives a NUL-terminated
 * pointer valid until newsparse_result_free, *json_size its length in bytes. `text` and
 * `text_size` must be the bytes that were parsed (the result does not keep them; a size that
 * differs is INVALID_ARGUMENT). A later call replaces the buffer. Thread rule: not concurrent
 * with another newsparse_result_json on the same result. Errors: INVALID_ARGUMENT, NO_MEMORY,
 * INTERNAL. */
NEWSPARSE_API int32_t newsparse_result_json(newsparse_result* result, const char* text,
                                            uint64_t text_size, const char** json,
                                            uint64_t* json_size,
                                            newsparse_error* error) NEWSPARSE_NOEXCEPT;

/* ---- The function table -------------------------------------------------------------------- */

/* Append-only: members are never reordered or removed within a major. A host built against a
 * later minor checks that a member lies within struct_size before calling it:
 *   offsetof(newsparse_api, member) + sizeof(api->member) <= api->struct_size. */
typedef struct newsparse_api {
  uint32_t struct_size; /* sizeof(newsparse_api) in the library */
  uint32_t abi_major;   /* the major the table serves (the host's) */
  uint32_t abi_minor;   /* the library's minor */
  uint32_t reserved;
  const char* (*status_string)(int32_t status);
  int32_t (*engine_open)(const newsparse_engine_options* options, newsparse_engine** out,
                         newsparse_error* error);
  const char* (*engine_data_dir)(const newsparse_engine* engine);
  void (*engine_free)(newsparse_engine* engine);
  int32_t (*workspace_new)(const newsparse_engine* engine, newsparse_workspace** out,
                           newsparse_error* error);
  void (*workspace_free)(newsparse_workspace* workspace);
  int32_t (*parse)(const newsparse_engine* engine, newsparse_workspace* workspace, const char* text,
                   uint64_t text_size, const newsparse_parse_options* options,
                   newsparse_result** out, newsparse_error* error);
  void (*result_free)(newsparse_result* result);
  uint64_t (*result_text_size)(const newsparse_result* result);
  const newsparse_dateline* (*result_dateline)(const newsparse_result* result);
  const newsparse_place* (*result_places)(const newsparse_result* result, uint32_t* count);
  const newsparse_credit* (*result_credits)(const newsparse_result* result, uint32_t* count);
  const newsparse_mention* (*result_mentions)(const newsparse_result* result, uint32_t* count);
  const newsparse_entity* (*result_entities)(const newsparse_result* result, uint32_t* count);
  const newsparse_attribution* (*result_attributions)(const newsparse_result* result,
                                                      uint32_t* count);
  const newsparse_date* (*result_dates)(const newsparse_result* result, uint32_t* count);
  const newsparse_span* (*result_spans)(const newsparse_result* result, uint32_t* count);
  const newsparse_str* (*result_strings)(const newsparse_result* result, uint32_t* count);
  const uint32_t* (*result_indices)(const newsparse_result* result, uint32_t* count);
  int32_t (*result_json)(newsparse_result* result, const char* text, uint64_t text_size,
                         const char** json, uint64_t* json_size, newsparse_error* error);
} newsparse_api;

/* The function table for a host built against ABI major `host_abi_major`, or NULL when the
 * library does not serve that major (outside [NEWSPARSE_ABI_MIN_COMPATIBLE_MAJOR,
 * NEWSPARSE_ABI_MAJOR] of the library). The table is static: valid while the library is loaded,
 * never freed. Thread-safe. The one symbol a dlopen() host needs. */
NEWSPARSE_API const newsparse_api* newsparse_get_api(uint32_t host_abi_major) NEWSPARSE_NOEXCEPT;

/* The dlsym() signature of newsparse_get_api. */
typedef const newsparse_api* (*newsparse_get_api_fn)(uint32_t host_abi_major);

#if defined(__cplusplus)
} /* extern "C" */
#endif

#endif /* NEWSPARSE_NEWSPARSE_H_ */
