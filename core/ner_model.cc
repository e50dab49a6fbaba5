#include "core/ner_model.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace newsparse {
namespace ner {
namespace {

constexpr char kMagic[8] = {'N', 'P', 'N', 'E', 'R', 'M', 'D', 'L'};

void PutU32(std::string* s, uint32_t v) { s->append(reinterpret_cast<const char*>(&v), 4); }
uint32_t GetU32(const char* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

}  // namespace

size_t NerModel::BuildRank() {
  rank.resize(nonzero.size());
  uint32_t total = 0;
  for (size_t i = 0; i < nonzero.size(); ++i) {
    rank[i] = total;
    total += static_cast<uint32_t>(__builtin_popcountll(nonzero[i]));
  }
  return total;
}

void NerModel::SetDense(const std::vector<int16_t>& dense) {
  nonzero.assign((rows + 63) / 64, 0);
  weights.clear();
  for (uint32_t r = 0; r < rows; ++r) {
    const int16_t* row = dense.data() + static_cast<size_t>(r) * kNumLabels;
    bool any = false;
    for (int l = 0; l < kNumLabels; ++l) any |= row[l] != 0;
    if (!any) continue;
    nonzero[r >> 6] |= uint64_t{1} << (r & 63);
    weights.insert(weights.end(), row, row + kNumLabels);
  }
  BuildRank();
}

uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    uInt chunk = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(p), chunk);
    p += chunk;
    left -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

absl::StatusOr<std::string> SerializeNerModel(const NerModel& m) {
  size_t nz = 0;
  for (uint64_t w : m.nonzero) nz += static_cast<size_t>(__builtin_popcountll(w));
  if (m.nonzero.size() != (static_cast<size_t>(m.rows) + 63) / 64 ||
      m.weights.size() != nz * kNumLabels) {
    return absl::InvalidArgumentError("NER model bitmap or weights do not match its rows");
  }
  std::string s;
  s.reserve(kNerModelHeaderSize + m.weights.size() * 2 + 4);
  s.append(kMagic, 8);
  PutU32(&s, kNerModelVersion);
  PutU32(&s, (m.features.clusters ? 1u : 0u) | (m.features.gazetteer ? 2u : 0u) |
                 (m.features.document ? 4u : 0u) | (m.features.context ? 8u : 0u) |
                 (m.features.kinds ? 16u : 0u) | (m.features.cap_runs ? 32u : 0u));
  PutU32(&s, m.rows);
  PutU32(&s, kNumLabels);
  PutU32(&s, m.cluster_levels);
  PutU32(&s, m.cluster_crc);
  PutU32(&s, m.gazetteer_crc);
  uint32_t scale_bits;
  memcpy(&scale_bits, &m.scale, 4);
  PutU32(&s, scale_bits);
  PutU32(&s, static_cast<uint32_t>(nz));
  s.append(reinterpret_cast<const char*>(m.nonzero.data()), m.nonzero.size() * 8);
  s.append(reinterpret_cast<const char*>(m.weights.data()), m.weights.size() * 2);
  PutU32(&s, static_cast<uint32_t>(m.clusters_blob.size()));
  s.append(m.clusters_blob.data(), m.clusters_blob.size());
  PutU32(&s, static_cast<uint32_t>(m.gazetteer_blob.size()));
  s.append(m.gazetteer_blob.data(), m.gazetteer_blob.size());
  PutU32(&s, Crc32(s));
  return s;
}

absl::StatusOr<NerModel> ParseNerModel(std::string_view b) {
  if (b.size() < 8 || memcmp(b.data(), kMagic, 8) != 0) {
    return absl::InvalidArgumentError("not a newsparse NER model (bad magic)");
  }
  if (b.size() < kNerModelHeaderSize + 4) return absl::DataLossError("NER model truncated");
  const char* p = b.data() + 8;
  const uint32_t version = GetU32(p);
  if (version < kNerModelMinVersion || version > kNerModelVersion) {
    return absl::FailedPreconditionError(absl::StrCat("NER model format version ", version,
                                                      ", this build reads ", kNerModelMinVersion,
                                                      "..", kNerModelVersion));
  }
  NerModel m;
  const uint32_t flags = GetU32(p + 4);
  m.features.clusters = (flags & 1) != 0;
  m.features.gazetteer = (flags & 2) != 0;
  m.features.document = (flags & 4) != 0;
  m.features.context = (flags & 8) != 0;
  m.features.kinds = (flags & 16) != 0;
  m.features.cap_runs = (flags & 32) != 0;
  m.rows = GetU32(p + 8);
  const uint32_t labels = GetU32(p + 12);
  m.cluster_levels = GetU32(p + 16);
  m.cluster_crc = GetU32(p + 20);
  m.gazetteer_crc = GetU32(p + 24);
  const uint32_t scale_bits = GetU32(p + 28);
  memcpy(&m.scale, &scale_bits, 4);
  if (labels != kNumLabels || m.rows == 0 || m.rows > (1u << 26) ||
      flags > (version >= 4   ? 63u
               : version >= 3 ? 31u
               : version >= 2 ? 15u
                              : 7u) ||
      m.cluster_levels > kMaxClusterLevels) {
    return absl::InvalidArgumentError("NER model header is inconsistent");
  }
  const uint32_t nz = GetU32(p + 32);
  if (nz > m.rows) return absl::InvalidArgumentError("NER model header is inconsistent");
  const size_t words = (static_cast<size_t>(m.rows) + 63) / 64;
  const size_t weights_end =
      kNerModelHeaderSize + words * 8 + static_cast<size_t>(nz) * kNumLabels * 2;
  if (b.size() < weights_end + 4) return absl::DataLossError("NER model truncated");
  const size_t clusters_len = GetU32(b.data() + weights_end);
  if (b.size() < weights_end + 4 + clusters_len + 4)
    return absl::DataLossError("NER model truncated");
  const size_t gaz_at = weights_end + 4 + clusters_len;
  const size_t gaz_len = GetU32(b.data() + gaz_at);
  const size_t expect = gaz_at + 4 + gaz_len + 4;
  if (b.size() < expect) return absl::DataLossError("NER model truncated");
  if (b.size() > expect) return absl::InvalidArgumentError("NER model has trailing bytes");
  const uint32_t stored = GetU32(b.data() + expect - 4);
  if (Crc32(b.substr(0, expect - 4)) != stored) {
    return absl::DataLossError("NER model checksum mismatch (corrupted file)");
  }
  m.nonzero.resize(words);
  memcpy(m.nonzero.data(), b.data() + kNerModelHeaderSize, words * 8);
  if (m.BuildRank() != nz) return absl::DataLossError("NER model bitmap does not match its rows");
  m.weights.resize(static_cast<size_t>(nz) * kNumLabels);
  memcpy(m.weights.data(), b.data() + kNerModelHeaderSize + words * 8, m.weights.size() * 2);
  m.clusters_blob = b.substr(weights_end + 4, clusters_len);
  m.gazetteer_blob = b.substr(gaz_at + 4, gaz_len);
  return m;
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(path.c_str(), "rb"), fclose);
  if (!f) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string s;
  if (fseek(f.get(), 0, SEEK_END) == 0) {
    const long size = ftell(f.get());
    if (size > 0) s.reserve(static_cast<size_t>(size));
    fseek(f.get(), 0, SEEK_SET);
  }
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f.get())) > 0) s.append(buf, n);
  if (ferror(f.get())) return absl::DataLossError(absl::StrCat("read error: ", path));
  return s;
}

}  // namespace ner
}  // namespace newsparse
