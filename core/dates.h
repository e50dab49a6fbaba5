// Dates in the body of an article, resolved against the article's date.
//
//   reference 2023-02-23 (a Thursday):
//     "on Wednesday"          -> 2023-02-22   (a bare weekday: the most recent such day on or
//                                              before the reference, unless the sentence points
//                                              forward: "will meet on Friday" -> 2023-02-24)
//     "yesterday"             -> 2023-02-22
//     "March 3, 2024"         -> 2024-03-03   (a written year wins)
//     "Feb. 20"               -> 2023-02-20   (no year: the year that puts it nearest the
//                                              reference)
//     "in June", "before July" -> 2023-06, 2023-07 (a month after in/since/until/by/before/
//                                              after/of/through: the nearest; forward in a
//                                              future clause; back after "since", "said in", or
//                                              a past verb of its clause, except for a deadline
//                                              with before/by/until)
//     "last week"             -> 2023-W07     (ISO week)
//     "earlier this month"    -> 2023-02
//     "last year"             -> 2022
//     "2023-02-23"            -> 2023-02-23
//
// Values are "YYYY-MM-DD", "YYYY-Www", "YYYY-MM" or "YYYY" by the precision of the expression.
// Without a reference date only expressions that carry their own year are resolved; the rest are
// left out (never guessed). The tense rule follows HeidelTime (Strötgen & Gertz 2013), read per
// clause: the nearest cue before a weekday back to a comma, colon, quote or dash decides — a
// future marker ("will", "would", "is due to", "plans to", "is likely to", ...) forward, a past
// verb ("said", "arrived"; not a participle after "be") back — else the first cue after it in the
// clause ("on Wednesday unveiled", "On Sunday, the bank asked ..."); without a cue in the clause, a
// future marker anywhere in the sentence (not "would") resolves forward. So "X will keep the cut,
// the minister said Monday" is last Monday.
//
// Thread safety: pure functions of their input; the month and weekday tables are immutable.
#ifndef NEWSPARSE_CORE_DATES_H_
#define NEWSPARSE_CORE_DATES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "core/article.h"
#include "core/tokenizer.h"

namespace newsparse {

// Appends the date expressions found in tokens [first_token, end) of `text` to `out`, in text
// order. `reference` is the article date (nullopt: only dates with a written year are resolved).
void FindDates(std::string_view text, const Tokens& tokens, size_t first_token,
               std::optional<absl::CivilDay> reference, std::vector<DateMention>* out);

// The weekday of `day`: Monday 0 ... Sunday 6.
int WeekdayIndex(absl::CivilDay day);

// The ISO 8601 week of `day` as "YYYY-Www".
std::string IsoWeek(absl::CivilDay day);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATES_H_
