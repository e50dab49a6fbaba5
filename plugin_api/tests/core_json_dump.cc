// core_json_dump FILE...: the C++ core's own JSON form of each file (one line each, "id": null),
// for the parity test of the C host (installed_host_parity.sh). No plugin code is involved.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "core/engine.h"

int main(int argc, char** argv) {
  auto engine = newsparse::Engine::Create({});
  if (!engine.ok()) {
    std::cerr << "core_json_dump: " << engine.status() << "\n";
    return 1;
  }
  newsparse::Workspace ws;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << "core_json_dump: cannot open " << argv[i] << "\n";
      return 1;
    }
    std::stringstream s;
    s << in.rdbuf();
    const std::string text = s.str();
    std::string out;
    (*engine)->ParseToJson(text, newsparse::ParseOptions(), "", &ws, &out);
    std::cout << out << "\n";
  }
  return 0;
}
