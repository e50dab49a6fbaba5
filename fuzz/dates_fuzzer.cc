// The dates resolver alone (FindDates over tokenized text) on arbitrary bytes. Byte 0 picks the
// reference date (none, or a day derived from it) and byte 1 the first token to search from; the
// rest is the text. Checks: spans in the text, after the first token, in text order and not
// overlapping; values are "YYYY-MM-DD", "YYYY-MM", "YYYY-Www" or "YYYY" shaped.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/tokenizer.h"
#include "fuzz/span_check.h"

namespace {

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "YYYY-MM-DD", "YYYY-MM", "YYYY-Www" or "YYYY" (a year of four or more digits, possibly
// negative).
bool IsoShaped(std::string_view v) {
  if (!v.empty() && v[0] == '-') v.remove_prefix(1);
  const size_t dash = v.find('-');
  if (dash == std::string_view::npos) return v.size() >= 4 && Digits(v);
  if (dash == std::string_view::npos || dash < 4 || !Digits(v.substr(0, dash))) return false;
  const std::string_view rest = v.substr(dash + 1);
  if (rest.size() == 3 && rest[0] == 'W') return Digits(rest.substr(1));
  if (rest.size() == 2) return Digits(rest);
  return rest.size() == 5 && rest[2] == '-' && Digits(rest.substr(0, 2)) && Digits(rest.substr(3));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::optional<absl::CivilDay> reference;
  if (data[0] & 0x80) {
    reference = absl::CivilDay(1950 + (data[0] & 0x7f), 1 + data[1] % 12, 1 + data[0] % 31);
  }
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  newsparse::Tokens tokens;
  newsparse::Tokenize(text, &tokens);
  const size_t first = tokens.tokens.empty() ? 0 : data[1] % (tokens.tokens.size() + 1);
  const uint32_t floor = first < tokens.tokens.size() ? tokens.tokens[first].begin
                                                      : static_cast<uint32_t>(text.size());
  std::vector<newsparse::DateMention> dates;
  newsparse::FindDates(text, tokens, first, reference, &dates);
  uint32_t last = floor;
  for (const newsparse::DateMention& d : dates) {
    newsparse::fuzz::CheckSpan(d.span, text);
    if (d.span.begin < last) std::abort();
    last = d.span.end;
    if (!IsoShaped(d.value)) std::abort();
  }
  return 0;
}
