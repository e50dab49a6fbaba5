// The JSON form of an Article (schema_version 1, documented in README.md "The JSON form").
//
// Spans become Unicode code point offsets [start, end) (Python str indices) and every span
// carries its text, so consumers rarely need offsets. Output is one line (no newline appended),
// UTF-8, with invalid input bytes written as U+FFFD.
//
// Thread safety: pure functions; the OffsetMap scratch belongs to the calling thread.
#ifndef NEWSPARSE_CORE_ARTICLE_JSON_H_
#define NEWSPARSE_CORE_ARTICLE_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/article.h"
#include "core/text.h"

namespace newsparse {

inline constexpr int kJsonSchemaVersion = 1;

// Appends the JSON object of `article` parsed from `text` to `out`. `id_json` is the article's id
// as a JSON value already encoded (a quoted string or a number); empty writes null. `offsets`
// is scratch reused across calls.
void AppendArticleJson(std::string_view text, const Article& article, std::string_view id_json,
                       OffsetMap* offsets, std::string* out);

// An input record that could not be parsed. `kind` is one of "bad_json", "missing_field",
// "wrong_type", "invalid_utf8", "too_large", "internal"; `line` is the 1-based input line number
// (0 when the input is not line-based). The record has every field of a normal one, empty.
void AppendErrorJson(std::string_view id_json, std::string_view kind, std::string_view message,
                     uint64_t line, std::string* out);

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ARTICLE_JSON_H_
