// The dateline parser alone (DatelineParser::Parse, ParseCredits, ParseMetadataDate,
// MonthNumber) on arbitrary bytes. Byte 0 picks the reference date (none, or a day derived from
// it), the rest is the article. Checks: every span lies in the text, the place, date, source and
// byline lie in the dateline's span or before the body, body_start is in range, a resolved date
// is a valid day.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/dateline.h"
#include "core/engine.h"
#include "fuzz/span_check.h"

using newsparse::fuzz::CheckSpan;
using newsparse::fuzz::CheckSpanOrEmpty;

namespace {
const newsparse::DatelineParser* parser = nullptr;
}  // namespace

// The place table takes seconds to load in an instrumented build: loaded before the timed runs.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto p = newsparse::DatelineParser::Create(newsparse::DefaultDataDir());
  if (!p.ok()) std::abort();
  parser = p->release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::optional<absl::CivilDay> reference;
  if (data[0] & 0x80) {
    reference = absl::CivilDay(1990 + (data[0] & 0x3f), 1 + data[0] % 12, 1 + data[0] % 29);
  }
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  size_t consumed = 0;
  const std::optional<absl::CivilDay> meta = newsparse::ParseMetadataDate(text, &consumed);
  if (consumed > text.size() || (!meta && consumed != 0)) std::abort();
  if (meta) reference = meta;

  std::optional<newsparse::Dateline> d = parser->Parse(text, consumed, reference);
  if (d) {
    CheckSpan(d->span, text);
    if (d->span.begin < consumed || d->body_start > text.size()) std::abort();
    CheckSpanOrEmpty(d->place.span, text);
    for (const newsparse::Place& p : d->places) CheckSpan(p.span, text);
    if (d->date) {
      CheckSpan(d->date->span, text);
      if (d->date->value && (d->date->value->year() < 1 || d->date->value->year() > 9999)) {
        std::abort();
      }
    }
    if (d->source) CheckSpan(d->source->span, text);
    if (d->byline) CheckSpan(*d->byline, text);
  }
  std::vector<newsparse::Credit> credits;
  parser->ParseCredits(text, &credits, d ? &*d : nullptr);
  for (const newsparse::Credit& c : credits) {
    CheckSpan(c.span, text);
    if (c.kind.empty()) std::abort();
  }
  if (d && d->source) CheckSpan(d->source->span, text);  // may come from a credit

  // MonthNumber on the first word.
  const size_t space = text.find(' ');
  const std::optional<int> month =
      parser->MonthNumber(text.substr(0, space == std::string_view::npos ? text.size() : space));
  if (month && (*month < 1 || *month > 12)) std::abort();
  return 0;
}
