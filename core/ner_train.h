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
// Learner options (all off by default, which trains the shipped model): feature bagging (Sutton,
// Sindelar & McCallum 2005: each mixture trained with a different group of features masked), word
// dropout (a capitalised token's own-word features left out of an occurrence at random), a count
// cutoff and a margin update. None of them changes the run-time features or the model format:
// a masked or dropped feature is simply not scored and not updated while that perceptron learns.
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

// Feature groups the trainer can mask (NerTrainOptions::bags). The trainer finds a static feature's
// group by probing the feature extractor (the features of a token that change when the word hashes
// of the token, or of its neighbours, are replaced), so it needs no list of templates:
//  - kNerBagWord: the token's own word identity (word, lower-cased word, and every conjunction with
//    it: bigrams, word x shape, sentence-start/headline word, kind x word; and the history feature
//    previous label x word);
//  - kNerBagNeighbours: the identities of the words around it (words at -2..+2, bigrams, the
//    capitalised run's first and last words, the context aggregation's words).
enum NerBagGroup : uint8_t {
  kNerBagWord = 1 << 0,
  kNerBagNeighbours = 1 << 1,
};

// Parses a bag list, one entry per mixture, comma-separated: "all" (nothing masked), "no_word",
// "no_neighbours", "no_words" (both). E.g. "no_word,no_neighbours,all". Writes the NerBagGroup
// masks. Errors: InvalidArgument for an unknown entry or an empty list. Pure function.
absl::Status ParseNerBags(std::string_view spec, std::vector<uint8_t>* masks);

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
  // Feature bagging: bags[k] (NerBagGroup bits) is masked while mixture k learns; mixtures past
  // the end of the list (and every mixture when it is empty) mask nothing. The jackknife fold
  // models are not bagged. At most `mixtures` entries.
  std::vector<uint8_t> bags;
  // Word dropout: each occurrence of a capitalised token (first byte an ASCII capital) in each
  // epoch of the final mixtures leaves out its kNerBagWord features with this probability (0..1),
  // as if the word were unknown; the choice is a hash of (seed, mixture, epoch, document, token),
  // the same in both passes, so training stays deterministic for a seed. The shipped model's 0.1
  // (data/README.md: ahead of 0 on each of 5 seeds on eng.testa); 0 turns it off.
  double word_dropout = 0.1;
  // Count cutoff: static features (hash values) seen fewer than this many times in the training
  // tokens are never learned (folds and mixtures). 0 or 1: all are learned.
  int min_count = 0;
  // Margin update: also update (against the best other allowed label) when the gold label wins by
  // less than this score (in perceptron weight units; 0: updates on errors only).
  float margin = 0;
  // Beam training (off by default): 0 trains the greedy tagger (gold history, per-token
  // updates); k >= 1 a structured perceptron that decodes every sentence with beam search of
  // width k as EntityTagger::SetBeamWidth(k) does (the jackknife folds too) and updates whole
  // prefixes: early update (Collins & Roark 2004), or max-violation update (Huang, Fayong & Guo
  // 2012) with max_violation. The model file records k (NerModel::beam), and EntityTagger
  // decodes it with SetBeamWidth(k) by default. Not with `margin`.
  int beam = 0;
  bool max_violation = false;
  // Training on part of the file (the silver gazetteer's fold taggers, tools/build_ner_silver.py):
  // with holdout_folds >= 2, the documents d (0-based, in file order) with
  // d % holdout_folds == holdout_fold are left out. holdout_folds 0: every document is used.
  int holdout_folds = 0;
  int holdout_fold = 0;
  // Per-fold gazetteers for the training documents (honest silver lists): when not empty (K >= 2
  // files, each a full gazetteer file as data_dir/ner_gazetteer.tsv), document d's gazetteer
  // matches come from fold_gazetteers[d % K] instead; the model still embeds, and dev and run time
  // still use, data_dir/ner_gazetteer.tsv.
  std::vector<std::string> fold_gazetteers;
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

// The configuration the shipped data/ner.model was trained with (data/README.md, "Rebuild"): the
// defaults above (the greedy tagger's) with 5 mixtures and the beam trainer at width 3. The
// command-line trainers (`newsparse_ner train`, `newsparse train ner`) start from it; the paths
// and seed are left to the caller.
NerTrainOptions ShippedNerTrainOptions();

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
