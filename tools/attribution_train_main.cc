// Trains the attribution cue model: an averaged perceptron that decides, for each candidate word
// (any single word of data/attribution_cues.tsv), whether it is a cue in its context. Trained on
// PolNeAR train (primary annotations) only; writes data/attribution_cue_model.tsv (feature hash,
// weight; hash 0 is the bias). Weights are derived statistics, no text.
//
//   attribution_train [--train PATH] [--data DIR] [--epochs N] [--min-weight X] [--out PATH]
//
// With --span it trains the span model instead (core/attribution_span.h): for each gold
// attribution of PolNeAR train, the tokens of its cue's window labelled SOURCE / CONTENT / O, a
// greedy averaged perceptron (the previous label is the predicted one, as when tagging); writes
// data/attribution_span.model. Deterministic for a --seed.
//
//   attribution_train --span [--train PATH] [--epochs N] [--seed N] [--min-weight X] [--out PATH]
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
#include "core/attribution_span.h"
#include "core/engine.h"
#include "core/tokenizer.h"

namespace {

struct Example {
  uint64_t feats[newsparse::kMaxCueFeatures];
  int n;
  bool positive;
};

// The token range [first, last] overlapping `spans` (the first piece only), or false.
bool TokensOf(const newsparse::Tokens& tokens, const newsparse::Span& sp, uint32_t* first,
              uint32_t* last) {
  auto lo = std::lower_bound(tokens.tokens.begin(), tokens.tokens.end(), sp.begin,
                             [](const newsparse::Token& t, uint32_t b) { return t.end <= b; });
  if (lo == tokens.tokens.end() || lo->begin >= sp.end) return false;
  *first = static_cast<uint32_t>(lo - tokens.tokens.begin());
  *last = *first;
  while (*last + 1 < tokens.tokens.size() && tokens.tokens[*last + 1].begin < sp.end) ++*last;
  return true;
}

int TrainSpanModel(const std::string& train, const std::string& out_path, int epochs, uint64_t seed,
                   double min_weight) {
  using newsparse::SpanModel;
  auto gold = newsparse::ReadGoldCues(train);
  if (!gold.ok()) {
    std::fprintf(stderr, "%s\n", std::string(gold.status().message()).c_str());
    return 1;
  }
  // One example per gold attribution with a cue: its window, the gold labels.
  struct Window {
    uint32_t article;
    uint32_t cue_begin, cue_end;
    std::vector<uint8_t> labels;  // gold, per window token
  };
  std::vector<newsparse::Tokens> tokens(gold->size());
  std::vector<std::vector<int32_t>> quote_of(gold->size());
  std::vector<Window> windows;
  std::vector<newsparse::QuoteSpan> quotes;
  size_t tokens_labelled = 0;
  for (uint32_t a = 0; a < gold->size(); ++a) {
    const newsparse::GoldCueArticle& art = (*gold)[a];
    newsparse::Tokenize(art.text, &tokens[a]);
    newsparse::PairQuotes(art.text, tokens[a], &quotes);
    quote_of[a].assign(tokens[a].tokens.size(), -1);
    for (uint32_t q = 0; q < quotes.size(); ++q) {
      for (uint32_t k = quotes[q].open; k <= quotes[q].close; ++k) quote_of[a][k] = q;
    }
    for (const newsparse::GoldAttributionSpans& g : art.attributions) {
      if (g.cue.empty() || g.content.empty()) continue;
      Window win;
      win.article = a;
      if (!TokensOf(tokens[a], g.cue[0], &win.cue_begin, &win.cue_end)) continue;
      const newsparse::SpanWindow w = newsparse::MakeSpanWindow(
          art.text, tokens[a], quote_of[a].data(), win.cue_begin, win.cue_end);
      win.labels.assign(w.end - w.begin, newsparse::kSpanOther);
      auto mark = [&](const std::vector<newsparse::Span>& spans, uint8_t label) {
        for (const newsparse::Span& sp : spans) {
          uint32_t f, l;
          if (!TokensOf(tokens[a], sp, &f, &l)) continue;
          for (uint32_t k = std::max(f, w.begin); k <= l && k < w.end; ++k) {
            if (k < win.cue_begin || k > win.cue_end) win.labels[k - w.begin] = label;
          }
        }
      };
      mark(g.content, newsparse::kSpanContent);
      mark(g.source, newsparse::kSpanSource);
      tokens_labelled += win.labels.size();
      windows.push_back(std::move(win));
    }
  }
  std::fprintf(stderr, "%zu articles, %zu cue windows, %zu tokens\n", gold->size(), windows.size(),
               tokens_labelled);
  absl::flat_hash_map<uint64_t, SpanModel::Row> w, u;
  double c = 1;
  std::vector<size_t> order(windows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  newsparse::SpanBetween between;
  uint64_t feats[newsparse::kMaxSpanFeatures + 1];
  for (int ep = 0; ep < epochs; ++ep) {
    for (size_t i = order.size(); i > 1; --i) {  // deterministic shuffle
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      std::swap(order[i - 1], order[(seed >> 33) % i]);
    }
    size_t errors = 0;
    for (size_t idx : order) {
      const Window& win = windows[idx];
      const newsparse::SpanWindow sw =
          newsparse::MakeSpanWindow((*gold)[win.article].text, tokens[win.article],
                                    quote_of[win.article].data(), win.cue_begin, win.cue_end);
      newsparse::ComputeSpanBetween(sw, &between);
      uint8_t prev = newsparse::kSpanOther;
      for (uint32_t i = sw.begin; i < sw.end; ++i) {
        if (i >= sw.cue_begin && i <= sw.cue_end) {
          prev = newsparse::kSpanOther;
          continue;
        }
        int m = newsparse::SpanFeatures(sw, between, i, prev, feats);
        feats[m++] = 0;  // bias
        SpanModel::Row r{};
        for (int k = 0; k < m; ++k) {
          auto it = w.find(feats[k]);
          if (it == w.end()) continue;
          for (int l = 0; l < newsparse::kNumSpanLabels; ++l) r[l] += it->second[l];
        }
        uint8_t best = 0;
        for (int l = 1; l < newsparse::kNumSpanLabels; ++l) {
          if (r[l] > r[best]) best = static_cast<uint8_t>(l);
        }
        const uint8_t y = win.labels[i - sw.begin];
        if (best != y) {
          ++errors;
          for (int k = 0; k < m; ++k) {
            SpanModel::Row& wr = w[feats[k]];
            SpanModel::Row& ur = u[feats[k]];
            wr[y] += 1;
            wr[best] -= 1;
            ur[y] += c;
            ur[best] -= c;
          }
        }
        prev = best;
        c += 1;
      }
    }
    std::fprintf(stderr, "epoch %d: %zu token errors\n", ep + 1, errors);
  }
  SpanModel model;
  for (const auto& [h, wr] : w) {
    SpanModel::Row avg;
    const SpanModel::Row& ur = u[h];
    bool keep = false;
    for (int l = 0; l < newsparse::kNumSpanLabels; ++l) {
      avg[l] = static_cast<float>(wr[l] - ur[l] / c);
      keep = keep || std::abs(avg[l]) >= min_weight;
    }
    if (keep && (avg[0] != 0 || avg[1] != 0 || avg[2] != 0)) model.Set(h, avg);
  }
  const std::string bytes = model.Serialize();
  FILE* f = std::fopen(out_path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    std::fprintf(stderr, "cannot write %s\n", out_path.c_str());
    if (f != nullptr) std::fclose(f);
    return 1;
  }
  std::fclose(f);
  std::fprintf(stderr, "wrote %zu rows (%zu bytes) to %s\n", model.num_rows(), bytes.size(),
               out_path.c_str());
  return 0;
}

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
  bool span = false;
  uint64_t span_seed = 12345;
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
    } else if (a == "--span") {
      span = true;
    } else if (a == "--seed" && i + 1 < argc) {
      span_seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--epochs" && i + 1 < argc) {
      epochs = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--span] [--train PATH] [--data DIR] [--epochs N] [--seed N] "
                   "[--min-weight X] [--out PATH]\n",
                   argv[0]);
      return 2;
    }
  }
  if (span) {
    if (out_path.empty()) out_path = data_dir + "/attribution_span.model";
    return TrainSpanModel(train, out_path, epochs, span_seed, min_weight);
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
