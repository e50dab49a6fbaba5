// Scores the attribution finder on PolNeAR dev (or any file in its format).
//
//   attribution_eval [--data DIR] [--gold PATH] [--json] [--errors PATH]
//                    [--agreement | --multi-annotated]
//
// --agreement scores the annotators instead of the finder: every non-primary annotation against
// the primary one of its article (the human ceiling); --multi-annotated scores the finder on those
// articles only, for a like-for-like comparison.
// --gold defaults to $NEWSPARSE_SHARED_DATA/polnear/dev.jsonl.gz (else ../shared/data beside the
// checkout); --data to the library's data folder. --cue-source / --cue-span pick where cues and
// their spans come from (AttributionOptions). Exit status 0 on success, 1 on an error, 2 on a
// bad argument.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/attribution.h"
#include "core/attribution_eval.h"
#include "core/engine.h"

namespace {

void PrintPrf(const char* name, const newsparse::Prf& p) {
  std::printf("  %-8s P %6.2f  R %6.2f  F1 %6.2f\n", name, 100 * p.precision(), 100 * p.recall(),
              100 * p.f1());
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = newsparse::DefaultDataDir();
  const char* shared = std::getenv("NEWSPARSE_SHARED_DATA");
  std::string gold =
      std::string(shared != nullptr && *shared != '\0' ? shared : NEWSPARSE_DEFAULT_SHARED_DATA) +
      "/polnear/dev.jsonl.gz";
  std::string errors;
  bool json = false;
  bool agreement = false, multi_annotated = false;
  newsparse::AttributionOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") {
      json = true;
    } else if (a == "--agreement") {
      agreement = true;
    } else if (a == "--multi-annotated") {
      multi_annotated = true;
    } else if (a == "--cue-threshold" && i + 1 < argc) {
      options.cue_threshold = static_cast<float>(std::atof(argv[++i]));
    } else if (a == "--min-candidate-ratio" && i + 1 < argc) {
      options.min_candidate_ratio = std::atof(argv[++i]);
    } else if (a == "--sure-cue-ratio" && i + 1 < argc) {
      options.sure_cue_ratio = std::atof(argv[++i]);
    } else if (a == "--span-model" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v == "off") {
        options.span_model = newsparse::SpanModelUse::kOff;
      } else if (v == "fallback") {
        options.span_model = newsparse::SpanModelUse::kFallback;
      } else if (v == "first") {
        options.span_model = newsparse::SpanModelUse::kFirst;
      } else {
        std::fprintf(stderr, "--span-model: off, fallback or first\n");
        return 2;
      }
    } else if (a == "--min-span-content" && i + 1 < argc) {
      options.min_span_content = static_cast<uint32_t>(std::atoi(argv[++i]));
    } else if (a == "--span-cue-threshold" && i + 1 < argc) {
      options.span_cue_threshold = static_cast<float>(std::atof(argv[++i]));
    } else if (a == "--span-source-optional") {
      options.span_requires_source = false;
    } else if (a == "--cue-source" && i + 1 < argc) {
      const std::string v = argv[++i];
      options.cue_source = v == "rules"  ? newsparse::CueSource::kRules
                           : v == "both" ? newsparse::CueSource::kTaggerAndRules
                                         : newsparse::CueSource::kTagger;
    } else if (a == "--cue-span" && i + 1 < argc) {
      const std::string v = argv[++i];
      options.cue_span = v == "rules"   ? newsparse::CueSpan::kRules
                         : v == "union" ? newsparse::CueSpan::kUnion
                                        : newsparse::CueSpan::kTagger;
    } else if (a == "--tagger-fallback" || a == "--no-tagger-fallback") {
      options.tagger_fallback = a == "--tagger-fallback";
    } else if (a == "--no-cue-model") {
      options.use_cue_model = false;
    } else if (a == "--min-seed-ratio" && i + 1 < argc) {
      options.min_seed_ratio = std::atof(argv[++i]);
    } else if (a == "--min-learned-ratio" && i + 1 < argc) {
      options.min_learned_ratio = std::atof(argv[++i]);
    } else if (a == "--min-learned-count" && i + 1 < argc) {
      options.min_learned_count = std::atoi(argv[++i]);
    } else if ((a == "--errors" || a == "--gold" || a == "--data") && i + 1 < argc) {
      (a == "--errors" ? errors : a == "--gold" ? gold : data_dir) = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--data DIR] [--gold PATH] [--json] [--errors PATH]\n"
                   "  [--agreement | --multi-annotated]\n"
                   "  [--min-seed-ratio X] [--min-learned-ratio X] [--min-learned-count N]\n"
                   "  [--cue-threshold X] [--sure-cue-ratio X] [--no-cue-model]\n"
                   "  [--span-model off|fallback|first] [--min-span-content N]\n"
                   "  [--span-source-optional] [--span-cue-threshold X]\n"
                   "  [--cue-source tagger|rules|both] [--cue-span tagger|rules|union]\n"
                   "  [--tagger-fallback | --no-tagger-fallback]\n",
                   argv[0]);
      return 2;
    }
  }
  if (agreement && (multi_annotated || !errors.empty())) {
    std::fprintf(stderr, "--agreement takes neither --multi-annotated nor --errors\n");
    return 2;
  }
  absl::StatusOr<newsparse::AttributionEvalResult> result;
  if (agreement) {
    result = newsparse::EvaluateAgreement(gold);
  } else {
    auto finder = newsparse::AttributionFinder::Create(data_dir, options);
    if (!finder.ok()) {
      std::fprintf(stderr, "%s\n", std::string(finder.status().message()).c_str());
      return 1;
    }
    result = newsparse::EvaluateAttributions(**finder, gold, errors, multi_annotated);
  }
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", std::string(result.status().message()).c_str());
    return 1;
  }
  const newsparse::AttributionEvalResult& r = *result;
  if (json) {
    std::printf("%s\n", newsparse::AttributionEvalJson(r).c_str());
  } else {
    std::printf("%s: %d articles, %d gold, %d predicted, %d matched by cue", gold.c_str(),
                r.articles, r.gold, r.predicted, r.matched);
    if (agreement) {
      std::printf(" (%d annotations scored against their article's primary one)", r.comparisons);
    }
    std::printf("\n");
    const std::pair<const char*, const newsparse::FieldScores*> fields[] = {
        {"cue", &r.cue}, {"source", &r.source}, {"content", &r.content}};
    for (const auto& [name, f] : fields) {
      std::printf("%s\n", name);
      PrintPrf("exact", f->exact);
      PrintPrf("overlap", f->overlap);
    }
    PrintPrf("all_exact", r.all_exact);
  }
  if (agreement) return 0;  // the annotators' disagreements are not classified
  // The most common error kinds, on stderr.
  std::vector<std::pair<int, std::string>> kinds;
  for (const auto& [k, n] : r.error_kinds) {
    if (k.rfind("  (detail)", 0) != 0) kinds.emplace_back(n, k);
  }
  std::sort(kinds.rbegin(), kinds.rend());
  std::fprintf(stderr, "error kinds (matched pairs count once per field):\n");
  for (size_t i = 0; i < kinds.size() && i < 25; ++i) {
    std::fprintf(stderr, "  %5d  %s\n", kinds[i].first, kinds[i].second.c_str());
  }
  return 0;
}
