// newsparse_ner: the entity-recognition driver.
//
//   newsparse_ner clusters --corpus=PATH --out=data/ner_clusters.tsv [--classes=64,256,1000]
//                          [--min_count=20] [--max_vocab=60000] [--iterations=8] [--max_lines=0]
//   newsparse_ner train --train=eng.train --dev=eng.testa --out=data/ner.model [--data_dir=data]
//                       [--epochs=N] [--seed=N] [--mixtures=N] [--folds=N] [--rows=N]
//                       [--no_clusters] [--no_gazetteer] [--no_document] [--no_context]
//                       [--no_kinds]
//   newsparse_ner eval --model=data/ner.model --data_dir=data --conll=eng.testa [--json]
//                      [--predictions=PATH]   (writes "word gold predicted" lines)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "core/clusters.h"
#include "core/entities.h"
#include "core/ner_corpus.h"
#include "core/ner_train.h"

namespace {

struct Args {
  std::vector<std::pair<std::string, std::string>> flags;
  bool Has(const std::string& name) const {
    for (const auto& f : flags) {
      if (f.first == name) return true;
    }
    return false;
  }
  std::string Get(const std::string& name, const std::string& def = "") const {
    for (const auto& f : flags) {
      if (f.first == name) return f.second;
    }
    return def;
  }
  int64_t GetInt(const std::string& name, int64_t def) const {
    int64_t v;
    std::string s = Get(name);
    if (s.empty() || !absl::SimpleAtoi(s, &v)) return def;
    return v;
  }
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) != 0) continue;
    s = s.substr(2);
    size_t eq = s.find('=');
    if (eq == std::string::npos)
      a.flags.emplace_back(s, "");
    else
      a.flags.emplace_back(s.substr(0, eq), s.substr(eq + 1));
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
  newsparse::NerTrainOptions o;
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
    for (const auto& d : *docs) {
      in.Clear();
      for (const auto& w : d.words) in.words.push_back(w);
      in.sentence_starts = d.sentence_starts;
      if (!(*tagger)->TagLabels(in, &scratch).ok()) continue;
      for (size_t i = 0; i < d.words.size(); ++i) {
        bool start = false;
        for (uint32_t s : d.sentence_starts) start |= s == i;
        if (start && i > 0) fprintf(out, "\n");
        fprintf(out, "%s %s %s\n", d.words[i].c_str(), d.tags[i].c_str(),
                newsparse::ner::LabelName(scratch.labels()[i]).c_str());
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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: newsparse_ner clusters|train|eval [--flags]\n");
    return 2;
  }
  std::string cmd = argv[1];
  Args a = Parse(argc, argv);
  if (cmd == "clusters") return Clusters(a);
  if (cmd == "train") return Train(a);
  if (cmd == "eval") return Eval(a);
  fprintf(stderr, "unknown subcommand %s\n", cmd.c_str());
  return 2;
}
