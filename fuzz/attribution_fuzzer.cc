// The attribution finder alone, on tokenized arbitrary bytes, with and without entity clusters.
// Byte 0 bit 0: give the finder entities (every capitalised ASCII token run made a mention and
// consolidated), else none. The rest is the text. Checks: cue, source, resolved source and
// content spans lie in the text, cues in text order, entity links in range.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "core/attribution.h"
#include "core/consolidation.h"
#include "core/engine.h"
#include "core/tokenizer.h"
#include "fuzz/span_check.h"

using newsparse::fuzz::CheckSpan;

namespace {
const newsparse::AttributionFinder* finder = nullptr;
newsparse::AttributionScratch* scratch = nullptr;
}  // namespace

// The lexicon and cue model are loaded before the timed runs.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto f = newsparse::AttributionFinder::Create(newsparse::DefaultDataDir());
  if (!f.ok()) std::abort();
  finder = f->release();
  scratch = new newsparse::AttributionScratch();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  newsparse::Tokens tokens;
  newsparse::Tokenize(text, &tokens);

  std::vector<newsparse::Entity> entities;
  if (data[0] & 1) {
    std::vector<newsparse::Mention> mentions;
    for (size_t i = 0; i < tokens.tokens.size();) {
      size_t j = i;
      while (j < tokens.tokens.size() && text[tokens.tokens[j].begin] >= 'A' &&
             text[tokens.tokens[j].begin] <= 'Z') {
        ++j;
      }
      if (j > i) {
        newsparse::Mention m;
        m.span = {tokens.tokens[i].begin, tokens.tokens[j - 1].end};
        m.type = static_cast<newsparse::EntityType>(j % 4);
        mentions.push_back(m);
        i = j;
      } else {
        ++i;
      }
    }
    newsparse::Consolidate(text, tokens, &mentions, &entities);
  }

  std::vector<newsparse::Attribution> out;
  finder->Find(text, tokens, entities, scratch, &out);
  uint32_t last_cue = 0;
  for (const newsparse::Attribution& a : out) {
    CheckSpan(a.cue, text);
    if (a.cue.begin < last_cue) std::abort();
    last_cue = a.cue.begin;
    if (a.source) {
      CheckSpan(a.source->span, text);
      if (a.source->entity && *a.source->entity >= entities.size()) std::abort();
      if (a.source->resolved) CheckSpan(*a.source->resolved, text);
    }
    for (const newsparse::Span& c : a.content) CheckSpan(c, text);
  }
  return 0;
}
