// newsparse_ner: the entity-recognition driver.
//
//   newsparse_ner clusters --corpus=PATH --out=data/ner_clusters.tsv [--classes=64,256,1000]
//                          [--min_count=20] [--max_vocab=60000] [--iterations=8] [--max_lines=0]
//   newsparse_ner train --train=eng.train --dev=eng.testa --out=data/ner.model [--data_dir=data]
//                       [--epochs=N] [--seed=N] [--mixtures=N] [--folds=N] [--rows=N]
//                       [--no_clusters] [--no_gazetteer] [--no_document] [--no_context]
//                       [--no_kinds] [--no_runs]
//                       learner options (see core/ner_train.h; all off by default but word
//                       dropout, 0.1 as the shipped model; --word_dropout=0 turns it off):
//                       [--bags=no_word,no_neighbours,all] (feature bagging, one entry per
//                       mixture) [--word_dropout=P] [--min_count=N] [--margin=M]
//                       silver gazetteer (tools/build_ner_silver.py): [--holdout=K/N] trains on
//                       the documents d with d % N != K only; [--fold_gazetteers=G0,G1,...]
//                       gives training document d the gazetteer file G(d % count) (the model
//                       embeds DATA_DIR/ner_gazetteer.tsv as always)
//                       [--beam=K] [--max_violation]: the beam trainer (structured perceptron,
//                       early or max-violation update); the model records K and is decoded
//                       with it. Defaults: the shipped model's (ShippedNerTrainOptions: 5
//                       mixtures, --beam=3; --beam=0 trains the greedy tagger)
//   newsparse_ner eval --model=data/ner.model --data_dir=data --conll=eng.testa [--json]
//                      [--predictions=PATH]   (writes "word gold predicted kind" lines, kind
//                      the NerLineKind bits of the token's sentence: 1 results/table line,
//                      2 sports report)
//   newsparse_ner kinds [--corpus=reuters_2006_2013.jsonl.gz] [--docs=2000]
//                       counts of the line and document kinds (LineKinds) over the articles'
//                       "text" fields, tokenized as the engine does; counts only, no corpus text
//   newsparse_ner kinds --cues    prints the sports cue words, "word<TAB>strong|weak" lines
//   newsparse_ner compare --model_a=A --model_b=B [--data_dir=data] [--corpus=...] [--docs=2000]
//                       how many token labels and entity mentions differ between two models
//   newsparse_ner tag --model=M --out=FILE [--data_dir=data] [--corpus=...] [--docs=2000]
//                       labels and mention spans of each article (no text), to compare builds
//   newsparse_ner silver --model=M --out=FILE [--data_dir=data] [--corpus=...] [--docs=2000]
//                       counts the mentions the model finds in the articles by phrase (the
//                       tokens, ASCII lower-cased, joined by single spaces; at most 6 tokens):
//                       "phrase<TAB>PER<TAB>ORG<TAB>LOC<TAB>MISC<TAB>occurrences" counts (the
//                       last: the phrase's occurrences, tagged or not), phrases sorted; input
//                       of tools/build_ner_silver.py (derived word strings and counts, no text)
//   newsparse_ner settled [--model=data/ner.model] [--data_dir=data] [--corpus=...] [--docs=2000]
//                       [--conll=eng.testa]
//                       for the settled-token rule (FeatureExtractor::SettledTokens) at a few
//                       windows (before:after), with every token scored: how many tokens it
//                       settles, and how many of them the tagger (and, with --conll, the gold
//                       standard) labels as part of an entity; counts only
//   eval, tag and compare take --settled_window=BEFORE:AFTER (compare: --settled_window_a/_b);
//                       -1:-1 scores every token
//   eval and tag take --beam=K: beam decoding of width K (EntityTagger::SetBeamWidth; 0 =
//                       greedy; default: the width the model was trained for, NerModel::beam)
//   A flag the subcommand does not read, a flag given twice, a bare word or a non-integer value
//   of an integer flag: a message and exit code 2 (tested in tools/CMakeLists.txt).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "core/clusters.h"
#include "core/entities.h"
#include "core/ner_corpus.h"
#include "core/ner_features.h"
#include "core/ner_train.h"
#include "core/tokenizer.h"

namespace {

// The flags each subcommand reads. A flag given to a subcommand that does not read it ends the
// program with exit code 2 (a misspelt or misplaced flag must not run with the defaults), and a
// subcommand that reads a flag missing here aborts (a programming error, caught at first use).
struct Subcommand {
  const char* name;
  std::vector<std::string> flags;
};
const std::vector<Subcommand>& Subcommands() {
  static const auto* const kList = new std::vector<Subcommand>{
      {"clusters",
       {"classes", "corpus", "iterations", "max_lines", "max_vocab", "min_count", "out"}},
      {"train", {"beam",          "bags",         "data_dir",     "dev",
                 "epochs",        "folds",        "json",         "margin",
                 "max_violation", "min_count",    "mixtures",     "no_clusters",
                 "no_context",    "no_document",  "no_gazetteer", "no_kinds",
                 "no_runs",       "out",          "rows",         "seed",
                 "train",         "word_dropout", "holdout",      "fold_gazetteers"}},
      {"eval", {"beam", "conll", "data_dir", "json", "model", "predictions", "settled_window"}},
      {"kinds", {"corpus", "cues", "docs"}},
      {"compare",
       {"corpus", "data_dir", "docs", "model_a", "model_b", "settled_window_a",
        "settled_window_b"}},
      {"tag", {"beam", "corpus", "data_dir", "docs", "model", "out", "settled_window"}},
      {"silver", {"corpus", "data_dir", "docs", "model", "out"}},
      {"settled", {"conll", "corpus", "data_dir", "docs", "model"}},
  };
  return *kList;
}

struct Args {
  std::vector<std::pair<std::string, std::string>> flags;
  const std::vector<std::string>* known = nullptr;  // the subcommand's flags
  // Aborts when the subcommand reads a flag its entry in Subcommands() does not list.
  void CheckKnown(const std::string& name) const {
    if (std::find(known->begin(), known->end(), name) == known->end()) {
      fprintf(stderr, "internal error: --%s is read but not listed for the subcommand\n",
              name.c_str());
      abort();
    }
  }
  bool Has(const std::string& name) const {
    CheckKnown(name);
    for (const auto& f : flags) {
      if (f.first == name) return true;
    }
    return false;
  }
  std::string Get(const std::string& name, const std::string& def = "") const {
    CheckKnown(name);
    for (const auto& f : flags) {
      if (f.first == name) return f.second;
    }
    return def;
  }
  // The integer value of --name, `def` when the flag is absent; a value that is not an integer
  // ends the program with exit code 2 (a typo must not train or evaluate with the default).
  int64_t GetInt(const std::string& name, int64_t def) const {
    if (!Has(name)) return def;
    int64_t v;
    const std::string s = Get(name);
    if (!absl::SimpleAtoi(s, &v)) {
      fprintf(stderr, "--%s: not an integer: '%s'\n", name.c_str(), s.c_str());
      exit(2);
    }
    return v;
  }
};

// Reads --name=value and --name flags after the subcommand `sub`. Anything else (a word without
// "--", a flag given twice, a flag the subcommand does not read) ends the program with exit code 2
// rather than being ignored.
Args Parse(int argc, char** argv, const Subcommand& sub) {
  Args a;
  a.known = &sub.flags;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) != 0 || s.size() == 2) {
      fprintf(stderr, "unexpected argument '%s': flags are --name=value\n", s.c_str());
      exit(2);
    }
    s = s.substr(2);
    const size_t eq = s.find('=');
    std::string name = eq == std::string::npos ? s : s.substr(0, eq);
    if (std::find(sub.flags.begin(), sub.flags.end(), name) == sub.flags.end()) {
      std::string list;
      for (const std::string& f : sub.flags) list += " --" + f;
      fprintf(stderr, "unknown flag --%s for '%s' (its flags:%s)\n", name.c_str(), sub.name,
              list.c_str());
      exit(2);
    }
    if (a.Has(name)) {
      fprintf(stderr, "--%s given twice\n", name.c_str());
      exit(2);
    }
    a.flags.emplace_back(std::move(name), eq == std::string::npos ? "" : s.substr(eq + 1));
  }
  return a;
}

int Clusters(const Args& a) {
  newsparse::ner::ClusterOptions o;
  o.corpus_path = a.Get("corpus", "../shared/data/reuters2006/reuters_2006_2013.jsonl.gz");
  o.output_path = a.Get("out", "data/ner_clusters.tsv");
  if (a.Has("classes")) {
    o.num_classes.clear();
    for (absl::string_view p : absl::StrSplit(a.Get("classes"), ',')) {
      int c;
      if (absl::SimpleAtoi(p, &c)) o.num_classes.push_back(c);
    }
  }
  o.min_count = static_cast<int>(a.GetInt("min_count", o.min_count));
  o.max_vocab = static_cast<int>(a.GetInt("max_vocab", o.max_vocab));
  o.iterations = static_cast<int>(a.GetInt("iterations", o.iterations));
  o.max_lines = a.GetInt("max_lines", 0);
  o.log = [](const std::string& s) { fprintf(stderr, "%s\n", s.c_str()); };
  newsparse::ner::ClusterReport r;
  auto t0 = std::chrono::steady_clock::now();
  absl::Status st = newsparse::ner::InduceClusters(o, &r);
  if (!st.ok()) {
    fprintf(stderr, "clusters: %s\n", st.ToString().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  printf("documents %lld tokens %lld vocabulary %lld total %.1f s (read %.1f s)\n",
         static_cast<long long>(r.documents), static_cast<long long>(r.tokens),
         static_cast<long long>(r.vocabulary), secs, r.read_seconds);
  return 0;
}

void PrintEval(const newsparse::NerEvalResult& r, bool json) {
  if (json) {
    printf("%s\n", newsparse::NerEvalJson(r).c_str());
    return;
  }
  printf("overall   P %6.2f  R %6.2f  F1 %6.2f  (gold %lld, predicted %lld, correct %lld)\n",
         r.overall.precision, r.overall.recall, r.overall.f1,
         static_cast<long long>(r.overall.gold), static_cast<long long>(r.overall.predicted),
         static_cast<long long>(r.overall.correct));
  for (int t = 0; t < newsparse::ner::kNumTypes; ++t) {
    const auto& s = r.per_type[t];
    printf("%-8s  P %6.2f  R %6.2f  F1 %6.2f\n", std::string(newsparse::ner::TypeName(t)).c_str(),
           s.precision, s.recall, s.f1);
  }
  printf("%lld documents, %lld tokens, %.0f tokens/s\n", static_cast<long long>(r.documents),
         static_cast<long long>(r.tokens), r.tokens_per_s);
}

int Train(const Args& a) {
  // The shipped model's configuration; every flag below overrides it (--beam=0: the greedy one).
  newsparse::NerTrainOptions o = newsparse::ShippedNerTrainOptions();
  o.train_path = a.Get("train", "../shared/data/conll2003/eng.train");
  o.dev_path = a.Get("dev", "");
  o.output_path = a.Get("out", "data/ner.model");
  o.data_dir = a.Get("data_dir", "data");
  o.epochs = static_cast<int>(a.GetInt("epochs", o.epochs));
  o.seed = static_cast<uint64_t>(a.GetInt("seed", 1));
  o.folds = static_cast<int>(a.GetInt("folds", o.folds));
  o.mixtures = static_cast<int>(a.GetInt("mixtures", o.mixtures));
  o.rows = static_cast<uint32_t>(a.GetInt("rows", o.rows));
  o.features.clusters = !a.Has("no_clusters");
  o.features.gazetteer = !a.Has("no_gazetteer");
  o.features.document = !a.Has("no_document");
  o.features.context = !a.Has("no_context");
  o.features.kinds = !a.Has("no_kinds");
  o.features.cap_runs = !a.Has("no_runs");
  if (a.Has("bags")) {
    const absl::Status st = newsparse::ParseNerBags(a.Get("bags"), &o.bags);
    if (!st.ok()) {
      fprintf(stderr, "--bags: %s\n", st.ToString().c_str());
      return 2;
    }
  }
  for (const char* name : {"word_dropout", "margin"}) {
    if (!a.Has(name)) continue;
    double v;
    if (!absl::SimpleAtod(a.Get(name), &v)) {
      fprintf(stderr, "--%s: not a number: '%s'\n", name, a.Get(name).c_str());
      return 2;
    }
    if (std::string(name) == "margin") {
      o.margin = static_cast<float>(v);
    } else {
      o.word_dropout = v;
    }
  }
  if (a.Has("beam")) {  // --beam=K: the beam trainer (NerTrainOptions::beam)
    if (!absl::SimpleAtoi(a.Get("beam"), &o.beam)) {
      fprintf(stderr, "--beam: not an integer: '%s'\n", a.Get("beam").c_str());
      return 2;
    }
  }
  o.max_violation = a.Has("max_violation");
  if (a.Has("min_count")) {
    int64_t v;
    if (!absl::SimpleAtoi(a.Get("min_count"), &v) || v < 0 || v > 1000000) {
      fprintf(stderr, "--min_count: not a count: '%s'\n", a.Get("min_count").c_str());
      return 2;
    }
    o.min_count = static_cast<int>(v);
  }
  if (a.Has("holdout")) {  // --holdout=K/N: leave out the documents d with d % N == K
    const std::vector<std::string> kn = absl::StrSplit(a.Get("holdout"), '/');
    if (kn.size() != 2 || !absl::SimpleAtoi(kn[0], &o.holdout_fold) ||
        !absl::SimpleAtoi(kn[1], &o.holdout_folds)) {
      fprintf(stderr, "--holdout: not K/N: '%s'\n", a.Get("holdout").c_str());
      return 2;
    }
  }
  if (a.Has("fold_gazetteers")) {
    o.fold_gazetteers = absl::StrSplit(a.Get("fold_gazetteers"), ',');
  }
  o.log = [](const std::string& s) { fprintf(stderr, "%s\n", s.c_str()); };
  newsparse::NerTrainReport r;
  absl::Status st = newsparse::TrainNer(o, &r);
  if (!st.ok()) {
    fprintf(stderr, "train: %s\n", st.ToString().c_str());
    return 1;
  }
  printf("trained on %lld tokens in %.1f s, model %llu bytes\n",
         static_cast<long long>(r.train_tokens), r.seconds,
         static_cast<unsigned long long>(r.model_bytes));
  if (r.has_dev) PrintEval(r.dev, a.Has("json"));
  return 0;
}

// The NerLineKind bits of each sentence of `in` (FeatureExtractor::LineKinds, the tagger's rule).
void DocumentKinds(const newsparse::NerInput& in, std::vector<uint8_t>* kinds) {
  static const newsparse::ner::FeatureExtractor fx(nullptr, nullptr,
                                                   newsparse::ner::NerFeatureOptions{});
  const size_t n = in.words.size();
  std::vector<newsparse::ner::TokenInfo> info(n);
  std::vector<uint64_t> scratch(2 * n + 2);
  fx.ComputeTokenKeys(in.words.data(), n, info.data(), scratch.data());
  std::vector<uint32_t> ends;
  for (size_t k = 1; k < in.sentence_starts.size(); ++k) ends.push_back(in.sentence_starts[k]);
  ends.push_back(static_cast<uint32_t>(n));
  kinds->assign(ends.size(), 0);
  newsparse::ner::FeatureExtractor::LineKinds(in.words.data(), info.data(), n, ends.data(),
                                              ends.size(), kinds->data());
}

// Applies --<flag>=BEFORE:AFTER (the settled-token window) to `tagger` when given. Returns false,
// having printed why, when the value is not two integers joined by ':'.
bool SetSettledWindow(const Args& a, const std::string& flag, newsparse::EntityTagger* tagger) {
  if (!a.Has(flag)) return true;
  const absl::Status st = tagger->SetSettledWindow(a.Get(flag));
  if (!st.ok()) fprintf(stderr, "--%s: %s\n", flag.c_str(), st.ToString().c_str());
  return st.ok();
}

// Applies --beam=K (EntityTagger::SetBeamWidth) to `tagger` when given. Returns false, having
// printed why, when K is not an integer in 0..EntityTagger::kMaxBeam.
bool SetBeam(const Args& a, newsparse::EntityTagger* tagger) {
  if (!a.Has("beam")) return true;
  int k = 0;
  absl::Status st = absl::SimpleAtoi(a.Get("beam"), &k)
                        ? tagger->SetBeamWidth(k)
                        : absl::InvalidArgumentError("not an integer: " + a.Get("beam"));
  if (!st.ok()) fprintf(stderr, "--beam: %s\n", st.ToString().c_str());
  return st.ok();
}

int Eval(const Args& a) {
  auto t0 = std::chrono::steady_clock::now();
  const double c0 = static_cast<double>(clock()) / CLOCKS_PER_SEC;
  auto tagger =
      newsparse::EntityTagger::Load(a.Get("model", "data/ner.model"), a.Get("data_dir", "data"));
  if (!tagger.ok()) {
    fprintf(stderr, "eval: %s\n", tagger.status().ToString().c_str());
    return 1;
  }
  double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!SetSettledWindow(a, "settled_window", tagger->get())) return 2;
  if (!SetBeam(a, tagger->get())) return 2;
  const std::string conll = a.Get("conll", "../shared/data/conll2003/eng.testa");
  if (a.Has("predictions")) {
    // Writes "word gold predicted" lines (predicted as BILOU) for error analysis.
    auto docs = newsparse::ner::ReadConll(conll);
    FILE* out = fopen(a.Get("predictions").c_str(), "w");
    if (!docs.ok() || out == nullptr) {
      fprintf(stderr, "eval: cannot write predictions\n");
      return 1;
    }
    newsparse::NerScratch scratch;
    newsparse::NerInput in;
    std::vector<uint8_t> kinds;
    for (const auto& d : *docs) {
      in.Clear();
      for (const auto& w : d.words) in.words.push_back(w);
      in.sentence_starts = d.sentence_starts;
      if (!(*tagger)->TagLabels(in, &scratch).ok()) continue;
      DocumentKinds(in, &kinds);
      size_t sentence = 0;
      for (size_t i = 0; i < d.words.size(); ++i) {
        bool start = false;
        for (uint32_t s : d.sentence_starts) start |= s == i;
        if (start && i > 0) {
          fprintf(out, "\n");
          ++sentence;
        }
        fprintf(out, "%s %s %s %d\n", d.words[i].c_str(), d.tags[i].c_str(),
                newsparse::ner::LabelName(scratch.labels()[i]).c_str(),
                sentence < kinds.size() ? kinds[sentence] : 0);
      }
      fprintf(out, "\n");
    }
    fclose(out);
  }
  auto r = newsparse::EvalNer(**tagger, conll);
  if (!r.ok()) {
    fprintf(stderr, "eval: %s\n", r.status().ToString().c_str());
    return 1;
  }
  const double load_cpu_ms = (static_cast<double>(clock()) / CLOCKS_PER_SEC - c0) * 1000;
  if (!a.Has("json")) printf("model loaded in %.1f ms (%.1f ms CPU)\n", load_ms, load_cpu_ms);
  PrintEval(*r, a.Has("json"));
  return 0;
}

const char kReuters[] = "../shared/data/reuters2006/reuters_2006_2013.jsonl.gz";

// Calls fn(NerInput) for the first --docs articles of --corpus, tokenized as the engine does.
template <typename Fn>
absl::Status ForEachArticle(const Args& a, Fn fn) {
  newsparse::Tokens tokens;
  newsparse::NerInput in;
  return newsparse::ner::ForEachJsonLineText(a.Get("corpus", kReuters), "text",
                                             a.GetInt("docs", 2000), [&](std::string_view t) {
                                               newsparse::Tokenize(t, &tokens);
                                               newsparse::NerInputFromTokens(t, tokens, &in);
                                               fn(in);
                                               return true;
                                             });
}

int Kinds(const Args& a) {
  using newsparse::ner::FeatureExtractor;
  std::vector<std::string_view> cues = FeatureExtractor::SportsCueWords(false);
  const std::vector<std::string_view> weak = FeatureExtractor::SportsCueWords(true);
  if (a.Has("cues")) {
    // "word<TAB>strong|weak" lines (core/ner_features.h LineKinds says how each counts).
    for (std::string_view w : cues) printf("%.*s\tstrong\n", static_cast<int>(w.size()), w.data());
    for (std::string_view w : weak) printf("%.*s\tweak\n", static_cast<int>(w.size()), w.data());
    return 0;
  }
  cues.insert(cues.end(), weak.begin(), weak.end());
  const std::set<std::string_view> cue_set(cues.begin(), cues.end());
  std::vector<uint8_t> kinds;
  int64_t docs = 0, sentences = 0, table_lines = 0, docs_table = 0, docs_sports = 0,
          sports_table = 0, sports_lead_cue = 0, docs_two_distinct = 0;
  std::map<std::string, int64_t> trigger;  // cue word -> sports documents holding it
  absl::Status st = ForEachArticle(a, [&](const newsparse::NerInput& in) {
    const size_t n = in.words.size();
    DocumentKinds(in, &kinds);
    const uint32_t first_end =
        in.sentence_starts.size() > 1 ? in.sentence_starts[1] : static_cast<uint32_t>(n);
    ++docs;
    sentences += static_cast<int64_t>(kinds.size());
    int tables = 0;
    for (uint8_t k : kinds) tables += (k & newsparse::ner::kNerTableLine) != 0 ? 1 : 0;
    table_lines += tables;
    docs_table += tables > 0 ? 1 : 0;
    std::set<std::string> seen;
    bool lead_cue = false;
    for (size_t i = 0; i < n; ++i) {
      std::string w(in.words[i]);
      for (char& c : w) c = static_cast<char>(absl::ascii_tolower(static_cast<unsigned char>(c)));
      if (cue_set.count(w) != 0) {
        seen.insert(w);
        lead_cue |= i < first_end;
      }
    }
    docs_two_distinct += seen.size() >= 2 ? 1 : 0;
    if (!kinds.empty() && (kinds[0] & newsparse::ner::kNerSportsReport) != 0) {
      ++docs_sports;
      sports_table += tables > 0 ? 1 : 0;
      sports_lead_cue += lead_cue ? 1 : 0;
      for (const std::string& w : seen) ++trigger[w];
    }
  });
  if (!st.ok()) {
    fprintf(stderr, "kinds: %s\n", st.ToString().c_str());
    return 1;
  }
  auto pct = [&](int64_t x, int64_t of) { return of > 0 ? 100.0 * x / of : 0.0; };
  printf("articles %lld, sentences %lld\n", static_cast<long long>(docs),
         static_cast<long long>(sentences));
  printf("results/table lines %lld; articles with one or more %lld (%.1f %%)\n",
         static_cast<long long>(table_lines), static_cast<long long>(docs_table),
         pct(docs_table, docs));
  printf(
      "sports report articles %lld (%.1f %%): with a results/table line %lld, with a cue word "
      "in the first sentence %lld\n",
      static_cast<long long>(docs_sports), pct(docs_sports, docs),
      static_cast<long long>(sports_table), static_cast<long long>(sports_lead_cue));
  printf("articles with two distinct cue words, strong or weak %lld (%.1f %%)\n",
         static_cast<long long>(docs_two_distinct), pct(docs_two_distinct, docs));
  std::vector<std::pair<int64_t, std::string>> top;
  for (const auto& [w, c] : trigger) top.emplace_back(-c, w);
  std::sort(top.begin(), top.end());
  printf("cue words in sports report articles:");
  for (size_t i = 0; i < top.size() && i < 12; ++i) {
    printf(" %s %lld", top[i].second.c_str(), static_cast<long long>(-top[i].first));
  }
  printf("\n");
  return 0;
}

// Writes, per article, one line of labels (one letter a token, 'A' + label id) and one line of
// mentions ("begin:end:type" byte spans): output only, no corpus text, for comparing two builds.
int TagDump(const Args& a) {
  auto t = newsparse::EntityTagger::Load(a.Get("model"), a.Get("data_dir", "data"));
  FILE* out = fopen(a.Get("out").c_str(), "w");
  if (!t.ok() || out == nullptr) {
    fprintf(stderr, "tag: %s\n", !t.ok() ? t.status().ToString().c_str() : "cannot write --out");
    if (out != nullptr) fclose(out);
    return 1;
  }
  if (!SetSettledWindow(a, "settled_window", t->get()) || !SetBeam(a, t->get())) {
    fclose(out);
    return 2;
  }
  newsparse::NerScratch scratch;
  std::vector<newsparse::Mention> m;
  absl::Status err;
  absl::Status st = ForEachArticle(a, [&](const newsparse::NerInput& in) {
    if (!err.ok()) return;
    m.clear();
    err = (*t)->TagDocument(in, &scratch, &m);
    if (err.ok()) err = (*t)->TagLabels(in, &scratch);
    if (!err.ok()) return;
    for (uint8_t l : scratch.labels()) fputc('A' + l, out);
    fputc('\n', out);
    for (const auto& x : m) {
      fprintf(out, "%u:%u:%d ", x.span.begin, x.span.end, static_cast<int>(x.type));
    }
    fputc('\n', out);
  });
  fclose(out);
  if (!st.ok() || !err.ok()) {
    fprintf(stderr, "tag: %s\n", (!st.ok() ? st : err).ToString().c_str());
    return 1;
  }
  return 0;
}

// Counts for the settled-token rule at one window over a set of documents.
struct SettledCounts {
  int64_t tokens = 0;
  int64_t settled = 0;         // tokens the rule marks
  int64_t settled_entity = 0;  // of them, labelled as part of an entity by the tagger
  int64_t skipped = 0;         // marked, and the tagger's label before them allows O
  int64_t skipped_entity = 0;  // of them, labelled as part of an entity by the tagger
  int64_t gold_entity = 0;     // marked and inside a gold entity (--conll only)
};

// Adds one document's counts: labels = the tagger's (all tokens scored), gold = non-O per
// token or nullptr.
void CountSettled(const newsparse::NerInput& in, const newsparse::NerScratch& scratch, int before,
                  int after, const std::vector<uint8_t>* gold, std::vector<uint8_t>* marks,
                  SettledCounts* c) {
  const size_t n = in.words.size();
  const std::vector<uint8_t>& labels = scratch.labels();
  marks->assign(n, 0);
  const size_t sentences = std::max<size_t>(in.sentence_starts.size(), 1);
  for (size_t k = 0; k < sentences; ++k) {
    const size_t b = in.sentence_starts.empty() ? 0 : in.sentence_starts[k];
    const size_t e = k + 1 < in.sentence_starts.size() ? in.sentence_starts[k + 1] : n;
    newsparse::ner::FeatureExtractor::SettledTokens(scratch.token_info() + b, e - b, before, after,
                                                    marks->data() + b);
    for (size_t i = b; i < e; ++i) {
      if (!(*marks)[i]) continue;
      ++c->settled;
      const bool entity = labels[i] != 0;
      c->settled_entity += entity ? 1 : 0;
      const int prev = i > b ? labels[i - 1] : -1;
      if (newsparse::ner::AllowedTransition(prev, 0)) {
        ++c->skipped;
        c->skipped_entity += entity ? 1 : 0;
      }
      if (gold != nullptr) c->gold_entity += (*gold)[i] ? 1 : 0;
    }
  }
  c->tokens += static_cast<int64_t>(n);
}

int Settled(const Args& a) {
  auto t =
      newsparse::EntityTagger::Load(a.Get("model", "data/ner.model"), a.Get("data_dir", "data"));
  if (!t.ok()) {
    fprintf(stderr, "settled: %s\n", t.status().ToString().c_str());
    return 1;
  }
  (*t)->set_settled_window(-1, -1);  // score every token
  static constexpr int kWindows[][2] = {{0, 0}, {0, 1}, {1, 1}, {0, 2}, {1, 2}, {2, 2}};
  constexpr size_t kNumWindows = sizeof(kWindows) / sizeof(kWindows[0]);
  std::vector<SettledCounts> counts(kNumWindows);
  newsparse::NerScratch scratch;
  std::vector<uint8_t> marks, gold;
  absl::Status err;
  const bool conll = a.Has("conll");
  auto count = [&](const newsparse::NerInput& in, const std::vector<uint8_t>* g) {
    if (!err.ok()) return;
    err = (*t)->TagLabels(in, &scratch);
    if (!err.ok()) return;
    for (size_t w = 0; w < kNumWindows; ++w) {
      CountSettled(in, scratch, kWindows[w][0], kWindows[w][1], g, &marks, &counts[w]);
    }
  };
  absl::Status st;
  if (conll) {
    auto docs = newsparse::ner::ReadConll(a.Get("conll"));
    if (!docs.ok()) {
      st = docs.status();
    } else {
      newsparse::NerInput in;
      for (const auto& d : *docs) {
        in.Clear();
        for (const auto& w : d.words) in.words.push_back(w);
        in.sentence_starts = d.sentence_starts;
        gold.assign(d.tags.size(), 0);
        for (size_t i = 0; i < d.tags.size(); ++i) gold[i] = d.tags[i] != "O" ? 1 : 0;
        count(in, &gold);
      }
    }
  } else {
    st = ForEachArticle(a, [&](const newsparse::NerInput& in) { count(in, nullptr); });
  }
  if (!st.ok() || !err.ok()) {
    fprintf(stderr, "settled: %s\n", (!st.ok() ? st : err).ToString().c_str());
    return 1;
  }
  auto pct = [](int64_t x, int64_t of) { return of > 0 ? 100.0 * x / of : 0.0; };
  for (size_t w = 0; w < kNumWindows; ++w) {
    const SettledCounts& c = counts[w];
    printf(
        "window %d:%d: tokens %lld, settled %lld (%.1f %%), tagged as entity %lld (%.4f %% of "
        "settled); skipped (label before allows O) %lld (%.1f %% of tokens), tagged as entity "
        "%lld (%.4f %% of skipped)",
        kWindows[w][0], kWindows[w][1], static_cast<long long>(c.tokens),
        static_cast<long long>(c.settled), pct(c.settled, c.tokens),
        static_cast<long long>(c.settled_entity), pct(c.settled_entity, c.settled),
        static_cast<long long>(c.skipped), pct(c.skipped, c.tokens),
        static_cast<long long>(c.skipped_entity), pct(c.skipped_entity, c.skipped));
    if (conll) {
      printf("; gold entity %lld (%.4f %% of settled)", static_cast<long long>(c.gold_entity),
             pct(c.gold_entity, c.settled));
    }
    printf("\n");
  }
  return 0;
}

int Compare(const Args& a) {
  const std::string dir = a.Get("data_dir", "data");
  auto ta = newsparse::EntityTagger::Load(a.Get("model_a"), dir);
  auto tb = newsparse::EntityTagger::Load(a.Get("model_b"), dir);
  if (!ta.ok() || !tb.ok()) {
    fprintf(stderr, "compare: %s\n", (!ta.ok() ? ta.status() : tb.status()).ToString().c_str());
    return 1;
  }
  if (!SetSettledWindow(a, "settled_window_a", ta->get()) ||
      !SetSettledWindow(a, "settled_window_b", tb->get())) {
    return 2;
  }
  newsparse::NerScratch sa, sb;
  std::vector<newsparse::Mention> ma, mb;
  int64_t docs = 0, tokens = 0, changed = 0, docs_changed = 0, na = 0, nb = 0, only_a = 0,
          only_b = 0;
  absl::Status err;
  absl::Status st = ForEachArticle(a, [&](const newsparse::NerInput& in) {
    if (!err.ok()) return;
    absl::Status s1 = (*ta)->TagLabels(in, &sa);
    absl::Status s2 = (*tb)->TagLabels(in, &sb);
    if (!s1.ok() || !s2.ok()) {
      err = !s1.ok() ? s1 : s2;
      return;
    }
    int64_t c = 0;
    for (size_t i = 0; i < in.words.size(); ++i) c += sa.labels()[i] != sb.labels()[i] ? 1 : 0;
    ++docs;
    tokens += static_cast<int64_t>(in.words.size());
    changed += c;
    docs_changed += c > 0 ? 1 : 0;
    ma.clear();
    mb.clear();
    err = (*ta)->TagDocument(in, &sa, &ma);
    if (err.ok()) err = (*tb)->TagDocument(in, &sb, &mb);
    auto key = [](const newsparse::Mention& m) {
      return std::make_tuple(m.span.begin, m.span.end, static_cast<int>(m.type));
    };
    std::set<std::tuple<uint32_t, uint32_t, int>> ka, kb;
    for (const auto& m : ma) ka.insert(key(m));
    for (const auto& m : mb) kb.insert(key(m));
    na += static_cast<int64_t>(ka.size());
    nb += static_cast<int64_t>(kb.size());
    for (const auto& k : ka) only_a += kb.count(k) == 0 ? 1 : 0;
    for (const auto& k : kb) only_b += ka.count(k) == 0 ? 1 : 0;
  });
  if (!st.ok() || !err.ok()) {
    fprintf(stderr, "compare: %s\n", (!st.ok() ? st : err).ToString().c_str());
    return 1;
  }
  auto pct = [](int64_t x, int64_t of) { return of > 0 ? 100.0 * x / of : 0.0; };
  printf("articles %lld, tokens %lld\n", static_cast<long long>(docs),
         static_cast<long long>(tokens));
  printf("token labels changed %lld (%.3f %%), in %lld articles\n", static_cast<long long>(changed),
         pct(changed, tokens), static_cast<long long>(docs_changed));
  printf(
      "mentions A %lld, B %lld; only in A (span and type) %lld (%.2f %% of A), only in B %lld "
      "(%.2f %% of B)\n",
      static_cast<long long>(na), static_cast<long long>(nb), static_cast<long long>(only_a),
      pct(only_a, na), static_cast<long long>(only_b), pct(only_b, nb));
  return 0;
}

}  // namespace

// Counts the model's mentions in the first --docs articles by phrase and type (see the usage).
int Silver(const Args& a) {
  using newsparse::ner::Combine;
  using newsparse::ner::HashLower;
  using newsparse::ner::PhraseHashStart;
  constexpr int kTypes = newsparse::ner::kNumTypes;
  auto t = newsparse::EntityTagger::Load(a.Get("model"), a.Get("data_dir", "data"));
  if (!t.ok()) {
    fprintf(stderr, "silver: %s\n", t.status().ToString().c_str());
    return 1;
  }
  newsparse::NerScratch scratch;
  // Per phrase: mentions by type, then (pass 2) the phrase's occurrences, tagged or not.
  using Counts = std::array<int64_t, kTypes + 1>;
  std::map<std::string, Counts> counts;
  absl::flat_hash_map<uint64_t, Counts*> by_hash;  // phrase hash (Gazetteer's) -> counts
  absl::flat_hash_set<uint64_t> prefixes;          // hashes of the phrases' proper prefixes
  absl::Status err;
  int64_t articles = 0, mentions = 0, too_long = 0;
  std::string phrase;
  absl::Status st = ForEachArticle(a, [&](const newsparse::NerInput& in) {
    if (!err.ok()) return;
    err = (*t)->TagLabels(in, &scratch);
    if (!err.ok()) return;
    ++articles;
    const auto& labels = scratch.labels();
    size_t begin = 0;
    for (size_t i = 0; i < labels.size(); ++i) {
      const int part = newsparse::ner::LabelPart(labels[i]);
      if (part == newsparse::ner::kPartB || part == newsparse::ner::kPartU) begin = i;
      if (part != newsparse::ner::kPartL && part != newsparse::ner::kPartU) continue;
      ++mentions;
      if (i + 1 - begin > static_cast<size_t>(newsparse::ner::kMaxGazetteerPhrase)) {
        ++too_long;
        continue;
      }
      phrase.clear();
      uint64_t h = PhraseHashStart();
      for (size_t k = begin; k <= i; ++k) {
        if (k > begin) {
          phrase.push_back(' ');
          prefixes.insert(h);
        }
        phrase.append(in.words[k].data(), in.words[k].size());
        h = Combine(h, HashLower(in.words[k]));
      }
      absl::AsciiStrToLower(&phrase);
      // A tab or line break would break the file's lines; '#' first reads as a comment.
      if (phrase.find_first_of("\t\n\r") != std::string::npos || phrase.empty() ||
          phrase[0] == '#') {
        continue;
      }
      Counts& c = counts[phrase];  // value-initialised: zeros
      ++c[newsparse::ner::LabelType(labels[i])];
      by_hash[h] = &c;
    }
  });
  // Pass 2: every occurrence of a counted phrase (ASCII case-insensitive, as the gazetteer
  // matches), so that a phrase the tagger labels only now and then ("the") can be left out.
  std::vector<uint64_t> lower;
  if (st.ok() && err.ok()) {
    st = ForEachArticle(a, [&](const newsparse::NerInput& in) {
      const size_t n = in.words.size();
      lower.resize(n);
      for (size_t i = 0; i < n; ++i) lower[i] = HashLower(in.words[i]);
      for (size_t i = 0; i < n; ++i) {
        uint64_t h = PhraseHashStart();
        for (size_t len = 1; len <= newsparse::ner::kMaxGazetteerPhrase && i + len <= n; ++len) {
          h = Combine(h, lower[i + len - 1]);
          auto it = by_hash.find(h);
          if (it != by_hash.end()) ++(*it->second)[kTypes];
          if (!prefixes.contains(h)) break;
        }
      }
    });
  }
  if (!st.ok() || !err.ok()) {
    fprintf(stderr, "silver: %s\n", (!st.ok() ? st : err).ToString().c_str());
    return 1;
  }
  FILE* out = fopen(a.Get("out").c_str(), "w");
  if (out == nullptr) {
    fprintf(stderr, "silver: cannot write --out\n");
    return 1;
  }
  for (const auto& [p, c] : counts) {
    fprintf(out, "%s", p.c_str());
    for (int64_t x : c) fprintf(out, "\t%lld", static_cast<long long>(x));
    fputc('\n', out);
  }
  const bool write_ok = fclose(out) == 0;
  fprintf(stderr,
          "silver: %lld articles, %lld mentions (%lld longer than %d tokens), %zu phrases\n",
          static_cast<long long>(articles), static_cast<long long>(mentions),
          static_cast<long long>(too_long), newsparse::ner::kMaxGazetteerPhrase, counts.size());
  return write_ok ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(
        stderr,
        "usage: newsparse_ner clusters|train|eval|kinds|compare|tag|silver|settled [--flags]\n");
    return 2;
  }
  const std::string cmd = argv[1];
  const Subcommand* sub = nullptr;
  for (const Subcommand& c : Subcommands()) {
    if (cmd == c.name) sub = &c;
  }
  if (sub == nullptr) {
    fprintf(stderr, "unknown subcommand %s\n", cmd.c_str());
    return 2;
  }
  const Args a = Parse(argc, argv, *sub);
  if (cmd == "clusters") return Clusters(a);
  if (cmd == "train") return Train(a);
  if (cmd == "eval") return Eval(a);
  if (cmd == "kinds") return Kinds(a);
  if (cmd == "compare") return Compare(a);
  if (cmd == "tag") return TagDump(a);
  if (cmd == "silver") return Silver(a);
  if (cmd == "settled") return Settled(a);
  fprintf(stderr, "unknown subcommand %s\n", cmd.c_str());
  return 2;
}
