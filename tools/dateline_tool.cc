// The dateline drivers' shared arguments and loading. See dateline_tool.h.
#include "tools/dateline_tool.h"

#include <iostream>
#include <string_view>
#include <utility>

namespace newsparse {

std::optional<int> ParseDatelineToolArgs(int argc, char** argv, bool eval_flags,
                                         DatelineToolArgs* args) {
  const std::string shared = std::string(NEWSPARSE_SOURCE_DATA_DIR) + "/../../shared/data";
  args->data_dir = NEWSPARSE_SOURCE_DATA_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::string* value = nullptr;
    if (a == "--corpus") {
      value = &args->corpus;
    } else if (a == "--data") {
      value = &args->data_dir;
    } else if (eval_flags && a == "--disagreements") {
      value = &args->disagreements_path;
    } else if (a == "--no-gold") {
      args->no_gold = true;
      continue;
    } else if (eval_flags && a == "--json") {
      args->json = true;
      continue;
    } else {
      std::cerr << "usage: " << argv[0] << " [--corpus PATH] [--no-gold]"
                << (eval_flags ? " [--json] [--disagreements PATH]" : "") << " [--data DIR]\n";
      return kToolUsage;
    }
    if (i + 1 >= argc) {
      std::cerr << a << " needs a value\n";
      return kToolUsage;
    }
    *value = argv[++i];
  }
  if (args->corpus.empty()) {
    args->corpus = args->no_gold ? shared + "/reuters2006/reuters_2006_2013.jsonl.gz"
                                 : shared + "/reuters21578/reuters21578.jsonl.gz";
  }
  return std::nullopt;
}

std::optional<int> LoadDatelineToolInput(const DatelineToolArgs& args, DatelineToolInput* input) {
  auto parser = DatelineParser::Create(args.data_dir);
  if (!parser.ok()) {
    std::cerr << parser.status() << "\n";
    return kToolError;
  }
  input->parser = std::move(*parser);
  size_t bad = 0;
  auto docs = LoadDatelineEvalDocs(args.corpus, !args.no_gold, &bad);
  if (!docs.ok()) {
    std::cerr << "cannot read " << args.corpus << "\n";
    return kToolSkipped;
  }
  if (bad > 0) std::cerr << bad << " malformed JSON lines skipped\n";
  input->docs = std::move(*docs);
  return std::nullopt;
}

}  // namespace newsparse
