// entities_eval: scores entity consolidation and body dates against a gold set
// (core/entities_eval.h; the shipped one is data/eval/entities_gold.jsonl).
//
//   entities_eval --gold data/eval/entities_gold.jsonl [--oracle-mentions] [--json]
//                 [--report PATH]
//
// Without --oracle-mentions the full engine parses each article (reference date = the gold
// date) and its entities and dates are scored. With it, the gold mentions and types go straight
// to Consolidate() and the dates stage runs alone: this measures consolidation and dates without
// a tagger. Prints the summary (or one JSON line with --json) on stdout; --report writes the
// summary with every disagreement to PATH. Exit status: 0 on success, 1 on a usage or data error.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "core/engine.h"
#include "core/entities_eval.h"
#include "core/status.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: entities_eval --gold PATH [--json] [--oracle-mentions] [--report PATH]\n");
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace newsparse;
  std::string gold_path, report_path;
  bool json = false, oracle = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--gold" && i + 1 < argc) {
      gold_path = argv[++i];
    } else if (a == "--report" && i + 1 < argc) {
      report_path = argv[++i];
    } else if (a == "--json") {
      json = true;
    } else if (a == "--oracle-mentions") {
      oracle = true;
    } else {
      return Usage();
    }
  }
  if (gold_path.empty()) return Usage();
  absl::StatusOr<std::vector<GoldDoc>> gold = LoadEntityGold(gold_path);
  if (!gold.ok()) {
    std::fprintf(stderr, "entities_eval: %s\n", std::string(gold.status().message()).c_str());
    return 1;
  }
  EntityScorer scorer;
  Article article;
  if (oracle) {
    Tokens tokens;
    for (const GoldDoc& doc : *gold) {
      ParseWithOracleMentions(doc, &tokens, &article);
      scorer.Add(doc, article);
    }
  } else {
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create({});
    if (!engine.ok()) {
      std::fprintf(stderr, "entities_eval: %s\n", std::string(engine.status().message()).c_str());
      return 1;
    }
    Workspace ws;
    for (const GoldDoc& doc : *gold) {
      ParseOptions options;
      options.reference_date = doc.date;
      const absl::Status s = (*engine)->Parse(doc.text, options, &ws, &article);
      if (!s.ok()) {
        std::fprintf(stderr, "entities_eval: %s: %s\n", doc.id.c_str(),
                     std::string(s.message()).c_str());
        return 1;
      }
      scorer.Add(doc, article);
    }
  }
  const EntityEvalResult result = scorer.Result();
  const std::string report = EntityEvalReport(result);
  if (json) {
    std::cout << EntityEvalJson(result) << "\n";
  } else {
    std::cout << report.substr(0, report.find("\ndisagreements"));
  }
  if (!report_path.empty()) {
    std::ofstream out(report_path, std::ios::binary);
    out << (oracle ? "mode: oracle mentions\n" : "mode: engine\n") << report;
    if (!out) {
      std::fprintf(stderr, "entities_eval: cannot write %s\n", report_path.c_str());
      return 1;
    }
  }
  return 0;
}
