// The reference tokenizer (the straightforward implementation the fast one replaced): same
// contract and output as newsparse::Tokenize in core/tokenizer.h. For benchmarks and checks only.
// Thread safety: a pure function of its input.
#ifndef NEWSPARSE_BENCHMARKS_TOKENIZER_REFERENCE_H_
#define NEWSPARSE_BENCHMARKS_TOKENIZER_REFERENCE_H_

#include <string_view>

#include "core/tokenizer.h"

namespace newsparse {
namespace reference {

// Tokenizes `text` into `out` exactly as core/tokenizer.cc did at commit 6785219.
void ReferenceTokenize(std::string_view text, Tokens* out);

}  // namespace reference
}  // namespace newsparse

#endif  // NEWSPARSE_BENCHMARKS_TOKENIZER_REFERENCE_H_
