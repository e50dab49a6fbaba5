// Evaluation of the dateline parser against a corpus: has-dateline precision and recall, place
// and date exact match against gold datelines (Reuters-21578), or coverage figures on a corpus
// without gold (Reuters 2006-2013 web copy).
//
// Thread safety: pure functions; the parser is shared read-only.
#ifndef NEWSPARSE_CORE_DATELINE_EVAL_H_
#define NEWSPARSE_CORE_DATELINE_EVAL_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/dateline.h"

namespace newsparse {

struct DatelineEvalDoc {
  std::string id;
  std::string text;                         // what the parser sees
  std::optional<std::string> gold;          // gold dateline as written ("SALVADOR, Feb 26 -")
  std::optional<absl::CivilDay> reference;  // story date: resolves the dateline's month-day
};

struct DatelineEvalReport {
  size_t docs = 0;
  size_t found = 0;  // documents where the parser found a dateline
  // With gold.
  size_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision = 0, recall = 0;
  size_t place_total = 0, place_exact = 0;  // over gold datelines
  size_t date_total = 0, date_exact = 0;    // over gold datelines with a readable month-day
  double place_exact_rate = 0, date_exact_rate = 0;
  // Without gold.
  std::map<std::string, size_t> agencies;  // canonical source name -> documents
  size_t reuters_headed = 0;               // first 300 bytes hold "(Reuters)"
  size_t reuters_headed_found = 0;
  // Credits (ParseCredits on every document): kind -> count, and documents whose source came
  // from a credit only.
  std::map<std::string, size_t> credit_kinds;
  size_t source_from_credits = 0;

  // {"docs", "has_dateline": {"precision", "recall"}, "place_exact", "date_exact"} with gold,
  // {"docs", "found_share", "reuters_headed", "reuters_headed_found_share", "agencies"} without.
  std::string ToJson(bool has_gold) const;
  // A few human-readable lines (the JSON form leaves the credit figures out).
  std::string ToText(bool has_gold) const;
};

// The place and the month-day of a gold dateline: "MIZATA, El Salvador/LONDON, Nov 22 -" ->
// place "MIZATA, El Salvador/LONDON", month 11, day 22. `month` is 0 when no date is readable.
struct GoldDateline {
  std::string place;
  int month = 0;
  int day = 0;
};
GoldDateline ParseGoldDateline(const DatelineParser& parser, std::string_view gold);

// Runs the parser on every document. With `has_gold`, a document with `gold` set is a positive;
// without, only coverage is measured. When `disagreements` is not null, one tab-separated line
// per disagreement is appended: id, kind (missed/spurious/place/date/not_found), gold, found,
// the first 100 bytes of the text. Errors: InvalidArgument when `docs` is empty.
absl::StatusOr<DatelineEvalReport> EvalDatelines(const DatelineParser& parser,
                                                 const std::vector<DatelineEvalDoc>& docs,
                                                 bool has_gold, std::string* disagreements);

// Reads the evaluation documents of a JSON Lines corpus (gzip or plain). With `has_gold`
// (Reuters-21578 shape): every record with a non-empty "text" and "body"; "dateline" is the gold,
// "date_iso" (YYYY-MM-DD) the reference date. Without (reuters2006 shape): every record with a
// non-empty "text"; the reference date is the YYYYMMDD segment after the first '/' of "id"
// ("reuters-fin/20061020/..."). Malformed JSON lines are skipped and counted in `malformed` (may
// be null). Errors: NotFound / DataLoss when the file cannot be read.
absl::StatusOr<std::vector<DatelineEvalDoc>> LoadDatelineEvalDocs(const std::string& path,
                                                                  bool has_gold, size_t* malformed);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_DATELINE_EVAL_H_
