// The whole pipeline on arbitrary bytes: every stage, JSON output that is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "core/text.h"

namespace {
const newsparse::Engine* engine = nullptr;
newsparse::Workspace* ws = nullptr;
}  // namespace

// The data takes seconds to load in an instrumented build: loaded before the timed runs, so that
// a loaded machine cannot turn the first input into a time-out.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto e = newsparse::Engine::Create({});
  if (!e.ok()) std::abort();
  engine = e->release();
  ws = new newsparse::Workspace();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  newsparse::ParseOptions options;
  options.reference_date = absl::CivilDay(2023, 2, 23);
  std::string out;
  engine->ParseToJson(text, options, "", ws, &out);
  if (out.empty() || !newsparse::ValidateUtf8(out).ok()) std::abort();
  return 0;
}
