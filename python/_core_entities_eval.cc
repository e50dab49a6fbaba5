// newsparse._core.eval_entities: core/entities_eval.h (see _core_tools.h for why it is apart).
#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "_core_tools.h"
#include "core/engine.h"
#include "core/entities_eval.h"

namespace py = pybind11;

namespace newsparse {
namespace {

// Scores the engine (or, with `oracle_mentions`, Consolidate() on the gold mentions) against the
// gold file. Returns (json line, full report with the disagreements).
py::tuple EvalEntities(const std::string& gold_path, bool oracle_mentions,
                       const std::string& data_dir) {
  absl::Status status;
  EntityEvalResult result;
  {
    py::gil_scoped_release release;
    [&] {
      absl::StatusOr<std::vector<GoldDoc>> gold = LoadEntityGold(gold_path);
      if (!gold.ok()) {
        status = gold.status();
        return;
      }
      EntityScorer scorer;
      Article article;
      if (oracle_mentions) {
        Tokens tokens;
        for (const GoldDoc& doc : *gold) {
          ParseWithOracleMentions(doc, &tokens, &article);
          scorer.Add(doc, article);
        }
      } else {
        EngineOptions options;
        options.data_dir = data_dir;
        absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(options);
        if (!engine.ok()) {
          status = engine.status();
          return;
        }
        Workspace ws;
        for (const GoldDoc& doc : *gold) {
          ParseOptions parse_options;
          parse_options.reference_date = doc.date;
          status = (*engine)->Parse(doc.text, parse_options, &ws, &article);
          if (!status.ok()) {
            status = absl::Status(status.code(),
                                  doc.id + ": " + std::string(status.message()));
            return;
          }
          scorer.Add(doc, article);
        }
      }
      result = scorer.Result();
    }();
  }
  if (!status.ok()) ThrowStatus(status);
  return py::make_tuple(EntityEvalJson(result), EntityEvalReport(result));
}

}  // namespace

void RegisterEntitiesEval(py::module_& m) {
  m.def("eval_entities", &EvalEntities, py::arg("gold"), py::arg("oracle_mentions") = false,
        py::arg("data_dir") = "");
}

}  // namespace newsparse
