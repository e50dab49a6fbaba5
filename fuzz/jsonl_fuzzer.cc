// The JSON Lines reader: any line is either a record or an error with a kind, never a crash; a
// record's text is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/jsonl.h"
#include "core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  newsparse::JsonlFields fields;
  fields.date_field = "date";
  newsparse::JsonlRecord record;
  newsparse::JsonlError error;
  if (newsparse::ParseJsonlRecord(line, fields, &record, &error)) {
    if (!newsparse::ValidateUtf8(record.text).ok()) std::abort();
  } else if (error.kind.empty() || error.message.empty()) {
    std::abort();
  }
  return 0;
}
