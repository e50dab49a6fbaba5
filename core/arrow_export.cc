#include "core/arrow_export.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace newsparse {
namespace {

std::atomic<int64_t> g_alive{0};

// A growable byte buffer whose append is inlined (std::string::append is an out-of-line call, a
// fifth of a string slot's cost). A moved-from buffer is empty.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&& o) noexcept
      : data_(std::move(o.data_)),
        size_(std::exchange(o.size_, 0)),
        cap_(std::exchange(o.cap_, 0)) {}
  ByteBuffer& operator=(ByteBuffer&& o) noexcept {
    data_ = std::move(o.data_);
    size_ = std::exchange(o.size_, 0);
    cap_ = std::exchange(o.cap_, 0);
    return *this;
  }

  void Append(std::string_view s) {
    if (s.empty()) return;
    if (s.size() > cap_ - size_) Grow(s.size());
    std::memcpy(data_.get() + size_, s.data(), s.size());
    size_ += s.size();
  }
  size_t size() const { return size_; }
  const char* data() const { return data_.get(); }  // nullptr while nothing was appended

 private:
  void Grow(size_t more) {
    const size_t cap = std::max({cap_ * 2, size_ + more, size_t{256}});
    std::unique_ptr<char[]> bigger(new char[cap]);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    cap_ = cap;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t cap_ = 0;
};

// One column being built: its type, its buffers and (struct, list) its children. Append* add one
// slot; a struct slot is made by appending to every child and then EndStruct, a list slot by
// appending its items to the child and then EndList.
class Column {
 public:
  enum class Type { kString, kInt32, kInt64, kStruct, kList };

  static Column Leaf(Type type, std::string name) { return Column(type, std::move(name), {}); }
  static Column Struct(std::string name, std::vector<Column> children) {
    return Column(Type::kStruct, std::move(name), std::move(children));
  }
  static Column List(std::string name, Column item) {
    std::vector<Column> children;
    children.push_back(std::move(item));
    return Column(Type::kList, std::move(name), std::move(children));
  }

  // What an exported ArrowArray / ArrowSchema owns (its private_data).
  struct ArrayData;
  struct SchemaData;

  Column& child(size_t i) { return children_[i]; }

  // Every string column adds its bytes to `*counter` (the builder's running total).
  void CountCharsIn(size_t* counter) {
    chars_counter_ = counter;
    for (Column& c : children_) c.CountCharsIn(counter);
  }

  void AppendString(std::string_view s) {
    if (chars_.size() + s.size() > kMaxOffset) {
      overflow_ = true;
    } else {
      chars_.Append(s);
      if (chars_counter_ != nullptr) *chars_counter_ += s.size();
    }
    offsets_.push_back(static_cast<int32_t>(chars_.size()));
    PushValidity(true);
  }
  // A string that is null when empty (the Python objects' None for an empty region, ...).
  void AppendOptString(std::string_view s) {
    if (s.empty()) {
      AppendNull();
    } else {
      AppendString(s);
    }
  }
  void AppendInt32(int64_t v) {
    i32_.push_back(static_cast<int32_t>(v));
    PushValidity(true);
  }
  void AppendInt64(int64_t v) {
    i64_.push_back(v);
    PushValidity(true);
  }
  void EndStruct() { PushValidity(true); }
  void EndList() {
    const int64_t items = children_[0].length_;
    if (items > static_cast<int64_t>(kMaxOffset)) overflow_ = true;
    offsets_.push_back(static_cast<int32_t>(std::min<int64_t>(items, kMaxOffset)));
    PushValidity(true);
  }
  void AppendNull() {
    switch (type_) {
      case Type::kString:
        offsets_.push_back(offsets_.back());
        break;
      case Type::kList:
        offsets_.push_back(offsets_.back());
        break;
      case Type::kInt32:
        i32_.push_back(0);
        break;
      case Type::kInt64:
        i64_.push_back(0);
        break;
      case Type::kStruct:
        for (Column& c : children_) c.AppendNull();
        break;
    }
    PushValidity(false);
  }

  int64_t length() const { return length_; }
  bool overflow() const {
    if (overflow_) return true;
    for (const Column& c : children_) {
      if (c.overflow()) return true;
    }
    return false;
  }
  // Exports the type (schema) or the data (array); both are released by their callbacks.
  void ExportSchema(ArrowSchema* out, bool root) const;
  // Moves the buffers out into `*out` (the column is left unusable: replace it).
  void ExportArray(ArrowArray* out);

 private:
  static constexpr size_t kMaxOffset = static_cast<size_t>(std::numeric_limits<int32_t>::max());

  Column(Type type, std::string name, std::vector<Column> children)
      : type_(type), name_(std::move(name)), children_(std::move(children)) {
    if (type_ == Type::kString || type_ == Type::kList) offsets_.push_back(0);
  }

  void PushValidity(bool valid) {
    if (length_ % 8 == 0) validity_.push_back(0);
    if (valid) {
      validity_.back() |= static_cast<uint8_t>(1u << (length_ % 8));
    } else {
      ++null_count_;
    }
    ++length_;
  }

  Type type_;
  std::string name_;
  std::vector<Column> children_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  std::vector<uint8_t> validity_;  // one bit per slot, least significant bit first
  std::vector<int32_t> offsets_;   // string, list: length_ + 1 entries
  ByteBuffer chars_;               // string
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  bool overflow_ = false;
  size_t* chars_counter_ = nullptr;
};

// What an exported ArrowArray owns: the column's buffers and the children's structs.
struct Column::ArrayData {
  Column column{Type::kInt32, "", {}};
  std::vector<const void*> buffers;
  std::vector<ArrowArray> child_arrays;
  std::vector<ArrowArray*> child_pointers;
};

struct Column::SchemaData {
  std::string format;
  std::string name;
  std::string metadata;
  std::vector<ArrowSchema> child_schemas;
  std::vector<ArrowSchema*> child_pointers;
};

// A valid address for an empty buffer (the spec wants non-null data buffers).
alignas(8) const int64_t kEmptyBuffer[1] = {0};

void ReleaseArray(ArrowArray* array) {
  if (array == nullptr || array->release == nullptr) return;
  auto* data = static_cast<Column::ArrayData*>(array->private_data);
  for (ArrowArray* child : data->child_pointers) {
    if (child->release != nullptr) child->release(child);  // a consumer may have moved it out
  }
  delete data;
  array->release = nullptr;
  array->private_data = nullptr;
  g_alive.fetch_sub(1, std::memory_order_relaxed);
}

void ReleaseSchema(ArrowSchema* schema) {
  if (schema == nullptr || schema->release == nullptr) return;
  auto* data = static_cast<Column::SchemaData*>(schema->private_data);
  for (ArrowSchema* child : data->child_pointers) {
    if (child->release != nullptr) child->release(child);
  }
  delete data;
  schema->release = nullptr;
  schema->private_data = nullptr;
  g_alive.fetch_sub(1, std::memory_order_relaxed);
}

void Column::ExportArray(ArrowArray* out) {
  auto data = std::make_unique<ArrayData>();
  data->child_arrays.resize(children_.size());
  for (size_t i = 0; i < children_.size(); ++i) children_[i].ExportArray(&data->child_arrays[i]);
  for (ArrowArray& c : data->child_arrays) data->child_pointers.push_back(&c);
  data->column = std::move(*this);
  Column& c = data->column;
  const void* validity = c.null_count_ == 0 ? nullptr : c.validity_.data();
  auto or_empty = [](const void* p) { return p != nullptr ? p : kEmptyBuffer; };
  switch (c.type_) {
    case Type::kString:
      data->buffers = {validity, c.offsets_.data(), or_empty(c.chars_.data())};
      break;
    case Type::kInt32:
      data->buffers = {validity, or_empty(c.i32_.data())};
      break;
    case Type::kInt64:
      data->buffers = {validity, or_empty(c.i64_.data())};
      break;
    case Type::kStruct:
      data->buffers = {validity};
      break;
    case Type::kList:
      data->buffers = {validity, c.offsets_.data()};
      break;
  }
  out->length = c.length_;
  out->null_count = c.null_count_;
  out->offset = 0;
  out->n_buffers = static_cast<int64_t>(data->buffers.size());
  out->n_children = static_cast<int64_t>(data->child_pointers.size());
  out->buffers = data->buffers.data();
  out->children = data->child_pointers.empty() ? nullptr : data->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseArray;
  out->private_data = data.release();
  g_alive.fetch_add(1, std::memory_order_relaxed);
}

// Metadata in the spec's binary form: int32 count, then int32 length + bytes per key and value.
std::string EncodeMetadata(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  auto put_int = [&out](int32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  put_int(static_cast<int32_t>(pairs.size()));
  for (const auto& [key, value] : pairs) {
    put_int(static_cast<int32_t>(key.size()));
    out.append(key);
    put_int(static_cast<int32_t>(value.size()));
    out.append(value);
  }
  return out;
}

void Column::ExportSchema(ArrowSchema* out, bool root) const {
  auto data = std::make_unique<SchemaData>();
  switch (type_) {
    case Type::kString:
      data->format = "u";
      break;
    case Type::kInt32:
      data->format = "i";
      break;
    case Type::kInt64:
      data->format = "l";
      break;
    case Type::kStruct:
      data->format = "+s";
      break;
    case Type::kList:
      data->format = "+l";
      break;
  }
  data->name = name_;
  if (root) data->metadata = EncodeMetadata({{"newsparse.schema_version", "1"}});
  data->child_schemas.resize(children_.size());
  for (size_t i = 0; i < children_.size(); ++i) {
    children_[i].ExportSchema(&data->child_schemas[i], false);
  }
  for (ArrowSchema& c : data->child_schemas) data->child_pointers.push_back(&c);
  out->format = data->format.c_str();
  out->name = data->name.c_str();
  out->metadata = root ? data->metadata.data() : nullptr;
  out->flags = root ? 0 : ARROW_FLAG_NULLABLE;
  out->n_children = static_cast<int64_t>(data->child_pointers.size());
  out->children = data->child_pointers.empty() ? nullptr : data->child_pointers.data();
  out->dictionary = nullptr;
  out->release = &ReleaseSchema;
  out->private_data = data.release();
  g_alive.fetch_add(1, std::memory_order_relaxed);
}

using T = Column::Type;

std::vector<Column> SpanFields() {
  std::vector<Column> f;
  f.push_back(Column::Leaf(T::kString, "text"));
  f.push_back(Column::Leaf(T::kInt32, "start"));
  f.push_back(Column::Leaf(T::kInt32, "end"));
  return f;
}

// SpanFields() followed by `more`.
std::vector<Column> SpanFieldsAnd(std::vector<Column> more) {
  std::vector<Column> f = SpanFields();
  for (Column& c : more) f.push_back(std::move(c));
  return f;
}

Column SpanColumn(std::string name) { return Column::Struct(std::move(name), SpanFields()); }

Column PlaceColumn(std::string name) {
  std::vector<Column> more;
  more.push_back(Column::Leaf(T::kString, "city"));
  more.push_back(Column::Leaf(T::kString, "region"));
  more.push_back(Column::Leaf(T::kString, "country"));
  return Column::Struct(std::move(name), SpanFieldsAnd(std::move(more)));
}

// The root column: a struct whose children are the schema's columns (see the header).
Column ResultRoot() {
  std::vector<Column> cols;
  {
    std::vector<Column> f;
    f.push_back(Column::Leaf(T::kString, "kind"));
    f.push_back(Column::Leaf(T::kString, "message"));
    f.push_back(Column::Leaf(T::kInt64, "line"));
    cols.push_back(Column::Struct("error", std::move(f)));
  }
  {
    std::vector<Column> more;
    more.push_back(PlaceColumn("place"));
    more.push_back(Column::List("places", PlaceColumn("item")));
    std::vector<Column> date;
    date.push_back(Column::Leaf(T::kString, "value"));
    more.push_back(Column::Struct("date", SpanFieldsAnd(std::move(date))));
    std::vector<Column> source;
    source.push_back(Column::Leaf(T::kString, "name"));
    more.push_back(Column::Struct("source", SpanFieldsAnd(std::move(source))));
    more.push_back(SpanColumn("byline"));
    more.push_back(Column::Leaf(T::kInt32, "body_start"));
    cols.push_back(Column::Struct("dateline", SpanFieldsAnd(std::move(more))));
  }
  {
    std::vector<Column> f;
    f.push_back(Column::Leaf(T::kString, "kind"));
    for (Column& c : SpanFields()) f.push_back(std::move(c));
    cols.push_back(Column::List("credits", Column::Struct("item", std::move(f))));
  }
  {
    std::vector<Column> f;
    f.push_back(Column::Leaf(T::kInt32, "id"));
    f.push_back(Column::Leaf(T::kString, "type"));
    f.push_back(Column::Leaf(T::kString, "name"));
    f.push_back(Column::List("mentions", SpanColumn("item")));
    f.push_back(Column::List("aliases", Column::Leaf(T::kString, "item")));
    f.push_back(Column::List("titles", Column::Leaf(T::kString, "item")));
    cols.push_back(Column::List("entities", Column::Struct("item", std::move(f))));
  }
  {
    std::vector<Column> f;
    f.push_back(Column::Leaf(T::kString, "kind"));
    f.push_back(SpanColumn("cue"));
    std::vector<Column> entity;
    entity.push_back(Column::Leaf(T::kInt32, "entity"));
    f.push_back(Column::Struct("source", SpanFieldsAnd(std::move(entity))));
    f.push_back(Column::List("content", SpanColumn("item")));
    cols.push_back(Column::List("attributions", Column::Struct("item", std::move(f))));
  }
  {
    std::vector<Column> value;
    value.push_back(Column::Leaf(T::kString, "value"));
    cols.push_back(Column::List("dates", Column::Struct("item", SpanFieldsAnd(std::move(value)))));
  }
  return Column::Struct("", std::move(cols));
}

// The positions of the columns in ResultRoot().
enum RootField { kError, kDateline, kCredits, kEntities, kAttributions, kDates };
enum SpanField { kText, kStart, kEnd, kAfterSpan };
enum DatelineField {
  kPlace = kAfterSpan,
  kPlaces,
  kDate,
  kSource,
  kByline,
  kBodyStart,
};
enum EntityField { kEntityId, kEntityType, kEntityName, kMentions, kAliases, kTitles };
enum AttributionField { kKind, kCue, kAttributionSource, kContent };

// A span's cells: the slice of the text it covers and its offsets, clamped and converted.
struct SpanCells {
  std::string_view text;
  int64_t start = 0;
  int64_t end = 0;
};

// Writes spans (clamped to the text, offsets converted) into struct columns.
class SpanWriter {
 public:
  SpanWriter(std::string_view text, const OffsetMap* code_points)
      : text_(text), code_points_(code_points) {}

  SpanCells Cells(Span span) const {
    const uint32_t size = static_cast<uint32_t>(std::min<size_t>(text_.size(), UINT32_MAX));
    const uint32_t b = std::min(span.begin, size);
    const uint32_t e = std::min(std::max(span.end, span.begin), size);
    return SpanCells{text_.substr(b, e - b), Offset(b), Offset(e)};
  }
  // Appends text, start and end of `span` to the children first, first + 1, first + 2 of `st`.
  void Fields(Column& st, Span span, size_t first = kText) const { Write(st, Cells(span), first); }
  static void Write(Column& st, const SpanCells& c, size_t first = kText) {
    st.child(first).AppendString(c.text);
    st.child(first + 1).AppendInt32(c.start);
    st.child(first + 2).AppendInt32(c.end);
  }
  // A whole span struct.
  void WholeSpan(Column& st, Span span) const {
    Fields(st, span);
    st.EndStruct();
  }
  int64_t Offset(uint32_t byte) const {
    return code_points_ == nullptr ? byte : code_points_->ToCodePoint(byte);
  }

 private:
  std::string_view text_;
  const OffsetMap* code_points_;
};

// Writes `day` as absl::FormatCivilTime does ("YYYY-MM-DD") without its strftime-based formatter
// (about 2,300 instructions a call, half of a dateline row); years outside 1000..9999, which
// FormatCivilTime writes unpadded, with a sign or with more digits, go to FormatCivilTime.
void AppendIsoDay(absl::CivilDay day, Column& col) {
  const int64_t year = day.year();
  if (year < 1000 || year > 9999) {
    col.AppendString(absl::FormatCivilTime(day));
    return;
  }
  char buf[10];
  auto two = [](char* p, int v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  two(buf, static_cast<int>(year / 100));
  two(buf + 2, static_cast<int>(year % 100));
  buf[4] = '-';
  two(buf + 5, day.month());
  buf[7] = '-';
  two(buf + 8, day.day());
  col.AppendString(std::string_view(buf, sizeof(buf)));
}

void AppendPlace(const SpanCells& cells, const Place& p, Column& st) {
  SpanWriter::Write(st, cells);
  st.child(kAfterSpan).AppendString(p.city);
  st.child(kAfterSpan + 1).AppendOptString(p.region);
  st.child(kAfterSpan + 2).AppendOptString(p.country);
  st.EndStruct();
}

void AppendDateline(const SpanWriter& w, const Dateline& d, Column& st) {
  w.Fields(st, d.span);
  // The first place is usually written twice, as `place` and as places[0]: its cells are
  // computed once.
  SpanCells place;
  const bool has_place = !d.place.span.empty();
  if (has_place) {
    place = w.Cells(d.place.span);
    AppendPlace(place, d.place, st.child(kPlace));
  } else {
    st.child(kPlace).AppendNull();
  }
  Column& places = st.child(kPlaces);
  for (const Place& p : d.places) {
    AppendPlace(has_place && p.span == d.place.span ? place : w.Cells(p.span), p, places.child(0));
  }
  places.EndList();
  Column& date = st.child(kDate);
  if (d.date) {
    w.Fields(date, d.date->span);
    if (d.date->value) {
      AppendIsoDay(*d.date->value, date.child(kAfterSpan));
    } else {
      date.child(kAfterSpan).AppendNull();
    }
    date.EndStruct();
  } else {
    date.AppendNull();
  }
  Column& source = st.child(kSource);
  if (d.source) {
    w.Fields(source, d.source->span);
    source.child(kAfterSpan).AppendString(d.source->name);
    source.EndStruct();
  } else {
    source.AppendNull();
  }
  if (d.byline) {
    w.WholeSpan(st.child(kByline), *d.byline);
  } else {
    st.child(kByline).AppendNull();
  }
  st.child(kBodyStart).AppendInt32(w.Offset(d.body_start));
  st.EndStruct();
}

}  // namespace

struct ArrowResultBuilder::Columns {
  Column root = ResultRoot();
  size_t chars = 0;  // string bytes appended since the last Finish

  Columns() { root.CountCharsIn(&chars); }
  void Reset() {  // `root` may have been moved out by ExportArray
    root = ResultRoot();
    root.CountCharsIn(&chars);
    chars = 0;
  }
};

ArrowResultBuilder::ArrowResultBuilder() : columns_(std::make_unique<Columns>()) {}
ArrowResultBuilder::~ArrowResultBuilder() = default;

int64_t ArrowResultBuilder::rows() const { return columns_->root.length(); }
size_t ArrowResultBuilder::data_bytes() const { return columns_->chars; }

void ArrowResultBuilder::Append(std::string_view text, const Article& a,
                                const OffsetMap* code_points) {
  const SpanWriter w(text, code_points);
  Column& root = columns_->root;
  root.child(kError).AppendNull();
  if (a.dateline) {
    AppendDateline(w, *a.dateline, root.child(kDateline));
  } else {
    root.child(kDateline).AppendNull();
  }

  Column& credits = root.child(kCredits);
  for (const Credit& c : a.credits) {
    Column& st = credits.child(0);
    st.child(0).AppendString(c.kind);
    w.Fields(st, c.span, 1);  // the credit struct is {kind, text, start, end}
    st.EndStruct();
  }
  credits.EndList();

  Column& entities = root.child(kEntities);
  for (const Entity& e : a.entities) {
    Column& st = entities.child(0);
    st.child(kEntityId).AppendInt32(e.id);
    st.child(kEntityType).AppendString(EntityTypeName(e.type));
    st.child(kEntityName).AppendString(e.name);
    Column& mentions = st.child(kMentions);
    for (const Span& m : e.mentions) w.WholeSpan(mentions.child(0), m);
    mentions.EndList();
    Column& aliases = st.child(kAliases);
    for (const std::string& s : e.aliases) aliases.child(0).AppendString(s);
    aliases.EndList();
    Column& titles = st.child(kTitles);
    for (const std::string& s : e.titles) titles.child(0).AppendString(s);
    titles.EndList();
    st.EndStruct();
  }
  entities.EndList();

  Column& attributions = root.child(kAttributions);
  for (const Attribution& at : a.attributions) {
    Column& st = attributions.child(0);
    st.child(kKind).AppendString(AttributionKindName(at.kind));
    w.WholeSpan(st.child(kCue), at.cue);
    Column& source = st.child(kAttributionSource);
    if (at.source) {
      w.Fields(source, at.source->span);
      if (at.source->entity) {
        source.child(kAfterSpan).AppendInt32(*at.source->entity);
      } else {
        source.child(kAfterSpan).AppendNull();
      }
      source.EndStruct();
    } else {
      source.AppendNull();
    }
    Column& content = st.child(kContent);
    for (const Span& s : at.content) w.WholeSpan(content.child(0), s);
    content.EndList();
    st.EndStruct();
  }
  attributions.EndList();

  Column& dates = root.child(kDates);
  for (const DateMention& dm : a.dates) {
    Column& st = dates.child(0);
    w.Fields(st, dm.span);
    st.child(kAfterSpan).AppendString(dm.value);
    st.EndStruct();
  }
  dates.EndList();
  root.EndStruct();
}

void ArrowResultBuilder::AppendError(std::string_view kind, std::string_view message,
                                     int64_t line) {
  Column& root = columns_->root;
  Column& error = root.child(kError);
  error.child(0).AppendString(kind);
  error.child(1).AppendString(message);
  error.child(2).AppendInt64(line);
  error.EndStruct();
  root.child(kDateline).AppendNull();
  for (RootField f : {kCredits, kEntities, kAttributions, kDates}) root.child(f).EndList();
  root.EndStruct();
}

absl::Status ArrowResultBuilder::Finish(ArrowArray* out) {
  Column& root = columns_->root;
  if (root.overflow()) {
    columns_->Reset();
    return absl::ResourceExhaustedError(
        absl::StrCat("the Arrow batch outgrew the 2 GiB of int32 offsets; use smaller batches"));
  }
  root.ExportArray(out);
  columns_->Reset();
  return absl::OkStatus();
}

absl::Status ExportResultSchema(ArrowSchema* out) {
  static const Column* const kRoot = new Column(ResultRoot());
  kRoot->ExportSchema(out, true);
  return absl::OkStatus();
}

int64_t ArrowExportsAlive() { return g_alive.load(std::memory_order_relaxed); }

}  // namespace newsparse
