// Corpus paths for benchmarks; the readers live in core/corpus.h.
#ifndef NEWSPARSE_BENCHMARKS_CORPUS_H_
#define NEWSPARSE_BENCHMARKS_CORPUS_H_

#include <string>

#include "core/corpus.h"

namespace newsparse {

// $NEWSPARSE_SHARED_DATA, else ../shared/data beside the source checkout.
std::string SharedDataDir();

}  // namespace newsparse

#endif  // NEWSPARSE_BENCHMARKS_CORPUS_H_
