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
  if (m.weights.size() != static_cast<size_t>(m.rows) * kNumLabels) {
    return absl::InvalidArgumentError("weights size does not match rows * labels");
  }
  std::string s;
  s.reserve(kNerModelHeaderSize + m.weights.size() * 2 + 4);
  s.append(kMagic, 8);
  PutU32(&s, kNerModelVersion);
  PutU32(&s, (m.features.clusters ? 1u : 0u) | (m.features.gazetteer ? 2u : 0u) |
                 (m.features.document ? 4u : 0u));
  PutU32(&s, m.rows);
  PutU32(&s, kNumLabels);
  PutU32(&s, m.cluster_levels);
  PutU32(&s, m.cluster_crc);
  PutU32(&s, m.gazetteer_crc);
  uint32_t scale_bits;
  memcpy(&scale_bits, &m.scale, 4);
  PutU32(&s, scale_bits);
  PutU32(&s, 0);
  s.append(reinterpret_cast<const char*>(m.weights.data()), m.weights.size() * 2);
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
  if (version != kNerModelVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("NER model format version ", version, ", this build reads ", kNerModelVersion));
  }
  NerModel m;
  const uint32_t flags = GetU32(p + 4);
  m.features.clusters = (flags & 1) != 0;
  m.features.gazetteer = (flags & 2) != 0;
  m.features.document = (flags & 4) != 0;
  m.rows = GetU32(p + 8);
  const uint32_t labels = GetU32(p + 12);
  m.cluster_levels = GetU32(p + 16);
  m.cluster_crc = GetU32(p + 20);
  m.gazetteer_crc = GetU32(p + 24);
  const uint32_t scale_bits = GetU32(p + 28);
  memcpy(&m.scale, &scale_bits, 4);
  if (labels != kNumLabels || m.rows == 0 || m.rows > (1u << 26) || flags > 7 ||
      m.cluster_levels > kMaxClusterLevels) {
    return absl::InvalidArgumentError("NER model header is inconsistent");
  }
  const size_t expect = kNerModelHeaderSize + static_cast<size_t>(m.rows) * kNumLabels * 2 + 4;
  if (b.size() < expect) return absl::DataLossError("NER model truncated");
  if (b.size() > expect) return absl::InvalidArgumentError("NER model has trailing bytes");
  const uint32_t stored = GetU32(b.data() + expect - 4);
  if (Crc32(b.substr(0, expect - 4)) != stored) {
    return absl::DataLossError("NER model checksum mismatch (corrupted file)");
  }
  m.weights.resize(static_cast<size_t>(m.rows) * kNumLabels);
  memcpy(m.weights.data(), b.data() + kNerModelHeaderSize, m.weights.size() * 2);
  return m;
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(fopen(path.c_str(), "rb"), fclose);
  if (!f) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string s;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f.get())) > 0) s.append(buf, n);
  if (ferror(f.get())) return absl::DataLossError(absl::StrCat("read error: ", path));
  return s;
}

}  // namespace ner
}  // namespace newsparse
