// The JSON Lines readers. ParseJsonlRecord: any line is either a record or an error with a kind,
// never a crash; a record's text is valid UTF-8. ReadJsonStrings (the lenient reader of the data
// files): OK or InvalidArgument, never a crash; where both read the line, the same text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/jsonl.h"
#include "core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  newsparse::JsonlFields fields;
  fields.date_field = "date";
  newsparse::JsonlRecord record;
  newsparse::JsonlError error;
  const bool strict_ok = newsparse::ParseJsonlRecord(line, fields, &record, &error);
  if (strict_ok) {
    if (!newsparse::ValidateUtf8(record.text).ok()) std::abort();
  } else if (error.kind.empty() || error.message.empty()) {
    std::abort();
  }
  std::vector<std::optional<std::string>> values;
  const absl::Status st = newsparse::ReadJsonStrings(line, {"text", "id", "date"}, &values);
  if (values.size() != 3) std::abort();
  if (!st.ok()) {
    if (st.code() != absl::StatusCode::kInvalidArgument) std::abort();
  } else if (strict_ok && values[0].has_value() && *values[0] != record.text) {
    // A line the strict reader accepts (it also skips a byte order mark, which the lenient one
    // refuses) decodes to the same text in both.
    std::abort();
  }
  return 0;
}
