// Evaluation of the AttributionFinder against PolNeAR-style gold annotations.
//
// Input: a JSON Lines file (optionally gzip-compressed), one record per article and annotator:
//   {"text": "...", "primary": true, "attributions": [{"cue": [{"start", "end", "text"}],
//    "source": [...], "content": [...]}]}
// with Python str (code point) offsets. Only records with "primary": true are scored.
//
// Scoring: each predicted attribution is matched one-to-one to a gold attribution whose cue it
// overlaps (greedily, largest overlap first). Spans are compared as sets of word tokens (maximal
// runs of letters, digits and combining marks), so punctuation, quote marks and white space at
// either end never matter: "exact" means the same word tokens, which is the same span after
// trimming punctuation and quote marks. For each of cue, source and content:
//   exact:   TP = matched pairs whose field is exactly equal; P = TP / predictions with that
//            field, R = TP / gold attributions with that field.
//   overlap: token-level (as BBC citron's evaluation): P = shared tokens of matched pairs / all
//            predicted tokens, R = shared tokens / all gold tokens (unmatched spans count fully).
// all_exact: matched pairs whose cue, content and source (both absent, or equal) are all exact;
//            P = TP / predictions, R = TP / gold attributions.
//
// Thread safety: a pure function of its inputs (the finder is shared read-only).
#ifndef NEWSPARSE_CORE_ATTRIBUTION_EVAL_H_
#define NEWSPARSE_CORE_ATTRIBUTION_EVAL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/attribution.h"

namespace newsparse {

struct Prf {
  double tp = 0;
  double predicted = 0;  // denominators of precision and recall
  double gold = 0;
  double precision() const { return predicted > 0 ? tp / predicted : 0; }
  double recall() const { return gold > 0 ? tp / gold : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

struct FieldScores {
  Prf exact;
  // For overlap, tp counts the word tokens shared by matched pairs, predicted / gold count all
  // predicted / gold word tokens.
  Prf overlap;
};

struct AttributionEvalResult {
  FieldScores cue, source, content;
  Prf all_exact;
  int articles = 0;
  int gold = 0;
  int predicted = 0;
  int matched = 0;
  // EvaluateAgreement only: the annotations scored against their article's primary one.
  int comparisons = 0;
  // Error kinds seen (e.g. "missed: cue word not in lexicon"), with their counts.
  std::map<std::string, int> error_kinds;
};

// Scores `finder` on the primary records of `path`. When `errors_path` is not empty, writes every
// disagreement there (one block per article, for reading). With `multi_annotated_only`, scores
// only the articles that another annotator annotated too (the articles EvaluateAgreement scores,
// for a like-for-like comparison with the annotators). Errors: NotFound / DataLoss when the file
// cannot be read or a line is not valid JSON of the expected shape.
absl::StatusOr<AttributionEvalResult> EvaluateAttributions(const AttributionFinder& finder,
                                                           const std::string& path,
                                                           const std::string& errors_path,
                                                           bool multi_annotated_only = false);

// Inter-annotator agreement with the same scorer: every record that is not primary (another
// annotator's annotation of an article) is scored as a prediction against the primary record of
// the same article id; records without a primary record of their id are skipped. `articles` counts
// the distinct articles, `comparisons` the annotations scored. This is the human ceiling of the
// figures EvaluateAttributions gives. Errors: as EvaluateAttributions, and DataLoss when two
// records of one id disagree on the text.
absl::StatusOr<AttributionEvalResult> EvaluateAgreement(const std::string& path);

// The primary gold articles of a PolNeAR-format file with the byte spans of their gold cues (for
// training the cue model). Errors as EvaluateAttributions.
struct GoldAttributionSpans {
  std::vector<Span> cue, source, content;  // the pieces of each field, as UTF-8 byte spans
};
struct GoldCueArticle {
  std::string text;
  std::vector<Span> cues;  // every piece of every gold cue, as UTF-8 byte spans
  std::vector<GoldAttributionSpans> attributions;  // every gold attribution, in file order
};
absl::StatusOr<std::vector<GoldCueArticle>> ReadGoldCues(const std::string& path);

// {"cue": {"exact": {"precision", "recall", "f1"}, "overlap": {...}}, "source": ...,
//  "content": ..., "all_exact": {...}, "articles", "gold", "predicted", "matched"}, and
//  "comparisons" when it is not zero (EvaluateAgreement)
std::string AttributionEvalJson(const AttributionEvalResult& r);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ATTRIBUTION_EVAL_H_
