#include "core/ner_model.h"

#include <zlib.h>

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

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

namespace {
// $NEWSPARSE_HUGE_PAGES=0 turns huge pages off from the start (to time a build both ways).
bool HugePagesFromEnv() {
  const char* env = std::getenv("NEWSPARSE_HUGE_PAGES");
  return env == nullptr || std::string_view(env) != "0";
}
std::atomic<bool> huge_pages_allowed{HugePagesFromEnv()};
}  // namespace

void SetHugePagesAllowed(bool allowed) { huge_pages_allowed.store(allowed); }
bool HugePagesAllowed() { return huge_pages_allowed.load(); }

namespace {
// Bytes of the mapping AllocateLarge makes for `bytes` (>= kHugePageBytes): whole huge pages.
size_t MappedBytes(size_t bytes) {
  return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}
}  // namespace

void* AllocateLarge(size_t bytes, bool* huge) {
  if (huge != nullptr) *huge = false;
  if (bytes == 0) return nullptr;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kHugePageBytes) {
    // A 2 MB-aligned span: map one huge page more and unmap the ends around the aligned span.
    const size_t span = MappedBytes(bytes);
    if (span < bytes || span + kHugePageBytes < span) throw std::bad_alloc();
    void* m = mmap(nullptr, span + kHugePageBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    char* base = static_cast<char*>(m);
    const uintptr_t addr = reinterpret_cast<uintptr_t>(base);
    char* aligned = base + (kHugePageBytes - addr % kHugePageBytes) % kHugePageBytes;
    if (aligned > base) munmap(base, aligned - base);
    char* end = base + span + kHugePageBytes;
    if (end > aligned + span) munmap(aligned + span, end - (aligned + span));
    // MADV_NOHUGEPAGE when not allowed, so that "off" holds in the kernel's `always` mode too.
    // Either call fails (EINVAL) on kernels without transparent huge pages: 4 KB pages then.
    const bool allowed = HugePagesAllowed();
    const bool advised = madvise(aligned, span, allowed ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) == 0;
    if (huge != nullptr) *huge = allowed && advised;
    return aligned;  // anonymous mappings are zero-filled
  }
#endif
  void* p = ::operator new (bytes, std::align_val_t{64});
  memset(p, 0, bytes);
  return p;
}

void FreeLarge(void* p, size_t bytes) {
  if (p == nullptr) return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= kHugePageBytes) {
    munmap(p, MappedBytes(bytes));
    return;
  }
#endif
  ::operator delete (p, std::align_val_t{64});
}

LargeBuffer& LargeBuffer::operator=(LargeBuffer&& o) noexcept {
  if (this != &o) {
    FreeLarge(data_, capacity_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    capacity_ = std::exchange(o.capacity_, 0);
    huge_ = std::exchange(o.huge_, false);
    huge_later_ = std::exchange(o.huge_later_, false);
  }
  return *this;
}

void LargeBuffer::Reset(size_t bytes, size_t capacity) {
  FreeLarge(data_, capacity_);
  data_ = nullptr;
  size_ = 0;
  capacity_ = 0;
  huge_ = false;
  huge_later_ = false;
  if (capacity < bytes) capacity = bytes;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (capacity < kHugePageBytes) capacity = bytes;  // heap memory: zero-filled, so all of it used
#else
  capacity = bytes;  // heap memory: Grow copies
#endif
  bool huge = false;
  data_ = AllocateLarge(capacity, &huge);
  size_ = bytes;
  capacity_ = capacity;
  huge_ = huge;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // A mapping reserved for growth: no huge pages until the table itself is that large.
  if (huge && bytes < kHugePageBytes) {
    madvise(data_, MappedBytes(capacity), MADV_NOHUGEPAGE);
    huge_ = false;
    huge_later_ = true;
  }
#endif
}

void LargeBuffer::Grow(size_t bytes) {
  if (bytes <= size_) return;
  if (bytes > capacity_) {
    LargeBuffer bigger;
    bigger.Reset(bytes);
    if (size_ > 0) memcpy(bigger.data_, data_, size_);
    *this = std::move(bigger);
    return;
  }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  // The mapping was advised MADV_NOHUGEPAGE while small (see Reset); the pages faulted from now on
  // may be huge ones.
  if (huge_later_ && bytes >= kHugePageBytes) {
    huge_ = madvise(data_, MappedBytes(capacity_), MADV_HUGEPAGE) == 0;
    huge_later_ = false;
  }
#endif
  size_ = bytes;  // the bytes past the old size were never written: zero
}

size_t NerModel::BuildRank() {
  rank.resize(nonzero.size());
  uint64_t total = 0;
  for (size_t i = 0; i < nonzero.size(); ++i) {
    rank[i] = RankWord{nonzero[i], total};
    total += static_cast<uint64_t>(__builtin_popcountll(nonzero[i]));
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

namespace {

// zlib's crc32 over any length (its length argument is 32 bits): `crc` is a finished CRC value,
// which zlib continues from.
uint32_t ZlibCrc(uint32_t crc, const unsigned char* p, size_t n) {
  uLong c = crc;
  while (n > 0) {
    const auto chunk = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    c = crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(c);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(NEWSPARSE_NO_CPU_DISPATCH)
#define NEWSPARSE_CRC_CLMUL 1

// Carry-less multiplication folding (Gopal et al., "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ Instruction", Intel 2009), bit-reflected form: four 128-bit lanes are folded
// 64 bytes at a time, then into one lane, then 16 bytes at a time; the 128-bit remainder is
// reduced to 64 and 32 bits and Barrett-reduced to the CRC. Constants: x^(4*128+32) and
// x^(4*128-32) mod P (k1, k2), x^(128+32) and x^(128-32) mod P (k3, k4), x^64 mod P (k5), P and
// mu = floor(x^64 / P), all bit-reflected. Needs n >= 64 and n a multiple of 16; `crc` is the
// running register (the inverted CRC, as between zlib's pre- and post-inversion).
#define NEWSPARSE_CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

NEWSPARSE_CLMUL_TARGET inline __m128i LoadU128(const unsigned char* q) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
}
// x times x^(fold distance): x's low half times k's low half plus x's high half times k's high
// half.
NEWSPARSE_CLMUL_TARGET inline __m128i Fold128(__m128i x, __m128i k) {
  return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

NEWSPARSE_CLMUL_TARGET uint32_t CrcClmul(uint32_t crc, const unsigned char* p, size_t n) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly_mu = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);
  __m128i x1 = _mm_xor_si128(LoadU128(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = LoadU128(p + 16), x3 = LoadU128(p + 32), x4 = LoadU128(p + 48);
  p += 64;
  n -= 64;
  for (; n >= 64; n -= 64, p += 64) {
    x1 = _mm_xor_si128(Fold128(x1, k1k2), LoadU128(p));
    x2 = _mm_xor_si128(Fold128(x2, k1k2), LoadU128(p + 16));
    x3 = _mm_xor_si128(Fold128(x3, k1k2), LoadU128(p + 32));
    x4 = _mm_xor_si128(Fold128(x4, k1k2), LoadU128(p + 48));
  }
  x1 = _mm_xor_si128(Fold128(x1, k3k4), x2);
  x1 = _mm_xor_si128(Fold128(x1, k3k4), x3);
  x1 = _mm_xor_si128(Fold128(x1, k3k4), x4);
  for (; n >= 16; n -= 16, p += 16) x1 = _mm_xor_si128(Fold128(x1, k3k4), LoadU128(p));
  // 128 -> 64 bits.
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  // 64 -> 32 bits.
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 4),
                     _mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00));
  // Barrett reduction.
  __m128i q = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), poly_mu, 0x10);
  q = _mm_clmulepi64_si128(_mm_and_si128(q, low32), poly_mu, 0x00);
  return static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, q), 1));
}

bool HaveClmul() {
  static const bool have = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return have;
}
#endif

}  // namespace

bool Crc32Accelerated() {
#ifdef NEWSPARSE_CRC_CLMUL
  return HaveClmul();
#else
  return false;
#endif
}

uint32_t Crc32(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  uint32_t crc = 0;
#ifdef NEWSPARSE_CRC_CLMUL
  if (n >= 64 && HaveClmul()) {
    const size_t whole = n & ~size_t{15};
    crc = ~CrcClmul(~0u, p, whole);
    p += whole;
    n -= whole;
  }
#endif
  return ZlibCrc(crc, p, n);
}

absl::StatusOr<std::string> SerializeNerModel(const NerModel& m) {
  // The bitmap: `nonzero`, or after DropBitmap() the words of `rank`.
  const size_t words = (static_cast<size_t>(m.rows) + 63) / 64;
  const bool from_rank = m.nonzero.empty() && m.rank.size() == words && words > 0;
  auto word = [&](size_t i) { return from_rank ? m.rank[i].bits : m.nonzero[i]; };
  size_t nz = 0;
  const size_t have = from_rank ? m.rank.size() : m.nonzero.size();
  for (size_t i = 0; i < have; ++i) nz += static_cast<size_t>(__builtin_popcountll(word(i)));
  if (have != words || m.weights.size() != nz * kNumLabels) {
    return absl::InvalidArgumentError("NER model bitmap or weights do not match its rows");
  }
  std::string s;
  s.reserve(kNerModelHeaderSize + m.weights.size() * 2 + 4);
  s.append(kMagic, 8);
  // A model for greedy decoding is written as version 4 (the same bytes as before version 5).
  PutU32(&s, m.beam > 0 ? kNerModelVersion : 4u);
  PutU32(&s, (m.features.clusters ? 1u : 0u) | (m.features.gazetteer ? 2u : 0u) |
                 (m.features.document ? 4u : 0u) | (m.features.context ? 8u : 0u) |
                 (m.features.kinds ? 16u : 0u) | (m.features.cap_runs ? 32u : 0u) |
                 (std::min(m.beam, kMaxNerModelBeam) << 8));
  PutU32(&s, m.rows);
  PutU32(&s, kNumLabels);
  PutU32(&s, m.cluster_levels);
  PutU32(&s, m.cluster_crc);
  PutU32(&s, m.gazetteer_crc);
  uint32_t scale_bits;
  memcpy(&scale_bits, &m.scale, 4);
  PutU32(&s, scale_bits);
  PutU32(&s, static_cast<uint32_t>(nz));
  for (size_t i = 0; i < words; ++i) {
    const uint64_t w = word(i);
    s.append(reinterpret_cast<const char*>(&w), 8);
  }
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
  m.beam = (flags >> 8) & 31;
  m.rows = GetU32(p + 8);
  const uint32_t labels = GetU32(p + 12);
  m.cluster_levels = GetU32(p + 16);
  m.cluster_crc = GetU32(p + 20);
  m.gazetteer_crc = GetU32(p + 24);
  const uint32_t scale_bits = GetU32(p + 28);
  memcpy(&m.scale, &scale_bits, 4);
  if (labels != kNumLabels || m.rows == 0 || m.rows > (1u << 26) ||
      (flags & 0xff) > (version >= 4   ? 63u
                        : version >= 3 ? 31u
                        : version >= 2 ? 15u
                                       : 7u) ||
      (flags >> 8) > (version >= 5 ? kMaxNerModelBeam : 0u) ||
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
