// newsparse._core: the pybind11 binding of the C++ engine.
//
// Inputs are converted with the GIL held, the C++ work runs with the GIL released (on C++ threads
// for the batch calls), and Python objects are built after the GIL is taken back. Results cross as
// JSON text (schema_version 1) whose offsets are already Python str indices; the pure-Python layer
// (newsparse/__init__.py) turns them into typed objects.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/article_json.h"
#include "core/engine.h"
#include "core/jsonl.h"
#include "core/text.h"
#include "core/tokenizer.h"

namespace py = pybind11;

namespace newsparse {
namespace {

// The UTF-8 bytes of a Python str, borrowed from the object (valid while it lives).
std::string_view Utf8Of(py::handle obj, const char* what) {
  if (!PyUnicode_Check(obj.ptr())) {
    throw py::type_error(std::string(what) + " must be str, not " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    throw py::value_error(std::string(what) +
                          " is not valid Unicode (it holds a lone surrogate code point)");
  }
  return std::string_view(data, static_cast<size_t>(size));
}

std::optional<absl::CivilDay> DateOf(const std::optional<std::string>& date) {
  if (!date) return std::nullopt;
  auto day = ParseIsoDate(*date);
  if (!day || date->size() != 10) {
    throw py::value_error("date must be an ISO date YYYY-MM-DD, got '" + *date + "'");
  }
  return day;
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

py::list ToPyList(std::vector<std::string>& out) {
  py::list result(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    result[i] = py::str(out[i]);
    std::string().swap(out[i]);
  }
  return result;
}

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

  py::str ParseJson(py::handle text, std::optional<std::string> date, std::optional<std::string> id,
                    const std::string& stages) {
    const std::string_view t = Utf8Of(text, "text");
    ParseOptions options;
    options.stages = StagesOf(stages);
    options.reference_date = DateOf(date);
    const std::string id_json = IdJson(id);
    std::string out;
    {
      py::gil_scoped_release release;
      Workspace ws;
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
      Workspace ws;
      engine_->ParseToJson(std::string_view(buffer, size), options, id_json, &ws, &out);
    }
    return py::str(out);
  }

  py::list ParseJsonMany(const py::sequence& texts, std::optional<py::sequence> dates,
                         std::optional<py::sequence> ids, const std::string& stages, int threads) {
    const size_t n = py::len(texts);
    std::vector<py::object> keep;  // keeps every str alive while the GIL is released
    std::vector<std::string_view> views;
    keep.reserve(n);
    views.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      py::object item = texts[i];
      views.push_back(Utf8Of(item, "text"));
      keep.push_back(std::move(item));
    }
    std::vector<std::optional<absl::CivilDay>> days;
    if (dates) {
      if (py::len(*dates) != n) throw py::value_error("dates must have one entry per text");
      for (size_t i = 0; i < n; ++i) {
        py::object d = (*dates)[i];
        days.push_back(d.is_none() ? std::nullopt : DateOf(d.cast<std::string>()));
      }
    }
    std::vector<std::string> ids_json;
    if (ids) {
      if (py::len(*ids) != n) throw py::value_error("ids must have one entry per text");
      for (size_t i = 0; i < n; ++i) {
        py::object d = (*ids)[i];
        ids_json.push_back(d.is_none() ? std::string() : IdJson(d.cast<std::string>()));
      }
    }
    ParseOptions options;
    options.stages = StagesOf(stages);
    std::vector<std::string> out;
    {
      py::gil_scoped_release release;
      engine_->ParseTextBatch(views, days, ids_json, options, threads, &out);
    }
    return ToPyList(out);
  }

  py::list ParseJsonl(const py::sequence& lines, uint64_t first_line,
                      const std::string& text_field, const std::string& date_field,
                      const std::string& id_field, const std::string& stages, int threads,
                      std::optional<std::string> date) {
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

// Tokens as (start, end, kind, shape, flags) in code points, plus sentence and paragraph ranges.
py::tuple TokenizeForPython(py::handle text) {
  const std::string_view t = Utf8Of(text, "text");
  Tokens tokens;
  OffsetMap offsets;
  {
    py::gil_scoped_release release;
    Tokenize(t, &tokens);
    offsets.Reset(t);
  }
  static const char* kKinds[] = {"word", "number", "punct", "quote", "dash", "symbol"};
  static const char* kShapes[] = {"lower", "capitalized", "allcaps", "mixed",
                                  "digits", "alphanum", "other"};
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
  py::class_<PyEngine>(m, "Engine")
      .def(py::init<std::optional<std::string>, uint64_t>(), py::arg("data_dir") = py::none(),
           py::arg("max_article_bytes") = uint64_t{64} << 20)
      .def_property_readonly("data_dir", &PyEngine::data_dir)
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
  m.def("tokenize", &newsparse::TokenizeForPython, py::arg("text"));
}
