// The attribution span model loader (data/attribution_span.model, see core/attribution_span.h):
// any corrupt or truncated image must give an error status, never a crash; an image that loads
// must label a written sentence with valid labels.
//
// Input: byte 0, bit 0 = 1: the trailing CRC32 of the rest is recomputed (replacing its last four
// bytes, or appended when it is shorter), so that the checks behind the checksum are reached too;
// the rest of the input is the model image.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/attribution_span.h"
#include "core/tokenizer.h"
#include "fuzz/model_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string image = newsparse::fuzz::ModelImage(data, size);
  auto model = newsparse::ParseSpanModel(image);
  if (!model.ok()) return 0;
  static const std::string kText = "The council, in a long letter, said the road will close.";
  newsparse::Tokens tokens;
  newsparse::Tokenize(kText, &tokens);
  uint32_t cue = 0;
  while (cue < tokens.tokens.size() && newsparse::TokenText(kText, tokens.tokens[cue]) != "said") {
    ++cue;
  }
  if (cue == tokens.tokens.size()) std::abort();
  const newsparse::SpanWindow w = newsparse::MakeSpanWindow(kText, tokens, nullptr, cue, cue);
  newsparse::SpanBetween between;
  std::vector<uint8_t> labels;
  model->Tag(w, &between, &labels);
  if (labels.size() != w.end - w.begin) std::abort();
  for (uint8_t l : labels) {
    if (l >= newsparse::kNumSpanLabels) std::abort();
  }
  newsparse::SpanRuns runs;
  newsparse::ReadSpanRuns(w, labels, 1, &runs);
  for (const auto& [b, e] : runs.content) {
    if (b > e || e >= w.end || b < w.begin) std::abort();
  }
  return 0;
}
