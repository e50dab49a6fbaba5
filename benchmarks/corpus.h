// What the benchmarks share: corpus paths (the readers live in core/corpus.h) and one engine.
#ifndef NEWSPARSE_BENCHMARKS_CORPUS_H_
#define NEWSPARSE_BENCHMARKS_CORPUS_H_

#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/engine.h"

namespace newsparse {

// $NEWSPARSE_SHARED_DATA, else ../shared/data beside the source checkout.
std::string SharedDataDir();

// The texts of the first 20,000 reuters2006 articles, loaded once (before any timing); nullptr
// (with a message on stderr) when the corpus is absent.
const std::vector<std::string>* Reuters2006Texts();

// One engine with the default options (the data folder beside the sources), created on first use
// and never freed; nullptr (with the reason on stderr) when it cannot be created.
const Engine* SharedEngine();

}  // namespace newsparse

#endif  // NEWSPARSE_BENCHMARKS_CORPUS_H_
