// Arrow input for newsparse._core: string arrays read in place through the Arrow PyCapsule
// interface, and the release callbacks of the capsules the module hands out. GIL held for all of it
// except ArrowStrings::is_null / view, which read only the Arrow buffers (valid while the object
// lives).
#ifndef NEWSPARSE_PYTHON_CORE_ARROW_H_
#define NEWSPARSE_PYTHON_CORE_ARROW_H_

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/arrow_export.h"

namespace newsparse {

namespace py = pybind11;

template <typename T>
inline T* CapsulePointer(py::handle capsule, const char* name) {
  void* p = PyCapsule_GetPointer(capsule.ptr(), name);
  if (p == nullptr) throw py::error_already_set();
  return static_cast<T*>(p);
}

// The texts of an Arrow utf8 / large_utf8 array, read in place from its buffers (valid while the
// capsules live; they are kept here).
class ArrowStrings {
 public:
  // `what` names the argument in error messages.
  explicit ArrowStrings(const py::tuple& capsules, const std::string& what = "texts") {
    if (capsules.size() != 2) {
      throw py::type_error(what + " must be the (schema, array) capsules of __arrow_c_array__");
    }
    schema_capsule_ = capsules[0];
    array_capsule_ = capsules[1];
    const auto* schema = CapsulePointer<ArrowSchema>(schema_capsule_, "arrow_schema");
    array_ = CapsulePointer<ArrowArray>(array_capsule_, "arrow_array");
    const std::string_view format = schema->format == nullptr ? "" : schema->format;
    if (format != "u" && format != "U") {
      throw py::type_error(what + " must be an Arrow string or large_string array, not format '" +
                           std::string(format) + "'");
    }
    large_ = format == "U";
    if (array_->release == nullptr || array_->n_buffers != 3 || array_->length < 0 ||
        array_->offset < 0 || array_->buffers[1] == nullptr) {
      throw py::value_error(what + ": a malformed Arrow string array");
    }
  }

  size_t size() const { return static_cast<size_t>(array_->length); }
  bool is_null(size_t i) const {
    const auto* bits = static_cast<const uint8_t*>(array_->buffers[0]);
    if (bits == nullptr || array_->null_count == 0) return false;
    const uint64_t k = static_cast<uint64_t>(array_->offset) + i;
    return ((bits[k / 8] >> (k % 8)) & 1) == 0;
  }
  std::string_view view(size_t i) const {
    const size_t k = static_cast<size_t>(array_->offset) + i;
    int64_t begin, end;
    if (large_) {
      const auto* off = static_cast<const int64_t*>(array_->buffers[1]);
      begin = off[k];
      end = off[k + 1];
    } else {
      const auto* off = static_cast<const int32_t*>(array_->buffers[1]);
      begin = off[k];
      end = off[k + 1];
    }
    if (end <= begin) return std::string_view();
    return std::string_view(static_cast<const char*>(array_->buffers[2]) + begin,
                            static_cast<size_t>(end - begin));
  }

 private:
  py::object schema_capsule_, array_capsule_;
  const ArrowArray* array_ = nullptr;
  bool large_ = false;
};

inline void ReleaseSchemaCapsule(PyObject* capsule) {
  auto* schema = static_cast<ArrowSchema*>(PyCapsule_GetPointer(capsule, "arrow_schema"));
  if (schema == nullptr) return;  // cannot happen: the name is ours
  if (schema->release != nullptr) schema->release(schema);
  delete schema;
}

inline void ReleaseArrayCapsule(PyObject* capsule) {
  auto* array = static_cast<ArrowArray*>(PyCapsule_GetPointer(capsule, "arrow_array"));
  if (array == nullptr) return;
  if (array->release != nullptr) array->release(array);
  delete array;
}

// A capsule "arrow_schema" that owns `schema` (released with the capsule; released here when the
// capsule cannot be made).
inline py::object SchemaCapsule(std::unique_ptr<ArrowSchema> schema) {
  PyObject* capsule = PyCapsule_New(schema.get(), "arrow_schema", &ReleaseSchemaCapsule);
  if (capsule == nullptr) {
    if (schema->release != nullptr) schema->release(schema.get());
    throw py::error_already_set();
  }
  schema.release();
  return py::reinterpret_steal<py::object>(capsule);
}

// An Arrow array made here, handed to an Arrow consumer once through __arrow_c_array__; its
// buffers are freed by the consumer, or here if it is never taken.
struct OwnedArrowArray {
  ArrowArray array{};
  OwnedArrowArray() = default;
  OwnedArrowArray(const OwnedArrowArray&) = delete;
  OwnedArrowArray& operator=(const OwnedArrowArray&) = delete;
  ~OwnedArrowArray() {
    if (array.release != nullptr) array.release(&array);
  }

  // The (schema, array) capsules __arrow_c_array__ returns, the array moved into its capsule;
  // `make_schema()` gives the schema capsule. ValueError "this Arrow <what> was already consumed"
  // on a second call.
  template <typename MakeSchema>
  py::tuple TakeCapsules(const char* what, MakeSchema&& make_schema) {
    if (array.release == nullptr) {
      throw py::value_error(std::string("this Arrow ") + what + " was already consumed");
    }
    py::object schema_capsule = make_schema();
    auto moved = std::make_unique<ArrowArray>(array);
    PyObject* capsule = PyCapsule_New(moved.get(), "arrow_array", &ReleaseArrayCapsule);
    if (capsule == nullptr) throw py::error_already_set();
    moved.release();
    array.release = nullptr;  // the consumer owns the buffers now
    return py::make_tuple(std::move(schema_capsule), py::reinterpret_steal<py::object>(capsule));
  }
};

}  // namespace newsparse

#endif  // NEWSPARSE_PYTHON_CORE_ARROW_H_
