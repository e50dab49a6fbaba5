// What the dateline command-line drivers (dateline_eval_main, dateline_dump_main) share: their
// arguments, the default corpora, and loading the parser and the corpus.
//
//   [--corpus PATH] [--no-gold] [--data DIR]          both tools
//   [--json] [--disagreements PATH]                    dateline_eval_main only
//
// Default corpus: ../shared/data/reuters21578/reuters21578.jsonl.gz beside the checkout, or with
// --no-gold ../shared/data/reuters2006/reuters_2006_2013.jsonl.gz. Default data: the project's
// data/ folder. Exit statuses shared by the tools: 0 success, 1 error, 2 bad usage, 77 (ctest's
// SKIP_RETURN_CODE) when the corpus cannot be read.
#ifndef NEWSPARSE_TOOLS_DATELINE_TOOL_H_
#define NEWSPARSE_TOOLS_DATELINE_TOOL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dateline.h"
#include "core/dateline_eval.h"

namespace newsparse {

inline constexpr int kToolError = 1;
inline constexpr int kToolUsage = 2;
inline constexpr int kToolSkipped = 77;

struct DatelineToolArgs {
  std::string corpus;    // the default corpus when not given
  std::string data_dir;  // the project's data/ when not given
  bool no_gold = false;
  bool json = false;               // eval only
  std::string disagreements_path;  // eval only; empty: none
};

// Reads argv; `eval_flags` admits --json and --disagreements. On bad usage prints the usage line
// (or which flag lacks its value) to stderr and returns kToolUsage; nullopt on success.
std::optional<int> ParseDatelineToolArgs(int argc, char** argv, bool eval_flags,
                                         DatelineToolArgs* args);

struct DatelineToolInput {
  std::unique_ptr<DatelineParser> parser;
  std::vector<DatelineEvalDoc> docs;
};

// Creates the parser from args.data_dir and loads args.corpus (with gold unless --no-gold),
// reporting skipped malformed lines on stderr. On failure prints why to stderr and returns the
// exit status (kToolError for the parser, kToolSkipped for the corpus); nullopt on success.
std::optional<int> LoadDatelineToolInput(const DatelineToolArgs& args, DatelineToolInput* input);

}  // namespace newsparse

#endif  // NEWSPARSE_TOOLS_DATELINE_TOOL_H_
