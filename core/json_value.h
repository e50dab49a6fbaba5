// A small JSON document model (RFC 8259) for reading project data files such as the evaluation
// gold sets: objects, arrays, strings, numbers, booleans and null, parsed by recursive descent.
//
//   absl::StatusOr<JsonValue> v = ParseJson(R"({"a": [1, "x"]})");
//   v->Find("a")->array()[1].str()  // "x"
//
// Limits: nesting at most kMaxJsonDepth (jsonl.h); strings must be valid UTF-8 after unescaping
// (\u escapes with surrogate pairs are decoded); numbers are kept as doubles. Object members keep
// their order; a duplicate key is an error. Not built for speed: the hot path reads JSON Lines
// with jsonl.h, not with this.
//
// Thread safety: plain values.
#ifndef NEWSPARSE_CORE_JSON_VALUE_H_
#define NEWSPARSE_CORE_JSON_VALUE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace newsparse {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }

  // Accessors return a default value when the kind differs.
  bool boolean() const { return bool_; }
  double number() const { return number_; }
  const std::string& str() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

  // The member named `key` of an object, or nullptr.
  const JsonValue* Find(std::string_view key) const;

  // "null", "boolean", "number", "string", "array", "object".
  static std::string_view KindName(Kind kind);

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses one JSON value (surrounding white space allowed, nothing else). Errors: InvalidArgument
// naming the byte offset and what was expected.
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_JSON_VALUE_H_
