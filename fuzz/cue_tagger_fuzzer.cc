// The cue tagger model loader (data/attribution_cue_tagger.model, see core/cue_tagger.h): any
// corrupt or truncated image must give an error status, never a crash; an image that loads must
// tag a written text with valid BIO labels and serialize to an image that loads again.
//
// Input: byte 0, bit 0 = 1: the trailing CRC32 of the rest is recomputed (replacing its last four
// bytes, or appended when it is shorter), so that the checks behind the checksum are reached too;
// the rest of the input is the model image.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/attribution.h"
#include "core/cue_tagger.h"
#include "core/tokenizer.h"
#include "fuzz/model_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string image = newsparse::fuzz::ModelImage(data, size);
  auto model = newsparse::ParseCueTagger(image);
  if (!model.ok()) return 0;
  if ((model->flags & ~newsparse::kCueKnownFeatures) != 0) std::abort();

  static const std::string kText =
      "The mayor said on Monday, according to aides, that \"the bridge will reopen,\" and "
      "warned drivers.";
  newsparse::Tokens tokens;
  newsparse::Tokenize(kText, &tokens);
  std::vector<newsparse::QuoteSpan> quotes;
  newsparse::PairQuotes(kText, tokens, &quotes);
  std::vector<int32_t> quote_of(tokens.tokens.size(), -1);
  for (uint32_t q = 0; q < quotes.size(); ++q) {
    for (uint32_t k = quotes[q].open; k <= quotes[q].close; ++k) quote_of[k] = q;
  }
  newsparse::CueTaggerTables tables;
  newsparse::BuildCueTaggerTables(kText, tokens, quote_of, &tables);
  for (size_t i = 0; i < tables.lex.size(); ++i) {  // a few lexicon bytes, as the finder sets
    tables.lex[i] = newsparse::TokenText(kText, tokens.tokens[i]) == "said"
                        ? newsparse::CueLexiconByte(90, 100, true)
                        : 0;
  }
  const newsparse::CueTaggerInput in = tables.Input(kText, tokens);
  std::vector<uint8_t> labels;
  newsparse::TagCueLabels(*model, in, &labels);
  if (labels.size() != tokens.tokens.size()) std::abort();
  int prev = newsparse::kCueO;
  for (uint32_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= newsparse::kCueLabels) std::abort();
    if (!newsparse::CueTaggable(in, i) && labels[i] != newsparse::kCueO) std::abort();
    if (newsparse::CueTaggable(in, i) && !newsparse::CueLabelAllowed(prev, labels[i])) {
      std::abort();
    }
    prev = newsparse::CueTaggable(in, i) ? labels[i] : newsparse::kCueO;
  }
  if (!newsparse::ParseCueTagger(newsparse::SerializeCueTagger(*model)).ok()) std::abort();
  return 0;
}
