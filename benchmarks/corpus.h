// Corpus paths for benchmarks; the readers live in core/corpus.h.
#ifndef NEWSPARSE_BENCHMARKS_CORPUS_H_
#define NEWSPARSE_BENCHMARKS_CORPUS_H_

#include <string>
#include <vector>

#include "core/corpus.h"

namespace newsparse {

// $NEWSPARSE_SHARED_DATA, else ../shared/data beside the source checkout.
std::string SharedDataDir();

// The texts of the first 20,000 reuters2006 articles, loaded once (before any timing); nullptr
// (with a message on stderr) when the corpus is absent.
const std::vector<std::string>* Reuters2006Texts();

}  // namespace newsparse

#endif  // NEWSPARSE_BENCHMARKS_CORPUS_H_
