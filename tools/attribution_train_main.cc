// Trains the attribution cue models on PolNeAR train (primary annotations) only. Weights are
// derived statistics, no text.
//
// --tagger: the cue tagger (core/cue_tagger.h), a greedy averaged-perceptron BIO tagger of cue
// spans over every word outside quotes; writes data/attribution_cue_tagger.model. Deterministic
// for a given --seed (articles are shuffled per epoch with a fixed LCG; weights are written in
// sorted order). --no-lexicon trains it without the lexicon features.
// Default: the older cue model, an averaged perceptron that decides, for each candidate word
// (any single word of data/attribution_cues.tsv), whether it is a cue in its context; writes
// data/attribution_cue_model.tsv (feature hash, weight; hash 0 is the bias).
//
// --bound-quantile sets the learned skip bound (CueTrainOptions::bound_quantile).
//
// --span: the span model (core/attribution_span.h): for each gold attribution of PolNeAR train,
// the tokens of its cue's window labelled SOURCE / CONTENT / O; a greedy averaged perceptron;
// writes data/attribution_span.model. Deterministic for a --seed.
//
// --span-negatives adds an all-O window for every lexicon word outside quotes that is no gold cue.
// Windows are anchored as the finder anchors them at run time (AttributionFinder::SpanCueRange on
// the gold cue's lexicon word); --span-gold-anchor anchors them on the whole gold cue instead.
//
//   attribution_train --span [--span-negatives] [--span-gold-anchor] [--train PATH] [--epochs N]
//   [--seed N]
//   [--min-weight X] [--out PATH] attribution_train [--tagger [--no-lexicon] [--seed N]
//   [--bound-quantile Q] [--dev PATH]]
//                     [--train PATH] [--data DIR]
//                     [--epochs N] [--min-weight X] [--out PATH]
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/attribution.h"
#include "core/attribution_eval.h"
#include "core/attribution_internal.h"
#include "core/attribution_span.h"
#include "core/cue_tagger.h"
#include "core/engine.h"
#include "core/tokenizer.h"

namespace {

// Writes `bytes` to `path` (replacing it). Every failure (open, write, close) is reported on
// stderr and gives false.
bool WriteModelFile(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot open %s for writing\n", path.c_str());
    return false;
  }
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    std::fprintf(stderr, "cannot write %s (%s failed)\n", path.c_str(),
                 written ? "close" : "write");
    return false;
  }
  return true;
}

struct Example {
  uint64_t feats[newsparse::kMaxCueFeatures];
  int n;
  bool positive;
};

struct TaggerArticle {
  newsparse::Tokens tokens;
  newsparse::CueTaggerTables tables;
};

// Tokens, feature tables and gold BIO labels of every article (`arts` must outlive `texts`).
void PrepareTagger(const newsparse::AttributionFinder& finder,
                   const std::vector<newsparse::GoldCueArticle>& gold,
                   std::vector<TaggerArticle>* arts,
                   std::vector<newsparse::CueTrainingText>* texts) {
  using newsparse::kCueB;
  using newsparse::kCueI;
  using newsparse::kCueO;
  arts->assign(gold.size(), TaggerArticle());
  texts->assign(gold.size(), newsparse::CueTrainingText());
  for (size_t a = 0; a < gold.size(); ++a) {
    TaggerArticle& ta = (*arts)[a];
    newsparse::CueTrainingText& t = (*texts)[a];
    const std::string& text = gold[a].text;
    newsparse::Tokenize(text, &ta.tokens);
    finder.PrepareCueTaggerTables(text, ta.tokens, &ta.tables);
    t.text = text;
    t.tokens = &ta.tokens;
    t.tables = &ta.tables;
    const size_t n = ta.tokens.tokens.size();
    t.labels.assign(n, kCueO);
    for (const newsparse::Span& c : gold[a].cues) {
      auto lo = std::lower_bound(ta.tokens.tokens.begin(), ta.tokens.tokens.end(), c.begin,
                                 [](const newsparse::Token& t, uint32_t b) { return t.end <= b; });
      bool first = true;
      for (auto it = lo; it != ta.tokens.tokens.end() && it->begin < c.end; ++it) {
        t.labels[it - ta.tokens.tokens.begin()] = first ? kCueB : kCueI;
        first = false;
      }
    }
    // The tagger labels only words outside quotes; a gold label elsewhere cannot be learned, and
    // a span broken by such a token restarts with B.
    const newsparse::CueTaggerInput in = ta.tables.Input(text, ta.tokens);
    int prev = kCueO;
    for (uint32_t i = 0; i < n; ++i) {
      if (!newsparse::CueTaggable(in, i)) {
        t.labels[i] = kCueO;
        prev = kCueO;
        continue;
      }
      if (t.labels[i] == kCueI && prev == kCueO) t.labels[i] = kCueB;
      prev = t.labels[i];
    }
  }
}

// Span scores of `model` on `texts` (greedy decoding, no skip bound): exact spans, and spans that
// overlap one of the other side.
void ScoreTagger(const newsparse::CueTaggerModel& model,
                 const std::vector<newsparse::CueTrainingText>& texts, const char* name) {
  using newsparse::kCueB;
  using newsparse::kCueI;
  size_t gold = 0, pred = 0, exact = 0, overlap_p = 0, overlap_g = 0;
  std::vector<uint8_t> out;
  for (const newsparse::CueTrainingText& t : texts) {
    newsparse::TagCueLabels(model, t.tables->Input(t.text, *t.tokens), &out);
    const uint32_t n = static_cast<uint32_t>(out.size());
    auto spans = [&](const std::vector<uint8_t>& lab) {
      std::vector<std::pair<uint32_t, uint32_t>> r;
      for (uint32_t b = 0; b < n; ++b) {
        if (lab[b] != kCueB) continue;
        uint32_t e = b;
        while (e + 1 < n && lab[e + 1] == kCueI) ++e;
        r.emplace_back(b, e);
        b = e;
      }
      return r;
    };
    const auto g = spans(t.labels), p = spans(out);
    gold += g.size();
    pred += p.size();
    auto overlaps = [](const std::pair<uint32_t, uint32_t>& x,
                       const std::pair<uint32_t, uint32_t>& y) {
      return x.first <= y.second && y.first <= x.second;
    };
    for (const auto& x : p) {
      for (const auto& y : g) exact += x == y;
      for (const auto& y : g) {
        if (overlaps(x, y)) {
          ++overlap_p;
          break;
        }
      }
    }
    for (const auto& y : g) {
      for (const auto& x : p) {
        if (overlaps(x, y)) {
          ++overlap_g;
          break;
        }
      }
    }
  }
  auto f1 = [](double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; };
  const double ep = pred ? 100.0 * exact / pred : 0, er = gold ? 100.0 * exact / gold : 0;
  const double op = pred ? 100.0 * overlap_p / pred : 0, orr = gold ? 100.0 * overlap_g / gold : 0;
  std::fprintf(stderr,
               "%s: %zu gold spans, %zu tagged; exact P %.2f R %.2f F1 %.2f; overlap P %.2f "
               "R %.2f F1 %.2f\n",
               name, gold, pred, ep, er, f1(ep, er), op, orr, f1(op, orr));
}

// Trains the cue tagger; returns the process exit status.
int TrainTagger(const newsparse::AttributionFinder& finder,
                const std::vector<newsparse::GoldCueArticle>& gold,
                const newsparse::CueTrainOptions& options, const std::string& out_path,
                const std::vector<newsparse::GoldCueArticle>* dev) {
  std::vector<TaggerArticle> arts;
  std::vector<newsparse::CueTrainingText> texts;
  PrepareTagger(finder, gold, &arts, &texts);
  size_t words = 0, cue_words = 0;
  for (const auto& t : texts) {
    const newsparse::CueTaggerInput in = t.tables->Input(t.text, *t.tokens);
    for (uint32_t i = 0; i < t.labels.size(); ++i) {
      words += newsparse::CueTaggable(in, i);
      cue_words += t.labels[i] != newsparse::kCueO;
    }
  }
  std::fprintf(stderr, "%zu articles, %zu taggable words, %zu in gold cues\n", texts.size(), words,
               cue_words);
  std::vector<size_t> errors;
  const newsparse::CueTaggerModel model = newsparse::TrainCueTagger(texts, options, &errors);
  for (size_t e = 0; e < errors.size(); ++e) {
    std::fprintf(stderr, "epoch %zu: %zu training errors\n", e + 1, errors[e]);
  }
  ScoreTagger(model, texts, "train");
  if (dev != nullptr) {
    std::vector<TaggerArticle> dev_arts;
    std::vector<newsparse::CueTrainingText> dev_texts;
    PrepareTagger(finder, *dev, &dev_arts, &dev_texts);
    ScoreTagger(model, dev_texts, "dev");
  }
  const std::string bytes = newsparse::SerializeCueTagger(model);
  if (!WriteModelFile(out_path, bytes)) return 1;
  std::fprintf(stderr, "wrote %zu feature rows (%zu bytes) to %s; context bound %.3f\n",
               model.weights.size(), bytes.size(), out_path.c_str(), model.context_bound);
  return 0;
}

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

// The cue tokens a window is anchored on, as the finder anchors them at run time: the first word
// of the gold cue [gold_b, gold_e] that the lexicon makes a span-model cue, with its particle or
// "to" (AttributionFinder::SpanCueRange); a gold cue without such a word keeps its whole span
// (as a tagged cue does at run time).
void AnchorCue(const newsparse::AttributionFinder& lexicon, std::string_view text,
               const newsparse::Tokens& tokens, uint32_t gold_b, uint32_t gold_e, uint32_t* cue_b,
               uint32_t* cue_e, std::string* lower) {
  using F = newsparse::AttributionFinder;
  for (uint32_t k = gold_b; k <= gold_e; ++k) {
    if (tokens.tokens[k].kind != newsparse::TokenKind::kWord) continue;
    newsparse::AsciiLowerInto(newsparse::TokenText(text, tokens.tokens[k]), lower);
    const uint8_t kind = lexicon.CandidateKind(*lower);
    if (kind == F::kVerb || kind == F::kParticiple || kind == F::kPhraseHead ||
        kind == F::kAccording) {
      F::SpanCueRange(text, tokens, k, kind, cue_b, cue_e);
      return;
    }
  }
  *cue_b = gold_b;
  *cue_e = gold_e;
}

// `lexicon` anchors the windows (AnchorCue). With `negatives`, every candidate word of its
// lexicon outside quotes that is no gold cue also gives a window, all O (so that a word taken as
// a cue by mistake gets no content). With `gold_anchor`, windows are anchored on the whole gold
// cue and a negative on its word alone, as before the run-time anchoring was shared (the shipped
// model: it measured higher on dev, see data/README.md).
int RunSpanTraining(const std::string& train, const std::string& out_path, int epochs,
                    uint64_t seed, double min_weight, const newsparse::AttributionFinder& lexicon,
                    bool negatives, bool gold_anchor) {
  auto gold = newsparse::ReadGoldCues(train);
  if (!gold.ok()) {
    std::fprintf(stderr, "%s\n", std::string(gold.status().message()).c_str());
    return 1;
  }
  // One window per gold attribution with a cue and a content: the gold labels of its tokens.
  std::vector<newsparse::Tokens> tokens(gold->size());
  std::vector<std::vector<int32_t>> quote_of(gold->size());
  std::vector<newsparse::SpanTrainingWindow> windows;
  std::vector<newsparse::QuoteSpan> quotes;
  size_t tokens_labelled = 0;
  std::string anchor_lower;
  for (uint32_t a = 0; a < gold->size(); ++a) {
    const newsparse::GoldCueArticle& art = (*gold)[a];
    newsparse::Tokenize(art.text, &tokens[a]);
    newsparse::PairQuotes(art.text, tokens[a], &quotes);
    quote_of[a].assign(tokens[a].tokens.size(), -1);
    for (uint32_t q = 0; q < quotes.size(); ++q) {
      for (uint32_t k = quotes[q].open; k <= quotes[q].close; ++k) quote_of[a][k] = q;
    }
  }
  for (uint32_t a = 0; a < gold->size(); ++a) {  // tokens[] no longer moves
    const newsparse::GoldCueArticle& art = (*gold)[a];
    for (const newsparse::GoldAttributionSpans& g : art.attributions) {
      if (g.cue.empty() || g.content.empty()) continue;
      uint32_t gold_b, gold_e, cue_b, cue_e;
      if (!TokensOf(tokens[a], g.cue[0], &gold_b, &gold_e)) continue;
      if (gold_anchor) {
        cue_b = gold_b;
        cue_e = gold_e;
      } else {
        AnchorCue(lexicon, art.text, tokens[a], gold_b, gold_e, &cue_b, &cue_e, &anchor_lower);
      }
      newsparse::SpanTrainingWindow win;
      win.window = newsparse::MakeSpanWindow(art.text, tokens[a], quote_of[a].data(), cue_b, cue_e);
      const newsparse::SpanWindow& w = win.window;
      win.labels.assign(w.end - w.begin, newsparse::kSpanOther);
      auto mark = [&](const std::vector<newsparse::Span>& spans, uint8_t label) {
        for (const newsparse::Span& sp : spans) {
          uint32_t f, l;
          if (!TokensOf(tokens[a], sp, &f, &l)) continue;
          for (uint32_t k = std::max(f, w.begin); k <= l && k < w.end; ++k) {
            if (k < cue_b || k > cue_e) win.labels[k - w.begin] = label;
          }
        }
      };
      mark(g.content, newsparse::kSpanContent);
      mark(g.source, newsparse::kSpanSource);
      tokens_labelled += win.labels.size();
      windows.push_back(std::move(win));
    }
  }
  size_t negative_windows = 0;
  std::string lower;
  std::vector<uint8_t> in_cue;
  for (uint32_t a = 0; negatives && a < gold->size(); ++a) {
    const newsparse::GoldCueArticle& art = (*gold)[a];
    const auto& tk = tokens[a].tokens;
    in_cue.assign(tk.size(), 0);
    for (const newsparse::Span& c : art.cues) {
      uint32_t f, l;
      if (!TokensOf(tokens[a], c, &f, &l)) continue;
      for (uint32_t k = f; k <= l; ++k) in_cue[k] = 1;
    }
    for (uint32_t i = 0; i < tk.size(); ++i) {
      if (tk[i].kind != newsparse::TokenKind::kWord || in_cue[i] || quote_of[a][i] >= 0) continue;
      newsparse::AsciiLowerInto(newsparse::TokenText(art.text, tk[i]), &lower);
      const uint8_t kind = lexicon.CandidateKind(lower);
      if (kind == 0) continue;
      uint32_t cue_b = i, cue_e = i;
      if (!gold_anchor) {
        newsparse::AttributionFinder::SpanCueRange(art.text, tokens[a], i, kind, &cue_b, &cue_e);
      }
      newsparse::SpanTrainingWindow win;
      win.window = newsparse::MakeSpanWindow(art.text, tokens[a], quote_of[a].data(), cue_b, cue_e);
      win.labels.assign(win.window.end - win.window.begin, newsparse::kSpanOther);
      tokens_labelled += win.labels.size();
      windows.push_back(std::move(win));
      ++negative_windows;
    }
  }
  std::fprintf(stderr, "%zu articles, %zu cue windows (%zu negative), %zu tokens\n", gold->size(),
               windows.size(), negative_windows, tokens_labelled);
  newsparse::SpanTrainOptions options;
  options.epochs = epochs;
  options.seed = seed;
  options.min_weight = min_weight;
  std::vector<size_t> errors;
  const newsparse::SpanModel model = newsparse::TrainSpanModel(windows, options, &errors);
  for (size_t ep = 0; ep < errors.size(); ++ep) {
    std::fprintf(stderr, "epoch %zu: %zu token errors\n", ep + 1, errors[ep]);
  }
  const std::string bytes = model.Serialize();
  if (!WriteModelFile(out_path, bytes)) return 1;
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
  bool tagger = false;
  bool span = false;
  bool span_negatives = false;
  bool span_gold_anchor = false;
  double bound_quantile = 1.0;
  std::string dev_path;  // --tagger: also report span scores on this file
  uint32_t tagger_flags = newsparse::kCueFeatureLexicon;
  uint64_t seed_arg = 12345;
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
    } else if (a == "--dev" && i + 1 < argc) {
      dev_path = argv[++i];
    } else if (a == "--bound-quantile" && i + 1 < argc) {
      bound_quantile = std::atof(argv[++i]);
    } else if (a == "--span") {
      span = true;
    } else if (a == "--span-negatives") {
      span_negatives = true;
    } else if (a == "--span-gold-anchor") {
      span_gold_anchor = true;
    } else if (a == "--tagger") {
      tagger = true;
    } else if (a == "--no-lexicon") {
      tagger_flags &= ~newsparse::kCueFeatureLexicon;
    } else if (a == "--seed" && i + 1 < argc) {
      seed_arg = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--span [--span-negatives] [--span-gold-anchor]] [--tagger "
                   "[--no-lexicon] [--seed N] "
                   "[--bound-quantile Q] [--dev PATH]] "
                   "[--train PATH] [--data DIR] "
                   "[--epochs N] [--min-weight X] [--out PATH]\n",
                   argv[0]);
      return 2;
    }
  }
  if (span) {
    if (out_path.empty()) out_path = data_dir + "/attribution_span.model";
    newsparse::AttributionOptions lopt;
    lopt.use_cue_model = false;
    lopt.span_model = newsparse::SpanModelUse::kOff;
    auto lexicon = newsparse::AttributionFinder::Create(data_dir, lopt);
    if (!lexicon.ok()) {
      std::fprintf(stderr, "%s\n", std::string(lexicon.status().message()).c_str());
      return 1;
    }
    return RunSpanTraining(train, out_path, epochs, seed_arg, min_weight, **lexicon, span_negatives,
                           span_gold_anchor);
  }
  if (out_path.empty()) {
    out_path = data_dir + (tagger ? "/attribution_cue_tagger.model" : "/attribution_cue_model.tsv");
  }
  newsparse::AttributionOptions options;
  options.use_cue_model = false;
  options.cue_source = newsparse::CueSource::kRules;
  options.min_candidate_ratio = 0;  // train on every candidate; the finder gates at run time
  options.span_model = newsparse::SpanModelUse::kOff;  // cue training reads the lexicon only
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
  if (tagger) {
    std::vector<newsparse::GoldCueArticle> dev_gold;
    if (!dev_path.empty()) {
      auto d = newsparse::ReadGoldCues(dev_path);
      if (!d.ok()) {
        std::fprintf(stderr, "%s\n", std::string(d.status().message()).c_str());
        return 1;
      }
      dev_gold = *std::move(d);
    }
    newsparse::CueTrainOptions topt;
    topt.epochs = epochs;
    topt.seed = seed_arg;
    topt.flags = tagger_flags;
    topt.min_weight = min_weight;
    topt.bound_quantile = bound_quantile;
    return TrainTagger(**finder, *gold, topt, out_path, dev_path.empty() ? nullptr : &dev_gold);
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
    newsparse::attribution_internal::DeterministicShuffle(&order, &seed);
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
  char line[256];
  std::snprintf(line, sizeof(line),
                "# attribution cue model: averaged perceptron over candidate words, trained on "
                "PolNeAR train (%d epochs, %zu examples); features v2; feature hash (hex) <TAB> "
                "weight\n",
                epochs, examples.size());
  std::string tsv = line;
  std::vector<std::pair<uint64_t, double>> rows;
  for (const auto& [h, wt] : w) {
    const double avg = wt - u[h] / c;
    if (avg != 0 && (h == 0 || std::abs(avg) >= min_weight)) rows.emplace_back(h, avg);
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& [h, avg] : rows) {
    std::snprintf(line, sizeof(line), "%" PRIx64 "\t%.4g\n", h, avg);
    tsv += line;
  }
  if (!WriteModelFile(out_path, tsv)) return 1;
  std::fprintf(stderr, "wrote %zu weights to %s\n", rows.size(), out_path.c_str());
  return 0;
}
