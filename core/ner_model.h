// The entity tagger's model file: one versioned, checksummed binary file (data/ner.model).
//
// Layout (little-endian):
//   char[8]  magic "NPNERMDL"
//   uint32   format version (kNerModelVersion)
//   uint32   feature groups (bit 0 clusters, bit 1 gazetteer, bit 2 document, bit 3 context
//            aggregation, bit 4 line and document kinds, bit 5 capitalised runs; version 1 files
//            have no bit 3, version 2 files no bit 4, version 3 files no bit 5), and in bits 8-12
//            the beam width the model was trained to be decoded with (NerModel::beam, 0..16; 0 =
//            greedy; version 4 and older files have 0 there, and a model with 0 is written as
//            version 4)
//   uint32   rows of the hashed weight table
//   uint32   labels per row (kNumLabels)
//   uint32   cluster levels the model was trained with
//   uint32   CRC32 of the cluster table file it was trained with (0 = not used)
//   uint32   CRC32 of the gazetteer file it was trained with (0 = not used)
//   float    weight scale (int16 weight = round(float weight * scale))
//   uint32   number of non-zero rows N
//   uint64   bitmap[ceil(rows / 64)]: bit r set when row r has a non-zero weight
//   int16    weights[N * labels]: the non-zero rows, in row order
//   uint32   length + bytes: the cluster table's binary image (ClusterTable::ToBlob), may be 0
//   uint32   length + bytes: the gazetteer's binary image (Gazetteer::ToBlob), may be 0
//   uint32   CRC32 (zlib) of every byte before it
// The images make the model self-contained and fast to load (no text parsing or hashing); the
// CRCs of the TSV files they were built from stay in the header for provenance.
//
// The averaged perceptron is sparse (about 1 row in 10 is touched by any update), so only the
// non-zero rows are stored; a row is found by rank (popcount) in the bitmap (in memory each
// bitmap word sits beside its rank, NerModel::RankWord: one cache line per lookup). Hashed features
// that hit a zero row cost no weight-table access at all.
//
// Thread safety: plain values and pure functions.
#ifndef NEWSPARSE_CORE_NER_MODEL_H_
#define NEWSPARSE_CORE_NER_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ner_features.h"

namespace newsparse {
namespace ner {

inline constexpr uint32_t kNerModelVersion = 5;
// The oldest format version this build reads (version 1: no context aggregation).
inline constexpr uint32_t kNerModelMinVersion = 1;
inline constexpr size_t kNerModelHeaderSize = 8 + 4 * 9;  // up to the bitmap
inline constexpr uint32_t kMaxNerModelBeam = 16;

// Population count without a libgcc call (the build targets baseline x86-64, no POPCNT).
inline uint32_t PopCount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
}

// Memory for the tagger's large tables read at random (its weight rows and the word and pair
// caches of a NerScratch, tens of MB): with 4 KB pages nearly every random read there also misses
// the TLB. AllocateLarge maps a request of at least kHugePageBytes 2 MB-aligned and advises it
// MADV_HUGEPAGE (Linux transparent huge pages, in the kernel's `madvise` or `always` mode), so that
// the kernel may back it with 2 MB pages; smaller requests and other systems get 64-byte-aligned
// heap memory. With SetHugePagesAllowed(false) the mapping is advised MADV_NOHUGEPAGE instead. The
// memory is zero-filled and its contents do not depend on the page size.
inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Returns `bytes` zero bytes (nullptr for 0), 64-byte aligned (2 MB-aligned when mapped); *huge
// (may be null) tells whether MADV_HUGEPAGE was taken (the kernel may still use 4 KB pages, e.g.
// when it finds no free 2 MB block). Out of memory: throws std::bad_alloc, as operator new does.
// Free with FreeLarge and the same `bytes`. Thread-safe.
void* AllocateLarge(size_t bytes, bool* huge);
void FreeLarge(void* p, size_t bytes);

// Whether AllocateLarge advises huge pages (default true, false when the environment variable
// NEWSPARSE_HUGE_PAGES is "0" at start; to compare the two in one process). Thread-safe (an
// atomic); memory already allocated keeps its advice.
void SetHugePagesAllowed(bool allowed);
bool HugePagesAllowed();

// std::allocator for AllocateLarge (the model's weight rows): std::vector<T, LargeAllocator<T>>.
template <typename T>
struct LargeAllocator {
  using value_type = T;
  LargeAllocator() = default;
  template <typename U>
  LargeAllocator(const LargeAllocator<U>&) {}
  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    return static_cast<T*>(AllocateLarge(n * sizeof(T), nullptr));
  }
  void deallocate(T* p, size_t n) { FreeLarge(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const LargeAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const LargeAllocator<U>&) const {
    return false;
  }
};

// One zero-filled AllocateLarge block, owned. Thread safety: a plain value.
class LargeBuffer {
 public:
  LargeBuffer() = default;
  ~LargeBuffer() { FreeLarge(data_, capacity_); }
  LargeBuffer(LargeBuffer&& o) noexcept { *this = std::move(o); }
  LargeBuffer& operator=(LargeBuffer&& o) noexcept;
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;

  // Drops the contents and holds `bytes` zero bytes. Out of memory: std::bad_alloc.
  void Reset(size_t bytes) { Reset(bytes, bytes); }
  // Drops the contents and holds `bytes` zero bytes in a block of `capacity` (>= bytes; less is
  // taken as `bytes`) into which Grow extends in place: from kHugePageBytes on (Linux) one mapping
  // of `capacity` bytes, whose pages take memory only once written, advised MADV_HUGEPAGE only
  // while size() is at least kHugePageBytes (so that a small table does not fault in 2 MB).
  // Elsewhere, and for a smaller capacity, heap memory of `bytes` (capacity() == bytes).
  void Reset(size_t bytes, size_t capacity);
  // Holds `bytes` (>= size()) bytes, the first size() unchanged, the others zero: in place up to
  // capacity(), beyond it in a new block (the contents copied). Out of memory: std::bad_alloc.
  void Grow(size_t bytes);
  void* data() { return data_; }
  const void* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // Whether the block was advised MADV_HUGEPAGE (see AllocateLarge).
  bool huge() const { return huge_; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;  // the bytes allocated (FreeLarge's size)
  bool huge_ = false;
  bool huge_later_ = false;  // Grow past kHugePageBytes advises MADV_HUGEPAGE (see Reset)
};

// A LargeBuffer as an array of `T` (a trivially copyable type whose all-zero bytes are its empty
// value), for the tables above.
template <typename T>
class LargeArray {
  static_assert(std::is_trivially_copyable_v<T>, "LargeArray holds zero-filled memory");

 public:
  // Drops the contents and holds n zero-filled elements.
  void Reset(size_t n) {
    buf_.Reset(n * sizeof(T));
    n_ = n;
  }
  // Drops the contents and holds n zero-filled elements in a block that Grow extends in place up
  // to `capacity` elements (see LargeBuffer::Reset).
  void Reset(size_t n, size_t capacity) {
    buf_.Reset(n * sizeof(T), capacity * sizeof(T));
    n_ = n;
  }
  // Holds n (>= size()) elements, the first size() unchanged, the others zero-filled.
  void Grow(size_t n) {
    buf_.Grow(n * sizeof(T));
    n_ = n;
  }
  size_t size() const { return n_; }
  size_t capacity() const { return buf_.capacity() / sizeof(T); }
  T* data() { return static_cast<T*>(buf_.data()); }
  const T* data() const { return static_cast<const T*>(buf_.data()); }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  bool huge() const { return buf_.huge(); }

 private:
  LargeBuffer buf_;
  size_t n_ = 0;
};

struct NerModel {
  NerFeatureOptions features;
  uint32_t rows = 0;
  uint32_t cluster_levels = 0;
  uint32_t cluster_crc = 0;
  uint32_t gazetteer_crc = 0;
  float scale = 1.0f;
  // The decoding the weights were trained for: 0 greedy, k >= 1 beam search of width k (the beam
  // trainer, NerTrainOptions::beam); EntityTagger decodes with it unless told otherwise. At most
  // kMaxNerModelBeam.
  uint32_t beam = 0;
  // Bitmap of non-zero rows, ceil(rows / 64) words (the trainer's and the file's view); empty
  // after DropBitmap(), when the bitmap is only in `rank`.
  std::vector<uint64_t> nonzero;
  // Per bitmap word: the word and the non-zero rows before it, side by side so that Row() reads
  // one cache line, not one of the bitmap and one of a rank array (built by BuildRank).
  struct RankWord {
    uint64_t bits = 0;
    uint64_t rank = 0;
  };
  std::vector<RankWord, LargeAllocator<RankWord>> rank;
  // The non-zero rows, kNumLabels each (read at random: in AllocateLarge memory).
  std::vector<int16_t, LargeAllocator<int16_t>> weights;
  // ClusterTable::ToBlob() / Gazetteer::ToBlob() images, or empty. Views: when parsed they point
  // into the parsed bytes, when serialized into the caller's strings; they must outlive their use.
  std::string_view clusters_blob;
  std::string_view gazetteer_blob;

  // Builds nonzero/rank/weights from a dense table of rows * kNumLabels weights.
  void SetDense(const std::vector<int16_t>& dense);
  // Recomputes `rank` from `nonzero`; returns the number of non-zero rows. Row() needs it after
  // any change of `nonzero`.
  size_t BuildRank();
  // Frees `nonzero` once BuildRank() has copied it into `rank` (a loaded tagger reads only
  // `rank`; the shipped model's bitmap is 256 KB). SerializeNerModel then reads the bitmap from
  // `rank`; SetDense() and BuildRank() need `nonzero` again.
  void DropBitmap() { nonzero = std::vector<uint64_t>(); }
  // The weights of row r, or nullptr for an all-zero row. r < rows.
  const int16_t* Row(uint32_t r) const { return RowIn(rank.data(), weights.data(), r); }
  // Row(r) given rank.data() and weights.data(): a loop over many features keeps the two in
  // registers (GCC reloads a vector's data pointer after any store through a pointer-typed
  // lvalue, such as a list of rows being filled).
  static const int16_t* RowIn(const RankWord* rank_words, const int16_t* weight_rows, uint32_t r) {
    const RankWord& w = rank_words[r >> 6];
    const uint64_t bit = uint64_t{1} << (r & 63);
    if ((w.bits & bit) == 0) return nullptr;
    const uint64_t idx = w.rank + PopCount64(w.bits & (bit - 1));
    return weight_rows + idx * kNumLabels;
  }
};

// The weight-table row of a feature hash (fast range reduction of its high 32 bits).
inline uint32_t RowOf(uint64_t feature, uint32_t rows) {
  return static_cast<uint32_t>(((feature >> 32) * rows) >> 32);
}

// CRC32 of `bytes`: the same value as zlib's crc32(0, bytes, size) for any input. On x86-64 CPUs
// with PCLMULQDQ (checked once per process) the bulk is folded with carry-less multiplications
// (2.7-3.6x zlib's speed on data/ner.model in BM_Crc32NerModel) and the last 0-15 bytes go to zlib;
// elsewhere zlib's crc32 does all of it. Thread-safe: pure function.
uint32_t Crc32(std::string_view bytes);

// Whether Crc32 takes the carry-less multiplication path on this CPU and build.
bool Crc32Accelerated();

// Serializes `model`. Errors: InvalidArgument when the bitmap or weights do not match rows.
absl::StatusOr<std::string> SerializeNerModel(const NerModel& model);

// Parses a model file's bytes. Errors (never a crash): DataLoss for a truncated file or a
// checksum mismatch, InvalidArgument for a wrong magic or inconsistent header, FailedPrecondition
// for an unsupported format version.
absl::StatusOr<NerModel> ParseNerModel(std::string_view bytes);

// Reads a whole file. Errors: NotFound.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_MODEL_H_
