// newsparse._core: the pybind11 binding of the C++ engine.
//
// Inputs are converted with the GIL held, the C++ work runs with the GIL released (on C++ threads
// for the batch calls), and Python objects are built after the GIL is taken back. Two result forms:
//  - parse / parse_many build the typed objects of newsparse._model directly (the classes are
//    handed over once by register_model); UTF-8 byte spans are turned into code point offsets
//    (Python str indices) on the worker threads, and each span's text is a slice of the input str.
//  - the *_json calls return the JSON form (schema_version 1) as str, offsets already str indices.
// Nothing Python passes in can crash the interpreter: wrong types raise TypeError, lone surrogates
// and bad dates raise ValueError, and over-long articles become error results.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "_core_args.h"
#include "_core_arrow.h"
#include "_core_tools.h"
#include "core/arrow_export.h"
#include "core/article_json.h"
#include "core/engine.h"
#include "core/jsonl.h"
#include "core/text.h"
#include "core/tokenizer.h"

namespace py = pybind11;

namespace newsparse {
namespace {

// The scratch of the single-article calls: one per calling thread, reused from call to call so the
// stages' buffers and caches (the tagger's word cache above all) are not rebuilt for every article.
// It keeps the capacity of the largest article parsed on its thread until the thread ends.
// Not inlined: callers keep the returned reference, where an inlined thread_local access is
// recomputed (a __tls_get_addr call in a shared object) at each use.
[[gnu::noinline]] Workspace& ThreadWorkspace() {
  thread_local Workspace ws;
  return ws;
}

// The UTF-8 bytes of a Python str, borrowed from the object (valid while it lives).
std::string_view Utf8Of(py::handle obj, const std::string& what) {
  if (!PyUnicode_Check(obj.ptr())) {
    throw py::type_error(what + " must be str, not " + TypeName(obj));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    throw py::value_error(what + " is not valid Unicode (it holds a lone surrogate code point)");
  }
  return std::string_view(data, static_cast<size_t>(size));
}

// Appends the UTF-8 form of `n` code points of one PEP 393 kind (Char: uint8_t, uint16_t or
// uint32_t) to `out`. Returns false at a lone surrogate (not encodable), leaving `out` partial.
template <typename Char>
bool AppendUtf8(const Char* s, size_t n, std::string* out) {
  size_t size = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDFFF) return false;
    size += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  const size_t base = out->size();
  out->resize(base + size);
  char* p = out->data() + base;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t c = s[i];
    if (c < 0x80) {
      *p++ = static_cast<char>(c);
    } else if (c < 0x800) {
      *p++ = static_cast<char>(0xC0 | (c >> 6));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *p++ = static_cast<char>(0xE0 | (c >> 12));
      *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    } else {
      *p++ = static_cast<char>(0xF0 | (c >> 18));
      *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return true;
}

// The UTF-8 form of a list of Python strs, for the C++ core. ASCII strs are read in place;
// the others are encoded into buffers owned here, on C++ threads without the GIL: unlike
// PyUnicode_AsUTF8AndSize, nothing is cached inside the str objects (which would keep a second
// copy of every non-ASCII text alive for as long as the caller keeps its strs).
class Utf8Texts {
 public:
  Utf8Texts() = default;
  Utf8Texts(Utf8Texts&&) = default;
  Utf8Texts(const Utf8Texts&) = delete;  // views point into encoded_
  Utf8Texts& operator=(const Utf8Texts&) = delete;

  // Adds a str (TypeError naming `what` for anything else). GIL held.
  void Add(py::handle obj, const std::string& what) {
    if (!PyUnicode_Check(obj.ptr())) {
      throw py::type_error(what + " must be str, not " + TypeName(obj));
    }
    if (PyUnicode_READY(obj.ptr()) < 0) throw py::error_already_set();
    const size_t index = views_.size();
    const Py_ssize_t length = PyUnicode_GET_LENGTH(obj.ptr());
    if (PyUnicode_IS_ASCII(obj.ptr())) {
      views_.emplace_back(static_cast<const char*>(PyUnicode_DATA(obj.ptr())),
                          static_cast<size_t>(length));
    } else {
      views_.emplace_back();
      pending_.push_back(Pending{index, PyUnicode_KIND(obj.ptr()), PyUnicode_DATA(obj.ptr()),
                                 static_cast<size_t>(length)});
    }
    keep_.push_back(py::reinterpret_borrow<py::object>(obj));
  }

  void Reserve(size_t n) {
    views_.reserve(n);
    keep_.reserve(n);
  }

  // Encodes the non-ASCII strs on `threads` threads (0: all cores), releasing the GIL. Returns
  // the index of the first str holding a lone surrogate, if any.
  std::optional<size_t> Encode(int threads) {
    if (pending_.empty()) return std::nullopt;
    encoded_.assign(pending_.size(), std::string());
    std::vector<char> ok(pending_.size(), 1);
    {
      py::gil_scoped_release release;
      auto encode = [&](size_t k) {
        const Pending& p = pending_[k];
        std::string* out = &encoded_[k];
        bool good;
        if (p.kind == PyUnicode_1BYTE_KIND) {
          good = AppendUtf8(static_cast<const uint8_t*>(p.data), p.length, out);
        } else if (p.kind == PyUnicode_2BYTE_KIND) {
          good = AppendUtf8(static_cast<const uint16_t*>(p.data), p.length, out);
        } else {
          good = AppendUtf8(static_cast<const uint32_t*>(p.data), p.length, out);
        }
        ok[k] = good;
        views_[p.index] = good ? std::string_view(*out) : std::string_view();
      };
      if (pending_.size() == 1) {
        encode(0);
      } else {
        ParallelFor(pending_.size(), threads, [&](size_t k, Workspace*) { encode(k); });
      }
    }
    for (size_t k = 0; k < pending_.size(); ++k) {
      if (!ok[k]) return pending_[k].index;
    }
    return std::nullopt;
  }

  // Encode, then ValueError naming `what(i)` for a str with a lone surrogate.
  template <typename Name>
  void EncodeOrThrow(int threads, Name&& what) {
    if (auto bad = Encode(threads)) {
      throw py::value_error(what(*bad) +
                            " is not valid Unicode (it holds a lone surrogate code point)");
    }
  }

  const std::vector<std::string_view>& views() const { return views_; }
  std::string_view view(size_t i) const { return views_[i]; }
  py::handle object(size_t i) const { return keep_[i]; }
  size_t size() const { return views_.size(); }

 private:
  struct Pending {
    size_t index;
    int kind;
    const void* data;
    size_t length;
  };
  std::vector<py::object> keep_;  // keeps every str alive while the GIL is released
  std::vector<std::string_view> views_;
  std::vector<Pending> pending_;
  std::vector<std::string> encoded_;
};

// One str as UTF-8 (see Utf8Texts); TypeError / ValueError naming `what`.
Utf8Texts OneText(py::handle text, const char* what) {
  Utf8Texts t;
  t.Add(text, what);
  t.EncodeOrThrow(1, [what](size_t) { return std::string(what); });
  return t;
}

std::optional<absl::CivilDay> DateOf(const std::optional<std::string>& date,
                                     const std::string& what = "date") {
  if (!date) return std::nullopt;
  return IsoDayOrThrow(*date, /*date_only=*/true, [&] { return what; });
}

uint32_t StagesOf(const std::string& spec) {
  auto stages = ParseStages(spec);
  if (!stages.ok()) throw py::value_error(std::string(stages.status().message()));
  return *stages;
}

std::string IdJson(const std::optional<std::string>& id) {
  if (!id) return std::string();
  std::string out;
  AppendJsonString(*id, &out);
  return out;
}

// An id given from Python: None, str or int (written as a JSON number).
std::string IdJsonOf(py::handle id, const std::string& what) {
  if (id.is_none()) return std::string();
  if (PyUnicode_Check(id.ptr())) return IdJson(std::string(Utf8Of(id, what)));
  if (PyLong_Check(id.ptr()) && !PyBool_Check(id.ptr())) return std::string(py::str(id));
  throw py::type_error(what + " must be str, int or None, not " + TypeName(id));
}

// A date given from Python (the package turns datetime.date into ISO strings first).
std::optional<absl::CivilDay> DateOfObject(py::handle d, const std::string& what) {
  if (d.is_none()) return std::nullopt;
  if (!PyUnicode_Check(d.ptr())) {
    throw py::type_error(what + " must be an ISO date string or None, not " + TypeName(d));
  }
  return DateOf(std::string(Utf8Of(d, what)), what);
}

// The options of a single-article call (its stages and reference date) after checking its
// arguments (TypeError / ValueError naming "date" or "id"); `id_json`, when given, gets the id as
// JSON (IdJsonOf).
ParseOptions OneArticleOptions(py::handle date, py::handle id, const std::string& stages,
                               std::string* id_json) {
  ParseOptions options;
  options.stages = StagesOf(stages);
  options.reference_date = DateOfObject(date, "date");
  std::string json = IdJsonOf(id, "id");
  if (id_json != nullptr) *id_json = std::move(json);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Typed results built directly from the C++ Article.

// Turns every UTF-8 byte offset of `a` into a code point offset (in place).
void ToCodePoints(const OffsetMap& m, Article* a) {
  auto cp = [&m](Span* s) {
    s->begin = m.ToCodePoint(s->begin);
    s->end = m.ToCodePoint(s->end);
  };
  if (a->dateline) {
    Dateline& d = *a->dateline;
    cp(&d.span);
    cp(&d.place.span);
    for (Place& p : d.places) cp(&p.span);
    if (d.date) cp(&d.date->span);
    if (d.source) cp(&d.source->span);
    if (d.byline) cp(&*d.byline);
    d.body_start = m.ToCodePoint(d.body_start);
  }
  for (Credit& c : a->credits) cp(&c.span);
  for (Entity& e : a->entities) {
    for (Span& s : e.mentions) cp(&s);
  }
  for (Attribution& at : a->attributions) {
    cp(&at.cue);
    if (at.source) cp(&at.source->span);
    for (Span& s : at.content) cp(&s);
  }
  for (DateMention& dm : a->dates) cp(&dm.span);
}

// The classes of newsparse._model and their field names, handed over once by register_model.
// Held for the life of the process (never released, so nothing runs at interpreter exit).
struct Model {
  enum Class {
    kSpan,
    kPlace,
    kDatelineDate,
    kSource,
    kDateline,
    kCredit,
    kEntity,
    kAttributionSource,
    kAttribution,
    kDateMention,
    kParseError,
    kArticle,
    kNumClasses
  };
  std::array<PyObject*, kNumClasses> cls{};
  PyObject* empty_tuple = nullptr;
  // Interned field names.
  PyObject *text, *start, *end, *span, *city, *region, *country, *value, *name, *place, *places,
      *date, *source, *byline, *body_start, *kind, *id, *type, *mentions, *aliases, *titles,
      *entity, *cue, *content, *message, *line, *error, *dateline, *credits, *entities,
      *attributions, *dates;
  bool ready = false;
};

Model& TheModel() {
  static Model* model = new Model();
  return *model;
}

py::object Check(PyObject* p) {
  if (p == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(p);
}

void RegisterModel(const py::dict& classes) {
  Model& m = TheModel();
  static const char* kNames[] = {"Span",        "Place",       "DatelineDate", "Source",
                                 "Dateline",    "Credit",      "Entity",       "AttributionSource",
                                 "Attribution", "DateMention", "ParseError",   "Article"};
  std::array<PyObject*, Model::kNumClasses> cls{};
  for (int i = 0; i < Model::kNumClasses; ++i) {
    py::object c = classes[py::str(kNames[i])];
    if (!PyType_Check(c.ptr())) throw py::type_error(std::string(kNames[i]) + " must be a class");
    cls[i] = c.release().ptr();
  }
  for (int i = 0; i < Model::kNumClasses; ++i) Py_XDECREF(m.cls[i]);
  m.cls = cls;
  if (m.ready) return;
  m.empty_tuple = PyTuple_New(0);
  auto intern = [](const char* s) {
    PyObject* p = PyUnicode_InternFromString(s);
    if (p == nullptr) throw py::error_already_set();
    return p;
  };
#define NEWSPARSE_INTERN(field) m.field = intern(#field)
  NEWSPARSE_INTERN(text);
  NEWSPARSE_INTERN(start);
  NEWSPARSE_INTERN(end);
  NEWSPARSE_INTERN(span);
  NEWSPARSE_INTERN(city);
  NEWSPARSE_INTERN(region);
  NEWSPARSE_INTERN(country);
  NEWSPARSE_INTERN(value);
  NEWSPARSE_INTERN(name);
  NEWSPARSE_INTERN(place);
  NEWSPARSE_INTERN(places);
  NEWSPARSE_INTERN(date);
  NEWSPARSE_INTERN(source);
  NEWSPARSE_INTERN(byline);
  NEWSPARSE_INTERN(body_start);
  NEWSPARSE_INTERN(kind);
  NEWSPARSE_INTERN(id);
  NEWSPARSE_INTERN(type);
  NEWSPARSE_INTERN(mentions);
  NEWSPARSE_INTERN(aliases);
  NEWSPARSE_INTERN(titles);
  NEWSPARSE_INTERN(entity);
  NEWSPARSE_INTERN(cue);
  NEWSPARSE_INTERN(content);
  NEWSPARSE_INTERN(message);
  NEWSPARSE_INTERN(line);
  NEWSPARSE_INTERN(error);
  NEWSPARSE_INTERN(dateline);
  NEWSPARSE_INTERN(credits);
  NEWSPARSE_INTERN(entities);
  NEWSPARSE_INTERN(attributions);
  NEWSPARSE_INTERN(dates);
#undef NEWSPARSE_INTERN
  m.ready = true;
}

// Builds the frozen dataclass instances without running their Python __init__: object.__new__
// and then object.__setattr__ on each field, as dataclasses' own frozen __init__ does.
class Builder {
 public:
  // `text` is the parsed str: each span's text is a slice of it.
  explicit Builder(py::handle text) : text_(text), m_(TheModel()) {
    if (!m_.ready) throw std::runtime_error("newsparse._core: register_model was not called");
  }

  py::object Article(const newsparse::Article& a, py::handle id) {
    py::object obj = New(Model::kArticle);
    Set(obj, m_.id, py::reinterpret_borrow<py::object>(id));
    Set(obj, m_.error, py::none());
    Set(obj, m_.dateline, a.dateline ? Dateline(*a.dateline) : py::none());
    Set(obj, m_.credits, Tuple(a.credits, [this](const Credit& c) {
          py::object o = New(Model::kCredit);
          Set(o, m_.kind, Str(c.kind));
          Set(o, m_.span, SpanObj(c.span));
          return o;
        }));
    Set(obj, m_.entities, Tuple(a.entities, [this](const newsparse::Entity& e) {
          py::object o = New(Model::kEntity);
          Set(o, m_.id, Check(PyLong_FromUnsignedLong(e.id)));
          Set(o, m_.type, Str(EntityTypeName(e.type)));
          Set(o, m_.name, Str(e.name));
          Set(o, m_.mentions, Tuple(e.mentions, [this](const Span& s) { return SpanObj(s); }));
          Set(o, m_.aliases, Tuple(e.aliases, [this](const std::string& s) { return Str(s); }));
          Set(o, m_.titles, Tuple(e.titles, [this](const std::string& s) { return Str(s); }));
          return o;
        }));
    Set(obj, m_.attributions, Tuple(a.attributions, [this](const newsparse::Attribution& at) {
          py::object o = New(Model::kAttribution);
          Set(o, m_.kind, Str(AttributionKindName(at.kind)));
          Set(o, m_.cue, SpanObj(at.cue));
          if (at.source) {
            py::object s = New(Model::kAttributionSource);
            Set(s, m_.span, SpanObj(at.source->span));
            Set(s, m_.entity,
                at.source->entity ? Check(PyLong_FromUnsignedLong(*at.source->entity))
                                  : py::none());
            Set(o, m_.source, s);
          } else {
            Set(o, m_.source, py::none());
          }
          Set(o, m_.content, Tuple(at.content, [this](const Span& s) { return SpanObj(s); }));
          return o;
        }));
    Set(obj, m_.dates, Tuple(a.dates, [this](const DateMention& d) {
          py::object o = New(Model::kDateMention);
          Set(o, m_.span, SpanObj(d.span));
          Set(o, m_.value, Str(d.value));
          return o;
        }));
    return obj;
  }

  // An Article whose `error` is set and every other field empty.
  static py::object ErrorArticle(py::handle id, const std::string& kind, const std::string& message,
                                 uint64_t line) {
    Model& m = TheModel();
    if (!m.ready) throw std::runtime_error("newsparse._core: register_model was not called");
    py::object err = New(m, Model::kParseError);
    Set(err, m.kind, py::str(kind));
    Set(err, m.message, py::str(message));
    Set(err, m.line, Check(PyLong_FromUnsignedLongLong(line)));
    py::object obj = New(m, Model::kArticle);
    Set(obj, m.id, py::reinterpret_borrow<py::object>(id));
    Set(obj, m.error, err);
    Set(obj, m.dateline, py::none());
    for (PyObject* name : {m.credits, m.entities, m.attributions, m.dates}) {
      Set(obj, name, py::reinterpret_borrow<py::object>(m.empty_tuple));
    }
    return obj;
  }

 private:
  static py::object New(const Model& m, Model::Class c) {
    PyTypeObject* type = reinterpret_cast<PyTypeObject*>(m.cls[c]);
    return Check(PyBaseObject_Type.tp_new(type, m.empty_tuple, nullptr));
  }
  py::object New(Model::Class c) { return New(m_, c); }

  static void Set(const py::object& obj, PyObject* name, const py::object& value) {
    if (PyObject_GenericSetAttr(obj.ptr(), name, value.ptr()) < 0) throw py::error_already_set();
  }

  // Derived strings come from the core as UTF-8 (invalid bytes already replaced by U+FFFD).
  static py::object Str(std::string_view s) {
    return Check(PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
  }

  py::object Opt(std::string_view s) { return s.empty() ? py::none() : Str(s); }

  // `v`: a std::vector or an absl::InlinedVector (Dateline::places).
  template <typename Vector, typename F>
  py::object Tuple(const Vector& v, F&& make) {
    if (v.empty()) return py::reinterpret_borrow<py::object>(m_.empty_tuple);
    py::object t = Check(PyTuple_New(static_cast<Py_ssize_t>(v.size())));
    for (size_t i = 0; i < v.size(); ++i) {
      PyTuple_SET_ITEM(t.ptr(), static_cast<Py_ssize_t>(i), make(v[i]).release().ptr());
    }
    return t;
  }

  // Span(text, start, end) with start/end already code points.
  py::object SpanObj(Span s) {
    const Py_ssize_t len = PyUnicode_GET_LENGTH(text_.ptr());
    Py_ssize_t b = std::min<Py_ssize_t>(s.begin, len);
    Py_ssize_t e = std::min<Py_ssize_t>(std::max<uint32_t>(s.end, s.begin), len);
    py::object o = New(Model::kSpan);
    Set(o, m_.text, Check(PyUnicode_Substring(text_.ptr(), b, e)));
    Set(o, m_.start, Check(PyLong_FromSsize_t(b)));
    Set(o, m_.end, Check(PyLong_FromSsize_t(e)));
    return o;
  }

  // Str() copies: the Place's and Source's strings are views into the text and the engine
  // (core/article.h), valid only while the batch that parsed them is being converted.
  py::object PlaceObj(const newsparse::Place& p) {
    py::object o = New(Model::kPlace);
    Set(o, m_.span, SpanObj(p.span));
    Set(o, m_.city, Str(p.city));
    Set(o, m_.region, Opt(p.region));
    Set(o, m_.country, Opt(p.country));
    return o;
  }

  py::object Dateline(const newsparse::Dateline& d) {
    py::object o = New(Model::kDateline);
    Set(o, m_.span, SpanObj(d.span));
    Set(o, m_.place, d.place.span.empty() ? py::none() : PlaceObj(d.place));
    Set(o, m_.places, Tuple(d.places, [this](const newsparse::Place& p) { return PlaceObj(p); }));
    if (d.date) {
      py::object date = New(Model::kDatelineDate);
      Set(date, m_.span, SpanObj(d.date->span));
      Set(date, m_.value, d.date->value ? Str(absl::FormatCivilTime(*d.date->value)) : py::none());
      Set(o, m_.date, date);
    } else {
      Set(o, m_.date, py::none());
    }
    if (d.source) {
      py::object src = New(Model::kSource);
      Set(src, m_.span, SpanObj(d.source->span));
      Set(src, m_.name, Str(d.source->name));
      Set(o, m_.source, src);
    } else {
      Set(o, m_.source, py::none());
    }
    Set(o, m_.byline, d.byline ? SpanObj(*d.byline) : py::none());
    Set(o, m_.body_start, Check(PyLong_FromUnsignedLong(d.body_start)));
    return o;
  }

  py::handle text_;
  const Model& m_;
};

py::list ToPyList(std::vector<std::string>& out) {
  py::list result(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    result[i] = py::str(out[i]);
    std::string().swap(out[i]);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Batches parsed in input order.

// The guard ParseInOrder holds around waits and parses on the calling thread when that thread
// does not hold the GIL.
struct NoGuard {};

// Parses items [0, n) with `parse_one(i, workspace)` on `threads` threads in all (0: every core),
// the calling thread among them, and calls `consume(i)` on the calling thread for each item in
// input order as soon as it is parsed. The other threads claim items in input order; whenever the
// next item is not parsed yet, the calling thread parses one itself (or waits) inside an
// `Unlocked` guard (py::gil_scoped_release when the caller holds the GIL, NoGuard when it was
// released before). `parse_one` runs without the GIL and must not throw; `consume` may throw, and
// the threads are joined on every exit path.
template <typename Unlocked, typename ParseOne, typename Consume>
void ParseInOrder(size_t n, int threads, ParseOne&& parse_one, Consume&& consume) {
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
  for (size_t i = 0; i < n; ++i) done[i].store(false, std::memory_order_relaxed);
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::condition_variable finished;
  auto parse_and_mark = [&](size_t i, Workspace* ws) {
    parse_one(i, ws);
    {
      std::lock_guard<std::mutex> lock(mu);
      done[i].store(true, std::memory_order_release);
    }
    finished.notify_all();
  };

  const int total = ResolveThreads(threads, n);
  // Joins the workers on every exit path, after telling them to claim nothing more.
  struct Pool {
    std::atomic<size_t>* next;
    size_t n;
    std::vector<std::thread> threads;
    ~Pool() {
      next->store(n, std::memory_order_relaxed);
      Unlocked unlocked;
      for (std::thread& t : threads) t.join();
    }
  } pool{&next, n, {}};
  pool.threads.reserve(static_cast<size_t>(total - 1));
  for (int t = 1; t < total; ++t) {
    pool.threads.emplace_back([&] {
      Workspace ws;
      for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
        parse_and_mark(i, &ws);
      }
    });
  }
  Workspace ws;
  for (size_t i = 0; i < n; ++i) {
    while (!done[i].load(std::memory_order_acquire)) {
      Unlocked unlocked;
      const size_t claimed = next.fetch_add(1, std::memory_order_relaxed);
      if (claimed < n) {
        parse_and_mark(claimed, &ws);
      } else {
        std::unique_lock<std::mutex> lock(mu);
        finished.wait(lock, [&] { return done[i].load(std::memory_order_acquire); });
      }
    }
    consume(i);
  }
}

// ---------------------------------------------------------------------------------------------
// Arrow in and out (the Arrow C Data Interface through the PyCapsule interface).

// `text` with each maximal invalid UTF-8 subsequence replaced by U+FFFD.
std::string ReplaceInvalidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    char32_t cp;
    p += DecodeUtf8(p, end, &cp);
    ::newsparse::AppendUtf8(cp, &out);
  }
  return out;
}

// The result schema as a PyCapsule "arrow_schema".
py::object ResultSchemaCapsule() {
  auto schema = std::make_unique<ArrowSchema>();
  const absl::Status s = ExportResultSchema(schema.get());
  if (!s.ok()) throw std::runtime_error(std::string(s.message()));
  return SchemaCapsule(std::move(schema));
}

// One record batch of results, handed to an Arrow consumer once through __arrow_c_array__
// (pyarrow.record_batch(obj)); the buffers are freed by the consumer, or here if never taken.
struct ArrowResult : OwnedArrowArray {
  py::tuple ArrowCArray(py::object /*requested_schema: the schema is fixed*/) {
    return TakeCapsules("batch", &ResultSchemaCapsule);
  }
};

// The result schema for pyarrow.schema(obj) (__arrow_c_schema__).
struct ArrowResultSchema {
  py::object ArrowCSchema() const { return ResultSchemaCapsule(); }
};

class PyEngine {
 public:
  PyEngine(std::optional<std::string> data_dir, uint64_t max_article_bytes) {
    EngineOptions options;
    if (data_dir) options.data_dir = *data_dir;
    options.max_article_bytes = max_article_bytes;
    absl::StatusOr<std::unique_ptr<Engine>> engine;
    {
      py::gil_scoped_release release;
      engine = Engine::Create(options);
    }
    if (!engine.ok()) throw std::runtime_error(std::string(engine.status().ToString()));
    engine_ = std::move(*engine);
  }

  std::string data_dir() const { return engine_->data_dir(); }

  py::str ParseJson(py::handle text, py::handle date, py::handle id, const std::string& stages) {
    const Utf8Texts texts = OneText(text, "text");
    const std::string_view t = texts.view(0);
    std::string id_json;
    const ParseOptions options = OneArticleOptions(date, id, stages, &id_json);
    std::string out;
    {
      py::gil_scoped_release release;
      Workspace& ws = ThreadWorkspace();
      engine_->ParseToJson(t, options, id_json, &ws, &out);
    }
    return py::str(out);
  }

  // Parses raw bytes (e.g. a file's contents): invalid UTF-8 is analysed as U+FFFD.
  py::str ParseBytesJson(const py::bytes& data, std::optional<std::string> date,
                         std::optional<std::string> id, const std::string& stages) {
    char* buffer = nullptr;
    Py_ssize_t size = 0;
    PyBytes_AsStringAndSize(data.ptr(), &buffer, &size);
    ParseOptions options;
    options.stages = StagesOf(stages);
    options.reference_date = DateOf(date);
    const std::string id_json = IdJson(id);
    std::string out;
    {
      py::gil_scoped_release release;
      Workspace& ws = ThreadWorkspace();
      engine_->ParseToJson(std::string_view(buffer, size), options, id_json, &ws, &out);
    }
    return py::str(out);
  }

  // The inputs of a batch, converted with the GIL held.
  struct Batch {
    Utf8Texts texts;
    std::vector<std::optional<absl::CivilDay>> days;
    std::vector<py::object> ids;
  };

  // Converts and checks the inputs of a batch; the non-ASCII texts are encoded to UTF-8 on
  // `threads` threads without the GIL.
  static Batch BatchOf(const py::sequence& texts, const std::optional<py::sequence>& dates,
                       const std::optional<py::sequence>& ids, int threads) {
    Batch b;
    const size_t n = py::len(texts);
    b.texts.Reserve(n);
    for (size_t i = 0; i < n; ++i) {
      py::object item = texts[i];
      b.texts.Add(item, Indexed("texts", i));
    }
    if (dates) {
      if (py::len(*dates) != n) throw py::value_error("dates must have one entry per text");
      b.days.reserve(n);
      for (size_t i = 0; i < n; ++i)
        b.days.push_back(DateOfObject((*dates)[i], Indexed("dates", i)));
    }
    if (ids) {
      if (py::len(*ids) != n) throw py::value_error("ids must have one entry per text");
      b.ids.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        py::object id = (*ids)[i];
        IdJsonOf(id, Indexed("ids", i));  // validates the type
        b.ids.push_back(std::move(id));
      }
    }
    b.texts.EncodeOrThrow(threads, [](size_t i) { return Indexed("texts", i); });
    return b;
  }

  py::list ParseJsonMany(const py::sequence& texts, std::optional<py::sequence> dates,
                         std::optional<py::sequence> ids, const std::string& stages, int threads) {
    Batch b = BatchOf(texts, dates, ids, threads);
    std::vector<std::string> ids_json;
    for (size_t i = 0; i < b.ids.size(); ++i) ids_json.push_back(IdJsonOf(b.ids[i], "id"));
    ParseOptions options;
    options.stages = StagesOf(stages);
    std::vector<std::string> out;
    {
      py::gil_scoped_release release;
      engine_->ParseTextBatch(b.texts.views(), b.days, ids_json, options, threads, &out);
    }
    return ToPyList(out);
  }

  // Typed results (newsparse.Article) for a batch, on `threads` threads in all (0: every core),
  // the calling thread among them (see ParseInOrder): the calling thread builds the Python
  // objects of finished articles in order (that needs the GIL) while the others parse, so
  // building overlaps parsing and N threads cost about (parse + build) / N; each article's C++
  // result is freed as soon as its objects exist.
  py::list ParseMany(const py::sequence& texts, std::optional<py::sequence> dates,
                     std::optional<py::sequence> ids, const std::string& stages, int threads) {
    Batch b = BatchOf(texts, dates, ids, threads);
    const size_t n = b.texts.size();
    ParseOptions options;
    options.stages = StagesOf(stages);
    std::vector<Article> articles(n);
    std::vector<std::string> errors(n);

    auto parse_one = [&](size_t i, Workspace* ws) {
      ParseOptions opts = options;
      if (i < b.days.size()) opts.reference_date = b.days[i];
      const absl::Status s = engine_->Parse(b.texts.view(i), opts, ws, &articles[i]);
      if (!s.ok()) {
        errors[i] = std::string(s.message());
        if (errors[i].empty()) errors[i] = "parse failed";
      } else {
        ws->offsets.Reset(b.texts.view(i));
        ToCodePoints(ws->offsets, &articles[i]);
      }
    };

    // The objects built hold no reference cycles, so the cyclic collector is paused while they
    // are made (it would otherwise scan the growing result again and again: about half the cost
    // of building, measured with callgrind) and resumed as it was, on every exit path.
    struct GcPause {
      int was_enabled = PyGC_Disable();
      ~GcPause() {
        if (was_enabled) PyGC_Enable();
      }
    } gc_pause;
    py::list result(n);
    ParseInOrder<py::gil_scoped_release>(n, threads, parse_one, [&](size_t i) {
      py::handle id = i < b.ids.size() ? py::handle(b.ids[i]) : py::handle(Py_None);
      if (!errors[i].empty()) {
        result[i] = Builder::ErrorArticle(id, "too_large", errors[i], 0);
      } else {
        result[i] = Builder(b.texts.object(i)).Article(articles[i], id);
      }
      articles[i] = Article();  // frees memory as we go
    });
    return result;
  }

  // `dates`: None or one entry per text, None or an ISO date str, or anything that
  // `date_converter(value, "dates[i]")` turns into one of those (the package's date conversion).
  // The results of a batch of texts given as an Arrow string array (`text_capsules`: the
  // (schema, array) PyCapsule pair of the Arrow PyCapsule interface, utf8 or large_utf8), as
  // Arrow record batches of the result schema (core/arrow_export.h) with code point offsets, each
  // at most `max_rows` rows. A null text gives an error row {"missing_field", null_message}; any
  // other row with `row_errors[i]` = (kind, message) is not parsed and gets that error; an article
  // over the size limit gets "too_large". Invalid UTF-8 in the input is read with U+FFFD
  // replacement (as bytes.decode("utf-8", "replace")), and the span texts are slices of that.
  // Parsing runs on `threads` threads with the GIL released; the calling thread writes the columns
  // in order.
  py::list ParseArrow(const py::tuple& text_capsules, std::optional<py::sequence> dates,
                      std::optional<py::sequence> row_errors, const std::string& null_message,
                      const std::string& stages, int threads, int64_t max_rows,
                      py::object date_converter) {
    const ArrowStrings texts(text_capsules);
    const size_t n = texts.size();
    ParseOptions options;
    options.stages = StagesOf(stages);
    if (max_rows <= 0) throw py::value_error("max_rows must be positive");
    std::vector<std::optional<absl::CivilDay>> days;
    if (dates) {
      if (py::len(*dates) != n) throw py::value_error("dates must have one entry per text");
      days.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        py::object d = (*dates)[i];
        // The common case, an ISO date in an ASCII str, is read in place; the name "dates[i]"
        // for a message is built only on the other paths (it cost more than the parse).
        if (d.is_none()) {
          days.emplace_back(std::nullopt);
          continue;
        }
        if (PyUnicode_Check(d.ptr()) && PyUnicode_IS_ASCII(d.ptr()) &&
            PyUnicode_GET_LENGTH(d.ptr()) == 10) {
          const std::string_view iso(static_cast<const char*>(PyUnicode_DATA(d.ptr())), 10);
          if (auto day = ParseIsoDate(iso)) {
            days.emplace_back(day);
            continue;
          }
        }
        if (!PyUnicode_Check(d.ptr()) && !date_converter.is_none()) {
          d = date_converter(d, Indexed("dates", i));
        }
        days.push_back(DateOfObject(d, Indexed("dates", i)));
      }
    }
    // Rows not to parse, with their error; allocated only when some are given.
    std::vector<std::optional<std::pair<std::string, std::string>>> preset;
    if (row_errors) {
      if (py::len(*row_errors) != n) {
        throw py::value_error("row_errors must have one entry per text");
      }
      preset.resize(n);
      for (size_t i = 0; i < n; ++i) {
        py::object e = (*row_errors)[i];
        if (e.is_none()) continue;
        auto pair = e.cast<std::pair<std::string, std::string>>();
        preset[i] = std::move(pair);
      }
    }
    auto skipped = [&](size_t i) { return texts.is_null(i) || (!preset.empty() && preset[i]); };
    // The text to parse: in place, or after U+FFFD replacement of invalid UTF-8 into `repaired`.
    auto text_to_parse = [&](size_t i, std::string* repaired) {
      const std::string_view raw = texts.view(i);
      if (IsAscii(raw) || ValidateUtf8(raw).ok()) return raw;
      *repaired = ReplaceInvalidUtf8(raw);
      return std::string_view(*repaired);
    };
    // Parses row i into `article`; a parse error's message goes to `*error`.
    auto parse_row = [&](size_t i, std::string_view text, Workspace* ws, Article* article,
                         std::string* error) {
      ParseOptions opts = options;
      if (i < days.size()) opts.reference_date = days[i];
      const absl::Status s = engine_->Parse(text, opts, ws, article);
      if (!s.ok()) {
        *error = std::string(s.message());
        if (error->empty()) *error = "parse failed";
      }
    };
    std::vector<std::unique_ptr<ArrowResult>> batches;
    absl::Status failed;
    {
      py::gil_scoped_release release;
      ArrowResultBuilder builder;
      OffsetMap offsets;
      auto finish = [&] {
        auto batch = std::make_unique<ArrowResult>();
        const absl::Status s = builder.Finish(&batch->array);
        if (!s.ok()) {
          failed.Update(s);
        } else {
          batches.push_back(std::move(batch));
        }
      };
      // Writes row i: its error, or the parsed `article` of `text`.
      auto append_row = [&](size_t i, std::string_view text, const Article& article,
                            const std::string& error) {
        if (texts.is_null(i)) {  // a null text wins over a row error (e.g. a bad date)
          builder.AppendError("missing_field", null_message, 0);
        } else if (!preset.empty() && preset[i]) {
          builder.AppendError(preset[i]->first, preset[i]->second, 0);
        } else if (!error.empty()) {
          builder.AppendError("too_large", error, 0);
        } else {
          offsets.Reset(text);
          builder.Append(text, article, &offsets);
        }
        if (builder.rows() >= max_rows ||
            builder.data_bytes() >= ArrowResultBuilder::kMaxBatchBytes) {
          finish();
        }
      };
      if (ResolveThreads(threads, n) == 1) {
        // One thread (threads=1, or threads=0 on one core, or one row): each row is parsed into
        // the calling thread's one Article and written at once, with no per-row result kept and
        // no hand-off between threads.
        Workspace& ws = ThreadWorkspace();
        Article& article = ws.article;
        std::string error, repaired;
        for (size_t i = 0; i < n; ++i) {
          error.clear();
          std::string_view text;
          if (skipped(i)) {
            article.Clear();
          } else {
            text = text_to_parse(i, &repaired);
            parse_row(i, text, &ws, &article, &error);
          }
          append_row(i, text, article, error);
        }
        article.Clear();
        std::string().swap(repaired);
      } else {
        std::vector<Article> articles(n);
        std::vector<std::string> errors(n);
        std::vector<std::string> repaired(n);  // texts with invalid UTF-8, after U+FFFD replacement
        std::vector<std::string_view> parsed_text(n);
        auto parse_one = [&](size_t i, Workspace* ws) {
          if (skipped(i)) return;
          parsed_text[i] = text_to_parse(i, &repaired[i]);
          parse_row(i, parsed_text[i], ws, &articles[i], &errors[i]);
        };
        ParseInOrder<NoGuard>(n, threads, parse_one, [&](size_t i) {
          append_row(i, parsed_text[i], articles[i], errors[i]);
          articles[i] = Article();  // frees memory as we go
          std::string().swap(repaired[i]);
        });
      }
      if (builder.rows() > 0 || batches.empty()) finish();
    }
    if (!failed.ok()) throw std::runtime_error(std::string(failed.message()));
    py::list result;
    for (auto& batch : batches) result.append(py::cast(std::move(batch)));
    return result;
  }

  // Seconds the C++ parse of a batch takes (no Python objects built): the baseline of
  // benchmarks/python_overhead.py.
  double TimeParse(const py::sequence& texts, const std::string& stages, int threads) {
    Batch b = BatchOf(texts, std::nullopt, std::nullopt, threads);
    ParseOptions options;
    options.stages = StagesOf(stages);
    std::vector<Article> articles(b.texts.size());
    py::gil_scoped_release release;
    const auto start = std::chrono::steady_clock::now();
    ParallelFor(b.texts.size(), threads, [&](size_t i, Workspace* ws) {
      if (engine_->Parse(b.texts.view(i), options, ws, &articles[i]).ok()) {
        ws->offsets.Reset(b.texts.view(i));
        ToCodePoints(ws->offsets, &articles[i]);
      }
    });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  py::object Parse(py::handle text, py::handle date, py::handle id, const std::string& stages) {
    const Utf8Texts texts = OneText(text, "text");
    const std::string_view t = texts.view(0);
    const ParseOptions options = OneArticleOptions(date, id, stages, /*id_json=*/nullptr);
    Article article;
    absl::Status s;
    {
      py::gil_scoped_release release;
      Workspace& ws = ThreadWorkspace();
      s = engine_->Parse(t, options, &ws, &article);
      if (s.ok()) {
        ws.offsets.Reset(t);
        ToCodePoints(ws.offsets, &article);
      }
    }
    if (!s.ok()) return Builder::ErrorArticle(id, "too_large", std::string(s.message()), 0);
    return Builder(text).Article(article, id);
  }

  py::list ParseJsonl(const py::sequence& lines, uint64_t first_line, const std::string& text_field,
                      const std::string& date_field, const std::string& id_field,
                      const std::string& stages, int threads, std::optional<std::string> date) {
    const size_t n = py::len(lines);
    std::vector<py::bytes> keep;
    std::vector<std::string_view> views;
    keep.reserve(n);
    views.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      py::object item = lines[i];
      if (!PyBytes_Check(item.ptr())) throw py::type_error("lines must be bytes");
      char* buffer = nullptr;
      Py_ssize_t size = 0;
      PyBytes_AsStringAndSize(item.ptr(), &buffer, &size);
      views.emplace_back(buffer, static_cast<size_t>(size));
      keep.push_back(py::reinterpret_borrow<py::bytes>(item));
    }
    JsonlFields fields;
    fields.text_field = text_field;
    fields.date_field = date_field;
    fields.id_field = id_field;
    ParseOptions options;
    options.stages = StagesOf(stages);
    options.reference_date = DateOf(date);
    std::vector<std::string> out;
    {
      py::gil_scoped_release release;
      engine_->ParseJsonlBatch(views, first_line, fields, options, threads, &out);
    }
    return ToPyList(out);
  }

 private:
  std::unique_ptr<Engine> engine_;
};

// For tests of the result plumbing while the stages are still landing: an Article whose every
// field is filled from the tokens of `text` (no linguistic meaning at all), returned both as typed
// objects and as the JSON form, so that tests can check that the two agree and that every span is
// a true slice of `text`.
py::tuple TestingArticle(py::handle text) {
  const Utf8Texts texts = OneText(text, "text");
  const std::string_view t = texts.view(0);
  Tokens tokens;
  Tokenize(t, &tokens);
  Article a;
  const auto& tk = tokens.tokens;
  auto span = [&](size_t i) { return Span{tk[i].begin, tk[i].end}; };
  if (!tk.empty()) {
    const size_t n = tk.size();
    Dateline d;
    d.span = Span{tk[0].begin, tk[std::min<size_t>(n, 3) - 1].end};
    d.place.span = span(0);
    d.place.city = "City";
    d.place.country = "ZZ";
    d.places.push_back(d.place);
    if (n > 1) d.date = DatelineDate{span(1), absl::CivilDay(2024, 1, 2)};
    if (n > 2) d.source = Source{span(2), "Source"};
    d.byline = span(0);
    d.body_start = d.span.end;
    a.dateline = d;
    a.credits.push_back(Credit{"signoff", span(n - 1)});
    Entity e;
    e.id = 0;
    e.type = EntityType::kPerson;
    e.name = std::string(Slice(t, span(0)));
    for (size_t i = 0; i < n; ++i) e.mentions.push_back(span(i));
    e.aliases = {"alias"};
    e.titles = {"title"};
    a.entities.push_back(e);
    Attribution at;
    at.kind = AttributionKind::kDirect;
    at.cue = span(n / 2);
    at.source = AttributionSource{span(0), 0};
    at.content.push_back(Span{tk[0].begin, tk[n - 1].end});
    a.attributions.push_back(at);
    a.dates.push_back(DateMention{span(n - 1), "2024-01"});
  }
  std::string json;
  OffsetMap offsets;
  AppendArticleJson(t, a, "", &offsets, &json);
  offsets.Reset(t);
  ToCodePoints(offsets, &a);
  return py::make_tuple(Builder(text).Article(a, py::none()), py::str(json));
}

// Tokens as (start, end, kind, shape, flags) in code points, plus sentence and paragraph ranges.
py::tuple TokenizeForPython(py::handle text) {
  const Utf8Texts texts = OneText(text, "text");
  const std::string_view t = texts.view(0);
  Tokens tokens;
  OffsetMap offsets;
  {
    py::gil_scoped_release release;
    Tokenize(t, &tokens);
    offsets.Reset(t);
  }
  static const char* kKinds[] = {"word", "number", "punct", "quote", "dash", "symbol"};
  static const char* kShapes[] = {"lower",  "capitalized", "allcaps", "mixed",
                                  "digits", "alphanum",    "other"};
  py::list toks;
  for (const Token& tok : tokens.tokens) {
    toks.append(py::make_tuple(offsets.ToCodePoint(tok.begin), offsets.ToCodePoint(tok.end),
                               kKinds[static_cast<int>(tok.kind)],
                               kShapes[static_cast<int>(tok.shape)], tok.flags));
  }
  py::list sentences, paragraphs;
  for (const TokenRange& r : tokens.sentences) sentences.append(py::make_tuple(r.begin, r.end));
  for (const TokenRange& r : tokens.paragraphs) paragraphs.append(py::make_tuple(r.begin, r.end));
  return py::make_tuple(toks, sentences, paragraphs);
}

}  // namespace
}  // namespace newsparse

PYBIND11_MODULE(_core, m) {
  using newsparse::PyEngine;
  m.doc() = "newsparse C++ core (use the newsparse package, not this module directly)";
  m.attr("SCHEMA_VERSION") = newsparse::kJsonSchemaVersion;
  // The compiler that built the module, for benchmark records (newsparse/_bench_record.py).
#if defined(__clang__)
  m.attr("__compiler__") = "clang " __clang_version__;
#elif defined(__GNUC__)
  m.attr("__compiler__") = "gcc " __VERSION__;
#else
  m.attr("__compiler__") = py::none();
#endif
  py::class_<PyEngine>(m, "Engine")
      .def(py::init<std::optional<std::string>, uint64_t>(), py::arg("data_dir") = py::none(),
           py::arg("max_article_bytes") = uint64_t{64} << 20)
      .def_property_readonly("data_dir", &PyEngine::data_dir)
      .def("parse", &PyEngine::Parse, py::arg("text"), py::arg("date") = py::none(),
           py::arg("id") = py::none(), py::arg("stages") = "all")
      .def("parse_many", &PyEngine::ParseMany, py::arg("texts"), py::arg("dates") = py::none(),
           py::arg("ids") = py::none(), py::arg("stages") = "all", py::arg("threads") = 0)
      .def("parse_arrow", &PyEngine::ParseArrow, py::arg("texts"), py::arg("dates") = py::none(),
           py::arg("row_errors") = py::none(), py::arg("null_message") = "text is null",
           py::arg("stages") = "all", py::arg("threads") = 0, py::arg("max_rows") = 8192,
           py::arg("date_converter") = py::none())
      .def("_time_parse", &PyEngine::TimeParse, py::arg("texts"), py::arg("stages") = "all",
           py::arg("threads") = 0)
      .def("parse_json", &PyEngine::ParseJson, py::arg("text"), py::arg("date") = py::none(),
           py::arg("id") = py::none(), py::arg("stages") = "all")
      .def("parse_bytes_json", &PyEngine::ParseBytesJson, py::arg("data"),
           py::arg("date") = py::none(), py::arg("id") = py::none(), py::arg("stages") = "all")
      .def("parse_json_many", &PyEngine::ParseJsonMany, py::arg("texts"),
           py::arg("dates") = py::none(), py::arg("ids") = py::none(), py::arg("stages") = "all",
           py::arg("threads") = 0)
      .def("parse_jsonl", &PyEngine::ParseJsonl, py::arg("lines"), py::arg("first_line") = 1,
           py::arg("text_field") = "text", py::arg("date_field") = "", py::arg("id_field") = "id",
           py::arg("stages") = "all", py::arg("threads") = 0, py::arg("date") = py::none());
  py::class_<newsparse::ArrowResult>(m, "ArrowBatch")
      .def("__arrow_c_array__", &newsparse::ArrowResult::ArrowCArray,
           py::arg("requested_schema") = py::none());
  py::class_<newsparse::ArrowResultSchema>(m, "ArrowSchema")
      .def(py::init<>())
      .def("__arrow_c_schema__", &newsparse::ArrowResultSchema::ArrowCSchema);
  m.def("_arrow_exports_alive", &newsparse::ArrowExportsAlive);
  m.def("tokenize", &newsparse::TokenizeForPython, py::arg("text"));
  m.def("_testing_article", &newsparse::TestingArticle, py::arg("text"));
  m.def("register_model", &newsparse::RegisterModel, py::arg("classes"),
        "Hands over the result classes of newsparse._model (called once by the package).");
  newsparse::RegisterTools(m);
  newsparse::RegisterEntitiesEval(m);
  newsparse::RegisterDates(m);
}
