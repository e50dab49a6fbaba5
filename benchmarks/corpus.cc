#include "benchmarks/corpus.h"

#include <zlib.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "core/jsonl.h"

namespace newsparse {

std::string SharedDataDir() {
  if (const char* env = std::getenv("NEWSPARSE_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return NEWSPARSE_DEFAULT_SHARED_DATA;
}

absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path, size_t max_lines) {
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
  if (f == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  gzbuffer(f, 1 << 20);
  std::vector<std::string> lines;
  std::string current;
  std::vector<char> buf(1 << 20);
  while (true) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      gzclose(f);
      return absl::DataLossError(absl::StrCat("cannot read ", path));
    }
    if (n == 0) break;
    size_t start = 0;
    for (int i = 0; i < n; ++i) {
      if (buf[i] == '\n') {
        current.append(buf.data() + start, i - start);
        lines.push_back(std::move(current));
        current.clear();
        start = i + 1;
        if (max_lines && lines.size() >= max_lines) {
          gzclose(f);
          return lines;
        }
      }
    }
    current.append(buf.data() + start, n - start);
  }
  if (!current.empty()) lines.push_back(std::move(current));
  gzclose(f);
  return lines;
}

absl::StatusOr<std::vector<std::string>> LoadCorpusTexts(const std::string& path,
                                                         const std::string& field,
                                                         size_t max_docs) {
  auto lines = ReadLines(path, max_docs);
  if (!lines.ok()) return lines.status();
  JsonlFields fields;
  fields.text_field = field;
  JsonlRecord record;
  JsonlError error;
  std::vector<std::string> texts;
  texts.reserve(lines->size());
  for (const std::string& line : *lines) {
    if (ParseJsonlRecord(line, fields, &record, &error)) texts.push_back(std::move(record.text));
  }
  return texts;
}

}  // namespace newsparse
