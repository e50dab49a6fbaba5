// Argument helpers shared by the translation units of newsparse._core (_core.cc,
// _core_dates.cc): type names and indexed argument names for error messages, and ISO reference
// dates read to days. GIL held for all of it.
#ifndef NEWSPARSE_PYTHON_CORE_ARGS_H_
#define NEWSPARSE_PYTHON_CORE_ARGS_H_

#include <pybind11/pybind11.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "core/jsonl.h"

namespace newsparse {

// The Python type name of `obj`, for "must be str, not NoneType" messages.
inline std::string TypeName(pybind11::handle obj) { return Py_TYPE(obj.ptr())->tp_name; }

// "name[i]", the name of one entry of a sequence argument.
inline std::string Indexed(const char* name, size_t i) {
  return std::string(name) + "[" + std::to_string(i) + "]";
}

// `s` as Python writes a str literal ('a', 'a\x00b'), for error messages: a NUL or a control
// character in it would cut or garble the message. Invalid UTF-8 is shown as U+FFFD.
inline std::string Quoted(std::string_view s) {
  PyObject* u = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (u == nullptr) {
    PyErr_Clear();
    return "'?'";
  }
  return std::string(pybind11::repr(pybind11::reinterpret_steal<pybind11::object>(u)));
}

// The day of an ISO date string "YYYY-MM-DD" (with `date_only` false, a timestamp such as
// "2023-02-23T10:00" too: core/jsonl.h ParseIsoDate). Anything else raises ValueError
// "<what>: '<iso>' is not an ISO date (YYYY-MM-DD)", where `what()` names the argument (called
// only on that error path) and the string is cut to 40 bytes and quoted (Quoted).
template <typename What>
absl::CivilDay IsoDayOrThrow(std::string_view iso, bool date_only, What&& what) {
  std::optional<absl::CivilDay> day = ParseIsoDate(iso);
  if (!day || (date_only && iso.size() != 10)) {
    throw pybind11::value_error(std::string(what()) + ": " + Quoted(iso.substr(0, 40)) +
                                " is not an ISO date (YYYY-MM-DD)");
  }
  return *day;
}

}  // namespace newsparse

#endif  // NEWSPARSE_PYTHON_CORE_ARGS_H_
