// The shared date vocabulary and calendar rules. See date_grammar.h for the contract.
#include "core/date_grammar.h"

#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace newsparse {

absl::Status ForEachIcuDateName(bool weekdays, absl::FunctionRef<void(const IcuDateName&)> visit) {
  std::string utf8;
  for (int l = 0; l < kDateGrammarLanguages; ++l) {
    UErrorCode status = U_ZERO_ERROR;
    icu::DateFormatSymbols symbols{icu::Locale(kDateGrammarLanguageCodes[l]), status};
    if (U_FAILURE(status)) {
      return absl::InternalError(
          absl::StrCat("ICU date symbols for ", kDateGrammarLanguageCodes[l]));
    }
    for (auto context : {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
      for (auto width : {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED}) {
        const bool wide = width == icu::DateFormatSymbols::WIDE;
        auto emit = [&](const icu::UnicodeString& name, DateNameKind kind, int value) {
          utf8.clear();
          name.toUTF8String(utf8);
          visit(IcuDateName{l, kind, value, wide, utf8});
        };
        int32_t count = 0;
        const icu::UnicodeString* months = symbols.getMonths(count, context, width);
        for (int32_t m = 0; m < count && m < 12; ++m) emit(months[m], DateNameKind::kMonth, m + 1);
        if (!weekdays) continue;
        // ICU's weekdays: index 1 Sunday ... 7 Saturday.
        const icu::UnicodeString* days = symbols.getWeekdays(count, context, width);
        for (int32_t d = 1; d < count && d <= 7; ++d) {
          emit(days[d], DateNameKind::kWeekday, d == 1 ? 7 : d - 1);
        }
      }
    }
  }
  return absl::OkStatus();
}

void NamePrefixes::Add(std::string_view folded_name, int value) {
  // Code point boundaries: a byte that is not a UTF-8 continuation byte starts a code point.
  size_t points = 0;
  for (size_t i = 0; i <= folded_name.size(); ++i) {
    if (i < folded_name.size() && (static_cast<unsigned char>(folded_name[i]) & 0xC0) == 0x80) {
      continue;
    }
    // folded_name[0, i) holds `points` code points; i == size() is the whole name (not a prefix).
    if (points >= 3 && i < folded_name.size()) {
      auto [it, inserted] = value_.try_emplace(std::string(folded_name.substr(0, i)), value);
      if (!inserted && it->second != value) it->second = -1;
    }
    ++points;
  }
}

void NamePrefixes::ForEachUnambiguous(
    absl::FunctionRef<void(const std::string&, int)> visit) const {
  for (const auto& [prefix, value] : value_) {
    if (value > 0) visit(prefix, value);
  }
}

}  // namespace newsparse
