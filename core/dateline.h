// Dateline, byline and credits: the head and the tail of an article, read the way a wire editor
// reads them.
//
//   "MOSCOW, Feb. 23 (Xinhua) -- Wang said ..."
//     -> place "MOSCOW" (city "Moscow", country "RU"), date "Feb. 23" = 2023-02-23 with a
//        reference date of 2023-02-23, source "Xinhua", body_start at "Wang".
//
// The parser inspects only the head of the text (kDatelineHeadBytes after the metadata prefix)
// for the dateline and only the tail (kCreditsTailBytes) for the credits, so its cost does not
// grow with the article's length. Any byte sequence is accepted (invalid UTF-8 included); nothing
// is read outside `text`.
//
// Forms recognised (see docs/DATELINES.md): PLACE[, REGION][, DATE] [(AGENCY)] SEP, with several
// places joined by "/" ("SAN FRANCISCO/NEW YORK"), a region in parentheses ("Nagpur (India)"),
// agency-first ANSA "(ANSA) - ROMA, 22 MAR - ", TASS "MOSCOW, January 21. /TASS/. ", RIA
// "МОСКВА, 10 фев — РИА Новости. ", Interfax "Москва. 22 ноября. INTERFAX.RU - ", PTI/IANS with
// no separator, date without a place "Nov. 28 (UPI) -- " and agency only "(Reuters) - ".
// Separators: "-", "--", "—", "–", "―", "_", ".-", with or without spaces.
//
// Representation of what is not written:
//   - no place ("(Reuters) - ", "Nov. 28 (UPI) -- "): `places` is empty and `place` is a default
//     Place whose span is empty and sits at `span.begin`;
//   - a place that names a country only ("BAHRAIN -"): city is empty, country is set;
//   - a place not in the place table ("MIZATA"): city is the name as written;
//   - no date: `date` is nullopt; a date that cannot be resolved (no year and no reference, or
//     "Feb. 30"): `date->value` is nullopt.
// A place without an agency or a date is accepted only when written in capitals, known to the
// place table and followed by a separator ("WASHINGTON — ..."); a mixed-case place needs a
// date or an agency and must be known to the place table, directly or through its region.
//
// Credit kinds (Credit::kind), in text order:
//   "signoff"              a closing "Reuter" / "REUTER" / "Enditem" / "ENDIT"
//   "agency"               a closing agency in parentheses, "(Xinhua)"
//   "reporting"            "Reporting by ..." (one credit per ";"-clause of a parenthesis)
//   "additional_reporting" "Additional reporting by ..."
//   "editing"              "Editing by ..."
//   "writing"              "Writing by ..." / "Compiled by ..."
//   "contributors"         "... contributed to this report."
//   "copyright"            "Copyright 2024 The Associated Press. All Rights Reserved."
//   "editor_initials"      AFP desk initials on the last line, "asl/tib"
//   "other"                a first clause of a credit parenthesis with none of the verbs above
// A clause without a verb continues the previous clause's kind ("Editing by A; B"); contact
// details inside the parenthesis ("Reuters Messaging: ...") are skipped. The agency that fills
// dateline->source is, by preference, a closing "(Agency)", then a "Reuter" sign-off, then
// "Associated Press" in a contributors or copyright line.
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

inline constexpr size_t kDatelineHeadBytes = 400;
inline constexpr size_t kCreditsTailBytes = 600;

// If `text` starts with a metadata prefix such as " date 2023-02-23 " (optional leading white
// space, the word "date", an ISO date), returns that date and sets `*consumed` to the byte length
// of the prefix (white space after it included). Otherwise returns nullopt and sets 0.
std::optional<absl::CivilDay> ParseMetadataDate(std::string_view text, size_t* consumed);

class DatelineParser {
 public:
  // Loads the place table and lexicons from `data_dir` (the project's data/ folder: places.tsv,
  // countries.tsv, regions.tsv) and builds the month tables from ICU's date format symbols.
  // Errors: NotFound / DataLoss when a data file is missing or malformed, Internal when ICU
  // fails. Takes some 100 ms: create one parser and share it.
  static absl::StatusOr<std::unique_ptr<DatelineParser>> Create(std::string_view data_dir);

  // Parses the dateline at the start of `text` (after `offset` bytes of metadata prefix).
  // `reference` resolves a month and day without a year: the most recent such day on or before
  // reference + 1 day; a year written in the dateline wins; no reference and no year -> the
  // date's value is nullopt. Returns nullopt where there is no dateline.
  std::optional<Dateline> Parse(std::string_view text, size_t offset,
                                std::optional<absl::CivilDay> reference) const;

  // Appends the credits and sign-offs found at the end of `text` to `out`. When `dateline` is
  // set and has no source, an agency named only in a credit fills dateline->source.
  void ParseCredits(std::string_view text, std::vector<Credit>* out, Dateline* dateline) const;

  // The month (1-12) that `word` names in any supported language ("Feb.", "MARZ", "февраля",
  // "Sept"), case-, accent- and period-insensitively; nullopt when it names none.
  std::optional<int> MonthNumber(std::string_view word) const;

  ~DatelineParser();

 private:
  DatelineParser();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATELINE_H_
