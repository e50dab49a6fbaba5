// Dateline, byline and credits: the head and the tail of an article, read the way a wire editor
// reads them.
//
//   "MOSCOW, Feb. 23 (Xinhua) -- Wang said ..."
//     -> place "MOSCOW" (city "Moscow", country "RU"), date "Feb. 23" = 2023-02-23 with a
//        reference date of 2023-02-23, source "Xinhua", body_start at "Wang".
//
// The parser inspects only the head of the text (a bounded number of bytes) for the dateline and
// only the tail for the credits, so its cost does not grow with the article's length.
//
// Thread safety: a DatelineParser is immutable after Create() and may be shared by any number of
// threads.
#ifndef NEWSPARSE_CORE_DATELINE_H_
#define NEWSPARSE_CORE_DATELINE_H_

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/article.h"

namespace newsparse {

// If `text` starts with a metadata prefix such as " date 2023-02-23 " (optional leading white
// space, the word "date", an ISO date), returns that date and sets `*consumed` to the byte length
// of the prefix (white space after it included). Otherwise returns nullopt and sets 0.
std::optional<absl::CivilDay> ParseMetadataDate(std::string_view text, size_t* consumed);

class DatelineParser {
 public:
  // Loads the place table and lexicons from `data_dir` (the project's data/ folder).
  // Errors: NotFound / DataLoss when a data file is missing or malformed.
  static absl::StatusOr<std::unique_ptr<DatelineParser>> Create(std::string_view data_dir);

  // Parses the dateline at the start of `text` (after `offset` bytes of metadata prefix).
  // `reference` resolves a month and day without a year: the most recent such day on or before
  // reference + 1 day; a year written in the dateline wins; no reference and no year -> the
  // date's value is nullopt. Returns nullopt where there is no dateline.
  std::optional<Dateline> Parse(std::string_view text, size_t offset,
                                std::optional<absl::CivilDay> reference) const;

  // Appends the credits and sign-offs found at the end of `text` to `out`. When `dateline` is
  // set and has no source, an agency named only in a credit fills dateline->source.
  void ParseCredits(std::string_view text, std::vector<Credit>* out,
                    Dateline* dateline) const;

  ~DatelineParser();

 private:
  DatelineParser();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATELINE_H_
