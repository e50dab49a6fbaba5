// Loading real corpora for benchmarks: JSON Lines, optionally gzip-compressed, read whole into
// memory before any timing starts.
#ifndef NEWSPARSE_BENCHMARKS_CORPUS_H_
#define NEWSPARSE_BENCHMARKS_CORPUS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace newsparse {

// $NEWSPARSE_SHARED_DATA, else ../shared/data beside the source checkout.
std::string SharedDataDir();

// Reads every line of a (gzip-compressed or plain) file. Errors: NotFound, DataLoss.
absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path, size_t max_lines);

// The `field` string of each JSON Lines record of `path` (at most `max_docs`; 0 = all).
absl::StatusOr<std::vector<std::string>> LoadCorpusTexts(const std::string& path,
                                                         const std::string& field,
                                                         size_t max_docs);

}  // namespace newsparse

#endif  // NEWSPARSE_BENCHMARKS_CORPUS_H_
