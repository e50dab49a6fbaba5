// The entity tagger's model file: one versioned, checksummed binary file (data/ner.model).
//
// Layout (little-endian):
//   char[8]  magic "NPNERMDL"
//   uint32   format version (kNerModelVersion)
//   uint32   feature groups (bit 0 clusters, bit 1 gazetteer, bit 2 document, bit 3 context
//            aggregation, bit 4 line and document kinds, bit 5 capitalised runs; version 1 files
//            have no bit 3, version 2 files no bit 4, version 3 files no bit 5)
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
// non-zero rows are stored; a row is found by rank (popcount) in the bitmap, which is small enough
// to stay in cache. Hashed features that hit a zero row cost no weight-table access at all.
//
// Thread safety: plain values and pure functions.
#ifndef NEWSPARSE_CORE_NER_MODEL_H_
#define NEWSPARSE_CORE_NER_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/ner_features.h"

namespace newsparse {
namespace ner {

inline constexpr uint32_t kNerModelVersion = 4;
// The oldest format version this build reads (version 1: no context aggregation).
inline constexpr uint32_t kNerModelMinVersion = 1;
inline constexpr size_t kNerModelHeaderSize = 8 + 4 * 9;  // up to the bitmap

// Population count without a libgcc call (the build targets baseline x86-64, no POPCNT).
inline uint32_t PopCount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
}

struct NerModel {
  NerFeatureOptions features;
  uint32_t rows = 0;
  uint32_t cluster_levels = 0;
  uint32_t cluster_crc = 0;
  uint32_t gazetteer_crc = 0;
  float scale = 1.0f;
  std::vector<uint64_t> nonzero;  // bitmap of non-zero rows, ceil(rows / 64) words
  std::vector<uint32_t> rank;     // non-zero rows before each bitmap word
  std::vector<int16_t> weights;   // the non-zero rows, kNumLabels each
  // ClusterTable::ToBlob() / Gazetteer::ToBlob() images, or empty. Views: when parsed they point
  // into the parsed bytes, when serialized into the caller's strings; they must outlive their use.
  std::string_view clusters_blob;
  std::string_view gazetteer_blob;

  // Builds nonzero/rank/weights from a dense table of rows * kNumLabels weights.
  void SetDense(const std::vector<int16_t>& dense);
  // Recomputes `rank` from `nonzero`; returns the number of non-zero rows.
  size_t BuildRank();
  // The weights of row r, or nullptr for an all-zero row. r < rows.
  const int16_t* Row(uint32_t r) const {
    const uint64_t word = nonzero[r >> 6];
    const uint64_t bit = uint64_t{1} << (r & 63);
    if ((word & bit) == 0) return nullptr;
    const uint32_t idx = rank[r >> 6] + PopCount64(word & (bit - 1));
    return weights.data() + static_cast<size_t>(idx) * kNumLabels;
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
