#include "benchmarks/corpus.h"

#include <cstdio>
#include <cstdlib>

namespace newsparse {

std::string SharedDataDir() {
  if (const char* env = std::getenv("NEWSPARSE_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return NEWSPARSE_DEFAULT_SHARED_DATA;
}

const std::vector<std::string>* Reuters2006Texts() {
  static const std::vector<std::string>* corpus = [] {
    auto texts =
        LoadCorpusTexts(SharedDataDir() + "/reuters2006/reuters_2006_2013.jsonl.gz", "text", 20000);
    if (!texts.ok()) {
      std::fprintf(stderr, "corpus unavailable: %s\n", texts.status().ToString().c_str());
      return static_cast<std::vector<std::string>*>(nullptr);
    }
    return new std::vector<std::string>(std::move(*texts));
  }();
  return corpus;
}

const Engine* SharedEngine() {
  static const Engine* engine = [] {
    auto e = Engine::Create({});
    if (!e.ok()) {
      std::fprintf(stderr, "engine: %s\n", e.status().ToString().c_str());
      return static_cast<Engine*>(nullptr);
    }
    return e->release();
  }();
  return engine;
}

}  // namespace newsparse
