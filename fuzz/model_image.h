// The model-file image a model fuzz target parses, shared by the model loaders' targets.
#ifndef NEWSPARSE_FUZZ_MODEL_IMAGE_H_
#define NEWSPARSE_FUZZ_MODEL_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/ner_model.h"

namespace newsparse::fuzz {

// The input minus its first byte. When bit 0 of byte 0 is set, the trailing CRC32 of the rest is
// recomputed (replacing its last four bytes, or appended when it is shorter), so that the checks
// behind the checksum are reached too. `size` must be at least 1.
inline std::string ModelImage(const uint8_t* data, size_t size) {
  std::string image(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) {
    if (image.size() >= 4) image.resize(image.size() - 4);
    const uint32_t crc = ner::Crc32(image);
    image.append(reinterpret_cast<const char*>(&crc), 4);
  }
  return image;
}

}  // namespace newsparse::fuzz

#endif  // NEWSPARSE_FUZZ_MODEL_IMAGE_H_
