// Training and evaluation of the entity tagger on CoNLL-2003 files.
//
// Training: averaged perceptron (Collins 2002) over the features of core/ner_features.h, greedy
// BILOU decoding with the previous labels predicted by the model itself (as at run time). With
// document features on, the first-pass labels of the training documents come from K fold models
// (jackknifing, each trained without the document), so the second pass learns to trust them as
// much as it should at run time; the final model is trained on every document, in both passes
// (local weights are shared by the passes, the second adds document features). Deterministic for a
// given seed (single-threaded).
//
// Evaluation: conlleval semantics (exact span and type; IOB1 or IOB2 input chunked with
// conlleval's start/end-of-chunk rules), overall and per type precision/recall/F1.
//
// Thread safety: pure functions of their inputs (files read, model written).
#ifndef NEWSPARSE_CORE_NER_TRAIN_H_
#define NEWSPARSE_CORE_NER_TRAIN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/entities.h"

namespace newsparse {

struct NerTrainOptions {
  std::string train_path;         // CoNLL file (IOB1 or IOB2)
  std::string dev_path;           // optional: evaluated with the saved model
  std::string output_path;        // the model file to write
  std::string data_dir = "data";  // ner_clusters.tsv, ner_gazetteer.tsv
  uint64_t seed = 1;
  int epochs = 8;
  int folds = 8;             // jackknife folds for document features (>= 2)
  int mixtures = 3;          // final model = mean of this many perceptrons (other orders)
  uint32_t rows = 1u << 21;  // hashed weight-table rows (only non-zero rows are stored)
  ner::NerFeatureOptions features;
  std::function<void(const std::string&)> log;  // progress (may be empty)
};

struct NerTypeScores {
  int64_t gold = 0, predicted = 0, correct = 0;
  double precision = 0, recall = 0, f1 = 0;  // percentages
};

struct NerEvalResult {
  NerTypeScores overall;
  NerTypeScores per_type[ner::kNumTypes];  // PER, ORG, LOC, MISC
  int64_t documents = 0;
  int64_t tokens = 0;
  double seconds = 0;       // wall-clock tagging time only (features + decoding)
  double cpu_seconds = 0;   // thread CPU time of the same (the machine may be shared)
  double tokens_per_s = 0;  // tokens per CPU second on one core
};

struct NerTrainReport {
  int64_t train_tokens = 0;
  int64_t train_documents = 0;
  double seconds = 0;  // whole training, jackknife included
  uint64_t model_bytes = 0;
  bool has_dev = false;
  NerEvalResult dev;
};

// Trains and writes the model. Errors: InvalidArgument for bad options, the readers' errors,
// Unavailable when the model cannot be written.
absl::Status TrainNer(const NerTrainOptions& options, NerTrainReport* report);

// Tags every document of the CoNLL file with `tagger` and scores it against the file's tags.
absl::StatusOr<NerEvalResult> EvalNer(const EntityTagger& tagger, std::string_view conll_path);

// The chunks of one sentence's tags ("B-PER", "I-ORG", "O", ...), conlleval rules: a chunk
// starts at B-, or at I- after O or after another type; B- after I- of the same type (IOB1's
// adjacent entities) starts a new chunk. Unknown types are skipped. Token indices + offset.
void ConllChunks(const std::vector<std::string>& tags, size_t begin, size_t end,
                 std::vector<NerChunk>* out);

// {"precision":..,"recall":..,"f1":..,"per_type":{"PER":{...},...},"tokens":..,"tokens_per_s":..}
std::string NerEvalJson(const NerEvalResult& r);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_TRAIN_H_
