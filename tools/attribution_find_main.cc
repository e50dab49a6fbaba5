// Prints the attributions found in a plain text read from stdin (or the file named by the first
// argument): one block per attribution with its kind, cue, source (and what a pronoun or role
// phrase resolves to) and content. For reading and debugging the rules.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/attribution.h"
#include "core/engine.h"
#include "core/tokenizer.h"

int main(int argc, char** argv) {
  std::stringstream ss;
  if (argc > 1) {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "cannot open %s\n", argv[1]);
      return 1;
    }
    ss << in.rdbuf();
  } else {
    ss << std::cin.rdbuf();
  }
  const std::string text = ss.str();
  auto finder = newsparse::AttributionFinder::Create(newsparse::DefaultDataDir());
  if (!finder.ok()) {
    std::fprintf(stderr, "%s\n", std::string(finder.status().message()).c_str());
    return 1;
  }
  newsparse::Tokens tokens;
  newsparse::Tokenize(text, &tokens);
  newsparse::AttributionScratch scratch;
  std::vector<newsparse::Attribution> out;
  (*finder)->Find(text, tokens, {}, &scratch, &out);
  for (const newsparse::Attribution& a : out) {
    std::cout << newsparse::AttributionKindName(a.kind) << "  cue=["
              << newsparse::Slice(text, a.cue) << "]";
    if (a.source) {
      std::cout << "  source=[" << newsparse::Slice(text, a.source->span) << "]";
      if (a.source->resolved) {
        std::cout << " -> [" << newsparse::Slice(text, *a.source->resolved) << "]";
      }
    }
    std::cout << "\n  content:";
    for (const newsparse::Span& s : a.content)
      std::cout << " [" << newsparse::Slice(text, s) << "]";
    std::cout << "\n";
  }
  return 0;
}
