// Corpora at scale: reading JSON Lines (plain or gzip) and running the engine over a whole corpus
// with N threads sharing one engine, with per-stage timing. This is the C++ behind
// `newsparse bench` and the benchmarks.
//
// Thread safety: the functions are re-entrant; RunCorpus/StreamCorpus start and join their own
// threads and share only the (immutable) engine.
#ifndef NEWSPARSE_CORE_CORPUS_H_
#define NEWSPARSE_CORE_CORPUS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/engine.h"

namespace newsparse {

// Reads every line of a gzip-compressed or plain file (at most `max_lines`; 0 = all).
// Errors: NotFound when the file cannot be opened, DataLoss when it cannot be read.
absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path, size_t max_lines);

// The `field` string of each JSON Lines record of `path` (at most `max_docs`; 0 = all). Records
// that lack the field are skipped. Errors as ReadLines.
absl::StatusOr<std::vector<std::string>> LoadCorpusTexts(const std::string& path,
                                                         const std::string& field, size_t max_docs);

struct CorpusRunReport {
  int threads = 1;
  double seconds = 0;         // wall-clock time of the parse (the corpus load excluded)
  StageStats stats;           // summed over threads; stage times are CPU-thread seconds
  uint64_t output_bytes = 0;  // size of the JSON produced
  uint64_t peak_rss_kb = 0;   // of the whole process, at the end of the run
  // CPU time of the parsing threads over the whole parse (CLOCK_THREAD_CPUTIME_ID, summed over
  // threads; the workspaces' first touch included): unlike `seconds` it leaves out the time a
  // thread waits for a core, so MB per CPU-second is the per-core speed on a loaded machine too.
  double cpu_seconds = 0;
};

// Parses every text (JSON output included) with ResolveThreads(threads, texts.size()) threads
// sharing `engine` (0: every core; never more threads than texts); the report gives that count.
CorpusRunReport RunCorpus(const Engine& engine, const std::vector<std::string>& texts,
                          const ParseOptions& options, int threads);

// Streams the JSON Lines corpus at `path` from disk in chunks of about `chunk_bytes` of text,
// cycling over it until `target_bytes` of text have been parsed (0: one pass), so memory stays
// bounded by the chunk. `progress(bytes_done, articles_done)` is called after each chunk.
// Errors: as ReadLines; InvalidArgument when the corpus holds no text.
absl::StatusOr<CorpusRunReport> StreamCorpus(
    const Engine& engine, const std::string& path, const std::string& field, uint64_t target_bytes,
    uint64_t chunk_bytes, const ParseOptions& options, int threads,
    const std::function<void(uint64_t, uint64_t)>& progress);

// Peak resident set size of this process in KiB.
uint64_t PeakRssKb();

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_CORPUS_H_
