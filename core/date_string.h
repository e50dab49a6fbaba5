// One date written as a string, read to a calendar day: the column-of-strings counterpart of the
// dateline's date and of the body dates (core/dates.h), for callers that hold date strings
// already cut out of their text (what `dateparser.parse(s)` is asked to do).
//
//   reference 2023-02-23 (a Thursday):
//     "Feb. 23", "Feb 23", "february 23rd", "23 feb", "23. Februar"    -> 2023-02-23
//     "30 janvier", "23 февраля", "23 de febrero", "1er mars"          -> resolved like "Feb 20"
//     "Oct. 31, 2005", "31 October 2005", "23 февраля 2023 г."         -> the written year wins
//     "2023-02-23"                                                     -> 2023-02-23
//     "Thursday, Feb. 23, 2023"                                        -> 2023-02-23 (a weekday
//                                                                        before a date is read
//                                                                        and not checked)
//     "Wednesday", "mercredi", "среда"                                 -> 2023-02-22 (the most
//                                                                        recent such day on or
//                                                                        before the reference)
//     "yesterday", "hier", "вчера" / "today" / "tomorrow"              -> 2023-02-22 / 23 / 24
//
// Month and weekday names come from ICU's date symbols (wide and abbreviated, format and
// stand-alone forms) for the dateline's languages: en, fr, es, pt, it, de, ru, plus the prefixes of
// at least three letters of a full name that name one month (or weekday) in that language
// ("Sept", "févr", "фев"); "yesterday", "today" and "tomorrow" are the project's own word lists.
// Matching ignores case, accents and a period after an abbreviation.
//
// The whole string must be one date: white space around it and one final period are allowed,
// anything else (a month and a year without a day, "next Friday", numeric day/month forms such
// as "02/23/2023", which are ambiguous, or any extra word) gives nullopt. A day that does not
// exist ("Feb. 30", "2023-02-29") gives nullopt. A month and day without a year take the year
// that puts the day nearest the reference (a tie goes to the past), as body dates do; without a
// reference, only a date with a written year (or an ISO date) is resolved, and weekdays and
// relative words give nullopt (never guessed). Years have four digits, 1000-9999.
//
// Cost: bounded. Strings longer than kMaxDateStringBytes are not read at all (nullopt); shorter
// ones are read once, with no memory allocation. Any byte sequence is accepted (invalid UTF-8
// bytes are not letters, so a string with one is no date).
//
// Thread safety: a DateStringParser is immutable after Create() and may be shared by any number of
// threads.
#ifndef NEWSPARSE_CORE_DATE_STRING_H_
#define NEWSPARSE_CORE_DATE_STRING_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace newsparse {

// Strings longer than this (in bytes) are no date: a date, its weekday and white space fit.
inline constexpr size_t kMaxDateStringBytes = 96;

// Bits of the `languages` mask: which languages' month, weekday and relative words are read.
enum DateLanguage : uint32_t {
  kDateEnglish = 1u << 0,
  kDateFrench = 1u << 1,
  kDateSpanish = 1u << 2,
  kDatePortuguese = 1u << 3,
  kDateItalian = 1u << 4,
  kDateGerman = 1u << 5,
  kDateRussian = 1u << 6,
  kDateAllLanguages = (1u << 7) - 1,
};

// The bit of an ISO 639-1 code ("en", "fr", "es", "pt", "it", "de", "ru"; lower case);
// nullopt for any other code.
std::optional<uint32_t> DateLanguageBit(std::string_view code);

class DateStringParser {
 public:
  // Builds the word tables from ICU (a few milliseconds). Errors: Internal when ICU fails.
  static absl::StatusOr<std::unique_ptr<DateStringParser>> Create();

  // The day that `s` names (see the file comment), read with the words of `languages` (a mask of
  // DateLanguage bits; 0 reads no words, so only ISO dates). nullopt when `s` is no date, names
  // no single day, or needs a reference that is not given.
  std::optional<absl::CivilDay> Parse(std::string_view s, std::optional<absl::CivilDay> reference,
                                      uint32_t languages = kDateAllLanguages) const;

  ~DateStringParser();

 private:
  DateStringParser();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATE_STRING_H_
