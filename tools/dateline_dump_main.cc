// Dumps every field the dateline parser returns, one line per parse, for checking that a change
// to the parser leaves its output byte-identical (diff two dumps of the same corpus).
//
//   dateline_dump_main [--corpus PATH] [--no-gold] [--data DIR]
//
// Arguments, corpus and exit statuses as in dateline_eval_main (tools/dateline_tool.h; default
// Reuters-21578, --no-gold: reuters2006; 0, 1 on error, 2 on bad usage, 77 when the corpus cannot
// be read). Each document is parsed at offset 0 with its reference date, then again from the byte
// after its first line break (which exercises the rejection paths on body text), then its credits
// are read.
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "core/dateline.h"
#include "core/dateline_eval.h"
#include "tools/dateline_tool.h"

namespace {

std::string SpanText(newsparse::Span s) { return absl::StrCat(s.begin, "-", s.end); }

std::string PlaceText(const newsparse::Place& p) {
  return SpanText(p.span) + "|" + std::string(p.city) + "|" + std::string(p.region) + "|" +
         std::string(p.country);
}

std::string DatelineText(const std::optional<newsparse::Dateline>& d) {
  if (!d.has_value()) return "null";
  std::string out = absl::StrCat("span=", SpanText(d->span), " body=", d->body_start,
                                 " place=", PlaceText(d->place), " places=[");
  for (const newsparse::Place& p : d->places) absl::StrAppend(&out, PlaceText(p), ";");
  absl::StrAppend(&out, "]");
  if (d->date.has_value()) {
    absl::StrAppend(&out, " date=", SpanText(d->date->span), "|",
                    d->date->value.has_value() ? absl::FormatCivilTime(*d->date->value) : "-");
  }
  if (d->source.has_value()) {
    absl::StrAppend(&out, " source=", SpanText(d->source->span), "|", std::string(d->source->name));
  }
  if (d->byline.has_value()) absl::StrAppend(&out, " byline=", SpanText(*d->byline));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  newsparse::DatelineToolArgs args;
  if (auto status = newsparse::ParseDatelineToolArgs(argc, argv, /*eval_flags=*/false, &args)) {
    return *status;
  }
  newsparse::DatelineToolInput input;
  if (auto status = newsparse::LoadDatelineToolInput(args, &input)) return *status;
  const newsparse::DatelineParser& parser = *input.parser;
  const std::vector<newsparse::DatelineEvalDoc>& docs = input.docs;
  std::string line;
  for (const newsparse::DatelineEvalDoc& doc : docs) {
    auto d = parser.Parse(doc.text, 0, doc.reference);
    std::vector<newsparse::Credit> credits;
    parser.ParseCredits(doc.text, &credits, d ? &*d : nullptr);
    line = absl::StrCat(doc.id, "\t", DatelineText(d), "\tcredits=");
    for (const newsparse::Credit& c : credits)
      absl::StrAppend(&line, c.kind, SpanText(c.span), ";");
    const size_t nl = doc.text.find('\n');
    if (nl != std::string::npos) {
      absl::StrAppend(&line,
                      "\tafter_line=", DatelineText(parser.Parse(doc.text, nl + 1, doc.reference)));
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  std::cerr << docs.size() << " documents\n";
  return 0;
}
