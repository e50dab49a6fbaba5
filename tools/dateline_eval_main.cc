// Evaluates the dateline parser on a JSON-lines corpus (gzip).
//
//   dateline_eval_main [--corpus PATH] [--no-gold] [--json] [--disagreements PATH] [--data DIR]
//
// With gold (default corpus: ../shared/data/reuters21578/reuters21578.jsonl.gz): every story
// with a body, fields "text", "dateline" (gold), "date_iso" (reference date), "body", "id".
// With --no-gold (e.g. reuters2006/reuters_2006_2013.jsonl.gz): fields "text" and "id"; the
// reference date is the YYYYMMDD segment of the id ("reuters-fin/20061020/...").
// Exit status: 0, 1 on error, 2 on bad usage, 77 when the corpus cannot be read.
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "core/dateline.h"
#include "core/dateline_eval.h"

namespace {

using newsparse::DatelineEvalDoc;

// Exit status when the corpus is absent (ctest's SKIP_RETURN_CODE).
constexpr int kSkipped = 77;

// Calls `fn` on every line of the gzip file. Returns false when the file cannot be read.
template <typename Fn>
bool ForEachGzLine(const std::string& path, Fn fn) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::string pending;
  std::vector<char> buf(1 << 20);
  int n;
  while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) {
    pending.append(buf.data(), n);
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      fn(std::string_view(pending).substr(start, nl - start));
    }
    pending.erase(0, start);
  }
  const bool ok = n == 0;
  gzclose(f);
  if (!pending.empty()) fn(std::string_view(pending));
  return ok;
}

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

int main(int argc, char** argv) {
  const std::string shared = std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/../../shared/data";
  std::string corpus;
  std::string data_dir = NEWSPARSE_SOURCE_DATA_DIR;
  std::string disagreements_path;
  bool json = false, no_gold = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--corpus") {
      corpus = next();
    } else if (a == "--data") {
      data_dir = next();
    } else if (a == "--disagreements") {
      disagreements_path = next();
    } else if (a == "--json") {
      json = true;
    } else if (a == "--no-gold") {
      no_gold = true;
    } else {
      std::cerr << "usage: " << argv[0]
                << " [--corpus PATH] [--no-gold] [--json] [--disagreements PATH] [--data DIR]\n";
      return 2;
    }
  }
  if (corpus.empty()) {
    corpus = no_gold ? shared + "/reuters2006/reuters_2006_2013.jsonl.gz"
                     : shared + "/reuters21578/reuters21578.jsonl.gz";
  }
  auto parser = newsparse::DatelineParser::Create(data_dir);
  if (!parser.ok()) {
    std::cerr << parser.status() << "\n";
    return 1;
  }
  std::vector<DatelineEvalDoc> docs;
  size_t bad = 0;
  const std::vector<std::string_view> keys = {"id", "text", "dateline", "date_iso", "body"};
  std::vector<std::optional<std::string>> v;
  const bool read = ForEachGzLine(corpus, [&](std::string_view line) {
    if (line.empty()) return;
    if (!newsparse::ReadJsonStrings(line, keys, &v).ok()) {
      ++bad;
      return;
    }
    DatelineEvalDoc doc;
    doc.id = v[0].value_or("");
    if (!v[1].has_value() || v[1]->empty()) return;
    if (no_gold) {
      const size_t slash = doc.id.find('/');
      if (slash != std::string::npos) {
        doc.reference = DayFromDigits(std::string_view(doc.id).substr(slash + 1), false);
      }
    } else {
      if (!v[4].has_value() || v[4]->empty()) return;  // stories with a body only
      doc.gold = v[2];
      if (v[3].has_value()) doc.reference = DayFromDigits(*v[3], true);
    }
    doc.text = std::move(*v[1]);
    docs.push_back(std::move(doc));
  });
  if (!read) {
    std::cerr << "cannot read " << corpus << "\n";
    return kSkipped;
  }
  if (bad > 0) std::cerr << bad << " malformed JSON lines skipped\n";
  std::string disagreements;
  auto report = newsparse::EvalDatelines(**parser, docs, !no_gold,
                                         disagreements_path.empty() ? nullptr : &disagreements);
  if (!report.ok()) {
    std::cerr << report.status() << "\n";
    return 1;
  }
  if (!disagreements_path.empty()) {
    std::ofstream out(disagreements_path, std::ios::binary);
    out << disagreements;
  }
  std::cout << (json ? report->ToJson(!no_gold) + "\n" : report->ToText(!no_gold));
  return 0;
}
