// The date vocabulary and calendar rules shared by the two readers of written dates: the
// dateline's date (core/dateline.cc, "Feb. 23" inside a dateline) and the date-string parser
// (core/date_string.cc, newsparse.parse_dates). Internal to the core: not part of the public
// API, no stability promise.
//
// What is shared here, so that both readers know the same words and the same days:
//   - the dateline languages (kDateGrammarLanguageCodes) and the month and weekday names ICU's
//     date format symbols give for them (ForEachIcuDateName);
//   - the rule that an unambiguous prefix of a full name ("Sept", "févr", "фев") names that
//     month or weekday (NamePrefixes);
//   - the calendar: leap years, valid days, day numbers, and the two ways a month and day
//     without a year are resolved against a reference (RecentDay: the dateline's "most recent
//     on or before reference + 1"; NearestDay: the date string's "nearest the reference").
// What each reader keeps to itself is its token grammar (see the file comments of dateline.cc
// and date_string.cc): the dateline reads a date as a prefix of running text, memoised per
// position inside its recursive-descent head reader; the date string reads one whole string as
// tokens. Each folds its keys its own way (upper case for the dateline's place/agency/month
// keys, lower case for the date string's word table).
//
// Cost: the table builders (ForEachIcuDateName, NamePrefixes) run once at start-up and
// allocate; every other function here is a pure computation on its arguments, allocation-free
// and thread-safe.
#ifndef NEWSPARSE_CORE_DATE_GRAMMAR_H_
#define NEWSPARSE_CORE_DATE_GRAMMAR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"

namespace newsparse {

// The languages whose month and weekday names are read, as ISO 639-1 codes; a language's index
// here is its bit in date_string.h's DateLanguage mask.
inline constexpr int kDateGrammarLanguages = 7;
inline constexpr const char* kDateGrammarLanguageCodes[kDateGrammarLanguages] = {
    "en", "fr", "es", "pt", "it", "de", "ru"};

enum class DateNameKind : uint8_t { kMonth, kWeekday };

// One name from ICU's date format symbols.
struct IcuDateName {
  int language;           // index into kDateGrammarLanguageCodes
  DateNameKind kind;      // month or weekday
  int value;              // month 1-12, weekday 1-7 (Monday 1)
  bool wide;              // the full name ("février"), not an abbreviation ("févr.")
  std::string_view utf8;  // as ICU writes it (valid only during the call)
};

// Calls `visit` for every month name (and, with `weekdays`, every weekday name) of every
// language, in format and stand-alone context, wide and abbreviated, in that order (language,
// context, width, then months before weekdays). Errors: Internal when ICU cannot give a
// language's symbols. Allocates; call at start-up.
absl::Status ForEachIcuDateName(bool weekdays, absl::FunctionRef<void(const IcuDateName&)> visit);

// The prefixes of full names that name one value: every prefix of at least three code points
// and shorter than the name it is cut from; a prefix cut from names with different values
// names none. Keys are whatever folded form the caller gives (valid UTF-8).
class NamePrefixes {
 public:
  // Adds the prefixes of `folded_name`, which names `value` (> 0).
  void Add(std::string_view folded_name, int value);
  // Calls `visit(prefix, value)` for every prefix that names one value (any order).
  void ForEachUnambiguous(absl::FunctionRef<void(const std::string&, int)> visit) const;

 private:
  absl::flat_hash_map<std::string, int> value_;  // -1 where ambiguous
};

// --- Calendar (proleptic Gregorian). Pure, allocation-free. ---

inline bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Whether month `m` of year `y` has a day `d` (any year; m and d out of range give false).
__attribute__((always_inline)) inline bool ValidCivilDay(int y, int m, int d) {
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29) return IsLeapYear(y);
  return true;
}

// `month`, `day` without a written year, as a dateline reads it: the most recent such day on
// or before reference + 1 day (a dateline runs a day ahead in the east). nullopt without a
// reference or when there is no such day (Feb. 30; Feb. 29 with no leap year in the 8 years
// before). With `year` > 0 the written year is taken instead (nullopt for an invalid day).
// Inline: the dateline resolves every date it reads with it.
inline std::optional<absl::CivilDay> RecentDay(int month, int day, int year,
                                               std::optional<absl::CivilDay> reference) {
  if (year > 0) {
    if (!ValidCivilDay(year, month, day)) return std::nullopt;
    return absl::CivilDay(year, month, day);
  }
  if (!reference.has_value()) return std::nullopt;
  if (!ValidCivilDay(2000, month, day)) return std::nullopt;  // Feb 30, Apr 31 (2000 is leap)
  // limit = reference + 1 day, without civil-time arithmetic.
  int ly = static_cast<int>(reference->year()), lm = reference->month(), ld = reference->day() + 1;
  if (!ValidCivilDay(ly, lm, ld)) {
    ld = 1;
    if (++lm > 12) {
      lm = 1;
      ++ly;
    }
  }
  if (month != 2 || day != 29) {
    // Every year has this day: the limit's year when the day is on or before the limit, else
    // the year before (the loop below gives the same, one year at a time).
    const bool by_limit = month < lm || (month == lm && day <= ld);
    return absl::CivilDay(by_limit ? ly : ly - 1, month, day);
  }
  for (int y = ly; y >= reference->year() - 8; --y) {
    if (!ValidCivilDay(y, month, day)) continue;  // Feb 29 outside leap years
    if (y < ly || (y == ly && (month < lm || (month == lm && day <= ld)))) {
      return absl::CivilDay(y, month, day);
    }
  }
  return std::nullopt;
}

// Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil); a few integer operations where
// absl::CivilDay normalises its fields. y-m-d must be a valid day.
inline int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Month `m`, day `d` in the year before, of or after `ref`'s that puts it nearest `ref` (a tie
// goes to the past), as date strings and body dates read it; years outside 1000-9999 are not
// considered. nullopt when none of those years has that day.
// Inline: the date-string parser resolves most strings with it.
inline std::optional<absl::CivilDay> NearestDay(int m, int d, absl::CivilDay ref) {
  const int64_t r = DaysFromCivil(ref.year(), ref.month(), ref.day());
  int64_t best_year = 0;
  int64_t best_distance = 0;
  for (int64_t y = ref.year() - 1; y <= ref.year() + 1; ++y) {  // ascending: a tie keeps the past
    if (y < 1000 || y > 9999 || !ValidCivilDay(static_cast<int>(y), m, d)) continue;
    const int64_t delta = DaysFromCivil(y, m, d) - r;
    const int64_t distance = delta < 0 ? -delta : delta;
    if (best_year == 0 || distance < best_distance) {
      best_year = y;
      best_distance = distance;
    }
  }
  if (best_year == 0) return std::nullopt;
  return absl::CivilDay(best_year, m, d);
}

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATE_GRAMMAR_H_
