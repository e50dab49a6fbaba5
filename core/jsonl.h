// Reading one JSON Lines record: the article text, its date and its id (ParseJsonlRecord, the
// engine's strict reader), and the string fields of a line of a data file (ReadJsonStrings).
//
// The reader validates the whole line as JSON (RFC 8259: UTF-8, one value, nesting at most
// kMaxJsonDepth) and extracts three top-level fields of an object. It never throws and never
// reads past the line; a bad line is reported with a kind that becomes the error record's kind.
//
// Thread safety: pure function; `out` belongs to the caller.
#ifndef NEWSPARSE_CORE_JSONL_H_
#define NEWSPARSE_CORE_JSONL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace newsparse {

inline constexpr int kMaxJsonDepth = 256;

struct JsonlFields {
  std::string text_field = "text";
  std::string date_field;  // empty: no date field is read
  std::string id_field = "id";
};

struct JsonlRecord {
  std::string text;                    // unescaped UTF-8
  std::optional<absl::CivilDay> date;  // from the date field, when present and not null
  std::string id_json;                 // the id value re-encoded as JSON, or empty
};

struct JsonlError {
  std::string kind;     // "bad_json", "missing_field", "wrong_type", "invalid_utf8", "bad_date"
  std::string message;  // human-readable, names the field or the byte offset
};

// Parses `line` (without its newline). Returns true and fills `out` on success; otherwise
// returns false and fills `error`. `out->id_json` is filled whenever the id could be read, even
// on failure of another field, so error records keep their id.
bool ParseJsonlRecord(std::string_view line, const JsonlFields& fields, JsonlRecord* out,
                      JsonlError* error);

// Parses a date value: "YYYY-MM-DD", optionally followed by a time ("T..." or " ...").
// Returns nullopt for anything else or an impossible day.
std::optional<absl::CivilDay> ParseIsoDate(std::string_view s);

// Reads the string values of `keys` from one JSON object (one line of the project's data files:
// evaluation sets, the cluster corpus). Values that are absent, null or not strings stay nullopt;
// of a key given twice, its last string value is kept. Every JSON escape is decoded, \uXXXX
// surrogate pairs included. Lenient where ParseJsonlRecord is strict: a lone surrogate becomes
// U+FFFD, string bytes are not checked as UTF-8, and what follows the closing brace is not read.
// Errors: InvalidArgument on malformed JSON.
absl::Status ReadJsonStrings(std::string_view json, const std::vector<std::string_view>& keys,
                             std::vector<std::optional<std::string>>* values);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_JSONL_H_
