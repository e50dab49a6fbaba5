// newsparse._core.parse_dates / parse_dates_arrow: a column of date strings read to days by
// core/date_string.h, for newsparse.parse_dates and newsparse.parse_dates_arrow.
//
// Both calls convert and check their inputs with the GIL held (the strs are copied as UTF-8 into
// one buffer, so no Python object is read without the GIL), parse with the GIL released, and take
// it back only to build the result list. The scratch buffers are per thread and reused between
// calls; the parse itself allocates nothing.
#include <Python.h>
#include <datetime.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "_core_args.h"
#include "_core_arrow.h"
#include "_core_tools.h"
#include "absl/time/civil_time.h"
#include "core/date_string.h"
#include "core/jsonl.h"

namespace newsparse {
namespace {

namespace py = pybind11;

const absl::CivilDay kEpoch(1970, 1, 1);

// The shared parser, built on first use (GIL held, so once).
const DateStringParser& Parser() {
  static const DateStringParser* parser = [] {
    auto p = DateStringParser::Create();
    if (!p.ok()) ThrowStatus(p.status());
    return p->release();
  }();
  return *parser;
}

// `languages`: None (all), or a str or an iterable of strs, each an ISO 639-1 code.
uint32_t LanguageMask(py::handle languages) {
  if (languages.is_none()) return kDateAllLanguages;
  uint32_t mask = 0;
  auto add = [&](py::handle code) {
    if (!PyUnicode_Check(code.ptr())) {
      throw py::type_error("languages must hold str codes, not " + TypeName(code));
    }
    const std::string c = code.cast<std::string>();
    const std::optional<uint32_t> bit = DateLanguageBit(c);
    if (!bit) {
      throw py::value_error("languages: unknown language '" + c +
                            "' (supported: en, fr, es, pt, it, de, ru)");
    }
    mask |= *bit;
  };
  if (PyUnicode_Check(languages.ptr())) {
    add(languages);
  } else {
    for (py::handle code : py::iter(languages)) add(code);
  }
  if (mask == 0) throw py::value_error("languages must name at least one language");
  return mask;
}

// A reference date: None, a datetime.date or datetime.datetime (its date), or an ISO str. Errors
// name `name`, or `name[index]` when an index is given (the name is built only on an error).
std::optional<absl::CivilDay> ReferenceOf(PyObject* o, const char* name,
                                          std::optional<size_t> index) {
  if (o == Py_None) return std::nullopt;
  if (PyDate_Check(o)) {
    return absl::CivilDay(PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
  }
  auto what = [&] { return index ? Indexed(name, *index) : std::string(name); };
  if (PyUnicode_Check(o)) {
    Py_ssize_t size = 0;
    const char* p = PyUnicode_AsUTF8AndSize(o, &size);
    if (p == nullptr) {
      PyErr_Clear();
      throw py::value_error(what() + " holds a lone surrogate (not valid Unicode text)");
    }
    return IsoDayOrThrow(std::string_view(p, static_cast<size_t>(size)), /*date_only=*/false, what);
  }
  throw py::type_error(what() +
                       " must be a datetime.date, datetime.datetime, ISO str or None, not " +
                       std::string(Py_TYPE(o)->tp_name));
}

// Reference days: none, one for all, or one per string (nullopt where the entry is None/null).
class References {
 public:
  // `refs`: None, one date / datetime / ISO str for every string, or a sequence of them (one per
  // string). GIL held.
  References(py::handle refs, size_t n) {
    if (refs.is_none()) return;
    PyObject* o = refs.ptr();
    if (PyDate_Check(o) || PyUnicode_Check(o)) {
      one_ = ReferenceOf(o, "reference_dates", std::nullopt);
      return;
    }
    if (!PySequence_Check(o)) {
      throw py::type_error(
          "reference_dates must be a date, datetime, ISO str, a sequence of them or None, not " +
          TypeName(refs));
    }
    py::object fast =
        py::reinterpret_steal<py::object>(PySequence_Fast(o, "reference_dates must be a sequence"));
    if (!fast) throw py::error_already_set();
    const auto size = static_cast<size_t>(PySequence_Fast_GET_SIZE(fast.ptr()));
    if (size != n) {
      throw py::value_error("reference_dates must have one entry per string (" +
                            std::to_string(size) + " for " + std::to_string(n) + ")");
    }
    PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
    each_.resize(n);
    std::optional<absl::CivilDay> last;
    PyObject* last_obj = nullptr;
    for (size_t i = 0; i < n; ++i) {
      PyObject* item = items[i];
      if (item != last_obj) {  // a repeated object is read once
        last = ReferenceOf(item, "reference_dates", i);
        last_obj = item;
      }
      each_[i] = last;
    }
  }

  // Days since 1970-01-01 from an Arrow date32 array (nulls: no reference). GIL held.
  void SetDate32(const ArrowArray& a, size_t n) {
    if (static_cast<size_t>(a.length) != n) {
      throw py::value_error("reference_dates must have one entry per string");
    }
    const auto* bits = static_cast<const uint8_t*>(a.buffers[0]);
    const auto* values = static_cast<const int32_t*>(a.buffers[1]);
    each_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t k = static_cast<uint64_t>(a.offset) + i;
      if (bits != nullptr && a.null_count != 0 && ((bits[k / 8] >> (k % 8)) & 1) == 0) {
        each_[i] = std::nullopt;
      } else {
        each_[i] = kEpoch + values[k];
      }
    }
  }

  // ISO date strings from an Arrow string array (nulls: no reference). GIL held.
  void SetIso(const ArrowStrings& a, size_t n) {
    if (a.size() != n) throw py::value_error("reference_dates must have one entry per string");
    each_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (a.is_null(i)) continue;
      each_[i] = IsoDayOrThrow(a.view(i), /*date_only=*/false,
                               [i] { return Indexed("reference_dates", i); });
    }
  }

  std::optional<absl::CivilDay> at(size_t i) const { return each_.empty() ? one_ : each_[i]; }

 private:
  std::optional<absl::CivilDay> one_;
  std::vector<std::optional<absl::CivilDay>> each_;
};

static_assert(kMaxDateStringBytes <= 255, "Scratch::size holds a string's size in a byte");

// Per-thread scratch, reused between calls.
struct Scratch {
  std::string bytes;            // the strings' UTF-8, back to back
  std::vector<uint64_t> begin;  // per string: offset in `bytes`, or kNoText
  std::vector<uint8_t> size;    // per string: byte size (<= kMaxDateStringBytes)
  std::vector<int32_t> days;    // per string: the result, days since 1970-01-01
  std::vector<uint8_t> found;   // per string: 1 when days[i] is set
};
constexpr uint64_t kNoText = ~uint64_t{0};

// Not inlined, so that a call fetches the thread-local once per batch: inlined, its address was
// recomputed (a __tls_get_addr call in a shared object) at each use, about 8 times a string.
[[gnu::noinline]] Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Appends the UTF-8 form of str `o` to s.bytes when it fits kMaxDateStringBytes (else records it
// as no text: it is no date). ValueError for a lone surrogate.
void AddStr(PyObject* o, size_t i, Scratch* s) {
  const Py_ssize_t length = PyUnicode_GET_LENGTH(o);
  if (static_cast<size_t>(length) > kMaxDateStringBytes) {  // a code point is at least a byte
    s->begin.push_back(kNoText);
    s->size.push_back(0);
    return;
  }
  const uint64_t start = s->bytes.size();
  if (PyUnicode_IS_ASCII(o)) {
    s->bytes.append(static_cast<const char*>(PyUnicode_DATA(o)), static_cast<size_t>(length));
  } else {
    const int kind = PyUnicode_KIND(o);
    const void* data = PyUnicode_DATA(o);
    for (Py_ssize_t k = 0; k < length; ++k) {
      const Py_UCS4 cp = PyUnicode_READ(kind, data, k);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        s->bytes.resize(start);
        throw py::value_error(Indexed("strings", i) +
                              " holds a lone surrogate (not valid Unicode text)");
      }
      char buf[4];
      size_t n;
      if (cp < 0x80) {
        buf[0] = static_cast<char>(cp);
        n = 1;
      } else if (cp < 0x800) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 2;
      } else if (cp < 0x10000) {
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 3;
      } else {
        buf[0] = static_cast<char>(0xF0 | (cp >> 18));
        buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 4;
      }
      s->bytes.append(buf, n);
    }
  }
  const uint64_t size = s->bytes.size() - start;
  if (size > kMaxDateStringBytes) {  // longer than the bound once encoded: no date
    s->bytes.resize(start);
    s->begin.push_back(kNoText);
    s->size.push_back(0);
    return;
  }
  s->begin.push_back(start);
  s->size.push_back(static_cast<uint8_t>(size));
}

// parse_dates on a Python sequence of str / None: a list of datetime.date / None. Not inlined into
// pybind11's dispatcher, so that callgrind can count it by name
// (benchmarks/peers/dates_instructions.py).
[[gnu::noinline]] py::list ParseDates(py::handle strings, py::handle refs, py::handle languages) {
  const uint32_t mask = LanguageMask(languages);
  const DateStringParser& parser = Parser();
  py::object fast = py::reinterpret_steal<py::object>(
      PySequence_Fast(strings.ptr(), "strings must be a sequence of str"));
  if (!fast) throw py::error_already_set();
  const auto n = static_cast<size_t>(PySequence_Fast_GET_SIZE(fast.ptr()));
  const References references(refs, n);
  Scratch& s = ThreadScratch();
  s.bytes.clear();
  s.begin.clear();
  s.size.clear();
  s.begin.reserve(n);
  s.size.reserve(n);
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  for (size_t i = 0; i < n; ++i) {
    PyObject* item = items[i];
    if (item == Py_None) {
      s.begin.push_back(kNoText);
      s.size.push_back(0);
    } else if (PyUnicode_Check(item)) {
      AddStr(item, i, &s);
    } else {
      throw py::type_error(Indexed("strings", i) + " must be str or None, not " + TypeName(item));
    }
  }
  s.days.resize(n);
  s.found.resize(n);
  {
    py::gil_scoped_release release;
    for (size_t i = 0; i < n; ++i) {
      s.found[i] = 0;
      if (s.begin[i] == kNoText) continue;
      const std::optional<absl::CivilDay> day = parser.Parse(
          std::string_view(s.bytes.data() + s.begin[i], s.size[i]), references.at(i), mask);
      if (day) {
        s.days[i] = static_cast<int32_t>(*day - kEpoch);
        s.found[i] = 1;
      }
    }
  }
  py::list out(n);
  PyObject* list = out.ptr();
  PyObject* last = nullptr;  // the previous row's date object, reused for an equal day
  int32_t last_day = 0;
  for (size_t i = 0; i < n; ++i) {
    PyObject* value;
    if (!s.found[i]) {
      value = Py_None;
      Py_INCREF(value);
    } else if (last != nullptr && s.days[i] == last_day) {
      value = last;
      Py_INCREF(value);
    } else {
      const absl::CivilDay d = kEpoch + s.days[i];
      value = PyDate_FromDate(static_cast<int>(d.year()), d.month(), d.day());
      if (value == nullptr) throw py::error_already_set();
      last = value;
      last_day = s.days[i];
    }
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), value);  // steals the reference
  }
  return out;
}

// An Arrow date32 array exported through the C Data Interface; the buffers are owned here until
// the consumer's release.
struct Date32Buffers {
  std::vector<int32_t> values;
  std::vector<uint8_t> validity;
  const void* buffers[2] = {nullptr, nullptr};
};

void ReleaseDate32Array(ArrowArray* a) {
  delete static_cast<Date32Buffers*>(a->private_data);
  a->release = nullptr;
}

void ReleaseDate32Schema(ArrowSchema* s) { s->release = nullptr; }

// The date32 schema: format "tdD", nullable, no children.
py::object Date32SchemaCapsule() {
  auto schema = std::make_unique<ArrowSchema>();
  *schema = ArrowSchema{};
  schema->format = "tdD";
  schema->name = "";
  schema->flags = ARROW_FLAG_NULLABLE;
  schema->release = &ReleaseDate32Schema;
  return SchemaCapsule(std::move(schema));
}

// One date32 array handed to an Arrow consumer once through __arrow_c_array__.
struct DateArrow : OwnedArrowArray {
  py::tuple ArrowCArray(py::object /*requested_schema: the type is fixed*/) {
    return TakeCapsules("array", &Date32SchemaCapsule);
  }
};

// parse_dates_arrow on an Arrow string array (the (schema, array) capsules): a date32 array.
// `ref_capsules`, when given, is a date32 or string array of reference dates (one per string) and
// `refs` must be None.
[[gnu::noinline]] std::unique_ptr<DateArrow> ParseDatesArrow(const py::tuple& string_capsules,
                                                             py::handle refs,
                                                             std::optional<py::tuple> ref_capsules,
                                                             py::handle languages) {
  const uint32_t mask = LanguageMask(languages);
  const DateStringParser& parser = Parser();
  const ArrowStrings strings(string_capsules, "strings");
  const size_t n = strings.size();
  std::optional<References> references;
  if (ref_capsules) {
    if (!refs.is_none()) throw py::value_error("give reference_dates once");
    if (ref_capsules->size() != 2) {
      throw py::type_error("reference_dates must be the (schema, array) capsules of an array");
    }
    const auto* schema = CapsulePointer<ArrowSchema>((*ref_capsules)[0], "arrow_schema");
    const auto* array = CapsulePointer<ArrowArray>((*ref_capsules)[1], "arrow_array");
    const std::string_view format = schema->format == nullptr ? "" : schema->format;
    references.emplace(py::none(), n);
    if (format == "tdD") {
      if (array->release == nullptr || array->n_buffers != 2 || array->length < 0 ||
          array->offset < 0 || array->buffers[1] == nullptr) {
        throw py::value_error("reference_dates: a malformed Arrow date32 array");
      }
      references->SetDate32(*array, n);
    } else if (format == "u" || format == "U") {
      const ArrowStrings iso(*ref_capsules, "reference_dates");
      references->SetIso(iso, n);
    } else {
      throw py::type_error("reference_dates must be an Arrow date32 or string array, not format '" +
                           std::string(format) + "'");
    }
  } else {
    references.emplace(refs, n);
  }
  auto result = std::make_unique<DateArrow>();
  auto buffers = std::make_unique<Date32Buffers>();
  int64_t nulls = 0;
  {
    py::gil_scoped_release release;
    buffers->values.assign(n, 0);
    buffers->validity.assign((n + 7) / 8, 0);
    for (size_t i = 0; i < n; ++i) {
      std::optional<absl::CivilDay> day;
      if (!strings.is_null(i)) day = parser.Parse(strings.view(i), references->at(i), mask);
      if (day) {
        buffers->values[i] = static_cast<int32_t>(*day - kEpoch);
        buffers->validity[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
      } else {
        ++nulls;
      }
    }
  }
  buffers->buffers[0] = nulls == 0 ? nullptr : buffers->validity.data();
  buffers->buffers[1] = buffers->values.data();
  ArrowArray& a = result->array;
  a.length = static_cast<int64_t>(n);
  a.null_count = nulls;
  a.offset = 0;
  a.n_buffers = 2;
  a.n_children = 0;
  a.buffers = buffers->buffers;
  a.children = nullptr;
  a.dictionary = nullptr;
  a.private_data = buffers.release();
  a.release = &ReleaseDate32Array;
  return result;
}

}  // namespace

void RegisterDates(py::module_& m) {
  PyDateTime_IMPORT;
  if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  py::class_<DateArrow>(m, "DateArray")
      .def("__arrow_c_array__", &DateArrow::ArrowCArray, py::arg("requested_schema") = py::none());
  m.def("parse_dates", &ParseDates, py::arg("strings"), py::arg("reference_dates") = py::none(),
        py::arg("languages") = py::none());
  m.def("parse_dates_arrow", &ParseDatesArrow, py::arg("strings"),
        py::arg("reference_dates") = py::none(), py::arg("reference_capsules") = py::none(),
        py::arg("languages") = py::none());
}

}  // namespace newsparse
