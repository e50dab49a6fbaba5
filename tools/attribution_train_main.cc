// Trains the attribution cue model: an averaged perceptron that decides, for each candidate word
// (any single word of data/attribution_cues.tsv), whether it is a cue in its context. Trained on
// PolNeAR train (primary annotations) only; writes data/attribution_cue_model.tsv (feature hash,
// weight; hash 0 is the bias). Weights are derived statistics, no text.
//
//   attribution_train [--train PATH] [--data DIR] [--epochs N] [--min-weight X] [--out PATH]
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/attribution.h"
#include "core/attribution_eval.h"
#include "core/engine.h"
#include "core/tokenizer.h"

namespace {

struct Example {
  uint64_t feats[newsparse::kMaxCueFeatures];
  int n;
  bool positive;
};

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = newsparse::DefaultDataDir();
  const char* shared = std::getenv("NEWSPARSE_SHARED_DATA");
  std::string train =
      std::string(shared != nullptr && *shared != '\0' ? shared : NEWSPARSE_DEFAULT_SHARED_DATA) +
      "/polnear/train.jsonl.gz";
  std::string out_path;
  int epochs = 8;
  double min_weight = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--train" && i + 1 < argc) {
      train = argv[++i];
    } else if (a == "--data" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (a == "--out" && i + 1 < argc) {
      out_path = argv[++i];
    } else if (a == "--min-weight" && i + 1 < argc) {
      min_weight = std::atof(argv[++i]);
    } else if (a == "--epochs" && i + 1 < argc) {
      epochs = std::atoi(argv[++i]);
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--train PATH] [--data DIR] [--epochs N] [--min-weight X] [--out PATH]\n",
          argv[0]);
      return 2;
    }
  }
  if (out_path.empty()) out_path = data_dir + "/attribution_cue_model.tsv";
  newsparse::AttributionOptions options;
  options.use_cue_model = false;
  options.min_candidate_ratio = 0;  // train on every candidate; the finder gates at run time
  auto finder = newsparse::AttributionFinder::Create(data_dir, options);
  if (!finder.ok()) {
    std::fprintf(stderr, "%s\n", std::string(finder.status().message()).c_str());
    return 1;
  }
  auto gold = newsparse::ReadGoldCues(train);
  if (!gold.ok()) {
    std::fprintf(stderr, "%s\n", std::string(gold.status().message()).c_str());
    return 1;
  }
  // Examples: every candidate word of every article; positive when it overlaps a gold cue.
  std::vector<Example> examples;
  newsparse::Tokens tokens;
  std::vector<newsparse::QuoteSpan> quotes;
  std::vector<uint8_t> in_quote, in_cue;
  std::string lower;
  for (const newsparse::GoldCueArticle& a : *gold) {
    newsparse::Tokenize(a.text, &tokens);
    newsparse::PairQuotes(a.text, tokens, &quotes);
    const size_t n = tokens.tokens.size();
    in_quote.assign(n, 0);
    for (const auto& q : quotes) {
      for (uint32_t k = q.open; k <= q.close; ++k) in_quote[k] = 1;
    }
    in_cue.assign(n, 0);
    for (const newsparse::Span& c : a.cues) {
      auto lo = std::lower_bound(tokens.tokens.begin(), tokens.tokens.end(), c.begin,
                                 [](const newsparse::Token& t, uint32_t b) { return t.end <= b; });
      // The head of the cue: its first candidate word ("has said" -> "said").
      for (auto it = lo; it != tokens.tokens.end() && it->begin < c.end; ++it) {
        if (it->kind != newsparse::TokenKind::kWord) continue;
        newsparse::AsciiLowerInto(newsparse::TokenText(a.text, *it), &lower);
        if ((*finder)->CandidateKind(lower) == 0) continue;
        in_cue[it - tokens.tokens.begin()] = 1;
        break;
      }
    }
    for (uint32_t i = 0; i < n; ++i) {
      const newsparse::Token& t = tokens.tokens[i];
      if (t.kind != newsparse::TokenKind::kWord) continue;
      newsparse::AsciiLowerInto(newsparse::TokenText(a.text, t), &lower);
      if ((*finder)->CandidateKind(lower) == 0) continue;
      Example e;
      e.n = newsparse::CueFeatures(a.text, tokens, i, in_quote[i] != 0, e.feats);
      e.positive = in_cue[i] != 0;
      examples.push_back(e);
    }
  }
  size_t positives = 0;
  for (const Example& e : examples) positives += e.positive;
  std::fprintf(stderr, "%zu articles, %zu candidate words, %zu cues\n", gold->size(),
               examples.size(), positives);
  // Averaged perceptron (the lazy-update form): w, and u accumulating c * update.
  absl::flat_hash_map<uint64_t, double> w, u;
  double c = 1;
  uint64_t seed = 12345;
  std::vector<size_t> order(examples.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (int ep = 0; ep < epochs; ++ep) {
    for (size_t i = order.size(); i > 1; --i) {  // deterministic shuffle
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      std::swap(order[i - 1], order[(seed >> 33) % i]);
    }
    size_t errors = 0;
    for (size_t idx : order) {
      const Example& e = examples[idx];
      double score = w[0];
      for (int k = 0; k < e.n; ++k) {
        auto it = w.find(e.feats[k]);
        if (it != w.end()) score += it->second;
      }
      const int y = e.positive ? 1 : -1;
      if (y * score <= 0) {
        ++errors;
        w[0] += y;
        u[0] += y * c;
        for (int k = 0; k < e.n; ++k) {
          w[e.feats[k]] += y;
          u[e.feats[k]] += y * c;
        }
      }
      c += 1;
    }
    std::fprintf(stderr, "epoch %d: %zu training errors\n", ep + 1, errors);
  }
  FILE* f = std::fopen(out_path.c_str(), "w");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", out_path.c_str());
    return 1;
  }
  std::fprintf(f,
               "# attribution cue model: averaged perceptron over candidate words, trained on "
               "PolNeAR train (%d epochs, %zu examples); feature hash (hex) <TAB> weight\n",
               epochs, examples.size());
  std::vector<std::pair<uint64_t, double>> rows;
  for (const auto& [h, wt] : w) {
    const double avg = wt - u[h] / c;
    if (avg != 0 && (h == 0 || std::abs(avg) >= min_weight)) rows.emplace_back(h, avg);
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& [h, avg] : rows) std::fprintf(f, "%" PRIx64 "\t%.4g\n", h, avg);
  std::fclose(f);
  std::fprintf(stderr, "wrote %zu weights to %s\n", rows.size(), out_path.c_str());
  return 0;
}
