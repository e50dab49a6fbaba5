// Word clusters for the entity-recognition stage: induction (the `clusters` tool) and the
// run-time table.
//
// Method: the predictive exchange algorithm (Uszkoreit & Brants 2008, after Kneser & Ney 1993 and
// Martin, Liermann & Ney 1998). Each vocabulary word v gets one class c(v) maximising the
// likelihood of the class bigram model p(v | u) = p(c(v) | u) p(v | c(v)), i.e. maximising
//   sum_{u,c} N(u,c) log N(u,c) - sum_c N(c) log N(c)
// where N(u,c) counts word u followed by a word of class c. Words are visited in frequency order
// and moved to the class that increases the objective most; a pass costs
// O(#bigram types x #classes), so 50 M words and 1000 classes take minutes, where agglomerative
// Brown clustering (O(V C^2)) takes hours. It is run independently at several granularities
// (default 64, 256, 1000 classes); the tagger uses each granularity as a feature, in place of Brown
// bit-path prefixes.
//
// Thread safety: InduceClusters is single-threaded and self-contained; a loaded ClusterTable is
// immutable and safe to share between threads.
#ifndef NEWSPARSE_CORE_CLUSTERS_H_
#define NEWSPARSE_CORE_CLUSTERS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ner_hash.h"

namespace newsparse {
namespace ner {

inline constexpr int kMaxClusterLevels = 3;

struct ClusterOptions {
  std::string corpus_path;  // gzip JSON lines with a string member `text_field`
  std::string text_field = "text";
  std::string output_path;                         // the table (TSV) to write
  std::vector<int> num_classes = {64, 256, 1000};  // 1..kMaxClusterLevels granularities
  int min_count = 20;                              // words seen fewer times are out of vocabulary
  int max_vocab = 60000;                           // keep at most this many most frequent words
  int iterations = 8;     // exchange passes per granularity (stops early at no moves)
  int64_t max_lines = 0;  // read at most this many corpus lines (0 = all)
  std::function<void(const std::string&)> log;  // progress messages (may be empty)
};

struct ClusterReport {
  int64_t documents = 0;
  int64_t tokens = 0;
  int64_t vocabulary = 0;  // words written to the table
  int64_t bigram_types = 0;
  double read_seconds = 0;
  std::vector<double> level_seconds;  // one per granularity
  std::vector<double> objective;      // final objective per granularity (per token)
};

// Reads the corpus, tokenizes it with SimpleTokenize (documents separated by a boundary symbol),
// induces the classes and writes the table: '#' comment lines, then one line per word,
// "word<TAB>class_level0<TAB>...<TAB>log2(count)", most frequent first.
// Errors: InvalidArgument for bad options, the reader's errors, Internal/Unavailable for output
// I/O. Deterministic for a given corpus and options.
absl::Status InduceClusters(const ClusterOptions& options, ClusterReport* report);

// The same algorithm on an in-memory sequence of word ids in [0, vocab_size) (the boundary
// handling is the caller's): returns the class of every id. Exposed for tests.
std::vector<uint16_t> ExchangeClusters(const std::vector<uint32_t>& ids, int vocab_size,
                                       int num_classes, int iterations, double* objective);

struct ClusterEntry {
  std::array<uint16_t, kMaxClusterLevels> cls = {0, 0, 0};
  uint8_t log2_count = 0;
};

// The run-time table: word -> classes, keyed by HashBytes(word). Lookups are case-sensitive;
// FeatureExtractor falls back on the capitalised and the lower-cased form ("BERLIN" -> "Berlin").
class ClusterTable {
 public:
  // Loads a table written by InduceClusters. Errors: NotFound, InvalidArgument (bad line).
  static absl::StatusOr<ClusterTable> Load(const std::string& path);
  // Parses the content of such a table. Errors: InvalidArgument (bad line).
  static absl::StatusOr<ClusterTable> Parse(std::string_view content);

  // A compact binary image of the table (embedded in the model file so that loading needs no
  // parsing or hashing), and back. FromBlob errors: DataLoss for a malformed image.
  std::string ToBlob() const;
  static absl::StatusOr<ClusterTable> FromBlob(std::string_view blob);

  // Adds (word, entry); the first entry of a word wins (tests build tables this way).
  void Add(std::string_view word, const ClusterEntry& entry);

  // The entry for exactly this word hash, or nullptr.
  const ClusterEntry* FindExact(uint64_t exact_hash) const { return exact_.Find(exact_hash); }
  // Asks the CPU to load FindExact(exact_hash)'s first read into its caches.
  __attribute__((always_inline)) void Prefetch(uint64_t exact_hash) const {
    exact_.Prefetch(exact_hash);
  }
  int levels() const { return levels_; }
  size_t size() const { return exact_.size(); }

 private:
  HashTable64<ClusterEntry> exact_;
  int levels_ = 0;
};

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_CLUSTERS_H_
