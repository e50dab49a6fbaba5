// The entity gold-record reader and the scorer: any line is either a gold record whose mentions
// and dates lie inside its text, in order and word-bounded, or an InvalidArgument error; a record
// that loads runs through Consolidate(), the dates stage and the scorer without a crash, and its
// scores stay within [0, 1].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/entities_eval.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<newsparse::GoldDoc> doc = newsparse::ParseGoldRecord(line);
  if (!doc.ok()) {
    if (doc.status().code() != absl::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  for (const newsparse::GoldEntity& e : doc->entities) {
    uint32_t last_end = 0;
    for (const newsparse::Span& s : e.mentions) {
      if (s.empty() || s.end > doc->text.size() || s.begin < last_end) std::abort();
      last_end = s.end;
    }
  }
  newsparse::Tokens tokens;
  newsparse::Article article;
  newsparse::ParseWithOracleMentions(*doc, &tokens, &article);
  newsparse::EntityScorer scorer;
  scorer.Add(*doc, article);
  const newsparse::EntityEvalResult r = scorer.Result();
  for (double v : {r.b_cubed.f1, r.b_cubed_union.f1, r.mentions.f1, r.alias_accuracy,
                   r.title_accuracy, r.date_accuracy}) {
    if (!(v >= 0 && v <= 1)) std::abort();
  }
  return 0;
}
