// The entity tagger's model file: one versioned, checksummed binary file (data/ner.model).
//
// Layout (little-endian):
//   char[8]  magic "NPNERMDL"
//   uint32   format version (kNerModelVersion)
//   uint32   feature groups (bit 0 clusters, bit 1 gazetteer, bit 2 document)
//   uint32   rows of the hashed weight table
//   uint32   labels per row (kNumLabels)
//   uint32   cluster levels the model was trained with
//   uint32   CRC32 of the cluster table file it was trained with (0 = not used)
//   uint32   CRC32 of the gazetteer file it was trained with (0 = not used)
//   float    weight scale (int16 weight = round(float weight * scale))
//   uint32   reserved (0)
//   int16    weights[rows * labels]
//   uint32   CRC32 (zlib) of every byte before it
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

inline constexpr uint32_t kNerModelVersion = 1;
inline constexpr size_t kNerModelHeaderSize = 8 + 4 * 9;

struct NerModel {
  NerFeatureOptions features;
  uint32_t rows = 0;
  uint32_t cluster_levels = 0;
  uint32_t cluster_crc = 0;
  uint32_t gazetteer_crc = 0;
  float scale = 1.0f;
  std::vector<int16_t> weights;  // rows * kNumLabels
};

// The weight-table row of a feature hash (fast range reduction of its high 32 bits).
inline uint32_t RowOf(uint64_t feature, uint32_t rows) {
  return static_cast<uint32_t>(((feature >> 32) * rows) >> 32);
}

// CRC32 (zlib polynomial) of `bytes`.
uint32_t Crc32(std::string_view bytes);

// Serializes `model`. Errors: InvalidArgument when weights.size() != rows * kNumLabels.
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
