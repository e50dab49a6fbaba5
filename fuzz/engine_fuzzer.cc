// The whole pipeline on arbitrary bytes: every stage, JSON output that is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const newsparse::Engine* engine = [] {
    auto e = newsparse::Engine::Create({});
    if (!e.ok()) std::abort();
    return e->release();
  }();
  static newsparse::Workspace* ws = new newsparse::Workspace();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  newsparse::ParseOptions options;
  options.reference_date = absl::CivilDay(2023, 2, 23);
  std::string out;
  engine->ParseToJson(text, options, "", ws, &out);
  if (out.empty() || !newsparse::ValidateUtf8(out).ok()) std::abort();
  return 0;
}
