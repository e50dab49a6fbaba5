// Hashing helpers shared by the entity-recognition stage (clusters, gazetteer, features).
//
// Words are identified by a 64-bit hash of their bytes everywhere in the NER stage: the cluster
// table and the gazetteer are keyed by it, so a lookup never compares strings. The hashes are part
// of the model file format: changing them requires a new model format version.
//
// Thread safety: pure functions.
#ifndef NEWSPARSE_CORE_NER_HASH_H_
#define NEWSPARSE_CORE_NER_HASH_H_

#include <cstdint>
#include <string_view>

namespace newsparse {
namespace ner {

inline constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
inline constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// ASCII lower-casing of one byte; other bytes (UTF-8 lead and continuation bytes) unchanged.
inline unsigned char AsciiLower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

// FNV-1a over the bytes of `s`.
inline uint64_t HashBytes(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return h;
}

// FNV-1a over the ASCII-lower-cased bytes of `s`.
inline uint64_t HashLower(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ AsciiLower(c)) * kFnvPrime;
  return h;
}

// A strong 64-bit finaliser (MurmurHash3 fmix64).
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Combines a running hash with one more value (order-dependent).
inline uint64_t Combine(uint64_t h, uint64_t v) { return Mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6))); }

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_HASH_H_
