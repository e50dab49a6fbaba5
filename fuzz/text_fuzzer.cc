// The text layer: tokenizer invariants, offsets and JSON escaping on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/text.h"
#include "core/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  newsparse::Tokens tokens;
  newsparse::Tokenize(text, &tokens);
  uint32_t last = 0;
  for (const newsparse::Token& t : tokens.tokens) {
    if (t.begin < last || t.end <= t.begin || t.end > size) std::abort();
    last = t.end;
  }
  uint32_t covered = 0;
  for (const newsparse::TokenRange& r : tokens.sentences) {
    if (r.begin != covered || r.end <= r.begin) std::abort();
    covered = r.end;
  }
  if (covered != tokens.tokens.size()) std::abort();
  newsparse::OffsetMap offsets;
  offsets.Reset(text);
  uint32_t prev = 0;
  for (uint32_t b = 0; b <= size; ++b) {
    const uint32_t cp = offsets.ToCodePoint(b);
    if (cp < prev || cp > size) std::abort();
    prev = cp;
  }
  std::string escaped;
  newsparse::AppendJsonEscaped(text, &escaped);
  if (!newsparse::ValidateUtf8(escaped).ok()) std::abort();
  return 0;
}
