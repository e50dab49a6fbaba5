// Evaluation of entity consolidation and body dates against a project-written gold set
// (data/eval/entities_gold.jsonl, described in data/eval/README.md).
//
// Gold record, one JSON object per line:
//   {"id": "...", "date": "YYYY-MM-DD", "text": "...", "dateline": "BEIJING, March 14 (Xinhua) --",
//    "entities": [{"name": "Wang Yi", "type": "PER", "mentions": ["Wang Yi", "Wang"],
//                  "aliases": [], "titles": ["Chinese Foreign Minister"]}, ...],
//    "dates": [{"text": "Wednesday", "value": "2024-03-13"}, ...]}
// "dateline" (optional) must be a prefix of "text"; dates inside it are not scored (the dateline
// stage owns them). Entity mentions are exact surfaces, each occurrence, in text order per
// entity; the loader places all of them left to right (word-bounded, non-overlapping): at each
// step the earliest occurrence of any entity's next surface wins, the longer surface on a tie.
// Two entities whose next surface is the same occurrence are ambiguous: an optional "offsets"
// array (UTF-8 byte offsets, one per mention) on the entity resolves it, otherwise the record is
// refused. Gold dates are located left to right after the dateline by their "text".
//
// Scores (EntityScorer), micro-averaged over all documents:
// - B-cubed (Bagga & Baldwin 1998), mentions matched by exact span. For each predicted mention,
//   precision = |its predicted cluster ∩ its gold cluster| / |its predicted cluster|, averaged over
//   predicted mentions; for each gold mention, recall = |predicted ∩ gold cluster| / |gold
//   cluster|, averaged over gold mentions. A twinless mention (spurious, or missed) scores 0 on
//   its side and shrinks the intersections of its cluster mates. `b_cubed_union` is the common
//   variant over the union of both mention sets with a twinless mention as a singleton on the side
//   that lacks it (precision and recall averaged over the union); it is reported too, but note
//   that it credits an empty prediction with precision 1 and recall 1/|gold cluster| per mention.
// - Mention detection P/R/F1 by exact span.
// - Each gold entity maps to the predicted entity that holds most of its matched mentions (ties:
//   the earlier entity). Type accuracy: mapped gold entities whose predicted type is the gold
//   type. Alias accuracy: gold aliases found (case-insensitive, exact) on the mapped entity, over
//   all gold aliases. Title accuracy: gold titles found on the mapped entity after case folding
//   and white-space normalisation, over all gold titles; the lenient figure also accepts a title
//   that contains the gold one or is contained in it at word boundaries. Title precision: titles
//   of mapped entities that equal a gold title of their gold entity.
// - Dates: a gold date is detected by a predicted date whose span overlaps it; date accuracy is
//   the share of gold dates detected with exactly the gold value. Predicted dates inside the
//   dateline are ignored.
//
// Thread safety: plain values; an EntityScorer belongs to one thread.
#ifndef NEWSPARSE_CORE_ENTITIES_EVAL_H_
#define NEWSPARSE_CORE_ENTITIES_EVAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "core/article.h"
#include "core/tokenizer.h"

namespace newsparse {

struct GoldEntity {
  std::string name;
  EntityType type = EntityType::kMisc;
  std::vector<Span> mentions;  // located in the text, in order
  std::vector<std::string> aliases;
  std::vector<std::string> titles;
};

struct GoldDate {
  Span span;
  std::string value;
};

struct GoldDoc {
  std::string id;
  absl::CivilDay date;
  std::string text;
  uint32_t body_start = 0;  // length of the dateline prefix (0 without one)
  std::vector<GoldEntity> entities;
  std::vector<GoldDate> dates;
};

// Parses and validates one gold record. Errors: InvalidArgument naming the field and problem
// (bad JSON, missing or mistyped field, unknown type, a surface not found, ambiguity).
absl::StatusOr<GoldDoc> ParseGoldRecord(std::string_view line);

// Reads a gold JSONL file (blank lines skipped). Errors: NotFound when it cannot be opened;
// InvalidArgument "line N: ..." for a bad record; a duplicate id is an error.
absl::StatusOr<std::vector<GoldDoc>> LoadEntityGold(const std::string& path);

// "PER", "ORG", "LOC", "MISC" -> type; false for anything else.
bool ParseEntityType(std::string_view name, EntityType* type);

struct Prf {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct EntityEvalResult {
  int docs = 0;
  Prf b_cubed;        // strict: twinless mentions score 0
  Prf b_cubed_union;  // union with singletons
  Prf mentions;
  double type_accuracy = 0;
  double alias_accuracy = 0;
  double title_accuracy = 0;
  double title_accuracy_lenient = 0;
  double title_precision = 0;
  double date_accuracy = 0;
  Prf date_detection;
  // Counts behind the figures.
  int gold_mentions = 0, predicted_mentions = 0, matched_mentions = 0;
  int typed_entities = 0, gold_entities = 0;
  int gold_aliases = 0, gold_titles = 0, predicted_titles = 0;
  int gold_dates = 0, predicted_dates = 0, detected_dates = 0;
  // Disagreements, one line each, grouped by document ("[id] ...").
  std::vector<std::string> disagreements;
};

// Accumulates scores over documents. A ratio with an empty denominator is 1 when the numerator's
// side is empty too (nothing to find, nothing found) and 0 otherwise.
class EntityScorer {
 public:
  // Scores `predicted` (entities and dates of an Article parsed from gold.text) against `gold`.
  void Add(const GoldDoc& gold, const Article& predicted);
  EntityEvalResult Result() const;

 private:
  EntityEvalResult acc_;
  double bc_precision_sum_ = 0, bc_recall_sum_ = 0;  // union variant
  double strict_precision_sum_ = 0, strict_recall_sum_ = 0;
  int bc_elements_ = 0;
  int typed_correct_ = 0;
  int aliases_found_ = 0, titles_found_ = 0, titles_found_lenient_ = 0, titles_correct_ = 0;
  int dates_correct_ = 0, predicted_dates_detecting_ = 0;
};

// Oracle mentions: tokenizes gold.text, feeds the gold mentions with their gold types to
// Consolidate() and runs FindDates() with gold.date as reference, filling `out` (cleared first)
// with entities and dates. Measures consolidation and dates without a tagger.
void ParseWithOracleMentions(const GoldDoc& gold, Tokens* tokens, Article* out);

// {"docs", "b_cubed": {...}, "b_cubed_union": {...}, "mentions": {...}, "type_accuracy",
// "alias_accuracy",
//  "title_accuracy", "title_accuracy_lenient", "title_precision", "date_accuracy",
//  "date_detection": {...}, "counts": {...}} on one line.
std::string EntityEvalJson(const EntityEvalResult& r);

// A readable summary followed by the disagreements per document.
std::string EntityEvalReport(const EntityEvalResult& r);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_ENTITIES_EVAL_H_
