// Evaluates the dateline parser on a JSON-lines corpus (gzip).
//
//   dateline_eval_main [--corpus PATH] [--no-gold] [--json] [--disagreements PATH] [--data DIR]
//
// With gold (default corpus: ../shared/data/reuters21578/reuters21578.jsonl.gz): every story
// with a body, fields "text", "dateline" (gold), "date_iso" (reference date), "body", "id".
// With --no-gold (e.g. reuters2006/reuters_2006_2013.jsonl.gz): fields "text" and "id"; the
// reference date is the YYYYMMDD segment of the id ("reuters-fin/20061020/...").
// Arguments, default corpora and exit statuses (0, 1 on error, 2 on bad usage, 77 when the
// corpus cannot be read) are shared with dateline_dump_main: tools/dateline_tool.h.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/dateline.h"
#include "core/dateline_eval.h"
#include "tools/dateline_tool.h"

int main(int argc, char** argv) {
  newsparse::DatelineToolArgs args;
  if (auto status = newsparse::ParseDatelineToolArgs(argc, argv, /*eval_flags=*/true, &args)) {
    return *status;
  }
  newsparse::DatelineToolInput input;
  if (auto status = newsparse::LoadDatelineToolInput(args, &input)) return *status;
  const bool no_gold = args.no_gold;
  const std::string& disagreements_path = args.disagreements_path;
  std::string disagreements;
  auto report = newsparse::EvalDatelines(*input.parser, input.docs, !no_gold,
                                         disagreements_path.empty() ? nullptr : &disagreements);
  if (!report.ok()) {
    std::cerr << report.status() << "\n";
    return newsparse::kToolError;
  }
  if (!disagreements_path.empty()) {
    std::ofstream out(disagreements_path, std::ios::binary);
    out << disagreements;
  }
  std::cout << (args.json ? report->ToJson(!no_gold) + "\n" : report->ToText(!no_gold));
  return 0;
}
