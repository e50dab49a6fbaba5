// Entity consolidation alone (clusters, aliases, titles) on tokenized arbitrary bytes, with
// mentions chosen by the fuzzer. Byte 0 = k, the number of control bytes that follow (at most
// what the input holds); control byte i decides token i: (c & 3) == 0 starts no mention, else a
// mention of 1 + ((c >> 2) & 3) tokens and type (c >> 4) & 3 starts there (mentions never
// overlap). The rest is the text. Checks: entity ids are their indices, every entity mention
// lies in the text and its cluster's mentions are in text order, every input mention belongs to
// exactly one entity, names are non-empty.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/consolidation.h"
#include "core/tokenizer.h"
#include "fuzz/span_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t k = std::min<size_t>(data[0], size - 1);
  const uint8_t* control = data + 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 1 + k), size - 1 - k);
  newsparse::Tokens tokens;
  newsparse::Tokenize(text, &tokens);

  std::vector<newsparse::Mention> mentions;
  const size_t n = tokens.tokens.size();
  for (size_t i = 0; i < n && i < k;) {
    const uint8_t c = control[i];
    if ((c & 3) == 0) {
      ++i;
      continue;
    }
    const size_t j = std::min(n, i + 1 + ((c >> 2) & 3));
    newsparse::Mention m;
    m.span = {tokens.tokens[i].begin, tokens.tokens[j - 1].end};
    m.type = static_cast<newsparse::EntityType>((c >> 4) & 3);
    mentions.push_back(m);
    i = j;
  }
  const std::vector<newsparse::Mention> input = mentions;

  std::vector<newsparse::Entity> entities;
  newsparse::Consolidate(text, tokens, &mentions, &entities);
  if (mentions.size() != input.size()) std::abort();
  std::vector<int> owners(input.size(), 0);
  for (size_t e = 0; e < entities.size(); ++e) {
    const newsparse::Entity& entity = entities[e];
    if (entity.id != e || entity.name.empty() || entity.mentions.empty()) std::abort();
    uint32_t last = 0;
    for (const newsparse::Span& s : entity.mentions) {
      newsparse::fuzz::CheckSpan(s, text);
      if (s.begin < last) std::abort();
      last = s.end;
      for (size_t m = 0; m < input.size(); ++m) {
        if (input[m].span == s) ++owners[m];
      }
    }
  }
  for (size_t m = 0; m < input.size(); ++m) {
    if (!(mentions[m].span == input[m].span)) std::abort();
    if (owners[m] != 1) std::abort();
  }
  return 0;
}
