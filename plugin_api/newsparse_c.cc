// The C ABI of newsparse (include/newsparse/newsparse.h) on top of the C++ core.
//
// Every export is noexcept and runs its body inside Guard(), which turns std::bad_alloc and any
// other exception into a status code, so nothing C++ ever crosses the boundary. Structs passed
// in are read field by field, only where a field lies wholly within the caller's struct_size.
#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "core/article_json.h"
#include "core/engine.h"
#include "core/text.h"
#include "newsparse/newsparse.h"
#include "plugin_api/result.h"

struct newsparse_engine {
  std::unique_ptr<newsparse::Engine> engine;
};

struct newsparse_workspace {
  newsparse::Workspace ws;
};

namespace newsparse::capi {
namespace {

constexpr uint64_t kDefaultMaxArticleBytes = 64ull << 20;

// True when the field [offset, offset + size) lies wholly within `struct_size` bytes.
constexpr bool Within(uint32_t struct_size, size_t offset, size_t size) {
  return offset + size <= struct_size;
}
#define NEWSPARSE_HAS_FIELD(size, type, field) \
  Within((size), offsetof(type, field), sizeof(static_cast<type*>(nullptr)->field))

// Fills the caller's error struct (only the fields within its struct_size) and returns `code`.
// Never allocates: safe inside a catch of std::bad_alloc.
int32_t Fail(newsparse_error* error, int32_t code, std::string_view message,
             uint32_t byte_offset = NEWSPARSE_NONE) noexcept {
  if (error == nullptr) return code;
  const uint32_t size = error->struct_size;
  if (NEWSPARSE_HAS_FIELD(size, newsparse_error, code)) error->code = code;
  if (NEWSPARSE_HAS_FIELD(size, newsparse_error, byte_offset)) error->byte_offset = byte_offset;
  if (NEWSPARSE_HAS_FIELD(size, newsparse_error, reserved)) error->reserved = 0;
  const size_t at = offsetof(newsparse_error, message);
  if (size > at) {
    const size_t room = std::min<size_t>(size - at, NEWSPARSE_ERROR_MESSAGE_SIZE);
    const size_t n = std::min(message.size(), room - 1);
    std::memcpy(error->message, message.data(), n);
    error->message[n] = '\0';
  }
  return code;
}

int32_t FromStatus(const absl::Status& s, int32_t code_for_invalid, newsparse_error* error) {
  if (s.ok()) return NEWSPARSE_OK;
  int32_t code = NEWSPARSE_ERR_INTERNAL;
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      code = code_for_invalid;
      break;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
      code = NEWSPARSE_ERR_DATA;
      break;
    case absl::StatusCode::kResourceExhausted:
      code = NEWSPARSE_ERR_NO_MEMORY;
      break;
    default:
      break;
  }
  const absl::string_view m = s.message();
  return Fail(error, code, std::string_view(m.data(), m.size()));
}

// Runs `body`, turning every exception into a status code.
template <typename Body>
int32_t Guard(newsparse_error* error, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(error, NEWSPARSE_ERR_NO_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return Fail(error, NEWSPARSE_ERR_INTERNAL, e.what());
  } catch (...) {
    return Fail(error, NEWSPARSE_ERR_INTERNAL, "unknown exception");
  }
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The default data folder: $NEWSPARSE_DATA_DIR, else the installed data beside this library
// (<libdir>/NEWSPARSE_DATA_DIR_FROM_LIBDIR), else the source tree's data/.
std::string DefaultDataDirForLibrary() {
  if (const char* env = std::getenv("NEWSPARSE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef NEWSPARSE_DATA_DIR_FROM_LIBDIR
  Dl_info info;
  if (::dladdr(reinterpret_cast<void*>(&newsparse_get_api), &info) != 0 &&
      info.dli_fname != nullptr) {
    std::string lib = info.dli_fname;
    const size_t slash = lib.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : lib.substr(0, slash);
    std::string installed = dir + "/" + NEWSPARSE_DATA_DIR_FROM_LIBDIR;
    if (IsDirectory(installed)) return installed;
  }
#endif
  return NEWSPARSE_SOURCE_DATA_DIR;
}

struct EngineOptionsIn {
  std::string data_dir;
  uint64_t max_article_bytes = kDefaultMaxArticleBytes;
};

int32_t ReadEngineOptions(const newsparse_engine_options* in, EngineOptionsIn* out,
                          newsparse_error* error) {
  if (in == nullptr) return NEWSPARSE_OK;
  const uint32_t size = in->struct_size;
  if (size == 0) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: struct_size is 0");
  if (NEWSPARSE_HAS_FIELD(size, newsparse_engine_options, flags) && in->flags != 0) {
    return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: flags must be 0");
  }
  if (NEWSPARSE_HAS_FIELD(size, newsparse_engine_options, data_dir) && in->data_dir != nullptr) {
    out->data_dir = in->data_dir;
  }
  if (NEWSPARSE_HAS_FIELD(size, newsparse_engine_options, max_article_bytes) &&
      in->max_article_bytes != 0) {
    out->max_article_bytes = in->max_article_bytes;
  }
  return NEWSPARSE_OK;
}

int32_t ReadParseOptions(const newsparse_parse_options* in, ParseOptions* out,
                         newsparse_error* error) {
  out->stages = kStageAll;
  out->reference_date.reset();
  if (in == nullptr) return NEWSPARSE_OK;
  const uint32_t size = in->struct_size;
  if (size == 0) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: struct_size is 0");
  if (NEWSPARSE_HAS_FIELD(size, newsparse_parse_options, stages) && in->stages != 0) {
    if ((in->stages & ~uint32_t{NEWSPARSE_STAGE_ALL}) != 0) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: unknown stage bit");
    }
    out->stages = in->stages;
  }
  if (NEWSPARSE_HAS_FIELD(size, newsparse_parse_options, ref_day) && in->ref_year != 0) {
    const absl::CivilDay day(in->ref_year, in->ref_month, in->ref_day);
    if (day.year() != in->ref_year || day.month() != in->ref_month || day.day() != in->ref_day) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: impossible reference date");
    }
    out->reference_date = day;
  }
  if (NEWSPARSE_HAS_FIELD(size, newsparse_parse_options, flags) && in->flags != 0) {
    return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "options: flags must be 0");
  }
  return NEWSPARSE_OK;
}

template <typename T>
const T* Array(const std::vector<T>* v, uint32_t* count) noexcept {
  const uint32_t n = v == nullptr ? 0 : static_cast<uint32_t>(v->size());
  if (count != nullptr) *count = n;
  return n == 0 ? nullptr : v->data();
}

}  // namespace
}  // namespace newsparse::capi

using newsparse::capi::Fail;
using newsparse::capi::Guard;

extern "C" {

NEWSPARSE_API const char* newsparse_status_string(int32_t status) noexcept {
  switch (status) {
    case NEWSPARSE_OK:
      return "ok";
    case NEWSPARSE_ERR_INVALID_ARGUMENT:
      return "invalid argument";
    case NEWSPARSE_ERR_TOO_LARGE:
      return "text too large";
    case NEWSPARSE_ERR_NO_MEMORY:
      return "out of memory";
    case NEWSPARSE_ERR_DATA:
      return "data folder missing or malformed";
    case NEWSPARSE_ERR_VERSION:
      return "unsupported ABI version";
    case NEWSPARSE_ERR_INTERNAL:
      return "internal error";
    default:
      return "unknown status";
  }
}

NEWSPARSE_API int32_t newsparse_engine_open(const newsparse_engine_options* options,
                                            newsparse_engine** out,
                                            newsparse_error* error) noexcept {
  if (out != nullptr) *out = nullptr;
  return Guard(error, [&]() -> int32_t {
    if (out == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "out is NULL");
    newsparse::capi::EngineOptionsIn in;
    if (int32_t rc = newsparse::capi::ReadEngineOptions(options, &in, error); rc != NEWSPARSE_OK) {
      return rc;
    }
    newsparse::EngineOptions eo;
    eo.data_dir = in.data_dir.empty() ? newsparse::capi::DefaultDataDirForLibrary() : in.data_dir;
    eo.max_article_bytes = in.max_article_bytes;
    if (!newsparse::capi::IsDirectory(eo.data_dir)) {
      return Fail(error, NEWSPARSE_ERR_DATA, "data folder not found: " + eo.data_dir);
    }
    auto engine = newsparse::Engine::Create(eo);
    if (!engine.ok()) {
      return newsparse::capi::FromStatus(engine.status(), NEWSPARSE_ERR_INVALID_ARGUMENT, error);
    }
    auto handle = std::make_unique<newsparse_engine>();
    handle->engine = std::move(*engine);
    *out = handle.release();
    return NEWSPARSE_OK;
  });
}

NEWSPARSE_API const char* newsparse_engine_data_dir(const newsparse_engine* engine) noexcept {
  return engine == nullptr ? "" : engine->engine->data_dir().c_str();
}

NEWSPARSE_API void newsparse_engine_free(newsparse_engine* engine) noexcept { delete engine; }

NEWSPARSE_API int32_t newsparse_workspace_new(const newsparse_engine* engine,
                                              newsparse_workspace** out,
                                              newsparse_error* error) noexcept {
  if (out != nullptr) *out = nullptr;
  return Guard(error, [&]() -> int32_t {
    if (engine == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "engine is NULL");
    if (out == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = new newsparse_workspace();
    return NEWSPARSE_OK;
  });
}

NEWSPARSE_API void newsparse_workspace_free(newsparse_workspace* workspace) noexcept {
  delete workspace;
}

NEWSPARSE_API int32_t newsparse_parse(const newsparse_engine* engine,
                                      newsparse_workspace* workspace, const char* text,
                                      uint64_t text_size, const newsparse_parse_options* options,
                                      newsparse_result** out, newsparse_error* error) noexcept {
  if (out != nullptr) *out = nullptr;
  return Guard(error, [&]() -> int32_t {
    if (engine == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "engine is NULL");
    if (workspace == nullptr) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "workspace is NULL");
    }
    if (out == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "out is NULL");
    if (text == nullptr && text_size != 0) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "text is NULL but text_size is not 0");
    }
    newsparse::ParseOptions po;
    if (int32_t rc = newsparse::capi::ReadParseOptions(options, &po, error); rc != NEWSPARSE_OK) {
      return rc;
    }
    const uint64_t max_bytes = engine->engine->options().max_article_bytes;
    if (text_size >= (uint64_t{1} << 32) || text_size > max_bytes) {
      return Fail(error, NEWSPARSE_ERR_TOO_LARGE,
                  "text of " + std::to_string(text_size) + " bytes exceeds the limit of " +
                      std::to_string(std::min<uint64_t>(max_bytes, (uint64_t{1} << 32) - 1)) +
                      " bytes");
    }
    const std::string_view t(text == nullptr ? "" : text, static_cast<size_t>(text_size));
    auto result = std::make_unique<newsparse_result>();
    const absl::Status s = engine->engine->Parse(t, po, &workspace->ws, &result->article);
    if (!s.ok()) return newsparse::capi::FromStatus(s, NEWSPARSE_ERR_TOO_LARGE, error);
    newsparse::capi::BuildResult(text_size, result.get());
    *out = result.release();
    return NEWSPARSE_OK;
  });
}

NEWSPARSE_API void newsparse_result_free(newsparse_result* result) noexcept { delete result; }

NEWSPARSE_API uint64_t newsparse_result_text_size(const newsparse_result* result) noexcept {
  return result == nullptr ? 0 : result->text_size;
}

NEWSPARSE_API const newsparse_dateline* newsparse_result_dateline(
    const newsparse_result* result) noexcept {
  return result == nullptr || !result->dateline ? nullptr : &*result->dateline;
}

#define NEWSPARSE_ARRAY_ACCESSOR(type, name)                                           \
  NEWSPARSE_API const type* newsparse_result_##name(const newsparse_result* result,    \
                                                    uint32_t* count) noexcept {        \
    return newsparse::capi::Array(result == nullptr ? nullptr : &result->name, count); \
  }
NEWSPARSE_ARRAY_ACCESSOR(newsparse_place, places)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_credit, credits)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_mention, mentions)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_entity, entities)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_attribution, attributions)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_date, dates)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_span, spans)
NEWSPARSE_ARRAY_ACCESSOR(newsparse_str, strings)
NEWSPARSE_ARRAY_ACCESSOR(uint32_t, indices)
#undef NEWSPARSE_ARRAY_ACCESSOR

NEWSPARSE_API int32_t newsparse_result_json(newsparse_result* result, const char* text,
                                            uint64_t text_size, const char** json,
                                            uint64_t* json_size, newsparse_error* error) noexcept {
  if (json != nullptr) *json = nullptr;
  if (json_size != nullptr) *json_size = 0;
  return Guard(error, [&]() -> int32_t {
    if (result == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "result is NULL");
    if (json == nullptr) return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "json is NULL");
    if (text == nullptr && text_size != 0) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT, "text is NULL but text_size is not 0");
    }
    if (text_size != result->text_size) {
      return Fail(error, NEWSPARSE_ERR_INVALID_ARGUMENT,
                  "text_size differs from the size of the parsed text");
    }
    const std::string_view t(text == nullptr ? "" : text, static_cast<size_t>(text_size));
    newsparse::OffsetMap offsets;
    std::string out;
    newsparse::AppendArticleJson(t, result->article, "", &offsets, &out);
    result->json.swap(out);
    *json = result->json.c_str();
    if (json_size != nullptr) *json_size = result->json.size();
    return NEWSPARSE_OK;
  });
}

NEWSPARSE_API const newsparse_api* newsparse_get_api(uint32_t host_abi_major) noexcept {
  static const newsparse_api kApi = {
      sizeof(newsparse_api),
      NEWSPARSE_ABI_MAJOR,
      NEWSPARSE_ABI_MINOR,
      0,
      &newsparse_status_string,
      &newsparse_engine_open,
      &newsparse_engine_data_dir,
      &newsparse_engine_free,
      &newsparse_workspace_new,
      &newsparse_workspace_free,
      &newsparse_parse,
      &newsparse_result_free,
      &newsparse_result_text_size,
      &newsparse_result_dateline,
      &newsparse_result_places,
      &newsparse_result_credits,
      &newsparse_result_mentions,
      &newsparse_result_entities,
      &newsparse_result_attributions,
      &newsparse_result_dates,
      &newsparse_result_spans,
      &newsparse_result_strings,
      &newsparse_result_indices,
      &newsparse_result_json,
  };
  if (host_abi_major < NEWSPARSE_ABI_MIN_COMPATIBLE_MAJOR || host_abi_major > NEWSPARSE_ABI_MAJOR) {
    return nullptr;
  }
  return &kApi;
}

}  // extern "C"
