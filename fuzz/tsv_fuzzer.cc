// The text and binary loaders of the run-time data other than the model file itself: the NER
// gazetteer (ner_gazetteer.tsv and its binary image), the word-cluster table (ner_clusters.tsv and
// its image) and the attribution cue lexicon (attribution_cues.tsv). Byte 0 picks the loader, the
// rest is the file. Any content gives a loaded table or an error status naming the problem.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/attribution.h"
#include "core/clusters.h"
#include "core/ner_gazetteer.h"
#include "core/ner_hash.h"
#include "core/tokenizer.h"

namespace {

template <typename StatusOrT>
bool Check(const StatusOrT& s) {
  if (!s.ok() && s.status().message().empty()) std::abort();
  return s.ok();
}

void UseGazetteer(const newsparse::ner::Gazetteer& g) {
  // Match over a few hashed words must stay inside the mask array.
  const std::string_view words[] = {"new", "york", "paris", "bank", "of", "oslo"};
  uint64_t hashes[6];
  uint64_t masks[6] = {};
  for (int i = 0; i < 6; ++i) hashes[i] = newsparse::ner::HashBytes(words[i]);
  g.Match(hashes, 6, masks);
  // The image of a loaded table loads again.
  if (!newsparse::ner::Gazetteer::FromBlob(g.ToBlob()).ok()) std::abort();
}

void UseClusters(const newsparse::ner::ClusterTable& t) {
  t.FindExact(newsparse::ner::HashBytes("the"));
  if (t.levels() == 0) return;  // an empty table has no image
  auto again = newsparse::ner::ClusterTable::FromBlob(t.ToBlob());
  if (!again.ok() || again->levels() != t.levels()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view file(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto g = newsparse::ner::Gazetteer::Parse(file);
      if (Check(g)) UseGazetteer(*g);
      break;
    }
    case 1: {
      auto g = newsparse::ner::Gazetteer::FromBlob(file);
      if (Check(g)) UseGazetteer(*g);
      break;
    }
    case 2: {
      auto t = newsparse::ner::ClusterTable::Parse(file);
      if (Check(t)) UseClusters(*t);
      break;
    }
    case 3: {
      auto t = newsparse::ner::ClusterTable::FromBlob(file);
      if (Check(t)) UseClusters(*t);
      break;
    }
    default: {
      newsparse::AttributionOptions options;
      options.use_cue_model = false;
      auto f = newsparse::AttributionFinder::CreateFromLexicon(file, options);
      if (!Check(f)) break;
      constexpr std::string_view kText =
          "\"We will pay,\" the minister said. Officials told reporters the bank agreed.";
      newsparse::Tokens tokens;
      newsparse::Tokenize(kText, &tokens);
      newsparse::AttributionScratch scratch;
      std::vector<newsparse::Attribution> out;
      (*f)->Find(kText, tokens, {}, &scratch, &out);
      for (const newsparse::Attribution& a : out) {
        if (a.cue.end > kText.size() || a.cue.begin > a.cue.end) std::abort();
      }
      break;
    }
  }
  return 0;
}
