// Parse results as Arrow columns, written through the Arrow C Data Interface.
//
// ArrowResultBuilder appends one row per parsed article and hands the rows over as one Arrow struct
// array (a record batch) in the stable C structs of the Arrow spec (ArrowSchema / ArrowArray,
// declared below exactly as the spec gives them), so that any Arrow implementation (pyarrow,
// arrow-rs, DuckDB, ...) imports them without copying and without this project linking the Arrow
// C++ library. The schema (ExportResultSchema) is, in pyarrow notation:
//
//   error:        struct<kind: string, message: string, line: int64>         null when parsed
//   dateline:     struct<text, start, end, place: PLACE, places: list<PLACE>,
//                        date: struct<text, start, end, value: string>,
//                        source: struct<text, start, end, name: string>,
//                        byline: SPAN, body_start: int32>                     null when none
//   credits:      list<struct<kind: string, text, start, end>>
//   entities:     list<struct<id: int32, type: string, name: string, mentions: list<SPAN>,
//                             aliases: list<string>, titles: list<string>>>
//   attributions: list<struct<kind: string, cue: SPAN,
//                             source: struct<text, start, end, entity: int32>,
//                             content: list<SPAN>>>
//   dates:        list<struct<text, start, end, value: string>>
//
// where SPAN = struct<text: string, start: int32, end: int32> (`text` is the slice of the article
// that the span covers) and PLACE = SPAN's fields + city, region, country (string). Every field is
// nullable; the list columns are empty lists (never null) for a parsed article. A missing optional
// value (no place, no date value, an empty region or country, an attribution without a source) is
// null, as in the Python objects (newsparse._model). The schema carries the metadata
// {"newsparse.schema_version": "1"}.
//
// Offsets: `start`, `end` and `body_start` are UTF-8 byte offsets, or code point offsets (Python
// str indices) when the caller passes an OffsetMap of the text.
//
// Errors: a batch whose string data or list items would exceed the int32 offsets of the Arrow
// string/list types makes Finish return ResourceExhausted; callers keep batches small by starting
// a new one when data_bytes() passes kMaxBatchBytes.
//
// Memory: the exported structs own their buffers until their release callback runs (the consumer
// calls it, as the spec requires). ArrowExportsAlive() counts exported structs not yet released,
// for tests and leak checks.
//
// Thread safety: a builder is used by one thread at a time; exported structs may be released on any
// thread.
#ifndef NEWSPARSE_CORE_ARROW_EXPORT_H_
#define NEWSPARSE_CORE_ARROW_EXPORT_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "core/article.h"
#include "core/text.h"

// The Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html), verbatim
// from the spec; the include guard is the one the spec prescribes, so another copy of these
// declarations (nanoarrow, Arrow C++) can be included alongside.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {
struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};
}  // extern "C"

#endif  // ARROW_C_DATA_INTERFACE

namespace newsparse {

// Writes the result schema (see above) into `*out`, which the caller releases. Errors: none
// besides std::bad_alloc (always OK). Thread-safe.
absl::Status ExportResultSchema(ArrowSchema* out);

// The number of ArrowArray and ArrowSchema structs (children included) exported by this file and
// not yet released. Thread-safe.
int64_t ArrowExportsAlive();

class ArrowResultBuilder {
 public:
  // Above this many bytes in any one buffer, callers should Finish and start a new batch (the
  // int32 offsets of Arrow strings and lists stop at 2 GiB).
  static constexpr size_t kMaxBatchBytes = size_t{1} << 30;

  ArrowResultBuilder();
  ~ArrowResultBuilder();
  ArrowResultBuilder(const ArrowResultBuilder&) = delete;
  ArrowResultBuilder& operator=(const ArrowResultBuilder&) = delete;

  // Appends the row of `article`, parsed from the UTF-8 `text` (its spans are byte spans into
  // `text`). With `code_points` (reset to `text` by the caller), offsets are written as code point
  // offsets, else as byte offsets. Spans are clamped to the text, as the Python objects are.
  void Append(std::string_view text, const Article& article, const OffsetMap* code_points);

  // Appends a row whose `error` is {kind, message, line} and every other column empty (dateline
  // null, empty lists).
  void AppendError(std::string_view kind, std::string_view message, int64_t line);

  int64_t rows() const;
  // The string bytes appended since the last Finish (an upper bound of the largest buffer's size
  // for all but the offset and integer buffers, which grow with the rows and items). O(1).
  size_t data_bytes() const;

  // Moves the rows appended so far into `*out` (a struct array of the schema above, which the
  // caller releases) and empties the builder. Errors: ResourceExhausted when a buffer outgrew the
  // int32 offsets (nothing is exported then, and the builder is emptied).
  absl::Status Finish(ArrowArray* out);

 private:
  struct Columns;
  std::unique_ptr<Columns> columns_;
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ARROW_EXPORT_H_
