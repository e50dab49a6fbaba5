#include "core/dateline_eval.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/corpus.h"
#include "core/jsonl.h"
#include "core/text.h"

namespace newsparse {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Strips trailing separators and commas: "SALVADOR, Feb 26 -" -> "SALVADOR, Feb 26".
std::string_view TrimTail(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && (s.back() == '-' || s.back() == ',' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

// Length of the word starting at i (ASCII letters, non-ASCII bytes and '.').
size_t WordLen(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() &&
         (IsAsciiLetter(s[j]) || static_cast<unsigned char>(s[j]) >= 0x80 || s[j] == '.')) {
    ++j;
  }
  return j - i;
}

void JsonEscape(std::string_view s, std::string* out) {
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
    } else {
      out->push_back(c);
    }
  }
}

std::string OneLine(std::string_view s, size_t max) {
  std::string out(s.substr(0, max));
  for (char& c : out) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

GoldDateline ParseGoldDateline(const DatelineParser& parser, std::string_view gold) {
  GoldDateline out;
  const std::string_view g = Trim(gold);
  for (size_t i = 0; i < g.size(); ++i) {
    if (i > 0 && g[i - 1] != ' ' && g[i - 1] != ',') continue;
    size_t w = WordLen(g, i);
    if (w > 0) {
      // "Feb 26", "March 2", "April, 13"
      size_t j = i + w;
      if (j < g.size() && g[j] == ',') ++j;
      while (j < g.size() && g[j] == ' ') ++j;
      size_t k = j;
      while (k < g.size() && IsDigit(g[k]) && k - j < 3) ++k;
      if (k > j && k - j <= 2 && (k == g.size() || !(IsDigit(g[k]) || IsAsciiLetter(g[k])))) {
        if (auto m = parser.MonthNumber(g.substr(i, w))) {
          out.month = *m;
          out.day = std::stoi(std::string(g.substr(j, k - j)));
          out.place = std::string(TrimTail(g.substr(0, i)));
          return out;
        }
        // A misspelt month ("Narch 2 -") closing the gold dateline: the place is what comes
        // before it; the date is unreadable (month 0) and left out of the date figures.
        if (i >= 2 && g[i - 2] == ',' && TrimTail(g.substr(k)).empty()) {
          out.place = std::string(TrimTail(g.substr(0, i)));
          return out;
        }
      }
    } else if (IsDigit(g[i])) {
      // "2 March"
      size_t k = i;
      while (k < g.size() && IsDigit(g[k]) && k - i < 3) ++k;
      if (k - i > 2 || k >= g.size() || g[k] != ' ') continue;
      const size_t mw = WordLen(g, k + 1);
      if (mw == 0) continue;
      if (auto m = parser.MonthNumber(g.substr(k + 1, mw))) {
        out.month = *m;
        out.day = std::stoi(std::string(g.substr(i, k - i)));
        out.place = std::string(TrimTail(g.substr(0, i)));
        return out;
      }
    }
  }
  std::string_view place = TrimTail(g);
  if (place.size() >= 7 && place.substr(place.size() - 7) == ", Reuter") {
    place = TrimTail(place.substr(0, place.size() - 7));
  }
  out.place = std::string(place);
  return out;
}

absl::StatusOr<DatelineEvalReport> EvalDatelines(const DatelineParser& parser,
                                                 const std::vector<DatelineEvalDoc>& docs,
                                                 bool has_gold, std::string* disagreements) {
  if (docs.empty()) return absl::InvalidArgumentError("no documents to evaluate");
  DatelineEvalReport r;
  auto note = [&](const DatelineEvalDoc& doc, std::string_view kind, std::string_view gold,
                  std::string_view found) {
    if (disagreements == nullptr) return;
    absl::StrAppend(disagreements, doc.id, "\t", std::string(kind), "\t", OneLine(gold, 120), "\t",
                    OneLine(found, 120), "\t", OneLine(doc.text, 100), "\n");
  };
  std::vector<Credit> credits;
  for (const DatelineEvalDoc& doc : docs) {
    ++r.docs;
    std::optional<Dateline> d = parser.Parse(doc.text, 0, doc.reference);
    if (d.has_value()) {
      ++r.found;
      if (d->source.has_value()) ++r.agencies[std::string(d->source->name)];
    }
    credits.clear();
    const bool had_source = d.has_value() && d->source.has_value();
    parser.ParseCredits(doc.text, &credits, d.has_value() ? &*d : nullptr);
    for (const Credit& c : credits) ++r.credit_kinds[c.kind];
    if (d.has_value() && !had_source && d->source.has_value()) ++r.source_from_credits;
    std::string found_place;
    if (d.has_value() && !d->places.empty()) {
      found_place = std::string(
          Trim(Slice(doc.text, Span{d->places.front().span.begin, d->places.back().span.end})));
    }
    const std::string found_text = d.has_value() ? std::string(Slice(doc.text, d->span)) : "";
    if (!has_gold) {
      if (doc.text.substr(0, 300).find("(Reuters)") != std::string::npos) {
        ++r.reuters_headed;
        if (d.has_value()) {
          ++r.reuters_headed_found;
        } else {
          note(doc, "not_found", "", "");
        }
      }
      continue;
    }
    if (!doc.gold.has_value()) {
      if (d.has_value()) {
        ++r.false_positives;
        note(doc, "spurious", "", found_text);
      }
      continue;
    }
    if (d.has_value()) {
      ++r.true_positives;
    } else {
      ++r.false_negatives;
      note(doc, "missed", *doc.gold, "");
    }
    const GoldDateline gold = ParseGoldDateline(parser, *doc.gold);
    ++r.place_total;
    if (d.has_value() && found_place == gold.place) {
      ++r.place_exact;
    } else if (d.has_value()) {
      note(doc, "place", gold.place, found_place);
    }
    if (gold.month > 0 && doc.reference.has_value()) {
      const absl::CivilDay want(doc.reference->year(), gold.month, gold.day);
      if (want.month() != gold.month || want.day() != gold.day) continue;  // "Feb 30"
      ++r.date_total;
      const bool ok = d.has_value() && d->date.has_value() && d->date->value == want;
      if (ok) {
        ++r.date_exact;
      } else if (d.has_value()) {
        std::string found_date;
        if (d->date.has_value()) {
          found_date = absl::StrCat(std::string(Slice(doc.text, d->date->span)), " = ",
                                    d->date->value ? absl::FormatCivilTime(*d->date->value) : "?");
        }
        note(doc, "date", absl::StrCat(*doc.gold, " = ", absl::FormatCivilTime(want)), found_date);
      }
    }
  }
  auto ratio = [](size_t a, size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; };
  r.precision = ratio(r.true_positives, r.true_positives + r.false_positives);
  r.recall = ratio(r.true_positives, r.true_positives + r.false_negatives);
  r.place_exact_rate = ratio(r.place_exact, r.place_total);
  r.date_exact_rate = ratio(r.date_exact, r.date_total);
  return r;
}

std::string DatelineEvalReport::ToJson(bool has_gold) const {
  if (has_gold) {
    return absl::StrFormat(
        "{\"docs\": %d, \"has_dateline\": {\"precision\": %.5f, \"recall\": %.5f}, "
        "\"place_exact\": %.5f, \"date_exact\": %.5f}",
        docs, precision, recall, place_exact_rate, date_exact_rate);
  }
  std::string agencies_json;
  for (const auto& [name, count] : agencies) {
    if (!agencies_json.empty()) agencies_json += ", ";
    agencies_json += "\"";
    JsonEscape(name, &agencies_json);
    absl::StrAppend(&agencies_json, "\": ", count);
  }
  return absl::StrFormat(
      "{\"docs\": %d, \"found_share\": %.5f, \"reuters_headed\": %d, "
      "\"reuters_headed_found_share\": %.5f, \"agencies\": {%s}}",
      docs, docs ? static_cast<double>(found) / docs : 0.0, reuters_headed,
      reuters_headed ? static_cast<double>(reuters_headed_found) / reuters_headed : 0.0,
      agencies_json);
}

std::string DatelineEvalReport::ToText(bool has_gold) const {
  std::string credits =
      absl::StrFormat("credits (source from a credit only: %d):", source_from_credits);
  for (const auto& [kind, count] : credit_kinds) absl::StrAppend(&credits, " ", kind, "=", count);
  credits += "\n";
  if (has_gold) {
    return credits + absl::StrFormat(
                         "docs %d\nhas-dateline precision %.4f%% (%d/%d)  recall %.4f%% (%d/%d)\n"
                         "place exact %.4f%% (%d/%d)\ndate exact %.4f%% (%d/%d)\n",
                         docs, 100 * precision, true_positives, true_positives + false_positives,
                         100 * recall, true_positives, true_positives + false_negatives,
                         100 * place_exact_rate, place_exact, place_total, 100 * date_exact_rate,
                         date_exact, date_total);
  }
  std::string out = absl::StrFormat(
      "docs %d\ndateline found %.4f%% (%d)\n(Reuters)-headed found %.4f%% (%d/%d)\nagencies:", docs,
      docs ? 100.0 * found / docs : 0.0, found,
      reuters_headed ? 100.0 * reuters_headed_found / reuters_headed : 0.0, reuters_headed_found,
      reuters_headed);
  for (const auto& [name, count] : agencies) absl::StrAppend(&out, " ", name, "=", count);
  out += "\n";
  return out + credits;
}

namespace {

// A date from "YYYY-MM-DD..." (`dashes`) or "YYYYMMDD..."; nullopt when not a valid date.
std::optional<absl::CivilDay> DayFromDigits(std::string_view sv, bool dashes) {
  const absl::string_view s(sv.data(), sv.size());
  int y, m, d;
  if (dashes) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!absl::SimpleAtoi(s.substr(0, 4), &y) || !absl::SimpleAtoi(s.substr(5, 2), &m) ||
        !absl::SimpleAtoi(s.substr(8, 2), &d)) {
      return std::nullopt;
    }
  } else {
    if (s.size() < 8 || !absl::SimpleAtoi(s.substr(0, 4), &y) ||
        !absl::SimpleAtoi(s.substr(4, 2), &m) || !absl::SimpleAtoi(s.substr(6, 2), &d)) {
      return std::nullopt;
    }
  }
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;
  return day;
}

}  // namespace

absl::StatusOr<std::vector<DatelineEvalDoc>> LoadDatelineEvalDocs(const std::string& path,
                                                                  bool has_gold,
                                                                  size_t* malformed) {
  absl::StatusOr<std::vector<std::string>> lines = ReadLines(path, 0);
  if (!lines.ok()) return lines.status();
  std::vector<DatelineEvalDoc> docs;
  size_t bad = 0;
  const std::vector<std::string_view> keys = {"id", "text", "dateline", "date_iso", "body"};
  std::vector<std::optional<std::string>> v;
  for (const std::string& line : *lines) {
    if (line.empty()) continue;
    if (!ReadJsonStrings(line, keys, &v).ok()) {
      ++bad;
      continue;
    }
    DatelineEvalDoc doc;
    doc.id = v[0].value_or("");
    if (!v[1].has_value() || v[1]->empty()) continue;
    if (!has_gold) {
      const size_t slash = doc.id.find('/');
      if (slash != std::string::npos) {
        doc.reference = DayFromDigits(std::string_view(doc.id).substr(slash + 1), false);
      }
    } else {
      if (!v[4].has_value() || v[4]->empty()) continue;  // stories with a body only
      doc.gold = v[2];
      if (v[3].has_value()) doc.reference = DayFromDigits(*v[3], true);
    }
    doc.text = std::move(*v[1]);
    docs.push_back(std::move(doc));
  }
  if (malformed != nullptr) *malformed = bad;
  return docs;
}

}  // namespace newsparse
