// Evaluates the dateline parser on a JSON-lines corpus (gzip).
//
//   dateline_eval_main [--corpus PATH] [--no-gold] [--json] [--disagreements PATH] [--data DIR]
//
// With gold (default corpus: ../shared/data/reuters21578/reuters21578.jsonl.gz): every story
// with a body, fields "text", "dateline" (gold), "date_iso" (reference date), "body", "id".
// With --no-gold (e.g. reuters2006/reuters_2006_2013.jsonl.gz): fields "text" and "id"; the
// reference date is the YYYYMMDD segment of the id ("reuters-fin/20061020/...").
// Exit status: 0, 1 on error, 2 on bad usage, 77 when the corpus cannot be read.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/dateline.h"
#include "core/dateline_eval.h"

namespace {

using newsparse::DatelineEvalDoc;

// Exit status when the corpus is absent (ctest's SKIP_RETURN_CODE).
constexpr int kSkipped = 77;

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
  size_t bad = 0;
  auto docs = newsparse::LoadDatelineEvalDocs(corpus, !no_gold, &bad);
  if (!docs.ok()) {
    std::cerr << "cannot read " << corpus << "\n";
    return kSkipped;
  }
  if (bad > 0) std::cerr << bad << " malformed JSON lines skipped\n";
  std::string disagreements;
  auto report = newsparse::EvalDatelines(**parser, *docs, !no_gold,
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
