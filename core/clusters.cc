#include "core/clusters.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/ner_corpus.h"
#include "core/ner_hash.h"
#include "core/status.h"

namespace newsparse {
namespace ner {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// x log x with a table for small counts.
class XLogX {
 public:
  XLogX() : table_(kSize) {
    table_[0] = 0;
    for (int i = 1; i < kSize; ++i) table_[i] = i * std::log(static_cast<double>(i));
  }
  double operator()(int64_t x) const {
    if (x < kSize) return table_[x];
    return static_cast<double>(x) * std::log(static_cast<double>(x));
  }

 private:
  static constexpr int kSize = 1 << 16;
  std::vector<double> table_;
};

}  // namespace

std::vector<uint16_t> ExchangeClusters(const std::vector<uint32_t>& ids, int vocab_size,
                                       int num_classes, int iterations, double* objective) {
  const int V = vocab_size;
  const int C = std::max(1, std::min(num_classes, V));
  // Bigram types grouped by successor: keys (v << 32 | u), sorted.
  std::vector<uint64_t> keys;
  keys.reserve(ids.size());
  for (size_t i = 1; i < ids.size(); ++i) {
    keys.push_back((static_cast<uint64_t>(ids[i]) << 32) | ids[i - 1]);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<uint32_t> pred_begin(V + 1, 0);
  std::vector<uint32_t> pred_word;
  std::vector<uint32_t> pred_count;
  for (size_t i = 0; i < keys.size();) {
    size_t j = i;
    while (j < keys.size() && keys[j] == keys[i]) ++j;
    uint32_t v = static_cast<uint32_t>(keys[i] >> 32);
    pred_word.push_back(static_cast<uint32_t>(keys[i] & 0xffffffffu));
    pred_count.push_back(static_cast<uint32_t>(j - i));
    pred_begin[v + 1]++;
    i = j;
  }
  std::vector<uint64_t>().swap(keys);
  for (int v = 0; v < V; ++v) pred_begin[v + 1] += pred_begin[v];

  std::vector<int64_t> nv(V, 0);  // count of v as a successor
  for (int v = 0; v < V; ++v) {
    for (uint32_t p = pred_begin[v]; p < pred_begin[v + 1]; ++p) nv[v] += pred_count[p];
  }
  // Visit order: frequency descending, ties by id.
  std::vector<uint32_t> order(V);
  for (int v = 0; v < V; ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return nv[a] > nv[b]; });

  std::vector<uint16_t> cls(V);
  for (int r = 0; r < V; ++r) cls[order[r]] = static_cast<uint16_t>(r % C);
  std::vector<int32_t> m(static_cast<size_t>(V) * C, 0);  // N(u, c)
  std::vector<int64_t> nc(C, 0);
  for (int v = 0; v < V; ++v) {
    nc[cls[v]] += nv[v];
    for (uint32_t p = pred_begin[v]; p < pred_begin[v + 1]; ++p) {
      m[static_cast<size_t>(pred_word[p]) * C + cls[v]] += pred_count[p];
    }
  }
  XLogX f;
  std::vector<double> delta(C);
  for (int it = 0; it < iterations; ++it) {
    int64_t moved = 0;
    for (int r = 0; r < V; ++r) {
      const uint32_t v = order[r];
      if (nv[v] == 0) continue;
      const int a = cls[v];
      const uint32_t pb = pred_begin[v], pe = pred_begin[v + 1];
      for (uint32_t p = pb; p < pe; ++p)
        m[static_cast<size_t>(pred_word[p]) * C + a] -= pred_count[p];
      nc[a] -= nv[v];
      for (int k = 0; k < C; ++k) delta[k] = f(nc[k]) - f(nc[k] + nv[v]);
      for (uint32_t p = pb; p < pe; ++p) {
        const int32_t* row = &m[static_cast<size_t>(pred_word[p]) * C];
        const int32_t n = static_cast<int32_t>(pred_count[p]);
        const double fn = f(n);
        for (int k = 0; k < C; ++k) {
          const int32_t x = row[k];
          delta[k] += x == 0 ? fn : f(x + n) - f(x);
        }
      }
      int best = a;
      for (int k = 0; k < C; ++k) {
        if (delta[k] > delta[best] + 1e-9) best = k;
      }
      if (best != a) ++moved;
      cls[v] = static_cast<uint16_t>(best);
      for (uint32_t p = pb; p < pe; ++p)
        m[static_cast<size_t>(pred_word[p]) * C + best] += pred_count[p];
      nc[best] += nv[v];
    }
    if (moved == 0) break;
  }
  if (objective != nullptr) {
    double obj = 0;
    for (size_t i = 0; i < m.size(); ++i) obj += f(m[i]);
    for (int k = 0; k < C; ++k) obj -= f(nc[k]);
    int64_t total = 0;
    for (int v = 0; v < V; ++v) total += nv[v];
    *objective = total > 0 ? obj / total : 0;
  }
  return cls;
}

absl::Status InduceClusters(const ClusterOptions& options, ClusterReport* report) {
  if (options.num_classes.empty() || options.num_classes.size() > kMaxClusterLevels) {
    return absl::InvalidArgumentError("num_classes: 1 to 3 granularities");
  }
  for (int c : options.num_classes) {
    if (c < 2 || c > 65535) return absl::InvalidArgumentError("num_classes: 2..65535");
  }
  if (options.output_path.empty()) return absl::InvalidArgumentError("no output path");
  ClusterReport local;
  ClusterReport& rep = report ? *report : local;
  auto log = [&](const std::string& s) {
    if (options.log) options.log(s);
  };
  auto t0 = std::chrono::steady_clock::now();

  // Pass over the corpus: intern every word, keep the id sequence.
  absl::flat_hash_map<std::string, uint32_t> index;
  std::vector<std::string> words;
  std::vector<int64_t> counts;
  std::vector<uint32_t> seq;
  std::vector<std::string_view> toks;
  auto intern = [&](std::string_view w) -> uint32_t {
    auto it = index.find(absl::string_view(w.data(), w.size()));
    if (it != index.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(words.size());
    index.emplace(std::string(w), id);
    words.emplace_back(w);
    counts.push_back(0);
    return id;
  };
  const uint32_t boundary = intern("</s>");
  seq.push_back(boundary);
  NEWSPARSE_RETURN_IF_ERROR(ForEachJsonLineText(
      options.corpus_path, options.text_field, options.max_lines, [&](std::string_view text) {
        toks.clear();
        SimpleTokenize(text, &toks);
        for (std::string_view t : toks) {
          uint32_t id = intern(t);
          counts[id]++;
          seq.push_back(id);
        }
        seq.push_back(boundary);
        rep.documents++;
        rep.tokens += static_cast<int64_t>(toks.size());
        if (rep.documents % 20000 == 0) {
          log(absl::StrCat("read ", rep.documents, " documents, ", rep.tokens, " tokens"));
        }
        return true;
      }));
  rep.read_seconds = Seconds(t0);
  log(absl::StrCat("read ", rep.documents, " documents, ", rep.tokens, " tokens, ", words.size(),
                   " word types in ", rep.read_seconds, " s"));

  // Vocabulary: frequent words, most frequent first (ties by string), then UNK.
  std::vector<uint32_t> vocab;
  for (uint32_t id = 0; id < words.size(); ++id) {
    if (id != boundary && counts[id] >= options.min_count) vocab.push_back(id);
  }
  std::sort(vocab.begin(), vocab.end(), [&](uint32_t a, uint32_t b) {
    if (counts[a] != counts[b]) return counts[a] > counts[b];
    return words[a] < words[b];
  });
  if (static_cast<int>(vocab.size()) > options.max_vocab) vocab.resize(options.max_vocab);
  const uint32_t kUnset = 0xffffffffu;
  std::vector<uint32_t> remap(words.size(), kUnset);
  for (uint32_t i = 0; i < vocab.size(); ++i) remap[vocab[i]] = i;
  const uint32_t unk = static_cast<uint32_t>(vocab.size());
  const uint32_t bnd = unk + 1;
  remap[boundary] = bnd;
  for (uint32_t& id : seq) id = remap[id] == kUnset ? unk : remap[id];
  const int V = static_cast<int>(vocab.size()) + 2;
  rep.vocabulary = static_cast<int64_t>(vocab.size());
  index.clear();

  std::vector<std::vector<uint16_t>> classes;
  for (int c : options.num_classes) {
    auto t1 = std::chrono::steady_clock::now();
    double obj = 0;
    classes.push_back(ExchangeClusters(seq, V, c, options.iterations, &obj));
    rep.level_seconds.push_back(Seconds(t1));
    rep.objective.push_back(obj);
    log(absl::StrCat(c, " classes: ", rep.level_seconds.back(), " s, objective/token ", obj));
  }

  std::ofstream out(options.output_path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", options.output_path));
  out << "# newsparse word clusters (predictive exchange algorithm), levels:";
  for (int c : options.num_classes) out << ' ' << c;
  out << "\n# vocabulary " << vocab.size() << " words (min_count " << options.min_count
      << "), corpus tokens " << rep.tokens << ", iterations " << options.iterations << "\n";
  out << "# word\tclass per level\tlog2(count)\n";
  for (uint32_t i = 0; i < vocab.size(); ++i) {
    out << words[vocab[i]];
    for (const auto& cl : classes) out << '\t' << cl[i];
    int lg = 0;
    for (int64_t x = counts[vocab[i]]; x > 1; x >>= 1) ++lg;
    out << '\t' << lg << '\n';
  }
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("write failed: ", options.output_path));
  return absl::OkStatus();
}

void ClusterTable::Add(std::string_view word, const ClusterEntry& entry) {
  const size_t before = exact_.size();
  ClusterEntry* e = exact_.Insert(HashBytes(word));
  if (exact_.size() > before) *e = entry;
}

namespace {
template <typename T>
void PutRaw(std::string* s, T v) {
  s->append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
T GetRaw(const char* p) {
  T v;
  memcpy(&v, p, sizeof(T));
  return v;
}
constexpr uint32_t kClusterBlobMagic = 0x31534c43;  // "CLS1"
constexpr size_t kClusterSlotBytes = 8 + 2 * kMaxClusterLevels + 1;
}  // namespace

std::string ClusterTable::ToBlob() const {
  std::string s;
  s.reserve(16 + exact_.capacity() * kClusterSlotBytes);
  PutRaw<uint32_t>(&s, kClusterBlobMagic);
  PutRaw<uint32_t>(&s, static_cast<uint32_t>(levels_));
  PutRaw<uint64_t>(&s, exact_.capacity());
  exact_.ForEachSlot([&](uint64_t key, const ClusterEntry& e) {
    PutRaw<uint64_t>(&s, key);
    for (int l = 0; l < kMaxClusterLevels; ++l) PutRaw<uint16_t>(&s, key ? e.cls[l] : 0);
    PutRaw<uint8_t>(&s, key ? e.log2_count : 0);
  });
  return s;
}

absl::StatusOr<ClusterTable> ClusterTable::FromBlob(std::string_view b) {
  if (b.size() < 16 || GetRaw<uint32_t>(b.data()) != kClusterBlobMagic) {
    return absl::DataLossError("bad embedded cluster table");
  }
  ClusterTable t;
  t.levels_ = static_cast<int>(GetRaw<uint32_t>(b.data() + 4));
  const uint64_t cap = GetRaw<uint64_t>(b.data() + 8);
  if (t.levels_ < 1 || t.levels_ > kMaxClusterLevels || cap > (uint64_t{1} << 28) ||
      b.size() != 16 + cap * kClusterSlotBytes || !t.exact_.ResetSlots(cap)) {
    return absl::DataLossError("bad embedded cluster table");
  }
  const char* p = b.data() + 16;
  for (size_t i = 0; i < cap; ++i, p += kClusterSlotBytes) {
    ClusterEntry e;
    for (int l = 0; l < kMaxClusterLevels; ++l) e.cls[l] = GetRaw<uint16_t>(p + 8 + 2 * l);
    e.log2_count = GetRaw<uint8_t>(p + 8 + 2 * kMaxClusterLevels);
    t.exact_.SetSlot(i, GetRaw<uint64_t>(p), e);
  }
  if (!t.exact_.Consistent()) return absl::DataLossError("bad embedded cluster table");
  return t;
}

absl::StatusOr<ClusterTable> ClusterTable::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open cluster table ", path));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Parse(content);
}

absl::StatusOr<ClusterTable> ClusterTable::Parse(std::string_view content) {
  const char* path = "cluster table";
  ClusterTable t;
  const size_t lines = static_cast<size_t>(std::count(content.begin(), content.end(), '\n')) + 1;
  t.exact_.Reserve(lines);
  size_t pos = 0;
  int64_t line_no = 0;
  while (pos < content.size()) {
    size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    std::string_view line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    // word \t c0 [\t c1 [\t c2]] \t log2count
    std::string_view fields[kMaxClusterLevels + 2];
    int nf = 0;
    size_t b = 0;
    bool whole = false;  // every field of the line was read (no more than the fields array holds)
    while (nf < kMaxClusterLevels + 2) {
      size_t tab = line.find('\t', b);
      fields[nf++] =
          line.substr(b, tab == std::string_view::npos ? std::string_view::npos : tab - b);
      if (tab == std::string_view::npos) {
        whole = true;
        break;
      }
      b = tab + 1;
    }
    if (!whole || nf < 3 || fields[0].empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": bad cluster line"));
    }
    const int levels = nf - 2;
    if (t.levels_ == 0) t.levels_ = levels;
    if (levels != t.levels_) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": level count differs"));
    }
    ClusterEntry e;
    for (int l = 0; l <= levels; ++l) {
      uint32_t v = 0;
      bool ok = !fields[l + 1].empty() && fields[l + 1].size() <= 5;
      for (char c : fields[l + 1]) {
        ok = ok && c >= '0' && c <= '9';
        v = v * 10 + static_cast<uint32_t>(c - '0');
      }
      if (!ok || v > 65535) {
        return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": bad number"));
      }
      if (l < levels)
        e.cls[l] = static_cast<uint16_t>(v);
      else
        e.log2_count = static_cast<uint8_t>(std::min<uint32_t>(v, 255));
    }
    t.Add(fields[0], e);
  }
  return t;
}

}  // namespace ner
}  // namespace newsparse
