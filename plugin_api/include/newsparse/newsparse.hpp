// newsparse.hpp: a header-only C++17 wrapper over the C ABI of newsparse.h, for hosts.
//
// RAII handles and exceptions live here, on the host's side of the boundary: the library itself
// only ever sees C calls. Link against newsparse::newsparse (find_package(newsparse 1)).
//
//   auto engine = newsparse::plugin::Engine::Open();          // share between threads
//   auto ws = engine.NewWorkspace();                          // one per thread
//   newsparse::plugin::Result r = engine.Parse(ws, text);     // throws newsparse::plugin::Error
//   for (const newsparse_mention& m : r.mentions()) use(newsparse::plugin::Slice(text, m.span));
//
// Thread safety: as the C handles (see newsparse.h).
#ifndef NEWSPARSE_NEWSPARSE_HPP_
#define NEWSPARSE_NEWSPARSE_HPP_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "newsparse/newsparse.h"

namespace newsparse::plugin {

// A failed call: code() is the NEWSPARSE_ERR_* status, what() the library's message.
class Error : public std::runtime_error {
 public:
  Error(int32_t code, const std::string& message)
      : std::runtime_error(message), code_(code), byte_offset_(NEWSPARSE_NONE) {}
  Error(int32_t code, const std::string& message, uint32_t byte_offset)
      : std::runtime_error(message), code_(code), byte_offset_(byte_offset) {}
  int32_t code() const { return code_; }
  uint32_t byte_offset() const { return byte_offset_; }

 private:
  int32_t code_;
  uint32_t byte_offset_;
};

namespace internal {
inline newsparse_error NewError() {
  newsparse_error e;
  std::memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  return e;
}
inline void Check(int32_t rc, const newsparse_error& e) {
  if (rc == NEWSPARSE_OK) return;
  std::string message = newsparse_status_string(rc);
  if (e.message[0] != '\0') message += std::string(": ") + e.message;
  throw Error(rc, message, e.byte_offset);
}
}  // namespace internal

// A borrowed array owned by a Result.
template <typename T>
class View {
 public:
  View(const T* data, uint32_t size) : data_(data), size_(size) {}
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T& operator[](uint32_t i) const { return data_[i]; }
  uint32_t size() const { return static_cast<uint32_t>(size_); }
  bool empty() const { return size_ == 0; }

 private:
  const T* data_;
  size_t size_;
};

inline std::string_view ToStringView(newsparse_str s) { return std::string_view(s.data, s.size); }

inline bool IsAbsent(newsparse_span s) {
  return s.begin == NEWSPARSE_NONE && s.end == NEWSPARSE_NONE;
}

// The text of `span` in `text`; empty when absent or outside.
inline std::string_view Slice(std::string_view text, newsparse_span span) {
  if (IsAbsent(span) || span.end > text.size() || span.begin > span.end) return {};
  return text.substr(span.begin, span.end - span.begin);
}

// One parsed article. Move-only; the arrays it lends are valid while it lives.
class Result {
 public:
  explicit Result(newsparse_result* r) : r_(r) {}
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      newsparse_result_free(r_);
      r_ = std::exchange(o.r_, nullptr);
    }
    return *this;
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  ~Result() { newsparse_result_free(r_); }

  const newsparse_dateline* dateline() const { return newsparse_result_dateline(r_); }
#define NEWSPARSE_HPP_VIEW(type, name)               \
  View<type> name() const {                          \
    uint32_t n = 0;                                  \
    const type* p = newsparse_result_##name(r_, &n); \
    return View<type>(p, n);                         \
  }
  NEWSPARSE_HPP_VIEW(newsparse_place, places)
  NEWSPARSE_HPP_VIEW(newsparse_credit, credits)
  NEWSPARSE_HPP_VIEW(newsparse_mention, mentions)
  NEWSPARSE_HPP_VIEW(newsparse_entity, entities)
  NEWSPARSE_HPP_VIEW(newsparse_attribution, attributions)
  NEWSPARSE_HPP_VIEW(newsparse_date, dates)
  NEWSPARSE_HPP_VIEW(newsparse_span, spans)
  NEWSPARSE_HPP_VIEW(newsparse_str, strings)
  NEWSPARSE_HPP_VIEW(uint32_t, indices)
#undef NEWSPARSE_HPP_VIEW

  // The JSON form (schema_version 1); `text` must be the parsed text.
  std::string_view Json(std::string_view text) {
    newsparse_error e = internal::NewError();
    const char* json = nullptr;
    uint64_t size = 0;
    internal::Check(newsparse_result_json(r_, text.data(), text.size(), &json, &size, &e), e);
    return std::string_view(json, static_cast<size_t>(size));
  }

  const newsparse_result* get() const { return r_; }

 private:
  newsparse_result* r_;
};

// Per-thread scratch. Move-only.
class Workspace {
 public:
  explicit Workspace(newsparse_workspace* ws) : ws_(ws) {}
  Workspace(Workspace&& o) noexcept : ws_(std::exchange(o.ws_, nullptr)) {}
  Workspace& operator=(Workspace&& o) noexcept {
    if (this != &o) {
      newsparse_workspace_free(ws_);
      ws_ = std::exchange(o.ws_, nullptr);
    }
    return *this;
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace() { newsparse_workspace_free(ws_); }
  newsparse_workspace* get() const { return ws_; }

 private:
  newsparse_workspace* ws_;
};

// Parse options: stages (NEWSPARSE_STAGE_* bits, 0 = all) and an optional reference date.
struct ParseOptions {
  uint32_t stages = 0;
  int32_t ref_year = 0;
  uint8_t ref_month = 0;
  uint8_t ref_day = 0;
  uint16_t reserved = 0;
};

// The immutable, thread-safe engine. Move-only; must outlive its workspaces and results.
class Engine {
 public:
  // Opens an engine; an empty data_dir uses the library's default. Throws Error.
  static Engine Open(const std::string& data_dir = std::string(), uint64_t max_article_bytes = 0) {
    newsparse_engine_options o;
    std::memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.data_dir = data_dir.empty() ? nullptr : data_dir.c_str();
    o.max_article_bytes = max_article_bytes;
    newsparse_error e = internal::NewError();
    newsparse_engine* engine = nullptr;
    internal::Check(newsparse_engine_open(&o, &engine, &e), e);
    return Engine(engine);
  }

  Engine(Engine&& o) noexcept : engine_(std::exchange(o.engine_, nullptr)) {}
  Engine& operator=(Engine&& o) noexcept {
    if (this != &o) {
      newsparse_engine_free(engine_);
      engine_ = std::exchange(o.engine_, nullptr);
    }
    return *this;
  }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine() { newsparse_engine_free(engine_); }

  Workspace NewWorkspace() const {
    newsparse_error e = internal::NewError();
    newsparse_workspace* ws = nullptr;
    internal::Check(newsparse_workspace_new(engine_, &ws, &e), e);
    return Workspace(ws);
  }

  // Parses `text`; thread-safe with one Workspace per thread. Throws Error.
  Result Parse(Workspace& ws, std::string_view text,
               const ParseOptions& options = ParseOptions()) const {
    newsparse_parse_options o;
    std::memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.stages = options.stages;
    o.ref_year = options.ref_year;
    o.ref_month = options.ref_month;
    o.ref_day = options.ref_day;
    newsparse_error e = internal::NewError();
    newsparse_result* r = nullptr;
    internal::Check(newsparse_parse(engine_, ws.get(), text.data(), text.size(), &o, &r, &e), e);
    return Result(r);
  }

  std::string_view data_dir() const { return newsparse_engine_data_dir(engine_); }
  const newsparse_engine* get() const { return engine_; }

 private:
  explicit Engine(newsparse_engine* engine) : engine_(engine) {}
  newsparse_engine* engine_;
};

}  // namespace newsparse::plugin

#endif  // NEWSPARSE_NEWSPARSE_HPP_
