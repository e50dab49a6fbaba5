#include "benchmarks/corpus.h"

#include <cstdlib>

namespace newsparse {

std::string SharedDataDir() {
  if (const char* env = std::getenv("NEWSPARSE_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  return NEWSPARSE_DEFAULT_SHARED_DATA;
}

}  // namespace newsparse
