#include "core/corpus.h"

#include <sys/resource.h>
#include <time.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "core/jsonl.h"

namespace newsparse {
namespace {

// A line reader over a gzip or plain file.
class LineReader {
 public:
  ~LineReader() {
    if (file_ != nullptr) gzclose(file_);
  }
  absl::Status Open(const std::string& path) {
    if (file_ != nullptr) gzclose(file_);
    file_ = gzopen(path.c_str(), "rb");  // reads plain files too
    if (file_ == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
    gzbuffer(file_, 1 << 20);
    path_ = path;
    pos_ = len_ = 0;
    eof_ = false;
    return absl::OkStatus();
  }
  // Reads the next line into `line`; false at end of file. Errors: DataLoss.
  absl::StatusOr<bool> Next(std::string* line) {
    line->clear();
    while (true) {
      if (pos_ == len_) {
        if (eof_) return !line->empty();
        const int n = gzread(file_, buf_.get(), kBuf);
        if (n < 0) return absl::DataLossError(absl::StrCat("cannot read ", path_));
        if (n == 0) {
          eof_ = true;
          return !line->empty();
        }
        pos_ = 0;
        len_ = static_cast<size_t>(n);
      }
      const char* start = buf_.get() + pos_;
      const void* nl = std::memchr(start, '\n', len_ - pos_);
      if (nl != nullptr) {
        const size_t n = static_cast<const char*>(nl) - start;
        line->append(start, n);
        pos_ += n + 1;
        return true;
      }
      line->append(start, len_ - pos_);
      pos_ = len_;
    }
  }

 private:
  static constexpr int kBuf = 1 << 20;
  gzFile file_ = nullptr;
  std::string path_;
  std::unique_ptr<char[]> buf_{new char[kBuf]};
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
};

// CPU time of the calling thread in seconds.
double ThreadCpuSeconds() {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

uint64_t PeakRssKb() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<uint64_t>(usage.ru_maxrss);
}

absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path, size_t max_lines) {
  LineReader reader;
  if (absl::Status s = reader.Open(path); !s.ok()) return s;
  std::vector<std::string> lines;
  std::string line;
  while (max_lines == 0 || lines.size() < max_lines) {
    absl::StatusOr<bool> more = reader.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    lines.push_back(line);
  }
  return lines;
}

absl::StatusOr<std::vector<std::string>> LoadCorpusTexts(const std::string& path,
                                                         const std::string& field,
                                                         size_t max_docs) {
  LineReader reader;
  if (absl::Status s = reader.Open(path); !s.ok()) return s;
  JsonlFields fields;
  fields.text_field = field;
  JsonlRecord record;
  JsonlError error;
  std::vector<std::string> texts;
  std::string line;
  while (max_docs == 0 || texts.size() < max_docs) {
    absl::StatusOr<bool> more = reader.Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (ParseJsonlRecord(line, fields, &record, &error)) texts.push_back(std::move(record.text));
  }
  return texts;
}

CorpusRunReport RunCorpus(const Engine& engine, const std::vector<std::string>& texts,
                          const ParseOptions& options, int threads) {
  // As every batch call resolves it: no more threads than texts (extra ones would only idle).
  threads = ResolveThreads(threads, texts.size());
  ParseOptions opts = options;
  opts.collect_stats = true;
  std::vector<StageStats> per_thread(threads);
  std::vector<uint64_t> out_bytes(threads, 0);
  std::vector<double> cpu_seconds(threads, 0);
  std::atomic<size_t> next{0};
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&](int t) {
    const double cpu_start = ThreadCpuSeconds();
    Workspace ws;
    std::string out;
    while (true) {
      // Small blocks keep the threads balanced without contention on the counter.
      const size_t b = next.fetch_add(16, std::memory_order_relaxed);
      if (b >= texts.size()) break;
      const size_t e = std::min(texts.size(), b + 16);
      for (size_t i = b; i < e; ++i) {
        out.clear();
        engine.ParseToJson(texts[i], opts, "", &ws, &out);
        out_bytes[t] += out.size();
      }
    }
    per_thread[t] = ws.stats;
    cpu_seconds[t] = ThreadCpuSeconds() - cpu_start;  // the workspace's first touch included
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (std::thread& th : pool) th.join();
  CorpusRunReport report;
  report.threads = threads;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (int t = 0; t < threads; ++t) {
    report.stats.Add(per_thread[t]);
    report.output_bytes += out_bytes[t];
    report.cpu_seconds += cpu_seconds[t];
  }
  report.peak_rss_kb = PeakRssKb();
  return report;
}

absl::StatusOr<CorpusRunReport> StreamCorpus(
    const Engine& engine, const std::string& path, const std::string& field, uint64_t target_bytes,
    uint64_t chunk_bytes, const ParseOptions& options, int threads,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  LineReader reader;
  if (absl::Status s = reader.Open(path); !s.ok()) return s;
  JsonlFields fields;
  fields.text_field = field;
  JsonlRecord record;
  JsonlError error;
  CorpusRunReport total;
  std::vector<std::string> chunk;
  std::string line;
  uint64_t done = 0;
  bool any_text = false;
  while (true) {
    chunk.clear();
    uint64_t chunk_size = 0;
    bool wrapped = false;
    while (chunk_size < chunk_bytes) {
      if (target_bytes > 0 && done + chunk_size >= target_bytes) break;
      absl::StatusOr<bool> more = reader.Next(&line);
      if (!more.ok()) return more.status();
      if (!*more) {
        wrapped = true;
        break;
      }
      if (!ParseJsonlRecord(line, fields, &record, &error)) continue;
      chunk_size += record.text.size();
      chunk.push_back(std::move(record.text));
    }
    if (!chunk.empty()) {
      any_text = true;
      const CorpusRunReport r = RunCorpus(engine, chunk, options, threads);
      total.threads = std::max(total.threads, r.threads);
      total.seconds += r.seconds;
      total.cpu_seconds += r.cpu_seconds;
      total.stats.Add(r.stats);
      total.output_bytes += r.output_bytes;
      done += chunk_size;
      if (progress) progress(done, total.stats.articles);
    }
    if (target_bytes > 0 && done >= target_bytes) break;
    if (wrapped) {
      if (target_bytes == 0) break;
      if (!any_text) return absl::InvalidArgumentError(absl::StrCat(path, " holds no text"));
      if (absl::Status s = reader.Open(path); !s.ok()) return s;  // cycle
    }
  }
  if (!any_text) return absl::InvalidArgumentError(absl::StrCat(path, " holds no text"));
  total.peak_rss_kb = PeakRssKb();
  return total;
}

}  // namespace newsparse
