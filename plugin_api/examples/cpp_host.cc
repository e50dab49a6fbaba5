// cpp_host: a C++ host that links newsparse::newsparse (find_package(newsparse 1)) and uses the
// header-only RAII wrapper newsparse.hpp. Parses each file named on the command line and prints
// what it found, with the text of every span.
//
//   cpp_host [--data-dir DIR] FILE...
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "newsparse/newsparse.hpp"

namespace np = newsparse::plugin;

int main(int argc, char** argv) {
  int first = 1;
  std::string data_dir;
  if (argc > 2 && std::string(argv[1]) == "--data-dir") {
    data_dir = argv[2];
    first = 3;
  }
  try {
    const np::Engine engine = np::Engine::Open(data_dir);
    np::Workspace ws = engine.NewWorkspace();
    int failures = 0;
    for (int i = first; i < argc; ++i) {
      std::ifstream in(argv[i], std::ios::binary);
      if (!in) {
        std::cerr << "cpp_host: cannot open " << argv[i] << "\n";
        ++failures;
        continue;
      }
      std::stringstream buffer;
      buffer << in.rdbuf();
      const std::string text = buffer.str();
      np::Result r = engine.Parse(ws, text);
      std::cout << argv[i] << ": " << text.size() << " bytes";
      if (const newsparse_dateline* d = r.dateline()) {
        std::cout << ", dateline \"" << np::Slice(text, d->span) << "\"";
      }
      std::cout << ", " << r.credits().size() << " credits, " << r.mentions().size()
                << " mentions, " << r.entities().size() << " entities, " << r.attributions().size()
                << " attributions, " << r.dates().size() << " dates\n";
      for (const newsparse_entity& e : r.entities()) {
        std::cout << "  entity " << e.id << " " << np::ToStringView(e.name) << ":";
        for (uint32_t k = 0; k < e.mentions_count; ++k) {
          const newsparse_mention& m = r.mentions()[r.indices()[e.mentions_begin + k]];
          std::cout << " \"" << np::Slice(text, m.span) << "\"";
        }
        std::cout << "\n";
      }
      for (const newsparse_attribution& a : r.attributions()) {
        std::cout << "  " << np::Slice(text, a.source) << " / " << np::Slice(text, a.cue) << "\n";
      }
      const std::string_view json = r.Json(text);
      if (json.empty()) ++failures;
    }
    return failures == 0 ? 0 : 1;
  } catch (const np::Error& e) {
    std::cerr << "cpp_host: " << e.what() << " (code " << e.code() << ")\n";
    return 1;
  }
}
