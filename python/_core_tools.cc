// newsparse._core: the dateline, entity-recognition and attribution evaluations, the tagger's
// training and the corpus benchmark. Every call releases the GIL around the C++ work and raises
// a Python exception carrying the absl::Status message on error (ThrowStatus).
#include "_core_tools.h"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/attribution.h"
#include "core/attribution_eval.h"
#include "core/corpus.h"
#include "core/dateline.h"
#include "core/dateline_eval.h"
#include "core/engine.h"
#include "core/entities.h"
#include "core/ner_train.h"

namespace py = pybind11;

namespace newsparse {
namespace {

std::string DataDirOr(const std::string& data_dir) {
  return data_dir.empty() ? DefaultDataDir() : data_dir;
}

// --- dateline ----------------------------------------------------------------------------------

// Returns (json, text, disagreements, malformed lines skipped).
py::tuple EvalDateline(const std::string& corpus, bool has_gold, const std::string& data_dir,
                       bool want_disagreements) {
  absl::Status status;
  DatelineEvalReport report;
  std::string disagreements;
  size_t malformed = 0;
  {
    py::gil_scoped_release release;
    [&] {
      auto parser = DatelineParser::Create(DataDirOr(data_dir));
      if (!parser.ok()) {
        status = parser.status();
        return;
      }
      auto docs = LoadDatelineEvalDocs(corpus, has_gold, &malformed);
      if (!docs.ok()) {
        status = docs.status();
        return;
      }
      auto r =
          EvalDatelines(**parser, *docs, has_gold, want_disagreements ? &disagreements : nullptr);
      if (!r.ok()) {
        status = r.status();
        return;
      }
      report = std::move(*r);
    }();
  }
  if (!status.ok()) ThrowStatus(status);
  return py::make_tuple(report.ToJson(has_gold), report.ToText(has_gold), py::bytes(disagreements),
                        malformed);
}

// --- entity recognition ------------------------------------------------------------------------

// The lines newsparse_ner prints for an evaluation (tools/newsparse_ner_main.cc).
std::string NerEvalText(const NerEvalResult& r) {
  std::string out =
      absl::StrFormat("overall   P %6.2f  R %6.2f  F1 %6.2f  (gold %d, predicted %d, correct %d)\n",
                      r.overall.precision, r.overall.recall, r.overall.f1, r.overall.gold,
                      r.overall.predicted, r.overall.correct);
  for (int t = 0; t < ner::kNumTypes; ++t) {
    const NerTypeScores& s = r.per_type[t];
    absl::StrAppendFormat(&out, "%-8s  P %6.2f  R %6.2f  F1 %6.2f\n", std::string(ner::TypeName(t)),
                          s.precision, s.recall, s.f1);
  }
  absl::StrAppendFormat(&out, "%d documents, %d tokens, %.0f tokens/s\n", r.documents, r.tokens,
                        r.tokens_per_s);
  return out;
}

// Returns (json, text); the text starts with the model's load time, as the tool prints it.
py::tuple EvalNerFile(const std::string& conll, const std::string& model,
                      const std::string& data_dir) {
  absl::Status status;
  NerEvalResult result;
  double load_ms = 0, load_cpu_ms = 0;
  {
    py::gil_scoped_release release;
    [&] {
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = static_cast<double>(clock()) / CLOCKS_PER_SEC;
      const std::string dir = DataDirOr(data_dir);
      auto tagger = EntityTagger::Load(model.empty() ? dir + "/ner.model" : model, dir);
      if (!tagger.ok()) {
        status = tagger.status();
        return;
      }
      load_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      auto r = EvalNer(**tagger, conll);
      if (!r.ok()) {
        status = r.status();
        return;
      }
      // As the tool: CPU time up to the end of the evaluation.
      load_cpu_ms = (static_cast<double>(clock()) / CLOCKS_PER_SEC - c0) * 1000;
      result = *r;
    }();
  }
  if (!status.ok()) ThrowStatus(status);
  return py::make_tuple(
      NerEvalJson(result),
      absl::StrFormat("model loaded in %.1f ms (%.1f ms CPU)\n", load_ms, load_cpu_ms) +
          NerEvalText(result));
}

// Trains and writes the model; progress lines go to the process's stderr. Returns
// (summary line, dev json or None, dev text or None).
py::tuple TrainNerModel(const std::string& train, const std::string& dev, const std::string& out,
                        const std::string& data_dir, uint64_t seed, int epochs, int folds,
                        int mixtures, double word_dropout, int beam) {
  NerTrainOptions o;
  o.train_path = train;
  o.dev_path = dev;
  o.output_path = out;
  o.data_dir = DataDirOr(data_dir);
  o.seed = seed;
  o.epochs = epochs;
  o.folds = folds;
  o.mixtures = mixtures;
  o.word_dropout = word_dropout;
  o.beam = beam;
  o.log = [](const std::string& s) {
    std::fprintf(stderr, "%s\n", s.c_str());
    std::fflush(stderr);
  };
  NerTrainReport r;
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = TrainNer(o, &r);
  }
  if (!status.ok()) ThrowStatus(status);
  std::string summary = absl::StrFormat("trained on %d tokens in %.1f s, model %d bytes\n",
                                        r.train_tokens, r.seconds, r.model_bytes);
  if (!r.has_dev) return py::make_tuple(summary, py::none(), py::none());
  return py::make_tuple(summary, NerEvalJson(r.dev), NerEvalText(r.dev));
}

// --- attribution -------------------------------------------------------------------------------

// Returns (json, text, [(count, error kind)] most common first). `agreement` scores the
// annotators (EvaluateAgreement) instead of the finder; `multi_annotated` scores the finder on the
// articles EvaluateAgreement scores.
py::tuple EvalAttribution(const std::string& gold, const std::string& data_dir,
                          const std::string& errors_path, bool agreement, bool multi_annotated) {
  if (agreement && (multi_annotated || !errors_path.empty())) {
    throw py::value_error("agreement takes neither multi_annotated nor errors_path");
  }
  absl::Status status;
  AttributionEvalResult r;
  {
    py::gil_scoped_release release;
    [&] {
      if (agreement) {
        auto result = EvaluateAgreement(gold);
        if (!result.ok()) {
          status = result.status();
          return;
        }
        r = std::move(*result);
        return;
      }
      auto finder = AttributionFinder::Create(DataDirOr(data_dir), AttributionOptions());
      if (!finder.ok()) {
        status = finder.status();
        return;
      }
      auto result = EvaluateAttributions(**finder, gold, errors_path, multi_annotated);
      if (!result.ok()) {
        status = result.status();
        return;
      }
      r = std::move(*result);
    }();
  }
  if (!status.ok()) ThrowStatus(status);
  std::string text = absl::StrFormat("%s: %d articles, %d gold, %d predicted, %d matched by cue",
                                     gold, r.articles, r.gold, r.predicted, r.matched);
  if (agreement) {
    absl::StrAppendFormat(&text, " (%d annotations scored against their article's primary one)",
                          r.comparisons);
  }
  text += "\n";
  auto prf = [&](const char* name, const Prf& p) {
    absl::StrAppendFormat(&text, "  %-8s P %6.2f  R %6.2f  F1 %6.2f\n", name, 100 * p.precision(),
                          100 * p.recall(), 100 * p.f1());
  };
  const std::pair<const char*, const FieldScores*> fields[] = {
      {"cue", &r.cue}, {"source", &r.source}, {"content", &r.content}};
  for (const auto& [name, f] : fields) {
    text += std::string(name) + "\n";
    prf("exact", f->exact);
    prf("overlap", f->overlap);
  }
  prf("all_exact", r.all_exact);
  std::vector<std::pair<int, std::string>> kinds;
  for (const auto& [k, n] : r.error_kinds) {
    if (k.rfind("  (detail)", 0) != 0) kinds.emplace_back(n, k);
  }
  std::sort(kinds.rbegin(), kinds.rend());
  return py::make_tuple(AttributionEvalJson(r), text, kinds);
}

// --- corpus benchmark --------------------------------------------------------------------------

py::dict ReportDict(const CorpusRunReport& r) {
  py::dict stages;
  for (int i = 0; i < StageStats::kCount; ++i) {
    stages[py::str(std::string(StageStats::Name(i)))] = r.stats.nanos[i];
  }
  py::dict d;
  d["threads"] = r.threads;
  d["seconds"] = r.seconds;
  d["cpu_seconds"] = r.cpu_seconds;
  d["articles"] = r.stats.articles;
  d["bytes"] = r.stats.bytes;
  d["tokens"] = r.stats.tokens;
  d["errors"] = r.stats.errors;
  d["output_bytes"] = r.output_bytes;
  d["peak_rss_kb"] = r.peak_rss_kb;
  d["stage_nanos"] = stages;
  return d;
}

struct BenchEngine {
  std::unique_ptr<Engine> engine;
  ParseOptions options;
};

BenchEngine MakeBenchEngine(const std::string& data_dir, const std::string& stages) {
  BenchEngine b;
  absl::StatusOr<uint32_t> s = ParseStages(stages);
  if (!s.ok()) ThrowStatus(s.status());
  b.options.stages = *s;
  EngineOptions options;
  options.data_dir = data_dir;
  absl::StatusOr<std::unique_ptr<Engine>> engine;
  {
    py::gil_scoped_release release;
    engine = Engine::Create(options);
  }
  if (!engine.ok()) ThrowStatus(engine.status());
  b.engine = std::move(*engine);
  return b;
}

// Loads the corpus texts into memory (not timed), then parses them once per entry of
// `thread_counts`. Returns {"load_seconds", "runs": [report dict, ...]}.
py::dict BenchCorpus(const std::string& path, const std::string& field, size_t max_docs,
                     const std::string& stages, const std::vector<int>& thread_counts,
                     const std::string& data_dir) {
  BenchEngine b = MakeBenchEngine(data_dir, stages);
  absl::StatusOr<std::vector<std::string>> texts;
  std::vector<CorpusRunReport> runs;
  double load_seconds = 0;
  {
    py::gil_scoped_release release;
    const auto t0 = std::chrono::steady_clock::now();
    texts = LoadCorpusTexts(path, field, max_docs);
    load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (texts.ok() && !texts->empty()) {
      for (int threads : thread_counts) {
        runs.push_back(RunCorpus(*b.engine, *texts, b.options, threads));
      }
    }
  }
  if (!texts.ok()) ThrowStatus(texts.status());
  if (texts->empty()) {
    ThrowStatus(absl::InvalidArgumentError(path + " holds no record with a string \"" + field +
                                           "\" field"));
  }
  py::list out;
  for (const CorpusRunReport& r : runs) out.append(ReportDict(r));
  py::dict d;
  d["load_seconds"] = load_seconds;
  d["runs"] = out;
  return d;
}

// Streams the corpus from disk (core/corpus.h StreamCorpus); `progress(bytes, articles)` is
// called (GIL held) after each chunk when not None.
py::dict BenchStream(const std::string& path, const std::string& field, uint64_t target_bytes,
                     uint64_t chunk_bytes, const std::string& stages, int threads,
                     py::object progress, const std::string& data_dir) {
  BenchEngine b = MakeBenchEngine(data_dir, stages);
  std::function<void(uint64_t, uint64_t)> callback;
  bool failed = false;
  if (!progress.is_none()) {
    callback = [&](uint64_t bytes, uint64_t articles) {
      if (failed) return;
      py::gil_scoped_acquire acquire;
      try {
        progress(bytes, articles);
      } catch (py::error_already_set& e) {
        failed = true;  // reported once the run ends
        e.restore();
      }
    };
  }
  absl::StatusOr<CorpusRunReport> r;
  {
    py::gil_scoped_release release;
    r = StreamCorpus(*b.engine, path, field, target_bytes, chunk_bytes, b.options, threads,
                     callback);
  }
  if (failed) throw py::error_already_set();
  if (!r.ok()) ThrowStatus(r.status());
  return ReportDict(*r);
}

}  // namespace

void RegisterTools(py::module_& m) {
  m.def("eval_dateline", &EvalDateline, py::arg("corpus"), py::arg("has_gold") = true,
        py::arg("data_dir") = "", py::arg("want_disagreements") = false);
  m.def("eval_ner", &EvalNerFile, py::arg("conll"), py::arg("model") = "",
        py::arg("data_dir") = "");
  m.def("train_ner", &TrainNerModel, py::arg("train"), py::arg("dev"), py::arg("out"),
        py::arg("data_dir") = "", py::arg("seed") = 1, py::arg("epochs") = 8, py::arg("folds") = 8,
        py::arg("mixtures") = ShippedNerTrainOptions().mixtures, py::arg("word_dropout") = 0.1,
        py::arg("beam") = ShippedNerTrainOptions().beam);
  m.def("eval_attribution", &EvalAttribution, py::arg("gold"), py::arg("data_dir") = "",
        py::arg("errors_path") = "", py::arg("agreement") = false,
        py::arg("multi_annotated") = false);
  m.def("bench_corpus", &BenchCorpus, py::arg("path"), py::arg("field") = "text",
        py::arg("max_docs") = 0, py::arg("stages") = "all",
        py::arg("threads") = std::vector<int>{1}, py::arg("data_dir") = "");
  m.def("bench_stream", &BenchStream, py::arg("path"), py::arg("field") = "text",
        py::arg("target_bytes") = 0, py::arg("chunk_bytes") = uint64_t{64} << 20,
        py::arg("stages") = "all", py::arg("threads") = 1, py::arg("progress") = py::none(),
        py::arg("data_dir") = "");
  m.def("peak_rss_kb", &PeakRssKb);
}

}  // namespace newsparse
