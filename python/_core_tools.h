// The evaluation, training and benchmark drivers of newsparse._core (behind the `newsparse eval`,
// `newsparse train` and `newsparse bench` subcommands). Split over two files because
// core/entities_eval.h and core/attribution_eval.h each define their own newsparse::Prf.
#ifndef NEWSPARSE_PYTHON_CORE_TOOLS_H_
#define NEWSPARSE_PYTHON_CORE_TOOLS_H_

#include <pybind11/pybind11.h>

#include <string>

#include "absl/status/status.h"

namespace newsparse {

// Raises the Python exception for a non-OK status (GIL held): FileNotFoundError for NotFound,
// ValueError for InvalidArgument, RuntimeError otherwise, with the status message.
[[noreturn]] inline void ThrowStatus(const absl::Status& status) {
  const std::string message(status.message());
  PyObject* type = status.code() == absl::StatusCode::kNotFound          ? PyExc_FileNotFoundError
                   : status.code() == absl::StatusCode::kInvalidArgument ? PyExc_ValueError
                                                                         : PyExc_RuntimeError;
  PyErr_SetString(type, message.empty() ? status.ToString().c_str() : message.c_str());
  throw pybind11::error_already_set();
}

void RegisterTools(pybind11::module_& m);         // _core_tools.cc
void RegisterEntitiesEval(pybind11::module_& m);  // _core_entities_eval.cc
void RegisterDates(pybind11::module_& m);         // _core_dates.cc

}  // namespace newsparse

#endif  // NEWSPARSE_PYTHON_CORE_TOOLS_H_
